package bot_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/bot"
	"github.com/baton-cs/baton/internal/demo"
	"github.com/baton-cs/baton/kb"
)

// fakeKB answers from a few articles by keyword, so dialogue tests don't depend on retrieval.
type fakeKB struct{}

var fakeArticles = []struct {
	keys  []string
	title string
	body  string
	lang  string
}{
	{[]string{"运费", "退货"}, "如何申请退货？退货运费谁承担", "质量问题退货运费由我们承担；七天无理由退货运费由您承担。", "zh"},
	{[]string{"return shipping", "who pays"}, "How to Start a Return and Who Pays Return Shipping", "We pay return shipping for faulty items.", "en"},
	{[]string{"发票在哪", "电子发票"}, "如何申请电子发票", "电子发票在订单详情页下载。", "zh"},
}

func (fakeKB) Search(_ context.Context, q string, opt kb.SearchOptions) ([]kb.Result, error) {
	q = strings.ToLower(q)
	for i, a := range fakeArticles {
		if opt.Language != "" && a.lang != opt.Language {
			continue
		}
		for _, k := range a.keys {
			if strings.Contains(q, k) {
				return []kb.Result{{ArticleID: int64(i + 1), Title: a.title, Body: a.body, Score: 0.7, Language: a.lang}}, nil
			}
		}
	}
	return nil, nil
}

// sim is one conversation with the bot, keeping its state between turns like the service does.
type sim struct {
	t   *testing.T
	b   *bot.Bot
	st  bot.State
	vip string
	// last turn
	out bot.Outcome
}

func newBot(t *testing.T, edit func(*bot.Definition)) *bot.Bot {
	t.Helper()
	orders := httptest.NewServer(&demo.OrderService{Hang: 2 * time.Second})
	t.Cleanup(orders.Close)
	def, err := bot.ParseDefinition(demo.BotDefinition())
	require.NoError(t, err)
	if edit != nil {
		edit(def)
	}
	e, err := bot.Compile(context.Background(), def, 1, map[string]string{"orders_url": orders.URL})
	require.NoError(t, err)
	h := &bot.Holder{}
	h.Store(e)
	now := time.Date(2026, 11, 21, 10, 0, 0, 0, time.FixedZone("CST", 8*3600))
	return &bot.Bot{KB: fakeKB{}, Threshold: 0.38, Engines: h, HTTP: &http.Client{}, Now: func() time.Time { return now }}
}

func newSim(t *testing.T) *sim { return &sim{t: t, b: newBot(t, nil)} }

func (s *sim) say(text string) *sim {
	s.t.Helper()
	out, err := s.b.Decide(context.Background(), bot.Input{Text: text, ConvLang: "zh", State: s.st,
		Customer: bot.Customer{Name: "Li Lei", VIPTier: s.vip}})
	require.NoError(s.t, err)
	require.NotEmpty(s.t, out.Replies, "the bot always says something to %q", text)
	s.out, s.st = out, out.State
	return s
}

func (s *sim) last() bot.Reply { return s.out.Replies[len(s.out.Replies)-1] }

// expect checks the last reply's kind and that its text holds every fragment.
func (s *sim) expect(kind string, fragments ...string) *sim {
	s.t.Helper()
	r := s.last()
	require.Equal(s.t, kind, r.Meta.Kind, "reply %q", r.Text)
	for _, f := range fragments {
		require.Contains(s.t, r.Text, f)
	}
	return s
}

func (s *sim) asking(slot string) *sim {
	s.t.Helper()
	require.NotNil(s.t, s.st.Task, "a task is under way")
	require.Equal(s.t, slot, s.st.Task.Asking, "reply %q", s.last().Text)
	return s
}

func (s *sim) slot(name, value string) *sim {
	s.t.Helper()
	require.NotNil(s.t, s.st.Task)
	require.Equal(s.t, value, s.st.Task.Slots[name].Value)
	return s
}

