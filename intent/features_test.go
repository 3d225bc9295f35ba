package intent

import (
	"context"
	"testing"
)

// Which letter the examples' order numbers happen to start with does not decide the intent.
func TestOrderNumbersLetterSaysNothing(t *testing.T) {
	var ex []Example
	for intent, texts := range map[string][]string{
		"track":  {"订单B1234567到哪了", "B7654321 物流", "查下快递 B2345678", "where is order B1234567", "track B7654321", "B2345678 status"},
		"return": {"订单A1234567要退货", "我要退货", "A7654321 退掉", "return order A1234567", "I want to return this", "refund A7654321"},
	} {
		for _, text := range texts {
			ex = append(ex, Example{Text: text, Intent: intent})
		}
	}
	m, err := Train(context.Background(), ex, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for _, text := range []string{"我要退货 B9876543", "I want to return B9876543"} {
		if p := m.Predict(text); p.Ranked[0].Intent != "return" {
			t.Errorf("Predict(%q) ranked %v, want return first", text, p.Ranked)
		}
	}
}
