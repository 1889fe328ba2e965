"""`plandesk consolidate DIR --all`: every fiscal year and period under a folder.

Reads every file under DIR once (progress "[n/total] path" on stderr), makes
one consolidation per (year, period) found (``services.consolidation_tree``),
prints one line per board and then every refused file with its reason, and
writes one national workbook (and benchmark pack) per board into the folders
``--out`` / ``--pack``; ``--sign``: every national workbook and pack signed with HQ's
key (the passphrase asked once, before any file is read), as the one-folder command
signs its own. Exit code: 0 all clean, 1 a file was refused (invalid,
not signed off, or no year and period could be told for it), 2 no submission
found under DIR. Never imports Qt.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from desktop.cli.common import EXIT_FAILED, EXIT_OK, EXIT_USAGE, actor, db_path, lang_of, say
from desktop.cli.hq_common import file_line, show_progress, signing_key, template_plan
from desktop.domain.errors import BadInput
from desktop.domain.text import Text
from desktop.services import benchmarks, consolidation
from desktop.services.consolidation import BranchStatus, Consolidation, period_label
from desktop.services.consolidation_tree import TreeConsolidation, consolidate_tree
from desktop.services.key_registry import trusted_keys
from desktop.services.signing_keys import keys_dir


def _folder(text: str | None, what: Text) -> Path | None:
    if not text:
        return None
    folder = Path(text)
    if folder.suffix.lower() == ".xlsx" or (folder.exists() and not folder.is_dir()):
        raise BadInput(
            f"--all では{what.ja}の出力先はフォルダにしてください（「{folder}」）。",
            f"With --all, the {what.en} output must be a folder ('{folder}').",
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BadInput(
            f"出力先のフォルダ「{folder}」を作れません（{exc.strerror or exc}）。",
            f"Cannot create the output folder '{folder}' ({exc.strerror or exc}).",
        ) from exc
    return folder


def _board_line(run: Consolidation, lang: str) -> Text:
    board = run.board
    counts = board.counts()
    valid, total = counts[BranchStatus.VALID], len(board.branches)
    missing, invalid = counts[BranchStatus.MISSING], len(board.invalid_files)
    unsigned, superseded = len(board.unsigned_files), len(board.superseded_files)
    ja = period_label(run.fiscal_year, run.period, "ja")
    en = period_label(run.fiscal_year, run.period, "en")
    return Text(
        f"{ja}: 有効 {valid} 支部 / {total}、未提出 {missing}、無効 {invalid} 件、"
        f"未決裁 {unsigned} 件、旧版 {superseded} 件",
        f"{en}: valid {valid} of {total}, missing {missing}, invalid {invalid}, "
        f"not signed off {unsigned}, superseded {superseded}",
    )


def print_tree(result: TreeConsolidation, lang: str, seconds: float) -> None:
    """One line per board, the refused files with their reasons, and the totals."""
    say(lang, Text(f"フォルダ: {result.folder}", f"Folder: {result.folder}"))
    for run in result.runs:
        say(lang, _board_line(run, lang))
    for run in result.runs:
        if run.board.problems:
            ja = period_label(run.fiscal_year, run.period, "ja")
            en = period_label(run.fiscal_year, run.period, "en")
            say(lang, Text(f"{ja} の集計しなかったファイル:", f"Not counted for {en}:"))
            for f in run.board.problems:
                print(file_line(f, lang))
    if result.unplaced:
        say(
            lang,
            Text(
                f"年度・報告期間がわからないファイル: {len(result.unplaced)} 件",
                f"Files for no known year and period: {len(result.unplaced)}",
            ),
        )
        for f in result.unplaced:
            print(file_line(f, lang))
    problems = len(result.problems)
    say(
        lang,
        Text(
            f"合計: {len(result.runs)} 件の集計（年度・報告期間）、{result.files} ファイル、"
            f"集計しなかったファイル {problems} 件、{seconds:.1f} 秒",
            f"Total: {len(result.runs)} consolidations (year and period), {result.files} files, "
            f"{problems} not counted, {seconds:.1f} s",
        ),
    )


def cmd_consolidate_tree(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    if args.year is not None or args.period is not None:
        raise BadInput(
            "--all はすべての年度・報告期間を集計します。--year・--period と一緒には使えません。",
            "--all consolidates every year and period; it does not go with --year or --period.",
        )
    key = signing_key(args)  # a refusal here leaves no folder behind
    out = _folder(args.out, Text("全国集計", "national workbook"))
    pack = _folder(getattr(args, "pack", None), Text("全国平均・順位", "benchmark pack"))
    root = Path(args.dir)
    started = time.perf_counter()
    result = consolidate_tree(
        root,
        template=template_plan(args),
        on_file=show_progress(lang, root),
        registry=trusted_keys(keys_dir(db_path(args))),
    )
    seconds = time.perf_counter() - started
    print_tree(result, lang, seconds)
    if not result.runs:
        say(
            lang,
            Text(
                f"フォルダ「{root}」（サブフォルダを含む）に提出版がありません。"
                "フォルダを確認してください（何も書き出していません）。",
                f"No submission under the folder '{root}' (subfolders included): check the "
                "folder (nothing was written).",
            ),
            err=True,
        )
        return EXIT_USAGE
    for run in result.runs:
        if not run.results:
            continue  # nothing counted for that year and period: nothing to publish
        if out is not None:
            path = consolidation.write_national(run, out, actor=actor(), signing_key=key)
            say(
                lang,
                Text(f"全国集計を書き出しました: {path}", f"National workbook written: {path}"),
            )
        if pack is not None:
            path = benchmarks.write_pack(run, pack, actor=actor(), signing_key=key)
            say(
                lang,
                Text(f"全国平均・順位を書き出しました: {path}", f"Benchmark pack written: {path}"),
            )
    return EXIT_OK if result.clean else EXIT_FAILED
