"""Workbook exchange: export, import as a three-way merge, verify.

Export writes one of the three kinds (template, work file, submission) from
the database; import is always a merge — previewed first, applied in one
transaction, never an overwrite — and verify checks a file on its own.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop import __version__
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import YearMonth
from desktop.domain.errors import Refused, UserError
from desktop.domain.merge import FieldMerge, Outcome, report_fields, three_way
from desktop.domain.model import Kpi, PeriodKind, Plan, Report, ReportRef
from desktop.domain.review import SectionState
from desktop.domain.scales import scale_for
from desktop.domain.text import Text
from desktop.services.edit_scope import YEAR, EditScope, KpiFigure, Section, find_report
from desktop.services.editing import _check_row
from desktop.services.locks import (
    refuse_if_signed_off,
    signed_off_row,
    state_of,
)
from desktop.services.plans import get_plan
from desktop.services.review import find_user, signed_off
from desktop.store import audit, repository
from desktop.store.database import Database
from desktop.store.errors import DataRefused
from desktop.store.models import (
    BenchmarkRow,
    EntryRow,
    ExchangeBaseRow,
    KpiMonthlyRow,
    KpiRow,
    MeasurementRow,
    NodeRow,
    ReportRow,
    SectionReviewRow,
)
from desktop.store.repository import now_utc
from desktop.workbooks.machine import (
    Kind,
    Manifest,
    WorkbookData,
    WorkbookError,
    print_not_provable,
)
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.writer import write_workbook

_PERIOD_NAME = {PeriodKind.MIDYEAR: "上期進捗", PeriodKind.ANNUAL: "年度報告"}


# --- scope ------------------------------------------------------------------------


def section_scope(plan: Plan, sections: Iterable[str] = ()) -> tuple[list[str], list[Kpi]]:
    """The nodes and the KPIs under the given nodes (all when none)."""
    chosen = set(sections)
    unknown = chosen - {n.key for n in plan.nodes}
    if unknown:
        key = sorted(unknown)[0]
        raise UserError(f"項目 {key} はこの計画にありません。", f"No plan item {key} in this plan.")
    inside: set[str] = set()
    for node in plan.nodes:  # parents come first: a node is inside when its parent is
        if not chosen or node.key in chosen or (node.parent_key in inside):
            inside.add(node.key)
    # Headings too: a heading people do not report on has no entry, so it merges as
    # empty; an entry one does carry (from older data) still travels with the plan.
    nodes = [n.key for n in plan.nodes if n.key in inside]
    kpis = [k for k in plan.kpis if k.node_key in inside]
    return nodes, kpis


# --- export -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    manifest: Manifest


def file_stem(manifest: Manifest) -> str:
    """Names that sort by year, branch and period and say what the file is."""
    code = manifest.branch
    name = "本部" if code == "00" else find_branch(code).name_ja
    period = _PERIOD_NAME[manifest.period] if manifest.period else "計画"
    return f"{manifest.fiscal_year}_{code}_{name}_{period}_{manifest.kind.label_ja}"


def next_free_path(folder: Path, stem: str) -> Path:
    pattern = re.compile(re.escape(stem) + r"_v(\d+)\.xlsx$")
    taken = [int(m.group(1)) for p in folder.glob("*.xlsx") if (m := pattern.match(p.name))]
    return folder / f"{stem}_v{max(taken, default=0) + 1:02d}.xlsx"


class OverwriteRefused(Refused):
    """The destination is a signed-off submission and nobody confirmed replacing it."""


def export_workbook(
    db: Database,
    *,
    branch: str,
    fiscal_year: int,
    kind: Kind,
    out: str | Path,
    actor: str,
    period: PeriodKind | None = None,
    sections: Sequence[str] = (),
    overwrite_signed_off: bool = False,
) -> ExportResult:
    """Write a workbook into the folder ``out`` (a new version number each time)
    or to the file ``out``."""
    plan = get_plan(db, branch, fiscal_year)
    if kind is Kind.TEMPLATE:
        period = None
    elif period is None:
        raise UserError("報告期間を指定してください。", "Choose a report period.")
    signer = None
    report = plan.report(period) if period else None
    if kind is not Kind.TEMPLATE and report is None:
        report = Report(period=period, as_of=period.closing_month(fiscal_year))  # type: ignore[union-attr]
    ref = ReportRef(plan.branch, fiscal_year, period) if period else None
    if kind is Kind.SUBMISSION:
        assert ref is not None
        signer = signed_off(db, ref)
        if signer is None:
            raise UserError(
                "支部長の決裁が済んでいないため、提出版は作成できません（作業ファイルは作成できます）。",
                "The report is not signed off yet, so no submission can be written "
                "(a work file can).",
            )
    node_keys, kpis = section_scope(plan, sections if kind is Kind.WORK else ())
    if report is not None and kind is Kind.WORK:
        nodes = set(node_keys)
        keys = {k.key for k in kpis}
        report = replace(
            report,
            entries=tuple(e for e in report.entries if e.node_key in nodes),
            measurements=tuple(m for m in report.measurements if m.kpi_key in keys),
            benchmarks=tuple(b for b in report.benchmarks if b.kpi_key in keys),
        )
    bases: dict[str, str | None] = {}
    if kind is Kind.WORK and ref is not None:
        scope = set(report_fields(report, kpis, node_keys))
        bases = {k: v for k, v in _bases(db, ref).items() if k in scope}
    signer_user = find_user(db, signer.signed_by) if signer else None
    author = find_user(db, actor)
    manifest = Manifest(
        kind=kind,
        branch=plan.branch,
        fiscal_year=fiscal_year,
        period=period,
        app_version=__version__,
        created_by=actor,  # the login stays in the data, for the audit trail
        created_name=author.display_name if author else None,  # people read the name
        created_at=now_utc(),
        sections=tuple(sections) if kind is Kind.WORK else (),
        signed_off_by=signer.signed_by if signer else None,
        signed_off_at=signer.signed_at if signer else None,
        signed_off_name=signer_user.display_name if signer_user else None,
    )
    data = WorkbookData(
        manifest=manifest,
        plan=replace(plan, reports=(report,) if report is not None else ()),
        bases=bases,
    )
    target = Path(out)
    if target.is_dir():
        target = next_free_path(target, file_stem(manifest))
    elif target.suffix.lower() != ".xlsx":
        # Most likely a folder that does not exist: never write a file named like it.
        raise UserError(
            f"書き出し先「{target}」はフォルダとして見つからず、.xlsx ファイル名でもありません。",
            f"'{target}' is neither an existing folder nor an .xlsx file name.",
        )
    elif target.exists() and not overwrite_signed_off:
        _refuse_overwriting_submission(target)
    written = write_workbook(data, target)
    if kind is Kind.WORK and ref is not None:
        _record_sent(db, ref, report_fields(report, kpis, node_keys), actor=actor)
    return ExportResult(target, written.manifest)


def _record_sent(
    db: Database, ref: ReportRef, fields: Mapping[str, str | None], *, actor: str
) -> None:
    """What a work file carried is the common version for the file that comes back
    (bookkeeping for the merge, not content: no audit entry)."""
    with db.write() as session:
        _plan_id, report = find_report(session, ref, create=True, actor=actor)
        assert report is not None
        _remember(session, report.id, fields, now_utc())


def _refuse_overwriting_submission(target: Path) -> None:
    try:
        existing = read_workbook(target)
    except WorkbookError:
        return  # not one of ours, or damaged: replacing it loses no signed-off report
    m = existing.manifest
    if m.kind is Kind.SUBMISSION and m.signed_off_by:
        raise OverwriteRefused(
            f"「{target.name}」は決裁済みの提出版です。上書きするには確認が必要です。",
            f"'{target.name}' is a signed-off submission; replacing it needs confirmation.",
        )


def _bases(db: Database, ref: ReportRef) -> dict[str, str | None]:
    with db.read() as session:
        return _bases_in(session, ref)


def _bases_in(session: Session, ref: ReportRef) -> dict[str, str | None]:
    """What this database last exchanged per field of the report. Monthly figures
    belong to the fiscal year, not to one report: the latest exchange of either
    period's file counts for them."""
    plan_id, report = find_report(session, ref, create=False, need_report=False)
    rows = session.scalars(
        select(ExchangeBaseRow)
        .join(ReportRow, ReportRow.id == ExchangeBaseRow.report_id)
        .where(ReportRow.plan_id == plan_id)
        .order_by(ExchangeBaseRow.updated_at, ExchangeBaseRow.id)
    ).all()
    own = report.id if report is not None else None
    return {r.field: r.value for r in rows if r.report_id == own or r.field.startswith("monthly/")}


