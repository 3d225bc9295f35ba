-- +goose Up
-- Bot definitions (intents, slots, actions, handoff rules) as YAML, every saved version kept;
-- exactly one is active and every Baton process serves it.
CREATE TABLE bot_definitions (
    id         bigserial PRIMARY KEY,
    name       text NOT NULL,
    version    integer NOT NULL,
    source     text NOT NULL,
    checksum   text NOT NULL,
    active     boolean NOT NULL DEFAULT false,
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (version)
);
CREATE UNIQUE INDEX bot_definitions_active_idx ON bot_definitions (active) WHERE active;

-- What the bot understood when it said something: its intent, confidence, slots and the kind of
-- reply (answer, ask, clarify, dont_know, handoff, ...). Evaluations and the agent's card read it.
ALTER TABLE messages ADD COLUMN meta jsonb;

-- The bot hands off for more reasons now.
ALTER TABLE handoffs DROP CONSTRAINT handoffs_reason_check;
ALTER TABLE handoffs ADD CONSTRAINT handoffs_reason_check CHECK (reason IN (
    'human_request', 'complaint', 'negative_sentiment', 'low_confidence', 'vip',
    'action_failed', 'retries_exhausted', 'intent_rule'));

-- +goose Down
ALTER TABLE handoffs DROP CONSTRAINT handoffs_reason_check;
UPDATE handoffs SET reason = 'low_confidence'
    WHERE reason NOT IN ('human_request', 'complaint', 'low_confidence');
ALTER TABLE handoffs ADD CONSTRAINT handoffs_reason_check CHECK (reason IN ('human_request', 'complaint', 'low_confidence'));
ALTER TABLE messages DROP COLUMN meta;
DROP TABLE bot_definitions;
