"""Headquarters consolidation: gather the branches' submissions from a folder.

HQ points PlanDesk at the shared-drive folder where the 47 branches drop
their signed-off submissions. :func:`scan_folder` reads every workbook there
(each one through the full checks of ``read_workbook``: archive, format, row
hashes, digest) and sorts the files onto a board of the 47 branches:

- **valid** — a signed-off submission of this fiscal year and period, from a
  branch 01–47, describing the same KPIs as the others;
- **unsigned** (未決裁) — a submission without the branch head's sign-off;
- **invalid** — damaged, not a PlanDesk workbook, edited after it was written
  (its data or its printed sheets), written by an older PlanDesk whose printed
  sheets cannot be checked, another kind, not a branch, or KPIs defined
  differently (unit, direction, decimals);
- **other period** — a sound submission for another fiscal year or period
  (last year's files stay in the share): not counted, not a problem either;
- **superseded** — a valid file of a branch that also sent a newer one (the
  newest ``created_at`` counts);
- **missing** — a branch with no file at all.

Nothing but the valid files is ever counted: :func:`consolidate_folder` hands
exactly one file per branch to ``domain.national.consolidate``.

Which year and period to look at is the person's choice; :func:`folder_periods`
offers the one most of the folder's files are for, read from the manifests
alone (cheap, unverified: a default, never a count).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from functools import partial
from pathlib import Path

from desktop import collector
from desktop.domain import rating_scopes
from desktop.domain.branches import BRANCHES
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.errors import UserError
from desktop.domain.model import Kpi, PeriodKind, Plan
from desktop.domain.national import (
    BRANCH_CODES,
    BranchFigure,
    BranchResult,
    NationalFigures,
    consolidate,
    year_target,
)
from desktop.domain.text import Text
from desktop.services.key_registry import Registry
from desktop.services.signatures import chain_breaks, check_signature, sign, vouches_for
from desktop.services.signing_keys import SigningKey
from desktop.workbooks import benchmark_pack, national
from desktop.workbooks.machine import (
    MANIFEST_SHEET,
    Kind,
    Manifest,
    WorkbookData,
    WorkbookError,
    print_not_provable,
)
from desktop.workbooks.national import BoardLine, NationalBook, write_national_workbook
from desktop.workbooks.peek import peek_manifest
from desktop.workbooks.reader import ChangedAfterWriting, read_workbook
from desktop.workbooks.safety import SuspiciousArchive, UnexpectedParts

# Files that are never submissions and never worth a line in the report:
# Excel's owner files (~$name.xlsx), our own half-written temporary files
# (.name.XXXX.tmp, see desktop.files), and what file browsers leave behind.
_IGNORED_NAMES = {"thumbs.db", "desktop.ini", ".ds_store"}
_FILE_NAME = re.compile(r"(\d{4})_(\d{2})_", re.ASCII)  # 2024_13_東京支部_…


class FileStatus(StrEnum):
    VALID = "valid"  # counted
    SUPERSEDED = "superseded"  # valid, but the same branch sent a newer one
    UNSIGNED = "unsigned"  # 未決裁
    INVALID = "invalid"
    OTHER_PERIOD = "other_period"  # a sound submission for another year or period
    SKIPPED = "skipped"  # not an .xlsx file: listed, never read

    @property
    def label_ja(self) -> str:
        return _FILE_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _FILE_LABELS[self][1]

    def label(self, lang: str = "ja") -> str:
        return self.label_ja if lang == "ja" else self.label_en


_FILE_LABELS = {
    FileStatus.VALID: ("有効", "valid"),
    FileStatus.SUPERSEDED: ("旧版", "superseded"),
    FileStatus.UNSIGNED: ("未決裁", "not signed off"),
    FileStatus.INVALID: ("無効", "invalid"),
    FileStatus.OTHER_PERIOD: ("他の年度・期間", "another year or period"),
    FileStatus.SKIPPED: ("対象外", "skipped"),
}
# How a file for another period is named in a status: 「令和5年度・上期のファイル」.
_PERIOD_SHORT = {
    PeriodKind.MIDYEAR: ("上期", "mid-year"),
    PeriodKind.ANNUAL: ("事業報告", "annual report"),
}


def period_label(fiscal_year: int, period: PeriodKind, lang: str = "ja") -> str:
    """「令和6年度・上期」 / "FY2024, mid-year": a year and period in a few words."""
    ja, en = _PERIOD_SHORT[period]
    if lang == "ja":
        return f"{fiscal_year_label(fiscal_year, 'era')}・{ja}"
    return f"FY{fiscal_year}, {en}"


class Problem(StrEnum):
    """Why a file is not counted."""

    UNREADABLE = "unreadable"  # damaged, not a workbook at all
    FORMAT = "format"  # a workbook, but not PlanDesk's (or a newer version of it)
    TAMPERED = "tampered"  # edited after it was written (row hash / digest)
    WRONG_KIND = "wrong_kind"  # a template or work file, not a submission
    WRONG_YEAR = "wrong_year"
    WRONG_PERIOD = "wrong_period"
    NOT_A_BRANCH = "not_a_branch"  # HQ's own file, or an unknown code
    NO_REPORT = "no_report"
    STRUCTURE = "structure"  # a KPI defined differently from the others
    UNSIGNED = "unsigned"
    SUPERSEDED = "superseded"
    NOT_XLSX = "not_xlsx"
    HQ_OUTPUT = "hq_output"  # HQ's national workbook or benchmark pack
    OLD_FORMAT = "old_format"  # written before the printed sheets were sealed
    SIGNATURE = "signature"  # unsigned, unknown or revoked key, another branch's, changed

    @property
    def label_ja(self) -> str:
        return _PROBLEM_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _PROBLEM_LABELS[self][1]

    def label(self, lang: str = "ja") -> str:
        return self.label_ja if lang == "ja" else self.label_en


_PROBLEM_LABELS = {
    Problem.UNREADABLE: ("読めないファイル", "unreadable"),
    Problem.FORMAT: ("PlanDesk の形式ではない", "not PlanDesk's format"),
    Problem.TAMPERED: ("作成後に書き換え", "edited after writing"),
    Problem.WRONG_KIND: ("提出版ではない", "not a submission"),
    Problem.WRONG_YEAR: ("年度違い", "another fiscal year"),
    Problem.WRONG_PERIOD: ("報告期間違い", "another period"),
    Problem.NOT_A_BRANCH: ("支部コード不正", "not a branch"),
    Problem.NO_REPORT: ("報告なし", "no report"),
    Problem.STRUCTURE: ("KPI定義の相違", "KPI definitions differ"),
    Problem.UNSIGNED: ("未決裁", "not signed off"),
    Problem.SUPERSEDED: ("新しい版あり", "a newer version exists"),
    Problem.NOT_XLSX: ("xlsx ではない", "not an .xlsx file"),
    Problem.HQ_OUTPUT: ("本部の集計ファイル", "HQ's own output"),
    Problem.OLD_FORMAT: ("以前の形式（要再提出）", "older format: export again"),
    Problem.SIGNATURE: ("電子署名が無効", "signature not valid"),
}


class BranchStatus(StrEnum):
    VALID = "valid"
    UNSIGNED = "unsigned"
    INVALID = "invalid"
    MISSING = "missing"

    @property
    def label_ja(self) -> str:
        return _BRANCH_LABELS[self][0]

    @property
    def label_en(self) -> str:
        return _BRANCH_LABELS[self][1]

    def label(self, lang: str = "ja") -> str:
        return self.label_ja if lang == "ja" else self.label_en


_BRANCH_LABELS = {
    BranchStatus.VALID: ("受領（有効）", "received, valid"),
    BranchStatus.UNSIGNED: ("未決裁", "not signed off"),
    BranchStatus.INVALID: ("無効", "invalid"),
    BranchStatus.MISSING: ("未提出", "missing"),
}


@dataclass(frozen=True, slots=True)
class SubmissionFile:
    """One file found in the folder and what became of it."""

    path: Path
    status: FileStatus
    branch: str | None  # from the manifest; else guessed from the file name; None if unknown
    problem: Problem | None = None
    reason_ja: str = ""
    reason_en: str = ""
    manifest: Manifest | None = None
    data: WorkbookData | None = field(default=None, repr=False, compare=False)
    branch_from_name: bool = False  # the manifest could not be read: code taken from the name
    # Valid, but worth knowing: signed with a key revoked since, not signed (no key is
    # registered yet), or an audit chain that does not extend an earlier file's.
    notes: tuple[Text, ...] = ()
    chain_broken: bool = False  # its audit chain lacks an earlier file's audit head

    @property
    def name(self) -> str:
        return self.path.name

    def reason(self, lang: str = "ja") -> str:
        """Why the file is not counted, and what is worth knowing about it."""
        own = self.reason_ja if lang == "ja" else self.reason_en
        return " ".join(t for t in (own, *(n.get(lang) for n in self.notes)) if t)

    def status_label(self, lang: str = "ja") -> str:
        """The status as a person reads it; a file for another period says which."""
        m = self.manifest
        if self.status is FileStatus.OTHER_PERIOD and m is not None and m.period is not None:
            what = period_label(m.fiscal_year, m.period, lang)
            return f"{what}のファイル" if lang == "ja" else f"for {what}"
        return self.status.label(lang)

    @property
    def counted(self) -> bool:
        return self.status is FileStatus.VALID


@dataclass(frozen=True, slots=True)
class BranchCell:
    """One branch on the board: its status and every file it sent."""

    code: str
    status: BranchStatus
    chosen: SubmissionFile | None  # the file that is counted (status VALID)
    files: tuple[SubmissionFile, ...] = ()

    @property
    def name_ja(self) -> str:
        return BRANCHES[self.code].name_ja

    @property
    def name_en(self) -> str:
        return BRANCHES[self.code].name_en

    def name(self, lang: str = "ja") -> str:
        return self.name_ja if lang == "ja" else self.name_en


@dataclass(frozen=True, slots=True)
class Board:
    """The 47 branches for one fiscal year and period, and every file found."""

    folder: Path
    fiscal_year: int
    period: PeriodKind
    files: tuple[SubmissionFile, ...]  # in file-name order
    branches: dict[str, BranchCell]  # "01".."47", in code order
    kpis: tuple[Kpi, ...]  # HQ's KPI definitions the files were checked against
    plan: Plan | None  # the reference plan (template or first agreeing file): tree, titles

    def of(self, *statuses: FileStatus) -> list[SubmissionFile]:
        return [f for f in self.files if f.status in statuses]

    def branches_with(self, status: BranchStatus) -> list[BranchCell]:
        return [b for b in self.branches.values() if b.status is status]

    @property
    def valid(self) -> list[BranchCell]:
        return self.branches_with(BranchStatus.VALID)

    @property
    def missing(self) -> list[BranchCell]:
        return self.branches_with(BranchStatus.MISSING)

    @property
    def invalid_files(self) -> list[SubmissionFile]:
        return self.of(FileStatus.INVALID)

    @property
    def unsigned_files(self) -> list[SubmissionFile]:
        return self.of(FileStatus.UNSIGNED)

    @property
    def superseded_files(self) -> list[SubmissionFile]:
        return self.of(FileStatus.SUPERSEDED)

    @property
    def skipped_files(self) -> list[SubmissionFile]:
        return self.of(FileStatus.SKIPPED)

    @property
    def other_period_files(self) -> list[SubmissionFile]:
        return self.of(FileStatus.OTHER_PERIOD)

    @property
    def problems(self) -> list[SubmissionFile]:
        """Files that were refused (invalid or not signed off)."""
        return self.of(FileStatus.INVALID, FileStatus.UNSIGNED)

    @property
    def chain_broken_files(self) -> list[SubmissionFile]:
        """Files whose audit chain does not extend an earlier file's of the branch."""
        return [f for f in self.files if f.chain_broken]

    @property
    def clean(self) -> bool:
        """Nothing was refused (missing branches and superseded files aside) and no
        branch's history was rewritten."""
        return not self.problems and not self.chain_broken_files

    def counts(self) -> dict[BranchStatus, int]:
        tally = Counter(b.status for b in self.branches.values())
        return {s: tally.get(s, 0) for s in BranchStatus}


