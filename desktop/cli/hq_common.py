"""What the HQ commands share (`consolidate`, `consolidate --all`, the pack):
HQ's template as the KPI reference, HQ's signing key (``--sign``), a
refused file in one line, and the progress on stderr. Never imports Qt."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from desktop.cli.common import db_path, read_password
from desktop.domain.branches import HQ_CODE
from desktop.domain.errors import BadInput
from desktop.domain.model import Plan
from desktop.domain.text import Text
from desktop.services import consolidation
from desktop.services.consolidation import SubmissionFile
from desktop.services.signing_keys import SigningKey, keys_dir, unlock
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


def signing_key(
    args: argparse.Namespace, *, needs: tuple[str, ...] = ("out", "pack")
) -> SigningKey | None:
    """HQ's signing key for the national workbooks and benchmark packs (``--sign``: the
    passphrase is asked before any file is read, so a wrong one stops the run at once).
    ``needs``: the options naming where signed files go; ``--sign`` with none of them
    is a usage error rather than a run that signs nothing."""
    if not getattr(args, "sign", False):
        return None
    if needs and not any(getattr(args, n, None) for n in needs):
        raise BadInput(
            "--sign は全国集計（--out）と全国平均・順位（--pack）に署名します。"
            "--out か --pack で出力先を指定してください。",
            "--sign signs the national workbooks (--out) and the benchmark packs (--pack): "
            "give one of them.",
        )
    passphrase = read_password(args, "署名鍵のパスフレーズ / signing passphrase: ") or ""
    key = unlock(keys_dir(db_path(args).expanduser().absolute()), passphrase)
    if key.branch != HQ_CODE:  # the branches would refuse it: say so before the run
        raise BadInput(
            f"この PC の署名鍵は支部 {key.branch} のものです。全国集計と全国平均・順位には"
            f"本部（{HQ_CODE}）の鍵で署名します（何も書き出していません）。",
            f"This PC's signing key is branch {key.branch}'s; national workbooks and "
            f"benchmark packs are signed with HQ's key ({HQ_CODE}). Nothing was written.",
        )
    return key


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
