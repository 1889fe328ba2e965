"""Signed-off demo submissions for all 47 branches, built from the Tokyo demo plan.

For training HQ staff, for the consolidation tests and for the benchmark: each
branch gets the Tokyo FY2024 plan (same tree, same KPI definitions) with its
own, plausible figures — rates around Tokyo's ±15 % within 0–100, counts and
the parts of a rate scaled by the branch's size, numerators consistent with
the rate they give, marks drawn from the period's scale, a few blanks — and a
sign-off by a (fictitious) branch head. Values are deterministic per branch
and seed, so a test can rely on them.

No database: the workbooks are written directly as ``Kind.SUBMISSION``. Given
demo keys (:func:`demo_keys`), each file is signed by its branch's key as a real
branch's sign-off signs it, and the demo HQ's registry trusts those keys.
"""

from __future__ import annotations

import random
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from desktop import __version__
from desktop.domain.branches import BRANCHES, HQ_CODE
from desktop.domain.errors import UserError
from desktop.domain.model import (
    Direction,
    Kpi,
    Measurement,
    PeriodKind,
    Plan,
    Report,
    SectionEntry,
    TargetKind,
)
from desktop.domain.parsing import quantize
from desktop.domain.scales import scale_for
from desktop.services.export import file_stem, next_free_path
from desktop.services.key_registry import import_key
from desktop.services.plans import bundled_plan
from desktop.services.signatures import sign
from desktop.services.signing_keys import PublicKey, SigningKey, public_key_document
from desktop.store.repository import now_utc
from desktop.workbooks.machine import Kind, Manifest, WorkbookData
from desktop.workbooks.writer import Signer, write_workbook

DEMO_PLAN = "plans/tokyo_2024.json"
TOKYO = "13"
DEFAULT_SEED = 2024
JST = timezone(timedelta(hours=9), "JST")
HUNDRED = Decimal(100)
_COUNT_UNITS = {"事業所", "人", "件", "社", "回"}  # figures that grow with the branch's size

_SURNAMES = ("佐藤", "鈴木", "高橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤")
_GIVEN = ("一郎", "健一", "誠", "浩二", "直樹", "洋子", "恵子", "裕子", "修", "真理")
# Weights per mark; None = left blank.
_MARK_WEIGHTS = {
    PeriodKind.MIDYEAR: (("○", 70), ("◎", 8), ("△", 14), ("－", 5), ("×", 1), (None, 2)),
    PeriodKind.ANNUAL: (("B", 52), ("A", 22), ("S", 5), ("C", 14), ("D", 3), (None, 4)),
}
_BLANK_SHARE = 5  # % of figures reported as not yet available


def branch_codes() -> list[str]:
    return [code for code in BRANCHES if code != HQ_CODE]


def _factor(rng: random.Random, low: int, high: int) -> Decimal:
    """A random factor between low/1000 and high/1000, exactly."""
    return Decimal(rng.randint(low, high)) / 1000


def _size(code: str, rng: random.Random) -> Decimal:
    """The branch's size relative to Tokyo (the largest)."""
    return Decimal(1) if code == TOKYO else _factor(rng, 60, 650)


def _clamp(kpi: Kpi, value: Decimal) -> Decimal:
    if kpi.is_rate:
        value = min(max(value, Decimal(0)), HUNDRED)
    return quantize(max(value, Decimal(0)), kpi.decimals)


def _scaled(kpi: Kpi, value: Decimal, size: Decimal) -> Decimal:
    return value * size if kpi.unit in _COUNT_UNITS else value


