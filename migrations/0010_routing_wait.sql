-- Routing, the customer's side: offers an agent accepts, first-response breaches that raise a
-- waiting handoff's priority once, messages left outside a team's business hours, and the
-- business hours themselves (per team, in the team's time zone).

-- +goose Up
ALTER TABLE handoffs
    -- When the holder took the conversation on. An automatic assignment is an offer until then.
    ADD COLUMN accepted_at     timestamptz,
    -- When the wait passed the first-response target of its priority (the priority was raised then).
    ADD COLUMN sla_breached_at timestamptz,
    -- Handed off while its team was closed and nobody was online: a message left for later.
    ADD COLUMN left_message    boolean NOT NULL DEFAULT false;
-- Whatever was assigned before offers existed counts as accepted.
UPDATE handoffs SET accepted_at = claimed_at WHERE claimed_at IS NOT NULL;
CREATE INDEX handoffs_offers_idx ON handoffs (claimed_at) WHERE status = 'assigned' AND accepted_at IS NULL;
-- Recent handling times per skill, for the customer's wait estimate.
CREATE INDEX handoffs_resolved_idx ON handoffs (skill, resolved_at DESC) WHERE status = 'resolved';

-- A team's business hours: NULL hours = always open; otherwise {"mon": [["09:00","18:00"]], ...}
-- in time_zone (an IANA name), a day without spans being closed.
ALTER TABLE routing_teams
    ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC',
    ADD COLUMN hours     jsonb;

-- +goose Down
ALTER TABLE routing_teams DROP COLUMN hours, DROP COLUMN time_zone;
DROP INDEX handoffs_resolved_idx;
DROP INDEX handoffs_offers_idx;
ALTER TABLE handoffs DROP COLUMN left_message, DROP COLUMN sla_breached_at, DROP COLUMN accepted_at;
