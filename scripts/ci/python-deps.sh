#!/usr/bin/env bash
# Python tools the tests use, in a virtual environment of the project's own: .build/venv (never the
# system Python). Each file in scripts/ci/requirements/ is one group of tools for one set of tests;
# a group that cannot be installed is reported and its tests skip, the other groups still install.
# pip downloads are cached in .build/pip-cache, so a second run on the same machine is quick.
# Tests find the interpreter in TEMPLATEC_PYTHON (scripts/test.sh exports it).
set -uo pipefail
cd "$(dirname "$0")/../.."
venv=.build/venv
mkdir -p .build
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" || { echo "python-deps: cannot create $venv (python3 -m venv failed)"; exit 1; }
fi
export PIP_CACHE_DIR=$PWD/.build/pip-cache PIP_DISABLE_PIP_VERSION_CHECK=1
status=0
for req in scripts/ci/requirements/*.txt; do
  group=$(basename "$req" .txt)
  stamp="$venv/.installed-$group"
  # Reinstall a group only when its requirements changed.
  if [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then continue; fi
  # A line `#pip: OPTIONS` in the file adds options for that group (e.g. --no-deps).
  read -r -a options <<<"$(sed -n 's/^#pip://p' "$req" | tr '\n' ' ')"
  if "$venv/bin/python" -m pip install --quiet "${options[@]}" -r "$req" >".build/pip-$group.log" 2>&1; then
    cp "$req" "$stamp"
  else
    echo "python-deps: group '$group' did not install (see .build/pip-$group.log); its tests skip"
    status=1
  fi
done
exit $status
