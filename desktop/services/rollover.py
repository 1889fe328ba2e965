"""Year rollover: next year's branch plan from the new HQ template.

The new plan takes the template's tree and KPIs. Each template KPI is matched
to the branch's KPI of the previous year by its normalised name
(:func:`desktop.domain.series.kpi_identity`); a match carries last year's
figure over as the baseline (``last_year_actual``) and last year's monthly
figures as the pace curve (``last_year_profile``), and a 対前年度以上／以下
target is resolved to that figure (``target`` = the number, ``target_kind``
stays PREV_YEAR so the printed target still reads 対前年度以上（…）).

Baselines are the branch's own: whatever the template holds there (HQ's
figures) is not carried into a branch plan. A figure in another unit is not a
baseline either (a definition change that makes it incomparable).

KPIs that are new (【新設】 in the template, or without a match last year) or
whose definition changed (marked so by HQ, or unit / direction / decimals differ
from last year's) need a person's confirmation: :func:`pending_confirmations`
lists them and :func:`confirm_kpi` records one (``kpi_confirmations``).
Which KPIs need one is worked out from the stored plans, the same way the
rollover did, so nothing else has to be stored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Literal

from sqlalchemy import select
from sqlalchemy.orm import Session

from desktop.domain.achievement import format_value
from desktop.domain.branches import Branch
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import YearMonth, fiscal_year_label
from desktop.domain.errors import UserError
from desktop.domain.model import Direction, Kpi, PeriodKind, Plan, TargetKind
from desktop.domain.parsing import quantize
from desktop.domain.series import kpi_identity
from desktop.services.changes import NOTHING, Changes, KpiConfirmed, PlanRef
from desktop.services.plans import HQ_TEMPLATE, bundled_plan
from desktop.store import audit, repository
from desktop.store.database import Database
from desktop.store.models import KpiConfirmationRow, KpiRow, PlanRow
from desktop.store.repository import now_utc

FlagReason = Literal["new", "definition_changed"]

UNRESOLVED_JA = "前年度の実績がないため目標未確定"
UNRESOLVED_EN = "Target not set: no actual for last year"

_DIRECTION_JA = {
    Direction.AT_LEAST: "以上",
    Direction.AT_MOST: "以下",
    Direction.EXACTLY: "一致",
    Direction.QUALITATIVE: "実施",
}
_DIRECTION_EN = {
    Direction.AT_LEAST: "at least",
    Direction.AT_MOST: "at most",
    Direction.EXACTLY: "exactly",
    Direction.QUALITATIVE: "done / not done",
}


# --- results ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Baseline:
    """Last year's figure carried into the new plan, and where it came from."""

    kpi_key: str  # the new plan's KPI key
    name: str
    value: Decimal | None  # None when only the monthly profile was carried
    period: PeriodKind | None  # the report it came from
    as_of: YearMonth | None  # the figure's as-of month (時点)
    preliminary: bool
    profile_months: int  # how many monthly figures became the pace curve
    from_kpi_key: str  # last year's KPI key


@dataclass(frozen=True, slots=True)
class ResolvedTarget:
    """A 対前年度 target that became a number."""

    kpi_key: str
    name: str
    value: Decimal
    period: PeriodKind
    as_of: YearMonth | None
    preliminary: bool
    text_ja: str  # e.g. 対前年度以上（31.58％、令和6年5月時点・上期報告）
    text_en: str  # e.g. at least last year (31.58％, as of 2024-05, mid-year report)

    def text(self, lang: str = "ja") -> str:
        return self.text_ja if lang == "ja" else self.text_en


@dataclass(frozen=True, slots=True)
class UnresolvedTarget:
    """A 対前年度 target left open: no usable figure last year."""

    kpi_key: str
    name: str
    reason_ja: str
    reason_en: str


@dataclass(frozen=True, slots=True)
class FlaggedKpi:
    """A KPI a person has to confirm: new (新設) or with a changed definition."""

    kpi_key: str
    name: str
    reason: FlagReason
    detail_ja: str
    detail_en: str

    def detail(self, lang: str = "ja") -> str:
        return self.detail_ja if lang == "ja" else self.detail_en