@dataclass(frozen=True, slots=True)
class Consolidation:
    """A board and the national figures of its valid submissions."""

    board: Board
    figures: NationalFigures
    results: dict[str, BranchResult]  # the counted branches' figures and marks, by code

    @property
    def kpis(self) -> tuple[Kpi, ...]:
        return self.board.kpis

    @property
    def plan(self) -> Plan | None:
        return self.board.plan

    @property
    def fiscal_year(self) -> int:
        return self.board.fiscal_year

    @property
    def period(self) -> PeriodKind:
        return self.board.period


# --- scanning --------------------------------------------------------------------------


def _sheet_names(path: Path) -> set[str]:
    """The sheet names in the workbook part: a cheap look for sorting a file that
    was refused (the file is not parsed further; a damaged one has none)."""
    try:
        with zipfile.ZipFile(path) as archive:
            info = archive.getinfo("xl/workbook.xml")
            if info.file_size > 1024 * 1024:
                return set()
            part = archive.read(info).decode("utf-8", errors="replace")
    except (OSError, KeyError, zipfile.BadZipFile, ValueError, RuntimeError, EOFError):
        return set()
    return set(re.findall(r'<sheet [^>]*name="([^"]+)"', part))


def _hq_output(path: Path) -> bool:
    """HQ may save the national workbook or the pack next to the submissions: those
    are skipped, not reported as invalid submissions. Recognised by their sheets."""
    sheets = _sheet_names(path)
    return {
        national.SUMMARY_SHEET,
        national.FIGURES_SHEET,
    } <= sheets or benchmark_pack.MANIFEST_SHEET in sheets


