-- Reports: every section reads a time range, so each table it reads has an index on the time it
-- is counted by (the others — tickets, csat_ratings, sla_breaches, kb_unanswered, compliance_hits,
-- ticket_escalations — have theirs already), and handoffs are found by conversation.

-- +goose Up
CREATE INDEX conversations_created_idx ON conversations (created_at);
CREATE INDEX messages_created_idx ON messages (created_at);
CREATE INDEX handoffs_enqueued_idx ON handoffs (enqueued_at);
CREATE INDEX handoffs_conversation_idx ON handoffs (conversation_id);
CREATE INDEX tickets_solved_idx ON tickets (solved_at) WHERE solved_at IS NOT NULL;

-- +goose Down
DROP INDEX tickets_solved_idx;
DROP INDEX handoffs_conversation_idx;
DROP INDEX handoffs_enqueued_idx;
DROP INDEX messages_created_idx;
DROP INDEX conversations_created_idx;
