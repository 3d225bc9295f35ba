package fakeopenai

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// ChatMessage is one message of a chat completion request.
type ChatMessage struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// ChatRequest is one chat completion request the server received.
type ChatRequest struct {
	Auth     string
	Model    string
	Messages []ChatMessage
	// Tools are the functions offered, as sent; ToolChoice the forced one's name ("" when none).
	Tools      []map[string]any
	ToolChoice string
}

// System and User return the request's first system and last user message.
func (r ChatRequest) System() string { return r.last("system", true) }

// User returns the request's last user message.
func (r ChatRequest) User() string { return r.last("user", false) }

func (r ChatRequest) last(role string, first bool) string {
	out := ""
	for _, m := range r.Messages {
		if m.Role == role {
			out = m.Content
			if first {
				break
			}
		}
	}
	return out
}

// ChatReply is what the fake answers: a function call (Function and Arguments) or plain Content.
type ChatReply struct {
	Function  string
	Arguments string
	Content   string
}

// Chat is a fake OpenAI-compatible /chat/completions endpoint: each request is answered by the
// test's function. Fail and Delay work as on Server.
type Chat struct {
	URL string // base URL, ending in /v1

	mu       sync.Mutex
	reply    func(ChatRequest) ChatReply
	requests []ChatRequest
	fail     []int
	delay    []time.Duration
}

// NewChat starts a chat endpoint answering with reply; it stops when the test ends.
func NewChat(t testing.TB, reply func(ChatRequest) ChatReply) *Chat {
	s := &Chat{reply: reply}
	hs := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(hs.Close)
	s.URL = hs.URL + "/v1"
	return s
}

// SetReply changes how the next requests are answered.
func (s *Chat) SetReply(reply func(ChatRequest) ChatReply) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.reply = reply
}

// Fail makes the next len(statuses) requests fail with these statuses.
func (s *Chat) Fail(statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = append(s.fail, statuses...)
}

// Delay makes the next len(ds) requests wait that long before answering.
func (s *Chat) Delay(ds ...time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = append(s.delay, ds...)
}

// Requests returns the requests received so far.
func (s *Chat) Requests() []ChatRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]ChatRequest{}, s.requests...)
}

func (s *Chat) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/chat/completions" {
		http.NotFound(w, r)
		return
	}
	var body struct {
		Model      string           `json:"model"`
		Messages   []ChatMessage    `json:"messages"`
		Tools      []map[string]any `json:"tools"`
		ToolChoice json.RawMessage  `json:"tool_choice"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "bad json: "+err.Error())
		return
	}
	var choice struct {
		Function struct {
			Name string `json:"name"`
		} `json:"function"`
	}
	_ = json.Unmarshal(body.ToolChoice, &choice)
	req := ChatRequest{Auth: r.Header.Get("Authorization"), Model: body.Model, Messages: body.Messages,
		Tools: body.Tools, ToolChoice: choice.Function.Name}
	s.mu.Lock()
	s.requests = append(s.requests, req)
	var status int
	if len(s.fail) > 0 {
		status, s.fail = s.fail[0], s.fail[1:]
	}
	var delay time.Duration
	if len(s.delay) > 0 {
		delay, s.delay = s.delay[0], s.delay[1:]
	}
	reply := s.reply
	s.mu.Unlock()
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if status != 0 {
		writeError(w, status, http.StatusText(status))
		return
	}
	out := reply(req)
	msg := map[string]any{"role": "assistant", "content": out.Content}
	finish := "stop"
	if out.Function != "" {
		msg["content"] = nil
		msg["tool_calls"] = []any{map[string]any{"id": "call_1", "type": "function",
			"function": map[string]any{"name": out.Function, "arguments": out.Arguments}}}
		finish = "tool_calls"
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{
		"id": "chatcmpl-1", "object": "chat.completion", "model": body.Model,
		"choices": []any{map[string]any{"index": 0, "finish_reason": finish, "message": msg}},
	})
}
