#!/usr/bin/env bash
# `make test`: install what the tests need, then
#   1. manage.py makemigrations --check --dry-run
#   2. the lock files match pyproject.toml; ruff check .; ruff format --check .;
#      lint-imports (the layer contracts in pyproject.toml); mypy (the files in [tool.mypy])
#   3. pytest on SQLite (every test; the browser tests only when step 4 does not run)
#   4. when CI=true or TEST_POSTGRES=1: pytest again on PostgreSQL 15 + Redis, browser
#      tests included
#   5. when CI=true or TEST_DATES=1: the tests on SQLite as if today were one of the
#      1st of a month, 31 December, 1 January and 29 February (QAPORTAL_TEST_TODAY),
#      to prove that no test depends on the real date (all but the URL sweeps no date
#      changes: see DATED_IGNORES). That is step 3's own day for the tests a dated pass
#      runs (see SQLITE_DAY). By default the day turns with the real date, one of the
#      four each day, so that CI stays within its half hour and every day comes round
#      within four days; QAPORTAL_TEST_DATES="YYYY-MM-DD ..." runs every day it names
#      (the first in step 3, each other in a pass of its own).
# Every step runs even when an earlier one failed; the run fails if any step failed,
# and the last line says which. Arguments are passed to pytest (make test ARGS="-k x").
#
# Environment: QAPORTAL_TEST_WORKERS=N runs the tests other than the browser tests with N
# xdist workers (default 2); QAPORTAL_BROWSER_WORKERS=N the browser tests (default 2: each
# worker has its own live server, database and Chromium; a browser test spends half its
# time waiting on the page, so two of them share the two cores well);
# TEST_POSTGRES=0 skips the PostgreSQL pass even on CI; TEST_DATES=0 the dated passes;
# QAPORTAL_TEST_DATES="YYYY-MM-DD ..." chooses the days (all of them run);
# QAPORTAL_BROWSER_BOTH=1 runs the browser tests on SQLite as well as on PostgreSQL.
set -euo pipefail

# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$QA_ROOT"

PYTEST_ARGS=("$@")
WORKERS="${QAPORTAL_TEST_WORKERS:-2}"
BROWSER_WORKERS="${QAPORTAL_BROWSER_WORKERS:-2}"
case "${CI:-}" in true|TRUE|True|1|yes) on_ci=1 ;; *) on_ci=0 ;; esac
case "${TEST_POSTGRES:-}" in
    1|true|yes) with_postgres=1 ;;
    0|false|no) with_postgres=0 ;;
    *) with_postgres=$on_ci ;;
esac

case "${TEST_DATES:-}" in
    1|true|yes) with_dates=1 ;;
    0|false|no) with_dates=0 ;;
    *) with_dates=$on_ci ;;
esac
# The 1st of a month (after a short February), the last and first days of a year, and a
# leap day: where month, year and "last month" arithmetic goes wrong. Unless the days
# are named, one of them, turning with the real date: four dated passes of the whole
# suite took CI past half an hour on two cores.
EDGE_DAYS=(2027-03-01 2026-12-31 2027-01-01 2028-02-29)
if [ -n "${QAPORTAL_TEST_DATES:-}" ]; then
    read -r -a TEST_DAYS <<<"$QAPORTAL_TEST_DATES"
else
    TEST_DAYS=("${EDGE_DAYS[$(($(date -u +%s) / 86400 % ${#EDGE_DAYS[@]}))]}")
