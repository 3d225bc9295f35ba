// Package channel is how customers reach Baton: the REST conversation API, the conversation
// WebSocket and the /chat widget page.
package channel

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/bot"
	"github.com/baton-cs/baton/handoff"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/httpx"
)

// API serves the customer conversation endpoints.
type API struct {
	Convs *conversation.Store
	Turns *bot.Service
	// Queue tells a customer waiting for a person where they stand; nil leaves it out.
	Queue Waiting
	// IdentitySecret verifies customer.user_hash (see IdentityHash); empty: verification off.
	IdentitySecret string
	// EmailToken authenticates the mail provider's inbound posts; empty: no e-mail channel.
	EmailToken string
}

// IdentityHash is the user_hash a site sends with its user's external id: hex HMAC-SHA256 of the
// id under the identity secret, computed on the site's server, where the secret stays.
func IdentityHash(secret, externalID string) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(externalID))
	return hex.EncodeToString(m.Sum(nil))
}

// Waiting tells a waiting customer their place in the queue and the estimated wait.
type Waiting interface {
	QueueInfo(ctx context.Context, convID string) (*handoff.QueueInfo, error)
}

// queueInfo is the conversation's queue information, nil when nobody waits for a person.
func queueInfo(ctx context.Context, w Waiting, conv conversation.Conversation) (*handoff.QueueInfo, error) {
	if w == nil || (conv.Status != conversation.StatusQueued && conv.Status != conversation.StatusAssigned) {
		return nil, nil
	}
	return w.QueueInfo(ctx, conv.ID)
}

type customerIn struct {
	ExternalID string `json:"external_id"`
	// UserHash signs ExternalID (IdentityHash): with it the conversation joins the verified
	// customer with that id, on any channel or device.
	UserHash string `json:"user_hash"`
	Name     string `json:"name"`
	Email    string `json:"email"`
	Phone    string `json:"phone"`
	Language string `json:"language"`
}

type createIn struct {
	Customer customerIn `json:"customer"`
	Channel  string     `json:"channel"`
}

const maxFieldLen = 200

// CreateConversation opens a conversation. Without a customer token it makes a new customer and
// returns its token; with one, the conversation belongs to that customer.
func (a *API) CreateConversation(c *gin.Context) {
	var in createIn
	if !httpx.BindJSON(c, &in, 8<<10) {
		return
	}
	cu := in.Customer
	for _, f := range []string{cu.ExternalID, cu.UserHash, cu.Name, cu.Email, cu.Phone} {
		if utf8.RuneCountInString(f) > maxFieldLen {
			httpx.Errorf(c, http.StatusBadRequest, "customer fields must be at most %d characters", maxFieldLen)
			return
		}
	}
	if cu.Language != "" && cu.Language != "zh" && cu.Language != "en" {
		httpx.Error(c, http.StatusBadRequest, `customer.language must be "zh" or "en"`)
		return
	}
	if cu.Email != "" && !strings.Contains(cu.Email, "@") {
		httpx.Error(c, http.StatusBadRequest, "customer.email is not an email address")
		return
	}
	if cu.Phone = strings.TrimSpace(cu.Phone); cu.Phone != "" && !conversation.ValidPhone(cu.Phone) {
		httpx.Error(c, http.StatusBadRequest, "customer.phone is not a phone number")
		return
	}
	if in.Channel == "" {
		in.Channel = "web"
	}
	if in.Channel != "web" && in.Channel != "api" {
		httpx.Error(c, http.StatusBadRequest, `channel must be "web" or "api"`)
		return
	}
	ctx := c.Request.Context()
	var customer conversation.Customer
	var token string
	if cu.UserHash != "" {
		switch {
		case a.IdentitySecret == "":
			httpx.Error(c, http.StatusBadRequest, "customer.user_hash given, but identity verification is not set up (BATON_IDENTITY_SECRET)")
			return
		case cu.ExternalID == "":
			httpx.Error(c, http.StatusBadRequest, "customer.user_hash needs customer.external_id, the id it signs")
			return
		case !hmac.Equal([]byte(strings.ToLower(cu.UserHash)), []byte(IdentityHash(a.IdentitySecret, cu.ExternalID))):
			httpx.Error(c, http.StatusUnauthorized, "customer.user_hash does not match customer.external_id")
			return
		}
	}
	who := conversation.Customer{ExternalID: cu.ExternalID, Name: strings.TrimSpace(cu.Name), Email: strings.TrimSpace(cu.Email),
		Phone: conversation.NormalizePhone(cu.Phone), Language: cu.Language}
	switch t := auth.BearerToken(c); {
	case cu.UserHash != "":
		// A verified identity: the one customer with this external id, a new token for this device.
		var err error
		customer, token, err = a.Convs.CustomerVerified(ctx, who)
		if err != nil {
			httpx.Internal(c, err)
			return
		}
	case t != "":
		existing, err := a.Convs.CustomerByToken(ctx, t)
		if errors.Is(err, conversation.ErrNotFound) {
			httpx.Error(c, http.StatusUnauthorized, "unknown customer token")
			return
		}
		if err != nil {
			httpx.Internal(c, err)
			return
		}
		customer, token = existing, t
	default:
		var err error
		customer, token, err = a.Convs.CustomerCreate(ctx, who)
		if err != nil {
			httpx.Internal(c, err)
			return
		}
	}
	lang := cu.Language
	if lang == "" {
		lang = customer.Language
	}
	if lang == "" {
		lang = acceptLanguage(c)
	}
	conv, err := a.Convs.ConversationCreate(ctx, customer.ID, in.Channel, lang)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusCreated, gin.H{"conversation": conv, "customer_token": token})
}

