#!/bin/sh
# Entry point of the qaportal image: run the given command (gunicorn by default).
# With RUN_MIGRATIONS=1 it applies the database migrations first; docker-compose.yml
# uses a one-off `migrate` service instead, so the web, worker and beat containers
# start only once the schema is in place.
set -eu

mkdir -p "${QAPORTAL_RUN_DIR:-/tmp/qaportal}"

if [ "${RUN_MIGRATIONS:-0}" = "1" ]; then
    python manage.py migrate --noinput
fi

exec "$@"
