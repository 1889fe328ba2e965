"""HQ's table of targets per branch × KPI (支部別目標), held with HQ's template plan.

``set_branch_targets`` is the one writer: the cells are read as a whole against
the template's KPIs (desktop/domain/branch_targets.py) — every one of them or none,
naming each bad cell — then stored in one transaction, with one audit entry per
cell that changed, and a ``BranchTargetChanged`` record per such cell. A paste
from Excel, the grid's undo and ``plandesk targets import`` all come here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.branch_targets import format_cell, parse_cells
from desktop.domain.branches import HQ_CODE, prefecture_branches
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.errors import BadInput
from desktop.domain.model import BranchTarget, Plan
from desktop.services.changes import BranchTargetChanged, Changes, PlanRef
from desktop.store import audit, repository
from desktop.store.content import branch_target_key, branch_target_text
from desktop.store.database import Database
from desktop.store.models import BranchTargetRow, KpiRow

Cell = tuple[str, str]  # (branch code, KPI key)


@dataclass(frozen=True, slots=True)
class TargetSheet:
    """What the grid shows: HQ's template plan of a year (its KPIs and table)."""

    plan: Plan

    @property
    def ref(self) -> PlanRef:
        return PlanRef(self.plan.branch, self.plan.fiscal_year)

    def text(self, branch: str, kpi_key: str) -> str:
        """A cell's text ('' for the template's default)."""
        kpi = next(k for k in self.plan.kpis if k.key == kpi_key)
        return format_cell(self.plan.branch_targets.get(branch, kpi_key), kpi)


def _no_template(fiscal_year: int) -> BadInput:
    return BadInput(
        f"{fiscal_year_label(fiscal_year)}の本部テンプレート（支部 00 の計画）がこのデータベースに"
        "ありません。",
        f"There is no HQ template (the plan of branch 00) for FY{fiscal_year} in this database.",
    )


def target_sheet(db: Database, fiscal_year: int) -> TargetSheet:
    with db.read() as session:
        plan = repository.load_plan(session, HQ_CODE, fiscal_year)
    if plan is None:
        raise _no_template(fiscal_year)
    return TargetSheet(plan)


def set_branch_targets(
    db: Database, fiscal_year: int, texts: Mapping[Cell, str | None], *, actor: str
) -> Changes:
    """Set cells of HQ's table of targets per branch from their text (blank: back to
    the template's default). All or nothing: a bad cell raises TargetTableError
    naming every bad cell, and nothing is written."""
    with db.write() as session:
        plan = repository.load_plan(session, HQ_CODE, fiscal_year)
        if plan is None:
            raise _no_template(fiscal_year)
        wanted = parse_cells(plan, texts)
        records = write_cells(session, plan, wanted, actor=actor, action="set_branch_targets")
    return Changes.of_records(records)


def write_cells(
    session: Session,
    plan: Plan,
    wanted: Mapping[Cell, BranchTarget | None],
    *,
    actor: str,
    action: str,
) -> list[BranchTargetChanged]:
    """Store cells of HQ's table (``plan``: the template as stored) in the caller's
    transaction, one audit entry per cell that changed; their change records."""
    fiscal_year = plan.fiscal_year
    row = repository.plan_row(session, HQ_CODE, fiscal_year)
    assert row is not None
    kpi_ids = dict(
        session.execute(select(KpiRow.key, KpiRow.id).where(KpiRow.plan_id == row.id)).all()
    )
    stored = {
        (r.branch_code, r.kpi_id): r
        for r in session.scalars(select(BranchTargetRow).where(BranchTargetRow.plan_id == row.id))
    }
    stamp = repository.now_utc()
    records: list[BranchTargetChanged] = []
    ref = PlanRef(HQ_CODE, fiscal_year)
    for (branch, kpi_key), target in wanted.items():
        old = plan.branch_targets.get(branch, kpi_key)
        if old == target:
            continue
        kpi_id = kpi_ids[kpi_key]
        current = stored.get((branch, kpi_id))
        if target is None:
            if current is not None:
                session.delete(current)
        elif current is None:
            session.add(repository.branch_target_row(row.id, kpi_id, branch, target))
        else:
            current.kind, current.value = target.kind.value, target.value
        audit.append(
            session, at=stamp, actor=actor, action=action,
            entity="branch_target",
            entity_key=branch_target_key(HQ_CODE, fiscal_year, kpi_key, branch),
            field="target", old=_audit_text(old), new=_audit_text(target),
        )  # fmt: skip
        records.append(BranchTargetChanged(ref, branch, kpi_key, target))
    return records


def _audit_text(target: BranchTarget | None) -> str | None:
    if target is None:
        return None
    value = None if target.value is None else str(target.value)
    return branch_target_text(target.kind.value, value)


# --- the table as tab-separated text (plandesk targets export / import) ---------------------


def table_tsv(sheet: TargetSheet) -> str:
    """The whole table as UTF-8 text Excel opens: a header of KPI keys, then a row per
    branch (its code, then each cell's text; blank: HQ's default)."""
    kpis = sheet.plan.kpis
    lines = ["\t".join(["branch", *(k.key for k in kpis)])]
    for unit in prefecture_branches():
        lines.append("\t".join([unit.code, *(sheet.text(unit.code, k.key) for k in kpis)]))
    return "\n".join(lines) + "\n"


def read_tsv(sheet: TargetSheet, text: str) -> dict[Cell, str | None]:
    """Cells from text in ``table_tsv``'s shape (any subset of KPI columns and branch
    rows); a header or branch that is not the template's raises BadInput."""
    rows = [line.split("\t") for line in text.lstrip("\ufeff").splitlines() if line.strip()]
    if not rows or rows[0][0].strip() != "branch":
        raise BadInput(
            "1行目は「branch」とKPIキーの見出しにしてください（plandesk targets export の形）。",
            "The first line must be 'branch' and the KPI keys (as plandesk targets export "
            "writes it).",
        )
    keys = [k.strip() for k in rows[0][1:]]
    known = {k.key for k in sheet.plan.kpis}
    unknown = [k for k in keys if k not in known]
    if unknown:
        raise BadInput(
            f"テンプレートにないKPIキーがあります: {', '.join(unknown)}。何も変更していません。",
            f"KPI keys not in the template: {', '.join(unknown)}. Nothing was changed.",
        )
    texts: dict[Cell, str | None] = {}
    for number, row in enumerate(rows[1:], start=2):
        try:
            code = find_branch(row[0].strip().split(" ")[0]).code
        except (KeyError, ValueError):
            code = ""
        if not code or code == HQ_CODE or len(row) > len(keys) + 1:
            raise BadInput(
                f"{number}行目が読めません（支部コード 01〜47 と、見出しの数までのセル）。"
                "何も変更していません。",
                f"Line {number} cannot be read (a branch code 01-47 and at most one cell per "
                "heading). Nothing was changed.",
            )
        for key, cell in zip(keys, row[1:], strict=False):
            texts[(code, key)] = cell.strip() or None
    return texts
