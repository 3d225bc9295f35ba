package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/kb"
)

func newKBExport() *cobra.Command {
	var format, out, language string
	var statuses []string
	cmd := &cobra.Command{
		Use:   "export",
		Short: "Export articles as JSONL (default, to stdout), CSV or Markdown files",
		Long: `Export knowledge-base articles in the formats "baton kb import" reads (see its help), in id
order; importing an export again changes nothing (every article counts as unchanged).

  --format jsonl  one JSON object per line (id, external_id, title, language, status, tags,
                  questions, body); to stdout unless --out FILE
  --format csv    question,answer,title,language,tags,questions,status,external_id,id with a
                  UTF-8 BOM (spreadsheets then read Chinese right); tags joined with ";",
                  questions one per line in their cell
  --format md     one Markdown file per article with YAML front matter, LANGUAGE/SLUG.md, into
                  the folder --out DIR (created if needed), or a zip when --out ends in .zip

Without --format the format follows --out's extension (.csv, .zip, .jsonl), else jsonl.
--status (repeatable or comma-separated) and --language filter the articles.`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error {
			f := kb.ParseFormat(format)
			if format != "" && f == "" {
				return usageError{fmt.Errorf("--format must be jsonl, csv or md, got %q", format)}
			}
			if f == "" {
				if f = kb.ParseFormat(filepath.Ext(out)); f == "" {
					f = kb.FormatJSONL
				}
			}
			if f == kb.FormatMarkdown && (out == "" || out == "-") {
				return usageError{errors.New("--format md needs --out DIR (or --out FILE.zip)")}
			}
			filter, err := kb.ParseExportFilter(statuses, language)
			if err != nil {
				return usageError{err}
			}
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			store, closeDB, err := openKBStore(cmd, cfg)
			if err != nil {
				return err
			}
			defer closeDB()
			var dst io.Writer = cmd.OutOrStdout()
			var file *os.File
			if out != "" && out != "-" && !(f == kb.FormatMarkdown && !strings.EqualFold(filepath.Ext(out), ".zip")) {
				if file, err = os.Create(out); err != nil {
					return err
				}
				defer file.Close()
				dst = file
			}
			var w kb.ArticleWriter
			switch {
			case f == kb.FormatCSV:
				w = kb.NewCSVWriter(dst)
			case f == kb.FormatMarkdown && file != nil:
				w = kb.NewMarkdownZipWriter(dst)
			case f == kb.FormatMarkdown:
				w = kb.NewMarkdownDirWriter(out)
			default:
				w = kb.NewJSONLWriter(dst)
			}
			n, err := store.Export(cmd.Context(), filter, w)
			if err == nil {
				err = w.Close()
			}
			if err == nil && file != nil {
				err = file.Close()
			}
			if err != nil {
				return err
			}
			where := "stdout"
			if out != "" && out != "-" {
				where = out
			}
			fmt.Fprintf(cmd.ErrOrStderr(), "exported %d articles to %s\n", n, where)
			return nil
		},
	}
	dbFlags(cmd)
	cmd.Flags().StringVar(&format, "format", "", "jsonl, csv or md (default: from --out, else jsonl)")
	cmd.Flags().StringVar(&out, "out", "", "file (jsonl, csv, md as .zip) or folder (md); default stdout")
	cmd.Flags().StringSliceVar(&statuses, "status", nil, "only these statuses (draft, published, archived)")
	cmd.Flags().StringVar(&language, "language", "", "only this language (zh or en)")
	return cmd
}