def ignored(path: Path) -> bool:
    name = path.name
    return (
        name.startswith("~$")  # Excel's owner file of an open workbook
        or (name.startswith(".") and name.endswith(".tmp"))  # desktop.files' temporary files
        or name.lower() in _IGNORED_NAMES
    )


def _branch_from_name(name: str) -> str | None:
    match = _FILE_NAME.match(name)
    if match and match.group(2) in BRANCH_CODES:
        return match.group(2)
    return None


def _refused(
    path: Path,
    problem: Problem,
    ja: str,
    en: str,
    *,
    data: WorkbookData | None = None,
    status: FileStatus = FileStatus.INVALID,
) -> SubmissionFile:
    manifest = data.manifest if data is not None else None
    code = manifest.branch if manifest is not None else _branch_from_name(path.name)
    return SubmissionFile(
        path=path,
        status=status,
        branch=code if code in BRANCH_CODES else None,
        problem=problem,
        reason_ja=ja,
        reason_en=en,
        manifest=manifest,
        data=data,
        branch_from_name=manifest is None and code is not None,
    )


def _period_label(period: PeriodKind | None, lang: str) -> str:
    if period is None:
        return "なし" if lang == "ja" else "none"
    return period.label_ja if lang == "ja" else period.label_en


def _format_error(exc: WorkbookError) -> bool:
    """The reader names the manifest's format cells when a readable workbook is
    not PlanDesk's (or a version this PlanDesk does not know)."""
    return exc.where in (f"{MANIFEST_SHEET}!format", f"{MANIFEST_SHEET}!format_version") or (
        "PlanDesk" in exc.reason.en and "data sheet" in exc.reason.en
    )


