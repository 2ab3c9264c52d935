#!/usr/bin/env bash
# Python tools the tests use, in a virtual environment of the project's own: .build/venv (never the
# system Python). Each file in scripts/ci/requirements/ is one group of tools for one set of tests;
# a group that cannot be installed is reported and its tests skip, the other groups still install.
# pip downloads are cached in the machine's cache, outside the clone (TEMPLATEC_CACHE_DIR, else
# ~/.cache/templatec), so a second run on the same machine, in this clone or a fresh one (CI's), is
# quick; without a home directory, in .build/cache.
# Tests find the interpreter in TEMPLATEC_PYTHON (scripts/test.sh exports it).
set -uo pipefail
cd "$(dirname "$0")/../.."
venv=.build/venv
mkdir -p .build
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv" || { echo "python-deps: cannot create $venv (python3 -m venv failed)"; exit 1; }
fi
# No bytecode at install time: pip would compile every module of every package (pyspark alone has
# thousands); Python compiles what a test imports, when it imports it.
if [ -n "${TEMPLATEC_CACHE_DIR:-}" ]; then cache=$TEMPLATEC_CACHE_DIR
elif [ -n "${HOME:-}" ]; then cache=${XDG_CACHE_HOME:-$HOME/.cache}/templatec
else cache=$PWD/.build/cache; fi
export PIP_CACHE_DIR=$cache/pip PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_COMPILE=1
status=0
# The groups whose requirements changed since they were installed (each leaves a stamp).
pending=()
for req in scripts/ci/requirements/*.txt; do
  stamp="$venv/.installed-$(basename "$req" .txt)"
  if [ -f "$stamp" ] && cmp -s "$req" "$stamp"; then continue; fi
  pending+=("$req")
done
[ ${#pending[@]} -eq 0 ] && exit 0

install_group() {  # install_group FILE: one group alone, with its `#pip:` options
  local req=$1 group started options
  group=$(basename "$req" .txt)
  started=$SECONDS
  # A line `#pip: OPTIONS` in the file adds options for that group (e.g. --no-deps).
  read -r -a options <<<"$(sed -n 's/^#pip://p' "$req" | tr '\n' ' ')"
  if "$venv/bin/python" -m pip install --quiet "${options[@]}" -r "$req" >".build/pip-$group.log" 2>&1; then
    cp "$req" "$venv/.installed-$group"
    echo "python-deps: installed group '$group' in $((SECONDS - started)) s"
  else
    echo "python-deps: group '$group' did not install (see .build/pip-$group.log); its tests skip"
    status=1
  fi
}

# The groups without options go in one pip run (one resolution, one pip start-up); when that
# fails, each is installed alone, so a group that cannot be installed does not hold back the others.
plain=() special=()
for req in "${pending[@]}"; do
  if grep -q '^#pip:' "$req"; then special+=("$req"); else plain+=("$req"); fi
done
if [ ${#plain[@]} -gt 0 ]; then
  started=$SECONDS
  if "$venv/bin/python" -m pip install --quiet "${plain[@]/#/-r}" >.build/pip-groups.log 2>&1; then
    for req in "${plain[@]}"; do cp "$req" "$venv/.installed-$(basename "$req" .txt)"; done
    echo "python-deps: installed $(for r in "${plain[@]}"; do basename "$r" .txt; done | paste -sd, -) in $((SECONDS - started)) s"
  else
    echo "python-deps: the groups together did not install (see .build/pip-groups.log): installing each alone"
    for req in "${plain[@]}"; do install_group "$req"; done
  fi
fi
for req in "${special[@]}"; do install_group "$req"; done
exit $status
