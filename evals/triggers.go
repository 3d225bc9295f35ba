package evals

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"unicode"
)

// Trigger labels: the handoff a message must get ("none" for no handoff).
const (
	LabelComplaint    = "complaint"
	LabelHumanRequest = "human_request"
	LabelNegative     = "negative_sentiment"
	LabelNone         = "none"
)

// TriggerCase is one customer message and the handoff it must get.
type TriggerCase struct {
	Text     string `json:"text"`
	Label    string `json:"label"`
	Language string `json:"language"`
}

// ReadTriggerCases reads JSONL cases; blank lines are skipped, bad lines are errors. language
// defaults to zh when the text has a Chinese character, else en.
func ReadTriggerCases(r io.Reader) ([]TriggerCase, error) {
	return readJSONLines(r, func(c *TriggerCase) error {
		if c.Text = strings.TrimSpace(c.Text); c.Text == "" {
			return errors.New("text is empty")
		}
		switch c.Label {
		case LabelComplaint, LabelHumanRequest, LabelNegative, LabelNone:
		default:
			return fmt.Errorf("label must be complaint, human_request, negative_sentiment or none, got %q", c.Label)
		}
		switch c.Language {
		case "":
			c.Language = "en"
			if hasHan(c.Text) {
				c.Language = "zh"
			}
		case "zh", "en":
		default:
			return fmt.Errorf("language must be zh or en, got %q", c.Language)
		}
		return nil
	})
}

// TriggerJudge returns the handoff reason a message gets ("" for none).
type TriggerJudge func(ctx context.Context, text, lang string) (string, error)

// TriggerSetup is one way of reading messages to measure.
type TriggerSetup struct {
	Name  string
	Judge TriggerJudge
}

// TriggerResult is how one setup did on one file.
type TriggerResult struct {
	File  string `json:"file"`
	Setup string `json:"setup"`
	TriggerMetrics
	ByLanguage map[string]TriggerMetrics `json:"by_language"`
	// Confusion counts label → reason given ("none" for no handoff).
	Confusion map[string]map[string]int `json:"confusion"`
	Misses    []TriggerMiss             `json:"misses"`
}

// TriggerMetrics are the figures of one slice of cases. Recall is over the messages labelled
// complaint or human_request: "caught" when handed off for any reason (a person gets them),
// "exact" when for the labelled one.
type TriggerMetrics struct {
	Messages  int `json:"messages"`
	Positives int `json:"positives"` // complaint + human_request
	Negatives int `json:"negatives"` // none
	// Recall: complaint and human_request messages handed off, for any reason.
	Recall *float64 `json:"recall"`
	// RecallExact: handed off for the labelled reason.
	RecallExact *float64 `json:"recall_exact"`
	// FalseHandoffRate: none messages handed off.
	FalseHandoffRate *float64 `json:"false_handoff_rate"`
	// Precision: handed-off messages that should have been (any label but none).
	Precision *float64 `json:"precision"`
	// ByLabel: per label, recall (handed off at all), exact recall and the exact precision of the
	// reason of that name.
	ByLabel map[string]LabelMetrics `json:"by_label"`
}

// LabelMetrics are one label's figures.
type LabelMetrics struct {
	Messages    int      `json:"messages"`
	Recall      *float64 `json:"recall"`       // handed off, any reason
	RecallExact *float64 `json:"recall_exact"` // handed off for this reason
	Given       int      `json:"given"`        // handoffs given for this reason
	Precision   *float64 `json:"precision"`    // of those, labelled this
}

// TriggerMiss is a message handled wrongly: a positive not handed off ("missed"), a none handed
// off ("false_handoff"), or handed off for another reason than its label ("wrong_reason").
type TriggerMiss struct {
	Kind     string `json:"kind"`
	Text     string `json:"text"`
	Label    string `json:"label"`
	Language string `json:"language"`
	Got      string `json:"got"`
}

// TriggerReport is every setup on every file.
type TriggerReport struct {
	Files   []string        `json:"files"`
	Bot     string          `json:"bot"`
	Task    string          `json:"task"`
	Results []TriggerResult `json:"results"`
}

