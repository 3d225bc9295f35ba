package slots

import (
	"reflect"
	"testing"
)

func TestExtractAll(t *testing.T) {
	env := testEnv(t)
	order := mustNew(t, Spec{Name: "order", Kind: KindOrderID})
	phone := mustNew(t, Spec{Name: "phone", Kind: KindPhone})
	email := mustNew(t, Spec{Name: "email", Kind: KindEmail})
	refund := mustNew(t, Spec{Name: "refund", Kind: KindMoney})
	qty := mustNew(t, Spec{Name: "qty", Kind: KindNumber})
	day := mustNew(t, Spec{Name: "day", Kind: KindDate})
	at := mustNew(t, Spec{Name: "at", Kind: KindTime})
	reason := mustNew(t, reasonSpec())
	note := mustNew(t, Spec{Name: "note", Kind: KindText})
	address := mustNew(t, Spec{Name: "address", Kind: KindText})

	cases := []struct {
		text string
		exts []Extractor
		want map[string][]string
	}{
		{"订单A1234567,电话13812345678,退款199元", []Extractor{qty, refund, phone, order, day},
			map[string][]string{"order": {"A1234567"}, "phone": {"+8613812345678"}, "refund": {"199.00 CNY"}}},
		{"订单A1234567 想退货,尺码不合适", []Extractor{order, reason, note},
			map[string][]string{"order": {"A1234567"}, "reason": {"size"}, "note": {"想退货,尺码不合适"}}},
		{"订单号 12345", []Extractor{order, qty}, map[string][]string{"order": {"!format"}}},
		{"订单号是 13812345678", []Extractor{order, phone}, map[string][]string{"phone": {"+8613812345678"}}},
		{"11/23 送到", []Extractor{day, qty}, map[string][]string{"day": {"2026-11-23"}}},
		{"电话13812345678", []Extractor{refund, qty, phone}, map[string][]string{"phone": {"+8613812345678"}}},
		{"预算3千5", []Extractor{qty, refund}, map[string][]string{"refund": {"3500.00 CNY"}}},
		{"新地址:北京市朝阳区建国路88号 电话13812345678", []Extractor{address, phone, day},
			map[string][]string{"address": {"北京市朝阳区建国路88号"}, "phone": {"+8613812345678"}}},
		{"昨天收到的时候就坏了", []Extractor{day, note, reason},
			map[string][]string{"day": {"2026-11-20"}, "note": {"昨天收到的时候就坏了"}, "reason": {"quality"}}},
		{"order A1234567, email me at Bob@Example.com, 2 items", []Extractor{order, email, qty},
			map[string][]string{"order": {"A1234567"}, "email": {"Bob@example.com"}, "qty": {"2"}}},
		{"明天下午3点", []Extractor{day, at, qty}, map[string][]string{"day": {"2026-11-22"}, "at": {"15:00"}}},
		{"2月30日", []Extractor{day, qty}, map[string][]string{"day": {"!date"}}},
		{"my phone is 138 1234 5678 and email is Foo@Bar.COM", []Extractor{order, phone, email, qty},
			map[string][]string{"phone": {"+8613812345678"}, "email": {"Foo@bar.com"}}},
		{"送到 Grand Hotel 13812345678", []Extractor{address, phone}, map[string][]string{"address": {"Grand Hotel"}, "phone": {"+8613812345678"}}},
		{"寄到 Grand Hotel, 电话:13812345678", []Extractor{address, phone}, map[string][]string{"address": {"Grand Hotel"}, "phone": {"+8613812345678"}}},
		{"订单号a1234567的衣服太小了,能换大一号吗", []Extractor{order, day, reason, note},
			map[string][]string{"order": {"A1234567"}, "reason": {"size"}, "note": {"衣服太小了,能换大一号吗"}}},
		{"邮箱A1234567@qq.com", []Extractor{order, email, phone}, map[string][]string{"email": {"A1234567@qq.com"}}},
	}
	for _, c := range cases {
		got := ExtractAll(c.text, env, c.exts)
		if len(got) != len(c.exts) {
			t.Errorf("%q: %d results for %d extractors", c.text, len(got), len(c.exts))
		}
		simple := map[string][]string{}
		for name, r := range got {
			checkSpans(t, c.text, r)
			if v := values(r); v != nil {
				simple[name] = v
			}
		}
		if !reflect.DeepEqual(simple, c.want) {
			t.Errorf("ExtractAll(%q) = %q, want %q", c.text, simple, c.want)
		}
	}
}
