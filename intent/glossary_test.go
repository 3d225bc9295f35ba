package intent

import (
	"context"
	"testing"
)

// English shop words in a Chinese message meet the bot's Chinese examples.
func TestPredictReadsEnglishWordsInChinese(t *testing.T) {
	var ex []Example
	for intent, texts := range map[string][]string{
		"refund":   {"我要退款", "怎么申请退款", "退款多久到账", "钱什么时候退回来", "这单帮我退款", "退款还没到"},
		"invoice":  {"我要开发票", "发票怎么开", "电子发票在哪下载", "补开发票", "这单帮我开发票", "发票还没收到"},
		"shipping": {"我的快递到哪了", "物流怎么不动了", "包裹还没到", "这单帮我查物流", "快递几天能到", "物流信息在哪看"},
	} {
		for _, text := range texts {
			ex = append(ex, Example{Text: text, Intent: intent})
		}
	}
	m, err := Train(context.Background(), ex, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct{ text, want string }{
		{"想refund一下", "refund"},
		{"这单帮我开个invoice", "invoice"},
		{"我的package还没有消息", "shipping"},
	}
	for _, c := range cases {
		if p := m.Predict(c.text); p.Intent != c.want {
			t.Errorf("Predict(%q) = %q (%v), want %q", c.text, p.Intent, p.Ranked, c.want)
		}
	}
}
