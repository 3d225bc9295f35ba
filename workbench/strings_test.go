package workbench

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"

	"github.com/baton-cs/baton/internal/i18n"
)

// Every string key a template or script names literally must exist, or the page would show the key.
// (The chat widget's files are checked here too: they share the catalog and the modules.)
func TestUIStringKeysExist(t *testing.T) {
	patterns := map[string]*regexp.Regexp{
		".html": regexp.MustCompile(`\.T "([a-z_.]+)"`),
		".js":   regexp.MustCompile(`\bt(?:Or)?\("([a-z_.]+)"`),
	}
	dirs := []string{"templates", "static", "../channel/web/templates", "../channel/web/static"}
	seen := 0
	for _, dir := range dirs {
		files, err := os.ReadDir(dir)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range files {
			re, ok := patterns[filepath.Ext(f.Name())]
			if !ok {
				continue
			}
			src, err := os.ReadFile(filepath.Join(dir, f.Name()))
			if err != nil {
				t.Fatal(err)
			}
			for _, m := range re.FindAllStringSubmatch(string(src), -1) {
				seen++
				if i18n.T(i18n.English, m[1]) == m[1] {
					t.Errorf("%s/%s uses unknown string key %q", dir, f.Name(), m[1])
				}
			}
		}
	}
	if seen < 50 {
		t.Fatalf("found only %d keys: is the pattern still right?", seen)
	}
}
