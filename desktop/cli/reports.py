"""Reports and data entry on the command line: init, demo, list, show, set, check.

Never imports Qt.
"""

from __future__ import annotations

import argparse

from desktop.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    actor,
    clip,
    db_path,
    lang_of,
    open_db,
    parse_branch,
    parse_period,
    parse_year,
    print_table,
    report_ref,
    say,
)
from desktop.cli.hq import cmd_demo_submissions
from desktop.domain.achievement import format_value, status_detail
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.model import Kpi, PeriodKind, Plan
from desktop.domain.reference import Field, Shown, shown_figures
from desktop.domain.text import Text
from desktop.services import check as check_service
from desktop.services import editing, plans, reference
from desktop.services.changes import MeasurementChanged, ReferenceChanged
from desktop.services.kpi_table import KpiLine, kpi_lines


def cmd_init(args: argparse.Namespace) -> int:
    path = db_path(args)
    existed = path.is_file() and path.stat().st_size > 0
    with plans.init_database(path):
        pass
    lang = lang_of(args)
    if existed:
        say(lang, Text(f"既存のデータベースを確認しました: {path}", f"Database ok: {path}"))
    else:
        say(lang, Text(f"データベースを作成しました: {path}", f"Created database: {path}"))
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    if args.submissions:
        return cmd_demo_submissions(args)
    lang = lang_of(args)
    with plans.init_database(db_path(args)) as db:
        installed = plans.install_demo(db, actor=actor())
    for p in installed.plans:
        name = find_branch(p.branch).label(lang)
        print(f"  {name}  {fiscal_year_label(p.fiscal_year)}  {p.title}")
    path = db_path(args)
    say(lang, Text(f"デモデータを用意しました: {path}", f"Demo data ready: {path}"))
    return EXIT_OK


