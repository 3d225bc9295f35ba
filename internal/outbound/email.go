package outbound

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"mime/quotedprintable"
	"net"
	"net/mail"
	"net/smtp"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Mailer sends the e-mail channel's messages by SMTP, each in its conversation's thread: Subject
// "Re: …", In-Reply-To the thread's latest Message-ID and References all of them, and a
// Message-ID of its own that the customer's reply will carry back.
type Mailer struct {
	Pool *pgxpool.Pool
	// Addr is the SMTP server, host:port. STARTTLS is used when the server offers it.
	Addr string
	// Username and Password, when set, authenticate (PLAIN; net/smtp refuses it without TLS
	// except to localhost).
	Username, Password string
	// From is the support address mail is sent from, e.g. "Support <support@example.com>".
	From string
}

type mailPayload struct {
	ConversationID string `json:"conversation_id"`
	Message        struct {
		Sender string `json:"sender"`
		Text   string `json:"text"`
	} `json:"message"`
}

// Send sends one delivery's message to the conversation's customer.
func (m *Mailer) Send(ctx context.Context, deliveryID int64, payload []byte) error {
	var p mailPayload
	if err := json.Unmarshal(payload, &p); err != nil {
		return fmt.Errorf("email: payload: %w", err)
	}
	var to, subject, last, refs string
	err := m.Pool.QueryRow(ctx, `SELECT address, subject, last_message_id, refs FROM email_threads WHERE conversation_id = $1`,
		p.ConversationID).Scan(&to, &subject, &last, &refs)
	if errors.Is(err, pgx.ErrNoRows) {
		return fmt.Errorf("email: the conversation has no mail thread")
	}
	if err != nil {
		return fmt.Errorf("email: thread: %w", err)
	}
	from, err := mail.ParseAddress(m.From)
	if err != nil {
		return fmt.Errorf("email: BATON_EMAIL_FROM: %w", err)
	}
	_, domain, _ := strings.Cut(from.Address, "@")
	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	msgID := fmt.Sprintf("<baton-%d.%s@%s>", deliveryID, hex.EncodeToString(rnd[:]), domain)

	var b bytes.Buffer
	header := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, oneLine(v)) }
	header("From", from.String())
	header("To", (&mail.Address{Address: to}).String())
	if !strings.HasPrefix(strings.ToLower(subject), "re:") {
		subject = "Re: " + subject
	}
	header("Subject", mime.QEncoding.Encode("UTF-8", subject))
	header("Date", time.Now().Format(time.RFC1123Z))
	header("Message-ID", msgID)
	if last != "" {
		header("In-Reply-To", last)
		header("References", strings.TrimSpace(refs))
	}
	header("MIME-Version", "1.0")
	header("Content-Type", "text/plain; charset=UTF-8")
	header("Content-Transfer-Encoding", "quoted-printable")
	b.WriteString("\r\n")
	qp := quotedprintable.NewWriter(&b)
	_, _ = qp.Write([]byte(strings.ReplaceAll(p.Message.Text, "\n", "\r\n")))
	_ = qp.Close()

	if err := m.sendMail(ctx, from.Address, to, b.Bytes()); err != nil {
		return err
	}
	// The customer's reply will name this Message-ID: it finds the conversation.
	_, err = m.Pool.Exec(ctx, `WITH t AS (UPDATE email_threads SET last_message_id = $2, refs = right(refs || ' ' || $2, 900)
		WHERE conversation_id = $1)
		INSERT INTO email_message_ids (message_id, conversation_id) VALUES ($2, $1) ON CONFLICT DO NOTHING`, p.ConversationID, msgID)
	if err != nil {
		return fmt.Errorf("email: record Message-ID: %w", err)
	}
	return nil
}

// sendMail is smtp.SendMail with a context-bounded connection.
func (m *Mailer) sendMail(ctx context.Context, from, to string, msg []byte) error {
	var dialer net.Dialer
	conn, err := dialer.DialContext(ctx, "tcp", m.Addr)
	if err != nil {
		return fmt.Errorf("email: connect: %w", err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	}
	host, _, _ := net.SplitHostPort(m.Addr)
	c, err := smtp.NewClient(conn, host)
	if err != nil {
		conn.Close()
		return fmt.Errorf("email: smtp: %w", err)
	}
	defer c.Close()
	if ok, _ := c.Extension("STARTTLS"); ok {
		if err := c.StartTLS(tlsConfig(host)); err != nil {
			return fmt.Errorf("email: starttls: %w", err)
		}
	}
	if m.Username != "" {
		if err := c.Auth(smtp.PlainAuth("", m.Username, m.Password, host)); err != nil {
			return fmt.Errorf("email: auth: %w", err)
		}
	}
	if err := c.Mail(from); err != nil {
		return fmt.Errorf("email: MAIL FROM: %w", err)
	}
	if err := c.Rcpt(to); err != nil {
		return fmt.Errorf("email: RCPT TO: %w", err)
	}
	w, err := c.Data()
	if err != nil {
		return fmt.Errorf("email: DATA: %w", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fmt.Errorf("email: DATA: %w", err)
	}
	if err := w.Close(); err != nil {
		return fmt.Errorf("email: DATA: %w", err)
	}
	return c.Quit()
}

// oneLine keeps a header value on its line: no CR or LF may reach the header block.
func oneLine(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ").Replace(s)
}