# --- verify -----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    data: WorkbookData | None
    problems_ja: tuple[str, ...] = ()
    problems_en: tuple[str, ...] = ()

    def problems(self, lang: str = "ja") -> tuple[str, ...]:
        return self.problems_ja if lang == "ja" else self.problems_en


def verify_file(path: str | Path) -> Verdict:
    """Format, digest, printed sheets and — for a submission — the sign-off."""
    try:
        data = read_workbook(path)
    except WorkbookError as exc:
        return Verdict(False, None, (exc.message("ja"),), (exc.message("en"),))
    m = data.manifest
    ja: list[str] = []
    en: list[str] = []
    older = print_not_provable(m)
    if older is not None:
        ja.append(older[0])
        en.append(older[1])
    if m.kind is Kind.SUBMISSION and not (m.signed_off_by and m.signed_off_at):
        ja.append("提出版ですが支部長の決裁の記録がありません。")
        en.append("A submission without a sign-off.")
    if m.kind is not Kind.TEMPLATE and data.report is None:
        ja.append("報告の内容がありません。")
        en.append("The file carries no report.")
    return Verdict(not ja, data, tuple(ja), tuple(en))


# --- import: preview --------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Expectation:
    """What the person importing expects (the plan they have open, the menu item)."""

    kinds: tuple[Kind, ...] = (Kind.WORK, Kind.SUBMISSION)
    branch: str | None = None
    fiscal_year: int | None = None
    period: PeriodKind | None = None


