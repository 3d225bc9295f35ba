package evals

import (
	"fmt"
	"io"
	"text/tabwriter"
)

// WriteText prints the report for a terminal.
func (r *IntentReport) WriteText(w io.Writer) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintf(tw, "train\t%s: %d rows (%d out of scope), %d intents\n", r.TrainFile, r.TrainRows, r.TrainOOSRows, r.Intents)
	fmt.Fprintf(tw, "test\t%s: %d rows (%d out of scope)\n", r.TestFile, r.TestRows, r.TestOOSRows)
	fmt.Fprintf(tw, "accuracy\t%.4f\t(in-scope rows, a refusal counts as wrong; top intent regardless of threshold: %.4f)\n", r.Accuracy, r.AccuracyNoRefusal)
	fmt.Fprintf(tw, "macro F1\t%.4f\n", r.MacroF1)
	if r.OOSPrecision != nil {
		fmt.Fprintf(tw, "OOS precision\t%.4f\n", *r.OOSPrecision)
		fmt.Fprintf(tw, "OOS recall\t%.4f\n", *r.OOSRecall)
	} else {
		fmt.Fprintf(tw, "OOS precision/recall\t-\t(no oos rows in the test file)\n")
	}
	fmt.Fprintf(tw, "ECE\t%.4f\t(cross-validated on train: %.4f, accuracy %.4f)\n", r.ECE, r.CVECE, r.CVAccuracy)
	fmt.Fprintf(tw, "threshold\t%.4f\n", r.Threshold)
	fmt.Fprintf(tw, "train time\t%.2f s\n", r.TrainSeconds)
	fmt.Fprintf(tw, "classify\t%.0f per second\t(one goroutine)\n", r.ClassifyPerSecond)
	fmt.Fprintf(tw, "model\t%d feature rows, %.1f MB heap\n", r.ModelColumns, r.ModelMB)
	if err := tw.Flush(); err != nil {
		return err
	}
	if len(r.Confused) > 0 {
		fmt.Fprintln(w, "most confused (gold -> predicted):")
		for _, c := range r.Confused {
			fmt.Fprintf(w, "  %5d  %s -> %s\n", c.Count, c.Gold, c.Predicted)
		}
	}
	return nil
}
