package bot

type msgKey int

const (
	msgHandoff msgKey = iota
	msgComplaint
	msgDontKnow
	msgHandoffUnsure
	msgNoThanks
	msgSentiment
	msgVIP
	msgActionFailed
	msgRetriesExhausted
	msgCancelled
	msgNothingToCancel
	msgNotUnderstood
	msgResume
	msgSwitch
	msgKeepTask
	msgClarify
	msgUpdated
	msgConfirmCancelled
	msgConfirmAgain
	msgSkipped
	msgNeedValue
)

var texts = map[msgKey][2]string{ // [en, zh]
	msgHandoff:          {"Sure, I'm connecting you to a person. Please stay here; someone will reply in this chat shortly.", "好的，正在为您转接人工客服，请稍候，客服会在这里回复您。"},
	msgComplaint:        {"I'm sorry about this. I'm passing you to a person right away; they will see everything you've written.", "非常抱歉给您带来不好的体验，已为您优先转接人工客服，客服能看到您之前说的全部内容。"},
	msgDontKnow:         {"Sorry, I don't know the answer to that. Would you like me to connect you to a person? (Reply \"yes\" or rephrase your question.)", "抱歉，这个问题我暂时回答不了。需要为您转接人工客服吗？（回复“是”，或换个说法再问我）"},
	msgHandoffUnsure:    {"I still can't find a good answer, so I'm connecting you to a person. Please hold on.", "我还是没能找到合适的答案，正在为您转接人工客服，请稍候。"},
	msgNoThanks:         {"No problem. What else can I help you with?", "好的，还有什么可以帮您？"},
	msgSentiment:        {"I'm really sorry this has been so frustrating. A person is taking over now and can see everything so far.", "非常抱歉让您这么不愉快，马上为您转接人工客服，客服能看到之前的全部内容。"},
	msgVIP:              {"As one of our valued members, I'm connecting you to a person right away.", "您是我们的尊享会员，正在为您优先转接人工客服。"},
	msgActionFailed:     {"Sorry, I can't reach our order system right now, so I'm passing this to a person with everything you've told me.", "抱歉，订单系统暂时无法查询，已把您提供的信息一并转给人工客服处理。"},
	msgRetriesExhausted: {"I'm having trouble with that, so I'm passing you to a person along with what you've told me so far.", "我这边一直没能识别成功，已把您提供的信息转给人工客服，请稍候。"},
	msgCancelled:        {"OK, I've stopped that. What else can I help with?", "好的，已为您取消。还有什么可以帮您？"},
	msgNothingToCancel:  {"OK. What else can I help with?", "好的。还有什么可以帮您？"},
	msgNotUnderstood:    {"Sorry, I didn't catch that.", "抱歉，我没有识别到。"},
	msgResume:           {"Back to what we were doing:", "我们继续刚才的事："},
	msgSwitch:           {"Do you want to %s instead? We'll stop trying to %s. (yes/no)", "您是想改为%s吗？当前的“%s”将不再继续。（是/否）"},
	msgKeepTask:         {"OK, let's carry on.", "好的，我们继续。"},
	msgClarify:          {"Just to check, do you mean: %s?", "想确认一下，您是想：%s？"},
	msgUpdated:          {"Got it, updated.", "好的，已更新。"},
	msgConfirmCancelled: {"OK, I haven't changed anything.", "好的，没有做任何修改。"},
	msgConfirmAgain:     {"Please reply yes or no.", "请回复“是”或“否”。"},
	msgSkipped:          {"OK, skipping that.", "好的，跳过。"},
	msgNeedValue:        {"I need this to go on.", "需要这个信息才能继续办理。"},
}

func say(lang string, k msgKey) string {
	if lang == "zh" {
		return texts[k][1]
	}
	return texts[k][0]
}