@dataclass(frozen=True, slots=True)
class RolloverResult:
    branch: str
    fiscal_year: int
    title: str
    from_year: int
    template: str  # "00/2025": the template's branch and year
    resolved: tuple[ResolvedTarget, ...]
    unresolved: tuple[UnresolvedTarget, ...]
    flagged: tuple[FlaggedKpi, ...]
    baselines: tuple[Baseline, ...]
    changes: Changes = NOTHING  # the new plan

    @property
    def key(self) -> str:
        return audit.plan_key(self.branch, self.fiscal_year)

    @property
    def carried(self) -> int:
        """How many KPIs got a baseline (last year's figure or pace curve)."""
        return len(self.baselines)


# --- the rules (pure) ------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Assessment:
    kpi: Kpi  # the new plan's KPI, baselines and resolved target filled in
    baseline: Baseline | None
    resolved: ResolvedTarget | None
    unresolved: UnresolvedTarget | None
    flag: FlaggedKpi | None


def _last_year_figure(
    plan: Plan, kpi_key: str
) -> tuple[Decimal, PeriodKind, YearMonth | None, bool] | None:
    """(value, period, as-of, preliminary): the annual report's figure when it has
    one, else the latest report's."""
    for period in (PeriodKind.ANNUAL, PeriodKind.MIDYEAR):
        report = plan.report(period)
        if report is None:
            continue
        m = next((m for m in report.measurements if m.kpi_key == kpi_key), None)
        value = m.effective_value() if m is not None else None
        if m is not None and value is not None:
            if m.value is None:
                # A rate from its parts (1/3 → 33.333…): the figure as the report
                # printed it, at the KPI's decimals, not an endless fraction.
                decimals = next(k.decimals for k in plan.kpis if k.key == kpi_key)
                value = quantize(value, decimals)
            return value, period, m.as_of or report.as_of, m.preliminary
    return None


def _source_ja(period: PeriodKind, as_of: YearMonth | None, preliminary: bool) -> str:
    when = f"{as_of.era_label()}時点" if as_of else "時点不明"
    report = "事業報告" if period is PeriodKind.ANNUAL else "上期報告"
    return f"{when}・{report}{'・速報値' if preliminary else ''}"


def _source_en(period: PeriodKind, as_of: YearMonth | None, preliminary: bool) -> str:
    when = f"as of {as_of.iso()}" if as_of else "as-of month unknown"
    report = "annual report" if period is PeriodKind.ANNUAL else "mid-year report"
    return f"{when}, {report}{', preliminary' if preliminary else ''}"


def _differences(new: Kpi, old: Kpi) -> tuple[list[str], list[str]]:
    ja: list[str] = []
    en: list[str] = []
    if new.unit != old.unit:
        ja.append(f"単位 {old.unit or '（なし）'} → {new.unit or '（なし）'}")
        en.append(f"unit {old.unit or '(none)'} → {new.unit or '(none)'}")
    if new.direction is not old.direction:
        ja.append(f"方向 {_DIRECTION_JA[old.direction]} → {_DIRECTION_JA[new.direction]}")
        en.append(f"direction {_DIRECTION_EN[old.direction]} → {_DIRECTION_EN[new.direction]}")
    if new.decimals != old.decimals:
        ja.append(f"小数桁数 {old.decimals} → {new.decimals}")
        en.append(f"decimals {old.decimals} → {new.decimals}")
    return ja, en


