package bot

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// tmplData is what {{…}} in a template can name.
type tmplData struct {
	Slots    map[string]string
	Result   map[string]any
	Customer map[string]string
	Env      map[string]string
}

// render fills {{slots.x}}, {{result.a.b}}, {{customer.name}} and {{env.x}}. escape, when set,
// transforms slot and result values (URL path escaping for URLs); a missing value renders empty.
func render(t string, d tmplData, escape func(string) string) string {
	return templateRe.ReplaceAllStringFunc(t, func(m string) string {
		ref := templateRe.FindStringSubmatch(m)[1]
		root, path, _ := strings.Cut(ref, ".")
		var v string
		switch root {
		case "slots":
			v = d.Slots[path]
		case "customer":
			v = d.Customer[path]
		case "env":
			return d.Env[path] // configuration, never escaped: it holds base URLs
		case "result":
			v = lookup(d.Result, path)
		}
		if escape != nil {
			v = escape(v)
		}
		return v
	})
}

func lookup(m map[string]any, path string) string {
	var cur any = m
	for _, k := range strings.Split(path, ".") {
		obj, ok := cur.(map[string]any)
		if !ok {
			return ""
		}
		cur = obj[k]
	}
	switch v := cur.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(v)
	default:
		b, _ := json.Marshal(v)
		return string(b)
	}
}

// actionResult is how a business-system call went.
type actionResult struct {
	Status int
	Body   map[string]any
}

// errAction is a call that failed: unreachable, timed out, or answered 5xx / something unusable.
var errAction = errors.New("bot: business system call failed")

const maxActionResponse = 1 << 20

// callHTTP runs an HTTP action. A 2xx with a JSON object body (or no body) succeeds; any other
// status is returned for the intent's on_status rules; transport errors and timeouts are errAction.
func callHTTP(ctx context.Context, client *http.Client, h *HTTPCall, d tmplData) (actionResult, error) {
	timeout := time.Duration(h.Timeout)
	if timeout <= 0 {
		timeout = DefaultHTTPTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	method := strings.ToUpper(h.Method)
	if method == "" {
		method = http.MethodGet
	}
	u := render(h.URL, d, url.PathEscape)
	var body io.Reader
	if len(h.Body) > 0 {
		obj := map[string]string{}
		for k, v := range h.Body {
			obj[k] = render(v, d, nil)
		}
		b, _ := json.Marshal(obj)
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, u, body)
	if err != nil {
		return actionResult{}, fmt.Errorf("%w: %v", errAction, err)
	}
	req.Header.Set("Accept", "application/json")
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, v := range h.Headers {
		req.Header.Set(k, render(v, d, nil))
	}
	resp, err := client.Do(req)
	if err != nil {
		return actionResult{}, fmt.Errorf("%w: %v", errAction, err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, maxActionResponse))
	if err != nil {
		return actionResult{}, fmt.Errorf("%w: read: %v", errAction, err)
	}
	res := actionResult{Status: resp.StatusCode, Body: map[string]any{}}
	if len(bytes.TrimSpace(raw)) > 0 {
		if err := json.Unmarshal(raw, &res.Body); err != nil && resp.StatusCode/100 == 2 {
			return actionResult{}, fmt.Errorf("%w: response is not a JSON object", errAction)
		}
	}
	if resp.StatusCode >= 500 {
		return res, fmt.Errorf("%w: status %d", errAction, resp.StatusCode)
	}
	return res, nil
}
