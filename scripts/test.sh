#!/usr/bin/env bash
# Install what the tests need and run the whole suite, browser tests included: on SQLite (the default),
# and again on a throwaway PostgreSQL server on 127.0.0.1 (tests/pg_server.py starts and removes it).
# Installs, only where missing: Debian's Chromium and PostgreSQL (apt-get); a virtual environment in
# .venv with the pinned app and test requirements. Lint (ruff), types (mypy) and the GitHub workflows (zizmor,
# offline) run first and stop the run on a finding; at the end, the work tree must be as the run found it.
# Extra arguments go to pytest.
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

# Nothing stray: the run must leave the work tree as it found it (a test or script once wrote a database into
# it, and it was committed). What `git status` shows now is compared with what it shows at the end.
tree_state() { git status --porcelain --untracked-files=all 2>/dev/null || true; }
tree_before=$(tree_state)

echo "== lint (ruff), types (mypy) and the workflows (zizmor, offline)"
.venv/bin/ruff check .
# mypy's cache outside the clone, so a later run on the same machine (CI clones afresh) checks only what changed
# (a cold check is about a minute of CPU); mypy compares each file's hash with the cache's, so a stale entry is never used.
.venv/bin/mypy --cache-dir "${XDG_CACHE_HOME:-$HOME/.cache}/il2-dashboard/mypy"
.venv/bin/zizmor --offline --persona=pedantic --strict-collection .github/workflows/

# The suite runs on SQLite (the default) and again on PostgreSQL, in two steps that keep a two-core
# machine busy (CI must stay under 20 minutes):
#  1. the tests without a browser, on both engines side by side, each pass in two processes (pytest-xdist;
#     on PostgreSQL each worker with databases of its own, a test file's tests on one worker), so that both
#     cores stay busy until the last test;
#  2. the browser tests on SQLite, two at a time (pytest-xdist, each worker its own server and Chromium),
#     then the twenty-sessions test alone (twenty websocket clients on one server).
# Not run twice: what the engine cannot change, and the tests marked sqlite_only, which make SQLite databases of
# their own whatever the engine (tests/conftest.py leaves them out on PostgreSQL). The browser tests check what Chromium draws; on PostgreSQL
# every page still runs in AppTest for every filter, and tests/test_concurrent_readers.py puts twenty
# concurrent readers on its connection pool. The
# 30-indication checks and the palette use SQLite portfolios of their own; the parser fuzzing, the regimen
# reader, units and schedules, the parsers, PubMed's XML and its client, the reporting rule, the dosing view's
# frames, the import rules, the portfolio's classifier and the workflow lint touch no database.
logs=$(mktemp -d)
pass_ok() { [ "$1" -eq 0 ] || [ "$1" -eq 5 ]; }  # 5: nothing selected (an argument such as -k chose none here)
echo "== 1. the tests without a browser, on SQLite and on PostgreSQL side by side"
set +e
.venv/bin/python -m pytest -n 2 --ignore=tests/browser --basetemp="$logs/tmp-sqlite" "$@" >"$logs/sqlite.log" 2>&1 &
sqlite_pid=$!
no_database=(test_app_thirty.py test_palette.py test_parser_fuzz.py test_dosing_reader.py test_dosing_units.py
             test_schedules_statistics.py test_parsers.py test_pubmed_article.py test_pubmed_client.py
             test_reporting.py test_dosing_view.py test_imports.py test_workflow.py test_portfolio.py)
.venv/bin/python -m tests.pg_server -- .venv/bin/python -m pytest -n 2 --dist loadfile --ignore=tests/browser \
  "${no_database[@]/#/--ignore=tests/}" --basetemp="$logs/tmp-pg" "$@" >"$logs/pg.log" 2>&1 &
pg_pid=$!
wait "$sqlite_pid"; sqlite_rc=$?
wait "$pg_pid"; pg_rc=$?
set -e
echo "-- on SQLite:"; cat "$logs/sqlite.log"
echo "-- on PostgreSQL:"; cat "$logs/pg.log"
pass_ok "$sqlite_rc" && pass_ok "$pg_rc" || { echo "failed: SQLite exit $sqlite_rc, PostgreSQL exit $pg_rc"; exit 1; }
echo "== 2. the browser tests on SQLite, two at a time (each its own server and Chromium), then many users at once"
rc=0; .venv/bin/python -m pytest -n 2 tests/browser --ignore=tests/browser/test_many_users.py "$@" || rc=$?
pass_ok "$rc" || exit "$rc"
rc=0; .venv/bin/python -m pytest tests/browser/test_many_users.py "$@" || rc=$?
pass_ok "$rc" || exit "$rc"
rm -rf "$logs"
echo "== nothing stray: the work tree as the run found it"
tree_after=$(tree_state)
if [ "$tree_before" != "$tree_after" ]; then
  echo "the test run changed the work tree (git status --porcelain, before and after):"
  diff <(printf '%s\n' "$tree_before") <(printf '%s\n' "$tree_after") || true
  exit 1
fi
echo "git status: as before the run"
