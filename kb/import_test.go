package kb_test

import (
	"context"
	"fmt"
	"os"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/kb"
)

// importFile imports one of the testdata samples in its format.
func importFile(t *testing.T, s *kb.Store, name string, opt kb.ImportOptions) kb.ImportResult {
	t.Helper()
	path := "testdata/import/" + name
	var rr kb.RowReader
	switch {
	case strings.HasSuffix(name, ".jsonl"):
		f, err := os.Open(path)
		require.NoError(t, err)
		t.Cleanup(func() { f.Close() })
		rr = kb.NewJSONLReader(f, name)
	case strings.HasSuffix(name, ".csv"):
		f, err := os.Open(path)
		require.NoError(t, err)
		t.Cleanup(func() { f.Close() })
		rr = kb.NewCSVReader(f, name)
	default:
		files, err := kb.MarkdownFiles(os.DirFS(path))
		require.NoError(t, err)
		rr = kb.NewMarkdownReader(os.DirFS(path), files)
	}
	res, err := s.Import(context.Background(), rr, opt)
	require.NoError(t, err)
	return res
}

func importString(t *testing.T, s *kb.Store, format, data string) kb.ImportResult {
	t.Helper()
	var rr kb.RowReader
	if format == kb.FormatCSV {
		rr = kb.NewCSVReader(strings.NewReader(data), "t.csv")
	} else {
		rr = kb.NewJSONLReader(strings.NewReader(data), "t.jsonl")
	}
	res, err := s.Import(context.Background(), rr, kb.ImportOptions{})
	require.NoError(t, err)
	return res
}

// byTitle lists every article, keyed by title.
func byTitle(t *testing.T, s *kb.Store) map[string]kb.Article {
	t.Helper()
	list, err := s.ArticleList(context.Background(), kb.ArticleFilter{Limit: 500})
	require.NoError(t, err)
	out := map[string]kb.Article{}
	for _, a := range list {
		out[a.Title] = a
	}
	return out
}

func reasons(res kb.ImportResult) map[string]string {
	out := map[string]string{}
	for _, e := range res.Errors {
		out[e.Where()] = e.Reason
	}
	return out
}

func TestImportJSONLSampleAndBrokenLines(t *testing.T) {
	s := kb.NewStore(dbtest.New(t), kb.LocalEmbedder{})
	res := importFile(t, s, "articles.jsonl", kb.ImportOptions{})
	require.Equal(t, kb.ImportResult{Imported: 3, Created: 3, Errors: []kb.ImportError{}}, res)
	arts := byTitle(t, s)
	zh := arts["如何修改收货地址？"]
	require.Equal(t, "zh", zh.Language)
	require.Equal(t, kb.StatusPublished, zh.Status, "no status: published")
	require.Equal(t, []string{"订单", "地址"}, zh.Tags)
	require.Equal(t, []string{"地址填错了怎么办", "能改地址吗"}, zh.Questions)
	require.Equal(t, kb.StatusDraft, arts["Gift cards"].Status)
	require.Equal(t, "en", arts["Gift cards"].Language, "detected")

	long := strings.Repeat("x", kb.MaxImportLine+10)
	data := "\uFEFF" + `{"title":"Good one","body":"fine","language":"en"}` + "\r\n" +
		`{"title":"Broken", "body":` + "\n" +
		`{"title":"Fr","body":"bonjour","language":"fr"}` + "\n" +
		`{"title":"","body":"no title"}` + "\n" +
		`{"title":"Typo","bdy":"x"}` + "\n" +
		`{"title":"` + strings.Repeat("长", kb.MaxTitleLen+1) + `","body":"x"}` + "\n" +
		`{"title":"Huge","body":"` + long + `"}` + "\n" +
		"\n" +
		`{"title":"好的","body":"中文正文"}` // no final newline
	res = importString(t, s, kb.FormatJSONL, data)
	require.Equal(t, 2, res.Created)
	require.Equal(t, 6, res.Failed)
	require.Equal(t, map[string]string{
		"t.jsonl:2": "invalid JSON: unexpected EOF",
		"t.jsonl:3": `language must be zh or en, got "fr"`,
		"t.jsonl:4": "title is required",
		"t.jsonl:5": `invalid JSON: unknown field "bdy"`,
		"t.jsonl:6": "title is longer than 300 characters",
		"t.jsonl:7": "line longer than 1048576 bytes",
	}, reasons(res))
	arts = byTitle(t, s)
	require.Contains(t, arts, "Good one", "the BOM and CRLF do not spoil the first line")
	require.Equal(t, "zh", arts["好的"].Language, "the last line without a newline goes in")
	require.Len(t, arts, 5)
}

