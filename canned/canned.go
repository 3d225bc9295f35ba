// Package canned keeps the agents' canned responses: a shortcut typed in the reply box ("/退货",
// "/refund") that inserts a prepared text, its variables ({{customer.name}}, {{slots.order_id}},
// {{agent.name}}) filled from the conversation. Shared responses are kept by editors; an agent
// may also keep personal ones.
package canned

import (
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

var (
	// ErrNotFound means no such canned response, or one the caller may not see.
	ErrNotFound = errors.New("canned: not found")
	// ErrInvalid prefixes a validation message.
	ErrInvalid = errors.New("canned: invalid")
	// ErrConflict means the shortcut is taken in that language.
	ErrConflict = errors.New("canned: conflict")
)

// Limits on a canned response's fields, in characters.
const (
	MaxShortcut = 32
	MaxTitle    = 100
	MaxBody     = 4000
)

// Response is one canned response.
type Response struct {
	ID       int64  `json:"id"`
	Shortcut string `json:"shortcut"` // without the leading "/"
	Title    string `json:"title"`
	Language string `json:"language"`
	Body     string `json:"body"`
	// Personal responses belong to OwnerID and only they see them.
	Personal  bool      `json:"personal"`
	OwnerID   *int64    `json:"owner_id,omitempty"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Input is a canned response to create or change. Personal is read on creation only.
type Input struct {
	Shortcut string `json:"shortcut"`
	Title    string `json:"title"`
	Language string `json:"language"`
	Body     string `json:"body"`
	Personal bool   `json:"personal"`
}

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// Normalize trims the input, drops a leading "/" from the shortcut and checks every field,
// including that each {{variable}} in the body is one Render knows.
func (in *Input) Normalize() error {
	in.Shortcut = strings.TrimPrefix(strings.TrimSpace(in.Shortcut), "/")
	in.Title = strings.TrimSpace(in.Title)
	in.Body = strings.TrimSpace(in.Body)
	in.Language = strings.TrimSpace(in.Language)
	switch {
	case in.Shortcut == "":
		return invalid("shortcut is required")
	case utf8.RuneCountInString(in.Shortcut) > MaxShortcut:
		return invalid("shortcut must be at most %d characters", MaxShortcut)
	case !validShortcut(in.Shortcut):
		return invalid("shortcut may hold only letters, digits, - and _ (no spaces)")
	case in.Title == "":
		return invalid("title is required")
	case utf8.RuneCountInString(in.Title) > MaxTitle:
		return invalid("title must be at most %d characters", MaxTitle)
	case in.Language != "zh" && in.Language != "en":
		return invalid(`language must be "zh" or "en"`)
	case in.Body == "":
		return invalid("body is required")
	case utf8.RuneCountInString(in.Body) > MaxBody:
		return invalid("body must be at most %d characters", MaxBody)
	}
	if bad := UnknownVariables(in.Body); len(bad) > 0 {
		return invalid("unknown variable {{%s}}; use customer.name, customer.email, customer.phone, customer.language, customer.vip_tier, agent.name, agent.email or slots.<slot name>", bad[0])
	}
	return nil
}

var shortcutRunes = regexp.MustCompile(`^[\p{L}\p{N}_-]+$`)

func validShortcut(s string) bool {
	return shortcutRunes.MatchString(s) && !strings.ContainsFunc(s, unicode.IsSpace)
}
