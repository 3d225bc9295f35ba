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

// Customers misspell, abbreviate, mix languages and type pinyin; the request still gets through.
func TestDetectTriggerHowCustomersType(t *testing.T) {
	cases := []struct {
		text string
		want Trigger
	}{
		// typos of the words that matter
		{"could I speak with a persno", TriggerHumanRequest},
		{"connect me to a represntative", TriggerHumanRequest},
		{"is there a humna around", TriggerHumanRequest},
		{"I want to make a compliant against your courier", TriggerComplaint},
		{"i wanna complian about my refund", TriggerComplaint},
		{"put me through to your supervsior", TriggerComplaint},
		// txt-speak, caps
		{"can u get me sum1 real", TriggerHumanRequest},
		{"plz transfer me 2 an agent", TriggerHumanRequest},
		{"LET ME TALK TO A PERSON", TriggerHumanRequest},
		{"gonna report u to the BBB", TriggerComplaint},
		// mixed zh/en, pinyin, traditional characters
		{"转人工 pls", TriggerHumanRequest},
		{"我要complain", TriggerComplaint},
		{"能不能给我一个 agent", TriggerHumanRequest},
		{"zhuan ren gong", TriggerHumanRequest},
		{"wo yao tousu", TriggerComplaint},
		{"我要投訴你們", TriggerComplaint},
		{"請轉人工", TriggerHumanRequest},
		// colloquial Chinese
		{"把你们经理叫出来", TriggerComplaint},
		{"这事我要捅到消协去", TriggerComplaint},
		{"给我换个真人来", TriggerHumanRequest},
		{"机器人别回了，找个人跟我说", TriggerHumanRequest},
	}
	for _, c := range cases {
		if got := DetectTrigger(c.text); got != c.want {
			t.Errorf("DetectTrigger(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}

// The same words in another sense, negated or settled, must not send anyone to a person.
func TestDetectTriggerLeavesOrdinaryQuestions(t *testing.T) {
	for _, text := range []string{
		"do you stock human hair extensions",
		"I'd like to become a sales agent",
		"does it pair with my voice assistant",
		"which network operator works with this phone",
		"is the photo representative of the real colour",
		"I don't need an agent, just the tracking link",
		"my complaint has been resolved, cheers",
		"is this email about a refund a scam?",
		"what's the worst case for delivery to Tibet",
		"人工智能学习机有货吗",
		"扫地机器人能拖地吗",
		"这个镜头曝光补偿怎么设置",
		"老板在吗，这个有蓝色吗",
		"不用转人工，我自己看看",
		"我的投诉已经解决了",
		"给领导送什么茶叶好",
		"垃圾桶有盖子吗",
		"滚筒洗衣机多大",
		"人工客服几点上班",
		"晒单到小红书能返现吗",
		"发到朋友圈有优惠吗",
		"I'd like to talk about a bulk order",
		"is there someone who can sign for it if I'm out",
		"my son wants a robot for christmas, not a bot app",
	} {
		if got := DetectTrigger(text); got != TriggerNone {
			t.Errorf("DetectTrigger(%q) = %q, want none", text, got)
		}
		if AnalyzeSentiment(text).Strong {
			t.Errorf("AnalyzeSentiment(%q) is strong", text)
		}
	}
}

func TestSubstance(t *testing.T) {
	cases := []struct{ text, want string }{
		{"转人工", ""},
		{"我要人工客服!", ""},
		{"talk to a human please", ""},
		{"I want to talk to a human", ""},
		{"agent pls", ""},
		{"can i speak to a eprson", ""},
		{"need help speaking with an assistant", ""},
		{"I demand to speak to a manager NOW", ""},
		{"投诉到12315", ""},
		{"我要投诉，东西坏了没人管", "我要投诉，东西坏了没人管"},
		{"转人工,我的发票抬头写错了怎么改", "转人工,我的发票抬头写错了怎么改"},
		{"Talk to a human: my parcel arrived broken", "Talk to a human: my parcel arrived broken"},
	}
	for _, c := range cases {
		if got := Substance(c.text); got != c.want {
			t.Errorf("Substance(%q) = %q, want %q", c.text, got, c.want)
		}
	}
}
