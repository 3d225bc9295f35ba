package slots

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// normText is a message with full-width forms folded to ASCII, kept alongside a byte map back to
// the original so that matches found in the folded text report offsets in what the customer wrote.
type normText struct {
	src   string
	s     string
	start []int // start[i] is the offset in src of the rune that produced byte i of s
	end   []int // end[i] is the end offset in src of that rune
}

type normMode int

const (
	foldWidth normMode = 0 // full-width forms only
	foldLower normMode = 1 // also lower-case
	foldLoose normMode = 2 // also drop apostrophes and collapse runs of spaces
)

// foldRune maps full-width ASCII, ideographic space, full-width currency signs and typographic
// quotes and dashes to their plain forms.
func foldRune(r rune) rune {
	switch {
	case r >= 0xFF01 && r <= 0xFF5E:
		return r - 0xFEE0
	case r == 0x3000 || r == 0x00A0 || r == '\t' || r == '\r' || r == '\n' || r == 0x2002 || r == 0x2003 || r == 0x2009:
		return ' '
	case r == 0xFFE5:
		return '¥'
	case r == 0xFFE1:
		return '£'
	case r == 0x2018 || r == 0x2019 || r == 0x2032:
		return '\''
	case r == 0x201C || r == 0x201D:
		return '"'
	case r >= 0x2010 && r <= 0x2015 || r == 0x2212 || r == 0xFE63:
		return '-'
	case r == 0xFE6B:
		return '@'
	}
	return r
}

func normalize(src string, mode normMode) *normText {
	n := &normText{src: src, start: make([]int, 0, len(src)+1), end: make([]int, 0, len(src)+1)}
	var b strings.Builder
	b.Grow(len(src))
	var buf [utf8.UTFMax]byte
	prevSpace := false
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRuneInString(src[i:])
		f := foldRune(r)
		if mode&foldLower != 0 {
			f = unicode.ToLower(f)
		}
		drop := false
		if mode&foldLoose != 0 {
			drop = f == '\'' || f == ' ' && prevSpace
			prevSpace = f == ' '
		}
		if !drop {
			k := utf8.EncodeRune(buf[:], f)
			b.Write(buf[:k])
			for j := 0; j < k; j++ {
				n.start = append(n.start, i)
				n.end = append(n.end, i+size)
			}
		}
		i += size
	}
	n.s = b.String()
	return n
}

// orig maps the folded byte range [s, e) back to the original text.
func (n *normText) orig(s, e int) (int, int) {
	if s >= len(n.start) {
		return len(n.src), len(n.src)
	}
	if e <= s {
		return n.start[s], n.start[s]
	}
	return n.start[s], n.end[e-1]
}

// runeBefore and runeAfter return the folded rune next to a byte range, or 0 at the ends.
func (n *normText) runeBefore(i int) rune {
	if i <= 0 {
		return 0
	}
	r, _ := utf8.DecodeLastRuneInString(n.s[:i])
	return r
}

func (n *normText) runeAfter(i int) rune {
	if i >= len(n.s) {
		return 0
	}
	r, _ := utf8.DecodeRuneInString(n.s[i:])
	return r
}

func isASCIIAlnum(r rune) bool {
	return r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z'
}

func isASCIILetter(r rune) bool { return r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' }

func isDigit(r rune) bool { return r >= '0' && r <= '9' }

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

func hasHan(s string) bool {
	for _, r := range s {
		if isHan(r) {
			return true
		}
	}
	return false
}

// fold maps an original offset to the folded text: the first folded byte produced at or after it.
func (n *normText) fold(off int) int {
	return sort.SearchInts(n.start, off)
}

// rawOf returns the original text behind the folded range t.
func rawOf(n *normText, t []int) string {
	s, e := n.orig(t[0], t[1])
	return n.src[s:e]
}