class LeftOut(StrEnum):
    """Why an import leaves a change out (shown next to each left-out change)."""

    SIGNED_OFF = "signed_off"  # the report is signed off: nothing in it changes
    APPROVED = "approved"  # the section is approved here
    EXCEPTED = "excepted"  # the branch head left the section out of this report
    SETTLED = "settled"  # a heading's KPI: every section under it is approved

    def label(self, lang: str = "ja") -> str:
        return _LEFT_OUT[self][0 if lang == "ja" else 1]


_LEFT_OUT = {
    LeftOut.SIGNED_OFF: ("決裁済みの報告のため", "report signed off here"),
    LeftOut.APPROVED: ("承認済みの項目のため", "section approved here"),
    LeftOut.EXCEPTED: ("除外された項目のため", "section excepted here"),
    LeftOut.SETTLED: ("配下の項目がすべて承認済みのため", "all sections under it approved here"),
}


@dataclass(frozen=True, slots=True)
class ImportPreview:
    path: Path
    data: WorkbookData
    creates_plan: bool
    merges: tuple[FieldMerge, ...]
    left_out: Mapping[str, LeftOut] = field(default_factory=dict)  # field → why it stays out
    labels: Mapping[str, str] = field(default_factory=dict)  # owner key → section/KPI title

    @property
    def locked(self) -> frozenset[str]:
        """The fields this import leaves as they are here (``left_out`` says why)."""
        return frozenset(self.left_out)

    def reason(self, field_name: str) -> LeftOut | None:
        return self.left_out.get(field_name)

    def of(self, *outcomes: Outcome) -> list[FieldMerge]:
        return [m for m in self.merges if m.outcome in outcomes and m.field not in self.locked]

    @property
    def new(self) -> list[FieldMerge]:
        return self.of(Outcome.NEW)

    @property
    def changes(self) -> list[FieldMerge]:
        return self.of(Outcome.CHANGE)

    @property
    def conflicts(self) -> list[FieldMerge]:
        return self.of(Outcome.CONFLICT)

    @property
    def blocked(self) -> list[FieldMerge]:
        """Changes the file would make that are left out (approved or excepted
        sections, a signed-off report: ``left_out`` says which)."""
        return [
            m
            for m in self.merges
            if m.field in self.locked
            and m.outcome in (Outcome.NEW, Outcome.CHANGE, Outcome.CONFLICT)
        ]

    @property
    def nothing_to_do(self) -> bool:
        return not (self.creates_plan or self.new or self.changes or self.conflicts)


