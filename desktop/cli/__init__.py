"""The `plandesk` command line. Never imports Qt.

Every failure a user can cause (a missing or foreign database, a bad value,
an unknown branch) ends with a message in the user's language and a non-zero
exit code, never a traceback. Unexpected errors are logged to a file whose
path is printed.

The commands live in one module per family (``reports``, ``review``,
``workbooks``, ``hq``, ``plans``, ``backup``), the pieces they share in ``common``; this module only
builds the parser and runs a command.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from desktop import __version__
from desktop.cli.common import (
    EXIT_FAILED,
    EXIT_UNEXPECTED,
    EXIT_USAGE,
    check_text_arguments,
    environment_lang,
    explicit_lang,
    global_options,
    lang_of,
    refuse,
    resolve_global_options,
    say,
)
from desktop.domain.errors import UserError
from desktop.domain.text import Text
from desktop.error_log import log_exception

__all__ = ["build_parser", "main"]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="plandesk",
        description="PlanDesk — 事業計画・進捗報告・KPI (business plans, progress reports, KPIs)",
        parents=[global_options("main")],
    )
    parser.add_argument("--version", action="version", version=f"PlanDesk {__version__}")
    # The command families load with the full parser only: they bring the workbook
    # services (openpyxl and more), which the window does not need at its start.
    from desktop.cli import backup, hq, keys, plans, reports, review, targets, workbooks

    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    options = global_options("command")
    for family in (reports, review, workbooks, hq, plans, targets, backup, keys):
        family.register(sub, options)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        # A cp932 console cannot show every character; never die on one.
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        args = _window_arguments(arguments) or build_parser().parse_args(arguments)
    except SystemExit as exc:  # --help, --version, or a usage error argparse has printed
        return exc.code if isinstance(exc.code, int) else EXIT_USAGE
    lang = environment_lang() or "ja"
    try:
        resolve_global_options(args)
        lang = lang_of(args)
        check_text_arguments(arguments)
    except UserError as exc:
        return refuse(lang, exc)
    if args.command is None:
        from desktop.launcher import launch_app  # the GUI lives behind the launcher

        # Only a language asked for here overrides the one saved in the app's settings.
        return launch_app(args.db, explicit_lang(args))
    return _run(args, lang)


def _window_arguments(arguments: list[str]) -> argparse.Namespace | None:
    """The parsed global options when ``arguments`` name no command (the window is
    wanted), else None. Decided without the command families, so that the window's
    start does not load them."""
    probe = _Probe(add_help=False, parents=[global_options("main")])
    try:
        args, rest = probe.parse_known_args(arguments)
    except argparse.ArgumentError:
        return None
    if rest:  # a command, --help, --version or something the full parser must judge
        return None
    args.command = None
    return args


class _Probe(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:  # the full parser says what is wrong
        raise argparse.ArgumentError(None, message)


def _unreadable_database(log_file: Path) -> Text:
    return Text(
        "データベースを読み書きできませんでした。何も変更していない可能性があります。"
        f"「plandesk check」で確かめてください。詳細: {log_file}",
        "The database could not be read or written; the change may not have been "
        f"saved. Run 'plandesk check' to make sure. Details: {log_file}",
    )


def _unexpected(log_file: Path) -> Text:
    return Text(
        f"予期しないエラーが発生しました。詳細: {log_file}",
        f"Unexpected error. Details: {log_file}",
    )


def _run(args: argparse.Namespace, lang: str) -> int:
    from sqlalchemy.exc import SQLAlchemyError  # not part of the window's start

    try:
        return int(args.func(args))
    except UserError as exc:
        return refuse(lang, exc)
    except (sqlite3.DatabaseError, SQLAlchemyError):
        # The store translates its failures; one that slips through still shows no SQL.
        log_file = log_exception("plandesk " + str(getattr(args, "command", "")))
        say(lang, _unreadable_database(log_file), err=True)
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (`plandesk show | head`): nothing PlanDesk did wrong. Point
        # stdout at nothing so that the flush at exit does not fail again.
        with contextlib.suppress(OSError, ValueError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_FAILED
    except Exception:
        log_file = log_exception("plandesk " + str(getattr(args, "command", "")))
        say(lang, _unexpected(log_file), err=True)
        return EXIT_UNEXPECTED
