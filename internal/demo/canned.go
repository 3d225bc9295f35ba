package demo

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/baton-cs/baton/canned"
)

// cannedResponses are the demo shop's shared canned responses, in Chinese and English.
var cannedResponses = []canned.Input{
	{Shortcut: "退货", Title: "退货流程", Language: "zh",
		Body: "{{customer.name}}您好，订单 {{slots.order_id}} 的退货申请我来帮您处理。签收 7 天内、商品不影响二次销售即可退货，我会把退货地址发给您，寄出后请告诉我快递单号。我是客服{{agent.name}}。"},
	{Shortcut: "问候", Title: "开场问候", Language: "zh",
		Body: "{{customer.name}}您好，我是客服{{agent.name}}，很高兴为您服务。我已经看过您和机器人的对话，马上帮您处理。"},
	{Shortcut: "物流", Title: "物流查询", Language: "zh",
		Body: "{{customer.name}}您好，我查了订单 {{slots.order_id}} 的物流，包裹正在配送中，我会持续跟进，有更新第一时间告诉您。"},
	{Shortcut: "结束", Title: "结束语", Language: "zh",
		Body: "请问还有其他可以帮您的吗？如果没有，祝您生活愉快！"},
	{Shortcut: "refund", Title: "Refund and return", Language: "en",
		Body: "Hi {{customer.name}}, I'll take care of the return for order {{slots.order_id}}. Items can go back within 7 days of delivery if unused; I'll send you the return address, and once you've shipped it, just tell me the tracking number. — {{agent.name}}"},
	{Shortcut: "hello", Title: "Greeting", Language: "en",
		Body: "Hi {{customer.name}}, I'm {{agent.name}}. I've read your chat with our bot, so no need to repeat anything — let me sort this out for you."},
	{Shortcut: "tracking", Title: "Tracking update", Language: "en",
		Body: "Hi {{customer.name}}, I've checked order {{slots.order_id}}: it's on its way. I'll keep an eye on it and let you know as soon as anything changes."},
	{Shortcut: "bye", Title: "Closing", Language: "en",
		Body: "Is there anything else I can help you with today? If not, have a great day!"},
}

// EnsureCanned adds the demo's shared canned responses whose shortcuts are free.
func EnsureCanned(ctx context.Context, store *canned.Store, log *slog.Logger) error {
	n, err := store.EnsureShared(ctx, cannedResponses)
	if err != nil {
		return fmt.Errorf("demo: canned responses: %w", err)
	}
	if n > 0 {
		log.Info("demo canned responses loaded", "created", n)
	}
	return nil
}