def _mismatch(what_ja: str, what_en: str, file_value: object, expected: object) -> WorkbookError:
    return WorkbookError(
        f"ファイルの{what_ja}（{file_value}）が、取り込み先（{expected}）と一致しません。",
        f"The file's {what_en} ({file_value}) does not match the destination ({expected}).",
    )


def _check_expectation(data: WorkbookData, expect: Expectation) -> None:
    m = data.manifest
    if m.kind not in expect.kinds:
        raise WorkbookError(
            f"このファイルは{m.kind.label_ja}です。ここでは"
            f"{'・'.join(k.label_ja for k in expect.kinds)}を取り込みます。",
            f"This file is a {m.kind.label_en.lower()}; expected "
            f"{' or '.join(k.label_en.lower() for k in expect.kinds)}.",
        )
    if expect.branch is not None and m.branch != find_branch(expect.branch).code:
        raise _mismatch("支部", "branch", m.branch, expect.branch)
    if expect.fiscal_year is not None and m.fiscal_year != expect.fiscal_year:
        raise _mismatch("年度", "fiscal year", m.fiscal_year, expect.fiscal_year)
    if expect.period is not None and m.period is not expect.period:
        raise _mismatch(
            "報告期間", "report period", m.period.value if m.period else "-", expect.period.value
        )
    if m.kind is Kind.SUBMISSION and not m.signed_off_by:
        raise WorkbookError(
            "提出版ですが支部長の決裁の記録がありません。", "A submission without a sign-off."
        )


def _check_structure(
    local: Plan, incoming: Plan, nodes: Sequence[str], kpis: Sequence[Kpi]
) -> None:
    """The file must describe the same plan: its sections and KPIs exist here
    with the same meaning (unit, direction, decimals)."""
    have_nodes = {n.key for n in local.nodes}
    for key in nodes:
        if key not in have_nodes:
            title = incoming.node(key).display_title
            raise WorkbookError(
                f"ファイルの項目「{title}」がこのデータベースの計画にありません"
                "（計画の版が違います）。",
                f"The file's plan item '{title}' is not in this database's plan "
                "(a different plan).",
                cell=key,
            )
    have = {k.key: k for k in local.kpis}
    for k in kpis:
        mine = have.get(k.key)
        if mine is None or (mine.unit, mine.direction, mine.decimals) != (
            k.unit,
            k.direction,
            k.decimals,
        ):
            raise WorkbookError(
                f"ファイルの KPI「{k.label}{k.name}」の定義（単位・目標の向き・小数の桁数）が、"
                "このデータベースの計画と異なります。",
                f"The file's KPI '{k.label}{k.name}' is defined differently in this database "
                "(unit, direction or decimals).",
                cell=k.key,
            )


def preview_import(
    db: Database, path: str | Path, expect: Expectation = Expectation()
) -> ImportPreview:
    """Read the file and work out, without changing anything, what import would do."""
    path = Path(path)
    data = read_workbook(path)
    _check_expectation(data, expect)
    with db.read() as session:
        return _preview(session, path, data)


