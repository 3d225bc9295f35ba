package kb

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// Calibration: an embedder's vector scores mean different things on different knowledge bases and
// with different models (the local embedder gives unrelated texts about 0.1 and paraphrases 0.5;
// a neural model may give 0.75 and 0.9). Baton measures its own knowledge base: each article's
// title and alternative questions are asked as customers would, once with that question held out
// (the article should still be found: a positive) and once with the whole article held out
// (nothing should answer: a negative, a question close to the knowledge base that it does not
// cover). The medians of the best result's vector score over each set place the embedder's
// scale on this knowledge base; search maps every vector score onto the reference scale those
// two medians have with the local embedder on the tuning sets, before any other evidence is
// weighed. The decision weights (decide.go), fitted once on that reference scale, then hold for
// any embedder and any knowledge base.

// refPos and refNeg are the reference medians: the mean over the four tuning sets (the tune
// halves of ../shared/datasets/faq and of the demo set) of the local embedder's positive and
// negative medians.
const (
	refPos = 0.62
	refNeg = 0.44
)

// Calibration sizes: at most maxCalibrationQuestions questions per language are asked (a
// random sample for large knowledge bases, seeded by the generation so reruns agree); below
// minProbes negatives, general off-topic questions are asked too (a one-article knowledge base
// has no other article to miss).
const (
	maxCalibrationQuestions = 300
	minProbes               = 12
)

// cosScale maps a language's vector scores onto the reference scale; the zero value is the
// identity (no calibration yet: the local embedder's scale is close to the reference).
type cosScale struct {
	Pos, Neg float64
}

func (c cosScale) apply(x float64) float64 {
	if c.Pos-c.Neg < 0.01 {
		return x
	}
	return refNeg + (x-c.Neg)*(refPos-refNeg)/(c.Pos-c.Neg)
}

// CalibrationReport says what one language's calibration found.
type CalibrationReport struct {
	Language   string    `json:"language"`
	Embedder   string    `json:"embedder"`
	Generation int64     `json:"generation"`
	Questions  int       `json:"questions"`
	Negatives  int       `json:"negatives"`
	PosCosine  float64   `json:"pos_cosine"`
	NegCosine  float64   `json:"neg_cosine"`
	Seconds    float64   `json:"seconds"`
	At         time.Time `json:"computed_at"`
}

// calibrationQuestion is one title or alternative question with its chunk and article.
type calibrationQuestion struct {
	chunk, article int64
	text           string
}

// Calibrate measures every language's score scale on the knowledge base as it is now, stores it
// and makes search use it. progress (optional) hears how many of the searches are done.
func (s *Store) Calibrate(ctx context.Context, progress func(done, total int)) ([]CalibrationReport, error) {
	gen, err := s.Generation(ctx)
	if err != nil {
		return nil, err
	}
	qs, err := s.calibrationQuestions(ctx)
	if err != nil {
		return nil, err
	}
	langs := make([]string, 0, len(qs))
	total := 0
	for l, list := range qs {
		langs = append(langs, l)
		rng := rand.New(rand.NewPCG(uint64(gen), 7))
		rng.Shuffle(len(list), func(i, j int) { list[i], list[j] = list[j], list[i] })
		if len(list) > maxCalibrationQuestions {
			list = list[:maxCalibrationQuestions]
		}
		qs[l] = list
		total += 2 * len(list)
	}
	slices.Sort(langs)
	var out []CalibrationReport
	done := 0
	for _, lang := range langs {
		start := time.Now()
		var pos, neg []float64
		for _, q := range qs[lang] {
			p, err := s.topCosine(ctx, q.text, lang, &heldOut{chunks: []int64{q.chunk}})
			if err != nil {
				return nil, err
			}
			n, err := s.topCosine(ctx, q.text, lang, &heldOut{articles: []int64{q.article}})
			if err != nil {
				return nil, err
			}
			pos, neg = append(pos, p), append(neg, n)
			done += 2
			if progress != nil {
				progress(done, total)
			}
		}
		if len(neg) < minProbes {
			for _, p := range offTopicProbes[lang] {
				n, err := s.topCosine(ctx, p, lang, nil)
				if err != nil {
					return nil, err
				}
				neg = append(neg, n)
			}
		}
		r := CalibrationReport{Language: lang, Embedder: s.embedder.Name(), Generation: gen, Questions: len(pos),
			Negatives: len(neg), PosCosine: round4(median(pos)), NegCosine: round4(median(neg)), At: time.Now().UTC()}
		r.Seconds = round4(time.Since(start).Seconds())
		if err := s.saveCalibration(ctx, r); err != nil {
			return nil, err
		}
		s.models.setScale(lang, cosScale{Pos: r.PosCosine, Neg: r.NegCosine})
		out = append(out, r)
	}
	return out, nil
}

