package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/schollz/progressbar/v3"
	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/internal/config"
	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/internal/embedding"
	"github.com/baton-cs/baton/kb"
	"github.com/baton-cs/baton/migrations"
)

const kbImportHelp = `Import knowledge-base articles from a file or folder. The format comes from the
path (a folder, .md or .zip: Markdown; .csv: CSV; .jsonl/.ndjson/.json: JSONL; - reads JSONL
from stdin) or from --format.

JSONL: one JSON object per line:
  {"title": "...", "body": "Markdown", "language": "zh|en", "questions": ["..."],
   "tags": ["..."], "status": "draft|published|archived", "external_id": "...", "id": 12}
  Only title and body are required. Unknown keys reject the line ("source", "created_at" and
  "updated_at", which the API's article objects carry, are ignored).

CSV: a header row, then one article per row; columns in any order:
  question,answer[,title,language,tags] and optionally questions,status,external_id,id
  title defaults to the question (a question that differs from the title becomes an alternative
  question); tags are separated by ";" or "|"; questions (more alternative questions) one per
  line inside the quoted cell, or separated by "|". Fields may be quoted and span lines; UTF-8
  (with or without a BOM, as Excel writes it), CRLF or LF. Chinese headers 问题,答案,标题,语言,
  标签 work too.

Markdown: every .md/.markdown file under the folder (nested folders included; hidden ones
skipped), or in a .zip, is one article: YAML front matter between --- lines, then the body:
  ---
  title: 如何退货
  language: zh
  tags: [returns]
  questions: [怎么退货, 可以退货吗]
  status: published
  ---
  Markdown body…
  Without a title in the front matter, a first line "# Heading" is the title. external_id (or
  slug) and id are read too; other keys are ignored. Files larger than 1 MiB are rejected.

Every format: language is zh or en (zh-CN, English, 中文 … accepted), detected from the text
when missing. A row without a status creates a --status article (default published, so an
imported help centre is answered from at once) and leaves an existing article's status alone.

Matching: a row updates the article with the same external_id, else the same id (this
installation's id, as exports write it; only when the language matches), else the same
language and title; otherwise it creates one. An article whose content is unchanged is not
rewritten or re-embedded and is counted as unchanged, so re-importing is safe. Two rows naming
the same article are an error on the second.

Bad rows (invalid JSON, a CSV row without an answer or with the wrong number of fields, a
front matter error, a bad language, a field too long, …) are printed to stderr as FILE:LINE:
reason; the good rows still go in. The result is printed to stdout as JSON:
  {"imported":N,"created":N,"updated":N,"unchanged":N,"failed":N,"errors":[…]}
The exit status is 1 when any row failed (after importing the good ones), 2 for bad flags.
--dry-run validates and matches without writing. A progress bar is drawn on stderr when it is a
terminal; otherwise a progress line is printed every few seconds of a long import.`

