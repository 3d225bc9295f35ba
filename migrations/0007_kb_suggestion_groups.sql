-- Suggestions grow up: the same question answered again joins the first suggestion's group, a
-- question an article already covers says which, and an editor may merge a group into an article.
-- The questions the bot could not answer are recorded and grouped the same way.

-- +goose Up
ALTER TABLE kb_suggestions DROP CONSTRAINT kb_suggestions_status_check;
ALTER TABLE kb_suggestions ADD CONSTRAINT kb_suggestions_status_check
    CHECK (status IN ('open', 'approved', 'merged', 'dismissed'));
-- group_id is the group's first suggestion (its own id for the first); NULL until grouped.
-- keys are the question's lookup features (see kb.questionKeys); similar_article_id is the
-- published article search found for the question when it was grouped.
ALTER TABLE kb_suggestions
    ADD COLUMN group_id           bigint REFERENCES kb_suggestions (id) ON DELETE SET NULL,
    ADD COLUMN group_similarity   real,
    ADD COLUMN similar_article_id bigint REFERENCES kb_articles (id) ON DELETE SET NULL,
    ADD COLUMN article_similarity real,
    ADD COLUMN keys               text[] NOT NULL DEFAULT '{}',
    ADD COLUMN grouped_at         timestamptz;
CREATE INDEX kb_suggestions_group_idx ON kb_suggestions (group_id);
CREATE INDEX kb_suggestions_keys_idx ON kb_suggestions USING gin (keys);
CREATE INDEX kb_suggestions_ungrouped_idx ON kb_suggestions (id) WHERE grouped_at IS NULL;

-- One row per customer question the bot answered with "I don't know" or handed off for low
-- confidence, copied from the bot's messages; group_id as for suggestions.
CREATE TABLE kb_unanswered (
    id              bigserial PRIMARY KEY,
    message_id      bigint NOT NULL UNIQUE REFERENCES messages (id) ON DELETE CASCADE,
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    question        text NOT NULL,
    language        text NOT NULL,
    reason          text NOT NULL CHECK (reason IN ('dont_know', 'low_confidence')),
    asked_at        timestamptz NOT NULL,
    keys            text[] NOT NULL DEFAULT '{}',
    group_id        bigint REFERENCES kb_unanswered (id) ON DELETE SET NULL,
    similarity      real
);
CREATE INDEX kb_unanswered_asked_idx ON kb_unanswered (asked_at);
CREATE INDEX kb_unanswered_group_idx ON kb_unanswered (group_id);
CREATE INDEX kb_unanswered_keys_idx ON kb_unanswered USING gin (keys);
CREATE INDEX kb_unanswered_ungrouped_idx ON kb_unanswered (id) WHERE group_id IS NULL;

-- How far the bot's messages have been read for kb_unanswered (one row).
CREATE TABLE kb_unanswered_cursor (
    one             boolean PRIMARY KEY DEFAULT true CHECK (one),
    last_message_id bigint NOT NULL
);

-- +goose Down
DROP TABLE kb_unanswered_cursor;
DROP TABLE kb_unanswered;
DROP INDEX kb_suggestions_ungrouped_idx;
DROP INDEX kb_suggestions_keys_idx;
DROP INDEX kb_suggestions_group_idx;
ALTER TABLE kb_suggestions DROP COLUMN grouped_at, DROP COLUMN keys, DROP COLUMN article_similarity,
    DROP COLUMN similar_article_id, DROP COLUMN group_similarity, DROP COLUMN group_id;
UPDATE kb_suggestions SET status = 'approved' WHERE status = 'merged';
ALTER TABLE kb_suggestions DROP CONSTRAINT kb_suggestions_status_check;
ALTER TABLE kb_suggestions ADD CONSTRAINT kb_suggestions_status_check
    CHECK (status IN ('open', 'approved', 'dismissed'));
