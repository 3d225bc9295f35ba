package cli

import (
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/migrations"
	"github.com/baton-cs/baton/report"
)

// reportsBench is what `baton bench reports` reports.
type reportsBench struct {
	Database        string              `json:"database"`
	Messages        int64               `json:"messages"`
	Days            int                 `json:"days"`
	GenerateSeconds float64             `json:"generate_seconds"`
	Ranges          []report.BenchRange `json:"ranges"`
}

func newBenchReports() *cobra.Command {
	var messages, days, runs int
	var asJSON, both, keep bool
	cmd := &cobra.Command{
		Use:   "reports [--messages N] [--json]",
		Short: "Time the full operations report on generated data",
		Long: `Generate about N messages' worth of conversations (ten messages each on average, a twentieth on
the eval channel, which reports leave out), with handoffs, CSAT ratings, tickets, escalations, SLA
breaches, unanswered questions and compliance hits spread over --days days up to now, into a
scratch database (a temporary embedded one, or a temporary schema on DATABASE_URL); then time the
full report — every section's query — for the last 7, 30 and 90 days, --runs times each.
Reported per range: p50 and max of the whole report and of each section, in milliseconds, and the
headline figures it found. Progress goes to stderr; --json prints one JSON object on stdout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if messages < 100 || days < 1 || runs < 1 {
				return usageError{errors.New("--messages must be at least 100, --days and --runs at least 1")}
			}
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			targets, err := benchTargets(both, cfg.DatabaseURL)
			if err != nil {
				return err
			}
			if both && keep {
				return usageError{errors.New("--keep keeps one scratch database: leave out --both")}
			}
			stderr := cmd.ErrOrStderr()
			logf := func(format string, args ...any) { fmt.Fprintf(stderr, format+"\n", args...) }
			var reports []reportsBench
			for _, t := range targets {
				ctx := cmd.Context()
				logf("starting a scratch database…")
				scratch, err := db.OpenScratch(ctx, t.url, cfg.NodeModules, newLogger(cfg))
				if err != nil {
					return err
				}
				rep, err := func() (reportsBench, error) {
					defer scratch.Close()
					if keep {
						logf("keeping the scratch database: %s", scratch.Keep())
					}
					rep := reportsBench{Database: "postgres (temporary schema)", Days: days}
					if scratch.Embedded {
						rep.Database = "embedded (PGlite)"
					}
					if _, err := migrations.Up(ctx, scratch.Pool); err != nil {
						return rep, err
					}
					scratch.Pool.Reset()
					start := time.Now()
					n, err := report.Generate(ctx, scratch.Pool, report.GenerateOptions{Messages: messages, Days: days}, logf)
					if err != nil {
						return rep, err
					}
					rep.Messages, rep.GenerateSeconds = n, time.Since(start).Round(100*time.Millisecond).Seconds()
					logf("timing the report (%d runs per range)…", runs)
					rep.Ranges, err = report.BenchRanges(ctx, scratch.Pool, []int{7, 30, 90}, runs, time.Now())
					return rep, err
				}()
				if err != nil {
					return err
				}
				reports = append(reports, rep)
			}
			return writeBenchReports(cmd.OutOrStdout(), targets, reports, asJSON, printReportsBench)
		},
	}
	dbFlags(cmd)
	cmd.Flags().IntVar(&messages, "messages", 100000, "messages to generate (about one conversation per ten)")
	cmd.Flags().IntVar(&days, "days", 90, "days the generated data spreads over, up to now")
	cmd.Flags().IntVar(&runs, "runs", 5, "timed runs of the full report per range")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object on stdout")
	cmd.Flags().BoolVar(&both, "both", false, bothHelp)
	cmd.Flags().BoolVar(&keep, "keep", false, "keep the scratch schema (or data directory) for inspection")
	return cmd
}

func printReportsBench(w io.Writer, r reportsBench) {
	fmt.Fprintf(w, "%d messages over %d days, %s, generated in %.1fs\n", r.Messages, r.Days, r.Database, r.GenerateSeconds)
	for _, rg := range r.Ranges {
		fmt.Fprintf(w, "last %d days: full report p50 %.1f ms, max %.1f ms (%d runs; %d conversations)\n",
			rg.Days, rg.P50Ms, rg.MaxMs, rg.Runs, rg.Summary.Conversations)
		keys := make([]string, 0, len(rg.Sections))
		for k := range rg.Sections {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(w, "  %-11s p50 %7.1f ms  max %7.1f ms\n", k, rg.Sections[k].P50Ms, rg.Sections[k].MaxMs)
		}
	}
}
