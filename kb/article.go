// Package kb is the knowledge base: articles editors write and import, the chunks the bot searches
// with pgvector, and the suggestions agents' answers turn into.
package kb

import (
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"
)

// Article statuses; only published articles are answered from.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusArchived  = "archived"
)

// ErrNotFound means no such article or suggestion.
var ErrNotFound = errors.New("kb: not found")

// ErrConflict means the change clashes with the current state (a duplicate title, a reviewed suggestion).
var ErrConflict = errors.New("kb: conflict")

// Article is one help-centre entry.
type Article struct {
	ID        int64     `json:"id"`
	Title     string    `json:"title"`
	Body      string    `json:"body"`
	Language  string    `json:"language"`
	Status    string    `json:"status"`
	Tags      []string  `json:"tags"`
	Questions []string  `json:"questions"`
	Source    string    `json:"source"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	// Version is the number of the current entry in the article's history.
	Version int `json:"version"`
}

// ArticleInput is what an editor or an import supplies.
type ArticleInput struct {
	Title     string   `json:"title"`
	Body      string   `json:"body"`
	Language  string   `json:"language"`
	Questions []string `json:"questions"`
	Tags      []string `json:"tags"`
	Status    string   `json:"status"`
}

// Limits on article fields.
const (
	MaxTitleLen     = 300
	MaxBodyLen      = 50000
	MaxQuestions    = 50
	MaxQuestionLen  = 500
	MaxTags         = 20
	maxTagLen       = 50
	defaultLanguage = "en"
)

// Normalize trims the input, fills defaults and reports the first invalid field.
func (in *ArticleInput) Normalize() error {
	in.Title = strings.TrimSpace(in.Title)
	in.Body = strings.TrimSpace(in.Body)
	in.Language = strings.TrimSpace(strings.ToLower(in.Language))
	if in.Language == "" {
		in.Language = DetectLanguage(in.Title + " " + in.Body)
	}
	if in.Status == "" {
		in.Status = StatusDraft
	}
	switch {
	case in.Title == "":
		return errors.New("title is required")
	case utf8.RuneCountInString(in.Title) > MaxTitleLen:
		return fmt.Errorf("title is longer than %d characters", MaxTitleLen)
	case in.Body == "":
		return errors.New("body is required")
	case utf8.RuneCountInString(in.Body) > MaxBodyLen:
		return fmt.Errorf("body is longer than %d characters", MaxBodyLen)
	case in.Language != "zh" && in.Language != "en":
		return fmt.Errorf("language must be zh or en, got %q", in.Language)
	case in.Status != StatusDraft && in.Status != StatusPublished && in.Status != StatusArchived:
		return fmt.Errorf("status must be draft, published or archived, got %q", in.Status)
	case len(in.Questions) > MaxQuestions:
		return fmt.Errorf("at most %d questions", MaxQuestions)
	case len(in.Tags) > MaxTags:
		return fmt.Errorf("at most %d tags", MaxTags)
	}
	qs := make([]string, 0, len(in.Questions))
	for _, q := range in.Questions {
		q = strings.TrimSpace(q)
		if q == "" {
			continue
		}
		if utf8.RuneCountInString(q) > MaxQuestionLen {
			return fmt.Errorf("question longer than %d characters", MaxQuestionLen)
		}
		qs = append(qs, q)
	}
	in.Questions = qs
	tags := make([]string, 0, len(in.Tags))
	for _, t := range in.Tags {
		t = strings.TrimSpace(strings.ToLower(t))
		if t == "" {
			continue
		}
		if len(t) > maxTagLen {
			return fmt.Errorf("tag longer than %d characters", maxTagLen)
		}
		tags = append(tags, t)
	}
	in.Tags = tags
	return nil
}

// DetectLanguage says zh when a text has a real share of Chinese characters, else en.
func DetectLanguage(text string) string {
	var han, letters int
	for _, r := range text {
		switch {
		case r >= 0x4E00 && r <= 0x9FFF, r >= 0x3400 && r <= 0x4DBF:
			han++
		case r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'):
			letters++
		}
	}
	// One Chinese character carries about as much as a short English word.
	if han > 0 && han*3 >= letters {
		return "zh"
	}
	return defaultLanguage
}
