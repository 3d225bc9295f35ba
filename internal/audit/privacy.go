package audit

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/httpx"
	"github.com/baton-cs/baton/internal/pii"
)

// Settings are the admin's privacy settings (migration 0027).
type Settings struct {
	// MaskContactsForAgents: agents see a customer's e-mail and phone masked, and reveal them one
	// customer at a time (audited as "customer.reveal"). Supervisors and admins see them in full.
	MaskContactsForAgents bool       `json:"mask_contacts_for_agents"`
	UpdatedAt             *time.Time `json:"updated_at,omitempty"`
}

// Privacy reads and changes the settings; a read is cached for a few seconds.
type Privacy struct {
	Pool *pgxpool.Pool

	mu     sync.Mutex
	cached Settings
	at     time.Time
}

const privacyCache = 2 * time.Second

// Get returns the settings.
func (p *Privacy) Get(ctx context.Context) (Settings, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.at.IsZero() && time.Since(p.at) < privacyCache {
		return p.cached, nil
	}
	var s Settings
	err := p.Pool.QueryRow(ctx, `SELECT mask_contacts_for_agents, updated_at FROM privacy_settings`).
		Scan(&s.MaskContactsForAgents, &s.UpdatedAt)
	if errors.Is(err, pgx.ErrNoRows) { // never set (or the row was emptied): the defaults
		err = nil
	}
	if err != nil {
		return Settings{}, fmt.Errorf("audit: privacy settings: %w", err)
	}
	p.cached, p.at = s, time.Now()
	return s, nil
}

// MaskContacts says whether u sees customers' contact details masked: an agent, while the
// setting is on. A nil Privacy masks nothing.
func (p *Privacy) MaskContacts(ctx context.Context, u auth.User) (bool, error) {
	if p == nil || u.Role != auth.RoleAgent {
		return false, nil
	}
	s, err := p.Get(ctx)
	return s.MaskContactsForAgents, err
}

// MaskEmail and MaskPhone mask a customer's contact fields.
func MaskEmail(v string) string { return pii.MaskValue(pii.Email, v) }

// MaskPhone masks a phone number field.
func MaskPhone(v string) string { return pii.MaskValue(pii.Phone, v) }

// GetSettings is GET /api/v1/privacy.
func (p *Privacy) GetSettings(c *gin.Context) {
	s, err := p.Get(c.Request.Context())
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, s)
}

// PutSettings is PUT /api/v1/privacy {"mask_contacts_for_agents": bool}.
func (p *Privacy) PutSettings(c *gin.Context) {
	var in struct {
		MaskContactsForAgents *bool `json:"mask_contacts_for_agents"`
	}
	if !httpx.BindJSON(c, &in, 4<<10) {
		return
	}
	if in.MaskContactsForAgents == nil {
		httpx.Error(c, http.StatusBadRequest, "mask_contacts_for_agents (true or false) is required")
		return
	}
	u, _ := auth.CurrentUser(c)
	if _, err := p.Pool.Exec(c.Request.Context(), `INSERT INTO privacy_settings (id, mask_contacts_for_agents, updated_by)
		VALUES (true, $1, $2) ON CONFLICT (id) DO UPDATE SET mask_contacts_for_agents = $1, updated_by = $2, updated_at = now()`,
		*in.MaskContactsForAgents, u.ID); err != nil {
		httpx.Internal(c, err)
		return
	}
	Detail(c, "mask_contacts_for_agents", *in.MaskContactsForAgents)
	p.mu.Lock()
	p.at = time.Time{}
	p.mu.Unlock()
	p.GetSettings(c)
}
