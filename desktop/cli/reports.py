"""The `plandesk` command line. Never imports Qt.

Every failure a user can cause (a missing or foreign database, a bad value,
an unknown branch) ends with a message in the user's language and a non-zero
exit code, never a traceback. Unexpected errors are logged to a file whose
path is printed.
"""

from __future__ import annotations

import argparse
import getpass
import logging
import os
import sqlite3
import sys
import traceback
import unicodedata
from collections.abc import Sequence
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from desktop import __version__
from desktop.domain.achievement import status_detail
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.errors import UserError
from desktop.domain.model import Group, PeriodKind
from desktop.domain.parsing import ParseError
from desktop.domain.review import Role
from desktop.paths import data_dir, default_db_path
from desktop.services import check as check_service
from desktop.services import editing, plans, review
from desktop.services.kpi_table import KpiLine, kpi_lines
from desktop.store.database import Database, open_database
from desktop.workbooks.machine import WorkbookError

EXIT_OK = 0
EXIT_FAILED = 1  # the command ran and found a problem (check failed, ...)
EXIT_USAGE = 2  # bad arguments or input
EXIT_UNEXPECTED = 3

log = logging.getLogger("plandesk")


def _lang(args: argparse.Namespace) -> str:
    return args.lang or os.environ.get("PLANDESK_LANG", "ja")


def _actor() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name (service account, container)
        return "unknown"


def _db_path(args: argparse.Namespace) -> Path:
    return Path(args.db) if args.db else default_db_path()


def _open(args: argparse.Namespace, *, create: bool = False) -> Database:
    return open_database(_db_path(args), create=create)


def _print(text: str = "") -> None:
    print(text)


# --- commands --------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    path = _db_path(args)
    existed = path.exists() and path.stat().st_size > 0
    with plans.init_database(path):
        pass
    lang = _lang(args)
    if existed:
        _print(
            f"既存のデータベースを確認しました: {path}" if lang == "ja" else f"Database ok: {path}"
        )
    else:
        _print(
            f"データベースを作成しました: {path}" if lang == "ja" else f"Created database: {path}"
        )
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    if args.submissions:
        from desktop.cli.hq import cmd_demo_submissions

        return cmd_demo_submissions(args)
    lang = _lang(args)
    with plans.init_database(_db_path(args)) as db:
        installed = plans.install_demo(db, actor=_actor())
    for p in installed:
        name = find_branch(p.branch).label(lang)
        _print(f"  {name}  {fiscal_year_label(p.fiscal_year)}  {p.title}")
    path = _db_path(args)
    _print(f"デモデータを用意しました: {path}" if lang == "ja" else f"Demo data ready: {path}")
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as db:
        rows = plans.list_plans(db)
    if not rows:
        _print("計画はまだありません。" if lang == "ja" else "No plans yet.")
    for code, year, title in rows:
        _print(f"{find_branch(code).label(lang)}\t{fiscal_year_label(year)}\t{title}")
    return EXIT_OK


def _period(text: str | None) -> PeriodKind | None:
    if text is None:
        return None
    aliases = {
        "midyear": "midyear",
        "mid": "midyear",
        "上期": "midyear",
        "annual": "annual",
        "year": "annual",
        "年度": "annual",
    }
    if text not in aliases:
        raise UserError(
            f"報告期間「{text}」は不明です（midyear または annual）。",
            f"Unknown period '{text}' (use midyear or annual).",
        )
    return PeriodKind(aliases[text])


def _year(text: str) -> int:
    raw = text.strip()
    if raw.isascii() and raw.isdigit() and 1990 <= int(raw) <= 2100:
        return int(raw)
    raise UserError(
        f"年度「{text}」は西暦4桁で指定してください（例: 2024）。",
        f"Give the fiscal year as a 4-digit western year (e.g. 2024), not '{text}'.",
    )


def _branch(text: str) -> str:
    try:
        return find_branch(text).code
    except (KeyError, ValueError):
        raise UserError(
            f"支部コード「{text}」は不明です（01〜47、本部は00）。",
            f"Unknown branch code '{text}' (01-47, 00 for headquarters).",
        ) from None


def _status_text(line: KpiLine, lang: str) -> str:
    detail = status_detail(line.kpi, line.assessment, lang)
    label = line.assessment.status.label(lang)
    return f"{label} ({detail})" if detail else label


