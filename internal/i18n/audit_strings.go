package i18n

// The audit log, privacy settings and data-subject requests (admins), and the agent's masked
// view of a customer's contact details. Each entry is {English, Chinese}.
var auditStrings = map[string][2]string{
	"nav.audit": {"Audit log", "审计日志"},

	"audit.title":         {"Audit log", "审计日志"},
	"audit.lead":          {"Every change staff made, every sign-in and every read of a customer's full record: who, when, what and from where. Entries cannot be changed or deleted.", "员工的每次修改、每次登录以及每次查看客户完整资料都会记录：谁、何时、做了什么、从哪里。记录不可修改或删除。"},
	"audit.filter.actor":  {"Staff (e-mail or id)", "员工（邮箱或 ID）"},
	"audit.filter.action": {"Action", "操作"},
	"audit.filter.target": {"Target (type:id or id)", "对象（类型:ID 或 ID）"},
	"audit.filter.from":   {"From", "开始日期"},
	"audit.filter.to":     {"To", "结束日期"},
	"audit.filter.apply":  {"Filter", "筛选"},
	"audit.filter.reset":  {"Clear", "清除"},
	"audit.export":        {"Export CSV", "导出 CSV"},
	"audit.col.at":        {"When", "时间"},
	"audit.col.actor":     {"Who", "操作人"},
	"audit.col.role":      {"Role", "角色"},
	"audit.col.action":    {"Action", "操作"},
	"audit.col.target":    {"Target", "对象"},
	"audit.col.ip":        {"IP address", "IP 地址"},
	"audit.col.status":    {"Result", "结果"},
	"audit.col.detail":    {"Detail", "详情"},
	"audit.more":          {"Load older entries", "加载更早的记录"},
	"audit.empty":         {"No entries match.", "没有符合条件的记录。"},

	"privacy.title":         {"Privacy", "隐私"},
	"privacy.mask_contacts": {"Mask customers' e-mail and phone for agents", "对客服隐藏客户的邮箱和电话"},
	"privacy.mask_hint":     {"Agents see them masked and reveal them one customer at a time; each reveal is in the audit log. Supervisors and admins always see them in full.", "客服看到的是打码后的信息，需逐个客户点击显示，每次显示都会记入审计日志。主管和管理员始终看到完整信息。"},
	"privacy.save":          {"Save", "保存"},
	"privacy.saved":         {"Privacy setting saved.", "隐私设置已保存。"},

	"dsr.title":             {"Customer data request", "客户数据请求"},
	"dsr.open_hint":         {"Export everything about a customer, or erase them, by their id (shown in the audit log and the customer's conversations).", "按客户 ID（见审计日志和客户的对话）导出该客户的全部数据，或将其删除/匿名化。"},
	"dsr.customer_id":       {"Customer id", "客户 ID"},
	"dsr.open":              {"Open", "打开"},
	"dsr.audit_link":        {"Audit entries for this customer", "该客户的审计记录"},
	"dsr.profile":           {"Profile", "资料"},
	"dsr.name":              {"Name", "姓名"},
	"dsr.email":             {"E-mail", "邮箱"},
	"dsr.phone":             {"Phone", "电话"},
	"dsr.external_id":       {"External id", "外部 ID"},
	"dsr.since":             {"Customer since", "首次联系"},
	"dsr.conversations":     {"Conversations", "对话数"},
	"dsr.export":            {"Export their data", "导出数据"},
	"dsr.export_hint":       {"One JSON file with everything Baton holds about this customer: profile, conversations with every message, handoffs, notes, tickets, ratings. It is for the customer, so nothing in it is masked. The export is recorded in the audit log.", "一个 JSON 文件，包含 Baton 保存的该客户全部数据：资料、对话及全部消息、转人工记录、备注、工单、评价。此文件提供给客户本人，因此不做打码。导出会记入审计日志。"},
	"dsr.export_button":     {"Download export (JSON)", "下载导出文件（JSON）"},
	"dsr.erase":             {"Erase this customer", "删除该客户"},
	"dsr.erase_hint":        {"Anonymise keeps the records for reports but removes the name, e-mail, phone and external id, replaces the text of their conversations, notes, tickets and ratings with “[erased]”, and signs their chat out. Delete removes the customer and everything about them. The audit entry stays either way.", "匿名化会保留记录用于报表，但清除姓名、邮箱、电话和外部 ID，将其对话、备注、工单和评价的文字替换为“[erased]”，并使其聊天窗口失效。删除会移除该客户及其全部数据。两种方式都会保留审计记录。"},
	"dsr.mode":              {"How", "方式"},
	"dsr.mode.anonymise":    {"Anonymise", "匿名化"},
	"dsr.mode.delete":       {"Delete", "删除"},
	"dsr.reason":            {"Reason (kept in the audit log)", "原因（记入审计日志）"},
	"dsr.erase_button":      {"Erase…", "删除…"},
	"dsr.not_found":         {"There is no such customer (or they were deleted).", "没有该客户（或已被删除）。"},
	"dsr.confirm_anonymise": {"Anonymise this customer?", "确定匿名化该客户？"},
	"dsr.confirm_delete":    {"Delete this customer and everything about them?", "确定删除该客户及其全部数据？"},
	"dsr.confirm_lead":      {"This cannot be undone. To confirm, type the customer's id (or their name):", "此操作无法撤销。请输入客户 ID（或姓名）以确认："},
	"dsr.confirm_label":     {"Customer id or name", "客户 ID 或姓名"},
	"dsr.confirm_button":    {"Erase", "确认删除"},
	"dsr.anonymised":        {"Anonymised: {conversations} conversations, {messages} messages.", "已匿名化：{conversations} 个对话，{messages} 条消息。"},
	"dsr.deleted":           {"Deleted: {conversations} conversations, {messages} messages.", "已删除：{conversations} 个对话，{messages} 条消息。"},

	"ctx.reveal":         {"Show contact details", "显示联系方式"},
	"ctx.masked":         {"Contact details are masked; showing them is recorded in the audit log.", "联系方式已打码；查看完整信息会记入审计日志。"},
	"ctx.customer_admin": {"Customer data (admin)", "客户数据（管理员）"},
}

func init() {
	for k, v := range auditStrings {
		en[k], zh[k] = v[0], v[1]
	}
}
