package customer

import (
	"testing"
	"time"
)

func TestOutcome(t *testing.T) {
	now := time.Date(2026, 1, 2, 12, 0, 0, 0, time.UTC)
	old, recent := now.Add(-2*time.Hour), now.Add(-5*time.Minute)
	tests := []struct {
		name, status, handoff, lastKind string
		last                            time.Time
		want                            string
	}{
		{"resolved by an agent", "resolved", "resolved", "handoff", old, OutcomeAgent},
		{"resolved, then the customer came back to the bot", "bot", "resolved", "answer", recent, OutcomeAgent},
		{"with an agent now", "assigned", "assigned", "handoff", old, OutcomeAssigned},
		{"waiting", "queued", "queued", "handoff", old, OutcomeQueued},
		{"talking to the bot", "bot", "", "ask", recent, OutcomeActive},
		{"left while the bot asked for a slot", "bot", "", "ask", old, OutcomeAbandoned},
		{"left after I don't know", "bot", "", "dont_know", old, OutcomeAbandoned},
		{"left before any reply", "bot", "", "", old, OutcomeAbandoned},
		{"answered from the knowledge base", "bot", "", "answer", old, OutcomeBot},
		{"task done", "bot", "", "action", old, OutcomeBot},
		{"task cancelled", "bot", "", "cancelled", old, OutcomeBot},
	}
	for _, tt := range tests {
		if got := outcome(tt.status, tt.handoff, tt.lastKind, tt.last, now); got != tt.want {
			t.Errorf("%s: outcome = %q, want %q", tt.name, got, tt.want)
		}
	}
}
