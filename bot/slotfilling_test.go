package bot_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/kb"
)

// An address given with the order number in the first message is taken: the bot goes straight
// to its confirmation instead of asking for what it was just told.
func TestAddressInTheFirstMessageIsTaken(t *testing.T) {
	zh := newSim(t)
	zh.say("帮我把订单A1234581的地址改成杭州市西湖区文三路90号").expect("confirm", "杭州市西湖区文三路90号").
		slot("order_id", "A1234581").slot("new_address", "杭州市西湖区文三路90号")

	en := newSim(t)
	en.say("please send order A1234581 to 1 Queen Street, Auckland 1010 instead").
		expect("confirm", `"1 Queen Street, Auckland 1010"`).slot("order_id", "A1234581")
	require.Equal(t, "change_address", en.out.NLU.Intent)

	// Asked for the order number, the customer gives both.
	both := newSim(t)
	both.say("I need to change my delivery address").asking("order_id")
	both.say("it's D1234560, change the address to 22 Baker Street, London").expect("confirm", "22 Baker Street, London")

	// "somewhere else" is no address: it is asked for.
	vague := newSim(t)
	vague.say("can you ship order D1234560 to my work address instead").asking("new_address")
}

// A number that another word names ("invoice #00108", "bill #12588", "ticket 555") is not an
// order number or a tax id, and small talk never carries one.
func TestNumbersGoToTheSlotOfTheirKind(t *testing.T) {
	inv := newSim(t)
	inv.say("look for invoice #00108").expect("ask").asking("order_id")
	require.Empty(t, inv.st.Task.Slots)
	inv.say("A1234567").asking("invoice_title")
	inv.say("John Smith").asking("tax_id")
	inv.say("bill #12588").expect("reask").asking("tax_id")
	require.NotContains(t, inv.st.Task.Slots, "tax_id")

	bill := newSim(t)
	bill.say("see bill #12588")
	require.NotEqual(t, "goodbye", bill.last().Meta.Intent, "bot said %q", bill.last().Text)
	require.Empty(t, bill.out.NLU.Intent, "not read as small talk")

	ticket := newSim(t)
	ticket.say("track my order").asking("order_id")
	ticket.say("ticket 555").expect("reask").asking("order_id")
	require.Empty(t, ticket.st.Task.Slots)

	// Order numbers are read whatever their case.
	lower := newSim(t)
	lower.say("need to change address for order a1234581").asking("new_address").slot("order_id", "A1234581")
}

// Typos and English words in Chinese messages are read as what they mean.
func TestTyposAndMixedLanguageAreUnderstood(t *testing.T) {
	typo := newSim(t)
	typo.say("i wnat a refnd for my order").expect("ask").asking("order_id")
	require.Equal(t, "return_request", typo.st.Task.Intent)

	addr := newSim(t)
	addr.say("need to chnage adress for order a1234581").asking("new_address").slot("order_id", "A1234581")
	require.Equal(t, "change_address", addr.st.Task.Intent)

	mixed := newSim(t)
	mixed.say("想return一下 订单B1234571 size不对").asking("photo_note").
		slot("order_id", "B1234571").slot("reason", "wrong_size")
	require.Equal(t, "return_request", mixed.st.Task.Intent)
}

// "不用了，取消吧" cancels; "不用了" to an optional question only skips it.
func TestCancelInSeveralWords(t *testing.T) {
	zh := newSim(t)
	zh.say("我要退货").asking("order_id")
	zh.say("不用了，取消吧").expect("cancelled")
	require.Nil(t, zh.st.Task)

	en := newSim(t)
	en.say("I need an invoice").asking("order_id")
	en.say("no, cancel it please").expect("cancelled")

	skip := newSim(t)
	skip.say("订单B7654321我要退货，尺码不合适").asking("photo_note")
	skip.say("不用了").expect("action", "退货单号")
}

// eagerKB finds an article for any question, as a large help centre nearly always does.
type eagerKB struct{}

func (eagerKB) Search(_ context.Context, q string, opt kb.SearchOptions) ([]kb.Result, error) {
	return []kb.Result{{ArticleID: 9, Title: "Returns", Body: "Most items can be returned within 7 days.", Score: 0.9, Language: opt.Language}}, nil
}

// "No idea" is a failed answer, not a question for the knowledge base: counted towards
// max_retries, then a person.
func TestDontKnowAnswersUseUpTheRetries(t *testing.T) {
	b := newBot(t, nil)
	b.KB = eagerKB{}
	en := &sim{t: t, b: b}
	en.say("track order").asking("order_id")
	en.say("I don't know it").expect("reask").asking("order_id")
	en.say("42").expect("reask")
	h := en.say("no idea").handoff("retries_exhausted")
	require.Equal(t, "track_order", h.Intent)

	zh := &sim{t: t, b: b}
	zh.say("开发票").asking("order_id")
	zh.say("我找不到订单号").expect("reask").asking("order_id")
	require.Equal(t, "request_invoice", zh.st.Task.Intent, "not a switch to another task")
	zh.say("12").expect("reask")
	zh.say("不知道啊").handoff("retries_exhausted")
}

// A message that could be a task or a FAQ is answered from the knowledge base when it can be,
// rather than asking which.
func TestTaskOrFAQIsAnsweredWhenTheKnowledgeBaseCan(t *testing.T) {
	s := newSim(t)
	s.say("退货运费谁出 我要退货").expect("answer")
	require.Equal(t, "如何申请退货？退货运费谁承担", s.last().Citations[0].Title)
}

// A message that names a task in its label's words is that task, not a reason to ask "A or B?".
func TestSayingTheTasksNameIsNoAmbiguity(t *testing.T) {
	s := newSim(t)
	s.say("I want to track an order").expect("ask").asking("order_id")
	require.Equal(t, "track_order", s.st.Task.Intent)
	s.say("no wait, it's D1234564").expect("action", "D1234564")
}

// Out-of-scope requests the shop's words only brush against are not read as its intents.
func TestOutOfScopeRequestsAreNotReadAsIntents(t *testing.T) {
	for _, text := range []string{"find me a cheap flight to Bali", "are you hiring warehouse workers"} {
		s := newSim(t)
		s.say(text).expect("dont_know")
		require.Empty(t, s.out.NLU.Intent, text)
	}
}
