// Package fakeopenai is an OpenAI-compatible /embeddings endpoint for tests, run in the test
// process with httptest: it embeds with a function the test gives and can fail on purpose.
package fakeopenai

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

// Request is one embeddings request the server received.
type Request struct {
	Auth       string
	Model      string
	Input      []string
	Dimensions int
}

// Server is a fake embeddings endpoint. Set Fail to make the next requests fail with the given
// HTTP statuses in order; set Delay to slow the next requests down.
type Server struct {
	URL string // base URL, ending in /v1

	mu       sync.Mutex
	embed    func(text string) []float32
	requests []Request
	fail     []int
	delay    []time.Duration
}

// New starts a server embedding each text with embed; it stops when the test ends.
func New(t testing.TB, embed func(text string) []float32) *Server {
	s := &Server{embed: embed}
	hs := httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(hs.Close)
	s.URL = hs.URL + "/v1"
	return s
}

// Fail makes the next len(statuses) requests fail with these statuses.
func (s *Server) Fail(statuses ...int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.fail = append(s.fail, statuses...)
}

// Delay makes the next len(ds) requests wait that long before answering.
func (s *Server) Delay(ds ...time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = append(s.delay, ds...)
}

// Requests returns the requests received so far.
func (s *Server) Requests() []Request {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Request{}, s.requests...)
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/embeddings" {
		http.NotFound(w, r)
		return
	}
	var body struct {
		Input      []string `json:"input"`
		Model      string   `json:"model"`
		Dimensions int      `json:"dimensions"`
	}
	if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
		writeError(w, http.StatusBadRequest, "bad json: "+err.Error())
		return
	}
	s.mu.Lock()
	s.requests = append(s.requests, Request{Auth: r.Header.Get("Authorization"), Model: body.Model, Input: body.Input, Dimensions: body.Dimensions})
	var status int
	if len(s.fail) > 0 {
		status, s.fail = s.fail[0], s.fail[1:]
	}
	var delay time.Duration
	if len(s.delay) > 0 {
		delay, s.delay = s.delay[0], s.delay[1:]
	}
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
	type item struct {
		Object    string    `json:"object"`
		Embedding []float32 `json:"embedding"`
		Index     int       `json:"index"`
	}
	// Real servers may answer out of order; clients must use the index.
	data := make([]item, len(body.Input))
	for i, text := range body.Input {
		data[len(data)-1-i] = item{Object: "embedding", Embedding: s.embed(text), Index: i}
	}
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(map[string]any{"object": "list", "data": data, "model": body.Model,
		"usage": map[string]int{"prompt_tokens": len(body.Input), "total_tokens": len(body.Input)}})
}

func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]any{"error": map[string]any{"message": msg, "type": "test_error"}})
}
