-- The agents' side of a conversation that the customer never sees: private notes with @mentions,
-- transfers and wrap-ups (one timeline), the notifications they raise, how far each agent has
-- read each conversation, and the wrap-up dispositions.

-- +goose Up
CREATE TABLE conversation_timeline (
    id              bigserial PRIMARY KEY,
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    handoff_id      bigint REFERENCES handoffs (id) ON DELETE SET NULL,
    kind            text NOT NULL CHECK (kind IN ('note', 'transfer', 'wrapup')),
    author_id       bigint REFERENCES users (id) ON DELETE SET NULL,
    -- The note, the transfer's note to its receiver, or the resolution note.
    text            text NOT NULL DEFAULT '',
    mentions        bigint[] NOT NULL DEFAULT '{}',
    to_agent_id     bigint REFERENCES users (id) ON DELETE SET NULL,
    to_skill        text,
    disposition     text,
    -- The conversation's last message seq when the entry was made: where it sits in the transcript.
    after_seq       bigint NOT NULL DEFAULT 0,
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversation_timeline_conv_idx ON conversation_timeline (conversation_id, id);
CREATE INDEX conversation_timeline_handoff_idx ON conversation_timeline (handoff_id, id) WHERE kind = 'transfer';

-- What a colleague should look at: a mention in a note, a conversation transferred to them.
CREATE TABLE notifications (
    id              bigserial PRIMARY KEY,
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('mention', 'transfer')),
    conversation_id uuid REFERENCES conversations (id) ON DELETE CASCADE,
    entry_id        bigint REFERENCES conversation_timeline (id) ON DELETE CASCADE,
    actor_id        bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    read_at         timestamptz
);
CREATE INDEX notifications_user_idx ON notifications (user_id, id DESC);
CREATE INDEX notifications_unread_idx ON notifications (user_id, conversation_id) WHERE read_at IS NULL;

-- The last message each agent has seen in a conversation, for unread counts.
CREATE TABLE conversation_reads (
    user_id         bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    last_read_seq   bigint NOT NULL DEFAULT 0,
    read_at         timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (user_id, conversation_id)
);

-- Wrap-up outcomes an admin configured; while the table is empty the built-in list applies.
CREATE TABLE dispositions (
    code       text PRIMARY KEY CHECK (code ~ '^[a-z0-9_]{1,40}$'),
    label_en   text NOT NULL,
    label_zh   text NOT NULL,
    -- Whether the agent's answer may become a knowledge-base suggestion (not for spam).
    suggest    boolean NOT NULL DEFAULT true,
    active     boolean NOT NULL DEFAULT true,
    position   integer NOT NULL DEFAULT 0
);

ALTER TABLE handoffs
    ADD COLUMN disposition     text,
    ADD COLUMN resolution_note text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE handoffs DROP COLUMN resolution_note, DROP COLUMN disposition;
DROP TABLE dispositions;
DROP TABLE conversation_reads;
DROP TABLE notifications;
DROP TABLE conversation_timeline;
