-- When a handoff last went back to the queue because its agent let the offer lapse or declined it:
-- after one offer time-out with nobody else to take it, a new round offers it to them again.
-- +goose Up
ALTER TABLE handoffs ADD COLUMN lapsed_at timestamptz;

-- +goose Down
ALTER TABLE handoffs DROP COLUMN lapsed_at;
