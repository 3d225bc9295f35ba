package i18n

// The ticket desk (工单): the queue, a ticket's page, the conversation page's ticket panel and
// the notifications tickets raise. Each entry is {English, Chinese}; init merges them.
var ticketStrings = map[string][2]string{
	"nav.tickets": {"Tickets", "工单"},
	"tk.title":    {"Tickets", "工单"},
	"tk.lead":     {"Work that outlives a chat: each team's queue, due times and escalations.", "聊天之外需要跟进的工作：各团队的队列、截止时间与升级。"},

	"tk.scope.label":    {"Show", "显示"},
	"tk.scope.teams":    {"My teams", "我的团队"},
	"tk.scope.mine":     {"Assigned to me", "分配给我"},
	"tk.scope.all":      {"All tickets", "全部工单"},
	"tk.status.label":   {"Status", "状态"},
	"tk.status.any":     {"Any status", "全部状态"},
	"tk.status.active":  {"Not yet solved", "未解决"},
	"tk.status.new":     {"New", "新建"},
	"tk.status.open":    {"Open", "处理中"},
	"tk.status.pending": {"Pending", "等待中"},
	"tk.status.solved":  {"Solved", "已解决"},
	"tk.status.closed":  {"Closed", "已关闭"},
	"tk.search":         {"Search number, subject, order or customer", "搜索工单号、主题、订单号或客户"},
	"tk.search_button":  {"Search", "搜索"},
	"tk.empty":          {"No tickets match.", "没有符合条件的工单。"},

	"tk.col.number":   {"Number", "编号"},
	"tk.col.subject":  {"Subject", "主题"},
	"tk.col.type":     {"Type", "类型"},
	"tk.col.priority": {"Priority", "优先级"},
	"tk.col.team":     {"Team", "团队"},
	"tk.col.assignee": {"Assignee", "处理人"},
	"tk.col.due":      {"Due", "截止时间"},
	"tk.col.customer": {"Customer", "客户"},

	"tk.type.question":  {"Question", "咨询"},
	"tk.type.problem":   {"Problem", "问题"},
	"tk.type.refund":    {"Refund", "退款"},
	"tk.type.complaint": {"Complaint", "投诉"},
	"tk.type.task":      {"Task", "任务"},

	"tk.priority.low":    {"Low", "低"},
	"tk.priority.normal": {"Normal", "普通"},
	"tk.priority.high":   {"High", "高"},
	"tk.priority.urgent": {"Urgent", "紧急"},

	"tk.pending.customer": {"Waiting on the customer", "等待客户"},
	"tk.pending.team":     {"Waiting on another team", "等待其他团队"},
	"tk.overdue":          {"Overdue", "已逾期"},
	"tk.escalated":        {"Escalated", "已升级"},
	"tk.unassigned":       {"Unassigned", "未分配"},

	"tk.new":               {"New ticket", "新建工单"},
	"tk.create":            {"Create ticket", "创建工单"},
	"tk.create_submit":     {"Create", "创建"},
	"tk.cancel":            {"Cancel", "取消"},
	"tk.created":           {"Ticket {number} created.", "已创建工单 {number}。"},
	"tk.field.subject":     {"Subject", "主题"},
	"tk.field.description": {"Description", "描述"},
	"tk.field.type":        {"Type", "类型"},
	"tk.field.priority":    {"Priority", "优先级"},
	"tk.field.team":        {"Team", "团队"},
	"tk.field.due":         {"Due (empty: by priority)", "截止时间（留空则按优先级）"},
	"tk.field.order":       {"Order number", "订单号"},
	"tk.field.customer":    {"Customer id (optional)", "客户 ID（可选）"},
	"tk.field.assignee":    {"Assignee", "处理人"},
	"tk.field.attachments": {"Attachments (one link per line)", "附件（每行一个链接）"},

	"tk.back":              {"All tickets", "返回工单列表"},
	"tk.details":           {"Details", "详情"},
	"tk.customer":          {"Customer", "客户"},
	"tk.open_conversation": {"Open the conversation", "查看对话"},
	"tk.attachments":       {"Attachments", "附件"},
	"tk.no_attachments":    {"No attachments.", "没有附件。"},
	"tk.created_by":        {"Created by {name}", "由 {name} 创建"},
	"tk.save":              {"Save changes", "保存修改"},
	"tk.saved":             {"Saved.", "已保存。"},
	"tk.assign_me":         {"Assign to me", "分配给我"},

	"tk.action.open":             {"Start work", "开始处理"},
	"tk.action.pending_customer": {"Wait on customer", "等待客户"},
	"tk.action.pending_team":     {"Wait on another team", "等待其他团队"},
	"tk.action.solve":            {"Solve", "解决"},
	"tk.action.close":            {"Close", "关闭"},
	"tk.action.reopen":           {"Reopen", "重新打开"},

	"tk.comments":      {"Internal comments", "内部备注"},
	"tk.comment_label": {"Add an internal comment (staff only)", "添加内部备注（仅员工可见）"},
	"tk.comment_add":   {"Add comment", "添加备注"},
	"tk.timeline":      {"Timeline", "时间线"},
	"tk.baton":         {"Baton", "Baton"},

	"tk.ev.created":           {"{actor} created the ticket", "{actor} 创建了工单"},
	"tk.ev.status":            {"{actor} changed the status: {from} → {to}", "{actor} 更改了状态：{from} → {to}"},
	"tk.ev.assigned":          {"{actor} assigned it to {to}", "{actor} 将工单分配给 {to}"},
	"tk.ev.unassigned":        {"{actor} unassigned it", "{actor} 取消了分配"},
	"tk.ev.priority":          {"{actor} changed the priority: {from} → {to}", "{actor} 更改了优先级：{from} → {to}"},
	"tk.ev.team":              {"{actor} moved it to team {to}", "{actor} 将工单转到团队 {to}"},
	"tk.ev.comment":           {"{actor} commented", "{actor} 添加了备注"},
	"tk.ev.updated":           {"{actor} edited: {fields}", "{actor} 修改了：{fields}"},
	"tk.ev.escalated":         {"Escalated ({kind}): priority {from} → {to}", "已升级（{kind}）：优先级 {from} → {to}"},
	"tk.ev.customer_notified": {"The customer was told in the chat that it is solved", "已在对话中通知客户工单已解决"},
	"tk.esc.overdue":          {"untouched past its due time", "超过截止时间无人处理"},
	"tk.esc.age":              {"unsolved too long", "长时间未解决"},

	"tk.panel":            {"Tickets", "工单"},
	"tk.panel_empty":      {"No tickets from this conversation yet.", "此对话还没有工单。"},
	"tk.customer_tickets": {"The customer's tickets", "该客户的工单"},
	"tk.customer_empty":   {"No tickets.", "暂无工单。"},

	"notify.ticket_escalated": {"Ticket {number} escalated", "工单 {number} 已升级"},
	"notify.ticket_assigned":  {"{actor} assigned you ticket {number}", "{actor} 将工单 {number} 分配给您"},
}

func init() {
	for k, v := range ticketStrings {
		en[k], zh[k] = v[0], v[1]
	}
}
