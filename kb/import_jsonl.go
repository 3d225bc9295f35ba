package kb

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"unicode/utf8"
)

// MaxImportLine is the longest JSONL line read; a longer one is reported and skipped.
const MaxImportLine = 1 << 20

// jsonlArticle is one JSONL line: ArticleInput plus the keys an export writes. Other keys
// reject the line, so a misspelt field is not silently dropped.
type jsonlArticle struct {
	ID         int64    `json:"id"`
	ExternalID string   `json:"external_id"`
	Title      string   `json:"title"`
	Body       string   `json:"body"`
	Language   string   `json:"language"`
	Questions  []string `json:"questions"`
	Tags       []string `json:"tags"`
	Status     string   `json:"status"`
	// The API's article objects also carry these; they are accepted and ignored.
	Source    json.RawMessage `json:"source"`
	CreatedAt json.RawMessage `json:"created_at"`
	UpdatedAt json.RawMessage `json:"updated_at"`
}

type jsonlReader struct {
	br   *bufio.Reader
	file string
	line int
}

// NewJSONLReader reads one JSON article per line: title, body, language (zh|en, detected when
// missing), questions, tags, status, and optionally id and external_id. Blank lines are skipped;
// a UTF-8 BOM and CRLF line ends are fine. file names the rows in errors ("" for a stream).
func NewJSONLReader(r io.Reader, file string) RowReader {
	return &jsonlReader{br: bufio.NewReaderSize(r, 64<<10), file: file}
}

// Next implements RowReader.
func (j *jsonlReader) Next() (ImportRow, error) {
	for {
		text, tooLong, err := readLine(j.br, MaxImportLine)
		if err != nil && !errors.Is(err, io.EOF) {
			return ImportRow{}, err
		}
		eof := err != nil
		if eof && len(text) == 0 && !tooLong {
			return ImportRow{}, io.EOF
		}
		j.line++
		row := ImportRow{File: j.file, Line: j.line}
		if j.line == 1 {
			text = bytes.TrimPrefix(text, []byte("\uFEFF"))
		}
		if tooLong {
			row.Err = fmt.Errorf("line longer than %d bytes", MaxImportLine)
			return row, nil
		}
		text = bytes.TrimSpace(text)
		if len(text) == 0 {
			if eof {
				return ImportRow{}, io.EOF
			}
			continue
		}
		if !utf8.Valid(text) {
			row.Err = errors.New("text is not valid UTF-8 (save the file as UTF-8)")
			return row, nil
		}
		var a jsonlArticle
		dec := json.NewDecoder(bytes.NewReader(text))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&a); err != nil {
			row.Err = errors.New("invalid JSON: " + strings.TrimPrefix(err.Error(), "json: "))
			return row, nil
		}
		if dec.More() {
			row.Err = errors.New("invalid JSON: more than one value on the line")
			return row, nil
		}
		row.ID, row.ExternalID = a.ID, a.ExternalID
		row.Article = ArticleInput{Title: a.Title, Body: a.Body, Language: a.Language, Questions: a.Questions, Tags: a.Tags, Status: a.Status}
		return row, nil
	}
}

// readLine returns the next line without its end; a line over max is consumed and reported as
// too long. At the end of the input it returns the last line (if any) with io.EOF.
func readLine(br *bufio.Reader, max int) (line []byte, tooLong bool, err error) {
	for {
		part, err := br.ReadSlice('\n')
		if !tooLong {
			if len(line)+len(part) > max+2 { // room for "\r\n"
				tooLong, line = true, nil
			} else {
				line = append(line, part...)
			}
		}
		switch {
		case errors.Is(err, bufio.ErrBufferFull):
			continue
		case err != nil:
			return line, tooLong, err
		}
		return bytes.TrimRight(line, "\r\n"), tooLong, nil
	}
}
