-- Operations: tickets for what a chat cannot finish, customer satisfaction ratings, compliance
-- rules and their hits, and the staff audit log. Later migrations (0024 tickets, 0025 CSAT,
-- 0026 compliance, 0027 audit and data-subject requests, 0028 reports) add what each part needs
-- beyond this shared shape.

-- +goose Up

-- A ticket (工单): work that outlives a chat. Its number shown to people is 'T' || id; ids start at
-- 10001 so a number is never confused with an order number's few digits.
CREATE SEQUENCE tickets_id_seq START 10001;
CREATE TABLE tickets (
    id               bigint PRIMARY KEY DEFAULT nextval('tickets_id_seq'),
    type             text NOT NULL DEFAULT 'problem'
                     CHECK (type IN ('question', 'problem', 'refund', 'complaint', 'task')),
    priority         text NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    status           text NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'open', 'pending', 'solved', 'closed')),
    -- While pending: whom the ticket waits on.
    pending_on       text CHECK (pending_on IN ('customer', 'team')),
    -- The team (routing skill) the ticket goes to, and the person on it.
    team             text NOT NULL DEFAULT 'general',
    assignee_id      bigint REFERENCES users (id) ON DELETE SET NULL,
    subject          text NOT NULL,
    description      text NOT NULL DEFAULT '',
    order_number     text NOT NULL DEFAULT '',
    -- [{"url": "...", "name": "..."}]
    attachments      jsonb NOT NULL DEFAULT '[]',
    language         text NOT NULL DEFAULT 'en' CHECK (language IN ('zh', 'en')),
    customer_id      uuid REFERENCES customers (id) ON DELETE SET NULL,
    conversation_id  uuid REFERENCES conversations (id) ON DELETE SET NULL,
    created_by       bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    due_at           timestamptz NOT NULL,
    -- The first change by staff after creation ("touched"): an untouched ticket past due escalates.
    touched_at       timestamptz,
    solved_at        timestamptz,
    closed_at        timestamptz
);
ALTER SEQUENCE tickets_id_seq OWNED BY tickets.id;
CREATE INDEX tickets_team_queue_idx ON tickets (team, status, due_at) WHERE status IN ('new', 'open', 'pending');
CREATE INDEX tickets_assignee_idx ON tickets (assignee_id) WHERE status IN ('new', 'open', 'pending');
CREATE INDEX tickets_customer_idx ON tickets (customer_id);
CREATE INDEX tickets_conversation_idx ON tickets (conversation_id);
CREATE INDEX tickets_created_idx ON tickets (created_at);

