package evals

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// A Suite is a file of conversation cases: what customers say, turn by turn, and what the bot
// must do in answer. The format is documented in docs/eval-suites.md, with a JSON Schema in
// docs/eval-suite.schema.json.
type Suite struct {
	Name        string `yaml:"name" json:"name"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Bot is a bot definition file, relative to the suite file; "" means the built-in demo bot.
	Bot string `yaml:"bot,omitempty" json:"bot,omitempty"`
	// KB is a JSONL file of articles (the format of `baton kb import`), relative to the suite
	// file; "" means the built-in demo knowledge base.
	KB string `yaml:"kb,omitempty" json:"kb,omitempty"`
	// Language is the default language of the cases (zh or en); default zh.
	Language string `yaml:"language,omitempty" json:"language,omitempty"`
	// Tags are added to every case's tags.
	Tags  []string `yaml:"tags,omitempty" json:"tags,omitempty"`
	Cases []Case   `yaml:"cases" json:"cases"`

	// Path is the suite file; BotPath and KBPath are Bot and KB resolved against its folder.
	Path    string `yaml:"-" json:"path"`
	BotPath string `yaml:"-" json:"-"`
	KBPath  string `yaml:"-" json:"-"`
}

// Case is one conversation.
type Case struct {
	Name     string    `yaml:"name" json:"name"`
	Tags     []string  `yaml:"tags,omitempty" json:"tags,omitempty"`
	Language string    `yaml:"language,omitempty" json:"language,omitempty"`
	Customer *Customer `yaml:"customer,omitempty" json:"customer,omitempty"`
	Turns    []Turn    `yaml:"turns" json:"turns"`
	// ExpectEnd is checked after the last turn.
	ExpectEnd *EndExpect `yaml:"expect_end,omitempty" json:"expect_end,omitempty"`
	Line      int        `yaml:"-" json:"line"`
}

// Customer is the test customer's profile.
type Customer struct {
	Name string `yaml:"name,omitempty" json:"name,omitempty"`
	// VIP is shorthand for VIPTier "gold".
	VIP     bool   `yaml:"vip,omitempty" json:"vip,omitempty"`
	VIPTier string `yaml:"vip_tier,omitempty" json:"vip_tier,omitempty"`
}

// Tier is the customer's VIP tier, "" for none.
func (c *Customer) Tier() string {
	if c == nil {
		return ""
	}
	if c.VIPTier != "" {
		return c.VIPTier
	}
	if c.VIP {
		return "gold"
	}
	return ""
}

// Turn is one customer message and what must hold after the bot's answer.
type Turn struct {
	User   string  `yaml:"user" json:"user"`
	Expect *Expect `yaml:"expect,omitempty" json:"expect,omitempty"`
	Line   int     `yaml:"-" json:"line"`
}

// Expect lists the checks of one turn; every field is optional.
type Expect struct {
	// Intent the bot understood; "oos" means out of scope (no intent).
	Intent string `yaml:"intent,omitempty" json:"intent,omitempty"`
	// AnswerContains: every string appears in the bot's replies (case-insensitive).
	AnswerContains []string `yaml:"answer_contains,omitempty" json:"answer_contains,omitempty"`
	// AnswerNotContains: none of these appears.
	AnswerNotContains []string `yaml:"answer_not_contains,omitempty" json:"answer_not_contains,omitempty"`
	// Cites is the title of an article the replies must cite.
	Cites string `yaml:"cites,omitempty" json:"cites,omitempty"`
	// Handoff: whether the turn hands off, and optionally why and to which queue.
	Handoff *HandoffExpect `yaml:"handoff,omitempty" json:"handoff,omitempty"`
	// AsksFor is the slot the reply asks for.
	AsksFor string `yaml:"asks_for,omitempty" json:"asks_for,omitempty"`
	// Slots hold these values after the turn.
	Slots map[string]string `yaml:"slots,omitempty" json:"slots,omitempty"`
	// Kind of the bot's last reply: answer, reply, ask, reask, confirm, clarify, switch, action,
	// cancelled, dont_know or handoff.
	Kind string `yaml:"kind,omitempty" json:"kind,omitempty"`
	// Reference is a model answer an LLM judge grades the reply against (only with --judge).
	Reference string `yaml:"reference,omitempty" json:"reference,omitempty"`
}

// HandoffExpect is `handoff: true|false` or `handoff: {reason: …, skill: …, priority: …}` (the
// mapping form implies true).
type HandoffExpect struct {
	Want     bool   `json:"want"`
	Reason   string `json:"reason,omitempty"`
	Skill    string `json:"skill,omitempty"`
	Priority *int   `json:"priority,omitempty"`
}

// EndExpect is checked when the case's turns are done.
type EndExpect struct {
	// ResolvedByBot: true = no handoff happened in the whole case; false = one did.
	ResolvedByBot *bool `yaml:"resolved_by_bot,omitempty" json:"resolved_by_bot,omitempty"`
	// Status of the conversation at the end: bot, queued, assigned or resolved.
	Status string `yaml:"status,omitempty" json:"status,omitempty"`
}

// HandoffReasons are the reasons a bot hands off (see bot.HandoffRequest).
var HandoffReasons = []string{"human_request", "complaint", "negative_sentiment", "low_confidence", "vip",
	"action_failed", "retries_exhausted", "intent_rule"}

var replyKinds = []string{"answer", "reply", "ask", "reask", "confirm", "clarify", "switch", "action",
	"cancelled", "dont_know", "handoff"}

// UnmarshalYAML takes a boolean or a mapping with reason, skill and priority.
func (h *HandoffExpect) UnmarshalYAML(n *yaml.Node) error {
	switch n.Kind {
	case yaml.ScalarNode:
		var b bool
		if err := n.Decode(&b); err != nil {
			return lineErr(n.Line, "handoff must be true, false or a mapping with reason/skill/priority")
		}
		*h = HandoffExpect{Want: b}
		return nil
	case yaml.MappingNode:
		*h = HandoffExpect{Want: true}
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			switch k.Value {
			case "reason":
				h.Reason = v.Value
			case "skill":
				h.Skill = v.Value
			case "priority":
				p, err := strconv.Atoi(v.Value)
				if err != nil {
					return lineErr(v.Line, "handoff.priority must be a whole number")
				}
				h.Priority = &p
			default:
				return lineErr(k.Line, fmt.Sprintf("unknown key %q in handoff (reason, skill, priority)", k.Value))
			}
		}
		return nil
	}
	return lineErr(n.Line, "handoff must be true, false or a mapping with reason/skill/priority")
}

// UnmarshalYAML records the case's line.
func (c *Case) UnmarshalYAML(n *yaml.Node) error {
	type plain Case
	var p plain
	if err := decodeStrict(n, &p); err != nil {
		return err
	}
	*c = Case(p)
	c.Line = n.Line
	return nil
}

// UnmarshalYAML records the turn's line.
func (t *Turn) UnmarshalYAML(n *yaml.Node) error {
	type plain Turn
	var p plain
	if err := decodeStrict(n, &p); err != nil {
		return err
	}
	*t = Turn(p)
	t.Line = n.Line
	return nil
}

// UnmarshalYAML lets answer_contains and answer_not_contains be one string or a list.
func (e *Expect) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			k, v := n.Content[i], n.Content[i+1]
			if (k.Value == "answer_contains" || k.Value == "answer_not_contains") && v.Kind == yaml.ScalarNode {
				n.Content[i+1] = &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Line: v.Line, Column: v.Column, Content: []*yaml.Node{v}}
			}
		}
	}
	type plain Expect
	var p plain
	if err := decodeStrict(n, &p); err != nil {
		return err
	}
	*e = Expect(p)
	return nil
}

// decodeStrict decodes a node refusing unknown keys: Node.Decode does not inherit the
// decoder's KnownFields, so the check is done here against the struct's yaml tags.
func decodeStrict(n *yaml.Node, v any) error {
	if n.Kind == yaml.MappingNode {
		known := yamlKeys(v)
		for i := 0; i+1 < len(n.Content); i += 2 {
			k := n.Content[i]
			if !known[k.Value] {
				return lineErr(k.Line, fmt.Sprintf("unknown key %q", k.Value))
			}
		}
	}
	return n.Decode(v)
}

// lineErr is an error the YAML decoder reports with its line.
type suiteLineError struct {
	line int
	msg  string
}

func (e *suiteLineError) Error() string { return fmt.Sprintf("line %d: %s", e.line, e.msg) }

func lineErr(line int, msg string) error { return &suiteLineError{line: line, msg: msg} }

// SuiteError is a problem in a suite file, with its line when known.
type SuiteError struct {
	File string
	Line int
	Msg  string
}

func (e *SuiteError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
	}
	return fmt.Sprintf("%s: %s", e.File, e.Msg)
}

var (
	yamlLine       = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)
	yamlUnknownKey = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
)

func asSuiteError(file string, err error) *SuiteError {
	var le *suiteLineError
	if errors.As(err, &le) {
		return &SuiteError{File: file, Line: le.line, Msg: le.msg}
	}
	msg := err.Error()
	var te *yaml.TypeError
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	se := &SuiteError{File: file, Msg: strings.TrimPrefix(msg, "yaml: ")}
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		se.Line, _ = strconv.Atoi(m[1])
		se.Msg = m[2]
	}
	if m := yamlUnknownKey.FindStringSubmatch(se.Msg); m != nil {
		se.Msg = fmt.Sprintf("unknown key %q", m[1])
	}
	return se
}

// ParseSuite reads one suite. file names it in errors and resolves its bot and kb paths.
func ParseSuite(file string, src []byte) (*Suite, error) {
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	var s Suite
	if err := dec.Decode(&s); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, &SuiteError{File: file, Msg: "empty suite file"}
		}
		return nil, asSuiteError(file, err)
	}
	s.Path = file
	if err := s.validate(src); err != nil {
		return nil, err
	}
	dir := filepath.Dir(file)
	if s.Bot != "" {
		s.BotPath = filepath.Join(dir, s.Bot)
		if _, err := os.Stat(s.BotPath); err != nil {
			return nil, &SuiteError{File: file, Line: keyLine(src, "bot"), Msg: fmt.Sprintf("bot definition %s: %v", s.Bot, errors.Unwrap(err))}
		}
	}
	if s.KB != "" {
		s.KBPath = filepath.Join(dir, s.KB)
		if _, err := os.Stat(s.KBPath); err != nil {
			return nil, &SuiteError{File: file, Line: keyLine(src, "kb"), Msg: fmt.Sprintf("knowledge base %s: %v", s.KB, errors.Unwrap(err))}
		}
	}
	return &s, nil
}

// keyLine finds a top-level key's line for errors found after decoding.
func keyLine(src []byte, key string) int {
	for i, l := range strings.Split(string(src), "\n") {
		if strings.HasPrefix(l, key+":") {
			return i + 1
		}
	}
	return 0
}

func (s *Suite) validate(src []byte) error {
	bad := func(line int, format string, a ...any) error {
		return &SuiteError{File: s.Path, Line: line, Msg: fmt.Sprintf(format, a...)}
	}
	if strings.TrimSpace(s.Name) == "" {
		return bad(1, "the suite needs a name")
	}
	if s.Language == "" {
		s.Language = "zh"
	}
	if s.Language != "zh" && s.Language != "en" {
		return bad(keyLine(src, "language"), "language must be zh or en, not %q", s.Language)
	}
	if len(s.Cases) == 0 {
		return bad(keyLine(src, "cases"), "the suite has no cases")
	}
	names := map[string]int{}
	for i := range s.Cases {
		c := &s.Cases[i]
		if strings.TrimSpace(c.Name) == "" {
			return bad(c.Line, "case %d has no name", i+1)
		}
		if prev, dup := names[c.Name]; dup {
			return bad(c.Line, "case name %q is used twice (first at line %d)", c.Name, prev)
		}
		names[c.Name] = c.Line
		if c.Language == "" {
			c.Language = s.Language
		}
		if c.Language != "zh" && c.Language != "en" {
			return bad(c.Line, "case %q: language must be zh or en", c.Name)
		}
		c.Tags = append(append([]string(nil), s.Tags...), c.Tags...)
		if len(c.Turns) == 0 {
			return bad(c.Line, "case %q has no turns", c.Name)
		}
		for _, t := range c.Turns {
			if strings.TrimSpace(t.User) == "" {
				return bad(t.Line, "case %q: a turn needs a user message", c.Name)
			}
			if e := t.Expect; e != nil {
				if e.Kind != "" && !contains(replyKinds, e.Kind) {
					return bad(t.Line, "case %q: kind %q is not one of %s", c.Name, e.Kind, strings.Join(replyKinds, ", "))
				}
				if h := e.Handoff; h != nil && h.Reason != "" && !contains(HandoffReasons, h.Reason) {
					return bad(t.Line, "case %q: handoff reason %q is not one of %s", c.Name, h.Reason, strings.Join(HandoffReasons, ", "))
				}
			}
		}
		if e := c.ExpectEnd; e != nil && e.Status != "" && !contains([]string{"bot", "queued", "assigned", "resolved"}, e.Status) {
			return bad(c.Line, "case %q: expect_end.status must be bot, queued, assigned or resolved", c.Name)
		}
	}
	return nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// LoadSuites reads suite files and folders (every *.yaml and *.yml below them, in name order).
// Every broken file is reported, joined into one error.
func LoadSuites(paths ...string) ([]*Suite, error) {
	var files []string
	for _, p := range paths {
		st, err := os.Stat(p)
		if err != nil {
			return nil, err
		}
		if !st.IsDir() {
			files = append(files, p)
			continue
		}
		var found []string
		err = filepath.WalkDir(p, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && (strings.HasSuffix(path, ".yaml") || strings.HasSuffix(path, ".yml")) {
				found = append(found, path)
			}
			return nil
		})
		if err != nil {
			return nil, err
		}
		if len(found) == 0 {
			return nil, fmt.Errorf("%s: no *.yaml suite files", p)
		}
		sort.Strings(found)
		files = append(files, found...)
	}
	var suites []*Suite
	var errs []error
	names := map[string]string{}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		s, err := ParseSuite(f, src)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if other, dup := names[s.Name]; dup {
			errs = append(errs, &SuiteError{File: f, Line: 1, Msg: fmt.Sprintf("suite name %q is also used by %s", s.Name, other)})
			continue
		}
		names[s.Name] = f
		suites = append(suites, s)
	}
	return suites, errors.Join(errs...)
}

// yamlKeys lists the yaml keys of the struct v points to.
func yamlKeys(v any) map[string]bool {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	keys := map[string]bool{}
	for i := 0; i < t.NumField(); i++ {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("yaml"), ",")
		if name != "" && name != "-" {
			keys[name] = true
		}
	}
	return keys
}
