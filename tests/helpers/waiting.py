"""Waiting for a condition outside Qt (another thread, another process): what
``qtbot.waitUntil`` is for widgets. The one place where tests poll; a test never
sleeps for a fixed time and hopes (tests/unit/test_test_hygiene.py keeps it so)."""

from __future__ import annotations

import time
from collections.abc import Callable

POLL_S = 0.005


def wait_until(condition: Callable[[], object], timeout_s: float = 30.0) -> None:
    """Return as soon as ``condition()`` is true; fail after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not true within {timeout_s} s: {condition}")
        time.sleep(POLL_S)
