package evals

import (
	"cmp"
	"fmt"
	"html/template"
	"io"
	"slices"
	"unicode/utf8"
)

// maxHeatLabels bounds the heat map: with more classes it shows those in the most confusions.
const maxHeatLabels = 40

// WriteHTML writes one self-contained page (inline SVG, no external assets) with the confusion
// heat map and per-intent F1 bars. html/template escapes every dataset string.
func (r *IntentReport) WriteHTML(w io.Writer) error {
	return htmlReport.Execute(w, struct {
		R     *IntentReport
		Heat  heatMap
		Bars  []bar
		BarsH int
	}{r, r.heatMap(), r.bars(), 24 + 16*len(r.PerIntent)})
}

type heatCell struct {
	X, Y  int
	Count int
	Fill  string
	Title string
}

type heatLabel struct {
	Row, Col int // centre of the label's row and column
	Text     string
}

type heatMap struct {
	Width, Height, Cell int
	Left, Top           int // room for the row and the column labels
	Cells               []heatCell
	Labels              []heatLabel
	Partial             bool
	Shown, Total        int
}

// heatMap lays out the row-normalised confusion matrix over the labels involved in the most
// confusions (all of them when there are few).
func (r *IntentReport) heatMap() heatMap {
	n := len(r.Labels)
	involved := make([]int, n)
	for i := range n {
		for j := range n {
			if i != j {
				involved[i] += r.Matrix[i][j]
				involved[j] += r.Matrix[i][j]
			}
		}
	}
	var idx []int
	for i := range n {
		if rowSum(r.Matrix[i]) > 0 || involved[i] > 0 {
			idx = append(idx, i)
		}
	}
	partial := len(idx) > maxHeatLabels
	if partial {
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(involved[b], involved[a]) })
		idx = idx[:maxHeatLabels]
		slices.Sort(idx)
	}
	// room for the longest label at about 6.5 px a character; column labels slant at 60°
	longest := 0
	for _, i := range idx {
		longest = max(longest, utf8.RuneCountInString(r.Labels[i]))
	}
	left := 16 + int(6.5*float64(longest))
	h := heatMap{Cell: 18, Left: left, Top: 10 + left*87/100, Partial: partial, Shown: len(idx), Total: n}
	h.Width = h.Left + h.Cell*len(idx) + left/2 + 10
	h.Height = h.Top + h.Cell*len(idx) + 10
	for y, i := range idx {
		h.Labels = append(h.Labels, heatLabel{Row: h.Top + y*h.Cell + h.Cell/2, Col: h.Left + y*h.Cell + h.Cell/2, Text: r.Labels[i]})
		total := rowSum(r.Matrix[i])
		for x, j := range idx {
			c := r.Matrix[i][j]
			share := 0.0
			if total > 0 {
				share = float64(c) / float64(total)
			}
			h.Cells = append(h.Cells, heatCell{
				X: h.Left + x*h.Cell, Y: h.Top + y*h.Cell, Count: c, Fill: heatColour(share, i == j),
				Title: fmt.Sprintf("%s → %s: %d (%.0f%% of the row)", r.Labels[i], r.Labels[j], c, 100*share),
			})
		}
	}
	return h
}

func rowSum(row []int) int {
	s := 0
	for _, v := range row {
		s += v
	}
	return s
}

// heatColour shades the diagonal blue and confusions red, by share of the gold row.
func heatColour(share float64, diagonal bool) string {
	if share == 0 {
		return "#f7f7f7"
	}
	t := 0.15 + 0.85*share
	if diagonal {
		return fmt.Sprintf("rgb(%d,%d,%d)", int(247-200*t), int(247-150*t), 247)
	}
	return fmt.Sprintf("rgb(%d,%d,%d)", 247, int(247-200*t), int(247-200*t))
}

type bar struct {
	Y, W  int
	Label string
	F1    float64
}

// bars are the per-intent F1 bars, worst first.
func (r *IntentReport) bars() []bar {
	scores := slices.Clone(r.PerIntent)
	slices.SortStableFunc(scores, func(a, b IntentScore) int { return cmp.Compare(a.F1, b.F1) })
	out := make([]bar, len(scores))
	for i, s := range scores {
		out[i] = bar{Y: 8 + 16*i, W: int(300 * s.F1), Label: s.Intent, F1: s.F1}
	}
	return out
}

