package cli

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/evals"
)

// newEval is the parent of the measuring commands; each kind of evaluation is a subcommand.
func newEval() *cobra.Command {
	cmd := &cobra.Command{Use: "eval", Short: "Measure Baton's models on labelled files"}
	cmd.AddCommand(newEvalIntents(), newEvalRetrieval(), newEvalRun(), newEvalTriggers())
	return cmd
}

func newEvalIntents() *cobra.Command {
	var train, test, htmlPath string
	var asJSON bool
	var threshold float64
	cmd := &cobra.Command{
		Use:   "intents --train FILE --test FILE",
		Short: "Train the intent classifier on one file and score it on another",
		Long: `Train the offline intent classifier on --train only, classify every row of --test and report
accuracy (in-scope rows; a refusal counts as wrong), macro F1, out-of-scope precision and recall,
the most confused pairs, calibration error, the threshold, training time and speed.

Files are CSV with a header naming the columns text and category (any order), or JSON Lines with
"text" and "intent"; the extension (.csv, .jsonl, .json) or else the first byte decides. Rows
labelled oos (any case) are out of scope: in the train file they only tune the threshold.
Progress goes to stderr, the report to stdout.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			if train == "" || test == "" {
				return usageError{fmt.Errorf("eval intents: --train and --test are required")}
			}
			rep, err := evals.RunIntents(cmd.Context(), evals.IntentOptions{
				TrainPath: train, TestPath: test, Threshold: threshold, Progress: cmd.ErrOrStderr(),
			})
			if err != nil {
				return err
			}
			if htmlPath != "" {
				if err := writeHTMLReport(htmlPath, rep); err != nil {
					return err
				}
				fmt.Fprintf(cmd.ErrOrStderr(), "wrote %s\n", htmlPath)
			}
			if asJSON {
				enc := json.NewEncoder(cmd.OutOrStdout())
				enc.SetIndent("", "  ")
				return enc.Encode(rep)
			}
			return rep.WriteText(cmd.OutOrStdout())
		},
	}
	cmd.Flags().StringVar(&train, "train", "", "labelled training file (.csv or .jsonl)")
	cmd.Flags().StringVar(&test, "test", "", "labelled test file (.csv or .jsonl)")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print one JSON object instead of the summary")
	cmd.Flags().StringVar(&htmlPath, "html", "", "also write a self-contained HTML report to this file")
	cmd.Flags().Float64Var(&threshold, "threshold", -1, "out-of-scope threshold to use instead of the tuned one (0 never refuses)")
	return cmd
}

func writeHTMLReport(path string, rep *evals.IntentReport) error {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("eval intents: %w", err)
	}
	if err := rep.WriteHTML(f); err != nil {
		f.Close()
		return fmt.Errorf("eval intents: write %s: %w", path, err)
	}
	return f.Close()
}
