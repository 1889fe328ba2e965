"""A branch picks HQ's national workbook where a workbook or the national averages and
ranks belong (both come from HQ with 全国 in the name): the window says what the file
is and verify's verdict on it, not that it has parts a PlanDesk workbook lacks."""

from __future__ import annotations

from pathlib import Path

import pytest

from desktop.services import key_registry, signing_keys
from tests.helpers.national_files import Hq


@pytest.fixture(scope="module")
def signed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Hq, Path]:
    hq = Hq(tmp_path_factory.mktemp("national-ui"))
    return hq, hq.write("2024_全国集計_上期.xlsx", hq.key)


def test_a_national_workbook_picked_to_import_is_named_with_its_verdict(
    qtbot, window, signed: tuple[Hq, Path], monkeypatch: pytest.MonkeyPatch
):
    hq, path = signed
    key_registry.import_key(signing_keys.keys_dir(window.controller.db.path), hq.public_file)
    warnings: list[str] = []
    monkeypatch.setattr(
        "desktop.ui.main_window.QMessageBox.warning",
        lambda _parent, _title, text: warnings.append(text),
    )
    window.ask_open_file = lambda _title: str(path)
    assert window.import_workbook() is None
    window.import_benchmarks()
    assert len(warnings) == 2, warnings
    fingerprint = signing_keys.spoken(hq.public.fingerprint)
    for text in warnings:
        assert "本部の全国集計のファイルです" in text and fingerprint in text
        assert "PlanDesk のブックにない部品" not in text
    assert "全国平均・順位」のファイル" in warnings[1]
