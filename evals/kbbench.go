package evals

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pgvector/pgvector-go"

	"github.com/baton-cs/baton/kb"
)

// KBBenchOptions configure a knowledge-base benchmark.
type KBBenchOptions struct {
	Chunks  int // synthetic chunks to load (10 per article: a title and nine passages)
	Queries int // timed queries per measurement
	// EfSearch lists the HNSW search list sizes to measure the vector-only query at; the store's
	// own (kb.DefaultEfSearch) is always measured and used for the hybrid search.
	EfSearch []int
	Index    kb.IndexOptions
	Seed     uint64
}

// KBBenchReport is what a benchmark measured. Latencies are wall-clock per query from this
// process, over the wire to the database, in milliseconds.
type KBBenchReport struct {
	Database string `json:"database"`
	Embedder string `json:"embedder"`
	Dim      int    `json:"dim"`
	Chunks   int    `json:"chunks"`
	Articles int    `json:"articles"`
	Queries  int    `json:"queries"`
	// BuildSeconds is generating, embedding and loading the chunks; IndexBuildSeconds the HNSW
	// index build after the load; LexicalIndexSeconds the GIN index build.
	BuildSeconds        float64 `json:"build_seconds"`
	IndexBuildSeconds   float64 `json:"index_build_seconds"`
	LexicalIndexSeconds float64 `json:"lexical_index_seconds"`
	HNSWM               int     `json:"hnsw_m"`
	HNSWEfConstruction  int     `json:"hnsw_ef_construction"`
	// Search* time the real hybrid kb.Store.Search (vector + lexical + fusion, K=5).
	SearchP50Ms float64 `json:"search_p50_ms"`
	SearchP99Ms float64 `json:"search_p99_ms"`
	// ANN* time the vector-only HNSW top-10 query at the store's ef_search; RecallAt10 compares it
	// with exact (brute-force) top-10 by cosine.
	EfSearch   int        `json:"ef_search"`
	ANNP50Ms   float64    `json:"ann_p50_ms"`
	ANNP99Ms   float64    `json:"ann_p99_ms"`
	RecallAt10 float64    `json:"recall_at_10"`
	ANNSweep   []ANNPoint `json:"ann_sweep"`
}

// ANNPoint is the vector-only query at one ef_search.
type ANNPoint struct {
	EfSearch   int     `json:"ef_search"`
	P50Ms      float64 `json:"p50_ms"`
	P99Ms      float64 `json:"p99_ms"`
	RecallAt10 float64 `json:"recall_at_10"`
}

