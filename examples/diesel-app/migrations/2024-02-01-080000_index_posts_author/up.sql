-- posts already holds rows in production: this index build blocks writes to it.
CREATE INDEX posts_author_id_idx ON posts (author_id);
