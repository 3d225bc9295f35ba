package handoff

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"
)

// SLA clocks. The first-response clock runs from the handoff to the first agent message; after
// that, each customer message an agent has not answered yet starts a next-response clock that
// the agent's next message stops. Clocks run whether the conversation waits in the queue or is
// held: the customer waits either way.
const (
	ClockFirstResponse = "first_response"
	ClockNextResponse  = "next_response"
)

// WarnFraction is the share of a target after which a running clock shows amber.
const WarnFraction = 0.75

// SLATarget is the response-time goal for handoffs of at least MinPriority.
type SLATarget struct {
	MinPriority          int    `json:"min_priority"`
	Name                 string `json:"name"`
	FirstResponseSeconds int    `json:"first_response_seconds"`
	NextResponseSeconds  int    `json:"next_response_seconds"`
}

// DefaultSLATargets apply until an admin sets others: complaints and strong negative sentiment
// (priority 20 and up) are answered within 2 minutes, a customer who asked for a person (10) within
// 3, everyone else within 5; replies during the conversation within 2, 3 and 5 minutes.
var DefaultSLATargets = []SLATarget{
	{MinPriority: 20, Name: "urgent", FirstResponseSeconds: 120, NextResponseSeconds: 120},
	{MinPriority: 10, Name: "high", FirstResponseSeconds: 180, NextResponseSeconds: 180},
	{MinPriority: 0, Name: "normal", FirstResponseSeconds: 300, NextResponseSeconds: 300},
}

// Limits of an SLA target set.
const (
	maxSLATiers    = 20
	maxSLASeconds  = 7 * 24 * 3600
	maxSLAName     = 40
	maxSLAPriority = 1_000_000
)

// ErrInvalidSLA means an SLA target set that cannot be used.
var ErrInvalidSLA = errors.New("handoff: invalid SLA targets")

// NormalizeSLATargets checks a target set and returns it highest priority first.
func NormalizeSLATargets(in []SLATarget) ([]SLATarget, error) {
	if len(in) == 0 || len(in) > maxSLATiers {
		return nil, fmt.Errorf("%w: give between 1 and %d tiers", ErrInvalidSLA, maxSLATiers)
	}
	out := make([]SLATarget, 0, len(in))
	seen := map[int]bool{}
	for _, t := range in {
		t.Name = strings.TrimSpace(t.Name)
		switch {
		case t.MinPriority < -maxSLAPriority || t.MinPriority > maxSLAPriority:
			return nil, fmt.Errorf("%w: min_priority must be between %d and %d", ErrInvalidSLA, -maxSLAPriority, maxSLAPriority)
		case seen[t.MinPriority]:
			return nil, fmt.Errorf("%w: two tiers for min_priority %d", ErrInvalidSLA, t.MinPriority)
		case t.FirstResponseSeconds < 1 || t.FirstResponseSeconds > maxSLASeconds:
			return nil, fmt.Errorf("%w: first_response_seconds must be between 1 and %d", ErrInvalidSLA, maxSLASeconds)
		case t.NextResponseSeconds < 1 || t.NextResponseSeconds > maxSLASeconds:
			return nil, fmt.Errorf("%w: next_response_seconds must be between 1 and %d", ErrInvalidSLA, maxSLASeconds)
		case utf8.RuneCountInString(t.Name) > maxSLAName:
			return nil, fmt.Errorf("%w: a tier name has at most %d characters", ErrInvalidSLA, maxSLAName)
		}
		seen[t.MinPriority] = true
		out = append(out, t)
	}
	slices.SortFunc(out, func(a, b SLATarget) int { return b.MinPriority - a.MinPriority })
	return out, nil
}

// TargetFor returns the tier of a priority: the highest tier it reaches, else the lowest tier.
// targets must be sorted highest first and not empty.
func TargetFor(targets []SLATarget, priority int) SLATarget {
	for _, t := range targets {
		if priority >= t.MinPriority {
			return t
		}
	}
	return targets[len(targets)-1]
}

// Stamp is one customer or agent message on a handoff's timeline.
type Stamp struct {
	Sender string
	At     time.Time
}

// Clock is one response the customer waits for.
type Clock struct {
	Kind      string     `json:"kind"`
	StartedAt time.Time  `json:"started_at"`
	DueAt     time.Time  `json:"due_at"`
	WarnAt    time.Time  `json:"warn_at"`
	Target    int        `json:"target_seconds"`
	StoppedAt *time.Time `json:"stopped_at,omitempty"` // the agent's reply; nil while running
	// Elapsed is the wait so far (running) or until the reply (stopped), at the state's AsOf.
	Elapsed float64 `json:"elapsed_seconds"`
	// Breached: the reply came, or has not come, after DueAt.
	Breached   bool       `json:"breached"`
	BreachedAt *time.Time `json:"breached_at,omitempty"` // when the breach was recorded
}

