"""Importing HQ's template workbook whose table of targets per branch (支部別目標)
differs from the one stored: a previewed merge, not a refusal.

HQ's stored table takes the file's cells. A branch plan of the same year made from
the template takes a changed cell too — but only where the branch has not set that
target itself (its KPI still holds what the old cell gave it: ``follows_template``)
and its plan is not submitted or approved; otherwise its own target stays, and the
preview says so, branch by branch.

Pure: desktop/services/import_preview.py works it out, import_apply.py writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from desktop.domain.branch_targets import branch_kpi, default_text, format_cell
from desktop.domain.branches import BRANCHES
from desktop.domain.model import BranchTarget, BranchTargets, Kpi, Plan
from desktop.domain.text import Text

__all__ = [
    "BranchPlanTarget",
    "CellChange",
    "TargetsMerge",
    "follows_template",
    "merge_targets",
    "only_targets_differ",
]

# What a branch plan's KPI takes from a cell (desktop/domain/branch_targets.branch_kpi).
TARGET_FIELDS = (
    "target_kind",
    "target",
    "target_by_branch",
    "numerator_target",
    "denominator_target",
)


@dataclass(frozen=True, slots=True)
class CellChange:
    """One cell of HQ's table as stored and in the file (None: the template's default)."""

    branch: str
    kpi_key: str
    kpi_name: str  # 「label name」
    old: BranchTarget | None
    new: BranchTarget | None
    old_text: str  # the cell's words ('' for the default is shown as the default's words)
    new_text: str

    def text(self) -> Text:
        unit = BRANCHES[self.branch]
        return Text(
            f"{unit.name_ja}・{self.kpi_name}: {self.old_text} → {self.new_text}",
            f"{unit.name_en}, {self.kpi_name}: {self.old_text} → {self.new_text}",
        )


@dataclass(frozen=True, slots=True)
class BranchPlanTarget:
    """What a changed cell does to the branch's plan of the year in this database."""

    branch: str
    kpi_key: str
    kpi_name: str
    applies: bool  # the plan's KPI takes the new cell
    kpi: Kpi | None  # the KPI as it will be (applies) — None when left alone
    why: Text  # why it is left alone, or that it follows the template

    def text(self) -> Text:
        unit = BRANCHES[self.branch]
        head = Text(
            f"{unit.name_ja}の計画・{self.kpi_name}: ", f"{unit.name_en}'s plan, {self.kpi_name}: "
        )
        return head + self.why


@dataclass(frozen=True, slots=True)
class TargetsMerge:
    cells: tuple[CellChange, ...] = ()
    branch_plans: tuple[BranchPlanTarget, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.cells)

    def lines(self) -> list[Text]:
        """The preview: every cell that changes, then what happens in each branch plan."""
        if not self.cells:
            return []
        out = [
            Text(
                f"支部別目標の変更: {len(self.cells)}件（本部の表を更新します）",
                f"Targets per branch that change: {len(self.cells)} (HQ's table is updated)",
            )
        ]
        out += [Text("  ", "  ") + c.text() for c in self.cells]
        if self.branch_plans:
            out.append(
                Text(
                    "この年度の支部の計画: 支部が自ら設定していない目標だけを更新します",
                    "Branch plans of this year: only targets the branch has not set itself "
                    "are updated",
                )
            )
            out += [Text("  ", "  ") + b.text() for b in self.branch_plans]
        return out


def _structure_only(plan: Plan) -> Plan:
    return replace(
        plan,
        reports=(),
        kpis=tuple(replace(k, monthly_actuals=()) for k in plan.kpis),
        branch_targets=BranchTargets(),
    )


def only_targets_differ(stored: Plan, incoming: Plan) -> bool:
    """Whether two templates differ in their tables of targets per branch alone."""
    return stored.branch_targets != incoming.branch_targets and _structure_only(
        stored
    ) == _structure_only(incoming)


def follows_template(kpi: Kpi, template_kpi: Kpi, cell: BranchTarget | None) -> bool:
    """Whether a branch plan's KPI still holds what HQ's cell gave it (the branch has
    not set this target itself). A 対前年度 target resolved by the rollover to last
    year's figure still follows: its kind is the cell's."""
    given = branch_kpi(template_kpi, cell)
    if given.target_kind.from_last_year:
        return all(getattr(kpi, f) == getattr(given, f) for f in TARGET_FIELDS if f != "target")
    return all(getattr(kpi, f) == getattr(given, f) for f in TARGET_FIELDS)


def _shown(cell: BranchTarget | None, kpi: Kpi) -> str:
    if cell is None:
        default = default_text(kpi)
        return f"（既定: {default}）" if default else "（既定）"
    return format_cell(cell, kpi)


def merge_targets(
    stored: Plan, incoming: Plan, branch_plans: dict[str, tuple[Plan, bool]]
) -> TargetsMerge:
    """The changed cells of HQ's table, and for each branch plan of the year here
    (branch code → (plan, locked)) what the change does to it."""
    kpis = {k.key: k for k in incoming.kpis}
    before, after = stored.branch_targets.as_dict(), incoming.branch_targets.as_dict()
    cells = []
    for place in sorted(before.keys() | after.keys()):
        old, new = before.get(place), after.get(place)
        if old == new:
            continue
        branch, key = place
        kpi = kpis[key]
        name = f"{kpi.label}{kpi.name}"
        cells.append(CellChange(branch, key, name, old, new, _shown(old, kpi), _shown(new, kpi)))
    effects = []
    for c in cells:
        found = branch_plans.get(c.branch)
        if found is None:
            continue
        plan, locked = found
        own = next((k for k in plan.kpis if k.key == c.kpi_key), None)
        if own is None:
            continue
        template_kpi = kpis[c.kpi_key]
        if not follows_template(own, template_kpi, c.old):
            why = Text(
                "支部が自ら設定した目標のため変更しません",
                "left as it is: the branch set this target itself",
            )
            effects.append(BranchPlanTarget(c.branch, c.kpi_key, c.kpi_name, False, None, why))
        elif locked:
            why = Text(
                "計画が承認待ち・承認済みのため変更しません（再編集後に取り込み直してください）",
                "left as it is: the plan is submitted or approved (import again once it "
                "is reopened)",
            )
            effects.append(BranchPlanTarget(c.branch, c.kpi_key, c.kpi_name, False, None, why))
        else:
            given = branch_kpi(template_kpi, c.new)
            updated = replace(own, **{f: getattr(given, f) for f in TARGET_FIELDS})
            why = Text(f"{c.new_text} に更新します", f"updated to {c.new_text}")
            effects.append(BranchPlanTarget(c.branch, c.kpi_key, c.kpi_name, True, updated, why))
    return TargetsMerge(tuple(cells), tuple(effects))
