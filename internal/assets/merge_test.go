package assets

import (
	"strings"
	"testing"
	"testing/fstest"
)

func TestMerge(t *testing.T) {
	chat := fstest.MapFS{"chat.js": {Data: []byte("a")}, "css/chat.css": {Data: []byte("b")}}
	bench := fstest.MapFS{"queue.js": {Data: []byte("c")}, "css/bench.css": {Data: []byte("d")}}
	a, err := New(Merge(chat, bench))
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"chat.js", "queue.js", "css/chat.css", "css/bench.css"} {
		if strings.Contains(a.URL(name), "/missing/") {
			t.Errorf("%s missing from the merged assets", name)
		}
	}
}

func TestMergeRefusesDuplicateFiles(t *testing.T) {
	one := fstest.MapFS{"app.css": {Data: []byte("a")}}
	two := fstest.MapFS{"app.css": {Data: []byte("b")}}
	if _, err := New(Merge(one, two)); err == nil || !strings.Contains(err.Error(), "app.css") {
		t.Fatalf("New(Merge(dup)) error = %v, want one naming app.css", err)
	}
}
