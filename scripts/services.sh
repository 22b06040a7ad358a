#!/usr/bin/env bash
# Throw-away PostgreSQL 15 and Redis on loopback for the test suite (CI=true or
# TEST_POSTGRES=1). Data is scratch: fsync is off and nothing is saved.
#
# Usage: scripts/services.sh start|stop|status|env
#   start   stop anything left by an earlier run, then start both servers afresh and
#           create role app/app (CREATEDB) and database appdb
#   stop    stop both and remove the PostgreSQL data folder (safe to run any time)
#   status  say what is running
#   env     print the export lines for DATABASE_URL, CELERY_BROKER_URL and REDIS_URL
#
# The ports are QAPORTAL_PG_PORT / QAPORTAL_REDIS_PORT (25432 / 26379 by default,
# below the kernel's range for client sockets, so no outgoing connection holds them); when
# another program holds one, start takes the next free port and records both in
# .run/services.env, which `env` reads.
#
# PostgreSQL runs as the `postgres` user (root may not run it) with its data in
# .run/pg, or under /tmp when the postgres user cannot reach .run.
set -euo pipefail

# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"

PG_PORT_WANTED="${QAPORTAL_PG_PORT:-25432}"
REDIS_PORT_WANTED="${QAPORTAL_REDIS_PORT:-26379}"
PORTS_FILE="$QA_RUN/services.env"
PG_PORT="$PG_PORT_WANTED"
REDIS_PORT="$REDIS_PORT_WANTED"
# The ports an earlier start settled on, when it had to move off the wanted ones.
if [ -f "$PORTS_FILE" ]; then
    # shellcheck source=/dev/null
    source "$PORTS_FILE"
fi
PG_TAG="qaportal-test"   # cluster_name: marks our postmaster in ps output
REDIS_PIDFILE="$QA_RUN/redis.pid"

as_postgres() { (cd / && runuser -u postgres -- "$@"); }

# Something listens on 127.0.0.1:$1 (a plain connect: needs neither ss nor netstat).
port_busy() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# The first port from $1 upwards that nothing listens on.
free_port_from() {
    local port=$1 i
    for i in $(seq 0 99); do
        port_busy "$((port + i))" || { echo "$((port + i))"; return 0; }
    done
    qa_die "no free port in $port-$((port + 99))"
}

save_ports() {
    mkdir -p "$QA_RUN"
    printf 'PG_PORT=%s\nREDIS_PORT=%s\n' "$PG_PORT" "$REDIS_PORT" >"$PORTS_FILE"
}

wait_port_free() {
    local port=$1 i
    for i in $(seq 1 50); do port_busy "$port" || return 0; sleep 0.2; done
    return 1
}