func TestImportCSV(t *testing.T) {
	s := kb.NewStore(dbtest.New(t), kb.LocalEmbedder{})
	res := importFile(t, s, "faq.csv", kb.ImportOptions{})
	require.Equal(t, kb.ImportResult{Imported: 3, Created: 3, Errors: []kb.ImportError{}}, res)
	arts := byTitle(t, s)
	en := arts["How long does a refund take?"]
	require.Equal(t, "Refunds reach your card within 3–5 working days after we receive the item.\n\nBank transfers can take up to 7 days.", en.Body,
		"a quoted multi-line field keeps its paragraphs, CRLF read as LF")
	require.Equal(t, []string{"refunds", "payments"}, en.Tags, "tags split at ;")
	require.Empty(t, en.Questions, "the title defaults to the question")
	zh := arts["退款到账时间"]
	require.Equal(t, "zh", zh.Language)
	require.Equal(t, []string{"退款多久到账？"}, zh.Questions, "a question that differs from the title is an alternative question")
	require.Equal(t, []string{"退款", "支付"}, zh.Tags, "tags split at |")
	intl := arts["International shipping"]
	require.Equal(t, "en", intl.Language, "detected when the cell is empty")
	require.Equal(t, []string{"Do you ship to Canada, Mexico or Brazil?"}, intl.Questions, "a quoted comma stays in the field")

	data := "question,answer,language\n" +
		"Good question,Good answer,en\n" +
		"No answer here,,en\n" +
		"Too,many,fields,here\n" +
		"Short row\n" +
		"\"Bad \"quote\",x,en\n" +
		",,\n" +
		"Wrong language,answer,fr\n" +
		"需要发票吗,\"需要的话，\n在订单页申请。\",\n"
	res = importString(t, s, kb.FormatCSV, data)
	require.Equal(t, 2, res.Created, "%v", res.Errors)
	require.Equal(t, map[string]string{
		"t.csv:3": "answer is empty",
		"t.csv:4": "wrong number of fields (a comma inside a field needs the field in double quotes)",
		"t.csv:5": "wrong number of fields (a comma inside a field needs the field in double quotes)",
		"t.csv:6": `CSV: extraneous or missing " in quoted-field`,
		"t.csv:8": `language must be zh or en, got "fr"`,
	}, reasons(res))
	require.Equal(t, "需要的话，\n在订单页申请。", byTitle(t, s)["需要发票吗"].Body)

	res = importString(t, s, kb.FormatCSV, "question,answer\n\xc4\xe3\xba\xc3,GBK bytes\n")
	require.Equal(t, map[string]string{"t.csv:2": "text is not valid UTF-8 (save the file as UTF-8)"}, reasons(res))
	res = importString(t, s, kb.FormatCSV, "问题,答案,标签\n怎么联系客服,拨打 400-000-0000,客服\n")
	require.Equal(t, 1, res.Created, "Chinese headers: %v", res.Errors)
	res = importString(t, s, kb.FormatCSV, "title,body\nA,B\n")
	require.Equal(t, map[string]string{"t.csv:1": `header: unknown column "body" (columns: question, answer, title, language, tags, questions, status, external_id, id)`}, reasons(res))
}

