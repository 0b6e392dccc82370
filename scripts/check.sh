#!/usr/bin/env bash
# Static checks (after scripts/test.sh has set up .venv): lint, format, types. Zero findings.
set -euo pipefail
cd "$(dirname "$0")/.."
.venv/bin/ruff check .
.venv/bin/ruff format --check .
.venv/bin/mypy   # files and strictness: [tool.mypy] in pyproject.toml