def _check_file(
    path: Path, fiscal_year: int, period: PeriodKind, registry: Registry | None = None
) -> SubmissionFile:
    """Read and check one file on its own (the KPI structure is compared later)."""
    read = read_file(path, registry)
    if isinstance(read, SubmissionFile):
        return read
    return judge_file(path, read, fiscal_year, period, registry)


def read_file(path: Path, registry: Registry | None = None) -> SubmissionFile | WorkbookData:
    """One file read through every check of ``read_workbook``: its data, or the
    file refused for what does not depend on the year and period looked at. A file
    whose signature checks against ``registry`` has its pages' record vouched for
    by it (not laid out again: docs/TRUST.md)."""
    if path.suffix.lower() != ".xlsx":
        return _refused(
            path,
            Problem.NOT_XLSX,
            "Excel ブック（.xlsx）ではないため読み込みません。",
            "Not an Excel workbook (.xlsx): not read.",
            status=FileStatus.SKIPPED,
        )
    try:
        data = read_workbook(path, vouched=lambda m: vouches_for(m, registry))
    except (ChangedAfterWriting, SuspiciousArchive) as exc:
        return _refused(path, Problem.TAMPERED, exc.message("ja"), exc.message("en"))
    except WorkbookError as exc:
        if isinstance(exc, UnexpectedParts) and MANIFEST_SHEET in _sheet_names(path):
            # One of our workbooks with pictures, comments or the like added.
            return _refused(path, Problem.TAMPERED, exc.message("ja"), exc.message("en"))
        if not (_format_error(exc) or isinstance(exc, UnexpectedParts)):
            return _refused(path, Problem.UNREADABLE, exc.message("ja"), exc.message("en"))
        if _hq_output(path):  # only a file that is not a PlanDesk workbook can be one
            return _refused(
                path,
                Problem.HQ_OUTPUT,
                "本部が作成した集計ファイル（全国集計・全国平均と順位）のため読み込みません。",
                "Headquarters' own output (national workbook or benchmark pack): not read.",
                status=FileStatus.SKIPPED,
            )
        return _refused(path, Problem.FORMAT, exc.message("ja"), exc.message("en"))
    return data