-- Every change to a ticket, in order: its timeline. actor_id NULL is Baton itself (escalations).
CREATE TABLE ticket_events (
    id         bigserial PRIMARY KEY,
    ticket_id  bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    actor_id   bigint REFERENCES users (id) ON DELETE SET NULL,
    kind       text NOT NULL CHECK (kind IN ('created', 'status', 'assigned', 'priority', 'team', 'comment',
                                             'updated', 'escalated', 'customer_notified')),
    -- An internal comment's text, or a short description of the change.
    body       text NOT NULL DEFAULT '',
    -- What changed: {"from": ..., "to": ...} and the like.
    data       jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX ticket_events_ticket_idx ON ticket_events (ticket_id, id);

-- An escalation is recorded once per ticket and kind, whichever server process sees it first:
-- 'overdue' (untouched past its due time) or 'age' (unsolved after the configured hours, 72 by default).
CREATE TABLE ticket_escalations (
    ticket_id       bigint NOT NULL REFERENCES tickets (id) ON DELETE CASCADE,
    kind            text NOT NULL CHECK (kind IN ('overdue', 'age')),
    escalated_at    timestamptz NOT NULL DEFAULT now(),
    priority_before text NOT NULL,
    priority_after  text NOT NULL,
    PRIMARY KEY (ticket_id, kind)
);
CREATE INDEX ticket_escalations_time_idx ON ticket_escalations (escalated_at);

-- A customer's rating (1-5, optional comment), asked for in the chat after a conversation is
-- resolved (ticket_id NULL) or after a ticket linked to it is solved. One per conversation and one
-- per ticket; the customer may change it for a short while. agent_id and team say whom it goes
-- to; by_bot marks a conversation no person took part in.
CREATE TABLE csat_ratings (
    id              bigserial PRIMARY KEY,
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    ticket_id       bigint REFERENCES tickets (id) ON DELETE CASCADE,
    customer_id     uuid REFERENCES customers (id) ON DELETE SET NULL,
    score           smallint NOT NULL CHECK (score BETWEEN 1 AND 5),
    comment         text NOT NULL DEFAULT '',
    agent_id        bigint REFERENCES users (id) ON DELETE SET NULL,
    team            text,
    by_bot          boolean NOT NULL DEFAULT false,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX csat_ratings_conversation_idx ON csat_ratings (conversation_id) WHERE ticket_id IS NULL;
CREATE UNIQUE INDEX csat_ratings_ticket_idx ON csat_ratings (ticket_id) WHERE ticket_id IS NOT NULL;
CREATE INDEX csat_ratings_created_idx ON csat_ratings (created_at);

-- Banned phrases: per language ('any' for both), matched as a substring, a whole word, or a
-- regular expression; a hit inside one of the exceptions does not count.
CREATE TABLE compliance_rules (
    id         bigserial PRIMARY KEY,
    phrase     text NOT NULL CHECK (phrase <> ''),
    language   text NOT NULL DEFAULT 'any' CHECK (language IN ('zh', 'en', 'any')),
    match      text NOT NULL DEFAULT 'contains' CHECK (match IN ('contains', 'word', 'regex')),
    action     text NOT NULL DEFAULT 'block' CHECK (action IN ('block', 'warn')),
    exceptions text[] NOT NULL DEFAULT '{}',
    note       text NOT NULL DEFAULT '',
    active     boolean NOT NULL DEFAULT true,
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Each time a rule matched: where (an agent's reply, a bot answer, a bot template, a knowledge-base
-- article), what happened (blocked, warned, or sent after a warning) and who.
CREATE TABLE compliance_hits (
    id              bigserial PRIMARY KEY,
    rule_id         bigint REFERENCES compliance_rules (id) ON DELETE SET NULL,
    phrase          text NOT NULL,
    source          text NOT NULL CHECK (source IN ('agent_reply', 'bot_answer', 'bot_template', 'kb_article')),
    outcome         text NOT NULL CHECK (outcome IN ('blocked', 'warned', 'sent_after_warning')),
    user_id         bigint REFERENCES users (id) ON DELETE SET NULL,
    conversation_id uuid REFERENCES conversations (id) ON DELETE SET NULL,
    language        text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX compliance_hits_time_idx ON compliance_hits (created_at);

-- Every staff action that changed data or read a customer's full record. Append-only: the
-- trigger below refuses updates and deletes, so an entry outlives the user and customer it names.
CREATE TABLE audit_log (
    id          bigserial PRIMARY KEY,
    at          timestamptz NOT NULL DEFAULT now(),
    actor_id    bigint,
    actor_email text NOT NULL DEFAULT '',
    actor_role  text NOT NULL DEFAULT '',
    -- What was done, e.g. 'ticket.update', 'customer.read', 'customer.erase', or 'PUT /api/v1/sla'.
    action      text NOT NULL,
    target_type text NOT NULL DEFAULT '',
    target_id   text NOT NULL DEFAULT '',
    ip          text NOT NULL DEFAULT '',
    user_agent  text NOT NULL DEFAULT '',
    status      integer NOT NULL DEFAULT 0,
    detail      jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at);
CREATE INDEX audit_log_target_idx ON audit_log (target_type, target_id);
CREATE INDEX audit_log_actor_idx ON audit_log (actor_id, at);

-- +goose StatementBegin
CREATE FUNCTION baton_audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END $$;
-- +goose StatementEnd
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION baton_audit_log_append_only();
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
    FOR EACH STATEMENT EXECUTE FUNCTION baton_audit_log_append_only();

-- +goose Down
DROP TABLE audit_log;
DROP FUNCTION baton_audit_log_append_only();
DROP TABLE compliance_hits;
DROP TABLE compliance_rules;
DROP TABLE csat_ratings;
DROP TABLE ticket_escalations;
DROP TABLE ticket_events;
DROP TABLE tickets;
