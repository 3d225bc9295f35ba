package evals

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadIntents(t *testing.T) {
	cases := []struct {
		name, file, content string
		want                []IntentRow
	}{
		{"csv any column order and quoting", "a.csv", "category,text\nrefund,\"I want my money back, now\"\nOOS,what is the weather\n",
			[]IntentRow{{"I want my money back, now", "refund", 2}, {"what is the weather", "", 3}}},
		{"jsonl", "a.jsonl", "{\"text\": \"我要退款\", \"intent\": \"refund\"}\n\n{\"text\": \"hi\", \"intent\": \"oos\"}\n",
			[]IntentRow{{"我要退款", "refund", 1}, {"hi", "", 3}}},
		{"sniffed jsonl", "a.txt", "{\"text\": \"x\", \"intent\": \"y\"}\n", []IntentRow{{"x", "y", 1}}},
		{"sniffed csv with BOM", "a.data", "\ufefftext,category\nx,y\n", []IntentRow{{"x", "y", 2}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			rows, err := LoadIntents(writeFile(t, c.file, c.content))
			if err != nil {
				t.Fatal(err)
			}
			if len(rows) != len(c.want) {
				t.Fatalf("rows %+v, want %+v", rows, c.want)
			}
			for i := range rows {
				if rows[i] != c.want[i] {
					t.Errorf("row %d = %+v, want %+v", i, rows[i], c.want[i])
				}
			}
		})
	}
}

func TestLoadIntentsErrors(t *testing.T) {
	cases := []struct{ name, file, content, want string }{
		{"missing column", "a.csv", "text,label\nx,y\n", "a.csv:1:"},
		{"empty text", "a.csv", "text,category\nx,y\n ,z\n", "a.csv:3: empty text"},
		{"bad quoting", "a.csv", "text,category\nx,y\n\"x,y\n", "a.csv:3:"},
		{"bad json", "a.jsonl", "{\"text\":\"x\",\"intent\":\"y\"}\n{nope\n", "a.jsonl:2:"},
		{"missing intent", "a.jsonl", "{\"text\":\"x\"}\n", "a.jsonl:1:"},
		{"empty file", "a.jsonl", "", "no rows"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			_, err := LoadIntents(writeFile(t, c.file, c.content))
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Errorf("LoadIntents: %v, want an error containing %q", err, c.want)
			}
		})
	}
	if _, err := LoadIntents(filepath.Join(t.TempDir(), "missing.csv")); err == nil {
		t.Error("LoadIntents of a missing file: no error")
	}
}
