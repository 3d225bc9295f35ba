-- Routing: agents' capacity and presence, per-team (skill) routing mode, and what the router
-- needs on a handoff (who was assigned automatically, who already let it lapse, the note).

-- +goose Up
ALTER TABLE users
    ADD COLUMN capacity         integer NOT NULL DEFAULT 3 CHECK (capacity >= 0),
    ADD COLUMN presence         text NOT NULL DEFAULT 'offline' CHECK (presence IN ('online', 'away', 'offline')),
    ADD COLUMN last_seen_at     timestamptz,
    ADD COLUMN last_assigned_at timestamptz;
CREATE INDEX users_online_idx ON users (id) WHERE presence = 'online';

-- A team is the agents with one skill; without a row a team auto-assigns.
CREATE TABLE routing_teams (
    skill text PRIMARY KEY,
    mode  text NOT NULL DEFAULT 'auto' CHECK (mode IN ('auto', 'pull'))
);

ALTER TABLE handoffs
    ADD COLUMN auto_assigned boolean NOT NULL DEFAULT false,
    ADD COLUMN lapsed_by     bigint[] NOT NULL DEFAULT '{}',
    ADD COLUMN note          text NOT NULL DEFAULT '';
CREATE INDEX handoffs_agent_idx ON handoffs (claimed_by) WHERE status = 'assigned';

-- +goose Down
DROP INDEX handoffs_agent_idx;
ALTER TABLE handoffs DROP COLUMN note, DROP COLUMN lapsed_by, DROP COLUMN auto_assigned;
DROP TABLE routing_teams;
DROP INDEX users_online_idx;
ALTER TABLE users DROP COLUMN last_assigned_at, DROP COLUMN last_seen_at, DROP COLUMN presence, DROP COLUMN capacity;
