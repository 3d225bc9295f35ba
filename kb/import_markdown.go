package kb

import (
	"archive/zip"
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"path"
	"regexp"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Limits on a Markdown import.
const (
	MaxMarkdownFile    = 1 << 20   // one file
	MaxArchiveFiles    = 10000     // Markdown files in a folder or zip
	MaxArchiveExpanded = 100 << 20 // Markdown bytes a zip may expand to
)

// frontMatter is what a Markdown file's YAML header may say; other keys (a static site
// generator's date, weight, …) are ignored.
type frontMatter struct {
	Title      string     `yaml:"title"`
	Language   string     `yaml:"language"`
	Tags       stringList `yaml:"tags"`
	Questions  stringList `yaml:"questions"`
	Status     string     `yaml:"status"`
	ExternalID string     `yaml:"external_id"`
	Slug       string     `yaml:"slug"`
	ID         int64      `yaml:"id"`
}

// stringList takes a YAML list, or one string (for tags, comma-separated).
type stringList []string

// UnmarshalYAML implements yaml.Unmarshaler.
func (l *stringList) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		*l = splitList(n.Value, ",;|")
		return nil
	}
	var s []string
	if err := n.Decode(&s); err != nil {
		return err
	}
	*l = s
	return nil
}

type markdownReader struct {
	fsys  fs.FS
	files []string
	next  int
}

// IsMarkdownFile says whether an import reads a file name as Markdown.
func IsMarkdownFile(name string) bool {
	ext := strings.ToLower(path.Ext(name))
	return ext == ".md" || ext == ".markdown"
}

// MarkdownFiles lists the Markdown files under a folder (nested folders included; hidden files
// and folders skipped), in lexical order.
func MarkdownFiles(fsys fs.FS) ([]string, error) {
	var files []string
	err := fs.WalkDir(fsys, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if p != "." && (strings.HasPrefix(name, ".") || name == "__MACOSX") {
			if d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if !d.IsDir() && IsMarkdownFile(name) {
			if len(files) == MaxArchiveFiles {
				return fmt.Errorf("more than %d Markdown files; import them in parts", MaxArchiveFiles)
			}
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("kb: list Markdown files: %w", err)
	}
	return files, nil
}

// NewMarkdownReader reads the given Markdown files of fsys (see MarkdownFiles), one article
// each: YAML front matter between "---" lines (title, language, tags, questions, status,
// external_id or slug, id), and the Markdown after it as the body. Without a title in the front
// matter, a first line "# Heading" is the title. Rows are named by the file's path.
func NewMarkdownReader(fsys fs.FS, files []string) RowReader {
	return &markdownReader{fsys: fsys, files: files}
}

// Next implements RowReader.
func (m *markdownReader) Next() (ImportRow, error) {
	if m.next >= len(m.files) {
		return ImportRow{}, io.EOF
	}
	name := m.files[m.next]
	m.next++
	row := ImportRow{File: name, Line: 1}
	f, err := m.fsys.Open(name)
	if err != nil {
		return row, fmt.Errorf("open %s: %w", name, err)
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, MaxMarkdownFile+1))
	if err != nil {
		return row, fmt.Errorf("read %s: %w", name, err)
	}
	if len(data) > MaxMarkdownFile {
		row.Err = fmt.Errorf("file larger than %d bytes", MaxMarkdownFile)
		return row, nil
	}
	parseMarkdown(&row, data)
	return row, nil
}

var yamlLine = regexp.MustCompile(`line (\d+): (.*)`)

// parseMarkdown fills a row from a Markdown file's bytes.
func parseMarkdown(row *ImportRow, data []byte) {
	text := strings.ReplaceAll(string(bytes.TrimPrefix(data, []byte("\uFEFF"))), "\r\n", "\n")
	var fm frontMatter
	body := text
	if rest, ok := strings.CutPrefix(text, "---\n"); ok {
		head, after, found := cutFrontMatter(rest)
		if !found {
			row.Err = errors.New("front matter: no closing --- line")
			return
		}
		if err := yaml.Unmarshal([]byte(head), &fm); err != nil {
			row.Err = frontMatterError(row, err)
			return
		}
		body = after
		if fm.ExternalID != "" && fm.Slug != "" && fm.ExternalID != fm.Slug {
			row.Err = errors.New("front matter: external_id and slug differ; give one")
			return
		}
	}
	if strings.TrimSpace(fm.Title) == "" {
		fm.Title, body = headingTitle(body)
		if fm.Title == "" {
			row.Err = errors.New("no title: add title: to the front matter or start the file with a # heading")
			return
		}
	}
	row.ID, row.ExternalID = fm.ID, fm.ExternalID
	if row.ExternalID == "" {
		row.ExternalID = fm.Slug
	}
	row.Article = ArticleInput{Title: fm.Title, Body: body, Language: fm.Language, Status: fm.Status,
		Tags: fm.Tags, Questions: fm.Questions}
}

// cutFrontMatter splits text after the opening "---" at the closing "---" (or "...") line.
func cutFrontMatter(text string) (head, body string, ok bool) {
	for off := 0; off <= len(text); {
		end := strings.IndexByte(text[off:], '\n')
		line := text[off:]
		if end >= 0 {
			line = text[off : off+end]
		}
		if l := strings.TrimRight(line, " \t"); l == "---" || l == "..." {
			if end < 0 {
				return text[:off], "", true
			}
			return text[:off], text[off+end+1:], true
		}
		if end < 0 {
			break
		}
		off += end + 1
	}
	return "", "", false
}

// frontMatterError points a YAML error at its line in the file (the front matter starts on line 2).
func frontMatterError(row *ImportRow, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	msg = strings.TrimPrefix(msg, "unmarshal errors:\n")
	msg, _, _ = strings.Cut(strings.TrimSpace(msg), "\n")
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		n, _ := strconv.Atoi(m[1])
		row.Line = n + 1
		msg = m[2]
	}
	return errors.New("front matter: " + msg)
}

// headingTitle takes a leading "# Heading" line off the body as the title.
func headingTitle(body string) (title, rest string) {
	trimmed := strings.TrimLeft(body, " \t\n")
	line, after, _ := strings.Cut(trimmed, "\n")
	if t, ok := strings.CutPrefix(strings.TrimSpace(line), "# "); ok && strings.TrimSpace(t) != "" {
		return strings.TrimSpace(t), after
	}
	return "", body
}

// OpenZip reads a zip of Markdown files from memory and lists them, refusing archives that
// would expand past MaxArchiveExpanded.
func OpenZip(data []byte) (fs.FS, []string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, nil, fmt.Errorf("%w: not a zip archive: %s", ErrInvalid, strings.TrimPrefix(err.Error(), "zip: "))
	}
	files, err := MarkdownFiles(zr)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s", ErrInvalid, strings.TrimPrefix(err.Error(), "kb: list Markdown files: "))
	}
	var total uint64
	for _, f := range zr.File {
		if IsMarkdownFile(f.Name) {
			total += f.UncompressedSize64
		}
	}
	if total > MaxArchiveExpanded {
		return nil, nil, fmt.Errorf("%w: the zip's Markdown files expand to more than %d bytes; import them in parts", ErrInvalid, MaxArchiveExpanded)
	}
	return zr, files, nil
}
