package kb

import (
	"context"
	"fmt"
	"math"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
)

// Result is one article found for a query, scored by its best-matching chunk.
type Result struct {
	ArticleID int64  `json:"article_id"`
	Title     string `json:"title"`
	Snippet   string `json:"snippet"`
	// Score is the confidence that this article answers the query, 0..1, comparable across
	// queries: the bot answers when the first result's Score reaches BATON_ANSWER_THRESHOLD.
	Score    float64 `json:"score"`
	Language string  `json:"language"`
	// MatchKind is the kind of the best chunk: title, question or body.
	MatchKind string `json:"match_kind"`
	ChunkID   int64  `json:"chunk_id"`
	// Heading is the best chunk's section ("Returns > Who pays"), "" outside any.
	Heading string `json:"heading,omitempty"`
	// VectorScore (cosine similarity, 0..1) and LexicalScore (the share of the query's term weight
	// the chunk holds, length-normalised, 0..1) are the two signals Score fuses.
	VectorScore  float64 `json:"vector_score"`
	LexicalScore float64 `json:"lexical_score"`
	Body         string  `json:"-"`
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
	lexicalBudget = 1500
	lexicalMaxDF  = 5000
)

// DefaultEfSearch is the HNSW candidate list size at query time (pgvector's default is 40).
const DefaultEfSearch = 100

// candidate is one chunk with its signals.
type candidate struct {
	chunkID, articleID int64
	kind, heading      string
	text               string
	ntok               int
	cos                *float64 // nil when the chunk's embedder is not the current one
	matched            []string // the query terms it holds
	title, language    string
}

// searchSQL holds the two candidate queries for one embedding dimension. The dimension is part of
// the SQL text (a cast and the partial-index predicate), formatted from the embedder's Dim, never
// from input.
type searchSQL struct{ vector, lexical string }

func newSearchSQL(dim int) searchSQL {
	expr, param := annExpr(dim)
	// $1 query vector, $2 query terms, $3 embedder name, $4 language, $5 limit;
	// lexical only: $6 the rare terms that pick candidates, $7 their weights.
	matched := `ARRAY(SELECT q.t FROM unnest($2::text[]) AS q(t) WHERE q.t = ANY(c.tokens))`
	return searchSQL{
		vector: fmt.Sprintf(`
SELECT c.id, c.article_id, c.kind, c.heading, c.text, cardinality(c.tokens),
       1 - (%[1]s <=> %[2]s), %[3]s, a.title, a.language
FROM kb_chunks c JOIN kb_articles a ON a.id = c.article_id
WHERE c.dim = %[4]d AND c.embedder = $3 AND a.status = 'published' AND ($4 = '' OR a.language = $4)
ORDER BY %[1]s <=> %[2]s
LIMIT $5`, expr, param, matched, dim),
		// One GIN lookup per rare term, summed per chunk: the work grows with those terms'
		// postings, not with the corpus; only the chunks kept are scored in full.
		lexical: fmt.Sprintf(`
WITH hits AS (
    SELECT c.id, sum(q.w) AS w
    FROM unnest($6::text[], $7::float8[]) AS q(t, w)
    JOIN kb_chunks c ON c.tokens @> ARRAY[q.t]
    GROUP BY c.id
    ORDER BY w DESC, c.id
    LIMIT $5 * 4) -- room for the status and language filters below
SELECT c.id, c.article_id, c.kind, c.heading, c.text, cardinality(c.tokens),
       CASE WHEN c.dim = %[4]d AND c.embedder = $3 THEN 1 - (%[1]s <=> %[2]s) END, %[3]s, a.title, a.language
FROM hits h JOIN kb_chunks c ON c.id = h.id JOIN kb_articles a ON a.id = c.article_id
WHERE a.status = 'published' AND ($4 = '' OR a.language = $4)
ORDER BY h.w DESC, c.id
LIMIT $5`, expr, param, matched, dim),
	}
}

// annExpr is the indexed expression and query parameter for a dimension: vector up to 2,000
// dimensions, halfvec up to 4,000 (pgvector's HNSW limits).
func annExpr(dim int) (expr, param string) {
	if dim > 2000 {
		return fmt.Sprintf("c.embedding::halfvec(%d)", dim), fmt.Sprintf("$1::halfvec(%d)", dim)
	}
	return fmt.Sprintf("c.embedding::vector(%d)", dim), fmt.Sprintf("$1::vector(%d)", dim)
}

// Search finds the published articles that best answer q: pgvector nearest neighbours among the
// chunks of the current embedder plus BM25-style lexical matches over Baton's own tokens, fused
// into one 0..1 Score. Chunks not yet re-embedded by the current embedder are found lexically.
func (s *Store) Search(ctx context.Context, q string, opt SearchOptions) ([]Result, error) {
	if opt.K <= 0 {
		opt.K = 5
	}
	cs, err := s.candidates(ctx, q, opt)
	if err != nil {
		return nil, err
	}
	out := cs.fuse(s.scoring, opt)
	if err := s.fillBodies(ctx, out); err != nil {
		return nil, err
	}
	return out, nil
}

