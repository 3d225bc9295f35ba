package handoff

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/conversation"
)

// afterHoursTx handles a handoff nobody took while its team is closed: the bot tells the customer,
// in their language, when the team is back and asks them to leave a message, and the handoff is
// marked as a left message. Whatever the customer writes meanwhile waits with it; the agent's
// reply is stored in the conversation, where the customer finds it when they come back.
func afterHoursTx(ctx context.Context, tx pgx.Tx, r Request, now time.Time) error {
	_, sched, err := teamGet(ctx, tx, r.Skill)
	if err != nil {
		return err
	}
	opens, ok := sched.NextOpen(now)
	if !ok || opens.Equal(now) {
		return nil
	}
	if _, err := tx.Exec(ctx, `UPDATE handoffs SET left_message = true WHERE conversation_id = $1 AND status = 'queued'`,
		r.ConversationID); err != nil {
		return fmt.Errorf("handoff: left message: %w", err)
	}
	meta, _ := json.Marshal(map[string]any{"kind": "after_hours", "opens_at": opens.UTC()})
	_, _, err = conversation.AppendTx(ctx, tx, r.ConversationID, conversation.NewMessage{
		Sender: conversation.SenderBot, Text: AfterHoursText(r.Language, now, opens, sched.Location()), Meta: meta, BotDone: true,
		ReplyTo: r.ReplyTo,
	})
	return err
}

var afterHoursTexts = [2]string{ // en, zh
	"Our team is away right now and will be back %s (%s time). Leave your message here and we will answer it; you will see our reply in this chat when you come back.",
	"客服团队现在不在线，将于%s（%s 时间）回来。请在这里留言，我们会尽快回复；您再次打开本聊天即可看到回复。",
}

var zhWeekdays = [7]string{"星期日", "星期一", "星期二", "星期三", "星期四", "星期五", "星期六"}

// AfterHoursText is what the bot says when nobody is there: when the team is back, in the team's
// local time, named with its time zone and UTC offset, in the customer's language.
func AfterHoursText(lang string, now, opens time.Time, loc *time.Location) string {
	ln, lo := now.In(loc), opens.In(loc)
	days := int(time.Date(lo.Year(), lo.Month(), lo.Day(), 12, 0, 0, 0, time.UTC).
		Sub(time.Date(ln.Year(), ln.Month(), ln.Day(), 12, 0, 0, 0, time.UTC)).Hours() / 24)
	clock := lo.Format("15:04")
	_, off := lo.Zone()
	zone := loc.String() + ", UTC" + offset(off)
	var when string
	if lang == "zh" {
		switch {
		case days == 0:
			when = "今天 " + clock
		case days == 1:
			when = "明天 " + clock
		case days < 7:
			when = zhWeekdays[lo.Weekday()] + " " + clock
		default:
			when = fmt.Sprintf("%d月%d日 %s", lo.Month(), lo.Day(), clock)
		}
		return fmt.Sprintf(afterHoursTexts[1], when, zone)
	}
	switch {
	case days == 0:
		when = "today at " + clock
	case days == 1:
		when = "tomorrow at " + clock
	case days < 7:
		when = "on " + lo.Weekday().String() + " at " + clock
	default:
		when = "on " + lo.Format("2 January") + " at " + clock
	}
	return fmt.Sprintf(afterHoursTexts[0], when, zone)
}

// offset spells a UTC offset in seconds as +8, -5, +5:30 or +0.
func offset(sec int) string {
	sign := "+"
	if sec < 0 {
		sign, sec = "-", -sec
	}
	h, m := sec/3600, sec%3600/60
	if m != 0 {
		return fmt.Sprintf("%s%d:%02d", sign, h, m)
	}
	return fmt.Sprintf("%s%d", sign, h)
}