func acceptLanguage(c *gin.Context) string {
	if strings.HasPrefix(strings.ToLower(c.GetHeader("Accept-Language")), "zh") {
		return "zh"
	}
	return "en"
}

// access resolves the caller of a conversation endpoint: the customer who owns it, or staff.
// It answers the error itself and returns false when access is refused.
func (a *API) access(c *gin.Context, allowStaff bool) (conversation.Conversation, bool) {
	id := c.Param("id")
	if u, ok := auth.CurrentUser(c); ok && allowStaff {
		// Transcripts are for the people who answer customers.
		if !u.Can(auth.RoleAgent) {
			httpx.Errorf(c, http.StatusForbidden, "your role (%s) may not read conversations", u.Role)
			return conversation.Conversation{}, false
		}
		return a.load(c, id)
	}
	token := auth.BearerToken(c)
	if token == "" {
		httpx.Error(c, http.StatusUnauthorized, "missing customer token: send Authorization: Bearer <customer_token>")
		return conversation.Conversation{}, false
	}
	return a.customerAccess(c, token, id)
}

// load reads a conversation, answering 404 or 500 itself when it cannot.
func (a *API) load(c *gin.Context, id string) (conversation.Conversation, bool) {
	conv, err := a.Convs.Get(c.Request.Context(), id)
	if errors.Is(err, conversation.ErrNotFound) {
		httpx.Error(c, http.StatusNotFound, "conversation not found")
		return conv, false
	}
	if err != nil {
		httpx.Internal(c, err)
		return conv, false
	}
	return conv, true
}

func (a *API) customerAccess(c *gin.Context, token, id string) (conversation.Conversation, bool) {
	// The token's customer and the conversation: one statement, as every customer request needs both.
	cust, conv, err := a.Convs.CustomerAndConversation(c.Request.Context(), token, id)
	switch {
	case errors.Is(err, conversation.ErrNotFound):
		httpx.Error(c, http.StatusUnauthorized, "unknown customer token")
		return conversation.Conversation{}, false
	case errors.Is(err, conversation.ErrNoConversation):
		httpx.Error(c, http.StatusNotFound, "conversation not found")
		return conversation.Conversation{}, false
	case err != nil:
		httpx.Internal(c, err)
		return conversation.Conversation{}, false
	}
	if conv.CustomerID != cust.ID {
		httpx.Error(c, http.StatusForbidden, "this token does not give access to that conversation")
		return conversation.Conversation{}, false
	}
	c.Set(customerKey, cust)
	return conv, true
}

// customerKey holds the customer a request's token belongs to, once customerAccess has read it.
const customerKey = "baton.customer"

// requestCustomer is the customer customerAccess read for this request, if any.
func requestCustomer(c *gin.Context) *conversation.Customer {
	if v, ok := c.Get(customerKey); ok {
		if cust, ok := v.(conversation.Customer); ok {
			return &cust
		}
	}
	return nil
}

// GetConversation returns a conversation to its customer or to staff, with the customer's place
// in the queue and estimated wait while they wait for a person ("queue", else null).
func (a *API) GetConversation(c *gin.Context) {
	conv, ok := a.access(c, true)
	if !ok {
		return
	}
	q, err := queueInfo(c.Request.Context(), a.Queue, conv)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"conversation": conv, "queue": q})
}

type messageIn struct {
	Text            string `json:"text"`
	ClientMessageID string `json:"client_message_id"`
}

// PostMessage stores a customer message and returns the bot's replies for this turn.
func (a *API) PostMessage(c *gin.Context) {
	conv, ok := a.access(c, false)
	if !ok {
		return
	}
	var in messageIn
	if !httpx.BindJSON(c, &in, 32<<10) {
		return
	}
	in.Text = strings.TrimSpace(in.Text)
	switch {
	case in.Text == "":
		httpx.Error(c, http.StatusBadRequest, "text is required")
		return
	case utf8.RuneCountInString(in.Text) > conversation.MaxTextLen:
		httpx.Errorf(c, http.StatusBadRequest, "text must be at most %d characters", conversation.MaxTextLen)
		return
	case len(in.ClientMessageID) > 100:
		httpx.Error(c, http.StatusBadRequest, "client_message_id must be at most 100 characters")
		return
	}
	res, err := a.Turns.HandleCustomerMessageFrom(c.Request.Context(), conv, requestCustomer(c), in.Text, in.ClientMessageID)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	if res.Duplicate {
		c.Header("Idempotent-Replayed", "true")
	}
	c.JSON(http.StatusCreated, gin.H{"message": res.Message, "replies": res.Replies, "conversation": res.Conversation})
}

// ListMessages returns the messages after seq ?after= (default 0), oldest first.
func (a *API) ListMessages(c *gin.Context) {
	conv, ok := a.access(c, true)
	if !ok {
		return
	}
	after, limit, ok := pageParams(c)
	if !ok {
		return
	}
	msgs, err := a.Convs.MessagesAfter(c.Request.Context(), conv.ID, after, limit)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"messages": msgs})
}

func pageParams(c *gin.Context) (after int64, limit int, ok bool) {
	limit = 500
	if s := c.Query("after"); s != "" {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil || v < 0 {
			httpx.Error(c, http.StatusBadRequest, "after must be a non-negative integer (a message seq)")
			return 0, 0, false
		}
		after = v
	}
	if s := c.Query("limit"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil || v < 1 || v > 1000 {
			httpx.Error(c, http.StatusBadRequest, "limit must be between 1 and 1000")
			return 0, 0, false
		}
		limit = v
	}
	return after, limit, true
}
