package handoff

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/events"
)

var (
	// ErrNoSuchAgent means a transfer named a staff member who does not exist or takes no conversations.
	ErrNoSuchAgent = errors.New("handoff: no such agent")
	// ErrAgentAway means a transfer named an agent who is not online.
	ErrAgentAway = errors.New("handoff: the agent is not online")
	// ErrTargetFull means a transfer named an agent who holds as many conversations as their capacity allows.
	ErrTargetFull = errors.New("handoff: the agent is at capacity")
)

// TransferRequest hands a held conversation to a colleague (AgentID) or back to a skill's queue
// (Skill), with a note the receiver sees.
type TransferRequest struct {
	AgentID *int64 `json:"agent_id"`
	Skill   string `json:"skill"`
	Note    string `json:"note"`
}

// TransferResult is the conversation after a transfer, and who holds it now (nil: it waits).
type TransferResult struct {
	Conversation conversation.Conversation `json:"conversation"`
	AssignedTo   *int64                    `json:"assigned_to"`
	Entry        TimelineEntry             `json:"entry"`
}

var transferTexts = map[string][2]string{ // [en, zh]
	"to_team": {"We are passing your conversation to the right team. Please stay here; someone will be with you shortly.",
		"正在为您转接到相应的团队，请稍候，马上会有客服为您服务。"},
}

// Transfer moves a conversation u holds (or any, for an admin) to another agent, who must be
// online with spare capacity, or back to the queue of a skill, where the router offers it to
// that team (never straight back to the sender). The receiver sees the note; the transfer goes
// into the timeline; the sender's freed capacity drains the queue to them.
func (s *Store) Transfer(ctx context.Context, convID string, u auth.User, r TransferRequest) (TransferResult, error) {
	r.Skill, r.Note = strings.TrimSpace(r.Skill), strings.TrimSpace(r.Note)
	switch {
	case (r.AgentID == nil) == (r.Skill == ""):
		return TransferResult{}, fmt.Errorf("%w: name either agent_id or skill", ErrInvalid)
	case utf8.RuneCountInString(r.Note) > MaxTransferLen:
		return TransferResult{}, fmt.Errorf("%w: the transfer note must be at most %d characters", ErrInvalid, MaxTransferLen)
	case len(r.Skill) > 100:
		return TransferResult{}, fmt.Errorf("%w: unknown skill", ErrInvalid)
	}
	var res TransferResult
	var from int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		var target agentState
		if r.AgentID != nil {
			// The receiver's row first, as every assignment does, so their load is counted once.
			var role string
			err := tx.QueryRow(ctx, `SELECT role FROM users WHERE id = $1`, *r.AgentID).Scan(&role)
			if errors.Is(err, pgx.ErrNoRows) || (err == nil && !auth.User{Role: role}.Can(auth.RoleAgent)) {
				return ErrNoSuchAgent
			}
			if err != nil {
				return err
			}
			if target, err = lockAgentTx(ctx, tx, *r.AgentID); err != nil {
				return err
			}
		}
		c, err := lockConversation(ctx, tx, convID)
		if err != nil {
			return err
		}
		if c.Status != conversation.StatusAssigned || c.AssignedAgentID == nil || (*c.AssignedAgentID != u.ID && u.Role != auth.RoleAdmin) {
			return ErrNotHolder
		}
		from = *c.AssignedAgentID
		var hid int64
		if err := tx.QueryRow(ctx, `SELECT id FROM handoffs WHERE conversation_id = $1 AND status = 'assigned' FOR UPDATE`, convID).Scan(&hid); err != nil {
			return fmt.Errorf("handoff: transfer: %w", err)
		}
		e := newEntry{kind: EntryTransfer, handoffID: &hid, authorID: u.ID, text: r.Note, afterSeq: c.LastSeq}
		if r.AgentID != nil {
			switch {
			case target.ID == from:
				return fmt.Errorf("%w: the conversation is already with this agent", ErrInvalid)
			case !target.Online:
				return ErrAgentAway
			case target.Free <= 0:
				return ErrTargetFull
			}
			if err := reassignTx(ctx, tx, hid, c, target, r.Note); err != nil {
				return err
			}
			e.toAgent = &target.ID
			res.AssignedTo = &target.ID
		} else {
			if err := checkSkillTx(ctx, tx, r.Skill); err != nil {
				return err
			}
			if err := requeueTx(ctx, tx, hid, c, from, r.Skill, r.Note); err != nil {
				return err
			}
			e.toSkill = r.Skill
		}
		if res.Entry, err = addEntryTx(ctx, tx, convID, e); err != nil {
			return err
		}
		if r.AgentID != nil {
			if err := notifyTx(ctx, tx, target.ID, NotifyTransfer, convID, res.Entry.ID, u.ID); err != nil {
				return err
			}
		} else {
			agent, err := RouteTx(ctx, tx, convID)
			if err != nil {
				return err
			}
			if agent != 0 {
				res.AssignedTo = &agent
			}
		}
		if err := events.Notify(ctx, tx, events.Event{Topic: events.QueueTopic, Kind: "queue"}); err != nil {
			return err
		}
		res.Conversation, err = conversation.GetForUpdateTx(ctx, tx, convID)
		return err
	})
	if err != nil {
		return TransferResult{}, known("transfer", err)
	}
	// The sender has room again: the queue drains to them (the sweeper retries if this fails).
	if _, err := s.DrainAgent(ctx, from); err != nil {
		return res, fmt.Errorf("handoff: drain after transfer: %w", err)
	}
	return res, nil
}

