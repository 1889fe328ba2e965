"""Verify: a workbook checked on its own — its format and digest, its printed
sheets against its data, for a submission the sign-off, and its signature against
the registry of public keys this PC trusts (``key_registry``). Several files of a
branch checked together also show whether each later file's audit chain extends
the earlier ones'.

HQ's national workbook is no PlanDesk workbook (no hidden tables, and charts a branch
file never has): the reader refuses it, and only then is it looked at as one — its
seal (``workbooks.national_seal``) checked against what it holds and HQ's key. An
ordinary workbook pays nothing for this."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.domain.errors import BadFile, UserError
from desktop.domain.text import Text
from desktop.services.key_registry import Registry
from desktop.services.signatures import chain_breaks, check_seal, check_signature, vouches_for
from desktop.services.signing_keys import spoken
from desktop.workbooks.machine import (
    ChangedAfterWriting,
    Kind,
    WorkbookData,
    WorkbookError,
    print_not_provable,
)
from desktop.workbooks.national_seal import NationalSeal, national_sheets, read_seal
from desktop.workbooks.reader import read_workbook
from desktop.workbooks.safety import SuspiciousArchive


@dataclass(frozen=True, slots=True)
class NationalFile:
    """What verify found of HQ's national workbook: its seal (None: unsigned, or the
    file could not be read)."""

    seal: NationalSeal | None


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    data: WorkbookData | None
    problems_ja: tuple[str, ...] = ()
    problems_en: tuple[str, ...] = ()
    notes_ja: tuple[str, ...] = ()  # valid, but worth knowing (an old key, no signature)
    notes_en: tuple[str, ...] = ()
    national: NationalFile | None = None  # the file is HQ's national workbook

    def problems(self, lang: str = "ja") -> tuple[str, ...]:
        return self.problems_ja if lang == "ja" else self.problems_en

    def notes(self, lang: str = "ja") -> tuple[str, ...]:
        return self.notes_ja if lang == "ja" else self.notes_en


def verify_file(path: str | Path, registry: Registry | None = None) -> Verdict:
    """Format, digest, printed sheets, for a submission the sign-off, and — given the
    registry — the signature of a submission or template."""
    try:
        data = read_workbook(path, vouched=lambda m: vouches_for(m, registry))
    except WorkbookError as exc:
        if _maybe_national(Path(path), exc):
            return verify_national(path, registry)
        return Verdict(False, None, (exc.message("ja"),), (exc.message("en"),))
    m = data.manifest
    ja: list[str] = []
    en: list[str] = []
    notes_ja: list[str] = []
    notes_en: list[str] = []
    older = print_not_provable(m)
    if older is not None:
        ja.append(older[0])
        en.append(older[1])
    if m.kind is Kind.SUBMISSION and not (m.signed_off_by and m.signed_off_at):
        ja.append("提出版ですが支部長の決裁の記録がありません。")
        en.append("A submission without a sign-off.")
    if m.kind is not Kind.TEMPLATE and data.report is None:
        ja.append("報告の内容がありません。")
        en.append("The file carries no report.")
    if registry is not None and m.kind is not Kind.WORK:
        check = check_signature(m, registry, unsigned_ok=m.kind is Kind.TEMPLATE)
        if check.problem is not None:
            ja.append(check.problem.ja)
            en.append(check.problem.en)
        notes_ja += [n.ja for n in check.notes]
        notes_en += [n.en for n in check.notes]
    return Verdict(not ja, data, tuple(ja), tuple(en), tuple(notes_ja), tuple(notes_en))


def _maybe_national(path: Path, exc: WorkbookError) -> bool:
    """Whether a file the reader refused with ``exc`` could be a national workbook: not
    for a damaged or tampered archive or a changed PlanDesk file, and only when its
    sheet names say so (the workbook part alone)."""
    return not isinstance(exc, ChangedAfterWriting | SuspiciousArchive) and national_sheets(path)


def verify_national(path: str | Path, registry: Registry | None = None) -> Verdict:
    """HQ's national workbook: valid when it carries HQ's seal, its cells are what was
    signed, and the signing key is HQ's in ``registry`` (not revoked when it signed).
    Unsigned is invalid: nothing would show that HQ wrote it or that it is unchanged.
    Without a registry (or on a PC that trusts no key yet) the key is not checked,
    with a note, as for a submission."""
    registry = registry if registry is not None else Registry()
    try:
        seal, digest = read_seal(Path(path))
    except UserError as exc:
        return Verdict(
            False, None, (exc.message("ja"),), (exc.message("en"),), national=NationalFile(None)
        )
    check = check_seal(seal, digest, registry)
    problems = () if check.problem is None else (check.problem,)
    return Verdict(
        check.ok,
        None,
        tuple(p.ja for p in problems),
        tuple(p.en for p in problems),
        tuple(n.ja for n in check.notes),
        tuple(n.en for n in check.notes),
        national=NationalFile(seal),
    )


def national_instead(
    path: str | Path, exc: WorkbookError, registry: Registry, hint: Text | None = None
) -> BadFile | None:
    """For a file the reader refused with ``exc`` where a PlanDesk workbook or pack
    was expected (an import): when it is HQ's national workbook, the error that says
    so, what to choose instead (``hint``) and verify's verdict on the file, instead
    of ``exc``'s talk of foreign parts or missing sheets; else None."""
    if not _maybe_national(Path(path), exc):
        return None
    verdict = verify_national(path, registry)
    name = Path(path).name
    what = Text(
        f"「{name}」は本部の全国集計のファイルです。Excel で開いて読むもので、取り込むことは"
        "できません。",
        f"'{name}' is HQ's national workbook: it is read in Excel and cannot be imported.",
    )
    if hint is not None:
        what = what + Text(hint.ja, " " + hint.en)
    seal = verdict.national.seal if verdict.national is not None else None
    if verdict.ok and seal is not None:
        fp = spoken(seal.signing_key)
        ja = [f"検証: 正常です（電子署名の鍵の指紋 {fp}）。"]
        en = [f"Verified: OK (signing key fingerprint {fp})."]
    else:
        ja, en = ["検証: 不合格です。"], ["Verification FAILED."]
    ja += [*verdict.problems_ja, *verdict.notes_ja]
    en += [*verdict.problems_en, *verdict.notes_en]
    return BadFile(what + Text("\n" + "".join(ja), "\n" + " ".join(en)))


def verify_files(paths: Sequence[str | Path], registry: Registry | None = None) -> list[Verdict]:
    """Each file on its own, then the audit chain across the sound ones: a later file of
    a branch whose chain lacks an earlier file's audit head is refused, saying so."""
    verdicts = [verify_file(p, registry) for p in paths]
    signed = [
        (Path(p).name, v.data.manifest)
        for p, v in zip(paths, verdicts, strict=True)
        if v.ok and v.data is not None
    ]
    out = list(verdicts)
    for found in chain_breaks(signed):
        i = next(i for i, p in enumerate(paths) if Path(p).name == found.later)
        v = out[i]
        text = found.text()
        out[i] = Verdict(
            False,
            v.data,
            (*v.problems_ja, text.ja),
            (*v.problems_en, text.en),
            v.notes_ja,
            v.notes_en,
        )
    return out
