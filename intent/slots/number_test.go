package slots

import (
	"strings"
	"testing"
)

func TestNumber(t *testing.T) {
	runCases(t, mustNew(t, Spec{Kind: KindNumber}), testEnv(t), []extractCase{
		{"35", []string{"35"}, nil},
		{"3.5", []string{"3.5"}, nil},
		{"要２个", []string{"2"}, []string{"２"}},
		{"三十五个", []string{"35"}, []string{"三十五"}},
		{"两百零五件", []string{"205"}, nil},
		{"一千二", []string{"1200"}, nil},
		{"十", []string{"10"}, nil},
		{"两", []string{"2"}, nil},
		{"两件", []string{"2"}, nil},
		{"1,200", []string{"1200"}, nil},
		{"1.5万", []string{"15000"}, nil},
		{"three", []string{"3"}, nil},
		{"twenty-five boxes", []string{"25"}, nil},
		{"one", []string{"1"}, nil},
		{"2 or 3", []string{"2", "3"}, nil},
		{"11/23", nil, nil},
		{"订单A1234567", nil, nil},
		{"电话13812345678", nil, nil},
		{"下午3点", nil, nil},
		{"明天3号", nil, nil},
		{"5天后", nil, nil},
		{"3pm", nil, nil},
		{"一下", nil, nil},
		{"我一定要", nil, nil},
		{"三星手机", nil, nil},
		{"万一坏了", nil, nil},
		{"十分满意", nil, nil},
		{"which one", nil, nil},
		{"版本1.2.3", nil, nil},
	})
}

func TestNumberBounds(t *testing.T) {
	x := mustNew(t, Spec{Kind: KindNumber, Min: f64(1), Max: f64(10)})
	runCases(t, x, testEnv(t), []extractCase{
		{"3件", []string{"3"}, nil},
		{"十个", []string{"10"}, nil},
		{"20个", []string{"!range"}, nil},
		{"0", []string{"!range"}, nil},
	})
	r := x.Extract("20个", testEnv(t))
	if zh, en := r.Invalid[0].Reason.In("zh"), r.Invalid[0].Reason.In("en"); !strings.Contains(zh, "1 到 10") || !strings.Contains(en, "between 1 and 10") {
		t.Errorf("reasons = %q / %q", zh, en)
	}
	below := mustNew(t, Spec{Kind: KindNumber, Min: f64(1)}).Extract("0", testEnv(t))
	if got := below.Invalid[0].Reason.In("en"); !strings.Contains(got, "at least 1") {
		t.Errorf("min-only reason = %q", got)
	}
}
