package kb

import "fmt"

// searchSQL holds the candidate queries for one embedding dimension. The dimension is part of
// the SQL text (a cast and the partial-index predicate), formatted from the embedder's Dim, never
// from input.
type searchSQL struct {
	// vector finds the nearest chunks through the HNSW index (approximately); vectorExact by a
	// scan, ordered on an expression the index does not serve, with ties broken by id, so that
	// two databases holding the same articles return the same neighbours.
	vector, vectorExact string
	lexical             string
}

func newSearchSQL(dim int) searchSQL {
	expr, param := annExpr(dim)
	// $1 query vector, $2 query terms, $3 embedder name, $4 language, $5 limit;
	// lexical only: $6 the rare terms that pick candidates, $7 their weights.
	matched := `ARRAY(SELECT q.t FROM unnest($2::text[]) AS q(t) WHERE q.t = ANY(c.tokens))`
	return searchSQL{
		vector: fmt.Sprintf(`
SELECT c.id, c.article_id, c.kind, c.heading, cardinality(c.tokens),
       1 - (%[1]s <=> %[2]s), %[3]s, a.title, a.language
FROM kb_chunks c JOIN kb_articles a ON a.id = c.article_id
WHERE c.dim = %[4]d AND c.embedder = $3 AND a.status = 'published' AND ($4 = '' OR a.language = $4)
ORDER BY %[1]s <=> %[2]s
LIMIT $5`, expr, param, matched, dim),
		// The scan ranks on the cosine alone; the matched terms are worked out for the chunks kept.
		vectorExact: fmt.Sprintf(`
SELECT c.id, c.article_id, c.kind, c.heading, cardinality(c.tokens), s.score, %[3]s, a.title, a.language
FROM (SELECT c.id, 1 - (%[1]s <=> %[2]s) AS score
        FROM kb_chunks c JOIN kb_articles a ON a.id = c.article_id
       WHERE c.dim = %[4]d AND c.embedder = $3 AND a.status = 'published' AND ($4 = '' OR a.language = $4)
       ORDER BY 2 DESC, c.id -- the cosine: not the index's operator, so a scan
       LIMIT $5) s
JOIN kb_chunks c ON c.id = s.id JOIN kb_articles a ON a.id = c.article_id
ORDER BY s.score DESC, c.id`, expr, param, matched, dim),
		// One GIN lookup per rare term, summed per chunk: the work grows with those terms'
		// postings, not with the corpus; only the chunks kept are scored in full.
		lexical: fmt.Sprintf(`
WITH hits AS (
    SELECT c.id, sum(q.w) AS w
    FROM unnest($6::text[], $7::float8[]) AS q(t, w)
    JOIN kb_chunks c ON c.tokens @> ARRAY[q.t]
    GROUP BY c.id
    ORDER BY w DESC, c.id
    LIMIT $5 * 4), -- room for the status and language filters below
top AS (
    SELECT h.id, h.w FROM hits h JOIN kb_chunks c ON c.id = h.id JOIN kb_articles a ON a.id = c.article_id
    WHERE a.status = 'published' AND ($4 = '' OR a.language = $4)
    ORDER BY h.w DESC, c.id
    LIMIT $5) -- the cosine and the matched terms are worked out for these alone
SELECT c.id, c.article_id, c.kind, c.heading, cardinality(c.tokens),
       CASE WHEN c.dim = %[4]d AND c.embedder = $3 THEN 1 - (%[1]s <=> %[2]s) END, %[3]s, a.title, a.language
FROM top t JOIN kb_chunks c ON c.id = t.id JOIN kb_articles a ON a.id = c.article_id
ORDER BY t.w DESC, c.id`, expr, param, matched, dim),
	}
}

// annExpr is the indexed expression and query parameter for a dimension: vector up to 2,000
// dimensions, halfvec up to 4,000 (pgvector's HNSW limits).
func annExpr(dim int) (expr, param string) {
	if dim > 2000 {
		return fmt.Sprintf("c.embedding::halfvec(%d)", dim), fmt.Sprintf("$1::vector::halfvec(%d)", dim)
	}
	return fmt.Sprintf("c.embedding::vector(%d)", dim), fmt.Sprintf("$1::vector(%d)", dim)
}