def _assess(kpi: Kpi, previous: Plan | None) -> _Assessment:
    """What the rollover does with one template KPI, given last year's plan."""
    identity = kpi_identity(kpi)
    match = (
        next((k for k in previous.kpis if kpi_identity(k) == identity), None)
        if previous is not None
        else None
    )
    qualitative = kpi.direction is Direction.QUALITATIVE
    comparable = match is not None and match.unit == kpi.unit and not qualitative
    figure = _last_year_figure(previous, match.key) if comparable and previous and match else None
    profile = match.monthly_actuals if comparable and match is not None else ()

    # Baselines are the branch's own; the template's (HQ's) are not carried.
    new = replace(
        kpi,
        last_year_actual=figure[0] if figure else None,
        last_year_profile=profile,
    )
    baseline = None
    if match is not None and (figure or profile):
        baseline = Baseline(
            kpi_key=kpi.key,
            name=kpi.name,
            value=figure[0] if figure else None,
            period=figure[1] if figure else None,
            as_of=figure[2] if figure else None,
            preliminary=figure[3] if figure else False,
            profile_months=len(profile),
            from_kpi_key=match.key,
        )

    resolved = unresolved = None
    if kpi.target_kind is TargetKind.PREV_YEAR and not qualitative:
        if figure is not None:
            value, period, as_of, preliminary = figure
            new = replace(new, target=value)
            # Shown as last year reported it (its decimals), not rounded to this year's.
            shown = format_value(match or kpi, value)
            resolved = ResolvedTarget(
                kpi_key=kpi.key,
                name=kpi.name,
                value=value,
                period=period,
                as_of=as_of,
                preliminary=preliminary,
                text_ja=f"対前年度{kpi.direction.suffix_ja}（{shown}、"
                f"{_source_ja(period, as_of, preliminary)}）",
                text_en=f"{_DIRECTION_EN[kpi.direction]} last year ({shown}, "
                f"{_source_en(period, as_of, preliminary)})",
            )
        else:
            new = replace(new, target=None)
            if match is not None and not comparable:
                ja = f"{UNRESOLVED_JA}（前年度は単位が異なり比較できません）"
                en = f"{UNRESOLVED_EN} (last year's figure is in another unit)"
            else:
                ja, en = UNRESOLVED_JA, UNRESOLVED_EN
            unresolved = UnresolvedTarget(kpi.key, kpi.name, ja, en)

    flag = _flag(kpi, match, baseline)
    return _Assessment(new, baseline, resolved, unresolved, flag)


def _flag(kpi: Kpi, match: Kpi | None, baseline: Baseline | None) -> FlaggedKpi | None:
    carried_ja = carried_en = ""
    if baseline is not None and baseline.value is not None and baseline.period is not None:
        shown = format_value(match or kpi, baseline.value)
        carried_ja = (
            f"前年度の同名KPIの実績（{shown}、"
            f"{_source_ja(baseline.period, baseline.as_of, baseline.preliminary)}）を"
            "引き継ぎました。"
        )
        carried_en = (
            f"Last year's figure of the KPI with this name ({shown}, "
            f"{_source_en(baseline.period, baseline.as_of, baseline.preliminary)}) was carried over."
        )
    if match is None:
        if kpi.is_new:
            why_ja = "本部の計画で【新設】とされ、前年度の計画に同名のKPIはありません。"
            why_en = "Marked new by HQ; last year's plan has no KPI with this name."
        else:
            why_ja = "前年度の計画に同名のKPIがありません（新設、または名称の変更）。"
            why_en = "Last year's plan has no KPI with this name (new, or renamed)."
        return FlaggedKpi(
            kpi.key,
            kpi.name,
            "new",
            f"{why_ja}前年度の実績は引き継いでいません。目標と定義を確認してください。",
            f"{why_en} No figure was carried over. Check its target and definition.",
        )
    if kpi.is_new:
        return FlaggedKpi(
            kpi.key,
            kpi.name,
            "new",
            f"本部の計画で【新設】とされています。{carried_ja}目標と定義を確認してください。",
            " ".join(
                p
                for p in ("Marked new by HQ.", carried_en, "Check its target and definition.")
                if p
            ),
        )
    ja_diff, en_diff = _differences(kpi, match)
    if kpi.definition_changed or ja_diff:
        parts_ja = []
        parts_en = []
        if kpi.definition_changed:
            parts_ja.append("本部の計画で算出方法の変更とされています。")
            parts_en.append("HQ marked its definition as changed.")
        if ja_diff:
            parts_ja.append(f"前年度と定義が異なります（{'、'.join(ja_diff)}）。")
            parts_en.append(f"Its definition differs from last year's ({', '.join(en_diff)}).")
        if carried_ja:
            parts_ja.append(carried_ja + "比較できるか確認してください。")
            parts_en.append(carried_en + " Check that it is comparable.")
        elif kpi.unit != match.unit:
            parts_ja.append("前年度の実績は引き継いでいません。")
            parts_en.append("Last year's figure was not carried over.")
        return FlaggedKpi(
            kpi.key, kpi.name, "definition_changed", "".join(parts_ja), " ".join(parts_en)
        )
    return None


