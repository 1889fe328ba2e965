"""Whole plans as ``plandesk.plan/1`` documents (docs/plan-json-format.md):
export a stored plan, import one as a previewed merge, start a branch plan.

Import follows the workbook import (services.import_preview / import_apply): the
merge is worked out without changing anything (``preview_plan_import``), then
worked out again and written in one transaction (``apply_plan_import``), every
value through the edit scope, so the same length and lock checks, audit entries
and change records as typing. What the rules refuse is refused as a whole,
nothing changed: a field of a signed-off report or an approved section, a
structure change to a plan that holds entered data, a conflict nobody decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from enum import StrEnum
from pathlib import Path

from sqlalchemy.orm import Session

from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.errors import BadFile, BadInput, Refused
from desktop.domain.merge import FieldMerge, Outcome
from desktop.domain.model import PeriodKind, Plan, Report, ReportRef
from desktop.domain.plan_document import PlanDocumentError, dump_plan, parse_plan_text
from desktop.domain.plan_merge import (
    PlanMerge,
    StructureChange,
    flag_value,
    holds_entered_data,
    merge_plan,
)
from desktop.domain.review import ReviewRefused
from desktop.files import write_atomically
from desktop.paths import resource_path
from desktop.services import plan_editing, plans
from desktop.services.changes import NOTHING, Changes, PlanRef
from desktop.services.edit_scope import EditScope
from desktop.services.import_apply import FieldWriter
from desktop.services.import_preview import LeftOut, left_out_fields
from desktop.services.locks import refuse_if_plan_locked, signed_off_row, state_of
from desktop.store import repository
from desktop.store.database import Database
from desktop.store.models import ReportRow

MAX_DOCUMENT_BYTES = 50 * 1024 * 1024  # far above any plan (the demo is ~0.2 MB)


# --- reading and writing the document ---------------------------------------------------


def read_plan_document(path: str | Path) -> Plan:
    """A plan document from a file, validated; any fault is a BadFile naming the place."""
    path = Path(path)
    try:
        if path.stat().st_size > MAX_DOCUMENT_BYTES:
            raise BadFile(
                f"「{path.name}」は計画ファイルとしては大きすぎます。",
                f"'{path.name}' is too large for a plan document.",
            )
        text = path.read_bytes().decode("utf-8-sig")
    except FileNotFoundError:
        raise BadInput(
            f"ファイル「{path}」がありません。", f"The file '{path}' does not exist."
        ) from None
    except IsADirectoryError:
        raise BadInput(f"「{path}」はフォルダです。", f"'{path}' is a folder.") from None
    except UnicodeDecodeError:
        raise BadFile(
            f"「{path.name}」は UTF-8 の JSON ファイルではありません。何も変更していません。",
            f"'{path.name}' is not a UTF-8 JSON file. Nothing was changed.",
        ) from None
    except OSError as exc:
        raise BadFile(
            f"「{path.name}」を読めません（{exc.strerror or exc}）。",
            f"Cannot read '{path.name}' ({exc.strerror or exc}).",
        ) from None
    try:
        return parse_plan_text(text, path.name)
    except PlanDocumentError as exc:
        raise BadFile(
            f"「{path.name}」は計画ファイル（plandesk.plan/1）として正しくありません。"
            f"場所: {exc.where} — {exc.problem}。何も変更していません。",
            f"'{path.name}' is not a valid plan document (plandesk.plan/1): "
            f"{exc.where}: {exc.problem}. Nothing was changed.",
        ) from None


def plan_text(db: Database, branch: str, fiscal_year: int) -> str:
    """The stored plan with its reports as ``plandesk.plan/1`` JSON text."""
    return dump_plan(plans.get_plan(db, branch, fiscal_year))


def export_plan(db: Database, branch: str, fiscal_year: int, out: str | Path) -> Path:
    """Write the stored plan as a document, atomically (a folder: a file named for it)."""
    text = plan_text(db, branch, fiscal_year)
    target = Path(out)
    if target.is_dir():
        code = find_branch(branch).code
        target = target / f"plan_{code}_{fiscal_year}.json"
    return write_atomically(target, lambda temp: temp.write_text(text, encoding="utf-8"))


# --- import: the preview ------------------------------------------------------------------


class Resolve(StrEnum):
    """What a person chose for the conflicts: the file's values or the stored ones."""

    FILE = "file"
    STORED = "stored"