func (s *sim) handoff(reason string) *bot.HandoffRequest {
	s.t.Helper()
	require.NotNil(s.t, s.out.Handoff, "expected a handoff; bot said %q", s.last().Text)
	require.Equal(s.t, reason, s.out.Handoff.Reason)
	require.Nil(s.t, s.st.Task, "a handoff ends the bot's task")
	return s.out.Handoff
}

func TestTrackOrderAsksThenAnswersFromOrderService(t *testing.T) {
	s := newSim(t)
	s.say("我的快递到哪了").expect("ask", "订单号").asking("order_id")
	require.Equal(t, "track_order", s.st.Task.Intent)
	s.say("A1234567").expect("action", "A1234567", "运单号")
	require.Nil(t, s.st.Task, "the task is done")
	require.Equal(t, "A1234567", s.last().Meta.Slots["order_id"])

	en := newSim(t)
	en.say("where is my order A7654321?").expect("action", "Order A7654321", "tracking")
}

func TestSeveralSlotsFromOneMessage(t *testing.T) {
	s := newSim(t)
	s.say("订单B7654321我要退货，尺码不合适").asking("photo_note").
		slot("order_id", "B7654321").slot("reason", "wrong_size")
	s.say("没有").expect("action", "退货单号")
}

func TestInvalidValueIsReaskedWithReasonThenHandedOff(t *testing.T) {
	s := newSim(t)
	s.say("帮我查一下订单").asking("order_id")
	s.say("12345").expect("reask", "订单号").asking("order_id")
	require.NotEqual(t, s.last().Text, "请提供订单号（1个字母加7位数字，例如 A1234567）。", "the re-ask says what was wrong")
	s.say("订单号是 888").expect("reask")
	h := s.say("99999").handoff("retries_exhausted")
	require.Equal(t, "track_order", h.Intent)
	require.Equal(t, "logistics", h.Skill, "the intent's handoff rule routes it")
}

func TestHandoffCarriesSlotsGatheredSoFar(t *testing.T) {
	s := newSim(t)
	s.say("订单C1234567要退货").asking("reason")
	h := s.say("你们太差劲了，我要投诉").handoff("complaint")
	require.Equal(t, map[string]string{"order_id": "C1234567"}, h.Slots)
	require.Equal(t, "return_request", h.Intent)
	require.Equal(t, "after_sales", h.Skill)
}

func TestCorrectionReplacesTheValue(t *testing.T) {
	s := newSim(t)
	s.say("我要退货，订单A1111111").asking("reason").slot("order_id", "A1111111")
	s.say("不对，订单号是 C7654321").asking("reason").slot("order_id", "C7654321")
	require.Contains(t, s.out.Replies[0].Text, "已更新")

	en := newSim(t)
	en.say("I want to return order A1111111").asking("reason")
	en.say("no, it's D2222222").slot("order_id", "D2222222").asking("reason")
}

func TestCancelAbandonsTheTask(t *testing.T) {
	s := newSim(t)
	s.say("我要开发票").asking("order_id")
	s.say("算了").expect("cancelled")
	require.Nil(t, s.st.Task)
	en := newSim(t)
	en.say("I need an invoice").asking("order_id")
	en.say("never mind").expect("cancelled")
	require.Nil(t, en.st.Task)
}

func TestFAQInTheMiddleIsAnsweredAndTheTaskResumes(t *testing.T) {
	s := newSim(t)
	s.say("我要退货").asking("order_id")
	s.say("退货运费谁出？")
	require.Len(t, s.out.Replies, 2, "an answer, then the question again")
	require.Equal(t, "answer", s.out.Replies[0].Meta.Kind)
	require.Equal(t, "如何申请退货？退货运费谁承担", s.out.Replies[0].Citations[0].Title)
	s.expect("ask", "订单号").asking("order_id")
	s.say("A1234567").asking("reason").slot("order_id", "A1234567")
}

