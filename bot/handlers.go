package bot

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/baton-cs/baton/intent"
	"github.com/baton-cs/baton/intent/slots"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/internal/compliance"
	"github.com/baton-cs/baton/internal/httpx"
)

// MaxDefinitionBody is the largest bot definition accepted.
const MaxDefinitionBody = 2 << 20

// API serves the bot definition to editors: read, validate, save (which retrains every process),
// list versions, roll back, and try a message.
type API struct {
	Store  *Store
	Loader *Loader
	Bot    *Bot
	// Compliance checks the definition's templates on validate and save (nil: no check).
	Compliance *compliance.Checker
}

// screenTemplates checks def's templates: a blocked phrase answers 422 naming the template and
// phrase (and, when saving, logs the hits) and returns false; warnings are returned to go with
// the answer. log is true when saving.
func (a *API) screenTemplates(c *gin.Context, def *Definition, log bool) ([]TemplateHit, bool) {
	if a.Compliance == nil {
		return []TemplateHit{}, true
	}
	rules, err := a.Compliance.Rules(c.Request.Context())
	if err != nil {
		httpx.Internal(c, err)
		return nil, false
	}
	hits := CheckTemplates(rules, def)
	var blocked *TemplateHit
	for i := range hits {
		if hits[i].Action == compliance.ActionBlock {
			blocked = &hits[i]
			break
		}
	}
	if log && len(hits) > 0 {
		at := compliance.HitContext{Source: compliance.SourceBotTemplate}
		if u, ok := auth.CurrentUser(c); ok {
			at.UserID = &u.ID
		}
		flat := make([]compliance.Hit, 0, len(hits))
		for _, h := range hits {
			if blocked != nil && h.Action != compliance.ActionBlock {
				continue // only what refused the save
			}
			flat = append(flat, h.Hit)
		}
		if err := compliance.LogHits(c.Request.Context(), a.Store.pool, flat, at, ""); err != nil {
			_ = c.Error(err)
		}
	}
	if blocked != nil {
		c.JSON(http.StatusUnprocessableEntity, gin.H{
			"error": fmt.Sprintf("template %s contains the banned phrase %q", blocked.Template, blocked.Text),
			"hits":  hits,
		})
		return nil, false
	}
	if hits == nil {
		hits = []TemplateHit{}
	}
	return hits, true
}

// IntentSummary describes one intent for the editor's overview.
type IntentSummary struct {
	Name     string   `json:"name"`
	Label    Text     `json:"label"`
	Kind     string   `json:"kind"` // task, faq, reply, handoff
	Examples int      `json:"examples"`
	Langs    []string `json:"languages"`
	Slots    []string `json:"slots,omitempty"`
	Skill    string   `json:"skill,omitempty"`
}

// DefinitionView is the active definition as the API returns it.
type DefinitionView struct {
	StoredDefinition
	Intents   []IntentSummary `json:"intents"`
	Threshold float64         `json:"threshold"`
	TrainMS   int64           `json:"train_ms"`
}

// Summaries lists def's intents for display.
func Summaries(def *Definition) []IntentSummary {
	out := make([]IntentSummary, 0, len(def.Intents))
	for i := range def.Intents {
		in := &def.Intents[i]
		s := IntentSummary{Name: in.Name, Label: in.Label, Examples: in.ExampleCount(), Langs: in.Languages()}
		switch {
		case in.Handoff != nil && in.Handoff.Always:
			s.Kind = "handoff"
		case in.KB:
			s.Kind = "faq"
		case in.IsTask():
			s.Kind = "task"
		default:
			s.Kind = "reply"
		}
		for _, sl := range in.Slots {
			s.Slots = append(s.Slots, sl.Name)
		}
		if in.Handoff != nil {
			s.Skill = in.Handoff.Skill
		}
		out = append(out, s)
	}
	return out
}

// GetDefinition returns the active definition with its source and intent overview.
func (a *API) GetDefinition(c *gin.Context) {
	d, err := a.Store.Active(c)
	if errors.Is(err, ErrNoDefinition) {
		httpx.Error(c, http.StatusNotFound, "no bot definition has been loaded; PUT one or run `baton intent load FILE`")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	view := DefinitionView{StoredDefinition: d, Intents: []IntentSummary{}}
	if def, err := ParseDefinition([]byte(d.Source)); err == nil {
		view.Intents = Summaries(def)
	}
	if e := a.Loader.Holder.Load(); e != nil && e.Version == d.Version {
		view.Threshold = round3(e.Threshold)
		view.TrainMS = e.TrainTime.Milliseconds()
	}
	c.JSON(http.StatusOK, view)
}

// readSource takes the YAML from a raw body (application/yaml, text/*) or {"source": "..."}.
func readSource(c *gin.Context) (string, bool) {
	ct := c.ContentType()
	if ct == "application/json" {
		var body struct {
			Source string `json:"source"`
		}
		if !httpx.BindJSON(c, &body, MaxDefinitionBody) {
			return "", false
		}
		return body.Source, true
	}
	b, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, MaxDefinitionBody))
	if err != nil {
		httpx.Errorf(c, http.StatusRequestEntityTooLarge, "the definition is larger than %d bytes", MaxDefinitionBody)
		return "", false
	}
	if bytes.IndexByte(b, 0) >= 0 {
		httpx.Error(c, http.StatusBadRequest, httpx.NULMessage)
		return "", false
	}
	return string(b), true
}

// definitionError answers 400 with the problem and its line.
func definitionError(c *gin.Context, err error) {
	var de DefinitionError
	if errors.As(err, &de) {
		c.JSON(http.StatusBadRequest, gin.H{"error": de.Error(), "line": de.Line})
		return
	}
	httpx.Error(c, http.StatusBadRequest, err.Error())
}

