package server

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

type slaDoc struct {
	Targets []struct {
		MinPriority          int    `json:"min_priority"`
		Name                 string `json:"name"`
		FirstResponseSeconds int    `json:"first_response_seconds"`
		NextResponseSeconds  int    `json:"next_response_seconds"`
	} `json:"targets"`
	WarnFraction float64 `json:"warn_fraction"`
}

type slaStateOut struct {
	Tier     string `json:"tier"`
	Breached bool   `json:"breached"`
	AsOf     string `json:"as_of"`
	Current  *struct {
		Kind      string    `json:"kind"`
		StartedAt time.Time `json:"started_at"`
		DueAt     time.Time `json:"due_at"`
		WarnAt    time.Time `json:"warn_at"`
		Target    int       `json:"target_seconds"`
	} `json:"current"`
}

// Only supervisors and admins see the supervisor's board and the SLA targets; only admins change
// the targets; an agent gets 403 on all of it, a stranger 401.
func TestSupervisorAndSLAAPIAccess(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	agent := ta.user("sla-agent@example.com", "agent")
	sup := ta.user("sla-sup@example.com", "supervisor")
	admin := ta.user("sla-admin@example.com", "admin")
	editor := ta.user("sla-editor@example.com", "editor")
	valid := map[string]any{"targets": []map[string]any{{"min_priority": 0, "name": "all", "first_response_seconds": 90, "next_response_seconds": 45}}}

	for _, tok := range []string{agent, editor} {
		ta.do("GET", "/api/v1/supervisor", tok, nil, 403, nil)
		ta.do("GET", "/api/v1/sla", tok, nil, 403, nil)
		ta.do("PUT", "/api/v1/sla", tok, valid, 403, nil)
		ta.do("POST", "/api/v1/supervisor/conversations/00000000-0000-0000-0000-000000000000/reassign", tok, map[string]any{"queue": true}, 403, nil)
	}
	ta.do("GET", "/api/v1/supervisor", "", nil, 401, nil)
	ta.do("GET", "/api/v1/sla", "", nil, 401, nil)

	// Supervisors read, and work the queue like agents; they do not set targets.
	var doc slaDoc
	ta.do("GET", "/api/v1/sla", sup, nil, 200, &doc)
	require.Len(t, doc.Targets, 3, "the defaults")
	require.Equal(t, []int{20, 10, 0}, []int{doc.Targets[0].MinPriority, doc.Targets[1].MinPriority, doc.Targets[2].MinPriority})
	require.Equal(t, 300, doc.Targets[2].FirstResponseSeconds)
	require.InDelta(t, 0.75, doc.WarnFraction, 1e-9)
	ta.do("PUT", "/api/v1/sla", sup, valid, 403, nil)
	ta.do("GET", "/api/v1/supervisor", sup, nil, 200, nil)
	ta.do("GET", "/api/v1/queue", sup, nil, 200, nil)
	ta.do("GET", "/api/v1/agent/conversations", sup, nil, 200, nil)

	// Admins set them; bad sets are refused whole and change nothing.
	for _, bad := range []any{
		map[string]any{"targets": []any{}},
		map[string]any{"targets": []map[string]any{{"min_priority": 0, "first_response_seconds": 0, "next_response_seconds": 5}}},
		map[string]any{"targets": []map[string]any{{"min_priority": 0, "first_response_seconds": 5, "next_response_seconds": 5, "warn": 1}}},
		map[string]any{"targets": []map[string]any{
			{"min_priority": 0, "first_response_seconds": 5, "next_response_seconds": 5},
			{"min_priority": 0, "first_response_seconds": 9, "next_response_seconds": 9}}},
		"not json",
	} {
		b := ta.do("PUT", "/api/v1/sla", admin, bad, 400, nil)
		require.Contains(t, string(b), `"error"`)
	}
	ta.do("GET", "/api/v1/sla", admin, nil, 200, &doc)
	require.Len(t, doc.Targets, 3, "still the defaults")
	ta.do("PUT", "/api/v1/sla", admin, valid, 200, &doc)
	require.Len(t, doc.Targets, 1)
	ta.do("GET", "/api/v1/sla", sup, nil, 200, &doc)
	require.Equal(t, 90, doc.Targets[0].FirstResponseSeconds)
	require.Equal(t, 45, doc.Targets[0].NextResponseSeconds)
}

