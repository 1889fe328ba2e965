"""The app's start as the frozen smoke test uses it (desktop.app.run with a smoke
report): the real main window on the database, shown and painted; and a missing
translation is a failure that is reported, not a silent fall-back to English."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import QSettings

from desktop import app as desktop_app
from desktop.error_log import log_path
from desktop.store.database import backup_database
from desktop.ui import i18n
from desktop.ui.i18n import install_translators, missing_translations
from desktop.ui.settings import Settings


@pytest.fixture
def start(qapp, tmp_path, monkeypatch):
    """run() with its settings in a file of the test (never the person's own)."""
    settings = Settings(QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    monkeypatch.setattr(desktop_app, "Settings", lambda: settings)
    yield desktop_app.run
    install_translators(qapp, "en")  # other tests expect no translator installed


@pytest.fixture
def demo_path(_demo_template, tmp_path):
    path = tmp_path / "demo.sqlite3"
    backup_database(_demo_template, path)
    return path


def test_the_japanese_translations_load(qapp):
    try:
        assert install_translators(qapp, "ja"), missing_translations()
        assert missing_translations() == ()
        assert qapp.translate("QPlatformTheme", "Cancel") == "キャンセル"  # Qt's qtbase_ja
    finally:
        install_translators(qapp, "en")


def test_a_missing_translation_is_named(qapp, tmp_path, monkeypatch):
    monkeypatch.setattr(i18n, "resource_path", lambda *parts: tmp_path.joinpath(*parts))
    try:
        assert not install_translators(qapp, "ja")
        assert missing_translations() == (str(tmp_path / "i18n" / "plandesk_ja.qm"),)
    finally:
        install_translators(qapp, "en")


def test_smoke_start_shows_and_paints_the_main_window(start, demo_path, tmp_path):
    report = tmp_path / "smoke.json"
    assert start(db=str(demo_path), lang="ja", smoke_report=report) == 0
    facts = json.loads(report.read_text(encoding="utf-8"))
    assert facts["visible"] and facts["painted_at"]
    assert "令和６年度東京支部事業計画" in facts["title"]
    assert facts["menus"][0] == "ファイル(&F)"
    assert facts["qt_cancel"] == "キャンセル"
    assert facts["icon_sizes"] == [16, 24, 32, 48, 64, 128, 256]


def test_a_missing_translation_fails_the_smoke_start_and_is_logged(
    start, demo_path, tmp_path, monkeypatch
):
    monkeypatch.setattr(i18n, "resource_path", lambda *parts: tmp_path.joinpath("gone", *parts))
    report = tmp_path / "smoke.json"
    assert start(db=str(demo_path), lang="ja", smoke_report=report) == 1
    facts = json.loads(report.read_text(encoding="utf-8"))
    assert facts["painted_at"] and not facts["translations_loaded"]
    assert facts["menus"][0] == "&File"  # what a person would have seen: English
    assert "plandesk_ja.qm" in log_path().read_text(encoding="utf-8")


def test_smoke_start_on_a_database_without_plans_fails_without_a_dialog(start, tmp_path):
    report = tmp_path / "smoke.json"
    assert start(db=str(tmp_path / "empty.sqlite3"), lang="ja", smoke_report=report) == 1
    assert "no branch plan" in json.loads(report.read_text(encoding="utf-8"))["error"]