// RunKBBench loads opt.Chunks synthetic chunks through store (an empty, migrated scratch
// database; the local embedder) and measures. log gets progress lines.
func RunKBBench(ctx context.Context, pool *pgxpool.Pool, store *kb.Store, opt KBBenchOptions, log func(format string, args ...any)) (KBBenchReport, error) {
	emb := store.Embedder()
	rep := KBBenchReport{Embedder: emb.Name(), Dim: emb.Dim(), Chunks: opt.Chunks, Queries: opt.Queries, EfSearch: store.EfSearch()}
	corpus := newSynthCorpus(opt.Seed + 1)
	if err := store.DropSearchIndexes(ctx); err != nil {
		return rep, err
	}

	// Load: articles of a title chunk and nine passages, embedded in Go, inserted in batches.
	type stored struct {
		vec  []float32
		lang string
		text string
	}
	var all []stored
	keys := map[[2]int64]int{} // (article id, ord) -> index in all
	started := time.Now()
	const perArticle = 10
	for n := 0; n < opt.Chunks; {
		var batch []kb.BulkArticle
		for len(batch) < 100 && n < opt.Chunks {
			lang := "en"
			if corpus.rng.IntN(2) == 1 {
				lang = "zh"
			}
			a := kb.BulkArticle{Title: corpus.title(lang, rep.Articles+len(batch)), Language: lang}
			texts := []string{a.Title}
			chunks := []kb.Chunk{{Kind: kb.ChunkTitle, Text: a.Title}}
			for len(chunks) < perArticle && n+len(chunks) < opt.Chunks {
				c := kb.Chunk{Kind: kb.ChunkBody, Text: corpus.passage(lang)}
				chunks = append(chunks, c)
				texts = append(texts, c.SearchText(a.Title))
				a.Body += c.Text + "\n\n"
			}
			vecs, err := emb.Embed(ctx, texts)
			if err != nil {
				return rep, err
			}
			for i, c := range chunks {
				a.Chunks = append(a.Chunks, kb.ChunkRow{Ord: i, Chunk: c, Tokens: kb.Tokens(texts[i]), Embedding: vecs[i]})
			}
			n += len(chunks)
			batch = append(batch, a)
		}
		ids, err := store.BulkInsert(ctx, batch)
		if err != nil {
			return rep, err
		}
		for i, a := range batch {
			for _, c := range a.Chunks {
				keys[[2]int64{ids[i], int64(c.Ord)}] = len(all)
				all = append(all, stored{vec: c.Embedding, lang: a.Language, text: c.Text})
			}
		}
		rep.Articles += len(batch)
		log("loaded %d/%d chunks (%.0fs)", n, opt.Chunks, time.Since(started).Seconds())
	}
	rep.BuildSeconds = round2(time.Since(started).Seconds())

	if opt.Index.M <= 0 {
		opt.Index.M = kb.DefaultHNSWM
	}
	if opt.Index.EfConstruction <= 0 {
		opt.Index.EfConstruction = kb.DefaultHNSWEfConstruction
	}
	log("building the HNSW index (m=%d, ef_construction=%d)…", opt.Index.M, opt.Index.EfConstruction)
	hnsw, gin, err := store.BuildSearchIndexes(ctx, opt.Index)
	if err != nil {
		return rep, err
	}
	rep.IndexBuildSeconds, rep.LexicalIndexSeconds = round2(hnsw.Seconds()), round2(gin.Seconds())
	rep.HNSWM, rep.HNSWEfConstruction = opt.Index.M, opt.Index.EfConstruction
	log("HNSW index built in %.1fs, GIN in %.1fs", hnsw.Seconds(), gin.Seconds())

	// Chunk ids by load order, for the exact search.
	ids := make([]int64, len(all))
	rows, err := pool.Query(ctx, `SELECT id, article_id, ord FROM kb_chunks`)
	if err != nil {
		return rep, err
	}
	for rows.Next() {
		var id, art int64
		var ord int32
		if err := rows.Scan(&id, &art, &ord); err != nil {
			rows.Close()
			return rep, err
		}
		if i, ok := keys[[2]int64{art, int64(ord)}]; ok {
			ids[i] = id
		}
	}
	rows.Close()

	// Queries: runs of words from random chunks, some with a word swapped.
	qtexts, qlangs := make([]string, opt.Queries), make([]string, opt.Queries)
	for i := range qtexts {
		s := all[corpus.rng.IntN(len(all))]
		qtexts[i], qlangs[i] = corpus.query(s.lang, s.text), s.lang
	}
	qvecs, err := emb.Embed(ctx, qtexts)
	if err != nil {
		return rep, err
	}

	// Exact top-10 by brute force, in Go over the same vectors.
	log("exact top-10 for %d queries…", len(qvecs))
	exact := make([]exactTop, len(qvecs))
	byID := make(map[int64][]float32, len(all))
	for i, s := range all {
		byID[ids[i]] = s.vec
	}
	for i, q := range qvecs {
		exact[i] = bruteTop10(q, all, ids, func(s stored) []float32 { return s.vec })
	}

	efs := append([]int{store.EfSearch()}, opt.EfSearch...)
	slices.Sort(efs)
	efs = slices.Compact(efs)
	for _, ef := range efs {
		p, err := measureANN(ctx, pool, store.ANNQuery(), ef, qvecs, exact, byID)
		if err != nil {
			return rep, err
		}
		rep.ANNSweep = append(rep.ANNSweep, p)
		if ef == store.EfSearch() {
			rep.ANNP50Ms, rep.ANNP99Ms, rep.RecallAt10 = p.P50Ms, p.P99Ms, p.RecallAt10
		}
		log("ANN ef_search=%d: p50 %.2f ms, p99 %.2f ms, recall@10 %.3f", ef, p.P50Ms, p.P99Ms, p.RecallAt10)
	}

	// The real hybrid search path, warmed up first.
	for i := 0; i < min(10, len(qtexts)); i++ {
		if _, err := store.Search(ctx, qtexts[i], kb.SearchOptions{Language: qlangs[i], K: 5}); err != nil {
			return rep, err
		}
	}
	lat := make([]float64, len(qtexts))
	for i, q := range qtexts {
		t0 := time.Now()
		if _, err := store.Search(ctx, q, kb.SearchOptions{Language: qlangs[i], K: 5}); err != nil {
			return rep, err
		}
		lat[i] = ms(time.Since(t0))
	}
	rep.SearchP50Ms, rep.SearchP99Ms = percentile(lat, 50), percentile(lat, 99)
	log("hybrid search: p50 %.2f ms, p99 %.2f ms", rep.SearchP50Ms, rep.SearchP99Ms)
	return rep, nil
}

