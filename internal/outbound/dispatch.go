package outbound

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
)

// Dispatcher sends due deliveries. Every Baton process runs one; each delivery is taken by one of
// them (SKIP LOCKED) with a lease, so a process that dies mid-send leaves it to be retried.
type Dispatcher struct {
	Pool   *pgxpool.Pool
	Client *http.Client
	Log    *slog.Logger
	// Every is how often it looks for due deliveries (default 1 s).
	Every time.Duration
	// Backoff is the wait after the n-th failed attempt (default: 10 s × 2^(n-1), at most 1 h).
	Backoff func(attempt int) time.Duration
	// MaxAttempts: after this many failures a delivery is given up (default 12, about 11 hours).
	MaxAttempts int
	// Wake, when it receives, makes the dispatcher look at once (a test, or a fresh delivery).
	Wake chan struct{}
	// Mail sends the e-mail channel's deliveries; nil: e-mail is not set up, and they wait.
	Mail Sender
}

// Sender sends one delivery of a kind other than an HTTP POST: the channel adapters that are not
// a signed HTTP API (e-mail).
type Sender interface {
	Send(ctx context.Context, deliveryID int64, payload []byte) error
}

// lease is how long a taken delivery is left alone while it is being sent.
const lease = 2 * time.Minute

// sendTimeout bounds one HTTP attempt.
const sendTimeout = 10 * time.Second

func (d *Dispatcher) defaults() {
	if d.Every <= 0 {
		d.Every = time.Second
	}
	if d.Backoff == nil {
		d.Backoff = func(n int) time.Duration {
			return min(10*time.Second<<min(n-1, 12), time.Hour)
		}
	}
	if d.MaxAttempts <= 0 {
		d.MaxAttempts = 12
	}
	if d.Client == nil {
		d.Client = &http.Client{Timeout: sendTimeout}
	}
}

// Run sends due deliveries until ctx ends.
func (d *Dispatcher) Run(ctx context.Context) {
	d.defaults()
	t := time.NewTicker(d.Every)
	defer t.Stop()
	for {
		for {
			n, err := d.RunOnce(ctx)
			if err != nil && ctx.Err() == nil {
				d.Log.Warn("deliveries", "err", err)
			}
			if n < batch || err != nil {
				break
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		case <-d.Wake:
		}
	}
}

const batch = 20

type due struct {
	id               int64
	kind             string
	event            string
	payload          []byte
	attempts         int
	createdAt        time.Time
	url, secret      string
	webhook, channel *string
}

// RunOnce takes up to a batch of due deliveries and sends them; it returns how many it took.
func (d *Dispatcher) RunOnce(ctx context.Context) (int, error) {
	d.defaults()
	rows, err := d.Pool.Query(ctx, `
UPDATE deliveries x SET attempts = x.attempts + 1, next_attempt_at = now() + make_interval(secs => $1)
 WHERE x.id IN (SELECT id FROM deliveries WHERE delivered_at IS NULL AND failed_at IS NULL AND next_attempt_at <= now()
                   AND (kind = 'http' OR $3)
                 ORDER BY next_attempt_at, id LIMIT $2 FOR UPDATE SKIP LOCKED)
RETURNING x.id, x.kind, x.event, x.payload::text, x.attempts, x.created_at,
       COALESCE((SELECT w.url FROM webhooks w WHERE w.id = x.webhook_id), (SELECT c.outbound_url FROM channels c WHERE c.name = x.channel), ''),
       COALESCE((SELECT w.secret FROM webhooks w WHERE w.id = x.webhook_id), (SELECT c.secret FROM channels c WHERE c.name = x.channel), ''),
       x.webhook_id::text, x.channel`, lease.Seconds(), batch, d.Mail != nil)
	if err != nil {
		return 0, fmt.Errorf("outbound: take deliveries: %w", err)
	}
	var todo []due
	for rows.Next() {
		var x due
		var payload string
		if err := rows.Scan(&x.id, &x.kind, &x.event, &payload, &x.attempts, &x.createdAt, &x.url, &x.secret, &x.webhook, &x.channel); err != nil {
			rows.Close()
			return 0, fmt.Errorf("outbound: take deliveries: %w", err)
		}
		x.payload = []byte(payload)
		todo = append(todo, x)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("outbound: take deliveries: %w", err)
	}
	for _, x := range todo {
		sendErr := d.send(ctx, x)
		if ctx.Err() != nil {
			return len(todo), ctx.Err() // the lease runs out and another attempt sends it
		}
		if err := d.record(ctx, x, sendErr); err != nil {
			return len(todo), err
		}
	}
	return len(todo), nil
}

// Body is what a delivery POSTs: the event, when it happened, and its data.
type Body struct {
	ID        int64           `json:"id"`
	Event     string          `json:"event"`
	CreatedAt time.Time       `json:"created_at"`
	Data      json.RawMessage `json:"data"`
}

func (d *Dispatcher) send(ctx context.Context, x due) error {
	if x.kind == "email" {
		ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		defer cancel()
		return d.Mail.Send(ctx, x.id, x.payload)
	}
	if x.url == "" {
		return fmt.Errorf("no URL (the webhook or channel is gone)")
	}
	body, _ := json.Marshal(Body{ID: x.id, Event: x.event, CreatedAt: x.createdAt, Data: x.payload})
	ctx, cancel := context.WithTimeout(ctx, sendTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, x.url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	ts := time.Now().Unix()
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "Baton-Webhooks/1")
	req.Header.Set(HeaderEvent, x.event)
	req.Header.Set(HeaderDelivery, strconv.FormatInt(x.id, 10))
	req.Header.Set(HeaderTimestamp, strconv.FormatInt(ts, 10))
	req.Header.Set(HeaderSignature, Sign(x.secret, ts, body))
	res, err := d.Client.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(res.Body, 64<<10))
	if res.StatusCode < 200 || res.StatusCode > 299 {
		return fmt.Errorf("answered %d", res.StatusCode)
	}
	return nil
}

func (d *Dispatcher) record(ctx context.Context, x due, sendErr error) error {
	var err error
	switch {
	case sendErr == nil:
		_, err = d.Pool.Exec(ctx, `UPDATE deliveries SET delivered_at = now(), last_error = '' WHERE id = $1`, x.id)
	case x.attempts >= d.MaxAttempts:
		// The reason (which may name the URL) stays in the delivery row, not in the log.
		d.Log.Warn("delivery given up", "delivery", x.id, "event", x.event, "attempts", x.attempts)
		_, err = d.Pool.Exec(ctx, `UPDATE deliveries SET failed_at = now(), last_error = $2 WHERE id = $1`, x.id, clip(sendErr.Error()))
	default:
		_, err = d.Pool.Exec(ctx, `UPDATE deliveries SET next_attempt_at = now() + make_interval(secs => $2), last_error = $3 WHERE id = $1`,
			x.id, d.Backoff(x.attempts).Seconds(), clip(sendErr.Error()))
	}
	if err != nil {
		return fmt.Errorf("outbound: record delivery: %w", err)
	}
	return nil
}

func clip(s string) string {
	if len(s) > 300 {
		return s[:300]
	}
	return s
}
