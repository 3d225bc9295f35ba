package evals

import "github.com/baton-cs/baton/internal/pii"

// MaskPII masks personal data (phones, e-mails, ID and bank cards) in what the report quotes:
// the customer's messages, the bot's replies, slot values and the checks' wanted and got values.
// The evaluation conversations are made up, but a suite may be written from real ones; the
// served report (JSON, HTML, JUnit) shows them masked. Metrics are computed before, unchanged.
func (r *RunReport) MaskPII() {
	for i := range r.Results {
		c := &r.Results[i]
		c.Error = pii.Mask(c.Error)
		maskChecks(c.EndChecks)
		for j := range c.Turns {
			t := &c.Turns[j]
			t.User = pii.Mask(t.User)
			t.JudgeNote = pii.Mask(t.JudgeNote)
			maskMap(t.Slots)
			maskChecks(t.Checks)
			for k := range t.Replies {
				t.Replies[k].Text = pii.Mask(t.Replies[k].Text)
				maskMap(t.Replies[k].Meta.Slots)
			}
		}
	}
}

func maskChecks(checks []Check) {
	for i := range checks {
		checks[i].Want, checks[i].Got = pii.Mask(checks[i].Want), pii.Mask(checks[i].Got)
	}
}

func maskMap(m map[string]string) {
	for k, v := range m {
		m[k] = pii.Mask(v)
	}
}