func newKBImport() *cobra.Command {
	var format, status string
	var dryRun bool
	cmd := &cobra.Command{
		Use:   "import PATH",
		Short: "Import articles from JSONL, CSV or a folder of Markdown files (re-importing updates)",
		Long:  kbImportHelp,
		Args:  cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if format != "" && kb.ParseFormat(format) == "" {
				return usageError{fmt.Errorf("--format must be jsonl, csv or md, got %q", format)}
			}
			switch status {
			case kb.StatusDraft, kb.StatusPublished, kb.StatusArchived:
			default:
				return usageError{fmt.Errorf("--status must be draft, published or archived, got %q", status)}
			}
			src, err := openImportSource(cmd.InOrStdin(), args[0], kb.ParseFormat(format))
			if err != nil {
				return err
			}
			defer src.close()
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			store, closeDB, err := openKBStore(cmd, cfg)
			if err != nil {
				return err
			}
			defer closeDB()
			stderr := cmd.ErrOrStderr()
			prog := newImportProgress(stderr, src)
			res, err := store.Import(cmd.Context(), src.rows, kb.ImportOptions{Source: "import", DefaultStatus: status,
				DryRun: dryRun, MaxErrors: -1, Progress: prog.update, Reindexing: func() {
					prog.finish()
					fmt.Fprintln(stderr, "building the search index…")
				}})
			prog.finish()
			for _, e := range res.Errors {
				fmt.Fprintf(stderr, "%s: %s\n", src.where(e), e.Reason)
			}
			out, _ := json.Marshal(res)
			fmt.Fprintln(cmd.OutOrStdout(), string(out))
			note := ""
			if dryRun {
				note = " (dry run: nothing written)"
			}
			fmt.Fprintf(stderr, "%s: %d created, %d updated, %d unchanged, %d failed%s\n",
				args[0], res.Created, res.Updated, res.Unchanged, res.Failed, note)
			if err != nil {
				return err
			}
			if res.Failed > 0 {
				return fmt.Errorf("%d of %d rows failed (listed above); the others were %s", res.Failed,
					res.Failed+res.Imported, map[bool]string{false: "imported", true: "valid"}[dryRun])
			}
			return nil
		},
	}
	dbFlags(cmd)
	cmd.Flags().StringVar(&format, "format", "", "jsonl, csv or md (default: from the path)")
	cmd.Flags().StringVar(&status, "status", kb.StatusPublished, "status of new articles whose row has none (draft, published, archived)")
	cmd.Flags().BoolVar(&dryRun, "dry-run", false, "validate and match only; write nothing")
	return cmd
}

// importSource is an opened import path.
type importSource struct {
	rows  kb.RowReader
	root  string // a Markdown folder or zip that rows' file names are relative to
	file  *os.File
	read  *countingReader // bytes read of a JSONL or CSV file, for progress
	size  int64           // that file's size (0: unknown)
	files int             // Markdown files, for progress
}

func (s *importSource) close() {
	if s.file != nil {
		s.file.Close()
	}
}

// where names a bad row for the terminal: FILE:LINE.
func (s *importSource) where(e kb.ImportError) string {
	if s.root != "" {
		return fmt.Sprintf("%s:%d", filepath.Join(s.root, filepath.FromSlash(e.File)), e.Line)
	}
	return e.Where()
}

func openImportSource(stdin io.Reader, path, format string) (*importSource, error) {
	if path == "-" {
		if format == "" {
			format = kb.FormatJSONL
		}
		if format == kb.FormatMarkdown {
			return nil, usageError{errors.New("a Markdown import needs a folder, .md or .zip path, not stdin")}
		}
		return streamSource(stdin, "stdin", format, 0, nil), nil
	}
	fi, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		if format != "" && format != kb.FormatMarkdown {
			return nil, usageError{fmt.Errorf("%s is a folder: only --format md reads folders", path)}
		}
		files, err := kb.MarkdownFiles(os.DirFS(path))
		if err != nil {
			return nil, err
		}
		return &importSource{rows: kb.NewMarkdownReader(os.DirFS(path), files), root: path, files: len(files)}, nil
	}
	ext := strings.ToLower(filepath.Ext(path))
	if format == "" {
		if format = kb.ParseFormat(ext); format == "" {
			return nil, usageError{fmt.Errorf("cannot tell the format of %s from its name; pass --format jsonl, csv or md", path)}
		}
	}
	if format == kb.FormatMarkdown {
		if ext == ".zip" {
			data, err := os.ReadFile(path)
			if err != nil {
				return nil, err
			}
			fsys, files, err := kb.OpenZip(data)
			if err != nil {
				return nil, errors.New(strings.TrimPrefix(err.Error(), kb.ErrInvalid.Error()+": "))
			}
			return &importSource{rows: kb.NewMarkdownReader(fsys, files), root: path, files: len(files)}, nil
		}
		dir, name := filepath.Split(path)
		return &importSource{rows: kb.NewMarkdownReader(os.DirFS(filepath.Clean(dir)), []string{name}), root: dir, files: 1}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	return streamSource(f, path, format, fi.Size(), f), nil
}

