package kb

import (
	"context"
	"fmt"
	"sync"
)

// Calibration: an embedder's vector scores mean different things with different models (the
// local embedder gives two unrelated questions about 0.02 and two phrasings of one question about
// 0.25; a neural model may give 0.75 and 0.81). Baton measures the configured embedder on a fixed set
// of customer questions per language: pairs that ask the same thing in other words (positives)
// and pairs that ask different things (negatives, every question against the other pairs'). A
// vector score is mapped linearly so that the embedder's mean positive and negative scores land
// where the local embedder's do, before any other evidence is weighed: the decision weights
// (decide.go), fitted once with the local embedder, then hold for any embedder. The measurement is
// about the embedder, not about the knowledge base, so a five-article help centre is calibrated
// as well as a large one; what is particular to a knowledge base is learnt by its article
// classifier, whose probabilities are calibrated by cross-validation over the knowledge base's
// own titles and alternative questions (see model.go and intent.Train).

// cosScale maps an embedder's vector scores onto the local embedder's scale; the zero value is
// the identity. With drop set the vector scores are not used at all (an embedder that could not
// be calibrated: its raw scores would read as evidence they are not).
type cosScale struct {
	Pos, Neg       float64 // the embedder's means
	RefPos, RefNeg float64 // the local embedder's
	drop           bool
}

// minSeparation is the least gap between an embedder's paraphrase and unrelated means that
// calibration maps from.
const minSeparation = 0.01

// How vector scores enter the decision (Evidence.VectorScores).
const (
	vectorsAsGiven    = "as_given"
	vectorsCalibrated = "calibrated"
	vectorsLeftOut    = "left_out"
)

// use says how the scale lets vector scores into the decision.
func (c cosScale) use() string {
	switch {
	case c.drop:
		return vectorsLeftOut
	case c.Pos-c.Neg >= minSeparation:
		return vectorsCalibrated
	}
	return vectorsAsGiven
}

func (c cosScale) apply(x float64) float64 {
	if c.Pos-c.Neg < minSeparation {
		return x
	}
	return c.RefNeg + (x-c.Neg)*(c.RefPos-c.RefNeg)/(c.Pos-c.Neg)
}

// Calibration says what one language's calibration found.
type Calibration struct {
	// Reference says the embedder is the local one, whose scale the decision was fitted on: its
	// scores are used as they are.
	Reference bool `json:"reference"`
	// Calibrated says another embedder's scores are mapped onto the reference scale. False for it
	// when it tells paraphrases from unrelated questions too poorly to map: search then leaves its
	// vector scores out and decides on the rest of the evidence.
	Calibrated bool `json:"calibrated"`
	// PosCosine and NegCosine are the embedder's mean vector scores for paraphrase pairs and for
	// unrelated pairs; RefPos and RefNeg the local embedder's, where search maps them.
	PosCosine float64 `json:"pos_cosine"`
	NegCosine float64 `json:"neg_cosine"`
	RefPos    float64 `json:"ref_pos"`
	RefNeg    float64 `json:"ref_neg"`
}

func (c Calibration) scale() cosScale {
	switch {
	case c.Reference:
		return cosScale{}
	case c.Calibrated:
		return cosScale{Pos: c.PosCosine, Neg: c.NegCosine, RefPos: c.RefPos, RefNeg: c.RefNeg}
	}
	return cosScale{drop: true}
}

// scaleFor is the scale search uses for lang: the calibration's, or (when calibrating failed,
// the embedder unreachable) the local embedder's as it is and any other's dropped.
func (s *Store) scaleFor(ctx context.Context, lang string) cosScale {
	cal, err := s.calibrate(ctx, lang)
	if err != nil {
		if ctx.Err() == nil {
			s.logger().Warn("kb: calibrating the embedder failed; vector scores are left out", "language", lang, "err", err)
		}
		return cosScale{drop: s.embedder.Name() != (LocalEmbedder{}).Name()}
	}
	return cal.scale()
}

// calibrate measures the store's embedder for lang (once per store and language; a failure is
// not kept, the next search tries again).
func (s *Store) calibrate(ctx context.Context, lang string) (Calibration, error) {
	s.probes.mu.Lock()
	defer s.probes.mu.Unlock()
	if c, ok := s.probes.cal[lang]; ok {
		return c, nil
	}
	ref, err := probeMeans(ctx, LocalEmbedder{}, lang)
	if err != nil {
		return Calibration{}, err
	}
	c := Calibration{RefPos: ref[0], RefNeg: ref[1]}
	if s.embedder.Name() != (LocalEmbedder{}).Name() {
		m, err := probeMeans(ctx, s.embedder, lang)
		if err != nil {
			return Calibration{}, err
		}
		c.PosCosine, c.NegCosine = m[0], m[1]
		c.Calibrated = m[0]-m[1] >= minSeparation
	} else {
		c.Reference, c.PosCosine, c.NegCosine = true, ref[0], ref[1]
	}
	if s.probes.cal == nil {
		s.probes.cal = map[string]Calibration{}
	}
	s.probes.cal[lang] = c
	return c, nil
}

