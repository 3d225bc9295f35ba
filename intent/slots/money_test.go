package slots

import (
	"strings"
	"testing"
)

func TestMoney(t *testing.T) {
	runCases(t, mustNew(t, Spec{Kind: KindMoney}), testEnv(t), []extractCase{
		{"¥199", []string{"199.00 CNY"}, nil},
		{"￥1,299.50", []string{"1299.50 CNY"}, []string{"￥1,299.50"}},
		{"退款199元", []string{"199.00 CNY"}, []string{"199元"}},
		{"199块", []string{"199.00 CNY"}, nil},
		{"两百块", []string{"200.00 CNY"}, nil},
		{"1.5万", []string{"15000.00 CNY"}, nil},
		{"3千5", []string{"3500.00 CNY"}, nil},
		{"3块5", []string{"3.50 CNY"}, nil},
		{"5毛钱", []string{"0.50 CNY"}, nil},
		{"人民币200元", []string{"200.00 CNY"}, nil},
		{"RMB 200", []string{"200.00 CNY"}, nil},
		{"ｒｍｂ２００", []string{"200.00 CNY"}, nil},
		{"$20", []string{"20.00 USD"}, nil},
		{"20 dollars", []string{"20.00 USD"}, nil},
		{"USD 20.50", []string{"20.50 USD"}, nil},
		{"€5", []string{"5.00 EUR"}, nil},
		{"£12.5", []string{"12.50 GBP"}, nil},
		{"HK$100", []string{"100.00 HKD"}, nil},
		{"100美元", []string{"100.00 USD"}, nil},
		{"refund 50 please", []string{"50.00 CNY"}, []string{"50"}},
		{"199", []string{"199.00 CNY"}, nil},
		{"$2k", []string{"2000.00 USD"}, nil},
		{"退款199元,运费10元", []string{"199.00 CNY", "10.00 CNY"}, nil},
		{"199元50件", []string{"199.00 CNY"}, []string{"199元"}},
		{"退款3天了", nil, nil},
		{"一共3件", nil, nil},
		{"电话13812345678", nil, nil},
		{"预算3千米", nil, nil},
	})
}

func TestMoneyBoundsAndCurrency(t *testing.T) {
	x := mustNew(t, Spec{Kind: KindMoney, Min: f64(1), Max: f64(5000), Currency: "USD"})
	runCases(t, x, testEnv(t), []extractCase{
		{"refund 50", []string{"50.00 USD"}, nil},
		{"¥199", []string{"199.00 CNY"}, nil},
		{"1万元", []string{"!range"}, nil},
		{"0.5元", []string{"!range"}, nil},
	})
	r := x.Extract("1万元", testEnv(t))
	if zh := r.Invalid[0].Reason.In("zh"); !strings.Contains(zh, "金额") || !strings.Contains(zh, "5000") {
		t.Errorf("zh reason = %q", zh)
	}
	if en := r.Invalid[0].Reason.In("en"); !strings.Contains(en, "between 1 CNY and 5000 CNY") {
		t.Errorf("en reason = %q", en)
	}
}
