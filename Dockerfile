# qaportal: one image for the web server (gunicorn), the Celery worker and Celery beat.
# Settings come from the environment (qaportal/settings/prod.py; see .env.example).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

# Pango and HarfBuzz for WeasyPrint (PDF reports); Liberation Sans stands in for Arial,
# the font the GOV.UK styles fall back to.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz0b libharfbuzz-subset0 \
        fonts-liberation \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app

# The locked dependencies first (every package pinned with its hashes), so this layer
# is reused until the lock changes.
COPY requirements/base.lock requirements/
RUN pip install --no-cache-dir --require-hashes --no-deps -r requirements/base.lock \
    && pip check

COPY . .

# Static files are collected into the image and served by WhiteNoise. The values here
# exist only so the settings load; nothing connects to them during the build.
RUN DJANGO_SETTINGS_MODULE=qaportal.settings.prod \
    DJANGO_SECRET_KEY=build-only-not-a-secret-build-only-not-a-secret-build-only \
    DJANGO_ALLOWED_HOSTS=localhost \
    DATABASE_URL=sqlite:////tmp/build.sqlite3 \
    CELERY_BROKER_URL=memory:// \
    REDIS_URL=redis://localhost:6379/1 \
    QAPORTAL_RUN_DIR=/tmp/qaportal \
    python manage.py collectstatic --noinput \
    && rm -rf /tmp/qaportal /tmp/build.sqlite3

RUN useradd --system --uid 10001 --user-group --home-dir /app --no-create-home app
USER app

ENV DJANGO_SETTINGS_MODULE=qaportal.settings.prod \
    QAPORTAL_RUN_DIR=/tmp/qaportal \
    PORT=8000 \
    WEB_CONCURRENCY=2

EXPOSE 8000

ENTRYPOINT ["sh", "/app/docker/entrypoint.sh"]
# gunicorn reads the number of worker processes from WEB_CONCURRENCY.
CMD ["sh", "-c", "exec gunicorn qaportal.wsgi --bind 0.0.0.0:${PORT} --access-logfile - --timeout 120"]
