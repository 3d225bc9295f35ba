package kb

import (
	"archive/zip"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"unicode"

	"go.yaml.in/yaml/v3"
)

// Exporting writes articles in the import formats, so an export imported again changes nothing.

// ExportFilter picks the articles an export writes; empty fields match all.
type ExportFilter struct {
	Statuses []string
	Language string
}

// ExportedArticle is an article as exports write it.
type ExportedArticle struct {
	ID         int64    `json:"id"`
	ExternalID string   `json:"external_id,omitempty"`
	Title      string   `json:"title"`
	Language   string   `json:"language"`
	Status     string   `json:"status"`
	Tags       []string `json:"tags"`
	Questions  []string `json:"questions"`
	Body       string   `json:"body"`
}

// ArticleWriter writes exported articles in one format; Close finishes the output.
type ArticleWriter interface {
	Write(ExportedArticle) error
	Close() error
}

const exportPage = 500

const exportSQL = `SELECT id, coalesce(external_id, ''), title, language, status, tags, questions, body
FROM kb_articles
WHERE id > $1 AND (cardinality($2::text[]) = 0 OR status = ANY($2)) AND ($3 = '' OR language = $3)
ORDER BY id LIMIT $4`

// Export writes every article the filter picks, in id order, a page per query (no query stays
// open while a slow reader takes the output), and returns how many it wrote.
func (s *Store) Export(ctx context.Context, f ExportFilter, w ArticleWriter) (int, error) {
	statuses := f.Statuses
	if statuses == nil {
		statuses = []string{}
	}
	n := 0
	for after := int64(0); ; {
		rows, err := s.pool.Query(ctx, exportSQL, after, statuses, f.Language, exportPage)
		if err != nil {
			return n, fmt.Errorf("kb: export: %w", err)
		}
		var page []ExportedArticle
		for rows.Next() {
			var a ExportedArticle
			if err := rows.Scan(&a.ID, &a.ExternalID, &a.Title, &a.Language, &a.Status, &a.Tags, &a.Questions, &a.Body); err != nil {
				rows.Close()
				return n, fmt.Errorf("kb: export: %w", err)
			}
			page = append(page, a)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return n, fmt.Errorf("kb: export: %w", err)
		}
		for _, a := range page {
			if err := w.Write(a); err != nil {
				return n, fmt.Errorf("kb: export: %w", err)
			}
			n++
		}
		if len(page) < exportPage {
			return n, nil
		}
		after = page[len(page)-1].ID
	}
}

// jsonlWriter writes one JSON object per line.
type jsonlWriter struct{ enc *json.Encoder }

// NewJSONLWriter writes articles as JSONL, the format NewJSONLReader reads.
func NewJSONLWriter(w io.Writer) ArticleWriter {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false) // Markdown keeps its < > & readable
	return jsonlWriter{enc: enc}
}

func (j jsonlWriter) Write(a ExportedArticle) error { return j.enc.Encode(a) }
func (j jsonlWriter) Close() error                  { return nil }

// csvWriter writes a header and one row per article.
type csvWriter struct {
	w      *csv.Writer
	header bool
}

// NewCSVWriter writes articles as CSV (with a UTF-8 BOM, so spreadsheets read Chinese right):
// question (the title), answer, title, language, tags (";"-separated), questions (one per line),
// status, external_id, id — the columns NewCSVReader reads.
func NewCSVWriter(w io.Writer) ArticleWriter {
	return &csvWriter{w: csv.NewWriter(w)}
}

func (c *csvWriter) writeHeader() error {
	if c.header {
		return nil
	}
	c.header = true
	cols := append([]string{}, csvColumns...)
	cols[0] = "\uFEFF" + cols[0]
	return c.w.Write(cols)
}

func (c *csvWriter) Write(a ExportedArticle) error {
	if err := c.writeHeader(); err != nil {
		return err
	}
	id := strconv.FormatInt(a.ID, 10)
	return c.w.Write([]string{a.Title, a.Body, a.Title, a.Language, strings.Join(a.Tags, ";"),
		strings.Join(a.Questions, "\n"), a.Status, a.ExternalID, id})
}

func (c *csvWriter) Close() error {
	if err := c.writeHeader(); err != nil {
		return err
	}
	c.w.Flush()
	return c.w.Error()
}

// markdownWriter writes one file per article, LANGUAGE/SLUG.md, with YAML front matter.
type markdownWriter struct {
	create func(name string) (io.Writer, error)
	close  func() error
	used   map[string]bool
}

// NewMarkdownDirWriter writes one Markdown file per article under dir (created if needed).
func NewMarkdownDirWriter(dir string) ArticleWriter {
	var open *os.File
	closeOpen := func() error {
		if open == nil {
			return nil
		}
		err := open.Close()
		open = nil
		return err
	}
	return &markdownWriter{used: map[string]bool{}, close: closeOpen,
		create: func(name string) (io.Writer, error) {
			if err := closeOpen(); err != nil {
				return nil, err
			}
			p := filepath.Join(dir, filepath.FromSlash(name))
			if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
				return nil, err
			}
			f, err := os.Create(p)
			open = f
			return f, err
		}}
}

// NewMarkdownZipWriter writes the Markdown files into a zip archive on w.
func NewMarkdownZipWriter(w io.Writer) ArticleWriter {
	zw := zip.NewWriter(w)
	return &markdownWriter{used: map[string]bool{}, close: zw.Close,
		create: func(name string) (io.Writer, error) { return zw.Create(name) }}
}

type frontMatterOut struct {
	ID         int64    `yaml:"id,omitempty"`
	ExternalID string   `yaml:"external_id,omitempty"`
	Title      string   `yaml:"title"`
	Language   string   `yaml:"language"`
	Status     string   `yaml:"status"`
	Tags       []string `yaml:"tags,omitempty"`
	Questions  []string `yaml:"questions,omitempty"`
}

func (m *markdownWriter) Write(a ExportedArticle) error {
	name := a.Language + "/" + slug(a.Title, a.ID) + ".md"
	if m.used[name] {
		name = a.Language + "/" + slug(a.Title, a.ID) + "-" + strconv.FormatInt(a.ID, 10) + ".md"
	}
	m.used[name] = true
	w, err := m.create(name)
	if err != nil {
		return err
	}
	var b strings.Builder
	b.WriteString("---\n")
	enc := yaml.NewEncoder(&b)
	enc.SetIndent(2)
	if err := enc.Encode(frontMatterOut{ID: a.ID, ExternalID: a.ExternalID, Title: a.Title, Language: a.Language,
		Status: a.Status, Tags: a.Tags, Questions: a.Questions}); err != nil {
		return err
	}
	if err := enc.Close(); err != nil {
		return err
	}
	b.WriteString("---\n\n")
	b.WriteString(a.Body)
	b.WriteString("\n")
	_, err = io.WriteString(w, b.String())
	return err
}

func (m *markdownWriter) Close() error { return m.close() }

// slug makes a file name from a title: letters and digits (Chinese included), lower-cased,
// other runs as "-", at most 60 characters; "article-ID" when nothing is left.
func slug(title string, id int64) string {
	var b strings.Builder
	dash, n := false, 0
	for _, r := range strings.ToLower(title) {
		if n >= 60 {
			break
		}
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
				n++
			}
			b.WriteRune(r)
			n++
			dash = false
		} else {
			dash = true
		}
	}
	if b.Len() == 0 {
		return "article-" + strconv.FormatInt(id, 10)
	}
	return b.String()
}