def judge_file(
    path: Path,
    data: WorkbookData,
    fiscal_year: int,
    period: PeriodKind,
    registry: Registry | None = None,
) -> SubmissionFile:
    """A file that was read, judged for the board of ``fiscal_year`` and ``period``;
    its signature checked against ``registry`` (the public keys HQ trusts)."""
    m = data.manifest
    if m.kind is not Kind.SUBMISSION:
        return _refused(
            path,
            Problem.WRONG_KIND,
            f"提出版ではありません（{m.kind.label_ja}）。",
            f"Not a submission ({m.kind.label_en}).",
            data=data,
        )
    if m.branch not in BRANCH_CODES:
        return _refused(
            path,
            Problem.NOT_A_BRANCH,
            f"支部コード「{m.branch}」は支部（01〜47）ではありません。",
            f"Branch code {m.branch!r} is not a branch (01-47).",
            data=data,
        )
    if m.fiscal_year != fiscal_year or m.period is not period:
        # A sound file, only not for this board (last year's files stay in the share).
        return _refused(
            path,
            Problem.WRONG_YEAR if m.fiscal_year != fiscal_year else Problem.WRONG_PERIOD,
            f"{fiscal_year_label(m.fiscal_year)} {_period_label(m.period, 'ja')}の提出版です"
            f"（表示中: {fiscal_year_label(fiscal_year)} {period.label_ja}）。"
            "この集計には含めません。年度・報告期間を切り替えると確認できます。",
            f"A submission for FY{m.fiscal_year}, {_period_label(m.period, 'en')} (showing "
            f"FY{fiscal_year}, {period.label_en}): not counted here. Switch the year or "
            "period to check it.",
            data=data,
            status=FileStatus.OTHER_PERIOD,
        )
    if data.report is None:
        return _refused(
            path,
            Problem.NO_REPORT,
            "報告の内容がありません。",
            "The file carries no report.",
            data=data,
        )
    older = print_not_provable(m)
    if older is not None:  # its printed sheets, which HQ reads, cannot be checked
        return _refused(path, Problem.OLD_FORMAT, *older, data=data)
    if not (m.signed_off_by and m.signed_off_at):
        return _refused(
            path,
            Problem.UNSIGNED,
            "支部長の決裁の記録がありません（未決裁）。",
            "The branch head has not signed it off.",
            data=data,
            status=FileStatus.UNSIGNED,
        )
    notes: tuple[Text, ...] = ()
    if registry is not None:
        check = check_signature(m, registry)
        if check.problem is not None:
            return _refused(path, Problem.SIGNATURE, check.problem.ja, check.problem.en, data=data)
        notes = check.notes
    return SubmissionFile(path, FileStatus.VALID, m.branch, manifest=m, data=data, notes=notes)


def _signature(kpi: Kpi) -> tuple[str, str, int]:
    return (kpi.unit, kpi.direction.value, kpi.decimals)


def _describe(kpi: Kpi) -> str:
    return f"{kpi.unit or '—'}・{kpi.direction.value}・{kpi.decimals}"


def _reference_kpis(
    candidates: Sequence[SubmissionFile], template: Plan | None
) -> tuple[tuple[Kpi, ...], Plan | None]:
    """HQ's KPI definitions: the template's when given; otherwise, per KPI key,
    the definition most of the files agree on (ties: the first file's). The
    first file with no disagreement supplies the plan tree and titles.

    Taking the majority rather than blindly the first file means one branch
    whose file has a wrong unit cannot make the other 46 look wrong."""
    if template is not None:
        return template.kpis, template
    votes: dict[str, Counter[tuple[str, str, int]]] = {}
    first: dict[tuple[str, tuple[str, str, int]], Kpi] = {}
    order: dict[str, None] = {}
    for f in candidates:
        assert f.data is not None
        for k in f.data.plan.kpis:
            order.setdefault(k.key)
            votes.setdefault(k.key, Counter())[_signature(k)] += 1
            first.setdefault((k.key, _signature(k)), k)
    winners = {key: max(c.items(), key=lambda item: item[1])[0] for key, c in votes.items()}
    # max() keeps the first of equal counts: Counter preserves insertion (file) order.
    kpis = tuple(first[(key, winners[key])] for key in order)
    plan = next(
        (
            f.data.plan
            for f in candidates
            if f.data is not None and all(_signature(k) == winners[k.key] for k in f.data.plan.kpis)
        ),
        candidates[0].data.plan if candidates and candidates[0].data else None,
    )
    return kpis, plan


def _structure_problem(data: WorkbookData, reference: dict[str, Kpi]) -> tuple[str, str] | None:
    for k in data.plan.kpis:
        ref = reference.get(k.key)
        if ref is not None and _signature(ref) != _signature(k):
            return (
                f"KPI「{k.label}{k.name}」（{k.key}）の定義が他の支部と異なります"
                f"（単位・目標の向き・小数の桁数: {_describe(k)}、本部: {_describe(ref)}）。",
                f"KPI '{k.label}{k.name}' ({k.key}) is defined differently from the others "
                f"(unit, direction, decimals: {_describe(k)}; HQ: {_describe(ref)}).",
            )
    return None


