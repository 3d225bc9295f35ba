package bot

import "testing"

func TestOnlyValues(t *testing.T) {
	cases := map[string]bool{
		"A1234567": true, "订单号是B7654321": true, "order a1234567": true, "it's D1234564": true, "#12345": true,
		"退货A1234567": false, "return A1234567": false, "sorry, A1234574": false, "查一下 A1234567": false,
	}
	for text, want := range cases {
		if got := onlyValues(text); got != want {
			t.Errorf("onlyValues(%q) = %v, want %v", text, got, want)
		}
	}
}