// topCosine is the best vector score among a search's candidates (0 without any).
func (s *Store) topCosine(ctx context.Context, q, lang string, held *heldOut) (float64, error) {
	cs, err := s.candidates(ctx, q, SearchOptions{Language: lang, K: 5, held: held})
	if err != nil {
		return 0, err
	}
	best := 0.0
	for _, c := range cs.chunks {
		if c.cos != nil && *c.cos > best {
			best = *c.cos
		}
	}
	return best, nil
}

func median(v []float64) float64 {
	if len(v) == 0 {
		return 0
	}
	v = slices.Clone(v)
	slices.Sort(v)
	if len(v)%2 == 1 {
		return v[len(v)/2]
	}
	return (v[len(v)/2-1] + v[len(v)/2]) / 2
}

// calibrationQuestions lists the published articles' titles and alternative questions by language.
func (s *Store) calibrationQuestions(ctx context.Context) (map[string][]calibrationQuestion, error) {
	rows, err := s.pool.Query(ctx, `SELECT a.language, c.id, a.id, c.text
		FROM kb_chunks c JOIN kb_articles a ON a.id = c.article_id
		WHERE a.status = 'published' AND c.kind IN ('title', 'question') AND c.embedder = $1 AND c.dim = $2
		ORDER BY c.id`, s.embedder.Name(), s.embedder.Dim())
	if err != nil {
		return nil, fmt.Errorf("kb: calibration questions: %w", err)
	}
	defer rows.Close()
	out := map[string][]calibrationQuestion{}
	for rows.Next() {
		var lang string
		var q calibrationQuestion
		if err := rows.Scan(&lang, &q.chunk, &q.article, &q.text); err != nil {
			return nil, err
		}
		out[lang] = append(out[lang], q)
	}
	return out, rows.Err()
}

// Generation is the knowledge base's current generation (see migration 0015).
func (s *Store) Generation(ctx context.Context) (int64, error) {
	var g int64
	err := s.pool.QueryRow(ctx, `SELECT df FROM kb_terms WHERE term = '#generation'`).Scan(&g)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("kb: generation: %w", err)
	}
	return g, nil
}

func (s *Store) saveCalibration(ctx context.Context, r CalibrationReport) error {
	rep, _ := json.Marshal(r)
	_, err := s.pool.Exec(ctx, `INSERT INTO kb_calibration (language, embedder, generation, pos_cosine, neg_cosine, questions, report, computed_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, now())
		ON CONFLICT (language, embedder) DO UPDATE SET generation = EXCLUDED.generation, pos_cosine = EXCLUDED.pos_cosine,
			neg_cosine = EXCLUDED.neg_cosine, questions = EXCLUDED.questions, report = EXCLUDED.report, computed_at = now()`,
		r.Language, r.Embedder, r.Generation, r.PosCosine, r.NegCosine, r.Questions, rep)
	if err != nil {
		return fmt.Errorf("kb: save calibration: %w", err)
	}
	return nil
}

