package bot

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/baton-cs/baton/intent/slots"
)

// Definition is a bot: its intents with their examples, the slots a task needs, what happens when
// they are filled, and when to hand off. It is written in YAML (docs/bot-definition.md).
type Definition struct {
	Name        string   `yaml:"name" json:"name"`
	Description string   `yaml:"description,omitempty" json:"description,omitempty"`
	Settings    Settings `yaml:"settings,omitempty" json:"settings"`
	Intents     []Intent `yaml:"intents" json:"intents"`
	// OutOfScope are messages the bot must not take for any intent, by language. They are not a
	// class: they only tune the threshold below which the bot does not guess.
	OutOfScope map[string][]string `yaml:"out_of_scope,omitempty" json:"out_of_scope,omitempty"`
}

// Settings tune the bot's judgement. Zero values take the documented defaults.
type Settings struct {
	// Threshold is the lowest calibrated intent probability the bot acts on; 0 takes the value the
	// classifier tuned on held-out folds of the examples.
	Threshold float64 `yaml:"threshold,omitempty" json:"threshold,omitempty"`
	// AmbiguityMargin: when the two best intents are closer than this, the bot asks which is meant.
	AmbiguityMargin float64 `yaml:"ambiguity_margin,omitempty" json:"ambiguity_margin,omitempty"`
	// MaxLowConfidence unanswered turns in a row hand off with low_confidence (default 2).
	MaxLowConfidence int `yaml:"max_low_confidence,omitempty" json:"max_low_confidence,omitempty"`
	// MaxRetries invalid answers to one slot hand off with retries_exhausted (default 2 re-asks).
	MaxRetries int `yaml:"max_retries,omitempty" json:"max_retries,omitempty"`
	// DefaultSkill is the queue for handoffs whose intent names none (default "general").
	DefaultSkill string `yaml:"default_skill,omitempty" json:"default_skill,omitempty"`
	// Timezone for relative dates such as 明天 or next Monday (default Asia/Shanghai).
	Timezone string `yaml:"timezone,omitempty" json:"timezone,omitempty"`
	// VIPHandoff: "always" (a VIP customer goes to a person at once), "unanswered" (default: a VIP is
	// handed off the first time the bot cannot answer, instead of being told it doesn't know), "never".
	VIPHandoff string `yaml:"vip_handoff,omitempty" json:"vip_handoff,omitempty"`
	// VIPPriority is added to a VIP customer's handoff priority (default 15).
	VIPPriority int `yaml:"vip_priority,omitempty" json:"vip_priority,omitempty"`
	// SentimentHandoff hands off on strongly negative messages (default true).
	SentimentHandoff *bool `yaml:"sentiment_handoff,omitempty" json:"sentiment_handoff,omitempty"`
}

// Text is something the bot says, in Chinese and English. A plain YAML string serves both.
type Text struct {
	ZH string `yaml:"zh,omitempty" json:"zh,omitempty"`
	EN string `yaml:"en,omitempty" json:"en,omitempty"`
}

// UnmarshalYAML accepts "text" or {zh: ..., en: ...}.
func (t *Text) UnmarshalYAML(n *yaml.Node) error {
	if n.Kind == yaml.ScalarNode {
		t.ZH, t.EN = n.Value, n.Value
		return nil
	}
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("line %d: expected a string or {zh: ..., en: ...}", n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], n.Content[i+1]
		if v.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: %s must be a string", v.Line, k.Value)
		}
		switch k.Value {
		case "zh":
			t.ZH = v.Value
		case "en":
			t.EN = v.Value
		default:
			return fmt.Errorf("line %d: unknown language %q (use zh or en)", k.Line, k.Value)
		}
	}
	return nil
}

// In returns the text in lang, falling back to the other language.
func (t Text) In(lang string) string {
	if lang == "zh" && t.ZH != "" || t.EN == "" {
		return t.ZH
	}
	return t.EN
}

// IsZero reports an empty text.
func (t Text) IsZero() bool { return t.ZH == "" && t.EN == "" }