func TestNewIntentSwitchesAfterConfirming(t *testing.T) {
	s := newSim(t)
	s.say("我的快递到哪了").asking("order_id")
	s.say("我要开发票").expect("switch")
	require.Equal(t, "track_order", s.st.Task.Intent, "nothing switches before the customer says so")
	s.say("是").asking("order_id")
	require.Equal(t, "request_invoice", s.st.Task.Intent)

	keep := newSim(t)
	keep.say("我的快递到哪了").asking("order_id")
	keep.say("我要开发票").expect("switch")
	keep.say("不").asking("order_id")
	require.Equal(t, "track_order", keep.st.Task.Intent)
}

func TestConfirmBeforeChangingAddress(t *testing.T) {
	s := newSim(t)
	s.say("我要改地址，订单D1234560").asking("new_address")
	s.say("上海市浦东新区世纪大道100号").expect("confirm", "世纪大道100号")
	s.say("好的").expect("action", "世纪大道100号")

	no := newSim(t)
	no.say("change the shipping address on my order D1234560").asking("new_address")
	no.say("221B Baker Street, London").expect("confirm", "Baker Street")
	no.say("no").expect("cancelled")
	require.Nil(t, no.st.Task)
}

func TestBusinessSystemFailuresHandOffOrReask(t *testing.T) {
	s := newSim(t)
	s.say("查下物流，订单A1230000").expect("reask", "没有找到订单").asking("order_id")
	h := s.say("A1239999").handoff("action_failed")
	require.Equal(t, "A1239999", h.Slots["order_id"])

	slow := &sim{t: t, b: newBot(t, func(d *bot.Definition) {
		d.Intent("track_order").Action.HTTP.Timeout = bot.Duration(200 * time.Millisecond)
	})}
	start := time.Now()
	slow.say("where is order A1238888").handoff("action_failed")
	require.Less(t, time.Since(start), 1500*time.Millisecond, "the action's timeout, not the order system, decides")
}

func TestRequestsForAPersonAndAnger(t *testing.T) {
	newSim(t).say("转人工").handoff("human_request")
	newSim(t).say("I want to talk to a real person").handoff("human_request")
	newSim(t).say("我要投诉你们的快递").handoff("complaint")
	newSim(t).say("fucking hell, I am so fed up with this!!!").handoff("negative_sentiment")
	newSim(t).say("气死我了，什么玩意！！").handoff("negative_sentiment") // angry, but no complaint made

	// Even in the middle of filling slots.
	s := newSim(t)
	s.say("我要改地址").asking("order_id")
	s.say("WTF, I've been waiting FOR DAYS, this is crap").handoff("negative_sentiment")
}

func TestRepeatedLowConfidenceHandsOff(t *testing.T) {
	s := newSim(t)
	s.say("这件衣服有黑色的吗").expect("dont_know")
	h := s.say("whats the best laptop for gaming").handoff("low_confidence")
	require.Equal(t, "whats the best laptop for gaming", h.Question)

	yes := newSim(t)
	yes.say("这件衣服有黑色的吗").expect("dont_know")
	require.Equal(t, "这件衣服有黑色的吗", yes.say("好的").handoff("low_confidence").Question)
}

func TestVIPGoesToAPersonInsteadOfIDontKnow(t *testing.T) {
	s := newSim(t)
	s.vip = "gold"
	h := s.say("这件衣服有黑色的吗").handoff("vip")
	require.GreaterOrEqual(t, h.Priority, bot.DefaultVIPPriority)
	// A VIP's FAQ is still answered by the bot.
	s2 := newSim(t)
	s2.vip = "gold"
	s2.say("你好").expect("reply")
}

func TestAmbiguousIntentsAskWhichOne(t *testing.T) {
	b := newBot(t, func(d *bot.Definition) {
		// Two tasks taught with the same words cannot be told apart.
		ex := map[string][]string{"zh": {"我要处理订单", "帮我弄一下订单", "订单的事"}, "en": {"sort out my order", "help with my order"}}
		d.Intent("track_order").Examples = ex
		d.Intent("change_address").Examples = ex
	})
	s := &sim{t: t, b: b}
	s.say("帮我处理一下订单的事").expect("clarify", "查询订单物流", "修改收货地址")
	second := "change_address"
	if strings.Index(s.last().Text, "查询订单物流") > strings.Index(s.last().Text, "修改收货地址") {
		second = "track_order"
	}
	s.say("2").asking("order_id")
	require.Equal(t, second, s.st.Task.Intent)
}

