package kb

import (
	"strings"
	"unicode"

	"github.com/kljensen/snowball/english"
	"golang.org/x/text/width"

	"github.com/baton-cs/baton/intent"
)

// Feature is one text feature and how often it occurred. Keys are prefixed by kind:
// w: English word stem, g: English character trigram, b: Chinese bigram, u: Chinese unigram.
type Feature struct {
	Key    string
	Weight float64
}

// Features extracts the text features both the local embedder and the lexical index use. English
// words in Chinese text (customers write "我的 order 怎么还没到") also give the Chinese features of
// their glossary translation, so they meet Chinese articles.
func Features(text string) []Feature {
	text = englishPhrases.Replace(strings.ToLower(width.Narrow.String(text)))
	hasHan := false
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			hasHan = true
			break
		}
	}
	var out []Feature
	var word []rune
	var han []rune
	emitHan := func(h []rune) {
		h = []rune(chineseSynonyms.Replace(string(h)))
		for i, r := range h {
			if !chineseStop[r] {
				out = append(out, Feature{"u:" + string(r), 1})
			}
			if i+1 < len(h) && !chineseStop[h[i+1]] && !chineseStop[r] {
				bg := string(h[i : i+2])
				if !chineseStopBigram[bg] {
					out = append(out, Feature{"b:" + bg, 1})
				}
			}
		}
	}
	flushWord := func() {
		if len(word) == 0 {
			return
		}
		w := string(word)
		word = word[:0]
		if englishStop[w] || len(w) == 1 && w[0] < 128 && !unicode.IsDigit(rune(w[0])) {
			return
		}
		if hasHan {
			if zh, ok := intent.Glossary[w]; ok {
				emitHan([]rune(zh))
			}
		}
		if syn, ok := englishSynonyms[w]; ok {
			w = syn
		}
		stem := english.Stem(w, false)
		out = append(out, Feature{"w:" + stem, 1})
		if len([]rune(w)) >= 4 {
			r := []rune("<" + w + ">")
			for i := 0; i+3 <= len(r); i++ {
				out = append(out, Feature{"g:" + string(r[i:i+3]), 1})
			}
		}
	}
	flushHan := func() {
		if len(han) == 0 {
			return
		}
		emitHan(han)
		han = han[:0]
	}
	for _, r := range text {
		switch {
		case (r == '\'' || r == '’') && len(word) > 0:
			// "what's", "don't": one word, spelled as customers also type it ("whats", "dont").
		case unicode.Is(unicode.Han, r):
			flushWord()
			han = append(han, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			flushHan()
			word = append(word, r)
		default:
			flushWord()
			flushHan()
		}
	}
	flushWord()
	flushHan()
	return out
}

// genericWords appear in nearly every shop question, so they say little about which article fits.
var genericWords = setOf([]string{"w:order", "w:item", "w:product", "w:buy", "w:bought", "w:purchas", "w:shop", "w:store",
	"b:订单", "b:商品"})

func genericWeight(key string) float64 {
	if genericWords[key] {
		return 0.35
	}
	return 1
}

func baseWeight(key string) float64 {
	switch key[0] {
	case 'w': // English word stem
		return 1.0
	case 'g': // English character trigram
		return 0.35
	case 'b': // Chinese bigram
		return 1.0
	case 'u': // Chinese unigram
		return 0.45
	}
	return 1
}

var englishStop = setOf(strings.Fields(`a an the and or but if of to in on at for with by from as is are was were be been
being am do does did doing have has had i me my we our you your he she it its they them their this that these those
what which who whom can could would should will shall may might must there here so than too very just about into
please hi hello thanks thank pls how where when why get got want need know tell now right any some
still yet also really much many way thing things one ok okay
whats wheres hows whos thats theres dont doesnt didnt cant wont isnt arent wasnt havent hasnt im ive id youre theyre ill lets
like guys hey plz pls u ur wanna gonna kinda sorta btw lol hmm um uh yeah yep nope`))

// englishSynonyms folds common customer words onto the words help articles use.
var englishSynonyms = map[string]string{
	"parcel": "package", "shipment": "package", "delivery": "shipping", "deliver": "ship", "delivered": "shipped",
	"reimburse": "refund", "reimbursement": "refund",
	"pw": "password", "fapiao": "invoice",
	"cancelled": "cancel", "canceled": "cancel", "abroad": "international", "overseas": "international",
	"coupon": "coupon", "voucher": "coupon", "discount": "coupon", "broken": "damaged", "faulty": "defective",
}

// englishPhrases folds phrases whose words mean something else alone ("send" money, "back" pain).
var englishPhrases = strings.NewReplacer(
	"send back", "return", "send it back", "return it", "send them back", "return them", "sent back", "returned",
	"sent it back", "returned it", "take back", "return", "money back", "refund",
)

// chineseSynonyms folds colloquial Chinese onto the help centre's words.
var chineseSynonyms = strings.NewReplacer(
	"退钱", "退款", "钱退", "退款", "退掉", "退货", "快递", "物流", "包裹", "物流", "到哪", "物流", "寄回", "退货", "退回去", "退货",
	"开票", "发票", "密码忘", "找回密码", "忘记密码", "找回密码", "付不了款", "支付失败", "付款失败", "支付失败",
	"优惠卷", "优惠券", "红包", "优惠券", "坏了", "破损", "质量问题", "质量问题",
)

var chineseStop = runeSet("的了吗呢啊吧呀嘛哦么我你他她它们是在有和也都就还要能会可以怎什这那个一下请问吗")

var chineseStopBigram = setOf([]string{"怎么", "什么", "可以", "请问", "一下", "我们", "你们", "这个", "那个", "是不", "不是", "为什", "有没", "没有", "能不", "我的", "你好", "谢谢"})

func setOf(words []string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

func runeSet(s string) map[rune]bool {
	m := map[rune]bool{}
	for _, r := range s {
		m[r] = true
	}
	return m
}
