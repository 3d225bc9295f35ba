// Package compliance keeps the banned-phrase rules and checks text against them before it reaches
// a customer: agents' replies, the bot's answers, the bot definition's templates and published
// knowledge-base articles. A hit is logged in compliance_hits (what matched, where, what happened).
package compliance

import (
	"errors"
	"fmt"
	"regexp"
	"regexp/syntax"
	"strings"
	"time"
	"unicode/utf8"
)

// Match kinds, languages and actions a rule may have.
const (
	MatchContains = "contains"
	MatchWord     = "word"
	MatchRegex    = "regex"

	ActionBlock = "block"
	ActionWarn  = "warn"

	LangAny = "any"
)

// Limits on a rule's fields.
const (
	MaxPhraseLen     = 200
	MaxExceptions    = 50
	MaxNoteLen       = 500
	maxRegexProgram  = 2000 // compiled instructions: keeps every check cheap
	DefaultHitsLimit = 100
)

// ErrNotFound is a rule that does not exist.
var ErrNotFound = errors.New("compliance: not found")

// Rule is one banned phrase.
type Rule struct {
	ID         int64     `json:"id"`
	Phrase     string    `json:"phrase"`
	Language   string    `json:"language"`
	Match      string    `json:"match"`
	Action     string    `json:"action"`
	Exceptions []string  `json:"exceptions"`
	Note       string    `json:"note"`
	Active     bool      `json:"active"`
	CreatedBy  *int64    `json:"created_by,omitempty"`
	CreatedAt  time.Time `json:"created_at"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// RuleInput is what an admin writes; zero values take the defaults (any, contains, block, active).
type RuleInput struct {
	Phrase     string   `json:"phrase"`
	Language   string   `json:"language"`
	Match      string   `json:"match"`
	Action     string   `json:"action"`
	Exceptions []string `json:"exceptions"`
	Note       string   `json:"note"`
	Active     *bool    `json:"active"`
}

// Normalize trims, fills defaults and validates; the error says what is wrong in words an admin
// understands.
func (in *RuleInput) Normalize() error {
	in.Phrase = strings.TrimSpace(in.Phrase)
	if in.Language == "" {
		in.Language = LangAny
	}
	if in.Match == "" {
		in.Match = MatchContains
	}
	if in.Action == "" {
		in.Action = ActionBlock
	}
	if in.Active == nil {
		t := true
		in.Active = &t
	}
	in.Note = strings.TrimSpace(in.Note)
	switch {
	case in.Phrase == "":
		return errors.New("phrase is required")
	case utf8.RuneCountInString(in.Phrase) > MaxPhraseLen:
		return fmt.Errorf("phrase must be at most %d characters", MaxPhraseLen)
	case in.Language != "zh" && in.Language != "en" && in.Language != LangAny:
		return errors.New("language must be zh, en or any")
	case in.Match != MatchContains && in.Match != MatchWord && in.Match != MatchRegex:
		return errors.New("match must be contains, word or regex")
	case in.Action != ActionBlock && in.Action != ActionWarn:
		return errors.New("action must be block or warn")
	case utf8.RuneCountInString(in.Note) > MaxNoteLen:
		return fmt.Errorf("note must be at most %d characters", MaxNoteLen)
	case len(in.Exceptions) > MaxExceptions:
		return fmt.Errorf("at most %d exceptions", MaxExceptions)
	}
	ex := make([]string, 0, len(in.Exceptions))
	seen := map[string]bool{}
	for _, e := range in.Exceptions {
		e = strings.TrimSpace(e)
		if e == "" || seen[e] {
			continue
		}
		if utf8.RuneCountInString(e) > MaxPhraseLen {
			return fmt.Errorf("each exception must be at most %d characters", MaxPhraseLen)
		}
		seen[e] = true
		ex = append(ex, e)
	}
	in.Exceptions = ex
	if in.Match == MatchRegex {
		if _, err := compileRegex(in.Phrase); err != nil {
			return err
		}
	}
	return nil
}

// compileRegex compiles a rule's pattern case-insensitively; a pattern that matches empty text
// (it would flag everything) or is too complex is refused.
func compileRegex(p string) (*regexp.Regexp, error) {
	re, err := regexp.Compile("(?i)" + p)
	if err != nil {
		msg := err.Error()
		msg = strings.TrimPrefix(msg, "error parsing regexp: ")
		return nil, fmt.Errorf("the regular expression does not compile: %s", msg)
	}
	if re.MatchString("") {
		return nil, errors.New("the regular expression matches empty text; it must match a phrase")
	}
	if parsed, err := syntax.Parse("(?i)"+p, syntax.Perl); err == nil {
		if prog, err := syntax.Compile(parsed.Simplify()); err == nil && len(prog.Inst) > maxRegexProgram {
			return nil, errors.New("the regular expression is too complex")
		}
	}
	return re, nil
}
