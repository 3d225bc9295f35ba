package kb

import (
	"context"
	"fmt"
	"log/slog"
	"strconv"
	"sync"
	"time"

	"github.com/baton-cs/baton/intent"
)

// The knowledge base's own model: what Baton learns from the published articles themselves,
// rebuilt whenever they or their passages change (the '#generation' counter, see migration 0015).
// Per language it holds an article classifier, trained on each article's title, alternative
// questions (the ones editors write and the ones approved from agents' answers) and passages.

// Rebuilding. One build runs at a time, outside any lock, with the store's background context (a
// customer's request that ends does not stop it). Up to syncChunks chunks a search that finds the
// model out of date waits for the build (well under a second: 0.3 s for Banking77's 62 articles
// and 800 examples on this 2-core machine), so an article approved a moment ago is classified by
// the very next turn; a larger knowledge base is searched with the previous model meanwhile (none
// at first: retrieval alone) while it retrains (8 s for CMRC's 205 Wikipedia paragraphs): a new
// article is found by retrieval at once and by the classifier once retrained. A failed build is
// retried after retryBuild. Above maxClassifierArticles in a language there is no classifier (its
// one-vs-rest weights would grow with articles × features) and search ranks on retrieval alone,
// with the decision weights fitted for that case.
var syncChunks int64 = 800 // a variable for tests

const (
	maxClassifierArticles = 1500
	maxExamplesPerArticle = 40
	retryBuild            = 30 * time.Second
	buildTimeout          = 10 * time.Minute
)

// kbModel is the model of one generation of the knowledge base.
type kbModel struct {
	generation int64
	langs      map[string]*langModel
}

// langModel is one language's part.
type langModel struct {
	cls      *intent.Model // nil without one (see maxClassifierArticles)
	articles int
	examples int
}

func (m *kbModel) lang(l string) *langModel {
	if m == nil {
		return nil
	}
	return m.langs[l]
}

// noneOfThem is the classifier's class of general off-topic questions; classify reports its
// probability under noneID (no article has id 0).
const (
	noneOfThem       = "none"
	noneID     int64 = 0
	// minOffTopic is the fewest off-topic examples worth a class.
	minOffTopic = 10
)

// classify returns the classifier's probability for each article it ranks among its top five.
func (lm *langModel) classify(q string) map[int64]float64 {
	if lm == nil || lm.cls == nil {
		return nil
	}
	out := map[int64]float64{}
	for _, s := range lm.cls.Predict(q).Ranked {
		if s.Intent == noneOfThem {
			out[noneID] = s.Prob
		} else if id, err := strconv.ParseInt(s.Intent, 10, 64); err == nil {
			out[id] = s.Prob
		}
	}
	return out
}

// modelCache keeps the current model and rebuilds it when the generation moves.
type modelCache struct {
	mu       sync.Mutex
	cur      *kbModel
	inflight *modelBuild // the build under way, if any
	failedAt time.Time   // when the last build failed
	bg       context.Context
	wg       sync.WaitGroup
	log      *slog.Logger
}

// modelBuild is one build of the model; done closes when it has ended (installed or failed).
type modelBuild struct {
	gen  int64
	done chan struct{}
}

// SetLogger makes the store log model rebuilds (default: silent).
func (s *Store) SetLogger(l *slog.Logger) { s.models.log = l }

// SetBackground gives the store the context its background work (model builds) runs under: when
// it ends, builds stop; Wait then waits for them.
func (s *Store) SetBackground(ctx context.Context) { s.models.bg = ctx }

// Wait waits for the store's background builds to end.
func (s *Store) Wait() { s.models.wg.Wait() }

func (s *Store) logger() *slog.Logger {
	if s.models.log != nil {
		return s.models.log
	}
	return slog.New(slog.DiscardHandler)
}

