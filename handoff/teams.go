package handoff

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// Team is how one skill's team gets work: its routing mode and business hours.
type Team struct {
	Skill    string    `json:"skill"`
	Mode     string    `json:"mode"`
	TimeZone string    `json:"time_zone"`
	Hours    WeekHours `json:"hours"` // null: always open
	// OpenNow and OpensAt are the hours read at the time of the request.
	OpenNow bool       `json:"open_now"`
	OpensAt *time.Time `json:"opens_at,omitempty"`
}

// TeamSpec changes a team; nil fields stay as they are. Hours is the raw JSON: absent keeps the
// hours, null makes the team always open.
type TeamSpec struct {
	Mode     *string         `json:"mode"`
	TimeZone *string         `json:"time_zone"`
	Hours    json.RawMessage `json:"hours"`
}

type rowQuerier interface {
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// teamGet reads a team; a skill without a row auto-assigns and is always open.
func teamGet(ctx context.Context, q rowQuerier, skill string) (Team, Schedule, error) {
	t := Team{Skill: skill, Mode: ModeAuto, TimeZone: "UTC"}
	var hours []byte
	err := q.QueryRow(ctx, `SELECT mode, time_zone, hours FROM routing_teams WHERE skill = $1`, skill).Scan(&t.Mode, &t.TimeZone, &hours)
	if err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return t, Schedule{}, fmt.Errorf("handoff: team: %w", err)
	}
	if len(hours) > 0 && string(hours) != "null" {
		if err := json.Unmarshal(hours, &t.Hours); err != nil {
			return t, Schedule{}, fmt.Errorf("handoff: team %s hours: %w", skill, err)
		}
	}
	sched, err := ParseSchedule(t.TimeZone, t.Hours)
	if err != nil {
		return t, Schedule{}, fmt.Errorf("handoff: team %s: %w", skill, err)
	}
	t.withNow(sched, time.Now())
	return t, sched, nil
}

// scheduleOf parses a team's stored time zone and hours (JSON, NULL for always open).
func scheduleOf(tz string, hours []byte) (Schedule, error) {
	var h WeekHours
	if len(hours) > 0 && string(hours) != "null" {
		if err := json.Unmarshal(hours, &h); err != nil {
			return Schedule{}, fmt.Errorf("handoff: team hours: %w", err)
		}
	}
	return ParseSchedule(tz, h)
}

func (t *Team) withNow(s Schedule, now time.Time) {
	next, ok := s.NextOpen(now)
	t.OpenNow = ok && next.Equal(now)
	if ok && !t.OpenNow {
		t.OpensAt = &next
	}
}

// TeamGet returns one skill's team.
func (s *Store) TeamGet(ctx context.Context, skill string) (Team, error) {
	t, _, err := teamGet(ctx, s.pool, skill)
	return t, err
}

// Teams lists every team that has settings or agents, by skill.
func (s *Store) Teams(ctx context.Context) ([]Team, error) {
	rows, err := s.pool.Query(ctx, `SELECT skill FROM routing_teams
		UNION SELECT unnest(skills) FROM users WHERE role IN ('agent', 'admin') ORDER BY 1`)
	if err != nil {
		return nil, fmt.Errorf("handoff: teams: %w", err)
	}
	skills, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("handoff: teams: %w", err)
	}
	out := make([]Team, 0, len(skills))
	for _, sk := range skills {
		t, _, err := teamGet(ctx, s.pool, sk)
		if err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, nil
}

// TeamSet changes a skill's routing mode (auto or pull), time zone and business hours. Switching
// to auto drains the queue to the team's free agents.
func (s *Store) TeamSet(ctx context.Context, skill string, spec TeamSpec) (Team, error) {
	if skill == "" || utf8.RuneCountInString(skill) > 64 {
		return Team{}, fmt.Errorf("%w: a skill is 1 to 64 characters", ErrInvalid)
	}
	t, _, err := teamGet(ctx, s.pool, skill)
	if err != nil {
		return Team{}, err
	}
	if spec.Mode != nil {
		if *spec.Mode != ModeAuto && *spec.Mode != ModePull {
			return Team{}, fmt.Errorf("%w: mode %q (auto or pull)", ErrInvalid, *spec.Mode)
		}
		t.Mode = *spec.Mode
	}
	if spec.TimeZone != nil {
		t.TimeZone = *spec.TimeZone
	}
	if spec.Hours != nil {
		var h WeekHours
		if err := json.Unmarshal(spec.Hours, &h); err != nil {
			return Team{}, fmt.Errorf("%w: hours must be null or an object such as {\"mon\": [\"09:00-18:00\"]}", ErrInvalid)
		}
		t.Hours = h
	}
	sched, err := ParseSchedule(t.TimeZone, t.Hours)
	if err != nil {
		return Team{}, err
	}
	var hours *string
	if t.Hours != nil {
		b, _ := json.Marshal(t.Hours)
		v := string(b)
		hours = &v
	}
	if _, err := s.pool.Exec(ctx, `INSERT INTO routing_teams (skill, mode, time_zone, hours) VALUES ($1, $2, $3, $4)
		ON CONFLICT (skill) DO UPDATE SET mode = EXCLUDED.mode, time_zone = EXCLUDED.time_zone, hours = EXCLUDED.hours`,
		skill, t.Mode, t.TimeZone, hours); err != nil {
		return Team{}, fmt.Errorf("handoff: set team: %w", err)
	}
	t.OpensAt = nil
	t.withNow(sched, time.Now())
	if t.Mode == ModeAuto {
		if _, err := s.DrainAll(ctx); err != nil {
			return Team{}, err
		}
	}
	return t, nil
}

// TeamModeSet chooses how a skill's team gets work: auto-assign or pull.
func (s *Store) TeamModeSet(ctx context.Context, skill, mode string) error {
	_, err := s.TeamSet(ctx, skill, TeamSpec{Mode: &mode})
	return err
}
