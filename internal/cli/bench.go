package cli

import (
	"errors"
	"fmt"
	"io"

	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/evals"
	"github.com/baton-cs/baton/internal/config"
	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/kb"
	"github.com/baton-cs/baton/migrations"
)

// newBench is `baton bench`.
func newBench() *cobra.Command {
	cmd := &cobra.Command{Use: "bench", Short: "Benchmarks on scratch databases"}
	cmd.AddCommand(newBenchKB(), newBenchHandoff(), newBenchTurns(), newBenchReports())
	return cmd
}

func newBenchKB() *cobra.Command {
	var opt evals.KBBenchOptions
	var asJSON bool
	var seed int64
	var keep, both bool
	var sharedBuffers string
	cmd := &cobra.Command{
		Use:   "kb --chunks N [--queries Q] [--json]",
		Short: "Benchmark knowledge-base search: latency, HNSW recall, build times",
		Long: `Load N synthetic help-centre chunks (half English, half Chinese, Zipf-distributed words
from the demo help centre's vocabulary plus made-up words; ten chunks per article; embedded with
the local embedder) into a scratch database — a fresh embedded one in a temporary directory, or a
temporary schema on DATABASE_URL — then build the indexes and measure:

  search_p50_ms, search_p99_ms   the real hybrid search (vector + lexical + fusion, K=5)
  ann_p50_ms, ann_p99_ms         the vector-only HNSW top-10 query
  recall_at_10                   that query against exact (brute-force) top-10 by cosine
  build_seconds                  generating, embedding and loading the chunks
  index_build_seconds            building the HNSW index after the load

Queries are runs of words from random chunks, half with one word swapped. The scratch database is
removed afterwards. Progress goes to stderr; --json prints one JSON object on stdout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			if opt.Chunks < 10 || opt.Queries < 1 {
				return usageError{fmt.Errorf("--chunks must be at least 10 and --queries at least 1")}
			}
			opt.Seed = uint64(seed)
			targets, err := benchTargets(both, cfg.DatabaseURL)
			if err != nil {
				return err
			}
			if both && keep {
				return usageError{errors.New("--keep keeps one scratch database: leave out --both")}
			}
			var reports []evals.KBBenchReport
			for _, t := range targets {
				rep, err := benchKBOn(cmd, cfg, t.url, opt, sharedBuffers, keep)
				if err != nil {
					return err
				}
				reports = append(reports, rep)
			}
			return writeBenchReports(cmd.OutOrStdout(), targets, reports, asJSON, printKBBench)
		},
	}
	dbFlags(cmd)
	cmd.Flags().IntVar(&opt.Chunks, "chunks", 10000, "synthetic chunks to load")
	cmd.Flags().IntVar(&opt.Queries, "queries", 200, "timed queries per measurement")
	cmd.Flags().IntSliceVar(&opt.EfSearch, "ef-search", []int{40, 160}, "more HNSW ef_search values to measure the vector-only query at")
	cmd.Flags().IntVar(&opt.Index.M, "m", kb.DefaultHNSWM, "HNSW m (links per node)")
	cmd.Flags().IntVar(&opt.Index.EfConstruction, "ef-construction", kb.DefaultHNSWEfConstruction, "HNSW ef_construction")
	cmd.Flags().StringVar(&opt.Index.MaintenanceWorkMem, "maintenance-work-mem", "512MB", "maintenance_work_mem for the index build")
	cmd.Flags().Int64Var(&seed, "seed", 1, "random seed of the synthetic corpus")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object on stdout")
	cmd.Flags().StringVar(&sharedBuffers, "shared-buffers", "", "shared_buffers of the embedded scratch database (PGlite's default 128MB)")
	cmd.Flags().BoolVar(&both, "both", false, bothHelp)
	cmd.Flags().BoolVar(&keep, "keep", false, "keep the scratch schema (or data directory) for inspection")
	return cmd
}

// benchKBOn loads and measures the synthetic knowledge base on a scratch database at url ("" = a
// temporary embedded one).
func benchKBOn(cmd *cobra.Command, cfg config.Config, url string, opt evals.KBBenchOptions, sharedBuffers string, keep bool) (evals.KBBenchReport, error) {
	stderr := cmd.ErrOrStderr()
	ctx := cmd.Context()
	fmt.Fprintln(stderr, "starting a scratch database…")
	scratch, err := db.OpenScratch(ctx, url, cfg.NodeModules, newLogger(cfg), db.ScratchOptions{SharedBuffers: sharedBuffers})
	if err != nil {
		return evals.KBBenchReport{}, err
	}
	defer scratch.Close()
	if keep {
		fmt.Fprintln(stderr, "keeping the scratch database:", scratch.Keep())
	}
	if _, err := migrations.Up(ctx, scratch.Pool); err != nil {
		return evals.KBBenchReport{}, err
	}
	scratch.Pool.Reset()
	store := kb.NewStore(scratch.Pool, kb.LocalEmbedder{})
	rep, err := evals.RunKBBench(ctx, scratch.Pool, store, opt, func(format string, args ...any) {
		fmt.Fprintf(stderr, format+"\n", args...)
	})
	if err != nil {
		return rep, err
	}
	rep.Database = "postgres"
	if scratch.Embedded {
		rep.Database = "embedded (PGlite)"
	}
	return rep, nil
}

func printKBBench(w io.Writer, rep evals.KBBenchReport) {
	fmt.Fprintf(w, "%d chunks (%d articles), %s, %s %d dimensions\n", rep.Chunks, rep.Articles, rep.Database, rep.Embedder, rep.Dim)
	fmt.Fprintf(w, "load %.1fs, HNSW index %.1fs (m=%d, ef_construction=%d), GIN index %.1fs\n",
		rep.BuildSeconds, rep.IndexBuildSeconds, rep.HNSWM, rep.HNSWEfConstruction, rep.LexicalIndexSeconds)
	fmt.Fprintf(w, "hybrid search  p50 %.2f ms  p99 %.2f ms\n", rep.SearchP50Ms, rep.SearchP99Ms)
	for _, p := range rep.ANNSweep {
		fmt.Fprintf(w, "ANN ef_search=%-4d p50 %.2f ms  p99 %.2f ms  recall@10 %.3f\n", p.EfSearch, p.P50Ms, p.P99Ms, p.RecallAt10)
	}
}
