package customer

import (
	"errors"
	"net/http"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/audit"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/httpx"
	"github.com/baton-cs/baton/internal/pii"
)

// API serves the customer 360 to agents.
type API struct {
	Store *Store
	// Privacy masks contact details for agents when the admin says so (nil: never).
	Privacy *audit.Privacy
}

var uuidShape = regexp.MustCompile(`^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$`)

const maxField = 200

// Get returns a customer's profile and conversations.
func (a *API) Get(c *gin.Context) {
	id := c.Param("id")
	if !uuidShape.MatchString(id) {
		httpx.Error(c, http.StatusNotFound, "customer not found")
		return
	}
	v, err := a.Store.Get(c.Request.Context(), id)
	if errors.Is(err, ErrNotFound) {
		httpx.Error(c, http.StatusNotFound, "customer not found")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	u, _ := auth.CurrentUser(c)
	mask, err := a.Privacy.MaskContacts(c.Request.Context(), u)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	if mask {
		v.ContactMasked = v.Customer.Email != "" || v.Customer.Phone != ""
		v.Customer.Email, v.Customer.Phone = audit.MaskEmail(v.Customer.Email), audit.MaskPhone(v.Customer.Phone)
		for i := range v.Conversations {
			v.Conversations[i].Topic = pii.Mask(v.Conversations[i].Topic)
		}
	}
	c.JSON(http.StatusOK, v)
}

// Contact is GET /api/v1/customers/:id/contact: the customer's e-mail and phone in full, for an
// agent who sees them masked; each call is audited ("customer.reveal").
func (a *API) Contact(c *gin.Context) {
	id := c.Param("id")
	if !uuidShape.MatchString(id) {
		httpx.Error(c, http.StatusNotFound, "customer not found")
		return
	}
	cust, err := a.Store.convs.CustomerGet(c.Request.Context(), id)
	if errors.Is(err, conversation.ErrNotFound) {
		httpx.Error(c, http.StatusNotFound, "customer not found")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"id": cust.ID, "email": cust.Email, "phone": cust.Phone})
}

// UpdateProfile changes a customer's name, e-mail, phone or language; the VIP tier, which raises
// the priority of their handoffs, only an admin may change.
func (a *API) UpdateProfile(c *gin.Context) {
	id := c.Param("id")
	if !uuidShape.MatchString(id) {
		httpx.Error(c, http.StatusNotFound, "customer not found")
		return
	}
	var in Update
	if !httpx.BindJSON(c, &in, 8<<10) {
		return
	}
	if in.VIPTier != nil {
		if u, _ := auth.CurrentUser(c); u.Role != auth.RoleAdmin {
			httpx.Error(c, http.StatusForbidden, "only an admin may change a customer's VIP tier")
			return
		}
	}
	if msg := normalize(&in); msg != "" {
		httpx.Error(c, http.StatusBadRequest, msg)
		return
	}
	cust, err := a.Store.UpdateProfile(c.Request.Context(), id, in)
	if errors.Is(err, ErrNotFound) {
		httpx.Error(c, http.StatusNotFound, "customer not found")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	// The answer is the customer as stored: masked like the 360 for an agent who may not see
	// contact details (an empty update must not be a way to read them).
	u, _ := auth.CurrentUser(c)
	mask, err := a.Privacy.MaskContacts(c.Request.Context(), u)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	if mask {
		cust.Email, cust.Phone = audit.MaskEmail(cust.Email), audit.MaskPhone(cust.Phone)
	}
	c.JSON(http.StatusOK, gin.H{"customer": cust})
}

// normalize trims the update's fields and returns what is wrong with it, if anything.
func normalize(u *Update) string {
	for _, f := range []*string{u.Name, u.Email, u.Phone, u.Language, u.VIPTier} {
		if f == nil {
			continue
		}
		*f = strings.TrimSpace(*f)
		if utf8.RuneCountInString(*f) > maxField {
			return "customer fields must be at most 200 characters"
		}
	}
	if u.Email != nil && *u.Email != "" && !strings.Contains(*u.Email, "@") {
		return "email is not an email address"
	}
	if u.Phone != nil && *u.Phone != "" {
		if !conversation.ValidPhone(*u.Phone) {
			return "phone is not a phone number"
		}
		*u.Phone = conversation.NormalizePhone(*u.Phone)
	}
	if u.Language != nil && *u.Language != "" && *u.Language != "zh" && *u.Language != "en" {
		return `language must be "zh" or "en"`
	}
	return ""
}