func TestImportMarkdownFolder(t *testing.T) {
	s := kb.NewStore(dbtest.New(t), kb.LocalEmbedder{})
	res := importFile(t, s, "markdown", kb.ImportOptions{})
	require.Equal(t, kb.ImportResult{Imported: 3, Created: 3, Errors: []kb.ImportError{}}, res, "README.txt is skipped")
	arts := byTitle(t, s)
	d := arts["Delivery times"]
	require.Equal(t, []string{"when will my order arrive", "how long is shipping"}, d.Questions)
	require.True(t, strings.HasPrefix(d.Body, "Orders leave our warehouse"), d.Body)
	require.Contains(t, d.Body, "## Express delivery")
	r := arts["Returns"]
	require.Equal(t, "en", r.Language)
	require.Equal(t, []string{"returns", "policy"}, r.Tags, "a tag string is split at commas")
	require.True(t, strings.HasPrefix(r.Body, "You can return"), "the # heading became the title: %q", r.Body)
	require.Equal(t, kb.StatusPublished, r.Status)
	zh := arts["如何开具发票"]
	require.Equal(t, "zh", zh.Language)
	require.Equal(t, []string{"怎么开发票", "可以开专票吗"}, zh.Questions)

	broken := fstest.MapFS{
		"ok.md":           {Data: []byte("---\ntitle: Fine\n---\nBody.\n")},
		"no-title.md":     {Data: []byte("Just some text without a heading.\n")},
		"bad-yaml.md":     {Data: []byte("---\ntitle: A\nlanguage: en\ntags: : x\n---\nBody\n")},
		"unclosed.md":     {Data: []byte("---\ntitle: A\n\nBody without the closing line\n")},
		"no-body.md":      {Data: []byte("---\ntitle: Empty\n---\n\n")},
		"bad-status.md":   {Data: []byte("---\ntitle: S\nstatus: live\n---\nBody\n")},
		"sub/bad-type.md": {Data: []byte("---\ntitle: T\nquestions:\n  nested: map\n---\nBody\n")},
	}
	files, err := kb.MarkdownFiles(broken)
	require.NoError(t, err)
	res, err = s.Import(context.Background(), kb.NewMarkdownReader(broken, files), kb.ImportOptions{})
	require.NoError(t, err)
	require.Equal(t, 1, res.Created)
	got := reasons(res)
	require.Equal(t, "no title: add title: to the front matter or start the file with a # heading", got["no-title.md:1"])
	require.Contains(t, got, "bad-yaml.md:4", "the YAML error's line in the file: %v", got)
	require.Equal(t, "front matter: mapping values are not allowed in this context", got["bad-yaml.md:4"])
	require.Equal(t, "front matter: no closing --- line", got["unclosed.md:1"])
	require.Equal(t, "body is required", got["no-body.md:1"])
	require.Equal(t, `status must be draft, published or archived, got "live"`, got["bad-status.md:1"])
	require.Equal(t, "front matter: cannot unmarshal !!map into []string", got["sub/bad-type.md:4"], "nested folders are read too")
	require.Len(t, got, 6)
}

