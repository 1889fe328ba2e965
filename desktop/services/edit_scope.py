"""The one way an editing service reaches what it changes in a report.

Every service that changes report content — typed in the app or the command
line, or merged from a workbook — opens an ``EditScope`` inside its write
transaction. The scope resolves the report, its sections and KPIs by key, and
is the one writer of each kind of report row (``set_entry``, ``set_figure``,
``set_monthly``, ``set_plan_text``): typing and an import pass the same checks,
leave the same audit entries and produce the same change records
(``changes()``). Each field goes through ``change``, which applies the review
lock of what the field belongs to before the first change (once per owner) and
appends the audit entry. So the lock is not something each service has to
remember: a field written through the scope is guarded, and
tests/services/test_edit_locks.py finds every writing service of the service API
and checks that it is refused on a signed-off report and an approved section
(or is a listed exception).

What a field belongs to decides the lock:

- ``Section``: a section's texts and mark — locked when the report is signed
  off or the section approved (an edit to a reopened section resubmits it).
- ``KpiFigure``: a KPI's figure — locked with the section it hangs on (see
  ``locks.guard_kpi_edit`` for KPIs under headings).
- ``PlanText``: the plan's content — a node's 事業計画 text, and whatever else
  of the tree and KPI definitions a service changes — shared by every report of
  the plan, so locked when any of them is signed off or has the section
  approved, and while the plan itself is submitted or approved
  (``locks.refuse_if_plan_locked``, desktop/domain/plan_review.py).
- ``PlanFigure``: a reference figure the plan holds per KPI (last year's and the
  year before's actuals, last year's national figures) — locked like a plan text
  by the reports' reviews, but not by the plan's approval: they are facts that
  arrive after the plan is agreed (last year's results close in summer), not
  what was agreed.
- ``Structure``: the plan's tree and KPI definitions (desktop/services/plan_editing.py)
  — locked when any report of the plan is signed off, and by the plan's approval; a
  node it names is also locked like its plan text (approved in any report).
- ``YEAR``: monthly figures (月次実績) — deliberately not locked: they belong
  to the fiscal year, not to one report (docs/workbook-format.md), and keep
  arriving after a report is signed off.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain import limits
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import YearMonth
from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind, ReportRef, SectionEntry
from desktop.domain.scales import scale_for
from desktop.services.changes import (
    Changes,
    ContentRecord,
    EntryChanged,
    MeasurementChanged,
    MonthlyChanged,
    PlanTextChanged,
    Record,
    ReviewChanged,
)
from desktop.services.locks import (
    guard_edit,
    guard_kpi_edit,
    refuse_if_plan_locked,
    refuse_structure_if_signed_off,
)
from desktop.store import audit, repository
from desktop.store.models import (
    EntryRow,
    KpiMonthlyRow,
    KpiRow,
    MeasurementRow,
    NodeRow,
    ReportRow,
)
from desktop.store.repository import now_utc

# The texts of a section's entry and the limit each is checked against.
ENTRY_TEXT = {
    "status_text": limits.STATUS_TEXT,
    "mark": limits.MARK,
    "mark_reason": limits.MARK_REASON,
    "next_steps": limits.NEXT_STEPS,
    "actions": limits.ACTIONS,
}
MEASUREMENT_FIELDS = frozenset(
    {"value", "as_of", "numerator", "denominator", "done", "preliminary", "unavailable_reason"}
    | {"manual_status", "manual_reason", "old_method_value"}
)


def find_report(
    session: Session,
    ref: ReportRef,
    *,
    create: bool,
    need_report: bool = True,
    actor: str | None = None,
) -> tuple[int, ReportRow | None]:
    """The plan's id and the report (created on first use when ``create``, with an
    audit entry by ``actor`` for its as-of month)."""
    code = find_branch(ref.branch).code
    plan = repository.plan_row(session, code, ref.fiscal_year)
    if plan is None:
        raise UserError(
            f"{ref.fiscal_year}年度・支部 {code} の計画がありません。",
            f"No plan for branch {code}, FY{ref.fiscal_year}.",
        )
    report = repository.report_row(session, plan.id, ref.period)
    if report is None and need_report:
        if not create:
            raise UserError(
                "この報告期間はまだありません。", "This report period does not exist yet."
            )
        if actor is None:
            raise ValueError("creating a report needs the actor for its audit entry")
        as_of = ref.period.closing_month(ref.fiscal_year)
        report = ReportRow(plan_id=plan.id, period=ref.period.value, as_of=as_of, title="")
        session.add(report)
        session.flush()
        audit.append(session, at=now_utc(), actor=actor, action="create", entity="report",
                     entity_key=ref.key, field="as_of", new=as_of.iso())  # fmt: skip
    return plan.id, report


def find_node(session: Session, plan_id: int, node_key: str) -> NodeRow:
    node = repository.node_row(session, plan_id, node_key)
    if node is None:
        raise UserError(f"項目 {node_key} がありません。", f"No plan item {node_key}.")
    return node


def find_kpi(session: Session, plan_id: int, kpi_key: str) -> KpiRow:
    kpi = repository.kpi_row(session, plan_id, kpi_key)
    if kpi is None:
        raise UserError(f"KPI {kpi_key} がありません。", f"No KPI {kpi_key}.")
    return kpi


# --- what a field belongs to ----------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Section:
    node: NodeRow


@dataclass(frozen=True, slots=True)
class KpiFigure:
    kpi: KpiRow


@dataclass(frozen=True, slots=True)
class PlanText:
    node: NodeRow


@dataclass(frozen=True, slots=True)
class PlanFigure:
    node: NodeRow  # the section the KPI hangs on


@dataclass(frozen=True, slots=True)
class Structure:
    """The plan's structure; ``node``: the node an edit changes or removes (None: an
    addition, or a KPI definition of ``node``'s)."""

    node: NodeRow | None = None


