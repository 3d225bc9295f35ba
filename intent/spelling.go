package intent

// speller corrects misspelt English words against the training vocabulary before Predict
// hashes a text: customers type "wnat a refnd" and "chnage adress", and a small bot's examples
// hold each word a few times at most, so the typo's n-grams are mostly unknown to the model.
//
// Only a word the training texts never used, not even through its stem ("refunded" when
// "refund" was seen), is corrected, and only by one slip a typist makes: two neighbouring
// letters swapped, a letter left out, or one typed twice or in excess. Substitutions are not
// tried: they turn real words into other real words ("lost" → "cost", "bill" → "will") far
// more often than they fix typing. Of several candidates the one most training texts used wins.
type speller struct {
	freq  map[string]int      // training words (ASCII letters only) → number of texts using them
	stems map[string]struct{} // their stems
}

// minTypoLen is the shortest word corrected; shorter ones have too many neighbours.
const minTypoLen = 4

func newSpeller(texts []string, stems map[string]string) speller {
	s := speller{freq: map[string]int{}, stems: map[string]struct{}{}}
	for _, t := range texts {
		seen := map[string]bool{}
		for _, tok := range tokenize(t, false) {
			if tok.han || !isLetters(tok.text) || seen[tok.text] {
				continue
			}
			seen[tok.text] = true
			s.freq[tok.text]++
		}
	}
	for _, st := range stems {
		s.stems[st] = struct{}{}
	}
	return s
}

// correct returns the training word w was probably meant as, or "" when w is known, too short,
// or no single slip explains it.
func (s speller) correct(w, stem string) string {
	if len(w) < minTypoLen || !isLetters(w) || s.freq[w] > 0 {
		return ""
	}
	if _, ok := s.stems[stem]; ok {
		return ""
	}
	best, bestN := "", 0
	buf := make([]byte, 0, len(w)+1)
	try := func(c []byte) {
		n := s.freq[string(c)] // no allocation for a lookup
		if n > bestN || n == bestN && n > 0 && string(c) < best {
			best, bestN = string(c), n
		}
	}
	buf = append(buf, w...)
	for i := 0; i+1 < len(buf); i++ { // swapped neighbours
		if buf[i] != buf[i+1] {
			buf[i], buf[i+1] = buf[i+1], buf[i]
			try(buf)
			buf[i], buf[i+1] = buf[i+1], buf[i]
		}
	}
	for i := range w { // a letter too many
		buf = append(append(buf[:0], w[:i]...), w[i+1:]...)
		try(buf)
	}
	for i := 0; i <= len(w); i++ { // a letter left out
		buf = append(append(append(buf[:0], w[:i]...), 'a'), w[i:]...)
		for c := byte('a'); c <= 'z'; c++ {
			buf[i] = c
			try(buf)
		}
	}
	return best
}

func isLetters(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 'a' || c > 'z' {
			return false
		}
	}
	return s != ""
}
