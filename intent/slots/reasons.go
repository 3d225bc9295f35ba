package slots

import "fmt"

// Reason codes, stable for analytics and tests.
const (
	CodeFormat      = "format"       // an identifier (order_id, pattern text) does not match its pattern
	CodePhone       = "phone"        // not a valid phone number
	CodePhoneLength = "phone_length" // a mobile number with the wrong number of digits
	CodeEmail       = "email"        // not a valid email address
	CodeDate        = "date"         // no such date (2月30日)
	CodeTime        = "time"         // no such time (25点)
	CodePast        = "past"         // a date or time before now where the slot wants the future
	CodeNoTime      = "no_time"      // a datetime slot got a date without a time of day
	CodeRange       = "range"        // a number or amount outside min/max
	CodeTooShort    = "too_short"    // text shorter than min_length
	CodeTooLong     = "too_long"     // text longer than max_length
)

func newReason(code, zh, en string) *Reason { return &Reason{Code: code, ZH: zh, EN: en} }

func reasonPhone(raw string) *Reason {
	return newReason(CodePhone,
		fmt.Sprintf("电话号码「%s」格式不对,请提供 11 位手机号(如 13812345678)、带区号的座机号(如 010-12345678),国际号码请以 + 和国家代码开头", raw),
		fmt.Sprintf("%q doesn't look like a phone number: give an 11-digit mobile number (e.g. 13812345678), a landline with its area code (e.g. 010-12345678), or an international number starting with + and the country code", raw))
}

func reasonPhoneLength(raw string, digits int) *Reason {
	return newReason(CodePhoneLength,
		fmt.Sprintf("手机号应为 11 位数字,「%s」是 %d 位,请核对(如 13812345678)", raw, digits),
		fmt.Sprintf("A mobile number has 11 digits but %q has %d; please check it (e.g. 13812345678)", raw, digits))
}

func reasonEmail(raw string) *Reason {
	return newReason(CodeEmail, fmt.Sprintf("邮箱「%s」格式不对,应类似 name@example.com", raw),
		fmt.Sprintf("%q isn't a valid email address; it should look like name@example.com", raw))
}

func reasonDate(raw string) *Reason {
	return newReason(CodeDate, fmt.Sprintf("日期「%s」不存在,请检查月份和日期", raw),
		fmt.Sprintf("%q isn't a real date; please check the month and day", raw))
}

func reasonTime(raw string) *Reason {
	return newReason(CodeTime, fmt.Sprintf("时间「%s」不存在,请用例如 下午3点 或 15:30 的说法", raw),
		fmt.Sprintf("%q isn't a valid time; try e.g. 3pm or 15:30", raw))
}

func reasonPastDate(raw, value string) *Reason {
	return newReason(CodePast, fmt.Sprintf("该日期已过去(「%s」是 %s),请选择今天或之后的日期", raw, value),
		fmt.Sprintf("That date has already passed (%q is %s); please choose today or a later date", raw, value))
}

func reasonPastTime(raw, value string) *Reason {
	return newReason(CodePast, fmt.Sprintf("该时间已过去(「%s」是 %s),请选择之后的时间", raw, value),
		fmt.Sprintf("That time has already passed (%q is %s); please choose a later time", raw, value))
}

func reasonNoTime(raw string) *Reason {
	return newReason(CodeNoTime, fmt.Sprintf("「%s」是哪一天已经知道了,请再告诉我具体几点", raw),
		fmt.Sprintf("Got the day (%q); what time on that day?", raw))
}

// reasonRange explains a number or amount outside the spec's bounds; unit follows each bound.
func reasonRange(money bool, raw string, min, max *float64, unit string) *Reason {
	zhWhat, enWhat := "数字", "The number"
	if money {
		zhWhat, enWhat = "金额", "The amount"
	}
	b := func(p *float64) string { return formatNumber(*p) + unit }
	switch {
	case min != nil && max != nil:
		return newReason(CodeRange, fmt.Sprintf("%s「%s」超出范围,应在 %s 到 %s 之间", zhWhat, raw, b(min), b(max)),
			fmt.Sprintf("%s %q is out of range: it must be between %s and %s", enWhat, raw, b(min), b(max)))
	case min != nil:
		return newReason(CodeRange, fmt.Sprintf("%s「%s」太小,不能低于 %s", zhWhat, raw, b(min)),
			fmt.Sprintf("%s %q is too small: it must be at least %s", enWhat, raw, b(min)))
	default:
		return newReason(CodeRange, fmt.Sprintf("%s「%s」太大,不能超过 %s", zhWhat, raw, b(max)),
			fmt.Sprintf("%s %q is too large: it must be at most %s", enWhat, raw, b(max)))
	}
}

// reasonFormat explains a refused identifier with the spec's hint and an example; order numbers
// name themselves, other identifiers stay generic since the spec knows better what they are.
func reasonFormat(raw string, spec Spec, example string) *Reason {
	hz, he := spec.Hint.ZH, spec.Hint.EN
	if hz == "" && he == "" && spec.Kind == KindOrderID && (spec.Pattern == "" || spec.Pattern == DefaultOrderPattern) {
		hz, he = "1–3 个字母开头加 6–12 位数字", "1–3 letters followed by 6–12 digits"
	}
	if hz == "" {
		hz = he
	}
	if he == "" {
		he = hz
	}
	zhWhat, enWhat := fmt.Sprintf("「%s」格式不对", raw), fmt.Sprintf("%q doesn't look right", raw)
	if spec.Kind == KindOrderID && len(spec.Keywords) == 0 {
		zhWhat = fmt.Sprintf("订单号「%s」格式不对", raw)
		enWhat = fmt.Sprintf("The order number %q doesn't look right", raw)
	}
	if hz == "" {
		return &Reason{Code: CodeFormat, ZH: fmt.Sprintf("%s,正确的格式例如 %s", zhWhat, example),
			EN: fmt.Sprintf("%s: it should look like %s", enWhat, example)}
	}
	return &Reason{Code: CodeFormat, ZH: fmt.Sprintf("%s,应为%s,例如 %s", zhWhat, hz, example),
		EN: fmt.Sprintf("%s: it should be %s, e.g. %s", enWhat, he, example)}
}

func reasonLength(short bool, n, limit int) *Reason {
	if short {
		return newReason(CodeTooShort, fmt.Sprintf("内容太短(%d 个字),请至少写 %d 个字", n, limit),
			fmt.Sprintf("That's too short (%d characters); please write at least %d", n, limit))
	}
	return newReason(CodeTooLong, fmt.Sprintf("内容太长(%d 个字),请不要超过 %d 个字", n, limit),
		fmt.Sprintf("That's too long (%d characters); please keep it to %d", n, limit))
}
