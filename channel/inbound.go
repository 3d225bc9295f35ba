package channel

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/httpx"
	"github.com/baton-cs/baton/internal/outbound"
)

// inboundIn is what a messaging platform posts for one of its users' messages.
type inboundIn struct {
	User struct {
		ID   string `json:"id"`
		Name string `json:"name"`
	} `json:"user"`
	Message struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	} `json:"message"`
	// Language of a new conversation (zh or en; default en).
	Language string `json:"language"`
}

// Inbound is POST /api/v1/channels/:name/inbound: a channel's user wrote. The request is signed
// with the channel's secret (X-Baton-Timestamp, X-Baton-Signature = sha256=HMAC(secret,
// timestamp + "." + body)). The message joins the user's latest conversation on the channel (a new
// one if none) and the bot takes its turn as on the web; whatever is said to the customer — the
// bot's replies, an agent's, the system's lines — is delivered to the channel's outbound URL,
// signed the same way. message.id makes a retry idempotent.
func (a *API) Inbound(c *gin.Context) {
	ctx := c.Request.Context()
	name := c.Param("name")
	var secret string
	err := a.Convs.Pool().QueryRow(ctx, `SELECT secret FROM channels WHERE name = $1 AND active`, name).Scan(&secret)
	if errors.Is(err, pgx.ErrNoRows) {
		httpx.Error(c, http.StatusNotFound, "channel not found")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, 32<<10))
	if err != nil {
		httpx.Error(c, http.StatusRequestEntityTooLarge, "body must be at most 32 KiB")
		return
	}
	if !outbound.Verify(secret, c.GetHeader(outbound.HeaderTimestamp), c.GetHeader(outbound.HeaderSignature), body, time.Now()) {
		httpx.Error(c, http.StatusUnauthorized, "bad or missing signature (X-Baton-Timestamp within 5 minutes, X-Baton-Signature)")
		return
	}
	var in inboundIn
	c.Request.Body = io.NopCloser(bytes.NewReader(body))
	if !httpx.BindJSON(c, &in, 32<<10) {
		return
	}
	in.Message.Text = strings.TrimSpace(in.Message.Text)
	switch {
	case in.User.ID == "" || len(in.User.ID) > 200:
		httpx.Error(c, http.StatusBadRequest, "user.id is required (at most 200 characters)")
		return
	case in.Message.ID == "" || len(in.Message.ID) > 100:
		httpx.Error(c, http.StatusBadRequest, "message.id is required (at most 100 characters): it makes retries safe")
		return
	case in.Message.Text == "":
		httpx.Error(c, http.StatusBadRequest, "message.text is required")
		return
	case utf8.RuneCountInString(in.Message.Text) > conversation.MaxTextLen:
		httpx.Errorf(c, http.StatusBadRequest, "message.text must be at most %d characters", conversation.MaxTextLen)
		return
	case utf8.RuneCountInString(in.User.Name) > maxFieldLen:
		httpx.Errorf(c, http.StatusBadRequest, "user.name must be at most %d characters", maxFieldLen)
		return
	case in.Language != "" && in.Language != "zh" && in.Language != "en":
		httpx.Error(c, http.StatusBadRequest, `language must be "zh" or "en"`)
		return
	}
	lang := in.Language
	if lang == "" {
		lang = "en"
	}
	cust, conv, err := a.Convs.ChannelConversation(ctx, name, in.User.ID, strings.TrimSpace(in.User.Name), lang)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	res, err := a.Turns.HandleCustomerMessageFrom(ctx, conv, &cust, in.Message.Text, in.Message.ID)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	if res.Duplicate {
		c.Header("Idempotent-Replayed", "true")
	}
	c.JSON(http.StatusOK, gin.H{"conversation_id": conv.ID, "message": res.Message})
}
