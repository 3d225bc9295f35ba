// Package metrics serves Baton's Prometheus metrics at /metrics: what this process did (turns,
// the bot's replies by kind, turn and HTTP latency), what the database says for every process
// (handoffs by reason, claims, the queue), and the database pool. It is off unless
// BATON_METRICS_TOKEN is set; scrapers then send it as a bearer token.
package metrics

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/baton-cs/baton/internal/conversation"
)

// Metrics holds one process's collectors, in a registry of its own.
type Metrics struct {
	Registry    *prometheus.Registry
	turns       prometheus.Counter
	replies     *prometheus.CounterVec
	turnSeconds prometheus.Histogram
	httpSeconds *prometheus.HistogramVec
}

// latencyBuckets run from 5 ms to 10 s.
var latencyBuckets = []float64{.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}

// New registers the collectors; pool feeds the database-wide and pool metrics.
func New(pool *pgxpool.Pool) *Metrics {
	m := &Metrics{
		Registry: prometheus.NewRegistry(),
		turns: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "baton_turns_total", Help: "Customer messages the bot took a turn on, in this process.",
		}),
		replies: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "baton_bot_replies_total",
			Help: "The bot's replies by kind (answer, dont_know, ask, handoff, …), in this process.",
		}, []string{"kind"}),
		turnSeconds: prometheus.NewHistogram(prometheus.HistogramOpts{
			Name: "baton_turn_duration_seconds", Help: "From a customer message received to the bot's replies stored.",
			Buckets: latencyBuckets,
		}),
		httpSeconds: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "baton_http_request_duration_seconds", Help: "HTTP requests by route pattern, method and status.",
			Buckets: latencyBuckets,
		}, []string{"method", "route", "status"}),
	}
	m.Registry.MustRegister(m.turns, m.replies, m.turnSeconds, m.httpSeconds,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	if pool != nil {
		m.Registry.MustRegister(&poolCollector{pool: pool}, &dbCollector{pool: pool})
	}
	return m
}

// ObserveTurn records one bot turn: how long it took and the kinds of its replies.
func (m *Metrics) ObserveTurn(d time.Duration, replies []conversation.Message) {
	if m == nil {
		return
	}
	m.turns.Inc()
	m.turnSeconds.Observe(d.Seconds())
	for _, r := range replies {
		var meta struct {
			Kind string `json:"kind"`
		}
		_ = json.Unmarshal(r.Meta, &meta)
		if meta.Kind == "" {
			meta.Kind = "other"
		}
		m.replies.WithLabelValues(meta.Kind).Inc()
	}
}

// Middleware times every request by its route pattern (never the raw path: ids would explode the
// label set); unmatched requests share one label.
func (m *Metrics) Middleware() gin.HandlerFunc {
	return func(c *gin.Context) {
		start := time.Now()
		c.Next()
		route := c.FullPath()
		if route == "" {
			route = "unmatched"
		}
		m.httpSeconds.WithLabelValues(c.Request.Method, route, strconv.Itoa(c.Writer.Status())).Observe(time.Since(start).Seconds())
	}
}

// Handler serves the metrics to a request bearing token (compared in constant time); any other
// request gets 401.
func (m *Metrics) Handler(token string) gin.HandlerFunc {
	h := promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{})
	return func(c *gin.Context) {
		got := strings.TrimPrefix(c.GetHeader("Authorization"), "Bearer ")
		if subtle.ConstantTimeCompare([]byte(got), []byte(token)) != 1 {
			c.Header("WWW-Authenticate", `Bearer realm="metrics"`)
			c.AbortWithStatusJSON(http.StatusUnauthorized, gin.H{"error": "metrics need the bearer token BATON_METRICS_TOKEN"})
			return
		}
		h.ServeHTTP(c.Writer, c.Request)
	}
}

// poolCollector reports the pgx pool's state.
type poolCollector struct{ pool *pgxpool.Pool }

