"""The embedded set-up: SQLite, filesystem broker, console e-mail."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret-qaportal")
os.environ.setdefault("DJANGO_DEBUG", "true")

from qaportal.settings.base import *  # noqa: E402,F403
