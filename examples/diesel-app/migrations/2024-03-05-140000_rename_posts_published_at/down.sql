ALTER TABLE posts RENAME COLUMN first_published_at TO published_at;
