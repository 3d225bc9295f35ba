package evals

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

// smallIntentFiles writes a tiny zh+en train and test CSV; the test file has oos rows and a
// label with markup to check the HTML escapes it.
func smallIntentFiles(t *testing.T) (train, test string) {
	t.Helper()
	data := map[string][]string{
		"refund":    {"I want a refund", "refund my order", "how do I get my money back", "我要退款", "怎么申请退款", "退款多久到账", "when will my refund arrive", "退钱"},
		"shipping":  {"where is my package", "track my order", "has my order shipped", "我的快递到哪了", "什么时候发货", "物流信息怎么查", "my parcel is late", "包裹还没到"},
		"<b>pw</b>": {"I forgot my password", "reset my password", "change my password", "忘记密码了", "怎么修改密码", "密码重置", "cannot log in", "登录不上"},
	}
	var tr, te strings.Builder
	tr.WriteString("text,category\n")
	te.WriteString("category,text\n")
	for intent, texts := range data {
		for i, x := range texts {
			if i < 6 {
				fmt.Fprintf(&tr, "%q,%q\n", x, intent)
			} else {
				fmt.Fprintf(&te, "%q,%q\n", intent, x)
			}
		}
	}
	tr.WriteString("\"tell me a joke\",oos\n\"今天天气怎么样\",oos\n")
	te.WriteString("oos,\"who won the football game\"\noos,\"推荐一部电影\"\n")
	return writeFile(t, "train.csv", tr.String()), writeFile(t, "test.csv", te.String())
}

func TestRunIntents(t *testing.T) {
	train, test := smallIntentFiles(t)
	var progress bytes.Buffer
	rep, err := RunIntents(context.Background(), IntentOptions{TrainPath: train, TestPath: test, Threshold: -1, Progress: &progress})
	if err != nil {
		t.Fatal(err)
	}
	if rep.TrainRows != 20 || rep.TrainOOSRows != 2 || rep.TestRows != 8 || rep.TestOOSRows != 2 || rep.Intents != 3 {
		t.Errorf("counts: %+v", rep)
	}
	if rep.OOSPrecision == nil || rep.OOSRecall == nil {
		t.Error("no OOS metrics although the test file has oos rows")
	}
	if rep.AccuracyNoRefusal < 0.5 || rep.ClassifyPerSecond <= 0 || rep.TrainSeconds <= 0 || rep.Threshold <= 0 {
		t.Errorf("implausible report: %+v", rep)
	}
	if !strings.Contains(progress.String(), "training") {
		t.Errorf("progress: %q", progress.String())
	}
	var text, page bytes.Buffer
	if err := rep.WriteText(&text); err != nil || !strings.Contains(text.String(), "accuracy") {
		t.Errorf("WriteText: %v\n%s", err, text.String())
	}
	if err := rep.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	html := page.String()
	if strings.Contains(html, "<b>pw</b>") || !strings.Contains(html, "&lt;b&gt;pw&lt;/b&gt;") {
		t.Error("HTML report does not escape intent names")
	}
	for _, want := range []string{"<svg", "F1 per intent", "Confusion matrix"} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML report lacks %q", want)
		}
	}
	if strings.Contains(html, "http://") && !strings.Contains(html, "http://www.w3.org/2000/svg") || strings.Contains(html, "src=") {
		t.Error("HTML report refers to external assets")
	}
	js, err := json.Marshal(rep)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(js, []byte(`"confused_pairs"`)) {
		t.Errorf("JSON: %s", js)
	}
}
