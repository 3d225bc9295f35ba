package handoff

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
)

// Disposition is how a conversation ended, chosen by the agent at wrap-up.
type Disposition struct {
	Code    string `json:"code"`
	LabelEN string `json:"label_en"`
	LabelZH string `json:"label_zh"`
	// Suggest says whether the agent's answer may become a knowledge-base suggestion.
	Suggest bool `json:"suggest"`
	Active  bool `json:"active"`
}

// DefaultDispositions apply until an admin sets a list of their own.
var DefaultDispositions = []Disposition{
	{Code: "resolved", LabelEN: "Resolved", LabelZH: "已解决", Suggest: true, Active: true},
	{Code: "info_provided", LabelEN: "Information provided", LabelZH: "已提供信息", Suggest: true, Active: true},
	{Code: "refund_issued", LabelEN: "Refund issued", LabelZH: "已退款", Suggest: true, Active: true},
	{Code: "replacement_sent", LabelEN: "Replacement sent", LabelZH: "已安排补发或换货", Suggest: true, Active: true},
	{Code: "escalated", LabelEN: "Escalated", LabelZH: "已升级处理", Suggest: true, Active: true},
	{Code: "follow_up", LabelEN: "Follow-up needed", LabelZH: "需后续跟进", Suggest: true, Active: true},
	{Code: "no_response", LabelEN: "No response from the customer", LabelZH: "客户未回复", Suggest: true, Active: true},
	{Code: "duplicate", LabelEN: "Duplicate", LabelZH: "重复会话", Suggest: false, Active: true},
	{Code: "spam", LabelEN: "Spam", LabelZH: "垃圾信息", Suggest: false, Active: true},
}

// Limits of a wrap-up.
const (
	MaxDispositions      = 50
	maxDispositionLabel  = 80
	MaxResolutionNoteLen = 2000
)

var dispositionCode = regexp.MustCompile(`^[a-z0-9_]{1,40}$`)

// WrapUp is what an agent records when resolving: the disposition (required) and a note.
type WrapUp struct {
	Disposition string `json:"disposition"`
	Note        string `json:"note"`
}

const dispositionSelect = `SELECT code, label_en, label_zh, suggest, active FROM dispositions ORDER BY position, code`

type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
}

func listDispositions(ctx context.Context, q querier) ([]Disposition, error) {
	rows, err := q.Query(ctx, dispositionSelect)
	if err != nil {
		return nil, fmt.Errorf("handoff: dispositions: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (Disposition, error) {
		var d Disposition
		err := r.Scan(&d.Code, &d.LabelEN, &d.LabelZH, &d.Suggest, &d.Active)
		return d, err
	})
	if err != nil {
		return nil, fmt.Errorf("handoff: dispositions: %w", err)
	}
	if len(out) == 0 {
		return append([]Disposition(nil), DefaultDispositions...), nil
	}
	return out, nil
}

// Dispositions lists the wrap-up dispositions in their order; all includes retired ones, which
// old conversations may still name.
func (s *Store) Dispositions(ctx context.Context, all bool) ([]Disposition, error) {
	list, err := listDispositions(ctx, s.pool)
	if err != nil || all {
		return list, err
	}
	active := list[:0]
	for _, d := range list {
		if d.Active {
			active = append(active, d)
		}
	}
	return active, nil
}

// DispositionSpec is one entry of a list an admin sets; Active and Suggest default to true.
type DispositionSpec struct {
	Code    string `json:"code"`
	LabelEN string `json:"label_en"`
	LabelZH string `json:"label_zh"`
	Suggest *bool  `json:"suggest"`
	Active  *bool  `json:"active"`
}