def cmd_show(args: argparse.Namespace) -> int:
    lang = _lang(args)
    code = _branch(args.branch)
    year = _year(args.year)
    with _open(args) as db:
        plan = plans.get_plan(db, code, year)
    period = _period(args.period) or plans.default_period(plan)
    lines = kpi_lines(plan, period)
    headers_ja = ["事業計画", "KPI設定項目", "目標", "実績", "時点", "判定"]
    headers_en = ["Section", "KPI", "Target", "Actual", "As of", "Status"]
    rows = [
        [
            _clip(line.section, 26),
            _clip(f"{line.kpi.label}{line.kpi.name}", 44),
            line.target_text(lang),
            line.actual_text(lang),
            line.as_of_text(lang),
            _status_text(line, lang),
        ]
        for line in lines
    ]
    title = f"{find_branch(code).label(lang)}  {fiscal_year_label(year)}  "
    title += period.label_ja if lang == "ja" else period.label_en
    if args.format == "tsv":
        # Whole texts and the KPI key (for `plandesk set --kpi`), for scripts and Excel.
        _print("\t".join([*headers_ja, "KPIキー"] if lang == "ja" else [*headers_en, "KPI key"]))
        for line, r in zip(lines, rows, strict=True):
            full = [line.section, f"{line.kpi.label}{line.kpi.name}", *r[2:], line.kpi.key]
            _print("\t".join(full))
        return EXIT_OK
    _print(title)
    _print(("ＫＰＩ設定項目一覧表" if lang == "ja" else "KPI table") + f" — {len(rows)}")
    _print()
    current_pillar = None
    table: list[list[str]] = []
    for line, r in zip(lines, rows, strict=True):
        if line.pillar != current_pillar:
            current_pillar = line.pillar
            table.append([f"■ {line.pillar}", "", "", "", "", ""])
        table.append(r)
    _print_table(headers_ja if lang == "ja" else headers_en, table)
    if not lines:
        _print("KPI設定なし" if lang == "ja" else "No KPIs.")
    return EXIT_OK


def cmd_set(args: argparse.Namespace) -> int:
    lang = _lang(args)
    ref = editing.ReportRef(
        _branch(args.branch), _year(args.year), _period(args.period) or PeriodKind.MIDYEAR
    )
    with _open(args) as db:
        changed = editing.set_measurement(
            db,
            ref,
            args.kpi,
            actor=_actor(),
            value=args.value,
            as_of=args.as_of,
            preliminary=args.preliminary,
            unavailable_reason=args.unavailable,
        )
    m = changed.measurement
    shown = str(m.value) if m.value is not None else "—"
    when = m.as_of.era_label() if m.as_of else "—"
    _print(
        f"保存しました: {args.kpi} = {shown}（{when}）"
        if lang == "ja"
        else f"Saved: {args.kpi} = {shown} (as of {m.as_of.iso() if m.as_of else '—'})"
    )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as db:
        report = check_service.check_database(db)
    for f in report.findings:
        mark = "OK " if f.ok else "NG "
        _print(f"{mark} {f.label(lang)}: {f.detail}")
    if report.ok:
        _print("問題は見つかりませんでした。" if lang == "ja" else "No problems found.")
        return EXIT_OK
    _print("問題が見つかりました。" if lang == "ja" else "Problems found.")
    return EXIT_FAILED


def _password(args: argparse.Namespace, prompt: str) -> str | None:
    """A password from stdin (--password-stdin, for scripts) or typed without echo."""
    if getattr(args, "password_stdin", False):
        return sys.stdin.readline().rstrip("\r\n") or None
    return getpass.getpass(prompt) or None


def cmd_user_add(args: argparse.Namespace) -> int:
    lang = _lang(args)
    role = Role(args.role)
    group = Group(args.group) if args.group else None
    with _open(args) as db:
        first = not review.list_users(db)
        admin_password = None
        if not first:
            admin_password = _password(args, f"{args.admin} のパスワード / password: ")
        password = None
        if role.reviews or first:
            password = _password(args, f"{args.login} の新しいパスワード / new password: ")
        user = review.add_user(
            db,
            login=args.login,
            display_name=args.name,
            role=role,
            group=group,
            password=password,
            admin_login=args.admin,
            admin_password=admin_password,
        )
    _print(
        f"登録しました: {user.login}（{user.display_name}・{user.role.label('ja')}）"
        if lang == "ja"
        else f"Added: {user.login} ({user.display_name}, {user.role.label('en')})"
    )
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace) -> int:
    lang = _lang(args)
    with _open(args) as db:
        users = review.list_users(db)
    for u in users:
        group = u.group.value if u.group else "—"
        active = "" if u.active else (" (無効)" if lang == "ja" else " (inactive)")
        _print(f"{u.login}\t{u.display_name}\t{u.role.label(lang)}\t{group}{active}")
    return EXIT_OK


# --- table printing (East Asian wide characters take two columns) ----------------------


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clip(text: str, width: int) -> str:
    if _width(text) <= width:
        return text
    out = ""
    for c in text:
        if _width(out + c) > width - 1:
            break
        out += c
    return out + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * max(0, width - _width(text))


