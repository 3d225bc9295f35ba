package outbound

import (
	"errors"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/httpx"
)

// Events a webhook may subscribe to.
var Events = []string{"conversation.created", "conversation.handed_off", "conversation.resolved",
	"ticket.created", "ticket.updated", "ticket.solved", "csat.rated"}

// Admin serves the configuration of webhooks and channels (admins only).
type Admin struct {
	Pool *pgxpool.Pool
	// Wake tells the dispatcher to look now (a test's shortcut; nil: it looks every second anyway).
	Wake chan struct{}
}

// Webhook is one subscriber. Its secret is shown once, when it is made.
type Webhook struct {
	ID        int64     `json:"id"`
	URL       string    `json:"url"`
	Events    []string  `json:"events"`
	Active    bool      `json:"active"`
	CreatedAt time.Time `json:"created_at"`
}

// Channel is a messaging platform's connection. Its secret is shown once, when it is made.
type Channel struct {
	Name        string    `json:"name"`
	DisplayName string    `json:"display_name"`
	OutboundURL string    `json:"outbound_url"`
	Active      bool      `json:"active"`
	CreatedAt   time.Time `json:"created_at"`
}

// Delivery is one attempt record of the outbox.
type Delivery struct {
	ID            int64      `json:"id"`
	Event         string     `json:"event"`
	Attempts      int        `json:"attempts"`
	CreatedAt     time.Time  `json:"created_at"`
	NextAttemptAt *time.Time `json:"next_attempt_at,omitempty"`
	DeliveredAt   *time.Time `json:"delivered_at,omitempty"`
	FailedAt      *time.Time `json:"failed_at,omitempty"`
	LastError     string     `json:"last_error,omitempty"`
}

// checkURL accepts an absolute http(s) URL of at most 500 characters.
func checkURL(s string) (string, bool) {
	s = strings.TrimSpace(s)
	u, err := url.Parse(s)
	if err != nil || len(s) > 500 || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", false
	}
	return s, true
}

// CreateWebhook is POST /api/v1/webhooks {url, events}.
func (a *Admin) CreateWebhook(c *gin.Context) {
	var in struct {
		URL    string   `json:"url"`
		Events []string `json:"events"`
	}
	if !httpx.BindJSON(c, &in, 8<<10) {
		return
	}
	u, ok := checkURL(in.URL)
	if !ok {
		httpx.Error(c, http.StatusBadRequest, "url must be an absolute http or https URL of at most 500 characters")
		return
	}
	if len(in.Events) == 0 {
		httpx.Errorf(c, http.StatusBadRequest, "events must name at least one of %s", strings.Join(Events, ", "))
		return
	}
	for _, e := range in.Events {
		if !known(e) {
			httpx.Errorf(c, http.StatusBadRequest, "unknown event %q: events are %s", e, strings.Join(Events, ", "))
			return
		}
	}
	user, _ := auth.CurrentUser(c)
	secret := NewSecret()
	var w Webhook
	err := a.Pool.QueryRow(c.Request.Context(), `INSERT INTO webhooks (url, secret, events, created_by) VALUES ($1, $2, $3, $4)
		RETURNING id, url, events, active, created_at`, u, secret, in.Events, user.ID).Scan(&w.ID, &w.URL, &w.Events, &w.Active, &w.CreatedAt)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"webhook": w, "secret": secret})
}

func known(e string) bool {
	for _, k := range Events {
		if e == k {
			return true
		}
	}
	return false
}

// ListWebhooks is GET /api/v1/webhooks.
func (a *Admin) ListWebhooks(c *gin.Context) {
	rows, err := a.Pool.Query(c.Request.Context(), `SELECT id, url, events, active, created_at FROM webhooks ORDER BY id`)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Webhook, error) {
		var w Webhook
		return w, r.Scan(&w.ID, &w.URL, &w.Events, &w.Active, &w.CreatedAt)
	})
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"webhooks": out})
}

// DeleteWebhook is DELETE /api/v1/webhooks/:id; its pending deliveries go with it.
func (a *Admin) DeleteWebhook(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		httpx.Error(c, http.StatusNotFound, "webhook not found")
		return
	}
	tag, err := a.Pool.Exec(c.Request.Context(), `DELETE FROM webhooks WHERE id = $1`, id)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	if tag.RowsAffected() == 0 {
		httpx.Error(c, http.StatusNotFound, "webhook not found")
		return
	}
	c.Status(http.StatusNoContent)
}

