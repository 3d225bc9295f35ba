package slots

import (
	"strings"
	"testing"
)

func TestPhone(t *testing.T) {
	runCases(t, mustNew(t, Spec{Kind: KindPhone}), testEnv(t), []extractCase{
		{"电话13812345678", []string{"+8613812345678"}, []string{"13812345678"}},
		{"手机：１３８ １２３４ ５６７８", []string{"+8613812345678"}, []string{"１３８ １２３４ ５６７８"}},
		{"+86 138-1234-5678", []string{"+8613812345678"}, []string{"+86 138-1234-5678"}},
		{"0086 13812345678", []string{"+8613812345678"}, nil},
		{"8613812345678", []string{"+8613812345678"}, nil},
		{"座机 010-12345678", []string{"+861012345678"}, nil},
		{"0755-1234567", []string{"+867551234567"}, nil},
		{"call me on +44 20 7946 0958", []string{"+442079460958"}, []string{"+44 20 7946 0958"}},
		{"+44 (0)20 7946 0958", []string{"+442079460958"}, nil},
		{"my number is +1 (415) 555-2671", []string{"+14155552671"}, []string{"+1 (415) 555-2671"}},
		{"13812345678 or 13912345678", []string{"+8613812345678", "+8613912345678"}, nil},
		{"400-810-8888", []string{"+864008108888"}, nil},
		{"1381234567", []string{"!phone_length"}, nil},
		{"手机:138123456789", []string{"!phone_length"}, nil},
		{"电话 12345", []string{"!phone"}, nil},
		{"+44 123", []string{"!phone"}, nil},
		{"+1 for this idea", nil, nil},
		{"+1 415 555", []string{"!phone"}, nil},
		{"订单A13812345678", nil, nil},
		{"13812345678@qq.com", nil, nil},
		{"退款199元, 2026-03-05 买的", nil, nil},
		{"生日 1990-03-05 14点", nil, nil},
	})
}

func TestPhoneReason(t *testing.T) {
	r := mustNew(t, Spec{Kind: KindPhone}).Extract("我的手机是1381234567", testEnv(t))
	if len(r.Invalid) != 1 {
		t.Fatalf("want one invalid, got %+v", r)
	}
	if zh := r.Invalid[0].Reason.In("zh"); !strings.Contains(zh, "11 位") || !strings.Contains(zh, "10 位") {
		t.Errorf("zh reason = %q", zh)
	}
	if en := r.Invalid[0].Reason.In("en"); !strings.Contains(en, "11 digits") || !strings.Contains(en, "has 10") {
		t.Errorf("en reason = %q", en)
	}
}
