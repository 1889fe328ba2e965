"""What the HQ commands share (`consolidate`, `consolidate --all`, the pack):
HQ's template as the KPI reference, a refused file in one line, and the
progress on stderr. Never imports Qt."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from desktop.domain.errors import BadInput
from desktop.domain.model import Plan
from desktop.domain.text import Text
from desktop.services import consolidation
from desktop.services.consolidation import SubmissionFile
from desktop.workbooks.machine import Kind
from desktop.workbooks.reader import read_workbook


def template_plan(args: argparse.Namespace) -> Plan | None:
    path = getattr(args, "template", None)
    if not path:
        return None
    data = read_workbook(Path(path))
    if data.manifest.kind is not Kind.TEMPLATE:
        raise BadInput(
            f"「{Path(path).name}」は計画テンプレートではありません。",
            f"'{Path(path).name}' is not a plan template.",
        )
    return data.plan


def file_line(f: SubmissionFile, lang: str) -> str:
    who = consolidation.branch_label(f.branch, lang)
    if f.branch_from_name:
        who += Text("（ファイル名から）", " (from the file name)").get(lang)
    label = f.problem.label(lang) if f.problem else f.status.label(lang)
    return f"  {who}  {f.name}\n      {label}: {f.reason(lang)}"


def show_progress(lang: str, root: Path) -> Callable[[int, int, Path], None]:
    """``on_file`` for a consolidation: "[12/47] name" on stderr before each file
    (stdout keeps the report a script reads)."""

    def shown(number: int, total: int, path: Path) -> None:
        try:
            name = path.relative_to(root).as_posix()
        except ValueError:
            name = path.name
        print(f"[{number}/{total}] {name}", file=sys.stderr, flush=True)

    return shown
