package slots

import (
	"strings"
	"testing"
)

func TestOrderID(t *testing.T) {
	env := testEnv(t)
	runCases(t, mustNew(t, Spec{Kind: KindOrderID}), env, []extractCase{
		{"订单A1234567 想退货,尺码不合适", []string{"A1234567"}, []string{"A1234567"}},
		{"我的订单号是a1234567", []string{"A1234567"}, []string{"a1234567"}},
		{"order JD20261121001 hasn't arrived", []string{"JD20261121001"}, nil},
		{"订单号：Ａ１２３４５６７", []string{"A1234567"}, []string{"Ａ１２３４５６７"}},
		{"A123 4567", []string{"A1234567"}, []string{"A123 4567"}},
		{"orderA1234567", []string{"A1234567"}, nil},
		{"两个订单 A1234567 和 B7654321", []string{"A1234567", "B7654321"}, nil},
		{"订单号 12345", []string{"!format"}, nil},
		{"order #12345", []string{"!format"}, nil},
		{"it's AB12345", []string{"!format"}, nil},
		{"电话13812345678", nil, nil},
		{"RMB2000 iPhone15 1080p", nil, nil},
		{"订单 2026-03-05 下的", nil, nil},
		{"我想退货", nil, nil},
		{"my phone is 138 1234 5678", nil, nil},
		{"JD 20261121001", []string{"JD20261121001"}, nil},
		{"A1234567@qq.com", nil, nil},
		{"need to chnage adress for order a1234581", []string{"A1234581"}, []string{"a1234581"}},
	})
}

// A number another noun names is that thing's number: neither an order number nor a mistyped one.
func TestOrderIDIgnoresOtherKindsOfNumber(t *testing.T) {
	env := testEnv(t)
	order := mustNew(t, Spec{Kind: KindOrderID, Pattern: `[A-Z]\d{7}`})
	runCases(t, order, env, []extractCase{
		{"see bill #12588", nil, nil},
		{"look for invoice #00108", nil, nil},
		{"ticket no. 555", nil, nil},
		{"tracking number A1234567", nil, nil},
		{"发票号12345", nil, nil},
		{"快递单号 B1234567", nil, nil},
		{"my invoice #00108 is for order A1234567", []string{"A1234567"}, nil},
		{"return A1234567", []string{"A1234567"}, nil},
		{"开发票 A1234567", []string{"A1234567"}, nil},
		{"order #12345", []string{"!format"}, nil},
	})
	tax := mustNew(t, Spec{Kind: KindOrderID, Pattern: `[0-9A-HJ-NPQRTUWXY]{18}`})
	runCases(t, tax, env, []extractCase{
		{"look for invoice #00108", nil, nil},
		{"see bill #12588", nil, nil},
	})
	// A slot whose keywords name the thing takes it.
	tracking := mustNew(t, Spec{Kind: KindOrderID, Pattern: `SF\d{10}`, Keywords: []string{"tracking number", "运单号"}})
	runCases(t, tracking, env, []extractCase{
		{"tracking number SF1266309276", []string{"SF1266309276"}, nil},
		{"运单号 SF123", []string{"!format"}, nil},
	})
}

func TestOrderIDCustomPattern(t *testing.T) {
	env := testEnv(t)
	x := mustNew(t, Spec{Kind: KindOrderID, Pattern: `[A-Z]\d{7}`})
	runCases(t, x, env, []extractCase{
		{"A1234567", []string{"A1234567"}, nil},
		{"订单号 12345", []string{"!format"}, nil},
		{"A12345678", []string{"!format"}, nil},
	})
	r := x.Extract("订单号 12345", env)
	zh, en := r.Invalid[0].Reason.In("zh"), r.Invalid[0].Reason.In("en")
	if !strings.Contains(zh, "A1234567") || !strings.Contains(zh, "订单号") || !strings.Contains(en, "A1234567") || !strings.Contains(en, "order number") {
		t.Errorf("reason should name the slot and show an example: %q / %q", zh, en)
	}

	// A tax id as an identifier with its own keywords and hint.
	tax := mustNew(t, Spec{Kind: KindOrderID, Pattern: `[0-9A-Z]{18}`, Keywords: []string{"税号"},
		Hint: Hint{ZH: "18 位数字或大写字母", EN: "18 digits or capital letters"}, Example: "91310000MA1FL8XQ30"})
	runCases(t, tax, env, []extractCase{
		{"税号 91310000ma1fl8xq30", []string{"91310000MA1FL8XQ30"}, nil},
		{"税号 9131000", []string{"!format"}, nil},
	})
	r = tax.Extract("税号 9131000", env)
	if got := r.Invalid[0].Reason.In("en"); !strings.Contains(got, "18 digits") || !strings.Contains(got, "91310000MA1FL8XQ30") {
		t.Errorf("tax id reason = %q", got)
	}
}

func TestPatternExample(t *testing.T) {
	cases := map[string]string{
		DefaultOrderPattern: "A123456",
		`[A-Z]\d{7}`:        "A1234567",
		`SF\d{12}`:          "SF123456789012",
		`(JD|TB)-\d{4}`:     "JD-1234",
		`[0-9A-Z]{3}`:       "123",
	}
	for p, want := range cases {
		if got := patternExample(p); got != want {
			t.Errorf("patternExample(%q) = %q, want %q", p, got, want)
		}
	}
}
