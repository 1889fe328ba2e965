"""HQ's targets per branch on the command line, as tab-separated text Excel opens.

`plandesk targets export --year Y [--out FILE]` writes the table of HQ's template
(a row per branch, a column per KPI key; blank: HQ's default); `plandesk targets
import FILE --year Y` sets every cell the file holds, all or nothing (a bad cell
changes nothing and is named). Never imports Qt.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import EXIT_OK, actor, global_options, lang_of, open_db, parse_year, say
from desktop.domain.errors import BadInput
from desktop.domain.text import Text
from desktop.files import write_atomically
from desktop.services import branch_targets


def cmd_export(args: argparse.Namespace) -> int:
    year = parse_year(args.year)
    with open_db(args) as db:
        text = branch_targets.table_tsv(branch_targets.target_sheet(db, year))
    if not args.out:
        sys.stdout.write(text)
        return EXIT_OK
    path = Path(args.out)
    if path.is_dir():
        path = path / f"branch_targets_{year}.tsv"
    path = write_atomically(path, lambda temp: temp.write_text(text, encoding="utf-8"))
    say(lang_of(args), Text(f"書き出しました: {path}", f"Written: {path}"))
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    year = parse_year(args.year)
    try:
        text = Path(args.file).read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        raise BadInput(
            f"「{args.file}」を UTF-8 のテキストとして読めません（{exc}）。",
            f"'{args.file}' cannot be read as UTF-8 text ({exc}).",
        ) from None
    with open_db(args) as db:
        texts = branch_targets.read_tsv(branch_targets.target_sheet(db, year), text)
        changes = branch_targets.set_branch_targets(db, year, texts, actor=actor())
    n = len(changes.records)
    say(lang_of(args), Text(f"支部別目標 {n} 件を変更しました。", f"Changed {n} target(s)."))
    return EXIT_OK


def register(sub: argparse._SubParsersAction, options: argparse.ArgumentParser) -> None:
    action_options = global_options("action")
    p = sub.add_parser(
        "targets", parents=[options], help="HQ's targets per branch as tab-separated text"
    )
    actions = p.add_subparsers(dest="targets_command", metavar="ACTION", required=True)
    q = actions.add_parser("export", parents=[action_options], help="write the table (TSV)")
    q.add_argument("--year", required=True, help="fiscal year of HQ's template (2025 …)")
    q.add_argument("--out", help="the file (or folder) to write; without it, standard output")
    q.set_defaults(func=cmd_export)
    q = actions.add_parser("import", parents=[action_options], help="set cells from a TSV file")
    q.add_argument("file", help="UTF-8 tab-separated text in the shape export writes")
    q.add_argument("--year", required=True, help="fiscal year of HQ's template")
    q.set_defaults(func=cmd_import)
