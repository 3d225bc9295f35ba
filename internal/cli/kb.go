package cli

import (
	"encoding/json"
	"fmt"
	"os"

	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/kb"
	"github.com/baton-cs/baton/migrations"
)

func newKB() *cobra.Command {
	cmd := &cobra.Command{Use: "kb", Short: "Knowledge-base tools"}
	imp := &cobra.Command{
		Use:   "import FILE.jsonl",
		Short: "Import articles from a JSONL file (one article per line; re-importing updates)",
		Long: `Import articles from a JSONL file, one JSON object per line:
  {"title": "...", "body": "...", "language": "zh|en", "questions": ["..."], "tags": ["..."], "status": "published"}
An article with the same language and title is updated, not duplicated. A missing status means
published. Bad lines are reported with their number and reason; good lines still go in.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			f, err := os.Open(args[0])
			if err != nil {
				return err
			}
			defer f.Close()
			ctx := cmd.Context()
			d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir, cfg.NodeModules, newLogger(cfg))
			if err != nil {
				return err
			}
			defer d.Close()
			if _, err := migrations.Up(ctx, d.Pool); err != nil {
				return err
			}
			d.Pool.Reset()
			res, err := kb.NewStore(d.Pool, kb.LocalEmbedder{}).ImportJSONL(ctx, f, "import", nil)
			if err != nil {
				return err
			}
			for _, e := range res.Errors {
				fmt.Fprintf(cmd.ErrOrStderr(), "%s:%d: %s\n", args[0], e.Line, e.Reason)
			}
			out, _ := json.Marshal(res)
			fmt.Fprintln(cmd.OutOrStdout(), string(out))
			if res.Imported == 0 && len(res.Errors) > 0 {
				return fmt.Errorf("no valid article in %s", args[0])
			}
			return nil
		},
	}
	dbFlags(imp)
	cmd.AddCommand(imp)
	return cmd
}
