package kb

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/httpx"
)

// MaxImportBody is the largest import request accepted: a JSONL or CSV body, or a zip of
// Markdown files (which may expand to MaxArchiveExpanded).
const MaxImportBody = 20 << 20

// Import and export formats.
const (
	FormatJSONL    = "jsonl"
	FormatCSV      = "csv"
	FormatMarkdown = "md"
)

// ParseFormat reads a format name (jsonl, csv or md, with a few other spellings), "" if unknown.
func ParseFormat(s string) string {
	switch strings.ToLower(strings.TrimPrefix(strings.TrimSpace(s), ".")) {
	case "jsonl", "ndjson", "json":
		return FormatJSONL
	case "csv":
		return FormatCSV
	case "md", "markdown", "zip":
		return FormatMarkdown
	}
	return ""
}

// importFailure is the body of an import that took no article: the error and the counts.
type importFailure struct {
	Error string `json:"error"`
	ImportResult
}

// Import takes articles as JSONL, CSV or a zip of Markdown files: the request body itself, or
// the first file of a multipart/form-data upload. The format comes from ?format=, else the
// upload's file name, else the Content-Type, else the content (a zip, a JSON object, or CSV).
// ?status= is the status of new articles whose row has none (published by default);
// ?dry_run=true validates and counts without writing.
func (a *API) Import(c *gin.Context) {
	opt := ImportOptions{Source: "import", By: userID(c), MaxErrors: DefaultMaxErrors}
	switch st := c.Query("status"); st {
	case "", StatusDraft, StatusPublished, StatusArchived:
		opt.DefaultStatus = st
	default:
		httpx.Error(c, http.StatusBadRequest, "status must be draft, published or archived")
		return
	}
	switch c.Query("dry_run") {
	case "", "0", "false":
	case "1", "true":
		opt.DryRun = true
	default:
		httpx.Error(c, http.StatusBadRequest, "dry_run must be true or false")
		return
	}
	format := ""
	if f := c.Query("format"); f != "" {
		if format = ParseFormat(f); format == "" {
			httpx.Error(c, http.StatusBadRequest, "format must be jsonl, csv or md (a zip of Markdown files)")
			return
		}
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, MaxImportBody)
	var body io.Reader = c.Request.Body
	name := ""
	if c.ContentType() == "multipart/form-data" {
		part, err := uploadedFile(c.Request)
		if err != nil {
			importBodyError(c, err)
			return
		}
		body, name = part, path.Base(part.FileName())
		if format == "" {
			format = ParseFormat(path.Ext(name))
		}
	} else if format == "" {
		format = formatFromContentType(c.ContentType())
	}
	br := bufio.NewReaderSize(body, 64<<10)
	if format == "" {
		format = sniffFormat(br)
		if format == "" {
			httpx.Error(c, http.StatusUnsupportedMediaType, "gzip and tar are not accepted: upload a Markdown folder as a zip")
			return
		}
	}
	var rr RowReader
	switch format {
	case FormatJSONL:
		rr = NewJSONLReader(br, name)
	case FormatCSV:
		rr = NewCSVReader(br, name)
	case FormatMarkdown:
		data, err := io.ReadAll(br)
		if err != nil {
			importBodyError(c, err)
			return
		}
		fsys, files, err := OpenZip(data)
		if err != nil {
			a.fail(c, err)
			return
		}
		rr = NewMarkdownReader(fsys, files)
	}
	res, err := a.Store.Import(c.Request.Context(), rr, opt)
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		c.JSON(http.StatusRequestEntityTooLarge, importFailure{
			Error: fmt.Sprintf("import larger than %d bytes; split it", MaxImportBody), ImportResult: res})
	case err != nil:
		httpx.Internal(c, err)
	case res.Imported == 0 && res.Failed > 0:
		c.JSON(http.StatusBadRequest, importFailure{Error: "no valid article in the import", ImportResult: res})
	default:
		c.JSON(http.StatusOK, res)
	}
}

