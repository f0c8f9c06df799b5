#!/usr/bin/env bash
# Install what the tests need and run the whole suite, browser tests included, twice: on SQLite (the
# default) and on a throwaway PostgreSQL server on 127.0.0.1 (tests/pg_server.py starts and removes it).
# Installs, only where missing: Debian's Chromium and PostgreSQL (apt-get); a virtual environment in
# .venv with the pinned app and test requirements. Lint (ruff) and types (mypy) run first and stop the
# run on a finding. Extra arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium fonts-dejavu-core)
compgen -G "/usr/lib/postgresql/*/bin/initdb" >/dev/null || missing+=(postgresql)
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

python=${PYTHON:-python3}
[ -x .venv/bin/python ] || "$python" -m venv .venv
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r requirements.txt -r requirements-test.txt

echo "== lint (ruff) and types (mypy)"
.venv/bin/ruff check .
.venv/bin/mypy
echo "== the suite on SQLite"
.venv/bin/python -m pytest "$@"
echo "== the suite on PostgreSQL"
# Everything that reads or writes a database runs again on PostgreSQL. Not run twice: the phone-layout and
# axe-core audits of every page, and the 30-indication layout checks (what they test is the frontend, and the
# 30-indication portfolio is a SQLite file of its own), and the parser fuzzing (no database). They take half
# of a pass, and the engine cannot change their outcome.
.venv/bin/python -m tests.pg_server -- .venv/bin/python -m pytest \
  --ignore=tests/browser/test_any_screen.py --ignore=tests/browser/test_thirty_indications.py \
  --ignore=tests/test_app_thirty.py --ignore=tests/test_parser_fuzz.py "$@"