// reassignTx gives an assigned handoff to another agent whose row the caller has locked; the
// customer is told who joined, the receiver's reply timer starts now.
func reassignTx(ctx context.Context, tx pgx.Tx, hid int64, c conversation.Conversation, to agentState, note string) error {
	if _, err := tx.Exec(ctx, `UPDATE handoffs SET claimed_by = $2, claimed_at = now(), auto_assigned = false, note = $3,
		accepted_at = now() WHERE id = $1`, hid, to.ID, note); err != nil {
		return fmt.Errorf("handoff: transfer: %w", err)
	}
	if _, err := tx.Exec(ctx, `UPDATE users SET last_assigned_at = now() WHERE id = $1`, to.ID); err != nil {
		return fmt.Errorf("handoff: transfer: %w", err)
	}
	if err := conversation.SetStatusTx(ctx, tx, c.ID, conversation.StatusAssigned, c.HandoffReason, &to.ID); err != nil {
		return err
	}
	_, _, err := conversation.AppendTx(ctx, tx, c.ID, conversation.NewMessage{
		Sender: conversation.SenderSystem, Text: fmt.Sprintf(systemText(c.Language, "joined"), to.Name), BotDone: true,
	})
	return err
}

// requeueTx puts an assigned handoff back in the queue under skill; the sender is excluded from
// routing it (they may still claim it themselves).
func requeueTx(ctx context.Context, tx pgx.Tx, hid int64, c conversation.Conversation, from int64, skill, note string) error {
	if _, err := tx.Exec(ctx, `UPDATE handoffs SET status = 'queued', skill = $2, claimed_by = NULL, claimed_at = NULL,
		auto_assigned = false, note = $3,
		lapsed_by = CASE WHEN $4::bigint = ANY(lapsed_by) THEN lapsed_by ELSE array_append(lapsed_by, $4::bigint) END
		WHERE id = $1`, hid, skill, note, from); err != nil {
		return fmt.Errorf("handoff: transfer: %w", err)
	}
	if err := conversation.SetStatusTx(ctx, tx, c.ID, conversation.StatusQueued, c.HandoffReason, nil); err != nil {
		return err
	}
	lang := 0
	if c.Language == "zh" {
		lang = 1
	}
	_, _, err := conversation.AppendTx(ctx, tx, c.ID, conversation.NewMessage{
		Sender: conversation.SenderSystem, Text: transferTexts["to_team"][lang], BotDone: true,
	})
	return err
}

