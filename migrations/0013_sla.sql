-- SLA targets per priority tier for the first and the next response, the breaches the sweeper
-- records (once per clock, with their time), and a supervisor role: an agent who also watches
-- every queue and reassigns.

-- +goose Up
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check
    CHECK (role IN ('admin', 'agent', 'editor', 'evaluator', 'supervisor'));

-- A tier applies to handoffs whose priority is at least min_priority (the highest such tier);
-- handoffs below every tier get the lowest. Without rows the built-in defaults apply.
CREATE TABLE sla_targets (
    min_priority           integer PRIMARY KEY,
    name                   text NOT NULL DEFAULT '',
    first_response_seconds integer NOT NULL CHECK (first_response_seconds > 0),
    next_response_seconds  integer NOT NULL CHECK (next_response_seconds > 0),
    updated_at             timestamptz NOT NULL DEFAULT now()
);

-- One row per breached clock: the first response of a handoff, or one customer message's wait
-- for the next agent reply (clock_started_at tells them apart).
CREATE TABLE sla_breaches (
    id               bigserial PRIMARY KEY,
    handoff_id       bigint NOT NULL REFERENCES handoffs (id) ON DELETE CASCADE,
    conversation_id  uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    kind             text NOT NULL CHECK (kind IN ('first_response', 'next_response')),
    clock_started_at timestamptz NOT NULL,
    due_at           timestamptz NOT NULL,
    breached_at      timestamptz NOT NULL DEFAULT now(),
    skill            text NOT NULL,
    priority_before  integer NOT NULL,
    priority_after   integer NOT NULL,
    UNIQUE (handoff_id, kind, clock_started_at)
);
CREATE INDEX sla_breaches_time_idx ON sla_breaches (breached_at);

-- +goose Down
DROP TABLE sla_breaches;
DROP TABLE sla_targets;
UPDATE users SET role = 'agent' WHERE role = 'supervisor';
ALTER TABLE users DROP CONSTRAINT users_role_check;
ALTER TABLE users ADD CONSTRAINT users_role_check CHECK (role IN ('admin', 'agent', 'editor', 'evaluator'));
