package cli

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"math/rand/v2"
	"os"
	"runtime/pprof"
	"sort"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/evals"
	"github.com/baton-cs/baton/internal/config"
	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/internal/evalrun"
	"github.com/baton-cs/baton/internal/server"
)

// turnsBench is what `baton bench turns` reports.
type turnsBench struct {
	Customers int `json:"customers"`
	// Rate is the offered load in turns per second (0: every customer says the next line as soon
	// as the last was answered, which measures the most the server can take).
	Rate           float64 `json:"offered_turns_per_second"`
	Turns          int     `json:"turns"`
	Errors         int     `json:"errors"`
	Seconds        float64 `json:"seconds"`
	TurnsPerSecond float64 `json:"turns_per_second"`
	P50Ms          float64 `json:"latency_p50_ms"`
	P95Ms          float64 `json:"latency_p95_ms"`
	P99Ms          float64 `json:"latency_p99_ms"`
	// QueriesPerTurn is every statement the server sent to the database during the measured turns
	// (background work included: the routing sweeper, the event bus), divided by the turns.
	QueriesPerTurn float64        `json:"db_queries_per_turn"`
	ByScript       map[string]int `json:"turns_by_script"`
	Database       string         `json:"database"`
}

// turnScripts are what the simulated customers say: knowledge-base questions, a task over several
// turns, and small talk, in both languages, drawn at random.
var turnScripts = []struct {
	name, lang string
	say        []string
}{
	{"faq", "en", []string{"How long does a refund take?"}},
	{"faq", "en", []string{"do you ship outside china", "how much is shipping"}},
	{"faq", "zh", []string{"退款多久到账", "怎么查物流"}},
	{"faq", "zh", []string{"优惠券怎么用"}},
	{"task", "en", []string{"where is my order A1234567"}},
	{"task", "en", []string{"I want to return an item", "A1234567", "it doesn't fit", "no photo"}},
	{"task", "zh", []string{"我要退货", "A1234567", "尺码不合适", "没有照片"}},
	{"smalltalk", "en", []string{"hi", "thanks", "bye"}},
	{"smalltalk", "zh", []string{"你好", "谢谢"}},
}

