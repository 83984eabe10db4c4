// Command specgen regenerates discordfake's embedded OpenAPI subset from
// Discord's full OpenAPI document:
//
//	go run ./bot/discord/discordfake/internal/specgen \
//	    -spec ../shared/specs/discord-openapi.json \
//	    -out bot/discord/discordfake/openapi_subset.json
package main

import (
	"flag"
	"fmt"
	"os"

	"github.com/newsalert/newsalert/bot/discord/discordfake/internal/specsubset"
)

func main() {
	spec := flag.String("spec", "", "path of discord-openapi.json")
	out := flag.String("out", "openapi_subset.json", "where to write the subset")
	flag.Parse()
	if err := run(*spec, *out); err != nil {
		fmt.Fprintln(os.Stderr, "specgen:", err)
		os.Exit(1)
	}
}

func run(spec, out string) error {
	if spec == "" {
		return fmt.Errorf("-spec is required")
	}
	full, err := os.ReadFile(spec)
	if err != nil {
		return fmt.Errorf("read spec: %w", err)
	}
	b, err := specsubset.Extract(full, specsubset.Operations())
	if err != nil {
		return err
	}
	if err := os.WriteFile(out, b, 0o644); err != nil {
		return fmt.Errorf("write subset: %w", err)
	}
	return nil
}
