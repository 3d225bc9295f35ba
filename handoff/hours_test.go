package handoff

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/dbtest"
)

var shanghai, _ = time.LoadLocation("Asia/Shanghai")

// weekdays are Monday to Friday, 09:00-18:00 with a lunch break, Saturday mornings.
var weekdays = WeekHours{"mon": {"09:00-12:00", "13:00-18:00"}, "tue": {"09:00-18:00"}, "wed": {"09:00-18:00"},
	"thu": {"09:00-18:00"}, "fri": {"09:00-18:00"}, "sat": {"10:00-14:00"}}

func TestParseScheduleRejects(t *testing.T) {
	cases := []struct {
		name  string
		tz    string
		hours WeekHours
		want  string
	}{
		{"unknown zone", "Mars/Olympus", nil, "IANA time zone"},
		{"local is not a zone", "Local", nil, "IANA time zone"},
		{"not a day", "UTC", WeekHours{"monday": {"09:00-18:00"}}, "not a day"},
		{"end before start", "UTC", WeekHours{"mon": {"18:00-09:00"}}, "not a span"},
		{"not a clock", "UTC", WeekHours{"mon": {"9-18"}}, "not a span"},
		{"minutes", "UTC", WeekHours{"mon": {"09:60-18:00"}}, "not a span"},
		{"past midnight", "UTC", WeekHours{"mon": {"22:00-24:30"}}, "not a span"},
		{"overlap", "UTC", WeekHours{"mon": {"09:00-13:00", "12:00-18:00"}}, "overlap"},
		{"never open", "UTC", WeekHours{"mon": {}}, "open on no day"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseSchedule(tc.tz, tc.hours)
			require.ErrorIs(t, err, ErrInvalid)
			require.ErrorContains(t, err, tc.want)
		})
	}
}

func TestScheduleNextOpen(t *testing.T) {
	s, err := ParseSchedule("Asia/Shanghai", weekdays)
	require.NoError(t, err)
	at := func(day, clock string) time.Time { // day: 2025-06-02 is a Monday
		v, err := time.ParseInLocation("2006-01-02 15:04", day+" "+clock, shanghai)
		require.NoError(t, err)
		return v
	}
	cases := []struct {
		name string
		now  time.Time
		want time.Time // equal to now: open
	}{
		{"open on Monday morning", at("2025-06-02", "10:30"), at("2025-06-02", "10:30")},
		{"lunch break", at("2025-06-02", "12:15"), at("2025-06-02", "13:00")},
		{"closing time is closed", at("2025-06-02", "18:00"), at("2025-06-03", "09:00")},
		{"before opening", at("2025-06-04", "07:59"), at("2025-06-04", "09:00")},
		{"Friday night to Saturday", at("2025-06-06", "20:00"), at("2025-06-07", "10:00")},
		{"Saturday afternoon to Monday", at("2025-06-07", "14:00"), at("2025-06-09", "09:00")},
		{"Sunday", at("2025-06-08", "11:00"), at("2025-06-09", "09:00")},
		{"seen from another zone", at("2025-06-02", "18:30").In(time.UTC), at("2025-06-03", "09:00")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := s.NextOpen(tc.now)
			require.True(t, ok)
			require.True(t, tc.want.Equal(got), "want %s, got %s", tc.want, got.In(shanghai))
			require.Equal(t, tc.want.Equal(tc.now), s.OpenAt(tc.now))
		})
	}
	always, err := ParseSchedule("", nil)
	require.NoError(t, err)
	require.True(t, always.OpenAt(at("2025-06-08", "03:00")))

	// A day ending at 24:00 runs into the next day's 00:00 span.
	night, err := ParseSchedule("Europe/Berlin", WeekHours{"fri": {"20:00-24:00"}, "sat": {"00:00-02:00"}})
	require.NoError(t, err)
	berlin, _ := time.LoadLocation("Europe/Berlin")
	require.True(t, night.OpenAt(time.Date(2025, 6, 7, 1, 0, 0, 0, berlin)))
	require.False(t, night.OpenAt(time.Date(2025, 6, 7, 2, 0, 0, 0, berlin)))
}