// candidateSet is what the database returned for a query, before scoring.
type candidateSet struct {
	chunks []*candidate
	terms  []queryTerm
	avgLen float64
	n      int64 // chunks in the corpus
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
	qvec, embedder := VectorText(vecs[0]), s.embedder.Name()
	if isZero(vecs[0]) {
		embedder = "" // nothing to compare: matches no chunk's embedder
	}
	tokens := Tokens(q)
	limit := max(minCandidates, opt.K*8)
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		// The HNSW scan keeps going until enough rows pass the embedder, status and language filters.
		if _, err := tx.Exec(ctx, `SELECT set_config('hnsw.ef_search', $1, true), set_config('hnsw.iterative_scan', 'relaxed_order', true)`,
			fmt.Sprint(s.efSearch)); err != nil {
			return err
		}
		df, n, total, err := termStats(ctx, tx, tokens)
		if err != nil {
			return err
		}
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
			if err := collect(ctx, tx, &cs, seen, s.sql.vector, qvec, ts, embedder, opt.Language, limit); err != nil {
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
	rows, err := tx.Query(ctx, `SELECT term, df FROM kb_terms WHERE term = ANY($1::text[])`, append([]string{"#chunks", "#tokens"}, tokens...))
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
		if err := rows.Scan(&c.chunkID, &c.articleID, &c.kind, &c.heading, &c.text, &c.ntok, &c.cos, &c.matched, &c.title, &c.language); err != nil {
			return err
		}
		if !seen[c.chunkID] {
			seen[c.chunkID] = true
			into.chunks = append(into.chunks, &c)
		}
	}
	return rows.Err()
}

// fuse scores every candidate chunk, keeps each article's best, and returns the top K. An
// article's lexical evidence also counts the query terms its other matching chunks hold (a title
// naming the topic, a paragraph naming the detail).
func (cs candidateSet) fuse(sc scoring, opt SearchOptions) []Result {
	weight := make(map[string]float64, len(cs.terms))
	var totalW float64
	for _, t := range cs.terms {
		weight[t.Term] = t.W
		totalW += t.W
	}
	coverage := func(terms []string) float64 {
		if totalW == 0 {
			return 0
		}
		var w float64
		for _, t := range terms {
			w += weight[t]
		}
		return w / totalW
	}
	articleTerms := map[int64]map[string]bool{}
	for _, c := range cs.chunks {
		m := articleTerms[c.articleID]
		if m == nil {
			m = map[string]bool{}
			articleTerms[c.articleID] = m
		}
		for _, t := range c.matched {
			m[t] = true
		}
	}
	articleLex := map[int64]float64{}
	for id, m := range articleTerms {
		terms := make([]string, 0, len(m))
		for t := range m {
			terms = append(terms, t)
		}
		articleLex[id] = coverage(terms)
	}
	best := map[int64]*Result{}
	for _, c := range cs.chunks {
		lex := math.Min(1, coverage(c.matched)*sc.lengthNorm(c.ntok, cs.avgLen))
		lex = (1-sc.ArticleWeight)*lex + sc.ArticleWeight*articleLex[c.articleID]
		// A chunk the current embedder has not re-embedded yet is judged on its lexical match alone.
		cos := lex
		if c.cos != nil && !math.IsNaN(*c.cos) {
			cos = math.Max(0, math.Min(1, *c.cos))
		}
		score := sc.VectorWeight*cos + (1-sc.VectorWeight)*lex
		if cur, ok := best[c.articleID]; ok && (cur.Score > score || cur.Score == score && cur.ChunkID < c.chunkID) {
			continue
		}
		r := &Result{ArticleID: c.articleID, Title: c.title, Score: score, Language: c.language,
			MatchKind: c.kind, ChunkID: c.chunkID, Heading: c.heading, VectorScore: round4(cos), LexicalScore: round4(lex)}
		if c.kind == ChunkBody {
			r.Snippet = Snippet(c.text, 160)
		}
		best[c.articleID] = r
	}
	out := make([]Result, 0, len(best))
	for _, r := range best {
		r.Score = round4(sc.confidence(r.Score))
		if r.Score >= opt.MinScore {
			out = append(out, *r)
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		return out[i].ArticleID < out[j].ArticleID
	})
	if len(out) > opt.K {
		out = out[:opt.K]
	}
	return out
}

// fillBodies loads the results' article bodies (the bot answers from them) and fills the snippets
// of title and question matches from the body.
func (s *Store) fillBodies(ctx context.Context, rs []Result) error {
	if len(rs) == 0 {
		return nil
	}
	ids := make([]int64, len(rs))
	for i, r := range rs {
		ids[i] = r.ArticleID
	}
	rows, err := s.pool.Query(ctx, `SELECT id, body FROM kb_articles WHERE id = ANY($1::bigint[])`, ids)
	if err != nil {
		return fmt.Errorf("kb: search bodies: %w", err)
	}
	defer rows.Close()
	bodies := map[int64]string{}
	for rows.Next() {
		var id int64
		var body string
		if err := rows.Scan(&id, &body); err != nil {
			return err
		}
		bodies[id] = body
	}
	for i := range rs {
		rs[i].Body = bodies[rs[i].ArticleID]
		if rs[i].Snippet == "" {
			rs[i].Snippet = Snippet(rs[i].Body, 160)
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

func round4(f float64) float64 { return math.Round(f*10000) / 10000 }
