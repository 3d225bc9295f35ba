package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/handoff"
	"github.com/baton-cs/baton/internal/compliance"
	"github.com/baton-cs/baton/internal/conversation"
)

// Service runs a customer's message through Baton: store it first, then, unless a person holds
// the conversation, let the bot take its turn and store what it says.
type Service struct {
	Convs *conversation.Store
	Bot   *Bot
	// Skill is the queue handoffs go to until intents carry their own.
	Skill string
	// ChannelPriority is added to the priority of handoffs from each channel's conversations.
	ChannelPriority map[string]int
	// Observe, when set, hears of every bot turn: how long it took and the replies it stored.
	Observe func(d time.Duration, replies []conversation.Message)
	// KeepOutOfQueue stores the bot's handoff reply but queues nothing: the conversation stays
	// with the bot and no agent is offered it (baton chat, unless --queue).
	KeepOutOfQueue bool
	// Tickets, when set, answers a message that names a ticket number (T10023, 工单10023) with
	// that ticket's status, before any intent is classified.
	Tickets TicketDesk
	// Compliance checks the bot's replies before they are stored (nil: no check).
	Compliance *compliance.Checker
}

// TicketDesk answers a customer's question about one of their tickets. ok is false when text
// names no ticket; it must be cheap then (the bot asks it on every turn).
type TicketDesk interface {
	ChatAnswer(ctx context.Context, customerID, lang, text string) (reply string, meta json.RawMessage, ok bool, err error)
}

// TurnResult is the stored customer message and what the bot replied to it.
type TurnResult struct {
	Message      conversation.Message
	Replies      []conversation.Message
	Conversation conversation.Conversation
	// Duplicate is true when the client message id was seen before and nothing new was stored.
	Duplicate bool
}

// HandleCustomerMessage stores text on conv and takes the bot's turn. A retry with the same client
// message id returns the first attempt's result; if the first attempt stopped after storing the
// message, the retry finishes the turn.
func (s *Service) HandleCustomerMessage(ctx context.Context, conv conversation.Conversation, text, clientID string) (TurnResult, error) {
	return s.HandleCustomerMessageFrom(ctx, conv, nil, text, clientID)
}

// HandleCustomerMessageFrom is HandleCustomerMessage when the caller has already read the
// conversation's customer (nil: read it here); conv must have been read for this request. Each
// saves a database round trip per turn.
func (s *Service) HandleCustomerMessageFrom(ctx context.Context, conv conversation.Conversation, cust *conversation.Customer, text, clientID string) (TurnResult, error) {
	start := time.Now()
	// A resolved conversation that hears from its customer again goes back to the bot.
	reopen := conv.Status == conversation.StatusResolved
	botTurn := conv.Status == conversation.StatusBot || reopen
	var msg conversation.Message
	var created bool
	nm := conversation.NewMessage{Sender: conversation.SenderCustomer, Text: text, ClientMessageID: clientID, BotDone: !botTurn}
	run := func() error {
		if !reopen {
			// Storing alone is one statement (after the client id's lookup): no transaction needed.
			var err error
			msg, created, err = conversation.AppendTx(ctx, s.Convs.Pool(), conv.ID, nm)
			return err
		}
		return pgx.BeginFunc(ctx, s.Convs.Pool(), func(tx pgx.Tx) error {
			var err error
			if msg, created, err = conversation.AppendTx(ctx, tx, conv.ID, nm); err != nil || !created {
				return err
			}
			return conversation.SetStatusTx(ctx, tx, conv.ID, conversation.StatusBot, "", nil)
		})
	}
	err := run()
	if conversation.IsDuplicateClientID(err) {
		// A concurrent retry stored it first; this attempt now finds it.
		err = run()
	}
	if err != nil {
		return TurnResult{}, fmt.Errorf("bot: store message: %w", err)
	}
	res := TurnResult{Message: msg, Duplicate: !created}
	turn := !msg.BotDone()
	answered := false // this attempt wrote the replies, so it knows them
	var state json.RawMessage
	if turn {
		if res.Replies, answered, state, err = s.takeTurn(ctx, conv, cust, msg); err != nil {
			return TurnResult{}, err
		}
	}
	if !answered {
		if res.Replies, err = s.Convs.Replies(ctx, msg.ID); err != nil {
			return TurnResult{}, err
		}
	}
	if turn && s.Observe != nil {
		s.Observe(time.Since(start), res.Replies)
	}
	if answered && !reopen && len(res.Replies) > 0 {
		// The bot's transaction wrote the conversation last: its seq, its state and, as now() is
		// the transaction's time, its updated_at are those of the last reply. No need to read it.
		last := res.Replies[len(res.Replies)-1]
		res.Conversation = conv
		res.Conversation.LastSeq, res.Conversation.UpdatedAt, res.Conversation.BotState = last.Seq, last.CreatedAt, state
		return res, nil
	}
	if res.Conversation, err = s.Convs.Get(ctx, conv.ID); err != nil {
		return TurnResult{}, err
	}
	return res, nil
}