func TestAfterHoursText(t *testing.T) {
	ny, _ := time.LoadLocation("America/New_York")
	kolkata, _ := time.LoadLocation("Asia/Kolkata")
	mon := time.Date(2025, 6, 2, 20, 0, 0, 0, shanghai) // a Monday evening
	cases := []struct {
		lang  string
		now   time.Time
		opens time.Time
		loc   *time.Location
		want  string
	}{
		{"en", mon, time.Date(2025, 6, 3, 9, 0, 0, 0, shanghai), shanghai, "back tomorrow at 09:00 (Asia/Shanghai, UTC+8 time)"},
		{"zh", mon, time.Date(2025, 6, 3, 9, 0, 0, 0, shanghai), shanghai, "将于明天 09:00（Asia/Shanghai, UTC+8 时间）回来"},
		{"en", time.Date(2025, 6, 2, 7, 0, 0, 0, shanghai), time.Date(2025, 6, 2, 9, 0, 0, 0, shanghai), shanghai, "back today at 09:00"},
		{"zh", time.Date(2025, 6, 7, 15, 0, 0, 0, shanghai), time.Date(2025, 6, 9, 9, 0, 0, 0, shanghai), shanghai, "将于星期一 09:00"},
		{"en", time.Date(2025, 6, 7, 15, 0, 0, 0, ny), time.Date(2025, 6, 9, 9, 0, 0, 0, ny), ny, "back on Monday at 09:00 (America/New_York, UTC-4 time)"},
		{"en", mon, time.Date(2025, 6, 3, 9, 30, 0, 0, kolkata), kolkata, "(Asia/Kolkata, UTC+5:30 time)"},
	}
	for _, tc := range cases {
		got := AfterHoursText(tc.lang, tc.now, tc.opens, tc.loc)
		require.Contains(t, got, tc.want)
	}
	require.Contains(t, AfterHoursText("en", mon, mon.Add(time.Hour), shanghai), "Leave your message here")
	require.Contains(t, AfterHoursText("zh", mon, mon.Add(time.Hour), shanghai), "请在这里留言")
}

// Outside business hours with nobody online the bot says when the team is back and the handoff
// waits as a left message; an agent online after hours still gets it; an agent coming back
// gets the left message first.
func TestAfterHoursHandoffWaitsAsALeftMessage(t *testing.T) {
	pool := dbtest.New(t)
	ctx := context.Background()
	s := NewStore(pool, nil)
	now := time.Now().In(shanghai)
	// Open tomorrow only: closed now whatever the time.
	tomorrow := Days[(int(now.Weekday())+6+1)%7]
	raw, _ := json.Marshal(WeekHours{tomorrow: {"09:00-17:00"}})
	tz := "Asia/Shanghai"
	team, err := s.TeamSet(ctx, "billing", TeamSpec{TimeZone: &tz, Hours: raw})
	require.NoError(t, err)
	require.False(t, team.OpenNow)
	require.NotNil(t, team.OpensAt)
	require.Equal(t, 9, team.OpensAt.In(shanghai).Hour())

	ann := newAgent(t, pool, "ann", agentOpts{Skills: []string{"billing"}, Presence: PresenceOffline})
	conv := newHandoff(t, pool, "billing", "zh", 0)
	require.Equal(t, "", holder(t, pool, conv))
	var text, meta string
	require.NoError(t, pool.QueryRow(ctx, `SELECT text, meta::text FROM messages WHERE conversation_id = $1 AND sender = 'bot'
		ORDER BY seq DESC LIMIT 1`, conv).Scan(&text, &meta))
	require.Contains(t, text, "将于明天 09:00（Asia/Shanghai, UTC+8 时间）回来")
	require.Contains(t, meta, `"kind": "after_hours"`)
	q, err := s.QueueInfo(ctx, conv)
	require.NoError(t, err)
	require.False(t, q.Open)
	require.True(t, q.LeftMessage)
	require.True(t, team.OpensAt.Equal(*q.OpensAt))
	require.Nil(t, q.EstimatedWaitSeconds, "nobody is online")
	items, err := s.Queue(ctx, auth.User{Role: auth.RoleAdmin})
	require.NoError(t, err)
	require.Len(t, items, 1)
	require.True(t, items[0].LeftMessage)

	// Someone working late gets the next one like any other.
	late := newAgent(t, pool, "late", agentOpts{Skills: []string{"billing"}})
	other := newHandoff(t, pool, "billing", "en", 0)
	require.Equal(t, "late", holder(t, pool, other))
	h, err := s.Latest(ctx, other)
	require.NoError(t, err)
	require.False(t, h.LeftMessage)
	_, err = pool.Exec(ctx, `UPDATE users SET presence = 'offline' WHERE id = $1`, late.ID)
	require.NoError(t, err)

	// Ann comes back: the left message is hers.
	_, err = s.PresenceSet(ctx, ann.ID, PresenceOnline)
	require.NoError(t, err)
	require.Equal(t, "ann", holder(t, pool, conv))
}
