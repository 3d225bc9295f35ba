-- Reports: every section reads a time range, so each table it reads has an index on the time it
-- is counted by (those of — tickets, csat_ratings, sla_breaches, kb_unanswered, compliance_hits,
-- ticket_escalations — have theirs already); handoffs are found by conversation; a handoff's first
-- agent message by conversation and time; and the few evaluation conversations, which reports
-- leave out, by id (an anti-join on this small index instead of a join with every conversation).

-- +goose Up
CREATE INDEX conversations_created_idx ON conversations (created_at);
-- Messages by sender and time: the customers' (with their conversation, so counting them per
-- day reads the index alone) and the bot's (whose meta says the intent); with the agents' below, a
-- message is in one of three small indexes rather than one large one.
CREATE INDEX messages_customer_created_idx ON messages (created_at) INCLUDE (conversation_id) WHERE sender = 'customer';
CREATE INDEX messages_bot_created_idx ON messages (created_at) WHERE sender = 'bot';
CREATE INDEX handoffs_enqueued_idx ON handoffs (enqueued_at);
CREATE INDEX handoffs_conversation_idx ON handoffs (conversation_id);
CREATE INDEX tickets_solved_idx ON tickets (solved_at) WHERE solved_at IS NOT NULL;
CREATE INDEX messages_agent_idx ON messages (conversation_id, created_at) WHERE sender = 'agent';
CREATE INDEX conversations_eval_idx ON conversations (id) WHERE channel = 'eval';

-- +goose Down
DROP INDEX conversations_eval_idx;
DROP INDEX messages_agent_idx;
DROP INDEX tickets_solved_idx;
DROP INDEX handoffs_conversation_idx;
DROP INDEX handoffs_enqueued_idx;
DROP INDEX messages_bot_created_idx;
DROP INDEX messages_customer_created_idx;
DROP INDEX conversations_created_idx;
