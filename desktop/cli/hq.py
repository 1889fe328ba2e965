"""Headquarters on the command line: consolidate, benchmark packs, demo submissions.

`plandesk consolidate DIR --year --period --out FILE` reads every submission in
a folder, prints what was counted and what was not (and why), and writes the
national workbook; the exit code is 1 when any file was refused (invalid or
not signed off), so a script notices, and 2 when there was nothing to
consolidate (no .xlsx file in the folder, or no submission for the year and
period). With ``--all`` it consolidates every year and period under the folder
(``hq_tree``). Progress ("[n/total] file") goes to stderr. `plandesk benchmark-pack` writes the
national averages and ranks for the branches, `plandesk benchmark-import`
fills them into a branch database, and `plandesk demo --submissions DIR` writes
signed-off demo submissions for all 47 branches. Never imports Qt.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from desktop.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    EXIT_USAGE,
    actor,
    db_path,
    lang_of,
    open_db,
    parse_branch,
    parse_period,
    parse_year,
    required_period,
    say,
)
from desktop.cli.hq_common import file_line, show_progress, signing_key, template_plan
from desktop.cli.hq_tree import cmd_consolidate_tree
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.errors import BadInput
from desktop.domain.model import PeriodKind
from desktop.domain.parsing import format_decimal
from desktop.domain.text import Text
from desktop.services import benchmarks, consolidation
from desktop.services.consolidation import Board, BranchStatus, Consolidation
from desktop.services.demo_submissions import demo_keys, write_demo_submissions
from desktop.services.key_registry import trusted_keys
from desktop.services.signing_keys import keys_dir
from desktop.workbooks.benchmark_pack import read_benchmark_pack

DEFAULT_DEMO_YEAR = 2024


def print_board(board: Board, lang: str) -> None:
    """The report a person reads after a consolidation: what counted, what did not, why."""
    period = board.period
    total = len(board.branches)
    counts = board.counts()
    say(
        lang,
        Text(
            f"{fiscal_year_label(board.fiscal_year)} {period.label_ja} — フォルダ: {board.folder}",
            f"FY{board.fiscal_year} {period.label_en} — folder: {board.folder}",
        ),
    )
    say(
        lang,
        Text(
            f"有効: {counts[BranchStatus.VALID]} 支部 / {total}",
            f"Valid: {counts[BranchStatus.VALID]} of {total} branches",
        ),
    )
    missing = board.missing
    names = Text(
        ", ".join(f"{b.code} {b.name_ja}" for b in missing) or "なし",
        ", ".join(f"{b.code} {b.name_en}" for b in missing) or "none",
    )
    say(
        lang,
        Text(f"未提出: {len(missing)} 支部 — {names.ja}", f"Missing: {len(missing)} — {names.en}"),
    )
    sections = (
        (board.invalid_files, "無効", "Invalid"),
        (board.unsigned_files, "未決裁", "Not signed off"),
        (board.superseded_files, "旧版（新しい版を集計）", "Superseded (the newer file counts)"),
        (
            board.other_period_files,
            "他の年度・期間（集計しません）",
            "For another year or period (not counted)",
        ),
        (board.skipped_files, "対象外のファイル", "Skipped (not .xlsx)"),
    )
    for files, ja, en in sections:
        say(lang, Text(f"{ja}: {len(files)} 件", f"{en}: {len(files)}"))
        for f in files:
            print(file_line(f, lang))
    broken = board.chain_broken_files
    if broken:
        say(
            lang,
            Text(
                f"変更履歴が引き継がれていないファイル: {len(broken)} 件",
                f"Files whose audit chain does not extend an earlier one: {len(broken)}",
            ),
        )
        for f in broken:
            print(file_line(f, lang))
    if not board.valid:
        say(lang, Text("有効な提出版がありません。", "No valid submission."))


def _pack_written(path: Path) -> Text:
    return Text(f"全国平均・順位を書き出しました: {path}", f"Benchmark pack written: {path}")


def _consolidate(args: argparse.Namespace) -> Consolidation:
    folder = Path(args.dir)
    if args.year is None or args.period is None:
        raise BadInput(
            "--year と --period を指定してください（すべての年度・期間をまとめて集計するには --all）。",
            "Give --year and --period (or --all to consolidate every year and period at once).",
        )
    year, period = parse_year(args.year), required_period(args.period)
    if not any(p.suffix.lower() == ".xlsx" for p in consolidation.list_folder(folder)):
        raise BadInput(
            f"フォルダ「{folder}」には提出ファイル（.xlsx）がありません。フォルダを確認してください。",
            f"The folder '{folder}' holds no submission files (.xlsx): check the folder.",
        )
    return consolidation.consolidate_folder(
        folder,
        fiscal_year=year,
        period=period,
        template=template_plan(args),
        registry=trusted_keys(keys_dir(db_path(args))),
        on_file=show_progress(lang_of(args), folder),
    )


def nothing_counted(lang: str, board: Board) -> int:
    """A consolidation that counted no submission and refused none: say so, and
    the exit code (2: nothing was consolidated, nothing written)."""
    say(
        lang,
        Text(
            f"{fiscal_year_label(board.fiscal_year)} {board.period.label_ja} の有効な提出版が"
            "ありません。年度・報告期間とフォルダを確認してください（何も書き出していません）。",
            f"No valid submission for FY{board.fiscal_year} {board.period.label_en}: check the "
            "year, the period and the folder (nothing was written).",
        ),
        err=True,
    )
    return EXIT_USAGE


def _exit_code(board: Board) -> int:
    return EXIT_OK if board.clean else EXIT_FAILED


def cmd_consolidate(args: argparse.Namespace) -> int:
    if getattr(args, "all", False):
        return cmd_consolidate_tree(args)
    lang = lang_of(args)
    key = signing_key(args)
    result = _consolidate(args)
    print_board(result.board, lang)
    if not result.board.valid and result.board.clean:
        return nothing_counted(lang, result.board)
    if args.out:
        path = consolidation.write_national(result, Path(args.out), actor=actor(), signing_key=key)
        say(lang, Text(f"全国集計を書き出しました: {path}", f"National workbook written: {path}"))
    if getattr(args, "pack", None):
        path = benchmarks.write_pack(result, Path(args.pack), actor=actor(), signing_key=key)
        say(lang, _pack_written(path))
    if not result.board.clean:
        say(
            lang,
            Text(
                "集計しなかったファイルがあります（上記の無効・未決裁）。",
                "Some files were not counted (invalid or not signed off, above).",
            ),
        )
    return _exit_code(result.board)


def cmd_benchmark_pack(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    key = signing_key(args, needs=())
    result = _consolidate(args)
    print_board(result.board, lang)
    path = benchmarks.write_pack(result, Path(args.out), actor=actor(), signing_key=key)
    say(lang, _pack_written(path))
    return _exit_code(result.board)


def cmd_benchmark_import(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    code = parse_branch(args.branch)
    year = parse_year(args.year) if args.year else None
    with open_db(args) as db:
        result = benchmarks.import_benchmark_pack(
            db, Path(args.file), branch=code, actor=actor(), fiscal_year=year
        )
    print(result.summary(lang))
    pack = read_benchmark_pack(Path(args.file))
    for item in pack.kpis:
        if item.key in result.skipped:
            continue
        average = (
            "—"
            if item.national_average is None
            else format_decimal(item.national_average, item.decimals) + item.unit
        )
        rank = result.rank.get(item.key)
        shown = (
            Text(f"全国{rank}位/{item.ranked}", f"rank {rank} of {item.ranked}")
            if rank
            else Text("順位なし", "no rank")
        )
        say(
            lang,
            Text(
                f"  {item.name}: 全国平均 {average}、{shown.ja}",
                f"  {item.name}: national average {average}, {shown.en}",
            ),
        )
    return EXIT_OK


def cmd_demo_submissions(args: argparse.Namespace) -> int:
    """`plandesk demo --submissions DIR [--year --period]`."""
    lang = lang_of(args)
    folder = args.submissions
    year = parse_year(args.year) if args.year else DEFAULT_DEMO_YEAR
    period = parse_period(args.period) or PeriodKind.MIDYEAR
    # Signed as real branches sign, by keys made for this run only, which this
    # database's registry (the demo HQ's) then trusts: docs/TRUST.md.
    registry = keys_dir(db_path(args))
    keys = demo_keys(registry)
    paths = write_demo_submissions(Path(folder), fiscal_year=year, period=period, keys=keys)
    say(
        lang,
        Text(
            f"{fiscal_year_label(year)} {period.label_ja} の提出版（決裁・署名済みのデモ）を "
            f"{len(paths)} 支部分書き出しました: {folder}\n"
            f"デモ用の {len(keys.keys)} 支部の公開鍵をこの PC の登録簿に登録しました: {registry}"
            "（以後、この PC は署名のない提出版を受け付けません。研修用のデータベースで"
            "使ってください）",
            f"Wrote signed-off, signed demo submissions for {len(paths)} branches, "
            f"FY{year} {period.label_en}: {folder}\n"
            f"Registered the {len(keys.keys)} demo branches' public keys on this PC: "
            f"{registry} (from now on this PC refuses unsigned submissions: use a "
            "training database)",
        ),
    )
    return EXIT_OK


def _consolidation_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("dir", help="the folder with the branches' submission files")
    p.add_argument("--year", help="fiscal year, western (2024 = 令和6年度)")
    p.add_argument("--period", help="midyear or annual")
    p.add_argument("--template", help="HQ's template workbook the KPIs must match (optional)")


def _sign_args(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--sign",
        action="store_true",
        help="sign what is written (national workbooks, benchmark packs) with HQ's key",
    )
    p.add_argument(
        "--password-stdin", action="store_true", help="read the passphrase from standard input"
    )


def register(sub: argparse._SubParsersAction, options: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "consolidate",
        parents=[options],
        help="HQ: check a folder of submissions and write the national workbook",
    )
    _consolidation_args(p)
    p.add_argument("--out", help="the national workbook (.xlsx, or a folder; with --all a folder)")
    p.add_argument("--pack", help="also write the benchmark pack (.xlsx, or a folder)")
    _sign_args(p)
    p.add_argument(
        "--all",
        action="store_true",
        help="every fiscal year and period under DIR (subfolders included), one "
        "consolidation each; --out and --pack name folders",
    )
    p.set_defaults(func=cmd_consolidate)
    p = sub.add_parser(
        "benchmark-pack",
        parents=[options],
        help="HQ: national averages and ranks for the branches, from a folder of submissions",
    )
    _consolidation_args(p)
    p.add_argument("--out", required=True, help="the pack file (.xlsx, or a folder)")
    _sign_args(p)
    p.set_defaults(func=cmd_benchmark_pack)
    p = sub.add_parser(
        "benchmark-import",
        parents=[options],
        help="fill a branch's national averages and ranks from HQ's pack",
    )
    p.add_argument("file", help="the benchmark pack from HQ")
    p.add_argument("--branch", required=True, help="branch code (13 = 東京)")
    p.add_argument("--year", help="refuse a pack of another fiscal year")
    p.set_defaults(func=cmd_benchmark_import)
