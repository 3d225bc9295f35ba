package intent

import "testing"

// Misspelt words are read as the words they were meant as, not as unknown ones, so a bot whose
// out-of-scope examples make it cautious does not refuse them.
func TestPredictReadsTypos(t *testing.T) {
	m := trainDemo(t, TrainOptions{OOS: []string{"what is the weather today", "tell me a joke", "who won the football match",
		"今天天气怎么样", "给我讲个笑话", "你喜欢什么颜色", "play some music", "how tall is mount everest", "推荐一部电影", "what is 2 plus 2"}})
	cases := []struct{ text, want string }{
		{"refnd plz", "refund"},
		{"rfeund", "refund"},
		{"invioce", "invoice"},
		{"pacakge", "shipping"},
		{"lgoin not wokring", "password"},
	}
	for _, c := range cases {
		p := m.Predict(c.text)
		if p.Intent != c.want { // refused or wrong
			t.Errorf("Predict(%q) = %q (%v, threshold %.2f), want %q", c.text, p.Intent, p.Ranked, m.Threshold(), c.want)
		}
	}
}

func TestSpellerFixesSlipsOnly(t *testing.T) {
	texts := []string{"I lost my card", "my card was lost", "where is my package", "cancel the order"}
	s := newSpeller(texts, stemCache(texts))
	cases := []struct{ word, want string }{
		{"lsot", "lost"},      // swapped
		{"pakage", "package"}, // a letter left out
		{"orderr", "order"},   // one too many
		{"cost", ""},          // a real word one letter away: substitutions are not tried
		{"cards", ""},         // its stem is known
		{"lost", ""},          // known
		{"crd", ""},           // too short
		{"canel", "cancel"},   // a letter left out
		{"xylophone", ""},     // nothing close
	}
	for _, c := range cases {
		if got := s.correct(c.word, stemOf(c.word)); got != c.want {
			t.Errorf("correct(%q) = %q, want %q", c.word, got, c.want)
		}
	}
}

func stemOf(w string) string {
	fc := defaultFeatureConfig()
	return fc.analyze(w, nil)[0].stem
}
