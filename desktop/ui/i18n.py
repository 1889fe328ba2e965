"""Translations: the app's own (.qm built from i18n/*.ts) and Qt's standard
dialogs (qtbase_ja). English is the source language; Japanese is the default."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QLibraryInfo, QLocale, QTranslator

from desktop.paths import resource_path

_installed: list[QTranslator] = []


def install_translators(app: QCoreApplication, lang: str) -> bool:
    """Install the translators for ``lang``; True when the app's own loaded."""
    for t in _installed:
        app.removeTranslator(t)
    _installed.clear()
    QLocale.setDefault(
        QLocale(QLocale.Language.Japanese if lang == "ja" else QLocale.Language.English)
    )
    if lang == "en":
        return True
    ok = False
    own = QTranslator(app)
    if own.load(str(resource_path("i18n", f"plandesk_{lang}.qm"))):
        app.installTranslator(own)
        _installed.append(own)
        ok = True
    qt = QTranslator(app)
    if qt.load(f"qtbase_{lang}", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)
        _installed.append(qt)
    return ok
