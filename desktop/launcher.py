"""Starts the desktop app. Kept apart from desktop/cli so that the command line
never imports Qt: the GUI modules load only when the window is wanted.

``PLANDESK_SMOKE_TEST=<file>`` turns the start into the smoke test of a built
program (packaging/): the main window is really built and shown on the
database, and after its first paint the app quits and writes what it saw to
<file> (see desktop.app.run). An environment variable rather than an option, so
that the frozen windowed program, which has no console, takes it the same way.
"""

from __future__ import annotations

import os
from pathlib import Path

SMOKE_TEST = "PLANDESK_SMOKE_TEST"


def launch_app(db: str | None, lang: str | None) -> int:
    from desktop.app import run

    report = os.environ.get(SMOKE_TEST)
    return run(db=db, lang=lang, smoke_report=Path(report) if report else None)
