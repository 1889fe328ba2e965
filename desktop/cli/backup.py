"""Backups on the command line.

`plandesk backup` takes a checked backup now and prints where it went and its size;
`plandesk restore --list` lists the database's backups (newest first, numbered);
`plandesk restore BACKUP` (a path, a file name from the list, or its number) backs
the current state up, then puts the backup's content in place and prints what the
database now holds. A restore is refused while a PlanDesk window has the database
open. Never imports Qt.
"""

from __future__ import annotations

import argparse
from datetime import UTC
from pathlib import Path

from desktop.cli.common import EXIT_OK, EXIT_USAGE, db_path, lang_of, print_table, say
from desktop.domain.backup_policy import BackupKind, Keep, size_label
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.text import Text
from desktop.services import backups
from desktop.services.backups import BackupContents

_HEADERS = (
    Text("番号", "No."),
    Text("日時", "Taken"),
    Text("種類", "Kind"),
    Text("サイズ", "Size"),
    Text("保存の区分", "Kept as"),
    Text("ファイル", "File"),
)


def _database(args: argparse.Namespace) -> Path:
    return db_path(args).expanduser().absolute()  # the paths printed are whole


def cmd_backup(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    made = backups.take_backup(_database(args), BackupKind.MANUAL)
    size = f"{size_label(made.size)}, {made.size:,} bytes"
    say(lang, Text(f"バックアップを作成しました: {made.path}（{size}）",
                   f"Backup written: {made.path} ({size})"))  # fmt: skip
    return EXIT_OK


def _list(args: argparse.Namespace, lang: str) -> int:
    database = _database(args)
    found = backups.list_backups(database)
    say(lang, Text(f"バックアップのフォルダ: {backups.folder(database)}",
                   f"Backup folder: {backups.folder(database)}"))  # fmt: skip
    if not found:
        say(lang, Text("バックアップはまだありません。", "No backups yet."))
        return EXIT_OK
    headers = [h.get(lang) for h in _HEADERS]
    sep = Text("、", ", ").get(lang)
    rows = [
        [
            str(number),
            b.taken.strftime("%Y-%m-%d %H:%M:%S"),
            b.kind.label(lang),
            size_label(b.size),
            sep.join(k.label(lang) for k in Keep if k in b.kept_as),
            b.path.name,
        ]
        for number, b in enumerate(found, start=1)
    ]
    print_table(headers, rows)
    return EXIT_OK


def describe(held: BackupContents, lang: str) -> list[Text]:
    """What a database or backup holds, a line each."""
    lines = []
    for p in held.plans:
        where = find_branch(p.branch)
        lines.append(
            Text(
                f"  計画: {where.label('ja')} {fiscal_year_label(p.fiscal_year)}「{p.title}」",
                f"  Plan: {where.label('en')} FY{p.fiscal_year} '{p.title}'",
            )
        )
    if held.last_edit_at is not None:
        when = held.last_edit_at.replace(tzinfo=held.last_edit_at.tzinfo or UTC).astimezone()
        shown = when.strftime("%Y-%m-%d %H:%M")
        lines.append(
            Text(
                f"  最後の変更: {shown}（{held.last_edit_by}）",
                f"  Last change: {shown} by {held.last_edit_by}",
            )
        )
    lines.append(
        Text(
            f"  記入済みの項目 {held.entries}、KPI・月次の数値 {held.figures}、"
            f"監査記録 {held.audit_entries} 件",
            f"  {held.entries} sections written, {held.figures} KPI and monthly figures, "
            f"{held.audit_entries} audit entries",
        )
    )
    return lines


def cmd_restore(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    if args.list:
        return _list(args, lang)
    if not args.backup:
        say(lang, Text("復元するバックアップを指定してください（一覧は --list）。",
                       "Name the backup to restore (--list shows them)."), err=True)  # fmt: skip
        return EXIT_USAGE
    database = _database(args)
    chosen = backups.find(database, args.backup)
    restored = backups.restore_file(database, chosen)
    say(
        lang, Text(f"バックアップから復元しました: {chosen}", f"Restored from the backup: {chosen}")
    )
    for line in describe(restored.contents, lang):
        say(lang, line)
    if restored.damaged is not None:
        where = restored.damaged
        say(lang, Text(f"壊れていたデータベースはこちらに残しました: {where}",
                       f"The damaged database was kept as: {where}"))  # fmt: skip
    if restored.before is not None:
        where = restored.before.path
        say(lang, Text(f"復元前の状態はこちらに保存しました: {where}",
                       f"The state before the restore is kept in: {where}"))  # fmt: skip
    return EXIT_OK


def register(sub: argparse._SubParsersAction, options: argparse.ArgumentParser) -> None:
    p = sub.add_parser(
        "backup", parents=[options], help="take a checked backup of the database now"
    )
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser(
        "restore", parents=[options], help="list the backups, or restore one (--list first)"
    )
    p.add_argument(
        "backup", nargs="?", help="a backup file, its name in the backups folder, or its number"
    )
    p.add_argument("--list", action="store_true", help="list the backups, newest first")
    p.set_defaults(func=cmd_restore)
