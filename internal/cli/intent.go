package cli

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"time"

	"github.com/spf13/cobra"

	"github.com/baton-cs/baton/bot"
	"github.com/baton-cs/baton/internal/config"
	"github.com/baton-cs/baton/internal/db"
	"github.com/baton-cs/baton/migrations"
)

// openDatabase opens the configured database (embedded unless DATABASE_URL) and migrates it.
func openDatabase(ctx context.Context, cfg config.Config, log *slog.Logger) (*db.Database, error) {
	d, err := db.Open(ctx, cfg.DatabaseURL, cfg.DataDir, cfg.NodeModules, log)
	if err != nil {
		return nil, err
	}
	if _, err := migrations.Up(ctx, d.Pool); err != nil {
		d.Close()
		return nil, err
	}
	d.Pool.Reset()
	return d, nil
}

func newIntent() *cobra.Command {
	cmd := &cobra.Command{Use: "intent", Short: "Bot definitions: intents, slots, actions, handoff rules"}
	load := &cobra.Command{
		Use:   "load FILE.yaml",
		Short: "Validate a bot definition, train it, and make it the active version",
		Long: `Validate a YAML bot definition (docs/bot-definition.md), train the intent classifier on its
examples to check it, and store it in the database as the next version, which every running
Baton picks up at once. Loading the text that is already active changes nothing.
With --dry-run it only validates and trains.`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			src, err := os.ReadFile(args[0])
			if err != nil {
				return err
			}
			def, err := bot.ParseDefinition(src)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			ctx := cmd.Context()
			start := time.Now()
			e, err := bot.Compile(ctx, def, 0, nil)
			if err != nil {
				return fmt.Errorf("%s: %w", args[0], err)
			}
			out := cmd.OutOrStdout()
			examples := 0
			for _, in := range def.Intents {
				examples += in.ExampleCount()
			}
			fmt.Fprintf(out, "%s: %d intents, %d examples; trained in %.2fs; out-of-scope threshold %.3f\n",
				def.Name, len(def.Intents), examples, time.Since(start).Seconds(), e.Threshold)
			for _, s := range bot.Summaries(def) {
				fmt.Fprintf(out, "  %-24s %-8s %3d examples  %v\n", s.Name, s.Kind, s.Examples, s.Slots)
			}
			if dry, _ := cmd.Flags().GetBool("dry-run"); dry {
				return nil
			}
			cfg, err := loadConfig(cmd)
			if err != nil {
				return err
			}
			d, err := openDatabase(ctx, cfg, newLogger(cfg))
			if err != nil {
				return err
			}
			defer d.Close()
			stored, created, err := bot.NewStore(d.Pool).Save(ctx, src, nil)
			if err != nil {
				return err
			}
			if created {
				fmt.Fprintf(out, "saved as version %d and activated\n", stored.Version)
			} else {
				fmt.Fprintf(out, "unchanged: version %d is already this definition\n", stored.Version)
			}
			return nil
		},
	}
	load.Flags().Bool("dry-run", false, "validate and train only; store nothing")
	dbFlags(load)
	cmd.AddCommand(load)
	return cmd
}
