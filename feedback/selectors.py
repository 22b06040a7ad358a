"""Reads of the feedback app, and its public interface for reading: other apps (governance)
import this module and `feedback.services`, nothing else of feedback.

Each starts from `visible_to(user)`; a row the user may not see is simply not there.
"""

from __future__ import annotations
