package intent

import (
	"regexp"
	"strings"
	"unicode"
)

// Chinese triggers are patterns over the message with spaces dropped, traditional characters of the
// trigger words folded to simplified, pinyin of the key words ("tousu", "zhuan rengong") written
// in characters and innocent compounds blanked out (人工智能, 扫地机器人, 曝光补偿, 垃圾袋, 老板 as
// "seller"), so 人工, 机器人, 曝光 and 垃圾 can stand for what they usually mean in a complaint.

var zhTraditional = strings.NewReplacer("訴", "诉", "語", "语", "導", "导", "負責", "负责", "態", "态", "檢", "检", "舉", "举",
	"發", "发", "轉", "转", "員", "员", "務", "务", "聯", "联", "繫", "系", "講", "讲", "說", "说", "話", "话", "電", "电",
	"機器", "机器", "們", "们", "這", "这", "麼", "么", "嗎", "吗", "讓", "让", "給", "给", "個", "个", "來", "来", "對", "对",
	"騙", "骗", "爛", "烂", "氣", "气", "經", "经", "闆", "板", "級", "级", "處", "处", "差評", "差评", "報", "报",
	"監", "监", "協", "协", "師", "师", "賠", "赔", "償", "偿", "維", "维", "權", "权", "黑貓", "黑猫")

var zhPinyin = []struct {
	re *regexp.Regexp
	zh string
}{
	{regexp.MustCompile(`\bzhuan ?ren ?gong\b`), "转人工"},
	{regexp.MustCompile(`\bren ?gong\b`), "人工"},
	{regexp.MustCompile(`\bzhen ?ren\b`), "真人"},
	{regexp.MustCompile(`\bke ?fu\b`), "客服"},
	{regexp.MustCompile(`\btou ?su\b`), "投诉"},
	{regexp.MustCompile(`\bju ?bao\b`), "举报"},
	{regexp.MustCompile(`\bcha ?ping\b`), "差评"},
	{regexp.MustCompile(`\bling ?dao\b`), "领导"},
}

// zhBlank are the compounds that use a trigger word in another sense, and the negated or settled
// uses: they are blanked out before the patterns run.
var zhBlank = regexp.MustCompile(strings.Join([]string{
	// 人工 / 真人 / 机器人 as things, not people
	`人工(?:智能|草坪|草皮|草|费|湖|成本|降雨|合成|种植|养殖|培育|钻石|宝石|晶体|耳蜗|呼吸|关节|牙|授精|干预|标注|翻译)`, `非人工`,
	`(?:扫地|擦窗|拖地|炒菜|教育|编程|陪伴|早教|智能|玩具|儿童|洗碗|割草|遥控)机器人`, `机器人(?:玩具|吸尘器|模型|套件|手臂|积木)`,
	`真人(?:实拍|试穿|试戴|秀|版|手办|模特|图|照|尺寸|大小|比例|cs|娃娃|发|头发|演示|视频|测评|买家秀)`,
	// 曝光 in photography, 垃圾 and 滚/操 in household words, 骗 in anti-fraud notices
	`(?:长|自动|手动|多重|二次)?曝光(?:补偿|度|过度|不足|时间|模式|值|参数|锁定)`, `垃圾(?:袋|桶|分类|处理|箱|篓|车|站|场|短信|邮件|电话|清运|篮|夹|铲)`,
	`滚(?:筒|动|轮|刷|珠|梯|针)`, `(?:操作|体操|操场|操心|情操|节操|广播操)`, `防骗|反诈|防欺诈|(?:骗子|诈骗)(?:短信|电话|链接|网站)|冒充`, `自媒体`,
	`差不多|差点|差价|差额|差异|差距|差一点|个人(?:信息|发票|账户|账号|中心|资料|隐私|名义|用户|护理|卫生|主页|简介)`,
	// 老板/亲 address the seller; leaders as gift recipients; the shop manager's picks
	`老板(?:娘)?(?:在吗|在不在|在么|,|，|你好|您好|好)`, `(?:送|给)领导`, `店长(?:推荐|推|力荐|同款)`, `领导力`, `老板(?:椅|桌|杯|包)`, `经理(?:人|椅)`,
	// a request for a person or a complaint negated or settled
	`(?:不是|并不是|并非|没有|没|不想|不会|不用|无需|不打算|不要|不算|不)(?:要|想|是要)?(?:去)?投诉`,
	`投诉(?:已经|已|都|也)?(?:被)?(?:处理|解决|撤销|撤回|搞定|受理)(?:好|完|掉)?(?:了)`,
	`(?:不|没|别)(?:会|想|要)?(?:给|打)?差评`,
	`(?:不用|不要|不需要|无需|不必|别|没必要|不想)(?:再)?(?:给我|帮我)?(?:转|找|接|叫)?(?:接)?(?:人工|真人|客服)`,
	// "are you a robot?" asks what the bot is, not for a person
	`你是(?:不是)?(?:真人|机器人|人|ai|机器)(?:吗|么|嘛|吧|\?|？|还是)`, `是真人还是(?:机器人|机器|ai)`, `(?:是|算)(?:机器人|ai)还是真人`,
}, "|"))