// Re-importing the same files changes nothing; a changed row updates its article in place.
func TestReimportIsIdempotent(t *testing.T) {
	ctx := context.Background()
	pool := dbtest.New(t)
	s := kb.NewStore(pool, kb.LocalEmbedder{})
	for _, f := range []string{"articles.jsonl", "faq.csv", "markdown"} {
		importFile(t, s, f, kb.ImportOptions{})
	}
	before := byTitle(t, s)
	require.Len(t, before, 9)
	var chunks []int64
	require.NoError(t, pool.QueryRow(ctx, `SELECT array_agg(id ORDER BY id) FROM kb_chunks`).Scan(&chunks))

	for _, f := range []string{"articles.jsonl", "faq.csv", "markdown"} {
		res := importFile(t, s, f, kb.ImportOptions{})
		require.Equal(t, kb.ImportResult{Imported: 3, Unchanged: 3, Errors: []kb.ImportError{}}, res, f)
	}
	after := byTitle(t, s)
	require.Equal(t, before, after, "nothing rewritten: not even updated_at moved")
	var chunksAfter []int64
	require.NoError(t, pool.QueryRow(ctx, `SELECT array_agg(id ORDER BY id) FROM kb_chunks`).Scan(&chunksAfter))
	require.Equal(t, chunks, chunksAfter, "nothing re-embedded")

	// An editor archives an article; re-importing its row, which has no status, leaves that alone.
	_, err := s.ArticleSetStatus(ctx, after["Returns"].ID, kb.StatusArchived, kb.Change{})
	require.NoError(t, err)
	res := importFile(t, s, "markdown", kb.ImportOptions{})
	require.Equal(t, 3, res.Unchanged, "%+v", res)
	require.Equal(t, kb.StatusArchived, byTitle(t, s)["Returns"].Status)
	res = importString(t, s, kb.FormatJSONL, `{"title":"Gift cards","body":"Gift cards never expire and can be used for any item, shipping included."}`)
	require.Equal(t, 1, res.Unchanged, "no status in the row: the draft stays a draft")
	require.Equal(t, kb.StatusDraft, byTitle(t, s)["Gift cards"].Status)

	res = importString(t, s, kb.FormatJSONL, `{"title":"Gift cards","body":"Gift cards never expire."}
{"title":"How do I reset my password?","body":"Open **Settings → Security** and choose *Reset password*. We e-mail you a link that works for 30 minutes.","language":"en","tags":["account"],"questions":["forgot my password","can't log in"],"status":"archived"}`)
	require.Equal(t, kb.ImportResult{Imported: 2, Updated: 2, Errors: []kb.ImportError{}}, res)
	now := byTitle(t, s)
	require.Len(t, now, 9, "updated in place, no duplicate")
	require.Equal(t, "Gift cards never expire.", now["Gift cards"].Body)
	require.Equal(t, kb.StatusArchived, now["How do I reset my password?"].Status)
	hits, err := s.Search(ctx, "how do I reset my password", kb.SearchOptions{K: 3})
	require.NoError(t, err)
	for _, h := range hits {
		require.NotEqual(t, "How do I reset my password?", h.Title, "archived by the import: no longer answered from")
	}
}

// external_id and id let a re-import rename an article instead of adding a second one.
func TestImportMatchesByExternalIDThenID(t *testing.T) {
	ctx := context.Background()
	s := kb.NewStore(dbtest.New(t), kb.LocalEmbedder{})
	importFile(t, s, "articles.jsonl", kb.ImportOptions{})
	importFile(t, s, "markdown", kb.ImportOptions{})
	old := byTitle(t, s)

	res := importString(t, s, kb.FormatJSONL, `{"external_id":"faq-gift-cards","title":"Gift cards and vouchers","body":"They never expire."}`)
	require.Equal(t, 1, res.Updated, "%v", res.Errors)
	res = importString(t, s, kb.FormatCSV, fmt.Sprintf("id,question,answer\n%d,How can I reset my password?,Use Settings → Security.\n", old["How do I reset my password?"].ID))
	require.Equal(t, 1, res.Updated, "%v", res.Errors)
	now := byTitle(t, s)
	require.Len(t, now, len(old))
	require.Equal(t, old["Gift cards"].ID, now["Gift cards and vouchers"].ID)
	require.Equal(t, old["How do I reset my password?"].ID, now["How can I reset my password?"].ID)

	// The slug in returns.md's front matter is its external id.
	res = importString(t, s, kb.FormatJSONL, `{"external_id":"returns-policy","title":"Returns and exchanges","body":"Within 7 days."}`)
	require.Equal(t, 1, res.Updated)
	require.Equal(t, old["Returns"].ID, byTitle(t, s)["Returns and exchanges"].ID)

	// An id of an article in the other language is not this article: the row matches by title.
	res = importString(t, s, kb.FormatJSONL, fmt.Sprintf(`{"id":%d,"title":"退货","body":"七天无理由退货。"}`, old["Delivery times"].ID))
	require.Equal(t, 1, res.Created)
	require.Equal(t, "Delivery times", byTitle(t, s)["Delivery times"].Title)

	// A row taking another article's title, or naming one article twice, fails alone.
	res = importString(t, s, kb.FormatJSONL, `{"external_id":"faq-gift-cards","title":"Delivery times","body":"x"}
{"title":"New one","body":"fine"}
{"title":"New one","body":"again"}
{"external_id":"x-1","title":"Returns and exchanges","body":"y"}
{"external_id":"x-2","title":"Other","body":"z","language":"en"}
{"external_id":"x-2","title":"Other 2","body":"z"}`)
	require.Equal(t, 2, res.Created)
	require.Equal(t, map[string]string{
		"t.jsonl:1": `an article titled "Delivery times" already exists in en`,
		"t.jsonl:3": "the same title and language as t.jsonl:2",
		"t.jsonl:4": `article ` + fmt.Sprint(old["Returns"].ID) + ` ("Returns and exchanges") already has external_id "returns-policy"`,
		"t.jsonl:6": "the same external_id as t.jsonl:5",
	}, reasons(res))
	_, err := s.ArticleGet(ctx, old["Gift cards"].ID)
	require.NoError(t, err)
}

