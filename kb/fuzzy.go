package kb

import (
	"context"

	"github.com/baton-cs/baton/internal/textdist"

	"github.com/jackc/pgx/v5"
)

// correctedWeight discounts a term that stands in for a misspelt one.
const correctedWeight = 0.8

// correctTypos replaces query words no chunk holds ("retrun", "refnd", "pasword") by the most
// frequent indexed term one typing slip away, the way search engines' fuzzy matching does. Short
// words only count a dropped letter or two swapped neighbours (a changed letter in a short word is
// more often another word: "black"/"back", "coat"/"cost"); from seven letters any one edit, from
// nine two. Candidates share the first letter (a range scan of kb_terms' primary key).
func correctTypos(ctx context.Context, tx pgx.Tx, tokens []string, df map[string]int64) (map[string]string, error) {
	fixes := map[string]string{}
	for _, t := range tokens {
		if df[t] > 0 || len(t) < 5 || !isLatinWord(t) {
			continue
		}
		maxDist := 1
		if len(t) >= 9 {
			maxDist = 2
		}
		rows, err := tx.Query(ctx, `SELECT term, df FROM kb_terms
			WHERE term >= $1 AND term < $2 AND length(term) BETWEEN $3 AND $4 AND df > 0`,
			t[:1], string(rune(t[0]+1)), len(t)-maxDist, len(t)+maxDist)
		if err != nil {
			return nil, err
		}
		best, bestDist, bestDF := "", maxDist+1, int64(0)
		for rows.Next() {
			var term string
			var d int64
			if err := rows.Scan(&term, &d); err != nil {
				rows.Close()
				return nil, err
			}
			if !likelyTypo(t, term) {
				continue
			}
			dist := textdist.Distance(t, term, maxDist)
			if dist <= maxDist && (dist < bestDist || dist == bestDist && d > bestDF) {
				best, bestDist, bestDF = term, dist, d
			}
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return nil, err
		}
		if best != "" {
			fixes[t] = best
			df[best] = bestDF
		}
	}
	return fixes, nil
}

// likelyTypo says whether typed could be a slip for term (see correctTypos).
func likelyTypo(typed, term string) bool {
	if len(typed) >= 7 {
		return true
	}
	if len(typed)+1 == len(term) { // a dropped letter
		for i := 0; i < len(term); i++ {
			if term[:i]+term[i+1:] == typed {
				return true
			}
		}
		return false
	}
	if len(typed) == len(term) { // two neighbours swapped
		for i := 0; i+1 < len(typed); i++ {
			if typed[i] != term[i] {
				return typed[i] == term[i+1] && typed[i+1] == term[i] && typed[i+2:] == term[i+2:]
			}
		}
	}
	return false
}

func isLatinWord(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 'a' || s[i] > 'z' {
			return false
		}
	}
	return true
}