fi
# With the dated passes on, the SQLite pass runs the tests a dated pass runs as if today
# were the first of the days, and dated passes take any other days: that day's dated
# pass would run the same tests on the same database again. The tests a dated pass
# leaves out (DATED_IGNORES: the browser tests, the URL sweeps, the migration tests) run
# on the real clock as before, and so does the whole PostgreSQL pass, so the suite still
# runs as it does in production, clocks agreeing, at whatever time of day CI runs. With
# pytest arguments every day keeps its own pass.
SQLITE_DAY=""
DATED_DAYS=("${TEST_DAYS[@]}")
if [ $with_dates -eq 1 ] && [ ${#PYTEST_ARGS[@]} -eq 0 ] && [ ${#TEST_DAYS[@]} -gt 0 ]; then
    SQLITE_DAY="${TEST_DAYS[0]}"
    DATED_DAYS=("${TEST_DAYS[@]:1}")
fi

SUMMARY=()
FAILED=()
started_all=$SECONDS

finish() {
    local rc=${1:-$?}
    [ "$rc" -eq 0 ] && [ ${#FAILED[@]} -gt 0 ] && rc=1
    echo
    local total=$((SECONDS - started_all))
    if [ "$rc" -eq 0 ]; then
        echo "make test: PASSED in ${total}s -- ${SUMMARY[*]}"
    elif [ "$rc" -eq 130 ] || [ "$rc" -eq 143 ]; then
        echo "make test: INTERRUPTED after ${total}s -- ${SUMMARY[*]:-}"
    else
        echo "make test: FAILED (${FAILED[*]:-bootstrap}) in ${total}s -- ${SUMMARY[*]:-}"
    fi
    exit "$rc"
}
trap finish EXIT
# A signal ends the run through `exit`, so the EXIT trap still reports (and stops the
# test servers); bash would otherwise die without running it.
trap 'exit 130' INT
trap 'exit 143' TERM

# step NAME COMMAND...: run, time and record one step; never stops the script.
step() {
    local name=$1 rc=0 t0=$SECONDS
    shift
    echo
    qa_log "[$name] $*"
    "$@" || rc=$?
    local took=$((SECONDS - t0))
    if [ $rc -eq 0 ]; then
        SUMMARY+=("$name:ok(${took}s)")
    else
        SUMMARY+=("$name:FAIL[exit $rc](${took}s)")
        FAILED+=("$name")
        qa_warn "[$name] failed with exit code $rc"
    fi
    return 0
}

# pytest with the given arguments; "collected no tests" (exit code 5) is a failure.
pytest_checked() {
    local rc=0
    "$QA_PY" -m pytest -q -ra --durations=5 "$@" || rc=$?
    if [ $rc -eq 5 ]; then
        qa_warn "pytest collected no tests (exit code 5): that counts as a failure"
    fi
    return $rc
}

# -p xdist -n N, or nothing for one worker. With --dist loadgroup the tests of a module
# marked xdist_group (those sharing one loaded demo) stay on one worker, so the demo is
# loaded once, not on each worker; other tests are shared out one by one as before.
xdist_args() {
    [ "$1" -gt 1 ] && echo "-p xdist -n $1 --dist loadgroup"
    return 0
}

# The whole suite: everything but the browser tests on $WORKERS xdist workers, then the
# browser tests on $BROWSER_WORKERS (unless $2 is 0). Given a day ($1), the tests a dated
# pass runs run as if today were that day, and the others on the real clock. With
# arguments (make test ARGS=...), one run of exactly those.
run_pytest() {
    local day=${1:-} with_browser=${2:-1} xdist browser_xdist
    read -r -a xdist <<<"$(xdist_args "$WORKERS")"
    read -r -a browser_xdist <<<"$(xdist_args "$BROWSER_WORKERS")"
    if [ ${#PYTEST_ARGS[@]} -gt 0 ]; then
        pytest_checked "${xdist[@]}" "${PYTEST_ARGS[@]}"
        return
    fi
    local rc=0
    if [ -n "$day" ]; then
        qa_log "the tests a dated pass runs, as if today were $day"
        QAPORTAL_TEST_TODAY="$day" pytest_checked "${xdist[@]}" "${DATED_IGNORES[@]}" tests \
            || rc=$?
        qa_log "the tests a dated pass leaves out (but the browser tests), on the real clock"
        # shellcheck disable=SC2206  # the glob names the migration tests' files
        local undated=("${UNDATED[@]}" $UNDATED_GLOB)
        pytest_checked "${xdist[@]}" "${undated[@]}" || rc=$?
    else
        pytest_checked "${xdist[@]}" --ignore=tests/browser || rc=$?
    fi
    if [ "$with_browser" -eq 1 ]; then
        # No test asserts how long it takes (speed is measured by hand with tests/perf/);
        # --durations=5 reports the slowest, the long browser journeys among them.
        pytest_checked "${browser_xdist[@]}" tests/browser || rc=$?
    else
        qa_log "the browser tests run once, in the PostgreSQL pass (QAPORTAL_BROWSER_BOTH=1: here too)"
    fi
    return $rc
}

run_pytest_postgres() {
    if ! bash scripts/services.sh start; then
        return 1
    fi
    local rc=0 urls
    urls="$(bash scripts/services.sh env)" || return 1
    (eval "$urls" && run_pytest) || rc=$?
    if ! bash scripts/services.sh stop && [ $rc -eq 0 ]; then rc=1; fi
    return $rc
}

# The suite as if today were $1, on $WORKERS workers, without the tests that check every URL
# for what no date changes: the browser tests (pages, not the calendar), the security
# headers, redirects and no-store sweeps, and the access walk over the test scenario (who
# may open each URL; each page's own tests run), and the migration tests, whose rows carry
# fixed dates. Each of these still runs, on the real clock, on SQLite and PostgreSQL
# above. The access walk over the demo (tests/test_access_demo.py) runs on every day: the
# demo is loaded as of today, so which records it has, and which of them the walk opens,
# change with the date (it once found no open challenge on 1 March 2027).
UNDATED=(
    tests/qaportal/test_security_headers.py
    tests/qaportal/test_redirects.py
    tests/qaportal/test_no_store.py
    tests/test_access.py
)
UNDATED_GLOB="tests/*/test_migrations.py"
DATED_IGNORES=(--ignore=tests/browser "--ignore-glob=$UNDATED_GLOB")
for path in "${UNDATED[@]}"; do DATED_IGNORES+=("--ignore=$path"); done
run_pytest_on_day() {
    local xdist
    read -r -a xdist <<<"$(xdist_args "$WORKERS")"
    QAPORTAL_TEST_TODAY="$1" pytest_checked "${xdist[@]}" "${DATED_IGNORES[@]}" \
        "${PYTEST_ARGS[@]}"
}

stop_services_on_exit() {
    local rc=$?
    bash scripts/services.sh stop >/dev/null 2>&1 || true
    finish "$rc"
}

# --- bootstrap: any failure here ends the run ---------------------------------------
t0=$SECONDS
qa_system_test_deps
[ $with_postgres -eq 1 ] && qa_system_postgres
qa_venv
qa_python_deps test
qa_run_dirs
SUMMARY+=("bootstrap:ok($((SECONDS - t0))s)")

# Tests must not pick up a developer's or a CI machine's own service settings.
unset DATABASE_URL CELERY_BROKER_URL CELERY_RESULT_BACKEND REDIS_URL DJANGO_SETTINGS_MODULE
export PYTHONDONTWRITEBYTECODE=1

step makemigrations "$QA_PY" manage.py makemigrations --check --dry-run \
    --settings qaportal.settings.test
step lock "$QA_PY" scripts/check_lock.py
step ruff "$QA_VENV/bin/ruff" check .
step ruff-format "$QA_VENV/bin/ruff" format --check .
step lint-imports "$QA_VENV/bin/lint-imports" --no-cache
step mypy "$QA_VENV/bin/mypy"
# The browser tests (a third of the suite's time) run once: on PostgreSQL, the production
# database, when that pass runs, else here. Every page they open is also requested on
# both databases by the non-browser tests; running them twice took CI past half an hour.
sqlite_browser=1
if [ $with_postgres -eq 1 ] && [ "${QAPORTAL_BROWSER_BOTH:-0}" != 1 ]; then
    sqlite_browser=0
fi
step pytest-sqlite run_pytest "$SQLITE_DAY" "$sqlite_browser"
if [ $with_postgres -eq 1 ]; then
    # Both servers are stopped however this run ends.
    trap stop_services_on_exit EXIT
    step pytest-postgres run_pytest_postgres
    trap finish EXIT
else
    SUMMARY+=("pytest-postgres:skipped(set TEST_POSTGRES=1)")
fi
if [ $with_dates -eq 1 ]; then
    for day in "${DATED_DAYS[@]}"; do
        step "pytest-on-$day" run_pytest_on_day "$day"
    done
else
    SUMMARY+=("pytest-on-other-days:skipped(set TEST_DATES=1)")
fi
