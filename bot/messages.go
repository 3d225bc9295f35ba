package bot

type msgKey int

const (
	msgHandoff msgKey = iota
	msgComplaint
	msgDontKnow
	msgHandoffUnsure
	msgNoThanks
)

var texts = map[msgKey][2]string{ // [en, zh]
	msgHandoff:       {"Sure, I'm connecting you to a person. Please stay here; someone will reply in this chat shortly.", "好的，正在为您转接人工客服，请稍候，客服会在这里回复您。"},
	msgComplaint:     {"I'm sorry about this. I'm passing you to a person right away; they will see everything you've written.", "非常抱歉给您带来不好的体验，已为您优先转接人工客服，客服能看到您之前说的全部内容。"},
	msgDontKnow:      {"Sorry, I don't know the answer to that. Would you like me to connect you to a person? (Reply \"yes\" or rephrase your question.)", "抱歉，这个问题我暂时回答不了。需要为您转接人工客服吗？（回复“是”，或换个说法再问我）"},
	msgHandoffUnsure: {"I still can't find a good answer, so I'm connecting you to a person. Please hold on.", "我还是没能找到合适的答案，正在为您转接人工客服，请稍候。"},
	msgNoThanks:      {"No problem. What else can I help you with?", "好的，还有什么可以帮您？"},
}

func say(lang string, k msgKey) string {
	if lang == "zh" {
		return texts[k][1]
	}
	return texts[k][0]
}
