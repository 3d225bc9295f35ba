package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/baton-cs/baton/handoff"
	"github.com/baton-cs/baton/internal/conversation"
)

// Service runs a customer's message through Baton: store it first, then, unless a person holds
// the conversation, let the bot take its turn and store what it says.
type Service struct {
	Convs *conversation.Store
	Bot   *Bot
	// Skill is the queue handoffs go to until intents carry their own.
	Skill string
	// Observe, when set, hears of every bot turn: how long it took and the replies it stored.
	Observe func(d time.Duration, replies []conversation.Message)
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
	start := time.Now()
	// A resolved conversation that hears from its customer again goes back to the bot.
	reopen := conv.Status == conversation.StatusResolved
	botTurn := conv.Status == conversation.StatusBot || reopen
	var msg conversation.Message
	var created bool
	store := func(tx pgx.Tx) error {
		var err error
		msg, created, err = conversation.AppendTx(ctx, tx, conv.ID, conversation.NewMessage{
			Sender: conversation.SenderCustomer, Text: text, ClientMessageID: clientID, BotDone: !botTurn,
		})
		if err != nil || !created || !reopen {
			return err
		}
		return conversation.SetStatusTx(ctx, tx, conv.ID, conversation.StatusBot, "", nil)
	}
	err := pgx.BeginFunc(ctx, s.Convs.Pool(), store)
	if conversation.IsDuplicateClientID(err) {
		// A concurrent retry stored it first; this attempt now finds it.
		err = pgx.BeginFunc(ctx, s.Convs.Pool(), store)
	}
	if err != nil {
		return TurnResult{}, fmt.Errorf("bot: store message: %w", err)
	}
	res := TurnResult{Message: msg, Duplicate: !created}
	turn := !msg.BotDone()
	if turn {
		if err := s.takeTurn(ctx, conv.ID, msg); err != nil {
			return TurnResult{}, err
		}
	}
	if res.Replies, err = s.Convs.Replies(ctx, msg.ID); err != nil {
		return TurnResult{}, err
	}
	if turn && s.Observe != nil {
		s.Observe(time.Since(start), res.Replies)
	}
	if res.Conversation, err = s.Convs.Get(ctx, conv.ID); err != nil {
		return TurnResult{}, err
	}
	return res, nil
}

// takeTurn decides outside any transaction (retrieval can be slow), then writes the decision in
// one transaction that first claims the turn, so two racing retries answer once.
func (s *Service) takeTurn(ctx context.Context, convID string, msg conversation.Message) error {
	conv, err := s.Convs.Get(ctx, convID)
	if err != nil {
		return err
	}
	var st State
	_ = json.Unmarshal(conv.BotState, &st)
	cust, err := s.Convs.CustomerGet(ctx, conv.CustomerID)
	if err != nil {
		return err
	}
	out, err := s.Bot.Decide(ctx, Input{Text: msg.Text, ConvLang: conv.Language, State: st,
		Customer: Customer{Name: cust.Name, VIPTier: cust.VIPTier}})
	if err != nil {
		return fmt.Errorf("bot: decide: %w", err)
	}
	return pgx.BeginFunc(ctx, s.Convs.Pool(), func(tx pgx.Tx) error {
		c, err := conversation.GetForUpdateTx(ctx, tx, convID)
		if err != nil {
			return err
		}
		mine, err := conversation.MarkBotDoneTx(ctx, tx, msg.ID)
		if err != nil || !mine {
			return err
		}
		if c.Status != conversation.StatusBot {
			return nil // a person took over meanwhile; they answer
		}
		for _, r := range out.Replies {
			meta, _ := json.Marshal(r.Meta)
			if _, _, err := conversation.AppendTx(ctx, tx, convID, conversation.NewMessage{
				Sender: conversation.SenderBot, Text: r.Text, ReplyTo: &msg.ID, Citations: r.Citations, Meta: meta, BotDone: true,
			}); err != nil {
				return err
			}
		}
		if err := conversation.SetBotStateTx(ctx, tx, convID, out.State); err != nil {
			return err
		}
		if out.Handoff == nil {
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
			Priority:       handoff.PriorityOf(h.Reason, h.Sentiment.Label, h.Priority),
			Question:       h.Question,
			Intent:         h.Intent,
			Confidence:     h.Confidence,
			Slots:          h.Slots,
			Sentiment:      &handoff.Sentiment{Score: h.Sentiment.Score, Label: h.Sentiment.Label},
			ReplyTo:        &msg.ID,
		})
	})
}
