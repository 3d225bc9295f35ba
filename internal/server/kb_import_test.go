package server

import (
	"archive/zip"
	"bytes"
	"compress/gzip"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/kb"
)

const samples = "../../kb/testdata/import/"

// send posts body with a Content-Type and returns the status, headers and body.
func (ta *testApp) send(method, path, token, contentType string, body []byte) (int, http.Header, []byte) {
	ta.t.Helper()
	req, err := http.NewRequest(method, ta.URL+path, bytes.NewReader(body))
	require.NoError(ta.t, err)
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(ta.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(ta.t, err)
	return resp.StatusCode, resp.Header, b
}

type importOut struct {
	kb.ImportResult
	Error string `json:"error"`
}

func (ta *testApp) importBody(path, token, contentType string, body []byte, want int) importOut {
	ta.t.Helper()
	status, _, b := ta.send("POST", path, token, contentType, body)
	require.Equal(ta.t, want, status, string(b))
	var out importOut
	require.NoError(ta.t, json.Unmarshal(b, &out), string(b))
	return out
}

// zipFolder zips the Markdown sample folder.
func zipFolder(t *testing.T, dir string) []byte {
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	require.NoError(t, filepath.WalkDir(dir, func(p string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		w, err := zw.Create(filepath.ToSlash(rel))
		if err != nil {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		_, err = w.Write(data)
		return err
	}))
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func multipartFile(t *testing.T, name string, data []byte) (string, []byte) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	require.NoError(t, mw.WriteField("note", "ignored"))
	fw, err := mw.CreateFormFile("file", name)
	require.NoError(t, err)
	_, err = fw.Write(data)
	require.NoError(t, err)
	require.NoError(t, mw.Close())
	return mw.FormDataContentType(), buf.Bytes()
}

func TestKBImportAPI(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	editor := ta.user("editor@example.com", "editor")
	agent := ta.user("agent@example.com", "agent")
	csvData, err := os.ReadFile(samples + "faq.csv")
	require.NoError(t, err)
	jsonl, err := os.ReadFile(samples + "articles.jsonl")
	require.NoError(t, err)

	status, _, b := ta.send("POST", "/api/v1/kb/import", agent, "text/csv", csvData)
	require.Equal(t, 403, status, string(b))
	require.JSONEq(t, `{"error":"your role (agent) may not do this"}`, string(b))
	status, _, _ = ta.send("POST", "/api/v1/kb/import", "", "text/csv", csvData)
	require.Equal(t, 401, status)

	out := ta.importBody("/api/v1/kb/import?dry_run=true", editor, "text/csv", csvData, 200)
	require.Equal(t, kb.ImportResult{Imported: 3, Created: 3, DryRun: true, Errors: []kb.ImportError{}}, out.ImportResult)
	var list struct{ Items []kb.Article }
	ta.do("GET", "/api/v1/kb/articles", editor, nil, 200, &list)
	require.Empty(t, list.Items, "a dry run writes nothing")

	out = ta.importBody("/api/v1/kb/import", editor, "text/csv", csvData, 200)
	require.Equal(t, kb.ImportResult{Imported: 3, Created: 3, Errors: []kb.ImportError{}}, out.ImportResult)
	out = ta.importBody("/api/v1/kb/import", editor, "text/csv; charset=utf-8", csvData, 200)
	require.Equal(t, kb.ImportResult{Imported: 3, Unchanged: 3, Errors: []kb.ImportError{}}, out.ImportResult, "re-import: nothing duplicated")

	// JSONL by ?format=, by Content-Type, and told apart from CSV by its content.
	out = ta.importBody("/api/v1/kb/import?format=jsonl", editor, "application/octet-stream", jsonl, 200)
	require.Equal(t, 3, out.Created)
	out = ta.importBody("/api/v1/kb/import", editor, "application/x-ndjson", jsonl, 200)
	require.Equal(t, 3, out.Unchanged)
	out = ta.importBody("/api/v1/kb/import", editor, "", []byte(`{"title":"Sniffed","body":"JSONL without a type"}`), 200)
	require.Equal(t, 1, out.Created)
	out = ta.importBody("/api/v1/kb/import?status=draft", editor, "text/plain", []byte("question,answer\nSniffed CSV?,Yes.\n"), 200)
	require.Equal(t, 1, out.Created)

	// A Markdown folder as a zip, as the body or as a form upload.
	zipped := zipFolder(t, samples+"markdown")
	out = ta.importBody("/api/v1/kb/import", editor, "application/zip", zipped, 200)
	require.Equal(t, kb.ImportResult{Imported: 3, Created: 3, Errors: []kb.ImportError{}}, out.ImportResult)
	ct, form := multipartFile(t, "kb.zip", zipped)
	out = ta.importBody("/api/v1/kb/import", editor, ct, form, 200)
	require.Equal(t, 3, out.Unchanged)

	ta.do("GET", "/api/v1/kb/articles?q=Sniffed", editor, nil, 200, &list)
	require.Len(t, list.Items, 2)
	for _, a := range list.Items {
		want := map[string]string{"Sniffed": kb.StatusPublished, "Sniffed CSV?": kb.StatusDraft}[a.Title]
		require.Equal(t, want, a.Status, "?status= applies to rows without one: %s", a.Title)
	}

	// Bad rows are reported by line with the file's name; the good ones go in.
	ct, form = multipartFile(t, "more.csv", []byte("question,answer\nGood row,fine\nNo answer,\n"))
	out = ta.importBody("/api/v1/kb/import", editor, ct, form, 200)
	require.Equal(t, 1, out.Created)
	require.Equal(t, 1, out.Failed)
	require.Equal(t, []kb.ImportError{{File: "more.csv", Line: 3, Reason: "answer is empty"}}, out.Errors)
	out = ta.importBody("/api/v1/kb/import", editor, "application/x-ndjson", []byte("not json\n{\"title\":\"x\"}\n"), 400)
	require.Equal(t, "no valid article in the import", out.Error)
	require.Equal(t, 2, out.Failed)
	require.Equal(t, []kb.ImportError{{Line: 1, Reason: "invalid JSON: invalid character 'o' in literal null (expecting 'u')"},
		{Line: 2, Reason: "body is required"}}, out.Errors)

	for _, c := range []struct {
		path, ct string
		body     []byte
		want     int
		msg      string
	}{
		{"/api/v1/kb/import?format=xml", "", jsonl, 400, "format must be jsonl, csv or md (a zip of Markdown files)"},
		{"/api/v1/kb/import?status=live", "", jsonl, 400, "status must be draft, published or archived"},
		{"/api/v1/kb/import?dry_run=maybe", "", jsonl, 400, "dry_run must be true or false"},
		{"/api/v1/kb/import?format=md", "", jsonl, 400, "not a zip archive: not a valid zip file"},
		{"/api/v1/kb/import", "application/gzip", gzipped(t, jsonl), 415, "gzip and tar are not accepted: upload a Markdown folder as a zip"},
		{"/api/v1/kb/import", "multipart/form-data; boundary=xyz", []byte("--xyz--\r\n"), 400, `could not read the upload: no file in the form (send it as the field "file")`},
	} {
		status, _, b := ta.send("POST", c.path, editor, c.ct, c.body)
		require.Equal(t, c.want, status, "%s: %s", c.path, b)
		require.JSONEq(t, `{"error":`+jsonString(c.msg)+`}`, string(b), c.path)
	}

	// Over the size limit: 413 with a JSON error.
	big := bytes.Repeat([]byte(`{"title":"Big","body":"`+strings.Repeat("x", 1000)+`"}`+"\n"), kb.MaxImportBody/1000+10)
	out = ta.importBody("/api/v1/kb/import", editor, "application/x-ndjson", big, 413)
	require.Equal(t, "import larger than 20971520 bytes; split it", out.Error)
}

func gzipped(t *testing.T, data []byte) []byte {
	var buf bytes.Buffer
	zw := gzip.NewWriter(&buf)
	_, err := zw.Write(data)
	require.NoError(t, err)
	require.NoError(t, zw.Close())
	return buf.Bytes()
}

func jsonString(s string) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestKBExportAPI(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	editor := ta.user("editor@example.com", "editor")
	agent := ta.user("agent@example.com", "agent")
	jsonl, err := os.ReadFile(samples + "articles.jsonl")
	require.NoError(t, err)
	ta.importBody("/api/v1/kb/import", editor, "application/x-ndjson", jsonl, 200)
	ta.importBody("/api/v1/kb/import", editor, "application/zip", zipFolder(t, samples+"markdown"), 200)

	status, _, _ := ta.send("GET", "/api/v1/kb/export", agent, "", nil)
	require.Equal(t, 403, status)

	status, h, b := ta.send("GET", "/api/v1/kb/export", editor, "", nil)
	require.Equal(t, 200, status, string(b))
	require.Equal(t, "application/x-ndjson; charset=utf-8", h.Get("Content-Type"))
	require.Regexp(t, `^attachment; filename="baton-kb-\d{8}\.jsonl"$`, h.Get("Content-Disposition"))
	require.Len(t, strings.Split(strings.TrimSpace(string(b)), "\n"), 6)

	status, h, b = ta.send("GET", "/api/v1/kb/export?format=csv&language=zh&status=published,draft", editor, "", nil)
	require.Equal(t, 200, status, string(b))
	require.Equal(t, "text/csv; charset=utf-8", h.Get("Content-Type"))
	require.True(t, strings.HasPrefix(string(b), "\uFEFFquestion,answer,"))
	require.Contains(t, string(b), "如何修改收货地址？")
	require.NotContains(t, string(b), "Gift cards")

	status, h, b = ta.send("GET", "/api/v1/kb/export?format=md", editor, "", nil)
	require.Equal(t, 200, status, string(b))
	require.Equal(t, "application/zip", h.Get("Content-Type"))
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	require.Len(t, zr.File, 6)
	out := ta.importBody("/api/v1/kb/import", editor, "application/zip", b, 200)
	require.Equal(t, kb.ImportResult{Imported: 6, Unchanged: 6, Errors: []kb.ImportError{}}, out.ImportResult,
		"the exported zip imports back unchanged")

	for _, q := range []string{"format=pdf", "status=live", "language=fr"} {
		status, _, b := ta.send("GET", "/api/v1/kb/export?"+q, editor, "", nil)
		require.Equal(t, 400, status, q)
		require.Contains(t, string(b), `"error":`)
	}
}
