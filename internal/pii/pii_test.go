package pii

import "testing"

func TestMask(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"call me at 13812345678 please", "call me at 138****5678 please"},
		{"我的手机13812345678谢谢", "我的手机138****5678谢谢"},
		{"tel +86 138-1234-5678", "tel +86 138-****-5678"},
		{"+44 20 7946 0958 is the office", "+44 20 **** 0958 is the office"},
		{"mail alice.smith@example.com now", "mail a***@example.com now"},
		{"身份证 11010519491231002X 已提交", "身份证 **************002X 已提交"},
		{"card 4111 1111 1111 1111 thanks", "card **** **** **** 1111 thanks"},
		{"卡号6222020200112233445", "卡号6222020200112233445"}, // Luhn fails: not a card
		{"order 10023 costs 299.00", "order 10023 costs 299.00"},
		{"order A1234567890123", "order A1234567890123"},
		{"13812345678 2 items", "138****5678 2 items"},
		{"110105194912310021 is wrong", "110105194912310021 is wrong"}, // bad check digit
		{"ticket T10023", "ticket T10023"},
	} {
		if got := Mask(c.in); got != c.want {
			t.Errorf("Mask(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestMaskValue(t *testing.T) {
	if got := MaskValue(Email, "bob@shop.cn"); got != "b***@shop.cn" {
		t.Errorf("email: %q", got)
	}
	if got := MaskValue(Phone, "13812345678"); got != "138****5678" {
		t.Errorf("phone: %q", got)
	}
}
