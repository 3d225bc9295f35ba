-- Tickets beyond the shared shape of 0023: the due time each priority gets by default (admins
-- change it), notifications that point at a ticket (escalations and assignments), and webhook
-- events for tickets.

-- +goose Up
-- A new ticket is due this many minutes after it is created unless its creator sets a due time.
-- A priority with no row here has the built-in default (ticket/sla.go: urgent 4 h, high 24 h,
-- normal 72 h, low 120 h); admins set rows with PUT /api/v1/ticket-sla.
CREATE TABLE ticket_sla (
    priority   text PRIMARY KEY CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    due_minutes integer NOT NULL CHECK (due_minutes > 0),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- A notification may be about a ticket rather than (or as well as) a conversation.
ALTER TABLE notifications ADD COLUMN ticket_id bigint REFERENCES tickets (id) ON DELETE CASCADE;
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check
    CHECK (kind IN ('mention', 'transfer', 'ticket_escalated', 'ticket_assigned'));

-- +goose StatementBegin
CREATE FUNCTION baton_tickets_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    body jsonb := jsonb_build_object('ticket', jsonb_build_object(
        'id', NEW.id, 'number', 'T' || NEW.id, 'type', NEW.type, 'priority', NEW.priority, 'status', NEW.status,
        'pending_on', NEW.pending_on, 'team', NEW.team, 'assignee_id', NEW.assignee_id, 'subject', NEW.subject,
        'order_number', NEW.order_number, 'language', NEW.language, 'customer_id', NEW.customer_id,
        'conversation_id', NEW.conversation_id, 'due_at', NEW.due_at, 'created_at', NEW.created_at,
        'updated_at', NEW.updated_at, 'solved_at', NEW.solved_at));
BEGIN
    IF TG_OP = 'INSERT' THEN
        PERFORM baton_webhook_event('ticket.created', body);
    ELSE
        PERFORM baton_webhook_event('ticket.updated', body);
        IF NEW.status = 'solved' AND OLD.status <> 'solved' THEN
            PERFORM baton_webhook_event('ticket.solved', body);
        END IF;
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER tickets_webhooks_insert AFTER INSERT ON tickets
    FOR EACH ROW EXECUTE FUNCTION baton_tickets_webhooks();
CREATE TRIGGER tickets_webhooks_update AFTER UPDATE ON tickets
    FOR EACH ROW WHEN (OLD.* IS DISTINCT FROM NEW.*) EXECUTE FUNCTION baton_tickets_webhooks();

-- +goose Down
DROP TRIGGER tickets_webhooks_update ON tickets;
DROP TRIGGER tickets_webhooks_insert ON tickets;
DROP FUNCTION baton_tickets_webhooks();
DELETE FROM notifications WHERE kind IN ('ticket_escalated', 'ticket_assigned');
ALTER TABLE notifications DROP CONSTRAINT notifications_kind_check;
ALTER TABLE notifications ADD CONSTRAINT notifications_kind_check CHECK (kind IN ('mention', 'transfer'));
ALTER TABLE notifications DROP COLUMN ticket_id;
DROP TABLE ticket_sla;
