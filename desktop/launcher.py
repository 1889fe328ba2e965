"""Starts the desktop app. Kept apart from desktop/cli so that the command line
never imports Qt: the GUI modules load only when the window is wanted."""

from __future__ import annotations


def launch_app(db: str | None, lang: str | None) -> int:
    from desktop.app import run

    return run(db=db, lang=lang)
