package kb

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/jackc/pgx/v5"
)

// What a version records as its action.
const (
	ActionCreate   = "create"   // the article was written, imported or approved from a suggestion
	ActionUpdate   = "update"   // an editor saved it
	ActionStatus   = "status"   // published, archived or taken back to draft
	ActionImport   = "import"   // an import replaced it
	ActionRestore  = "restore"  // an editor brought back an earlier version
	ActionBaseline = "baseline" // the state found when its history began
)

// Article fields a version compares, in the order they are reported.
var versionFields = []string{"title", "body", "language", "status", "tags", "questions"}

// Change says who changes an article and, for an editor's save, which version they started from.
type Change struct {
	// By is the user making the change; nil for the system (demo content, a CLI import).
	By *int64
	// BaseVersion is the version the editor's form was loaded from; 0 skips the check.
	BaseVersion int
	// Source is where the change comes from (manual, import, demo, suggestion); manual if empty.
	Source string
	// Action names the change in the history when the caller knows better than the function
	// (an import's edit is ActionImport, not ActionUpdate); empty for the function's own.
	Action string
}

// Author is who made a version, as they were named then.
type Author struct {
	ID    *int64 `json:"id"`
	Name  string `json:"name"`
	Email string `json:"email"`
}

// ArticleVersion is one snapshot of an article in its history.
type ArticleVersion struct {
	ArticleID int64    `json:"article_id"`
	Version   int      `json:"version"`
	Title     string   `json:"title"`
	Body      string   `json:"body,omitempty"` // left out of history lists
	Language  string   `json:"language"`
	Status    string   `json:"status"`
	Tags      []string `json:"tags"`
	Questions []string `json:"questions"`
	// Changed names the fields that differ from the previous version.
	Changed      []string  `json:"changed"`
	Action       string    `json:"action"`
	Source       string    `json:"source"`
	RestoredFrom *int      `json:"restored_from,omitempty"`
	Author       *Author   `json:"author"` // nil when the system made it
	CreatedAt    time.Time `json:"created_at"`
}

// StaleError refuses a save made from an older version than the article's current one.
type StaleError struct {
	Base    int            // the version the editor started from
	Current Article        // the article as it is now
	Latest  ArticleVersion // who made the current version, and when (no body)
}

func (e *StaleError) Error() string {
	return fmt.Sprintf("%v: the article was changed after you opened it (you started from version %d, it is now version %d); reload it and apply your changes again",
		ErrConflict, e.Base, e.Current.Version)
}

// Unwrap makes a StaleError an ErrConflict.
func (e *StaleError) Unwrap() error { return ErrConflict }

// MaxVersionsListed is the longest history ArticleVersions returns.
const MaxVersionsListed = 500

// changedFields names the fields in differs from a in.
func changedFields(a Article, in ArticleInput) []string {
	diff := []string{}
	for _, f := range versionFields {
		var same bool
		switch f {
		case "title":
			same = a.Title == in.Title
		case "body":
			same = a.Body == in.Body
		case "language":
			same = a.Language == in.Language
		case "status":
			same = a.Status == in.Status
		case "tags":
			same = slices.Equal(a.Tags, in.Tags) || len(a.Tags)+len(in.Tags) == 0
		case "questions":
			same = slices.Equal(a.Questions, in.Questions) || len(a.Questions)+len(in.Questions) == 0
		}
		if !same {
			diff = append(diff, f)
		}
	}
	return diff
}

// textChanged reports whether the article's chunks must be cut again.
func textChanged(prev, a Article) bool {
	return prev.Title != a.Title || prev.Body != a.Body || !slices.Equal(prev.Questions, a.Questions)
}

func (a Article) input() ArticleInput {
	return ArticleInput{Title: a.Title, Body: a.Body, Language: a.Language, Status: a.Status, Tags: a.Tags, Questions: a.Questions}
}

