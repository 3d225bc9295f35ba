package server

import (
	"fmt"
	"net/url"
	"testing"

	"github.com/stretchr/testify/require"
)

type savedArticleOut struct {
	Article struct {
		ID      int64  `json:"id"`
		Title   string `json:"title"`
		Body    string `json:"body"`
		Status  string `json:"status"`
		Version int    `json:"version"`
	} `json:"article"`
	Restored bool `json:"restored"`
}

type articleVersionOut struct {
	Version      int      `json:"version"`
	Title        string   `json:"title"`
	Body         string   `json:"body"`
	Status       string   `json:"status"`
	Changed      []string `json:"changed"`
	Action       string   `json:"action"`
	RestoredFrom *int     `json:"restored_from"`
	Author       *struct {
		ID    int64  `json:"id"`
		Email string `json:"email"`
	} `json:"author"`
	CreatedAt string `json:"created_at"`
}

// The history endpoints over HTTP: editors save with the version they started from, a stale save
// is a 409 that says so, history lists who changed what, and restore makes a new version.
func TestArticleVersionsHTTP(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	ann := ta.user("ann@x.test", "editor")
	bob := ta.user("bob@x.test", "editor")
	agent := ta.user("agent@x.test", "agent", "general")

	var created savedArticleOut
	ta.do("POST", "/api/v1/kb/articles", ann, map[string]any{"title": "Gift wrapping", "language": "en",
		"body": "We gift wrap any order for five yuan."}, 201, &created)
	id := created.Article.ID
	require.Equal(t, 1, created.Article.Version)
	path := fmt.Sprintf("/api/v1/kb/articles/%d", id)

	// Ann and Bob both open version 1. Ann saves first; Bob's save from version 1 is refused.
	var saved savedArticleOut
	ta.do("PUT", path, ann, map[string]any{"title": "Gift wrapping", "language": "en", "version": 1,
		"body": "Gift wrapping is free for members."}, 200, &saved)
	require.Equal(t, 2, saved.Article.Version)
	var stale struct {
		Error          string `json:"error"`
		Code           string `json:"code"`
		YourVersion    int    `json:"your_version"`
		CurrentVersion int    `json:"current_version"`
		Latest         articleVersionOut
	}
	ta.do("PUT", path, bob, map[string]any{"title": "Gift wrapping", "language": "en", "version": 1,
		"body": "Gift wrapping costs ten yuan."}, 409, &stale)
	require.Equal(t, "stale", stale.Code)
	require.Equal(t, 1, stale.YourVersion)
	require.Equal(t, 2, stale.CurrentVersion)
	require.Equal(t, "ann@x.test", stale.Latest.Author.Email)
	require.Contains(t, stale.Error, "changed after you opened it")
	ta.do("POST", path+"/publish", bob, map[string]any{"version": 1}, 409, nil)
	var got savedArticleOut
	ta.do("GET", path, bob, nil, 200, &got)
	require.Equal(t, "Gift wrapping is free for members.", got.Article.Body, "Ann's text was not overwritten")

	// Bob reloads (version 2) and publishes.
	ta.do("POST", path+"/publish", bob, map[string]any{"version": 2}, 200, &got)
	require.Equal(t, "published", got.Article.Status)
	require.Equal(t, 3, got.Article.Version)

	var hist struct{ Items []articleVersionOut }
	ta.do("GET", path+"/versions", ann, nil, 200, &hist)
	require.Len(t, hist.Items, 3)
	summary := []string{}
	for _, v := range hist.Items {
		require.Empty(t, v.Body)
		require.NotEmpty(t, v.CreatedAt)
		summary = append(summary, fmt.Sprintf("v%d %s %s %v", v.Version, v.Action, v.Author.Email, v.Changed))
	}
	require.Equal(t, []string{
		"v3 status bob@x.test [status]",
		"v2 update ann@x.test [body]",
		"v1 create ann@x.test [title body language status tags questions]",
	}, summary)

	var one struct{ Version articleVersionOut }
	ta.do("GET", path+"/versions/1", ann, nil, 200, &one)
	require.Equal(t, "We gift wrap any order for five yuan.", one.Version.Body)
	require.Equal(t, "draft", one.Version.Status)

	// Restore version 1: a new version 4, still published, which the bot answers from.
	var restored savedArticleOut
	ta.do("POST", path+"/versions/1/restore", ann, map[string]any{"version": 3}, 200, &restored)
	require.True(t, restored.Restored)
	require.Equal(t, 4, restored.Article.Version)
	require.Equal(t, "published", restored.Article.Status)
	require.Equal(t, "We gift wrap any order for five yuan.", restored.Article.Body)
	ta.do("GET", path+"/versions/4", ann, nil, 200, &one)
	require.Equal(t, "restore", one.Version.Action)
	require.Equal(t, 1, *one.Version.RestoredFrom)
	var search struct {
		Results []struct {
			ArticleID int64  `json:"article_id"`
			Snippet   string `json:"snippet"`
		}
	}
	ta.do("GET", "/api/v1/kb/search?q="+url.QueryEscape("gift wrap price"), agent, nil, 200, &search)
	require.NotEmpty(t, search.Results)
	require.Equal(t, id, search.Results[0].ArticleID)
	require.Contains(t, search.Results[0].Snippet, "five yuan")

	// Restoring from a stale view is refused as well.
	ta.do("POST", path+"/versions/2/restore", bob, map[string]any{"version": 3}, 409, nil)

	// Missing things and bad input.
	ta.do("GET", path+"/versions/99", ann, nil, 404, nil)
	ta.do("GET", path+"/versions/x", ann, nil, 404, nil)
	ta.do("GET", "/api/v1/kb/articles/999999/versions", ann, nil, 404, nil)
	ta.do("POST", path+"/versions/99/restore", ann, nil, 404, nil)
	ta.do("PUT", path, ann, map[string]any{"title": "Gift wrapping", "language": "en", "body": "x", "version": -1}, 400, nil)
	ta.do("PUT", path, ann, map[string]any{"title": "Gift wrapping", "language": "en", "body": "x", "version": "2"}, 400, nil)
	ta.do("POST", path+"/archive", ann, `{"version": 4, "extra": true}`, 400, nil)

	// Only editors (and admins) see or change history; agents get 403, strangers 401.
	for _, r := range []struct{ method, path string }{
		{"GET", path + "/versions"},
		{"GET", path + "/versions/1"},
		{"POST", path + "/versions/1/restore"},
		{"GET", "/api/v1/kb/tags"},
		{"POST", "/api/v1/kb/preview"},
	} {
		var body any
		if r.method == "POST" {
			body = map[string]any{}
		}
		ta.do(r.method, r.path, agent, body, 403, nil)
		ta.do(r.method, r.path, "", body, 401, nil)
	}
	ta.do("GET", path, ann, nil, 200, &got)
	require.Equal(t, 4, got.Article.Version, "the refused requests changed nothing")
}