type zhRule struct {
	trig Trigger
	re   *regexp.Regexp
}

func zh(trig Trigger, pattern string) zhRule {
	return zhRule{trig: trig, re: regexp.MustCompile(pattern)}
}

const (
	zhYou       = `(?:你们|你们的|你们店的?|你们公司的?|你家的?|贵司的?|贵店的?|这里的?|店里的?|这家店的?)?`
	zhBoss      = `(?:领导|负责人|主管|经理|店长|上级|管事的|管事儿的|主任|高层|老总|老板|上面的人)`
	zhBossPlain = `(?:领导|负责人|主管|经理|店长|上级|管事的|管事儿的|主任|高层|老总|上面的人)`
	zhStaff     = `(?:人工客服|真人客服|在线客服|售后客服|客服人员|客服小姐姐|客服|工作人员|售后人员|服务人员|专员|人工|真人)`
	zhVery      = `(?:也|真|实在|太|很|非常|极|极其|特别|真的|简直|都|那么|这么|超|巨|贼|好)*`
)

var zhRules = []zhRule{
	// complaints: the word, a regulator, a court, the press, a bad review, a manager
	zh(TriggerComplaint, `投诉|投述|头诉|申诉|客诉|举报|曝光|(?:^|[^0-9])12315(?:[^0-9]|$)|打12345|12345热线|消协|消费者协会|消保委|消委会|工商(?:局|部门|所|投诉)|(?:去|找|到)工商|市场监(?:督)?管(?:理)?(?:局|部门)?|监管(?:部门|局|机构)|黑猫投诉|(?:上|去)黑猫|律师|起诉|法院|打官司|法律途径|诉讼|告你们|去告你|告到|维权|索赔|(?:我要|要求|必须|给我|让你们|你们得|你们要)赔(?:偿)?|赔我`),
	zh(TriggerComplaint, `(?:给|打|留|写|发|必须|一定|要)(?:你们)?(?:个|一个)?差评|^差评|差评(?:!|警告)|(?:找|联系|告诉|发到|曝光给|上)媒体|媒体曝光|电视台|报社|(?:找|联系)记者`),
	zh(TriggerComplaint, `(?:我要|我会|我就|我去|我得|把这事|把你们)\S{0,6}(?:发|挂|曝光|晒|传)(?:到|在|上)?(?:网上|微博|小红书|抖音|朋友圈|知乎|贴吧|大众点评|网络)|让大家(?:看看|评评理|知道|都知道)`),
	zh(TriggerComplaint, `(?:给|要|讨)(?:我)?(?:一)?个?(?:说法|交代)|说法呢|平台介入|申请介入|小二介入|客服介入|追究|虚假宣传|欺诈|卖假货|(?:你们|你家|这家店?)(?:卖的)?(?:是|就是|都是)?假货|黑店|坑人|骗人|骗钱|骗子|没人管|有没有人管|升级(?:投诉|处理)|我要反映|反映给|向.{0,8}反映`),
	zh(TriggerComplaint, `(?:叫|找|喊|把|要见|给我找|给我叫|联系|呼叫|让我跟|我要跟|我要和|换)(?:一下|下)?`+zhYou+`(?:上级)?`+zhBoss+`|(?:让|请)你们的?(?:上级)?`+zhBoss),
	zh(TriggerComplaint, zhBossPlain+`(?:呢|在吗|在不在|在哪|出来|过来|来一下|来跟我|来处理|是谁|给我打|联系我|跟我说|滚出来|出面)`),
	// a verdict on the service
	zh(TriggerComplaint, `(?:很|太|非常|极|特别|超级?)?(?:差|糟糕|恶劣|烂|垃圾)的(?:购物)?(?:体验|服务|态度)`),
	zh(TriggerComplaint, `(?:态度|服务|客服|售后|快递员|店家|商家|卖家|购物体验)`+zhVery+`(?:差|恶劣|烂|垃圾|糟糕|不好|差劲|极差|离谱|敷衍|恶心|傲慢|冷漠)`),
	zh(TriggerComplaint, `什么(?:破|烂|垃圾|鬼|狗屁)\S{0,2}(?:服务|态度|店|东西|玩意)|什么态度|这(?:叫|算)什么服务|(?:这么|这样|这种态度)对待(?:顾客|客户|消费者|买家|我们|我)|(?:这样|这么|怎么)做(?:的)?生意`),
	// a person
	zh(TriggerHumanRequest, `人工|真人|活人`),
	zh(TriggerHumanRequest, `(?:找|叫|喊|要|接|转|转接|联系|换|让|安排|给我|呼叫|麻烦接)(?:个|一个|一下|下|位)?(?:你们的?)?`+zhStaff),
	zh(TriggerHumanRequest, zhStaff+`(?:人员)?(?:呢|在哪|出来|过来|来一下|来跟我|来处理|联系我|给我打|快来|跟我说|出来一下)`),
	zh(TriggerHumanRequest, `(?:和|跟|与)(?:你们的?)?(?:客服|工作人员|售后|真人|活人|人)(?:人员)?(?:沟通|聊|说|讲|通话|通电话|对话|联系|交流)`),
	zh(TriggerHumanRequest, `有(?:没有)?(?:人工|真人|在线)?客服(?:吗|在|么|没)`),
	zh(TriggerHumanRequest, `(?:找|叫|喊|来|换|派)(?:一)?个(?:真|活|懂的|懂行的|专业的)?人(?:来|吧|啊|呀|跟我|帮我|处理|回答|过来|$|[,.!?])|换人(?:来|吧|啊|呀|回答|处理|跟我|$|[,.!?])|(?:让|派)(?:个)?人来(?:处理|解决|回答|跟我|帮我|看)|懂(?:行)?的人`),
	zh(TriggerHumanRequest, `(?:打|回)(?:个)?电话(?:给我|联系我)|给我(?:打|回)(?:个)?电话|电话联系我`),
	zh(TriggerHumanRequest, `(?:不|别|不想|不要|不用|受够|讨厌|烦|换掉|关掉|停|少)(?:了|再)?(?:跟|和|用|让)?(?:这个|你们的?)?(?:破|傻|笨)?(?:机器人|机器回复|机器聊|ai|智能客服|自动回复)|机器人(?:听不懂|别说|太笨|没用|答非所问|不行|滚|闭嘴|别回)`),
}