@dataclass(frozen=True, slots=True)
class _Year:
    """Monthly figures: the fiscal year's, not one report's (see the module doc)."""


YEAR = _Year()
Owner = Section | KpiFigure | PlanText | PlanFigure | Structure | _Year


class EditScope:
    """The report an editing service writes to, inside its write transaction.

    ``create_report``: make the report row on the first edit of a period
    (texts and figures); False for what belongs to the plan or the year
    (plan text, monthly figures), which need no report of this period.

    The ``set_*`` methods are the one writer of each kind of report row, used by
    typing (services.editing) and by a workbook import alike: the same checks,
    the same audit entries, the same change records. ``changes()`` returns those
    records, the resubmissions the locks caused among them.
    """

    def __init__(
        self,
        session: Session,
        ref: ReportRef,
        *,
        actor: str,
        action: str = "edit",
        create_report: bool = True,
        stamp: datetime | None = None,
    ) -> None:
        self.session, self.ref, self.actor, self.action = session, ref, actor, action
        self.stamp = stamp or now_utc()
        self.plan_id, self.report = find_report(
            session, ref, create=create_report, need_report=create_report, actor=actor
        )
        self._guarded: set[tuple[str, int]] = set()
        self._reviews: list[ReviewChanged] = []
        # What was written, in order, for the change records (see changes()).
        self._entries: dict[str, tuple[EntryRow, list[str]]] = {}
        self._figures: dict[str, MeasurementRow] = {}
        # Records made when written (monthly, plan text), or ("entry", node, field) and
        # ("figure", kpi) for rows whose final state becomes the record in changes().
        self._content: list[ContentRecord | tuple[str, ...]] = []
        self._replaced = False

    def node(self, node_key: str) -> NodeRow:
        return find_node(self.session, self.plan_id, node_key)

    def kpi(self, kpi_key: str) -> KpiRow:
        return find_kpi(self.session, self.plan_id, kpi_key)

    def guard(self, owner: Owner) -> None:
        """Refuse (ReviewRefused) when the review lock of ``owner`` forbids a change.
        Called by ``change``; call it directly only for rows added or deleted whole."""
        if isinstance(owner, _Year):
            return  # deliberately unlocked: see the module doc
        if isinstance(owner, KpiFigure):
            token = (type(owner).__name__, owner.kpi.id)
        else:
            token = (type(owner).__name__, owner.node.id if owner.node is not None else 0)
        if token in self._guarded:
            return
        if isinstance(owner, Section):
            review = guard_edit(
                self.session, self.ref, self._report(), owner.node, actor=self.actor
            )
            self._resubmitted(review)
        elif isinstance(owner, KpiFigure):
            review = guard_kpi_edit(
                self.session, self.ref, self._report(), owner.kpi, actor=self.actor
            )
            self._resubmitted(review)
        else:
            # Whatever belongs to the plan (plan texts, its tree and KPI definitions) is
            # locked by the plan's approval; its reference figures are not (module doc).
            if not isinstance(owner, PlanFigure) and ("plan", self.plan_id) not in self._guarded:
                refuse_if_plan_locked(self.session, self.plan_id)
                self._guarded.add(("plan", self.plan_id))
            reports = self._plan_reports()
            if isinstance(owner, Structure):
                for _period, report in reports:
                    refuse_structure_if_signed_off(self.session, report.id)
            node = owner.node
            for period, report in reports if node is not None else ():
                ref = ReportRef(self.ref.branch, self.ref.fiscal_year, period)
                self._resubmitted(guard_edit(self.session, ref, report, node, actor=self.actor))
        self._guarded.add(token)

    def _resubmitted(self, review: ReviewChanged | None) -> None:
        if review is not None:
            self._reviews.append(review)

    def change(
        self, owner: Owner, row: object, field: str, new: object, *, entity: str, key: str
    ) -> bool:
        """Set ``row.field`` to ``new`` when it differs: guarded, with its audit entry.
        True when it changed."""
        old = getattr(row, field)
        if old == new:
            return False
        self.guard(owner)
        setattr(row, field, new)
        self.record(entity, key, field, old, new)
        return True

    def record(self, entity: str, key: str, field: str, old: object, new: object) -> None:
        """The audit entry of one change (``change`` makes it; rows added or deleted
        whole are recorded by the service, after ``guard``)."""
        audit.append(
            self.session,
            at=self.stamp,
            actor=self.actor,
            action=self.action,
            entity=entity,
            entity_key=key,
            field=field,
            old=audit_text(old),
            new=audit_text(new),
        )

    def _refuse_mark_of_member(self, node: NodeRow) -> None:
        """An item of a rating scope is rated by its holder's one mark and reason
        (desktop/domain/rating_scopes.py): its own stay empty, whoever writes."""
        if node.rated_with is None or node.rated_with == node.key:
            return
        holder = repository.node_row(self.session, self.plan_id, node.rated_with)
        if holder is None or holder.rated_with not in (None, holder.key):
            return  # not a valid scope: rated on its own
        raise UserError(
            f"「{node.label}{node.title}」は「{holder.label}{holder.title}」とまとめて評価します。"
            f"評価と理由は「{holder.label}{holder.title}」に入力してください。",
            f"'{node.label}{node.title}' is rated together with '{holder.label}{holder.title}': "
            f"enter the mark and its reason there.",
        )

    # --- the one writer of each kind of row ----------------------------------------------

    def set_entry(self, node: NodeRow, field: str, value: str | None) -> bool:
        """One field of a section's entry (the entry is created on first use).

        ``value`` as stored: the length and the mark are checked here, whoever
        writes; typing's own clean-up (line breaks, marks as typed) comes before."""
        if field not in ENTRY_TEXT:
            raise ValueError(f"unknown entry field {field!r}")
        text = limits.check_text(ENTRY_TEXT[field], value or "", typed=False)
        stored: str | None = text
        if field == "mark":
            stored = text or None
            if stored is not None and scale_for(self.ref.period).normalize(stored) != stored:
                raise UserError(
                    f"「{stored}」はこの報告期間の評価の記号ではありません。",
                    f"'{stored}' is not a mark of this report period.",
                )
        elif field == "mark_reason":
            stored = text or None
        if field in ("mark", "mark_reason") and stored is not None:
            self._refuse_mark_of_member(node)
        held = self._entries.get(node.key)
        if held is None:
            row = repository.entry_row(self.session, self._report().id, node.id)
            if row is None:
                row = EntryRow(
                    report_id=self._report().id,
                    node_id=node.id,
                    status_text="",
                    next_steps="",
                    actions="",
                )
                self.session.add(row)
            held = self._entries[node.key] = (row, [])
        row, fields = held
        key = audit.report_item_key(self.ref.key, node.key)
        changed = self.change(Section(node), row, field, stored, entity="entry", key=key)
        if changed:
            row.updated_by, row.updated_at = self.actor, self.stamp
        if field not in fields:
            fields.append(field)
            self._content.append(("entry", node.key, field))
        return changed

    def figure_row(self, kpi: KpiRow) -> MeasurementRow:
        """The report's figure of a KPI (created on first use)."""
        row = self._figures.get(kpi.key)
        if row is None:
            row = repository.measurement_row(self.session, self._report().id, kpi.id)
            if row is None:
                row = MeasurementRow(report_id=self._report().id, kpi_id=kpi.id, preliminary=False)
                self.session.add(row)
            self._figures[kpi.key] = row
            self._content.append(("figure", kpi.key))
        return row

    def set_figure(
        self,
        kpi: KpiRow,
        field: str,
        value: object,
        *,
        entered_by: str | None = None,
        entered_at: datetime | None = None,
    ) -> bool:
        """One field of a KPI's figure, typed (Decimal, YearMonth, bool …). Who entered
        it: this scope's actor and time, unless the source says (a file does)."""
        if field not in MEASUREMENT_FIELDS:
            raise ValueError(f"unknown measurement field {field!r}")
        if field == "unavailable_reason" and value is not None:
            value = limits.check_text(limits.UNAVAILABLE_REASON, str(value), typed=False)
        if field == "manual_reason" and value is not None:
            value = limits.check_text(limits.MANUAL_REASON, str(value), typed=False)
        row = self.figure_row(kpi)
        key = audit.report_item_key(self.ref.key, kpi.key)
        changed = self.change(KpiFigure(kpi), row, field, value, entity="measurement", key=key)
        if changed:
            row.entered_by = entered_by or self.actor
            row.entered_at = entered_at or self.stamp
        return changed

    def check_figure(self, kpi_key: str) -> None:
        """A figure whose fields were set must make sense as a whole (UserError)."""
        row = self._figures.get(kpi_key)
        if row is not None:
            check_figure_row(row, self.ref)

    def set_monthly(self, kpi: KpiRow, fiscal_index: int, value: Decimal | None) -> bool:
        """A KPI's figure for one fiscal month (1 = April); None removes it."""
        if not 1 <= fiscal_index <= 12:
            raise ValueError(f"fiscal month 1..12 expected, got {fiscal_index}")
        row = self.session.scalars(
            select(KpiMonthlyRow).where(
                KpiMonthlyRow.kpi_id == kpi.id, KpiMonthlyRow.fiscal_index == fiscal_index
            )
        ).one_or_none()
        old = row.value if row is not None else None
        self._content.append(MonthlyChanged(self.ref, kpi.key, fiscal_index, value))
        if old == value:
            return False
        self.guard(YEAR)  # rows added or deleted whole: guarded and recorded here
        if value is None:
            assert row is not None
            self.session.delete(row)
        elif row is None:
            self.session.add(
                KpiMonthlyRow(
                    kpi_id=kpi.id,
                    fiscal_index=fiscal_index,
                    value=value,
                    entered_by=self.actor,
                    entered_at=self.stamp,
                )
            )
        else:
            row.value, row.entered_by, row.entered_at = value, self.actor, self.stamp
        month = YearMonth(self.ref.fiscal_year, 4).add_months(fiscal_index - 1)
        key = audit.monthly_key(self.ref.branch, self.ref.fiscal_year, kpi.key, month.iso())
        self.record("monthly", key, "value", old, value)
        return True

    def set_plan_text(self, node: NodeRow, text: str) -> bool:
        """A node's 事業計画 text (shared by every report of the plan)."""
        text = limits.check_text(limits.PLAN_TEXT, text, typed=False)
        key = audit.plan_item_key(self.ref.branch, self.ref.fiscal_year, node.key)
        changed = self.change(PlanText(node), node, "plan_text", text, entity="node", key=key)
        self._content.append(PlanTextChanged(self.ref, node.key, text))
        return changed

    def set_report_header(self, as_of: YearMonth, title: str) -> None:
        """A report's as-of month and title (a report new here, taken from a file)."""
        report = self._report()
        for name, value in (("as_of", as_of), ("title", title)):
            old = getattr(report, name)
            if old != value:
                setattr(report, name, value)
                self.record("report", self.ref.key, name, old, value)
                self._replaced = True

    def changes(self) -> Changes:
        """What this scope wrote, as the change records of the envelope: the content in
        the order it was written, then the review states the locks moved."""
        self.session.flush()
        records: list[Record] = []
        for item in self._content:
            if not isinstance(item, tuple):
                records.append(item)
                continue
            if item[0] == "figure":
                row = self._figures[item[1]]
                records.append(
                    MeasurementChanged(self.ref, repository.measurement_from_row(row, item[1]))
                )
                continue
            _kind, node_key, field = item
            row_, _fields = self._entries[node_key]
            entry = SectionEntry(
                node_key=node_key,
                status_text=row_.status_text,
                mark=row_.mark,
                mark_reason=row_.mark_reason,
                next_steps=row_.next_steps,
                actions=row_.actions,
            )
            records.append(EntryChanged(self.ref, entry, field))
        records.extend(self._reviews)
        reports = frozenset({self.ref}) if self._replaced else frozenset()
        return Changes(records=tuple(records), reports=reports)

    def _report(self) -> ReportRow:
        if self.report is None:  # pragma: no cover - a programming error, not user input
            raise RuntimeError("a section or KPI edit needs a scope with create_report=True")
        return self.report

    def _plan_reports(self) -> list[tuple[PeriodKind, ReportRow]]:
        rows = self.session.scalars(
            select(ReportRow).where(ReportRow.plan_id == self.plan_id).order_by(ReportRow.id)
        ).all()
        return [(PeriodKind(r.period), r) for r in rows]


