package slots

import "testing"

func TestTime(t *testing.T) {
	runCases(t, mustNew(t, Spec{Kind: KindTime}), testEnv(t), []extractCase{
		{"下午3点", []string{"15:00"}, nil},
		{"下午三点", []string{"15:00"}, nil},
		{"3点半", []string{"15:30"}, nil},
		{"晚上8点15", []string{"20:15"}, nil},
		{"上午10点", []string{"10:00"}, nil},
		{"十点一刻", []string{"10:15"}, nil},
		{"凌晨2点", []string{"02:00"}, nil},
		{"晚上12点", []string{"00:00"}, nil},
		{"中午", []string{"12:00"}, nil},
		{"中午1点", []string{"13:00"}, nil},
		{"8点整", []string{"08:00"}, nil},
		{"１５：３０", []string{"15:30"}, []string{"１５：３０"}},
		{"15:30", []string{"15:30"}, nil},
		{"03:30", []string{"03:30"}, nil},
		{"3pm", []string{"15:00"}, nil},
		{"3:30 pm", []string{"15:30"}, nil},
		{"9:00am", []string{"09:00"}, nil},
		{"12am", []string{"00:00"}, nil},
		{"noon", []string{"12:00"}, nil},
		{"midnight", []string{"00:00"}, nil},
		{"3 in the afternoon", []string{"15:00"}, nil},
		{"tonight at 8", []string{"20:00"}, nil},
		{"at 3 tomorrow", []string{"15:00"}, nil},
		{"明天两点", []string{"14:00"}, []string{"两点"}},
		{"25点", []string{"!time"}, nil},
		{"15:70", []string{"!time"}, nil},
		{"13pm", []string{"!time"}, nil},
		{"有两点要说明", nil, nil},
		{"十一点", []string{"11:00"}, nil},
		{"十一点前送到", []string{"11:00"}, nil},
		{"便宜一点", nil, nil},
		{"at 5 stars", nil, nil},
		{"比分3:2", nil, nil},
	})
}
