// Package evals measures Baton's models on labelled files: loading, metrics and reports.
package evals

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// IntentRow is one labelled text of an intent file.
type IntentRow struct {
	Text   string
	Intent string // "" for an out-of-scope row
	Line   int    // 1-based line in the file, for messages
}

// OOS reports whether the row is out of scope.
func (r IntentRow) OOS() bool { return r.Intent == "" }

// IsOOSLabel reports whether label marks an out-of-scope row ("oos", any case).
func IsOOSLabel(label string) bool { return strings.EqualFold(strings.TrimSpace(label), "oos") }

// LoadIntents reads a labelled intent file: CSV with a header naming the columns `text` and
// `category` (or `intent`), in any order, or JSON Lines with "text" and "intent" (or
// "category"). The format follows the extension (.csv, .jsonl, .json), else the first byte. A
// row labelled oos (any case) is out of scope. A bad row fails with file:line.
func LoadIntents(path string) ([]IntentRow, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("evals: %w", err)
	}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	var rows []IntentRow
	switch strings.ToLower(filepath.Ext(path)) {
	case ".csv":
		rows, err = readCSV(path, data)
	case ".jsonl", ".json":
		rows, err = readJSONL(path, data)
	default:
		if t := bytes.TrimLeft(data, " \t\r\n"); len(t) > 0 && t[0] == '{' {
			rows, err = readJSONL(path, data)
		} else {
			rows, err = readCSV(path, data)
		}
	}
	if err != nil {
		return nil, err
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("evals: %s: no rows", path)
	}
	return rows, nil
}

func readCSV(path string, data []byte) ([]IntentRow, error) {
	r := csv.NewReader(bytes.NewReader(data))
	header, err := r.Read()
	if err != nil {
		return nil, fmt.Errorf("evals: %s:1: header: %w", path, err)
	}
	ti, li := -1, -1
	for i, h := range header {
		switch strings.ToLower(strings.TrimSpace(h)) {
		case "text":
			ti = i
		case "category", "intent":
			li = i
		}
	}
	if ti < 0 || li < 0 {
		return nil, fmt.Errorf("evals: %s:1: header %q needs columns text and category", path, strings.Join(header, ","))
	}
	var rows []IntentRow
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return rows, nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				return nil, fmt.Errorf("evals: %s:%d: %v", path, pe.Line, pe.Err)
			}
			return nil, fmt.Errorf("evals: %s: %w", path, err)
		}
		line, _ := r.FieldPos(0)
		row, err := newRow(rec[ti], rec[li], line)
		if err != nil {
			return nil, fmt.Errorf("evals: %s:%d: %w", path, line, err)
		}
		rows = append(rows, row)
	}
}

func readJSONL(path string, data []byte) ([]IntentRow, error) {
	sc := bufio.NewScanner(bytes.NewReader(data))
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	var rows []IntentRow
	line := 0
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		var rec struct {
			Text     *string `json:"text"`
			Intent   *string `json:"intent"`
			Category *string `json:"category"`
		}
		if err := json.Unmarshal(b, &rec); err != nil {
			return nil, fmt.Errorf("evals: %s:%d: %w", path, line, err)
		}
		label := rec.Intent
		if label == nil {
			label = rec.Category
		}
		if rec.Text == nil || label == nil {
			return nil, fmt.Errorf("evals: %s:%d: need \"text\" and \"intent\"", path, line)
		}
		row, err := newRow(*rec.Text, *label, line)
		if err != nil {
			return nil, fmt.Errorf("evals: %s:%d: %w", path, line, err)
		}
		rows = append(rows, row)
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("evals: %s:%d: %w", path, line+1, err)
	}
	return rows, nil
}

func newRow(text, label string, line int) (IntentRow, error) {
	text, label = strings.TrimSpace(text), strings.TrimSpace(label)
	switch {
	case text == "":
		return IntentRow{}, errors.New("empty text")
	case label == "":
		return IntentRow{}, errors.New("empty label")
	case IsOOSLabel(label):
		label = ""
	}
	return IntentRow{Text: text, Intent: label, Line: line}, nil
}