def list_folder(folder: Path) -> list[Path]:
    if not folder.is_dir():
        raise UserError(
            f"フォルダ「{folder}」がありません。", f"The folder '{folder}' does not exist."
        )
    try:
        entries = sorted(p for p in folder.iterdir() if p.is_file() and not ignored(p))
    except OSError as exc:
        raise UserError(
            f"フォルダ「{folder}」を読めません（{exc.strerror or exc}）。",
            f"Cannot read the folder '{folder}' ({exc.strerror or exc}).",
        ) from exc
    return entries


def scan_folder(
    folder: str | Path,
    *,
    fiscal_year: int,
    period: PeriodKind,
    template: Plan | None = None,
    progress: Callable[[int, int], None] | None = None,
    registry: Registry | None = None,
    on_file: Callable[[int, int, Path], None] | None = None,
) -> Board:
    """Read and sort every file in ``folder`` (not its subfolders) onto the board.

    ``template``: HQ's plan whose KPI definitions the files must match; without
    it, the definitions most files agree on. ``progress(done, total)`` is called
    after each file, ``on_file(number, total, path)`` before it is read (both
    from the calling thread; either may raise to stop the scan). ``registry``: the
    public keys HQ trusts; the signatures are checked against it (PlanDesk always
    passes HQ's).
    """
    folder = Path(folder)
    paths = list_folder(folder)
    checked = []
    with collector.paused():  # every file's data is kept: nothing to collect (collector.py)
        for done, path in enumerate(paths, start=1):
            if on_file is not None:
                on_file(done, len(paths), path)
            checked.append(_check_file(path, fiscal_year, period, registry))
            if progress is not None:
                progress(done, len(paths))
        return board_of(folder, fiscal_year, period, checked, template)


def board_of(
    folder: Path,
    fiscal_year: int,
    period: PeriodKind,
    checked: Sequence[SubmissionFile],
    template: Plan | None = None,
) -> Board:
    """The board of files checked on their own (``_check_file``): the KPI
    structure compared, one file counted per branch."""
    # The KPI structure, over the files that passed every other check.
    candidates = [f for f in checked if f.status is FileStatus.VALID]
    kpis, plan = _reference_kpis(candidates, template)
    reference = {k.key: k for k in kpis}
    files: list[SubmissionFile] = []
    for f in checked:
        if f.status is FileStatus.VALID and f.data is not None:
            problem = _structure_problem(f.data, reference)
            if problem is not None:
                f = _refused(f.path, Problem.STRUCTURE, *problem, data=f.data)
        files.append(f)

    # One counted file per branch: the newest; the others are superseded.
    by_branch: dict[str, list[SubmissionFile]] = {}
    for f in files:
        if f.branch is not None:
            by_branch.setdefault(f.branch, []).append(f)
    newest: dict[str, SubmissionFile] = {}
    for code, own in by_branch.items():
        valid = [f for f in own if f.status is FileStatus.VALID]
        if valid:
            newest[code] = max(valid, key=lambda f: (f.manifest.created_at, f.name))  # type: ignore[union-attr]
    final: list[SubmissionFile] = []
    for f in files:
        chosen = newest.get(f.branch) if f.branch else None
        if f.status is FileStatus.VALID and chosen is not None and f is not chosen:
            f = SubmissionFile(
                path=f.path,
                status=FileStatus.SUPERSEDED,
                branch=f.branch,
                problem=Problem.SUPERSEDED,
                reason_ja=f"より新しい「{chosen.name}」が集計されます。",
                reason_en=f"The newer '{chosen.name}' is counted instead.",
                manifest=f.manifest,
                data=f.data,
            )
        final.append(f)
    final = _flag_chain_breaks(final)

    branches: dict[str, BranchCell] = {}
    for code in sorted(BRANCH_CODES):
        own = tuple(f for f in final if f.branch == code)
        if code in newest:
            status = BranchStatus.VALID
        elif any(f.status is FileStatus.INVALID for f in own):
            status = BranchStatus.INVALID
        elif any(f.status is FileStatus.UNSIGNED for f in own):
            status = BranchStatus.UNSIGNED
        else:
            status = BranchStatus.MISSING
        chosen_file = next((f for f in own if f.status is FileStatus.VALID), None)
        branches[code] = BranchCell(code, status, chosen_file, own)
    return Board(
        folder=folder,
        fiscal_year=fiscal_year,
        period=period,
        files=tuple(final),
        branches=branches,
        kpis=tuple(kpis),
        plan=plan,
    )


