package httpx

import (
	"net/http"
	"sync"
	"time"

	"github.com/gin-gonic/gin"
	"golang.org/x/time/rate"
)

// RateLimiter keeps a token bucket per client IP.
type RateLimiter struct {
	mu      sync.Mutex
	limit   rate.Limit
	burst   int
	clients map[string]*client
	lastGC  time.Time
}

type client struct {
	lim  *rate.Limiter
	seen time.Time
}

// NewRateLimiter allows each IP perSecond requests sustained, with bursts of burst.
func NewRateLimiter(perSecond float64, burst int) *RateLimiter {
	return &RateLimiter{limit: rate.Limit(perSecond), burst: burst, clients: map[string]*client{}, lastGC: time.Now()}
}

// Allow reports whether key may make one more request now.
func (r *RateLimiter) Allow(key string) bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	now := time.Now()
	if now.Sub(r.lastGC) > time.Minute {
		for k, c := range r.clients {
			if now.Sub(c.seen) > 10*time.Minute {
				delete(r.clients, k)
			}
		}
		r.lastGC = now
	}
	c, ok := r.clients[key]
	if !ok {
		c = &client{lim: rate.NewLimiter(r.limit, r.burst)}
		r.clients[key] = c
	}
	c.seen = now
	return c.lim.Allow()
}

// Middleware answers 429 when the client IP is over its rate.
func (r *RateLimiter) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		if !r.Allow(c.ClientIP()) {
			c.Header("Retry-After", "1")
			Error(c, http.StatusTooManyRequests, "too many requests; slow down and retry")
			return
		}
		c.Next()
	}
}
