"""Import, second step: a previewed merge written in one transaction.

The file is read and the merge worked out again inside the writing transaction;
every value goes through the edit scope, the same writer typing uses, so an
import passes the same length and lock checks, leaves the same audit entries and
returns the same change records as typing the values would.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from decimal import Decimal
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.calendar import YearMonth
from desktop.domain.errors import UserError
from desktop.domain.merge import FieldMerge, Outcome
from desktop.domain.model import PeriodKind, Plan, Report, ReportRef, TargetKind
from desktop.domain.target_table_merge import TARGET_FIELDS
from desktop.domain.text import Text
from desktop.services import branch_targets
from desktop.services.changes import NOTHING, Changes, PlanRef, StructureChanged
from desktop.services.edit_scope import EditScope, find_report
from desktop.services.exchange_bases import remember
from desktop.services.import_preview import (
    WORK_OR_SUBMISSION,
    Expectation,
    ImportPreview,
    LeftOut,
    check_expectation,
    preview_in,
)
from desktop.services.locks import refuse_if_plan_locked, refuse_if_signed_off
from desktop.store import audit, content, repository
from desktop.store.database import Database
from desktop.store.errors import DataRefused
from desktop.store.models import BenchmarkRow, KpiRow, NodeRow
from desktop.store.repository import now_utc
from desktop.workbooks.machine import Kind, WorkbookError
from desktop.workbooks.reader import read_workbook


@dataclass(frozen=True, slots=True)
class ImportResult:
    path: Path
    created_plan: bool
    applied: int  # fields written
    kept: int  # conflicts where the person kept this database's value
    blocked: int  # changes left out, as they are here
    reasons: tuple[LeftOut, ...] = ()  # why, each once
    changes: Changes = NOTHING  # the same records as typing the values would make

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
    expect: Expectation = WORK_OR_SUBMISSION,
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

    def write() -> tuple[bool, int, Changes]:
        data = read_workbook(preview.path)  # the file as it is now, checked again
        check_expectation(data, expect)
        m = data.manifest
        with db.write() as session:
            # Worked out again in the writing transaction: nothing can change in between.
            fresh = preview_in(session, preview.path, data)
            if (
                fresh.merges != preview.merges
                or fresh.left_out != preview.left_out
                or fresh.targets != preview.targets
            ):
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
            plans = frozenset({PlanRef(m.branch, m.fiscal_year)} if created else ())
            if m.kind is Kind.TEMPLATE:
                changes = Changes(plans=plans)
                if preview.targets:
                    changes = changes + _apply_targets(session, data.plan, preview, actor)
                return created, len(preview.targets.cells), changes
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
            writer = FieldWriter(scope, data.report)
            if not had_report:  # a report new here: its as-of month and title from the file
                scope.set_report_header(data.report.as_of, data.report.title)
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
            changes = scope.changes()
        return created, len(take), changes + Changes(plans=plans)

    try:
        created, applied, changes = write()
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
    return ImportResult(
        preview.path, created, applied, kept, len(preview.blocked), reasons, changes
    )


def _apply_targets(session: Session, incoming: Plan, preview: ImportPreview, actor: str) -> Changes:
    """HQ's table takes the file's cells; each branch plan of the year takes a changed
    cell where the preview said it would (the branch had not set that target itself)."""
    year = incoming.fiscal_year
    stored = repository.load_plan(session, incoming.branch, year)
    hq_row = repository.plan_row(session, incoming.branch, year)
    assert stored is not None and hq_row is not None
    refuse_if_plan_locked(session, hq_row.id)
    cells = {(c.branch, c.kpi_key): c.new for c in preview.targets.cells}
    records: list = list(
        branch_targets.write_cells(session, stored, cells, actor=actor, action="import")
    )
    stamp = now_utc()
    for effect in preview.targets.branch_plans:
        if not effect.applies or effect.kpi is None:
            continue
        plan_row = repository.plan_row(session, effect.branch, year)
        assert plan_row is not None
        refuse_if_plan_locked(session, plan_row.id)
        row = session.scalar(
            select(KpiRow).where(KpiRow.plan_id == plan_row.id, KpiRow.key == effect.kpi_key)
        )
        assert row is not None
        before = content.stored_values(session, (effect.branch, year))
        for name in TARGET_FIELDS:
            value = getattr(effect.kpi, name)
            setattr(row, name, value.value if isinstance(value, TargetKind) else value)
        session.flush()
        after = content.stored_values(session, (effect.branch, year))
        content.record_differences(session, before, after, actor=actor, action="import", at=stamp)
        ref = ReportRef(effect.branch, year, PeriodKind.MIDYEAR)
        records.append(StructureChanged(ref, "edit", "kpi", effect.kpi_key))
    return Changes(records=tuple(records))


def _record_bases(
    session: Session,
    report_id: int,
    merges: Sequence[FieldMerge],
    locked: frozenset[str],
    stamp: datetime,
) -> None:
    """Remember the file's value of every field it carried — except those left out
    for an approved section: after reopening, the same file must offer them again."""
    remember(
        session, report_id, {mg.field: mg.theirs for mg in merges if mg.field not in locked}, stamp
    )


class FieldWriter:
    """Writes merged field values through the edit scope — the same writer as typing,
    which guards each section and KPI (once), checks and records every change."""

    def __init__(self, scope: EditScope, incoming: Report) -> None:
        # Who entered a figure on the other PC and when: the file says; the audit
        # entries say who imported it.
        self.entered = {m.kpi_key: m for m in incoming.measurements}
        self.scope = scope
        session = scope.session
        self.nodes = {
            n.key: n
            for n in session.scalars(select(NodeRow).where(NodeRow.plan_id == scope.plan_id))
        }
        self.kpis = {
            k.key: k for k in session.scalars(select(KpiRow).where(KpiRow.plan_id == scope.plan_id))
        }
        self.figures: list[str] = []

    def benchmarks(self, incoming: Report) -> None:
        """HQ's national figures travel with a submission; a new plan takes them as they
        are (an existing one gets them from HQ's benchmark pack, not from a branch's file)."""
        scope = self.scope
        assert scope.report is not None
        for b in incoming.benchmarks:
            scope.session.add(
                BenchmarkRow(
                    report_id=scope.report.id,
                    kpi_id=self.kpis[b.kpi_key].id,
                    national_average=b.national_average,
                    national_rank=b.national_rank,
                    branch_count=b.branch_count,
                    # Typed by the branch or HQ's: a pack replaces only the typed ones.
                    source=b.source.value,
                )
            )
            key = audit.report_item_key(scope.ref.key, b.kpi_key)
            for name in ("national_average", "national_rank", "branch_count"):
                value = getattr(b, name)
                if value is not None:
                    scope.record("benchmark", key, name, None, value)

    def set(self, mg: FieldMerge) -> None:
        getattr(self, f"_{mg.kind}")(mg)

    def _entry(self, mg: FieldMerge) -> None:
        self.scope.set_entry(self.nodes[mg.owner], mg.name, mg.theirs)

    def _measurement(self, mg: FieldMerge) -> None:
        kpi = self.kpis[mg.owner]
        source = self.entered.get(kpi.key)
        self.scope.set_figure(
            kpi,
            mg.name,
            _typed(mg.name, mg.theirs),
            entered_by=source.entered_by if source else None,
            entered_at=source.entered_at if source else None,
        )
        if kpi.key not in self.figures:
            self.figures.append(kpi.key)

    def _monthly(self, mg: FieldMerge) -> None:
        value = None if mg.theirs is None else Decimal(mg.theirs)
        self.scope.set_monthly(self.kpis[mg.owner], int(mg.name), value)

    def finish(self) -> None:
        for key in self.figures:
            try:
                self.scope.check_figure(key)
            except UserError as exc:
                raise UserError(Text.same(f"KPI {key}: ") + exc.text) from exc


def _typed(name: str, raw: str | None) -> object:
    """A measurement field as the merge carries it (text) back to its stored type."""
    if raw is None:
        return False if name == "preliminary" else None
    if name in ("value", "numerator", "denominator", "old_method_value"):
        return Decimal(raw)
    if name in ("done", "preliminary"):
        return raw == "1"
    if name == "as_of":
        return YearMonth.from_iso(raw)
    return raw
