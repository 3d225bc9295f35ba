package slots

import (
	"strings"
	"testing"
)

// Today in testEnv is Saturday 2026-11-21.
func TestDateChinese(t *testing.T) {
	runCases(t, mustNew(t, Spec{Kind: KindDate}), testEnv(t), []extractCase{
		{"今天", []string{"2026-11-21"}, nil},
		{"明天送到", []string{"2026-11-22"}, []string{"明天"}},
		{"后天", []string{"2026-11-23"}, nil},
		{"大后天可以吗", []string{"2026-11-24"}, []string{"大后天"}},
		{"昨天收到的", []string{"2026-11-20"}, nil},
		{"下周一", []string{"2026-11-23"}, nil},
		{"下星期三", []string{"2026-11-25"}, nil},
		{"这周五", []string{"2026-11-20"}, nil},
		{"本周五", []string{"2026-11-20"}, nil},
		{"周五", []string{"2026-11-27"}, nil},
		{"礼拜五", []string{"2026-11-27"}, nil},
		{"周六", []string{"2026-11-21"}, nil},
		{"周日", []string{"2026-11-22"}, nil},
		{"下个月3号", []string{"2026-12-03"}, nil},
		{"3号", []string{"2026-12-03"}, nil},
		{"二十号", []string{"2026-11-20"}, nil},
		{"3月5日", []string{"2027-03-05"}, nil},
		{"12月25号", []string{"2026-12-25"}, nil},
		{"十二月二十五日", []string{"2026-12-25"}, nil},
		{"2026年3月5日", []string{"2026-03-05"}, nil},
		{"二〇二七年一月五号", []string{"2027-01-05"}, nil},
		{"2026-03-05", []string{"2026-03-05"}, nil},
		{"2026/3/5", []string{"2026-03-05"}, nil},
		{"２０２６／３／５", []string{"2026-03-05"}, []string{"２０２６／３／５"}},
		{"3/5", []string{"2027-03-05"}, nil},
		{"11/23", []string{"2026-11-23"}, nil},
		{"5天后", []string{"2026-11-26"}, nil},
		{"三天后", []string{"2026-11-24"}, nil},
		{"两周后", []string{"2026-12-05"}, nil},
		{"1个月后", []string{"2026-12-21"}, nil},
		{"周五或者下周一", []string{"2026-11-27", "2026-11-23"}, nil},
		{"2月30日", []string{"!date"}, nil},
		{"13月5日", []string{"!date"}, nil},
		{"2026-02-30", []string{"!date"}, nil},
		{"建国路18号", nil, nil},
		{"我穿42号", nil, nil},
		{"能换大一号吗", nil, nil},
		{"地铁6号线", nil, nil},
		{"7日无理由退货", nil, nil},
		{"一周一次", nil, nil},
		{"版本1.2.3", nil, nil},
	})
}

func TestDateEnglish(t *testing.T) {
	runCases(t, mustNew(t, Spec{Kind: KindDate}), testEnv(t), []extractCase{
		{"today", []string{"2026-11-21"}, nil},
		{"Tomorrow please", []string{"2026-11-22"}, []string{"Tomorrow"}},
		{"tmrw", []string{"2026-11-22"}, nil},
		{"tomorow", []string{"2026-11-22"}, nil},
		{"the day after tomorrow", []string{"2026-11-23"}, nil},
		{"yesterday", []string{"2026-11-20"}, nil},
		{"next Monday", []string{"2026-11-23"}, nil},
		{"this Friday", []string{"2026-11-27"}, nil},
		{"on Friday", []string{"2026-11-27"}, []string{"Friday"}},
		{"on Sat", []string{"2026-11-21"}, []string{"Sat"}},
		{"next fri", []string{"2026-11-27"}, nil}, // Friday of next week
		{"last Sunday", []string{"2026-11-15"}, nil},
		{"in 3 days", []string{"2026-11-24"}, nil},
		{"in two weeks", []string{"2026-12-05"}, nil},
		{"3 days ago", []string{"2026-11-18"}, nil},
		{"March 5", []string{"2027-03-05"}, nil},
		{"5 March", []string{"2027-03-05"}, nil},
		{"Mar 5th", []string{"2027-03-05"}, nil},
		{"December 1st, 2026", []string{"2026-12-01"}, nil},
		{"the 5th", []string{"2026-12-05"}, nil},
		{"next weekend", []string{"2026-11-28"}, nil},
		{"3/5/2026", []string{"2026-03-05"}, nil},
		{"明天 or tomorrow", []string{"2026-11-22", "2026-11-22"}, nil},
		{"February 30", []string{"!date"}, nil},
		{"I sat down", nil, nil},
		{"may I ask", nil, nil},
	})
}

func TestDateFuture(t *testing.T) {
	x := mustNew(t, Spec{Kind: KindDate, Future: true})
	runCases(t, x, testEnv(t), []extractCase{
		{"今天", []string{"2026-11-21"}, nil},
		{"3号", []string{"2026-12-03"}, nil},
		{"二十号", []string{"2026-12-20"}, nil},
		{"11/20", []string{"2027-11-20"}, nil},
		{"昨天", []string{"!past"}, nil},
		{"这周五", []string{"!past"}, nil},
		{"2026-03-05", []string{"!past"}, nil},
	})
	r := x.Extract("昨天", testEnv(t))
	if zh := r.Invalid[0].Reason.In("zh"); !strings.Contains(zh, "该日期已过去") {
		t.Errorf("zh reason = %q", zh)
	}
	if en := r.Invalid[0].Reason.In("en"); !strings.Contains(en, "already passed") {
		t.Errorf("en reason = %q", en)
	}
}

// On a Sunday "周日" is today and "下周日" a week on; on a Monday "next Monday" is a week on.
func TestWeekdayRules(t *testing.T) {
	env := testEnv(t)
	x := mustNew(t, Spec{Kind: KindDate})
	sunday := env
	sunday.Now = env.Now.AddDate(0, 0, 1)
	monday := env
	monday.Now = env.Now.AddDate(0, 0, 2)
	runCases(t, x, sunday, []extractCase{
		{"周日", []string{"2026-11-22"}, nil},
		{"这周日", []string{"2026-11-22"}, nil},
		{"下周日", []string{"2026-11-29"}, nil},
		{"周一", []string{"2026-11-23"}, nil},
	})
	runCases(t, x, monday, []extractCase{
		{"next Monday", []string{"2026-11-30"}, nil},
		{"Monday", []string{"2026-11-23"}, nil},
		{"下周一", []string{"2026-11-30"}, nil},
	})
}
