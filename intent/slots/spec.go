package slots

import (
	"fmt"
	"regexp"
	"strings"
)

// Kind is what a slot holds; it picks the extractor.
type Kind string

// Slot kinds.
const (
	KindOrderID  Kind = "order_id"
	KindPhone    Kind = "phone"
	KindEmail    Kind = "email"
	KindDate     Kind = "date"
	KindTime     Kind = "time"
	KindDateTime Kind = "datetime"
	KindMoney    Kind = "money"
	KindNumber   Kind = "number"
	KindEnum     Kind = "enum"
	KindText     Kind = "text"
)

// DefaultOrderPattern is the order_id pattern used when a Spec gives none: one to three letters
// then six to twelve digits (A1234567, JD20261121001), matched case-insensitively.
const DefaultOrderPattern = `[A-Z]{1,3}\d{6,12}`

// EnumValue is one choice of an enum slot and the words (zh and en) customers use for it.
type EnumValue struct {
	Value    string   `yaml:"value" json:"value"`
	Synonyms []string `yaml:"synonyms" json:"synonyms"`
}

// Hint describes a slot's expected format in both languages; it goes into re-ask reasons.
type Hint struct {
	ZH string `yaml:"zh,omitempty" json:"zh,omitempty"`
	EN string `yaml:"en,omitempty" json:"en,omitempty"`
}

// Spec is a slot as a bot definition declares it.
type Spec struct {
	Name    string      `yaml:"name" json:"name"`
	Kind    Kind        `yaml:"type" json:"type"`
	Pattern string      `yaml:"pattern,omitempty" json:"pattern,omitempty"` // order_id, text: the canonical value must match it whole
	Example string      `yaml:"example,omitempty" json:"example,omitempty"` // order_id, text: a valid value for reasons; derived from Pattern when empty
	Hint    Hint        `yaml:"hint,omitempty" json:"hint,omitempty"`
	Values  []EnumValue `yaml:"values,omitempty" json:"values,omitempty"` // enum
	Min     *float64    `yaml:"min,omitempty" json:"min,omitempty"`       // number, money
	Max     *float64    `yaml:"max,omitempty" json:"max,omitempty"`       // number, money
	// Currency is the ISO code for a money amount written without one ("退款199"); CNY when empty.
	Currency string `yaml:"currency,omitempty" json:"currency,omitempty"`
	Future   bool   `yaml:"future,omitempty" json:"future,omitempty"`         // date, datetime: not before today / now
	MinLen   int    `yaml:"min_length,omitempty" json:"min_length,omitempty"` // text, in characters
	MaxLen   int    `yaml:"max_length,omitempty" json:"max_length,omitempty"` // text, in characters; 0 is no limit
	// Keywords mark a nearby token as an attempt at an order_id even when it does not match
	// ("订单号 12345"); defaults cover order numbers in zh and en.
	Keywords []string `yaml:"keywords,omitempty" json:"keywords,omitempty"`
}

// New checks spec and returns its extractor. Mistakes a bot author can make (unknown kind, bad
// pattern, enum without values, bounds on the wrong kind) are errors here rather than silent
// misses at run time.
func New(spec Spec) (Extractor, error) {
	if strings.TrimSpace(spec.Name) == "" {
		return nil, fmt.Errorf("slots: spec without a name")
	}
	fail := func(format string, a ...any) error {
		return fmt.Errorf("slots: slot %q: %s", spec.Name, fmt.Sprintf(format, a...))
	}
	if spec.Pattern != "" && spec.Kind != KindOrderID && spec.Kind != KindText {
		return nil, fail("pattern applies to order_id and text only, not %q", spec.Kind)
	}
	if (spec.Min != nil || spec.Max != nil) && spec.Kind != KindNumber && spec.Kind != KindMoney {
		return nil, fail("min/max apply to number and money only, not %q", spec.Kind)
	}
	if spec.Min != nil && spec.Max != nil && *spec.Min > *spec.Max {
		return nil, fail("min %v is above max %v", *spec.Min, *spec.Max)
	}
	if spec.Future && spec.Kind != KindDate && spec.Kind != KindDateTime {
		return nil, fail("future applies to date and datetime only, not %q", spec.Kind)
	}
	if (spec.MinLen != 0 || spec.MaxLen != 0) && spec.Kind != KindText {
		return nil, fail("min_length/max_length apply to text only, not %q", spec.Kind)
	}
	if spec.MinLen < 0 || spec.MaxLen < 0 || spec.MaxLen != 0 && spec.MaxLen < spec.MinLen {
		return nil, fail("bad length bounds %d..%d", spec.MinLen, spec.MaxLen)
	}
	if spec.Currency != "" && (spec.Kind != KindMoney || !regexp.MustCompile(`^[A-Z]{3}$`).MatchString(spec.Currency)) {
		return nil, fail("currency %q: want a three-letter ISO code on a money slot", spec.Currency)
	}
	if len(spec.Values) > 0 && spec.Kind != KindEnum {
		return nil, fail("values apply to enum only, not %q", spec.Kind)
	}
	switch spec.Kind {
	case KindOrderID:
		return newOrderID(spec, fail)
	case KindPhone:
		return phoneExtractor{spec}, nil
	case KindEmail:
		return emailExtractor{spec}, nil
	case KindDate:
		return dateExtractor{spec}, nil
	case KindTime:
		return timeExtractor{spec}, nil
	case KindDateTime:
		return dateTimeExtractor{spec}, nil
	case KindMoney:
		return moneyExtractor{spec}, nil
	case KindNumber:
		return numberExtractor{spec}, nil
	case KindEnum:
		return newEnum(spec, fail)
	case KindText:
		return newText(spec, fail)
	case "":
		return nil, fail("no type")
	}
	return nil, fail("unknown type %q", spec.Kind)
}

// compilePattern anchors pattern and makes it case-insensitive, as canonical values are
// compared upper-cased but authors may write either case.
func compilePattern(pattern string) (*regexp.Regexp, error) {
	return regexp.Compile(`(?i)^(?:` + pattern + `)$`)
}
