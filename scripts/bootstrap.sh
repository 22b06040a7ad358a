#!/usr/bin/env bash
# Set up this checkout from nothing but python3: .venv, the Python packages from the
# lock files (requirements/*.lock, written from pyproject.toml's pins by `make lock`),
# the .run/ folders and, with --system, the Debian packages the tests need. Every step
# is skipped when already done, so it is cheap to run often.
#
# Usage: scripts/bootstrap.sh [--test] [--system] [--postgres]
#   (no flag)    .venv with [project].dependencies, and the .run/ folders
#   --test       also [project.optional-dependencies].test (pytest, Playwright, ruff)
#   --system     also apt packages: chromium, redis-server, poppler-utils
#   --postgres   also the PostgreSQL 15 server binaries (part of the image already)
#
# Other scripts source this file for its functions; sourcing runs nothing.

QA_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
QA_VENV="$QA_ROOT/.venv"
QA_PY="$QA_VENV/bin/python"
QA_RUN="${QAPORTAL_RUN_DIR:-$QA_ROOT/.run}"
QA_TEST_APT_PACKAGES=(chromium redis-server poppler-utils)
QA_PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"

qa_log() { printf '==> %s\n' "$*"; }
qa_warn() { printf '!!! %s\n' "$*" >&2; }
qa_die() { printf '!!! %s\n' "$*" >&2; exit 1; }

# Install the named Debian packages that are missing; runs `apt-get update` only then.
qa_apt_install() {
    local missing=() pkg
    for pkg in "$@"; do
        dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' \
            || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0

    local sudo=()
    if [ "$(id -u)" -ne 0 ]; then
        command -v sudo >/dev/null || qa_die "need root (or sudo) to install: ${missing[*]}"
        sudo=(sudo)
    fi
    mkdir -p "$QA_RUN/logs"
    local log="$QA_RUN/logs/apt.log" started=$SECONDS
    qa_log "apt: installing ${missing[*]} (log: ${log#"$QA_ROOT"/})"
    # Wait for another apt/dpkg run instead of failing on its lock.
    local lock=(-o DPkg::Lock::Timeout=900)
    if ! { "${sudo[@]}" apt-get "${lock[@]}" update -qq \
            && DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get "${lock[@]}" \
                install -y -q "${missing[@]}"; } >"$log" 2>&1; then
        tail -n 30 "$log" >&2
        qa_die "apt-get install failed (see $log)"
    fi
    qa_log "apt: done in $((SECONDS - started)) s"
}

# The apt packages the test suite needs (Chromium for Playwright, Redis, pdftoppm).
qa_system_test_deps() {
    qa_apt_install "${QA_TEST_APT_PACKAGES[@]}"
}

# PostgreSQL 15 server binaries (already in the standard image; installed if absent).
qa_system_postgres() {
    if [ ! -x "$QA_PGBIN/initdb" ] || ! command -v psql >/dev/null; then
        qa_apt_install postgresql-15 postgresql-client-15
    fi
}

# Create .venv with python3 -m venv when it is missing or broken.
qa_venv() {
    if [ -x "$QA_PY" ] && "$QA_PY" -c 'import pip' >/dev/null 2>&1; then
        return 0
    fi
    command -v python3 >/dev/null || qa_die "python3 is not installed"
    local version
    version="$(python3 -c 'import sys; print("%d.%d" % sys.version_info[:2])')"
    [ "$version" = "3.11" ] || qa_warn "python3 is $version; pyproject.toml asks for 3.11"
    if ! python3 -c 'import ensurepip' >/dev/null 2>&1; then
        qa_apt_install python3-venv   # Debian splits venv/ensurepip out of python3
    fi
    rm -rf "$QA_VENV"
    qa_log "creating .venv with python3 $version"
    python3 -m venv "$QA_VENV"
}

# Install the locked requirements into .venv: requirements/base.lock, or with `test`
# requirements/test.lock (every package, direct or not, pinned with its hashes; written
# from pyproject.toml by `make lock`). A stamp holds a hash of the lock file and the
# interpreter, so pip runs again only when the lock changes.
qa_python_deps() {
    local label="${1:-base}"
    local lockfile="$QA_ROOT/requirements/$label.lock"
    [ -f "$lockfile" ] || qa_die "no lock file $lockfile (make lock writes it)"
    local stamp="$QA_VENV/.qaportal-deps-$label.sha256"
    local wanted
    wanted="$( { cat "$lockfile"; "$QA_PY" -c 'import sys; print(sys.version)'; } \
        | sha256sum | cut -d' ' -f1)"
    if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$wanted" ]; then
        qa_log "python packages ($label): up to date"
        return 0
    fi
    local started=$SECONDS
    qa_log "python packages ($label): installing from ${lockfile#"$QA_ROOT"/}"
    # The lock names every package, so pip installs exactly it (--no-deps) and `pip check`
    # then proves nothing is missing. Without --no-deps pip's resolver looks again for a
    # dependency asked for with an extra (weasyprint's fonttools[woff]), finds a newer
    # release than the pin and refuses it in hash mode.
    # (The filter drops pip's notes about find-links folders a machine may not have.)
    ( set -o pipefail
      "$QA_PY" -m pip install --disable-pip-version-check --no-input -q --require-hashes \
          --no-deps -r "$lockfile" 2>&1 \
          | { grep -v 'is ignored: it is neither a file nor a directory' || true; } ) \
        || qa_die "pip install failed"
    "$QA_PY" -m pip check --disable-pip-version-check >&2 \
        || qa_die "the lock file is incomplete or inconsistent (pip check above); run make lock"
    echo "$wanted" >"$stamp"
    # The test lock holds every base package too.
    if [ "$label" = "test" ]; then
        { cat "$QA_ROOT/requirements/base.lock"; "$QA_PY" -c 'import sys; print(sys.version)'; } \
            | sha256sum | cut -d' ' -f1 >"$QA_VENV/.qaportal-deps-base.sha256"
    fi
    qa_log "python packages ($label): done in $((SECONDS - started)) s"
}

# Folders of the embedded set-up (SQLite file, filesystem Celery broker, logs).
qa_run_dirs() {
    mkdir -p "$QA_RUN" "$QA_RUN/broker" "$QA_RUN/broker-processed" "$QA_RUN/logs"
}

qa_bootstrap_main() {
    set -euo pipefail
    local want_test=0 want_system=0 want_postgres=0 arg
    for arg in "$@"; do
        case "$arg" in
            --test) want_test=1 ;;
            --system) want_system=1 ;;
            --postgres) want_postgres=1 ;;
            -h|--help) sed -n '2,12p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; return 0 ;;
            *) qa_die "unknown option: $arg" ;;
        esac
    done
    [ $want_system -eq 1 ] && qa_system_test_deps
    [ $want_postgres -eq 1 ] && qa_system_postgres
    qa_venv
    if [ $want_test -eq 1 ]; then qa_python_deps test; else qa_python_deps; fi
    qa_run_dirs
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    qa_bootstrap_main "$@"
fi