var (
	poolConns    = prometheus.NewDesc("baton_db_pool_connections", "Database pool connections by state.", []string{"state"}, nil)
	poolMax      = prometheus.NewDesc("baton_db_pool_max_connections", "The pool's connection limit.", nil, nil)
	poolAcquires = prometheus.NewDesc("baton_db_pool_acquires_total", "Connections acquired from the pool.", nil, nil)
	poolWaits    = prometheus.NewDesc("baton_db_pool_acquire_waits_total", "Acquires that had to wait for a connection.", nil, nil)
	poolWaitSecs = prometheus.NewDesc("baton_db_pool_acquire_wait_seconds_total", "Time spent acquiring connections.", nil, nil)
)

func (p *poolCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolConns, poolMax, poolAcquires, poolWaits, poolWaitSecs} {
		ch <- d
	}
}

func (p *poolCollector) Collect(ch chan<- prometheus.Metric) {
	s := p.pool.Stat()
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.AcquiredConns()), "acquired")
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.IdleConns()), "idle")
	ch <- prometheus.MustNewConstMetric(poolConns, prometheus.GaugeValue, float64(s.ConstructingConns()), "constructing")
	ch <- prometheus.MustNewConstMetric(poolMax, prometheus.GaugeValue, float64(s.MaxConns()))
	ch <- prometheus.MustNewConstMetric(poolAcquires, prometheus.CounterValue, float64(s.AcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolWaits, prometheus.CounterValue, float64(s.EmptyAcquireCount()))
	ch <- prometheus.MustNewConstMetric(poolWaitSecs, prometheus.CounterValue, s.AcquireDuration().Seconds())
}

// dbCollector reads, at each scrape, what every process shares: handoffs by reason, claims and
// the queue. Each is one query over the handoffs table (indexed for the queue).
type dbCollector struct{ pool *pgxpool.Pool }

var (
	handoffsTotal = prometheus.NewDesc("baton_handoffs_total", "Handoffs to a person by reason (all processes).", []string{"reason"}, nil)
	claimsTotal   = prometheus.NewDesc("baton_claims_total", "Handoffs an agent took (all processes).", nil, nil)
	queueLength   = prometheus.NewDesc("baton_queue_length", "Conversations waiting for a person, by skill.", []string{"skill"}, nil)
	scrapeErrors  = prometheus.NewDesc("baton_metrics_db_errors", "1 when the database part of this scrape failed.", nil, nil)
)

func (d *dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, x := range []*prometheus.Desc{handoffsTotal, claimsTotal, queueLength, scrapeErrors} {
		ch <- x
	}
}

func (d *dbCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Second)
	defer cancel()
	failed := 0.0
	if err := d.collect(ctx, ch); err != nil {
		failed = 1
	}
	ch <- prometheus.MustNewConstMetric(scrapeErrors, prometheus.GaugeValue, failed)
}

func (d *dbCollector) collect(ctx context.Context, ch chan<- prometheus.Metric) error {
	rows, err := d.pool.Query(ctx, `SELECT reason, count(*), count(claimed_at) FROM handoffs GROUP BY reason`)
	if err != nil {
		return err
	}
	var claims int64
	for rows.Next() {
		var reason string
		var n, claimed int64
		if err := rows.Scan(&reason, &n, &claimed); err != nil {
			rows.Close()
			return err
		}
		claims += claimed
		ch <- prometheus.MustNewConstMetric(handoffsTotal, prometheus.CounterValue, float64(n), reason)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	ch <- prometheus.MustNewConstMetric(claimsTotal, prometheus.CounterValue, float64(claims))
	rows, err = d.pool.Query(ctx, `SELECT skill, count(*) FROM handoffs WHERE status = 'queued' GROUP BY skill`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var skill string
		var n int64
		if err := rows.Scan(&skill, &n); err != nil {
			return err
		}
		ch <- prometheus.MustNewConstMetric(queueLength, prometheus.GaugeValue, float64(n), skill)
	}
	return rows.Err()
}
