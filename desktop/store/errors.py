"""Why the database could not be opened, read or written, in words a user can act on.

Every failure of SQLite (a full disk, a damaged file, a lock held too long, a
dropped table, a read-only folder, a forged audit row …) reaches the person as
one of these: what happened, that nothing was saved, and what to do. The
technical details (exception, SQLite code, SQL) go to the error log in the data
folder (:mod:`desktop.error_log`), whose path the message names.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from desktop.domain.errors import BadInput, UserError
from desktop.domain.text import Text
from desktop.error_log import log_exception


class StoreError(UserError):
    pass


class DatabaseMissing(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"データベースファイルが見つかりません: {path}\n"
            "「plandesk init --db パス」で新しく作成できます。",
            f"Database file not found: {path}\nCreate one with 'plandesk init --db PATH'.",
        )


class NotAPlanDeskDatabase(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"PlanDesk のデータベースではありません: {path}\n"
            "別のアプリのファイルか、壊れたファイルです。ファイルには何も書き込んでいません。",
            f"Not a PlanDesk database: {path}\n"
            "It belongs to another program or is damaged. Nothing was written to it.",
        )


class DatabaseTooNew(StoreError):
    def __init__(self, path: Path, revision: str) -> None:
        super().__init__(
            f"このデータベースは新しいバージョンの PlanDesk で作成されています（{revision}）: {path}\n"
            "PlanDesk を更新してから開いてください。ファイルには何も書き込んでいません。",
            f"This database was written by a newer PlanDesk (schema {revision}): {path}\n"
            "Update PlanDesk to open it. Nothing was written to it.",
        )


def _details(log: Path | None) -> Text:
    """Where the technical details went, appended to a message."""
    if log is None:
        return Text.same("")
    return Text(
        f"\n詳細はエラーログに記録しました: {log}", f"\nDetails are in the error log: {log}"
    )


class DatabaseCorrupt(StoreError):
    """SQLite cannot read the file as a database (or it fails its checks)."""

    def __init__(self, path: Path, detail: str = "", *, log: Path | None = None) -> None:
        if detail and log is None:
            log = log_exception(f"damaged database {path}: {detail}")
        super().__init__(
            Text(
                f"データベースが破損しています: {path}\n"
                "PlanDesk を閉じ、「plandesk restore --list」でバックアップを選んで"
                "「plandesk restore」で戻すか、管理者に連絡してください。",
                f"The database is damaged: {path}\n"
                "Close PlanDesk and restore a backup ('plandesk restore --list', then "
                "'plandesk restore BACKUP'), or ask your administrator.",
            )
            + _details(log)
        )


class DatabasePathUnusable(BadInput):
    """The path given for the database cannot hold one (a folder, a file that cannot
    be read, a folder that cannot be made): the caller's input, not a database's state."""

    def __init__(self, path: Path, why_ja: str, why_en: str) -> None:
        super().__init__(
            f"データベースとして使えないパスです: {path}\n{why_ja}\n何も変更していません。",
            f"This path cannot be used as a database: {path}\n{why_en}\nNothing was changed.",
        )

    @classmethod
    def folder(cls, path: Path) -> DatabasePathUnusable:
        return cls(
            path,
            "フォルダです。データベースのファイル名を指定してください（例: フォルダ/plandesk.sqlite3）。",
            "It is a folder: give the database's file name (e.g. FOLDER/plandesk.sqlite3).",
        )

    @classmethod
    def unreadable(cls, path: Path, detail: str) -> DatabasePathUnusable:
        return cls(
            path,
            f"ファイルを読めません（{detail}）。アクセス権を確認してください。",
            f"The file cannot be read ({detail}); check its permissions.",
        )

    @classmethod
    def file_in_path(cls, path: Path, file: Path) -> DatabasePathUnusable:
        return cls(
            path,
            f"途中の「{file}」がフォルダではなくファイルです。",
            f"'{file}' on the way is a file, not a folder.",
        )

    @classmethod
    def no_folder(cls, path: Path, detail: str) -> DatabasePathUnusable:
        return cls(
            path,
            f"保存先のフォルダを作れません（{detail}）。",
            f"Its folder cannot be created ({detail}).",
        )


class BackupFailed(StoreError):
    """The copy taken before an upgrade could not be written or failed its check."""

    def __init__(self, path: Path, target: Path, *, log: Path | None = None) -> None:
        super().__init__(
            Text(
                f"データベースを更新する前のバックアップ（{target.name}）を作れませんでした。"
                f"データベース {path} はそのままで、何も変更していません。\n"
                "フォルダの空き容量と書き込み権限を確認してから、もう一度開いてください。",
                f"The backup taken before upgrading the database ({target.name}) could not be "
                f"written. The database {path} is unchanged.\n"
                "Check the folder's free space and write permission, then open it again.",
            )
            + _details(log)
        )


class BackupNotWritten(StoreError):
    """A routine backup (or the one before a restore) could not be written."""

    def __init__(self, path: Path, target: Path, *, log: Path | None = None) -> None:
        super().__init__(
            Text(
                f"バックアップ（{target.name}）を作れませんでした。"
                f"データベース {path} はそのままです。\n"
                f"バックアップのフォルダ（{target.parent}）の空き容量と書き込み権限を確認してください。",
                f"The backup ({target.name}) could not be written. The database {path} "
                f"is unchanged.\nCheck the free space and write permission of the backup "
                f"folder ({target.parent}).",
            )
            + _details(log)
        )


class BackupUnsound(StoreError):
    """A backup file fails its checks: written just now (and deleted), or chosen to
    restore (and refused)."""

    def __init__(self, backup: Path, problems: list[str], *, written: bool) -> None:
        shown = "; ".join(problems[:5])
        if written:
            text = Text(
                f"作成したバックアップが検査に合格しなかったため削除しました（{shown}）。"
                "データベースはそのままです。「plandesk check」で確かめてください。",
                f"The backup just written failed its check and was deleted ({shown}). The "
                "database is unchanged. Run 'plandesk check' to see what is wrong.",
            )
        else:
            text = Text(
                f"バックアップ {backup} は壊れているか検査に合格しないため、復元できません"
                f"（{shown}）。何も変更していません。別のバックアップを選んでください。",
                f"The backup {backup} is damaged or fails its check, so it cannot be "
                f"restored ({shown}). Nothing was changed. Choose another backup.",
            )
        super().__init__(text + _details(log_exception(f"unsound backup {backup}: {shown}")))


class DatabaseOpenInWindow(StoreError):
    def __init__(self, path: Path) -> None:
        super().__init__(
            f"このデータベースは PlanDesk のウィンドウで開かれています: {path}\n"
            "ウィンドウの「ファイル ▸ バックアップから復元…」を使うか、PlanDesk を閉じてから"
            "もう一度実行してください。何も変更していません。",
            f"This database is open in a PlanDesk window: {path}\n"
            "Use File ▸ Restore from backup… in that window, or close PlanDesk and run "
            "this again. Nothing was changed.",
        )


class DiskFull(StoreError):
    def __init__(self, path: Path, *, log: Path | None = None) -> None:
        super().__init__(
            Text(
                f"ディスクの空き容量が足りないため、データベースに書き込めませんでした: {path}\n"
                "この操作の変更は保存されていません。不要なファイルを削除して空き容量を増やしてから、"
                "もう一度行ってください。",
                f"The disk is full: the database could not be written: {path}\n"
                "Nothing of this change was saved. Free some disk space, then try again.",
            )
            + _details(log)
        )


class StorageIOError(StoreError):
    def __init__(self, path: Path, *, log: Path | None = None) -> None:
        super().__init__(
            Text(
                f"データベースのファイルを読み書きできませんでした（入出力エラー）: {path}\n"
                "ドライブが外れたか、空き容量がないか、故障している可能性があります。この操作の変更は"
                "保存されていません。ドライブを確認して PlanDesk を開き直し、「plandesk check」で"
                "確認してください。",
                f"The database file could not be read or written (I/O error): {path}\n"
                "The drive may have been removed, be full or be failing. Nothing of this change "
                "was saved. Check the drive, open PlanDesk again and run 'plandesk check'.",
            )
            + _details(log)
        )


class DatabaseBusy(StoreError):
    """Another program held the write lock longer than PlanDesk waits."""

    def __init__(self, path: Path, waited_s: float, *, writing: bool = True) -> None:
        seconds = max(1, round(waited_s))
        ja_what, en_what = ("保存", "saved") if writing else ("読み込み", "read")
        super().__init__(
            f"別のプログラム（ほかの PlanDesk の画面やコマンドなど）が {seconds} 秒間"
            f"データベースを使い続けているため、{ja_what}できませんでした: {path}\n"
            "この操作の変更は保存されていません。ほかの PlanDesk を閉じるか、その処理が"
            "終わるのを待ってから、もう一度行ってください。",
            "Another program (another PlanDesk window or command) has held the database for "
            f"{seconds} s, so this could not be {en_what}: {path}\n"
            "Nothing of this change was saved. Close the other PlanDesk or wait for it to "
            "finish, then try again.",
        )
        self.waited_s = waited_s


class SchemaDamaged(StoreError):
    """A table (or column) the app needs is gone: changed outside PlanDesk."""

    def __init__(self, path: Path, missing: str, *, log: Path | None = None) -> None:
        super().__init__(
            Text(
                f"データベースの構造が壊れています（「{missing}」がありません）: {path}\n"
                "PlanDesk 以外のツールで変更された可能性があります。何も保存していません。"
                "バックアップから戻すか、管理者に連絡してください。",
                f"The database's structure is damaged ('{missing}' is missing): {path}\n"
                "It was probably changed by a tool other than PlanDesk. Nothing was saved. "
                "Restore a backup or ask your administrator.",
            )
            + _details(log)
        )
        self.missing = missing


class DatabaseNotWritable(StoreError):
    """A read-only file or folder, or no permission to open the file."""

    def __init__(self, path: Path, *, log: Path | None = None) -> None:
        super().__init__(
            Text(
                f"データベースを開けないか、書き込めません: {path}\n"
                "ファイルまたはフォルダが読み取り専用か、書き込む権限がありません。何も保存していません。"
                "ファイルのプロパティとフォルダの権限を確認するか、書き込めるフォルダに移してください。",
                f"The database cannot be opened or written: {path}\n"
                "The file or its folder is read-only, or you lack permission. Nothing was saved. "
                "Check the file's properties and the folder's permissions, or move it to a folder "
                "you can write to.",
            )
            + _details(log)
        )


class AuditTrailForged(StoreError):
    """The audit log holds an entry where PlanDesk's next one belongs: added by hand."""

    def __init__(self, path: Path, *, log: Path | None = None) -> None:
        super().__init__(
            Text(
                f"監査ログに PlanDesk が書いていない記録があるため、保存できませんでした: {path}\n"
                "データベースが PlanDesk 以外で変更されています。何も保存していません。"
                "「plandesk check」で確認し、管理者に連絡してください。",
                "The audit log holds an entry PlanDesk did not write, so nothing was saved: "
                f"{path}\nThe database was changed outside PlanDesk. Run 'plandesk check' and "
                "tell your administrator.",
            )
            + _details(log)
        )


