ALTER TABLE authors DROP COLUMN legacy_code;
