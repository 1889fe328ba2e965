"""Every persisted setting, declared once with its type and default."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QByteArray, QSettings

ORGANIZATION = "PlanDesk"
APPLICATION = "PlanDesk"
# Layouts people adjust and expect back after a restart: column widths (header
# states) and splitter positions, by the widget that has them.
LAYOUTS = (
    "dashboard/table",  # the KPI table's column widths and sort column
    "dashboard/split",  # table | charts
    "dashboard/split_table",  # table above the status chart and mark counts
)


class Settings:
    """Typed access to QSettings. Keys live here and nowhere else."""

    def __init__(self, settings: QSettings | None = None) -> None:
        self._s = settings or QSettings(ORGANIZATION, APPLICATION)

    def _get(self, key: str, default: Any, kind: type) -> Any:
        value = self._s.value(key, default)
        try:
            return kind(value) if value is not None else default
        except (TypeError, ValueError):
            return default

    @property
    def language(self) -> str:
        value = self._get("ui/language", "ja", str)
        return value if value in ("ja", "en") else "ja"

    @language.setter
    def language(self, value: str) -> None:
        self._s.setValue("ui/language", value)

    @property
    def last_database(self) -> str:
        return self._get("files/last_database", "", str)

    @last_database.setter
    def last_database(self, value: str) -> None:
        self._s.setValue("files/last_database", value)

    @property
    def geometry(self) -> QByteArray | None:
        value = self._s.value("window/geometry")
        return value if isinstance(value, QByteArray) else None

    @geometry.setter
    def geometry(self, value: QByteArray) -> None:
        self._s.setValue("window/geometry", value)

    @property
    def splitter(self) -> QByteArray | None:
        value = self._s.value("window/splitter")
        return value if isinstance(value, QByteArray) else None

    @splitter.setter
    def splitter(self, value: QByteArray) -> None:
        self._s.setValue("window/splitter", value)

    def layout(self, name: str) -> QByteArray | None:
        """A saved header or splitter state (``name`` is one of LAYOUTS)."""
        if name not in LAYOUTS:
            raise KeyError(name)
        value = self._s.value(f"layout/{name}")
        return value if isinstance(value, QByteArray) else None

    def set_layout(self, name: str, value: QByteArray) -> None:
        if name not in LAYOUTS:
            raise KeyError(name)
        self._s.setValue(f"layout/{name}", value)

    def last_report(self, user: str) -> str:
        """'branch/year/period' of the report last open for this user."""
        return self._get(f"users/{user}/last_report", "", str)

    def set_last_report(self, user: str, value: str) -> None:
        self._s.setValue(f"users/{user}/last_report", value)

    def last_section(self, user: str, report_key: str) -> str:
        return self._get(f"users/{user}/last_section/{report_key.replace('/', '_')}", "", str)

    def set_last_section(self, user: str, report_key: str, node_key: str) -> None:
        self._s.setValue(f"users/{user}/last_section/{report_key.replace('/', '_')}", node_key)

    @property
    def exchange_folder(self) -> str:
        """Where workbooks were last written or read (the shared drive, usually)."""
        return str(self._get("exchange/folder", "", str))

    @exchange_folder.setter
    def exchange_folder(self, value: str) -> None:
        self._s.setValue("exchange/folder", value)

    def sync(self) -> None:
        self._s.sync()