// articleLockTx reads the article for a change and checks the editor's base version.
func articleLockTx(ctx context.Context, tx pgx.Tx, id int64, ch Change) (Article, error) {
	prev, err := scanArticle(tx.QueryRow(ctx, `SELECT `+articleCols+` FROM kb_articles WHERE id = $1 FOR UPDATE`, id))
	if err != nil {
		return Article{}, err
	}
	if ch.BaseVersion != 0 && ch.BaseVersion != prev.Version {
		stale := &StaleError{Base: ch.BaseVersion, Current: prev}
		latest, err := scanVersion(tx.QueryRow(ctx, `SELECT `+versionListCols+` FROM kb_article_versions
			WHERE article_id = $1 AND version = $2`, id, prev.Version))
		if err == nil {
			stale.Latest = latest
		} else if !errors.Is(err, ErrNotFound) {
			return Article{}, err
		}
		return Article{}, stale
	}
	return prev, nil
}

const insertVersion = `INSERT INTO kb_article_versions (article_id, version, title, body, language, status, tags, questions,
	changed, action, source, restored_from, author_id, author_name, author_email)
SELECT $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, u.id, coalesce(u.name, ''), coalesce(u.email, '')
FROM (SELECT 1) one LEFT JOIN users u ON u.id = $13`

// versionRecordTx records a's current state as its version a.Version, in the transaction that
// changed it. prev is the state before (nil for a new article); if its history is missing (an
// article written before history began, or by a bulk load) prev is kept first as a baseline.
func versionRecordTx(ctx context.Context, tx pgx.Tx, a Article, prev *Article, action string, ch Change, restoredFrom *int) error {
	changed := versionFields
	if prev != nil {
		if _, err := tx.Exec(ctx, insertVersion+` ON CONFLICT (article_id, version) DO NOTHING`,
			prev.ID, prev.Version, prev.Title, prev.Body, prev.Language, prev.Status, prev.Tags, prev.Questions,
			versionFields, ActionBaseline, prev.Source, nil, nil); err != nil {
			return fmt.Errorf("record baseline version: %w", err)
		}
		changed = changedFields(*prev, a.input())
	}
	source := ch.Source
	if source == "" {
		source = "manual"
	}
	if ch.Action != "" && action != ActionRestore {
		action = ch.Action
	}
	_, err := tx.Exec(ctx, insertVersion, a.ID, a.Version, a.Title, a.Body, a.Language, a.Status, a.Tags, a.Questions,
		changed, action, source, restoredFrom, ch.By)
	if isUniqueViolation(err) {
		// Only a writer that bypassed the version counter can get here.
		return fmt.Errorf("%w: version %d of article %d already exists", ErrConflict, a.Version, a.ID)
	}
	if err != nil {
		return fmt.Errorf("record version: %w", err)
	}
	return nil
}

const versionListCols = `article_id, version, title, '', language, status, tags, questions, changed, action, source,
	restored_from, author_id, author_name, author_email, created_at`

const versionCols = `article_id, version, title, body, language, status, tags, questions, changed, action, source,
	restored_from, author_id, author_name, author_email, created_at`

func scanVersion(row pgx.Row) (ArticleVersion, error) {
	var v ArticleVersion
	var au Author
	err := row.Scan(&v.ArticleID, &v.Version, &v.Title, &v.Body, &v.Language, &v.Status, &v.Tags, &v.Questions,
		&v.Changed, &v.Action, &v.Source, &v.RestoredFrom, &au.ID, &au.Name, &au.Email, &v.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return ArticleVersion{}, ErrNotFound
	}
	if au.ID != nil || au.Name != "" || au.Email != "" {
		v.Author = &au
	}
	return v, err
}

// versionEnsure gives an article that has no history (written before it began, or by a bulk
// load) its current state as the first entry, so no article's history is ever empty. It reports
// ErrNotFound for no such article.
func (s *Store) versionEnsure(ctx context.Context, q querier, id int64) error {
	var exists bool
	err := q.QueryRow(ctx, `WITH a AS (SELECT * FROM kb_articles WHERE id = $1),
		added AS (
			INSERT INTO kb_article_versions (article_id, version, title, body, language, status, tags, questions,
				changed, action, source, created_at)
			SELECT id, version, title, body, language, status, tags, questions, $2, $3, source, updated_at FROM a
			WHERE NOT EXISTS (SELECT 1 FROM kb_article_versions v WHERE v.article_id = a.id)
			ON CONFLICT (article_id, version) DO NOTHING)
		SELECT EXISTS (SELECT 1 FROM a)`, id, versionFields, ActionBaseline).Scan(&exists)
	if err != nil {
		return fmt.Errorf("kb: start article history: %w", err)
	}
	if !exists {
		return ErrNotFound
	}
	return nil
}

