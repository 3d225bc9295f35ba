// Package report computes the operations reports supervisors and admins read: volume, the bot's
// containment and handoff reasons, top intents and unanswered questions, response times, CSAT,
// tickets and SLA breaches, and compliance hits — each section one SQL query over a date range,
// an optional team and a time zone — and serves them as JSON and CSV.
package report

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/pii"
)

// Querier is what the reports read through: a pool, a connection or a transaction, in which each
// section's query runs in a (sub)transaction of its own with JIT compilation off — these queries
// take milliseconds to a second, and at a million messages the planner's cost estimates crossed
// jit_above_cost and spent more time compiling (half a second) than running.
type Querier interface {
	Begin(ctx context.Context) (pgx.Tx, error)
}

// Section is one table of the report: its key (also the CSV's name), its query and whether the
// team filter narrows it.
type Section struct {
	Key   string
	Query string
	// Team: the team filter applies (handoffs.skill, csat_ratings.team, tickets.team, sla_breaches.skill).
	Team bool
	// Mask names the columns whose text may carry personal data, masked with pii.Mask.
	Mask []string
}

// Sections lists every section in the order the page shows them.
var Sections = []Section{
	{Key: "hours", Query: hoursQuery},
	{Key: "days", Query: daysQuery},
	{Key: "channels", Query: channelsQuery},
	{Key: "languages", Query: languagesQuery},
	{Key: "bot", Query: botQuery},
	{Key: "intents", Query: intentsQuery},
	{Key: "unanswered", Query: unansweredQuery, Mask: []string{"question"}},
	{Key: "times", Query: timesQuery, Team: true},
	{Key: "csat", Query: csatQuery, Team: true},
	{Key: "tickets", Query: ticketsQuery, Team: true},
	{Key: "compliance", Query: complianceQuery},
}

// SectionByKey finds a section.
func SectionByKey(key string) (Section, bool) {
	for _, s := range Sections {
		if s.Key == key {
			return s, true
		}
	}
	return Section{}, false
}

// Table is a section's result: column names and rows of int32/int64/float64/string/nil values.
type Table struct {
	Columns []string `json:"columns"`
	Rows    [][]any  `json:"rows"`
	// TeamFiltered says whether the team filter narrowed this table.
	TeamFiltered bool `json:"team_filtered"`
}

// Report is every section for one filter, with the headline figures.
type Report struct {
	Filter   Filter            `json:"filter"`
	Teams    []string          `json:"teams"`
	Summary  Summary           `json:"summary"`
	Sections map[string]*Table `json:"sections"`
}

// Run computes the whole report.
func Run(ctx context.Context, q Querier, f Filter) (*Report, error) {
	r := &Report{Filter: f, Sections: map[string]*Table{}}
	for _, s := range Sections {
		t, err := RunSection(ctx, q, s, f)
		if err != nil {
			return nil, err
		}
		r.Sections[s.Key] = t
	}
	teams, err := Teams(ctx, q)
	if err != nil {
		return nil, err
	}
	r.Teams = teams
	r.Summary = summarize(r.Sections)
	return r, nil
}

// RunSection runs one section's query.
func RunSection(ctx context.Context, q Querier, s Section, f Filter) (*Table, error) {
	tx, err := q.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: %s: %w", s.Key, err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read only
	if _, err := tx.Exec(ctx, "SET LOCAL jit = off"); err != nil {
		return nil, fmt.Errorf("report: %s: %w", s.Key, err)
	}
	rows, err := tx.Query(ctx, s.Query, f.Start, f.End, f.Team, f.TZ)
	if err != nil {
		return nil, fmt.Errorf("report: %s: %w", s.Key, err)
	}
	defer rows.Close()
	t := &Table{Rows: [][]any{}, TeamFiltered: s.Team && f.Team != ""}
	masked := map[int]bool{}
	for i, fd := range rows.FieldDescriptions() {
		t.Columns = append(t.Columns, fd.Name)
		for _, m := range s.Mask {
			if fd.Name == m {
				masked[i] = true
			}
		}
	}
	for rows.Next() {
		vals, err := rows.Values()
		if err != nil {
			return nil, fmt.Errorf("report: %s: %w", s.Key, err)
		}
		for i := range vals {
			if str, ok := vals[i].(string); ok && masked[i] {
				vals[i] = pii.Mask(str)
			}
		}
		t.Rows = append(t.Rows, vals)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("report: %s: %w", s.Key, err)
	}
	return t, nil
}

// Teams lists the teams a report may be narrowed to.
func Teams(ctx context.Context, q Querier) ([]string, error) {
	tx, err := q.Begin(ctx)
	if err != nil {
		return nil, fmt.Errorf("report: teams: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx)) //nolint:errcheck // read only
	rows, err := tx.Query(ctx, teamsQuery)
	if err != nil {
		return nil, fmt.Errorf("report: teams: %w", err)
	}
	teams, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return nil, fmt.Errorf("report: teams: %w", err)
	}
	return teams, nil
}

// Col returns the index of column name, or -1.
func (t *Table) Col(name string) int {
	for i, c := range t.Columns {
		if c == name {
			return i
		}
	}
	return -1
}

// Sum adds up column name over every row (0 when there is no such column).
func (t *Table) Sum(name string) float64 {
	i := t.Col(name)
	if i < 0 {
		return 0
	}
	var sum float64
	for _, row := range t.Rows {
		sum += number(row[i])
	}
	return sum
}

func number(v any) float64 {
	switch n := v.(type) {
	case int32:
		return float64(n)
	case int64:
		return float64(n)
	case float64:
		return n
	}
	return 0
}

// dayStart is midnight of day in loc.
func dayStart(day time.Time, loc *time.Location) time.Time {
	return time.Date(day.Year(), day.Month(), day.Day(), 0, 0, 0, 0, loc)
}