// Intent is one thing a customer may want.
type Intent struct {
	Name        string `yaml:"name" json:"name"`
	Label       Text   `yaml:"label,omitempty" json:"label,omitempty"`
	Description string `yaml:"description,omitempty" json:"description,omitempty"`
	// Examples by language: {zh: [...], en: [...]}.
	Examples map[string][]string `yaml:"examples" json:"examples"`
	Slots    []Slot              `yaml:"slots,omitempty" json:"slots,omitempty"`
	// KB: the intent is answered from the knowledge base (a FAQ).
	KB bool `yaml:"kb,omitempty" json:"kb,omitempty"`
	// Action runs when every required slot is filled (or at once for an intent without slots).
	Action  *Action      `yaml:"action,omitempty" json:"action,omitempty"`
	Handoff *HandoffRule `yaml:"handoff,omitempty" json:"handoff,omitempty"`
}

// Slot is one value a task needs.
type Slot struct {
	slots.Spec `yaml:",inline"`
	// Optional slots are asked once; the customer may skip them.
	Optional bool `yaml:"optional,omitempty" json:"optional,omitempty"`
	// Prompt asks for the slot.
	Prompt Text `yaml:"prompt" json:"prompt"`
}

// Action is what happens when a task's slots are complete.
type Action struct {
	// Confirm, when set, is asked (with slot values filled in) before the action runs.
	Confirm Text `yaml:"confirm,omitempty" json:"confirm,omitempty"`
	// HTTP calls a business system; its JSON response is available to Reply as {{result.…}}.
	HTTP *HTTPCall `yaml:"http,omitempty" json:"http,omitempty"`
	// Reply is said when the action succeeded, e.g. "订单 {{slots.order_id}}:{{result.status}}".
	Reply Text `yaml:"reply" json:"reply"`
}

// HTTPCall is a request to a business system.
type HTTPCall struct {
	Method  string            `yaml:"method,omitempty" json:"method,omitempty"`
	URL     string            `yaml:"url" json:"url"`
	Headers map[string]string `yaml:"headers,omitempty" json:"headers,omitempty"`
	// Body fields are sent as a JSON object; values are templates.
	Body    map[string]string `yaml:"body,omitempty" json:"body,omitempty"`
	Timeout Duration          `yaml:"timeout,omitempty" json:"timeout,omitempty"`
	// OnStatus maps an HTTP status to what to do instead of a handoff, e.g. 404 → re-ask order_id.
	OnStatus map[int]StatusRule `yaml:"on_status,omitempty" json:"on_status,omitempty"`
}

// StatusRule answers a business system's non-2xx status without handing off.
type StatusRule struct {
	Reply Text `yaml:"reply" json:"reply"`
	// Reask empties this slot and asks for it again (counts as an invalid try).
	Reask string `yaml:"reask,omitempty" json:"reask,omitempty"`
}

// HandoffRule says where an intent's handoffs go, and whether the intent always goes to a person.
type HandoffRule struct {
	Always   bool   `yaml:"always,omitempty" json:"always,omitempty"`
	Skill    string `yaml:"skill,omitempty" json:"skill,omitempty"`
	Priority int    `yaml:"priority,omitempty" json:"priority,omitempty"`
	// Reason for an always-handoff intent: complaint, human_request, or intent_rule (default).
	Reason string `yaml:"reason,omitempty" json:"reason,omitempty"`
	// Reply is said when handing off (default: the standard "connecting you to a person").
	Reply Text `yaml:"reply,omitempty" json:"reply,omitempty"`
}

// Duration is a time.Duration written as "3s" in YAML.
type Duration time.Duration

// UnmarshalYAML parses "500ms", "3s".
func (d *Duration) UnmarshalYAML(n *yaml.Node) error {
	v, err := time.ParseDuration(n.Value)
	if err != nil || v <= 0 {
		return fmt.Errorf("line %d: %q is not a duration such as 3s", n.Line, n.Value)
	}
	*d = Duration(v)
	return nil
}

