package slots

import (
	"testing"
	"time"
)

// testEnv is Saturday 21 November 2026, 10:00 in Shanghai, so relative dates are fixed.
func testEnv(t testing.TB) Env {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		loc = time.FixedZone("CST", 8*3600)
	}
	return Env{Now: time.Date(2026, 11, 21, 10, 0, 0, 0, loc), Loc: loc, Lang: "zh"}
}

func mustNew(t testing.TB, spec Spec) Extractor {
	t.Helper()
	if spec.Name == "" {
		spec.Name = string(spec.Kind)
	}
	x, err := New(spec)
	if err != nil {
		t.Fatalf("New(%+v): %v", spec, err)
	}
	return x
}

func f64(v float64) *float64 { return &v }

// values lists the canonical values of r's matches, and "!code" for each invalid attempt.
func values(r Result) []string {
	var out []string
	for _, m := range r.Matches {
		out = append(out, m.Value)
	}
	for _, i := range r.Invalid {
		out = append(out, "!"+i.Reason.Code)
	}
	return out
}

// extractCase is one message and what an extractor should make of it.
type extractCase struct {
	text string
	want []string // values(...) of the result; nil for nothing found
	raw  []string // optional: the Raw of each match
}

// runCases checks every case and that each reported span is the Raw it claims to be.
func runCases(t *testing.T, x Extractor, env Env, cases []extractCase) {
	t.Helper()
	for _, c := range cases {
		r := x.Extract(c.text, env)
		checkSpans(t, c.text, r)
		if got := values(r); !equalStrings(got, c.want) {
			t.Errorf("%s %q = %q, want %q (result %+v)", x.Spec().Kind, c.text, got, c.want, r)
			continue
		}
		if c.raw != nil {
			var raws []string
			for _, m := range r.Matches {
				raws = append(raws, m.Raw)
			}
			if !equalStrings(raws, c.raw) {
				t.Errorf("%s %q raw = %q, want %q", x.Spec().Kind, c.text, raws, c.raw)
			}
		}
	}
}

func checkSpans(t testing.TB, text string, r Result) {
	t.Helper()
	check := func(raw string, s, e int) {
		if s < 0 || e > len(text) || s > e {
			t.Fatalf("span [%d,%d) out of bounds for %q", s, e, text)
		}
		if text[s:e] != raw {
			t.Fatalf("span [%d,%d) of %q is %q, Raw is %q", s, e, text, text[s:e], raw)
		}
	}
	for _, m := range r.Matches {
		check(m.Raw, m.Start, m.End)
	}
	for _, i := range r.Invalid {
		check(i.Raw, i.Start, i.End)
		if i.Reason.Code == "" || i.Reason.ZH == "" || i.Reason.EN == "" || !hasHan(i.Reason.ZH) {
			t.Fatalf("invalid %q in %q lacks a code or a reason in both languages: %+v", i.Raw, text, i.Reason)
		}
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}
