package kb_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/kb"
)

// seedAll imports every sample and archives one article.
func seedAll(t *testing.T, s *kb.Store) {
	t.Helper()
	for _, f := range []string{"articles.jsonl", "faq.csv", "markdown"} {
		importFile(t, s, f, kb.ImportOptions{})
	}
	_, err := s.ArticleSetStatus(context.Background(), byTitle(t, s)["Delivery times"].ID, kb.StatusArchived, kb.Change{})
	require.NoError(t, err)
}

// snapshot is every article as JSONL without ids, sorted: what must survive a round trip.
func snapshot(t *testing.T, s *kb.Store) []string {
	t.Helper()
	var buf bytes.Buffer
	_, err := s.Export(context.Background(), kb.ExportFilter{}, kb.NewJSONLWriter(&buf))
	require.NoError(t, err)
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(buf.String()), "\n") {
		var a kb.ExportedArticle
		require.NoError(t, json.Unmarshal([]byte(line), &a))
		a.ID = 0
		b, _ := json.Marshal(a)
		out = append(out, string(b))
	}
	slices.Sort(out)
	return out
}

// Export then import: into the same knowledge base nothing changes; into an empty one the same
// articles come back, statuses, tags, questions and external ids included.
func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	for _, format := range []string{kb.FormatJSONL, kb.FormatCSV, kb.FormatMarkdown} {
		t.Run(format, func(t *testing.T) {
			s := kb.NewStore(dbtest.New(t), kb.LocalEmbedder{})
			seedAll(t, s)
			want := snapshot(t, s)
			require.Len(t, want, 9)

			var buf bytes.Buffer
			dir := t.TempDir()
			var w kb.ArticleWriter
			switch format {
			case kb.FormatJSONL:
				w = kb.NewJSONLWriter(&buf)
			case kb.FormatCSV:
				w = kb.NewCSVWriter(&buf)
			default:
				w = kb.NewMarkdownDirWriter(dir)
			}
			n, err := s.Export(ctx, kb.ExportFilter{}, w)
			require.NoError(t, err)
			require.NoError(t, w.Close())
			require.Equal(t, 9, n)
			reader := func() kb.RowReader {
				switch format {
				case kb.FormatJSONL:
					return kb.NewJSONLReader(bytes.NewReader(buf.Bytes()), "")
				case kb.FormatCSV:
					return kb.NewCSVReader(bytes.NewReader(buf.Bytes()), "")
				}
				files, err := kb.MarkdownFiles(os.DirFS(dir))
				require.NoError(t, err)
				return kb.NewMarkdownReader(os.DirFS(dir), files)
			}

			res, err := s.Import(ctx, reader(), kb.ImportOptions{})
			require.NoError(t, err)
			require.Equal(t, kb.ImportResult{Imported: 9, Unchanged: 9, Errors: []kb.ImportError{}}, res)

			dbtest.New(t) // empty the knowledge base
			res, err = s.Import(ctx, reader(), kb.ImportOptions{})
			require.NoError(t, err)
			require.Equal(t, kb.ImportResult{Imported: 9, Created: 9, Errors: []kb.ImportError{}}, res)
			require.Equal(t, want, snapshot(t, s))
		})
	}
}

func TestExportFormats(t *testing.T) {
	ctx := context.Background()
	s := kb.NewStore(dbtest.New(t), kb.LocalEmbedder{})
	seedAll(t, s)

	var buf bytes.Buffer
	w := kb.NewCSVWriter(&buf)
	n, err := s.Export(ctx, kb.ExportFilter{Language: "zh"}, w)
	require.NoError(t, err)
	require.NoError(t, w.Close())
	require.Equal(t, 3, n)
	require.True(t, strings.HasPrefix(buf.String(), "\uFEFFquestion,answer,title,language,tags,questions,status,external_id,id\n"), buf.String())
	require.Contains(t, buf.String(), "如何开具发票,在“我的订单”中点击“申请发票”")
	require.Contains(t, buf.String(), "\"怎么开发票\n可以开专票吗\"", "questions one per line in a quoted cell")

	buf.Reset()
	zw := kb.NewMarkdownZipWriter(&buf)
	n, err = s.Export(ctx, kb.ExportFilter{Statuses: []string{kb.StatusArchived, kb.StatusDraft}}, zw)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	require.Equal(t, 2, n)
	zr, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	require.NoError(t, err)
	var names []string
	for _, f := range zr.File {
		names = append(names, f.Name)
	}
	require.ElementsMatch(t, []string{"en/delivery-times.md", "en/gift-cards.md"}, names)
	f, err := zr.Open("en/gift-cards.md")
	require.NoError(t, err)
	b := new(bytes.Buffer)
	_, err = b.ReadFrom(f)
	require.NoError(t, err)
	require.Regexp(t, `^---\nid: \d+\nexternal_id: faq-gift-cards\ntitle: Gift cards\nlanguage: en\nstatus: draft\n---\n\nGift cards never expire`, b.String())

	dir := t.TempDir()
	dw := kb.NewMarkdownDirWriter(dir)
	_, err = s.Export(ctx, kb.ExportFilter{Language: "zh"}, dw)
	require.NoError(t, err)
	require.NoError(t, dw.Close())
	_, err = os.Stat(filepath.Join(dir, "zh", "如何开具发票.md"))
	require.NoError(t, err, "Chinese titles make Chinese file names")
}