// MarshalYAML writes "3s".
func (d Duration) MarshalYAML() (any, error) { return time.Duration(d).String(), nil }

// MarshalJSON writes "3s".
func (d Duration) MarshalJSON() ([]byte, error) {
	return []byte(`"` + time.Duration(d).String() + `"`), nil
}

// Defaults for Settings.
const (
	DefaultAmbiguityMargin  = 0.15
	DefaultMaxLowConfidence = 2
	DefaultMaxRetries       = 2
	DefaultVIPPriority      = 15
	DefaultHTTPTimeout      = 5 * time.Second
	maxExamplesPerIntent    = 2000
)

var (
	nameRe       = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)
	templateRe   = regexp.MustCompile(`\{\{\s*([a-zA-Z_][a-zA-Z0-9_.]*)\s*\}\}`)
	validReasons = map[string]bool{"complaint": true, "human_request": true, "intent_rule": true}
)

// DefinitionError is a problem in a bot definition, with the YAML line when known.
type DefinitionError struct {
	Line int
	Msg  string
}

func (e DefinitionError) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("line %d: %s", e.Line, e.Msg)
	}
	return e.Msg
}

// ParseDefinition reads and validates a YAML bot definition. Unknown keys are errors with their
// line; so are missing examples, unknown slot types, templates naming slots the intent lacks, and
// an HTTP action without a URL.
func ParseDefinition(src []byte) (*Definition, error) {
	if len(bytes.TrimSpace(src)) == 0 {
		return nil, DefinitionError{Msg: "the bot definition is empty"}
	}
	var def Definition
	dec := yaml.NewDecoder(bytes.NewReader(src))
	dec.KnownFields(true)
	if err := dec.Decode(&def); err != nil {
		return nil, yamlError(err)
	}
	var root yaml.Node
	_ = yaml.Unmarshal(src, &root)
	if err := def.validate(&root); err != nil {
		return nil, err
	}
	return &def, nil
}

// Checksum identifies a definition's source text.
func Checksum(src []byte) string {
	h := sha256.Sum256(src)
	return hex.EncodeToString(h[:8])
}