// countingEmbedder counts Embed calls.
type countingEmbedder struct {
	kb.LocalEmbedder
	calls atomic.Int32
}

func (c *countingEmbedder) Embed(ctx context.Context, texts []string) ([][]float32, error) {
	c.calls.Add(1)
	return c.LocalEmbedder.Embed(ctx, texts)
}

// A large import embeds a batch of articles per call (a remote embedder gets few requests),
// and a dry run writes nothing.
func TestImportBatchesEmbeddingAndDryRun(t *testing.T) {
	ctx := context.Background()
	e := &countingEmbedder{}
	pool := dbtest.New(t)
	s := kb.NewStore(pool, e)
	var b strings.Builder
	for i := range 150 {
		fmt.Fprintf(&b, `{"title":"Article %d","body":"Body of article %d.\n\n## Details\nMore about %d.","questions":["q %d"]}`+"\n", i, i, i, i)
	}
	res, err := s.Import(context.Background(), kb.NewJSONLReader(strings.NewReader(b.String()), ""), kb.ImportOptions{DryRun: true})
	require.NoError(t, err)
	require.Equal(t, kb.ImportResult{Imported: 150, Created: 150, DryRun: true, Errors: []kb.ImportError{}}, res)
	require.Empty(t, byTitle(t, s))
	require.Zero(t, e.calls.Load())

	// Past the threshold (lowered here) the import drops the vector index and builds it at the end.
	defer kb.SetBulkIndexMinChunks(200)()
	var progress []int
	reindexed := 0
	res, err = s.Import(ctx, kb.NewJSONLReader(strings.NewReader(b.String()), ""), kb.ImportOptions{
		Progress:   func(r kb.ImportResult) { progress = append(progress, r.Imported) },
		Reindexing: func() { reindexed++ }})
	require.NoError(t, err)
	require.Equal(t, 150, res.Created)
	require.Len(t, byTitle(t, s), 150)
	require.LessOrEqual(t, e.calls.Load(), int32(3), "150 articles embedded in batches, not one call each")
	require.True(t, slices.IsSorted(progress) && progress[len(progress)-1] == 150, "%v", progress)
	require.Equal(t, 1, reindexed)
	var indexed bool
	require.NoError(t, pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM pg_indexes WHERE indexname = $1)`, kb.IndexName(kb.LocalDim)).Scan(&indexed))
	require.True(t, indexed, "the vector index is back")
	hits, err := s.Search(ctx, "More about 117", kb.SearchOptions{K: 1})
	require.NoError(t, err)
	require.Equal(t, "Article 117", hits[0].Title)

	// A small import into a large knowledge base keeps the index, whatever the threshold.
	defer kb.SetBulkIndexMinChunks(1)()
	res, err = s.Import(ctx, kb.NewJSONLReader(strings.NewReader(`{"title":"One more","body":"x"}`), ""),
		kb.ImportOptions{Reindexing: func() { reindexed++ }})
	require.NoError(t, err)
	require.Equal(t, 1, res.Created)
	require.Equal(t, 1, reindexed)
}
