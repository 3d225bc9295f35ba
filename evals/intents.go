package evals

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"slices"
	"time"

	"github.com/baton-cs/baton/intent"
)

// IntentOptions configure RunIntents.
type IntentOptions struct {
	TrainPath, TestPath string
	// Threshold replaces the tuned out-of-scope threshold when >= 0.
	Threshold float64
	// Progress receives one line per stage (may be nil).
	Progress io.Writer
}

// IntentReport is the result of an intent evaluation.
type IntentReport struct {
	Metrics
	TrainSeconds      float64 `json:"train_seconds"`
	ClassifyPerSecond float64 `json:"classify_per_second"`
	TrainRows         int     `json:"train_rows"`
	TrainOOSRows      int     `json:"train_oos_rows"`
	TestRows          int     `json:"test_rows"`
	TestOOSRows       int     `json:"test_oos_rows"`
	Intents           int     `json:"intents"`
	Threshold         float64 `json:"threshold"`
	// CVAccuracy and CVECE describe the cross-validated training predictions calibration used.
	CVAccuracy float64 `json:"cv_accuracy"`
	CVECE      float64 `json:"cv_ece"`
	// ModelColumns is the number of feature rows of the weights; ModelMB the heap the trained
	// model holds after garbage collection.
	ModelColumns int     `json:"model_columns"`
	ModelMB      float64 `json:"model_mb"`
	TrainFile    string  `json:"train_file"`
	TestFile     string  `json:"test_file"`
	// Matrix counts gold (row) → predicted (column) over Labels, which end with "oos".
	Labels []string `json:"-"`
	Matrix [][]int  `json:"-"`
}

// RunIntents trains a classifier on the train file only, classifies the test file and scores it.
// Rows labelled oos in the train file become intent.TrainOptions.OOS.
func RunIntents(ctx context.Context, opt IntentOptions) (*IntentReport, error) {
	progress := func(format string, args ...any) {
		if opt.Progress != nil {
			fmt.Fprintf(opt.Progress, format+"\n", args...)
		}
	}
	progress("loading %s and %s", opt.TrainPath, opt.TestPath)
	train, err := LoadIntents(opt.TrainPath)
	if err != nil {
		return nil, err
	}
	test, err := LoadIntents(opt.TestPath)
	if err != nil {
		return nil, err
	}
	var examples []intent.Example
	var oos []string
	for _, r := range train {
		if r.OOS() {
			oos = append(oos, r.Text)
		} else {
			examples = append(examples, intent.Example{Text: r.Text, Intent: r.Intent})
		}
	}
	progress("training on %d rows (%d out of scope)", len(train), len(oos))
	before := heapInUse()
	start := time.Now()
	model, err := intent.Train(ctx, examples, intent.TrainOptions{OOS: oos})
	if err != nil {
		return nil, fmt.Errorf("evals: train on %s: %w", opt.TrainPath, err)
	}
	rep := &IntentReport{TrainSeconds: time.Since(start).Seconds()}
	rep.ModelMB = float64(heapInUse()-before) / (1 << 20)
	if opt.Threshold >= 0 {
		model.SetThreshold(opt.Threshold)
	}
	progress("trained in %.1fs; classifying %d rows", rep.TrainSeconds, len(test))
	outcomes := make([]Outcome, len(test))
	start = time.Now()
	for i, r := range test {
		if i%1024 == 0 && ctx.Err() != nil {
			return nil, ctx.Err()
		}
		p := model.Predict(r.Text)
		outcomes[i] = Outcome{Gold: r.Intent, Predicted: p.Intent, Top: p.Ranked[0].Intent, Confidence: p.Confidence}
	}
	rep.ClassifyPerSecond = float64(len(test)) / time.Since(start).Seconds()
	runtime.KeepAlive(model)

	rep.Metrics = Score(outcomes)
	rep.TrainRows, rep.TrainOOSRows = len(train), len(oos)
	rep.TestRows = len(test)
	for _, r := range test {
		if r.OOS() {
			rep.TestOOSRows++
		}
	}
	rep.Intents = len(model.Intents())
	rep.Threshold = model.Threshold()
	cv := model.CV()
	rep.CVAccuracy, rep.CVECE = cv.Accuracy, cv.ECE
	rep.ModelColumns = model.Columns()
	rep.TrainFile, rep.TestFile = opt.TrainPath, opt.TestPath
	rep.Labels, rep.Matrix = confusionMatrix(model.Intents(), outcomes)
	return rep, nil
}

// heapInUse is the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// confusionMatrix counts outcomes over the model's intents, any gold intent it lacks, and oos.
func confusionMatrix(intents []string, outcomes []Outcome) ([]string, [][]int) {
	labels := slices.Clone(intents)
	index := map[string]int{}
	for i, l := range labels {
		index[l] = i
	}
	for _, o := range outcomes {
		if _, ok := index[o.Gold]; !ok && o.Gold != "" {
			index[o.Gold] = len(labels)
			labels = append(labels, o.Gold)
		}
	}
	index[""] = len(labels)
	labels = append(labels, OOSLabel)
	m := make([][]int, len(labels))
	for i := range m {
		m[i] = make([]int, len(labels))
	}
	for _, o := range outcomes {
		m[index[o.Gold]][index[o.Predicted]]++
	}
	return labels, m
}