// exactTop is a query's exact ten nearest chunks and the similarity of the tenth.
type exactTop struct {
	ids   []int64
	tenth float32
}

// measureANN times the vector-only query at ef_search and its recall against exact: the share of
// the ten returned chunks that are as similar as the exact tenth (ties at the tenth place count as
// found, as in ann-benchmarks).
func measureANN(ctx context.Context, pool *pgxpool.Pool, sql string, ef int, qvecs [][]float32, exact []exactTop, vecs map[int64][]float32) (ANNPoint, error) {
	p := ANNPoint{EfSearch: ef}
	run := func(q []float32) ([]int64, error) {
		var got []int64
		err := pgx.BeginFunc(ctx, pool, func(tx pgx.Tx) error {
			// Small tables make the planner prefer an exact scan; measure the index.
			if _, err := tx.Exec(ctx, `SELECT set_config('hnsw.ef_search', $1, true), set_config('enable_seqscan', 'off', true)`, fmt.Sprint(ef)); err != nil {
				return err
			}
			rows, err := tx.Query(ctx, sql, pgvector.NewVector(q), 10)
			if err != nil {
				return err
			}
			got, err = pgx.CollectRows(rows, pgx.RowTo[int64])
			return err
		})
		return got, err
	}
	for i := 0; i < min(10, len(qvecs)); i++ { // warm-up
		if _, err := run(qvecs[i]); err != nil {
			return p, err
		}
	}
	lat := make([]float64, len(qvecs))
	var hits, total int
	for i, q := range qvecs {
		t0 := time.Now()
		got, err := run(q)
		if err != nil {
			return p, err
		}
		lat[i] = ms(time.Since(t0))
		total += len(exact[i].ids)
		for _, id := range got[:min(len(got), len(exact[i].ids))] {
			if dot(q, vecs[id]) >= exact[i].tenth-1e-6 {
				hits++
			}
		}
	}
	p.P50Ms, p.P99Ms = percentile(lat, 50), percentile(lat, 99)
	if total > 0 {
		p.RecallAt10 = math.Round(float64(hits)/float64(total)*1000) / 1000
	}
	return p, nil
}

func dot(a, b []float32) float32 {
	var s float32
	for i := range a {
		s += a[i] * b[i]
	}
	return s
}

// bruteTop10 returns the ten items most cosine-similar to q (unit vectors).
func bruteTop10[T any](q []float32, items []T, ids []int64, vec func(T) []float32) exactTop {
	type hit struct {
		id  int64
		sim float32
	}
	top := make([]hit, 0, 11)
	for i, it := range items {
		s := dot(q, vec(it))
		if len(top) < 10 || s > top[len(top)-1].sim {
			top = append(top, hit{ids[i], s})
			sort.Slice(top, func(a, b int) bool { return top[a].sim > top[b].sim })
			if len(top) > 10 {
				top = top[:10]
			}
		}
	}
	out := exactTop{ids: make([]int64, len(top))}
	for i, h := range top {
		out.ids[i] = h.id
		out.tenth = h.sim
	}
	return out
}

func percentile(xs []float64, p float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64{}, xs...)
	sort.Float64s(s)
	i := int(math.Ceil(p/100*float64(len(s)))) - 1
	return round2(s[max(0, min(i, len(s)-1))])
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func round2(f float64) float64 { return math.Round(f*100) / 100 }