def _preview(session: Session, path: Path, data: WorkbookData) -> ImportPreview:
    """The merge of ``data`` with the database as ``session`` sees it."""
    m = data.manifest
    local = repository.load_plan(session, m.branch, m.fiscal_year)
    incoming = data.plan
    if m.kind is Kind.TEMPLATE:
        return _template_preview(path, data, local)
    node_keys, kpis = section_scope(incoming, m.sections)
    theirs = report_fields(data.report, kpis, node_keys)
    _check_values(data, node_keys)
    labels = {n.key: n.display_title for n in incoming.nodes}
    labels.update({k.key: f"{k.label}{k.name}" for k in incoming.kpis})
    if local is None:
        empty = {k: None for k in theirs}
        merges = three_way(empty, theirs, data.bases, {})
        return ImportPreview(path, data, True, tuple(merges), labels=labels)
    _check_structure(local, incoming, node_keys, kpis)
    assert m.period is not None
    ref = ReportRef(m.branch, m.fiscal_year, m.period)
    local_kpis = {k.key: k for k in local.kpis}
    ours = report_fields(local.report(m.period), [local_kpis[k.key] for k in kpis], node_keys)
    merges = three_way(ours, theirs, data.bases, _bases_in(session, ref))
    left_out = _left_out(session, ref, merges, local)
    return ImportPreview(path, data, False, tuple(merges), left_out, labels)


def _structure(plan: Plan) -> Plan:
    """A plan without what people enter into it (reports, monthly figures)."""
    return replace(plan, reports=(), kpis=tuple(replace(k, monthly_actuals=()) for k in plan.kpis))


def _template_preview(path: Path, data: WorkbookData, local: Plan | None) -> ImportPreview:
    if local is not None:
        if _structure(local) == _structure(data.plan):
            return ImportPreview(path, data, False, ())
        raise WorkbookError(
            f"{data.plan.fiscal_year}年度の計画（支部 {data.plan.branch}）はすでにあり、内容が異なります。"
            "テンプレートで既存の計画を上書きすることはできません。",
            f"A different plan for FY{data.plan.fiscal_year} (branch {data.plan.branch}) "
            "already exists; a template never overwrites a plan.",
        )
    return ImportPreview(path, data, True, ())


def _check_values(data: WorkbookData, node_keys: Sequence[str]) -> None:
    """Values a person could not have typed are refused, naming the section."""
    report = data.report
    if report is None:
        return
    scale = scale_for(report.period)
    wanted = set(node_keys)
    for e in report.entries:
        if e.node_key in wanted and e.mark and scale.normalize(e.mark) != e.mark:
            title = data.plan.node(e.node_key).display_title
            raise WorkbookError(
                f"項目「{title}」の評価「{e.mark}」は、この報告期間の評価の記号ではありません。",
                f"The mark '{e.mark}' of item '{title}' is not a mark of this report period.",
                cell=f"_entries ({e.node_key})",
            )


def _left_out(
    session: Session, ref: ReportRef, merges: Sequence[FieldMerge], local: Plan
) -> dict[str, LeftOut]:
    """The fields an import leaves as they are here, each with its reason."""
    _plan_id, report = find_report(session, ref, create=False, need_report=False)
    if report is None:
        return {}
    plan_id = report.plan_id
    nodes = {
        n.key: n for n in session.scalars(select(NodeRow).where(NodeRow.plan_id == plan_id)).all()
    }
    settled_states = {
        r.node_id: r.state
        for r in session.scalars(
            select(SectionReviewRow).where(SectionReviewRow.report_id == report.id)
        ).all()
    }
    kpi_node = {k.key: k.node_key for k in local.kpis}
    signed = signed_off_row(session, report.id) is not None
    left_out: dict[str, LeftOut] = {}
    for m in merges:
        if m.outcome in (Outcome.SAME, Outcome.KEEP) or m.kind == "monthly":
            continue
        if signed:  # headings too: nothing in a signed-off report changes
            left_out[m.field] = LeftOut.SIGNED_OFF
            continue
        node_key = m.owner if m.kind == "entry" else kpi_node[m.owner]
        node = nodes[node_key]
        if m.kind == "measurement" and not local.is_reportable(node_key):
            children = [n.id for n in nodes.values() if n.parent_id == node.id]
            if children and all(
                settled_states.get(c) and SectionState(settled_states[c]).settled for c in children
            ):
                left_out[m.field] = LeftOut.SETTLED
            continue
        state = state_of(session, report.id, node.id)
        if not state.editable:
            excepted = state is SectionState.EXCEPTED
            left_out[m.field] = LeftOut.EXCEPTED if excepted else LeftOut.APPROVED
    return left_out


