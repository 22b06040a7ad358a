"""The embedded set-up: SQLite, filesystem broker, console e-mail.

`make run` serves as the product does: DEBUG off, so a missing page is the service's own
404 (never Django's debug page with the URL map) and static files come through
WhiteNoise. `make run-debug` sets DJANGO_DEBUG=true for a developer's tracebacks.
"""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "dev-only-not-secret-qaportal")

from qaportal.settings.base import *  # noqa: F403
from qaportal.settings.base import DEBUG

# WhiteNoise serves static/ straight from the source folders (no collectstatic step),
# picking up edits, with the same headers as in production.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG
