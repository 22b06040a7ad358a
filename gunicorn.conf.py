"""gunicorn's settings, read from the working directory (the image's and `bench_load`'s).

The command line still says where to bind and how many workers (WEB_CONCURRENCY).
"""

import gc


def post_worker_init(worker):
    """Once a worker has loaded the application, move everything loaded so far (Django,
    the apps, the URL map) out of the garbage collector's sight: those objects live as
    long as the worker, and a full collection walking all of them took about 70 ms
    whenever it fell inside a request."""
    from django.urls import get_resolver

    get_resolver().url_patterns  # noqa: B018 (load the URL map before freezing)
    gc.collect()
    gc.freeze()
