// Package textdist measures how far apart two typed words are, for matching words through typing
// slips ("eprson", "complian", "reprsentative").
package textdist

// Distance is the optimal-string-alignment distance between a and b (insertions, deletions,
// substitutions and swaps of neighbours, on bytes), or limit+1 once it must exceed limit.
func Distance(a, b string, limit int) int {
	if d := len(a) - len(b); d > limit || -d > limit {
		return limit + 1
	}
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		rowMin := cur[0]
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
			rowMin = min(rowMin, cur[j])
		}
		if rowMin > limit {
			return limit + 1
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}

// LikelyTypo says whether typed could be a slip for word: from seven letters any one edit, from nine
// two; shorter words only a dropped or doubled letter or two swapped neighbours, since a changed
// letter in a short word is more often another word ("stuff"/"staff", "what"/"chat"). Words under
// five letters never count: too many real words lie one slip apart. Both are lower-case ASCII.
func LikelyTypo(typed, word string) bool {
	if typed == word || len(typed) < 5 {
		return false
	}
	switch {
	case len(typed) >= 9:
		return Distance(typed, word, 2) <= 2
	case len(typed) >= 7:
		return Distance(typed, word, 1) <= 1
	}
	switch len(typed) - len(word) {
	case -1: // a dropped letter
		for i := 0; i < len(word); i++ {
			if word[:i]+word[i+1:] == typed {
				return true
			}
		}
	case 1: // a doubled letter
		for i := 1; i < len(typed); i++ {
			if typed[i] == typed[i-1] && typed[:i]+typed[i+1:] == word {
				return true
			}
		}
	case 0: // two neighbours swapped
		for i := 0; i+1 < len(typed); i++ {
			if typed[i] != word[i] {
				return typed[i] == word[i+1] && typed[i+1] == word[i] && typed[i+2:] == word[i+2:]
			}
		}
	}
	return false
}