// WebhookDeliveries is GET /api/v1/webhooks/:id/deliveries: the latest 100, newest first.
func (a *Admin) WebhookDeliveries(c *gin.Context) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		httpx.Error(c, http.StatusNotFound, "webhook not found")
		return
	}
	var exists bool
	if err := a.Pool.QueryRow(c.Request.Context(), `SELECT EXISTS (SELECT 1 FROM webhooks WHERE id = $1)`, id).Scan(&exists); err != nil {
		httpx.Internal(c, err)
		return
	}
	if !exists {
		httpx.Error(c, http.StatusNotFound, "webhook not found")
		return
	}
	a.deliveries(c, `webhook_id = $1`, id)
}

// ChannelDeliveries is GET /api/v1/channels/:name/deliveries: the latest 100, newest first.
func (a *Admin) ChannelDeliveries(c *gin.Context) {
	var exists bool
	if err := a.Pool.QueryRow(c.Request.Context(), `SELECT EXISTS (SELECT 1 FROM channels WHERE name = $1)`, c.Param("name")).Scan(&exists); err != nil {
		httpx.Internal(c, err)
		return
	}
	if !exists {
		httpx.Error(c, http.StatusNotFound, "channel not found")
		return
	}
	a.deliveries(c, `channel = $1`, c.Param("name"))
}

func (a *Admin) deliveries(c *gin.Context, where string, arg any) {
	rows, err := a.Pool.Query(c.Request.Context(), `SELECT id, event, attempts, created_at,
		CASE WHEN delivered_at IS NULL AND failed_at IS NULL THEN next_attempt_at END, delivered_at, failed_at, last_error
		FROM deliveries WHERE `+where+` ORDER BY id DESC LIMIT 100`, arg)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Delivery, error) {
		var d Delivery
		return d, r.Scan(&d.ID, &d.Event, &d.Attempts, &d.CreatedAt, &d.NextAttemptAt, &d.DeliveredAt, &d.FailedAt, &d.LastError)
	})
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"deliveries": out})
}

var channelName = regexp.MustCompile(`^[a-z][a-z0-9_-]{1,30}$`)

// CreateChannel is POST /api/v1/channels {name, display_name, outbound_url}.
func (a *Admin) CreateChannel(c *gin.Context) {
	var in struct {
		Name        string `json:"name"`
		DisplayName string `json:"display_name"`
		OutboundURL string `json:"outbound_url"`
	}
	if !httpx.BindJSON(c, &in, 8<<10) {
		return
	}
	switch in.Name {
	case "web", "api", "eval", "email":
		httpx.Errorf(c, http.StatusBadRequest, "name %q is Baton's own channel", in.Name)
		return
	}
	if !channelName.MatchString(in.Name) {
		httpx.Error(c, http.StatusBadRequest, "name must be 2–31 lower-case letters, digits, - or _, starting with a letter")
		return
	}
	u, ok := checkURL(in.OutboundURL)
	if !ok {
		httpx.Error(c, http.StatusBadRequest, "outbound_url must be an absolute http or https URL of at most 500 characters")
		return
	}
	if len([]rune(in.DisplayName)) > 100 {
		httpx.Error(c, http.StatusBadRequest, "display_name must be at most 100 characters")
		return
	}
	secret := NewSecret()
	var ch Channel
	err := a.Pool.QueryRow(c.Request.Context(), `INSERT INTO channels (name, display_name, secret, outbound_url) VALUES ($1, $2, $3, $4)
		RETURNING name, display_name, outbound_url, active, created_at`, in.Name, strings.TrimSpace(in.DisplayName), secret, u).
		Scan(&ch.Name, &ch.DisplayName, &ch.OutboundURL, &ch.Active, &ch.CreatedAt)
	var pgErr *pgconn.PgError
	if errors.As(err, &pgErr) && pgErr.Code == "23505" {
		httpx.Errorf(c, http.StatusConflict, "a channel named %q exists", in.Name)
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"channel": ch, "secret": secret})
}

// ListChannels is GET /api/v1/channels.
func (a *Admin) ListChannels(c *gin.Context) {
	rows, err := a.Pool.Query(c.Request.Context(), `SELECT name, display_name, outbound_url, active, created_at FROM channels ORDER BY name`)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Channel, error) {
		var ch Channel
		return ch, r.Scan(&ch.Name, &ch.DisplayName, &ch.OutboundURL, &ch.Active, &ch.CreatedAt)
	})
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"channels": out})
}

// DeleteChannel is DELETE /api/v1/channels/:name: it stops taking and sending messages; its
// conversations stay, with their channel's name.
func (a *Admin) DeleteChannel(c *gin.Context) {
	tag, err := a.Pool.Exec(c.Request.Context(), `DELETE FROM channels WHERE name = $1`, c.Param("name"))
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	if tag.RowsAffected() == 0 {
		httpx.Error(c, http.StatusNotFound, "channel not found")
		return
	}
	c.Status(http.StatusNoContent)
}
