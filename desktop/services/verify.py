"""Verify: a workbook checked on its own — its format and digest, its printed
sheets against its data, for a submission the sign-off, and its signature against
the registry of public keys this PC trusts (``key_registry``). Several files of a
branch checked together also show whether each later file's audit chain extends
the earlier ones'."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from desktop.services.key_registry import Registry
from desktop.services.signatures import chain_breaks, check_signature, vouches_for
from desktop.workbooks.machine import Kind, WorkbookData, WorkbookError, print_not_provable
from desktop.workbooks.reader import read_workbook


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    data: WorkbookData | None
    problems_ja: tuple[str, ...] = ()
    problems_en: tuple[str, ...] = ()
    notes_ja: tuple[str, ...] = ()  # valid, but worth knowing (an old key, no signature)
    notes_en: tuple[str, ...] = ()

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
