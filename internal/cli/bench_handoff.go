package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/handoff"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/config"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/internal/events"
	"github.com/baton-cs/baton/migrations"
)

// handoffBench is what `baton bench handoff` reports.
type handoffBench struct {
	Agents            int     `json:"agents"`
	Customers         int     `json:"customers"`
	Capacity          int     `json:"capacity"`
	Claims            int     `json:"claims"`
	ClaimsPerSecond   float64 `json:"claims_per_second"`
	DoubleAssignments int     `json:"double_assignments"`
	OverCapacity      int     `json:"over_capacity_assignments"`
	LatencyP50Ms      float64 `json:"latency_p50_ms"`
	LatencyP99Ms      float64 `json:"latency_p99_ms"`
	LatencySamples    int     `json:"latency_samples"`
	Database          string  `json:"database"`
	// DatabaseCPUMsPerClaim is the embedded database's CPU time per claim (resolves included),
	// measured from its process: unlike claims per second it hardly depends on what else the
	// machine runs, and the single-threaded PGlite being the bottleneck, it is what limits them.
	DatabaseCPUMsPerClaim float64 `json:"database_cpu_ms_per_claim,omitempty"`
}

func newBenchHandoff() *cobra.Command {
	var agents, customers, capacity int
	var asJSON, both bool
	cmd := &cobra.Command{
		Use:   "handoff",
		Short: "Measure claims per second, assignment safety and message-to-agent latency on a throwaway database",
		Long: `K simulated agents pull N handed-off conversations from the queue concurrently (resolving one
whenever they reach capacity), on a scratch database: a temporary embedded one, or a temporary
schema on DATABASE_URL. Then each customer writes, at a
random moment, while the agent holding the conversation is subscribed to it through the event bus,
and the time from the customer's message being stored to the agent's subscription hearing of it is
measured. Reported (--json prints one JSON object):

  claims_per_second              claims over the wall time of the pull phase (resolves included)
  double_assignments             conversations two agents won (must be 0)
  over_capacity_assignments      agents holding more than their capacity (must be 0)
  latency_p50_ms, latency_p99_ms customer message stored → the agent's subscription hears of it
  database_cpu_ms_per_claim      the embedded database's CPU time per claim (resolves included; not
                                 on DATABASE_URL, whose server processes are not this machine's to read);
                                 it hardly depends on what else the machine runs, and the
                                 single-threaded database being the bottleneck, it is what
                                 limits claims_per_second

--capacity as large as customers/agents leaves resolves out and measures claims alone.`,
		RunE: func(cmd *cobra.Command, args []string) error {
			if agents < 1 || customers < 1 || capacity < 1 {
				return usageError{errors.New("--agents, --customers and --capacity must be positive")}
			}
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			targets, err := benchTargets(both, cfg.DatabaseURL)
			if err != nil {
				return err
			}
			var reports []handoffBench
			for _, t := range targets {
				r, err := runHandoffBench(cmd.Context(), t.url, agents, customers, capacity)
				if err != nil {
					return err
				}
				reports = append(reports, r)
			}
			if err := writeBenchReports(cmd.OutOrStdout(), targets, reports, asJSON, printHandoffBench); err != nil {
				return err
			}
			for _, r := range reports {
				if r.DoubleAssignments > 0 || r.OverCapacity > 0 {
					return errors.New("bench: unsafe assignments")
				}
			}
			return nil
		},
	}
	cmd.Flags().IntVar(&agents, "agents", 20, "simulated agents")
	cmd.Flags().IntVar(&customers, "customers", 500, "simulated customers, each with one handed-off conversation")
	cmd.Flags().IntVar(&capacity, "capacity", 3, "concurrent conversations per agent")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().BoolVar(&both, "both", false, bothHelp)
	cmd.Flags().String("database-url", "", "Postgres URL (env DATABASE_URL; unset = a temporary embedded database)")
	return cmd
}

