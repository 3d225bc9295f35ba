-- Routing, the customer's side: offers an agent accepts, messages left outside a team's business
-- hours, and the business hours themselves (per team, in the team's time zone); assignments as
-- functions (below).

-- +goose Up
ALTER TABLE handoffs
    -- When the holder took the conversation on. An automatic assignment is an offer until then.
    ADD COLUMN accepted_at     timestamptz,
    -- Handed off while its team was closed and nobody was online: a message left for later.
    ADD COLUMN left_message    boolean NOT NULL DEFAULT false;
-- Whatever was assigned before offers existed counts as accepted.
UPDATE handoffs SET accepted_at = claimed_at WHERE claimed_at IS NOT NULL;
CREATE INDEX handoffs_offers_idx ON handoffs (claimed_at) WHERE status = 'assigned' AND accepted_at IS NULL;
-- The queue in serving order per skill, ties broken by id, so taking the head is an index lookup.
DROP INDEX handoffs_queue_idx;
CREATE INDEX handoffs_queue_idx ON handoffs (skill, priority DESC, enqueued_at, id) WHERE status = 'queued';
-- Recent handling times per skill, for the customer's wait estimate.
CREATE INDEX handoffs_resolved_idx ON handoffs (skill, resolved_at DESC) WHERE status = 'resolved';

-- A team's business hours: NULL hours = always open; otherwise {"mon": [["09:00","18:00"]], ...}
-- in time_zone (an IANA name), a day without spans being closed.
ALTER TABLE routing_teams
    ADD COLUMN time_zone text NOT NULL DEFAULT 'UTC',
    ADD COLUMN hours     jsonb;

-- Assignments as functions. Every claim, route and drain ends in the same writes (the handoff,
-- the agent's last assignment, the conversation, the customer's "joined" line, the live events);
-- doing them in one function call is one round trip instead of a dozen, and PL/pgSQL keeps its
-- statements' plans for the session, which the embedded PGlite (one session behind a multiplexer,
-- so no prepared statements) cannot otherwise do. Each statement in a function takes a fresh
-- snapshot, so a load counted after locking the agent's row sees every committed assignment.

-- baton_event records a live event and notifies listeners, as events.Notify does.
-- +goose StatementBegin
CREATE FUNCTION baton_event(p_topic text, p_kind text, p_seq bigint) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO events (topic, kind, seq) VALUES (p_topic, p_kind, p_seq);
    PERFORM pg_notify('baton_events', json_build_object('topic', p_topic, 'kind', p_kind, 'seq', p_seq)::text);
END $$;
-- +goose StatementEnd

-- baton_assign gives a queued handoff to an agent whose row the caller has locked; false when it
-- is no longer queued. An automatic assignment (p_auto) is an offer, accepted later; otherwise it
-- is accepted now and the customer is told who joined (p_joined_en/zh: "%s joined ...").
-- +goose StatementBegin
CREATE FUNCTION baton_assign(p_handoff bigint, p_agent bigint, p_auto boolean, p_joined_en text, p_joined_zh text)
RETURNS boolean LANGUAGE plpgsql AS $$
DECLARE
    v_conv uuid;
    v_name text;
    v_lang text;
    v_seq  bigint;
BEGIN
    UPDATE handoffs SET status = 'assigned', claimed_by = p_agent, claimed_at = now(), auto_assigned = p_auto,
           accepted_at = CASE WHEN p_auto THEN NULL ELSE now() END
     WHERE id = p_handoff AND status = 'queued'
    RETURNING conversation_id INTO v_conv;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    UPDATE users SET last_assigned_at = now() WHERE id = p_agent
    RETURNING COALESCE(NULLIF(name, ''), split_part(email, '@', 1)) INTO v_name;
    UPDATE conversations SET status = 'assigned', assigned_agent_id = p_agent, updated_at = now(),
           last_seq = last_seq + CASE WHEN p_auto THEN 0 ELSE 1 END
     WHERE id = v_conv
    RETURNING language, last_seq INTO v_lang, v_seq;
    PERFORM baton_event('conv:' || v_conv, 'status', 0);
    IF NOT p_auto THEN
        INSERT INTO messages (conversation_id, seq, sender, text, bot_done)
        VALUES (v_conv, v_seq, 'system', format(CASE WHEN v_lang = 'zh' THEN p_joined_zh ELSE p_joined_en END, v_name), true);
        PERFORM baton_event('conv:' || v_conv, 'message', v_seq);
    END IF;
    PERFORM baton_event('queue', 'queue', 0);
    RETURN true;
END $$;
-- +goose StatementEnd

-- baton_claim_next gives an agent the first waiting handoff they may take (highest priority,
-- then oldest, skipping those other claims hold). It returns the agent's free places before the
-- claim (no row: no such agent) and the conversation taken, as JSON (NULL: none waits or no room).
-- +goose StatementBegin
CREATE FUNCTION baton_claim_next(p_agent bigint, p_joined_en text, p_joined_zh text)
RETURNS TABLE (o_free integer, o_conversation json) LANGUAGE plpgsql AS $$
DECLARE
    v_skills  text[];
    v_langs   text[];
    v_free    integer;
    v_handoff bigint;
    v_conv    uuid;
