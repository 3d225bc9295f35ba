package textdist

import "testing"

func TestDistance(t *testing.T) {
	cases := []struct {
		a, b  string
		limit int
		want  int
	}{
		{"person", "person", 2, 0},
		{"eprson", "person", 2, 1},            // swap
		{"reclaqmation", "reclamation", 2, 1}, // insertion
		{"persn", "person", 2, 1},             // deletion
		{"humam", "human", 2, 1},              // substitution
		{"complane", "complain", 2, 2},
		{"agent", "urgently", 2, 3}, // past the limit: limit+1
	}
	for _, c := range cases {
		if got := Distance(c.a, c.b, c.limit); got != c.want {
			t.Errorf("Distance(%q, %q, %d) = %d, want %d", c.a, c.b, c.limit, got, c.want)
		}
	}
}

func TestLikelyTypo(t *testing.T) {
	cases := []struct {
		typed, word string
		want        bool
	}{
		{"eprson", "person", true},
		{"humna", "human", true},
		{"persn", "person", true},
		{"agennt", "agent", true},
		{"complian", "complain", true},
		{"reprsentative", "representative", true},
		{"supervisr", "supervisor", true},
		{"reclaqmation", "reclamation", true},
		{"stuff", "staff", false}, // a changed letter in a short word is another word
		{"what", "chat", false},   // too short to correct at all
		{"person", "person", false},
		{"humid", "human", false},
	}
	for _, c := range cases {
		if got := LikelyTypo(c.typed, c.word); got != c.want {
			t.Errorf("LikelyTypo(%q, %q) = %v, want %v", c.typed, c.word, got, c.want)
		}
	}
}
