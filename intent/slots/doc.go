// Package slots reads the values a task needs (an order number, a phone, a date, a reason) out of
// customers' messages in Chinese, English or both, for the dialogue manager that fills the slots
// of a task over several turns.
//
// A bot definition declares each slot as a [Spec]; [New] checks it and returns its [Extractor].
// Extract finds every value of the slot's kind in a message and reports, apart from them, the
// attempts that fail validation ([Invalid]) with a [Reason] in both languages, so the bot can say
// what was wrong ("订单号格式不对…") instead of asking the same question again. Finding nothing is
// an empty [Result], not an Invalid. [ExtractAll] runs the extractors of a task together and
// settles which slot a piece of text belongs to; [Describe] and [Options] word a re-ask.
//
// Messages are folded before matching (full-width letters, digits and punctuation such as
// "１２３", "＠", "：" and "￥" become ASCII, typographic quotes and dashes plain ones), but every
// Match and Invalid reports Raw, Start and End against the text as written: Raw == text[Start:End].
//
// # Kinds and canonical values
//
//   - order_id: a token matching Spec.Pattern (default [DefaultOrderPattern], one to three letters
//     then six to twelve digits), case-insensitive, canonical upper-case ("a1234567" → "A1234567").
//     Dashes and a single space inside are tolerated ("A123 4567"). A token after an order keyword
//     ("订单号 12345", "order #12345", or Spec.Keywords) or shaped like an id ("AB12345") that does
//     not match is Invalid, with Spec.Hint and an example (Spec.Example, or one derived from the
//     pattern). A token after a reference to another kind of number ("invoice #00108", "see bill
//     #12588", "快递单号 SF…") is neither, unless the slot's Keywords name that reference. Any other
//     identifier (tax id, tracking number) can use this kind with its own Pattern, Keywords and
//     Hint; without Keywords it takes the order keywords too, so give it its own.
//   - phone: E.164, "+8613812345678". Chinese mobiles (1[3-9] and nine digits, with or without
//     +86/0086/86), Chinese landlines with the area code ("010-12345678" → "+861012345678"),
//     400/800 service numbers, and international numbers written with "+" or "00" and the country
//     code ("+44 (0)20 7946 0958", "+1 (415) 555-2671"); spaces, dashes, dots and brackets may
//     group the digits. A mobile with a digit too many or too few, a "+" number of the wrong length,
//     or digits after "电话"/"phone" that are no number are Invalid.
//   - email: the address with its domain lower-cased (the local part keeps its case). A "@" word
//     that is no valid address ("abc@qq", "a..b@x.com") is Invalid.
//   - date: "2006-01-02". See the rules below; a day that does not exist ("2月30日") is Invalid, and
//     with Spec.Future so is a day before today ("该日期已过去").
//   - time: "15:04", 24-hour. "下午3点", "3点半", "晚上8点15", "十点一刻", "15:30", "3pm",
//     "3:30 pm", "noon", "中午", "midnight", "3 in the afternoon", "tonight at 8", "at 3". An hour
//     or minute out of range ("25点", "15:70", "13pm") is Invalid.
//   - datetime: RFC 3339 in Env.Loc, "2026-11-22T15:00:00+08:00": a date with the time next to it
//     ("明天下午3点", "tomorrow at 3pm", "3pm tomorrow"). A time alone is today (with Future, the
//     next such time); a date alone is Invalid with code no_time, asking for the time.
//   - money: "AMOUNT CURRENCY" with two decimals, "199.00 CNY". "¥199", "199元", "199块", "两百块",
//     "3块5" (3.50), "5毛", "1.5万", "3千5", "2k", "RMB 200", "人民币200元", "$20", "20 dollars",
//     "USD 20.50", "€5", "£5", "HK$5", "20刀". An amount with no currency (after a money word as in
//     "退款199" or "refund 50", with 万/千/k as in "1.5万", or a message that is only an amount)
//     takes Spec.Currency, CNY by default. Min and Max bound the amount whatever its currency.
//   - number: "35", "3.5", no trailing zeros. Digits ("1,200", "3.5", "２"), Chinese numerals
//     ("三十五", "两百零五", "一千二" = 1200, "三万五" = 35000, "十", "两", "3千5", "1.5万") and
//     English words ("twenty-five", "a hundred and five"). Digits that belong to a date, time, phone
//     or email are not numbers ("11/23", "3点"); nor are numeral characters used as words ("一下",
//     "一定", "三星", "万一", "十分", "which one"): a single Chinese numeral counts only before a
//     measure word ("三件") or as the whole message. Outside Min/Max is Invalid.
//   - enum: the Value of the EnumValue whose synonym (or value) appears, case-, width- and
//     apostrophe-insensitively ("DOESN’T FIT" and "doesnt fit" match "doesn't fit"), the longest
//     synonym winning; English synonyms of five letters or more also match with one typo
//     ("damagd"). A mention that matches no value is not Invalid; re-ask with [Options].
//   - text: the message without greetings, the slot's own name and politeness ("你好,我的新地址是",
//     "my new address is", "改成", "因为", trailing "谢谢", "thanks", particles), as written. Invalid
//     when shorter than MinLen or longer than MaxLen characters, or not matching Pattern. The
//     dialogue manager applies text only to the slot it is asking for, except a value the message
//     introduces with a cue ([Cued]): the slot's subject, known from a word of its name (address,
//     title, name, note, remark, comment) or from Spec.Keywords, with a change verb ("地址改成 …",
//     "change the address … to …", "new address is …"), or for an address a sending verb ("寄到 …",
//     "send order A1234581 to …").
//
// # Relative dates
//
// Dates are resolved against Env.Now in Env.Loc (the zone of Now when Loc is nil; time.Now() when
// Now is zero). Weeks run Monday to Sunday.
//
//   - 今天/today, 明天/tomorrow/tmrw, 后天/the day after tomorrow, 大后天 (+3), 昨天/yesterday,
//     前天 (-2); 今晚/tonight and 明早/明晚 are those days with an evening or morning.
//   - "周五", "星期五", "礼拜五", "Friday", "this Friday", "coming Friday", "on Fri": the next Friday
//     from today, today included (on a Friday, "周五" is today).
//   - "这周五", "本周五": the Friday of the current week, which may have passed (on Saturday it was
//     yesterday). Note the difference from English "this Friday", which looks ahead.
//   - "下周一", "下星期三", "next Monday": that day in the following week (on Saturday 21 November
//     2026, "next Monday" is the 23rd; on Monday the 23rd it is the 30th). "下下周一" is a week
//     later; "上周五"/"last Friday" the previous week's.
//   - "周末"/"weekend": the coming Saturday (today on a Sunday); "下周末"/"next weekend" the next
//     week's Saturday.
//   - "5天后", "三天后", "两周后", "1个月后", "过三天", "in 3 days", "in two weeks", "3 days later",
//     "3 days ago", "3天前": counted from today; months keep the day of month, clamped to the
//     month's end.
//   - A month and day without a year ("3月5日", "March 5", "5 March", "Mar 5th", "3/5") is the
//     occurrence nearest today (within about six months); with Spec.Future, the next one not
//     before today. Slashes are month first: "3/5" is 5 March, "3/5/2026" 5 March 2026.
//   - A day alone ("3号", "二十号", "the 5th") is in last, this or next month, by the same rule;
//     "下个月3号" names the month. "N号" after a street, before 楼/线/院 or as a size ("建国路18号",
//     "6号线", "42号", "大一号") and "N日" in "7日无理由" are not dates.
//   - Full dates: "2026年3月5日", "二〇二六年三月五号", "2026-03-05", "2026/3/5", "2026.3.5",
//     "March 5, 2026".
//
// # Times of day
//
// A period word sets the half of the day: 上午/早上/am as written, 下午/傍晚/pm add 12, 晚上/
// tonight add 12 from 5 to 11, and 晚上12点 or 今晚1点 fall after midnight (a datetime moves to the
// next day); 中午1点 is 13:00, 凌晨2点 02:00. Without a period, hours 1 to 6 are read as the
// afternoon ("3点" is 15:00, since customers arrange calls and deliveries in the daytime) and 7 to
// 12 as written; a leading zero ("03:00") keeps the hour as written. A Chinese-numeral hour with
// nothing else ("有两点要说") is a time only after a date word or "到/在/约" ("明天两点").
//
// # Overlaps
//
// Every extractor on its own finds all it recognises. [ExtractAll] then gives each span to the
// most specific kind: order_id, then email, phone, date/time/datetime (which may share spans, so
// "明天下午3点" fills a date slot and a time slot), money; number and enum take only what is left,
// and text drops values at its edges that another slot took ("订单A1234567 想退货" leaves the
// reason "想退货"). An Invalid attempt at a specific kind is dropped when another slot matched its
// span and otherwise keeps less specific kinds away ("订单号 12345" is a bad order number, not the
// number 12345).
package slots
