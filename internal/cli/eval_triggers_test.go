package cli

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestEvalTriggersJSON(t *testing.T) {
	cases := writeTemp(t, t.TempDir(), "cases.jsonl", `{"text": "转人工", "label": "human_request"}
{"text": "I want to speak to your manager", "label": "complaint"}
{"text": "你们有实体店吗", "label": "none"}
{"text": "how long does shipping take", "label": "none"}
`)
	out, errOut, err := runCLI(t, "eval", "triggers", "--cases", cases, "--json")
	if err != nil {
		t.Fatalf("eval triggers: %v\n%s", err, errOut)
	}
	var rep struct {
		Bot     string `json:"bot"`
		Task    string `json:"task"`
		Results []struct {
			File       string                     `json:"file"`
			Setup      string                     `json:"setup"`
			Recall     *float64                   `json:"recall"`
			FP         *float64                   `json:"false_handoff_rate"`
			ByLanguage map[string]json.RawMessage `json:"by_language"`
			Misses     []json.RawMessage          `json:"misses"`
		} `json:"results"`
	}
	dec := json.NewDecoder(strings.NewReader(out))
	if err := dec.Decode(&rep); err != nil || dec.More() {
		t.Fatalf("stdout is not one JSON object (%v):\n%s", err, out)
	}
	if rep.Bot != "demo-shop" || rep.Task != "return_request" {
		t.Errorf("bot %q task %q", rep.Bot, rep.Task)
	}
	setups := map[string]bool{}
	for _, r := range rep.Results {
		setups[r.Setup] = true
		if r.File != cases || r.Recall == nil || r.FP == nil || len(r.ByLanguage) != 2 {
			t.Errorf("%s: %+v", r.Setup, r)
		}
		// Plain requests and plain questions: every setup gets these right.
		if *r.Recall != 1 || *r.FP != 0 || len(r.Misses) != 0 {
			t.Errorf("%s: recall %v, false handoffs %v, misses %s", r.Setup, *r.Recall, *r.FP, r.Misses)
		}
	}
	for _, s := range []string{"detector", "first", "mid_task:order_id", "mid_task:reason", "mid_task:photo_note"} {
		if !setups[s] {
			t.Errorf("no %s result in %v", s, setups)
		}
	}
	if !strings.Contains(errOut, "training demo-shop") {
		t.Errorf("progress not on stderr: %q", errOut)
	}
}

func TestEvalTriggersNeedsCases(t *testing.T) {
	if _, _, err := runCLI(t, "eval", "triggers"); err == nil {
		t.Fatal("no --cases: want an error")
	}
	if _, _, err := runCLI(t, "eval", "triggers", "--cases", "x.jsonl", "--setup", "nope"); err == nil {
		t.Fatal("unknown setup: want an error")
	}
}