// The queue, the agent's list and the context card carry each conversation's running SLA clock:
// due at the handoff plus the tier's target.
func TestQueueAndContextCarrySLA(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	admin := ta.user("sla-admin2@example.com", "admin")
	agent := ta.user("sla-agent2@example.com", "agent")
	ta.do("PUT", "/api/v1/sla", admin, map[string]any{"targets": []map[string]any{
		{"min_priority": 10, "name": "person", "first_response_seconds": 100, "next_response_seconds": 50},
		{"min_priority": 0, "name": "rest", "first_response_seconds": 400, "next_response_seconds": 200},
	}}, 200, nil)

	conv, tok := ta.customer("en")
	ta.say(conv, tok, "I want to talk to a human")
	var q struct {
		Items []struct {
			ConversationID string      `json:"conversation_id"`
			Priority       int         `json:"priority"`
			EnqueuedAt     time.Time   `json:"enqueued_at"`
			SLA            slaStateOut `json:"sla"`
		} `json:"items"`
	}
	ta.do("GET", "/api/v1/queue", agent, nil, 200, &q)
	require.Len(t, q.Items, 1)
	it := q.Items[0]
	require.Equal(t, conv, it.ConversationID)
	require.GreaterOrEqual(t, it.Priority, 10, "asking for a person is priority 10 or more")
	require.Equal(t, "person", it.SLA.Tier)
	require.NotNil(t, it.SLA.Current)
	require.Equal(t, "first_response", it.SLA.Current.Kind)
	require.Equal(t, 100, it.SLA.Current.Target)
	require.True(t, it.SLA.Current.StartedAt.Equal(it.EnqueuedAt))
	require.Equal(t, 100*time.Second, it.SLA.Current.DueAt.Sub(it.EnqueuedAt))
	require.Equal(t, 75*time.Second, it.SLA.Current.WarnAt.Sub(it.EnqueuedAt))
	require.False(t, it.SLA.Breached)
	require.NotEmpty(t, it.SLA.AsOf)

	// Claimed and answered: the first clock stops; the customer's next message starts the next one.
	ta.do("POST", "/api/v1/conversations/"+conv+"/claim", agent, nil, 200, nil)
	var card struct {
		SLA slaStateOut `json:"sla"`
	}
	ta.do("GET", "/api/v1/conversations/"+conv+"/context", agent, nil, 200, &card)
	require.Equal(t, "first_response", card.SLA.Current.Kind, "claiming is not answering")
	ta.do("POST", "/api/v1/conversations/"+conv+"/agent-messages", agent, map[string]string{"text": "Hello, how can I help?"}, 201, nil)
	card.SLA = slaStateOut{}
	ta.do("GET", "/api/v1/conversations/"+conv+"/context", agent, nil, 200, &card)
	require.Nil(t, card.SLA.Current, "answered: nobody waits")
	ta.say(conv, tok, "My parcel is lost")
	var mine struct {
		Items []struct {
			ConversationID string      `json:"conversation_id"`
			SLA            slaStateOut `json:"sla"`
		} `json:"items"`
	}
	ta.do("GET", "/api/v1/agent/conversations", agent, nil, 200, &mine)
	require.Len(t, mine.Items, 1)
	require.NotNil(t, mine.Items[0].SLA.Current)
	require.Equal(t, "next_response", mine.Items[0].SLA.Current.Kind)
	require.Equal(t, 50, mine.Items[0].SLA.Current.Target)
}

// Reassignment over HTTP: to an agent with room, refused at capacity, and input checked.
func TestSupervisorReassignAPI(t *testing.T) {
	ta := newTestApp(t, appOptions{demo: true})
	sup := ta.user("sla-sup3@example.com", "supervisor")
	agent := ta.user("sla-agent3@example.com", "agent")
	var me struct {
		User struct {
			ID int64 `json:"id"`
		} `json:"user"`
	}
	ta.do("GET", "/api/v1/me", agent, nil, 200, &me)
	conv, tok := ta.customer("en")
	ta.say(conv, tok, "I want to talk to a human")
	path := "/api/v1/supervisor/conversations/" + conv + "/reassign"

	ta.do("POST", path, sup, map[string]any{}, 400, nil)
	ta.do("POST", path, sup, map[string]any{"queue": true, "agent_id": me.User.ID}, 400, nil)
	ta.do("POST", path, sup, map[string]any{"agent_id": -3}, 400, nil)
	ta.do("POST", path, sup, map[string]any{"agent_id": 987654}, 400, nil)
	ta.do("POST", "/api/v1/supervisor/conversations/00000000-0000-0000-0000-000000000000/reassign", sup,
		map[string]any{"queue": true}, 404, nil)

	var out convOut
	ta.do("POST", path, sup, map[string]any{"agent_id": me.User.ID}, 200, &out)
	require.Equal(t, "assigned", out.Conversation.Status)
	var board struct {
		Agents []struct {
			ID   int64 `json:"id"`
			Load int   `json:"load"`
		} `json:"agents"`
		Conversations []struct {
			ConversationID string `json:"conversation_id"`
			AgentID        *int64 `json:"agent_id"`
		} `json:"conversations"`
	}
	ta.do("GET", "/api/v1/supervisor", sup, nil, 200, &board)
	require.Len(t, board.Conversations, 1)
	require.Equal(t, me.User.ID, *board.Conversations[0].AgentID)
	for _, a := range board.Agents {
		if a.ID == me.User.ID {
			require.Equal(t, 1, a.Load)
		}
	}

	_, err := ta.DB.Pool.Exec(t.Context(), `UPDATE users SET capacity = 1 WHERE id = $1`, me.User.ID)
	require.NoError(t, err)
	second, tok2 := ta.customer("en")
	ta.say(second, tok2, "I want to talk to a human")
	b := ta.do("POST", "/api/v1/supervisor/conversations/"+second+"/reassign", sup, map[string]any{"agent_id": me.User.ID}, 409, nil)
	require.Contains(t, string(b), "capacity")

	ta.do("POST", path, sup, map[string]any{"queue": true}, 200, &out)
	require.Equal(t, "queued", out.Conversation.Status)
}
