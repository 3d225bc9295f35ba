//go:build validation

package intent

import (
	"context"
	"testing"
)

func BenchmarkPredictBanking(b *testing.B) {
	t := &testing.T{}
	s := loadValSet(t, "banking77", "banking77/train.csv")
	m, err := Train(context.Background(), s.train, TrainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		m.Predict(s.val[i%len(s.val)].Text)
	}
}
