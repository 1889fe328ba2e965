"""Verify: a workbook checked on its own — its format and digest, its printed
sheets against its data, and for a submission the sign-off."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from desktop.workbooks.machine import Kind, WorkbookData, WorkbookError, print_not_provable
from desktop.workbooks.reader import read_workbook


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    data: WorkbookData | None
    problems_ja: tuple[str, ...] = ()
    problems_en: tuple[str, ...] = ()

    def problems(self, lang: str = "ja") -> tuple[str, ...]:
        return self.problems_ja if lang == "ja" else self.problems_en


def verify_file(path: str | Path) -> Verdict:
    """Format, digest, printed sheets and — for a submission — the sign-off."""
    try:
        data = read_workbook(path)
    except WorkbookError as exc:
        return Verdict(False, None, (exc.message("ja"),), (exc.message("en"),))
    m = data.manifest
    ja: list[str] = []
    en: list[str] = []
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
    return Verdict(not ja, data, tuple(ja), tuple(en))
