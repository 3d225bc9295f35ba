package slots

import (
	"strings"
	"time"
)

// Env is what relative values are resolved against.
type Env struct {
	Now  time.Time      // reference time; time.Now() when zero
	Loc  *time.Location // zone for dates and times; Now's zone when nil
	Lang string         // the conversation's language ("zh", "en"), for callers choosing reason texts
}

func (e Env) loc() *time.Location {
	if e.Loc != nil {
		return e.Loc
	}
	if !e.Now.IsZero() {
		return e.Now.Location()
	}
	return time.Local
}

func (e Env) now() time.Time {
	t := e.Now
	if t.IsZero() {
		t = time.Now()
	}
	return t.In(e.loc())
}

// Match is one value found in a message.
type Match struct {
	Value      string // canonical form, see the package documentation
	Raw        string // the text as written
	Start, End int    // byte offsets of Raw in the input
}

// Invalid is something that looks like an attempt at the slot but fails validation; the bot
// re-asks with its Reason.
type Invalid struct {
	Raw        string
	Reason     Reason
	Start, End int // byte offsets of Raw in the input
}

// Reason says why a value was refused, in both languages.
type Reason struct {
	Code string `json:"code"`
	ZH   string `json:"zh"`
	EN   string `json:"en"`
}

// In returns the reason in lang: Chinese for "zh…" and for an empty lang, English otherwise.
func (r Reason) In(lang string) string {
	l := strings.ToLower(strings.TrimSpace(lang))
	if l == "" || strings.HasPrefix(l, "zh") {
		return r.ZH
	}
	return r.EN
}

// Result is everything one extractor found in one message, in text order.
type Result struct {
	Matches []Match
	Invalid []Invalid
}

// Empty reports whether nothing at all was found.
func (r Result) Empty() bool { return len(r.Matches) == 0 && len(r.Invalid) == 0 }

// Extractor finds the values of one slot in a message.
type Extractor interface {
	Spec() Spec
	Extract(text string, env Env) Result
}
