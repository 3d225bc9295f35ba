package slots

import (
	"fmt"
	"math"
	"regexp"
	"strings"
)

// amountRe is an amount as written: Arabic or Chinese numerals with 万/千, or "2k", "1.5w".
const amountRe = `(` + numeralRe + `(?:\s*[kw]\b)?)`

var currencyOf = map[string]string{
	"$": "USD", "us$": "USD", "hk$": "HKD", "¥": "CNY", "€": "EUR", "£": "GBP",
	"rmb": "CNY", "cny": "CNY", "usd": "USD", "eur": "EUR", "gbp": "GBP", "hkd": "HKD", "jpy": "JPY",
	"人民币": "CNY", "美元": "USD", "美金": "USD", "港币": "HKD", "港元": "HKD", "欧元": "EUR", "英镑": "GBP", "日元": "JPY",
	"块钱": "CNY", "元钱": "CNY", "块": "CNY", "塊": "CNY", "元": "CNY", "圆": "CNY", "刀": "USD", "yuan": "CNY",
	"dollar": "USD", "dollars": "USD", "buck": "USD", "bucks": "USD", "euro": "EUR", "euros": "EUR", "pound": "GBP", "pounds": "GBP",
}

var (
	// ¥199, $20, US$5, RMB 200, USD 20.50, 人民币200元
	moneyPrefixRe = rx(`(?:(us\$|hk\$|\$|¥|€|£)|\b(rmb|cny|usd|eur|gbp|hkd|jpy)|(人民币|美元|美金|港币|港元|欧元|英镑|日元))\s*` + amountRe + `(?:\s*(?:元|块钱|块|圆))?`)
	// 199元, 两百块, 3块5, 20 dollars, 20刀
	moneySuffixRe = rx(amountRe + `\s*(?:(块钱|元钱|块|塊|元|圆)(?:([0-9一二三四五六七八九])(?:毛|角)?)?|(人民币|美元|美金|刀|欧元|英镑|港币|港元|日元)|\b(rmb|cny|usd|eur|gbp|hkd|jpy|yuan|dollars?|bucks?|euros?|pounds?)\b)`)
	// 5毛, 五角钱
	moneyJiaoRe = rx(`([0-9一二三四五六七八九])\s*(?:毛|角)钱?`)
	// 1.5万, 3千5, 2k: a magnitude is an amount in the default currency
	moneyMagnitudeRe = rx(`((?:\d+(?:\.\d+)?|[零〇一二两三四五六七八九十百])+[千万](?:[零〇一二两三四五六七八九十百千]|\d)*|\d+(?:\.\d+)?\s*[kw]\b)`)
	// 退款199, refund 50: an amount after a money word takes the default currency
	moneyKeywordRe = rx(`(?:退款|退钱|退我|金额|价格|价钱|售价|花了|付了|付款|支付了?|实付|总共|一共|\brefund(?:ed)?|\bamount|\bprice|\bpaid|\bpay|\bcosts?|\bcharged|\btotal)\s*(?:了|是|为|:|of|is|was)?\s*` + amountRe)
)

var moneyAloneRe = rx(`^[\s,.!?,。!?~]*` + amountRe + `[\s,.!?,。!?~]*$`)

// moneyParticles may follow a bare amount after a money word ("退款199了吗"); any other Chinese
// character ("退款3天了") means the number counts something else.
const moneyParticles = "了吗呢吧啊哦的,。!?、"

type moneyExtractor struct{ spec Spec }

func (e moneyExtractor) Spec() Spec { return e.spec }

func (e moneyExtractor) Extract(text string, env Env) Result {
	n := normalize(text, foldWidth)
	return result(n, moneyCandidates(n, e.spec))
}

func moneyCandidates(n *normText, spec Spec) []cand {
	def := spec.Currency
	if def == "" {
		def = "CNY"
	}
	var cs []cand
	add := func(s, e int, amount, cur string, frac string) {
		v, ok := parseAmount(amount)
		if !ok {
			return
		}
		if frac != "" {
			v += float64(num(frac)) / 10
		}
		v = math.Round(v*100) / 100
		c := cand{s: s, e: e, kind: KindMoney}
		if spec.Min != nil && v < *spec.Min || spec.Max != nil && v > *spec.Max {
			c.reason = reasonRange(true, rawOf(n, []int{s, e}), spec.Min, spec.Max, " "+cur)
		} else {
			c.value = fmt.Sprintf("%.2f %s", v, cur)
		}
		cs = append(cs, c)
	}
	eachMatch(moneyPrefixRe, n, func(m []int) {
		g := func(k int) string { return group(n.s, m, k) }
		add(m[0], m[1], g(4), currencyOf[strings.ToLower(g(1)+g(2)+g(3))], "")
	})
	for _, m := range moneySuffixRe.FindAllStringSubmatchIndex(n.s, -1) {
		g := func(k int) string { return group(n.s, m, k) }
		e, frac := m[1], g(3)
		if frac != "" && (isDigit(n.runeAfter(e)) || cnDigits[n.runeAfter(e)] != 0) {
			e, frac = m[5], "" // "199元50件": the 5 starts another number
		}
		if isASCIIAlnum(n.runeBefore(m[0])) || e == m[1] && isASCIIAlnum(n.runeAfter(e)) && isASCIIAlnum(n.runeBefore(e)) {
			continue
		}
		add(m[0], e, g(1), currencyOf[strings.ToLower(g(2)+g(4)+g(5))], frac)
	}
	eachMatch(moneyJiaoRe, n, func(m []int) {
		if !isDigit(n.runeBefore(m[0])) && cnDigits[n.runeBefore(m[0])] == 0 {
			add(m[0], m[1], "0", "CNY", group(n.s, m, 1))
		}
	})
	bare := func(re *regexp.Regexp) {
		eachMatch(re, n, func(m []int) {
			after := n.runeAfter(m[1])
			if isHan(after) && !strings.ContainsRune(moneyParticles, after) || after == '%' || after == '/' || after == ':' {
				return
			}
			add(m[2], m[1], group(n.s, m, 1), def, "")
		})
	}
	bare(moneyKeywordRe)
	bare(moneyMagnitudeRe)
	// An amount alone is the answer to "how much?".
	if m := moneyAloneRe.FindStringSubmatchIndex(n.s); m != nil {
		add(m[2], m[3], group(n.s, m, 1), def, "")
	}
	return pickLongest(cs)
}

var kSuffixRe = regexp.MustCompile(`(?i)\s*([kw])$`)

// parseAmount reads amountRe text, "2k" as 2000 and "1.5w" as 15000.
func parseAmount(s string) (float64, bool) {
	mult := 1.0
	if m := kSuffixRe.FindStringSubmatch(s); m != nil {
		mult = map[string]float64{"k": 1e3, "w": 1e4}[strings.ToLower(m[1])]
		s = s[:len(s)-len(m[0])]
	}
	v, ok := parseNumeral(strings.TrimSpace(s))
	return v * mult, ok && v*mult < 1e15
}