def _flag_chain_breaks(files: list[SubmissionFile]) -> list[SubmissionFile]:
    """Every sound file of a branch in the folder (any year or period) is compared with
    the others: a later file whose audit chain lacks an earlier one's head is flagged."""
    sound = (FileStatus.VALID, FileStatus.SUPERSEDED, FileStatus.OTHER_PERIOD)
    signed = [(f.name, f.manifest) for f in files if f.status in sound and f.manifest]
    flagged: dict[str, list[Text]] = {}
    for found in chain_breaks(signed):  # type: ignore[arg-type]
        flagged.setdefault(found.later, []).append(found.text())
    return [
        replace(f, notes=(*f.notes, *flagged[f.name]), chain_broken=True)
        if f.name in flagged
        else f
        for f in files
    ]


# --- which year and period a folder is for ---------------------------------------------

_PERIOD_ORDER = {PeriodKind.MIDYEAR: 0, PeriodKind.ANNUAL: 1}


@dataclass(frozen=True, slots=True)
class FolderPeriods:
    """What the submissions in a folder say they are for, read from their manifests
    alone (unverified: it picks the board's default, it never counts anything)."""

    counts: dict[tuple[int, PeriodKind], int]  # (fiscal year, period) → submissions
    unreadable: int = 0  # .xlsx files whose manifest could not be read

    @property
    def most_common(self) -> tuple[int, PeriodKind] | None:
        """The year and period most files are for; on a tie the latest one."""
        if not self.counts:
            return None
        return max(self.counts, key=lambda yp: (self.counts[yp], yp[0], _PERIOD_ORDER[yp[1]]))

    def ordered(self) -> list[tuple[int, PeriodKind, int]]:
        """(year, period, files), the most common first."""
        return sorted(
            ((y, p, n) for (y, p), n in self.counts.items()),
            key=lambda t: (-t[2], -t[0], -_PERIOD_ORDER[t[1]]),
        )

    def describe(self, lang: str = "ja") -> str:
        """「令和6年度・上期 47件、令和5年度・上期 3件」."""
        if lang == "ja":
            return "、".join(f"{period_label(y, p, 'ja')} {n}件" for y, p, n in self.ordered())
        return ", ".join(f"{period_label(y, p, 'en')}: {n}" for y, p, n in self.ordered())


def folder_periods(
    folder: str | Path, *, progress: Callable[[int, int], None] | None = None
) -> FolderPeriods:
    """Which fiscal year and period the branch submissions in ``folder`` are for.

    Reads only each workbook's manifest (about a tenth of a full check); run it off
    the GUI thread. ``progress(done, total)`` is called after each file."""
    paths = [p for p in list_folder(Path(folder)) if p.suffix.lower() == ".xlsx"]
    counts: Counter[tuple[int, PeriodKind]] = Counter()
    unreadable = 0
    for done, path in enumerate(paths, start=1):
        try:
            m = peek_manifest(path)
        except WorkbookError:
            unreadable += 1
        else:
            if m.kind is Kind.SUBMISSION and m.period is not None and m.branch in BRANCH_CODES:
                counts[(m.fiscal_year, m.period)] += 1
        if progress is not None:
            progress(done, len(paths))
    return FolderPeriods(dict(counts), unreadable)


# --- consolidating -------------------------------------------------------------------------


def branch_result(data: WorkbookData, kpis: Iterable[Kpi]) -> BranchResult:
    """What one valid submission contributes: a figure per KPI it reported, with the
    branch's own KPI definition so that HQ judges it as the branch's report does
    (domain.national._assess), and the mark of each section."""
    report = data.report
    assert report is not None
    own = {k.key: k for k in data.plan.kpis}
    measured = {m.kpi_key: m for m in report.measurements}
    figures = []
    for kpi in kpis:
        m = measured.get(kpi.key)
        if m is None:
            continue
        branch_kpi = own.get(kpi.key)
        target = year_target(branch_kpi or kpi, data.plan.fiscal_year)
        figures.append(BranchFigure.from_measurement(kpi, m, target, branch_kpi=branch_kpi))
    # A rating scope counts once: its mark is its holder's; the other items have none.
    rated = set(rating_scopes.rated_units(data.plan, (n.key for n in data.plan.nodes)))
    marks = {e.node_key: e.mark for e in report.entries if e.node_key in rated}
    return BranchResult(data.manifest.branch, tuple(figures), marks, as_of=report.as_of)


def section_keys(plan: Plan | None) -> list[str]:
    """The sections a branch marks, in the plan's printed order."""
    if plan is None:
        return []
    children: dict[str | None, list] = {}
    for node in plan.nodes:
        children.setdefault(node.parent_key, []).append(node)
    out: list[str] = []

    def walk(parent: str | None) -> None:
        for node in sorted(children.get(parent, []), key=lambda n: n.position):
            if plan.is_reportable(node.key) and not rating_scopes.is_rated_elsewhere(
                plan, node.key
            ):
                out.append(node.key)
            walk(node.key)

    walk(None)
    return out


