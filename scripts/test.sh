#!/usr/bin/env bash
# Runs every test: unit, golden fixtures, end-to-end on the built binary, real database round
# trips (PostgreSQL, MariaDB, ClickHouse started on private loopback ports) and a fuzz smoke run.
# Usage: scripts/test.sh            (installs and starts what it needs; works on a fresh clone)
#        SKIP_DB=1 scripts/test.sh  (no database servers: those tests skip)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

if [ -z "${SKIP_DB:-}" ]; then
  echo "== starting database servers"
  bash scripts/db/ci-setup.sh
  # The servers are up: a database test that cannot reach one fails instead of skipping.
  export TEMPLATEC_REQUIRE_DATABASES=1
fi
if [ -f scripts/db/env.sh ]; then
  # shellcheck disable=SC1091
  . scripts/db/env.sh
fi
if [ -x scripts/ci/python-deps.sh ]; then
  echo "== python tools (.build/venv)"
  scripts/ci/python-deps.sh || echo "some python tools are unavailable: the tests that need them skip"
fi
if [ -x scripts/ci/editors.sh ]; then
  echo "== editors for the language server's tests (Neovim)"
  mkdir -p .build && scripts/ci/editors.sh || echo "Neovim is unavailable: its test skips"
fi
if [ -x scripts/engines/setup.sh ]; then
  echo "== engines and grammar oracles (Java for Spark, ZetaSQL's compiled module)"
  scripts/engines/setup.sh || echo "some engines are unavailable: the tests that need them skip"
fi
# The interpreter of the project's venv, for tests that drive Python tools (a missing venv: python3).
if [ -x .build/venv/bin/python ]; then export TEMPLATEC_PYTHON="$repo/.build/venv/bin/python"; fi

echo "== build"
swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]|^Compiling|^Building|^Write' || true
swift build --build-tests >/dev/null  # fails the script if the build above failed

# The end-to-end tests run the product as people run it: the release build.
swift build -c release --product templatec 2>&1 | grep -E "error|warning: unre|Compiling templatec" || true
swift build -c release --product templatec >/dev/null
export TEMPLATEC_BINARY="$repo/.build/release/templatec"

echo "== tests"
swift test --skip-build --disable-swift-testing 2>&1 | tee .build/test-output.txt | grep -Ev '^Test Case .* (started|passed)' || { tail -50 .build/test-output.txt; exit 1; }
grep -qE "Executed [1-9][0-9]* tests?" .build/test-output.txt || { echo "no test ran"; exit 1; }
# The closing line of XCTest's whole run, restated plainly: "N passed, N failed, N skipped".
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?" .build/test-output.txt | tail -1)
executed=$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) failures?.*/\1/')
skipped=$(echo "$summary" | grep -oE '[0-9]+ tests? skipped' | grep -oE '^[0-9]+' || echo 0)

if [ -x scripts/fuzz.sh ] && [ -z "${SKIP_FUZZ:-}" ]; then
  echo "== fuzz smoke run"
  scripts/fuzz.sh 15 all
fi
echo "== all tests passed"
echo "tests: $((executed - failed - skipped)) passed, $failed failed, $skipped skipped"