func importBodyError(c *gin.Context, err error) {
	var tooBig *http.MaxBytesError
	if errors.As(err, &tooBig) {
		httpx.Errorf(c, http.StatusRequestEntityTooLarge, "import larger than %d bytes; split it", MaxImportBody)
		return
	}
	httpx.Errorf(c, http.StatusBadRequest, "could not read the upload: %s", err)
}

// uploadedFile returns the first file part of a multipart upload.
func uploadedFile(r *http.Request) (interface {
	io.Reader
	FileName() string
}, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, err
	}
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			return nil, errors.New("no file in the form (send it as the field \"file\")")
		}
		if err != nil {
			return nil, err
		}
		if p.FileName() != "" {
			return p, nil
		}
	}
}

func formatFromContentType(ct string) string {
	switch ct {
	case "application/x-ndjson", "application/jsonl", "application/x-jsonlines", "application/json":
		return FormatJSONL
	case "text/csv", "application/csv", "text/comma-separated-values":
		return FormatCSV
	case "application/zip", "application/x-zip-compressed":
		return FormatMarkdown
	}
	return "" // text/plain, application/octet-stream, none, …: look at the content
}

// sniffFormat tells a zip from JSONL (its first character is "{") from CSV; "" for gzip.
func sniffFormat(br *bufio.Reader) string {
	head, _ := br.Peek(512)
	switch {
	case bytes.HasPrefix(head, []byte("PK\x03\x04")), bytes.HasPrefix(head, []byte("PK\x05\x06")):
		return FormatMarkdown
	case bytes.HasPrefix(head, []byte{0x1f, 0x8b}):
		return ""
	}
	head = bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\uFEFF")), " \t\r\n")
	if len(head) == 0 || head[0] == '{' {
		return FormatJSONL
	}
	return FormatCSV
}

// Export writes the articles as ?format=jsonl (default), csv or md (a zip of Markdown files),
// filtered by ?status= (repeatable or comma-separated) and ?language=.
func (a *API) Export(c *gin.Context) {
	format := ParseFormat(c.DefaultQuery("format", FormatJSONL))
	if format == "" {
		httpx.Error(c, http.StatusBadRequest, "format must be jsonl, csv or md")
		return
	}
	f, err := ParseExportFilter(c.QueryArray("status"), c.Query("language"))
	if err != nil {
		httpx.Error(c, http.StatusBadRequest, err.Error())
		return
	}
	stamp := time.Now().UTC().Format("20060102")
	var w ArticleWriter
	switch format {
	case FormatJSONL:
		c.Header("Content-Type", "application/x-ndjson; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="baton-kb-`+stamp+`.jsonl"`)
		w = NewJSONLWriter(c.Writer)
	case FormatCSV:
		c.Header("Content-Type", "text/csv; charset=utf-8")
		c.Header("Content-Disposition", `attachment; filename="baton-kb-`+stamp+`.csv"`)
		w = NewCSVWriter(c.Writer)
	case FormatMarkdown:
		c.Header("Content-Type", "application/zip")
		c.Header("Content-Disposition", `attachment; filename="baton-kb-`+stamp+`.zip"`)
		w = NewMarkdownZipWriter(c.Writer)
	}
	_, err = a.Store.Export(c.Request.Context(), f, w)
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		if !c.Writer.Written() {
			c.Writer.Header().Del("Content-Disposition")
			httpx.Internal(c, err)
			return
		}
		_ = c.Error(err) // the body is cut short; the client sees a broken file
	}
}

// ParseExportFilter reads status values (each may be a comma-separated list) and a language.
func ParseExportFilter(statuses []string, language string) (ExportFilter, error) {
	f := ExportFilter{Language: strings.ToLower(strings.TrimSpace(language))}
	if f.Language != "" && f.Language != "zh" && f.Language != "en" {
		return f, errors.New("language must be zh or en")
	}
	for _, s := range statuses {
		for _, st := range strings.Split(s, ",") {
			st = strings.ToLower(strings.TrimSpace(st))
			switch st {
			case "":
			case StatusDraft, StatusPublished, StatusArchived:
				f.Statuses = append(f.Statuses, st)
			default:
				return f, fmt.Errorf("status must be draft, published or archived, got %q", st)
			}
		}
	}
	return f, nil
}
