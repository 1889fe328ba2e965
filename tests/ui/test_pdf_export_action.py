"""File ▸ Export PDF… on the demo: the file dialog answered, the PDF written."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.helpers.poppler import needs_poppler

pytestmark = needs_poppler


def test_export_pdf_from_the_file_menu_writes_the_open_report(qtbot, window, tmp_path: Path):
    window.settings.exchange_folder = str(tmp_path)
    offered: list[str] = []

    def answer(suggested: str) -> str:
        offered.append(suggested)
        return str(tmp_path / "報告")  # typed without the extension

    window.pdf_export.ask_path = answer
    file_menu = window.menuBar().actions()[0].menu()
    assert window.pdf_export.action in file_menu.actions()
    window.pdf_export.action.trigger()
    target = tmp_path / "報告.pdf"
    qtbot.waitUntil(lambda: target.is_file(), timeout=60000)
    assert offered == [str(tmp_path / "2024_13_東京支部_上期進捗_作業ファイル_v01.pdf")]
    assert str(target) in window.statusBar().currentMessage()
    text = subprocess.run(
        ["pdftotext", str(target), "-"], capture_output=True, check=True, timeout=60
    ).stdout.decode("utf-8")
    assert "東京支部" in text and "事業計画" in text


def test_a_refused_pdf_is_said_and_nothing_written(qtbot, window, tmp_path: Path, monkeypatch):
    warnings: list[str] = []
    monkeypatch.setattr(
        "desktop.ui.pdf_export.QMessageBox.warning",
        lambda _parent, _title, text: warnings.append(text),
    )
    window.pdf_export.ask_path = lambda _suggested: str(tmp_path / "none" / "r.pdf")
    assert window.pdf_export.run() is None
    assert warnings and "none" in warnings[0]
    assert not (tmp_path / "none").exists()
