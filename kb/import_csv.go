package kb

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// CSV columns. question and answer are required; the rest are optional and may come in any order.
var csvColumns = []string{"question", "answer", "title", "language", "tags", "questions", "status", "external_id", "id"}

// csvAliases lets a Chinese spreadsheet keep Chinese headers.
var csvAliases = map[string]string{
	"问题": "question", "答案": "answer", "回答": "answer", "标题": "title", "语言": "language", "标签": "tags",
	"相似问题": "questions", "状态": "status",
}

type csvReader struct {
	r    *csv.Reader
	file string
	cols map[string]int // column name → index; nil until the header is read
	done bool
}

// NewCSVReader reads a CSV file whose first row is a header naming its columns:
// question,answer[,title,language,tags] and optionally questions, status, external_id, id.
// title defaults to the question (a question different from the title becomes an alternative
// question); language is detected when missing; tags are separated by ";" or "|"; questions
// (more alternative questions) one per line within the cell or separated by "|". Fields may be
// quoted and span lines; a UTF-8 BOM and CRLF line ends are fine.
func NewCSVReader(r io.Reader, file string) RowReader {
	br := bufio.NewReader(r)
	if b, err := br.Peek(3); err == nil && string(b) == "\uFEFF" {
		_, _ = br.Discard(3)
	}
	cr := csv.NewReader(br)
	cr.ReuseRecord = false
	return &csvReader{r: cr, file: file}
}

// Next implements RowReader.
func (c *csvReader) Next() (ImportRow, error) {
	for {
		if c.done {
			return ImportRow{}, io.EOF
		}
		rec, err := c.r.Read()
		if errors.Is(err, io.EOF) {
			return ImportRow{}, io.EOF
		}
		line := 1
		if len(rec) > 0 {
			line, _ = c.r.FieldPos(0)
		}
		var pe *csv.ParseError
		if errors.As(err, &pe) {
			line = pe.StartLine
			if c.cols == nil {
				c.done = true // no header, no rows
			}
			return ImportRow{File: c.file, Line: line, Err: csvError(pe)}, nil
		}
		if err != nil {
			return ImportRow{}, err
		}
		if c.cols == nil {
			if err := c.header(rec); err != nil {
				c.done = true
				return ImportRow{File: c.file, Line: line, Err: err}, nil
			}
			continue
		}
		if blank(rec) {
			continue
		}
		return c.row(rec, line), nil
	}
}

func csvError(pe *csv.ParseError) error {
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		return errors.New("wrong number of fields (a comma inside a field needs the field in double quotes)")
	}
	return fmt.Errorf("CSV: %s", pe.Err)
}

func (c *csvReader) header(rec []string) error {
	cols := map[string]int{}
	for i, name := range rec {
		name = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(name, "\uFEFF")))
		if a, ok := csvAliases[name]; ok {
			name = a
		}
		known := false
		for _, k := range csvColumns {
			known = known || k == name
		}
		if !known {
			return fmt.Errorf("header: unknown column %q (columns: %s)", name, strings.Join(csvColumns, ", "))
		}
		if _, dup := cols[name]; dup {
			return fmt.Errorf("header: column %q appears twice", name)
		}
		cols[name] = i
	}
	if _, ok := cols["question"]; !ok {
		return errors.New("header: the first row must name the columns, with at least question and answer")
	}
	if _, ok := cols["answer"]; !ok {
		return errors.New("header: no answer column")
	}
	c.cols = cols
	return nil
}

func blank(rec []string) bool {
	for _, f := range rec {
		if strings.TrimSpace(f) != "" {
			return false
		}
	}
	return true
}

func (c *csvReader) row(rec []string, line int) ImportRow {
	get := func(name string) string {
		if i, ok := c.cols[name]; ok && i < len(rec) {
			return strings.TrimSpace(rec[i])
		}
		return ""
	}
	row := ImportRow{File: c.file, Line: line}
	q, title := get("question"), get("title")
	switch {
	case q == "" && title == "":
		row.Err = errors.New("question is empty")
		return row
	case get("answer") == "":
		row.Err = errors.New("answer is empty")
		return row
	}
	if title == "" {
		title = q
	}
	var questions []string
	if q != "" && q != title {
		questions = append(questions, q)
	}
	questions = append(questions, splitList(get("questions"), "\n|")...)
	if s := get("id"); s != "" {
		id, err := strconv.ParseInt(s, 10, 64)
		if err != nil || id <= 0 {
			row.Err = fmt.Errorf("id must be a positive number, got %q", s)
			return row
		}
		row.ID = id
	}
	row.ExternalID = get("external_id")
	row.Article = ArticleInput{Title: title, Body: get("answer"), Language: get("language"), Status: get("status"),
		Tags: splitList(get("tags"), ";|"), Questions: questions}
	return row
}

// splitList splits a cell at any of seps, dropping blanks.
func splitList(s, seps string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return strings.ContainsRune(seps, r) }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}
