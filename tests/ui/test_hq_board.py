"""The HQ board through pytest-qt on a real folder of demo submissions."""

from __future__ import annotations

import html
from pathlib import Path

import openpyxl
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QMessageBox, QPushButton

from desktop.domain.model import PeriodKind
from desktop.services.demo_submissions import write_demo_submissions
from desktop.ui.hq_board import HqBoard
from tests.ui.helpers import when_shown


def test_board_shows_valid_invalid_and_missing_and_writes_the_books(qtbot, tmp_path: Path):
    share = tmp_path / "share"
    paths = write_demo_submissions(share, branches=["01", "13", "27", "40"])
    wb = openpyxl.load_workbook(paths[2])  # 大阪: a figure changed by hand
    wb["_measurements"]["B2"].value = "1.0"
    wb.save(paths[2])
    saved: list[str] = []

    def save_to(suggested: str) -> str:
        target = str(tmp_path / Path(suggested).name)
        saved.append(target)
        return target

    board = HqBoard("hq", "en", str(share), choose_save=save_to)
    qtbot.addWidget(board)
    board.year.setValue(2024)
    board.period.setCurrentIndex(board.period.findData(PeriodKind.MIDYEAR))
    board.scan()
    assert board.summary.text().startswith("3 valid · 0 not signed off · 1 invalid · 43 missing")
    assert "✔" in board.tiles["13"].text() and "✖" in board.tiles["27"].text()
    assert "－" in board.tiles["02"].text()
    assert "figure of KPI" in board.tiles["27"].toolTip()  # the KPI and field, in words
    assert board.files.rowCount() == 4

    # No signing key on this PC: each file is written unsigned once HQ says so.
    def write_unsigned(box: QMessageBox) -> None:
        box.findChild(QPushButton, "writeUnsigned").click()

    when_shown(QMessageBox, write_unsigned)
    national = board.write_national()
    when_shown(QMessageBox, write_unsigned)
    pack = board.write_pack()
    assert national is not None and national.exists() and pack is not None and pack.exists()
    assert [Path(p).name for p in saved] == [national.name, pack.name]
    names = openpyxl.load_workbook(national, read_only=True).sheetnames
    assert "提出状況" in names


def test_nothing_valid_nothing_to_write(qtbot, tmp_path: Path):
    board = HqBoard("hq", "en", str(tmp_path))
    qtbot.addWidget(board)
    board.scan()
    assert "47 missing" in board.summary.text()
    assert not board.national_button.isEnabled() and not board.pack_button.isEnabled()


def test_the_benchmark_pack_shows_tokyos_rank_in_its_dashboard(qtbot, window, tmp_path: Path):
    from desktop.services import benchmarks, consolidation
    from desktop.ui.dashboard_model import COL

    share = tmp_path / "share"
    write_demo_submissions(share, branches=["01", "13", "27", "40", "47"])
    result = consolidation.consolidate_folder(share, fiscal_year=2024, period=PeriodKind.MIDYEAR)
    pack = benchmarks.write_pack(result, tmp_path / "pack.xlsx", actor="hq")
    model = window.dashboard.model
    ranks_before = [model.index(r, COL["rank"]).data() for r in range(model.rowCount())]
    assert not any(ranks_before)
    window.ask_open_file = lambda _title: str(pack)
    window.import_benchmarks()
    window.tabs.setCurrentWidget(window.dashboard)
    model = window.dashboard.model
    ranks = [model.index(r, COL["rank"]).data() for r in range(model.rowCount())]
    expected = {
        k: v.ranks["13"] for k, v in result.figures.kpis.items() if v.ranks.get("13") is not None
    }
    # Untranslated in tests ("No. 3"); 「3位」 in the Japanese app.
    assert expected and sorted(r for r in ranks if r) == sorted(
        f"No. {rank}" for rank in expected.values()
    )


def test_board_opens_on_the_folders_year_and_names_other_years_files(qtbot, tmp_path: Path):
    share = tmp_path / "share"
    paths = write_demo_submissions(share, fiscal_year=2024, branches=["01", "13", "27"])
    write_demo_submissions(share, fiscal_year=2023, branches=["01", "02"])
    wb = openpyxl.load_workbook(paths[2])  # 大阪: a figure changed by hand
    wb["_measurements"]["B2"].value = "1.0"
    wb.save(paths[2])

    board = HqBoard("hq", "ja", str(share))
    qtbot.addWidget(board)
    assert board.year.value() != 2024  # this calendar's year until the folder is read
    board.show()
    qtbot.waitUntil(lambda: board.year.value() == 2024, timeout=10_000)
    assert PeriodKind(board.period.currentData()) is PeriodKind.MIDYEAR
    assert "令和6年度・上期 3件、令和5年度・上期 2件" in board.folder_note.text()
    board.scan()
    assert board.year.value() == 2024  # not re-read: still the folder's year
    assert board.summary.text().startswith("2 valid · 0 not signed off · 1 invalid · 44 missing")
    assert "2 file(s) for another year or period" in board.summary.text()
    assert "－" in board.tiles["02"].text()  # last year's file only: missing, not invalid
    rows = {board.files.item(r, 0).text(): r for r in range(board.files.rowCount())}
    other = rows["2023_02_青森支部_上期進捗_提出版_v01.xlsx"]
    assert board.files.item(other, 2).text() == "令和5年度・上期のファイル"
    assert board.files.item(other, 2).foreground().color() != QColor(Qt.GlobalColor.darkRed)

    # The tampered file's reason, in full: tooltip and details (selectable text).
    bad = next(f for f in board.result_.board.files if f.path == paths[2])
    row = rows[paths[2].name]
    assert bad.reason_ja
    assert html.unescape(board.files.item(row, 3).toolTip()) == f"<qt>{bad.reason_ja}</qt>"
    board.files.setCurrentCell(row, 0)
    details = board.details.toPlainText()
    assert bad.reason_ja in details
    assert board.details.textInteractionFlags() & Qt.TextInteractionFlag.TextSelectableByMouse
    board.files.setCurrentCell(other, 0)
    assert "令和5年度・上期" in board.details.toPlainText()

    # Still the person's choice: 2023 shows last year's files as valid.
    board.year.setValue(2023)
    board.scan()
    assert board.year.value() == 2023
    assert board.summary.text().startswith("2 valid · 0 not signed off · 1 invalid · 44 missing")
    assert "✔" in board.tiles["02"].text()
