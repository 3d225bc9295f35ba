package evals

import (
	"strings"
	"testing"
)

// The served report quotes the conversations with phones, e-mails and cards masked.
func TestReportMasksPII(t *testing.T) {
	r := &RunReport{Results: []CaseResult{{Turns: []TurnResult{{
		User:    "call me on 13812345678",
		Replies: []ObsReply{{Text: "We will write to li@example.com"}},
		Slots:   map[string]string{"phone": "13812345678", "order_id": "A1234567"},
		Checks:  []Check{{What: "slot phone", Want: "13812345678", Got: "13812345678", OK: true}},
	}}}}}
	r.MaskPII()
	tr := r.Results[0].Turns[0]
	for _, s := range []string{tr.User, tr.Replies[0].Text, tr.Slots["phone"], tr.Checks[0].Want, tr.Checks[0].Got} {
		if strings.Contains(s, "13812345678") || strings.Contains(s, "li@example.com") {
			t.Errorf("not masked: %q", s)
		}
	}
	if tr.Slots["order_id"] != "A1234567" || !tr.Checks[0].OK {
		t.Errorf("order ids and outcomes stay: %+v", tr)
	}
}
