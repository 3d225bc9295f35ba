package cli

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/dbtest"
	"github.com/baton-cs/baton/kb"
)

const kbSamples = "../../kb/testdata/import/"

// execBaton runs the real entry point against the test database and returns its exit status
// and what it wrote to stdout and stderr.
func execBaton(t *testing.T, args ...string) (code int, stdout, stderr string) {
	t.Helper()
	url := dbtest.URL(t)
	dir := t.TempDir()
	outF, err := os.Create(filepath.Join(dir, "stdout"))
	require.NoError(t, err)
	errF, err := os.Create(filepath.Join(dir, "stderr"))
	require.NoError(t, err)
	oldOut, oldErr := os.Stdout, os.Stderr
	os.Stdout, os.Stderr = outF, errF
	code = Execute(append(args, "--database-url", url))
	os.Stdout, os.Stderr = oldOut, oldErr
	outF.Close()
	errF.Close()
	o, _ := os.ReadFile(outF.Name())
	e, _ := os.ReadFile(errF.Name())
	return code, string(o), string(e)
}

func importResult(t *testing.T, stdout string) kb.ImportResult {
	t.Helper()
	var res kb.ImportResult
	require.NoError(t, json.Unmarshal([]byte(stdout), &res), stdout)
	return res
}

func TestKBImportCommand(t *testing.T) {
	dbtest.New(t)
	code, out, errOut := execBaton(t, "kb", "import", kbSamples+"markdown")
	require.Equal(t, 0, code, errOut)
	require.Equal(t, kb.ImportResult{Imported: 3, Created: 3, Errors: []kb.ImportError{}}, importResult(t, out))
	require.Contains(t, errOut, "markdown: 3 created, 0 updated, 0 unchanged, 0 failed")
	require.NotContains(t, errOut, "importing", "no progress line for a short import without a terminal")

	code, out, _ = execBaton(t, "kb", "import", kbSamples+"markdown")
	require.Equal(t, 0, code)
	require.Equal(t, 3, importResult(t, out).Unchanged, "re-importing changes nothing")

	code, out, errOut = execBaton(t, "kb", "import", "--dry-run", kbSamples+"faq.csv")
	require.Equal(t, 0, code, errOut)
	require.Equal(t, kb.ImportResult{Imported: 3, Created: 3, DryRun: true, Errors: []kb.ImportError{}}, importResult(t, out))
	require.Contains(t, errOut, "(dry run: nothing written)")
	code, out, _ = execBaton(t, "kb", "import", "--status", "draft", kbSamples+"faq.csv")
	require.Equal(t, 0, code)
	require.Equal(t, 3, importResult(t, out).Created, "the dry run wrote nothing")

	// Bad rows: printed to stderr as FILE:LINE, the good ones imported, exit status 1.
	dir := t.TempDir()
	bad := writeTemp(t, dir, "bad.csv", "question,answer,tags\nGood one,Fine.,a;b\nNo answer,,x\nToo,many,fields,here\n中文问题,中文答案,\n")
	code, out, errOut = execBaton(t, "kb", "import", bad)
	require.Equal(t, 1, code)
	res := importResult(t, out)
	require.Equal(t, 2, res.Created)
	require.Equal(t, 2, res.Failed)
	require.Contains(t, errOut, bad+":3: answer is empty\n")
	require.Contains(t, errOut, bad+":4: wrong number of fields")
	require.Contains(t, errOut, "baton: 2 of 4 rows failed (listed above); the others were imported")

	md := filepath.Join(dir, "md")
	require.NoError(t, os.MkdirAll(filepath.Join(md, "sub"), 0o755))
	writeTemp(t, dir, "md/ok.md", "---\ntitle: Markdown OK\n---\nBody.\n")
	writeTemp(t, dir, "md/sub/none.md", "No title and no heading.\n")
	writeTemp(t, dir, "md/sub/yaml.md", "---\ntitle: x\ntags: : y\n---\nBody\n")
	code, _, errOut = execBaton(t, "kb", "import", md)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, filepath.Join(md, "sub", "none.md")+":1: no title")
	require.Contains(t, errOut, filepath.Join(md, "sub", "yaml.md")+":3: front matter: mapping values are not allowed in this context")

	jsonl := writeTemp(t, dir, "broken.jsonl", "{\"title\":\"A\",\"body\":\"b\"}\n{\"title\":\n")
	code, _, errOut = execBaton(t, "kb", "import", jsonl)
	require.Equal(t, 1, code)
	require.Contains(t, errOut, jsonl+":2: invalid JSON")

	// Bad flags and unknown formats are usage errors: exit status 2.
	for _, args := range [][]string{
		{"kb", "import", "--format", "xml", bad},
		{"kb", "import", "--status", "live", bad},
		{"kb", "import", writeTemp(t, dir, "faq.txt", "x")},
		{"kb", "export", "--format", "md"},
		{"kb", "export", "--language", "fr"},
	} {
		code, _, errOut := execBaton(t, args...)
		require.Equal(t, 2, code, "%v: %s", args, errOut)
	}
	code, out, _ = execBaton(t, "kb", "import", "--help")
	require.Equal(t, 0, code)
	require.Contains(t, out, "question,answer[,title,language,tags]")
	require.Contains(t, out, "front matter")

	code, _, errOut = execBaton(t, "kb", "import", filepath.Join(dir, "missing.jsonl"))
	require.Equal(t, 1, code)
	require.Contains(t, errOut, "no such file")
}

