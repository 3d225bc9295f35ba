package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// bothHelp is the --both flag's help, shared by the bench commands.
const bothHelp = "run on a temporary embedded database and then on DATABASE_URL, and report both side by side"

// benchTarget is one database a bench runs on: its URL ("" = a temporary embedded database) and
// its key in the --both report.
type benchTarget struct{ key, url string }

// benchTargets is what a bench runs on: DATABASE_URL as configured (or the embedded database when
// it is unset), or with --both the embedded database and then DATABASE_URL, which must be set.
func benchTargets(both bool, url string) ([]benchTarget, error) {
	if !both {
		key := "postgres"
		if url == "" {
			key = "embedded"
		}
		return []benchTarget{{key, url}}, nil
	}
	if url == "" {
		return nil, usageError{errors.New("--both needs DATABASE_URL (or --database-url): the Postgres to compare the embedded database with")}
	}
	return []benchTarget{{"embedded", ""}, {"postgres", url}}, nil
}

// writeBenchReports prints one report as it is, or, for --both, one JSON object keyed
// "embedded" and "postgres"; as text, each report under its database's heading.
func writeBenchReports[T any](out io.Writer, targets []benchTarget, reports []T, asJSON bool, text func(io.Writer, T)) error {
	if asJSON {
		enc := json.NewEncoder(out)
		enc.SetIndent("", "  ")
		if len(reports) == 1 {
			return enc.Encode(reports[0])
		}
		m := map[string]T{}
		for i, t := range targets {
			m[t.key] = reports[i]
		}
		return enc.Encode(m)
	}
	for i, r := range reports {
		if len(reports) > 1 {
			if i > 0 {
				fmt.Fprintln(out)
			}
			fmt.Fprintf(out, "== %s\n", targets[i].key)
		}
		text(out, r)
	}
	return nil
}
