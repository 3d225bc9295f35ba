package cli

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/evals"
	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/internal/embedding"
	"github.com/baton-cs/baton/kb"
	"github.com/baton-cs/baton/migrations"
)

// newEvalRetrieval is `baton eval retrieval`.
func newEvalRetrieval() *cobra.Command {
	var kbFile, split, baseline, saveBaseline string
	var queryFiles []string
	var asJSON, failOnRegression bool
	var threshold, tolerance float64
	cmd := &cobra.Command{
		Use:   "retrieval --kb ARTICLES.jsonl --queries QUESTIONS.jsonl [--queries MORE.jsonl] [--json] [--baseline FILE [--fail-on-regression]]",
		Short: "Measure retrieval and the answer/refuse decision: hit@1, hit@5, answered right, wrong answers, off-topic refused",
		Long: `Load a knowledge base (JSONL articles, the format of 'baton kb import') into a scratch
database — a fresh embedded one in a temporary directory, or a temporary schema on DATABASE_URL —
search every question the way the bot does, report, and remove the scratch database.

Questions are JSONL: {"query": "...", "article": "expected article title", "language": "zh|en", "split": "tune|test"}.
An empty "article" marks a question the knowledge base does not cover: no result above the
threshold is the right outcome there. language defaults to zh when the query has a Chinese
character, else en. split defaults to a hash of the question ("tune" or "test", so a file without
splits still has a half nobody tuned on); both halves are reported separately.

Before the questions are asked, the knowledge base's model is built as the server builds it after
every change: an article classifier trained on the articles' titles, alternative questions and
passages, and the calibration of the embedder's scores (see the README's "Retrieval" section). The decision is the bot's: a question is answered when the first result's
score (the probability that it is the right article) reaches the threshold.

hit@1, hit@5 and MRR count answerable questions. answered_correct_rate is the share of answerable
questions answered with the expected article, answered_rate the share answered at all;
wrong_answer_rate the share of answered questions answered wrongly (another article, or an
off-topic question answered at all); offtopic_no_result_rate the share of off-topic questions left
unanswered; decision_accuracy counts every right decision. The embedder is the configured one
(BATON_EMBEDDER, see baton --help). Progress goes to stderr; --json prints one JSON object on stdout.

--baseline compares hit@1, hit@5, answered_correct_rate, wrong_answer_rate and
offtopic_no_result_rate with an earlier run of the same questions, threshold and embedder (another
is an error); with --fail-on-regression the
command exits 3 when one moves the wrong way by more than --tolerance. make test gates the sets in
evals/data/faq and the demo set against evals/baselines/.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			if !cmd.Flags().Changed("threshold") {
				threshold = cfg.AnswerThreshold
			}
			if kbFile == "" || len(queryFiles) == 0 {
				return usageError{fmt.Errorf("--kb and --queries are required")}
			}
			if failOnRegression && baseline == "" {
				return usageError{fmt.Errorf("--fail-on-regression needs --baseline")}
			}
			var base *evals.RetrievalReport
			if baseline != "" {
				b, err := evals.ReadRetrievalReport(baseline)
				if err != nil {
					return err
				}
				base = &b
			}
			articles, err := os.ReadFile(kbFile)
			if err != nil {
				return err
			}
			var cases []evals.RetrievalCase
			for _, qf := range queryFiles {
				f, err := os.Open(qf)
				if err != nil {
					return err
				}
				cs, err := evals.ReadRetrievalCases(f)
				f.Close()
				if err != nil {
					return fmt.Errorf("%s: %w", qf, err)
				}
				for _, c := range cs {
					if c.Split == "" {
						c.Split = evals.DefaultSplit(c.Query)
					}
					if split == "" || c.Split == split {
						cases = append(cases, c)
					}
				}
			}
			stderr := cmd.ErrOrStderr()
			ctx := cmd.Context()
			log := newLogger(cfg)
			fmt.Fprintln(stderr, "starting a scratch database…")
			scratch, err := db.OpenScratch(ctx, cfg.DatabaseURL, cfg.NodeModules, log)
			if err != nil {
				return err
			}
			defer scratch.Close()
			if _, err := migrations.Up(ctx, scratch.Pool); err != nil {
				return err
			}
			scratch.Pool.Reset()
			store := kb.NewStore(scratch.Pool, embedding.FromConfig(cfg.Embed))
			if err := store.EnsureIndex(ctx); err != nil {
				return err
			}
			fmt.Fprintf(stderr, "importing %s…\n", kbFile)
			res, err := store.ImportJSONL(ctx, bytesReader(articles), "eval", nil)
			if err != nil {
				return err
			}
			for _, e := range res.Errors {
				fmt.Fprintf(stderr, "%s:%d: %s\n", kbFile, e.Line, e.Reason)
			}
			if res.Imported == 0 {
				return fmt.Errorf("no valid article in %s", kbFile)
			}
			fmt.Fprintln(stderr, "training the article classifier and calibrating…")
			model, err := store.Model(ctx)
			if err != nil {
				return err
			}
			rep, err := evals.RunRetrieval(ctx, store, cases, threshold, searchProgress(stderr, len(cases)))
			if err != nil {
				return err
			}
			rep.Embedder, rep.Model = store.Embedder().Name(), &model
			if saveBaseline != "" {
				b, err := json.MarshalIndent(rep.Baseline(), "", " ")
				if err != nil {
					return err
				}
				if err := os.WriteFile(saveBaseline, append(b, '\n'), 0o644); err != nil {
					return err
				}
				fmt.Fprintf(stderr, "wrote baseline %s\n", saveBaseline)
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetEscapeHTML(false)
				if err := enc.Encode(rep); err != nil {
					return err
				}
			} else {
				printRetrievalReport(cmd.OutOrStdout(), rep)
			}
			if base == nil {
				return nil
			}
			cmp, err := evals.CompareRetrieval(*base, rep, tolerance)
			if err != nil {
				return fmt.Errorf("%s: %w", baseline, err)
			}
			for _, m := range cmp.Metrics {
				fmt.Fprintf(stderr, "%-24s %.4f → %.4f (%+.4f)%s\n", m.Metric, *m.Baseline, *m.Current, *m.Delta, map[bool]string{true: "  REGRESSION"}[m.Regression])
			}
			if failOnRegression && cmp.Regressed() {
				return regressionError{"eval retrieval: regression against " + baseline + ": " + strings.Join(cmp.Regressions, "; ")}
			}
			return nil
		},
	}
	dbFlags(cmd)
	cmd.Flags().StringVar(&kbFile, "kb", "", "articles to search, JSONL (as for 'baton kb import')")
	cmd.Flags().StringArrayVar(&queryFiles, "queries", nil, "questions, JSONL; repeat to combine files")
	cmd.Flags().StringVar(&split, "split", "", "only questions of this split (e.g. tune or test)")
	cmd.Flags().Float64Var(&threshold, "threshold", 0, "answer threshold (default BATON_ANSWER_THRESHOLD)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object on stdout")
	cmd.Flags().StringVar(&baseline, "baseline", "", "compare with an earlier --json or --save-baseline result (figures to stderr)")
	cmd.Flags().BoolVar(&failOnRegression, "fail-on-regression", false, "exit 3 when a figure regresses against --baseline by more than --tolerance")
	cmd.Flags().Float64Var(&tolerance, "tolerance", evals.DefaultTolerance, "absolute drop allowed in a rate before it is a regression")
	cmd.Flags().StringVar(&saveBaseline, "save-baseline", "", "write this run as a baseline to FILE (the report without its misses)")
	return cmd
}

func printRetrievalReport(w io.Writer, r evals.RetrievalReport) {
	line := func(name string, m evals.RetrievalMetrics) {
		fmt.Fprintf(w, "%-8s n=%-4d hit@1 %.3f  hit@5 %.3f  answered right %.3f  wrong of answered %.3f  off-topic refused %.3f  decisions right %.3f\n",
			name, m.Queries, m.HitAt1, m.HitAt5, m.AnsweredCorrect, m.WrongAnswerRate, m.OffTopicNoResultRate, m.DecisionAccuracy)
	}
	fmt.Fprintf(w, "retrieval at threshold %.2f (%s)\n", r.Threshold, r.Embedder)
	line("all", r.RetrievalMetrics)
	for _, k := range sortedKeys(r.ByLanguage) {
		line(k, r.ByLanguage[k])
	}
	for _, k := range sortedKeys(r.BySplit) {
		line(k, r.BySplit[k])
	}
	if len(r.Misses) > 0 {
		fmt.Fprintf(w, "\n%d misses (query → got, expected):\n", len(r.Misses))
		for _, m := range r.Misses {
			exp := m.Expected
			if exp == "" {
				exp = "(no answer)"
			}
			fmt.Fprintf(w, "  %q → %q %.3f, expected %q (rank %d)\n", m.Query, m.Got, m.Score, exp, m.Rank)
		}
	}
}

func sortedKeys(m map[string]evals.RetrievalMetrics) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

func bytesReader(b []byte) io.Reader { return bytes.NewReader(b) }

// searchProgress reports progress on w: a bar on a terminal, else a line every plainProgressEvery
// and one at the end (a CI log keeps no redrawn bar).
func searchProgress(w io.Writer, total int) evals.Progress {
	if isTerminal(w) {
		bar := newProgressBar(w, total, "searching")
		return func(done, _ int) {
			_ = bar.Set(done)
			if done == total {
				_ = bar.Finish()
				fmt.Fprintln(w)
			}
		}
	}
	last := time.Now()
	return func(done, _ int) {
		if done == total || time.Since(last) >= plainProgressEvery {
			last = time.Now()
			fmt.Fprintf(w, "searching %d/%d\n", done, total)
		}
	}
}
