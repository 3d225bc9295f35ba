// Package slots: TEMPORARY stand-in for the extractors being built on branch slot-extractors.
package slots

import (
	"errors"
	"regexp"
	"strings"
	"time"
)

type Kind string
type EnumValue struct {
	Value    string   `yaml:"value" json:"value"`
	Synonyms []string `yaml:"synonyms" json:"synonyms"`
}
type Spec struct {
	Name    string      `yaml:"name" json:"name"`
	Kind    Kind        `yaml:"type" json:"type"`
	Pattern string      `yaml:"pattern,omitempty" json:"pattern,omitempty"`
	Values  []EnumValue `yaml:"values,omitempty" json:"values,omitempty"`
	Min     *float64    `yaml:"min,omitempty" json:"min,omitempty"`
	Max     *float64    `yaml:"max,omitempty" json:"max,omitempty"`
	Future  bool        `yaml:"future,omitempty" json:"future,omitempty"`
	MinLen  int         `yaml:"min_length,omitempty" json:"min_length,omitempty"`
}
type Env struct {
	Now  time.Time
	Loc  *time.Location
	Lang string
}
type Match struct {
	Value      string
	Raw        string
	Start, End int
}
type Reason struct{ Code, ZH, EN string }

func (r Reason) In(lang string) string {
	if lang == "zh" {
		return r.ZH
	}
	return r.EN
}

type Invalid struct {
	Raw    string
	Reason Reason
}
type Result struct {
	Matches []Match
	Invalid []Invalid
}
type Extractor interface {
	Spec() Spec
	Extract(text string, env Env) Result
}
type ext struct {
	s  Spec
	re *regexp.Regexp
}

func New(s Spec) (Extractor, error) {
	e := &ext{s: s}
	switch s.Kind {
	case "order_id":
		p := s.Pattern
		if p == "" {
			p = `[A-Z]\d{7}`
		}
		e.re = regexp.MustCompile(`(?i)\b` + p + `\b`)
	case "enum":
		if len(s.Values) == 0 {
			return nil, errors.New("enum without values")
		}
	case "text", "phone", "email", "date", "time", "datetime", "money", "number":
	default:
		return nil, errors.New("unknown kind " + string(s.Kind))
	}
	return e, nil
}
func (e *ext) Spec() Spec { return e.s }
func (e *ext) Extract(text string, env Env) Result {
	var r Result
	switch e.s.Kind {
	case "order_id":
		for _, ix := range e.re.FindAllStringIndex(text, -1) {
			r.Matches = append(r.Matches, Match{strings.ToUpper(text[ix[0]:ix[1]]), text[ix[0]:ix[1]], ix[0], ix[1]})
		}
		if len(r.Matches) == 0 && regexp.MustCompile(`\d{4,}`).MatchString(text) {
			r.Invalid = append(r.Invalid, Invalid{Raw: text, Reason: Reason{"pattern", "订单号格式不对,应为1个字母加7位数字,例如 A1234567", "That order number doesn't look right: one letter and 7 digits, e.g. A1234567"}})
		}
	case "enum":
		l := strings.ToLower(text)
		for _, v := range e.s.Values {
			for _, syn := range append([]string{v.Value}, v.Synonyms...) {
				if i := strings.Index(l, strings.ToLower(syn)); i >= 0 {
					r.Matches = append(r.Matches, Match{v.Value, text[i : i+len(syn)], i, i + len(syn)})
					return r
				}
			}
		}
	case "text":
		t := strings.TrimSpace(text)
		if len([]rune(t)) < e.s.MinLen {
			r.Invalid = append(r.Invalid, Invalid{Raw: t, Reason: Reason{"too_short", "内容太短", "That's too short"}})
		} else if t != "" {
			r.Matches = append(r.Matches, Match{t, t, 0, len(text)})
		}
	}
	return r
}

func ExtractAll(text string, env Env, exts []Extractor) map[string]Result {
	out := map[string]Result{}
	for _, e := range exts {
		out[e.Spec().Name] = e.Extract(text, env)
	}
	return out
}
