"""Benchmark packs: HQ publishes national averages and ranks; branches import them.

HQ side: :func:`write_pack` turns a consolidation into a pack file
(``workbooks.benchmark_pack``). Branch side: :func:`import_benchmark_pack`
fills the ``benchmarks`` table of the branch's report for the pack's fiscal
year and period — the 全国平均 and 全国N位 that the dashboard, the KPI grid
and the reports show — in one transaction with an audit entry per changed
field. Importing the same pack again changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from decimal import Decimal
from functools import partial
from pathlib import Path

from sqlalchemy import select

from desktop import __version__
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.errors import UserError
from desktop.domain.model import Benchmark, PeriodKind, ReportRef, Source
from desktop.domain.reference import Difference, pack_differences
from desktop.domain.text import Text
from desktop.services.changes import NOTHING, Changes
from desktop.services.consolidation import Consolidation
from desktop.services.key_registry import trusted_keys
from desktop.services.signatures import check_signature, sign
from desktop.services.signing_keys import SigningKey, keys_dir
from desktop.services.verify import national_instead
from desktop.store import audit, repository
from desktop.store.database import Database
from desktop.store.models import BenchmarkRow, KpiRow
from desktop.workbooks.benchmark_pack import (
    BenchmarkPack,
    pack_from_figures,
    read_benchmark_pack,
    write_benchmark_pack,
)
from desktop.workbooks.machine import WorkbookError

# Said when a branch picked HQ's national workbook where the pack belongs: both come
# from HQ with 全国 in their names.
_CHOOSE_THE_PACK = Text(
    "全国平均・順位は、本部の「全国平均・順位」のファイル（…_全国平均・順位_….xlsx）から"
    "取り込みます。",
    "National averages and ranks come from HQ's benchmark pack (…_全国平均・順位_….xlsx).",
)


def pack_of(consolidation: Consolidation, *, actor: str) -> BenchmarkPack:
    return pack_from_figures(
        consolidation.figures,
        consolidation.kpis,
        app_version=__version__,
        created_by=actor,
        created_at=datetime.now(UTC),
    )


def pack_file_name(fiscal_year: int, period: PeriodKind) -> str:
    name = "上期" if period is PeriodKind.MIDYEAR else "年度"
    return f"{fiscal_year}_全国平均・順位_{name}.xlsx"


def write_pack(
    consolidation: Consolidation,
    out: str | Path,
    *,
    actor: str,
    signing_key: SigningKey | None = None,
) -> Path:
    """Write the benchmark pack of a consolidation to the file ``out`` (or, given a
    folder, to ``{year}_全国平均・順位_{period}.xlsx`` in it); signed with HQ's
    ``signing_key`` when given."""
    if not consolidation.results:
        raise UserError(
            "有効な提出版が一つもないため、全国平均・順位は作れません。",
            "No valid submission: there are no national figures to publish.",
        )
    target = Path(out)
    if target.is_dir():
        target = target / pack_file_name(consolidation.fiscal_year, consolidation.period)
    if target.suffix.lower() != ".xlsx":
        raise UserError(
            f"出力先「{target.name}」は .xlsx にしてください。",
            f"The output '{target.name}' must end in .xlsx.",
        )
    signer = partial(sign, key=signing_key) if signing_key is not None else None
    write_benchmark_pack(pack_of(consolidation, actor=actor), target, signer)
    return target


@dataclass(frozen=True, slots=True)
class BenchmarkImport:
    """What importing a pack did to one branch's report."""

    branch: str
    fiscal_year: int
    period: PeriodKind
    changed: tuple[str, ...]  # KPI keys whose national average, rank or count changed
    unchanged: tuple[str, ...]
    skipped: tuple[str, ...] = field(default=())  # in the pack, not (or not alike) in the plan
    rank: dict[str, int | None] = field(default_factory=dict)  # the branch's rank per KPI
    changes: Changes = NOTHING  # the report, when a national figure changed
    # An unsigned pack, or one whose signature this PC cannot check (HQ's public key
    # not imported): imported, with a warning.
    warnings: tuple[Text, ...] = ()
    # National figures the branch had typed that the pack gives differently (the pack's
    # replace them: desktop/domain/reference.py).
    differences: tuple[Difference, ...] = ()
    replaced_typed: tuple[str, ...] = ()  # KPI keys whose typed figures the pack replaced

    def summary(self, lang: str = "ja") -> str:
        where = (
            f"{find_branch(self.branch).name_ja} {fiscal_year_label(self.fiscal_year)} "
            f"{self.period.label_ja}"
            if lang == "ja"
            else f"{find_branch(self.branch).name_en}, FY{self.fiscal_year}, {self.period.label_en}"
        )
        if lang == "ja":
            text = f"{where}: 全国平均・順位を {len(self.changed)} 件更新しました（変更なし {len(self.unchanged)} 件）。"
            if self.skipped:
                text += f" この計画にない、または定義の異なる KPI {len(self.skipped)} 件は取り込みませんでした: {', '.join(self.skipped)}"
            return text + self._replaced_text().ja + "".join(" " + w.ja for w in self.warnings)
        text = (
            f"{where}: national figures updated for {len(self.changed)} KPIs "
            f"({len(self.unchanged)} unchanged)."
        )
        if self.skipped:
            text += (
                f" {len(self.skipped)} KPIs not in this plan (or defined differently) were "
                f"not imported: {', '.join(self.skipped)}"
            )
        return text + self._replaced_text().en + "".join(" " + w.en for w in self.warnings)

    def _replaced_text(self) -> Text:
        if not self.replaced_typed:
            return Text.same("")
        text = Text(
            f" 入力されていた全国平均・順位 {len(self.replaced_typed)} 件を本部提供の値に"
            "置き換えました",
            f" Typed national figures of {len(self.replaced_typed)} KPIs were replaced by HQ's",
        )
        if not self.differences:
            return text + Text("（違いはありません）。", " (no differences).")
        lines = Text.same("\n  ").join(d.text() for d in self.differences)
        return text + Text("。違い:\n  ", ". Differences:\n  ") + lines


