package evals

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
)

// Client drives a running Baton the way a customer does (the public conversation API), and
// reads what the bot holds through the evaluator API (an evaluator's bearer token).
type Client struct {
	BaseURL string
	Token   string
	HTTP    *http.Client
}

// ObsCitation is an article a reply cites.
type ObsCitation struct {
	ArticleID int64   `json:"article_id"`
	Title     string  `json:"title"`
	Score     float64 `json:"score,omitempty"`
}

// ObsReply is one bot reply as the customer API returns it.
type ObsReply struct {
	Text      string        `json:"text"`
	Citations []ObsCitation `json:"citations,omitempty"`
	Meta      struct {
		Kind       string            `json:"kind"`
		Intent     string            `json:"intent,omitempty"`
		Confidence float64           `json:"confidence,omitempty"`
		Asking     string            `json:"asking,omitempty"`
		Slots      map[string]string `json:"slots,omitempty"`
		Reason     string            `json:"reason,omitempty"`
		Understood string            `json:"understood,omitempty"`
	} `json:"meta"`
}

// Conversation is a test conversation on the server.
type Conversation struct {
	ID    string
	token string
}

func (cl *Client) do(ctx context.Context, method, path, token string, body, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, strings.TrimRight(cl.BaseURL, "/")+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	hc := cl.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 60 * time.Second}
	}
	res, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	b, err := io.ReadAll(io.LimitReader(res.Body, 8<<20))
	if err != nil {
		return err
	}
	if res.StatusCode >= 300 {
		var e struct{ Error string }
		_ = json.Unmarshal(b, &e)
		if e.Error == "" {
			e.Error = strings.TrimSpace(string(b))
		}
		return fmt.Errorf("%s %s: HTTP %d: %s", method, path, res.StatusCode, e.Error)
	}
	if out != nil {
		return json.Unmarshal(b, out)
	}
	return nil
}

// Start opens a test conversation for a customer with the given profile.
func (cl *Client) Start(ctx context.Context, lang string, cust *Customer) (*Conversation, error) {
	in := map[string]any{"language": lang}
	if cust != nil {
		in["customer"] = map[string]string{"name": cust.Name, "vip_tier": cust.Tier()}
	}
	var out struct {
		Conversation struct {
			ID string `json:"id"`
		} `json:"conversation"`
		CustomerToken string `json:"customer_token"`
	}
	if err := cl.do(ctx, "POST", "/api/v1/eval/conversations", cl.Token, in, &out); err != nil {
		return nil, err
	}
	return &Conversation{ID: out.Conversation.ID, token: out.CustomerToken}, nil
}

// Say posts a customer message and returns the bot's replies and the round trip's duration.
func (cl *Client) Say(ctx context.Context, c *Conversation, text, clientID string) ([]ObsReply, time.Duration, error) {
	var out struct {
		Replies []ObsReply `json:"replies"`
	}
	t0 := time.Now()
	err := cl.do(ctx, "POST", "/api/v1/conversations/"+c.ID+"/messages", c.token,
		map[string]string{"text": text, "client_message_id": clientID}, &out)
	return out.Replies, time.Since(t0), err
}

// Trace reads the conversation's state after a turn.
func (cl *Client) Trace(ctx context.Context, c *Conversation) (Trace, error) {
	var tr Trace
	err := cl.do(ctx, "GET", "/api/v1/eval/conversations/"+c.ID+"/trace", cl.Token, nil, &tr)
	return tr, err
}
