package kb

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
)

// ImportResult counts what an import did; Errors name bad lines, which do not stop good ones.
type ImportResult struct {
	Imported int           `json:"imported"`
	Created  int           `json:"created"`
	Updated  int           `json:"updated"`
	Errors   []ImportError `json:"errors"`
}

// ImportError is one rejected line.
type ImportError struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// MaxImportLine is the longest JSONL line read.
const MaxImportLine = 1 << 20

// ImportJSONL reads one article per line and upserts each by language and title. Articles
// without a status are published: an import is a help centre's content, not drafts.
func (s *Store) ImportJSONL(ctx context.Context, r io.Reader, source string, by *int64) (ImportResult, error) {
	res := ImportResult{Errors: []ImportError{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64<<10), MaxImportLine)
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" {
			continue
		}
		var in ArticleInput
		dec := json.NewDecoder(strings.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&in); err != nil {
			res.Errors = append(res.Errors, ImportError{Line: line, Reason: "invalid JSON: " + strings.TrimPrefix(err.Error(), "json: ")})
			continue
		}
		if in.Status == "" {
			in.Status = StatusPublished
		}
		if err := in.Normalize(); err != nil {
			res.Errors = append(res.Errors, ImportError{Line: line, Reason: err.Error()})
			continue
		}
		_, created, err := s.ArticleUpsert(ctx, in, source, by)
		if err != nil {
			return res, fmt.Errorf("kb: import line %d: %w", line, err)
		}
		res.Imported++
		if created {
			res.Created++
		} else {
			res.Updated++
		}
	}
	if err := sc.Err(); err != nil {
		return res, fmt.Errorf("kb: import: line %d: %w", line+1, err)
	}
	return res, nil
}
