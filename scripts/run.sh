#!/usr/bin/env bash
# `make run`: the embedded set-up on one machine with nothing but python3.
# Sets up .venv, migrates the SQLite database, loads the demo data, then runs the web
# server, a Celery worker and Celery beat together (dev settings: SQLite and the
# filesystem broker under .run/). Ctrl-C stops all three.
#
# Environment: HOST (127.0.0.1), PORT (8000), QAPORTAL_RUN_DIR (.run), DJANGO_DEBUG
# (false: the service's own error pages; `make run-debug` sets it true).
set -euo pipefail

# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$QA_ROOT"

HOST="${HOST:-127.0.0.1}"
PORT="${PORT:-8000}"
export DJANGO_SETTINGS_MODULE=qaportal.settings.dev
export QAPORTAL_RUN_DIR="$QA_RUN"
export PYTHONUNBUFFERED=1

qa_venv
qa_python_deps
qa_run_dirs

if [ -n "$(ss -Hltn "sport = :$PORT" 2>/dev/null)" ]; then
    qa_die "port $PORT is already in use (another make run?); try PORT=8001 make run"
fi

qa_log "migrate"
"$QA_PY" manage.py migrate --noinput
qa_log "load_demo"
"$QA_PY" manage.py load_demo

# Each child runs in its own process group (job control), so the terminal's Ctrl-C
# reaches only this script, which then stops every group in order: the runserver
# reloader's child and the worker's pool processes go with their parents.
set -m
PIDS=()
NAMES=()

# start NAME COMMAND...: run in the background, each output line prefixed with NAME.
start() {
    local name=$1
    shift
    "$@" > >(trap '' INT TERM; exec sed -u "s/^/[$name] /") 2>&1 &
    PIDS+=($!)
    NAMES+=("$name")
}

stopping=0
force=0
stop_all() {
    [ $stopping -eq 1 ] && return 0
    stopping=1
    # A second Ctrl-C while waiting kills whatever is left at once.
    trap 'force=1' INT TERM
    echo
    qa_log "stopping web, worker and beat (Ctrl-C again to kill them at once)"
    local pid i
    # Celery stops its own pool processes (warm shutdown); runserver's autoreloader
    # does not stop its child, so the web server gets the signal as a whole group.
    for i in "${!PIDS[@]}"; do
        if [ "${NAMES[$i]}" = web ]; then
            kill -TERM -- "-${PIDS[$i]}" 2>/dev/null || true
        else
            kill -TERM "${PIDS[$i]}" 2>/dev/null || true
        fi
    done
    # A worker's warm shutdown takes 5-8 s here; give up after 30 s.
    for i in $(seq 1 150); do
        local alive=0
        for pid in "${PIDS[@]}"; do kill -0 -- "-$pid" 2>/dev/null && alive=1; done
        [ $alive -eq 0 ] || [ $force -eq 1 ] && break
        sleep 0.2
    done
    for pid in "${PIDS[@]}"; do kill -KILL -- "-$pid" 2>/dev/null || true; done
    wait 2>/dev/null || true
    qa_log "stopped"
}
trap 'stop_all; exit 130' INT
trap 'stop_all; exit 143' TERM
trap 'stop_all' EXIT

start worker "$QA_VENV/bin/celery" -A qaportal worker -l info --concurrency 1 \
    --hostname "worker@%h"
start beat "$QA_VENV/bin/celery" -A qaportal beat -l info
# --nostatic: WhiteNoise serves static files, as in production (settings/dev.py).
start web "$QA_PY" manage.py runserver --nostatic "$HOST:$PORT"

# Say where to go once the server answers.
url="http://$HOST:$PORT/"
for _ in $(seq 1 100); do
    if "$QA_PY" -c "import socket,sys; socket.create_connection(('$HOST', $PORT), 0.5)" \
            2>/dev/null; then
        echo
        echo "  qaportal is running at $url"
        echo "  Demo logins: see README.md.  Press Ctrl-C to stop the server, worker and beat."
        echo
        break
    fi
    kill -0 "${PIDS[2]}" 2>/dev/null || break
    sleep 0.2
done

# Run until one of the three ends (or Ctrl-C); then stop the others.
rc=0
wait -n "${PIDS[@]}" || rc=$?
for i in "${!PIDS[@]}"; do
    if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
        qa_warn "${NAMES[$i]} exited (code $rc); stopping the others"
        break
    fi
done
stop_all
exit $(( rc == 0 ? 1 : rc ))