class DataRefused(StoreError):
    """A rule of the stored data (a constraint) refused the change."""

    def __init__(self, path: Path, *, log: Path | None = None) -> None:
        super().__init__(
            Text(
                f"データベースが変更を受け付けませんでした（保存済みのデータの決まりに反します）: {path}\n"
                "何も保存していません。続く場合は「plandesk check」で確認し、管理者に連絡してください。",
                "The database refused the change (it would break a rule of the stored data): "
                f"{path}\nNothing was saved. If it happens again, run 'plandesk check' and tell "
                "your administrator.",
            )
            + _details(log)
        )


class StoreFailure(StoreError):
    """Any other failure of the database engine."""

    def __init__(self, path: Path, *, log: Path | None = None) -> None:
        super().__init__(
            Text(
                f"データベースを読み書きできませんでした: {path}\n"
                "何も保存していません。もう一度行っても失敗する場合は「plandesk check」で確認し、"
                "管理者に連絡してください。",
                f"The database could not be read or written: {path}\n"
                "Nothing was saved. If it fails again, run 'plandesk check' and tell your "
                "administrator.",
            )
            + _details(log)
        )


# SQLite's primary result codes (the low byte of an extended code).
SQLITE_ERROR = 1
SQLITE_PERM = 3
SQLITE_BUSY = 5
SQLITE_LOCKED = 6
SQLITE_READONLY = 8
SQLITE_IOERR = 10
SQLITE_CORRUPT = 11
SQLITE_FULL = 13
SQLITE_CANTOPEN = 14
SQLITE_CONSTRAINT = 19
SQLITE_AUTH = 23
SQLITE_NOTADB = 26

