"""Import, first step: what a work file or submission would change here, worked
out as a three-way merge (this database, the file, and the common version both
last exchanged) without changing anything. ``services.import_apply`` writes it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.branches import HQ_CODE
from desktop.domain.branches import branch as find_branch
from desktop.domain.errors import BadFile
from desktop.domain.merge import FieldMerge, Outcome, report_fields, three_way
from desktop.domain.model import Kpi, PeriodKind, Plan, ReportRef
from desktop.domain.review import SectionState
from desktop.domain.scales import scale_for
from desktop.domain.target_table_merge import TargetsMerge, merge_targets, only_targets_differ
from desktop.domain.text import Text
from desktop.services.edit_scope import find_report
from desktop.services.exchange_bases import bases_in, section_scope
from desktop.services.key_registry import trusted_keys
from desktop.services.locks import plan_state_of, signed_off_row, state_of
from desktop.services.signatures import check_signature
from desktop.services.signing_keys import keys_dir
from desktop.services.verify import national_instead
from desktop.store import repository
from desktop.store.database import Database
from desktop.store.models import NodeRow, PlanRow, SectionReviewRow
from desktop.workbooks.machine import Kind, WorkbookData, WorkbookError
from desktop.workbooks.reader import read_workbook


@dataclass(frozen=True, slots=True)
class Expectation:
    """What the person importing expects (the plan they have open, the menu item)."""

    kinds: tuple[Kind, ...] = (Kind.WORK, Kind.SUBMISSION)
    branch: str | None = None
    fiscal_year: int | None = None
    period: PeriodKind | None = None


# What the File menu's import expects when nothing more is known.
WORK_OR_SUBMISSION = Expectation()


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
    # HQ's template whose targets per branch differ from the stored ones: the cells that
    # change and what that does to the branch plans of the year here.
    targets: TargetsMerge = field(default_factory=TargetsMerge)
    # Worth knowing before importing: an HQ template without HQ's signature, or one
    # whose signature this PC cannot check (HQ's public key not imported).
    warnings: tuple[Text, ...] = ()

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
        return not (self.creates_plan or self.new or self.changes or self.conflicts or self.targets)


def _mismatch(what_ja: str, what_en: str, file_value: object, expected: object) -> WorkbookError:
    return WorkbookError(
        f"ファイルの{what_ja}（{file_value}）が、取り込み先（{expected}）と一致しません。",
        f"The file's {what_en} ({file_value}) does not match the destination ({expected}).",
    )


def check_expectation(data: WorkbookData, expect: Expectation) -> None:
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
    try:
        data = read_workbook(path)
    except WorkbookError as exc:
        national = national_instead(path, exc, trusted_keys(keys_dir(db.path)))
        if national is None:
            raise
        raise national from exc
    check_expectation(data, expect)
    warnings = _template_signature(db, data)
    with db.read() as session:
        preview = preview_in(session, path, data)
    return replace(preview, warnings=warnings) if warnings else preview


def _template_signature(db: Database, data: WorkbookData) -> tuple[Text, ...]:
    """HQ's signature on a template, against the public keys this PC trusts: a wrong
    one is refused; an unsigned template (from before signing) passes with a warning."""
    if data.manifest.kind is not Kind.TEMPLATE:
        return ()
    check = check_signature(data.manifest, trusted_keys(keys_dir(db.path)), unsigned_ok=True)
    if check.problem is not None:
        raise BadFile(
            Text("本部の電子署名を確認できないため、このテンプレートは取り込みません: ",
                 "HQ's signature on this template does not hold, so it is not imported: ")
            + check.problem
        )  # fmt: skip
    return check.notes


def preview_in(session: Session, path: Path, data: WorkbookData) -> ImportPreview:
    """The merge of ``data`` with the database as ``session`` sees it."""
    m = data.manifest
    local = repository.load_plan(session, m.branch, m.fiscal_year)
    incoming = data.plan
    if m.kind is Kind.TEMPLATE:
        return _template_preview(session, path, data, local)
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
    merges = three_way(ours, theirs, data.bases, bases_in(session, ref))
    left_out = left_out_fields(session, ref, merges, local)
    return ImportPreview(path, data, False, tuple(merges), left_out, labels)


def _structure(plan: Plan) -> Plan:
    """A plan without what people enter into it (reports, monthly figures)."""
    return replace(plan, reports=(), kpis=tuple(replace(k, monthly_actuals=()) for k in plan.kpis))


def _template_preview(
    session: Session, path: Path, data: WorkbookData, local: Plan | None
) -> ImportPreview:
    if local is not None:
        if _structure(local) == _structure(data.plan):
            return ImportPreview(path, data, False, ())
        if only_targets_differ(local, data.plan):
            branch_plans = _branch_plans(session, data.plan.fiscal_year)
            merge = merge_targets(local, data.plan, branch_plans)
            return ImportPreview(path, data, False, (), targets=merge)
        raise WorkbookError(
            f"{data.plan.fiscal_year}年度の計画（支部 {data.plan.branch}）はすでにあり、内容が異なります。"
            "テンプレートで既存の計画を上書きすることはできません。",
            f"A different plan for FY{data.plan.fiscal_year} (branch {data.plan.branch}) "
            "already exists; a template never overwrites a plan.",
        )
    return ImportPreview(path, data, True, ())


def _branch_plans(session: Session, fiscal_year: int) -> dict[str, tuple[Plan, bool]]:
    """The branch plans of the year here, each with whether its content is locked."""
    out: dict[str, tuple[Plan, bool]] = {}
    for row in session.scalars(
        select(PlanRow).where(PlanRow.fiscal_year == fiscal_year, PlanRow.branch_code != HQ_CODE)
    ):
        plan = repository.load_plan(session, row.branch_code, fiscal_year)
        if plan is not None:
            out[row.branch_code] = (plan, plan_state_of(session, row.id).locked)
    return out


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


def left_out_fields(
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