// modelFor returns the model of generation gen, or the latest one there is (nil before the
// first): it starts a build when the model is out of date and, when wait is set, waits for one
// that covers gen (until ctx ends). Search waits for a knowledge base of up to syncChunks chunks.
// After a failed build none starts for retryBuild; the latest model serves meanwhile.
func (s *Store) modelFor(ctx context.Context, gen int64, wait bool) *kbModel {
	c := s.models
	for {
		c.mu.Lock()
		m, b := c.cur, c.inflight
		if m != nil && m.generation >= gen {
			c.mu.Unlock()
			return m
		}
		if b == nil {
			if time.Since(c.failedAt) < retryBuild {
				c.mu.Unlock()
				return m
			}
			b = s.startBuild(gen)
		}
		c.mu.Unlock()
		if !wait {
			return m
		}
		select {
		case <-b.done:
		case <-ctx.Done():
			return m
		}
		if b.gen >= gen { // this generation's build has ended: installed, or failed
			c.mu.Lock()
			m = c.cur
			c.mu.Unlock()
			return m
		}
		// An older generation's build ended; start (or join) this one's.
	}
}

// startBuild starts building generation gen's model in the background; c.mu is held.
func (s *Store) startBuild(gen int64) *modelBuild {
	c := s.models
	b := &modelBuild{gen: gen, done: make(chan struct{})}
	c.inflight = b
	bg := c.bg
	if bg == nil {
		bg = context.Background()
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		defer close(b.done)
		ctx, cancel := context.WithTimeout(bg, buildTimeout)
		m, err := s.buildModel(ctx, gen)
		cancel()
		c.mu.Lock()
		defer c.mu.Unlock()
		c.inflight = nil
		if err != nil {
			c.failedAt = time.Now()
			if bg.Err() == nil {
				s.logger().Warn("kb: building the knowledge base's model failed", "generation", gen, "err", err)
			}
			return
		}
		if c.cur == nil || m.generation > c.cur.generation {
			c.cur = m
		}
	}()
	return b
}

// articleTexts is what the classifier learns an article from.
type articleTexts struct {
	id       int64
	language string
	texts    []string
}

// buildModel trains the classifiers of generation gen.
func (s *Store) buildModel(ctx context.Context, gen int64) (*kbModel, error) {
	start := time.Now()
	counts, err := s.publishedCounts(ctx)
	if err != nil {
		return nil, err
	}
	var classify []string
	for lang, n := range counts {
		if n <= maxClassifierArticles {
			classify = append(classify, lang)
		}
	}
	arts, err := s.publishedTexts(ctx, classify)
	if err != nil {
		return nil, err
	}
	m := &kbModel{generation: gen, langs: map[string]*langModel{}}
	byLang := map[string][]articleTexts{}
	for _, a := range arts {
		byLang[a.language] = append(byLang[a.language], a)
	}
	for lang, n := range counts {
		as := byLang[lang]
		lm := &langModel{articles: n}
		if lm.cls, lm.examples, err = trainClassifier(ctx, as); err != nil {
			return nil, fmt.Errorf("kb: train the %s article classifier: %w", lang, err)
		}
		m.langs[lang] = lm
	}
	s.logger().Debug("kb: model rebuilt", "generation", gen, "classified articles", len(arts), "seconds", time.Since(start).Seconds())
	return m, nil
}

// publishedCounts counts the published articles by language.
func (s *Store) publishedCounts(ctx context.Context) (map[string]int, error) {
	rows, err := s.pool.Query(ctx, `SELECT language, count(*) FROM kb_articles WHERE status = 'published' GROUP BY language`)
	if err != nil {
		return nil, fmt.Errorf("kb: count articles for the model: %w", err)
	}
	defer rows.Close()
	out := map[string]int{}
	for rows.Next() {
		var l string
		var n int
		if err := rows.Scan(&l, &n); err != nil {
			return nil, err
		}
		out[l] = n
	}
	return out, rows.Err()
}

