package handoff

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
)

// Which waiting conversation does an agent who comes online with room for one get? The one she
// can answer (skill, language) with the highest priority, the oldest of equal priority.
func TestRouteDecisionsPriority(t *testing.T) {
	type waiting struct {
		skill, lang string
		priority    int
	}
	cases := []struct {
		name    string
		agent   agentOpts
		waiting []waiting
		want    int // index into waiting
	}{
		{"highest priority first", agentOpts{}, []waiting{{"general", "en", 0}, {"general", "en", 20}, {"general", "en", 10}}, 1},
		{"oldest of equal priority", agentOpts{}, []waiting{{"general", "en", 10}, {"general", "en", 10}}, 0},
		{"priority among her skills", agentOpts{Skills: []string{"billing"}}, []waiting{{"general", "en", 30}, {"billing", "en", 0}, {"billing", "en", 5}}, 2},
		{"priority among her languages", agentOpts{Languages: []string{"zh"}}, []waiting{{"general", "en", 30}, {"general", "zh", 0}}, 1},
		{"several skills, one queue order", agentOpts{Skills: []string{"billing", "general"}}, []waiting{{"general", "en", 10}, {"billing", "en", 20}, {"returns", "en", 50}}, 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pool := dbtest.New(t)
			ctx := context.Background()
			s := NewStore(pool, nil)
			var convs []string
			for _, w := range tc.waiting {
				convs = append(convs, newHandoff(t, pool, w.skill, w.lang, w.priority))
			}
			tc.agent.Capacity, tc.agent.Presence = 1, PresenceOffline
			ann := newAgent(t, pool, "ann", tc.agent)
			_, err := s.PresenceSet(ctx, ann.ID, PresenceOnline)
			require.NoError(t, err)
			for i, conv := range convs {
				want := ""
				if i == tc.want {
					want = "ann"
				}
				require.Equal(t, want, holder(t, pool, conv), "waiting[%d]", i)
			}
		})
	}
}

// A handoff inside or outside its team's business hours, with or without an agent online.
func TestRouteDecisionsBusinessHours(t *testing.T) {
	cases := []struct {
		name        string
		open        bool
		online      bool
		wantHeld    bool
		wantLeftMsg bool
	}{
		{"open, agent online: offered", true, true, true, false},
		{"open, nobody online: waits", true, false, false, false},
		{"closed, agent online: offered anyway", false, true, true, false},
		{"closed, nobody online: a left message", false, false, false, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			pool := dbtest.New(t)
			ctx := context.Background()
			s := NewStore(pool, nil)
			// Open all week, or only on a day that is neither today nor tomorrow anywhere on Earth.
			hours := WeekHours{}
			for _, d := range Days {
				hours[d] = []string{"00:00-24:00"}
			}
			if !tc.open {
				far := Days[(int(time.Now().UTC().Weekday())+6+3)%7]
				hours = WeekHours{far: {"09:00-17:00"}}
			}
			raw, _ := json.Marshal(hours)
			tz := "Europe/Berlin"
			_, err := s.TeamSet(ctx, "general", TeamSpec{TimeZone: &tz, Hours: raw})
			require.NoError(t, err)
			presence := PresenceOffline
			if tc.online {
				presence = PresenceOnline
			}
			newAgent(t, pool, "ann", agentOpts{Presence: presence})
			conv := newHandoff(t, pool, "general", "en", 0)
			require.Equal(t, tc.wantHeld, holder(t, pool, conv) == "ann")
			h, err := s.Latest(ctx, conv)
			require.NoError(t, err)
			require.Equal(t, tc.wantLeftMsg, h.LeftMessage)
			var notices int
			require.NoError(t, pool.QueryRow(ctx, `SELECT count(*) FROM messages WHERE conversation_id = $1
				AND meta->>'kind' = 'after_hours'`, conv).Scan(&notices))
			require.Equal(t, map[bool]int{true: 1, false: 0}[tc.wantLeftMsg], notices, "the bot says when the team is back")
		})
	}
}
