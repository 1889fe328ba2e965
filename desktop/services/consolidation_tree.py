"""Consolidating many years and periods at once: a folder tree of submissions.

HQ's share keeps every year's files, often as ``2024/上期/…``, sometimes all in
one folder. :func:`consolidate_tree` reads every file under a folder once
(each through the full checks of ``read_workbook``), sorts the files by the
fiscal year and period their manifest names, and makes one board and one
consolidation per (year, period), exactly as :func:`consolidation.consolidate_folder`
would for a folder holding only those files.

A file whose manifest cannot be read at all (damaged, not a workbook) names no
year or period: it goes to the board most of the readable files of its own
folder are for, so a broken file in ``2024/上期/`` is reported there; a file
in a folder with no readable submission is listed as *unplaced*.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from desktop import collector
from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind, Plan
from desktop.services.consolidation import (
    Consolidation,
    FileStatus,
    SubmissionFile,
    board_of,
    consolidate_board,
    ignored,
    judge_file,
    read_file,
)
from desktop.services.key_registry import Registry
from desktop.workbooks.machine import Kind, WorkbookData, WorkbookError
from desktop.workbooks.peek import peek_manifest

YearPeriod = tuple[int, PeriodKind]
_PERIOD_ORDER = {PeriodKind.MIDYEAR: 0, PeriodKind.ANNUAL: 1}
_PROBLEMS = (FileStatus.INVALID, FileStatus.UNSIGNED)


@dataclass(frozen=True, slots=True)
class TreeConsolidation:
    """One consolidation per fiscal year and period found under ``folder``."""

    folder: Path
    runs: tuple[Consolidation, ...]  # oldest year first, mid-year before annual
    unplaced: tuple[SubmissionFile, ...]  # refused files no year or period could be told for
    files: int  # files read

    @property
    def problems(self) -> list[SubmissionFile]:
        """Every refused file (invalid or not signed off), on a board or unplaced."""
        unplaced = [f for f in self.unplaced if f.status in _PROBLEMS]
        return [f for run in self.runs for f in run.board.problems] + unplaced

    @property
    def clean(self) -> bool:
        """Nothing refused, on any board or unplaced (skipped files aside)."""
        return not self.problems


def list_tree(folder: str | Path) -> list[Path]:
    """Every file under ``folder`` (subfolders included, hidden folders and
    Excel's owner files left out), in path order."""
    root = Path(folder)
    if not root.is_dir():
        raise UserError(f"フォルダ「{root}」がありません。", f"The folder '{root}' does not exist.")
    try:
        paths = [
            p
            for p in root.rglob("*")
            if p.is_file()
            and not ignored(p)
            and not any(part.startswith(".") for part in p.relative_to(root).parts[:-1])
        ]
    except OSError as exc:
        raise UserError(
            f"フォルダ「{root}」を読めません（{exc.strerror or exc}）。",
            f"Cannot read the folder '{root}' ({exc.strerror or exc}).",
        ) from exc
    return sorted(paths)


def consolidate_tree(
    folder: str | Path,
    *,
    template: Plan | None = None,
    progress: Callable[[int, int], None] | None = None,
    on_file: Callable[[int, int, Path], None] | None = None,
    registry: Registry | None = None,
) -> TreeConsolidation:
    """Read every file under ``folder`` once and consolidate each (fiscal year,
    period) found. ``on_file(number, total, path)`` is called before a file is
    read, ``progress(done, total)`` after it (either may raise to stop). ``registry``:
    the public keys HQ trusts, as for :func:`consolidation.consolidate_folder`."""
    root = Path(folder)
    paths = list_tree(root)
    reads: list[tuple[Path, SubmissionFile | WorkbookData, YearPeriod | None]] = []
    with collector.paused():  # every file's data is kept: nothing to collect (collector.py)
        for number, path in enumerate(paths, start=1):
            if on_file is not None:
                on_file(number, len(paths), path)
            read = read_file(path, registry)
            reads.append((path, read, _year_period(path, read)))
            if progress is not None:
                progress(number, len(paths))

    by_folder: dict[Path, Counter[YearPeriod]] = {}
    for path, _read, found in reads:
        if found is not None:
            by_folder.setdefault(path.parent, Counter())[found] += 1
    placed: dict[YearPeriod, list[SubmissionFile]] = {}
    unplaced: list[SubmissionFile] = []
    for path, read, found in reads:
        key = found or _most_common(by_folder.get(path.parent))
        if key is None:
            if isinstance(read, WorkbookData):  # a workbook that is no submission: refused
                m = read.manifest
                read = judge_file(
                    path, read, m.fiscal_year, m.period or PeriodKind.MIDYEAR, registry
                )
            unplaced.append(read)
            continue
        year, period = key
        checked = (
            read
            if isinstance(read, SubmissionFile)
            else judge_file(path, read, year, period, registry)
        )
        placed.setdefault(key, []).append(checked)
    with collector.paused():  # the national figures: many small objects kept
        runs = tuple(
            consolidate_board(board_of(root, year, period, placed[(year, period)], template))
            for year, period in sorted(placed, key=lambda yp: (yp[0], _PERIOD_ORDER[yp[1]]))
        )
    return TreeConsolidation(root, runs, tuple(unplaced), len(paths))


def _year_period(path: Path, read: SubmissionFile | WorkbookData) -> YearPeriod | None:
    """The fiscal year and period a file says it is for: a submission's manifest,
    or (for a refused file) its manifest read on its own when that is possible."""
    if isinstance(read, WorkbookData) or read.manifest is not None:
        m = read.manifest
    elif path.suffix.lower() == ".xlsx":
        try:
            m = peek_manifest(path)
        except WorkbookError:
            return None
    else:
        return None
    if m.kind is not Kind.SUBMISSION or m.period is None:
        return None
    return (m.fiscal_year, m.period)


def _most_common(counts: Counter[YearPeriod] | None) -> YearPeriod | None:
    if not counts:
        return None
    return max(counts, key=lambda yp: (counts[yp], yp[0], _PERIOD_ORDER[yp[1]]))