func TestKBExportCommand(t *testing.T) {
	dbtest.New(t)
	for _, f := range []string{"articles.jsonl", "faq.csv", "markdown"} {
		code, _, errOut := execBaton(t, "kb", "import", kbSamples+f)
		require.Equal(t, 0, code, errOut)
	}
	code, out, errOut := execBaton(t, "kb", "export")
	require.Equal(t, 0, code, errOut)
	require.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 9, "JSONL on stdout")
	require.Contains(t, errOut, "exported 9 articles to stdout")

	code, out, _ = execBaton(t, "kb", "export", "--status", "draft", "--language", "en")
	require.Equal(t, 0, code)
	require.Len(t, strings.Split(strings.TrimSpace(out), "\n"), 1)
	require.Contains(t, out, `"title":"Gift cards"`)

	dir := t.TempDir()
	for _, c := range []struct{ out, format string }{
		{filepath.Join(dir, "kb.csv"), ""},
		{filepath.Join(dir, "kb.jsonl"), ""},
		{filepath.Join(dir, "kb.zip"), ""},
		{filepath.Join(dir, "folder"), "md"},
	} {
		args := []string{"kb", "export", "--out", c.out}
		if c.format != "" {
			args = append(args, "--format", c.format)
		}
		code, _, errOut := execBaton(t, args...)
		require.Equal(t, 0, code, errOut)
		code, out, errOut = execBaton(t, "kb", "import", c.out)
		require.Equal(t, 0, code, errOut)
		require.Equal(t, kb.ImportResult{Imported: 9, Unchanged: 9, Errors: []kb.ImportError{}}, importResult(t, out), c.out)
	}
	_, err := os.Stat(filepath.Join(dir, "folder", "zh", "如何开具发票.md"))
	require.NoError(t, err)
}

// Without a terminal, a long import prints plain progress lines (here after every batch).
func TestKBImportProgressLines(t *testing.T) {
	dbtest.New(t)
	defer func(d time.Duration) { plainProgressEvery = d }(plainProgressEvery)
	plainProgressEvery = 0
	var b strings.Builder
	for i := range 100 {
		fmt.Fprintf(&b, `{"title":"Article %d","body":"Body %d"}`+"\n", i, i)
	}
	code, _, errOut := execBaton(t, "kb", "import", writeTemp(t, t.TempDir(), "many.jsonl", b.String()))
	require.Equal(t, 0, code, errOut)
	require.Contains(t, errOut, "importing: 64 rows")
	require.Contains(t, errOut, "importing: 100 rows (100%)")
	require.NotContains(t, errOut, "\r", "no bar redraws in a log")
}
