package handoff

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sync"

	"github.com/jackc/pgx/v5"
)

// SummaryWriter writes a summary of a handoff snapshot in its language: an LLM behind an
// OpenAI-compatible endpoint (bot.LLM).
type SummaryWriter interface {
	Summarize(ctx context.Context, c Context) (string, error)
	ModelName() string
}

// Summaries gives each handoff its summary: the LLM's when one is configured and answers (written
// once per handoff and kept), otherwise, or when it fails or times out, an extractive one.
type Summaries struct {
	Store  *Store
	Writer SummaryWriter // nil: extractive only
	Log    *slog.Logger

	mu       sync.Mutex
	inflight map[int64]*summaryCall
}

type summaryCall struct {
	done chan struct{}
	sum  Summary
	ok   bool
}

// For returns h's summary. Concurrent requests for one handoff share one LLM call.
func (s *Summaries) For(ctx context.Context, h Handoff) (Summary, error) {
	if s.Writer == nil {
		return s.extractive(h), nil
	}
	if sum, ok, err := s.Store.summaryGet(ctx, h.ID); err != nil || ok {
		return sum, err
	}
	s.mu.Lock()
	if s.inflight == nil {
		s.inflight = map[int64]*summaryCall{}
	}
	call, waiting := s.inflight[h.ID]
	if !waiting {
		call = &summaryCall{done: make(chan struct{})}
		s.inflight[h.ID] = call
	}
	s.mu.Unlock()
	if waiting {
		select {
		case <-call.done:
		case <-ctx.Done():
			return Summary{}, ctx.Err()
		}
	} else {
		call.sum, call.ok = s.write(ctx, h)
		s.mu.Lock()
		delete(s.inflight, h.ID)
		s.mu.Unlock()
		close(call.done)
	}
	if !call.ok {
		return s.extractive(h), nil
	}
	return call.sum, nil
}

// write asks the LLM and keeps its answer; false when it failed (the caller falls back).
func (s *Summaries) write(ctx context.Context, h Handoff) (Summary, bool) {
	text, err := s.Writer.Summarize(ctx, h.Context)
	if err != nil {
		if s.Log != nil {
			s.Log.Warn("handoff summary: LLM failed; showing an extractive summary", "handoff_id", h.ID, "err", err)
		}
		return Summary{}, false
	}
	sum := Summary{Text: text, Source: SummaryLLM, Model: s.Writer.ModelName(), HandoffID: h.ID}
	if err := s.Store.summaryPut(ctx, sum); err != nil && s.Log != nil {
		s.Log.Warn("handoff summary: not kept", "handoff_id", h.ID, "err", err)
	}
	return sum, true
}

func (s *Summaries) extractive(h Handoff) Summary {
	sum := Extractive(h.Context)
	sum.HandoffID = h.ID
	return sum
}

func (s *Store) summaryGet(ctx context.Context, handoffID int64) (Summary, bool, error) {
	sum := Summary{HandoffID: handoffID}
	err := s.pool.QueryRow(ctx, `SELECT text, source, model FROM handoff_summaries WHERE handoff_id = $1`, handoffID).
		Scan(&sum.Text, &sum.Source, &sum.Model)
	if errors.Is(err, pgx.ErrNoRows) {
		return Summary{}, false, nil
	}
	if err != nil {
		return Summary{}, false, fmt.Errorf("handoff: read summary: %w", err)
	}
	return sum, true, nil
}

func (s *Store) summaryPut(ctx context.Context, sum Summary) error {
	_, err := s.pool.Exec(ctx, `INSERT INTO handoff_summaries (handoff_id, text, source, model) VALUES ($1, $2, $3, $4)
		ON CONFLICT (handoff_id) DO NOTHING`, sum.HandoffID, sum.Text, sum.Source, sum.Model)
	if err != nil {
		return fmt.Errorf("handoff: keep summary: %w", err)
	}
	return nil
}
