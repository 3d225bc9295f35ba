package i18n

import "maps"

// The strings of an agent's working day (presence, offers) live in their own file so this area's
// changes stay apart from others'.
func init() {
	maps.Copy(en, agentDayEN)
	maps.Copy(zh, agentDayZH)
}

var agentDayEN = map[string]string{
	"presence.label":       "Your status",
	"presence.hint":        "Online: new chats are offered to you. Away or offline: they wait in the queue.",
	"presence.now":         "You are now {presence}.",
	"notify.offered":       "Chat offered to you: {customer}",
	"notify.toast_offer":   "Accept or decline",
	"notify.toast_open":    "Open",
	"notify.toast_dismiss": "Dismiss",
	// The default SLA tiers (handoff.DefaultSLATargets); tiers named otherwise show as named.
	"sla.tier.urgent": "Urgent",
	"sla.tier.high":   "High",
	"sla.tier.normal": "Normal",
}

var agentDayZH = map[string]string{
	"presence.label":       "我的状态",
	"presence.hint":        "在线：新会话会分配给您。离开或离线：会话在队列中等待。",
	"presence.now":         "您现在的状态：{presence}。",
	"notify.offered":       "新会话分配给您：{customer}",
	"notify.toast_offer":   "接受或拒绝",
	"notify.toast_open":    "打开",
	"notify.toast_dismiss": "关闭",
	"sla.tier.urgent":      "紧急",
	"sla.tier.high":        "高",
	"sla.tier.normal":      "普通",
}
