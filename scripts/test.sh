#!/usr/bin/env bash
# The project's test command (README "Run the tests"): vet, the whole test
# suite with the race detector against the Redis at NEWSALERT_TEST_REDIS_URL
# (default redis://127.0.0.1:6379/15), then each fuzz target for a few
# seconds beyond its seed corpus.
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZTIME="${FUZZTIME:-5s}"

go vet ./...
go test -race -count=1 -timeout 20m ./...

# Every Fuzz function in the module, one at a time (go test -fuzz takes one).
grep -rl --include='*_test.go' '^func Fuzz' . | sort | while read -r file; do
  pkg="./$(dirname "${file#./}")"
  for fn in $(grep -o '^func Fuzz[A-Za-z0-9_]*' "$file" | sed 's/^func //'); do
    echo "fuzz: $pkg $fn ($FUZZTIME)"
    go test -run '^$' -fuzz "^${fn}\$" -fuzztime "$FUZZTIME" "$pkg" >/tmp/newsalert-fuzz.log 2>&1 \
      || { cat /tmp/newsalert-fuzz.log; exit 1; }
  done
done
echo "fuzz: all targets passed"
