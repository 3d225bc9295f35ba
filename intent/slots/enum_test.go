package slots

import (
	"reflect"
	"testing"
)

func reasonSpec() Spec {
	return Spec{Name: "reason", Kind: KindEnum, Values: []EnumValue{
		{Value: "size", Synonyms: []string{"尺码不合适", "尺寸不对", "太大", "太小", "不合身", "wrong size", "doesn't fit", "too small", "too big"}},
		{Value: "quality", Synonyms: []string{"质量问题", "坏了", "破了", "有瑕疵", "broken", "damaged", "defective"}},
		{Value: "changed_mind", Synonyms: []string{"不想要了", "不喜欢", "拍错了", "changed my mind", "don't want it", "ordered by mistake"}},
	}}
}

func TestEnum(t *testing.T) {
	runCases(t, mustNew(t, reasonSpec()), testEnv(t), []extractCase{
		{"尺码不合适", []string{"size"}, nil},
		{"订单A1234567 想退货,尺码不合适", []string{"size"}, []string{"尺码不合适"}},
		{"衣服破了,而且太大", []string{"quality", "size"}, nil},
		{"It doesn't fit", []string{"size"}, []string{"doesn't fit"}},
		{"it DOESN’T FIT at all", []string{"size"}, []string{"DOESN’T FIT"}},
		{"it doesnt fit", []string{"size"}, nil},
		{"ｔｏｏ ｂｉｇ", []string{"size"}, []string{"ｔｏｏ ｂｉｇ"}},
		{"too  small", []string{"size"}, nil},
		{"the box was damagd", []string{"quality"}, []string{"damagd"}},
		{"defectve item", []string{"quality"}, nil},
		{"I changed my mind", []string{"changed_mind"}, nil},
		{"Quality", []string{"quality"}, nil},
		{"不喜欢这个颜色", []string{"changed_mind"}, nil},
		{"too bigger", nil, nil},
		{"unbroken", nil, nil},
		{"颜色不对", nil, nil},
		{"hello", nil, nil},
	})
}

func TestEnumLongestWins(t *testing.T) {
	x := mustNew(t, Spec{Kind: KindEnum, Values: []EnumValue{
		{Value: "express", Synonyms: []string{"顺丰", "顺丰快递", "sf express"}},
		{Value: "same_day", Synonyms: []string{"顺丰快递当日达", "same day"}},
	}})
	runCases(t, x, testEnv(t), []extractCase{
		{"用顺丰快递当日达", []string{"same_day"}, nil},
		{"顺丰快递", []string{"express"}, []string{"顺丰快递"}},
		{"SF Express please", []string{"express"}, nil},
	})
}

func TestOptionsAndDescribe(t *testing.T) {
	spec := reasonSpec()
	if got, want := Options(spec, "zh"), []string{"尺码不合适", "质量问题", "不想要了"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Options zh = %q, want %q", got, want)
	}
	if got, want := Options(spec, "en"), []string{"wrong size", "broken", "changed my mind"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Options en = %q, want %q", got, want)
	}
	x := mustNew(t, spec).(enumExtractor)
	if got := x.Options("en-US"); len(got) != 3 || got[0] != "wrong size" {
		t.Errorf("extractor Options = %q", got)
	}
	cases := []struct {
		spec Spec
		lang string
		want string
	}{
		{spec, "zh", "可选:尺码不合适、质量问题、不想要了"},
		{spec, "en", "Choose one of: wrong size, broken, changed my mind"},
		{Spec{Kind: KindOrderID}, "zh", "1–3 个字母开头加 6–12 位数字,例如 A123456"},
		{Spec{Kind: KindOrderID, Pattern: `[A-Z]\d{7}`}, "en", "e.g. A1234567"},
		{Spec{Kind: KindNumber, Min: f64(1), Max: f64(10)}, "en", "a number, between 1 and 10"},
		{Spec{Kind: KindText, MinLen: 5}, "zh", "至少 5 个字"},
	}
	for _, c := range cases {
		if got := Describe(c.spec, c.lang); got != c.want {
			t.Errorf("Describe(%s, %s) = %q, want %q", c.spec.Kind, c.lang, got, c.want)
		}
	}
}
