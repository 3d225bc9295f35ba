package intent

import "testing"

// A message the model knows one word of is not read with the confidence of that word alone.
func TestUnknownWordsLowerConfidence(t *testing.T) {
	m := trainDemo(t, TrainOptions{})
	sure := m.Predict("password")
	if sure.Intent != "password" {
		t.Fatalf("Predict(password) = %+v", sure)
	}
	for _, text := range []string{"password zorbly fnargle wibble quux", "password blorptastic zingwhoppers 12588"} {
		p := m.Predict(text)
		if p.Confidence >= sure.Confidence-0.2 {
			t.Errorf("Predict(%q) = %q %.2f, against %.2f for the known word alone", text, p.Ranked[0].Intent, p.Confidence, sure.Confidence)
		}
	}
}
