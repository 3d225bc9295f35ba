package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"

	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/bot"
	"github.com/baton-cs/baton/evals"
	"github.com/baton-cs/baton/intent"
	"github.com/baton-cs/baton/internal/demo"
)

// triggerSetups are the ways `baton eval triggers` reads a message, in report order.
var triggerSetups = []string{"detector", "first", "mid_task"}

// newEvalTriggers is `baton eval triggers`.
func newEvalTriggers() *cobra.Command {
	var cases []string
	var botFile, task, setupList string
	var asJSON, allMisses bool
	cmd := &cobra.Command{
		Use:   "triggers --cases FILE [--cases FILE...] [--bot FILE] [--json]",
		Short: "Measure which messages go to a person at once: complaints, requests for one, anger",
		Long: `Read every labelled message of each --cases file and report, per file, how often the ones
that must reach a person at once (complaint, human_request) do, and how often the others do not.

Cases are JSONL: {"text": "...", "label": "complaint|human_request|negative_sentiment|none", "language": "zh|en"}.
language defaults to zh when the text has a Chinese character, else en.

Three setups read each message (--setup picks some):
  detector  the trigger detection and sentiment alone (intent.DetectTrigger, intent.AnalyzeSentiment)
  first     the bot (the demo bot, or --bot FILE) given the message as a conversation's first
  mid_task  the bot given the message while a task asks for each of its slots in turn (one
            setup per slot, mid_task:SLOT); the task is --task, by default the definition's first
            intent with a free-text slot (return_request in the demo); a handoff that drops the
            task counts as the reason lost_task
The bot runs in memory with its classifier, without a database, knowledge base or business system.

Reported per setup, file and language: recall (complaint and human_request messages handed off for
any reason; recall_exact: for the labelled one), false_handoff_rate (none messages handed off),
precision (handoffs that were due), per-label recall and per-reason precision, the confusion of
label against reason given, and the misses. Progress goes to stderr; --json prints one JSON object
on stdout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if len(cases) == 0 {
				return usageError{fmt.Errorf("eval triggers: --cases is required")}
			}
			setups, err := pickSetups(setupList)
			if err != nil {
				return usageError{err}
			}
			ctx := cmd.Context()
			stderr := cmd.ErrOrStderr()
			src := demo.BotDefinition()
			if botFile != "" {
				if src, err = os.ReadFile(botFile); err != nil {
					return err
				}
			}
			def, err := bot.ParseDefinition(src)
			if err != nil {
				return fmt.Errorf("eval triggers: %s: %w", firstNonEmpty(botFile, "demo bot"), err)
			}
			fmt.Fprintf(stderr, "training %s…\n", def.Name)
			e, err := bot.Compile(ctx, def, 0, bot.EnvFromEnviron())
			if err != nil {
				return err
			}
			probe, err := bot.NewHandoffProbe(e, task)
			if err != nil {
				return err
			}
			rep := evals.TriggerReport{Files: cases, Bot: def.Name, Task: probe.Task(), Results: []evals.TriggerResult{}}
			var ss []evals.TriggerSetup
			for _, s := range setups {
				switch s {
				case "detector":
					ss = append(ss, evals.TriggerSetup{Name: s, Judge: detectorJudge})
				case "first":
					ss = append(ss, evals.TriggerSetup{Name: s, Judge: probe.First})
				case "mid_task":
					for _, slot := range probe.Slots() {
						ss = append(ss, evals.TriggerSetup{Name: "mid_task:" + slot, Judge: func(ctx context.Context, text, lang string) (string, error) {
							return probe.MidTask(ctx, slot, text, lang)
						}})
					}
				}
			}
			for _, path := range cases {
				cs, err := readTriggerCases(path)
				if err != nil {
					return err
				}
				bar := newProgressBar(stderr, len(cs)*len(ss), path)
				done := 0
				res, err := evals.RunTriggers(ctx, path, cs, ss, func() { done++; _ = bar.Set(done) })
				_ = bar.Finish()
				fmt.Fprintln(stderr)
				if err != nil {
					return err
				}
				rep.Results = append(rep.Results, res...)
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetEscapeHTML(false)
				return enc.Encode(rep)
			}
			printTriggerReport(cmd.OutOrStdout(), rep, allMisses)
			return nil
		},
	}
	cmd.Flags().StringArrayVar(&cases, "cases", nil, "labelled messages, JSONL; repeat for more files (each reported apart)")
	cmd.Flags().StringVar(&botFile, "bot", "", "bot definition YAML (default: the built-in demo bot)")
	cmd.Flags().StringVar(&task, "task", "", "task whose slot questions mid-task messages interrupt (default: the first intent with a free-text slot, else with slots)")
	cmd.Flags().StringVar(&setupList, "setup", strings.Join(triggerSetups, ","), "setups to run, comma-separated: detector, first, mid_task")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object on stdout")
	cmd.Flags().BoolVar(&allMisses, "all-misses", false, "also list the detector's misses")
	return cmd
}

// detectorJudge is the detector alone, as the bot's first check applies it.
func detectorJudge(_ context.Context, text, _ string) (string, error) {
	if t := intent.DetectTrigger(text); t != intent.TriggerNone {
		return string(t), nil
	}
	if intent.AnalyzeSentiment(text).Strong {
		return evals.LabelNegative, nil
	}
	return "", nil
}

func pickSetups(list string) ([]string, error) {
	var out []string
	for _, s := range strings.Split(list, ",") {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		ok := false
		for _, known := range triggerSetups {
			ok = ok || s == known
		}
		if !ok {
			return nil, fmt.Errorf("eval triggers: unknown setup %q (detector, first, mid_task)", s)
		}
		out = append(out, s)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("eval triggers: --setup names none")
	}
	return out, nil
}

func readTriggerCases(path string) ([]evals.TriggerCase, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	cs, err := evals.ReadTriggerCases(f)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return cs, nil
}

func printTriggerReport(w io.Writer, rep evals.TriggerReport, allMisses bool) {
	fmt.Fprintf(w, "handoff triggers, bot %s (mid_task interrupts %s)\n", rep.Bot, firstNonEmpty(rep.Task, "-"))
	fmt.Fprintln(w, "recall = complaint+human_request handed off (exact = for the labelled reason); fp = none handed off")
	file := ""
	for _, r := range rep.Results {
		if r.File != file {
			file = r.File
			fmt.Fprintf(w, "\n%s (%d messages)\n", file, r.Messages)
		}
		line := func(name string, m evals.TriggerMetrics) {
			fmt.Fprintf(w, "  %-20s %-3s recall %s  exact %s  fp %s  precision %s  (%d positives, %d none)\n",
				r.Setup, name, pct(m.Recall), pct(m.RecallExact), pct(m.FalseHandoffRate), pct(m.Precision), m.Positives, m.Negatives)
		}
		line("all", r.TriggerMetrics)
		langs := make([]string, 0, len(r.ByLanguage))
		for l := range r.ByLanguage {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, l := range langs {
			line(l, r.ByLanguage[l])
		}
		for _, l := range []string{evals.LabelComplaint, evals.LabelHumanRequest, evals.LabelNegative} {
			if lm, ok := r.ByLabel[l]; ok {
				fmt.Fprintf(w, "      %-19s                recall %s  exact %s  given %3d  precision %s\n",
					l, pct(lm.Recall), pct(lm.RecallExact), lm.Given, pct(lm.Precision))
			}
		}
		if r.Setup == "detector" && !allMisses {
			continue
		}
		for _, m := range r.Misses {
			fmt.Fprintf(w, "      %-13s %-18s → %-18s %s\n", m.Kind, m.Label, m.Got, m.Text)
		}
	}
}

func pct(f *float64) string {
	if f == nil {
		return "    -"
	}
	return fmt.Sprintf("%.3f", *f)
}

func firstNonEmpty(a, b string) string {
	if a != "" {
		return a
	}
	return b
}