def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _same(old: Decimal | int | None, new: Decimal | int | None) -> bool:
    return old == new if (old is None) == (new is None) else False


def import_benchmark_pack(
    db: Database,
    path: str | Path,
    *,
    branch: str,
    actor: str,
    fiscal_year: int | None = None,
) -> BenchmarkImport:
    """Fill ``branch``'s national averages and ranks from the pack in ``path``.

    ``fiscal_year``: the year the person means to fill; a pack of another year
    is refused. The branch must already have the plan and the report of the
    pack's year and period (importing never creates a report). KPIs the
    branch's plan lacks, or defines with another unit, direction or decimals,
    are skipped and listed.

    A signed-off report is filled too: the national average and rank are
    HQ's published figures, not the branch's reported content, so the
    sign-off (which covers what the branch wrote) does not lock them.
    """
    code = find_branch(branch).code
    try:
        pack = read_benchmark_pack(path)
    except WorkbookError as exc:
        registry = trusted_keys(keys_dir(db.path))
        national = national_instead(path, exc, registry, _CHOOSE_THE_PACK)
        raise national or UserError(exc.message("ja"), exc.message("en")) from exc
    check = check_signature(pack, trusted_keys(keys_dir(db.path)), unsigned_ok=True)
    if check.problem is not None:
        raise UserError(
            Text(
                "本部の電子署名を確認できないため、この全国平均・順位は取り込みません: ",
                "HQ's signature on this benchmark pack does not hold, so it is not imported: ",
            )
            + check.problem
        )
    if fiscal_year is not None and pack.fiscal_year != fiscal_year:
        raise UserError(
            f"このファイルは{fiscal_year_label(pack.fiscal_year)}の全国平均・順位です"
            f"（取り込み先: {fiscal_year_label(fiscal_year)}）。",
            f"This pack is for FY{pack.fiscal_year}, not FY{fiscal_year}.",
        )
    ref = ReportRef(code, pack.fiscal_year, pack.period)
    name_ja = find_branch(code).name_ja
    name_en = find_branch(code).name_en
    incoming = {b.kpi_key: b for b in pack.benchmarks_for(code)}
    changed: list[str] = []
    unchanged: list[str] = []
    skipped: list[str] = []
    with db.write() as session:
        plan = repository.plan_row(session, code, pack.fiscal_year)
        if plan is None:
            raise UserError(
                f"このデータベースには{name_ja}の{fiscal_year_label(pack.fiscal_year)}の計画が"
                "ありません（このファイルは別の年度のものか、支部が違います）。",
                f"This database has no FY{pack.fiscal_year} plan for {name_en} (the pack is "
                "for another year, or the branch is wrong).",
            )
        report = repository.report_row(session, plan.id, pack.period)
        if report is None:
            raise UserError(
                f"{name_ja}の{fiscal_year_label(pack.fiscal_year)}・{pack.period.label_ja}の報告が"
                "まだありません。報告を作成してから取り込んでください。",
                f"{name_en} has no {pack.period.label_en} report for FY{pack.fiscal_year} yet; "
                "create it first.",
            )
        existing = {
            row.kpi_id: row
            for row in session.scalars(
                select(BenchmarkRow).where(BenchmarkRow.report_id == report.id)
            )
        }
        stamp = datetime.now(UTC)
        typed = {
            kpi.key: Benchmark(
                kpi.key, row.national_average, row.national_rank, source=Source.TYPED
            )
            for kpi_id, row in existing.items()
            if row.source == Source.TYPED.value and (kpi := session.get(KpiRow, kpi_id)) is not None
        }
        replaced: list[str] = []
        for item in pack.kpis:
            kpi = repository.kpi_row(session, plan.id, item.key)
            if kpi is None or (kpi.unit, kpi.direction, kpi.decimals) != (
                item.unit,
                item.direction.value,
                item.decimals,
            ):
                skipped.append(item.key)
                continue
            new = incoming[item.key]
            row = existing.get(kpi.id)
            old_values = (
                (row.national_average, row.national_rank, row.branch_count)
                if row is not None
                else (None, None, None)
            )
            new_values = (new.national_average, new.national_rank, new.branch_count)
            was_typed = row is not None and row.source == Source.TYPED.value
            if row is not None and not was_typed and all(map(_same, old_values, new_values)):
                unchanged.append(item.key)
                continue
            if row is None:
                row = BenchmarkRow(report_id=report.id, kpi_id=kpi.id)
                session.add(row)
            row.national_average = new.national_average
            row.national_rank = new.national_rank
            row.branch_count = new.branch_count
            changed.append(item.key)
            if was_typed:
                row.source = Source.PACK.value
                replaced.append(item.key)
                audit.append(session, at=stamp, actor=actor, action="import",
                             entity="benchmark", entity_key=audit.report_item_key(ref.key, item.key),
                             field="national_source", old=Source.TYPED.value, new=Source.PACK.value)  # fmt: skip
            for name, old, value in zip(
                ("national_average", "national_rank", "branch_count"),
                old_values,
                new_values,
                strict=True,
            ):
                if not _same(old, value):
                    audit.append(
                        session,
                        at=stamp,
                        actor=actor,
                        action="import",
                        entity="benchmark",
                        entity_key=audit.report_item_key(ref.key, item.key),
                        field=name,
                        old=_text(old),
                        new=_text(value),
                    )
    return BenchmarkImport(
        branch=code,
        fiscal_year=pack.fiscal_year,
        period=pack.period,
        changed=tuple(changed),
        unchanged=tuple(unchanged),
        skipped=tuple(skipped),
        rank={key: incoming[key].national_rank for key in (*changed, *unchanged)},
        differences=pack_differences(
            {k: typed[k] for k in replaced}, {k: incoming[k] for k in replaced}
        ),
        replaced_typed=tuple(replaced),
        # National figures have no record of their own: whoever shows the report reads it.
        changes=Changes(reports=frozenset({ref})) if changed else NOTHING,
        warnings=check.notes,
    )
