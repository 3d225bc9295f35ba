package handoff

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/events"
)

// Agent presences.
const (
	PresenceOnline  = "online"
	PresenceAway    = "away"
	PresenceOffline = "offline"
)

// Team routing modes: auto-assign to an agent, or let agents pull from the queue.
const (
	ModeAuto = "auto"
	ModePull = "pull"
)

// ErrInvalid means a profile or presence value the router cannot use.
var ErrInvalid = errors.New("handoff: invalid routing value")

// Profile is what the router knows about an agent.
type Profile struct {
	AgentID    int64      `json:"agent_id"`
	Skills     []string   `json:"skills"`
	Languages  []string   `json:"languages"`
	Capacity   int        `json:"capacity"`
	Presence   string     `json:"presence"`
	LastSeenAt *time.Time `json:"last_seen_at,omitempty"`
	Load       int        `json:"load"`
}

// ProfileSpec changes an agent's routing profile; nil fields stay as they are.
type ProfileSpec struct {
	Skills    []string `json:"skills"`
	Languages []string `json:"languages"`
	Capacity  *int     `json:"capacity"`
}

// ProfileGet returns an agent's routing profile.
func (s *Store) ProfileGet(ctx context.Context, agentID int64) (Profile, error) {
	p := Profile{AgentID: agentID}
	err := s.pool.QueryRow(ctx, `SELECT skills, languages, capacity, presence, last_seen_at,
		(SELECT count(*) FROM handoffs h WHERE h.claimed_by = u.id AND h.status = 'assigned')
		FROM users u WHERE id = $1`, agentID).Scan(&p.Skills, &p.Languages, &p.Capacity, &p.Presence, &p.LastSeenAt, &p.Load)
	if errors.Is(err, pgx.ErrNoRows) {
		return p, ErrNotFound
	}
	if err != nil {
		return p, fmt.Errorf("handoff: profile: %w", err)
	}
	return p, nil
}

// ProfileSet changes an agent's skills, languages or capacity; more room drains the queue to them.
func (s *Store) ProfileSet(ctx context.Context, agentID int64, spec ProfileSpec) (Profile, error) {
	if spec.Capacity != nil && (*spec.Capacity < 0 || *spec.Capacity > 100) {
		return Profile{}, fmt.Errorf("%w: capacity must be between 0 and 100", ErrInvalid)
	}
	for _, l := range spec.Languages {
		if !slices.Contains([]string{"zh", "en"}, l) {
			return Profile{}, fmt.Errorf("%w: language %q (zh or en)", ErrInvalid, l)
		}
	}
	tag, err := s.pool.Exec(ctx, `UPDATE users SET skills = COALESCE($2, skills), languages = COALESCE($3, languages),
		capacity = COALESCE($4, capacity) WHERE id = $1`, agentID, spec.Skills, spec.Languages, spec.Capacity)
	if err != nil {
		return Profile{}, fmt.Errorf("handoff: set profile: %w", err)
	}
	if tag.RowsAffected() == 0 {
		return Profile{}, ErrNotFound
	}
	if _, err := s.DrainAgent(ctx, agentID); err != nil {
		return Profile{}, err
	}
	return s.ProfileGet(ctx, agentID)
}

// PresenceSet records an agent's presence and that they were seen now. Coming online drains the
// queue to them at once.
func (s *Store) PresenceSet(ctx context.Context, agentID int64, presence string) (Profile, error) {
	if !slices.Contains([]string{PresenceOnline, PresenceAway, PresenceOffline}, presence) {
		return Profile{}, fmt.Errorf("%w: presence %q (online, away or offline)", ErrInvalid, presence)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE users SET presence = $2, last_seen_at = now() WHERE id = $1`, agentID, presence)
		if err != nil {
			return fmt.Errorf("handoff: set presence: %w", err)
		}
		if tag.RowsAffected() == 0 {
			return ErrNotFound
		}
		if _, err := DrainAgentTx(ctx, tx, agentID); err != nil {
			return err
		}
		return events.Notify(ctx, tx, events.Event{Topic: events.QueueTopic, Kind: "presence"})
	})
	if err != nil {
		return Profile{}, known("presence", err)
	}
	return s.ProfileGet(ctx, agentID)
}

// Heartbeat records that an agent's workbench is still open.
func (s *Store) Heartbeat(ctx context.Context, agentID int64) error {
	if _, err := s.pool.Exec(ctx, `UPDATE users SET last_seen_at = now() WHERE id = $1`, agentID); err != nil {
		return fmt.Errorf("handoff: heartbeat: %w", err)
	}
	return nil
}

// PresenceSweep marks away every online agent not seen for grace (a closed browser) and returns them.
func (s *Store) PresenceSweep(ctx context.Context, grace time.Duration) (int, error) {
	tag, err := s.pool.Exec(ctx, `UPDATE users SET presence = 'away'
		WHERE presence = 'online' AND (last_seen_at IS NULL OR last_seen_at < now() - make_interval(secs => $1))`, grace.Seconds())
	if err != nil {
		return 0, fmt.Errorf("handoff: presence sweep: %w", err)
	}
	return int(tag.RowsAffected()), nil
}
