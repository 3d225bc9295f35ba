package slots

import (
	"fmt"
	"strings"
)

// Options lists an enum's values as a customer would name them in lang: for each value its
// first synonym in that language (Chinese for "zh…" and an empty lang), else the value itself.
func Options(spec Spec, lang string) []string {
	zh := Reason{ZH: "zh"}.In(lang) == "zh"
	var out []string
	for _, v := range spec.Values {
		label := v.Value
		for _, s := range v.Synonyms {
			if hasHan(s) == zh {
				label = s
				break
			}
		}
		out = append(out, label)
	}
	return out
}

// Describe says in lang what a slot expects, for the question that re-asks it: the choices of
// an enum, the format and an example of an identifier, the bounds of a number.
func Describe(spec Spec, lang string) string {
	zh := Reason{ZH: "zh"}.In(lang) == "zh"
	pick := func(z, e string) string {
		if zh {
			return z
		}
		return e
	}
	bounds := func() string {
		switch {
		case spec.Min != nil && spec.Max != nil:
			return pick(fmt.Sprintf(",范围 %s 到 %s", formatNumber(*spec.Min), formatNumber(*spec.Max)),
				fmt.Sprintf(", between %s and %s", formatNumber(*spec.Min), formatNumber(*spec.Max)))
		case spec.Min != nil:
			return pick(fmt.Sprintf(",不低于 %s", formatNumber(*spec.Min)), fmt.Sprintf(", at least %s", formatNumber(*spec.Min)))
		case spec.Max != nil:
			return pick(fmt.Sprintf(",不超过 %s", formatNumber(*spec.Max)), fmt.Sprintf(", at most %s", formatNumber(*spec.Max)))
		}
		return ""
	}
	switch spec.Kind {
	case KindEnum:
		return pick("可选:"+strings.Join(Options(spec, lang), "、"), "Choose one of: "+strings.Join(Options(spec, lang), ", "))
	case KindOrderID:
		ex := strings.ToUpper(spec.Example)
		if ex == "" {
			ex = patternExample(orPattern(spec.Pattern))
		}
		hint := hintIn(spec.Hint, zh)
		if hint == "" && orPattern(spec.Pattern) == DefaultOrderPattern {
			hint = pick("1–3 个字母开头加 6–12 位数字", "1–3 letters followed by 6–12 digits")
		}
		if hint == "" {
			return pick("例如 "+ex, "e.g. "+ex)
		}
		return pick(hint+",例如 "+ex, hint+", e.g. "+ex)
	case KindPhone:
		return pick("11 位手机号(如 13812345678)或带区号的座机号(如 010-12345678)", "an 11-digit mobile number (e.g. 13812345678), a landline with area code, or +country code and number")
	case KindEmail:
		return pick("邮箱地址,如 name@example.com", "an email address, e.g. name@example.com")
	case KindDate:
		return pick("日期,如 明天、下周一、3月5日", "a date, e.g. tomorrow, next Monday, March 5")
	case KindTime:
		return pick("时间,如 下午3点、15:30", "a time, e.g. 3pm, 15:30")
	case KindDateTime:
		return pick("日期和时间,如 明天下午3点", "a date and time, e.g. tomorrow at 3pm")
	case KindMoney:
		return pick("金额,如 199元"+bounds(), "an amount, e.g. ¥199"+bounds())
	case KindNumber:
		return pick("数字"+bounds(), "a number"+bounds())
	case KindText:
		if h := hintIn(spec.Hint, zh); h != "" {
			return h
		}
		if spec.MinLen > 0 {
			return pick(fmt.Sprintf("至少 %d 个字", spec.MinLen), fmt.Sprintf("at least %d characters", spec.MinLen))
		}
	}
	return ""
}

// hintIn returns the hint in the wanted language, or in the other if only that one is written.
func hintIn(h Hint, zh bool) string {
	if zh && h.ZH != "" || h.EN == "" {
		return h.ZH
	}
	return h.EN
}

func orPattern(p string) string {
	if p == "" {
		return DefaultOrderPattern
	}
	return p
}
