"""The embedded broker writes each message whole before a worker can see it: a worker
polling the folder mid-write finds nothing, then the whole message (Kombu's own
filesystem transport showed it an empty file, and the worker stopped)."""

from __future__ import annotations

import os
from queue import Empty

import pytest
from django.conf import settings
from kombu import Connection

import qaportal.broker


def _options(tmp_path) -> dict[str, object]:
    for name in ("in", "processed", "control"):
        (tmp_path / name).mkdir()
    return {
        "data_folder_in": str(tmp_path / "in"),
        "data_folder_out": str(tmp_path / "in"),
        "processed_folder": str(tmp_path / "processed"),
        "control_folder": str(tmp_path / "control"),
        "store_processed": False,
    }


def test_a_message_is_invisible_until_written_whole(tmp_path, monkeypatch):
    options = _options(tmp_path)
    seen_mid_write = []
    real_replace = os.replace

    with (
        Connection(
            "filesystem://", transport=qaportal.broker.Transport, transport_options=options
        ) as writer,
        Connection(
            "filesystem://", transport=qaportal.broker.Transport, transport_options=options
        ) as worker,
    ):
        reading = worker.default_channel

        def replace_after_a_poll(src, dst):
            # The payload is on disk under its temporary name: a worker polls now.
            assert os.path.getsize(src) > 0
            with pytest.raises(Empty):
                reading._get("celery")
            seen_mid_write.append(src)
            real_replace(src, dst)

        monkeypatch.setattr(qaportal.broker.os, "replace", replace_after_a_poll)
        writer.default_channel._put("celery", {"body": "ping", "n": 1})
        assert seen_mid_write, "the message was not written under a temporary name"
        assert reading._get("celery") == {"body": "ping", "n": 1}
        with pytest.raises(Empty):
            reading._get("celery")
    assert os.listdir(options["data_folder_in"]) == []


def test_the_embedded_set_up_uses_it():
    if not settings.CELERY_BROKER_URL.startswith("filesystem://"):
        pytest.skip("the broker here is Redis")
    assert settings.CELERY_BROKER_TRANSPORT == "qaportal.broker:Transport"