# The data folder: .run/pg when the postgres user can reach it and the socket path is
# short enough, otherwise a folder under /tmp named after this checkout.
pg_dir() {
    local dir="$QA_RUN/pg"
    mkdir -p "$QA_RUN"
    if [ ${#dir} -gt 80 ] || ! as_postgres test -x "$QA_RUN" 2>/dev/null; then
        dir="/tmp/qaportal-pg-$(printf '%s' "$QA_ROOT" | sha256sum | cut -c1-12)"
    fi
    printf '%s\n' "$dir"
}

pg_stop_dir() {   # stop the server whose data folder is $1/data, if one runs
    local data="$1/data"
    [ -f "$data/postmaster.pid" ] || return 0
    local pid
    pid="$(head -n1 "$data/postmaster.pid" 2>/dev/null || true)"
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
        as_postgres "$QA_PGBIN/pg_ctl" -D "$data" -m fast -w -t 30 stop >/dev/null 2>&1 \
            || as_postgres "$QA_PGBIN/pg_ctl" -D "$data" -m immediate -w -t 30 stop \
                >/dev/null 2>&1 \
            || kill -QUIT "$pid" 2>/dev/null || true
    fi
}

# A postmaster of ours left on the port by a run in another checkout (killed -9).
# Sets STOPPED_STRAY=1 when it found one.
STOPPED_STRAY=0
pg_stop_stray() {
    local pid args i
    for pid in $(pgrep -u postgres -x postgres 2>/dev/null || true); do
        mapfile -d "" args 2>/dev/null <"/proc/$pid/cmdline" || continue
        [[ " ${args[*]} " == *"cluster_name=$PG_TAG"* && " ${args[*]} " == *" -p $PG_PORT "* ]] \
            || continue
        STOPPED_STRAY=1
        for i in "${!args[@]}"; do
            if [ "${args[$i]}" = "-D" ]; then
                qa_log "postgres: stopping a stale test server (data ${args[$((i + 1))]})"
                pg_stop_dir "$(dirname "${args[$((i + 1))]}")"
            fi
        done
        if kill -0 "$pid" 2>/dev/null; then kill -QUIT "$pid" 2>/dev/null || true; fi
    done
}

pg_stop() {
    local dir
    dir="$(pg_dir)"
    pg_stop_dir "$dir"
    port_busy "$PG_PORT" && pg_stop_stray
    if [ "$STOPPED_STRAY" = 1 ]; then
        wait_port_free "$PG_PORT" || qa_warn "port $PG_PORT is still in use"
    fi
    rm -rf "$dir/data"
}

pg_start() {
    qa_system_postgres
    local dir attempt port
    dir="$(pg_dir)"
    pg_stop
    port="$PG_PORT_WANTED"
    for attempt in 1 2 3 4 5; do
        PG_PORT="$(free_port_from "$port")"
        [ "$PG_PORT" = "$PG_PORT_WANTED" ] \
            || qa_log "postgres: port $PG_PORT_WANTED is in use by another program; using $PG_PORT"
        save_ports
        pg_init_and_start "$dir" && break
        # Lost the port between the check and the bind (or a client socket holds it).
        grep -q "Address already in use" "$dir/server.log" 2>/dev/null && [ "$attempt" -lt 5 ] \
            || { tail -n 30 "$dir/server.log" >&2 || true; qa_die "PostgreSQL did not start"; }
        port=$((PG_PORT + 1))
    done
    psql -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PG_PORT" -U postgres -d postgres \
        -c "CREATE ROLE app LOGIN PASSWORD 'app' CREATEDB" \
        -c "CREATE DATABASE appdb OWNER app" >/dev/null
    qa_log "postgres: up on 127.0.0.1:$PG_PORT (data ${dir#"$QA_ROOT"/}/data)"
}

pg_init_and_start() {   # a fresh cluster in $1/data, started on $PG_PORT
    local dir=$1
    rm -rf "$dir"
    install -d -o postgres -g postgres -m 700 "$dir"
    if ! as_postgres "$QA_PGBIN/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 \
            --locale=C.UTF-8 >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        qa_die "initdb failed"
    fi
    as_postgres "$QA_PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-p $PG_PORT -k $dir -c listen_addresses=127.0.0.1 -c fsync=off \
-c synchronous_commit=off -c full_page_writes=off -c cluster_name=$PG_TAG" \
        start >/dev/null 2>&1
}

redis_ours() {   # is the Redis on our port one that this project started?
    local pidfile
    pidfile="$(redis-cli -p "$REDIS_PORT" --raw config get pidfile 2>/dev/null | sed -n 2p)"
    [[ "$pidfile" == "$REDIS_PIDFILE" || "$pidfile" == */.run/redis.pid ]]
}

redis_stop() {
    local stopped=0
    if port_busy "$REDIS_PORT" && redis_ours; then
        redis-cli -p "$REDIS_PORT" shutdown nosave >/dev/null 2>&1 || true
        stopped=1
    fi
    if [ -f "$REDIS_PIDFILE" ]; then
        local pid
        pid="$(cat "$REDIS_PIDFILE")"
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill -TERM "$pid" 2>/dev/null || true
            stopped=1
        fi
        rm -f "$REDIS_PIDFILE"
    fi
    if [ $stopped = 1 ]; then
        wait_port_free "$REDIS_PORT" || qa_warn "port $REDIS_PORT is still in use"
    fi
}

redis_start() {
    command -v redis-server >/dev/null || qa_apt_install redis-server
    redis_stop
    REDIS_PORT="$(free_port_from "$REDIS_PORT_WANTED")"
    [ "$REDIS_PORT" = "$REDIS_PORT_WANTED" ] \
        || qa_log "redis: port $REDIS_PORT_WANTED is in use by another program; using $REDIS_PORT"
    save_ports
    redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --daemonize yes \
        --pidfile "$REDIS_PIDFILE" --logfile "$QA_RUN/redis.log" --dir "$QA_RUN" \
        --save '' --appendonly no >/dev/null
    local i
    for i in $(seq 1 50); do
        [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ] && break
        sleep 0.2
    done
    [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ] \
        || { tail -n 20 "$QA_RUN/redis.log" >&2; qa_die "Redis did not start"; }
    qa_log "redis: up on 127.0.0.1:$REDIS_PORT"
}

status() {
    local dir
    dir="$(pg_dir)"
    if [ -f "$dir/data/postmaster.pid" ] \
            && as_postgres "$QA_PGBIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
        echo "postgres: running on 127.0.0.1:$PG_PORT"
    else
        echo "postgres: stopped"
    fi
    if [ "$(redis-cli -p "$REDIS_PORT" ping 2>/dev/null)" = "PONG" ]; then
        echo "redis: running on 127.0.0.1:$REDIS_PORT"
    else
        echo "redis: stopped"
    fi
}

case "${1:-}" in
    start) pg_start; redis_start ;;
    stop)
        rc=0
        pg_stop || rc=1
        redis_stop || rc=1
        rm -f "$PORTS_FILE"
        qa_log "services: stopped"
        exit $rc
        ;;
    status) status ;;
    env)
        echo "export DATABASE_URL=postgres://app:app@127.0.0.1:$PG_PORT/appdb"
        echo "export CELERY_BROKER_URL=redis://127.0.0.1:$REDIS_PORT/0"
        echo "export REDIS_URL=redis://127.0.0.1:$REDIS_PORT/1"
        ;;
    *) sed -n '2,18p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
