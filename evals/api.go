package evals

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/httpx"
	"github.com/baton-cs/baton/internal/pii"
)

// API is the evaluator's side of a running Baton: test conversations with a chosen customer
// profile, and a trace of what the bot holds after each turn. Conversations made here have
// the channel "eval", so they can be told apart from real customers'.
type API struct {
	Pool  *pgxpool.Pool
	Convs *conversation.Store
}

type evalConvIn struct {
	Language string `json:"language"`
	Customer struct {
		Name    string `json:"name"`
		VIPTier string `json:"vip_tier"`
	} `json:"customer"`
}

// CreateConversation is POST /api/v1/eval/conversations.
func (a *API) CreateConversation(c *gin.Context) {
	var in evalConvIn
	if !httpx.BindJSON(c, &in, 4<<10) {
		return
	}
	if in.Language != "zh" && in.Language != "en" {
		httpx.Error(c, http.StatusBadRequest, `language must be "zh" or "en"`)
		return
	}
	if len(in.Customer.Name) > 200 || len(in.Customer.VIPTier) > 40 {
		httpx.Error(c, http.StatusBadRequest, "customer.name (200) or customer.vip_tier (40) is too long")
		return
	}
	name := strings.TrimSpace(in.Customer.Name)
	if name == "" {
		name = "Eval customer"
	}
	ctx := c.Request.Context()
	cust, token, err := a.Convs.CustomerCreate(ctx, conversation.Customer{Name: name, Language: in.Language})
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	if tier := strings.TrimSpace(in.Customer.VIPTier); tier != "" {
		if _, err := a.Pool.Exec(ctx, `UPDATE customers SET vip_tier = $2 WHERE id = $1`, cust.ID, tier); err != nil {
			httpx.Internal(c, err)
			return
		}
	}
	conv, err := a.Convs.ConversationCreate(ctx, cust.ID, "eval", in.Language)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"conversation": conv, "customer_token": token})
}

// Trace is what the bot holds about a conversation after a turn.
type Trace struct {
	Status        string         `json:"status"`
	HandoffReason string         `json:"handoff_reason,omitempty"`
	Handoffs      []TraceHandoff `json:"handoffs"`
	Task          *TraceTask     `json:"task,omitempty"`
}

// TraceHandoff is one handoff of the conversation, oldest first.
type TraceHandoff struct {
	ID       int64  `json:"id"`
	Reason   string `json:"reason"`
	Skill    string `json:"skill"`
	Priority int    `json:"priority"`
	Status   string `json:"status"`
}

// TraceTask is the task being filled, with its slot values.
type TraceTask struct {
	Intent string            `json:"intent"`
	Asking string            `json:"asking,omitempty"`
	Slots  map[string]string `json:"slots"`
}

// GetTrace is GET /api/v1/eval/conversations/{id}/trace. It reads evaluation conversations only
// (channel "eval"): a real customer's slot values are not the evaluator's to see.
func (a *API) GetTrace(c *gin.Context) {
	ctx := c.Request.Context()
	var tr Trace
	var state []byte
	err := a.Pool.QueryRow(ctx, `SELECT status, COALESCE(handoff_reason, ''), COALESCE(bot_state, '{}'::jsonb)
FROM conversations WHERE id::text = $1 AND channel = 'eval'`, c.Param("id")).Scan(&tr.Status, &tr.HandoffReason, &state)
	if errors.Is(err, pgx.ErrNoRows) {
		httpx.Error(c, http.StatusNotFound, "no such evaluation conversation")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	rows, err := a.Pool.Query(ctx, `SELECT id, reason, skill, priority, status FROM handoffs
WHERE conversation_id::text = $1 ORDER BY id`, c.Param("id"))
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	tr.Handoffs, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (TraceHandoff, error) {
		var h TraceHandoff
		return h, r.Scan(&h.ID, &h.Reason, &h.Skill, &h.Priority, &h.Status)
	})
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	var st struct {
		Task *struct {
			Intent string                            `json:"intent"`
			Asking string                            `json:"asking"`
			Slots  map[string]struct{ Value string } `json:"slots"`
		} `json:"task"`
	}
	if json.Unmarshal(state, &st) == nil && st.Task != nil {
		tr.Task = &TraceTask{Intent: st.Task.Intent, Asking: st.Task.Asking, Slots: map[string]string{}}
		for k, v := range st.Task.Slots {
			tr.Task.Slots[k] = pii.Mask(v.Value) // a phone or e-mail the evaluator typed shows masked
		}
	}
	c.JSON(http.StatusOK, tr)
}
