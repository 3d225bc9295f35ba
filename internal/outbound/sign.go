// Package outbound delivers what Baton tells other systems — webhook events (conversation
// created, handed off, resolved) and the messages of a messaging channel's conversations — from
// the deliveries outbox (migration 0021), signed and retried; and it keeps the channels' and
// webhooks' configuration.
package outbound

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"strconv"
	"strings"
	"time"
)

// Headers of a signed request, in both directions: Baton's deliveries and a channel's inbound posts.
const (
	HeaderTimestamp = "X-Baton-Timestamp" // Unix seconds
	HeaderSignature = "X-Baton-Signature" // "sha256=" + hex HMAC-SHA256(secret, timestamp + "." + body)
	HeaderEvent     = "X-Baton-Event"
	HeaderDelivery  = "X-Baton-Delivery"
)

// MaxSkew is how far a signed request's timestamp may be from now: older ones are replays.
const MaxSkew = 5 * time.Minute

// Sign is the X-Baton-Signature of body sent at ts.
func Sign(secret string, ts int64, body []byte) string {
	m := hmac.New(sha256.New, []byte(secret))
	m.Write([]byte(strconv.FormatInt(ts, 10)))
	m.Write([]byte("."))
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verify checks a signed request's timestamp header and signature against body, at now.
func Verify(secret, tsHeader, sigHeader string, body []byte, now time.Time) bool {
	ts, err := strconv.ParseInt(strings.TrimSpace(tsHeader), 10, 64)
	if err != nil {
		return false
	}
	if d := now.Sub(time.Unix(ts, 0)); d > MaxSkew || d < -MaxSkew {
		return false
	}
	return hmac.Equal([]byte(strings.TrimSpace(sigHeader)), []byte(Sign(secret, ts, body)))
}

// NewSecret makes a signing secret.
func NewSecret() string {
	b := make([]byte, 24)
	_, _ = rand.Read(b)
	return "whsec_" + base64.RawURLEncoding.EncodeToString(b)
}