// ArticleVersions lists an article's versions, newest first, without their bodies.
func (s *Store) ArticleVersions(ctx context.Context, id int64) ([]ArticleVersion, error) {
	if err := s.versionEnsure(ctx, s.pool, id); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, `SELECT `+versionListCols+` FROM kb_article_versions
		WHERE article_id = $1 ORDER BY version DESC LIMIT $2`, id, MaxVersionsListed)
	if err != nil {
		return nil, fmt.Errorf("kb: list versions: %w", err)
	}
	defer rows.Close()
	out := []ArticleVersion{}
	for rows.Next() {
		v, err := scanVersion(rows)
		if err != nil {
			return nil, fmt.Errorf("kb: list versions: %w", err)
		}
		out = append(out, v)
	}
	return out, rows.Err()
}

// ArticleVersion returns one version of an article, body included.
func (s *Store) ArticleVersion(ctx context.Context, id int64, n int) (ArticleVersion, error) {
	if err := s.versionEnsure(ctx, s.pool, id); err != nil {
		return ArticleVersion{}, err
	}
	v, err := scanVersion(s.pool.QueryRow(ctx, `SELECT `+versionCols+` FROM kb_article_versions
		WHERE article_id = $1 AND version = $2`, id, n))
	if err != nil && !errors.Is(err, ErrNotFound) {
		return ArticleVersion{}, fmt.Errorf("kb: get version: %w", err)
	}
	return v, err
}

// ArticleRestore brings back version n's title, body, language, tags and questions as a new
// version, re-embedding the article; its status stays as it is (publish or archive on their own).
// It reports false when version n already matches the article (nothing to restore).
func (s *Store) ArticleRestore(ctx context.Context, id int64, n int, ch Change) (Article, bool, error) {
	v, err := s.ArticleVersion(ctx, id, n)
	if err != nil {
		return Article{}, false, err
	}
	if ch.Source == "" {
		ch.Source = "manual"
	}
	in := ArticleInput{Title: v.Title, Body: v.Body, Language: v.Language, Tags: v.Tags, Questions: v.Questions}
	a, restored, err := s.articleUpdate(ctx, id, in, ch, ActionRestore, &n)
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrConflict) {
		return Article{}, false, fmt.Errorf("kb: restore version %d: %w", n, err)
	}
	return a, restored, err
}

// TagCount is a tag and how many articles carry it.
type TagCount struct {
	Tag      string `json:"tag"`
	Articles int    `json:"articles"`
}

// ArticleTags lists the tags in use, the most used first.
func (s *Store) ArticleTags(ctx context.Context) ([]TagCount, error) {
	rows, err := s.pool.Query(ctx, `SELECT t, count(*) FROM kb_articles, unnest(tags) t
		GROUP BY t ORDER BY count(*) DESC, t LIMIT 500`)
	if err != nil {
		return nil, fmt.Errorf("kb: list tags: %w", err)
	}
	out, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (TagCount, error) {
		var tc TagCount
		return tc, r.Scan(&tc.Tag, &tc.Articles)
	})
	if err != nil {
		return nil, fmt.Errorf("kb: list tags: %w", err)
	}
	return out, nil
}

// ArticleKey names an article: titles are unique per language.
type ArticleKey struct{ Language, Title string }

// ArticlesLastChangedElsewhere lists the articles whose current version came from another source
// than source (e.g. demo articles an editor has since changed).
func (s *Store) ArticlesLastChangedElsewhere(ctx context.Context, source string) (map[ArticleKey]bool, error) {
	rows, err := s.pool.Query(ctx, `SELECT a.language, a.title FROM kb_articles a
		JOIN kb_article_versions v ON v.article_id = a.id AND v.version = a.version
		WHERE v.source <> $1`, source)
	if err != nil {
		return nil, fmt.Errorf("kb: articles changed elsewhere: %w", err)
	}
	defer rows.Close()
	out := map[ArticleKey]bool{}
	for rows.Next() {
		var k ArticleKey
		if err := rows.Scan(&k.Language, &k.Title); err != nil {
			return nil, fmt.Errorf("kb: articles changed elsewhere: %w", err)
		}
		out[k] = true
	}
	return out, rows.Err()
}
