package bot

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/baton-cs/baton/intent"
	"github.com/baton-cs/baton/intent/slots"
)

// Engine is a bot definition made ready to serve: the classifier trained on its examples and the
// slot extractors built, in memory. It is immutable; a changed definition compiles a new one.
type Engine struct {
	Def     *Definition
	Model   *intent.Model
	Version int
	// Threshold is the calibrated probability below which the bot treats a message as out of scope.
	Threshold  float64
	TrainTime  time.Duration
	extractors map[string]map[string]slots.Extractor
	loc        *time.Location
	env        map[string]string
}

// Compile trains the classifier on def's examples and builds its slot extractors. env supplies
// the {{env.…}} template values (for example orders_url).
func Compile(ctx context.Context, def *Definition, version int, env map[string]string) (*Engine, error) {
	start := time.Now()
	var ex []intent.Example
	for _, in := range def.Intents {
		langs := make([]string, 0, len(in.Examples))
		for l := range in.Examples {
			langs = append(langs, l)
		}
		sort.Strings(langs)
		for _, l := range langs {
			for _, t := range in.Examples[l] {
				ex = append(ex, intent.Example{Text: t, Intent: in.Name})
			}
		}
	}
	var oos []string
	for _, l := range []string{"zh", "en"} {
		oos = append(oos, def.OutOfScope[l]...)
	}
	model, err := intent.Train(ctx, ex, intent.TrainOptions{OOS: oos})
	if err != nil {
		return nil, fmt.Errorf("bot: train intents: %w", err)
	}
	e := &Engine{Def: def, Model: model, Version: version, TrainTime: time.Since(start),
		extractors: map[string]map[string]slots.Extractor{}, env: map[string]string{}}
	e.Threshold = model.Threshold()
	if def.Settings.Threshold > 0 {
		e.Threshold = def.Settings.Threshold
		model.SetThreshold(e.Threshold)
	}
	e.loc = time.FixedZone("CST", 8*3600)
	tz := def.Settings.Timezone
	if tz == "" {
		tz = "Asia/Shanghai"
	}
	if loc, err := time.LoadLocation(tz); err == nil {
		e.loc = loc
	}
	for _, in := range def.Intents {
		m := map[string]slots.Extractor{}
		for _, s := range in.Slots {
			x, err := slots.New(s.Spec)
			if err != nil {
				return nil, fmt.Errorf("bot: intent %s slot %s: %w", in.Name, s.Name, err)
			}
			m[s.Name] = x
		}
		e.extractors[in.Name] = m
	}
	for k, v := range env {
		e.env[k] = v
	}
	return e, nil
}

// EnvFromEnviron collects BATON_BOT_ENV_NAME=value variables as {{env.name}} template values.
func EnvFromEnviron() map[string]string {
	out := map[string]string{}
	for _, kv := range os.Environ() {
		k, v, _ := strings.Cut(kv, "=")
		if name, ok := strings.CutPrefix(k, "BATON_BOT_ENV_"); ok && name != "" {
			out[strings.ToLower(name)] = v
		}
	}
	return out
}

// settings with defaults applied.
func (e *Engine) margin() float64 {
	if m := e.Def.Settings.AmbiguityMargin; m > 0 {
		return m
	}
	return DefaultAmbiguityMargin
}

func (e *Engine) maxRetries() int {
	if n := e.Def.Settings.MaxRetries; n > 0 {
		return n
	}
	return DefaultMaxRetries
}

func (e *Engine) maxLowConfidence() int {
	if n := e.Def.Settings.MaxLowConfidence; n > 0 {
		return n
	}
	return DefaultMaxLowConfidence
}

func (e *Engine) defaultSkill(fallback string) string {
	if s := e.Def.Settings.DefaultSkill; s != "" {
		return s
	}
	if fallback != "" {
		return fallback
	}
	return "general"
}

func (e *Engine) vipPriority() int {
	if p := e.Def.Settings.VIPPriority; p > 0 {
		return p
	}
	return DefaultVIPPriority
}

func (e *Engine) vipMode() string {
	if m := e.Def.Settings.VIPHandoff; m != "" {
		return m
	}
	return "unanswered"
}

func (e *Engine) sentimentHandoff() bool {
	return e.Def.Settings.SentimentHandoff == nil || *e.Def.Settings.SentimentHandoff
}

// reasonRule is the handoff rule of the definition's always-handoff intent for reason (its
// complaint intent for "complaint"), nil when there is none.
func (e *Engine) reasonRule(reason string) *HandoffRule {
	for i := range e.Def.Intents {
		if h := e.Def.Intents[i].Handoff; h != nil && h.Always && h.Reason == reason {
			return h
		}
	}
	return nil
}

// Holder serves the current engine to every conversation and swaps it when the definition changes.
type Holder struct{ cur atomic.Pointer[Engine] }

// Load returns the engine in service, nil before the first Store.
func (h *Holder) Load() *Engine { return h.cur.Load() }

// Store puts e in service.
func (h *Holder) Store(e *Engine) { h.cur.Store(e) }
