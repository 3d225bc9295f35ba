package kb

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/pgvector/pgvector-go"
)

// Result is one article found for a query, scored by its best-matching chunk.
type Result struct {
	ArticleID int64  `json:"article_id"`
	Title     string `json:"title"`
	Snippet   string `json:"snippet"`
	// Score is the probability that this article answers the query, 0..1, decided from the
	// evidence below by a logistic model and comparable across queries, knowledge bases and
	// embedders (see decide.go): the bot answers when the first result's Score reaches
	// BATON_ANSWER_THRESHOLD.
	Score    float64 `json:"score"`
	Language string  `json:"language"`
	// MatchKind is the kind of the best chunk: title, question or body.
	MatchKind string `json:"match_kind"`
	ChunkID   int64  `json:"chunk_id"`
	// Heading is the best chunk's section ("Returns > Who pays"), "" outside any.
	Heading string `json:"heading,omitempty"`
	// VectorScore (cosine similarity mapped by the knowledge base's calibration, 0..1) and
	// LexicalScore (the share of the query's term weight the chunk holds, length-normalised, 0..1)
	// are the retrieval signals.
	VectorScore  float64 `json:"vector_score"`
	LexicalScore float64 `json:"lexical_score"`
	// FusedScore is VectorWeight·vector + (1-VectorWeight)·lexical.
	FusedScore float64 `json:"fused_score"`
	// ClassifierScore is the probability the knowledge base's article classifier gives this
	// article (0 when it ranks it below its top five, or there is no classifier).
	ClassifierScore float64 `json:"classifier_score"`
	// RankScore orders the results: FusedScore mixed with ClassifierScore.
	RankScore float64 `json:"rank_score"`
	// Coverage is the share of the query's term weight the article's matching chunks hold.
	Coverage float64 `json:"coverage"`
	// Evidence explains Score signal by signal.
	Evidence *Evidence `json:"evidence,omitempty"`
	Body     string    `json:"-"`
	// Passage is the best chunk's text (plain text), which the bot answers from for a body match.
	Passage string `json:"-"`
}

// SearchOptions narrow a search.
type SearchOptions struct {
	Language string // "" searches every language
	K        int    // how many articles, default 5
	// MinScore drops results scoring below it (0 keeps all).
	MinScore float64
}

// Candidate pools. lexicalBudget bounds the postings the lexical query may score (see candidateTerms);
// a query whose rarest term is in more chunks than lexicalMaxDF has no lexical candidates of its own.
const (
	minCandidates = 40
	lexicalBudget = 800
	lexicalMaxDF  = 2000
)

// exactChunks is the largest knowledge base (in chunks) whose vector candidates are found by an
// exact scan rather than the HNSW index (see candidates).
const exactChunks = 2000

// DefaultEfSearch is the HNSW candidate list size at query time (pgvector's default is 40).
const DefaultEfSearch = 100

// candidate is one chunk with its signals.
type candidate struct {
	chunkID, articleID int64
	kind, heading      string
	ntok               int
	cos                *float64 // nil when the chunk's embedder is not the current one
	matched            []string // the query terms it holds
	title, language    string
}