func TestStateSurvivesJSON(t *testing.T) {
	// The service stores State as JSON between turns; a round trip must lose nothing.
	s := newSim(t)
	s.say("我要退货，订单A1111111").asking("reason")
	st := roundTrip(t, s.st)
	require.Equal(t, s.st, st)
}

func roundTrip(t *testing.T, st bot.State) bot.State {
	t.Helper()
	b, err := json.Marshal(st)
	require.NoError(t, err)
	var out bot.State
	require.NoError(t, json.Unmarshal(b, &out))
	return out
}

func TestAlwaysHandoffIntentRule(t *testing.T) {
	b := newBot(t, func(d *bot.Definition) {
		d.Intents = append(d.Intents, bot.Intent{
			Name:     "legal_threat",
			Examples: map[string][]string{"zh": {"我要起诉你们", "我会找律师", "法院见", "我要告你们公司"}, "en": {"I'm going to sue you", "my lawyer will contact you", "see you in court", "I will take legal action"}},
			Handoff:  &bot.HandoffRule{Always: true, Skill: "legal", Priority: 30},
		})
	})
	s := &sim{t: t, b: b}
	h := s.say("I'm going to sue your company").handoff("intent_rule")
	require.Equal(t, "legal", h.Skill)
	require.Equal(t, 30, h.Priority)
}

// A complaint or a request for a person in the middle of a task goes to a person with the task's
// intent and slots, whichever slot the bot was asking for; an answer to the slot does not.
func TestTriggersInTheMiddleOfATask(t *testing.T) {
	s := newSim(t)
	s.say("我要退货").asking("order_id")
	s.say("A1234567").asking("reason").slot("order_id", "A1234567")
	h := s.say("你们这什么态度，叫你们领导出来").handoff("complaint")
	require.Equal(t, "return_request", h.Intent)
	require.Equal(t, map[string]string{"order_id": "A1234567"}, h.Slots)
	require.Equal(t, "after_sales", h.Skill)

	// At the free-text slot any words would fill it; a request for a person must not.
	en := newSim(t)
	en.say("I want to return order B7654321, it's the wrong size").asking("photo_note")
	h = en.say("I have got to speak with a eprson").handoff("human_request")
	require.Equal(t, "return_request", h.Intent)
	require.Equal(t, map[string]string{"order_id": "B7654321", "reason": "wrong_size"}, h.Slots)

	typo := newSim(t)
	typo.say("I need to change my address").asking("order_id")
	h = typo.say("this is my formal reclaqmation, nobody answers my emails").handoff("complaint")
	require.Equal(t, "change_address", h.Intent)

	// Plain answers, even unhappy ones, fill the slot and the task goes on.
	plain := newSim(t)
	plain.say("我要退货").asking("order_id")
	plain.say("A1234567").asking("reason")
	plain.say("质量太差了，坏了").asking("photo_note").slot("reason", "quality")
	require.Nil(t, plain.out.Handoff)
	plain.say("外箱压扁了，屏幕有裂痕")
	require.Nil(t, plain.out.Handoff, "a photo note is not a complaint")
	require.Equal(t, "外箱压扁了，屏幕有裂痕", plain.out.Replies[len(plain.out.Replies)-1].Meta.Slots["photo_note"])
}

// Ordinary questions that the classifier reads as a complaint or a request for a person (its
// examples are few) are not queued for one.
func TestOrdinaryQuestionsStayWithTheBot(t *testing.T) {
	for _, q := range []string{"你们有实体店吗", "你们仓库在几楼", "你们公司还招人吗，我想投简历", "find me a cheap flight to Bali"} {
		s := newSim(t).say(q)
		require.Nil(t, s.out.Handoff, "%q went to a person: %q", q, s.last().Text)
	}
	// A complaint the phrases miss but the classifier reads, said unhappily, still goes.
	newSim(t).say("太让人失望了").handoff("complaint")
}
