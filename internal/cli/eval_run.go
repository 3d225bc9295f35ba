package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/evals"
	"github.com/baton-cs/baton/internal/evalrun"
	"github.com/baton-cs/baton/internal/server"
)

// regressionError makes `baton eval run --fail-on-regression` exit non-zero.
type regressionError struct{ msg string }

func (e regressionError) Error() string { return e.msg }

func newEvalRun() *cobra.Command {
	var jsonPath, htmlPath, junitPath, baseline, saveBaseline, url, token, tags string
	var failOnRegression, judge bool
	var parallel int
	var tolerance, latencyTolerance float64
	cmd := &cobra.Command{
		Use:   "run SUITE_OR_DIR... [--json FILE] [--html FILE] [--junit FILE] [--baseline FILE] [--fail-on-regression]",
		Short: "Play conversation suites against the bot and score intent, slots, retrieval, handoff and answers",
		Long: `Play every case of the suites (YAML files, or folders of them; the format is in
docs/eval-suites.md, with a JSON Schema in docs/eval-suite.schema.json) as a customer would, turn
by turn, and check what the bot does against each turn's expectations.

By default each distinct bot definition + knowledge base (the suites' bot: and kb:, or the
built-in demo ones) gets its own isolated Baton: a scratch database (embedded, or a temporary
schema on DATABASE_URL), the real server on a loopback port, removed afterwards. With --url the
cases run against a running Baton instead, over its customer API, with --token an evaluator's
bearer token (or BATON_EVAL_TOKEN); its conversations have the channel "eval" and their handoffs
reach its real queue, so point it at a staging server.

Reported: cases passed/failed; intent accuracy and a confusion matrix; slot joint accuracy;
handoff precision and recall, overall and per reason; citation accuracy; containment rate;
wrong-answer rate; latency p50/p95 per turn. --json FILE writes one JSON object (- for stdout),
--html FILE a self-contained report with charts and every failing transcript, --junit FILE JUnit
XML. --baseline compares with an earlier --json result; with --fail-on-regression the command
exits 3 when a rate drops by more than --tolerance (absolute, default 0.02), latency p95 rises
by more than --latency-tolerance (relative; off by default), or a case that passed now fails.

--judge grades turns that carry a reference: answer with the LLM in BATON_LLM_URL/BATON_LLM_MODEL.
Progress goes to stderr.`,
		Args: cobra.MinimumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			stderr := cmd.ErrOrStderr()
			suites, err := evals.LoadSuites(args...)
			if err != nil {
				return err
			}
			var base *evals.RunReport
			if baseline != "" {
				if base, err = evals.ReadRunReport(baseline); err != nil {
					return err
				}
			} else if failOnRegression {
				return usageError{errors.New("--fail-on-regression needs --baseline")}
			}
			opt := evals.RunOptions{Parallel: parallel, Log: func(f string, a ...any) { fmt.Fprintf(stderr, f, a...) }}
			if tags != "" {
				for _, t := range strings.Split(tags, ",") {
					if t = strings.TrimSpace(t); t != "" {
						opt.Tags = append(opt.Tags, t)
					}
				}
			}
			if url != "" {
				if token == "" {
					token = os.Getenv("BATON_EVAL_TOKEN")
				}
				if token == "" {
					return usageError{errors.New("--url needs --token (an evaluator's bearer token) or BATON_EVAL_TOKEN")}
				}
				opt.Client = &evals.Client{BaseURL: url, Token: token, HTTP: &http.Client{Timeout: 2 * time.Minute}}
			} else {
				quiet := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
				opt.Launch = evalrun.Launcher(cfg, quiet, server.Serve)
			}
			if judge {
				if cfg.LLMURL == "" {
					return usageError{errors.New("--judge needs an LLM: set BATON_LLM_URL and BATON_LLM_MODEL")}
				}
				opt.Judge = evals.NewLLMJudge(cfg.LLMURL, cfg.LLMAPIKey, cfg.LLMModel, cfg.LLMTimeout*3)
			}
			opt.Progress = caseProgress(stderr)
			rep, err := evals.Run(cmd.Context(), suites, opt)
			if err != nil {
				return err
			}
			var cmp *evals.Comparison
			if base != nil {
				cmp = evals.Compare(base, rep, evals.GateOptions{Tolerance: tolerance, LatencyTolerance: latencyTolerance})
			}
			out := cmd.OutOrStdout()
			if jsonPath != "-" {
				if err := rep.WriteText(out, cmp); err != nil {
					return err
				}
			}
			if jsonPath != "" {
				if err := writeTo(jsonPath, out, func(w io.Writer) error {
					enc := json.NewEncoder(w)
					enc.SetIndent("", "  ")
					if cmp != nil {
						return enc.Encode(struct {
							*evals.RunReport
							Comparison *evals.Comparison `json:"comparison"`
						}{rep, cmp})
					}
					return enc.Encode(rep)
				}); err != nil {
					return err
				}
			}
			if htmlPath != "" {
				if err := writeTo(htmlPath, out, func(w io.Writer) error { return rep.WriteHTML(w, cmp) }); err != nil {
					return err
				}
				fmt.Fprintf(stderr, "wrote %s\n", htmlPath)
			}
			if junitPath != "" {
				if err := writeTo(junitPath, out, rep.WriteJUnit); err != nil {
					return err
				}
				fmt.Fprintf(stderr, "wrote %s\n", junitPath)
			}
			if saveBaseline != "" {
				if err := writeTo(saveBaseline, out, func(w io.Writer) error {
					enc := json.NewEncoder(w)
					enc.SetIndent("", " ")
					return enc.Encode(rep.Slim())
				}); err != nil {
					return err
				}
				fmt.Fprintf(stderr, "wrote the baseline %s\n", saveBaseline)
			}
			if failOnRegression && cmp.Regressed() {
				return regressionError{"eval run: regression against " + baseline + ": " + strings.Join(cmp.Regressions, "; ")}
			}
			return nil
		},
	}
	f := cmd.Flags()
	f.StringVar(&jsonPath, "json", "", "write the result as one JSON object to FILE (- = stdout, instead of the summary)")
	f.StringVar(&htmlPath, "html", "", "write a self-contained HTML report to FILE")
	f.StringVar(&junitPath, "junit", "", "write JUnit XML (a test case per suite case) to FILE")
	f.StringVar(&baseline, "baseline", "", "compare with an earlier --json result")
	f.StringVar(&saveBaseline, "save-baseline", "", "write this run as a baseline to FILE (the --json result without transcripts)")
	f.BoolVar(&failOnRegression, "fail-on-regression", false, "exit 3 when a metric regresses against --baseline or a passing case fails")
	f.Float64Var(&tolerance, "tolerance", evals.DefaultTolerance, "absolute drop allowed in a rate before it is a regression")
	f.Float64Var(&latencyTolerance, "latency-tolerance", 0, "relative rise allowed in latency p95 (0.5 = +50%); 0 = not gated")
	f.StringVar(&tags, "tags", "", "run only cases with one of these tags (comma-separated)")
	f.IntVar(&parallel, "parallel", 4, "cases played at once")
	f.StringVar(&url, "url", "", "run against this Baton (e.g. http://localhost:8080) instead of isolated ones")
	f.StringVar(&token, "token", "", "an evaluator's bearer token for --url (or BATON_EVAL_TOKEN)")
	f.BoolVar(&judge, "judge", false, "grade answers against their reference: with the configured LLM")
	return cmd
}

// writeTo writes to path, or to stdout for "-".
func writeTo(path string, stdout io.Writer, write func(io.Writer) error) error {
	if path == "-" {
		return write(stdout)
	}
	fh, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(fh); err != nil {
		fh.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return fh.Close()
}

// caseProgress draws a progress bar on a terminal, else a line every tenth of the way.
func caseProgress(w io.Writer) func(done, total int, r *evals.CaseResult) {
	failed := 0
	if f, ok := w.(*os.File); ok {
		if st, err := f.Stat(); err == nil && st.Mode()&os.ModeCharDevice != 0 {
			var bar interface{ Set(int) error }
			return func(done, total int, r *evals.CaseResult) {
				if bar == nil {
					bar = newProgressBar(w, total, "cases")
				}
				_ = bar.Set(done)
				if done == total {
					fmt.Fprintln(w)
				}
			}
		}
	}
	last := -1
	return func(done, total int, r *evals.CaseResult) {
		if !r.Passed {
			failed++
		}
		if step := done * 10 / total; step != last || done == total {
			last = step
			fmt.Fprintf(w, "%d/%d cases (%d failed)\n", done, total, failed)
		}
	}
}