func streamSource(r io.Reader, name, format string, size int64, f *os.File) *importSource {
	cr := &countingReader{r: r}
	s := &importSource{read: cr, size: size, file: f}
	if format == kb.FormatCSV {
		s.rows = kb.NewCSVReader(cr, name)
	} else {
		s.rows = kb.NewJSONLReader(cr, name)
	}
	return s
}

type countingReader struct {
	r io.Reader
	n atomic.Int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n.Add(int64(n))
	return n, err
}

// importProgress draws a bar on a terminal, and otherwise prints a line every few seconds.
type importProgress struct {
	w     io.Writer
	src   *importSource
	bar   *progressbar.ProgressBar
	start time.Time
	last  time.Time
}

// plainProgressEvery spaces the progress lines printed when stderr is not a terminal.
var plainProgressEvery = 5 * time.Second

func newImportProgress(w io.Writer, src *importSource) *importProgress {
	p := &importProgress{w: w, src: src, start: time.Now()}
	p.last = p.start
	if isTerminal(w) {
		total := int64(src.files)
		if src.read != nil {
			total = src.size
			if total == 0 {
				total = -1 // unknown: a spinner
			}
		}
		p.bar = newProgressBar(w, int(total), "importing")
		if src.read != nil {
			p.bar = progressbar.NewOptions64(total, progressbar.OptionSetWriter(w), progressbar.OptionSetDescription("importing"),
				progressbar.OptionShowBytes(true), progressbar.OptionSetWidth(30), progressbar.OptionThrottle(200*time.Millisecond),
				progressbar.OptionShowElapsedTimeOnFinish())
		}
	}
	return p
}

// done is how far the import is, in the bar's unit (bytes of a file, or Markdown files).
func (p *importProgress) done(res kb.ImportResult) int64 {
	if p.src.read != nil {
		return p.src.read.n.Load()
	}
	return int64(res.Imported + res.Failed)
}

func (p *importProgress) update(res kb.ImportResult) {
	if p.bar != nil {
		_ = p.bar.Set64(p.done(res))
		return
	}
	if time.Since(p.last) < plainProgressEvery {
		return
	}
	p.last = time.Now()
	share := ""
	if total := p.total(); total > 0 {
		share = fmt.Sprintf(" (%d%%)", min(100, p.done(res)*100/total))
	}
	fmt.Fprintf(p.w, "importing: %d rows%s after %s: %d created, %d updated, %d unchanged, %d failed\n",
		res.Imported+res.Failed, share, time.Since(p.start).Round(time.Second), res.Created, res.Updated, res.Unchanged, res.Failed)
}

func (p *importProgress) total() int64 {
	if p.src.read != nil {
		return p.src.size
	}
	return int64(p.src.files)
}

func (p *importProgress) finish() {
	if p.bar != nil {
		_ = p.bar.Finish()
		fmt.Fprintln(p.w)
		p.bar = nil
	}
}

// isTerminal says whether w is a terminal (a character device), where a progress bar can redraw.
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	if !ok {
		return false
	}
	fi, err := f.Stat()
	return err == nil && fi.Mode()&os.ModeCharDevice != 0
}

// openKBStore opens the database, applies migrations and returns the knowledge base.
func openKBStore(cmd *cobra.Command, cfg config.Config) (*kb.Store, func(), error) {
	ctx := cmd.Context()
	d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir, cfg.NodeModules, newLogger(cfg))
	if err != nil {
		return nil, nil, err
	}
	if _, err := migrations.Up(ctx, d.Pool); err != nil {
		d.Close()
		return nil, nil, err
	}
	d.Pool.Reset()
	return kb.NewStore(d.Pool, embedding.FromConfig(cfg.Embed)), d.Close, nil
}