# --- import: apply ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ImportResult:
    path: Path
    created_plan: bool
    applied: int  # fields written
    kept: int  # conflicts where the person kept this database's value
    blocked: int  # changes left out, as they are here
    reasons: tuple[LeftOut, ...] = ()  # why, each once

    def summary(self, lang: str = "ja") -> str:
        why = "、".join(r.label("ja").removesuffix("のため") for r in self.reasons)
        why_en = ", ".join(r.label("en") for r in self.reasons)
        if lang == "ja":
            head = "計画を作成し、" if self.created_plan else ""
            left = f"取り込まなかった変更 {self.blocked} 件" + (f"（{why}）" if why else "")
            return (
                f"{head}{self.applied} 件を取り込みました（手元の値を残した競合 {self.kept} 件、"
                f"{left}）。"
            )
        head = "Created the plan; " if self.created_plan else ""
        left = f"{self.blocked} change(s) left out" + (f": {why_en}" if why_en else "")
        return (
            f"{head}imported {self.applied} field(s) ({self.kept} conflict(s) kept as they "
            f"were here, {left})."
        )


Choice = str  # "ours" | "theirs"


def apply_import(
    db: Database,
    preview: ImportPreview,
    *,
    actor: str,
    choices: Mapping[str, Choice] | None = None,
    expect: Expectation = Expectation(),
) -> ImportResult:
    """Apply a previewed import in one transaction.

    Every conflict needs a choice ("ours" keeps this database's value,
    "theirs" takes the file's). The file is read again and the merge worked
    out again inside the writing transaction; if anything changed here or in
    the file since the preview, nothing is written and the person previews again.
    """
    choices = dict(choices or {})
    missing = [c.field for c in preview.conflicts if choices.get(c.field) not in ("ours", "theirs")]
    if missing:
        raise UserError(
            f"競合している {len(missing)} 件について、どちらの値を残すか選んでください。",
            f"Choose which value to keep for {len(missing)} conflicting field(s).",
        )

    def write() -> tuple[bool, int]:
        data = read_workbook(preview.path)  # the file as it is now, checked again
        _check_expectation(data, expect)
        m = data.manifest
        with db.write() as session:
            # Worked out again in the writing transaction: nothing can change in between.
            fresh = _preview(session, preview.path, data)
            if fresh.merges != preview.merges or fresh.left_out != preview.left_out:
                raise UserError(
                    "確認画面を表示した後に、データまたはファイルが変更されました。"
                    "もう一度取り込みを開始してください。",
                    "The data or the file changed after the preview; start the import again.",
                )
            stamp = now_utc()
            created = False
            if preview.creates_plan:
                # Monthly figures in the file's scope arrive through the merge below.
                merged = {mg.owner for mg in preview.merges if mg.kind == "monthly"}
                structure = replace(
                    data.plan,
                    reports=(),
                    kpis=tuple(
                        replace(k, monthly_actuals=()) if k.key in merged else k
                        for k in data.plan.kpis
                    ),
                )
                repository.save_plan(
                    session,
                    structure,
                    actor=actor,
                    action="import",
                    note=f"{preview.path.name} {m.digest[:16]}",
                )
                created = True
            if m.kind is Kind.TEMPLATE:
                return created, 0
            assert m.period is not None and data.report is not None
            ref = ReportRef(m.branch, m.fiscal_year, m.period)
            had_report = find_report(session, ref, create=False, need_report=False)[1] is not None
            _plan_id, report = find_report(session, ref, create=True, actor=actor)
            assert report is not None
            take = [
                mg
                for mg in preview.merges
                if mg.field not in preview.locked
                and (
                    mg.outcome in (Outcome.NEW, Outcome.CHANGE)
                    or (mg.outcome is Outcome.CONFLICT and choices[mg.field] == "theirs")
                )
            ]
            if any(mg.kind != "monthly" for mg in take):
                # Monthly figures belong to the year, not to the signed-off report.
                refuse_if_signed_off(session, report.id)
            scope = EditScope(session, ref, actor=actor, action="import", stamp=stamp)
            writer = _Writer(scope, data.report)
            if not had_report:
                writer.report_header(data.report)
            if created:
                writer.benchmarks(data.report)
            for mg in take:
                writer.set(mg)
            writer.finish()
            _record_bases(session, report.id, preview.merges, preview.locked, stamp)
            audit.append(
                session,
                at=stamp,
                actor=actor,
                action="import",
                entity="report",
                entity_key=ref.key,
                field="workbook",
                new=f"{preview.path.name} {m.digest[:16]}",
            )
        return created, len(take)

    try:
        created, applied = write()
    except UserError:
        raise
    except (DataRefused, ValueError, KeyError, LookupError) as exc:
        # The digest has no key: a crafted file can pass every check and still hold
        # something the database refuses. Nothing was written (one transaction).
        raise WorkbookError(
            f"「{preview.path.name}」の内容はこのデータベースに取り込めません"
            f"（{type(exc).__name__}）。何も変更していません。",
            f"'{preview.path.name}' cannot be imported into this database "
            f"({type(exc).__name__}); nothing was changed.",
        ) from exc
    kept = sum(1 for c in preview.conflicts if choices.get(c.field) == "ours")
    reasons = tuple(dict.fromkeys(preview.left_out[m.field] for m in preview.blocked))
    return ImportResult(preview.path, created, applied, kept, len(preview.blocked), reasons)


