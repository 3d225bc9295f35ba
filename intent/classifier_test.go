package intent

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"testing"
)

// demoExamples is a small zh+en bot: each intent has Chinese and English examples.
func demoExamples() []Example {
	data := map[string][]string{
		"refund": {
			"我要退款", "怎么申请退款", "退款多久到账", "这个订单能退钱吗", "退货退款流程是什么", "钱什么时候退回来",
			"I want a refund", "how do I get my money back", "refund my order please", "when will my refund arrive",
			"can I return this for a refund", "how long does a refund take",
		},
		"shipping": {
			"我的快递到哪了", "什么时候发货", "物流信息怎么查", "包裹还没收到", "快递怎么这么慢", "订单发货了吗",
			"where is my package", "when will my order ship", "track my delivery", "my parcel has not arrived yet",
			"how long is shipping", "has my order been shipped",
		},
		"password": {
			"忘记密码了", "怎么修改密码", "密码重置", "登录密码不对", "账号登不上去", "找回密码",
			"I forgot my password", "reset my password", "how do I change my password", "I can't log in to my account",
			"password reset link not working", "my login is not working",
		},
		"invoice": {
			"怎么开发票", "我要开发票", "发票抬头写错了", "电子发票在哪下载", "能开增值税专用发票吗", "补开发票",
			"I need an invoice", "how do I get a receipt", "download my invoice", "the invoice has the wrong company name",
			"can you send me a VAT invoice", "where can I find my receipt",
		},
		"opening_hours": {
			"你们几点上班", "营业时间是什么", "周末营业吗", "客服几点下班", "节假日有人吗", "门店几点开门",
			"what are your opening hours", "are you open on weekends", "when do you close", "what time do you open",
			"are you open on public holidays", "business hours please",
		},
	}
	var out []Example
	for intent, texts := range data {
		for _, t := range texts {
			out = append(out, Example{Text: t, Intent: intent})
		}
	}
	return out
}