// zhFAQ asks about service hours or numbers ("人工客服周末上班吗", "客服电话多少"): the knowledge
// base answers it, unless the message also asks for a person outright (zhOutright).
var (
	zhFAQ      = regexp.MustCompile(`(?:人工|客服|真人)\S{0,4}(?:几点|时间|上班|下班|周末|节假日|营业|电话(?:是|号码)?(?:多少|几号)|热线|号码|邮箱|多久|什么时候)|(?:几点|周末|节假日|晚上|什么时候)\S{0,3}(?:有)?(?:人工|客服)`)
	zhOutright = regexp.MustCompile(`(?:转|找|要|接|换|叫)(?:个|一下)?人工|人工(?:呢|在吗|在哪)|转接|我要(?:人工|真人|客服)`)
)

// chineseText prepares t (already Normalized) for the zh patterns.
func chineseText(t string) string {
	t = zhTraditional.Replace(t)
	for _, p := range zhPinyin {
		t = p.re.ReplaceAllString(t, p.zh)
	}
	t = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, t)
	return zhBlank.ReplaceAllString(t, "□")
}

// detectChinese finds the triggers in c (chineseText): the strongest one and the spans of every match.
func detectChinese(c string) (Trigger, [][2]int) {
	faq := zhFAQ.MatchString(c) && !zhOutright.MatchString(c)
	found := TriggerNone
	var spans [][2]int
	for _, r := range zhRules {
		if faq && r.trig == TriggerHumanRequest {
			continue
		}
		for _, m := range r.re.FindAllStringIndex(c, -1) {
			spans = append(spans, [2]int{m[0], m[1]})
			if found == TriggerNone || r.trig == TriggerComplaint {
				found = r.trig
			}
		}
	}
	return found, spans
}
