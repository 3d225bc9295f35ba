package intent

import (
	"slices"
	"unicode"
	"unicode/utf8"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/width"
)

// featureConfig says which n-grams describe a text. The defaults were chosen on validation
// splits carved from the training files of Banking77 (en), SMP2017-ECDT (zh) and SNIPS (en);
// the figures are in classifier.go.
type featureConfig struct {
	wordN            int     // Latin word n-grams 1..wordN over stems
	charMin, charMax int     // Latin sub-word character n-grams within " word " boundaries
	hanMin, hanMax   int     // Han character n-grams within a run of Han characters
	stem             bool    // Snowball English stems for the word n-grams
	digitClass       bool    // every digit becomes '0' so "2 weeks" and "3 weeks" share features, and a code's letters 'a' (see codeClass)
	charWeight       float64 // the character block's weight against the word block (both unit length first)
	hanPad           bool    // pad Han runs with a boundary mark so n-grams know the run's start and end
	pairWindow       int     // unordered pairs of word units at most this far apart (0: none)
	hanSkip          int     // ordered Han character pairs with 1..hanSkip characters between them
	edges            bool    // mark the first word, first bigram and last word
	unseenMass       bool    // n-grams outside the vocabulary still count in the text's length (see vocab.vector)
}

// defaultViews are the ensemble's two feature views; their SVMs' scores are averaged, which
// beat either view alone and one SVM over both feature sets on validation (Banking77 5-fold:
// A 0.909, B 0.911, one SVM on A∪B 0.912, average of A and B 0.914). Character n-grams are
// 3–4 long and word pairs at most 8 apart for Predict's and Train's speed, at no measurable
// cost (see validation_test.go).
func defaultViews() []featureConfig {
	a := featureConfig{wordN: 2, charMin: 3, charMax: 4, hanMin: 1, hanMax: 2, hanPad: true, stem: true, digitClass: true, charWeight: 1, unseenMass: true}
	b := featureConfig{wordN: 2, pairWindow: 8, hanMin: 1, hanMax: 3, hanPad: true, hanSkip: 1, stem: true, digitClass: true, charWeight: 1, unseenMass: true}
	return []featureConfig{a, b}
}

// defaultFeatureConfig is view A alone.
func defaultFeatureConfig() featureConfig { return defaultViews()[0] }

// Feature namespaces live in the top byte of a feature's hash, so a word and a character n-gram
// that spell the same never share a column, and the block of a column is known from its hash.
const (
	nsWord    = 1 // Latin word n-grams
	nsChar    = 2 // Latin sub-word character n-grams
	nsHan     = 3 // Han character n-grams
	nsPair    = 5 // unordered pairs of words
	nsHanSkip = 6 // Han skip-bigrams
	nsEdge    = 7 // first and last words
)

const nsShift = 56

// block says which normalisation block a namespace belongs to: 0 words, 1 characters.
func block(h uint64) int {
	switch h >> nsShift {
	case nsChar:
		return 1
	case nsHan, nsHanSkip:
		return 1
	}
	return 0
}

// token is one unit of normalised text: a Latin-script word or a run of Han (CJK) characters.
type token struct {
	text string
	stem string // a word's Snowball stem (or the word itself when not stemming)
	han  bool
}

