-- Article history: every change to an article (create, edit, status change, import, restore) keeps
-- a full snapshot with who made it, when, and which fields changed. kb_articles.version is the
-- number of the current snapshot; an editor's save names the version it started from, so a save
-- over someone else's newer change is refused instead of silently overwriting it.

-- +goose Up
ALTER TABLE kb_articles ADD COLUMN version integer NOT NULL DEFAULT 1;

CREATE TABLE kb_article_versions (
    article_id    bigint NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    version       integer NOT NULL,
    title         text NOT NULL,
    body          text NOT NULL,
    language      text NOT NULL,
    status        text NOT NULL,
    tags          text[] NOT NULL DEFAULT '{}',
    questions     text[] NOT NULL DEFAULT '{}',
    -- the fields that differ from the previous version (all of them for the first)
    changed       text[] NOT NULL DEFAULT '{}',
    -- create, update, status, import, restore, or baseline (the state found when history began)
    action        text NOT NULL,
    -- where the change came from: manual, import, demo, suggestion, ...
    source        text NOT NULL DEFAULT '',
    restored_from integer,
    -- who: the user, with their name and email as they were, so history outlives the account
    author_id     bigint REFERENCES users (id) ON DELETE SET NULL,
    author_name   text NOT NULL DEFAULT '',
    author_email  text NOT NULL DEFAULT '',
    created_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (article_id, version)
);

-- Articles from before history began start it with their current state as version 1.
INSERT INTO kb_article_versions (article_id, version, title, body, language, status, tags, questions,
    changed, action, source, created_at)
SELECT id, 1, title, body, language, status, tags, questions,
    '{title,body,language,status,tags,questions}', 'baseline', source, updated_at
FROM kb_articles;

-- +goose Down
DROP TABLE kb_article_versions;
ALTER TABLE kb_articles DROP COLUMN version;
