-- CSAT: a webhook event when a customer rates a conversation or a ticket, or changes the rating
-- (csat.rated), written to the outbox in the rating's own transaction as 0021's events are.

-- +goose Up
-- +goose StatementBegin
CREATE FUNCTION baton_csat_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM baton_webhook_event('csat.rated', jsonb_build_object('rating', jsonb_build_object(
        'id', NEW.id, 'conversation_id', NEW.conversation_id, 'ticket_id', NEW.ticket_id,
        'customer_id', NEW.customer_id, 'score', NEW.score, 'comment', NEW.comment,
        'agent_id', NEW.agent_id, 'team', NEW.team, 'by_bot', NEW.by_bot,
        'changed', TG_OP = 'UPDATE', 'created_at', NEW.created_at, 'updated_at', NEW.updated_at)))
    FROM conversations c WHERE c.id = NEW.conversation_id AND c.channel <> 'eval';
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER csat_ratings_webhooks AFTER INSERT OR UPDATE OF score, comment ON csat_ratings
    FOR EACH ROW EXECUTE FUNCTION baton_csat_webhooks();

-- +goose Down
DROP TRIGGER csat_ratings_webhooks ON csat_ratings;
DROP FUNCTION baton_csat_webhooks();
