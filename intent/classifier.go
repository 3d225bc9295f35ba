package intent

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"

	"github.com/kljensen/snowball/english"
)

// Example is one labelled training text.
type Example struct{ Text, Intent string }

// TrainOptions tune Train. Zero values take defaults chosen on validation splits of the shared
// datasets' training files (figures in validation_test.go).
type TrainOptions struct {
	// OOS holds out-of-scope example texts (optional) used only to tune the refusal threshold.
	OOS []string
	// C is the SVMs' cost of a margin violation (default 1).
	C float64
	// Folds is the number of cross-validation folds behind calibration and the threshold
	// (default 5, or 3 above 6,000 examples to keep training fast).
	Folds int
	// MinDF drops features seen in fewer training texts (default 1; 2 above 5,000 examples,
	// which halves Banking77's columns at no cost in accuracy).
	MinDF int
	// Keep is the share of correct cross-validated in-scope predictions the threshold keeps
	// when no OOS examples are given (default 0.99; see Train).
	Keep float64
	// MaxThreshold caps the threshold chosen without OOS examples (default 0.5).
	MaxThreshold float64
	// Workers bounds parallelism (default GOMAXPROCS).
	Workers int
	// Seed makes fold assignment and the solver's order reproducible (default 1).
	Seed uint64

	views []featureConfig // experiments only: replaces defaultViews
	svm   *svmParams      // experiments only
	// bgQuantile places the background logit without OOS examples (see backgroundFloor).
	bgQuantile float64
}

// Scored is one intent with its calibrated probability.
type Scored struct {
	Intent string  `json:"intent"`
	Prob   float64 `json:"prob"`
}

// Prediction is the classifier's answer for one text.
type Prediction struct {
	Intent     string   // top intent, "" when out of scope (Prob < threshold)
	Confidence float64  // calibrated probability of the top intent
	Ranked     []Scored // top 5, calibrated probabilities, best first
	OOS        bool
}

// Model is a trained intent classifier. It is safe for concurrent use.
type Model struct {
	intents   []string
	views     []view
	stems     map[string]string // the training words' stems, read-only
	spell     speller
	cal       calibration
	threshold atomic.Uint64 // float64 bits
	cv        CVReport
}

// view is one member of the ensemble: a feature set with its vocabulary and SVMs.
type view struct {
	fc  featureConfig
	voc *vocab
	lin *linear
}

// CVReport describes the cross-validated predictions that calibration and the threshold were
// fitted on.
type CVReport struct {
	Folds       int
	Accuracy    float64 // top-1 accuracy, no refusals
	ECE         float64 // expected calibration error (15 bins) after temperature scaling
	Temperature float64
	Background  float64 // the background ("none of these") logit
	KeptCorrect float64 // share of correct in-scope predictions the threshold accepts
	OOSRecall   float64 // share of OOS examples the threshold refuses; NaN without them
}

const maxRanked = 5

// Errors returned by Train for unusable training data.
var (
	ErrTooFewIntents = errors.New("intent: need examples of at least two intents")
	ErrEmptyExample  = errors.New("intent: empty example")
)

// Train fits a classifier: two TF-IDF feature views (see defaultViews), one-vs-rest linear
// SVMs on each, their scores averaged, probabilities from a softmax over those scores and a
// background logit with a temperature fitted to minimise the negative log-likelihood of k-fold
// cross-validated scores (see calibration), and an out-of-scope threshold. Predict corrects
// misspelt words against the training vocabulary first (see speller); English shop words in
// Chinese text also give their Chinese (see glossary).
//
// The threshold is tuned on the same cross-validated predictions. With opt.OOS it maximises
// the harmonic mean of in-scope accuracy (a refusal counts as wrong) and OOS recall, each OOS
// text scored by a model that never saw it. Without OOS examples nothing shows what
// out-of-scope text looks like, so it is the highest value that keeps opt.Keep (99%) of the
// correct in-scope predictions, capped at opt.MaxThreshold (0.5): a text the model would
// more likely get right than wrong is never refused by default. (Keeping 97% cost 1.5-2 points
// of in-scope accuracy on Banking77 and SMP2017 for refusals nothing asked for; a bot that
// wants more refusals gives out-of-scope examples, which set the threshold by evidence.)
func Train(ctx context.Context, examples []Example, opt TrainOptions) (*Model, error) {
	texts, labels, intents, err := prepare(examples)
	if err != nil {
		return nil, err
	}
	for i, t := range opt.OOS {
		if strings.TrimSpace(t) == "" {
			return nil, fmt.Errorf("%w: out-of-scope text %d", ErrEmptyExample, i)
		}
	}
	opt = withDefaults(opt, len(examples))
	m := &Model{intents: intents, stems: stemCache(texts)}
	m.spell = newSpeller(texts, m.stems)
	fold := folds(labels, len(intents), opt.Folds, opt.Seed)
	cv := newScores(len(texts), len(intents))
	oos := newScores(len(opt.OOS), len(intents))
	for _, fc := range opt.views {
		docs := hashAll(texts, &fc, m.stems, opt.Workers)
		v, alphas, err := fitView(ctx, fc, docs, labels, len(intents), opt, nil, true)
		if err != nil {
			return nil, err
		}
		m.views = append(m.views, v)
		oosDocs := hashAll(opt.OOS, &fc, m.stems, opt.Workers)
		if err := crossValidate(ctx, fc, docs, labels, oosDocs, fold, alphas, opt, cv, oos); err != nil {
			return nil, err
		}
	}
	scale(cv, 1/float64(len(m.views)))
	scale(oos, 1/float64(len(m.views)))
	m.calibrate(cv, labels, oos, opt)
	return m, nil
}