# --- what a stored figure must satisfy, whoever wrote it ---------------------------------


def check_figure_row(row: MeasurementRow, ref: ReportRef) -> None:
    if row.manual_status is not None and not (row.manual_reason or "").strip():
        raise UserError(
            "手動判定には理由の記入が必要です。",
            "A verdict given by hand needs a reason.",
        )
    if row.denominator is not None and row.denominator <= 0:
        raise UserError("分母は0より大きい数にしてください。", "The denominator must be above 0.")
    if row.numerator is not None and row.numerator < 0:
        raise UserError("分子は0以上にしてください。", "The numerator cannot be negative.")
    if row.as_of is not None:
        check_month(row.as_of, ref)


def check_month(as_of: YearMonth, ref: ReportRef) -> None:
    """A figure's month must lie in the plan's fiscal year (or the month after
    it ends, when year-end figures are confirmed)."""
    first = YearMonth(ref.fiscal_year, 4)
    last = YearMonth(ref.fiscal_year + 1, 3)
    if not first <= as_of <= last.add_months(3):
        raise UserError(
            f"時点「{as_of.era_label()}」は{ref.fiscal_year}年度の範囲外です。",
            f"As-of month {as_of.iso()} lies outside FY{ref.fiscal_year}.",
        )


def audit_text(value: object) -> str | None:
    if value is None:
        return None
    if isinstance(value, YearMonth):
        return value.iso()
    return str(value)