func printHandoffBench(out io.Writer, r handoffBench) {
	fmt.Fprintf(out, "agents %d (capacity %d), customers %d, database %s\n", r.Agents, r.Capacity, r.Customers, r.Database)
	fmt.Fprintf(out, "claims: %d at %.0f/s\n", r.Claims, r.ClaimsPerSecond)
	fmt.Fprintf(out, "double assignments: %d   over-capacity assignments: %d\n", r.DoubleAssignments, r.OverCapacity)
	fmt.Fprintf(out, "customer message → agent: p50 %.1f ms, p99 %.1f ms (%d messages)\n", r.LatencyP50Ms, r.LatencyP99Ms, r.LatencySamples)
	if r.DatabaseCPUMsPerClaim > 0 {
		fmt.Fprintf(out, "database CPU per claim: %.2f ms\n", r.DatabaseCPUMsPerClaim)
	}
}

func runHandoffBench(ctx context.Context, databaseURL string, nAgents, nCustomers, capacity int) (handoffBench, error) {
	r := handoffBench{Agents: nAgents, Customers: nCustomers, Capacity: capacity, Database: "temporary embedded PGlite"}
	cfg, err := config.Load()
	if err != nil {
		return r, err
	}
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	d, err := db.OpenScratch(ctx, databaseURL, cfg.NodeModules, log)
	if err != nil {
		return r, err
	}
	defer d.Close()
	if !d.Embedded {
		r.Database = "temporary schema on DATABASE_URL"
	}
	if _, err := migrations.Up(ctx, d.Pool); err != nil {
		return r, err
	}
	pool := d.Pool
	store := handoff.NewStore(pool, nil)
	convs := conversation.NewStore(pool)

	// Offline agents: they pull, so the bench measures claims rather than the router's own assignments.
	users := make([]auth.User, nAgents)
	for i := range users {
		u := auth.User{Name: fmt.Sprintf("agent%d", i), Email: fmt.Sprintf("agent%d@bench.invalid", i), Role: auth.RoleAgent}
		if err := pool.QueryRow(ctx, `INSERT INTO users (email, name, password_hash, role, capacity) VALUES ($1, $2, 'x', 'agent', $3)
			RETURNING id, skills, languages`, u.Email, u.Name, capacity).Scan(&u.ID, &u.Skills, &u.Languages); err != nil {
			return r, fmt.Errorf("bench: agent: %w", err)
		}
		users[i] = u
	}
	convIDs := make([]string, nCustomers)
	for i := range convIDs {
		cu, _, err := convs.CustomerCreate(ctx, conversation.Customer{Name: fmt.Sprintf("customer%d", i), Language: "en"})
		if err != nil {
			return r, err
		}
		c, err := convs.ConversationCreate(ctx, cu.ID, "web", "en")
		if err != nil {
			return r, err
		}
		if err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			return handoff.EnqueueTx(ctx, tx, handoff.Request{ConversationID: c.ID, Reason: handoff.ReasonHumanRequest,
				Skill: "general", Language: "en", Priority: i % 3 * 10, Question: "where is my order"})
		}); err != nil {
			return r, err
		}
		convIDs[i] = c.ID
	}

	// Claims: every agent pulls until the queue is empty, resolving its oldest chat when full.
	cpu0 := processCPU(d.ServerPID())
	var mu sync.Mutex
	winners := map[string]map[int64]bool{}
	var wg sync.WaitGroup
	errc := make(chan error, nAgents)
	start := time.Now()
	for _, u := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var held []string
			for {
				c, err := store.ClaimNext(ctx, u)
				switch {
				case errors.Is(err, handoff.ErrNotFound):
					return
				case errors.Is(err, handoff.ErrAtCapacity):
					if len(held) == 0 {
						errc <- errors.New("at capacity while holding nothing")
						return
					}
					if _, _, err := store.Resolve(ctx, held[0], u, handoff.WrapUp{Disposition: "resolved"}); err != nil {
						errc <- err
						return
					}
					held = held[1:]
					continue
				case err != nil:
					errc <- err
					return
				}
				held = append(held, c.ID)
				mu.Lock()
				r.Claims++
				if len(held) > capacity {
					r.OverCapacity++
				}
				if winners[c.ID] == nil {
					winners[c.ID] = map[int64]bool{}
				}
				winners[c.ID][u.ID] = true
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	close(errc)
	if err := <-errc; err != nil {
		return r, fmt.Errorf("bench: claims: %w", err)
	}
	r.ClaimsPerSecond = float64(r.Claims) / elapsed.Seconds()
	if cpu1 := processCPU(d.ServerPID()); cpu0 > 0 && r.Claims > 0 {
		r.DatabaseCPUMsPerClaim = ms(cpu1-cpu0) / float64(r.Claims)
	}
	for _, w := range winners {
		if len(w) > 1 {
			r.DoubleAssignments++
		}
	}
	var dbOver int
	if err := pool.QueryRow(ctx, `SELECT count(*) FROM (SELECT claimed_by FROM handoffs WHERE status = 'assigned'
		GROUP BY claimed_by HAVING count(*) > $1) x`, capacity).Scan(&dbOver); err != nil {
		return r, err
	}
	r.OverCapacity += dbOver

	// Latency: customers write to the conversations still held; the holder's screen is a bus
	// subscription to the conversation, fed the way the workbench's WebSocket is.
	bus := events.NewBus(pool, d.Embedded, log)
	busCtx, stopBus := context.WithCancel(ctx)
	defer stopBus()
	go bus.Run(busCtx)
	<-bus.Ready()
	rows, err := pool.Query(ctx, `SELECT conversation_id::text FROM handoffs WHERE status = 'assigned'`)
	if err != nil {
		return r, err
	}
	held, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return r, err
	}
	var lat []time.Duration
	sem := make(chan struct{}, 8)
	for i := 0; i < nCustomers && len(held) > 0; i++ {
		conv := held[i%len(held)]
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			evs, unsubscribe := bus.Subscribe(events.ConversationTopic(conv))
			defer unsubscribe()
			// Customers write when they like, not just after the bus has polled (which is when a
			// finished writer frees its place): start at a random point of the poll interval.
			time.Sleep(rand.N(2 * events.PollInterval))
			t0 := time.Now()
			if _, _, err := convs.Append(ctx, conv, conversation.NewMessage{Sender: conversation.SenderCustomer, Text: "any news?", BotDone: true}); err != nil {
				return
			}
			select {
			case <-evs:
				mu.Lock()
				lat = append(lat, time.Since(t0))
				mu.Unlock()
			case <-time.After(5 * time.Second):
			}
		}()
	}
	wg.Wait()
	slices.Sort(lat)
	r.LatencySamples = len(lat)
	if len(lat) > 0 {
		r.LatencyP50Ms = ms(lat[len(lat)*50/100])
		r.LatencyP99Ms = ms(lat[min(len(lat)-1, len(lat)*99/100)])
	}
	return r, nil
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// processCPU is the user and system CPU time a process has used so far (Linux /proc), 0 when unknown.
func processCPU(pid int) time.Duration {
	if pid <= 0 {
		return 0
	}
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return 0
	}
	// Fields after the command name (which may hold spaces, inside parentheses): utime is the 12th, stime the 13th.
	i := strings.LastIndexByte(string(b), ')')
	f := strings.Fields(string(b)[i+1:])
	if len(f) < 13 {
		return 0
	}
	ut, err1 := strconv.ParseInt(f[11], 10, 64)
	st, err2 := strconv.ParseInt(f[12], 10, 64)
	if err1 != nil || err2 != nil {
		return 0
	}
	const ticksPerSecond = 100 // USER_HZ on Linux
	return time.Duration(ut+st) * time.Second / ticksPerSecond
}
