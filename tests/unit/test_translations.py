"""The Japanese translation is complete, and the shipped .qm matches the .ts."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

from PySide6.QtCore import QTranslator

ROOT = Path(__file__).resolve().parents[2]
TS = ROOT / "i18n" / "plandesk_ja.ts"
QM = ROOT / "desktop" / "resources" / "i18n" / "plandesk_ja.qm"
TOOLS = Path(sys.executable).parent


def _messages(text: str) -> list[tuple[str, str, str]]:
    return re.findall(
        r"<source>(.*?)</source>\s*(?:<comment>.*?</comment>\s*)?<translation([^>]*)>(.*?)</translation>",
        text,
        re.S,
    )


def test_every_source_string_is_in_the_ts(tmp_path):
    copy = tmp_path / "check.ts"
    shutil.copy(TS, copy)
    sources = [str(p) for p in sorted((ROOT / "desktop" / "ui").glob("*.py"))] + [
        str(ROOT / "desktop" / "app.py")
    ]
    subprocess.run(
        [str(TOOLS / "pyside6-lupdate"), *sources, "-ts", str(copy), "-no-obsolete"],
        check=True,
        capture_output=True,
    )
    assert {m[0] for m in _messages(copy.read_text(encoding="utf-8"))} == {
        m[0] for m in _messages(TS.read_text(encoding="utf-8"))
    }


def test_every_message_is_translated_with_its_placeholders():
    messages = _messages(TS.read_text(encoding="utf-8"))
    assert len(messages) > 50
    for source, attributes, translation in messages:
        assert translation.strip(), source
        assert "unfinished" not in attributes, source
        assert sorted(re.findall(r"\{\w+\}", source)) == sorted(
            re.findall(r"\{\w+\}", translation)
        ), source


def test_shipped_qm_is_current(tmp_path):
    fresh = tmp_path / "fresh.qm"
    subprocess.run(
        [str(TOOLS / "pyside6-lrelease"), str(TS), "-qm", str(fresh)],
        check=True,
        capture_output=True,
    )
    assert fresh.read_bytes() == QM.read_bytes()


def test_translator_loads_and_translates():
    translator = QTranslator()
    assert translator.load(str(QM))
    assert translator.translate("SectionForm", "&What was done (実施状況)") == "実施状況(&W)"
    assert translator.translate("KpiTableModel", "No. {rank}") == "全国{rank}位"
