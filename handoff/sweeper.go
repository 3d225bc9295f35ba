package handoff

import (
	"context"
	"log/slog"
	"time"
)

// Sweeper does the routing work no request triggers: it marks away agents whose workbench stopped
// sending heartbeats, moves offers not accepted in time to the next agent, reassigns chats their
// agent left unanswered, drains the queue to any free agent a skipped lock made the router miss,
// and records SLA breaches. Every step is a transaction that is safe to run in several processes
// at once.
type Sweeper struct {
	Store         *Store
	Every         time.Duration // how often to sweep
	PresenceGrace time.Duration // an online agent not seen for this long goes away
	ReplyTimeout  time.Duration // an assignment unanswered for this long is reassigned
	OfferTimeout  time.Duration // an offer not accepted for this long goes to the next agent (0: never)
	Log           *slog.Logger
}

// Run sweeps until ctx ends.
func (w *Sweeper) Run(ctx context.Context) {
	t := time.NewTicker(w.Every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			w.Sweep(ctx)
		}
	}
}

// Sweep runs one round.
func (w *Sweeper) Sweep(ctx context.Context) {
	if n, err := w.Store.PresenceSweep(ctx, w.PresenceGrace); err != nil {
		w.logErr(ctx, "presence sweep failed", err)
	} else if n > 0 {
		w.Log.Info("agents marked away after missed heartbeats", "agents", n)
	}
	if w.OfferTimeout > 0 {
		if n, err := w.Store.ReassignUnaccepted(ctx, w.OfferTimeout); err != nil {
			w.logErr(ctx, "moving unaccepted offers failed", err)
		} else if n > 0 {
			w.Log.Info("unaccepted offers moved to the next agent", "offers", n)
		}
		if n, err := w.Store.ReofferRounds(ctx, w.OfferTimeout); err != nil {
			w.logErr(ctx, "offering again failed", err)
		} else if n > 0 {
			w.Log.Info("lapsed or declined chats offered again", "chats", n)
		}
	}
	if n, err := w.Store.ReassignLapsed(ctx, w.ReplyTimeout); err != nil {
		w.logErr(ctx, "reassigning unanswered chats failed", err)
	} else if n > 0 {
		w.Log.Info("unanswered chats reassigned", "chats", n)
	}
	if _, err := w.Store.DrainAll(ctx); err != nil {
		w.logErr(ctx, "queue drain failed", err)
	}
	w.sweepSLA(ctx)
}

func (w *Sweeper) logErr(ctx context.Context, msg string, err error) {
	if ctx.Err() == nil {
		w.Log.Error(msg, "err", err)
	}
}
