package handoff

import (
	"context"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/jackc/pgx/v5"
)

// QueueInfo is what a customer waiting for a person is told: where they stand and for how long.
type QueueInfo struct {
	// Position counts from 1 among the conversations waiting for the same skill and language, in
	// the order they will be served (priority, then age); 0 while an agent is being offered it.
	Position int `json:"position"`
	// EstimatedWaitSeconds is null when it cannot be estimated: nobody who could answer is online.
	EstimatedWaitSeconds *int `json:"estimated_wait_seconds"`
	// AgentsOnline counts the online agents with the skill and language.
	AgentsOnline int `json:"agents_online"`
	// Open reports whether the team is within its business hours; OpensAt is when it next opens.
	Open    bool       `json:"open"`
	OpensAt *time.Time `json:"opens_at,omitempty"`
	// LeftMessage marks a handoff made while the team was closed and nobody was online.
	LeftMessage bool `json:"left_message"`
	// Offered means an agent has been offered the conversation and has yet to accept it.
	Offered bool `json:"offered"`
}

// The wait estimate.
//
//	wait = ⌈ position × H / S ⌉
//
// H is the median handling time (claimed → resolved) of the skill's last HandleSamples handoffs
// resolved within HandleWindow, or DefaultHandleTime while there are fewer than MinHandleSamples
// of them; S is the number of conversations the online agents with the skill and language can
// hold at once (the sum of their capacities). Each of the S places frees up about every H, so
// one frees about every H/S, and the customer at position p is served when p have. With S = 0
// (nobody online who could answer) there is no estimate.
const (
	HandleSamples     = 50
	HandleWindow      = 24 * time.Hour
	MinHandleSamples  = 3
	DefaultHandleTime = 5 * time.Minute
)

// EstimateWait applies the formula above; ok is false when nobody could answer.
func EstimateWait(position, places int, handle time.Duration) (wait time.Duration, ok bool) {
	if places <= 0 {
		return 0, false
	}
	if position <= 0 {
		return 0, true
	}
	secs := math.Ceil(float64(position) * handle.Seconds() / float64(places))
	return time.Duration(secs) * time.Second, true
}

// waitQuery reads, in one statement, the conversation's open handoff, its place in its queue, the
// online agents who could take it and their capacity, and the skill's recent handling times.
const waitQuery = `
SELECT h.status, h.left_message, COALESCE(t.time_zone, 'UTC'), t.hours,
  (SELECT count(*) FROM handoffs q WHERE q.status = 'queued' AND q.skill = h.skill AND q.language = h.language
     AND (q.priority > h.priority OR (q.priority = h.priority AND (q.enqueued_at, q.id) < (h.enqueued_at, h.id)))) + 1,
  a.agents, a.places, r.median, r.samples
FROM handoffs h
LEFT JOIN routing_teams t ON t.skill = h.skill
CROSS JOIN LATERAL (
  SELECT count(*) AS agents, COALESCE(sum(u.capacity), 0) AS places FROM users u
  WHERE u.presence = 'online' AND u.role IN ('agent', 'admin') AND h.skill = ANY(u.skills) AND h.language = ANY(u.languages)
) a
CROSS JOIN LATERAL (
  SELECT COALESCE(percentile_cont(0.5) WITHIN GROUP (ORDER BY x.secs), 0) AS median, count(*) AS samples FROM (
    SELECT extract(epoch FROM p.resolved_at - p.claimed_at)::float8 AS secs FROM handoffs p
    WHERE p.status = 'resolved' AND p.skill = h.skill AND p.claimed_at IS NOT NULL
      AND p.resolved_at > now() - make_interval(secs => $2)
    ORDER BY p.resolved_at DESC LIMIT $3
  ) x
) r
WHERE h.conversation_id = $1 AND (h.status = 'queued' OR (h.status = 'assigned' AND h.accepted_at IS NULL))`

// QueueInfo tells the customer of a conversation where they stand; nil when they are not waiting
// for a person (with the bot, with an agent who accepted, resolved).
func (s *Store) QueueInfo(ctx context.Context, convID string) (*QueueInfo, error) {
	var status, tz string
	var hours []byte
	var q QueueInfo
	var places, samples int
	var median float64
	err := s.pool.QueryRow(ctx, waitQuery, convID, HandleWindow.Seconds(), HandleSamples).
		Scan(&status, &q.LeftMessage, &tz, &hours, &q.Position, &q.AgentsOnline, &places, &median, &samples)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("handoff: queue info: %w", err)
	}
	sched, err := scheduleOf(tz, hours)
	if err != nil {
		return nil, err
	}
	now := time.Now()
	if next, ok := sched.NextOpen(now); ok && next.Equal(now) {
		q.Open = true
	} else if ok {
		q.OpensAt = &next
	}
	if status == StatusAssigned {
		q.Position, q.Offered = 0, true
	}
	handle := DefaultHandleTime
	if samples >= MinHandleSamples {
		handle = time.Duration(median * float64(time.Second))
	}
	if wait, ok := EstimateWait(q.Position, places, handle); ok {
		secs := int(wait / time.Second)
		q.EstimatedWaitSeconds = &secs
	}
	return &q, nil
}