// RunTriggers reads every case of file with every setup. progress, when set, is called after
// each message.
func RunTriggers(ctx context.Context, file string, cases []TriggerCase, setups []TriggerSetup, progress func()) ([]TriggerResult, error) {
	var out []TriggerResult
	for _, s := range setups {
		got := make([]string, len(cases))
		for i, c := range cases {
			r, err := s.Judge(ctx, c.Text, c.Language)
			if err != nil {
				return nil, fmt.Errorf("evals: %s on %q: %w", s.Name, c.Text, err)
			}
			if r == "" {
				r = LabelNone
			}
			got[i] = r
			if progress != nil {
				progress()
			}
		}
		out = append(out, scoreTriggers(file, s.Name, cases, got))
	}
	return out, nil
}

func scoreTriggers(file, setup string, cases []TriggerCase, got []string) TriggerResult {
	res := TriggerResult{File: file, Setup: setup, ByLanguage: map[string]TriggerMetrics{},
		Confusion: map[string]map[string]int{}, Misses: []TriggerMiss{}}
	langs := map[string][]int{}
	all := make([]int, len(cases))
	for i, c := range cases {
		all[i] = i
		langs[c.Language] = append(langs[c.Language], i)
		if res.Confusion[c.Label] == nil {
			res.Confusion[c.Label] = map[string]int{}
		}
		res.Confusion[c.Label][got[i]]++
		kind := ""
		switch {
		case c.Label != LabelNone && got[i] == LabelNone:
			kind = "missed"
		case c.Label == LabelNone && got[i] != LabelNone:
			kind = "false_handoff"
		case c.Label != got[i]:
			kind = "wrong_reason"
		}
		if kind != "" {
			res.Misses = append(res.Misses, TriggerMiss{Kind: kind, Text: c.Text, Label: c.Label, Language: c.Language, Got: got[i]})
		}
	}
	res.TriggerMetrics = triggerMetrics(cases, got, all)
	for l, idx := range langs {
		res.ByLanguage[l] = triggerMetrics(cases, got, idx)
	}
	return res
}

func triggerMetrics(cases []TriggerCase, got []string, idx []int) TriggerMetrics {
	m := TriggerMetrics{Messages: len(idx), ByLabel: map[string]LabelMetrics{}}
	var caught, exact, falseHO, handedOff, rightHO int
	type counts struct{ n, caught, exact, given, givenRight int }
	per := map[string]*counts{}
	for _, l := range []string{LabelComplaint, LabelHumanRequest, LabelNegative} {
		per[l] = &counts{}
	}
	for _, i := range idx {
		label, g := cases[i].Label, got[i]
		if g != LabelNone {
			handedOff++
			if label != LabelNone {
				rightHO++
			}
			if pc := per[g]; pc != nil {
				pc.given++
				if g == label {
					pc.givenRight++
				}
			}
		}
		if pc := per[label]; pc != nil {
			pc.n++
			if g != LabelNone {
				pc.caught++
			}
			if g == label {
				pc.exact++
			}
		}
		switch label {
		case LabelNone:
			m.Negatives++
			if g != LabelNone {
				falseHO++
			}
		case LabelComplaint, LabelHumanRequest:
			m.Positives++
			if g != LabelNone {
				caught++
			}
			if g == label {
				exact++
			}
		}
	}
	m.Recall, m.RecallExact = share(caught, m.Positives), share(exact, m.Positives)
	m.FalseHandoffRate, m.Precision = share(falseHO, m.Negatives), share(rightHO, handedOff)
	for l, pc := range per {
		if pc.n == 0 && pc.given == 0 {
			continue
		}
		m.ByLabel[l] = LabelMetrics{Messages: pc.n, Recall: share(pc.caught, pc.n), RecallExact: share(pc.exact, pc.n),
			Given: pc.given, Precision: share(pc.givenRight, pc.given)}
	}
	return m
}

// share is a/b rounded to four places, nil when b is 0 (no such messages: no figure).
func share(a, b int) *float64 {
	if b == 0 {
		return nil
	}
	r := math.Round(float64(a)/float64(b)*10000) / 10000
	return &r
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}
