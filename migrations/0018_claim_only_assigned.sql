-- baton_claim_next returned the conversation it found even when assigning it failed (the
-- handoff no longer queued); the caller then believed it held a conversation it did not. It now
-- returns only a conversation it assigned.
-- +goose Up
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION baton_claim_next(p_agent bigint, p_joined_en text, p_joined_zh text)
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
        -- Only a conversation this call assigned is returned as the agent's.
        IF NOT FOUND OR NOT baton_assign(v_handoff, p_agent, false, p_joined_en, p_joined_zh) THEN
            v_conv := NULL;
        END IF;
    END IF;
    RETURN QUERY SELECT v_free, (SELECT row_to_json(c) FROM conversations c WHERE c.id = v_conv);
END $$;
-- +goose StatementEnd

-- +goose Down
-- +goose StatementBegin
CREATE OR REPLACE FUNCTION baton_claim_next(p_agent bigint, p_joined_en text, p_joined_zh text)
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
