#!/usr/bin/env bash
# The project's test command (README "Run the tests"): vet, then the whole
# test suite with the race detector against the Redis at
# NEWSALERT_TEST_REDIS_URL (default redis://127.0.0.1:6379/15). Every fuzz
# target runs its seed corpus (testdata/fuzz included) as part of the suite;
# with FUZZTIME set (FUZZTIME=30s) each target is then also fuzzed that long.
set -euo pipefail
cd "$(dirname "$0")/.."

go vet ./...
go test -race -count=1 -timeout 45m ./...

if [ -z "${FUZZTIME:-}" ]; then
  echo "fuzz: seed corpora ran with the tests; FUZZTIME=30s bash scripts/test.sh fuzzes each target too"
  exit 0
fi

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
