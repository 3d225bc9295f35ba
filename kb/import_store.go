package kb

import (
	"context"
	"fmt"
)

// The import's database side: finding the articles a batch names, embedding a batch in one
// call, and recording external ids.

// importedArticle is an existing article with its external id.
type importedArticle struct {
	Article
	ExternalID string
}

type existingArticles struct {
	byID       map[int64]*importedArticle
	byExternal map[string]*importedArticle
	byTitle    map[string]*importedArticle // language + "\x00" + title
}

const importLookupSQL = `SELECT ` + articleCols + `, coalesce(external_id, '') FROM kb_articles
WHERE id = ANY($1::bigint[]) OR external_id = ANY($2::text[])
   OR (language, title) IN (SELECT l, t FROM unnest($3::text[], $4::text[]) AS k(l, t))`

// importLookup loads, in one query, every article a batch's rows could match.
func (s *Store) importLookup(ctx context.Context, batch []importItem) (existingArticles, error) {
	ex := existingArticles{byID: map[int64]*importedArticle{}, byExternal: map[string]*importedArticle{}, byTitle: map[string]*importedArticle{}}
	ids, exts, langs, titles := []int64{}, []string{}, []string{}, []string{}
	for _, it := range batch {
		if it.ID != 0 {
			ids = append(ids, it.ID)
		}
		if it.ExternalID != "" {
			exts = append(exts, it.ExternalID)
		}
		langs, titles = append(langs, it.Article.Language), append(titles, it.Article.Title)
	}
	rows, err := s.pool.Query(ctx, importLookupSQL, ids, exts, langs, titles)
	if err != nil {
		return ex, fmt.Errorf("kb: import lookup: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var a importedArticle
		if err := rows.Scan(&a.ID, &a.Title, &a.Body, &a.Language, &a.Status, &a.Tags, &a.Questions, &a.Source,
			&a.CreatedAt, &a.UpdatedAt, &a.Version, &a.ExternalID); err != nil {
			return ex, fmt.Errorf("kb: import lookup: %w", err)
		}
		ex.byID[a.ID] = &a
		if a.ExternalID != "" {
			ex.byExternal[a.ExternalID] = &a
		}
		ex.byTitle[a.Language+"\x00"+a.Title] = &a
	}
	if err := rows.Err(); err != nil {
		return ex, fmt.Errorf("kb: import lookup: %w", err)
	}
	return ex, nil
}

// setExternalID records an article's key in the system it was imported from.
func (s *Store) setExternalID(ctx context.Context, id int64, externalID string) error {
	_, err := s.pool.Exec(ctx, `UPDATE kb_articles SET external_id = $2 WHERE id = $1`, id, externalID)
	if isUniqueViolation(err) {
		return fmt.Errorf("%w: external_id %q is already used by another article", ErrConflict, externalID)
	}
	if err != nil {
		return fmt.Errorf("kb: set external id: %w", err)
	}
	return nil
}

// preEmbedded embeds every chunk the batch will write in one Embed call (a remote embedder then
// sends a few large requests, not one per article) and returns a store whose embedder answers
// from those vectors, so the article functions write them without embedding again.
func (s *Store) preEmbedded(ctx context.Context, batch []importItem) (*Store, int, error) {
	var texts []string
	for _, it := range batch {
		if it.action == actCreate || it.action == actUpdate {
			in := it.Article
			for _, c := range Chunks(in.Title, in.Body, in.Questions) {
				texts = append(texts, c.SearchText(in.Title))
			}
		}
	}
	if len(texts) == 0 {
		return s, 0, nil
	}
	vecs, err := s.embedder.Embed(ctx, texts)
	if err != nil {
		return nil, 0, fmt.Errorf("kb: embed import batch: %w", err)
	}
	if len(vecs) != len(texts) {
		return nil, 0, fmt.Errorf("kb: embed import batch: %d vectors for %d texts", len(vecs), len(texts))
	}
	cache := make(map[string][]float32, len(texts))
	for i, t := range texts {
		cache[t] = vecs[i]
	}
	bs := *s
	bs.embedder = cachedEmbedder{Embedder: s.embedder, vecs: cache}
	return &bs, len(texts), nil
}

// chunkCount is how many chunks the configured embedder's index holds.
func (s *Store) chunkCount(ctx context.Context) (int, error) {
	var n int
	if err := s.pool.QueryRow(ctx, `SELECT count(*) FROM kb_chunks WHERE dim = $1`, s.embedder.Dim()).Scan(&n); err != nil {
		return 0, fmt.Errorf("kb: count chunks: %w", err)
	}
	return n, nil
}

// dropVectorIndex drops the HNSW index of the embedder's dimension for a bulk load.
func (s *Store) dropVectorIndex(ctx context.Context) error {
	if _, err := s.pool.Exec(ctx, `DROP INDEX IF EXISTS `+IndexName(s.embedder.Dim())); err != nil {
		return fmt.Errorf("kb: drop vector index: %w", err)
	}
	return nil
}

// cachedEmbedder answers from vectors computed ahead and asks the real embedder for the rest.
type cachedEmbedder struct {
	Embedder
	vecs map[string][]float32
}

// Embed implements Embedder.
func (c cachedEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	out := make([][]float32, len(texts))
	var missing []string
	var at []int
	for i, t := range texts {
		if v, ok := c.vecs[t]; ok {
			out[i] = v
		} else {
			missing, at = append(missing, t), append(at, i)
		}
	}
	if len(missing) == 0 {
		return out, nil
	}
	vecs, err := c.Embedder.Embed(ctx, missing)
	if err != nil {
		return nil, err
	}
	for j, i := range at {
		out[i] = vecs[j]
	}
	return out, nil
}
