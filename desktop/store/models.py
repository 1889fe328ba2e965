"""SQLAlchemy models: one row type per stored fact.

Every table is STRICT (SQLite refuses '１２３' in an INTEGER column instead of
storing text), every constraint is named (Alembic batch migrations need the
names), and decimals are TEXT (see types.py).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Integer, MetaData, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from desktop.domain.calendar import YearMonth
from desktop.store.types import DecimalText, Flag, MonthText, UtcTimestamp

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

STRICT = {"sqlite_strict": True}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map = {  # noqa: RUF012 - SQLAlchemy reads this class attribute
        str: Text(),
        int: Integer(),
        bool: Flag(),
        Decimal: DecimalText(),
        YearMonth: MonthText(),
        datetime: UtcTimestamp(),
    }


class PlanRow(Base):
    """A branch's plan for a fiscal year; branch '00' holds HQ templates."""

    __tablename__ = "plans"
    __table_args__ = (
        UniqueConstraint("branch_code", "fiscal_year", name="branch_year"),
        CheckConstraint("length(branch_code) = 2", name="branch_code"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    branch_code: Mapped[str]
    fiscal_year: Mapped[int]
    title: Mapped[str]
    basic_policy: Mapped[str] = mapped_column(default="")  # one line each
    created_at: Mapped[datetime]
    # HQ's rules for suggested marks as JSON (domain.mark_rules.dump_rules); NULL: default.
    mark_rules: Mapped[str | None] = mapped_column(default=None)
    # How the report is organised ('tree' | 'group') and whether, by group, the printed
    # numbers restart in each group (0015; domain.model.ReportAxis).
    report_axis: Mapped[str] = mapped_column(default="tree", server_default="tree")
    number_per_group: Mapped[bool] = mapped_column(default=False, server_default="0")
    # The print profile per period as JSON (domain.print_profiles.dump_profiles); NULL: default.
    print_profiles: Mapped[str | None] = mapped_column(default=None)
    # The last serial used in a key the app handed out for a new node or KPI (0011):
    # never lowered, so a removed key is never handed out again.
    key_serial: Mapped[int] = mapped_column(default=0, server_default="0")

    # Deleting a plan (a replacement) leaves its rows to the foreign keys' ON DELETE
    # CASCADE: the ORM deleting nodes one by one raced the cascade from parent to child
    # node and warned "expected to delete N row(s)".
    nodes: Mapped[list[NodeRow]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,  # the database's ON DELETE CASCADE removes them (see PlanRow)
        order_by="NodeRow.id",
    )
    kpis: Mapped[list[KpiRow]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,  # the database's ON DELETE CASCADE removes them (see PlanRow)
        order_by="KpiRow.id",
    )
    reports: Mapped[list[ReportRow]] = relationship(
        back_populates="plan",
        cascade="all, delete-orphan",
        passive_deletes=True,  # the database's ON DELETE CASCADE removes them (see PlanRow)
        order_by="ReportRow.id",
    )


class NodeRow(Base):
    __tablename__ = "plan_nodes"
    __table_args__ = (UniqueConstraint("plan_id", "key", name="plan_key"), STRICT)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    key: Mapped[str]
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("plan_nodes.id", ondelete="CASCADE"), index=True
    )
    level: Mapped[str]
    label: Mapped[str]
    title: Mapped[str]
    plan_text: Mapped[str] = mapped_column(default="")
    group_name: Mapped[str | None]
    importance: Mapped[str | None]
    difficulty: Mapped[str | None]
    footnotes: Mapped[str] = mapped_column(default="[]")  # JSON list of strings
    position: Mapped[int] = mapped_column(default=0)
    # 支部独自 (0011) and HQ's "a branch may add here" (NULL: the default).
    own: Mapped[bool] = mapped_column(default=False, server_default="0")
    branch_may_add: Mapped[bool | None]
    # The node's place in a report organised by group (0015); NULL: tree order.
    report_position: Mapped[int | None]
    # Rating scope (0016): the key of the item whose mark rates this one too; NULL: alone.
    rated_with: Mapped[str | None] = mapped_column(default=None)

    plan: Mapped[PlanRow] = relationship(back_populates="nodes")


class KpiRow(Base):
    __tablename__ = "kpis"
    __table_args__ = (
        UniqueConstraint("plan_id", "key", name="plan_key"),
        CheckConstraint(
            "direction IN ('at_least','at_most','exactly','qualitative')", name="direction"
        ),
        CheckConstraint(
            "target_kind IN ('fixed','prev_year','prev_year_end','multi_year','monthly','manual')",
            name="target_kind",
        ),
        CheckConstraint("decimals BETWEEN 0 AND 6", name="decimals"),
        CheckConstraint("judged_decimals BETWEEN 0 AND 6", name="judged_decimals"),
        CheckConstraint("last_year_source IN ('rollover', 'typed')", name="last_year_source"),
        CheckConstraint("prior_year_source IN ('rollover', 'typed')", name="prior_year_source"),
        CheckConstraint("last_year_national_rank BETWEEN 1 AND 47", name="last_year_national_rank"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[int] = mapped_column(
        ForeignKey("plan_nodes.id", ondelete="CASCADE"), index=True
    )
    key: Mapped[str]
    label: Mapped[str] = mapped_column(default="")
    name: Mapped[str]
    unit: Mapped[str] = mapped_column(default="")
    decimals: Mapped[int] = mapped_column(default=0)
    direction: Mapped[str]
    target_kind: Mapped[str]
    target: Mapped[Decimal | None]
    cumulative: Mapped[bool] = mapped_column(default=False)
    is_new: Mapped[bool] = mapped_column(default=False)
    definition_changed: Mapped[bool] = mapped_column(default=False)
    numerator_label: Mapped[str | None]
    denominator_label: Mapped[str | None]
    numerator_target: Mapped[Decimal | None]
    denominator_target: Mapped[Decimal | None]
    last_year_actual: Mapped[Decimal | None]
    reference: Mapped[str | None]
    note: Mapped[str | None]
    position: Mapped[int] = mapped_column(default=0)
    # Judged at the printed precision (this many decimals); NULL: as entered (0006).
    judged_decimals: Mapped[int | None]
    # Reference figures (0008): where last year's actual came from, the year before's
    # actual and where it came from, last year's national figures as typed.
    last_year_source: Mapped[str | None]
    prior_year_actual: Mapped[Decimal | None]
    prior_year_source: Mapped[str | None]
    last_year_national_average: Mapped[Decimal | None]
    last_year_national_rank: Mapped[int | None]
    # 支部設定: HQ left the target to the branch (0010).
    target_by_branch: Mapped[bool] = mapped_column(default=False, server_default="0")
    # Targets beyond one number a year (0009, desktop/domain/target_rules.py).
    reference_indicator: Mapped[bool] = mapped_column(default=False, server_default="0")
    baseline_year: Mapped[int | None]
    baseline_value: Mapped[Decimal | None]
    goal_year: Mapped[int | None]
    target_text: Mapped[str | None]
    definition_note: Mapped[str | None]
    own: Mapped[bool] = mapped_column(default=False, server_default="0")  # 支部独自 (0011)

    plan: Mapped[PlanRow] = relationship(back_populates="kpis")
    profile: Mapped[list[KpiProfileRow]] = relationship(
        cascade="all, delete-orphan", order_by="KpiProfileRow.fiscal_index"
    )
    monthly: Mapped[list[KpiMonthlyRow]] = relationship(
        cascade="all, delete-orphan", order_by="KpiMonthlyRow.fiscal_index"
    )


class BranchTargetRow(Base):
    """One cell of HQ's table of targets per branch × KPI, held with HQ's template
    plan (desktop/domain/branch_targets.py); no row: the KPI's own target."""

    __tablename__ = "branch_targets"
    __table_args__ = (
        UniqueConstraint("kpi_id", "branch_code", name="branch_target_cell"),
        CheckConstraint("length(branch_code) = 2", name="branch_code"),
        CheckConstraint(
            "kind IN ('fixed','prev_year','prev_year_end','qualitative','by_branch')", name="kind"
        ),
        CheckConstraint("(kind = 'fixed') = (value IS NOT NULL)", name="value"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"), index=True)
    branch_code: Mapped[str]
    kind: Mapped[str]
    value: Mapped[Decimal | None]


class KpiProfileRow(Base):
    """Last year's cumulative value per fiscal month: the shape of the pace curve."""

    __tablename__ = "kpi_profiles"
    __table_args__ = (
        UniqueConstraint("kpi_id", "fiscal_index", name="kpi_month"),
        CheckConstraint("fiscal_index BETWEEN 1 AND 12", name="fiscal_index"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"), index=True)
    fiscal_index: Mapped[int]
    value: Mapped[Decimal]


class KpiMonthlyRow(Base):
    """This year's figure per fiscal month (月次実績), typed month by month."""

    __tablename__ = "kpi_monthly"
    __table_args__ = (
        UniqueConstraint("kpi_id", "fiscal_index", name="kpi_monthly_month"),
        CheckConstraint("fiscal_index BETWEEN 1 AND 12", name="fiscal_index"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"), index=True)
    fiscal_index: Mapped[int]
    value: Mapped[Decimal]
    entered_by: Mapped[str]
    entered_at: Mapped[datetime]


class ReportRow(Base):
    __tablename__ = "reports"
    __table_args__ = (
        UniqueConstraint("plan_id", "period", name="plan_period"),
        CheckConstraint("period IN ('midyear','annual')", name="period"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    period: Mapped[str]
    as_of: Mapped[YearMonth]
    title: Mapped[str] = mapped_column(default="")

    plan: Mapped[PlanRow] = relationship(back_populates="reports")


class EntryRow(Base):
    __tablename__ = "section_entries"
    __table_args__ = (UniqueConstraint("report_id", "node_id", name="report_node"), STRICT)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_nodes.id", ondelete="CASCADE"))
    status_text: Mapped[str] = mapped_column(default="")
    mark: Mapped[str | None]
    mark_reason: Mapped[str | None]
    next_steps: Mapped[str] = mapped_column(default="")
    actions: Mapped[str] = mapped_column(default="", server_default="")  # 具体的な取り組み (0014)
    updated_by: Mapped[str | None]
    updated_at: Mapped[datetime | None]


class MeasurementRow(Base):
    """The figure a report gives for a KPI (one per report and KPI)."""

    __tablename__ = "measurements"
    __table_args__ = (
        UniqueConstraint("report_id", "kpi_id", name="report_kpi"),
        CheckConstraint(
            "manual_status IN ('met','on_pace','behind_pace','not_met')", name="manual_status"
        ),
        STRICT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"))
    value: Mapped[Decimal | None]
    numerator: Mapped[Decimal | None]
    denominator: Mapped[Decimal | None]
    done: Mapped[bool | None]
    as_of: Mapped[YearMonth | None]
    preliminary: Mapped[bool] = mapped_column(default=False)
    unavailable_reason: Mapped[str | None]
    entered_by: Mapped[str | None]
    entered_at: Mapped[datetime | None]
    # A person's verdict on a goal in words (手動判定) with its reason; the figure by
    # the old method of a KPI whose definition changed (0009).
    manual_status: Mapped[str | None]
    manual_reason: Mapped[str | None]
    old_method_value: Mapped[Decimal | None]


class BenchmarkRow(Base):
    """National average and rank HQ published for a KPI in a report period."""

    __tablename__ = "benchmarks"
    __table_args__ = (
        UniqueConstraint("report_id", "kpi_id", name="report_kpi"),
        CheckConstraint("national_rank IS NULL OR national_rank BETWEEN 1 AND 47", name="rank"),
        CheckConstraint("source IN ('pack', 'typed')", name="source"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"))
    national_average: Mapped[Decimal | None]
    national_rank: Mapped[int | None]
    branch_count: Mapped[int | None]
    # "pack": HQ's benchmark pack; "typed": the branch typed them before the pack (0008).
    source: Mapped[str] = mapped_column(default="pack", server_default="pack")


class AuditRow(Base):
    """Append-only history of every change; each row hashes its predecessor."""

    __tablename__ = "audit_log"
    __table_args__ = (STRICT,)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime]
    actor: Mapped[str]
    action: Mapped[str]
    entity: Mapped[str]  # e.g. "entry", "measurement", "plan"
    entity_key: Mapped[str]  # e.g. "13/2024/midyear/1.II.2.1"
    field: Mapped[str] = mapped_column(default="")
    old_value: Mapped[str | None]
    new_value: Mapped[str | None]
    prev_hash: Mapped[str]
    hash: Mapped[str]


class AuditHeadRow(Base):
    """Where the audit log should end: the last entry's id and hash.

    A pointer, not history: one row, updated in the same transaction as each
    append. Without it, deleting the newest entries leaves a shorter chain that
    is still valid, and nobody could tell.
    """

    __tablename__ = "audit_head"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"), STRICT)

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int]
    last_hash: Mapped[str]


class UserRow(Base):
    """A person who works in this database, recognised by their OS login name."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("login", name="login"),
        CheckConstraint("role IN ('staff','supervisor','branch_head','admin')", name="role"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    login: Mapped[str]
    display_name: Mapped[str]
    role: Mapped[str]
    group_name: Mapped[str | None]
    password_hash: Mapped[str | None]  # salted scrypt; None for staff without one
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime]


class SectionReviewRow(Base):
    """Where a section's report stands in review; the content last approved."""

    __tablename__ = "section_reviews"
    __table_args__ = (
        UniqueConstraint("report_id", "node_id", name="review_report_node"),
        CheckConstraint(
            "state IN ('draft','submitted','returned','approved','reopened','excepted')",
            name="state",
        ),
        STRICT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_nodes.id", ondelete="CASCADE"))
    state: Mapped[str]
    submitted_by: Mapped[str | None]
    submitted_at: Mapped[datetime | None]
    updated_by: Mapped[str]
    updated_at: Mapped[datetime]
    approved_content: Mapped[str | None]  # JSON: texts, mark and KPI figures when approved


class ReviewCommentRow(Base):
    """The thread of a section's review: comments and the actions that carry one."""

    __tablename__ = "review_comments"
    __table_args__ = (STRICT,)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), index=True)
    node_id: Mapped[int] = mapped_column(ForeignKey("plan_nodes.id", ondelete="CASCADE"))
    author: Mapped[str]
    at: Mapped[datetime]
    action: Mapped[str]  # comment | submit | return | approve | reopen | except
    text: Mapped[str]


class SignOffRow(Base):
    """The branch head's sign-off of a whole report (決裁)."""

    __tablename__ = "report_signoffs"
    __table_args__ = (UniqueConstraint("report_id", name="signoff_report"), STRICT)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    signed_by: Mapped[str]
    signed_at: Mapped[datetime]


class ExchangeBaseRow(Base):
    """The value a report field had when this PC last exchanged it — took it from a
    workbook or sent it in a work file: the common version of a three-way merge."""

    __tablename__ = "exchange_bases"
    __table_args__ = (UniqueConstraint("report_id", "field", name="exchange_report_field"), STRICT)

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    field: Mapped[str]  # e.g. "entry/1.II.2.1/status_text" (domain.merge field keys)
    value: Mapped[str | None]
    updated_at: Mapped[datetime]


class RemovedPartRow(Base):
    """A node (with what is under it) or a KPI a structure edit removed, kept with every
    value that hung on it until it is restored (0011): removing never loses a report."""

    __tablename__ = "removed_parts"
    __table_args__ = (CheckConstraint("kind IN ('node', 'kpi')", name="kind"), STRICT)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str]
    key: Mapped[str]
    keys: Mapped[str]  # JSON: every node and KPI key it holds (never handed out again)
    payload: Mapped[str]  # JSON: the rows, by key (desktop/store/structure.py)
    removed_by: Mapped[str]
    removed_at: Mapped[datetime]


class KpiConfirmationRow(Base):
    """A person confirmed a new (新設) or redefined KPI after a year rollover."""

    __tablename__ = "kpi_confirmations"
    __table_args__ = (UniqueConstraint("kpi_id", name="confirmation_kpi"), STRICT)

    id: Mapped[int] = mapped_column(primary_key=True)
    kpi_id: Mapped[int] = mapped_column(ForeignKey("kpis.id", ondelete="CASCADE"))
    confirmed_by: Mapped[str]
    confirmed_at: Mapped[datetime]


class PlanStateRow(Base):
    """Where a plan stands in its own approval (0012): draft, submitted, approved;
    the plan's content as last approved. No row: a draft (a plan made after 0012 and
    never submitted); every plan stored before 0012 was given an approved row."""

    __tablename__ = "plan_states"
    __table_args__ = (
        UniqueConstraint("plan_id", name="plan_state_plan"),
        CheckConstraint("state IN ('draft','submitted','approved')", name="state"),
        STRICT,
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"))
    state: Mapped[str]
    submitted_by: Mapped[str | None]
    submitted_at: Mapped[datetime | None]
    approved_by: Mapped[str | None]
    approved_at: Mapped[datetime | None]
    # plandesk.plan/1 JSON of the content as approved (domain.plan_diff.plan_content);
    # NULL for a plan approved by the 0012 upgrade until it is first reopened.
    approved_content: Mapped[str | None]
    reason: Mapped[str] = mapped_column(default="")  # the last send-back's or reopening's
    updated_by: Mapped[str]
    updated_at: Mapped[datetime]