// ValidateDefinition checks a definition without saving it.
func (a *API) ValidateDefinition(c *gin.Context) {
	src, ok := readSource(c)
	if !ok {
		return
	}
	def, err := ParseDefinition([]byte(src))
	if err != nil {
		definitionError(c, err)
		return
	}
	warnings, ok := a.screenTemplates(c, def, false)
	if !ok {
		return
	}
	c.JSON(http.StatusOK, gin.H{"ok": true, "name": def.Name, "intents": Summaries(def), "warnings": warnings})
}

// PutDefinition validates, saves as a new version, activates, and retrains this process at once
// (the others on the bot event).
func (a *API) PutDefinition(c *gin.Context) {
	src, ok := readSource(c)
	if !ok {
		return
	}
	def, err := ParseDefinition([]byte(src))
	if err != nil {
		definitionError(c, err)
		return
	}
	warnings, ok := a.screenTemplates(c, def, true)
	if !ok {
		return
	}
	var by *int64
	if u, ok := auth.CurrentUser(c); ok {
		by = &u.ID
	}
	d, created, err := a.Store.Save(c, []byte(src), by)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	if err := a.Loader.Reload(c); err != nil {
		httpx.Internal(c, err)
		return
	}
	status := http.StatusOK
	if created {
		status = http.StatusCreated
	}
	d.Source = ""
	c.JSON(status, gin.H{"definition": d, "created": created, "warnings": warnings})
}

// ListDefinitions lists every saved version.
func (a *API) ListDefinitions(c *gin.Context) {
	list, err := a.Store.List(c)
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	c.JSON(http.StatusOK, gin.H{"versions": list})
}

// ActivateDefinition rolls back (or forward) to a saved version.
func (a *API) ActivateDefinition(c *gin.Context) {
	v, err := strconv.Atoi(c.Param("version"))
	if err != nil || v <= 0 {
		httpx.Error(c, http.StatusNotFound, "no such version")
		return
	}
	d, err := a.Store.Activate(c, v)
	if errors.Is(err, ErrNoDefinition) {
		httpx.Error(c, http.StatusNotFound, "no such version")
		return
	}
	if err != nil {
		httpx.Internal(c, err)
		return
	}
	if err := a.Loader.Reload(c); err != nil {
		httpx.Internal(c, err)
		return
	}
	d.Source = ""
	c.JSON(http.StatusOK, gin.H{"definition": d})
}

// PredictRequest is a message to try.
type PredictRequest struct {
	Text     string `json:"text"`
	Language string `json:"language"`
}

// Prediction is what the bot reads in a message, without taking a turn.
type Prediction struct {
	Understanding
	Threshold float64           `json:"threshold"`
	Trigger   string            `json:"trigger,omitempty"`
	Ambiguous bool              `json:"ambiguous"`
	Slots     map[string]string `json:"slots"`
	Invalid   map[string]string `json:"invalid,omitempty"`
	Version   int               `json:"version"`
}

// Predict classifies a message and extracts the predicted intent's slots.
func (a *API) Predict(c *gin.Context) {
	var req PredictRequest
	if !httpx.BindJSON(c, &req, 16<<10) {
		return
	}
	req.Text = strings.TrimSpace(req.Text)
	if req.Text == "" {
		httpx.Error(c, http.StatusBadRequest, "text is required")
		return
	}
	e := a.Loader.Holder.Load()
	if e == nil {
		httpx.Error(c, http.StatusConflict, "no bot definition is loaded")
		return
	}
	p := Predict(e, req.Text, req.Language, time.Now())
	c.JSON(http.StatusOK, p)
}

// Predict reads text with engine e: intent, triggers and the slots of the predicted intent.
func Predict(e *Engine, text, lang string, now time.Time) Prediction {
	if lang == "" {
		lang = replyLanguage(text, "en")
	}
	t := &turn{b: &Bot{}, e: e, text: text, lang: lang, in: Input{Text: text}}
	t.b.Now = func() time.Time { return now }
	t.u = t.understand()
	p := Prediction{Understanding: t.u, Threshold: round3(e.Threshold), Trigger: string(intent.DetectTrigger(text)),
		Slots: map[string]string{}, Version: e.Version}
	p.Understanding.Confidence = round3(p.Understanding.Confidence)
	for i := range p.Ranked {
		p.Ranked[i].Prob = round3(p.Ranked[i].Prob)
	}
	if p.Trigger == "" && t.u.Sentiment.Strong {
		p.Trigger = "negative_sentiment"
	}
	r := t.u.Ranked
	p.Ambiguous = len(r) >= 2 && r[0].Prob-r[1].Prob < e.margin() && r[0].Prob+r[1].Prob >= e.Threshold+e.margin()
	name := t.u.Intent
	if name == "" && len(r) > 0 {
		name = r[0].Intent
	}
	if in := e.Def.Intent(name); in != nil && len(in.Slots) > 0 {
		env := slots.Env{Now: now, Loc: e.loc, Lang: lang}
		var exts []slots.Extractor
		for _, s := range in.Slots {
			if s.Kind != "text" {
				exts = append(exts, e.extractors[in.Name][s.Name])
			}
		}
		for name, r := range slots.ExtractAll(text, env, exts) {
			if len(r.Matches) > 0 {
				p.Slots[name] = r.Matches[len(r.Matches)-1].Value
			} else if len(r.Invalid) > 0 {
				if p.Invalid == nil {
					p.Invalid = map[string]string{}
				}
				p.Invalid[name] = r.Invalid[0].Reason.In(lang)
			}
		}
	}
	return p
}
