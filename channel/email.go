package channel

import (
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"net/http"
	"net/mail"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/internal/conversation"
	"github.com/baton-cs/baton/internal/httpx"
)

// EmailInbound is POST /api/v1/email/inbound: the mail provider's inbound-parse webhook (the
// multipart form SendGrid's Inbound Parse posts: from, to, subject, text, html, headers), with
// the token of BATON_EMAIL_INBOUND_TOKEN as ?token= or the Basic-auth password. The mail joins
// the conversation whose thread it replies to (In-Reply-To / References), else opens one; its
// text, without the quoted earlier mail, is the customer's message, and the bot's and agents'
// answers go back by SMTP in the same thread. A provider's retry of the same mail is stored once.
func (a *API) EmailInbound(c *gin.Context) {
	if a.EmailToken == "" {
		httpx.Error(c, http.StatusNotFound, "the e-mail channel is not set up (BATON_EMAIL_INBOUND_TOKEN, BATON_SMTP_ADDR, BATON_EMAIL_FROM)")
		return
	}
	token := c.Query("token")
	if _, pw, ok := c.Request.BasicAuth(); ok {
		token = pw
	}
	if subtle.ConstantTimeCompare([]byte(token), []byte(a.EmailToken)) != 1 {
		httpx.Error(c, http.StatusUnauthorized, "missing or wrong token")
		return
	}
	c.Request.Body = http.MaxBytesReader(c.Writer, c.Request.Body, 10<<20)
	if err := c.Request.ParseMultipartForm(1 << 20); err != nil {
		if err := c.Request.ParseForm(); err != nil {
			httpx.Error(c, http.StatusBadRequest, "body must be the provider's inbound-parse form (multipart/form-data), at most 10 MiB")
			return
		}
	}
	// Mail is what mail clients make it: NUL bytes and broken UTF-8 are dropped or replaced here,
	// rather than refused, so a provider does not retry a mail forever.
	field := func(k string) string {
		return strings.ToValidUTF8(strings.ReplaceAll(c.Request.FormValue(k), "\x00", ""), "\uFFFD")
	}
	from, err := mail.ParseAddress(field("from"))
	if err != nil {
		httpx.Error(c, http.StatusBadRequest, "from is not an e-mail address")
		return
	}
	address := strings.ToLower(from.Address)
	subject := strings.TrimSpace(field("subject"))
	text := StripQuoted(field("text"))
	if text == "" {
		text = StripQuoted(htmlText(field("html")))
	}
	switch {
	case text == "" && subject == "":
		// Nothing to answer (an empty mail, an auto-reply without text): accepted, so the provider
		// does not retry it.
		c.JSON(http.StatusOK, gin.H{"ignored": "no text"})
		return
	case text == "":
		text = subject
	}
	if utf8.RuneCountInString(text) > conversation.MaxTextLen {
		text = string([]rune(text)[:conversation.MaxTextLen])
	}
	h := parseHeaders(field("headers"))
	messageID := strings.TrimSpace(h.Get("Message-Id"))
	var refs []string
	for _, k := range []string{"In-Reply-To", "References"} {
		refs = append(refs, messageIDs.FindAllString(h.Get(k), -1)...)
	}
	lang := "en"
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			lang = "zh"
			break
		}
	}
	if utf8.RuneCountInString(subject) > 300 || utf8.RuneCountInString(from.Name) > maxFieldLen || len(messageID) > 500 {
		httpx.Error(c, http.StatusBadRequest, "subject, sender name or Message-ID too long")
		return
	}
	cust, conv, err := a.Convs.EmailConversation(c.Request.Context(), address, from.Name, subject, messageID, refs, lang)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	clientID := ""
	if messageID != "" {
		sum := sha256.Sum256([]byte(messageID))
		clientID = "mail:" + hex.EncodeToString(sum[:16])
	}
	res, err := a.Turns.HandleCustomerMessageFrom(c.Request.Context(), conv, &cust, text, clientID)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"conversation_id": conv.ID, "message": res.Message})
}

var messageIDs = regexp.MustCompile(`<[^<>\s]+>`)

// parseHeaders reads the raw header block the provider passes along.
func parseHeaders(raw string) mail.Header {
	raw = strings.ReplaceAll(raw, "\r\n", "\n")
	msg, err := mail.ReadMessage(strings.NewReader(strings.TrimRight(raw, "\n") + "\n\n"))
	if err != nil {
		return mail.Header{}
	}
	return msg.Header
}

// quoteStarts are the lines mail clients put before the mail being replied to.
var quoteStarts = []*regexp.Regexp{
	regexp.MustCompile(`(?i)^on .{4,200} wrote:\s*$`),
	regexp.MustCompile(`^在.{2,200}写道[:：]\s*$`),
	regexp.MustCompile(`(?i)^-{2,}\s*(original message|forwarded message)\s*-{2,}`),
	regexp.MustCompile(`^-{2,}\s*原始邮件\s*-{2,}`),
	regexp.MustCompile(`(?i)^from:\s.+`),
	regexp.MustCompile(`^发件人[:：]`),
}

// StripQuoted is a mail's own text: up to the quoted mail it replies to, without "> " lines and
// the signature after "-- ".
func StripQuoted(text string) string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		t := strings.TrimSpace(line)
		if t == "--" && len(out) > 0 {
			break
		}
		stop := false
		for _, re := range quoteStarts {
			if re.MatchString(t) {
				stop = true
				break
			}
		}
		if stop {
			break
		}
		if strings.HasPrefix(t, ">") {
			continue
		}
		out = append(out, strings.TrimRight(line, " \t"))
	}
	return strings.TrimSpace(strings.Join(out, "\n"))
}

var (
	htmlBreaks = regexp.MustCompile(`(?i)<br\s*/?>|</p>|</div>|</li>`)
	htmlTags   = regexp.MustCompile(`(?s)<[^>]*>`)
	htmlDrop   = regexp.MustCompile(`(?is)<(script|style|blockquote)[^>]*>.*?</(script|style|blockquote)>`)
)

// htmlText is an HTML mail's text, roughly: quoted blocks, scripts and styles dropped, tags removed.
func htmlText(h string) string {
	h = htmlDrop.ReplaceAllString(h, "")
	h = htmlBreaks.ReplaceAllString(h, "\n")
	h = htmlTags.ReplaceAllString(h, "")
	r := strings.NewReplacer("&nbsp;", " ", "&lt;", "<", "&gt;", ">", "&quot;", `"`, "&#39;", "'", "&amp;", "&")
	return r.Replace(h)
}
