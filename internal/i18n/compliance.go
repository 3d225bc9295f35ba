package i18n

// Compliance rules (banned phrases): the rules page and the reply box's hits. Each entry is
// {English, Chinese}; init merges them into the catalogs.
var complianceStrings = map[string][2]string{
	"nav.compliance": {"Compliance", "合规"},

	"comp.title":                      {"Compliance rules", "合规规则"},
	"comp.lead":                       {"Banned phrases are checked in agents' replies before they are sent, in the bot's answers and templates, and in knowledge-base articles when they are published. Block refuses the text; warn asks the agent to confirm.", "违禁用语会在客服回复发送前、机器人回答和话术模板中、以及知识库文章发布时进行检查。“拦截”直接拒绝发送；“提醒”需要客服确认后才能发送。"},
	"comp.readonly":                   {"Only admins can change the rules.", "只有管理员可以修改规则。"},
	"comp.rules":                      {"Rules", "规则"},
	"comp.hits":                       {"Recent hits", "最近命中"},
	"comp.empty":                      {"No rules yet.", "还没有规则。"},
	"comp.hits_empty":                 {"No hits yet.", "还没有命中记录。"},
	"comp.col.phrase":                 {"Phrase", "用语"},
	"comp.col.match":                  {"Match", "匹配方式"},
	"comp.col.action":                 {"Action", "处理"},
	"comp.col.exceptions":             {"Exceptions", "例外"},
	"comp.col.active":                 {"Active", "启用"},
	"comp.col.when":                   {"When", "时间"},
	"comp.col.source":                 {"Where", "来源"},
	"comp.col.outcome":                {"Outcome", "结果"},
	"comp.col.who":                    {"Who", "人员"},
	"comp.col.conversation":           {"Conversation", "对话"},
	"comp.new":                        {"New rule", "新建规则"},
	"comp.edit":                       {"Edit", "编辑"},
	"comp.delete":                     {"Delete", "删除"},
	"comp.confirm_delete":             {"Delete?", "确认删除？"},
	"comp.save":                       {"Save rule", "保存规则"},
	"comp.cancel":                     {"Cancel", "取消"},
	"comp.saved":                      {"Rule saved.", "规则已保存。"},
	"comp.deleted":                    {"Rule deleted.", "规则已删除。"},
	"comp.field.phrase":               {"Phrase (or regular expression)", "用语（或正则表达式）"},
	"comp.field.exceptions":           {"Exceptions, one per line (a hit inside one of these does not count)", "例外，每行一个（命中处在例外短语之内时不算）"},
	"comp.field.note":                 {"Note", "备注"},
	"comp.field.active":               {"Active", "启用"},
	"comp.lang.any":                   {"Both languages", "中英文"},
	"comp.match.contains":             {"Contains", "包含"},
	"comp.match.word":                 {"Whole word", "整词"},
	"comp.match.regex":                {"Regular expression", "正则表达式"},
	"comp.action.block":               {"Block", "拦截"},
	"comp.action.warn":                {"Warn", "提醒"},
	"comp.yes":                        {"Yes", "是"},
	"comp.no":                         {"No", "否"},
	"comp.source.agent_reply":         {"Agent reply", "客服回复"},
	"comp.source.bot_answer":          {"Bot answer", "机器人回答"},
	"comp.source.bot_template":        {"Bot template", "机器人模板"},
	"comp.source.kb_article":          {"Knowledge-base article", "知识库文章"},
	"comp.outcome.blocked":            {"Blocked", "已拦截"},
	"comp.outcome.warned":             {"Warned", "已提醒"},
	"comp.outcome.sent_after_warning": {"Sent after warning", "提醒后仍发送"},

	"comp.reply.blocked":     {"Not sent: your reply contains a banned phrase. Rephrase the marked words.", "未发送：回复中含有违禁用语，请修改标出的内容。"},
	"comp.reply.warned":      {"Check before sending: your reply contains a phrase to avoid.", "发送前请确认：回复中含有不建议使用的用语。"},
	"comp.reply.send_anyway": {"Send anyway", "仍然发送"},
	"comp.warnings":          {"Note — phrases to avoid: {phrases}", "注意，含有不建议使用的用语：{phrases}"},
	"comp.reply.phrase":      {"“{phrase}” ({action})", "“{phrase}”（{action}）"},
}

func init() {
	for k, v := range complianceStrings {
		en[k], zh[k] = v[0], v[1]
	}
}