def cmd_list(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    with open_db(args) as db:
        rows = plans.list_plans(db)
    if not rows:
        say(lang, Text("計画はまだありません。", "No plans yet."))
    for code, year, title in rows:
        print(f"{find_branch(code).label(lang)}\t{fiscal_year_label(year)}\t{title}")
    return EXIT_OK


def _status_text(line: KpiLine, lang: str) -> str:
    detail = status_detail(line.kpi, line.assessment, lang)
    label = line.assessment.status.label(lang)
    return f"{label} ({detail})" if detail else label


_SHOW_HEADERS = (
    Text("事業計画", "Section"),
    Text("KPI設定項目", "KPI"),
    Text("目標", "Target"),
    Text("実績", "Actual"),
    Text("時点", "As of"),
    Text("判定", "Status"),
)


def cmd_show(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    code = parse_branch(args.branch)
    year = parse_year(args.year)
    with open_db(args) as db:
        plan = plans.get_plan(db, code, year)
    period = parse_period(args.period) or plans.default_period(plan)
    lines = kpi_lines(plan, period)
    headers = [h.get(lang) for h in _SHOW_HEADERS]
    rows = [
        [
            clip(line.section, 26),
            clip(f"{line.kpi.label}{line.kpi.name}", 44),
            line.target_text(lang),
            line.actual_text(lang),
            line.as_of_text(lang),
            _status_text(line, lang),
        ]
        for line in lines
    ]
    title = f"{find_branch(code).label(lang)}  {fiscal_year_label(year)}  "
    title += period.label(lang)
    if args.format == "tsv":
        # Whole texts and the KPI key (for `plandesk set --kpi`), for scripts and Excel.
        print("\t".join([*headers, Text("KPIキー", "KPI key").get(lang)]))
        for line, r in zip(lines, rows, strict=True):
            full = [line.section, f"{line.kpi.label}{line.kpi.name}", *r[2:], line.kpi.key]
            print("\t".join(full))
        return EXIT_OK
    print(title)
    say(lang, Text(f"ＫＰＩ設定項目一覧表 — {len(rows)}", f"KPI table — {len(rows)}"))
    print()
    current_pillar = None
    table: list[list[str]] = []
    for line, r in zip(lines, rows, strict=True):
        if line.pillar != current_pillar:
            current_pillar = line.pillar
            table.append([f"■ {line.pillar}", "", "", "", "", ""])
        table.append(r)
    print_table(headers, table)
    if not lines:
        say(lang, Text("KPI設定なし", "No KPIs."))
    _print_reference(plan, period, [line.kpi for line in lines], lang)
    return EXIT_OK


def _shown_value(kpi: Kpi, figure: Shown) -> str:
    if figure.field.is_rank:
        return f"{figure.value}位"
    assert not isinstance(figure.value, int)
    return format_value(kpi, figure.value)


def _print_reference(plan: Plan, period: PeriodKind, kpis: list[Kpi], lang: str) -> None:
    """The reference figures (参考) with where each came from: 入力 (typed),
    本部提供 (HQ's pack), 前年度から繰越 (carried by the rollover)."""
    report = plan.report(period)
    bench = {b.kpi_key: b for b in report.benchmarks} if report else {}
    table = [
        [
            kpi.key,  # what `plandesk reference --kpi` takes; the names are in the table above
            f.field.text.get(lang),
            _shown_value(kpi, f),
            f.source_text.get(lang),
        ]
        for kpi in kpis
        for f in shown_figures(kpi, bench.get(kpi.key))
    ]
    if not table:
        return
    print()
    say(lang, Text(f"参考値 — {len(table)}", f"Reference figures — {len(table)}"))
    headers = [Text("KPIキー", "KPI key"), Text("項目", "Figure"), Text("値", "Value"),
               Text("出所", "Source")]  # fmt: skip
    print_table([h.get(lang) for h in headers], table)


def cmd_reference(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    ref = report_ref(args, period=PeriodKind.MIDYEAR)
    with open_db(args) as db:
        changed = reference.set_reference_figure(
            db, ref, args.kpi, args.field, args.value, actor=actor()
        )
    records = changed.of(ReferenceChanged)
    what = Field(args.field).text
    if not records:
        say(lang, Text(f"変更はありません: {args.kpi} {what.ja}",
                       f"Nothing changed: {args.kpi} {what.en}"))  # fmt: skip
        return EXIT_OK
    r = records[0]
    value = "—" if r.value is None else str(r.value)
    source = Text("", "") if r.source is None else r.source.text
    say(
        lang,
        Text(
            f"保存しました: {args.kpi} {what.ja} = {value}"
            + (f"（{source.ja}）" if source else ""),
            f"Saved: {args.kpi} {what.en} = {value}" + (f" ({source.en})" if source else ""),
        ),
    )
    return EXIT_OK


def cmd_set(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    ref = report_ref(args, period=PeriodKind.MIDYEAR)
    with open_db(args) as db:
        changed = editing.set_measurement(
            db,
            ref,
            args.kpi,
            actor=actor(),
            value=args.value,
            as_of=args.as_of,
            preliminary=args.preliminary,
            unavailable_reason=args.unavailable,
            done=args.done,
        )
    m = changed.one(MeasurementChanged).measurement
    if m.done is not None and m.value is None:
        shown = Text("実施", "done") if m.done else Text("未実施", "not done")
    else:
        shown = Text.same(str(m.value) if m.value is not None else "—")
    say(
        lang,
        Text(
            f"保存しました: {args.kpi} = {shown.ja}（{m.as_of.era_label() if m.as_of else '—'}）",
            f"Saved: {args.kpi} = {shown.en} (as of {m.as_of.iso() if m.as_of else '—'})",
        ),
    )
    return EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    with open_db(args) as db:
        report = check_service.check_database(db)
    for f in report.findings:
        mark = "OK " if f.ok else "NG "
        say(lang, Text.same(f"{mark} ") + f.label + Text.same(": ") + f.detail)
    if report.ok:
        say(lang, Text("問題は見つかりませんでした。", "No problems found."))
        return EXIT_OK
    say(lang, Text("問題が見つかりました。", "Problems found."))
    return EXIT_FAILED


def register(sub: argparse._SubParsersAction, options: argparse.ArgumentParser) -> None:
    p = sub.add_parser("init", parents=[options], help="create or upgrade a database")
    p.set_defaults(func=cmd_init)
    p = sub.add_parser("demo", parents=[options], help="install the bundled Tokyo demo data")
    p.add_argument(
        "--submissions",
        metavar="DIR",
        help="instead: write signed-off demo submissions of all 47 branches into DIR",
    )
    p.add_argument("--year", help="with --submissions: fiscal year (default 2024)")
    p.add_argument("--period", help="with --submissions: midyear (default) or annual")
    p.set_defaults(func=cmd_demo)
    p = sub.add_parser("list", parents=[options], help="list the plans in the database")
    p.set_defaults(func=cmd_list)
    p = sub.add_parser("show", parents=[options], help="print a report's KPI table")
    p.add_argument("--year", required=True, help="fiscal year, western (2024 = 令和6年度)")
    p.add_argument("--branch", required=True, help="branch code (13 = 東京)")
    p.add_argument("--period", help="midyear or annual (default: the latest report)")
    p.add_argument("--format", choices=["table", "tsv"], default="table")
    p.set_defaults(func=cmd_show)
    p = sub.add_parser("set", parents=[options], help="enter a KPI figure as typed")
    p.add_argument("--year", required=True)
    p.add_argument("--branch", required=True)
    p.add_argument("--period", default="midyear")
    p.add_argument("--kpi", required=True, help="KPI key (see show --format tsv)")
    p.add_argument("--as-of", help="as-of month: 令和6年9月, R6.9, 2024/9 …")
    p.add_argument("--preliminary", action="store_true", default=None, help="速報値")
    p.add_argument("--unavailable", help="reason when there is no value yet")
    done = p.add_mutually_exclusive_group()
    done.add_argument(
        "--done", dest="done", action="store_const", const=True, help="実施 (a done / not done KPI)"
    )
    done.add_argument("--not-done", dest="done", action="store_const", const=False, help="未実施")
    p.add_argument("value", nargs="?", help="the value as typed: ０．０９５％, 14,097円 …")
    p.set_defaults(func=cmd_set)
    p = sub.add_parser(
        "reference",
        parents=[options],
        help="type a reference figure: last year's or the year before's actual, national "
        "average or rank (this year's or last year's); no value clears it",
    )
    p.add_argument("--year", required=True)
    p.add_argument("--branch", required=True)
    p.add_argument("--period", default="midyear", help="for this year's national figures")
    p.add_argument("--kpi", required=True, help="KPI key (see show --format tsv)")
    p.add_argument("--field", required=True, choices=[f.value for f in Field])
    p.add_argument("value", nargs="?", help="as typed: ９５．５％, 12位 …; none: clear it")
    p.set_defaults(func=cmd_reference)

    p = sub.add_parser("check", parents=[options], help="check the database and its audit trail")
    p.set_defaults(func=cmd_check)