func pct(p *float64) string {
	if p == nil {
		return "–"
	}
	return fmt.Sprintf("%.4f", *p)
}

var htmlReport = template.Must(template.New("report").Funcs(template.FuncMap{"pct": pct}).Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Intent evaluation</title>
<style>
body{font:14px/1.4 system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{padding:2px 10px;text-align:left}
td.n{text-align:right;font-variant-numeric:tabular-nums}
svg text{font:11px system-ui,sans-serif}
</style></head><body>
<h1>Intent evaluation</h1>
<p>Trained on <code>{{.R.TrainFile}}</code> ({{.R.TrainRows}} rows, {{.R.TrainOOSRows}} out of scope, {{.R.Intents}} intents);
tested on <code>{{.R.TestFile}}</code> ({{.R.TestRows}} rows, {{.R.TestOOSRows}} out of scope).</p>
<table>
<tr><th>accuracy (refusal = wrong)</th><td class="n">{{printf "%.4f" .R.Accuracy}}</td></tr>
<tr><th>accuracy of the top intent, no threshold</th><td class="n">{{printf "%.4f" .R.AccuracyNoRefusal}}</td></tr>
<tr><th>macro F1</th><td class="n">{{printf "%.4f" .R.MacroF1}}</td></tr>
<tr><th>OOS precision</th><td class="n">{{pct .R.OOSPrecision}}</td></tr>
<tr><th>OOS recall</th><td class="n">{{pct .R.OOSRecall}}</td></tr>
<tr><th>ECE</th><td class="n">{{printf "%.4f" .R.ECE}}</td></tr>
<tr><th>threshold</th><td class="n">{{printf "%.4f" .R.Threshold}}</td></tr>
<tr><th>training</th><td class="n">{{printf "%.2f" .R.TrainSeconds}} s</td></tr>
<tr><th>classifications per second</th><td class="n">{{printf "%.0f" .R.ClassifyPerSecond}}</td></tr>
</table>
<h2>Most confused</h2>
<table><tr><th>gold</th><th>predicted</th><th>count</th></tr>
{{range .R.Confused}}<tr><td>{{.Gold}}</td><td>{{.Predicted}}</td><td class="n">{{.Count}}</td></tr>
{{end}}</table>
<h2>Confusion matrix</h2>
<p>Rows are gold labels, columns predictions, shaded by share of the row (blue: correct, red: confused).
{{if .Heat.Partial}}Showing the {{.Heat.Shown}} of {{.Heat.Total}} labels involved in the most confusions.{{end}}</p>
<svg xmlns="http://www.w3.org/2000/svg" width="{{.Heat.Width}}" height="{{.Heat.Height}}">
{{range .Heat.Labels}}<text x="{{$.Heat.Left}}" dx="-4" y="{{.Row}}" dy="4" text-anchor="end">{{.Text}}</text>
<text transform="translate({{.Col}},{{$.Heat.Top}}) rotate(-60)" dx="4" dy="4">{{.Text}}</text>
{{end}}{{range .Heat.Cells}}<rect x="{{.X}}" y="{{.Y}}" width="{{$.Heat.Cell}}" height="{{$.Heat.Cell}}" fill="{{.Fill}}" stroke="#fff"><title>{{.Title}}</title></rect>
{{end}}</svg>
<h2>F1 per intent</h2>
<svg xmlns="http://www.w3.org/2000/svg" width="620" height="{{.BarsH}}">
{{range .Bars}}<text x="226" y="{{.Y}}" dy="11" text-anchor="end">{{.Label}}</text>
<rect x="230" y="{{.Y}}" width="{{.W}}" height="13" fill="#4a7ab0"><title>{{.Label}}: {{printf "%.3f" .F1}}</title></rect>
<text x="{{.W}}" dx="236" y="{{.Y}}" dy="11">{{printf "%.3f" .F1}}</text>
{{end}}</svg>
</body></html>
`))