func (d *Definition) validate(root *yaml.Node) error {
	fail := func(line int, f string, a ...any) error {
		return DefinitionError{Line: line, Msg: fmt.Sprintf(f, a...)}
	}
	if strings.TrimSpace(d.Name) == "" {
		return fail(0, "name is required")
	}
	s := d.Settings
	if s.Threshold < 0 || s.Threshold >= 1 {
		return fail(lineOf(root, "settings", "threshold"), "settings.threshold must be in [0, 1)")
	}
	if s.AmbiguityMargin < 0 || s.AmbiguityMargin >= 1 {
		return fail(lineOf(root, "settings", "ambiguity_margin"), "settings.ambiguity_margin must be in [0, 1)")
	}
	if s.MaxLowConfidence < 0 || s.MaxRetries < 0 || s.VIPPriority < 0 {
		return fail(lineOf(root, "settings"), "settings: counts must not be negative")
	}
	switch s.VIPHandoff {
	case "", "always", "unanswered", "never":
	default:
		return fail(lineOf(root, "settings", "vip_handoff"), "settings.vip_handoff must be always, unanswered or never")
	}
	if s.Timezone != "" {
		if _, err := time.LoadLocation(s.Timezone); err != nil {
			return fail(lineOf(root, "settings", "timezone"), "settings.timezone: unknown time zone %q", s.Timezone)
		}
	}
	for lang, ex := range d.OutOfScope {
		if lang != "zh" && lang != "en" {
			return fail(lineOf(root, "out_of_scope"), "out_of_scope: unknown language %q (use zh or en)", lang)
		}
		for j, e := range ex {
			if strings.TrimSpace(e) == "" {
				return fail(lineOf(root, "out_of_scope", lang, j), "out_of_scope: empty example")
			}
		}
	}
	if len(d.Intents) < 2 {
		return fail(lineOf(root, "intents"), "a bot needs at least two intents")
	}
	seen := map[string]bool{}
	for i := range d.Intents {
		in := &d.Intents[i]
		line := lineOf(root, "intents", i)
		if !nameRe.MatchString(in.Name) {
			return fail(line, "intent name %q: use lower-case letters, digits and _ (starting with a letter)", in.Name)
		}
		if seen[in.Name] {
			return fail(line, "intent %q is defined twice", in.Name)
		}
		seen[in.Name] = true
		n := 0
		for lang, ex := range in.Examples {
			if lang != "zh" && lang != "en" {
				return fail(lineOf(root, "intents", i, "examples"), "intent %s: examples for unknown language %q (use zh or en)", in.Name, lang)
			}
			for j, e := range ex {
				if strings.TrimSpace(e) == "" {
					return fail(lineOf(root, "intents", i, "examples", lang, j), "intent %s: empty example", in.Name)
				}
			}
			n += len(ex)
		}
		if n < 2 {
			return fail(line, "intent %s needs at least two examples", in.Name)
		}
		if n > maxExamplesPerIntent {
			return fail(line, "intent %s has %d examples; at most %d", in.Name, n, maxExamplesPerIntent)
		}
		slotNames := map[string]bool{}
		for j := range in.Slots {
			sl := &in.Slots[j]
			sline := lineOf(root, "intents", i, "slots", j)
			if !nameRe.MatchString(sl.Name) {
				return fail(sline, "intent %s: slot name %q: use lower-case letters, digits and _", in.Name, sl.Name)
			}
			if slotNames[sl.Name] {
				return fail(sline, "intent %s: slot %s is defined twice", in.Name, sl.Name)
			}
			slotNames[sl.Name] = true
			if _, err := slots.New(sl.Spec); err != nil {
				return fail(sline, "intent %s: slot %s: %v", in.Name, sl.Name, err)
			}
			if sl.Prompt.IsZero() {
				return fail(sline, "intent %s: slot %s needs a prompt", in.Name, sl.Name)
			}
		}
		kinds := 0
		if in.KB {
			kinds++
		}
		if in.Action != nil {
			kinds++
		}
		if in.Handoff != nil && in.Handoff.Always {
			kinds++
		}
		if kinds != 1 {
			return fail(line, "intent %s must do exactly one of: kb: true, an action, or handoff: {always: true}", in.Name)
		}
		if len(in.Slots) > 0 && in.Action == nil {
			return fail(line, "intent %s has slots but no action to use them", in.Name)
		}
		if h := in.Handoff; h != nil {
			if h.Reason != "" && !validReasons[h.Reason] {
				return fail(lineOf(root, "intents", i, "handoff", "reason"), "intent %s: handoff reason must be complaint, human_request or intent_rule", in.Name)
			}
			if h.Priority < 0 || h.Priority > 100 {
				return fail(lineOf(root, "intents", i, "handoff", "priority"), "intent %s: handoff priority must be 0..100", in.Name)
			}
			if h.Skill != "" && !nameRe.MatchString(h.Skill) {
				return fail(lineOf(root, "intents", i, "handoff", "skill"), "intent %s: skill %q: use lower-case letters, digits and _", in.Name, h.Skill)
			}
		}
		if a := in.Action; a != nil {
			aline := lineOf(root, "intents", i, "action")
			if a.Reply.IsZero() {
				return fail(aline, "intent %s: action needs a reply", in.Name)
			}
			texts := []string{a.Reply.ZH, a.Reply.EN, a.Confirm.ZH, a.Confirm.EN}
			if h := a.HTTP; h != nil {
				if h.URL == "" {
					return fail(aline, "intent %s: http action needs a url", in.Name)
				}
				probe := templateRe.ReplaceAllString(h.URL, "x")
				if u, err := url.Parse(probe); err != nil || (u.Scheme != "http" && u.Scheme != "https" && !strings.HasPrefix(h.URL, "{{")) {
					return fail(aline, "intent %s: http url %q is not an http(s) URL", in.Name, h.URL)
				}
				switch strings.ToUpper(h.Method) {
				case "", "GET", "POST", "PUT", "PATCH", "DELETE":
				default:
					return fail(aline, "intent %s: http method %q", in.Name, h.Method)
				}
				texts = append(texts, h.URL)
				for _, v := range h.Body {
					texts = append(texts, v)
				}
				for code, r := range h.OnStatus {
					if code < 300 || code > 599 {
						return fail(aline, "intent %s: on_status %d: only non-2xx statuses", in.Name, code)
					}
					if r.Reask != "" && !slotNames[r.Reask] {
						return fail(aline, "intent %s: on_status %d re-asks unknown slot %q", in.Name, code, r.Reask)
					}
					texts = append(texts, r.Reply.ZH, r.Reply.EN)
				}
			}
			for _, t := range texts {
				for _, m := range templateRe.FindAllStringSubmatch(t, -1) {
					ref := m[1]
					if name, ok := strings.CutPrefix(ref, "slots."); ok && !slotNames[name] {
						return fail(aline, "intent %s: template names slot %q, which the intent does not have", in.Name, name)
					}
					root, _, _ := strings.Cut(ref, ".")
					switch root {
					case "slots", "result", "customer", "env":
					default:
						return fail(aline, "intent %s: template {{%s}}: use slots., result., customer. or env.", in.Name, ref)
					}
				}
			}
		}
	}
	return nil
}