def _print_table(headers: list[str], rows: list[list[str]]) -> None:
    body = [r for r in rows if not r[0].startswith("■")]
    widths = [
        max(_width(h), *(_width(r[i]) for r in body)) if body else _width(h)
        for i, h in enumerate(headers)
    ]
    _print("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip())
    _print("  ".join("-" * w for w in widths))
    for r in rows:
        if r[0].startswith("■"):
            _print(r[0])
            continue
        _print("  ".join(_pad(c, w) for c, w in zip(r, widths, strict=True)).rstrip())


# --- entry point -------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", help="database file (default: the per-user data folder)")
    common.add_argument("--lang", choices=["ja", "en"], help="message language (default: ja)")

    parser = argparse.ArgumentParser(
        prog="plandesk",
        description="PlanDesk — 事業計画・進捗報告・KPI (business plans, progress reports, KPIs)",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"PlanDesk {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    p = sub.add_parser("init", parents=[common], help="create or upgrade a database")
    p.set_defaults(func=cmd_init)
    p = sub.add_parser("demo", parents=[common], help="install the bundled Tokyo demo data")
    p.add_argument(
        "--submissions",
        metavar="DIR",
        help="instead: write signed-off demo submissions of all 47 branches into DIR",
    )
    p.add_argument("--year", help="with --submissions: fiscal year (default 2024)")
    p.add_argument("--period", help="with --submissions: midyear (default) or annual")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("list", parents=[common], help="list the plans in the database")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("show", parents=[common], help="print a report's KPI table")
    p.add_argument("--year", required=True, help="fiscal year, western (2024 = 令和6年度)")
    p.add_argument("--branch", required=True, help="branch code (13 = 東京)")
    p.add_argument("--period", help="midyear or annual (default: the latest report)")
    p.add_argument("--format", choices=["table", "tsv"], default="table")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("set", parents=[common], help="enter a KPI figure as typed")
    p.add_argument("--year", required=True)
    p.add_argument("--branch", required=True)
    p.add_argument("--period", default="midyear")
    p.add_argument("--kpi", required=True, help="KPI key (see show --format tsv)")
    p.add_argument("--as-of", help="as-of month: 令和6年9月, R6.9, 2024/9 …")
    p.add_argument("--preliminary", action="store_true", default=None, help="速報値")
    p.add_argument("--unavailable", help="reason when there is no value yet")
    p.add_argument("value", nargs="?", help="the value as typed: ０．０９５％, 14,097円 …")
    p.set_defaults(func=cmd_set)
    p = sub.add_parser("check", parents=[common], help="check the database and its audit trail")
    p.set_defaults(func=cmd_check)
    p = sub.add_parser("user", parents=[common], help="people who work in this database")
    users = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    q = users.add_parser("add", parents=[common], help="add a person (the first becomes admin)")
    q.add_argument("--login", required=True, help="their Windows login name")
    q.add_argument("--name", required=True, help="display name, e.g. 鈴木 一郎")
    q.add_argument("--role", choices=[r.value for r in Role], default=Role.STAFF.value)
    q.add_argument(
        "--group", choices=[g.value for g in Group], help="業務, レセプト, 保健, 企画総務"
    )
    q.add_argument("--admin", default=_actor(), help="the admin adding them (default: you)")
    q.add_argument("--password-stdin", action="store_true", help="read passwords from stdin")
    q.set_defaults(func=cmd_user_add)
    q = users.add_parser("list", parents=[common], help="list the people")
    q.set_defaults(func=cmd_user_list)
    from desktop.cli import workbooks as cli_workbooks

    cli_workbooks.register(sub, common)
    from desktop.cli import hq as cli_hq

    cli_hq.register(sub, common)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    if hasattr(sys.stdout, "reconfigure"):
        # A cp932 console cannot show every character; never die on one.
        sys.stdout.reconfigure(errors="replace")  # type: ignore[union-attr]
    parser = build_parser()
    args = parser.parse_args(argv)
    lang = _lang(args)
    if args.command is None:
        from desktop.launcher import launch_app  # the GUI lives behind the launcher

        return launch_app(args.db, lang)
    try:
        return int(args.func(args))
    except ParseError as exc:
        print(exc.message(lang), file=sys.stderr)
        return EXIT_USAGE
    except UserError as exc:
        print(exc.message(lang), file=sys.stderr)
        return EXIT_USAGE if not isinstance(exc, _store_errors()) else EXIT_FAILED
    except WorkbookError as exc:  # the file's fault, not the command's
        print(exc.message(lang), file=sys.stderr)
        return EXIT_FAILED
    except (sqlite3.DatabaseError, SQLAlchemyError) as exc:
        print(
            f"データベースを読み書きできません: {exc}"
            if lang == "ja"
            else f"The database could not be read or written: {exc}",
            file=sys.stderr,
        )
        return EXIT_FAILED
    except KeyboardInterrupt:
        return 130
    except Exception:
        log_file = _write_crash_log()
        print(
            f"予期しないエラーが発生しました。詳細: {log_file}"
            if lang == "ja"
            else f"Unexpected error. Details: {log_file}",
            file=sys.stderr,
        )
        return EXIT_UNEXPECTED


def _store_errors() -> tuple[type[Exception], ...]:
    from desktop.store.errors import StoreError

    return (StoreError,)


def _write_crash_log() -> Path:
    folder = data_dir()
    try:
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "plandesk-error.log"
        with path.open("a", encoding="utf-8") as fh:
            fh.write(traceback.format_exc())
        return path
    except OSError:
        traceback.print_exc()
        return Path("(stderr)")


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
