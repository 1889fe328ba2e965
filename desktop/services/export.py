"""Export: a workbook written from the database — a template, a work file of some
groups' sections for another PC, or the signed-off submission for headquarters."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path

from desktop import __version__
from desktop.domain.branches import branch as find_branch
from desktop.domain.errors import Refused, UserError
from desktop.domain.merge import report_fields
from desktop.domain.model import PeriodKind, Report, ReportRef
from desktop.domain.print_profiles import PROFILES
from desktop.services.changes import NOTHING, Changes
from desktop.services.edit_scope import find_report
from desktop.services.exchange_bases import bases as read_bases
from desktop.services.exchange_bases import remember, section_scope
from desktop.services.people import find_user
from desktop.services.plans import get_plan
from desktop.services.review import signed_off
from desktop.services.signature_records import SignatureRecord, signature_record
from desktop.services.signatures import sign
from desktop.services.signing_keys import SigningKey
from desktop.store.database import Database
from desktop.store.repository import now_utc
from desktop.workbooks.machine import Kind, Manifest, WorkbookData, WorkbookError
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.writer import write_workbook

_PERIOD_NAME = {PeriodKind.MIDYEAR: "上期進捗", PeriodKind.ANNUAL: "年度報告"}


@dataclass(frozen=True, slots=True)
class ExportResult:
    path: Path
    manifest: Manifest
    # Writing a file changes nothing anyone sees here (a work file's fields are kept
    # as the common version of the merge when it comes back: bookkeeping).
    changes: Changes = NOTHING


def file_stem(manifest: Manifest) -> str:
    """Names that sort by year, branch and period and say what the file is."""
    code = manifest.branch
    name = "本部" if code == "00" else find_branch(code).name_ja
    period = _PERIOD_NAME[manifest.period] if manifest.period else "計画"
    return f"{manifest.fiscal_year}_{code}_{name}_{period}_{manifest.kind.label_ja}"


def next_free_path(folder: Path, stem: str, suffix: str = ".xlsx") -> Path:
    pattern = re.compile(re.escape(stem) + r"_v(\d+)" + re.escape(suffix) + "$", re.IGNORECASE)
    taken = [int(m.group(1)) for p in folder.iterdir() if (m := pattern.match(p.name))]
    return folder / f"{stem}_v{max(taken, default=0) + 1:02d}{suffix}"


def pdf_kind(period: PeriodKind | None, signed_off: bool) -> Kind:
    """The kind a PDF's cover names: the plan without a period, the submission once
    signed off, else a work file."""
    if period is None:
        return Kind.TEMPLATE
    return Kind.SUBMISSION if signed_off else Kind.WORK


def pdf_path(folder: Path, branch: str, fiscal_year: int, period: PeriodKind | None, *,
             signed_off: bool) -> Path:  # fmt: skip
    """The next free version of the PDF's name in ``folder``, named like the workbooks."""
    manifest = Manifest(
        kind=pdf_kind(period, signed_off),
        branch=branch,
        fiscal_year=fiscal_year,
        period=period,
        app_version="",
        created_by="",
        created_at=now_utc(),
    )
    return next_free_path(folder, file_stem(manifest), ".pdf")


class OverwriteRefused(Refused):
    """The destination is a signed-off submission and nobody confirmed replacing it."""


@dataclass(frozen=True, slots=True)
class PreparedExport:
    data: WorkbookData
    ref: ReportRef | None
    report: Report | None
    kpis: tuple
    node_keys: tuple
    signature: SignatureRecord | None = None  # a signed submission's


def prepare_export(
    db: Database,
    *,
    branch: str,
    fiscal_year: int,
    kind: Kind,
    actor: str,
    period: PeriodKind | None,
    sections: Sequence[str],
    pinned: bool = True,
) -> PreparedExport:
    """What a file of ``kind`` holds: the plan with the period's report (its sections'
    part for a work file), the sign-off and who writes it. The workbook and the PDF
    are written from this, so they print the same. A signed submission says what it
    said when signed (author, time, audit chain: ``pinned``)."""
    plan = get_plan(db, branch, fiscal_year)
    if kind is Kind.TEMPLATE:
        period = None
    elif period is None:
        raise UserError("報告期間を指定してください。", "Choose a report period.")
    signer = None
    report = plan.report(period) if period else None
    if kind is not Kind.TEMPLATE and report is None:
        report = Report(period=period, as_of=period.closing_month(fiscal_year))  # type: ignore[union-attr]
    ref = ReportRef(plan.branch, fiscal_year, period) if period else None
    if kind is Kind.SUBMISSION:
        assert ref is not None
        signer = signed_off(db, ref)
        if signer is None:
            raise UserError(
                "支部長の決裁が済んでいないため、提出版は作成できません（作業ファイルは作成できます）。",
                "The report is not signed off yet, so no submission can be written "
                "(a work file can).",
            )
    node_keys, kpis = section_scope(plan, sections if kind is Kind.WORK else ())
    if report is not None and kind is Kind.WORK:
        nodes = set(node_keys)
        keys = {k.key for k in kpis}
        report = replace(
            report,
            entries=tuple(e for e in report.entries if e.node_key in nodes),
            measurements=tuple(m for m in report.measurements if m.kpi_key in keys),
            benchmarks=tuple(b for b in report.benchmarks if b.kpi_key in keys),
        )
    bases: dict[str, str | None] = {}
    if kind is Kind.WORK and ref is not None:
        scope = set(report_fields(report, kpis, node_keys))
        bases = {k: v for k, v in read_bases(db, ref).items() if k in scope}
    signer_user = find_user(db, signer.signed_by) if signer else None
    author = find_user(db, actor)
    manifest = Manifest(
        kind=kind,
        branch=plan.branch,
        fiscal_year=fiscal_year,
        period=period,
        app_version=__version__,
        created_by=actor,  # the login stays in the data, for the audit trail
        created_name=author.display_name if author else None,  # people read the name
        created_at=now_utc(),
        sections=tuple(sections) if kind is Kind.WORK else (),
        signed_off_by=signer.signed_by if signer else None,
        signed_off_at=signer.signed_at if signer else None,
        signed_off_name=signer_user.display_name if signer_user else None,
    )
    record = None
    if kind is Kind.SUBMISSION and pinned:
        assert ref is not None
        record = signature_record(db, ref)
        if record is not None:
            manifest = record.pin(manifest)
    data = WorkbookData(
        manifest=manifest,
        plan=replace(plan, reports=(report,) if report is not None else ()),
        bases=bases,
    )
    return PreparedExport(data, ref, report, tuple(kpis), tuple(node_keys), record)