// Search finds the published articles that best answer q: pgvector nearest neighbours among the
// chunks of the current embedder plus BM25-style lexical matches over Baton's own tokens, ranked
// by their fused match and the knowledge base's article classifier. Each result's Score is the
// decision model's probability that it is the article that answers q (see decide.go). Chunks not
// yet re-embedded by the current embedder are found lexically.
func (s *Store) Search(ctx context.Context, q string, opt SearchOptions) ([]Result, error) {
	if opt.K <= 0 {
		opt.K = 5
	}
	cs, err := s.candidates(ctx, q, opt)
	if err != nil {
		return nil, err
	}
	out := s.rank(ctx, q, cs, opt)
	if err := s.fillBodies(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// rank decides the candidates' scores with the knowledge base's model of the candidates'
// generation: for each language, its article classifier and the embedder's calibration. A
// search in every language ranks each language's candidates with its own and merges them by
// Score, the probability each is the right article, which means the same in every language.
func (s *Store) rank(ctx context.Context, q string, cs candidateSet, opt SearchOptions) []Result {
	if len(cs.chunks) == 0 {
		return []Result{}
	}
	m := s.modelFor(ctx, cs.generation, cs.n <= syncChunks)
	byLang := map[string][]*candidate{}
	var langs []string
	for _, c := range cs.chunks {
		if byLang[c.language] == nil {
			langs = append(langs, c.language)
		}
		byLang[c.language] = append(byLang[c.language], c)
	}
	var out []Result
	for _, lang := range langs {
		part := cs
		part.chunks = byLang[lang]
		lm := m.lang(lang)
		scale := s.scaleFor(ctx, lang)
		var probs map[int64]float64
		articles := 0
		if lm != nil {
			probs, articles = lm.classify(q), lm.articles
		}
		out = append(out, part.results(s.scoring, scale, probs, articles, opt)...)
	}
	if len(langs) > 1 {
		sort.SliceStable(out, func(i, j int) bool { return out[i].Score > out[j].Score })
		out = out[:min(len(out), opt.K)]
	}
	return out
}

// candidateSet is what the database returned for a query, before scoring.
type candidateSet struct {
	chunks     []*candidate
	terms      []queryTerm
	avgLen     float64
	n          int64 // chunks in the corpus
	generation int64 // the knowledge base's generation when searched
}

func (s *Store) candidates(ctx context.Context, q string, opt SearchOptions) (candidateSet, error) {
	var cs candidateSet
	q = strings.TrimSpace(q)
	if q == "" {
		return cs, nil
	}
	vecs, err := s.embedder.Embed(ctx, []string{q})
	if err != nil {
		return cs, fmt.Errorf("kb: embed query: %w", err)
	}
	// A pgvector.Vector, not text: native Postgres uses the extended protocol and types parameters.
	qvec, embedder := pgvector.NewVector(vecs[0]), s.embedder.Name()
	if isZero(vecs[0]) {
		embedder = "" // nothing to compare: matches no chunk's embedder
	}
	tokens := Tokens(q)
	limit := max(minCandidates, opt.K*8)
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		df, n, total, err := termStats(ctx, tx, tokens)
		if err != nil {
			return err
		}
		// The HNSW scan keeps going until enough rows pass the embedder, status and language
		// filters. Up to exactChunks the vector candidates are found exactly, by a scan: HNSW's
		// graph is built with random levels, so its approximate neighbours (and with them a
		// borderline answer) could differ between two databases holding the same articles.
		vectorSQL := s.sql.vector
		if n <= exactChunks {
			vectorSQL = s.sql.vectorExact
		} else if _, err := tx.Exec(ctx, `SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`,
			fmt.Sprint(s.efSearch)); err != nil {
			return err
		}
		cs.generation = df["#generation"]
		if cs.n = n; n > 0 {
			cs.avgLen = float64(total) / float64(n)
		}
		fixes, err := correctTypos(ctx, tx, tokens, df)
		if err != nil {
			return err
		}
		cs.terms = s.scoring.weighQuery(tokens, fixes, df, n)
		ts := make([]string, len(cs.terms))
		for i, t := range cs.terms {
			ts[i] = t.Term
		}
		seen := map[int64]bool{}
		if embedder != "" {
			if err := collect(ctx, tx, &cs, seen, vectorSQL, qvec, ts, embedder, opt.Language, limit); err != nil {
				return fmt.Errorf("vector candidates: %w", err)
			}
		}
		sel, selW := candidateTerms(cs.terms, lexicalBudget)
		if len(sel) > 0 && df[sel[0]] <= lexicalMaxDF {
			if err := collect(ctx, tx, &cs, seen, s.sql.lexical, qvec, ts, embedder, opt.Language, limit, sel, selW); err != nil {
				return fmt.Errorf("lexical candidates: %w", err)
			}
		}
		return nil
	})
	if err != nil {
		return cs, fmt.Errorf("kb: search: %w", err)
	}
	return cs, nil
}

// termStats reads the document frequencies of tokens, the chunk count and the token count.
func termStats(ctx context.Context, tx pgx.Tx, tokens []string) (df map[string]int64, chunks, total int64, err error) {
	rows, err := tx.Query(ctx, `SELECT term, df FROM kb_terms WHERE term = ANY($1::text[])`, append([]string{"#chunks", "#tokens", "#generation"}, tokens...))
	if err != nil {
		return nil, 0, 0, err
	}
	defer rows.Close()
	df = map[string]int64{}
	for rows.Next() {
		var t string
		var d int64
		if err := rows.Scan(&t, &d); err != nil {
			return nil, 0, 0, err
		}
		df[t] = max(d, 0)
	}
	return df, df["#chunks"], df["#tokens"], rows.Err()
}

func collect(ctx context.Context, tx pgx.Tx, into *candidateSet, seen map[int64]bool, sql string, args ...any) error {
	rows, err := tx.Query(ctx, sql, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var c candidate
		if err := rows.Scan(&c.chunkID, &c.articleID, &c.kind, &c.heading, &c.ntok, &c.cos, &c.matched, &c.title, &c.language); err != nil {
			return err
		}
		if !seen[c.chunkID] {
			seen[c.chunkID] = true
			into.chunks = append(into.chunks, &c)
		}
	}
	return rows.Err()
}

// fillBodies loads the results' article bodies (the bot answers from them) and their chunks' text
// for the snippets: a body match shows its passage, a title or question match the body's start.
func (s *Store) fillBodies(ctx context.Context, rs []Result) error {
	if len(rs) == 0 {
		return nil
	}
	aids, cids := make([]int64, len(rs)), make([]int64, len(rs))
	for i, r := range rs {
		aids[i], cids[i] = r.ArticleID, r.ChunkID
	}
	rows, err := s.pool.Query(ctx, `SELECT r.n, a.body, c.text
		FROM unnest($1::bigint[], $2::bigint[]) WITH ORDINALITY AS r(aid, cid, n)
		JOIN kb_articles a ON a.id = r.aid JOIN kb_chunks c ON c.id = r.cid`, aids, cids)
	if err != nil {
		return fmt.Errorf("kb: search bodies: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var n int
		var body, text string
		if err := rows.Scan(&n, &body, &text); err != nil {
			return err
		}
		r := &rs[n-1]
		r.Body, r.Passage = body, text
		if r.MatchKind == ChunkBody {
			r.Snippet = Snippet(text, 160)
		} else {
			r.Snippet = Snippet(body, 160)
		}
	}
	return rows.Err()
}

func isZero(v []float32) bool {
	for _, x := range v {
		if x != 0 {
			return false
		}
	}
	return true
}
