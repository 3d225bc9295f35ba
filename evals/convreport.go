package evals

import (
	"encoding/xml"
	"fmt"
	"html/template"
	"io"
	"sort"
	"strings"
	"text/tabwriter"
)

// WriteText prints the run's summary for a terminal: the metrics, then each failing case with
// its failed checks (and the comparison with the baseline when there is one).
func (r *RunReport) WriteText(w io.Writer, cmp *Comparison) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "cases\t%d\t(%d passed, %d failed; %d turns in %.1f s)\n", r.Cases, r.Passed, r.Failed, r.Counts.Turns, r.DurationSeconds)
	fmt.Fprintf(tw, "intent accuracy\t%s\t(%d turns)\n", pct(r.IntentAccuracy), r.Counts.IntentTurns)
	fmt.Fprintf(tw, "slot joint accuracy\t%s\t(%d turns)\n", pct(r.SlotJointAccuracy), r.Counts.SlotTurns)
	fmt.Fprintf(tw, "handoff precision\t%s\t(%d handoffs made on %d judged turns)\n", pct(r.HandoffPrecision), r.Counts.HandoffsMade, r.Counts.HandoffJudged)
	fmt.Fprintf(tw, "handoff recall\t%s\n", pct(r.HandoffRecall))
	fmt.Fprintf(tw, "citation accuracy\t%s\t(%d turns)\n", pct(r.CitationAccuracy), r.Counts.CitationTurns)
	fmt.Fprintf(tw, "containment rate\t%.4f\t(%d cases ended without a handoff)\n", r.ContainmentRate, r.Counts.CasesContained)
	fmt.Fprintf(tw, "wrong-answer rate\t%s\t(%d of %d answered turns)\n", pct(r.WrongAnswerRate), r.Counts.WrongAnswers, r.Counts.AnsweredTurns)
	if r.JudgePassRate != nil {
		fmt.Fprintf(tw, "judge pass rate\t%s\t(%d answers graded)\n", pct(r.JudgePassRate), r.Counts.JudgedAnswers)
	}
	fmt.Fprintf(tw, "latency p50 / p95\t%.1f / %.1f ms\tper turn\n", r.LatencyP50MS, r.LatencyP95MS)
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.HandoffByReason) > 0 {
		fmt.Fprintln(w, "handoffs by reason (precision / recall, made / expected):")
		for _, n := range sortedKeys(r.HandoffByReason) {
			s := r.HandoffByReason[n]
			fmt.Fprintf(w, "  %-20s %s / %s  (%d / %d)\n", n, pct(s.Precision), pct(s.Recall), s.Made, s.Expected)
		}
	}
	// Against a baseline, only the newly failing cases are spelt out; those failing in the baseline
	// too are one line (the HTML and JUnit reports list them all).
	var newly map[string]bool
	known := 0
	if cmp != nil {
		newly = map[string]bool{}
		for _, c := range cmp.NewFailures {
			newly[c.Case] = true
		}
	}
	for i := range r.Results {
		c := &r.Results[i]
		if c.Passed {
			continue
		}
		if newly != nil && !newly[c.Key()] {
			known++
			continue
		}
		fmt.Fprintf(w, "FAIL %s (%s:%d)\n", c.Key(), c.File, c.Line)
		if c.Error != "" {
			fmt.Fprintf(w, "     error: %s\n", c.Error)
		}
		for j, t := range c.Turns {
			for _, ch := range t.Checks {
				if !ch.OK {
					fmt.Fprintf(w, "     turn %d %q: %s: want %s, got %s\n", j+1, Snip(t.User, 40), ch.What, ch.Want, ch.Got)
				}
			}
		}
		for _, ch := range c.EndChecks {
			if !ch.OK {
				fmt.Fprintf(w, "     end: %s: want %s, got %s\n", ch.What, ch.Want, ch.Got)
			}
		}
	}
	if known > 0 {
		fmt.Fprintf(w, "known failures: %d cases fail as they did in the baseline (listed in the --html and --junit reports)\n", known)
	}
	if cmp != nil {
		fmt.Fprintln(w, "against the baseline:")
		for _, m := range cmp.Metrics {
			if m.Delta == nil {
				continue
			}
			mark := ""
			if m.Regression {
				mark = "  REGRESSION"
			}
			fmt.Fprintf(w, "  %-22s %s → %s (%+.4f)%s\n", m.Metric, pct(m.Baseline), pct(m.Current), *m.Delta, mark)
		}
		for _, c := range cmp.NewFailures {
			fmt.Fprintf(w, "  newly failing: %s (was %s)\n", c.Case, c.Was)
		}
		for _, c := range cmp.Fixed {
			fmt.Fprintf(w, "  fixed: %s\n", c.Case)
		}
		if cmp.Regressed() {
			fmt.Fprintf(w, "REGRESSION: %s\n", strings.Join(cmp.Regressions, "; "))
		} else {
			fmt.Fprintln(w, "no regression")
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Time     float64      `xml:"time,attr"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name     string      `xml:"name,attr"`
	Tests    int         `xml:"tests,attr"`
	Failures int         `xml:"failures,attr"`
	Time     float64     `xml:"time,attr"`
	Cases    []junitCase `xml:"testcase"`
}

type junitCase struct {
	Name      string        `xml:"name,attr"`
	Classname string        `xml:"classname,attr"`
	File      string        `xml:"file,attr,omitempty"`
	Line      int           `xml:"line,attr,omitempty"`
	Time      float64       `xml:"time,attr"`
	Failure   *junitFailure `xml:"failure,omitempty"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// WriteJUnit writes JUnit XML: a test suite per suite, a test case per case.
func (r *RunReport) WriteJUnit(w io.Writer) error {
	out := junitSuites{Tests: r.Cases, Failures: r.Failed, Time: r.DurationSeconds}
	idx := map[string]int{}
	for i := range r.Results {
		c := &r.Results[i]
		k, ok := idx[c.Suite]
		if !ok {
			k = len(out.Suites)
			idx[c.Suite] = k
			out.Suites = append(out.Suites, junitSuite{Name: c.Suite})
		}
		s := &out.Suites[k]
		secs := 0.0
		for _, t := range c.Turns {
			secs += t.LatencyMS / 1000
		}
		jc := junitCase{Name: c.Case, Classname: c.Suite, File: c.File, Line: c.Line, Time: round3(secs)}
		if !c.Passed {
			msg, detail := c.failureText()
			jc.Failure = &junitFailure{Message: msg, Text: detail}
			s.Failures++
		}
		s.Tests++
		s.Time = round3(s.Time + secs)
		s.Cases = append(s.Cases, jc)
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(out); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// failureText is a one-line message and the transcript with the failed checks.
func (c *CaseResult) failureText() (string, string) {
	var first string
	var b strings.Builder
	if c.Error != "" {
		first = c.Error
		fmt.Fprintf(&b, "error: %s\n", c.Error)
	}
	for j, t := range c.Turns {
		fmt.Fprintf(&b, "customer: %s\n", t.User)
		for _, rp := range t.Replies {
			fmt.Fprintf(&b, "bot [%s]: %s\n", rp.Meta.Kind, Snip(rp.Text, 300))
		}
		for _, ch := range t.Checks {
			if !ch.OK {
				line := fmt.Sprintf("turn %d: %s: want %s, got %s", j+1, ch.What, ch.Want, ch.Got)
				if first == "" {
					first = line
				}
				fmt.Fprintf(&b, "  ✗ %s\n", line)
			}
		}
	}
	for _, ch := range c.EndChecks {
		if !ch.OK {
			line := fmt.Sprintf("end: %s: want %s, got %s", ch.What, ch.Want, ch.Got)
			if first == "" {
				first = line
			}
			fmt.Fprintf(&b, "  ✗ %s\n", line)
		}
	}
	return first, b.String()
}

// WriteHTML writes one self-contained page: the metrics, charts (confusion heat map, per-intent
// F1, latency histogram, handoffs by reason) and every failing case's transcript with expected
// versus actual. Everything from suites and replies is escaped by html/template.
func (r *RunReport) WriteHTML(w io.Writer, cmp *Comparison) error {
	ir := &IntentReport{Metrics: Metrics{PerIntent: r.IntentScores}, Labels: r.ConfusionLabels, Matrix: r.ConfusionMatrix}
	var failing []*CaseResult
	for i := range r.Results {
		if !r.Results[i].Passed {
			failing = append(failing, &r.Results[i])
		}
	}
	return runHTML.Execute(w, map[string]any{
		"R": r, "Cmp": cmp, "Heat": ir.heatMap(), "Bars": ir.bars(), "BarsH": 24 + 16*len(r.IntentScores),
		"Lat": latencyBars(r.LatencyHistogram), "LatW": 60 + 44*len(r.LatencyHistogram), "Reasons": reasonBars(r.HandoffByReason),
		"Failing": failing, "ReasonsH": 24 + 18*len(r.HandoffByReason),
	})
}

type histBar struct {
	X, H, Y int
	Label   string
	Count   int
}

func latencyBars(bins []HistBin) []histBar {
	maxC := 1
	for _, b := range bins {
		maxC = max(maxC, b.Count)
	}
	out := make([]histBar, len(bins))
	for i, b := range bins {
		h := 150 * b.Count / maxC
		out[i] = histBar{X: 40 + 44*i, H: h, Y: 170 - h, Label: fmt.Sprintf("<%g", b.To), Count: b.Count}
	}
	return out
}

type reasonBar struct {
	Y, WExp, WMade, WOK int
	Name                string
	Expected, Made, OK  int
}

func reasonBars(m map[string]ReasonScore) []reasonBar {
	maxC := 1
	for _, s := range m {
		maxC = max(maxC, s.Expected, s.Made)
	}
	var out []reasonBar
	for i, n := range sortedKeys(m) {
		s := m[n]
		out = append(out, reasonBar{Y: 8 + 18*i, Name: n, Expected: s.Expected, Made: s.Made, OK: s.Correct,
			WExp: 260 * s.Expected / maxC, WMade: 260 * s.Made / maxC, WOK: 260 * s.Correct / maxC})
	}
	return out
}

var runHTML = template.Must(template.New("run").Funcs(template.FuncMap{
	"pct": pct,
	"ms":  func(f float64) string { return fmt.Sprintf("%.1f", f) },
	"delta": func(p *float64) string {
		if p == nil {
			return ""
		}
		return fmt.Sprintf("%+.4f", *p)
	},
}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Baton evaluation: {{.R.Passed}}/{{.R.Cases}} cases passed</title>
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:2em;color:#222;max-width:1200px}
table{border-collapse:collapse;margin:.5em 0}td,th{padding:3px 10px;text-align:left;border-bottom:1px solid #eee}
td.n{text-align:right;font-variant-numeric:tabular-nums}
.bad{color:#b00020;font-weight:600}.ok{color:#1b7f3b}
svg text{font:11px system-ui,sans-serif}
.case{border:1px solid #ddd;border-radius:6px;padding:.6em 1em;margin:1em 0}
.turn{margin:.4em 0 .8em}.u{color:#333}.b{color:#1d4f91;white-space:pre-wrap;margin-left:1.2em}
.chk{margin-left:1.2em;font-size:13px}
.grid{display:flex;flex-wrap:wrap;gap:2em}
</style></head><body>
<h1>Baton evaluation</h1>
<p>{{.R.StartedAt.Format "2006-01-02 15:04:05 UTC"}} · suites: {{range $i, $s := .R.Suites}}{{if $i}}, {{end}}{{$s}}{{end}} · {{printf "%.1f" .R.DurationSeconds}} s</p>
<table>
<tr><th>cases passed</th><td class="n">{{.R.Passed}} / {{.R.Cases}}</td><td></td></tr>
<tr><th>intent accuracy</th><td class="n">{{pct .R.IntentAccuracy}}</td><td>{{.R.Counts.IntentTurns}} turns</td></tr>
<tr><th>slot joint accuracy</th><td class="n">{{pct .R.SlotJointAccuracy}}</td><td>{{.R.Counts.SlotTurns}} turns</td></tr>
<tr><th>handoff precision</th><td class="n">{{pct .R.HandoffPrecision}}</td><td>{{.R.Counts.HandoffsMade}} handoffs, {{.R.Counts.HandoffJudged}} judged turns</td></tr>
<tr><th>handoff recall</th><td class="n">{{pct .R.HandoffRecall}}</td><td></td></tr>
<tr><th>citation accuracy</th><td class="n">{{pct .R.CitationAccuracy}}</td><td>{{.R.Counts.CitationTurns}} turns</td></tr>
<tr><th>containment rate</th><td class="n">{{printf "%.4f" .R.ContainmentRate}}</td><td>cases that ended without a handoff</td></tr>
<tr><th>wrong-answer rate</th><td class="n">{{pct .R.WrongAnswerRate}}</td><td>{{.R.Counts.WrongAnswers}} of {{.R.Counts.AnsweredTurns}} answered turns</td></tr>
{{if .R.JudgePassRate}}<tr><th>judge pass rate</th><td class="n">{{pct .R.JudgePassRate}}</td><td>{{.R.Counts.JudgedAnswers}} answers graded</td></tr>{{end}}
<tr><th>latency p50 / p95</th><td class="n">{{ms .R.LatencyP50MS}} / {{ms .R.LatencyP95MS}} ms</td><td>per turn</td></tr>
</table>
{{with .Cmp}}<h2>Against the baseline</h2>
<table><tr><th>metric</th><th>baseline</th><th>now</th><th>change</th><th></th></tr>
{{range .Metrics}}<tr><td>{{.Metric}}</td><td class="n">{{pct .Baseline}}</td><td class="n">{{pct .Current}}</td><td class="n">{{delta .Delta}}</td><td>{{if .Regression}}<span class="bad">regression</span>{{end}}</td></tr>
{{end}}</table>
{{range .NewFailures}}<p class="bad">newly failing: {{.Case}} (was {{.Was}})</p>{{end}}
{{range .Fixed}}<p class="ok">fixed: {{.Case}}</p>{{end}}
{{if .Regressed}}<p class="bad">Regression: {{range $i, $r := .Regressions}}{{if $i}}; {{end}}{{$r}}{{end}}</p>{{else}}<p class="ok">No regression (tolerance {{printf "%.3f" .Tolerance}}).</p>{{end}}
{{end}}
<div class="grid">
<div><h2>Intent confusion</h2>
<p>Rows: expected; columns: understood ("oos" = out of scope). Blue: right; red: confused.</p>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Heat.Width}}" height="{{.Heat.Height}}">
{{range .Heat.Labels}}<text x="{{$.Heat.Left}}" dx="-4" y="{{.Row}}" dy="4" text-anchor="end">{{.Text}}</text>
<text transform="translate({{.Col}},{{$.Heat.Top}}) rotate(-60)" dx="4" dy="4">{{.Text}}</text>
{{end}}{{range .Heat.Cells}}<rect x="{{.X}}" y="{{.Y}}" width="{{$.Heat.Cell}}" height="{{$.Heat.Cell}}" fill="{{.Fill}}" stroke="#fff"><title>{{.Title}}</title></rect>
{{end}}</svg></div>
<div><h2>F1 per intent</h2>
<svg xmlns="http://www.w3.org/2000/svg" width="620" height="{{.BarsH}}">
{{range .Bars}}<text x="226" y="{{.Y}}" dy="11" text-anchor="end">{{.Label}}</text>
<rect x="230" y="{{.Y}}" width="{{.W}}" height="13" fill="#4a7ab0"><title>{{.Label}}: {{printf "%.3f" .F1}}</title></rect>
<text x="{{.W}}" dx="236" y="{{.Y}}" dy="11">{{printf "%.3f" .F1}}</text>
{{end}}</svg></div>
<div><h2>Latency per turn</h2>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.LatW}}" height="200">
{{range .Lat}}<rect x="{{.X}}" y="{{.Y}}" width="38" height="{{.H}}" fill="#6a9f58"><title>{{.Label}} ms: {{.Count}} turns</title></rect>
<text x="{{.X}}" y="185">{{.Label}}</text><text x="{{.X}}" y="{{.Y}}" dy="-3">{{.Count}}</text>
{{end}}<text x="0" y="198">ms</text></svg></div>
<div><h2>Handoffs by reason</h2>
<p><span style="color:#999">■</span> expected <span style="color:#c77c2c">■</span> made <span style="color:#1b7f3b">■</span> made for the expected reason</p>
<svg xmlns="http://www.w3.org/2000/svg" width="460" height="{{.ReasonsH}}">
{{range .Reasons}}<text x="146" y="{{.Y}}" dy="11" text-anchor="end">{{.Name}}</text>
<rect x="150" y="{{.Y}}" width="{{.WExp}}" height="5" fill="#999"><title>expected {{.Expected}}</title></rect>
<rect x="150" y="{{.Y}}" transform="translate(0,5)" width="{{.WMade}}" height="5" fill="#c77c2c"><title>made {{.Made}}</title></rect>
<rect x="150" y="{{.Y}}" transform="translate(0,10)" width="{{.WOK}}" height="5" fill="#1b7f3b"><title>right reason {{.OK}}</title></rect>
<text x="{{.WExp}}" dx="156" y="{{.Y}}" dy="11">{{.Made}} / {{.Expected}}</text>
{{end}}</svg></div>
</div>
<h2>Failing cases ({{len .Failing}})</h2>
{{range .Failing}}<div class="case"><h3>{{.Suite}} / {{.Case}}</h3><p><code>{{.File}}:{{.Line}}</code> · {{.Language}}{{range .Tags}} · {{.}}{{end}}</p>
{{if .Error}}<p class="bad">error: {{.Error}}</p>{{end}}
{{range $i, $t := .Turns}}<div class="turn"><div class="u"><b>customer:</b> {{$t.User}}</div>
{{range $t.Replies}}<div class="b"><b>bot [{{.Meta.Kind}}{{if .Meta.Intent}} · {{.Meta.Intent}}{{end}}]:</b> {{.Text}}{{range .Citations}} <i>[{{.Title}}]</i>{{end}}</div>{{end}}
{{if $t.Handoff}}<div class="chk">handed off: {{$t.Handoff.Reason}} → {{$t.Handoff.Skill}} (priority {{$t.Handoff.Priority}})</div>{{end}}
{{range $t.Checks}}<div class="chk">{{if .OK}}<span class="ok">✓</span>{{else}}<span class="bad">✗</span>{{end}} {{.What}}: expected <b>{{.Want}}</b>{{if not .OK}}, got <b>{{.Got}}</b>{{end}}</div>{{end}}
</div>{{end}}
{{range .EndChecks}}<div class="chk">{{if .OK}}<span class="ok">✓</span>{{else}}<span class="bad">✗</span>{{end}} end {{.What}}: expected <b>{{.Want}}</b>, got <b>{{.Got}}</b></div>{{end}}
</div>{{else}}<p class="ok">None.</p>{{end}}
</body></html>
`))
