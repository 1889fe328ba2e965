"""Workbook exchange, by its old single name: export, import as a three-way merge,
verify.

The code lives in one module per use case — ``export``, ``import_preview``,
``import_apply``, ``verify``, with what export and import share in
``exchange_bases`` — and this module only names their public parts together
(the command line, the tests and the tools use it as one API).
"""

from __future__ import annotations

from desktop.services.exchange_bases import section_scope
from desktop.services.export import (
    ExportResult,
    OverwriteRefused,
    export_workbook,
    file_stem,
    next_free_path,
)
from desktop.services.import_apply import Choice, ImportResult, apply_import
from desktop.services.import_preview import Expectation, ImportPreview, LeftOut, preview_import
from desktop.services.verify import Verdict, verify_file
from desktop.store.repository import now_utc
from desktop.workbooks.machine import Kind, Manifest, WorkbookData, WorkbookError

__all__ = [
    "Choice",
    "Expectation",
    "ExportResult",
    "ImportPreview",
    "ImportResult",
    "Kind",
    "LeftOut",
    "Manifest",
    "OverwriteRefused",
    "Verdict",
    "WorkbookData",
    "WorkbookError",
    "apply_import",
    "export_workbook",
    "file_stem",
    "next_free_path",
    "now_utc",
    "preview_import",
    "section_scope",
    "verify_file",
]
