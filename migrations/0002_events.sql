-- +goose Up
-- Live events, written in the same transaction as the change they announce. Processes on the
-- embedded database read them by polling (its LISTEN/NOTIFY does not cross connections);
-- on native Postgres they also ride pg_notify.
CREATE TABLE events (
    id         bigserial PRIMARY KEY,
    topic      text NOT NULL,
    kind       text NOT NULL,
    seq        bigint NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_created_idx ON events (created_at);

-- +goose Down
DROP TABLE events;
