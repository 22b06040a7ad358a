#!/usr/bin/env bash
# `make lock`: write requirements/test.lock and requirements/base.lock from the pins in
# pyproject.toml, every package (direct or not) pinned with its hashes. The base lock is
# constrained by the test lock, so a package has the same version in both.
set -euo pipefail

# shellcheck source=scripts/bootstrap.sh
source "$(dirname "${BASH_SOURCE[0]}")/bootstrap.sh"
cd "$QA_ROOT"

qa_venv
uv_pin="$("$QA_PY" -c 'import tomllib; print(tomllib.load(open("pyproject.toml", "rb"))["project"]["optional-dependencies"]["lock"][0])')"
"$QA_PY" -m pip install --disable-pip-version-check -q "$uv_pin"
UV="$QA_VENV/bin/uv"
common=(--python-version 3.11 --generate-hashes --quiet)
"$UV" pip compile pyproject.toml --extra test "${common[@]}" -o requirements/test.lock
"$UV" pip compile pyproject.toml -c requirements/test.lock "${common[@]}" -o requirements/base.lock
"$QA_PY" scripts/check_lock.py
qa_log "requirements/test.lock and requirements/base.lock written"
