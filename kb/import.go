package kb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// Importing: a format's reader (JSONL, CSV, a Markdown folder) yields rows; Import matches each
// row to an existing article, skips the unchanged ones, embeds the rest a batch at a time and
// writes them through the article functions, so imports leave the same trail as editors' edits.

// ImportResult counts what an import did; Errors name bad rows, which do not stop good ones.
type ImportResult struct {
	Imported  int           `json:"imported"` // created + updated + unchanged
	Created   int           `json:"created"`
	Updated   int           `json:"updated"`
	Unchanged int           `json:"unchanged"`
	Failed    int           `json:"failed"`
	DryRun    bool          `json:"dry_run,omitempty"`
	Errors    []ImportError `json:"errors"`
}

// ImportError is one rejected row: its file (for a Markdown folder), line and reason.
type ImportError struct {
	File   string `json:"file,omitempty"`
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// Where is "file:line", or "line N" for a single stream.
func (e ImportError) Where() string {
	if e.File == "" {
		return "line " + strconv.Itoa(e.Line)
	}
	return e.File + ":" + strconv.Itoa(e.Line)
}

// ImportRow is one article as a reader found it; Err set means the row is bad and says why.
type ImportRow struct {
	File    string
	Line    int
	Article ArticleInput
	// ID is the article's id in this installation (exports carry it), 0 when absent.
	ID int64
	// ExternalID is the article's key in the system it comes from, "" when absent.
	ExternalID string
	Err        error
}

// RowReader yields import rows until io.EOF; any other error stops the import.
type RowReader interface {
	Next() (ImportRow, error)
}

// ImportOptions tune Import.
type ImportOptions struct {
	Source string // recorded on created articles; "import" when empty
	By     *int64 // the editor importing, if any
	// DefaultStatus is the status of new articles whose row has none (published when empty).
	// Existing articles matched by such a row keep their status.
	DefaultStatus string
	DryRun        bool // validate and match, write nothing
	// MaxErrors bounds the errors kept in the result (Failed still counts all); 0 means
	// DefaultMaxErrors, negative means keep all.
	MaxErrors int
	// Progress, when set, is called after each batch with the counts so far.
	Progress func(ImportResult)
	// Reindexing, when set, is called before a large import rebuilds the vector index.
	Reindexing func()
}

// DefaultMaxErrors is how many bad rows an import result lists by default.
const DefaultMaxErrors = 1000

// MaxExternalIDLen bounds an external id.
const MaxExternalIDLen = 200

// importBatch is how many rows are matched in one query and embedded in one call.
const importBatch = 64

// ImportJSONL reads one article per line (see NewJSONLReader) and imports it; new articles
// without a status are published: an import is a help centre's content, not drafts.
func (s *Store) ImportJSONL(ctx context.Context, r io.Reader, source string, by *int64) (ImportResult, error) {
	return s.Import(ctx, NewJSONLReader(r, ""), ImportOptions{Source: source, By: by})
}

// Import reads every row and creates, updates or leaves alone the article it names. A row
// matches an existing article by external_id, else by id (same language), else by language and
// title; an unchanged article is not rewritten or re-embedded. Bad rows are counted and listed
// and the good ones still go in. A database or embedder failure stops the import; what was
// written before it stays.
func (s *Store) Import(ctx context.Context, rr RowReader, opt ImportOptions) (ImportResult, error) {
	if opt.Source == "" {
		opt.Source = "import"
	}
	if opt.DefaultStatus == "" {
		opt.DefaultStatus = StatusPublished
	}
	if opt.MaxErrors == 0 {
		opt.MaxErrors = DefaultMaxErrors
	}
	im := &importer{s: s, opt: opt, seen: map[string]string{}, touched: map[int64]string{}, before: -1}
	im.res = ImportResult{Errors: []ImportError{}, DryRun: opt.DryRun}
	res, err := im.run(ctx, rr)
	if im.bulk {
		if opt.Reindexing != nil {
			opt.Reindexing()
		}
		// Even when the import was interrupted: searches must not stay without their index.
		if _, _, ierr := s.BuildSearchIndexes(context.WithoutCancel(ctx), IndexOptions{MaintenanceWorkMem: bulkIndexMemory}); ierr != nil && err == nil {
			err = ierr
		}
	}
	return res, err
}

func (im *importer) run(ctx context.Context, rr RowReader) (ImportResult, error) {
	batch := make([]importItem, 0, importBatch)
	for done := false; !done; {
		batch = batch[:0]
		for len(batch) < importBatch {
			row, err := rr.Next()
			if errors.Is(err, io.EOF) {
				done = true
				break
			}
			if err != nil {
				return im.res, fmt.Errorf("kb: import: %w", err)
			}
			if it, ok := im.prepare(row); ok {
				batch = append(batch, it)
			}
		}
		if err := im.apply(ctx, batch); err != nil {
			return im.res, err
		}
		if im.opt.Progress != nil {
			im.opt.Progress(im.res)
		}
	}
	return im.res, nil
}

type importer struct {
	s   *Store
	opt ImportOptions
	res ImportResult
	// seen maps a row's keys (language+title, external id, id) to where they first appeared.
	seen map[string]string
	// touched maps an existing article to the row that matched it.
	touched map[int64]string
	// written is how many chunks the import wrote; before, about how many there were before it
	// (-1 until counted).
	written, before int
	bulk            bool // the vector index is dropped until the import ends
}

// importItem is a valid row on its way in.
type importItem struct {
	ImportRow
	statusGiven bool
	match       *importedArticle // the existing article it updates, nil for a new one
	action      importAction
}

type importAction int

const (
	actCreate    importAction = iota
	actUpdate                 // content changed: rewrite and re-embed
	actStatus                 // only the status and/or external id changed
	actUnchanged              // nothing to do
)

func (im *importer) fail(row ImportRow, reason string) {
	im.res.Failed++
	if im.opt.MaxErrors < 0 || len(im.res.Errors) < im.opt.MaxErrors {
		im.res.Errors = append(im.res.Errors, ImportError{File: row.File, Line: row.Line, Reason: reason})
	}
}

func where(row ImportRow) string {
	return ImportError{File: row.File, Line: row.Line}.Where()
}

// apply matches a batch to the articles it names, then writes what changed.
func (im *importer) apply(ctx context.Context, batch []importItem) error {
	if len(batch) == 0 {
		return nil
	}
	existing, err := im.s.importLookup(ctx, batch)
	if err != nil {
		return err
	}
	valid := batch[:0]
	for _, it := range batch {
		if reason := im.decide(&it, existing); reason != "" {
			im.fail(it.ImportRow, reason)
			continue
		}
		valid = append(valid, it)
	}
	if im.opt.DryRun {
		for _, it := range valid {
			im.count(it.action, it.match == nil)
		}
		return nil
	}
	bs, chunks, err := im.s.preEmbedded(ctx, valid)
	if err != nil {
		return err
	}
	for _, it := range valid {
		if err := im.write(ctx, bs, it); err != nil {
			return err
		}
	}
	im.written += chunks
	return im.maybeBulk(ctx)
}

// Bulk indexing: adding chunks to the HNSW graph one by one is most of a large import's time
// (on the embedded database building the graph at once is several times faster). Once an import
// has written bulkIndexMinChunks chunks and at least a quarter as many as the knowledge base held,
// it drops the vector index for the rest and builds it again at the end; searches meanwhile scan
// exactly (slower, same answers). Should the process die before that, "baton serve" recreates
// the index at start.
var bulkIndexMinChunks = 500

const bulkIndexMemory = "256MB"

func (im *importer) maybeBulk(ctx context.Context) error {
	if im.bulk || im.written < bulkIndexMinChunks {
		return nil
	}
	if im.before < 0 {
		n, err := im.s.chunkCount(ctx)
		if err != nil {
			return err
		}
		im.before = max(n-im.written, 0)
	}
	if im.written*4 < im.before {
		return nil
	}
	im.bulk = true
	return im.s.dropVectorIndex(ctx)
}

func (im *importer) count(act importAction, created bool) {
	switch {
	case act == actUnchanged:
		im.res.Unchanged++
	case created:
		im.res.Created++
	default:
		im.res.Updated++
	}
	im.res.Imported++
}

// change is how an import's edits appear in the articles' history.
func (im *importer) change() Change {
	return Change{By: im.opt.By, Source: im.opt.Source, Action: ActionImport}
}

// write applies one row through the article functions. Conflicts fail the row; anything else
// (the database, the embedder) stops the import.
func (im *importer) write(ctx context.Context, bs *Store, it importItem) error {
	created := false
	var id int64
	var err error
	switch it.action {
	case actUnchanged:
		im.count(actUnchanged, false)
		return nil
	case actCreate:
		var a Article
		a, created, err = bs.ArticleUpsert(ctx, it.Article, im.opt.Source, im.opt.By)
		id = a.ID
	case actUpdate:
		id = it.match.ID
		_, err = bs.ArticleUpdate(ctx, id, it.Article, im.change())
	case actStatus:
		id = it.match.ID
		if it.Article.Status != it.match.Status {
			_, err = bs.ArticleSetStatus(ctx, id, it.Article.Status, im.change())
		}
	}
	if err == nil && it.ExternalID != "" && (it.match == nil || it.match.ExternalID != it.ExternalID) {
		err = bs.setExternalID(ctx, id, it.ExternalID)
	}
	switch {
	case errors.Is(err, ErrConflict):
		im.fail(it.ImportRow, strings.TrimPrefix(err.Error(), ErrConflict.Error()+": "))
		return nil
	case errors.Is(err, ErrNotFound):
		im.fail(it.ImportRow, fmt.Sprintf("article %d was deleted during the import", id))
		return nil
	case err != nil:
		return fmt.Errorf("kb: import %s: %w", where(it.ImportRow), err)
	}
	im.count(it.action, created)
	return nil
}
