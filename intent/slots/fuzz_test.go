package slots

import "testing"

// FuzzExtract runs every extractor and ExtractAll on arbitrary text: no panics, and every span
// lies inside the text and is exactly its Raw.
func FuzzExtract(f *testing.F) {
	for _, s := range []string{
		"订单A1234567,电话13812345678,退款199元", "明天下午3点", "+1 (415) 555-2671", "ａｂｃ＠ＱＱ．ｃｏｍ", "３点半",
		"2月30日", "two hundred and five", "3千5", "新地址是 北京市朝阳区建国路88号 谢谢", "\xff\xfe１２", "¥", "@@", "+",
		"00", "0086", "晚上12点", "the day after tomorrow", "it doesn’t fit", "１３８－１２３４－５６７８", "一亿两千万",
	} {
		f.Add(s)
	}
	env := testEnv(f)
	var exts []Extractor
	for _, spec := range []Spec{
		{Kind: KindOrderID}, {Kind: KindPhone}, {Kind: KindEmail}, {Kind: KindDate}, {Kind: KindTime},
		{Kind: KindDateTime, Future: true}, {Kind: KindMoney, Max: f64(1e6)}, {Kind: KindNumber, Min: f64(0)},
		{Kind: KindText, MinLen: 2}, reasonSpec(),
	} {
		exts = append(exts, mustNew(f, spec))
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, x := range exts {
			checkSpans(t, text, x.Extract(text, env))
		}
		for _, r := range ExtractAll(text, env, exts) {
			checkSpans(t, text, r)
		}
	})
}
