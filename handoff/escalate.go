package handoff

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"
)

// BreachPriorityStep is how much one SLA breach raises a handoff's queue priority.
const BreachPriorityStep = 10

// RaiseForBreach escalates an open handoff after an SLA breach: its priority goes up by
// BreachPriorityStep, so it is served before younger handoffs of its old priority. It returns the
// priority before and after; a resolved handoff keeps its priority. (Priority is otherwise computed
// when the handoff is made; this is the one place a breach changes it.)
func RaiseForBreach(ctx context.Context, tx pgx.Tx, handoffID int64) (before, after int, err error) {
	err = tx.QueryRow(ctx, `UPDATE handoffs h SET priority = CASE WHEN h.status = 'resolved' THEN h.priority ELSE h.priority + $2 END
		FROM (SELECT id, priority FROM handoffs WHERE id = $1 FOR UPDATE) old
		WHERE h.id = old.id RETURNING old.priority, h.priority`, handoffID, BreachPriorityStep).Scan(&before, &after)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, 0, ErrNotFound
	}
	if err != nil {
		return 0, 0, fmt.Errorf("handoff: raise priority for breach: %w", err)
	}
	return before, after, nil
}
