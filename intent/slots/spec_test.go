package slots

import (
	"strings"
	"testing"
)

func TestNewRejectsBadSpecs(t *testing.T) {
	cases := []struct {
		spec Spec
		want string
	}{
		{Spec{Kind: KindNumber}, "without a name"},
		{Spec{Name: "x"}, "no type"},
		{Spec{Name: "x", Kind: "colour"}, "unknown type"},
		{Spec{Name: "x", Kind: KindOrderID, Pattern: `[A-Z`}, "bad pattern"},
		{Spec{Name: "x", Kind: KindText, Pattern: `(`}, "bad pattern"},
		{Spec{Name: "x", Kind: KindOrderID, Pattern: `[A-Z]\d{7}`, Example: "12"}, "does not match"},
		{Spec{Name: "x", Kind: KindPhone, Pattern: `\d+`}, "pattern applies"},
		{Spec{Name: "x", Kind: KindEnum}, "enum without values"},
		{Spec{Name: "x", Kind: KindEnum, Values: []EnumValue{{Value: ""}}}, "without a name"},
		{Spec{Name: "x", Kind: KindEnum, Values: []EnumValue{{Value: "a", Synonyms: []string{"同"}}, {Value: "b", Synonyms: []string{"同"}}}}, "belongs to both"},
		{Spec{Name: "x", Kind: KindEnum, Values: []EnumValue{{Value: "a"}, {Value: "a"}}}, "listed twice"},
		{Spec{Name: "x", Kind: KindText, Values: []EnumValue{{Value: "a"}}}, "values apply"},
		{Spec{Name: "x", Kind: KindNumber, Min: f64(5), Max: f64(1)}, "above max"},
		{Spec{Name: "x", Kind: KindDate, Min: f64(1)}, "min/max apply"},
		{Spec{Name: "x", Kind: KindTime, Future: true}, "future applies"},
		{Spec{Name: "x", Kind: KindNumber, MinLen: 3}, "min_length"},
		{Spec{Name: "x", Kind: KindText, MinLen: 10, MaxLen: 5}, "bad length"},
		{Spec{Name: "x", Kind: KindMoney, Currency: "yuan"}, "currency"},
	}
	for _, c := range cases {
		_, err := New(c.spec)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("New(%+v) error = %v, want it to mention %q", c.spec, err, c.want)
		}
	}
	for _, k := range []Kind{KindOrderID, KindPhone, KindEmail, KindDate, KindTime, KindDateTime, KindMoney, KindNumber, KindText} {
		if _, err := New(Spec{Name: "ok", Kind: k}); err != nil {
			t.Errorf("New(%s): %v", k, err)
		}
	}
}

func TestReasonIn(t *testing.T) {
	r := Reason{Code: "c", ZH: "中文", EN: "English"}
	for lang, want := range map[string]string{"zh": "中文", "zh-CN": "中文", "": "中文", "en": "English", "en-GB": "English", "fr": "English"} {
		if got := r.In(lang); got != want {
			t.Errorf("In(%q) = %q, want %q", lang, got, want)
		}
	}
}
