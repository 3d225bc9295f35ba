package handoff

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func transcript(lines ...string) []TranscriptLine {
	out := []TranscriptLine{}
	for i, l := range lines {
		sender := "customer"
		if i%2 == 1 {
			sender = "bot"
		}
		out = append(out, TranscriptLine{Sender: sender, Text: l})
	}
	return out
}

// The extractive summary keeps what the customer needs the agent to know, drops greetings and
// the bot's lines, and stays in the customer's words and order.
func TestExtractiveSummary(t *testing.T) {
	tests := []struct {
		name    string
		ctx     Context
		want    []string // exactly these sentences, in this order
		notWant []string
	}{
		{
			name: "zh: order number, complaint and the handoff question",
			ctx: Context{Language: "zh", Reason: ReasonComplaint, Question: "为什么还没发货", Slots: map[string]string{"order_id": "A1234567"},
				Transcript: transcript(
					"你好",
					"您好，请问有什么可以帮您？",
					"我上周买了一件外套。订单号是A1234567。",
					"订单 A1234567 已发货。",
					"今天天气不错。为什么还没发货？",
					"抱歉给您带来不便。",
					"太慢了，我要投诉！",
				)},
			want:    []string{"订单号是A1234567。", "为什么还没发货？", "太慢了，我要投诉！"},
			notWant: []string{"你好", "订单 A1234567 已发货。", "今天天气不错。"},
		},
		{
			name: "en: the question, the order and the anger; hello and the request for a human dropped",
			ctx: Context{Language: "en", Reason: ReasonHumanRequest, Question: "my refund for order B7654321 never arrived",
				Slots: map[string]string{"order_id": "B7654321"},
				Transcript: transcript(
					"Hi there.",
					"Hello! How can I help?",
					"I returned a jacket two weeks ago. My refund for order B7654321 never arrived.",
					"Refunds take 3-5 business days.",
					"It has been 14 days and I am really frustrated.",
					"Sorry about that.",
					"talk to a human",
				)},
			want: []string{"I returned a jacket two weeks ago.", "My refund for order B7654321 never arrived.",
				"It has been 14 days and I am really frustrated."},
			notWant: []string{"Hi there.", "talk to a human", "Refunds take 3-5 business days."},
		},
		{
			name: "a decimal or e-mail address does not end a sentence",
			ctx: Context{Language: "en", Question: "was I charged 12.50 twice",
				Transcript: transcript("Was I charged 12.50 twice? My e-mail is ann.lee@example.com and I need the invoice.")},
			want: []string{"Was I charged 12.50 twice?", "My e-mail is ann.lee@example.com and I need the invoice."},
		},
		{
			name: "a request for a person inside the handed-off question is still left out",
			ctx: Context{Language: "en", Question: "It arrived broken and I'm really disappointed. talk to a human",
				Transcript: transcript("I want to return order A1234567", "What's the reason?",
					"It arrived broken and I'm really disappointed. talk to a human")},
			want: []string{"I want to return order A1234567", "It arrived broken and I'm really disappointed."},
		},
		{
			name: "only a request for a person: the handoff question stands in",
			ctx:  Context{Language: "zh", Question: "发票抬头写错了怎么改", Transcript: transcript("转人工")},
			want: []string{"发票抬头写错了怎么改"},
		},
		{
			name: "nothing at all",
			ctx:  Context{Language: "en", Transcript: transcript("hello", "Hi!", "Thanks!", "Hi!", "你好", "Hi!", "谢谢")},
			want: []string{},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Extractive(tt.ctx)
			require.Equal(t, SummaryExtractive, got.Source)
			require.Equal(t, tt.want, got.Sentences)
			for _, s := range tt.notWant {
				require.NotContains(t, got.Text, s)
			}
		})
	}
}

// At most three sentences, even from a long transcript; the latest complaint outranks old chatter.
func TestExtractiveSummaryKeepsThree(t *testing.T) {
	var lines []string
	for i := 0; i < 10; i++ {
		lines = append(lines, "Can you tell me about the sizes of the blue shirt?", "Sure.")
	}
	lines = append(lines, "This is unacceptable, the parcel arrived broken.")
	got := Extractive(Context{Language: "en", Transcript: transcript(lines...)})
	require.Len(t, got.Sentences, 2, "duplicates count once: %v", got.Sentences)
	require.Equal(t, "This is unacceptable, the parcel arrived broken.", got.Sentences[1])
}

// Short requests count ("我要退货" says what the customer wants); bare answers and requests for a
// person do not.
func TestExtractiveSummaryShortRequests(t *testing.T) {
	got := Extractive(Context{Language: "zh", Slots: map[string]string{"order_id": "A1234567"},
		Transcript: transcript("我要退货", "请提供要退货的订单号", "订单A1234567", "请问退货原因是什么？", "好的", "请稍等", "转人工")})
	require.Equal(t, []string{"我要退货", "订单A1234567"}, got.Sentences)
}
