"""Writes of the feedback app, and its public interface for writing: `<entity>_<verb>`,
typed, in `transaction.atomic`, tasks queued on commit."""

from __future__ import annotations