func trainDemo(t *testing.T, opt TrainOptions) *Model {
	t.Helper()
	m, err := Train(context.Background(), demoExamples(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestPredictParaphrases(t *testing.T) {
	m := trainDemo(t, TrainOptions{})
	cases := []struct{ text, want string }{
		{"退款什么时候能到", "refund"},
		{"I would like my money back", "refund"},
		{"我的包裹在哪里", "shipping"},
		{"where is my parcel", "shipping"},
		{"密码忘了怎么办", "password"},
		{"how can I reset the password", "password"},
		{"发票怎么下载", "invoice"},
		{"please send the invoice", "invoice"},
		{"你们周末上班吗", "opening_hours"},
		{"what time do you close today", "opening_hours"},
		{"ＷＨＥＲＥ ＩＳ ＭＹ ＰＡＣＫＡＧＥ", "shipping"},     // full width
		{"my 快递 still not arrived", "shipping"}, // mixed
	}
	for _, c := range cases {
		t.Run(c.text, func(t *testing.T) {
			p := m.Predict(c.text)
			if p.Ranked[0].Intent != c.want {
				t.Errorf("Predict(%q) ranked %v, want %q first", c.text, p.Ranked, c.want)
			}
		})
	}
}

func TestProbabilities(t *testing.T) {
	m := trainDemo(t, TrainOptions{})
	for _, text := range []string{"我要退款", "where is my package", "xqzv blorp", "", "今天天气怎么样"} {
		p := m.Predict(text)
		if len(p.Ranked) != 5 {
			t.Fatalf("Predict(%q): %d ranked, want 5", text, len(p.Ranked))
		}
		sum := 0.0
		for i, s := range p.Ranked {
			if s.Prob < 0 || s.Prob > 1 || math.IsNaN(s.Prob) {
				t.Errorf("Predict(%q): probability %v out of range", text, s.Prob)
			}
			if i > 0 && s.Prob > p.Ranked[i-1].Prob {
				t.Errorf("Predict(%q): ranked not best first: %v", text, p.Ranked)
			}
			sum += s.Prob
		}
		if sum > 1+1e-9 {
			t.Errorf("Predict(%q): probabilities sum to %v", text, sum)
		}
		if p.Confidence != p.Ranked[0].Prob {
			t.Errorf("Predict(%q): confidence %v is not the top probability %v", text, p.Confidence, p.Ranked[0].Prob)
		}
	}
	// training-like text is confident, off-topic text less so, gibberish not at all
	train := m.Predict("how long does a refund take").Confidence
	if train < 0.8 {
		t.Errorf("confidence %v for a training text, want > 0.8", train)
	}
	for _, text := range []string{"今天天气怎么样", "tell me a joke about penguins"} {
		if c := m.Predict(text).Confidence; c > train-0.2 {
			t.Errorf("confidence %v for off-topic %q, want well below %v for training-like text", c, text, train)
		}
	}
	if c := m.Predict("xqzv blorp flim").Confidence; c > 0.3 {
		t.Errorf("confidence %v for gibberish, want < 0.3", c)
	}
	if cv := m.CV(); cv.ECE > 0.25 || cv.Temperature <= 0 {
		t.Errorf("cross-validated calibration: %+v", cv)
	}
}

func TestThresholdRefusesOutOfScope(t *testing.T) {
	oos := []string{"what is the weather today", "tell me a joke", "who won the football match", "今天天气怎么样",
		"给我讲个笑话", "你喜欢什么颜色", "play some music", "how tall is mount everest", "推荐一部电影", "what is 2 plus 2"}
	for _, withOOS := range []bool{false, true} {
		t.Run(fmt.Sprintf("oos=%v", withOOS), func(t *testing.T) {
			opt := TrainOptions{}
			if withOOS {
				opt.OOS = oos
			}
			m := trainDemo(t, opt)
			if th := m.Threshold(); th <= 0 || th >= 1 {
				t.Fatalf("threshold %v", th)
			}
			refused := []string{"xqzv blorp flim", "asdfgh qwerty", "龘靐齉爩"}
			if withOOS {
				// unseen out-of-scope text, like the OOS examples but not among them
				refused = append(refused, "what is the capital of france", "讲个故事吧")
			}
			for _, text := range refused {
				if p := m.Predict(text); !p.OOS || p.Intent != "" {
					t.Errorf("Predict(%q) = %q (%.2f, threshold %.2f), want refused", text, p.Intent, p.Confidence, m.Threshold())
				}
			}
			for _, text := range []string{"我要退款", "reset my password"} {
				if p := m.Predict(text); p.OOS || p.Intent == "" {
					t.Errorf("Predict(%q) refused (%.2f < %.2f)", text, p.Confidence, m.Threshold())
				}
			}
			m.SetThreshold(0)
			if p := m.Predict("xqzv blorp flim"); p.OOS || p.Intent == "" {
				t.Errorf("threshold 0 still refuses: %+v", p)
			}
		})
	}
}

func TestTrainErrors(t *testing.T) {
	cases := []struct {
		name     string
		examples []Example
		opt      TrainOptions
		want     error
	}{
		{"no examples", nil, TrainOptions{}, ErrTooFewIntents},
		{"one intent", []Example{{"a", "x"}, {"b", "x"}}, TrainOptions{}, ErrTooFewIntents},
		{"empty text", []Example{{"a", "x"}, {"  ", "y"}}, TrainOptions{}, ErrEmptyExample},
		{"empty intent", []Example{{"a", "x"}, {"b", ""}}, TrainOptions{}, ErrEmptyExample},
		{"empty oos", []Example{{"a", "x"}, {"b", "y"}}, TrainOptions{OOS: []string{""}}, ErrEmptyExample},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := Train(context.Background(), c.examples, c.opt)
			if !errors.Is(err, c.want) {
				t.Errorf("Train: %v, want %v", err, c.want)
			}
		})
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Train(ctx, demoExamples(), TrainOptions{}); !errors.Is(err, context.Canceled) {
		t.Errorf("Train with a cancelled context: %v", err)
	}
}

func TestTinyTrainingSet(t *testing.T) {
	m, err := Train(context.Background(), []Example{{"hello", "greet"}, {"bye", "leave"}}, TrainOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if got := m.Predict("hello").Ranked[0].Intent; got != "greet" {
		t.Errorf("Predict(hello) ranked %q first", got)
	}
	if got := m.Intents(); len(got) != 2 || got[0] != "greet" || got[1] != "leave" {
		t.Errorf("Intents() = %v", got)
	}
}

// TestConcurrentPredict is meant for -race: Predict and SetThreshold from many goroutines.
func TestConcurrentPredict(t *testing.T) {
	m := trainDemo(t, TrainOptions{})
	want := m.Predict("where is my package").Ranked[0].Intent
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 50 {
				if g == 0 && i%10 == 0 {
					m.SetThreshold(m.Threshold())
				}
				if got := m.Predict("where is my package").Ranked[0].Intent; got != want {
					t.Errorf("concurrent Predict = %q, want %q", got, want)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func BenchmarkPredict(b *testing.B) {
	m, err := Train(context.Background(), demoExamples(), TrainOptions{})
	if err != nil {
		b.Fatal(err)
	}
	texts := []string{"I am still waiting on my card, what can I do?", "我的快递到哪了，怎么还没到", "reset my password please"}
	for i := 0; b.Loop(); i++ {
		m.Predict(texts[i%len(texts)])
	}
}

// BenchmarkTrainSmallBot trains a bot of the size people write by hand: 15 intents × 16
// examples, half Chinese, half English.
func BenchmarkTrainSmallBot(b *testing.B) {
	en := []string{"how do I %s", "I want to %s", "can you help me %s", "please %s now", "is it possible to %s", "where can I %s", "I need to %s today", "help me %s"}
	zh := []string{"我想%s", "怎么%s", "帮我%s", "可以%s吗", "如何%s", "我要%s", "请问怎么%s", "能不能%s"}
	var examples []Example
	for i := range 15 {
		for j := range 8 {
			examples = append(examples,
				Example{Text: fmt.Sprintf(en[j], fmt.Sprintf("do task%d thing%d", i, j%3)), Intent: fmt.Sprintf("intent%d", i)},
				Example{Text: fmt.Sprintf(zh[j], fmt.Sprintf("办理业务%d号", i)), Intent: fmt.Sprintf("intent%d", i)})
		}
	}
	for b.Loop() {
		if _, err := Train(context.Background(), examples, TrainOptions{}); err != nil {
			b.Fatal(err)
		}
	}
}