BEGIN
    SELECT u.skills, u.languages, u.capacity INTO v_skills, v_langs, v_free FROM users u WHERE u.id = p_agent FOR UPDATE;
    IF NOT FOUND THEN
        RETURN;
    END IF;
    v_free := v_free - (SELECT count(*) FROM handoffs x WHERE x.claimed_by = p_agent AND x.status = 'assigned');
    IF v_free > 0 THEN
        -- The head of each of the agent's skills' queues (an index lookup each; one ANY over all
        -- skills would sort the whole queue), then the first of those. The heads not taken stay
        -- locked until the statement ends; concurrent claims skip them meanwhile.
        SELECT p.id, p.conversation_id INTO v_handoff, v_conv
          FROM unnest(v_skills) s (skill)
         CROSS JOIN LATERAL (
                SELECT h.id, h.conversation_id, h.priority, h.enqueued_at FROM handoffs h
                 WHERE h.status = 'queued' AND h.skill = s.skill AND h.language = ANY(v_langs)
                 ORDER BY h.priority DESC, h.enqueued_at, h.id
                 LIMIT 1
                   FOR UPDATE OF h SKIP LOCKED) p
         ORDER BY p.priority DESC, p.enqueued_at, p.id
         LIMIT 1;
        IF FOUND THEN
            PERFORM baton_assign(v_handoff, p_agent, false, p_joined_en, p_joined_zh);
        END IF;
    END IF;
    RETURN QUERY SELECT v_free, (SELECT row_to_json(c) FROM conversations c WHERE c.id = v_conv);
END $$;
-- +goose StatementEnd

-- baton_drain offers an online agent with room the waiting handoffs of auto-assigning teams they
-- can take (not those they let lapse), highest priority then oldest; it returns how many.
-- +goose StatementBegin
CREATE FUNCTION baton_drain(p_agent bigint) RETURNS integer LANGUAGE plpgsql AS $$
DECLARE
    v_skills   text[];
    v_langs    text[];
    v_free     integer;
    v_presence text;
    v_n        integer := 0;
    r          record;
BEGIN
    SELECT u.skills, u.languages, u.capacity, u.presence INTO v_skills, v_langs, v_free, v_presence
      FROM users u WHERE u.id = p_agent FOR UPDATE;
    IF NOT FOUND OR v_presence <> 'online' THEN
        RETURN 0;
    END IF;
    v_free := v_free - (SELECT count(*) FROM handoffs x WHERE x.claimed_by = p_agent AND x.status = 'assigned');
    IF v_free <= 0 THEN
        RETURN 0;
    END IF;
    FOR r IN SELECT h.id FROM handoffs h
              WHERE h.status = 'queued' AND h.skill = ANY(v_skills) AND h.language = ANY(v_langs)
                AND NOT (p_agent = ANY(h.lapsed_by))
                AND COALESCE((SELECT t.mode FROM routing_teams t WHERE t.skill = h.skill), 'auto') = 'auto'
              ORDER BY h.priority DESC, h.enqueued_at, h.id
              LIMIT v_free
                FOR UPDATE OF h SKIP LOCKED
    LOOP
        IF baton_assign(r.id, p_agent, true, '', '') THEN
            v_n := v_n + 1;
        END IF;
    END LOOP;
    RETURN v_n;
END $$;
-- +goose StatementEnd

-- baton_resolve closes a conversation whose handoff the caller resolved: the customer's closing
-- line (p_text), the status, the live events; it returns the conversation as JSON.
-- +goose StatementBegin
CREATE FUNCTION baton_resolve(p_conv uuid, p_text text) RETURNS json LANGUAGE plpgsql AS $$
DECLARE
    v_seq bigint;
BEGIN
    UPDATE conversations SET status = 'resolved', last_seq = last_seq + 1, updated_at = now()
     WHERE id = p_conv
    RETURNING last_seq INTO v_seq;
    INSERT INTO messages (conversation_id, seq, sender, text, bot_done) VALUES (p_conv, v_seq, 'system', p_text, true);
    PERFORM baton_event('conv:' || p_conv, 'message', v_seq);
    PERFORM baton_event('conv:' || p_conv, 'status', 0);
    PERFORM baton_event('queue', 'queue', 0);
    RETURN (SELECT row_to_json(c) FROM conversations c WHERE c.id = p_conv);
END $$;
-- +goose StatementEnd

-- +goose Down
DROP INDEX handoffs_queue_idx;
CREATE INDEX handoffs_queue_idx ON handoffs (skill, priority DESC, enqueued_at) WHERE status = 'queued';
DROP FUNCTION baton_resolve(uuid, text);
DROP FUNCTION baton_drain(bigint);
DROP FUNCTION baton_claim_next(bigint, text, text);
DROP FUNCTION baton_assign(bigint, bigint, boolean, text, text);
DROP FUNCTION baton_event(text, text, bigint);
ALTER TABLE routing_teams DROP COLUMN hours, DROP COLUMN time_zone;
DROP INDEX handoffs_resolved_idx;
DROP INDEX handoffs_offers_idx;
ALTER TABLE handoffs DROP COLUMN left_message, DROP COLUMN accepted_at;