// DispositionsSet replaces the list agents choose from, in the given order. Codes left out are
// retired rather than deleted, so conversations wrapped up with them keep their label.
func (s *Store) DispositionsSet(ctx context.Context, specs []DispositionSpec) ([]Disposition, error) {
	if len(specs) == 0 || len(specs) > MaxDispositions {
		return nil, fmt.Errorf("%w: give between 1 and %d dispositions", ErrInvalid, MaxDispositions)
	}
	seen := map[string]bool{}
	active := 0
	for i := range specs {
		d := &specs[i]
		d.Code, d.LabelEN, d.LabelZH = strings.TrimSpace(d.Code), strings.TrimSpace(d.LabelEN), strings.TrimSpace(d.LabelZH)
		if !dispositionCode.MatchString(d.Code) {
			return nil, fmt.Errorf("%w: disposition code %q (lower-case letters, digits and _, at most 40)", ErrInvalid, d.Code)
		}
		if seen[d.Code] {
			return nil, fmt.Errorf("%w: disposition %q is listed twice", ErrInvalid, d.Code)
		}
		seen[d.Code] = true
		if d.LabelEN == "" || d.LabelZH == "" || utf8.RuneCountInString(d.LabelEN) > maxDispositionLabel || utf8.RuneCountInString(d.LabelZH) > maxDispositionLabel {
			return nil, fmt.Errorf("%w: disposition %q needs label_en and label_zh of at most %d characters", ErrInvalid, d.Code, maxDispositionLabel)
		}
		if d.Active == nil || *d.Active {
			active++
		}
	}
	if active == 0 {
		return nil, fmt.Errorf("%w: at least one disposition must be active", ErrInvalid)
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The built-in list becomes rows first, so its codes are retired like any other.
		if _, err := tx.Exec(ctx, `LOCK TABLE dispositions IN EXCLUSIVE MODE`); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRow(ctx, `SELECT count(*) FROM dispositions`).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			for i, d := range DefaultDispositions {
				if _, err := tx.Exec(ctx, `INSERT INTO dispositions (code, label_en, label_zh, suggest, active, position)
					VALUES ($1, $2, $3, $4, $5, $6)`, d.Code, d.LabelEN, d.LabelZH, d.Suggest, d.Active, 1000+i); err != nil {
					return err
				}
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE dispositions SET active = false, position = position + 10000 WHERE position < 10000`); err != nil {
			return err
		}
		for i, d := range specs {
			if _, err := tx.Exec(ctx, `INSERT INTO dispositions (code, label_en, label_zh, suggest, active, position)
				VALUES ($1, $2, $3, $4, $5, $6)
				ON CONFLICT (code) DO UPDATE SET label_en = EXCLUDED.label_en, label_zh = EXCLUDED.label_zh,
					suggest = EXCLUDED.suggest, active = EXCLUDED.active, position = EXCLUDED.position`,
				d.Code, d.LabelEN, d.LabelZH, d.Suggest == nil || *d.Suggest, d.Active == nil || *d.Active, i); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("handoff: set dispositions: %w", err)
	}
	return s.Dispositions(ctx, true)
}

// checkWrapUp validates a wrap-up against the current list and returns its disposition.
func checkWrapUp(ctx context.Context, tx pgx.Tx, w *WrapUp) (Disposition, error) {
	w.Disposition, w.Note = strings.TrimSpace(w.Disposition), strings.TrimSpace(w.Note)
	if w.Disposition == "" {
		return Disposition{}, fmt.Errorf("%w: a disposition is required to resolve", ErrInvalid)
	}
	if utf8.RuneCountInString(w.Note) > MaxResolutionNoteLen {
		return Disposition{}, fmt.Errorf("%w: the resolution note must be at most %d characters", ErrInvalid, MaxResolutionNoteLen)
	}
	list, err := listDispositions(ctx, tx)
	if err != nil {
		return Disposition{}, err
	}
	for _, d := range list {
		if d.Code == w.Disposition && d.Active {
			return d, nil
		}
	}
	return Disposition{}, fmt.Errorf("%w: unknown disposition %q", ErrInvalid, w.Disposition)
}
