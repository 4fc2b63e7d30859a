ALTER TABLE posts RENAME COLUMN published_at TO first_published_at;
