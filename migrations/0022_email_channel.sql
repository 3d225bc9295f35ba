-- The e-mail channel: a mail provider posts inbound mail (its inbound-parse format) to
-- /api/v1/email/inbound; what is said to the customer goes out by SMTP, in the same thread
-- (In-Reply-To and References built from the Message-IDs kept here).
-- +goose Up
ALTER TABLE deliveries ADD COLUMN kind text NOT NULL DEFAULT 'http' CHECK (kind IN ('http', 'email'));
ALTER TABLE deliveries DROP CONSTRAINT deliveries_check;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_target CHECK (CASE WHEN kind = 'email'
    THEN webhook_id IS NULL AND channel IS NULL ELSE (webhook_id IS NULL) <> (channel IS NULL) END);

-- Who writes from an address: one customer per address on the e-mail channel (never merged with
-- a web customer who typed that address).
CREATE TABLE email_customers (
    address     text PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE
);

-- A conversation's mail thread: the customer's address, the subject, and its Message-IDs.
CREATE TABLE email_threads (
    conversation_id uuid PRIMARY KEY REFERENCES conversations (id) ON DELETE CASCADE,
    address         text NOT NULL,
    subject         text NOT NULL DEFAULT '',
    last_message_id text NOT NULL DEFAULT '',
    refs            text NOT NULL DEFAULT ''
);
CREATE TABLE email_message_ids (
    message_id      text PRIMARY KEY,
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE
);

-- +goose StatementBegin
CREATE OR REPLACE FUNCTION baton_messages_channel() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO deliveries (channel, kind, event, payload)
    SELECT CASE WHEN c.channel = 'email' THEN NULL ELSE c.channel END,
           CASE WHEN c.channel = 'email' THEN 'email' ELSE 'http' END,
           'message', jsonb_build_object(
        'conversation_id', NEW.conversation_id,
        'user_id', (SELECT cu.user_id FROM channel_users cu WHERE cu.channel = c.channel AND cu.customer_id = c.customer_id LIMIT 1),
        'message', jsonb_build_object('id', NEW.id, 'seq', NEW.seq, 'sender', NEW.sender, 'text', NEW.text,
            'citations', NEW.citations, 'created_at', NEW.created_at))
      FROM conversations c
     WHERE c.id = NEW.conversation_id
       AND (c.channel = 'email' OR EXISTS (SELECT 1 FROM channels ch WHERE ch.name = c.channel AND ch.active));
    RETURN NULL;
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION baton_messages_channel() RETURNS trigger LANGUAGE plpgsql AS $$
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
DROP TABLE email_message_ids;
DROP TABLE email_threads;
DROP TABLE email_customers;
DELETE FROM deliveries WHERE kind = 'email';
ALTER TABLE deliveries DROP CONSTRAINT deliveries_target;
ALTER TABLE deliveries ADD CONSTRAINT deliveries_check CHECK ((webhook_id IS NULL) <> (channel IS NULL));
ALTER TABLE deliveries DROP COLUMN kind;
