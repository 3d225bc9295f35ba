package handoff

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestTargetForPriority(t *testing.T) {
	targets, err := NormalizeSLATargets(DefaultSLATargets)
	require.NoError(t, err)
	for _, tc := range []struct {
		priority  int
		tier      string
		first, nx int
	}{
		{priority: 0, tier: "normal", first: 300, nx: 300},
		{priority: 5, tier: "normal", first: 300, nx: 300},
		{priority: 10, tier: "high", first: 180, nx: 180},
		{priority: 20, tier: "urgent", first: 120, nx: 120},
		{priority: 35, tier: "urgent", first: 120, nx: 120},
		{priority: -5, tier: "normal", first: 300, nx: 300}, // below every tier: the lowest
	} {
		got := TargetFor(targets, tc.priority)
		require.Equal(t, tc.tier, got.Name, "priority %d", tc.priority)
		require.Equal(t, tc.first, got.FirstResponseSeconds)
		require.Equal(t, tc.nx, got.NextResponseSeconds)
	}
}

func TestNormalizeSLATargetsRejectsBadSets(t *testing.T) {
	ok := SLATarget{MinPriority: 0, FirstResponseSeconds: 60, NextResponseSeconds: 60}
	for name, in := range map[string][]SLATarget{
		"empty":              {},
		"zero seconds":       {{MinPriority: 0, FirstResponseSeconds: 0, NextResponseSeconds: 60}},
		"negative next":      {{MinPriority: 0, FirstResponseSeconds: 60, NextResponseSeconds: -1}},
		"over a week":        {{MinPriority: 0, FirstResponseSeconds: 8 * 24 * 3600, NextResponseSeconds: 60}},
		"duplicate priority": {ok, ok},
		"long name":          {{MinPriority: 0, Name: string(make([]byte, 41)), FirstResponseSeconds: 1, NextResponseSeconds: 1}},
	} {
		_, err := NormalizeSLATargets(in)
		require.ErrorIs(t, err, ErrInvalidSLA, name)
	}
	got, err := NormalizeSLATargets([]SLATarget{ok, {MinPriority: 50, Name: " vip ", FirstResponseSeconds: 10, NextResponseSeconds: 20}})
	require.NoError(t, err)
	require.Equal(t, 50, got[0].MinPriority, "highest tier first")
	require.Equal(t, "vip", got[0].Name)
}

