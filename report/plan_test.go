package report

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
)

// Every section reads its tables by an index on the time it counts by, never by scanning a whole
// table: with sequential scans priced out, no plan may hold one, and the big tables' time indexes
// are the ones used. (At a million messages `baton bench reports` measures the same plans.)
func TestReportPlansUseIndexes(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	f, err := ParseFilter("2026-03-02", "2026-03-08", "billing", "Asia/Shanghai", "", time.Now())
	require.NoError(t, err)
	seq := regexp.MustCompile(`Seq Scan on (\w+)`)
	used := map[string]bool{}
	for _, s := range Sections {
		tx, err := pool.Begin(ctx)
		require.NoError(t, err)
		_, err = tx.Exec(ctx, "SET LOCAL enable_seqscan = off")
		require.NoError(t, err)
		rows, err := tx.Query(ctx, "EXPLAIN "+s.Query, f.Start, f.End, f.Team, f.TZ)
		require.NoError(t, err)
		var plan strings.Builder
		for rows.Next() {
			var line string
			require.NoError(t, rows.Scan(&line))
			plan.WriteString(line + "\n")
		}
		require.NoError(t, rows.Err())
		require.NoError(t, tx.Rollback(ctx))
		require.Nil(t, seq.FindStringSubmatch(plan.String()), "%s scans a whole table:\n%s", s.Key, plan.String())
		for _, idx := range []string{"messages_customer_created_idx", "messages_bot_created_idx", "conversations_created_idx", "handoffs_enqueued_idx",
			"csat_ratings_created_idx", "tickets_created_idx", "tickets_solved_idx", "kb_unanswered_asked_idx",
			"sla_breaches_time_idx", "compliance_hits_time_idx", "ticket_escalations_time_idx"} {
			if strings.Contains(plan.String(), idx) {
				used[idx] = true
			}
		}
	}
	require.Len(t, used, 11, "time indexes the report uses: %v", used)
}
