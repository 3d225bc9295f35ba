package intent

import "testing"

func TestDetectTrigger(t *testing.T) {
	cases := []struct {
		text string
		want Trigger
	}{
		{"转人工", TriggerHumanRequest},
		{"我要人工客服", TriggerHumanRequest},
		{"Can I talk to a human please?", TriggerHumanRequest},
		{"ＴＡＬＫ ＴＯ Ａ ＨＵＭＡＮ", TriggerHumanRequest},
		{"I want to speak to a real person", TriggerHumanRequest},
		{"我要投诉你们的快递", TriggerComplaint},
		{"你们服务太差了", TriggerComplaint},
		{"This is unacceptable, I want to file a complaint", TriggerComplaint},
		{"投诉!转人工!", TriggerComplaint},
		{"how long does a refund take", TriggerNone},
		{"退款多久到账", TriggerNone},
		{"my order is in the humanities section", TriggerNone},
		{"the operators of this site", TriggerNone},
	}
	for _, c := range cases {
		if got := DetectTrigger(c.text); got != c.want {
			t.Errorf("DetectTrigger(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

func TestSubstance(t *testing.T) {
	cases := []struct{ text, want string }{
		{"转人工", ""},
		{"我要人工客服!", ""},
		{"talk to a human please", ""},
		{"I want to talk to a human", ""},
		{"转人工,我的发票抬头写错了怎么改", "转人工,我的发票抬头写错了怎么改"},
		{"Talk to a human: my parcel arrived broken", "Talk to a human: my parcel arrived broken"},
	}
	for _, c := range cases {
		if got := Substance(c.text); got != c.want {
			t.Errorf("Substance(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