// The clocks of a conversation, second by second: the first response runs from the handoff to the
// first agent message; each customer message after an answer starts a next-response clock that the
// agent's next message stops; customer messages while a clock runs do not start another.
func TestSLAClocksAndBreaches(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	targets, err := NormalizeSLATargets([]SLATarget{
		{MinPriority: 20, Name: "urgent", FirstResponseSeconds: 60, NextResponseSeconds: 40},
		{MinPriority: 0, Name: "normal", FirstResponseSeconds: 300, NextResponseSeconds: 120},
	})
	require.NoError(t, err)
	type want struct {
		current     string // kind of the running clock, "" for none
		dueAt       int    // seconds after t0 of the running clock's due time
		warnAt      int
		elapsed     float64
		breached    bool // the running (or, with no running clock, the latest) clock
		firstStop   int  // -1 while the first response has not come
		firstBreach bool
	}
	cases := []struct {
		name     string
		priority int
		timeline []Stamp
		now      int
		want     want
	}{
		{name: "normal waits, in time", priority: 0, now: 100,
			want: want{current: ClockFirstResponse, dueAt: 300, warnAt: 225, elapsed: 100, firstStop: -1}},
		{name: "normal waits, past due", priority: 0, now: 301,
			want: want{current: ClockFirstResponse, dueAt: 300, warnAt: 225, elapsed: 301, breached: true, firstStop: -1, firstBreach: true}},
		{name: "urgent has a tighter first target", priority: 25, now: 61,
			want: want{current: ClockFirstResponse, dueAt: 60, warnAt: 45, elapsed: 61, breached: true, firstStop: -1, firstBreach: true}},
		{name: "customer writes more while waiting: still the first clock", priority: 0, now: 200,
			timeline: []Stamp{{"customer", at(0)}, {"customer", at(90)}},
			want:     want{current: ClockFirstResponse, dueAt: 300, warnAt: 225, elapsed: 200, firstStop: -1}},
		{name: "answered in time, nobody waits", priority: 0, now: 1000,
			timeline: []Stamp{{"agent", at(240)}},
			want:     want{firstStop: 240}},
		{name: "answered late: the first response stays breached", priority: 0, now: 1000,
			timeline: []Stamp{{"agent", at(400)}},
			want:     want{firstStop: 400, firstBreach: true, breached: true}},
		{name: "next response runs from the customer's message", priority: 0, now: 550,
			timeline: []Stamp{{"agent", at(100)}, {"customer", at(500)}, {"customer", at(520)}},
			want:     want{current: ClockNextResponse, dueAt: 620, warnAt: 590, elapsed: 50, firstStop: 100}},
		{name: "next response breached", priority: 0, now: 700,
			timeline: []Stamp{{"agent", at(100)}, {"customer", at(500)}},
			want:     want{current: ClockNextResponse, dueAt: 620, warnAt: 590, elapsed: 200, breached: true, firstStop: 100}},
		{name: "urgent next response", priority: 20, now: 245,
			timeline: []Stamp{{"agent", at(50)}, {"customer", at(200)}},
			want:     want{current: ClockNextResponse, dueAt: 240, warnAt: 230, elapsed: 45, breached: true, firstStop: 50}},
		{name: "next response answered", priority: 0, now: 900,
			timeline: []Stamp{{"agent", at(100)}, {"customer", at(500)}, {"agent", at(560)}},
			want:     want{firstStop: 100}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			st := NewSLAState(1, tc.priority, t0, targets, tc.timeline, nil, at(tc.now))
			w := tc.want
			if w.current == "" {
				require.Nil(t, st.Current)
			} else {
				require.NotNil(t, st.Current)
				require.Equal(t, w.current, st.Current.Kind)
				require.Equal(t, at(w.dueAt), st.Current.DueAt)
				require.Equal(t, at(w.warnAt), st.Current.WarnAt)
				require.InDelta(t, w.elapsed, st.Current.Elapsed, 1e-6)
				require.Equal(t, w.breached, st.Current.Breached)
			}
			if w.firstStop < 0 {
				require.Nil(t, st.FirstResponse.StoppedAt)
			} else {
				require.Equal(t, at(w.firstStop), *st.FirstResponse.StoppedAt)
			}
			require.Equal(t, w.firstBreach, st.FirstResponse.Breached)
			require.False(t, st.Breached, "nothing recorded yet")
		})
	}

	// A recorded breach marks its clock and the state, even when the clock is no longer overdue
	// (targets loosened since).
	rec := []recordedBreach{{Kind: ClockFirstResponse, StartedAt: t0, BreachedAt: at(301)}}
	st := NewSLAState(1, 0, t0, targets, nil, rec, at(10))
	require.True(t, st.Breached)
	require.Equal(t, 1, st.Breaches)
	require.True(t, st.Current.Breached)
	require.Equal(t, at(301), *st.Current.BreachedAt)
}

// A conversation resolved while the customer still waited shows its clocks as they ended: nothing
// runs, nothing keeps counting towards a breach after the resolution.
func TestResolvedSLAStateStopsAtResolution(t *testing.T) {
	t0 := time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	at := func(s int) time.Time { return t0.Add(time.Duration(s) * time.Second) }
	targets := []SLATarget{{MinPriority: 0, Name: "normal", FirstResponseSeconds: 300, NextResponseSeconds: 120}}
	// First response at 100 s, the customer wrote again at 500 s, resolved at 520 s without a reply.
	timeline := []Stamp{{"agent", at(100)}, {"customer", at(500)}}
	st := ResolvedSLAState(1, 0, t0, targets, timeline, nil, at(520))
	require.Nil(t, st.Current, "no timer runs on a resolved conversation")
	require.NotNil(t, st.NextResponse)
	require.Equal(t, at(520), *st.NextResponse.StoppedAt)
	require.InDelta(t, 20, st.NextResponse.Elapsed, 1e-6)
	require.False(t, st.NextResponse.Breached)
	require.Equal(t, at(520), st.AsOf)

	// Never answered, resolved after the first-response target: breached as it ended, not running.
	st = ResolvedSLAState(1, 0, t0, targets, nil, nil, at(400))
	require.Nil(t, st.Current)
	require.Equal(t, at(400), *st.FirstResponse.StoppedAt)
	require.True(t, st.FirstResponse.Breached)
}
