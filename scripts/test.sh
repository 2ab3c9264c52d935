#!/usr/bin/env bash
# Runs every test: unit, golden fixtures, end-to-end on the built binary, real database round
# trips (PostgreSQL, MariaDB, ClickHouse started on private loopback ports) and a fuzz smoke run.
# Usage: scripts/test.sh            (installs and starts what it needs; works on a fresh clone)
#        SKIP_DB=1 scripts/test.sh  (no database servers: those tests skip)
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

mkdir -p .build
: >.build/step-times.txt
# timed NAME COMMAND…: runs the command and records how long it took (printed at the end).
timed() {
  local name=$1 started=$SECONDS rc=0
  shift
  "$@" || rc=$?
  echo "$name: $((SECONDS - started)) s" >>.build/step-times.txt
  return $rc
}

if [ -z "${SKIP_DB:-}" ]; then
  echo "== starting database servers"
  timed "database servers" bash scripts/db/ci-setup.sh
  # The servers are up: a database test that cannot reach one fails instead of skipping.
  export TEMPLATEC_REQUIRE_DATABASES=1
fi
if [ -f scripts/db/env.sh ]; then
  # shellcheck disable=SC1091
  . scripts/db/env.sh
fi
# The tools the tests need install while Swift builds (they need nothing of each other's): the
# apt installs one after another (apt takes a lock), the Python packages and then ZetaSQL's compiled
# module beside them. Each writes its log; it is printed once the build is done.
apt_tools() {
  if [ -x scripts/ci/editors.sh ]; then
    echo "== editors for the language server's tests (Neovim)"
    timed "editors (Neovim)" scripts/ci/editors.sh || echo "Neovim is unavailable: its test skips"
  fi
  if [ -x scripts/engines/setup.sh ]; then
    echo "== Java for Spark"
    timed "java" scripts/engines/setup.sh java || echo "Java is unavailable: the Spark tests skip"
  fi
}
python_tools() {
  if [ -x scripts/ci/python-deps.sh ]; then
    echo "== python tools (.build/venv)"
    timed "python tools (pip)" scripts/ci/python-deps.sh || echo "some python tools are unavailable: the tests that need them skip"
  fi
  if [ -x scripts/engines/setup.sh ]; then
    echo "== grammar oracles (ZetaSQL's compiled module)"
    timed "grammar oracles (ZetaSQL module)" scripts/engines/setup.sh oracles || echo "some grammar oracles are unavailable: the tests that need them skip"
  fi
}
apt_tools >.build/setup-apt.log 2>&1 &
apt_pid=$!
python_tools >.build/setup-python.log 2>&1 &
python_pid=$!

echo "== build (the tools install meanwhile)"
build() {
  swift build --build-tests 2>&1 | grep -Ev '^\[[0-9]+/[0-9]+\]|^Compiling|^Building|^Write' || true
  swift build --build-tests >/dev/null  # fails the script if the build above failed
}
timed "swift build (debug, tests)" build

# The end-to-end tests run the product as people run it: the release build.
release() {
  swift build -c release --product templatec 2>&1 | grep -E "error|warning: unre|Compiling templatec" || true
  swift build -c release --product templatec >/dev/null
}
timed "swift build (release templatec)" release
export TEMPLATEC_BINARY="$repo/.build/release/templatec"

waited=$SECONDS
wait $apt_pid || true
wait $python_pid || true
echo "waited $((SECONDS - waited)) s for the tools after the build" >>.build/step-times.txt
cat .build/setup-apt.log .build/setup-python.log
# The interpreter of the project's venv, for tests that drive Python tools (a missing venv: python3).
if [ -x .build/venv/bin/python ]; then export TEMPLATEC_PYTHON="$repo/.build/venv/bin/python"; fi

echo "== tests"
tests() {
  swift test --skip-build --disable-swift-testing 2>&1 | tee .build/test-output.txt | grep -Ev '^Test Case .* (started|passed)'
}
timed "swift test" tests || { tail -50 .build/test-output.txt; exit 1; }
grep -qE "Executed [1-9][0-9]* tests?" .build/test-output.txt || { echo "no test ran"; exit 1; }
# The closing line of XCTest's whole run, restated plainly: "N passed, N failed, N skipped".
summary=$(grep -E "^[[:space:]]*Executed [0-9]+ tests?" .build/test-output.txt | tail -1)
executed=$(echo "$summary" | sed -E 's/.*Executed ([0-9]+) tests?.*/\1/')
failed=$(echo "$summary" | sed -E 's/.* ([0-9]+) failures?.*/\1/')
skipped=$(echo "$summary" | grep -oE '[0-9]+ tests? skipped' | grep -oE '^[0-9]+' || echo 0)

if [ -x scripts/fuzz.sh ] && [ -z "${SKIP_FUZZ:-}" ]; then
  echo "== fuzz smoke run"
  timed "fuzz smoke run" scripts/fuzz.sh 15 all
fi
# The slowest tests and each step's time, for whoever watches CI's budget.
echo "== step times"
cat .build/step-times.txt
grep -E "^Test Case .* passed \(" .build/test-output.txt | sed -E "s/.*'(.*)' passed \((.*) seconds\)/\2 \1/" | sort -rn | head -8 | sed 's/^/  slowest: /' || true
echo "== all tests passed"
echo "tests: $((executed - failed - skipped)) passed, $failed failed, $skipped skipped"
