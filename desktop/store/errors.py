"""Why a database could not be opened, in words a user can act on."""

from __future__ import annotations

from pathlib import Path

from desktop.domain.errors import UserError


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


class DatabaseCorrupt(StoreError):
    def __init__(self, path: Path, detail: str) -> None:
        super().__init__(
            f"データベースが破損しています: {path}\n詳細: {detail}",
            f"The database is damaged: {path}\nDetail: {detail}",
        )


class DatabasePathUnusable(UserError):
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
