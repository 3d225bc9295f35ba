-- Messaging channels and outbound webhooks, with one delivery outbox for both.
--
-- A channel (WeChat official account, an app's SDK, a social DM bridge: anything that can call an
-- HTTP API) posts its users' messages to /api/v1/channels/{name}/inbound, signed with its secret;
-- its conversations carry the channel's name, go through the same bot, queue and workbench, and
-- every bot, agent and system message in them is delivered to the channel's outbound URL, signed.
-- A webhook tells another system (a CRM, an order system) what happened: conversation created,
-- handed off, resolved.
--
-- What is to be delivered is written by triggers in the transaction that made it happen, so a
-- delivery is never lost nor made for something rolled back; a dispatcher in every Baton process
-- sends them, taking each with SKIP LOCKED and a lease, and retries with backoff.
-- +goose Up
CREATE TABLE channels (
    name           text PRIMARY KEY CHECK (name ~ '^[a-z][a-z0-9_-]{1,30}$' AND name NOT IN ('web', 'api', 'eval', 'email')),
    display_name   text NOT NULL DEFAULT '',
    secret         text NOT NULL,
    outbound_url   text NOT NULL,
    active         boolean NOT NULL DEFAULT true,
    created_at     timestamptz NOT NULL DEFAULT now()
);

-- Who a channel's user is here: the platform's id for them, scoped by the channel.
CREATE TABLE channel_users (
    channel     text NOT NULL REFERENCES channels (name) ON DELETE CASCADE,
    user_id     text NOT NULL,
    customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    PRIMARY KEY (channel, user_id)
);

CREATE TABLE webhooks (
    id          bigserial PRIMARY KEY,
    url         text NOT NULL,
    secret      text NOT NULL,
    events      text[] NOT NULL,
    active      boolean NOT NULL DEFAULT true,
    created_by  bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE deliveries (
    id              bigserial PRIMARY KEY,
    webhook_id      bigint REFERENCES webhooks (id) ON DELETE CASCADE,
    channel         text REFERENCES channels (name) ON DELETE CASCADE,
    event           text NOT NULL,
    payload         jsonb NOT NULL,
    attempts        integer NOT NULL DEFAULT 0,
    next_attempt_at timestamptz NOT NULL DEFAULT now(),
    delivered_at    timestamptz,
    failed_at       timestamptz,
    last_error      text NOT NULL DEFAULT '',
    created_at      timestamptz NOT NULL DEFAULT now(),
    CHECK ((webhook_id IS NULL) <> (channel IS NULL))
);
CREATE INDEX deliveries_due_idx ON deliveries (next_attempt_at, id) WHERE delivered_at IS NULL AND failed_at IS NULL;
CREATE INDEX deliveries_webhook_idx ON deliveries (webhook_id, id DESC) WHERE webhook_id IS NOT NULL;
CREATE INDEX deliveries_channel_idx ON deliveries (channel, id DESC) WHERE channel IS NOT NULL;

-- baton_webhook_event queues an event for every active webhook that subscribes to it.
-- +goose StatementBegin
CREATE FUNCTION baton_webhook_event(p_event text, p_payload jsonb) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deliveries (webhook_id, event, payload)
    SELECT w.id, p_event, p_payload FROM webhooks w WHERE w.active AND p_event = ANY(w.events);
END $$;
-- +goose StatementEnd

-- +goose StatementBegin
CREATE FUNCTION baton_conversations_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        IF NEW.channel <> 'eval' THEN
            PERFORM baton_webhook_event('conversation.created', jsonb_build_object('conversation', jsonb_build_object(
                'id', NEW.id, 'customer_id', NEW.customer_id, 'channel', NEW.channel, 'language', NEW.language,
                'status', NEW.status, 'created_at', NEW.created_at)));
        END IF;
    ELSIF NEW.status = 'resolved' AND OLD.status <> 'resolved' AND NEW.channel <> 'eval' THEN
        PERFORM baton_webhook_event('conversation.resolved', jsonb_build_object('conversation', jsonb_build_object(
            'id', NEW.id, 'customer_id', NEW.customer_id, 'channel', NEW.channel, 'language', NEW.language,
            'status', NEW.status, 'assigned_agent_id', NEW.assigned_agent_id, 'resolved_at', now())));
    END IF;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER conversations_webhooks_insert AFTER INSERT ON conversations
    FOR EACH ROW EXECUTE FUNCTION baton_conversations_webhooks();
CREATE TRIGGER conversations_webhooks_resolved AFTER UPDATE OF status ON conversations
    FOR EACH ROW WHEN (NEW.status = 'resolved' AND OLD.status IS DISTINCT FROM 'resolved')
    EXECUTE FUNCTION baton_conversations_webhooks();

-- +goose StatementBegin
CREATE FUNCTION baton_handoffs_webhooks() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    PERFORM baton_webhook_event('conversation.handed_off', jsonb_build_object('handoff', jsonb_build_object(
        'id', NEW.id, 'conversation_id', NEW.conversation_id, 'reason', NEW.reason, 'skill', NEW.skill,
        'language', NEW.language, 'priority', NEW.priority, 'question', NEW.question, 'enqueued_at', NEW.enqueued_at)))
    FROM conversations c WHERE c.id = NEW.conversation_id AND c.channel <> 'eval';
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER handoffs_webhooks_insert AFTER INSERT ON handoffs
    FOR EACH ROW EXECUTE FUNCTION baton_handoffs_webhooks();

-- Every message to the customer in a channel's conversation goes to the channel's outbound URL.
-- +goose StatementBegin
CREATE FUNCTION baton_messages_channel() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deliveries (channel, event, payload)
    SELECT ch.name, 'message', jsonb_build_object(
        'conversation_id', NEW.conversation_id,
        'user_id', (SELECT cu.user_id FROM channel_users cu WHERE cu.channel = ch.name AND cu.customer_id = c.customer_id LIMIT 1),
        'message', jsonb_build_object('id', NEW.id, 'seq', NEW.seq, 'sender', NEW.sender, 'text', NEW.text,
            'citations', NEW.citations, 'created_at', NEW.created_at))
      FROM conversations c JOIN channels ch ON ch.name = c.channel AND ch.active
     WHERE c.id = NEW.conversation_id;
    RETURN NULL;
END $$;
-- +goose StatementEnd
CREATE TRIGGER messages_channel_insert AFTER INSERT ON messages
    FOR EACH ROW WHEN (NEW.sender <> 'customer') EXECUTE FUNCTION baton_messages_channel();

-- +goose Down
DROP TRIGGER messages_channel_insert ON messages;
DROP FUNCTION baton_messages_channel();
DROP TRIGGER handoffs_webhooks_insert ON handoffs;
DROP FUNCTION baton_handoffs_webhooks();
DROP TRIGGER conversations_webhooks_resolved ON conversations;
DROP TRIGGER conversations_webhooks_insert ON conversations;
DROP FUNCTION baton_conversations_webhooks();
DROP FUNCTION baton_webhook_event(text, jsonb);
DROP TABLE deliveries;
DROP TABLE webhooks;
DROP TABLE channel_users;
DROP TABLE channels;
