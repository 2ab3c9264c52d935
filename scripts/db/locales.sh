#!/usr/bin/env bash
# A Latin-1 locale for the single-byte PostgreSQL database of StoredTextRealEngineTests (a bare
# non-ASCII capital folds to another table there). Debian ships the locale's source in `locales`;
# localedef compiles it into /usr/lib/locale. Idempotent; a failure only makes that test skip.
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
if locale -a 2>/dev/null | grep -qi '^fr_FR\.iso88591$'; then log "locale fr_FR.ISO-8859-1 present"; exit 0; fi
if ! command -v localedef >/dev/null || [ ! -e /usr/share/i18n/locales/fr_FR ]; then
  if is_root; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends locales >/dev/null 2>&1 \
      || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends locales >/dev/null 2>&1; } \
      || { log "cannot install the locales package: the Latin-1 test skips"; exit 0; }
  else
    log "no locale sources and not root: the Latin-1 test skips"; exit 0
  fi
fi
if is_root; then
  localedef --no-archive -i fr_FR -f ISO-8859-1 fr_FR.ISO-8859-1 2>/dev/null \
    && log "locale fr_FR.ISO-8859-1 made" || log "localedef failed: the Latin-1 test skips"
else
  log "making a locale needs root: the Latin-1 test skips"
fi
