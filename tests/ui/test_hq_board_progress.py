"""The HQ board's scan shows which file it checks and can be cancelled."""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtWidgets import QProgressDialog, QPushButton

from desktop.domain.model import PeriodKind
from desktop.services import consolidation
from desktop.services.demo_submissions import write_demo_submissions
from desktop.ui import tasks
from desktop.ui.hq_board import HqBoard


def _board(qtbot, share: Path) -> HqBoard:
    board = HqBoard("hq", "en", str(share))
    qtbot.addWidget(board)
    board.year.setValue(2024)
    board.period.setCurrentIndex(board.period.findData(PeriodKind.MIDYEAR))
    return board


def test_the_scan_names_each_file_in_its_progress_dialog(qtbot, tmp_path: Path, monkeypatch):
    share = tmp_path / "share"
    paths = write_demo_submissions(share, branches=["01", "13"])
    labels: list[str] = []

    class Recording(QProgressDialog):
        def setLabelText(self, text: str) -> None:
            labels.append(text)
            super().setLabelText(text)

    monkeypatch.setattr(tasks, "QProgressDialog", Recording)
    board = _board(qtbot, share)
    board.scan()
    assert board.summary.text().startswith("2 valid")
    assert [label.splitlines()[-1] for label in labels] == [p.name for p in paths]


def test_cancelling_the_scan_stops_it_and_says_so(qtbot, tmp_path: Path, monkeypatch):
    share = tmp_path / "share"
    write_demo_submissions(share, branches=["01", "13", "27"])
    gate = threading.Event()
    read: list[str] = []
    read_file = consolidation.read_file

    def held(path: Path, registry=None):
        gate.wait(30)  # the first file waits until the person has pressed Cancel
        read.append(path.name)
        return read_file(path, registry)

    class PressingCancel(QProgressDialog):
        """The person presses Cancel as soon as the first file's name shows."""

        def setLabelText(self, text: str) -> None:
            super().setLabelText(text)
            if not gate.is_set():
                self.findChild(QPushButton).click()
                gate.set()

    monkeypatch.setattr(consolidation, "read_file", held)
    monkeypatch.setattr(tasks, "QProgressDialog", PressingCancel)
    board = _board(qtbot, share)
    board.scan()
    assert read == [sorted(p.name for p in share.iterdir())[0]]
    assert board.summary.text() == "Checking the submissions was cancelled."
    assert board.result_ is None
