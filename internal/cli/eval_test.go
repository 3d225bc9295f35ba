package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func runCLI(t *testing.T, args ...string) (stdout, stderr string, err error) {
	t.Helper()
	root := newRoot()
	var out, errOut bytes.Buffer
	root.SetOut(&out)
	root.SetErr(&errOut)
	root.SetArgs(args)
	err = root.ExecuteContext(context.Background())
	return out.String(), errOut.String(), err
}

func writeTemp(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func intentFiles(t *testing.T) (train, test string) {
	dir := t.TempDir()
	var tr, te strings.Builder
	data := map[string][]string{
		"refund":   {"I want a refund", "refund my order", "how do I get my money back", "我要退款", "怎么申请退款", "退款多久到账", "when will my refund arrive"},
		"shipping": {"where is my package", "track my order", "has my order shipped", "我的快递到哪了", "什么时候发货", "物流信息怎么查", "my parcel is late"},
	}
	for intent, texts := range data {
		for i, x := range texts {
			line := fmt.Sprintf(`{"text": %q, "intent": %q}`+"\n", x, intent)
			if i < 6 {
				tr.WriteString(line)
			} else {
				te.WriteString(line)
			}
		}
	}
	return writeTemp(t, dir, "train.jsonl", tr.String()), writeTemp(t, dir, "test.jsonl", te.String())
}

func TestEvalIntentsJSON(t *testing.T) {
	train, test := intentFiles(t)
	out, errOut, err := runCLI(t, "eval", "intents", "--train", train, "--test", test, "--json")
	if err != nil {
		t.Fatalf("eval intents: %v\n%s", err, errOut)
	}
	var rep map[string]any
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not one JSON object: %v\n%s", err, out)
	}
	for _, k := range []string{"accuracy", "macro_f1", "oos_precision", "oos_recall", "train_seconds", "classify_per_second",
		"confused_pairs", "threshold", "train_rows", "test_rows", "intents", "ece"} {
		if _, ok := rep[k]; !ok {
			t.Errorf("JSON lacks %q", k)
		}
	}
	if rep["oos_precision"] != nil || rep["oos_recall"] != nil {
		t.Errorf("oos metrics without oos rows: %v %v", rep["oos_precision"], rep["oos_recall"])
	}
	if acc, _ := rep["accuracy"].(float64); acc < 0 || acc > 1 {
		t.Errorf("accuracy %v", rep["accuracy"])
	}
	if rep["train_rows"] != 12.0 || rep["test_rows"] != 2.0 || rep["intents"] != 2.0 {
		t.Errorf("rows/intents: %v %v %v", rep["train_rows"], rep["test_rows"], rep["intents"])
	}
	if !strings.Contains(errOut, "training") {
		t.Errorf("no progress on stderr: %q", errOut)
	}
}

func TestEvalIntentsTextAndHTML(t *testing.T) {
	train, test := intentFiles(t)
	page := filepath.Join(t.TempDir(), "report.html")
	out, _, err := runCLI(t, "eval", "intents", "--train", train, "--test", test, "--html", page)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, "accuracy") || !strings.Contains(out, "macro F1") {
		t.Errorf("summary: %s", out)
	}
	if b, err := os.ReadFile(page); err != nil || !bytes.Contains(b, []byte("<svg")) {
		t.Errorf("HTML report: %v", err)
	}
}

func TestEvalIntentsErrors(t *testing.T) {
	train, _ := intentFiles(t)
	bad := writeTemp(t, t.TempDir(), "bad.csv", "text,category\nhello,greet\n,greet\n")
	cases := []struct {
		name  string
		args  []string
		want  string
		usage bool
	}{
		{"bad row", []string{"--train", train, "--test", bad}, "bad.csv:3", false},
		{"missing file", []string{"--train", train, "--test", filepath.Join(t.TempDir(), "nope.csv")}, "nope.csv", false},
		{"missing flag", []string{"--train", train}, "--test", true},
		{"unknown flag", []string{"--train", train, "--tset", "x"}, "tset", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, _, err := runCLI(t, append([]string{"eval", "intents"}, c.args...)...)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("error %v, want one mentioning %q", err, c.want)
			}
			var ue usageError
			if errors.As(err, &ue) != c.usage {
				t.Errorf("usage error = %v, want %v", !c.usage, c.usage)
			}
		})
	}
	if code := Execute([]string{"eval", "intents", "--train", train, "--test", bad}); code == 0 {
		t.Error("Execute with a bad file exited 0")
	}
}
