"""Translations: the app's own (.qm built from i18n/*.ts, shipped in
desktop/resources/i18n) and Qt's standard dialogs (qtbase_ja, shipped with Qt).
English is the source language; Japanese is the default.

``QTranslator.load()`` returns False on a missing file and Qt then falls back to
English without a word: every load is checked, what did not load is kept for
the caller to report (the app logs it; tests and the frozen smoke test fail)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop.paths import resource_path

_installed: list[QTranslator] = []
_missing: list[str] = []


def app_translation(lang: str) -> Path:
    return resource_path("i18n", f"plandesk_{lang}.qm")


def qt_translations_dir() -> Path:
    return Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))


def install_translators(app: QCoreApplication, lang: str) -> bool:
    """Install the translators for ``lang``: True when the app's own and Qt's
    (qtbase) both loaded; what did not is named by ``missing_translations()``."""
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    _missing.clear()
    QLocale.setDefault(
        QLocale(QLocale.Language.Japanese if lang == "ja" else QLocale.Language.English)
    )
    if lang == "en":
        return True
    own = QTranslator(app)
    if own.load(str(app_translation(lang))):
        app.installTranslator(own)
        _installed.append(own)
    else:
        _missing.append(str(app_translation(lang)))
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", str(qt_translations_dir())):
        app.installTranslator(qt)
        _installed.append(qt)
    else:
        _missing.append(str(qt_translations_dir() / f"qtbase_{lang}.qm"))
    return not _missing


def missing_translations() -> tuple[str, ...]:
    """The files the last ``install_translators`` call could not load."""
    return tuple(_missing)