// publishedTexts reads the title, alternative questions and passages of every published article
// in langs.
func (s *Store) publishedTexts(ctx context.Context, langs []string) ([]articleTexts, error) {
	if langs == nil {
		langs = []string{}
	}
	rows, err := s.pool.Query(ctx, `SELECT a.id, a.language, a.title, a.questions,
			coalesce(array_agg(c.text ORDER BY c.ord) FILTER (WHERE c.kind = 'body'), '{}')
		FROM kb_articles a LEFT JOIN kb_chunks c ON c.article_id = a.id
		WHERE a.status = 'published' AND a.language = ANY($1)
		GROUP BY a.id ORDER BY a.id`, langs)
	if err != nil {
		return nil, fmt.Errorf("kb: read articles for the model: %w", err)
	}
	defer rows.Close()
	var out []articleTexts
	for rows.Next() {
		var a articleTexts
		var title string
		var questions, body []string
		if err := rows.Scan(&a.id, &a.language, &title, &questions, &body); err != nil {
			return nil, err
		}
		a.texts = append(append([]string{title}, questions...), body...)
		out = append(out, a)
	}
	return out, rows.Err()
}

// trainClassifier trains one language's article classifier (nil with fewer than two articles or
// more than maxClassifierArticles) and says on how many examples. Besides one class per article it
// learns general off-topic questions as the class "none of them" (see offTopic; languages without
// such a list go without), as many as a quarter of the articles' examples: in a five-article help
// centre sixty off-topic questions would outweigh the articles' few.
func trainClassifier(ctx context.Context, as []articleTexts) (*intent.Model, int, error) {
	if len(as) < 2 || len(as) > maxClassifierArticles {
		return nil, 0, nil
	}
	var exs []intent.Example
	for _, a := range as {
		label := strconv.FormatInt(a.id, 10)
		for i, t := range a.texts {
			if i >= maxExamplesPerArticle {
				break
			}
			exs = append(exs, intent.Example{Text: t, Intent: label})
		}
	}
	if list := offTopic[as[0].language]; min(len(list), len(exs)/4) >= minOffTopic {
		n := min(len(list), len(exs)/4)
		for i := range n { // spread over the list: weather, arithmetic, trivia, chit-chat…
			exs = append(exs, intent.Example{Text: list[i*len(list)/n], Intent: noneOfThem})
		}
	}
	cls, err := intent.Train(ctx, exs, intent.TrainOptions{})
	if err != nil {
		return nil, 0, err
	}
	return cls, len(exs), nil
}

// ModelInfo describes the knowledge base's model: for each language, how many published articles
// it learnt from, whether it has an article classifier and on how many examples, and the
// calibration of the embedder's scores.
type ModelInfo struct {
	Generation int64                `json:"generation"`
	Embedder   string               `json:"embedder"`
	Languages  map[string]LangModel `json:"languages"`
}

// LangModel is one language's part of ModelInfo.
type LangModel struct {
	Articles    int         `json:"articles"`
	Classifier  bool        `json:"classifier"`
	Examples    int         `json:"examples"`
	Calibration Calibration `json:"calibration"`
}

// Model builds (or returns) the model of the knowledge base as it is now, waiting for it however
// large the knowledge base is, and describes it with the embedder's calibration.
func (s *Store) Model(ctx context.Context) (ModelInfo, error) {
	gen, err := s.Generation(ctx)
	if err != nil {
		return ModelInfo{}, err
	}
	m := s.modelFor(ctx, gen, true)
	if m == nil || m.generation < gen {
		if err := ctx.Err(); err != nil {
			return ModelInfo{}, err
		}
		return ModelInfo{}, fmt.Errorf("kb: the knowledge base's model could not be built (see the log)")
	}
	info := ModelInfo{Generation: m.generation, Embedder: s.embedder.Name(), Languages: map[string]LangModel{}}
	for l, lm := range m.langs {
		cal, err := s.calibrate(ctx, l)
		if err != nil {
			return ModelInfo{}, err
		}
		info.Languages[l] = LangModel{Articles: lm.articles, Classifier: lm.cls != nil, Examples: lm.examples, Calibration: cal}
	}
	return info, nil
}

// Generation is the knowledge base's current generation (see migration 0015).
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var g int64
	err := s.pool.QueryRow(ctx, `SELECT coalesce((SELECT df FROM kb_terms WHERE term = '#generation'), 0)`).Scan(&g)
	if err != nil {
		return 0, fmt.Errorf("kb: generation: %w", err)
	}
	return g, nil
}
