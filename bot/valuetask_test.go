package bot_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/bot"
)

// After "I don't know", an order number continues the task the refused question pointed at, with
// what that question said.
func TestOrderNumberAfterIDontKnowContinuesTheTask(t *testing.T) {
	en := newSim(t)
	en.say("the shoes are too small for me").expect("dont_know")
	en.say("A1234567").asking("photo_note").slot("order_id", "A1234567").slot("reason", "wrong_size")
	require.Equal(t, "return_request", en.st.Task.Intent)
	require.Equal(t, "return_request", en.out.NLU.Intent, "the bot read the message as the task it started")
	require.Zero(t, en.st.LowConfStreak)
	require.Empty(t, en.st.LastUnanswered, "the question is being dealt with")

	zh := newSim(t)
	zh.say("这双鞋子有点挤脚").expect("dont_know")
	zh.say("订单号是B7654321").expect("ask", "退货原因").asking("reason").slot("order_id", "B7654321")
	require.Equal(t, "return_request", zh.st.Task.Intent)
}

// With nothing to go on, a bare order number starts the first task in the definition that takes
// it: track_order in the demo bot.
func TestBareOrderNumberIsTracked(t *testing.T) {
	s := newSim(t)
	s.say("A1234567").expect("action", "A1234567", "运单号")

	after := newSim(t)
	after.say("这件衣服有黑色的吗").expect("dont_know")
	after.say("c1234567").expect("action", "C1234567")

	// Words beside the number say what to do with it.
	ret := newSim(t)
	ret.say("退货A1234567").asking("reason").slot("order_id", "A1234567")
}

// "sorry, A1234574" after a refusal, in English: the message's own words, not the refused
// question, pick the task when that question named none.
func TestOrderNumberInAShortMessageAfterARefusal(t *testing.T) {
	s := newSim(t)
	s.say("whats the best laptop for gaming").expect("dont_know")
	s.say("sorry, A1234574").expect("action", "A1234574")
	require.Equal(t, "track_order", s.last().Meta.Intent)
}

// The offer of a person still stands: "yes" hands off with the question that went unanswered,
// and a clearer restatement starts the task as usual.
func TestOfferOfAPersonAfterIDontKnow(t *testing.T) {
	yes := newSim(t)
	yes.say("the shoes are too small for me").expect("dont_know")
	require.True(t, yes.st.OfferedHuman)
	require.Equal(t, "the shoes are too small for me", yes.say("yes").handoff("low_confidence").Question)

	again := newSim(t)
	again.say("I ordered a jacket last week and it's not here").expect("dont_know")
	again.say("I mean I want to track my order").expect("ask").asking("order_id")
	require.Equal(t, "track_order", again.st.Task.Intent)
	require.False(t, again.st.OfferedHuman)
}

// Asked "A or B?", a customer who answers with an order number gets one of the two with it.
func TestOrderNumberAnswersAClarifyingQuestion(t *testing.T) {
	b := newBot(t, func(d *bot.Definition) {
		ex := map[string][]string{"zh": {"我要处理订单", "帮我弄一下订单", "订单的事"}, "en": {"sort out my order", "help with my order"}}
		d.Intent("track_order").Examples = ex
		d.Intent("change_address").Examples = ex
	})
	s := &sim{t: t, b: b}
	s.say("帮我处理一下订单的事").expect("clarify")
	s.say("A1234567")
	require.Equal(t, "A1234567", s.last().Meta.Slots["order_id"], "bot said %q", s.last().Text)
	require.Contains(t, []string{"track_order", "change_address"}, s.last().Meta.Intent)
}
