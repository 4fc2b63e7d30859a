-- Wrong on purpose: the column had DEFAULT '' and this re-adds it NOT NULL without a default,
-- which fails as soon as authors has a row.
ALTER TABLE authors ADD COLUMN legacy_code TEXT NOT NULL;