// probeCache keeps each language's calibration of the store's embedder.
type probeCache struct {
	mu  sync.Mutex
	cal map[string]Calibration
}

// probeMeans embeds lang's paraphrase pairs (English ones for a language without its own) with e and returns the mean vector score of the pairs
// and of unrelated pairs (each question against the other pairs' questions).
func probeMeans(ctx context.Context, e Embedder, lang string) ([2]float64, error) {
	pairs := paraphrasePairs[lang]
	if len(pairs) == 0 {
		pairs = paraphrasePairs["en"]
	}
	texts := make([]string, 0, 2*len(pairs))
	for _, p := range pairs {
		texts = append(texts, p[0], p[1])
	}
	vecs, err := e.Embed(ctx, texts)
	if err != nil {
		return [2]float64{}, fmt.Errorf("kb: embed calibration questions: %w", err)
	}
	if len(vecs) != len(texts) {
		return [2]float64{}, fmt.Errorf("kb: embed calibration questions: %d vectors for %d texts", len(vecs), len(texts))
	}
	for i, v := range vecs {
		vecs[i] = unitVector(v)
	}
	var pos, neg float64
	var nNeg int
	for i := range pairs {
		pos += Cosine(vecs[2*i], vecs[2*i+1])
		for j := range pairs {
			if j != i {
				neg += Cosine(vecs[2*i], vecs[2*j+1])
				nNeg++
			}
		}
	}
	return [2]float64{round4(pos / float64(len(pairs))), round4(neg / float64(nNeg))}, nil
}

func unitVector(v []float32) []float32 {
	f := make([]float64, len(v))
	for i, x := range v {
		f[i] = float64(x)
	}
	return unit(f)
}

// paraphrasePairs are customer questions asked two ways, in the words of several kinds of shop
// and service; they calibrate an embedder and are never searched.
var paraphrasePairs = map[string][][2]string{
	"en": {
		{"where is my parcel", "my package still hasn't arrived"},
		{"how do I reset my password", "I forgot my login password"},
		{"can I return a jacket that doesn't fit", "how do I send back clothes that are too small"},
		{"when will I get my refund", "how long until the money is back on my card"},
		{"do you ship to Canada", "can you deliver to an address in Canada"},
		{"how do I cancel my subscription", "I want to stop my monthly plan"},
		{"what are your opening hours", "when is your support team available"},
		{"my card was declined", "why did my payment not go through"},
		{"can I change my delivery address", "I need to update where my order goes"},
		{"is there a warranty on this laptop", "how long is the guarantee for the computer"},
		{"how much does shipping cost", "what is the delivery fee"},
		{"I was charged twice", "there are two identical payments on my statement"},
		{"how do I use a discount code", "where do I enter my coupon"},
		{"can I pay in instalments", "do you offer monthly payment plans"},
		{"the item arrived broken", "my order came damaged"},
		{"how do I delete my account", "I want to close my profile for good"},
	},
	"zh": {
		{"我的快递到哪了", "包裹怎么还没送到"},
		{"密码忘了怎么办", "怎么重置登录密码"},
		{"衣服不合适可以退吗", "买的衣服太小了能退货吗"},
		{"退款多久到账", "钱什么时候能退回来"},
		{"能寄到国外吗", "可以发货到海外吗"},
		{"怎么取消订阅", "我不想续费了怎么关掉"},
		{"客服几点上班", "你们的服务时间是几点到几点"},
		{"银行卡付款失败", "为什么我的卡支付不了"},
		{"能改收货地址吗", "地址填错了怎么修改"},
		{"这个电脑保修多久", "笔记本的质保期是多长时间"},
		{"运费多少钱", "邮费怎么收"},
		{"被扣了两次钱", "同一笔订单重复扣款了"},
		{"优惠券怎么用", "在哪里输入优惠码"},
		{"可以分期付款吗", "支持分期吗"},
		{"收到的东西坏了", "商品到货就是破损的"},
		{"怎么注销账号", "我想永久删除我的账户"},
	},
}
