#!/usr/bin/env bash
# Set up (a .venv with the project and its test extras) and run the whole test suite.
# PostgreSQL tests run when DESK_APP_TEST_PG is set (and then fail loudly without a server);
# otherwise they are skipped with the reason. Extra arguments go to pytest.
# The tests run in parallel, one worker per core (pytest-xdist; each test has its own database
# and folders); DESK_APP_TEST_WORKERS=0 runs them in this process, one after another.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check --upgrade pip
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest -n "${DESK_APP_TEST_WORKERS:-auto}" "$@"
