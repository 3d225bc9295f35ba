package handoff

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/events"
)

// The timeline is the staff side of a conversation: private notes, transfers and wrap-ups. It
// lives apart from the messages table, so no customer endpoint can ever return it.

// Timeline entry kinds.
const (
	EntryNote     = "note"
	EntryTransfer = "transfer"
	EntryWrapUp   = "wrapup"
)

// Limits of a note.
const (
	MaxNoteLen     = 4000
	MaxMentions    = 20
	MaxTransferLen = 1000
)

// TimelineKind is the conversation-topic event kind that tells staff pages to re-read the timeline.
const TimelineKind = "timeline"

// Person names a staff member in an entry.
type Person struct {
	ID   int64  `json:"id"`
	Name string `json:"name"`
}

// TimelineEntry is one note, transfer or wrap-up.
type TimelineEntry struct {
	ID             int64     `json:"id"`
	ConversationID string    `json:"conversation_id"`
	HandoffID      *int64    `json:"handoff_id,omitempty"`
	Kind           string    `json:"kind"`
	Author         *Person   `json:"author,omitempty"`
	Text           string    `json:"text"`
	Mentions       []Person  `json:"mentions,omitempty"`
	ToAgent        *Person   `json:"to_agent,omitempty"`
	ToSkill        string    `json:"to_skill,omitempty"`
	Disposition    string    `json:"disposition,omitempty"`
	AfterSeq       int64     `json:"after_seq"`
	CreatedAt      time.Time `json:"created_at"`
}

// staffName is how a staff member is named to colleagues: their name, else their email's local part.
const staffName = `COALESCE(NULLIF(%[1]s.name, ''), split_part(%[1]s.email, '@', 1))`

var timelineSelect = `
SELECT t.id, t.conversation_id, t.handoff_id, t.kind, t.author_id, ` + fmt.Sprintf(staffName, "a") + `, t.text,
  COALESCE((SELECT array_agg(m.id ORDER BY m.id) FROM users m WHERE m.id = ANY(t.mentions)), '{}'),
  COALESCE((SELECT array_agg(` + fmt.Sprintf(staffName, "m") + ` ORDER BY m.id) FROM users m WHERE m.id = ANY(t.mentions)), '{}'),
  t.to_agent_id, ` + fmt.Sprintf(staffName, "g") + `, COALESCE(t.to_skill, ''), COALESCE(t.disposition, ''), t.after_seq, t.created_at
FROM conversation_timeline t
LEFT JOIN users a ON a.id = t.author_id
LEFT JOIN users g ON g.id = t.to_agent_id`

func scanEntry(row pgx.Row) (TimelineEntry, error) {
	var e TimelineEntry
	var authorID, toID *int64
	var authorName, toName *string
	var mentionIDs []int64
	var mentionNames []string
	err := row.Scan(&e.ID, &e.ConversationID, &e.HandoffID, &e.Kind, &authorID, &authorName, &e.Text,
		&mentionIDs, &mentionNames, &toID, &toName, &e.ToSkill, &e.Disposition, &e.AfterSeq, &e.CreatedAt)
	if err != nil {
		return e, err
	}
	if authorID != nil && authorName != nil {
		e.Author = &Person{ID: *authorID, Name: *authorName}
	}
	if toID != nil && toName != nil {
		e.ToAgent = &Person{ID: *toID, Name: *toName}
	}
	for i, id := range mentionIDs {
		if i < len(mentionNames) {
			e.Mentions = append(e.Mentions, Person{ID: id, Name: mentionNames[i]})
		}
	}
	return e, nil
}

