#!/usr/bin/env bash
# Install the database servers and clients the end-to-end tests use, from Debian's repository.
# Idempotent: installs only what is missing, and runs apt-get update only when something is.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

wanted=(postgresql mariadb-server mariadb-client clickhouse-server clickhouse-client)
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then log "all installed: ${wanted[*]}"; exit 0; fi

is_root || die "installing ${missing[*]} needs root (apt-get): run as root or with sudo"
export DEBIAN_FRONTEND=noninteractive
# Do not let the packages start the distribution's own services: start.sh runs private instances.
policy=/usr/sbin/policy-rc.d; created_policy=0
if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod +x "$policy"; created_policy=1; fi
trap '[ $created_policy -eq 1 ] && rm -f "$policy"' EXIT
log "installing: ${missing[*]}"
apt-get install -y --no-install-recommends "${missing[@]}" >/dev/null 2>&1 || {
  log "apt-get install failed; updating the package lists and retrying"
  apt-get update -qq || die "apt-get update failed: check network access to the Debian repository"
  apt-get install -y --no-install-recommends "${missing[@]}" || die "apt-get install ${missing[*]} failed"
}
log "installed: ${missing[*]}"
