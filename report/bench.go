package report

import (
	"context"
	"math"
	"slices"
	"time"
)

// BenchRange is the timing of the whole report (every section) over one range.
type BenchRange struct {
	Days     int                   `json:"days"`
	Runs     int                   `json:"runs"`
	P50Ms    float64               `json:"p50_ms"`
	MaxMs    float64               `json:"max_ms"`
	Sections map[string]BenchTimes `json:"sections"`
	Summary  Summary               `json:"summary"`
}

// BenchTimes is one section's p50 and max over the runs.
type BenchTimes struct {
	P50Ms float64 `json:"p50_ms"`
	MaxMs float64 `json:"max_ms"`
}

// BenchRanges times the full report for ranges ending today (UTC), runs times each, section by
// section.
func BenchRanges(ctx context.Context, q Querier, days []int, runs int, now time.Time) ([]BenchRange, error) {
	var out []BenchRange
	for _, d := range days {
		to := now.UTC().Format(time.DateOnly)
		from := now.UTC().AddDate(0, 0, -(d - 1)).Format(time.DateOnly)
		f, err := ParseFilter(from, to, "", "UTC", "", now)
		if err != nil {
			return nil, err
		}
		totals := []float64{}
		per := map[string][]float64{}
		var last map[string]*Table
		for range runs {
			start := time.Now()
			last = map[string]*Table{}
			for _, s := range Sections {
				t0 := time.Now()
				t, err := RunSection(ctx, q, s, f)
				if err != nil {
					return nil, err
				}
				last[s.Key] = t
				per[s.Key] = append(per[s.Key], ms(time.Since(t0)))
			}
			totals = append(totals, ms(time.Since(start)))
		}
		r := BenchRange{Days: d, Runs: runs, Sections: map[string]BenchTimes{}, Summary: summarize(last)}
		r.P50Ms, r.MaxMs = p50(totals), slices.Max(totals)
		for k, v := range per {
			r.Sections[k] = BenchTimes{P50Ms: p50(v), MaxMs: slices.Max(v)}
		}
		out = append(out, r)
	}
	return out, nil
}

func ms(d time.Duration) float64 { return math.Round(float64(d.Microseconds())/10) / 100 }

func p50(v []float64) float64 {
	s := slices.Clone(v)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return math.Round((s[n/2-1]+s[n/2])*50) / 100
}
