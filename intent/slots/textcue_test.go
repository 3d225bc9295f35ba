package slots

import "testing"

func TestCuedText(t *testing.T) {
	addr := mustNew(t, Spec{Kind: KindText, Name: "new_address", MinLen: 6})
	title := mustNew(t, Spec{Kind: KindText, Name: "invoice_title", MinLen: 2})
	note := mustNew(t, Spec{Kind: KindText, Name: "photo_note"})
	cases := []struct {
		x    Extractor
		text string
		want string // "" = no value
	}{
		{addr, "帮我把订单A1234581的地址改成杭州市西湖区文三路90号", "杭州市西湖区文三路90号"},
		{addr, "please send order A1234581 to 1 Queen Street, Auckland 1010 instead", "1 Queen Street, Auckland 1010"},
		{addr, "change the address on order A1234567 to 22 Baker Street, London", "22 Baker Street, London"},
		{addr, "my new address is 5 Main St, Springfield, thanks", "5 Main St, Springfield"},
		{addr, "订单F1234567的收货地址改成上海市浦东新区世纪大道100号", "上海市浦东新区世纪大道100号"},
		{addr, "能不能改成寄到公司", ""},                                              // vague: which company?
		{addr, "can you ship order C2345678 to my work address instead", ""}, // vague
		{addr, "I need to change my delivery address", ""},
		{addr, "我的地址写错了", ""},
		{addr, "地址改成北京", ""}, // too short for min_length 6
		{title, "抬头改成杭州某某科技有限公司", "杭州某某科技有限公司"},
		{title, "invoice title: Acme Ltd", "Acme Ltd"},
		{note, "I want to return it, send it to the warehouse", ""}, // a note is not sent anywhere
	}
	for _, c := range cases {
		m, ok := Cued(c.x, c.text, nil)
		got := ""
		if ok {
			got = m.Value
			if c.text[m.Start:m.End] != m.Raw {
				t.Errorf("%q: span [%d,%d) is %q, not the raw %q", c.text, m.Start, m.End, c.text[m.Start:m.End], m.Raw)
			}
		}
		if got != c.want {
			t.Errorf("Cued(%s, %q) = %q, want %q", c.x.Spec().Name, c.text, got, c.want)
		}
	}
	// A value another slot claimed at the value's edge is not part of it.
	text := "send it to 1 Queen Street, Auckland 1010, order A1234581"
	m, ok := Cued(addr, text, [][2]int{{48, 56}})
	if !ok || m.Value != "1 Queen Street, Auckland 1010" {
		t.Errorf("Cued with a claimed order number = %q, %v", m.Value, ok)
	}
}
