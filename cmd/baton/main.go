// Command baton is Baton's single binary: the server, migrations and the command-line tools.
package main

import (
	"os"

	"github.com/baton-cs/baton/internal/cli"
)

func main() {
	os.Exit(cli.Execute(os.Args[1:]))
}
