package slots

import (
	"math"
	"strconv"
	"strings"
)

// cnDigits and cnUnits are the Chinese numeral characters, including the financial forms.
var cnDigits = map[rune]float64{
	'零': 0, '〇': 0, '一': 1, '壹': 1, '幺': 1, '二': 2, '两': 2, '兩': 2, '贰': 2, '三': 3, '叁': 3, '四': 4, '肆': 4,
	'五': 5, '伍': 5, '六': 6, '陆': 6, '七': 7, '柒': 7, '八': 8, '捌': 8, '九': 9, '玖': 9,
}

var cnUnits = map[rune]float64{'十': 10, '拾': 10, '百': 100, '佰': 100, '千': 1000, '仟': 1000, '万': 1e4, '萬': 1e4, '亿': 1e8, '億': 1e8}

// numeralRe matches a number as written: Arabic with thousands separators or decimals, Chinese
// numerals, or a mix ("3千5", "1.5万").
const numeralRe = `(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|(?:\d+(?:\.\d+)?|[零〇一壹幺二两兩贰三叁四肆五伍六陆七柒八捌九玖十拾百佰千仟万萬亿億])+)`

// smallNumRe is a day, month or hour: one or two Arabic digits or up to three Chinese characters.
const smallNumRe = `(?:\d{1,2}|[零〇一二两三四五六七八九十]{1,3})`

// parseNumeral reads numeralRe text. Chinese rules: "十二" is 12, "一千二" is 1200 and "三万五" is
// 35000 (a trailing digit after a unit is the next unit down), "两百零五" is 205, a run of three
// or more bare digits reads digit by digit ("二零二六" is 2026), "零五" is 5, and two other bare
// digits ("三五", three to five) are refused.
func parseNumeral(s string) (float64, bool) {
	s = strings.ReplaceAll(s, ",", "")
	if s == "" {
		return 0, false
	}
	if v, err := strconv.ParseFloat(s, 64); err == nil {
		return v, !math.IsInf(v, 0) && !math.IsNaN(v)
	}
	rs := []rune(s)
	onlyDigits := true
	for _, r := range rs {
		if _, ok := cnDigits[r]; !ok {
			onlyDigits = false
		}
	}
	if onlyDigits {
		if len(rs) == 2 {
			if rs[0] != '零' && rs[0] != '〇' {
				return 0, false
			}
			return cnDigits[rs[1]], true
		}
		v := 0.0
		for _, r := range rs {
			v = v*10 + cnDigits[r]
		}
		return v, true
	}
	var total, section, num float64
	haveNum, afterZero := false, false
	lastUnit := 0.0    // the last unit seen, for "一千二"
	sectionUnit := 1e9 // the last 十/百/千 in this section, which must decrease
	numAfterUnit := false
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case r >= '0' && r <= '9' || r == '.':
			j := i
			for j < len(rs) && (rs[j] >= '0' && rs[j] <= '9' || rs[j] == '.') {
				j++
			}
			if haveNum {
				return 0, false
			}
			v, err := strconv.ParseFloat(string(rs[i:j]), 64)
			if err != nil {
				return 0, false
			}
			num, haveNum, numAfterUnit = v, true, lastUnit > 0
			i = j
			continue
		case cnDigits[r] == 0 && (r == '零' || r == '〇'):
			if haveNum {
				return 0, false
			}
			afterZero = true
		default:
			if d, ok := cnDigits[r]; ok {
				if haveNum {
					return 0, false
				}
				num, haveNum, numAfterUnit = d, true, lastUnit > 0 && !afterZero
				break
			}
			u := cnUnits[r]
			if u == 0 {
				return 0, false
			}
			if u >= 1e4 {
				section += num
				if section == 0 && total == 0 {
					return 0, false
				}
				if u == 1e8 {
					total = (total + section) * u
				} else {
					total += section * u
				}
				section, sectionUnit = 0, 1e9
			} else {
				if u >= sectionUnit {
					return 0, false
				}
				if !haveNum {
					if total != 0 || section != 0 || u != 10 {
						if !afterZero || u != 10 {
							return 0, false
						}
					}
					num = 1
				}
				section += num * u
				sectionUnit = u
			}
			num, haveNum, afterZero, lastUnit = 0, false, false, u
		}
		i++
	}
	if haveNum {
		if numAfterUnit && lastUnit >= 100 && num < 10 && num == math.Trunc(num) {
			num *= lastUnit / 10
		}
		section += num
	}
	return total + section, true
}

// englishNumbers are number words up to ninety; "hundred" and "thousand" multiply.
var englishNumbers = map[string]float64{
	"zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
	"ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
	"seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
	"sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
}

// englishNumRe matches a run of English number words ("twenty-five", "a hundred and five").
const englishNumRe = `\b(?:(?:a|zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety|hundred|thousand)(?:[\s-]+(?:and[\s-]+)?|\b))+`

// parseEnglishNumber reads englishNumRe text; a lone "a" is not a number.
func parseEnglishNumber(s string) (float64, bool) {
	words := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool { return r == ' ' || r == '-' })
	var total, cur float64
	seen := false
	for i, w := range words {
		switch w {
		case "and":
			continue
		case "a":
			if i+1 >= len(words) || (words[i+1] != "hundred" && words[i+1] != "thousand") {
				return 0, false
			}
			cur = 1
		case "hundred":
			if cur == 0 {
				cur = 1
			}
			cur *= 100
			seen = true
		case "thousand":
			if cur == 0 {
				cur = 1
			}
			total += cur * 1000
			cur, seen = 0, true
		default:
			v, ok := englishNumbers[w]
			if !ok {
				return 0, false
			}
			cur += v
			seen = true
		}
	}
	return total + cur, seen
}

// formatNumber writes v without trailing zeros: "35", "3.5".
func formatNumber(v float64) string {
	return strconv.FormatFloat(v, 'f', -1, 64)
}