# --- use cases -------------------------------------------------------------------


def _branch(code: str) -> Branch:
    try:
        found = find_branch(code)
    except KeyError:
        raise UserError(
            f"支部コード「{code}」はありません。", f"No branch code '{code}'."
        ) from None
    return found


def _title(template: Plan, unit: Branch) -> str:
    """As create_from_template: 本部 in the template's title becomes the branch."""
    title = template.title.replace("本部", unit.name_ja)
    return title if title != template.title else f"{unit.name_ja} {template.title}"


def _default_template(session: Session) -> Plan:
    """The newest HQ plan in the database, else the bundled template."""
    year = session.scalar(
        select(PlanRow.fiscal_year)
        .where(PlanRow.branch_code == "00")
        .order_by(PlanRow.fiscal_year.desc())
        .limit(1)
    )
    plan = repository.load_plan(session, "00", year) if year is not None else None
    return plan if plan is not None else bundled_plan(HQ_TEMPLATE)


def roll_over(
    db: Database,
    branch: str,
    *,
    template: Plan | None = None,
    from_year: int | None = None,
    actor: str,
) -> RolloverResult:
    """Create the branch's plan for the template's year from the template and the
    branch's plan of ``from_year`` (default: the year before). One transaction;
    refused (nothing changed) when that plan exists or last year's is missing."""
    unit = _branch(branch)
    if unit.is_hq:
        raise UserError(
            "本部の計画は年度更新できません。支部を指定してください。",
            "HQ's plan is not rolled over; name a branch.",
        )
    with db.write() as session:
        if template is None:
            template = _default_template(session)
        year = template.fiscal_year
        source_year = year - 1 if from_year is None else from_year
        if source_year >= year:
            raise UserError(
                f"引き継ぐ年度（{source_year}年度）は新しい年度（{year}年度）より前にしてください。",
                f"The year to carry from (FY{source_year}) must come before FY{year}.",
            )
        if repository.plan_row(session, unit.code, year) is not None:
            raise UserError(
                f"{fiscal_year_label(year)}・{unit.name_ja}の計画は既にあります。"
                "年度更新は行っていません。",
                f"{unit.name_en} already has a plan for FY{year}. Nothing was rolled over.",
            )
        previous = repository.load_plan(session, unit.code, source_year)
        if previous is None:
            raise UserError(
                f"{fiscal_year_label(source_year)}・{unit.name_ja}の計画がこのデータベースに"
                "ないため、前年度の実績を引き継げません。年度更新は行っていません。",
                f"No plan for {unit.name_en}, FY{source_year} in this database, so there is "
                "no last year to carry over. Nothing was rolled over.",
            )
        assessed = [_assess(k, previous) for k in template.kpis]
        plan = Plan(
            branch=unit.code,
            fiscal_year=year,
            title=_title(template, unit),
            basic_policy=template.basic_policy,
            nodes=template.nodes,
            kpis=tuple(a.kpi for a in assessed),
            reports=(),
        )
        repository.save_plan(
            session,
            plan,
            actor=actor,
            action="rollover",
            note=f"{template.branch}/{template.fiscal_year} + {unit.code}/{source_year}",
        )
        _audit_rollover(session, plan, template, source_year, assessed, actor)
    return RolloverResult(
        branch=unit.code,
        fiscal_year=year,
        title=plan.title,
        from_year=source_year,
        template=audit.plan_key(template.branch, template.fiscal_year),
        resolved=tuple(a.resolved for a in assessed if a.resolved),
        unresolved=tuple(a.unresolved for a in assessed if a.unresolved),
        flagged=tuple(a.flag for a in assessed if a.flag),
        baselines=tuple(a.baseline for a in assessed if a.baseline),
        changes=Changes(plans=frozenset({PlanRef(unit.code, year)})),
    )


