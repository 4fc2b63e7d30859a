CREATE TYPE post_state AS ENUM ('draft', 'published');

CREATE TABLE posts (
    id BIGSERIAL PRIMARY KEY,
    author_id BIGINT NOT NULL REFERENCES authors (id) ON DELETE CASCADE,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    state post_state NOT NULL DEFAULT 'draft',
    published_at TIMESTAMPTZ
);
