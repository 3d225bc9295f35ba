package intent

import "testing"

func TestAnalyzeSentimentLabels(t *testing.T) {
	cases := []struct{ text, label string }{
		{"太差了，我要投诉", "negative"},
		{"你们服务太差了", "negative"},
		{"态度很差", "negative"},
		{"I want to file a complaint", "negative"},
		{"差价怎么退", "neutral"},
		{"我出差了，晚点收货", "neutral"},
		{"差不多就行", "neutral"},
		{"我不投诉，就问问", "neutral"},
		{"我的快递到哪了", "neutral"},
		{"谢谢，很满意", "positive"},
	}
	for _, c := range cases {
		if got := AnalyzeSentiment(c.text); got.Label != c.label {
			t.Errorf("AnalyzeSentiment(%q) = %+v, want %s", c.text, got, c.label)
		}
	}
}