def _audit_rollover(
    session: Session,
    plan: Plan,
    template: Plan,
    source_year: int,
    assessed: list[_Assessment],
    actor: str,
) -> None:
    stamp = now_utc()
    key = audit.plan_key(plan.branch, plan.fiscal_year)

    def entry(entity: str, entity_key: str, field: str, new: str | None) -> None:
        audit.append(
            session,
            at=stamp,
            actor=actor,
            action="rollover",
            entity=entity,
            entity_key=entity_key,
            field=field,
            new=new,
        )

    entry("plan", key, "title", plan.title)
    entry("plan", key, "source", audit.plan_key(plan.branch, source_year))
    entry("plan", key, "template", audit.plan_key(template.branch, template.fiscal_year))
    for a in assessed:
        kpi_key = audit.plan_item_key(plan.branch, plan.fiscal_year, a.kpi.key)
        if a.baseline is not None and a.baseline.value is not None:
            entry("kpi", kpi_key, "last_year_actual", str(a.baseline.value))
        if a.baseline is not None and a.baseline.profile_months:
            entry("kpi", kpi_key, "last_year_profile", f"{a.baseline.profile_months} months")
        if a.resolved is not None:
            entry("kpi", kpi_key, "target", str(a.resolved.value))
        if a.unresolved is not None:
            entry("kpi", kpi_key, "target", None)
        if a.flag is not None:
            entry("kpi", kpi_key, "needs_confirmation", a.flag.reason)


def _flags(session: Session, code: str, fiscal_year: int) -> tuple[Plan, list[FlaggedKpi]]:
    plan = repository.load_plan(session, code, fiscal_year)
    if plan is None:
        unit = find_branch(code)
        raise UserError(
            f"{fiscal_year_label(fiscal_year)}・{unit.name_ja}の計画はこのデータベースにありません。",
            f"No plan for {unit.name_en}, FY{fiscal_year} in this database.",
        )
    # Last year's plan is the newest of the branch before this year (the year
    # before, when the plan was rolled over with the default).
    previous_year = session.scalar(
        select(PlanRow.fiscal_year)
        .where(PlanRow.branch_code == code, PlanRow.fiscal_year < fiscal_year)
        .order_by(PlanRow.fiscal_year.desc())
        .limit(1)
    )
    previous = (
        repository.load_plan(session, code, previous_year) if previous_year is not None else None
    )
    flags = []
    for kpi in plan.kpis:
        if previous is None:  # nothing to compare with: only what HQ marked
            if kpi.is_new or kpi.definition_changed:
                reason: FlagReason = "new" if kpi.is_new else "definition_changed"
                flags.append(
                    FlaggedKpi(
                        kpi.key,
                        kpi.name,
                        reason,
                        "本部の計画で【新設】とされています。"
                        if kpi.is_new
                        else "本部の計画で算出方法の変更とされています。",
                        "Marked new by HQ."
                        if kpi.is_new
                        else "HQ marked its definition as changed.",
                    )
                )
            continue
        flag = _assess(kpi, previous).flag
        if flag is not None:
            flags.append(flag)
    return plan, flags


def _confirmed_ids(session: Session, code: str, fiscal_year: int) -> dict[str, KpiConfirmationRow]:
    rows = session.execute(
        select(KpiRow.key, KpiConfirmationRow)
        .join(KpiConfirmationRow, KpiConfirmationRow.kpi_id == KpiRow.id)
        .join(PlanRow, PlanRow.id == KpiRow.plan_id)
        .where(PlanRow.branch_code == code, PlanRow.fiscal_year == fiscal_year)
    )
    return {key: row for key, row in rows}


def pending_confirmations(db: Database, branch: str, fiscal_year: int) -> list[FlaggedKpi]:
    """New and redefined KPIs of the plan nobody has confirmed yet, in plan order."""
    code = _branch(branch).code
    with db.read() as session:
        _, flags = _flags(session, code, fiscal_year)
        confirmed = _confirmed_ids(session, code, fiscal_year)
    return [f for f in flags if f.kpi_key not in confirmed]