// takeTurn decides outside any transaction (retrieval can be slow), then writes the decision in
// one transaction that first claims the turn, so two racing retries answer once. It returns the
// replies it wrote, and whether it wrote them (false: another attempt had claimed the turn, or a
// person took over). conv is the conversation as read for this request (its bot state is what the
// last turn left); cust, when nil, is read here.
func (s *Service) takeTurn(ctx context.Context, conv conversation.Conversation, cust *conversation.Customer, msg conversation.Message) ([]conversation.Message, bool, json.RawMessage, error) {
	convID := conv.ID
	var st State
	_ = json.Unmarshal(conv.BotState, &st)
	if cust == nil {
		c, err := s.Convs.CustomerGet(ctx, conv.CustomerID)
		if err != nil {
			return nil, false, nil, err
		}
		cust = &c
	}
	if s.Tickets != nil {
		reply, meta, ok, err := s.Tickets.ChatAnswer(ctx, cust.ID, conv.Language, msg.Text)
		if err != nil {
			return nil, false, nil, fmt.Errorf("bot: ticket status: %w", err)
		}
		if ok {
			// The conversation's dialogue state stays as it was: a ticket question is an aside.
			state := conv.BotState
			if len(state) == 0 {
				state = json.RawMessage(`{}`)
			}
			wrote, err := s.Convs.BotTurn(ctx, convID, msg.ID, state, []conversation.BotReply{{Text: reply, Meta: meta}})
			if err != nil {
				return nil, false, nil, err
			}
			return wrote, len(wrote) > 0, state, nil
		}
	}
	out, err := s.Bot.Decide(ctx, Input{Text: msg.Text, ConvLang: conv.Language, State: st,
		Customer: Customer{Name: cust.Name, VIPTier: cust.VIPTier}})
	if err != nil {
		return nil, false, nil, fmt.Errorf("bot: decide: %w", err)
	}
	if hits := s.screen(ctx, msg.Text, &out); len(hits) > 0 {
		at := compliance.HitContext{Source: compliance.SourceBotAnswer, ConversationID: convID, Language: out.Language}
		if err := compliance.LogHits(ctx, s.Convs.Pool(), hits, at, ""); err != nil {
			return nil, false, nil, err
		}
	}
	state, err := json.Marshal(out.State)
	if err != nil {
		return nil, false, nil, fmt.Errorf("bot: state: %w", err)
	}
	if out.Handoff == nil && len(out.Replies) > 0 {
		// The usual turn: claim, state and replies in one statement, no transaction to open.
		replies := make([]conversation.BotReply, len(out.Replies))
		for i, r := range out.Replies {
			meta, _ := json.Marshal(r.Meta)
			replies[i] = conversation.BotReply{Text: r.Text, Citations: r.Citations, Meta: meta}
		}
		wrote, err := s.Convs.BotTurn(ctx, convID, msg.ID, state, replies)
		if err != nil {
			return nil, false, nil, err
		}
		return wrote, len(wrote) > 0, state, nil
	}
	var wrote []conversation.Message
	answered := false
	err = pgx.BeginFunc(ctx, s.Convs.Pool(), func(tx pgx.Tx) error {
		wrote, answered = make([]conversation.Message, 0, len(out.Replies)), false
		mine, holds, err := conversation.ClaimBotTurnTx(ctx, tx, convID, msg.ID, json.RawMessage(state))
		if err != nil || !mine || !holds {
			return err // another attempt answered, or a person took over meanwhile: they answer
		}
		answered = true
		for _, r := range out.Replies {
			meta, _ := json.Marshal(r.Meta)
			m, _, err := conversation.AppendTx(ctx, tx, convID, conversation.NewMessage{
				Sender: conversation.SenderBot, Text: r.Text, ReplyTo: &msg.ID, Citations: r.Citations, Meta: meta, BotDone: true,
			})
			if err != nil {
				return err
			}
			wrote = append(wrote, m)
		}
		if out.Handoff == nil || s.KeepOutOfQueue {
			return nil
		}
		h := out.Handoff
		skill := h.Skill
		if skill == "" {
			skill = s.Skill
		}
		return handoff.EnqueueTx(ctx, tx, handoff.Request{
			ConversationID: convID,
			Reason:         h.Reason,
			Skill:          skill,
			Language:       out.Language,
			Priority:       handoff.PriorityWith(h.Reason, h.Sentiment.Label, h.Priority, s.ChannelPriority[conv.Channel]),
			Question:       h.Question,
			Message:        h.Message,
			Intent:         h.Intent,
			Confidence:     h.Confidence,
			Slots:          h.Slots,
			Sentiment:      &handoff.Sentiment{Score: h.Sentiment.Score, Label: h.Sentiment.Label},
			ReplyTo:        &msg.ID,
		})
	})
	if err != nil {
		return nil, false, nil, err
	}
	// A handoff may add messages of its own (the after-hours notice): the caller reads them all.
	return wrote, answered && out.Handoff == nil, state, nil
}