// tokenize folds width and case, maps digits to '0' when asked and splits text into words and
// Han runs. Apostrophes inside a word are dropped ("hasn't" → "hasnt"); everything that is
// neither letter, digit nor Han separates tokens.
func tokenize(text string, digitClass bool) []token {
	s := text
	if !isASCII(s) {
		s = width.Narrow.String(text)
	}
	var toks []token
	buf := make([]rune, 0, len(s))
	han := false
	flush := func() {
		if len(buf) > 0 {
			if digitClass && !han {
				codeClass(buf)
			}
			toks = append(toks, token{text: string(buf), han: han})
			buf = buf[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case isHan(r):
			if !han {
				flush()
				han = true
			}
			buf = append(buf, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.Is(unicode.Mn, r):
			if han {
				flush()
				han = false
			}
			if digitClass && unicode.IsDigit(r) {
				r = '0'
			}
			buf = append(buf, unicode.ToLower(r))
		case (r == '\'' || r == '’') && !han && len(buf) > 0 && i+1 < len(rs) && unicode.IsLetter(rs[i+1]):
			// inside a word: drop it
		default:
			flush()
		}
	}
	flush()
	return toks
}

// codeClass folds the letters of a code (a word with four or more digits, digits already '0')
// to 'a': "a0000000" and "b0000000" are both an order number, and which letter the examples'
// numbers happened to start with says nothing about the intent.
func codeClass(w []rune) {
	digits, letters := 0, 0
	for _, r := range w {
		switch {
		case r == '0':
			digits++
		case r != 'a' && unicode.IsLetter(r):
			letters++
		}
	}
	if digits < 4 || letters == 0 {
		return
	}
	for i, r := range w {
		if unicode.IsLetter(r) {
			w[i] = 'a'
		}
	}
}

func isHan(r rune) bool {
	return r >= 0x2E80 && (unicode.Is(unicode.Han, r) || unicode.Is(unicode.Hiragana, r) ||
		unicode.Is(unicode.Katakana, r) || unicode.Is(unicode.Hangul, r))
}

// hasher is FNV-1a over the parts of one n-gram, with the namespace in the top byte.
type hasher uint64

const fnvOffset, fnvPrime = 14695981039346656037, 1099511628211

func newHasher(ns byte) hasher { return hasher(fnvOffset).byte(ns) }

func (h hasher) byte(b byte) hasher { return (h ^ hasher(b)) * fnvPrime }

func (h hasher) str(s string) hasher {
	for i := 0; i < len(s); i++ {
		h = (h ^ hasher(s[i])) * fnvPrime
	}
	return h
}

func (h hasher) sum(ns byte) uint64 {
	return uint64(h)&(1<<nsShift-1) | uint64(ns)<<nsShift
}

// analyze tokenizes text and stems its words, looking stems up in stems first (a read-only
// cache of the training words' stems; nil is fine).
func (fc *featureConfig) analyze(text string, stems map[string]string) []token {
	toks := tokenize(text, fc.digitClass)
	for i, t := range toks {
		if t.han {
			continue
		}
		toks[i].stem = t.text
		if fc.stem && len(t.text) > 2 && isASCII(t.text) {
			if st, ok := stems[t.text]; ok {
				toks[i].stem = st
			} else {
				toks[i].stem = english.Stem(t.text, true)
			}
		}
	}
	return toks
}

// hashes returns the feature hashes of text, sorted, one entry per occurrence.
func (fc *featureConfig) hashes(text string) []uint64 {
	out := fc.hashTokens(fc.analyze(text, nil))
	slices.Sort(out)
	return out
}

// hashTokens returns the feature hashes of analysed text, one entry per occurrence, unsorted.
func (fc *featureConfig) hashTokens(toks []token) []uint64 {
	out := make([]uint64, 0, 128)
	if fc.hanMax > 0 {
		out = fc.glossaryGrams(out, toks)
	}
	words := make([]string, 0, len(toks)) // stems in order
	for _, t := range toks {
		if t.han {
			out = fc.hanGrams(out, t.text)
			continue
		}
		out = fc.charGrams(out, t.text)
		words = append(words, t.stem)
	}
	for n := 1; n <= fc.wordN; n++ {
		for i := 0; i+n <= len(words); i++ {
			h := newHasher(nsWord)
			for j := i; j < i+n; j++ {
				h = h.str(words[j]).byte(' ')
			}
			out = append(out, h.sum(nsWord))
		}
	}
	if fc.edges && len(words) > 0 {
		// the first and last words, marked as such ("why …", "… yet")
		out = append(out, newHasher(nsEdge).byte('^').str(words[0]).sum(nsEdge),
			newHasher(nsEdge).byte('$').str(words[len(words)-1]).sum(nsEdge))
		if len(words) > 1 {
			out = append(out, newHasher(nsEdge).byte('^').str(words[0]).byte(' ').str(words[1]).sum(nsEdge))
		}
	}
	if fc.pairWindow > 0 {
		for i := range words {
			for j := i + 1; j < len(words) && j-i <= fc.pairWindow; j++ {
				a, b := words[i], words[j]
				if a > b {
					a, b = b, a
				}
				if a == b {
					continue
				}
				out = append(out, newHasher(nsPair).str(a).byte(' ').str(b).sum(nsPair))
			}
		}
	}
	return out
}

// charGrams adds the character n-grams of one Latin word padded with a space on each side.
func (fc *featureConfig) charGrams(out []uint64, w string) []uint64 {
	if fc.charMax == 0 {
		return out
	}
	padded := " " + w + " "
	if isASCII(w) { // bytes are runes
		for n := fc.charMin; n <= fc.charMax; n++ {
			for i := 0; i+n <= len(padded); i++ {
				out = append(out, newHasher(nsChar).str(padded[i:i+n]).sum(nsChar))
			}
		}
		return out
	}
	// rune start offsets of " w "
	var buf [64]int
	offs := buf[:0]
	for i := range padded {
		offs = append(offs, i)
	}
	offs = append(offs, len(padded))
	nr := len(offs) - 1
	for n := fc.charMin; n <= fc.charMax; n++ {
		for i := 0; i+n <= nr; i++ {
			out = append(out, newHasher(nsChar).str(padded[offs[i]:offs[i+n]]).sum(nsChar))
		}
	}
	return out
}

// hanGrams adds the character n-grams of a run of Han characters.
func (fc *featureConfig) hanGrams(out []uint64, run string) []uint64 {
	if fc.hanMax == 0 {
		return out
	}
	if fc.hanPad {
		run = "\x01" + run + "\x01"
	}
	offs := make([]int, 0, utf8.RuneCountInString(run)+1)
	for i := range run {
		offs = append(offs, i)
	}
	offs = append(offs, len(run))
	nr := len(offs) - 1
	for n := fc.hanMin; n <= fc.hanMax; n++ {
		for i := 0; i+n <= nr; i++ {
			if fc.hanPad && n == 1 && (i == 0 || i == nr-1) {
				continue
			}
			out = append(out, newHasher(nsHan).str(run[offs[i]:offs[i+n]]).sum(nsHan))
		}
	}
	for i := 0; i < nr; i++ {
		for j := i + 2; j < nr && j-i-1 <= fc.hanSkip; j++ {
			out = append(out, newHasher(nsHanSkip).str(run[offs[i]:offs[i+1]]).byte(byte(j-i)).str(run[offs[j]:offs[j+1]]).sum(nsHanSkip))
		}
	}
	return out
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}