// Intent returns the named intent, or nil.
func (d *Definition) Intent(name string) *Intent {
	for i := range d.Intents {
		if d.Intents[i].Name == name {
			return &d.Intents[i]
		}
	}
	return nil
}

// Slot returns the intent's named slot, or nil.
func (in *Intent) Slot(name string) *Slot {
	for i := range in.Slots {
		if in.Slots[i].Name == name {
			return &in.Slots[i]
		}
	}
	return nil
}

// IsTask reports an intent that gathers slots or runs an action.
func (in *Intent) IsTask() bool {
	return in.Action != nil && (len(in.Slots) > 0 || in.Action.HTTP != nil)
}

// isReply: the intent only says its reply (small talk: greetings, thanks).
func (in *Intent) isReply() bool {
	return !in.IsTask() && !in.KB && in.Action != nil && (in.Handoff == nil || !in.Handoff.Always)
}

// DisplayName is the intent's label in lang, else its name.
func (in *Intent) DisplayName(lang string) string {
	if l := in.Label.In(lang); l != "" {
		return l
	}
	return strings.ReplaceAll(in.Name, "_", " ")
}

// ExampleCount counts the intent's examples in every language.
func (in *Intent) ExampleCount() int {
	n := 0
	for _, ex := range in.Examples {
		n += len(ex)
	}
	return n
}

// Languages lists the languages the intent has examples in, sorted.
func (in *Intent) Languages() []string {
	var out []string
	for l, ex := range in.Examples {
		if len(ex) > 0 {
			out = append(out, l)
		}
	}
	sort.Strings(out)
	return out
}

// lineOf finds the line of a path of mapping keys (string) and sequence indexes (int) in a YAML
// document; it returns the deepest line found, 0 when the document is not a mapping.
func lineOf(root *yaml.Node, path ...any) int {
	n := root
	if n.Kind == yaml.DocumentNode && len(n.Content) > 0 {
		n = n.Content[0]
	}
	line := 0
	for _, p := range path {
		var next *yaml.Node
		switch k := p.(type) {
		case string:
			if n.Kind == yaml.MappingNode {
				for i := 0; i+1 < len(n.Content); i += 2 {
					if n.Content[i].Value == k {
						line = n.Content[i].Line
						next = n.Content[i+1]
						break
					}
				}
			}
		case int:
			if n.Kind == yaml.SequenceNode && k < len(n.Content) {
				next = n.Content[k]
				line = next.Line
			}
		}
		if next == nil {
			return line
		}
		n = next
	}
	return line
}

var errNoDefinition = errors.New("bot: no bot definition is loaded")