// Drafts and archived articles are never in the bot's search; the list finds them by body text,
// and the preview renders Markdown without letting HTML through.
func TestArticleSearchListAndPreviewHTTP(t *testing.T) {
	ta := newTestApp(t, appOptions{})
	ed := ta.user("ed@x.test", "editor")
	agent := ta.user("agent@x.test", "agent", "general")
	for _, a := range []map[string]any{
		{"title": "Bicycle repairs", "language": "en", "status": "draft", "tags": []string{"Service"}, "body": "We repair bicycles on Saturdays."},
		{"title": "Scooter repairs", "language": "en", "status": "archived", "tags": []string{"service"}, "body": "We repaired scooters on Saturdays."},
		{"title": "自行车保养", "language": "zh", "status": "published", "body": "每周六提供自行车保养服务。"},
	} {
		ta.do("POST", "/api/v1/kb/articles", ed, a, 201, nil)
	}
	var search struct {
		Results []struct {
			Title string `json:"title"`
		}
	}
	ta.do("GET", "/api/v1/kb/search?k=10&q="+url.QueryEscape("repairs on saturdays"), agent, nil, 200, &search)
	require.NotEmpty(t, search.Results)
	for _, r := range search.Results {
		require.Equal(t, "自行车保养", r.Title, "only the published article is searched")
	}

	var list struct {
		Items []struct {
			Title string `json:"title"`
		}
	}
	ta.do("GET", "/api/v1/kb/articles?q="+url.QueryEscape("saturdays"), ed, nil, 200, &list)
	require.Len(t, list.Items, 2)
	ta.do("GET", "/api/v1/kb/articles?tag=service&status=draft", ed, nil, 200, &list)
	require.Len(t, list.Items, 1)
	require.Equal(t, "Bicycle repairs", list.Items[0].Title)
	ta.do("GET", "/api/v1/kb/articles?q="+url.QueryEscape("周六"), ed, nil, 200, &list)
	require.Len(t, list.Items, 1)
	require.Equal(t, "自行车保养", list.Items[0].Title)
	var tags struct {
		Items []struct {
			Tag      string `json:"tag"`
			Articles int    `json:"articles"`
		}
	}
	ta.do("GET", "/api/v1/kb/tags", ed, nil, 200, &tags)
	require.Len(t, tags.Items, 1)
	require.Equal(t, "service", tags.Items[0].Tag)
	require.Equal(t, 2, tags.Items[0].Articles)

	var preview struct{ HTML string }
	ta.do("POST", "/api/v1/kb/preview", ed, map[string]string{"body": "# Hi\n\n**bold** <script>alert(1)</script> [x](javascript:alert(1))"}, 200, &preview)
	require.Contains(t, preview.HTML, "<h1>Hi</h1>")
	require.Contains(t, preview.HTML, "<strong>bold</strong>")
	require.NotContains(t, preview.HTML, "<script")
	require.NotContains(t, preview.HTML, "javascript:")
	ta.do("POST", "/api/v1/kb/preview", ed, `{"body": 5}`, 400, nil)
}