// Running reports whether the customer is still waiting for this response.
func (c Clock) Running() bool { return c.StoppedAt == nil }

// Clocks lays a handoff's clocks over its timeline (customer and agent messages since the handoff,
// oldest first). Its targets are the tier's.
func Clocks(enqueuedAt time.Time, target SLATarget, timeline []Stamp) []Clock {
	mk := func(kind string, start time.Time, secs int) Clock {
		d := time.Duration(secs) * time.Second
		return Clock{Kind: kind, StartedAt: start, DueAt: start.Add(d), Target: secs,
			WarnAt: start.Add(time.Duration(float64(d) * WarnFraction))}
	}
	clocks := []Clock{mk(ClockFirstResponse, enqueuedAt, target.FirstResponseSeconds)}
	running := true
	for _, s := range timeline {
		switch s.Sender {
		case "agent":
			if running {
				at := s.At
				clocks[len(clocks)-1].StoppedAt = &at
				running = false
			}
		case "customer":
			if !running {
				clocks = append(clocks, mk(ClockNextResponse, s.At, target.NextResponseSeconds))
				running = true
			}
		}
	}
	return clocks
}

// evaluate sets Elapsed and Breached of each clock as of now.
func evaluate(clocks []Clock, now time.Time) {
	for i := range clocks {
		c := &clocks[i]
		end := now
		if c.StoppedAt != nil {
			end = *c.StoppedAt
		}
		c.Elapsed = max(0, end.Sub(c.StartedAt).Seconds())
		c.Breached = end.After(c.DueAt)
	}
}

// SLAState is a handoff's SLA as the workbench shows it: the clock now running (if any), the
// first response, and the breaches recorded so far. Clients count down to Current.DueAt
// themselves, correcting for the difference between their clock and AsOf.
type SLAState struct {
	HandoffID     int64     `json:"handoff_id"`
	Tier          string    `json:"tier"`
	Priority      int       `json:"priority"`
	AsOf          time.Time `json:"as_of"`
	Current       *Clock    `json:"current,omitempty"` // the running clock; nil when nobody waits for a reply
	FirstResponse Clock     `json:"first_response"`
	// NextResponse is the latest next-response clock, if any.
	NextResponse *Clock `json:"next_response,omitempty"`
	// Breaches counts recorded breaches on this handoff; Breached says there is at least one.
	Breaches int  `json:"breaches"`
	Breached bool `json:"breached"`
}

// recordedBreach is a breach row as the state needs it.
type recordedBreach struct {
	Kind       string
	StartedAt  time.Time
	BreachedAt time.Time
}

// NewSLAState computes a handoff's state from its timeline and recorded breaches.
func NewSLAState(hid int64, priority int, enqueuedAt time.Time, targets []SLATarget, timeline []Stamp,
	breaches []recordedBreach, now time.Time) SLAState {
	tier := TargetFor(targets, priority)
	clocks := Clocks(enqueuedAt, tier, timeline)
	evaluate(clocks, now)
	for i := range clocks {
		for _, b := range breaches {
			if b.Kind == clocks[i].Kind && b.StartedAt.Equal(clocks[i].StartedAt) {
				at := b.BreachedAt
				clocks[i].BreachedAt, clocks[i].Breached = &at, true
			}
		}
	}
	st := SLAState{HandoffID: hid, Tier: tier.Name, Priority: priority, AsOf: now, FirstResponse: clocks[0],
		Breaches: len(breaches), Breached: len(breaches) > 0}
	if last := clocks[len(clocks)-1]; last.Running() {
		st.Current = &last
	}
	if len(clocks) > 1 {
		last := clocks[len(clocks)-1]
		st.NextResponse = &last
	}
	return st
}

// ResolvedSLAState is a resolved handoff's state as it ended: a clock still running at the
// resolution stops there (nobody waits on a resolved conversation), so no timer keeps counting.
func ResolvedSLAState(hid int64, priority int, enqueuedAt time.Time, targets []SLATarget, timeline []Stamp,
	breaches []recordedBreach, resolvedAt time.Time) SLAState {
	st := NewSLAState(hid, priority, enqueuedAt, targets, timeline, breaches, resolvedAt)
	if st.Current == nil {
		return st
	}
	stop := func(c *Clock) {
		if c != nil && c.Running() {
			at := resolvedAt
			c.StoppedAt = &at
		}
	}
	stop(&st.FirstResponse)
	stop(st.NextResponse)
	st.Current = nil
	return st
}
