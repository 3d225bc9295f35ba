-- +goose Up
CREATE EXTENSION IF NOT EXISTS vector;

-- Staff: agents, editors, evaluators and admins.
CREATE TABLE users (
    id            bigserial PRIMARY KEY,
    email         text NOT NULL UNIQUE,
    name          text NOT NULL DEFAULT '',
    password_hash text NOT NULL,
    role          text NOT NULL CHECK (role IN ('admin', 'agent', 'editor', 'evaluator')),
    skills        text[] NOT NULL DEFAULT '{general}',
    languages     text[] NOT NULL DEFAULT '{zh,en}',
    created_at    timestamptz NOT NULL DEFAULT now()
);

-- Staff sessions: the API bearer token and the web cookie are the same secret, stored hashed.
CREATE TABLE sessions (
    token_hash bytea PRIMARY KEY,
    user_id    bigint NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user_idx ON sessions (user_id);

CREATE TABLE customers (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    external_id text,
    name        text NOT NULL DEFAULT '',
    email       text NOT NULL DEFAULT '',
    language    text NOT NULL DEFAULT '',
    vip_tier    text NOT NULL DEFAULT '',
    token_hash  bytea NOT NULL UNIQUE,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customers_external_idx ON customers (external_id);

CREATE TABLE conversations (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    customer_id       uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    channel           text NOT NULL DEFAULT 'web',
    language          text NOT NULL DEFAULT 'en' CHECK (language IN ('zh', 'en')),
    status            text NOT NULL DEFAULT 'bot' CHECK (status IN ('bot', 'queued', 'assigned', 'resolved')),
    handoff_reason    text,
    assigned_agent_id bigint REFERENCES users (id) ON DELETE SET NULL,
    last_seq          bigint NOT NULL DEFAULT 0,
    bot_state         jsonb NOT NULL DEFAULT '{}',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX conversations_customer_idx ON conversations (customer_id);
CREATE INDEX conversations_agent_idx ON conversations (assigned_agent_id) WHERE status = 'assigned';

CREATE TABLE messages (
    id                bigserial PRIMARY KEY,
    conversation_id   uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    seq               bigint NOT NULL,
    sender            text NOT NULL CHECK (sender IN ('customer', 'bot', 'agent', 'system')),
    author_id         bigint REFERENCES users (id) ON DELETE SET NULL,
    text              text NOT NULL,
    client_message_id text,
    reply_to          bigint REFERENCES messages (id) ON DELETE CASCADE,
    citations         jsonb,
    bot_done          boolean NOT NULL DEFAULT false,
    created_at        timestamptz NOT NULL DEFAULT now(),
    UNIQUE (conversation_id, seq),
    UNIQUE (conversation_id, client_message_id)
);
CREATE INDEX messages_reply_idx ON messages (reply_to) WHERE reply_to IS NOT NULL;

-- A conversation waiting for, or held by, a person.
CREATE TABLE handoffs (
    id              bigserial PRIMARY KEY,
    conversation_id uuid NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
    reason          text NOT NULL CHECK (reason IN ('human_request', 'complaint', 'low_confidence')),
    skill           text NOT NULL,
    language        text NOT NULL,
    priority        integer NOT NULL DEFAULT 0,
    question        text NOT NULL DEFAULT '',
    context         jsonb NOT NULL DEFAULT '{}',
    status          text NOT NULL DEFAULT 'queued' CHECK (status IN ('queued', 'assigned', 'resolved')),
    enqueued_at     timestamptz NOT NULL DEFAULT now(),
    claimed_by      bigint REFERENCES users (id) ON DELETE SET NULL,
    claimed_at      timestamptz,
    resolved_at     timestamptz
);
CREATE UNIQUE INDEX handoffs_open_idx ON handoffs (conversation_id) WHERE status <> 'resolved';
CREATE INDEX handoffs_queue_idx ON handoffs (skill, priority DESC, enqueued_at) WHERE status = 'queued';

CREATE TABLE kb_articles (
    id         bigserial PRIMARY KEY,
    title      text NOT NULL,
    body       text NOT NULL,
    language   text NOT NULL CHECK (language IN ('zh', 'en')),
    status     text NOT NULL DEFAULT 'draft' CHECK (status IN ('draft', 'published', 'archived')),
    tags       text[] NOT NULL DEFAULT '{}',
    questions  text[] NOT NULL DEFAULT '{}',
    source     text NOT NULL DEFAULT 'manual',
    created_by bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (language, title)
);

-- Searchable pieces of an article: its title, each alternative question, each body paragraph.
CREATE TABLE kb_chunks (
    id         bigserial PRIMARY KEY,
    article_id bigint NOT NULL REFERENCES kb_articles (id) ON DELETE CASCADE,
    ord        integer NOT NULL,
    kind       text NOT NULL CHECK (kind IN ('title', 'question', 'body')),
    text       text NOT NULL,
    embedder   text NOT NULL,
    dim        integer NOT NULL,
    embedding  vector(512) NOT NULL
);
CREATE INDEX kb_chunks_article_idx ON kb_chunks (article_id);
CREATE INDEX kb_chunks_embedding_idx ON kb_chunks USING hnsw (embedding vector_cosine_ops);

-- A customer's question and the agent's answer from a resolved handoff, for editors to review.
CREATE TABLE kb_suggestions (
    id              bigserial PRIMARY KEY,
    question        text NOT NULL,
    answer          text NOT NULL,
    language        text NOT NULL,
    conversation_id uuid REFERENCES conversations (id) ON DELETE SET NULL,
    handoff_id      bigint REFERENCES handoffs (id) ON DELETE SET NULL,
    status          text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'approved', 'dismissed')),
    article_id      bigint REFERENCES kb_articles (id) ON DELETE SET NULL,
    reviewed_by     bigint REFERENCES users (id) ON DELETE SET NULL,
    created_at      timestamptz NOT NULL DEFAULT now(),
    reviewed_at     timestamptz
);
CREATE UNIQUE INDEX kb_suggestions_handoff_idx ON kb_suggestions (handoff_id);
CREATE INDEX kb_suggestions_status_idx ON kb_suggestions (status, created_at);

-- +goose Down
DROP TABLE kb_suggestions;
DROP TABLE kb_chunks;
DROP TABLE kb_articles;
DROP TABLE handoffs;
DROP TABLE messages;
DROP TABLE conversations;
DROP TABLE customers;
DROP TABLE sessions;
DROP TABLE users;