def _record_bases(
    session: Session,
    report_id: int,
    merges: Sequence[FieldMerge],
    locked: frozenset[str],
    stamp: datetime,
) -> None:
    """Remember the file's value of every field it carried — except those left out
    for an approved section: after reopening, the same file must offer them again."""
    _remember(
        session, report_id, {mg.field: mg.theirs for mg in merges if mg.field not in locked}, stamp
    )


def _remember(
    session: Session, report_id: int, fields: Mapping[str, str | None], stamp: datetime
) -> None:
    rows = {
        r.field: r
        for r in session.scalars(
            select(ExchangeBaseRow).where(ExchangeBaseRow.report_id == report_id)
        ).all()
    }
    for name, value in fields.items():
        row = rows.get(name)
        if row is None:
            session.add(
                ExchangeBaseRow(report_id=report_id, field=name, value=value, updated_at=stamp)
            )
        elif row.value != value:
            row.value, row.updated_at = value, stamp


class _Writer:
    """Writes merged field values onto rows through the edit scope, which guards
    each section and KPI (once) and records every change."""

    def __init__(self, scope: EditScope, incoming: Report) -> None:
        # Who entered a figure on the other PC and when: the file says; the audit
        # entries say who imported it.
        self.entered = {m.kpi_key: m for m in incoming.measurements}
        self.scope = scope
        self.session, self.ref, self.actor, self.stamp = (
            scope.session,
            scope.ref,
            scope.actor,
            scope.stamp,
        )
        assert scope.report is not None
        self.report = scope.report
        self.nodes = {
            n.key: n
            for n in self.session.scalars(
                select(NodeRow).where(NodeRow.plan_id == scope.plan_id)
            ).all()
        }
        self.kpis = {
            k.key: k
            for k in self.session.scalars(select(KpiRow).where(KpiRow.plan_id == scope.plan_id))
        }
        self.measurements: dict[str, MeasurementRow] = {}

    def report_header(self, incoming: Report) -> None:
        """A report new to this database takes its as-of month and title from the file."""
        for name, value in (("as_of", incoming.as_of), ("title", incoming.title)):
            old = getattr(self.report, name)
            if old != value:
                setattr(self.report, name, value)
                self.scope.record("report", self.ref.key, name, old, value)

    def benchmarks(self, incoming: Report) -> None:
        """HQ's national figures travel with a submission; a new plan takes them as they
        are (an existing one gets them from HQ's benchmark pack, not from a branch's file)."""
        for b in incoming.benchmarks:
            self.session.add(
                BenchmarkRow(
                    report_id=self.report.id,
                    kpi_id=self.kpis[b.kpi_key].id,
                    national_average=b.national_average,
                    national_rank=b.national_rank,
                    branch_count=b.branch_count,
                )
            )
            key = f"{self.ref.key}/{b.kpi_key}"
            for name in ("national_average", "national_rank", "branch_count"):
                value = getattr(b, name)
                if value is not None:
                    self.scope.record("benchmark", key, name, None, value)

    def set(self, mg: FieldMerge) -> None:
        getattr(self, f"_{mg.kind}")(mg)

    def _entry(self, mg: FieldMerge) -> None:
        node = self.nodes[mg.owner]
        row = repository.entry_row(self.session, self.report.id, node.id)
        if row is None:
            row = EntryRow(report_id=self.report.id, node_id=node.id, status_text="", next_steps="")
            self.session.add(row)
        value = mg.theirs
        if mg.name in ("status_text", "next_steps"):
            value = value or ""
        key = f"{self.ref.key}/{node.key}"
        if self.scope.change(Section(node), row, mg.name, value, entity="entry", key=key):
            row.updated_by, row.updated_at = self.actor, self.stamp

    def _measurement(self, mg: FieldMerge) -> None:
        kpi = self.kpis[mg.owner]
        row = self.measurements.get(kpi.key) or repository.measurement_row(
            self.session, self.report.id, kpi.id
        )
        if row is None:
            row = MeasurementRow(report_id=self.report.id, kpi_id=kpi.id, preliminary=False)
            self.session.add(row)
        self.measurements[kpi.key] = row
        raw = mg.theirs
        value: object
        if raw is None:
            value = False if mg.name == "preliminary" else None
        elif mg.name in ("value", "numerator", "denominator"):
            value = Decimal(raw)
        elif mg.name in ("done", "preliminary"):
            value = raw == "1"
        elif mg.name == "as_of":
            value = YearMonth.from_iso(raw)
        else:
            value = raw
        key = f"{self.ref.key}/{kpi.key}"
        if self.scope.change(KpiFigure(kpi), row, mg.name, value, entity="measurement", key=key):
            source = self.entered.get(kpi.key)
            row.entered_by = (source.entered_by if source else None) or self.actor
            row.entered_at = (source.entered_at if source else None) or self.stamp

    def _monthly(self, mg: FieldMerge) -> None:
        kpi = self.kpis[mg.owner]
        index = int(mg.name)
        row = self.session.scalars(
            select(KpiMonthlyRow).where(
                KpiMonthlyRow.kpi_id == kpi.id, KpiMonthlyRow.fiscal_index == index
            )
        ).one_or_none()
        old = row.value if row else None
        self.scope.guard(YEAR)  # rows added or deleted whole: guarded and recorded here
        if mg.theirs is None:
            if row is not None:
                self.session.delete(row)
        elif row is None:
            self.session.add(
                KpiMonthlyRow(
                    kpi_id=kpi.id,
                    fiscal_index=index,
                    value=Decimal(mg.theirs),
                    entered_by=self.actor,
                    entered_at=self.stamp,
                )
            )
        else:
            row.value, row.entered_by, row.entered_at = Decimal(mg.theirs), self.actor, self.stamp
        month = YearMonth(self.ref.fiscal_year, 4).add_months(index - 1)
        key = f"{self.ref.branch}/{self.ref.fiscal_year}/{kpi.key}/{month.iso()}"
        as_stored = None if mg.theirs is None else Decimal(mg.theirs)
        self.scope.record("monthly", key, "value", old, as_stored)

    def finish(self) -> None:
        self.session.flush()
        for key, row in self.measurements.items():
            try:
                _check_row(row, self.ref)
            except UserError as exc:
                raise UserError(Text.same(f"KPI {key}: ") + exc.text) from exc