def confirm_kpi(
    db: Database, branch: str, fiscal_year: int, kpi_key: str, *, actor: str
) -> Changes:
    """Record that a person checked a new or redefined KPI (with an audit entry)."""
    code = _branch(branch).code
    with db.write() as session:
        _, flags = _flags(session, code, fiscal_year)
        plan_row = repository.plan_row(session, code, fiscal_year)
        assert plan_row is not None  # _flags refused a missing plan
        row = repository.kpi_row(session, plan_row.id, kpi_key)
        if row is None:
            raise UserError(f"KPI {kpi_key} がありません。", f"No KPI {kpi_key}.")
        flag = next((f for f in flags if f.kpi_key == kpi_key), None)
        if flag is None:
            raise UserError(
                f"KPI「{row.name}」は新設でも定義変更でもないため、確認の必要はありません。",
                f"KPI '{row.name}' is neither new nor redefined; it needs no confirmation.",
            )
        done = session.scalar(select(KpiConfirmationRow).where(KpiConfirmationRow.kpi_id == row.id))
        if done is not None:
            local = done.confirmed_at.astimezone()
            raise UserError(
                f"KPI「{row.name}」は {done.confirmed_by} さんが "
                f"{local:%Y-%m-%d %H:%M} に確認済みです。",
                f"KPI '{row.name}' was already confirmed by {done.confirmed_by} on "
                f"{local:%Y-%m-%d %H:%M}.",
            )
        stamp = now_utc()
        session.add(KpiConfirmationRow(kpi_id=row.id, confirmed_by=actor, confirmed_at=stamp))
        audit.append(
            session,
            at=stamp,
            actor=actor,
            action="confirm",
            entity="kpi",
            entity_key=audit.plan_item_key(code, fiscal_year, kpi_key),
            field="confirmation",
            new=flag.reason,
        )
    confirmed = KpiConfirmed(code, fiscal_year, kpi_key, row.name, flag.reason, actor, stamp)
    return Changes.of_records([confirmed])


# --- a summary the CLI prints ------------------------------------------------------


def format_result(result: RolloverResult, lang: str = "ja") -> str:
    """Plain text: what was created, resolved, left open and needs confirming."""
    unit = find_branch(result.branch)
    lines: list[str] = []
    if lang == "ja":
        lines.append(
            f"{fiscal_year_label(result.fiscal_year)}・{unit.name_ja}の計画を作成しました: "
            f"{result.title}"
        )
        lines.append(
            f"前年度（{fiscal_year_label(result.from_year, 'era')}）から引き継いだ実績: "
            f"{result.carried}件"
        )
        lines.append(f"対前年度の目標を確定: {len(result.resolved)}件")
        lines += [f"  {r.kpi_key} {r.name}: {r.text_ja}" for r in result.resolved]
        lines.append(f"目標未確定: {len(result.unresolved)}件")
        lines += [f"  {u.kpi_key} {u.name}: {u.reason_ja}" for u in result.unresolved]
        lines.append(f"確認が必要なKPI（新設・定義変更）: {len(result.flagged)}件")
        labels = {"new": "新設", "definition_changed": "定義変更"}
        lines += [
            f"  {f.kpi_key} {f.name}［{labels[f.reason]}］{f.detail_ja}" for f in result.flagged
        ]
        return "\n".join(lines)
    lines.append(f"Created the FY{result.fiscal_year} plan of {unit.name_en}: {result.title}")
    lines.append(f"Carried over from FY{result.from_year}: {result.carried} baseline(s)")
    lines.append(f"Last-year targets resolved: {len(result.resolved)}")
    lines += [f"  {r.kpi_key} {r.name}: {r.text_en}" for r in result.resolved]
    lines.append(f"Targets not set: {len(result.unresolved)}")
    lines += [f"  {u.kpi_key} {u.name}: {u.reason_en}" for u in result.unresolved]
    lines.append(f"KPIs to confirm (new or redefined): {len(result.flagged)}")
    lines += [f"  {f.kpi_key} {f.name} [{f.reason}] {f.detail_en}" for f in result.flagged]
    return "\n".join(lines)
