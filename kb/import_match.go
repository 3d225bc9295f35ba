package kb

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Matching: checking each row, and finding the existing article it names.

// languageAliases are other spellings of the two languages found in exported spreadsheets.
var languageAliases = map[string]string{
	"zh-cn": "zh", "zh_cn": "zh", "zh-hans": "zh", "zh-sg": "zh", "cn": "zh", "chinese": "zh", "中文": "zh", "简体中文": "zh",
	"en-us": "en", "en_us": "en", "en-gb": "en", "english": "en", "英文": "en", "英语": "en",
}

// prepare validates a row and checks it against the rows before it.
func (im *importer) prepare(row ImportRow) (importItem, bool) {
	if row.Err != nil {
		im.fail(row, row.Err.Error())
		return importItem{}, false
	}
	in := &row.Article
	if reason := badText(in, row.ExternalID); reason != "" {
		im.fail(row, reason)
		return importItem{}, false
	}
	if l, ok := languageAliases[strings.ToLower(strings.TrimSpace(in.Language))]; ok {
		in.Language = l
	}
	it := importItem{statusGiven: strings.TrimSpace(in.Status) != ""}
	if !it.statusGiven {
		in.Status = im.opt.DefaultStatus
	}
	in.Status = strings.ToLower(strings.TrimSpace(in.Status))
	if err := in.Normalize(); err != nil {
		im.fail(row, err.Error())
		return importItem{}, false
	}
	row.ExternalID = strings.TrimSpace(row.ExternalID)
	if utf8.RuneCountInString(row.ExternalID) > MaxExternalIDLen {
		im.fail(row, fmt.Sprintf("external_id is longer than %d characters", MaxExternalIDLen))
		return importItem{}, false
	}
	if row.ID < 0 {
		im.fail(row, "id must be a positive number")
		return importItem{}, false
	}
	keys := []struct{ key, what string }{{"t\x00" + in.Language + "\x00" + in.Title, "the same title and language as"}}
	if row.ExternalID != "" {
		keys = append(keys, struct{ key, what string }{"x\x00" + row.ExternalID, "the same external_id as"})
	}
	if row.ID != 0 {
		keys = append(keys, struct{ key, what string }{"i\x00" + strconv.FormatInt(row.ID, 10), "the same id as"})
	}
	for _, k := range keys {
		if first, ok := im.seen[k.key]; ok {
			im.fail(row, fmt.Sprintf("%s %s", k.what, first))
			return importItem{}, false
		}
	}
	for _, k := range keys {
		im.seen[k.key] = where(row)
	}
	it.ImportRow = row
	return it, true
}

// badText says what is wrong with a row's text, if anything: not UTF-8, or a NUL character
// (which Postgres cannot store).
func badText(in *ArticleInput, externalID string) string {
	texts := append([]string{in.Title, in.Body, in.Language, in.Status, externalID}, in.Questions...)
	texts = append(texts, in.Tags...)
	for _, s := range texts {
		if !utf8.ValidString(s) {
			return "text is not valid UTF-8 (save the file as UTF-8)"
		}
	}
	for _, s := range texts {
		if strings.IndexByte(s, 0) >= 0 {
			return "text contains a NUL character"
		}
	}
	return ""
}

// decide finds the article a row updates and what must change; a non-empty reason rejects it.
func (im *importer) decide(it *importItem, ex existingArticles) string {
	in := it.Article
	var m *importedArticle
	switch {
	case it.ExternalID != "" && ex.byExternal[it.ExternalID] != nil:
		m = ex.byExternal[it.ExternalID]
	case it.ID != 0 && ex.byID[it.ID] != nil && ex.byID[it.ID].Language == in.Language:
		m = ex.byID[it.ID]
	default:
		m = ex.byTitle[in.Language+"\x00"+in.Title]
	}
	if m == nil {
		it.action = actCreate
		return ""
	}
	if it.ExternalID != "" && m.ExternalID != "" && m.ExternalID != it.ExternalID {
		return fmt.Sprintf("article %d (%q) already has external_id %q", m.ID, m.Title, m.ExternalID)
	}
	if first, ok := im.touched[m.ID]; ok {
		return fmt.Sprintf("updates the same article (%d) as %s", m.ID, first)
	}
	im.touched[m.ID] = where(it.ImportRow)
	it.match = m
	if !it.statusGiven {
		it.Article.Status = m.Status
	}
	newExternal := it.ExternalID != "" && it.ExternalID != m.ExternalID
	switch {
	case !sameContent(it.Article, m.Article):
		it.action = actUpdate
	case it.Article.Status != m.Status || newExternal:
		it.action = actStatus
	default:
		it.action = actUnchanged
	}
	return ""
}

func sameContent(in ArticleInput, a Article) bool {
	return in.Title == a.Title && in.Body == a.Body && in.Language == a.Language &&
		slices.Equal(in.Tags, a.Tags) && slices.Equal(in.Questions, a.Questions)
}