_MISSING = re.compile(r"no such (?:table|column): (\S+)")


def driver_error(exc: BaseException) -> sqlite3.Error | None:
    """The sqlite3 error behind ``exc`` (raised directly or wrapped by SQLAlchemy)."""
    if isinstance(exc, sqlite3.Error):
        return exc
    # SQLAlchemy loads after the window's first paint: an error of its kind exists
    # only once it has (desktop/store/quick_read.py reads without it).
    from sqlalchemy.exc import DBAPIError

    if isinstance(exc, DBAPIError) and isinstance(exc.orig, sqlite3.Error):
        return exc.orig
    return None


def primary_code(error: sqlite3.Error) -> int | None:
    code = getattr(error, "sqlite_errorcode", None)
    return None if code is None else code & 0xFF


def translate(
    exc: BaseException,
    path: Path,
    *,
    context: str,
    busy_wait_s: float = 5.0,
    writing: bool = True,
) -> StoreError | None:
    """The StoreError for a failure of SQLite or SQLAlchemy (None when ``exc`` is
    neither), with its details written to the error log."""
    error = driver_error(exc)
    if error is None:
        from sqlalchemy.exc import SQLAlchemyError, StatementError

        if isinstance(exc, StatementError) and isinstance(exc.orig, (ValueError, TypeError)):
            # A value the store's column types refuse (not finite, not UTC …).
            return DataRefused(path, log=log_exception(f"{context}: {path}", exc))
        if isinstance(exc, SQLAlchemyError):  # a statement PlanDesk got wrong: still no SQL
            return StoreFailure(path, log=log_exception(f"{context}: {path}", exc))
        return None
    log = log_exception(f"{context}: {path}", exc)
    code = primary_code(error)
    text = str(error)
    if code == SQLITE_FULL:
        return DiskFull(path, log=log)
    if code == SQLITE_IOERR:
        return StorageIOError(path, log=log)
    if code in (SQLITE_CORRUPT, SQLITE_NOTADB):
        return DatabaseCorrupt(path, log=log)
    if code in (SQLITE_BUSY, SQLITE_LOCKED):
        return DatabaseBusy(path, busy_wait_s, writing=writing)
    if code in (SQLITE_READONLY, SQLITE_PERM, SQLITE_CANTOPEN, SQLITE_AUTH):
        return DatabaseNotWritable(path, log=log)
    if code == SQLITE_CONSTRAINT:
        if "audit_log.id" in text:
            return AuditTrailForged(path, log=log)
        return DataRefused(path, log=log)
    missing = _MISSING.search(text)
    if missing is not None:
        return SchemaDamaged(path, missing.group(1), log=log)
    return StoreFailure(path, log=log)
