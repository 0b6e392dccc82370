#!/usr/bin/env bash
# The one-folder build (PyInstaller, pinned in pyproject's "build" extra), then its smoke test.
#
#   bash scripts/build.sh            -> dist/desk-app-VERSION/ with SHA256SUMS inside
#
# The frozen folder needs what the screens need from the OS (the README's apt line); building
# needs nothing more than the project's venv. On Windows, see "Building on Windows" in the
# README (the same spec and smoke script, from PowerShell).
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PY" -m venv .venv
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -e '.[build]'
rm -rf dist build/pyinstaller
.venv/bin/pyinstaller --noconfirm --clean --log-level WARN \
  --distpath dist --workpath build/pyinstaller build.spec
VERSION=$(.venv/bin/python -c "import tomllib;print(tomllib.load(open('pyproject.toml','rb'))['project']['version'])")
exec .venv/bin/python scripts/smoke_build.py "dist/desk-app-$VERSION"
