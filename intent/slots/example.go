package slots

import (
	"regexp/syntax"
	"strings"
	"unicode"
)

// patternExample builds a short valid value from a pattern for reasons ("A123456" for the default
// order pattern): each repeat at its minimum (at least once), letters counting up from A and
// digits from 1, the first branch of an alternation.
func patternExample(pattern string) string {
	re, err := syntax.Parse(pattern, syntax.Perl)
	if err != nil {
		return ""
	}
	var b strings.Builder
	letter, digit := 'A', 1
	var gen func(r *syntax.Regexp, depth int)
	gen = func(r *syntax.Regexp, depth int) {
		if depth > 50 || b.Len() > 64 {
			return
		}
		switch r.Op {
		case syntax.OpLiteral:
			for _, c := range r.Rune {
				b.WriteRune(unicode.ToUpper(c))
			}
		case syntax.OpCharClass:
			b.WriteRune(pickFromClass(r.Rune, &letter, &digit))
		case syntax.OpAnyChar, syntax.OpAnyCharNotNL:
			b.WriteRune(pickFromClass([]rune{'A', 'Z'}, &letter, &digit))
		case syntax.OpCapture, syntax.OpConcat:
			for _, s := range r.Sub {
				gen(s, depth+1)
			}
		case syntax.OpAlternate:
			gen(r.Sub[0], depth+1)
		case syntax.OpPlus:
			gen(r.Sub[0], depth+1)
		case syntax.OpRepeat:
			n := r.Min
			if n < 1 {
				n = 1
			}
			for i := 0; i < n && i < 32; i++ {
				gen(r.Sub[0], depth+1)
			}
		}
	}
	gen(re, 0)
	return b.String()
}

// pickFromClass chooses a readable member of a character class given as ranges: the next digit
// if it has digits, else the next capital letter, else its first member.
func pickFromClass(ranges []rune, letter *rune, digit *int) rune {
	in := func(c rune) bool {
		for i := 0; i+1 < len(ranges); i += 2 {
			if c >= ranges[i] && c <= ranges[i+1] {
				return true
			}
		}
		return false
	}
	if d := rune('0' + *digit%10); in(d) {
		*digit++
		return d
	}
	if in(*letter) || in(unicode.ToLower(*letter)) {
		c := *letter
		if *letter < 'Z' {
			*letter++
		}
		return c
	}
	if in('A') {
		return 'A'
	}
	if in('1') {
		return '1'
	}
	if len(ranges) > 0 {
		return ranges[0]
	}
	return 'X'
}
