package evals

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strings"
	"unicode"

	"github.com/baton-cs/baton/internal/demo"
)

// synthCorpus writes realistic-ish help-centre text for benchmarks: half English, half Chinese,
// words drawn from a Zipf distribution (so a few words are everywhere and most are rare, as in real
// text) over the demo help centre's own vocabulary for the frequent ranks and made-up words for the
// long tail.
type synthCorpus struct {
	rng    *rand.Rand
	en, zh []string
	enZipf *rand.Zipf
	zhZipf *rand.Zipf
}

const synthVocab = 20000

func newSynthCorpus(seed uint64) *synthCorpus {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	enSeen, zhChars := map[string]bool{}, map[rune]bool{}
	var en []string
	var zhPool []rune
	sc := bufio.NewScanner(bytes.NewReader(demo.Articles()))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		var a struct{ Title, Body string }
		if json.Unmarshal(sc.Bytes(), &a) != nil {
			continue
		}
		for _, w := range strings.FieldsFunc(strings.ToLower(a.Title+" "+a.Body), func(r rune) bool { return r > 127 || !unicode.IsLetter(r) }) {
			if !enSeen[w] {
				enSeen[w] = true
				en = append(en, w)
			}
		}
		for _, r := range a.Title + a.Body {
			if unicode.Is(unicode.Han, r) && !zhChars[r] {
				zhChars[r] = true
				zhPool = append(zhPool, r)
			}
		}
	}
	rng.Shuffle(len(en), func(i, j int) { en[i], en[j] = en[j], en[i] })
	syl := []string{"ba", "ko", "ri", "tem", "lan", "sor", "vi", "del", "mu", "pex", "tra", "nor", "quin", "ga", "lo", "zen", "fi", "cor", "bra", "mi", "pol", "sta", "ve", "ru"}
	for len(en) < synthVocab {
		w := ""
		for n := 2 + rng.IntN(3); n > 0; n-- {
			w += syl[rng.IntN(len(syl))]
		}
		if !enSeen[w] {
			enSeen[w] = true
			en = append(en, w)
		}
	}
	// Chinese words: pairs of characters, the demo's characters first, then others from the common block.
	for len(zhPool) < 3000 {
		r := rune(0x4E00 + rng.IntN(0x9FA5-0x4E00))
		if !zhChars[r] {
			zhChars[r] = true
			zhPool = append(zhPool, r)
		}
	}
	charZipf := rand.NewZipf(rng, 1.05, 2, uint64(len(zhPool)-1))
	zhSeen := map[string]bool{}
	var zh []string
	for len(zh) < synthVocab {
		w := string([]rune{zhPool[charZipf.Uint64()], zhPool[charZipf.Uint64()]})
		if !zhSeen[w] {
			zhSeen[w] = true
			zh = append(zh, w)
		}
	}
	return &synthCorpus{
		rng: rng, en: en, zh: zh,
		enZipf: rand.NewZipf(rng, 1.07, 2, synthVocab-1),
		zhZipf: rand.NewZipf(rng, 1.07, 2, synthVocab-1),
	}
}

// sentence is n words of lang.
func (c *synthCorpus) sentence(lang string, n int) string {
	var b strings.Builder
	for i := 0; i < n; i++ {
		if lang == "zh" {
			b.WriteString(c.zh[c.zhZipf.Uint64()])
			continue
		}
		if i > 0 {
			b.WriteByte(' ')
		}
		b.WriteString(c.en[c.enZipf.Uint64()])
	}
	if lang == "zh" {
		return b.String() + "。"
	}
	s := b.String()
	return strings.ToUpper(s[:1]) + s[1:] + "."
}

// passage is a few sentences: about 40–90 English words or 50–120 Chinese characters.
func (c *synthCorpus) passage(lang string) string {
	var parts []string
	for n := 2 + c.rng.IntN(3); n > 0; n-- {
		if lang == "zh" {
			parts = append(parts, c.sentence(lang, 5+c.rng.IntN(8)))
		} else {
			parts = append(parts, c.sentence(lang, 10+c.rng.IntN(14)))
		}
	}
	sep := " "
	if lang == "zh" {
		sep = ""
	}
	return strings.Join(parts, sep)
}

// title is a short heading-like phrase.
func (c *synthCorpus) title(lang string, n int) string {
	s := c.sentence(lang, 3+c.rng.IntN(4))
	return fmt.Sprintf("%s #%d", strings.TrimRight(s, ".。"), n)
}

// query is what a customer might type about passage p: a run of its words, sometimes with one
// replaced by another word.
func (c *synthCorpus) query(lang, p string) string {
	if lang == "zh" {
		rs := []rune(strings.ReplaceAll(p, "。", ""))
		n := min(len(rs), 6+c.rng.IntN(8))
		start := c.rng.IntN(len(rs) - n + 1)
		q := string(rs[start : start+n])
		if c.rng.IntN(2) == 0 {
			q += c.zh[c.zhZipf.Uint64()]
		}
		return q
	}
	ws := strings.Fields(strings.ToLower(strings.ReplaceAll(p, ".", "")))
	n := min(len(ws), 4+c.rng.IntN(5))
	start := c.rng.IntN(len(ws) - n + 1)
	q := append([]string{}, ws[start:start+n]...)
	if c.rng.IntN(2) == 0 {
		q[c.rng.IntN(len(q))] = c.en[c.enZipf.Uint64()]
	}
	return strings.Join(q, " ")
}
