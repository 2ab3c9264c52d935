#!/usr/bin/env bash
# CI: install the database servers (Debian packages) and start private test instances.
# Afterwards, tests find the URLs in .db/env (or: `. scripts/db/env.sh`).
set -euo pipefail
here=$(dirname "${BASH_SOURCE[0]}")
bash "$here/install.sh"
bash "$here/locales.sh"
bash "$here/start.sh"
bash "$here/start-crossed.sh"