// loadScales reads the stored calibration of the store's embedder, by language.
func (s *Store) loadScales(ctx context.Context) (map[string]cosScale, error) {
	rows, err := s.pool.Query(ctx, `SELECT language, pos_cosine, neg_cosine FROM kb_calibration WHERE embedder = $1`, s.embedder.Name())
	if err != nil {
		return nil, fmt.Errorf("kb: read calibration: %w", err)
	}
	defer rows.Close()
	out := map[string]cosScale{}
	for rows.Next() {
		var l string
		var sc cosScale
		if err := rows.Scan(&l, &sc.Pos, &sc.Neg); err != nil {
			return nil, err
		}
		out[l] = sc
	}
	return out, rows.Err()
}

// Calibrations lists the stored calibration of the store's embedder.
func (s *Store) Calibrations(ctx context.Context) ([]CalibrationReport, error) {
	rows, err := s.pool.Query(ctx, `SELECT report FROM kb_calibration WHERE embedder = $1 ORDER BY language`, s.embedder.Name())
	if err != nil {
		return nil, fmt.Errorf("kb: read calibration: %w", err)
	}
	defer rows.Close()
	out := []CalibrationReport{}
	for rows.Next() {
		var r CalibrationReport
		if err := rows.Scan(&r); err != nil {
			return nil, err
		}
		out = append(out, r)
	}
	return out, rows.Err()
}

// calibrationStale reports whether the stored calibration is older than generation gen (or missing).
func (s *Store) calibrationStale(ctx context.Context, gen int64) (bool, error) {
	var n int
	err := s.pool.QueryRow(ctx, `SELECT count(*) FROM kb_calibration WHERE embedder = $1 AND generation = $2`, s.embedder.Name(), gen).Scan(&n)
	if err != nil {
		return false, fmt.Errorf("kb: read calibration: %w", err)
	}
	return n == 0, nil
}

// RunCalibrator recalibrates in the background whenever the knowledge base has changed and then
// stayed unchanged for quiet (edits and imports come in bursts), and picks up calibrations other
// Baton processes stored, until ctx ends. It checks every interval.
func (s *Store) RunCalibrator(ctx context.Context, interval, quiet time.Duration) {
	log := s.logger()
	var lastGen int64 = -1
	var since time.Time
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		gen, err := s.Generation(ctx)
		if err == nil {
			if gen != lastGen {
				lastGen, since = gen, time.Now()
			}
			stale, err := s.calibrationStale(ctx, gen)
			switch {
			case err != nil:
				log.Warn("kb: calibration check failed", "err", err)
			case stale && time.Since(since) >= quiet:
				if reps, err := s.Calibrate(ctx, nil); err != nil {
					if ctx.Err() == nil {
						log.Warn("kb: calibration failed", "err", err)
					}
				} else {
					for _, r := range reps {
						log.Info("kb: calibrated", "language", r.Language, "questions", r.Questions,
							"pos_cosine", r.PosCosine, "neg_cosine", r.NegCosine, "seconds", r.Seconds)
					}
				}
			case !stale:
				if scales, err := s.loadScales(ctx); err == nil {
					for l, sc := range scales {
						s.models.setScale(l, sc)
					}
				}
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// offTopicProbes are general questions no shop's help centre answers, asked only when a
// knowledge base is too small to miss its own articles often enough (see minProbes).
var offTopicProbes = map[string][]string{
	"en": {"what's the weather like tomorrow", "who won the football match last night", "how do I bake sourdough bread",
		"what is the capital of australia", "recommend a good movie to watch", "how far away is the moon",
		"tell me a joke", "what time is it in tokyo", "how do I learn to play the guitar", "who wrote hamlet",
		"is it going to snow this weekend", "what is the meaning of life"},
	"zh": {"明天天气怎么样", "昨晚的足球比赛谁赢了", "红烧肉怎么做", "澳大利亚的首都是哪里", "推荐一部好看的电影", "月亮离地球有多远",
		"给我讲个笑话", "东京现在几点", "怎么学吉他", "哈姆雷特是谁写的", "这个周末会下雪吗", "人生的意义是什么"},
}
