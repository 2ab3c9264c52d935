#!/usr/bin/env bash
# What the engine stand-ins and grammar oracles need beyond the Python packages (those come from
# scripts/ci/requirements/{engines-chdb,engines-spark,oracles}.txt through scripts/ci/python-deps.sh):
# a Java runtime for Spark (Debian's openjdk-17-jre-headless, installed only when `java` is missing),
# and ZetaSQL's compiled WebAssembly module, cached in the machine's cache (see
# scripts/engines/grammar_oracle.py) so tests do not compile it.
# The engines themselves start from the tests (Tests/EndToEndTests/LocalEngines.swift).
# Usage: scripts/engines/setup.sh [java|oracles]   (both by default; scripts/test.sh runs the two
#        parts apart: Java with the other apt installs, the module after the Python packages)
set -uo pipefail
cd "$(dirname "$0")/../.."
part=${1:-all}
status=0
if [ "$part" != oracles ] && ! command -v java >/dev/null 2>&1; then
  echo "engines: no java on PATH: installing openjdk-17-jre-headless for Spark"
  if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null; }; then
    echo "engines: Java could not be installed: the Spark tests skip"
    status=1
  fi
fi
python=.build/venv/bin/python
if [ "$part" != java ] && [ -x "$python" ] && "$python" -c "import zetasql" 2>/dev/null; then
  # Compiles the module once (about 25 s) unless the cache has it.
  "$python" - <<'PY' || status=1
import sys
sys.path.insert(0, "scripts/engines")
import grammar_oracle
grammar_oracle.ZetaSQLParser().parse("SELECT 1")
PY
fi
exit $status