@dataclass(frozen=True, slots=True)
class PlanImportPreview:
    plan: Plan
    merge: PlanMerge
    replaces: bool = False  # a plan without entered data, its structure replaced
    refused_structure: bool = False  # structure changes to a plan that holds entered data
    blocked: tuple[tuple[PeriodKind | None, FieldMerge, LeftOut], ...] = ()
    labels: dict[str, str] | None = None  # node / KPI key → its title

    @property
    def creates_plan(self) -> bool:
        return self.merge.creates_plan

    @property
    def structure(self) -> tuple[StructureChange, ...]:
        return self.merge.structure

    def _blocked_fields(self) -> set[tuple[PeriodKind | None, str]]:
        return {(p, m.field) for p, m, _why in self.blocked}

    def of(self, *outcomes: Outcome) -> list[tuple[PeriodKind | None, FieldMerge]]:
        locked = self._blocked_fields()
        return [(p, m) for p, m in self.merge.of(*outcomes) if (p, m.field) not in locked]

    @property
    def new(self) -> list[tuple[PeriodKind | None, FieldMerge]]:
        return self.of(Outcome.NEW)

    @property
    def conflicts(self) -> list[tuple[PeriodKind | None, FieldMerge]]:
        return self.of(Outcome.CONFLICT)

    @property
    def left_alone(self) -> list[tuple[PeriodKind | None, FieldMerge]]:
        """What stays as stored: the same in both, or not filled in the file."""
        return self.merge.of(Outcome.SAME, Outcome.KEEP)

    @property
    def nothing_to_do(self) -> bool:
        return not (
            self.creates_plan
            or self.replaces
            or self.new
            or self.conflicts
            or self.merge.new_reports
            or self.blocked
            or self.refused_structure
        )

    def label(self, key: str) -> str:
        return (self.labels or {}).get(key, key)


def _check_expected(plan: Plan, branch: str | None, fiscal_year: int | None) -> None:
    if branch is not None and plan.branch != find_branch(branch).code:
        raise BadFile(
            f"ファイルの計画は支部 {plan.branch} のものです（指定: {branch}）。何も変更していません。",
            f"The file's plan is branch {plan.branch}'s (expected {branch}). Nothing was changed.",
        )
    if fiscal_year is not None and plan.fiscal_year != fiscal_year:
        raise BadFile(
            f"ファイルの計画は{fiscal_year_label(plan.fiscal_year)}のものです"
            f"（指定: {fiscal_year}年度）。何も変更していません。",
            f"The file's plan is for FY{plan.fiscal_year} (expected FY{fiscal_year}). "
            "Nothing was changed.",
        )


def preview_plan_import(
    db: Database, plan: Plan, *, branch: str | None = None, fiscal_year: int | None = None
) -> PlanImportPreview:
    """What importing ``plan`` would do here, changing nothing."""
    _check_expected(plan, branch, fiscal_year)
    with db.read() as session:
        return _preview_in(session, plan)


def _preview_in(session: Session, plan: Plan) -> PlanImportPreview:
    stored = repository.load_plan(session, plan.branch, plan.fiscal_year)
    merge = merge_plan(stored, plan)
    labels = {n.key: n.display_title for n in plan.nodes}
    labels.update({k.key: f"{k.label}{k.name}" for k in plan.kpis})
    if stored is None:
        return PlanImportPreview(plan, merge, labels=labels)
    if merge.structure:
        if holds_entered_data(stored):
            return PlanImportPreview(plan, merge, refused_structure=True, labels=labels)
        return PlanImportPreview(plan, merge, replaces=True, labels=labels)
    blocked = _blocked(session, plan, stored, merge)
    return PlanImportPreview(plan, merge, blocked=tuple(blocked), labels=labels)


def _blocked(
    session: Session, plan: Plan, stored: Plan, merge: PlanMerge
) -> list[tuple[PeriodKind | None, FieldMerge, LeftOut]]:
    """The changes the review locks forbid: fields of signed-off reports and approved
    sections, and plan texts of a section approved (or signed off) in any report."""
    out: list[tuple[PeriodKind | None, FieldMerge, LeftOut]] = []
    for period, merges in merge.reports.items():
        ref = ReportRef(plan.branch, plan.fiscal_year, period)
        wanted = [m for m in merges if m.outcome in (Outcome.NEW, Outcome.CONFLICT)]
        left = left_out_fields(session, ref, wanted, stored)
        out.extend((period, m, left[m.field]) for m in wanted if m.field in left)
    texts = [m for m in merge.plan_texts if m.outcome in (Outcome.NEW, Outcome.CONFLICT)]
    if not texts:
        return out
    plan_row = repository.plan_row(session, plan.branch, plan.fiscal_year)
    assert plan_row is not None
    reports = [r for r in (repository.report_row(session, plan_row.id, p) for p in PeriodKind) if r]
    for m in texts:
        why = _plan_text_lock(session, plan_row.id, reports, m.owner)
        if why is not None:
            out.append((None, m, why))
    return out


