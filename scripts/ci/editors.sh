#!/usr/bin/env bash
# The editors the language server is tested in (LSPNeovimTests): Debian's Neovim, installed when
# missing. A machine without apt or without the package: the test skips with the reason.
set -uo pipefail
if command -v nvim >/dev/null 2>&1; then exit 0; fi
if ! command -v apt-get >/dev/null 2>&1; then echo "editors: no apt-get; the Neovim test skips"; exit 1; fi
{ apt-get install -y neovim || { apt-get update && apt-get install -y neovim; }; } >.build/apt-neovim.log 2>&1 \
  || { echo "editors: neovim did not install (see .build/apt-neovim.log); the Neovim test skips"; exit 1; }