// checkSkillTx accepts a skill some agent has or a team is configured for.
func checkSkillTx(ctx context.Context, tx pgx.Tx, skill string) error {
	var ok bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM users WHERE $1 = ANY(skills) AND role IN ('agent', 'supervisor', 'admin'))
		OR EXISTS (SELECT 1 FROM routing_teams WHERE skill = $1)`, skill).Scan(&ok)
	if err != nil {
		return fmt.Errorf("handoff: check skill: %w", err)
	}
	if !ok {
		return fmt.Errorf("%w: no team has the skill %q", ErrInvalid, skill)
	}
	return nil
}

// Colleague is a staff member who takes conversations, as mention and transfer pickers show them.
type Colleague struct {
	ID        int64    `json:"id"`
	Name      string   `json:"name"`
	Email     string   `json:"email"`
	Presence  string   `json:"presence"`
	Load      int      `json:"load"`
	Capacity  int      `json:"capacity"`
	Skills    []string `json:"skills"`
	Languages []string `json:"languages"`
	// Available: online with spare capacity, so a transfer to them succeeds.
	Available bool `json:"available"`
}

// Colleagues lists agents and admins whose name or email contains q (all when q is empty),
// online ones first, then by name.
func (s *Store) Colleagues(ctx context.Context, q string, limit int) ([]Colleague, error) {
	q = strings.ToLower(strings.TrimSpace(q))
	rows, err := s.pool.Query(ctx, `SELECT u.id, `+fmt.Sprintf(staffName, "u")+`, u.email, u.presence, u.capacity, u.skills, u.languages,
		(SELECT count(*) FROM handoffs h WHERE h.claimed_by = u.id AND h.status = 'assigned')
		FROM users u WHERE u.role IN ('agent', 'supervisor', 'admin')
		  AND ($1 = '' OR strpos(lower(u.name), $1) > 0 OR strpos(lower(u.email), $1) > 0)
		ORDER BY u.presence = 'online' DESC, lower(`+fmt.Sprintf(staffName, "u")+`), u.id LIMIT $2`, q, limit)
	if err != nil {
		return nil, fmt.Errorf("handoff: colleagues: %w", err)
	}
	defer rows.Close()
	out := []Colleague{}
	for rows.Next() {
		var c Colleague
		if err := rows.Scan(&c.ID, &c.Name, &c.Email, &c.Presence, &c.Capacity, &c.Skills, &c.Languages, &c.Load); err != nil {
			return nil, err
		}
		c.Available = c.Presence == PresenceOnline && c.Load < c.Capacity
		out = append(out, c)
	}
	return out, rows.Err()
}

// SkillQueue is a team a conversation can be transferred to.
type SkillQueue struct {
	Skill string `json:"skill"`
	// Available counts the team's online agents with spare capacity.
	Available int `json:"available"`
	Waiting   int `json:"waiting"`
}

// SkillQueues lists every skill an agent has or a team is configured for.
func (s *Store) SkillQueues(ctx context.Context) ([]SkillQueue, error) {
	rows, err := s.pool.Query(ctx, `WITH skills AS (
			SELECT DISTINCT unnest(skills) AS skill FROM users WHERE role IN ('agent', 'supervisor', 'admin')
			UNION SELECT skill FROM routing_teams)
		SELECT s.skill,
			(SELECT count(*) FROM users u WHERE s.skill = ANY(u.skills) AND u.role IN ('agent', 'supervisor', 'admin') AND u.presence = 'online'
				AND (SELECT count(*) FROM handoffs h WHERE h.claimed_by = u.id AND h.status = 'assigned') < u.capacity),
			(SELECT count(*) FROM handoffs h WHERE h.skill = s.skill AND h.status = 'queued')
		FROM skills s ORDER BY s.skill`)
	if err != nil {
		return nil, fmt.Errorf("handoff: skill queues: %w", err)
	}
	defer rows.Close()
	out := []SkillQueue{}
	for rows.Next() {
		var q SkillQueue
		if err := rows.Scan(&q.Skill, &q.Available, &q.Waiting); err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// TransferNote is the latest transfer of a handoff, as the receiver's lists show it.
type TransferNote struct {
	From    string    `json:"from"`
	ToSkill string    `json:"to_skill,omitempty"`
	Note    string    `json:"note"`
	At      time.Time `json:"at"`
}

// TransferNotes returns the latest transfer of each of the given handoffs that has one, by
// conversation id.
func (s *Store) TransferNotes(ctx context.Context, handoffIDs []int64) (map[string]TransferNote, error) {
	out := map[string]TransferNote{}
	if len(handoffIDs) == 0 {
		return out, nil
	}
	rows, err := s.pool.Query(ctx, `SELECT DISTINCT ON (t.handoff_id) t.conversation_id, `+fmt.Sprintf(staffName, "a")+`,
		COALESCE(t.to_skill, ''), t.text, t.created_at
		FROM conversation_timeline t LEFT JOIN users a ON a.id = t.author_id
		WHERE t.kind = 'transfer' AND t.handoff_id = ANY($1)
		ORDER BY t.handoff_id, t.id DESC`, handoffIDs)
	if err != nil {
		return nil, fmt.Errorf("handoff: transfer notes: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var conv string
		var from *string
		var n TransferNote
		if err := rows.Scan(&conv, &from, &n.ToSkill, &n.Note, &n.At); err != nil {
			return nil, err
		}
		if from != nil {
			n.From = *from
		}
		out[conv] = n
	}
	return out, rows.Err()
}

// heldHandoffs lists the ids of the handoffs an agent holds.
func (s *Store) heldHandoffs(ctx context.Context, agentID int64) ([]int64, error) {
	rows, err := s.pool.Query(ctx, `SELECT id FROM handoffs WHERE status = 'assigned' AND claimed_by = $1`, agentID)
	if err != nil {
		return nil, fmt.Errorf("handoff: held handoffs: %w", err)
	}
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return nil, fmt.Errorf("handoff: held handoffs: %w", err)
	}
	return ids, nil
}

// Collab is what the workbench lists add to an agent's conversations: unread counts and the
// note of the transfer that brought each one.
type Collab struct {
	Unread    map[string]int
	Transfers map[string]TransferNote
}

// CollabForAgent gathers Collab for the conversations an agent holds.
func (s *Store) CollabForAgent(ctx context.Context, agentID int64) (Collab, error) {
	unread, err := s.UnreadCounts(ctx, agentID)
	if err != nil {
		return Collab{}, err
	}
	ids, err := s.heldHandoffs(ctx, agentID)
	if err != nil {
		return Collab{}, err
	}
	notes, err := s.TransferNotes(ctx, ids)
	return Collab{Unread: unread, Transfers: notes}, err
}
