package bot

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/baton-cs/baton/internal/events"
)

// DefinitionTopic announces a newly activated bot definition to every Baton process.
const DefinitionTopic = "bot"

// StoredDefinition is one saved version of the bot definition.
type StoredDefinition struct {
	ID        int64     `json:"id"`
	Name      string    `json:"name"`
	Version   int       `json:"version"`
	Source    string    `json:"source,omitempty"`
	Checksum  string    `json:"checksum"`
	Active    bool      `json:"active"`
	CreatedBy *int64    `json:"created_by,omitempty"`
	CreatedAt time.Time `json:"created_at"`
}

// Store keeps bot definitions in Postgres.
type Store struct{ pool *pgxpool.Pool }

// NewStore returns a definition store.
func NewStore(pool *pgxpool.Pool) *Store { return &Store{pool: pool} }

// ErrNoDefinition means no definition has been saved yet.
var ErrNoDefinition = errNoDefinition

// Save validates src, stores it as the next version and makes it active. Saving the same text
// as the active version changes nothing and returns it with created=false.
func (s *Store) Save(ctx context.Context, src []byte, by *int64) (StoredDefinition, bool, error) {
	def, err := ParseDefinition(src)
	if err != nil {
		return StoredDefinition{}, false, err
	}
	sum := Checksum(src)
	var out StoredDefinition
	created := false
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// One writer at a time picks the next version number.
		if _, err := tx.Exec(ctx, `LOCK TABLE bot_definitions IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		cur, err := scanDef(tx.QueryRow(ctx, `SELECT `+defCols+` FROM bot_definitions WHERE active`))
		if err == nil && cur.Checksum == sum {
			out = cur
			return nil
		}
		if err != nil && !errors.Is(err, errNoDefinition) {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE bot_definitions SET active = false WHERE active`); err != nil {
			return err
		}
		out, err = scanDef(tx.QueryRow(ctx, `INSERT INTO bot_definitions (name, version, source, checksum, active, created_by)
			VALUES ($1, (SELECT COALESCE(max(version), 0) + 1 FROM bot_definitions), $2, $3, true, $4)
			RETURNING `+defCols, def.Name, string(src), sum, by))
		if err != nil {
			return err
		}
		created = true
		return events.Notify(ctx, tx, events.Event{Topic: DefinitionTopic, Kind: "definition", Seq: int64(out.Version)})
	})
	if err != nil {
		return StoredDefinition{}, false, fmt.Errorf("bot: save definition: %w", err)
	}
	return out, created, nil
}

// Active returns the active definition, or ErrNoDefinition.
func (s *Store) Active(ctx context.Context) (StoredDefinition, error) {
	return scanDef(s.pool.QueryRow(ctx, `SELECT `+defCols+` FROM bot_definitions WHERE active`))
}

// Version returns one saved version.
func (s *Store) Version(ctx context.Context, v int) (StoredDefinition, error) {
	return scanDef(s.pool.QueryRow(ctx, `SELECT `+defCols+` FROM bot_definitions WHERE version = $1`, v))
}

// Activate makes an earlier version active again (a rollback).
func (s *Store) Activate(ctx context.Context, v int) (StoredDefinition, error) {
	var out StoredDefinition
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `LOCK TABLE bot_definitions IN SHARE ROW EXCLUSIVE MODE`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE bot_definitions SET active = false WHERE active AND version <> $1`, v); err != nil {
			return err
		}
		var err error
		out, err = scanDef(tx.QueryRow(ctx, `UPDATE bot_definitions SET active = true WHERE version = $1 RETURNING `+defCols, v))
		if err != nil {
			return err
		}
		return events.Notify(ctx, tx, events.Event{Topic: DefinitionTopic, Kind: "definition", Seq: int64(v)})
	})
	return out, err
}

// List returns every version, newest first, without their source.
func (s *Store) List(ctx context.Context) ([]StoredDefinition, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+defCols+` FROM bot_definitions ORDER BY version DESC LIMIT 200`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := []StoredDefinition{}
	for rows.Next() {
		d, err := scanDef(rows)
		if err != nil {
			return nil, err
		}
		d.Source = ""
		out = append(out, d)
	}
	return out, rows.Err()
}

const defCols = `id, name, version, source, checksum, active, created_by, created_at`

func scanDef(row pgx.Row) (StoredDefinition, error) {
	var d StoredDefinition
	err := row.Scan(&d.ID, &d.Name, &d.Version, &d.Source, &d.Checksum, &d.Active, &d.CreatedBy, &d.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return d, errNoDefinition
	}
	return d, err
}

// Loader compiles the active definition into a Holder and keeps it current.
type Loader struct {
	Store  *Store
	Holder *Holder
	Env    map[string]string
	Log    *slog.Logger
}

// Reload compiles the active definition if it is not the one in service. With no definition
// saved, the holder stays empty and the bot answers from the knowledge base only.
func (l *Loader) Reload(ctx context.Context) error {
	d, err := l.Store.Active(ctx)
	if errors.Is(err, errNoDefinition) {
		return nil
	}
	if err != nil {
		return err
	}
	if cur := l.Holder.Load(); cur != nil && cur.Version == d.Version {
		return nil
	}
	def, err := ParseDefinition([]byte(d.Source))
	if err != nil {
		return fmt.Errorf("bot: stored definition v%d: %w", d.Version, err)
	}
	e, err := Compile(ctx, def, d.Version, l.Env)
	if err != nil {
		return err
	}
	l.Holder.Store(e)
	if l.Log != nil {
		l.Log.Info("bot definition loaded", "name", def.Name, "version", d.Version, "intents", len(def.Intents),
			"train_ms", e.TrainTime.Milliseconds(), "threshold", round3(e.Threshold))
	}
	return nil
}
