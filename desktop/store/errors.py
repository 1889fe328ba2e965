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