def _plan_text_lock(
    session: Session, plan_id: int, reports: Sequence[ReportRow], node_key: str
) -> LeftOut | None:
    node = repository.node_row(session, plan_id, node_key)
    assert node is not None
    for report in reports:
        if signed_off_row(session, report.id) is not None:
            return LeftOut.SIGNED_OFF
        if not state_of(session, report.id, node.id).editable:
            return LeftOut.APPROVED
    return None


# --- import: writing ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PlanImportResult:
    branch: str
    fiscal_year: int
    created_plan: bool
    replaced_plan: bool
    applied: int  # fields written into an existing plan
    kept: int  # conflicts where the stored value was kept
    changes: Changes = NOTHING


def _refuse_structure(preview: PlanImportPreview) -> Refused:
    shown_ja = "\n".join("  " + c.label("ja") for c in preview.structure[:10])
    shown_en = "\n".join("  " + c.label("en") for c in preview.structure[:10])
    more = len(preview.structure) - 10
    if more > 0:
        shown_ja += f"\n  ほか {more} 件"
        shown_en += f"\n  and {more} more"
    return Refused(
        "この計画にはすでに報告または月次実績が入力されているため、ファイルの計画の構成"
        "（項目・KPI の定義）で置き換えることはできません。入力済みの内容が失われるためです。"
        f"何も変更していません。\n{shown_ja}",
        "This plan already holds reports or monthly figures: its structure (items, KPI "
        "definitions) is not replaced by the file's, which would lose what was entered. "
        f"Nothing was changed.\n{shown_en}",
    )


def _refuse_blocked(preview: PlanImportPreview) -> ReviewRefused:
    lines_ja = []
    lines_en = []
    for period, m, why in preview.blocked[:10]:
        where = period.value if period else "plan"
        lines_ja.append(f"  {where} {preview.label(m.owner)} {m.label('ja')}（{why.label('ja')}）")
        lines_en.append(f"  {where} {preview.label(m.owner)} {m.label('en')} ({why.label('en')})")
    return ReviewRefused(
        "決裁済みの報告・承認済みの項目の内容は上書きしません。何も変更していません。\n"
        + "\n".join(lines_ja),
        "Signed-off reports and approved sections are not overwritten. Nothing was changed.\n"
        + "\n".join(lines_en),
    )


def _refuse_conflicts(preview: PlanImportPreview) -> Refused:
    n = len(preview.conflicts)
    return Refused(
        f"保存済みの内容とファイルの内容が異なる箇所が {n} 件あります。"
        "どちらを採るか指定してください（--prefer theirs でファイル、--prefer ours で保存済みの内容）。"
        "何も変更していません。",
        f"{n} field(s) differ between what is stored and the file: choose which to keep "
        "(--prefer theirs: the file, --prefer ours: what is stored). Nothing was changed.",
    )


def apply_plan_import(
    db: Database,
    plan: Plan,
    *,
    actor: str,
    resolve: Resolve | None = None,
    branch: str | None = None,
    fiscal_year: int | None = None,
) -> PlanImportResult:
    """Import a plan document in one transaction, or refuse it whole."""
    _check_expected(plan, branch, fiscal_year)
    ref = PlanRef(plan.branch, plan.fiscal_year)
    with db.write() as session:
        preview = _preview_in(session, plan)
        if preview.replaces:
            # A new structure replaces the plan whole: its content, so not while the plan
            # is submitted or approved.
            stored = repository.plan_row(session, plan.branch, plan.fiscal_year)
            assert stored is not None
            refuse_if_plan_locked(session, stored.id)
        if preview.creates_plan or preview.replaces:
            # The preview read the stored rows into this session; a replacement deletes
            # them through the database's cascades, not through those stale objects.
            session.expunge_all()
            repository.save_plan(
                session, plan, actor=actor, action="import_plan", replace=preview.replaces
            )
            changes = Changes(plans=frozenset({ref}))
            return PlanImportResult(
                plan.branch, plan.fiscal_year, preview.creates_plan, preview.replaces, 0, 0, changes
            )
        if preview.refused_structure:
            raise _refuse_structure(preview)
        if preview.blocked:
            raise _refuse_blocked(preview)
        if preview.conflicts and resolve is None:
            raise _refuse_conflicts(preview)
        take = {Outcome.NEW} | ({Outcome.CONFLICT} if resolve is Resolve.FILE else set())
        applied, changes = _write_fields(session, plan, preview.merge, take, actor)
        kept = len(preview.conflicts) if resolve is Resolve.STORED else 0
    return PlanImportResult(plan.branch, plan.fiscal_year, False, False, applied, kept, changes)


