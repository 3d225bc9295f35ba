// Package demo loads the demo help centre and demo staff accounts for `make run`. Loading is
// idempotent: articles are upserted by title (except those an editor has changed since), accounts
// keep the password stored in the data dir.
package demo

import (
	"bytes"
	"context"
	"crypto/rand"
	_ "embed"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/baton-cs/baton/bot"
	"github.com/baton-cs/baton/internal/auth"
	"github.com/baton-cs/baton/kb"
)

//go:embed articles.jsonl
var articles []byte

// Articles returns the demo knowledge base as JSONL.
func Articles() []byte { return articles }

// Account is a demo staff login.
type Account struct {
	Email, Password, Role string
}

// Load imports the demo articles and ensures the demo accounts, whose passwords are generated once
// and kept in dataDir/demo-credentials.txt. A nil store skips the articles.
func Load(ctx context.Context, store *kb.Store, users *auth.Service, dataDir string, log *slog.Logger) ([]Account, error) {
	if store != nil {
		if err := LoadArticles(ctx, store, log); err != nil {
			return nil, err
		}
	}
	pw, err := password(dataDir)
	if err != nil {
		return nil, err
	}
	accounts := []Account{
		{Email: "agent@demo.baton.local", Password: pw, Role: auth.RoleAgent},
		{Email: "editor@demo.baton.local", Password: pw, Role: auth.RoleEditor},
		{Email: "evaluator@demo.baton.local", Password: pw, Role: auth.RoleEvaluator},
		{Email: "supervisor@demo.baton.local", Password: pw, Role: auth.RoleSupervisor},
		// A second agent, so notes with @mentions and transfers can be tried.
		{Email: "colleague@demo.baton.local", Password: pw, Role: auth.RoleAgent},
	}
	for _, a := range accounts {
		name := strings.Title(strings.SplitN(a.Email, "@", 2)[0]) //nolint:staticcheck // ASCII names
		if _, err := users.EnsureUser(ctx, auth.UserSpec{Email: a.Email, Name: "Demo " + name, Password: a.Password, Role: a.Role}); err != nil {
			return nil, err
		}
		if a.Role == auth.RoleAgent || a.Role == auth.RoleSupervisor {
			// The demo agent works every queue the demo bot hands off to.
			if err := users.AddSkills(ctx, a.Email, Skills()); err != nil {
				return nil, err
			}
		}
	}
	return accounts, nil
}

// Skills lists the queues the demo bot definition hands off to.
func Skills() []string {
	def, err := bot.ParseDefinition(botDefinition)
	if err != nil {
		return []string{"general"}
	}
	set := map[string]bool{"general": true}
	if def.Settings.DefaultSkill != "" {
		set[def.Settings.DefaultSkill] = true
	}
	for _, in := range def.Intents {
		if in.Handoff != nil && in.Handoff.Skill != "" {
			set[in.Handoff.Skill] = true
		}
	}
	out := make([]string, 0, len(set))
	for s := range set {
		out = append(out, s)
	}
	sort.Strings(out)
	return out
}

// LoadArticles upserts the demo knowledge base, leaving alone the demo articles an editor has
// changed since the demo wrote them (their latest version came from elsewhere), so a restart
// never undoes an editor's work.
func LoadArticles(ctx context.Context, store *kb.Store, log *slog.Logger) error {
	edited, err := store.ArticlesLastChangedElsewhere(ctx, "demo")
	if err != nil {
		return fmt.Errorf("demo: articles: %w", err)
	}
	var load bytes.Buffer
	kept := 0
	for line := range bytes.Lines(articles) {
		var in kb.ArticleInput
		if err := json.Unmarshal(line, &in); err == nil && in.Normalize() == nil && edited[kb.ArticleKey{Language: in.Language, Title: in.Title}] {
			kept++
			load.WriteString("\n") // keeps the line numbers of errors
			continue
		}
		load.Write(line)
	}
	res, err := store.ImportJSONL(ctx, &load, "demo", nil)
	if err != nil {
		return fmt.Errorf("demo: articles: %w", err)
	}
	if len(res.Errors) > 0 {
		return fmt.Errorf("demo: articles: line %d: %s", res.Errors[0].Line, res.Errors[0].Reason)
	}
	log.Info("demo articles loaded", "articles", res.Imported, "created", res.Created, "kept_edited", kept)
	return nil
}

func password(dataDir string) (string, error) {
	path := filepath.Join(dataDir, "demo-credentials.txt")
	if b, err := os.ReadFile(path); err == nil && len(strings.TrimSpace(string(b))) >= 8 {
		return strings.TrimSpace(string(b)), nil
	}
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	pw := base64.RawURLEncoding.EncodeToString(b)
	if err := os.MkdirAll(dataDir, 0o700); err != nil {
		return "", fmt.Errorf("demo: data dir: %w", err)
	}
	if err := os.WriteFile(path, []byte(pw+"\n"), 0o600); err != nil {
		return "", fmt.Errorf("demo: save password: %w", err)
	}
	return pw, nil
}

// botStore is the part of bot.Store EnsureBot needs (the demo package must not import bot's
// server wiring, only its store).
type botStore interface {
	Save(ctx context.Context, src []byte, by *int64) (bot.StoredDefinition, bool, error)
	Active(ctx context.Context) (bot.StoredDefinition, error)
}

// EnsureBot makes the demo bot definition active unless someone has saved their own: a
// definition loaded by a person (created_by set, or another name) is left alone.
func EnsureBot(ctx context.Context, store botStore, log *slog.Logger) error {
	cur, err := store.Active(ctx)
	switch {
	case errors.Is(err, bot.ErrNoDefinition):
	case err != nil:
		return err
	case cur.CreatedBy != nil || cur.Name != "demo-shop" || cur.Checksum == bot.Checksum(botDefinition):
		return nil
	}
	d, created, err := store.Save(ctx, botDefinition, nil)
	if err != nil {
		return fmt.Errorf("demo: bot definition: %w", err)
	}
	if created {
		log.Info("demo bot definition saved", "version", d.Version)
	}
	return nil
}