def _vary(kpi: Kpi, base: Decimal, rng: random.Random, low: int, high: int) -> Decimal:
    """``base`` varied by low/1000 … high/1000. A high rate varies by its
    shortfall from 100 ％ instead (×0.4 … ×1.6), so 98.2 ％ stays below 100 ％
    like real figures do rather than piling up at the cap."""
    if kpi.is_rate and base > 50:
        spread = (high - low) * 3  # ±15 % of the value → ±45 % of a small shortfall
        return HUNDRED - (HUNDRED - base) * _factor(rng, 1000 - spread // 2, 1000 + spread // 2)
    return base * _factor(rng, low, high)


def _branch_kpi(kpi: Kpi, size: Decimal, base: Decimal | None, rng: random.Random) -> Kpi:
    """The branch's own version of a KPI: same definition, its own targets and
    last year's actual."""
    if kpi.direction is Direction.QUALITATIVE:
        return kpi
    changes: dict[str, object] = {}
    if kpi.target is not None and kpi.target_kind is TargetKind.FIXED:
        changes["target"] = quantize(_scaled(kpi, kpi.target, size), kpi.decimals)
    for name in ("numerator_target", "denominator_target"):
        value = getattr(kpi, name)
        if value is not None:
            changes[name] = quantize(value * size, 0)
    last = kpi.last_year_actual if kpi.last_year_actual is not None else base
    if last is not None:
        changes["last_year_actual"] = _clamp(
            kpi, _vary(kpi, _scaled(kpi, last, size), rng, 900, 1100)
        )
    return replace(kpi, **changes)


def _measurement(
    tokyo: Kpi,
    own: Kpi,
    seen: Measurement | None,
    *,
    size: Decimal,
    period: PeriodKind,
    fiscal_year: int,
    rng: random.Random,
) -> Measurement:
    as_of = period.closing_month(fiscal_year)
    if period is PeriodKind.MIDYEAR:
        as_of = as_of.add_months(-rng.choice((1, 1, 2, 3)))  # figures lag the report
    if rng.randrange(100) < _BLANK_SHARE:
        return Measurement(tokyo.key, unavailable_reason="未確定")
    if tokyo.direction is Direction.QUALITATIVE:
        return Measurement(tokyo.key, done=rng.randrange(10) > 0, as_of=as_of)
    if own.numerator_target is not None and own.denominator_target:
        # A rate with its parts: the year's target rate, at the pace of the as-of month.
        share = Decimal(as_of.fiscal_index) / 12 if tokyo.cumulative else Decimal(1)
        target_rate = own.numerator_target / own.denominator_target
        denominator = quantize(own.denominator_target * _factor(rng, 920, 1080), 0)
        rate = target_rate * share * _factor(rng, 820, 1180)
        numerator = quantize(min(denominator * rate, denominator), 0)
        value = numerator / denominator * (HUNDRED if tokyo.is_rate else 1)
        return Measurement(
            tokyo.key,
            value=quantize(value, tokyo.decimals),
            numerator=numerator,
            denominator=denominator,
            as_of=as_of,
        )
    if tokyo.direction is Direction.EXACTLY and tokyo.target is not None:
        value = tokyo.target if rng.randrange(100) < 80 else tokyo.target * _factor(rng, 950, 999)
        return Measurement(tokyo.key, value=_clamp(tokyo, value), as_of=as_of)
    base = seen.value if seen is not None and seen.value is not None else None
    if base is None:
        base = own.last_year_actual if own.last_year_actual is not None else own.resolved_target()
    else:
        base = _scaled(tokyo, base, size)
    if base is None or base == 0:
        # Nothing to vary around (Tokyo's 0 one-bidder contracts): spread over the target.
        ceiling = own.resolved_target() or Decimal(10)
        value = ceiling * _factor(rng, 0, 1500)
    else:
        value = _vary(tokyo, base, rng, 830, 1170)
    return Measurement(tokyo.key, value=_clamp(tokyo, value), as_of=as_of)


def _mark(period: PeriodKind, rng: random.Random) -> str | None:
    symbols, weights = zip(*_MARK_WEIGHTS[period], strict=True)
    choice = rng.choices(symbols, weights=weights)[0]
    assert choice is None or choice in scale_for(period).symbols
    return choice


def _demo_plan(tokyo: Plan, code: str, *, fiscal_year: int, period: PeriodKind, seed: int) -> Plan:
    own_report = tokyo.report(period)
    if code == tokyo.branch and fiscal_year == tokyo.fiscal_year and own_report is not None:
        # Tokyo sends its own demo report: the rank HQ sends back then matches the
        # figures the Tokyo demo database shows.
        return replace(tokyo, reports=(own_report,))
    rng = random.Random(f"plandesk-demo:{seed}:{fiscal_year}:{period.value}:{code}")
    name = BRANCHES[code].name_ja
    size = _size(code, rng)
    tokyo_report = tokyo.report(PeriodKind.MIDYEAR)
    seen = {m.kpi_key: m for m in tokyo_report.measurements} if tokyo_report else {}
    texts = {e.node_key: e for e in tokyo_report.entries} if tokyo_report else {}

    kpis = []
    measurements = []
    for kpi in tokyo.kpis:
        base = seen[kpi.key].value if kpi.key in seen else None
        own = _branch_kpi(kpi, size, base, rng)
        kpis.append(own)
        measurements.append(
            _measurement(
                kpi,
                own,
                seen.get(kpi.key),
                size=size,
                period=period,
                fiscal_year=fiscal_year,
                rng=rng,
            )
        )
    entries = []
    for node in tokyo.nodes:
        if not tokyo.is_reportable(node.key):
            continue
        mark = _mark(period, rng)
        source = texts.get(node.key)
        entries.append(
            SectionEntry(
                node_key=node.key,
                status_text=(source.status_text if source else "計画どおり実施している。").replace(
                    "東京支部", name
                ),
                mark=mark,
                next_steps=source.next_steps if source else "引き続き実施する。",
            )
        )
    era = tokyo.title.split("度")[0] + "度" if "度" in tokyo.title else ""
    title = (
        f"{era} {name}事業計画の進捗状況"
        if period is PeriodKind.MIDYEAR
        else f"{era} {name}事業報告"
    ).strip()
    report = Report(
        period=period,
        as_of=period.closing_month(fiscal_year),
        title=title,
        entries=tuple(entries),
        measurements=tuple(measurements),
    )
    return replace(
        tokyo,
        branch=code,
        fiscal_year=fiscal_year,
        title=tokyo.title.replace("東京支部", name),
        kpis=tuple(kpis),
        reports=(report,),
    )


def demo_submission(
    code: str,
    *,
    fiscal_year: int = 2024,
    period: PeriodKind = PeriodKind.MIDYEAR,
    seed: int = DEFAULT_SEED,
    signed: bool = True,
    created_at: datetime | None = None,
    plan: Plan | None = None,
) -> WorkbookData:
    """The submission of one branch (``signed=False``: the same file without
    the branch head's sign-off, for tests and training)."""
    tokyo = plan if plan is not None else bundled_plan(DEMO_PLAN)
    branch_plan = _demo_plan(tokyo, code, fiscal_year=fiscal_year, period=period, seed=seed)
    rng = random.Random(f"plandesk-demo-head:{seed}:{code}")
    closing = period.closing_month(fiscal_year).add_months(1)
    signed_at = datetime(closing.year, closing.month, rng.randint(1, 12), 16, 30, tzinfo=JST)
    head = f"支部長 {rng.choice(_SURNAMES)} {rng.choice(_GIVEN)}"
    names = random.Random(f"plandesk-demo-planner:{seed}:{code}")  # the values above stay
    planner = f"企画総務グループ {names.choice(_SURNAMES)} {names.choice(_GIVEN)}"
    manifest = Manifest(
        kind=Kind.SUBMISSION,
        branch=code,
        fiscal_year=fiscal_year,
        period=period,
        app_version=__version__,
        created_by=f"planner{code}",
        created_name=planner,
        created_at=created_at or signed_at + timedelta(minutes=rng.randint(5, 90)),
        signed_off_by=f"head{code}" if signed else None,
        signed_off_at=signed_at if signed else None,
        signed_off_name=head if signed else None,
    )
    return WorkbookData(manifest=manifest, plan=branch_plan)


@dataclass(frozen=True, slots=True)
class DemoKeys:
    """One Ed25519 key per demo branch, held in memory only: made for one demo run,
    they sign its files and are dropped with this object. Never written anywhere, so
    they need no passphrase (and no scrypt cost) and nobody can sign with them later;
    their public halves are in the demo HQ's registry (docs/TRUST.md)."""

    keys: Mapping[str, SigningKey]
    registry: Path  # the keys folder whose registry trusts them


def demo_keys(registry: Path, branches: Sequence[str] | None = None) -> DemoKeys:
    """A key per branch (all 47 unless ``branches``), its public key imported into the
    registry in the keys folder ``registry`` (HQ's; created if missing). A branch that
    had a key there already (an earlier demo run) has it replaced: the files it signed
    stay valid, with a note."""
    made = now_utc()
    keys = {
        code: SigningKey(code, Ed25519PrivateKey.generate()) for code in branches or branch_codes()
    }
    with tempfile.TemporaryDirectory() as scratch:
        for code, key in keys.items():
            sent = Path(scratch) / f"{code}.pub.json"
            sent.write_text(
                public_key_document(PublicKey(code, key.public, made)), encoding="utf-8"
            )
            import_key(registry, sent)  # as HQ imports a branch's key file
    return DemoKeys(keys, registry)


def write_demo_submissions(
    folder: str | Path,
    *,
    fiscal_year: int = 2024,
    period: PeriodKind = PeriodKind.MIDYEAR,
    seed: int = DEFAULT_SEED,
    branches: Sequence[str] | None = None,
    keys: DemoKeys | None = None,
) -> list[Path]:
    """Write one signed-off submission per branch (all 47 unless ``branches``)
    into ``folder`` (created if missing); returns the paths in branch order.
    An existing file is never replaced: a new version number is taken. With
    ``keys`` each file is signed by its branch's demo key (a branch without one is
    refused)."""
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise UserError(f"「{folder}」はフォルダではありません。", f"'{folder}' is not a folder.")
    folder.mkdir(parents=True, exist_ok=True)
    tokyo = bundled_plan(DEMO_PLAN)
    paths = []
    for code in branches or branch_codes():
        data = demo_submission(code, fiscal_year=fiscal_year, period=period, seed=seed, plan=tokyo)
        path = next_free_path(folder, file_stem(data.manifest))
        write_workbook(data, path, _signer(keys, code))
        paths.append(path)
    return paths


def _signer(keys: DemoKeys | None, code: str) -> Signer | None:
    if keys is None:
        return None
    key = keys.keys.get(code)
    if key is None:
        raise UserError(
            f"支部 {code} のデモ用の署名鍵がありません。", f"No demo signing key for branch {code}."
        )
    return lambda manifest: sign(manifest, key)