def consolidate_board(board: Board) -> Consolidation:
    results = {
        cell.code: branch_result(cell.chosen.data, board.kpis)
        for cell in board.valid
        if cell.chosen is not None and cell.chosen.data is not None
    }
    figures = consolidate(
        board.kpis,
        list(results.values()),
        fiscal_year=board.fiscal_year,
        period=board.period,
        section_keys=section_keys(board.plan),
    )
    return Consolidation(board=board, figures=figures, results=results)


def consolidate_folder(
    folder: str | Path,
    *,
    fiscal_year: int,
    period: PeriodKind,
    template: Plan | None = None,
    progress: Callable[[int, int], None] | None = None,
    registry: Registry | None = None,
    on_file: Callable[[int, int, Path], None] | None = None,
) -> Consolidation:
    """Scan ``folder`` and consolidate its valid submissions."""
    board = scan_folder(
        folder,
        fiscal_year=fiscal_year,
        period=period,
        template=template,
        progress=progress,
        registry=registry,
        on_file=on_file,
    )
    with collector.paused():  # the national figures: many small objects kept (collector.py)
        return consolidate_board(board)


def branch_label(code: str | None, lang: str = "ja") -> str:
    if code is None:
        return "支部不明" if lang == "ja" else "unknown branch"
    return find_branch(code).label(lang)


# --- the national workbook ------------------------------------------------------------------


def _signer(f: SubmissionFile | None) -> str:
    if f is None or f.manifest is None:
        return ""
    return f.manifest.signed_off_name or f.manifest.signed_off_by or ""


def national_book(
    consolidation: Consolidation, *, created_by: str = "", created_at: datetime | None = None
) -> NationalBook:
    """What the national workbook shows, from a consolidation."""
    board = consolidation.board
    branches = []
    for cell in board.branches.values():
        refused = [f for f in cell.files if f.status in (FileStatus.INVALID, FileStatus.UNSIGNED)]
        shown = cell.chosen or (refused[0] if refused else None)
        branches.append(
            BoardLine(
                branch=cell.code,
                status_ja=cell.status.label_ja,
                status_en=cell.status.label_en,
                file_name=shown.name if shown else "",
                reason_ja="" if cell.chosen or shown is None else shown.reason_ja,
                reason_en="" if cell.chosen or shown is None else shown.reason_en,
                signed_off_name=_signer(cell.chosen),
                counted=cell.chosen is not None,
            )
        )
    files = [
        BoardLine(
            branch=f.branch,
            status_ja=f.status_label("ja")
            + (f"（{f.problem.label_ja}）" if f.problem and f.status is FileStatus.INVALID else ""),
            status_en=f.status_label("en"),
            file_name=f.name,
            reason_ja=f.reason_ja,
            reason_en=f.reason_en,
            signed_off_name=_signer(f),
        )
        for f in board.files
        if f.status is not FileStatus.VALID
    ]
    return NationalBook(
        fiscal_year=board.fiscal_year,
        period=board.period,
        figures=consolidation.figures,
        kpis=board.kpis,
        plan=board.plan,
        results=consolidation.results,
        branches=branches,
        files=files,
        created_at=created_at or datetime.now(UTC),
        created_by=created_by,
        branch_plans={
            cell.code: cell.chosen.data.plan
            for cell in board.valid
            if cell.code in consolidation.results
            and cell.chosen is not None
            and cell.chosen.data is not None
        },
    )


def write_national(
    consolidation: Consolidation,
    out: str | Path,
    *,
    actor: str = "",
    signing_key: SigningKey | None = None,
) -> Path:
    """Write the national workbook to the file ``out`` (or, given a folder, to
    ``{year}_全国集計_{period}.xlsx`` in it); sealed and signed with HQ's
    ``signing_key`` when given (``workbooks.national_seal``)."""
    target = Path(out)
    if target.is_dir():
        period = "上期" if consolidation.period is PeriodKind.MIDYEAR else "年度"
        target = target / f"{consolidation.fiscal_year}_全国集計_{period}.xlsx"
    if target.suffix.lower() != ".xlsx":
        raise UserError(
            f"出力先「{target.name}」は .xlsx にしてください。",
            f"The output '{target.name}' must end in .xlsx.",
        )
    book = national_book(consolidation, created_by=actor)
    signer = partial(sign, key=signing_key) if signing_key is not None else None
    return write_national_workbook(book, target, signer)