def _write_fields(
    session: Session, plan: Plan, merge: PlanMerge, take: set[Outcome], actor: str
) -> tuple[int, Changes]:
    applied = 0
    changes = NOTHING
    year_ref = ReportRef(plan.branch, plan.fiscal_year, PeriodKind.MIDYEAR)
    texts = [m for m in merge.plan_texts if m.outcome in take]
    monthly = [m for m in merge.monthly if m.outcome in take]
    if texts or monthly:
        scope = EditScope(session, year_ref, actor=actor, action="import_plan",
                          create_report=False)  # fmt: skip
        writer = FieldWriter(scope, _no_report(plan))  # monthly figures name no report
        for m in texts:
            scope.set_plan_text(writer.nodes[m.owner], m.theirs or "")
        for m in monthly:
            writer.set(m)
        applied += len(texts) + len(monthly)
        changes = changes + scope.changes()
    flags = [m for m in merge.flags if m.outcome in take]
    if flags:
        scope = EditScope(session, year_ref, actor=actor, action="import_plan",
                          create_report=False)  # fmt: skip
        changes = changes + plan_editing.set_flags_in(
            scope, [(m.kind, m.owner, m.name, flag_value(m)) for m in flags]
        )
        applied += len(flags)
    for report in plan.reports:
        merges = [m for m in merge.reports.get(report.period, ()) if m.outcome in take]
        is_new = report.period in merge.new_reports
        if not merges and not is_new:
            continue
        ref = ReportRef(plan.branch, plan.fiscal_year, report.period)
        scope = EditScope(session, ref, actor=actor, action="import_plan")
        if is_new:
            scope.set_report_header(report.as_of, report.title)
        writer = FieldWriter(scope, report)
        if is_new:
            writer.benchmarks(report)
        for m in merges:
            writer.set(m)
        writer.finish()
        applied += len(merges)
        changes = changes + scope.changes()
    return applied, changes


def _no_report(plan: Plan) -> Report:
    return Report(PeriodKind.MIDYEAR, PeriodKind.MIDYEAR.closing_month(plan.fiscal_year))


# --- a new plan -----------------------------------------------------------------------------


def template_for(db: Database, fiscal_year: int) -> Plan:
    """HQ's template of a year: HQ's plan in this database, else the bundled one."""
    if any(b == "00" and y == fiscal_year for b, y, _t in plans.list_plans(db)):
        return plans.get_plan(db, "00", fiscal_year)
    path = resource_path(f"templates/hq_{fiscal_year}.json")
    if not Path(path).is_file():
        raise BadInput(
            f"{fiscal_year_label(fiscal_year)}の本部テンプレートがありません。"
            "--template で計画ファイルを指定してください。",
            f"There is no HQ template for FY{fiscal_year}: give a plan document with --template.",
        )
    return read_plan_document(path)


def new_plan(
    db: Database, branch: str, fiscal_year: int, *, actor: str, template: Plan | None = None
) -> plans.InstalledPlan:
    """A new branch plan from HQ's template (or ``template``): the tree, texts and KPI
    definitions, without any report or monthly figure. Refused when the plan exists."""
    source = template if template is not None else template_for(db, fiscal_year)
    if source.fiscal_year != fiscal_year:
        raise BadInput(
            f"テンプレートは{fiscal_year_label(source.fiscal_year)}のものです"
            f"（指定: {fiscal_year}年度）。何も変更していません。",
            f"The template is for FY{source.fiscal_year}, not FY{fiscal_year}. "
            "Nothing was changed.",
        )
    structure = replace(
        source, reports=(), kpis=tuple(replace(k, monthly_actuals=()) for k in source.kpis)
    )
    return plans.create_from_template(db, branch, actor=actor, template=structure)