func newBenchTurns() *cobra.Command {
	var customers, turns int
	var rate float64
	var asJSON, both bool
	var cpuProfile string
	cmd := &cobra.Command{
		Use:   "turns [--customers N] [--turns T] [--json]",
		Short: "Measure customer turns per second and their latency over HTTP against a real server",
		Long: `Start a real Baton (the demo bot and knowledge base) on a scratch database — a fresh embedded
one in a temporary directory, or a temporary schema on DATABASE_URL — and let N customers talk to
it at once over HTTP, each starting a conversation, saying a script (knowledge-base questions, a
task over several turns, small talk; zh and en, drawn at random), then starting another, until T
turns are done. Without --rate customers speak again as soon as they are answered (the most the
server can take); with --rate R turns start at R per second in all (Poisson arrivals), as real
customers' turns arrive whether or not the server keeps up. A turn is one POST of a customer
message, answered with the bot's replies.

  turns_per_second                      turns over the wall time
  latency_p50_ms / p95 / p99            of each POST, as the customer waits for it; with --rate,
                                        from when the turn was due, so time spent waiting for a
                                        free customer counts too
  db_queries_per_turn                   statements sent to the database per turn (round trips;
                                        background work included)
  errors                                turns that failed (they count in neither figure)

The scratch database is removed afterwards. Progress goes to stderr; --json prints one JSON object.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if customers < 1 || turns < customers {
				return usageError{errors.New("--customers must be positive and --turns at least --customers")}
			}
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			targets, err := benchTargets(both, cfg.DatabaseURL)
			if err != nil {
				return err
			}
			if both && cpuProfile != "" {
				return usageError{errors.New("--cpuprofile profiles one run: leave out --both")}
			}
			var reports []turnsBench
			for _, t := range targets {
				c := cfg
				c.DatabaseURL = t.url
				r, err := benchTurnsOn(cmd, c, customers, turns, rate, cpuProfile)
				if err != nil {
					return err
				}
				reports = append(reports, r)
			}
			return writeBenchReports(cmd.OutOrStdout(), targets, reports, asJSON, printTurnsBench)
		},
	}
	cmd.Flags().IntVar(&customers, "customers", 100, "customers talking at once")
	cmd.Flags().IntVar(&turns, "turns", 2000, "turns in all")
	cmd.Flags().Float64Var(&rate, "rate", 0, "offered load in turns per second, Poisson arrivals (0 = as fast as answered)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the report as JSON")
	cmd.Flags().BoolVar(&both, "both", false, bothHelp)
	cmd.Flags().StringVar(&cpuProfile, "cpuprofile", "", "write a CPU profile of the measured turns (server and customers: one process) to this file")
	cmd.Flags().String("database-url", "", "Postgres URL (env DATABASE_URL; unset = a temporary embedded database)")
	return cmd
}

// benchTurnsOn starts a server on a scratch database of cfg's and runs the turns against it.
func benchTurnsOn(cmd *cobra.Command, cfg config.Config, customers, turns int, rate float64, cpuProfile string) (turnsBench, error) {
	quiet := slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError}))
	fmt.Fprintln(os.Stderr, "starting a server on a scratch database…")
	inst, err := evalrun.Launcher(cfg, quiet, server.Serve)(cmd.Context(), "", "")
	if err != nil {
		return turnsBench{}, err
	}
	defer inst.Close()
	if cpuProfile != "" {
		f, err := os.Create(cpuProfile)
		if err != nil {
			return turnsBench{}, err
		}
		defer f.Close()
		if err := pprof.StartCPUProfile(f); err != nil {
			return turnsBench{}, err
		}
	}
	r, err := runTurnsBench(cmd.Context(), inst.Client, customers, turns, rate)
	if cpuProfile != "" {
		pprof.StopCPUProfile()
	}
	if err != nil {
		return r, err
	}
	r.Database = "temporary embedded PGlite"
	if cfg.DatabaseURL != "" {
		r.Database = "temporary schema on DATABASE_URL"
	}
	return r, nil
}

func printTurnsBench(out io.Writer, r turnsBench) {
	fmt.Fprintf(out, "%d customers, %d turns (%d errors) in %.1f s on %s\n", r.Customers, r.Turns, r.Errors, r.Seconds, r.Database)
	if r.Rate > 0 {
		fmt.Fprintf(out, "offered %.0f turns/s\n", r.Rate)
	}
	fmt.Fprintf(out, "turns/s %.1f   latency p50 %.1f ms, p95 %.1f ms, p99 %.1f ms   %.1f database statements per turn\n",
		r.TurnsPerSecond, r.P50Ms, r.P95Ms, r.P99Ms, r.QueriesPerTurn)
}

func runTurnsBench(ctx context.Context, cl *evals.Client, customers, turns int, rate float64) (turnsBench, error) {
	r := turnsBench{Customers: customers, Rate: rate, ByScript: map[string]int{}}
	var (
		mu        sync.Mutex
		latencies = make([]float64, 0, turns)
		left      atomic.Int64
		errs      atomic.Int64
		done      atomic.Int64
	)
	left.Store(int64(turns))
	stopProgress := make(chan struct{})
	go func() {
		t := time.NewTicker(2 * time.Second)
		defer t.Stop()
		for {
			select {
			case <-stopProgress:
				return
			case <-t.C:
				fmt.Fprintf(os.Stderr, "turns %d/%d\n", done.Load(), turns)
			}
		}
	}()
	// Each customer's first conversation is opened before the clock starts, so the measured turns
	// do not include a hundred conversations opened in the same instant.
	first := make([]*evals.Conversation, customers)
	firstScript := make([]int, customers)
	var opened sync.WaitGroup
	for i := range first {
		opened.Add(1)
		go func() {
			defer opened.Done()
			rng := rand.New(rand.NewPCG(uint64(i)+1, 7))
			firstScript[i] = rng.IntN(len(turnScripts))
			first[i], _ = cl.Start(ctx, turnScripts[firstScript[i]].lang, nil) // nil: opened again in the loop
		}()
	}
	opened.Wait()
	q0 := db.QueryCount()
	start := time.Now()
	// With a rate, each turn waits for its due time; the schedule runs ahead of the customers when
	// the server falls behind, and that wait counts in the turn's latency.
	var due chan time.Time
	stopSchedule := make(chan struct{})
	defer close(stopSchedule)
	if rate > 0 {
		due = make(chan time.Time, turns)
		go func() {
			rng := rand.New(rand.NewPCG(1, 2))
			next := start
			for i := 0; i < turns; i++ {
				next = next.Add(time.Duration(rng.ExpFloat64() / rate * float64(time.Second)))
				select {
				case <-time.After(time.Until(next)):
				case <-stopSchedule:
					return
				}
				due <- next
			}
		}()
	}
	var wg sync.WaitGroup
	for i := 0; i < customers; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(i)+1, 7))
			for n := 0; left.Load() > 0 && ctx.Err() == nil; n++ {
				sc := turnScripts[rng.IntN(len(turnScripts))]
				var conv *evals.Conversation
				var err error
				if n == 0 && first[i] != nil {
					sc, conv = turnScripts[firstScript[i]], first[i]
				} else {
					conv, err = cl.Start(ctx, sc.lang, nil)
				}
				if err != nil {
					errs.Add(1)
					time.Sleep(100 * time.Millisecond)
					continue
				}
				for j, text := range sc.say {
					if left.Add(-1) < 0 {
						return
					}
					var wait time.Duration
					if due != nil {
						select {
						case t := <-due:
							wait = time.Since(t)
						case <-ctx.Done():
							return
						}
					}
					_, d, err := cl.Say(ctx, conv, text, "bench-"+strconv.Itoa(n)+"-"+strconv.Itoa(j))
					d += wait
					done.Add(1)
					if err != nil {
						errs.Add(1)
						continue
					}
					mu.Lock()
					latencies = append(latencies, float64(d.Microseconds())/1000)
					r.ByScript[sc.name]++
					mu.Unlock()
				}
			}
		}(i)
	}
	wg.Wait()
	elapsed := time.Since(start)
	queries := db.QueryCount() - q0
	close(stopProgress)
	if err := ctx.Err(); err != nil {
		return r, err
	}
	r.Turns = len(latencies)
	r.Errors = int(errs.Load())
	r.Seconds = round1(elapsed.Seconds())
	if r.Turns == 0 {
		return r, errors.New("bench: no turn succeeded")
	}
	r.TurnsPerSecond = round1(float64(r.Turns) / elapsed.Seconds())
	sort.Float64s(latencies)
	r.P50Ms, r.P95Ms, r.P99Ms = quantile(latencies, 0.50), quantile(latencies, 0.95), quantile(latencies, 0.99)
	r.QueriesPerTurn = round1(float64(queries) / float64(r.Turns))
	return r, nil
}

func quantile(sorted []float64, q float64) float64 {
	i := int(math.Ceil(q*float64(len(sorted)))) - 1
	return round1(sorted[max(0, min(i, len(sorted)-1))])
}

func round1(x float64) float64 { return math.Round(x*10) / 10 }
