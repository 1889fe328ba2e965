"""What every command of the `plandesk` command line shares.

Exit codes, the message language, the global options (`--db`, `--lang`),
opening the database, reading year / branch / period arguments, passwords,
and printing tables. The command modules import this one; it imports none
of them. Never imports Qt.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
import unicodedata
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from desktop.domain.branches import branch as find_branch
from desktop.domain.errors import BadFile, BadInput, NotWritten, Refused, UserError
from desktop.domain.model import PeriodKind, ReportRef
from desktop.domain.text import Text
from desktop.paths import default_db_path
from desktop.store.database import Database, open_database
from desktop.store.errors import StoreError

EXIT_OK = 0
EXIT_FAILED = 1  # the command ran and found a problem (check failed, ...)
EXIT_USAGE = 2  # bad arguments or input; nothing was changed
EXIT_UNEXPECTED = 3

# The exit code of each kind of UserError (desktop/domain/errors.py): the first
# row that the error is an instance of.
EXIT_CODES: tuple[tuple[type[UserError], int], ...] = (
    (StoreError, EXIT_FAILED),  # the database's state, not the command's arguments
    (BadFile, EXIT_FAILED),  # the file's fault, not the command's
    (NotWritten, EXIT_FAILED),  # a full disk or a read-only folder: not the arguments
    (Refused, EXIT_USAGE),
    (BadInput, EXIT_USAGE),
    (UserError, EXIT_USAGE),
)

LANGUAGES = ("ja", "en")


# --- language and output ----------------------------------------------------------------


def environment_lang() -> str | None:
    """PLANDESK_LANG when it names a language PlanDesk speaks."""
    value = os.environ.get("PLANDESK_LANG", "").strip()
    return value if value in LANGUAGES else None


def explicit_lang(args: argparse.Namespace) -> str | None:
    """The language the person asked for (--lang, else PLANDESK_LANG), or None:
    the desktop app then uses its saved setting."""
    return getattr(args, "lang", None) or environment_lang()


def lang_of(args: argparse.Namespace) -> str:
    """The language of the command line's messages (Japanese unless asked)."""
    return explicit_lang(args) or "ja"


def say(lang: str, text: Text, *, err: bool = False) -> None:
    """The command line's one way to speak: ``text`` in ``lang``, on stdout (or
    stderr for a refusal or failure)."""
    print(text.get(lang), file=sys.stderr if err else sys.stdout)


def refuse(lang: str, error: UserError) -> int:
    """Say why ``error`` stopped the command; its exit code (EXIT_CODES)."""
    say(lang, error.text, err=True)
    return next(code for kind, code in EXIT_CODES if isinstance(error, kind))


def actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account, container)
        return "unknown"


# --- the global options -------------------------------------------------------------------
#
# `--db` and `--lang` are accepted before the command (`plandesk --db X list`) and after
# it (`plandesk list --db X`). argparse gives every subcommand a fresh namespace and
# copies it over the main one, so an option declared at two levels with one destination
# is silently overwritten by the subcommand's default. Each level therefore records what
# it was given under its own name, and resolve_global_options() joins them: the same
# value everywhere, or a refusal.

GLOBAL_OPTIONS = ("db", "lang")
_LEVEL = "@"


class _Given(argparse.Action):
    """Appends every occurrence, so that repeats can be compared too."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        setattr(namespace, self.dest, [*(getattr(namespace, self.dest, None) or []), values])


def global_options(level: str) -> argparse.ArgumentParser:
    """A parent parser with --db and --lang for one level of the command line
    ("main", "command", "action")."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        dest=f"db{_LEVEL}{level}",
        action=_Given,
        default=argparse.SUPPRESS,
        metavar="PATH",
        help="database file (default: the per-user data folder)",
    )
    parent.add_argument(
        "--lang",
        dest=f"lang{_LEVEL}{level}",
        action=_Given,
        default=argparse.SUPPRESS,
        choices=LANGUAGES,
        help="message language (default: ja)",
    )
    return parent


def _same_db(value: str) -> str:
    return os.path.normcase(os.path.abspath(os.path.expanduser(value)))


def resolve_global_options(args: argparse.Namespace) -> None:
    """Set ``args.db`` and ``args.lang`` from wherever they were given; refuse two
    different values (a script must never write into a database it did not mean)."""
    for name in GLOBAL_OPTIONS:
        given: list[str] = []
        for key in [k for k in vars(args) if k.split(_LEVEL)[0] == name and _LEVEL in k]:
            given.extend(getattr(args, key))
            delattr(args, key)
        same = _same_db if name == "db" else str
        if len({same(v) for v in given}) > 1:
            shown = "、".join(dict.fromkeys(given))
            shown_en = ", ".join(dict.fromkeys(given))
            raise BadInput(
                f"--{name} に異なる値が指定されています（{shown}）。一つだけ指定してください。"
                "何も変更していません。",
                f"--{name} was given different values ({shown_en}): give one. Nothing was changed.",
            )
        setattr(args, name, given[0] if given else None)


# --- arguments as text ----------------------------------------------------------------------


def _shown(arg: str) -> str:
    try:
        return arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that did not come from a byte
        return arg.encode("utf-8", "backslashreplace").decode("utf-8")


