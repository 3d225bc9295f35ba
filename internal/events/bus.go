// Package events fans Baton's live events out to WebSocket subscribers in every process on the
// same database. A writer calls Notify inside its transaction, so an event is seen only once the
// data it announces is committed. On native Postgres events arrive by LISTEN/NOTIFY; on the
// embedded PGlite server, whose notifications do not cross connections, the bus polls the events
// table instead (its transactions are serialised, so ids commit in order and polling by id
// misses nothing).
package events

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Channel is the Postgres notification channel Baton uses.
const Channel = "baton_events"

// QueueTopic carries changes to the human queue.
const QueueTopic = "queue"

// Event is one notification. It names what changed; subscribers read the data from the database.
type Event struct {
	Topic string `json:"topic"`
	Kind  string `json:"kind"` // "message", "status", "queue"
	Seq   int64  `json:"seq,omitempty"`
}

// ConversationTopic is the topic of one conversation's messages and status.
func ConversationTopic(id string) string { return "conv:" + id }

// notifySQL records an event and notifies listeners in one statement (one round trip).
const notifySQL = `WITH e AS (INSERT INTO events (topic, kind, seq) VALUES ($1, $2, $3) RETURNING id)
SELECT pg_notify($4, $5) FROM e`

// Notify records ev in tx; subscribers see it once tx commits.
func Notify(ctx context.Context, tx pgx.Tx, ev Event) error {
	b, _ := json.Marshal(ev)
	if _, err := tx.Exec(ctx, notifySQL, ev.Topic, ev.Kind, ev.Seq, Channel, string(b)); err != nil {
		return fmt.Errorf("events: notify: %w", err)
	}
	return nil
}

// PollInterval is how often a polling bus reads new events.
const PollInterval = 50 * time.Millisecond

// keepEvents is how long recorded events are kept for polling processes.
const keepEvents = 10 * time.Minute

// Bus delivers events to in-process subscribers.
type Bus struct {
	pool *pgxpool.Pool
	poll bool
	log  *slog.Logger
	mu   sync.Mutex
	subs map[string]map[chan Event]struct{}
	// ready is closed once the first LISTEN is in place.
	ready chan struct{}
	once  sync.Once
}

// NewBus returns a bus; Run must be started for it to deliver anything. poll selects polling the
// events table (the embedded database) over LISTEN/NOTIFY.
func NewBus(pool *pgxpool.Pool, poll bool, log *slog.Logger) *Bus {
	return &Bus{pool: pool, poll: poll, log: log, subs: map[string]map[chan Event]struct{}{}, ready: make(chan struct{})}
}

// Ready is closed once the bus listens.
func (b *Bus) Ready() <-chan struct{} { return b.ready }

// Subscribe returns a channel of the topic's events and a function that ends the subscription.
// A slow subscriber misses events rather than blocking others; events only say "look again",
// so a missed one is made good by the next.
func (b *Bus) Subscribe(topic string) (<-chan Event, func()) {
	ch := make(chan Event, 16)
	b.mu.Lock()
	if b.subs[topic] == nil {
		b.subs[topic] = map[chan Event]struct{}{}
	}
	b.subs[topic][ch] = struct{}{}
	b.mu.Unlock()
	return ch, func() {
		b.mu.Lock()
		delete(b.subs[topic], ch)
		if len(b.subs[topic]) == 0 {
			delete(b.subs, topic)
		}
		b.mu.Unlock()
	}
}

func (b *Bus) deliver(ev Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for ch := range b.subs[ev.Topic] {
		select {
		case ch <- ev:
		default:
		}
	}
}

// Run listens until ctx ends, reconnecting after errors.
func (b *Bus) Run(ctx context.Context) {
	for ctx.Err() == nil {
		err := b.receive(ctx)
		if ctx.Err() != nil {
			return
		}
		b.log.Warn("events: listener lost; reconnecting", "err", err)
		select {
		case <-ctx.Done():
			return
		case <-time.After(time.Second):
		}
	}
}

func (b *Bus) receive(ctx context.Context) error {
	if b.poll {
		return b.pollEvents(ctx)
	}
	return b.listen(ctx)
}

// pollEvents reads events by id, newest known first remembered, and prunes old ones.
func (b *Bus) pollEvents(ctx context.Context) error {
	var last int64
	if err := b.pool.QueryRow(ctx, `SELECT COALESCE(max(id), 0) FROM events`).Scan(&last); err != nil {
		return err
	}
	b.once.Do(func() { close(b.ready) })
	b.resync()
	tick := time.NewTicker(PollInterval)
	defer tick.Stop()
	pruned := time.Now()
	for {
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-tick.C:
		}
		rows, err := b.pool.Query(ctx, `SELECT id, topic, kind, seq FROM events WHERE id > $1 ORDER BY id LIMIT 1000`, last)
		if err != nil {
			return err
		}
		var batch []Event
		for rows.Next() {
			var ev Event
			if err := rows.Scan(&last, &ev.Topic, &ev.Kind, &ev.Seq); err != nil {
				rows.Close()
				return err
			}
			batch = append(batch, ev)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, ev := range batch {
			b.deliver(ev)
		}
		if time.Since(pruned) > time.Minute {
			pruned = time.Now()
			if _, err := b.pool.Exec(ctx, `DELETE FROM events WHERE created_at < $1`, time.Now().Add(-keepEvents)); err != nil {
				return err
			}
		}
	}
}

// resync wakes every subscriber to re-read, after a reconnect may have lost events.
func (b *Bus) resync() {
	b.mu.Lock()
	topics := make([]string, 0, len(b.subs))
	for t := range b.subs {
		topics = append(topics, t)
	}
	b.mu.Unlock()
	for _, t := range topics {
		b.deliver(Event{Topic: t, Kind: "resync"})
	}
}

func (b *Bus) listen(ctx context.Context) error {
	conn, err := b.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	if _, err := conn.Exec(ctx, "LISTEN "+Channel); err != nil {
		return err
	}
	b.once.Do(func() { close(b.ready) })
	b.resync()
	for {
		n, err := conn.Conn().WaitForNotification(ctx)
		if err != nil {
			// The wait's cancellation closes the connection; the pool discards it.
			return err
		}
		var ev Event
		if json.Unmarshal([]byte(n.Payload), &ev) != nil || ev.Topic == "" {
			continue
		}
		b.deliver(ev)
	}
}

// UserTopic is the topic of one staff user's notifications and assignments.
func UserTopic(id int64) string { return fmt.Sprintf("user:%d", id) }

// Publish announces an event that belongs to no transaction and is worth nothing once stale, such
// as "the customer is typing". On native Postgres it rides pg_notify alone; a polling bus (the
// embedded database) can only see it as a row of the events table, which is pruned with the rest.
func (b *Bus) Publish(ctx context.Context, ev Event) error {
	if b.poll {
		_, err := b.pool.Exec(ctx, `INSERT INTO events (topic, kind, seq) VALUES ($1, $2, $3)`, ev.Topic, ev.Kind, ev.Seq)
		if err != nil {
			return fmt.Errorf("events: publish: %w", err)
		}
		return nil
	}
	p, _ := json.Marshal(ev)
	if _, err := b.pool.Exec(ctx, "SELECT pg_notify($1, $2)", Channel, string(p)); err != nil {
		return fmt.Errorf("events: publish: %w", err)
	}
	return nil
}
