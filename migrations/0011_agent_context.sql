-- The agent's context: the customer's phone in their profile (and lookups that tie one person's
-- conversations together across channels), cached handoff summaries, and canned responses.

-- +goose Up
ALTER TABLE customers ADD COLUMN phone text NOT NULL DEFAULT '';
CREATE INDEX customers_email_idx ON customers (lower(email)) WHERE email <> '';
CREATE INDEX customers_phone_idx ON customers (phone) WHERE phone <> '';

-- An LLM's summary of a handoff's transcript, written once; extractive summaries are not stored
-- (they are cheap to recompute and an LLM may answer next time).
CREATE TABLE handoff_summaries (
    handoff_id bigint PRIMARY KEY REFERENCES handoffs (id) ON DELETE CASCADE,
    text       text NOT NULL,
    source     text NOT NULL,
    model      text NOT NULL DEFAULT '',
    created_at timestamptz NOT NULL DEFAULT now()
);

-- Canned responses: shared ones (owner_id NULL) kept by editors, personal ones by their agent.
-- The shortcut is stored without its leading "/".
CREATE TABLE canned_responses (
    id         bigserial PRIMARY KEY,
    shortcut   text NOT NULL,
    title      text NOT NULL,
    language   text NOT NULL CHECK (language IN ('zh', 'en')),
    body       text NOT NULL,
    owner_id   bigint REFERENCES users (id) ON DELETE CASCADE,
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX canned_responses_shared_idx ON canned_responses (lower(shortcut), language) WHERE owner_id IS NULL;
CREATE UNIQUE INDEX canned_responses_personal_idx ON canned_responses (owner_id, lower(shortcut), language) WHERE owner_id IS NOT NULL;

-- +goose Down
DROP TABLE canned_responses;
DROP TABLE handoff_summaries;
DROP INDEX customers_phone_idx;
DROP INDEX customers_email_idx;
ALTER TABLE customers DROP COLUMN phone;