def export_workbook(
    db: Database,
    *,
    branch: str,
    fiscal_year: int,
    kind: Kind,
    out: str | Path,
    actor: str,
    period: PeriodKind | None = None,
    sections: Sequence[str] = (),
    overwrite_signed_off: bool = False,
    signing_key: SigningKey | None = None,
) -> ExportResult:
    """Write a workbook into the folder ``out`` (a new version number each time)
    or to the file ``out``. A submission carries the signature made at sign-off (none
    when the report was signed off without one); HQ's template is signed with
    ``signing_key`` when given."""
    prepared = prepare_export(
        db,
        branch=branch,
        fiscal_year=fiscal_year,
        kind=kind,
        actor=actor,
        period=period,
        sections=sections,
    )
    data, ref, report = prepared.data, prepared.ref, prepared.report
    target = _target(Path(out), data.manifest, ".xlsx")
    if target.exists() and not overwrite_signed_off:
        _refuse_overwriting_submission(target)
    signer = None
    if prepared.signature is not None:
        signer = prepared.signature.signer()
    elif signing_key is not None and kind is Kind.TEMPLATE:
        signer = partial(sign, key=signing_key)
    written = write_workbook(data, target, signer)
    if kind is Kind.WORK and ref is not None:
        fields = report_fields(report, prepared.kpis, prepared.node_keys)
        _record_sent(db, ref, fields, actor=actor)
    return ExportResult(target, written.manifest)


def export_pdf(
    db: Database,
    *,
    branch: str,
    fiscal_year: int,
    out: str | Path,
    actor: str,
    period: PeriodKind | None = None,
    kind: Kind | None = None,
    profile: str | None = None,
) -> ExportResult:
    """The report's printed pages as a PDF (the plan's when ``period`` is None), in
    the folder ``out`` (a new version number each time) or at the file ``out``.
    The kind the cover names: the submission once signed off, else a work file;
    nothing in the database changes."""
    if profile is not None and profile not in PROFILES:
        raise UserError(
            f"印刷レイアウト「{profile}」はありません（{'、'.join(PROFILES)}）。",
            f"There is no print layout '{profile}' ({', '.join(PROFILES)}).",
        )
    if kind is None:
        ref = ReportRef(branch, fiscal_year, period) if period else None
        kind = pdf_kind(period, ref is not None and signed_off(db, ref) is not None)
    prepared = prepare_export(
        db,
        branch=branch,
        fiscal_year=fiscal_year,
        kind=kind,
        actor=actor,
        period=period,
        sections=(),
    )
    target = _target(Path(out), prepared.data.manifest, ".pdf")
    from desktop.workbooks.pdf_render import write_pdf  # fpdf2 takes 0.7 s to import

    # Without a choice: the profile the plan's template chose for the period.
    write_pdf(prepared.data, target, profile=PROFILES[profile] if profile else None)
    return ExportResult(target, prepared.data.manifest)


def _target(out: Path, manifest: Manifest, suffix: str) -> Path:
    """The file to write: ``out`` itself, or the next free version in the folder ``out``."""
    if out.is_dir():
        return next_free_path(out, file_stem(manifest), suffix)
    if out.suffix.lower() != suffix:
        # Most likely a folder that does not exist: never write a file named like it.
        raise UserError(
            f"書き出し先「{out}」はフォルダとして見つからず、{suffix} ファイル名でもありません。",
            f"'{out}' is neither an existing folder nor a {suffix} file name.",
        )
    return out


def _record_sent(
    db: Database, ref: ReportRef, fields: Mapping[str, str | None], *, actor: str
) -> None:
    """What a work file carried is the common version for the file that comes back
    (bookkeeping for the merge, not content: no audit entry)."""
    with db.write() as session:
        _plan_id, report = find_report(session, ref, create=True, actor=actor)
        assert report is not None
        remember(session, report.id, fields, now_utc())


def _refuse_overwriting_submission(target: Path) -> None:
    try:
        existing = read_workbook(target)
    except WorkbookError:
        return  # not one of ours, or damaged: replacing it loses no signed-off report
    m = existing.manifest
    if m.kind is Kind.SUBMISSION and m.signed_off_by:
        raise OverwriteRefused(
            f"「{target.name}」は決裁済みの提出版です。上書きするには確認が必要です。",
            f"'{target.name}' is a signed-off submission; replacing it needs confirmation.",
        )
