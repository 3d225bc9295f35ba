package slots

import "testing"

func TestDateTime(t *testing.T) {
	runCases(t, mustNew(t, Spec{Kind: KindDateTime}), testEnv(t), []extractCase{
		{"明天下午3点", []string{"2026-11-22T15:00:00+08:00"}, []string{"明天下午3点"}},
		{"明天下午三点", []string{"2026-11-22T15:00:00+08:00"}, nil},
		{"下周一上午10点半", []string{"2026-11-23T10:30:00+08:00"}, nil},
		{"今晚8点", []string{"2026-11-21T20:00:00+08:00"}, nil},
		{"周五晚上12点", []string{"2026-11-28T00:00:00+08:00"}, nil},
		{"2026-12-01 15:30", []string{"2026-12-01T15:30:00+08:00"}, nil},
		{"3月5日 9:00", []string{"2027-03-05T09:00:00+08:00"}, nil},
		{"tomorrow at 3pm", []string{"2026-11-22T15:00:00+08:00"}, []string{"tomorrow at 3pm"}},
		{"3pm tomorrow", []string{"2026-11-22T15:00:00+08:00"}, nil},
		{"10am on Friday", []string{"2026-11-27T10:00:00+08:00"}, nil},
		{"next Monday at noon", []string{"2026-11-23T12:00:00+08:00"}, nil},
		{"下午3点", []string{"2026-11-21T15:00:00+08:00"}, nil},
		{"明天", []string{"!no_time"}, nil},
		{"明天下午", []string{"!no_time"}, nil},
		{"2月30日下午3点", []string{"!date"}, nil},
		{"明天25点", []string{"!time"}, nil},
	})
}

func TestDateTimeFuture(t *testing.T) {
	runCases(t, mustNew(t, Spec{Kind: KindDateTime, Future: true}), testEnv(t), []extractCase{
		{"明天上午9点", []string{"2026-11-22T09:00:00+08:00"}, nil},
		{"下午3点", []string{"2026-11-21T15:00:00+08:00"}, nil},
		{"早上8点", []string{"2026-11-22T08:00:00+08:00"}, nil}, // today's 8:00 has passed: the next one
		{"今天早上8点", []string{"!past"}, nil},
		{"昨天下午3点", []string{"!past"}, nil},
	})
}