def check_text_arguments(arguments: Sequence[str]) -> None:
    """Refuse any argument that is not text. Python decodes undecodable bytes in the
    command line as lone surrogates; such a string would fail deep inside a write
    (or be stored as garbage), so every argument is checked once, here."""
    for index, arg in enumerate(arguments):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            option = arguments[index - 1] if index and arguments[index - 1][:1] == "-" else None
            where_ja = f"{option} の値" if option else "引数"
            where_en = f"The value of {option}" if option else "The argument"
            raise BadInput(
                f"{where_ja}「{_shown(arg)}」に文字として読めないバイトがあります。"
                "UTF-8 の文字で指定してください。何も変更していません。",
                f"{where_en} '{_shown(arg)}' holds bytes that are not UTF-8 text. "
                "Nothing was changed.",
            ) from None


# --- the database -----------------------------------------------------------------------------


def db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_db_path()


def open_db(args: argparse.Namespace, *, create: bool = False) -> Database:
    return open_database(db_path(args), create=create)


# --- year, branch, period -------------------------------------------------------------------

_PERIODS = {
    "midyear": "midyear",
    "mid": "midyear",
    "上期": "midyear",
    "annual": "annual",
    "year": "annual",
    "年度": "annual",
}


def parse_period(text: str | None) -> PeriodKind | None:
    if text is None:
        return None
    if text not in _PERIODS:
        raise BadInput(
            f"報告期間「{text}」は不明です（midyear または annual）。",
            f"Unknown period '{text}' (use midyear or annual).",
        )
    return PeriodKind(_PERIODS[text])


def required_period(text: str | None) -> PeriodKind:
    period = parse_period(text)
    if period is None:
        raise BadInput(
            "報告期間を指定してください（--period midyear または annual）。",
            "Give the period (--period midyear or annual).",
        )
    return period


def parse_year(text: str) -> int:
    raw = text.strip()
    if raw.isascii() and raw.isdigit() and 1990 <= int(raw) <= 2100:
        return int(raw)
    raise BadInput(
        f"年度「{text}」は西暦4桁で指定してください（例: 2024）。",
        f"Give the fiscal year as a 4-digit western year (e.g. 2024), not '{text}'.",
    )


def parse_branch(text: str) -> str:
    try:
        return find_branch(text).code
    except (KeyError, ValueError):
        raise BadInput(
            f"支部コード「{text}」は不明です（01〜47、本部は00）。",
            f"Unknown branch code '{text}' (01-47, 00 for headquarters).",
        ) from None


def report_ref(args: argparse.Namespace, *, period: PeriodKind | None = None) -> ReportRef:
    """The report named by --branch, --year and --period (``period`` when not given)."""
    chosen = parse_period(args.period) or period
    if chosen is None:
        chosen = required_period(None)
    return ReportRef(parse_branch(args.branch), parse_year(args.year), chosen)


# --- passwords ----------------------------------------------------------------------------------


def _stdin_line() -> str:
    try:
        line = sys.stdin.readline().rstrip("\r\n")
        line.encode("utf-8")  # bytes let through as surrogates (C locale) are no text either
        return line
    except UnicodeError:
        raise BadInput(
            "標準入力のパスワードが UTF-8 の文字ではありません。何も変更していません。",
            "The password on standard input is not UTF-8 text. Nothing was changed.",
        ) from None


def read_password(args: argparse.Namespace, prompt: str) -> str | None:
    """A password from stdin (--password-stdin, one per line, for scripts) or typed
    at the terminal without echo. Without a terminal there is nobody to ask: say how
    to pass it instead of waiting on (or failing at the end of) a pipe."""
    if getattr(args, "password_stdin", False):
        return _stdin_line() or None
    if sys.stdin is None or not sys.stdin.isatty():
        raise BadInput(
            "パスワードを入力する端末がありません。スクリプトからは --password-stdin を付けて"
            "標準入力から渡してください。何も変更していません。",
            "There is no terminal to type the password in: pass it on standard input with "
            "--password-stdin. Nothing was changed.",
        )
    try:
        return getpass.getpass(prompt) or None
    except EOFError:
        raise BadInput(
            "パスワードが入力されませんでした。何も変更していません。",
            "No password was typed. Nothing was changed.",
        ) from None


# --- tables (East Asian wide characters take two columns) ---------------------------------------


def text_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def clip(text: str, width: int) -> str:
    if text_width(text) <= width:
        return text
    out = ""
    for c in text:
        if text_width(out + c) > width - 1:
            break
        out += c
    return out + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - text_width(text))


def print_table(headers: list[str], rows: Iterable[list[str]]) -> None:
    """Columns padded to their widest cell; a row whose first cell starts with ■ is a
    heading printed across the table."""
    rows = list(rows)
    body = [r for r in rows if not r[0].startswith("■")]
    widths = [
        max(text_width(h), *(text_width(r[i]) for r in body)) if body else text_width(h)
        for i, h in enumerate(headers)
    ]
    print("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip())
    print("  ".join("-" * w for w in widths))
    for r in rows:
        if r[0].startswith("■"):
            print(r[0])
            continue
        print("  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip())
