package i18n

// Customer satisfaction: the rating card in the chat and the rating on the agent's conversation
// page, kept apart from en.go/zh.go; init merges them into the catalogs. Each entry is {English, Chinese}.
var csatStrings = map[string][2]string{
	"csat.region":              {"Rate us", "评价"},
	"csat.rate_button":         {"Rate this conversation", "评价本次对话"},
	"csat.ask":                 {"How would you rate this conversation?", "您对本次服务满意吗？"},
	"csat.ask_ticket":          {"How did we do on ticket {ticket} ({subject})?", "您对工单 {ticket}（{subject}）的处理满意吗？"},
	"csat.score_label":         {"{score} of 5: {label}", "{score} 星（共 5 星）：{label}"},
	"csat.score.1":             {"Very poor", "非常不满意"},
	"csat.score.2":             {"Poor", "不满意"},
	"csat.score.3":             {"OK", "一般"},
	"csat.score.4":             {"Good", "满意"},
	"csat.score.5":             {"Excellent", "非常满意"},
	"csat.comment_label":       {"Anything to add? (optional)", "还有什么想说的吗？（选填）"},
	"csat.comment_placeholder": {"Tell us what went well or what we could do better", "告诉我们哪里做得好，哪里还可以改进"},
	"csat.send":                {"Send rating", "提交评价"},
	"csat.save":                {"Save change", "保存修改"},
	"csat.cancel":              {"Cancel", "取消"},
	"csat.thanks":              {"Thank you for your feedback!", "感谢您的评价！"},
	"csat.given":               {"You rated {score} of 5.", "您的评分：{score} 星（共 5 星）。"},
	"csat.change":              {"Change", "修改"},
	"csat.not_yet":             {"You can rate this conversation once you have an answer.", "得到答复后即可评价本次对话。"},
	"csat.error.closed":        {"This rating can no longer be changed.", "该评价已无法修改。"},
	"csat.error.send":          {"Your rating could not be sent. Please try again.", "评价提交失败，请重试。"},

	"csat.staff.title":   {"Customer rating", "客户评价"},
	"csat.staff.none":    {"Not rated yet", "暂无评价"},
	"csat.staff.score":   {"{score} / 5", "{score} / 5"},
	"csat.staff.comment": {"Comment", "留言"},
	"csat.staff.bot":     {"Rated the bot (no person took part)", "评价对象为机器人（无人工参与）"},
	"csat.staff.ticket":  {"Ticket {ticket}", "工单 {ticket}"},
	"csat.staff.at":      {"Rated {time}", "评价于 {time}"},
	"csat.staff.changed": {"changed {time}", "修改于 {time}"},
}

func init() {
	for k, v := range csatStrings {
		en[k], zh[k] = v[0], v[1]
	}
}