func prepare(examples []Example) (texts []string, labels []int32, intents []string, err error) {
	ids := map[string]int32{}
	for i, e := range examples {
		if strings.TrimSpace(e.Text) == "" {
			return nil, nil, nil, fmt.Errorf("%w: text of example %d (intent %q)", ErrEmptyExample, i, e.Intent)
		}
		if strings.TrimSpace(e.Intent) == "" {
			return nil, nil, nil, fmt.Errorf("%w: intent of example %d (%q)", ErrEmptyExample, i, e.Text)
		}
		if _, ok := ids[e.Intent]; !ok {
			ids[e.Intent] = 0
			intents = append(intents, e.Intent)
		}
	}
	if len(intents) < 2 {
		return nil, nil, nil, fmt.Errorf("%w (got %d)", ErrTooFewIntents, len(intents))
	}
	slices.Sort(intents)
	for i, name := range intents {
		ids[name] = int32(i)
	}
	for _, e := range examples {
		texts = append(texts, e.Text)
		labels = append(labels, ids[e.Intent])
	}
	return texts, labels, intents, nil
}

func withDefaults(opt TrainOptions, n int) TrainOptions {
	if opt.C <= 0 {
		opt.C = 1
	}
	if opt.Folds <= 1 {
		opt.Folds = 5
		if n > 6000 {
			opt.Folds = 3
		}
	}
	if opt.MinDF <= 0 {
		opt.MinDF = 1
		if n > 5000 {
			opt.MinDF = 2
		}
	}
	if opt.Keep <= 0 || opt.Keep > 1 {
		opt.Keep = 0.99
	}
	if opt.MaxThreshold <= 0 {
		opt.MaxThreshold = 0.5
	}
	if opt.Workers <= 0 {
		opt.Workers = runtime.GOMAXPROCS(0)
	}
	if opt.Seed == 0 {
		opt.Seed = 1
	}
	if opt.views == nil {
		opt.views = defaultViews()
	}
	if opt.bgQuantile == 0 {
		opt.bgQuantile = 0.01
	}
	if opt.svm == nil {
		opt.svm = &svmParams{eps: 0.1, maxIter: 200}
	}
	return opt
}

// hashAll extracts every text's feature hashes, sorted, in parallel.
func hashAll(texts []string, fc *featureConfig, stems map[string]string, workers int) [][]uint64 {
	out := make([][]uint64, len(texts))
	parallel(len(texts), workers, func(i int) {
		out[i] = fc.hashTokens(fc.analyze(texts[i], stems))
		slices.Sort(out[i])
	})
	return out
}

// stemCache stems every ASCII word of the training texts once, so Predict mostly looks stems
// up instead of running the stemmer.
func stemCache(texts []string) map[string]string {
	stems := map[string]string{}
	for _, t := range texts {
		for _, tok := range tokenize(t, true) {
			if _, ok := stems[tok.text]; !ok && !tok.han && len(tok.text) > 2 && isASCII(tok.text) {
				stems[tok.text] = english.Stem(tok.text, true)
			}
		}
	}
	return stems
}

// fitView builds the vocabulary of docs and trains the SVMs on them, warm-started from init
// when given; keep returns the SVMs' dual variables.
func fitView(ctx context.Context, fc featureConfig, docs [][]uint64, labels []int32, classes int, opt TrainOptions, init [][]float64, keep bool) (view, [][]float64, error) {
	v := view{fc: fc, voc: buildVocab(docs, opt.MinDF)}
	xs := make([]sparse, len(docs))
	parallel(len(docs), opt.Workers, func(i int) { xs[i] = v.voc.vector(docs[i], &v.fc) })
	p := *opt.svm
	p.c, p.workers, p.seed = opt.C, opt.Workers, opt.Seed
	var err error
	var alphas [][]float64
	v.lin, alphas, err = trainOVR(ctx, xs, labels, classes, len(v.voc.idf), p, init, keep)
	return v, alphas, err
}
