-- Verified customer identity: a site signs its user's id (HMAC-SHA256 with BATON_IDENTITY_SECRET)
-- and every conversation started with a good signature belongs to one customer, whatever the
-- channel or device; each start gets a token of its own (customer_tokens), so one device signing
-- in does not sign another out. Unverified ids are never merged with anything.
-- +goose Up
ALTER TABLE customers ADD COLUMN verified boolean NOT NULL DEFAULT false;
CREATE UNIQUE INDEX customers_verified_external_idx ON customers (external_id) WHERE verified;
CREATE TABLE customer_tokens (
    token_hash  bytea PRIMARY KEY,
    customer_id uuid NOT NULL REFERENCES customers (id) ON DELETE CASCADE,
    created_at  timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX customer_tokens_customer_idx ON customer_tokens (customer_id);

-- +goose Down
DROP TABLE customer_tokens;
DROP INDEX customers_verified_external_idx;
ALTER TABLE customers DROP COLUMN verified;
