package evals

import (
	"math"
	"testing"
)

func TestScore(t *testing.T) {
	// gold a a a b b oos oos; predictions a a b b "" "" a
	outcomes := []Outcome{
		{Gold: "a", Predicted: "a", Top: "a", Confidence: 0.9},
		{Gold: "a", Predicted: "a", Top: "a", Confidence: 0.8},
		{Gold: "a", Predicted: "b", Top: "b", Confidence: 0.6},
		{Gold: "b", Predicted: "b", Top: "b", Confidence: 0.7},
		{Gold: "b", Predicted: "", Top: "b", Confidence: 0.2},
		{Gold: "", Predicted: "", Top: "a", Confidence: 0.1},
		{Gold: "", Predicted: "a", Top: "a", Confidence: 0.5},
	}
	m := Score(outcomes)
	// in-scope: 5 rows, 3 right (the refusal of b counts as wrong)
	approx(t, "accuracy", m.Accuracy, 3.0/5)
	// top intent regardless of threshold: a a b b b → 4 right
	approx(t, "accuracy without refusals", m.AccuracyNoRefusal, 4.0/5)
	// a: tp 2, fp 1 (the oos row), fn 1 → P 2/3 R 2/3 F1 2/3
	// b: tp 1, fp 1, fn 1 → P 1/2 R 1/2 F1 1/2
	approx(t, "macro F1", m.MacroF1, (2.0/3+1.0/2)/2)
	// oos: predicted "" twice, one of them really oos; 2 gold oos, 1 found
	if m.OOSPrecision == nil || m.OOSRecall == nil {
		t.Fatal("OOS precision/recall missing")
	}
	approx(t, "OOS precision", *m.OOSPrecision, 1.0/2)
	approx(t, "OOS recall", *m.OOSRecall, 1.0/2)
	if len(m.PerIntent) != 2 || m.PerIntent[0].Intent != "a" || m.PerIntent[0].Support != 3 {
		t.Errorf("per intent: %+v", m.PerIntent)
	}
	want := map[Confusion]bool{{"a", "b", 1}: true, {"b", "oos", 1}: true, {"oos", "a", 1}: true}
	if len(m.Confused) != 3 {
		t.Errorf("confused: %+v", m.Confused)
	}
	for _, c := range m.Confused {
		if !want[c] {
			t.Errorf("unexpected confused pair %+v", c)
		}
	}
	// in-scope confidences 0.9 0.8 0.6 0.7 0.2 with top correct ✓ ✓ ✗ ✓ ✓ in 15 bins:
	// |0.9-1| + |0.8-1| + |0.6-0| + |0.7-1| + |0.2-1| = 0.1+0.2+0.6+0.3+0.8 = 2.0 → /5
	approx(t, "ECE", m.ECE, 0.4)
}

func TestScoreWithoutOOS(t *testing.T) {
	m := Score([]Outcome{{Gold: "a", Predicted: "a", Top: "a", Confidence: 1}, {Gold: "b", Predicted: "a", Top: "a", Confidence: 1}})
	if m.OOSPrecision != nil || m.OOSRecall != nil {
		t.Errorf("OOS metrics without oos rows: %v %v", m.OOSPrecision, m.OOSRecall)
	}
	approx(t, "accuracy", m.Accuracy, 0.5)
	// a: P 1/2 R 1 F1 2/3; b: P 0 R 0 F1 0
	approx(t, "macro F1", m.MacroF1, 1.0/3)
}

func approx(t *testing.T, name string, got, want float64) {
	t.Helper()
	if math.Abs(got-want) > 1e-9 {
		t.Errorf("%s = %v, want %v", name, got, want)
	}
}
