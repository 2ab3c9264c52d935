#!/usr/bin/env bash
# Regenerates the dialect grammars (Grammars/dialects/*.md) and the rule pages (docs/rules/*.md)
# from the code. Review the diff by hand before committing: GrammarAgreementTests and
# RuleDocsTests fail whenever the checked-in files and the code disagree.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product templatec >/dev/null
mkdir -p Grammars/dialects docs/rules
.build/debug/templatec rules --write-grammars Grammars/dialects
.build/debug/templatec rules --write-docs docs/rules
git --no-pager diff --stat -- Grammars docs/rules || true
