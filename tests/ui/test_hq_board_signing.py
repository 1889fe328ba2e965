"""HQ's board signs what it writes for the branches (issue 17 item 1): with HQ's key on
this PC it asks HQ's passphrase (the real dialog, typed into) and writes the national
workbook and the benchmark pack signed, so that verify and a branch's import accept
them against a registry holding HQ's public key; a wrong passphrase is said once and a
cancel writes nothing. Without HQ's key it warns before anything is chosen and writes
unsigned only when asked to. Real demo submissions, real keys (scrypt at a low cost
passed explicitly), real files in tmp_path."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication, QLabel, QMessageBox, QPushButton

from desktop.domain.model import PeriodKind
from desktop.services import benchmarks, key_registry, signing_keys
from desktop.services.key_registry import load_registry
from desktop.services.signing_keys import SigningKey
from desktop.services.verify import verify_file
from desktop.ui.hq_board import HqBoard
from desktop.ui.passphrase_dialog import PassphraseDialog
from desktop.workbooks.benchmark_pack import read_benchmark_pack
from tests.helpers.national_files import FAST, HQ_PASS, Hq


class Answering:
    """Answers every dialog of ``kind`` that comes on screen (a modal one blocks the
    call under test until answered) and keeps what each said: so a test sees how many
    there were, and an unexpected one cannot hang it. Looks on every turn of the event
    loop, as tests.ui.helpers.when_shown does, until stopped."""

    def __init__(self, kind: type, answer: Callable[[object], None]) -> None:
        self.kind, self.answer = kind, answer
        self.seen: list[str] = []
        self.on = True
        QTimer.singleShot(0, self._look)

    def _look(self) -> None:
        if not self.on:
            return
        for w in QApplication.topLevelWidgets():
            if isinstance(w, self.kind) and w.isVisible():
                self.seen.append(_words(w))
                self.answer(w)  # hides it: not seen twice
        QTimer.singleShot(0, self._look)

    def stop(self) -> None:
        self.on = False


def _words(w: object) -> str:
    if isinstance(w, QMessageBox):
        return f"{w.windowTitle()}\n{w.text()}\n{w.informativeText()}"
    if isinstance(w, PassphraseDialog):
        return f"{w.windowTitle()}\n{w.findChild(QLabel, 'passphraseAbout').text()}"
    return ""


def typed(passphrase: str | None) -> Callable[[object], None]:
    """Type ``passphrase`` into the dialog and press OK; None: press Cancel."""

    def answer(dialog: object) -> None:
        assert isinstance(dialog, PassphraseDialog)
        if passphrase is None:
            dialog.reject()
            return
        dialog.passphrase.setText(passphrase)
        dialog.accept()

    return answer


def _ok(box: object) -> None:
    """OK on a message; any other box (unexpected here) is closed all the same, so that
    the test fails on what it says rather than hanging."""
    assert isinstance(box, QMessageBox)
    ok = box.button(QMessageBox.StandardButton.Ok)
    if ok is not None:
        ok.click()
    else:
        box.reject()


def _board(qtbot, hq: Hq, out: Path, keys: Path | None, saved: list[str]) -> HqBoard:
    def save_to(suggested: str) -> str:
        saved.append(suggested)
        return str(out / Path(suggested).name)

    out.mkdir(exist_ok=True)
    board = HqBoard("hq", "en", str(hq.share), choose_save=save_to, keys=keys)
    qtbot.addWidget(board)
    board.year.setValue(2024)
    board.period.setCurrentIndex(board.period.findData(PeriodKind.MIDYEAR))
    board.scan()
    assert board.summary.text().startswith("3 valid")
    return board


def _nothing_kept(board: HqBoard) -> None:
    """Neither the passphrase nor the opened key stays on the board."""
    kept = [v for v in vars(board).values() if isinstance(v, SigningKey) or v == HQ_PASS]
    assert kept == []


def test_the_board_signs_both_files_with_hqs_key_and_they_verify(qtbot, demo_db, tmp_path):
    hq = Hq(tmp_path)
    out, saved = tmp_path / "out", []
    board = _board(qtbot, hq, out, hq.keys, saved)
    fingerprint = signing_keys.spoken(hq.public.fingerprint)
    # A branch that imported HQ's public key once: its registry is what verify uses.
    branch_keys = signing_keys.keys_dir(demo_db.path)
    key_registry.import_key(branch_keys, hq.public_file)
    registry = load_registry(branch_keys)

    asked = Answering(PassphraseDialog, typed(HQ_PASS))
    said = Answering(QMessageBox, _ok)
    national = board.write_national()
    assert national is not None and national.parent == out
    assert len(asked.seen) == 1 and "national workbook" in asked.seen[0]
    assert "Sign with HQ's key" in asked.seen[0] and fingerprint in asked.seen[0]
    verdict = verify_file(national, registry)
    assert verdict.ok, verdict.problems("en")
    assert verdict.national is not None and verdict.national.seal is not None
    assert verdict.national.seal.signing_key == hq.public.fingerprint
    assert fingerprint in board.written.text() and national.name in board.written.text()
    _nothing_kept(board)

    pack = board.write_pack()
    asked.stop()
    said.stop()
    assert pack is not None and len(asked.seen) == 2 and "benchmark pack" in asked.seen[1]
    assert said.seen == []  # no warning of any kind
    assert read_benchmark_pack(pack).signing_key == hq.public.fingerprint
    # The branch's own import: HQ's signature holds, so no warning.
    done = benchmarks.import_benchmark_pack(demo_db, pack, branch="13", actor="planner")
    assert done.warnings == ()
    assert [Path(s).name for s in saved] == [national.name, pack.name]
    _nothing_kept(board)


def test_a_wrong_passphrase_is_said_once_and_nothing_is_written(qtbot, tmp_path):
    hq = Hq(tmp_path)
    out = tmp_path / "out"
    board = _board(qtbot, hq, out, hq.keys, [])
    asked = Answering(PassphraseDialog, typed("not-hqs-passphrase"))
    said = Answering(QMessageBox, _ok)
    assert board.write_national() is None
    assert board.write_pack() is None
    asked.stop()
    said.stop()
    assert len(asked.seen) == 2
    assert len(said.seen) == 2  # once per attempt, and nothing else
    assert all("Wrong passphrase" in s and "Nothing was written" in s for s in said.seen)
    assert list(out.iterdir()) == []  # not the file, not a temporary one
    assert board.written.text() == ""
    _nothing_kept(board)


def test_cancelling_the_passphrase_writes_nothing(qtbot, tmp_path):
    hq = Hq(tmp_path)
    out = tmp_path / "out"
    board = _board(qtbot, hq, out, hq.keys, [])
    asked = Answering(PassphraseDialog, typed(None))
    said = Answering(QMessageBox, _ok)
    assert board.write_national() is None
    assert board.write_pack() is None
    asked.stop()
    said.stop()
    assert len(asked.seen) == 2 and said.seen == []
    assert list(out.iterdir()) == []


def _press(name: str) -> Callable[[object], None]:
    def answer(box: object) -> None:
        assert isinstance(box, QMessageBox)
        if name == "cancel":
            box.button(QMessageBox.StandardButton.Cancel).click()
        else:
            box.findChild(QPushButton, "writeUnsigned").click()

    return answer


def test_without_hqs_key_the_board_warns_and_writes_unsigned_only_when_asked(qtbot, tmp_path):
    hq = Hq(tmp_path)
    keys = tmp_path / "this-pc" / "keys"  # this PC: no signing key at all
    out, saved = tmp_path / "out", []
    board = _board(qtbot, hq, out, keys, saved)
    asked = Answering(PassphraseDialog, typed(HQ_PASS))

    warned = Answering(QMessageBox, _press("cancel"))
    assert board.write_national() is None and board.write_pack() is None
    warned.stop()
    assert saved == [] and list(out.iterdir()) == []  # warned before a file is chosen
    assert len(warned.seen) == 2
    national_warning, pack_warning = warned.seen
    for text in warned.seen:
        assert "no signing key for HQ" in text and "written unsigned" in text
        assert "plandesk keys create --branch 00" in text
    assert "verify calls an unsigned national workbook invalid" in national_warning
    assert "Branches that import an unsigned benchmark pack are warned" in pack_warning

    warned = Answering(QMessageBox, _press("write"))
    national = board.write_national()
    pack = board.write_pack()
    warned.stop()
    asked.stop()
    assert len(warned.seen) == 2 and asked.seen == []  # no key: no passphrase asked
    assert national is not None and pack is not None
    assert "unsigned" in board.written.text()
    registry = load_registry(hq.keys)
    verdict = verify_file(national, registry)
    assert not verdict.ok and verdict.national is not None
    assert read_benchmark_pack(pack).signing_key in (None, "")


def test_a_branch_key_on_this_pc_is_not_hqs_the_board_says_so(qtbot, tmp_path):
    hq = Hq(tmp_path)
    keys = tmp_path / "branch-pc" / "keys"
    signing_keys.create_key(keys, "13", "branch-passphrase", cost=FAST)
    out = tmp_path / "out"
    board = _board(qtbot, hq, out, keys, [])
    asked = Answering(PassphraseDialog, typed("branch-passphrase"))
    warned = Answering(QMessageBox, _press("cancel"))
    assert board.write_national() is None
    warned.stop()
    asked.stop()
    assert asked.seen == [] and len(warned.seen) == 1
    assert "branch 13's, not HQ's" in warned.seen[0]
    assert list(out.iterdir()) == []


def test_hqs_explanation_is_shown_whole_in_the_passphrase_dialog(qtbot, tmp_path):
    """HQ's explanation is longer than a branch's: the dialog is tall enough for it as
    wrapped (in the screenshots' font it was cut off at the size hint's height)."""
    hq = Hq(tmp_path)
    board = HqBoard("hq", "en", str(hq.share), keys=hq.keys)
    qtbot.addWidget(board)
    app = QApplication.instance()
    before = app.font()
    app.setFont(QFont("Noto Sans CJK JP", 10))  # tools/render_screenshots.py's
    try:
        for national in (True, False):
            dialog = board.passphrase_dialog(national, hq.public)
            qtbot.addWidget(dialog)
            dialog.show()
            qtbot.waitExposed(dialog)
            about = dialog.findChild(QLabel, "passphraseAbout")
            assert about.height() >= about.heightForWidth(about.width())
            assert dialog.passphrase.isVisible() and not dialog.again.isVisible()
            dialog.reject()
    finally:
        app.setFont(before)


def test_file_headquarters_signs_with_the_key_beside_the_database(qtbot, window, tmp_path):
    """File ▸ Headquarters opens the board on this PC's keys folder (next to the
    database): HQ's key made there with the CLI's service signs the national workbook."""
    hq = Hq(tmp_path)  # the branches' submissions and a registry-to-be for HQ's key
    keys = signing_keys.keys_dir(window.controller.db.path)
    signing_keys.create_key(keys, "00", "this-pcs-hq-passphrase", cost=FAST)
    board = window.show_hq_board()
    qtbot.addWidget(board)
    out = tmp_path / "out"
    out.mkdir()
    board.choose_save = lambda suggested: str(out / Path(suggested).name)
    board.folder.setText(str(hq.share))
    board.year.setValue(2024)
    board.period.setCurrentIndex(board.period.findData(PeriodKind.MIDYEAR))
    board.scan()
    asked = Answering(PassphraseDialog, typed("this-pcs-hq-passphrase"))
    said = Answering(QMessageBox, _ok)
    national = board.write_national()
    asked.stop()
    said.stop()
    assert national is not None and len(asked.seen) == 1 and said.seen == []
    here = signing_keys.own_public_key(keys)
    verdict = verify_file(national, load_registry(keys))
    assert verdict.ok and verdict.national.seal.signing_key == here.fingerprint
