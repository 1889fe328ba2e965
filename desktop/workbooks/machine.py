"""What a PlanDesk workbook is: its kinds, its manifest and data, its format version.

Every workbook PlanDesk writes (template, work file, submission) carries its
data twice: laid out for people on the visible sheets, and as plain tables on
hidden sheets. Import reads only the tables. The format is spread over small
modules, from the bottom up:

- here: what a file is (``Kind``, ``Manifest``, ``WorkbookData``), the format's
  name and version, and ``WorkbookError``;
- ``cell_codecs``: how one value is spelled in a cell, and read back;
- ``hidden_tables``: every hidden table declared once, column by column
  (name, codec, words, text limit, the version that added it);
- ``row_codec``: the data as rows and back, derived from the declarations;
  ``places`` names a faulty value in words;
- ``seals``: the row hashes and the digest;
- ``writer`` and ``reader``: the rows in and out of xlsx.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from desktop.domain.errors import BadFile
from desktop.domain.model import PeriodKind, Plan, Report
from desktop.domain.text import Text

FORMAT_NAME = "plandesk.workbook"
# 2: the printed sheets are sealed (the _pages table), the creator's display name
# (created_name), per-cell hashes after each row hash. Version 1 files still read.
# 3: the reference figures (前々年度実績, 前年度の全国平均・順位, where each came from) and
# whether the national figures were typed. Version 1 and 2 files still read.
# 4: HQ's targets per branch (the _branch_targets table), 対前年度末 targets (target_kind
# prev_year_end), 支部設定 KPIs (target_by_branch), HQ's rules for suggested marks
# (manifest key mark_rules; a file without them: the default rules), and targets beyond
# one number a year (multi-year goals, rules over months, goals in words with a verdict
# by hand, reference indicators, the old-method figure of a changed definition).
# 支部独自 (own) of nodes and KPIs and HQ's "branch may add" of nodes. Versions 1 to 3
# still read (their KPIs are plain, their nodes and KPIs HQ's framework).
# 5: groups as a report axis (manifest keys report_axis, number_per_group; the nodes'
# report_position). Earlier files still read (by tree).
# 5: 具体的な取り組み per entry (_entries.actions; '' in earlier files) and the print
# profile per period (manifest key print_profiles; a file without it: the default
# four-column table). Versions 1 to 4 still read.
# 5: rating scopes (_nodes.rated_with: the item whose one mark and reason rate this one
# too). Versions 1 to 4 still read (every item rated on its own).
# 5: signed files — the manifest's audit head and earlier sign-offs' audit entries
# (covered by the digest), and after the digest the signature and its key's
# fingerprint. Versions 1 to 4 still read (unsigned).
FORMAT_VERSION = 5
READABLE_VERSIONS = (1, 2, 3, 4, 5)
PAGES_SEALED_SINCE = 2  # the format version whose files carry the sealed printed pages
# What the printed sheets look like for given data (print_sheets.build_pages). A file
# is verified by laying its pages out again from its data and comparing: that proves
# the printed sheets say what the data says, but only with the same layout. Raise
# this number whenever build_pages prints anything differently (a golden test in
# tests/workbooks/test_printed_pages.py fails until you do).
PRINT_LAYOUT = 3
# The layouts this PlanDesk lays out again, to verify the files of earlier releases:
# build_pages follows the layout a file's manifest names. 2: the report table's KPI
# rows print 前年度実績 and the national average and rank. 3: a plan organised by
# group prints a heading per group and its items in the plan's order (files of
# layout 2 and earlier hold plans by tree only, which print as before); and every KPI row, in every
# kind of file, prints 前年度実績, 前々年度実績, this year's and last year's national
# figures and the definition-change note; the reason for a mark is a row of its own.
LAID_OUT_AGAIN = frozenset({1, 2, 3})
ROW_HASH = "row_sha256"
MANIFEST_SHEET = "_manifest"

Cell = str | None  # every cell of a hidden table is text, or empty
Rows = list[list[Cell]]


class Kind(StrEnum):
    TEMPLATE = "template"  # HQ's plan structure, KPI definitions and targets
    WORK = "work"  # some sections of one period, from one PC
    SUBMISSION = "submission"  # the whole branch report of a period, signed off

    @property
    def label_ja(self) -> str:
        return {"template": "計画テンプレート", "work": "作業ファイル", "submission": "提出版"}[
            self.value
        ]

    @property
    def label_en(self) -> str:
        return {"template": "Template", "work": "Work file", "submission": "Submission"}[self.value]


class WorkbookError(BadFile, ValueError):
    """A workbook that cannot be used; says why in both languages and where.

    ``reason`` is the why alone; ``text`` (what a person reads) adds the place.
    A ValueError too: the decoders' own failures are ValueErrors.
    """

    def __init__(
        self, message_ja: str, message_en: str, where: str = "", *, cell: str = ""
    ) -> None:
        self.reason = Text(message_ja, message_en)
        place = Text(f"（{where}）", f" ({where})") if where else Text.same("")
        super().__init__(self.reason + place)
        self.where = where  # shown with the message: a place a person can find
        # The hidden sheet and cell (e.g. "_measurements!B5"): for the error log and
        # tests, never shown — the message names the section or KPI and field in words.
        self.cell = cell

    def __str__(self) -> str:
        at = self.where or self.cell
        return f"{at}: {self.reason.en}" if at else self.reason.en


class ChangedAfterWriting(WorkbookError):
    """The file was edited after PlanDesk wrote it: its data, or its printed sheets."""


@dataclass(frozen=True, slots=True)
class Manifest:
    kind: Kind
    branch: str
    fiscal_year: int
    period: PeriodKind | None  # None for templates
    app_version: str
    created_by: str  # the login, for the audit trail
    created_at: datetime
    sections: tuple[str, ...] = ()  # work files: the node keys they carry
    signed_off_by: str | None = None  # the login
    signed_off_at: datetime | None = None
    signed_off_name: str | None = None  # display name, for the cover
    format_version: int = FORMAT_VERSION
    digest: str = ""
    created_name: str | None = None  # display name, for the cover
    print_layout: int = PRINT_LAYOUT  # 0: not recorded (format 1)
    audit_head: str | None = None  # "id:hash" of the sign-off's audit entry (format 5)
    audit_checkpoints: str | None = None  # earlier sign-offs' entries, "id:hash …"
    signature: str = ""  # base64 Ed25519 signature (desktop/services/signatures.py)
    signing_key: str = ""  # the signing key's fingerprint (64 hex)

    @property
    def creator(self) -> str:
        """Who wrote the file, as people know them (the login when no name is known)."""
        return self.created_name or self.created_by

    @property
    def signer(self) -> str:
        return self.signed_off_name or self.signed_off_by or ""


@dataclass(frozen=True, slots=True)
class WorkbookData:
    """What a workbook carries: a plan (structure, KPIs) with at most one report."""

    manifest: Manifest
    plan: Plan
    # Work files: the value each field had when this PC last took it from a file
    # (the common version for a three-way merge); see domain.merge.
    bases: dict[str, str | None] = field(default_factory=dict)

    @property
    def report(self) -> Report | None:
        return self.plan.reports[0] if self.plan.reports else None


def print_not_provable(manifest: Manifest) -> tuple[str, str] | None:
    """Why it cannot be proven that a file's printed sheets say what its data says
    (Japanese, English), or None. Such a file's data is sealed as before and
    imports; ``verify`` and HQ's consolidation refuse it."""
    # Sealed pages came with format 2: a file of any later format carries them too (a new
    # format adds hidden columns; comparing with FORMAT_VERSION would refuse every file
    # the previous PlanDesk wrote).
    if manifest.format_version >= PAGES_SEALED_SINCE:
        if manifest.print_layout in LAID_OUT_AGAIN:
            return None
        layout = manifest.print_layout
        return (
            f"別の版の PlanDesk（印刷レイアウト 第{layout}版、この PlanDesk は第{PRINT_LAYOUT}版）"
            "で書かれたファイルのため、印刷される内容がデータと同じかを確認できません。"
            "本部と支部で同じ版の PlanDesk を使って、書き出し直してください。",
            f"Written by another version of PlanDesk (print layout {layout}; this one prints "
            f"layout {PRINT_LAYOUT}): whether its printed sheets say what its data says cannot "
            "be checked. Use the same PlanDesk version as HQ and export it again.",
        )
    version = manifest.format_version
    return (
        f"以前の PlanDesk（ファイル形式 第{version}版）で書かれたファイルのため、印刷される内容が"
        "データと同じかを確認できません。PlanDesk を更新して、書き出し直してください。",
        f"Written by an older PlanDesk (file format {version}): whether its printed sheets "
        "say what its data says cannot be checked. Update PlanDesk and export it again.",
    )