// Timeline lists a conversation's notes, transfers and wrap-ups, oldest first.
func (s *Store) Timeline(ctx context.Context, convID string) ([]TimelineEntry, error) {
	if _, err := s.conversationExists(ctx, convID); err != nil {
		return nil, err
	}
	rows, err := s.pool.Query(ctx, timelineSelect+` WHERE t.conversation_id = $1 ORDER BY t.id LIMIT 1000`, convID)
	if err != nil {
		return nil, fmt.Errorf("handoff: timeline: %w", err)
	}
	defer rows.Close()
	out := []TimelineEntry{}
	for rows.Next() {
		e, err := scanEntry(rows)
		if err != nil {
			return nil, fmt.Errorf("handoff: timeline: %w", err)
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

func (s *Store) conversationExists(ctx context.Context, convID string) (conversation.Conversation, error) {
	c, err := conversation.NewStore(s.pool).Get(ctx, convID)
	if errors.Is(err, conversation.ErrNotFound) {
		return c, ErrNotFound
	}
	return c, err
}

// newEntry is a timeline entry to insert.
type newEntry struct {
	kind        string
	handoffID   *int64
	authorID    int64
	text        string
	mentions    []int64
	toAgent     *int64
	toSkill     string
	disposition string
	afterSeq    int64
}

// addEntryTx records an entry and tells staff pages on the conversation to re-read the timeline.
func addEntryTx(ctx context.Context, tx pgx.Tx, convID string, e newEntry) (TimelineEntry, error) {
	if e.mentions == nil {
		e.mentions = []int64{}
	}
	var id int64
	err := tx.QueryRow(ctx, `INSERT INTO conversation_timeline
		(conversation_id, handoff_id, kind, author_id, text, mentions, to_agent_id, to_skill, disposition, after_seq)
		VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, ''), NULLIF($9, ''), $10) RETURNING id`,
		convID, e.handoffID, e.kind, e.authorID, e.text, e.mentions, e.toAgent, e.toSkill, e.disposition, e.afterSeq).Scan(&id)
	if err != nil {
		return TimelineEntry{}, fmt.Errorf("handoff: timeline entry: %w", err)
	}
	if err := events.Notify(ctx, tx, events.Event{Topic: events.ConversationTopic(convID), Kind: TimelineKind}); err != nil {
		return TimelineEntry{}, err
	}
	entry, err := scanEntry(tx.QueryRow(ctx, timelineSelect+` WHERE t.id = $1`, id))
	if err != nil {
		return TimelineEntry{}, fmt.Errorf("handoff: timeline entry: %w", err)
	}
	return entry, nil
}

// currentHandoffTx returns the id of the conversation's latest handoff, if any.
func currentHandoffTx(ctx context.Context, tx pgx.Tx, convID string) (*int64, error) {
	var id int64
	err := tx.QueryRow(ctx, `SELECT id FROM handoffs WHERE conversation_id = $1 ORDER BY id DESC LIMIT 1`, convID).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("handoff: current handoff: %w", err)
	}
	return &id, nil
}

// AddNote adds a private note to a conversation. Every colleague it mentions (other than the
// author) gets a notification. Any agent may note any conversation: a colleague who was asked
// to look at one may answer there.
func (s *Store) AddNote(ctx context.Context, convID string, u auth.User, text string, mentions []int64) (TimelineEntry, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return TimelineEntry{}, fmt.Errorf("%w: a note needs text", ErrInvalid)
	case utf8.RuneCountInString(text) > MaxNoteLen:
		return TimelineEntry{}, fmt.Errorf("%w: a note must be at most %d characters", ErrInvalid, MaxNoteLen)
	case len(mentions) > MaxMentions:
		return TimelineEntry{}, fmt.Errorf("%w: a note may mention at most %d colleagues", ErrInvalid, MaxMentions)
	}
	slices.Sort(mentions)
	mentions = slices.Compact(mentions)
	var entry TimelineEntry
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		c, err := lockConversation(ctx, tx, convID)
		if err != nil {
			return err
		}
		if len(mentions) > 0 {
			var known int
			if err := tx.QueryRow(ctx, `SELECT count(*) FROM users WHERE id = ANY($1) AND role IN ('agent', 'supervisor', 'admin')`, mentions).Scan(&known); err != nil {
				return fmt.Errorf("handoff: mentions: %w", err)
			}
			if known != len(mentions) {
				return fmt.Errorf("%w: a mentioned colleague does not exist or takes no conversations", ErrInvalid)
			}
		}
		hid, err := currentHandoffTx(ctx, tx, convID)
		if err != nil {
			return err
		}
		entry, err = addEntryTx(ctx, tx, convID, newEntry{kind: EntryNote, handoffID: hid, authorID: u.ID, text: text,
			mentions: mentions, afterSeq: c.LastSeq})
		if err != nil {
			return err
		}
		for _, id := range mentions {
			if id == u.ID {
				continue
			}
			if err := notifyTx(ctx, tx, id, NotifyMention, convID, entry.ID, u.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return TimelineEntry{}, known("note", err)
	}
	return entry, nil
}

// wrapUpTx records a resolution's disposition and note on the handoff and in the timeline.
func wrapUpTx(ctx context.Context, tx pgx.Tx, c conversation.Conversation, handoffID int64, u auth.User, w WrapUp) error {
	if _, err := tx.Exec(ctx, `UPDATE handoffs SET disposition = $2, resolution_note = $3 WHERE id = $1`,
		handoffID, w.Disposition, w.Note); err != nil {
		return fmt.Errorf("handoff: wrap-up: %w", err)
	}
	_, err := addEntryTx(ctx, tx, c.ID, newEntry{kind: EntryWrapUp, handoffID: &handoffID, authorID: u.ID,
		text: w.Note, disposition: w.Disposition, afterSeq: c.LastSeq})
	return err
}
