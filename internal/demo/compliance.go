package demo

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/baton-cs/baton/internal/compliance"
)

// complianceRules are the demo's banned phrases: promises of refunds an agent cannot make (warn:
// the agent may still send them when the refund is approved) and insults (block). None of the
// demo's articles or bot templates says any of them, so the demo's answers are never held back.
var complianceRules = []compliance.RuleInput{
	{Phrase: "保证退款", Language: "zh", Action: compliance.ActionWarn, Exceptions: []string{"不保证退款", "无法保证退款"},
		Note: "退款要等仓库验货后才能确定，不要提前承诺。"},
	{Phrase: "guaranteed refund", Language: "en", Match: compliance.MatchWord, Action: compliance.ActionWarn,
		Exceptions: []string{"no guaranteed refund"}, Note: "Refunds depend on the warehouse's inspection; do not promise one."},
	{Phrase: "傻逼", Language: "zh", Action: compliance.ActionBlock, Note: "侮辱性用语"},
	{Phrase: "idiot", Language: "en", Match: compliance.MatchWord, Action: compliance.ActionBlock, Note: "Insult"},
}

// EnsureCompliance adds the demo's compliance rules whose phrases are not there yet.
func EnsureCompliance(ctx context.Context, store *compliance.Store, log *slog.Logger) error {
	n, err := store.EnsureRules(ctx, complianceRules)
	if err != nil {
		return fmt.Errorf("demo: compliance rules: %w", err)
	}
	if n > 0 {
		log.Info("demo compliance rules loaded", "created", n)
	}
	return nil
}
