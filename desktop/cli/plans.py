"""Whole plans on the command line, as ``plandesk.plan/1`` documents
(docs/plan-json-format.md), so that HQ's IT can prepare or migrate plans in bulk.

`plandesk plan export --branch N --year Y [--out FILE]` writes the stored plan (to
stdout without --out); `plandesk plan import FILE [--apply]` shows what the file
would create, change and leave alone, and writes it only with --apply;
`plandesk plan new --branch N --year Y [--template FILE]` starts a branch plan
from HQ's template; `plandesk plan status|submit|withdraw|approve|send-back|reopen|diff`
take the plan through its approval (desktop/cli/plan_approval.py); add / rename / move /
remove / add-kpi write its structure (desktop/cli/plan_structure.py). Never imports Qt.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import (
    EXIT_OK,
    actor,
    global_options,
    lang_of,
    open_db,
    parse_branch,
    parse_year,
    say,
)
from desktop.cli.plan_approval import register as register_plan_approval
from desktop.cli.plan_structure import register_actions as register_structure_actions
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.merge import FieldMerge
from desktop.domain.model import PeriodKind
from desktop.domain.text import Text
from desktop.services import plan_exchange
from desktop.services.plan_exchange import PlanImportPreview, Resolve

_PERIOD = {
    None: Text("計画", "plan"),
    PeriodKind.MIDYEAR: Text("上期", "mid-year"),
    PeriodKind.ANNUAL: Text("年度", "annual"),
}


def _short(value: str | None, width: int = 40) -> str:
    if value is None:
        return "—"
    flat = value.replace("\n", " ")
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def _write_utf8(text: str) -> None:
    """The document on standard output as UTF-8 bytes, whatever the console's code page:
    `plandesk plan export > plan.json` on a Japanese Windows (cp932) must not turn
    characters cp932 lacks into '?' (the format is UTF-8)."""
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:
        sys.stdout.write(text)
        return
    sys.stdout.flush()
    buffer.write(text.encode("utf-8"))
    buffer.flush()


def cmd_export(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    code, year = parse_branch(args.branch), parse_year(args.year)
    with open_db(args) as db:
        if not args.out:
            _write_utf8(plan_exchange.plan_text(db, code, year))
            return EXIT_OK
        path = plan_exchange.export_plan(db, code, year, Path(args.out))
    say(lang, Text(f"計画を書き出しました: {path}", f"Plan written: {path}"))
    return EXIT_OK


def _describe(
    preview: PlanImportPreview, period: PeriodKind | None, m: FieldMerge, lang: str
) -> str:
    return f"{_PERIOD[period].get(lang)} {preview.label(m.owner)} {m.label(lang)}"


def print_preview(preview: PlanImportPreview, source: str, lang: str) -> None:
    """What the import would do: created, changed, conflicts, left alone, refused."""
    plan = preview.plan
    who = find_branch(plan.branch)
    say(
        lang,
        Text(
            f"{source}: {who.label('ja')} {fiscal_year_label(plan.fiscal_year)}「{plan.title}」",
            f"{source}: {who.label('en')} FY{plan.fiscal_year} '{plan.title}'",
        ),
    )
    if preview.creates_plan:
        reports = len(plan.reports)
        say(
            lang,
            Text(
                f"  作成: 計画（項目 {len(plan.nodes)}、KPI {len(plan.kpis)}、報告 {reports}）",
                f"  Creates: the plan ({len(plan.nodes)} items, {len(plan.kpis)} KPIs, "
                f"{reports} reports)",
            ),
        )
        return
    if preview.structure:
        if preview.replaces:
            head = Text(
                "  計画の構成を置き換えます（報告・月次実績はまだありません）:",
                "  Replaces the plan's structure (it has no reports or monthly figures yet):",
            )
        else:
            head = Text(
                "  構成の違い（入力済みの計画のため取り込めません）:",
                "  Structure differs (refused: the plan holds entered data):",
            )
        say(lang, head)
        for change in preview.structure:
            print("    " + change.label(lang))
    for period in preview.merge.new_reports:
        say(
            lang,
            Text(
                f"  作成: {_PERIOD[period].ja}の報告", f"  Creates: the {_PERIOD[period].en} report"
            ),
        )
    if not (preview.replaces or preview.refused_structure):
        for title, items in (
            (Text("新規（保存済みは空）", "New (empty here)"), preview.new),
            (
                Text("競合（保存済みと異なる）", "Conflicts (differ from what is stored)"),
                preview.conflicts,
            ),
        ):
            if not items:
                continue
            say(lang, Text(f"  {title.ja}: {len(items)} 件", f"  {title.en}: {len(items)}"))
            for period, m in items:
                print(
                    f"    {_describe(preview, period, m, lang)}: {_short(m.ours)} → {_short(m.theirs)}"
                )
        if preview.blocked:
            n = len(preview.blocked)
            say(lang, Text(f"  上書きしない（規則により）: {n} 件", f"  Refused by the rules: {n}"))
            for period, m, why in preview.blocked:
                print(f"    {_describe(preview, period, m, lang)}（{why.label(lang)}）")
        left = len(preview.left_alone)
        say(lang, Text(f"  そのまま: {left} 件", f"  Left alone: {left}"))
        for period in preview.merge.headers_differ:
            say(
                lang,
                Text(
                    f"  {_PERIOD[period].ja}の報告の時点・表題がファイルと異なります（保存済みのまま）",
                    f"  The {_PERIOD[period].en} report's as-of month or title differs "
                    "(kept as stored)",
                ),
            )
        if preview.merge.benchmarks_differ:
            n = len(preview.merge.benchmarks_differ)
            say(
                lang,
                Text(
                    f"  全国平均・順位がファイルと異なります: {n} 件"
                    "（保存済みのまま。本部の全国平均ファイルで更新します）",
                    f"  National averages or ranks differ: {n} (kept as stored; HQ's "
                    "benchmark pack updates them)",
                ),
            )
    if preview.nothing_to_do:
        say(lang, Text("  取り込む変更はありません。", "  Nothing to import."))


def cmd_import(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    plan = plan_exchange.read_plan_document(Path(args.file))
    branch = parse_branch(args.branch) if args.branch else None
    year = parse_year(args.year) if args.year else None
    resolve = {"ours": Resolve.STORED, "theirs": Resolve.FILE}.get(args.prefer or "")
    with open_db(args, create=bool(args.apply)) as db:
        preview = plan_exchange.preview_plan_import(db, plan, branch=branch, fiscal_year=year)
        print_preview(preview, Path(args.file).name, lang)
        if not args.apply:
            say(
                lang,
                Text(
                    "（確認のみ。何も変更していません。取り込むには --apply を付けてください）",
                    "(preview: nothing changed; add --apply to import)",
                ),
            )
            return EXIT_OK
        if preview.nothing_to_do:
            return EXIT_OK
        result = plan_exchange.apply_plan_import(
            db, plan, actor=actor(), resolve=resolve, branch=branch, fiscal_year=year
        )
    if result.created_plan:
        say(lang, Text("計画を作成しました。", "Created the plan."))
    elif result.replaced_plan:
        say(lang, Text("計画を置き換えました。", "Replaced the plan."))
    else:
        kept = (
            Text(f"、保存済みのまま {result.kept} 件", f", {result.kept} kept as stored")
            if result.kept
            else Text.same("")
        )
        say(
            lang,
            Text(
                f"取り込みました: {result.applied} 件{kept.ja}。",
                f"Imported: {result.applied} field(s){kept.en}.",
            ),
        )
    return EXIT_OK


def cmd_new(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    code, year = parse_branch(args.branch), parse_year(args.year)
    template = plan_exchange.read_plan_document(Path(args.template)) if args.template else None
    with open_db(args, create=True) as db:
        installed = plan_exchange.new_plan(db, code, year, actor=actor(), template=template)
    who = find_branch(code)
    say(
        lang,
        Text(
            f"{who.name_ja}の{fiscal_year_label(year)}の計画を作成しました: {installed.title}",
            f"Created the FY{year} plan of {who.name_en}: {installed.title}",
        ),
    )
    return EXIT_OK


def _plan_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--branch", required=True, help="branch code (13 = 東京, 00 = 本部)")
    p.add_argument("--year", required=True, help="fiscal year, western (2024 = 令和6年度)")


def register(sub: argparse._SubParsersAction, options: argparse.ArgumentParser) -> None:
    action_options = global_options("action")
    p = sub.add_parser(
        "plan", parents=[options], help="whole plans as plandesk.plan/1 JSON documents"
    )
    actions = p.add_subparsers(dest="plan_command", metavar="ACTION", required=True)
    q = actions.add_parser("export", parents=[action_options], help="write a stored plan")
    _plan_args(q)
    q.add_argument("--out", help="the file (or folder) to write; without it, standard output")
    q.set_defaults(func=cmd_export)
    q = actions.add_parser(
        "import", parents=[action_options], help="preview (and with --apply, import) a plan file"
    )
    q.add_argument("file", help="a plandesk.plan/1 JSON file")
    q.add_argument("--apply", action="store_true", help="write it (without: preview only)")
    q.add_argument("--branch", help="refuse a file of another branch")
    q.add_argument("--year", help="refuse a file of another fiscal year")
    q.add_argument(
        "--prefer",
        choices=["ours", "theirs"],
        help="resolve every conflict: keep what is stored (ours) or take the file's (theirs)",
    )
    q.set_defaults(func=cmd_import)
    q = actions.add_parser(
        "new", parents=[action_options], help="a new branch plan from HQ's template"
    )
    _plan_args(q)
    q.add_argument("--template", help="a plandesk.plan/1 file (default: HQ's template)")
    q.set_defaults(func=cmd_new)
    register_plan_approval(actions, action_options)
    register_structure_actions(actions, action_options, _plan_args)
