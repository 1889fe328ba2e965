"""Keyboard access: every mnemonic (Alt+letter) is unique where it is active.

Issue 12, B18: Alt+S opened the 項目(S) tab and never the 設定(S) menu, and Alt+R
was both 確認・承認(R) and 差戻し(R). This test opens every top-level window and
dialog of the app — found by walking ``desktop.ui`` for QDialog/QMainWindow
subclasses, so a new dialog is checked without anyone remembering to add it —
on the demo database, in English and in Japanese (where the .ts gives the
"(&S)"-style mnemonics), and compares the & letters of menu titles, menu items
(per menu), tabs, buttons, group boxes and labels with a buddy.

Two widgets only clash when they can be on screen together: a widget on one
page of a tab or stacked widget never clashes with one on another page of it.
"""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import (
    QAbstractButton,
    QApplication,
    QDialog,
    QGroupBox,
    QLabel,
    QMainWindow,
    QMenu,
    QMenuBar,
    QStackedWidget,
    QTabBar,
    QWidget,
)

import desktop.ui
from desktop.domain.model import PeriodKind
from desktop.domain.review import Role
from desktop.services import exchange, review
from desktop.services.changes import UserChanged
from desktop.ui.controller import ReportController
from desktop.ui.i18n import install_translators
from desktop.ui.plan_tabs import LazyTab
from tests.ui.helpers import choose

LANGUAGES = ("en", "ja")


def window_classes() -> list[type]:
    """Every QDialog / QMainWindow subclass defined in desktop.ui."""
    found = []
    for info in pkgutil.iter_modules(desktop.ui.__path__):
        module = importlib.import_module(f"desktop.ui.{info.name}")
        for _name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__ and issubclass(cls, QDialog | QMainWindow):
                found.append(cls)
    return sorted(found, key=lambda c: c.__qualname__)


def mnemonic(text: str) -> str | None:
    """The letter after a single '&' ('&&' is a literal ampersand)."""
    match = re.search(r"&(\w)", text.replace("&&", ""))
    return match.group(1).upper() if match else None


def _pages(widget: QWidget, top: QWidget) -> dict[int, int]:
    """{stacked widget: page index} for every tab/stack page the widget sits on."""
    pages: dict[int, int] = {}
    child, parent = widget, widget.parentWidget()
    while parent is not None and child is not top:
        if isinstance(parent, QStackedWidget):
            pages[id(parent)] = parent.indexOf(child)
        child, parent = parent, parent.parentWidget()
    return pages


def _owners(top: QWidget) -> Iterator[tuple[str, str, dict[int, int]]]:
    """(letter, what, pages) of every mnemonic active in the window ``top``."""
    for widget in top.findChildren(QWidget):
        if widget.window() is not top:
            continue  # a menu popup or another window: checked on its own
        texts: list[str] = []
        if isinstance(widget, QAbstractButton) or (
            isinstance(widget, QLabel) and widget.buddy() is not None
        ):
            texts = [widget.text()]
        elif isinstance(widget, QGroupBox):
            texts = [widget.title()]
        elif isinstance(widget, QTabBar):
            texts = [widget.tabText(i) for i in range(widget.count())]
        elif isinstance(widget, QMenuBar):
            texts = [a.text() for a in widget.actions() if a.isVisible()]
        for text in texts:
            letter = mnemonic(text)
            if letter:
                yield letter, f"{type(widget).__name__} '{text}'", _pages(widget, top)


def clashes(top: QWidget) -> list[str]:
    """Mnemonics used twice where both can be active at once, in the window and
    in each of its menus."""
    found = []
    owners = list(_owners(top))
    for i, (letter, what, pages) in enumerate(owners):
        for other_letter, other, other_pages in owners[i + 1 :]:
            together = all(pages[k] == other_pages[k] for k in pages.keys() & other_pages.keys())
            if letter == other_letter and together:
                found.append(f"Alt+{letter}: {what} and {other}")
    for menu in top.findChildren(QMenu):
        letters: dict[str, str] = {}
        for action in menu.actions():
            letter = mnemonic(action.text()) if action.isVisible() else None
            if letter and letter in letters:
                found.append(
                    f"menu '{menu.title()}' {letter}: {letters[letter]} and {action.text()}"
                )
            elif letter:
                letters[letter] = action.text()
    return found


@pytest.fixture
def language():
    """Installs a language for one test and puts English (no translator) back."""
    app = QApplication.instance()
    locale = QLocale()

    def use(lang: str) -> None:
        assert install_translators(app, lang)

    yield use
    install_translators(app, "en")
    QLocale.setDefault(locale)


@pytest.fixture
def context(demo_db, settings, tmp_path: Path) -> dict[str, object]:
    """A value for every constructor parameter the app's windows take, by name."""
    admin = (
        review.add_user(
            demo_db, login="tester", display_name="試験 太郎", role=Role.ADMIN, password="pw"
        )
        .one(UserChanged)
        .user
    )
    from desktop.services.editing import ReportRef
    from desktop.services.workspace import load_report

    ref = ReportRef("13", 2024, PeriodKind.MIDYEAR)
    snap = load_report(demo_db, ref)
    share = tmp_path / "share"
    share.mkdir()
    work = exchange.export_workbook(
        demo_db, branch="13", fiscal_year=2024, kind=exchange.Kind.WORK, out=share,
        actor="tester", period=PeriodKind.MIDYEAR,
        sections=[n.key for n in snap.plan.nodes if snap.plan.is_reportable(n.key)][:3],
    ).path  # fmt: skip
    settings.set_last_report("tester", "13/2024/midyear")
    return {
        "db": demo_db,
        "actor": "tester",
        "current": "tester",
        "settings": settings,
        "plan": snap.plan,
        "ref": ref,
        "report_key": ref.key,
        "branch": "13",
        "folder": str(share),
        "signed_off": False,
        "user": admin,
        "admins": [admin],
        "preferred": "tester",
        "preview": exchange.preview_import(demo_db, work),
        "kpi": snap.plan.kpis[0],
        "node": snap.plan.nodes[-1],  # Move to…: a node and the places it may go
        "places": [n for n in snap.plan.nodes if n.parent_key is None],
        "measurement": None,
        "create": True,  # the passphrase dialog setting a new key's passphrase (both fields)
    }


def build(cls: type, context: dict[str, object], lang: str) -> QWidget:
    """The window, constructed with the context's value for each parameter it needs."""
    kwargs: dict[str, object] = {"lang": lang}
    for name, parameter in list(inspect.signature(cls.__init__).parameters.items())[1:]:
        if parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        if name == "controller":  # the window's door to the database, in the test's language
            kwargs[name] = ReportController(context["db"], "tester", lang)  # type: ignore[arg-type]
        elif name in context:
            kwargs[name] = context[name]
        elif name != "lang" and parameter.default is parameter.empty:
            pytest.fail(f"{cls.__qualname__}: no test value for '{name}'; add it to context()")
    kwargs = {k: v for k, v in kwargs.items() if k in inspect.signature(cls.__init__).parameters}
    return cls(**kwargs)


def test_the_app_has_windows_to_check():
    names = {cls.__qualname__ for cls in window_classes()}
    assert {"MainWindow", "ExportDialog", "HqBoard", "UsersDialog", "StartDialog"} <= names


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("cls", window_classes(), ids=lambda c: c.__qualname__)
def test_mnemonics_are_unique(cls, lang, context, language, qtbot):
    language(lang)
    top = build(cls, context, lang)
    qtbot.addWidget(top)
    for tab in ("dashboard", "review"):  # the main window builds these when first shown
        getattr(top, tab, None)
    for lazy in top.findChildren(LazyTab):  # the planning window's tabs, built when shown
        lazy.ensure_built()
    assert clashes(top) == []
    if isinstance(top, QMainWindow) and hasattr(top, "period_combo"):
        # The annual report relabels the mark (自己評価): check that layout too.
        choose(top.period_combo, PeriodKind.ANNUAL.value)
        assert clashes(top) == []


def test_the_japanese_ui_keeps_the_mnemonics(context, language, qtbot):
    """Every mnemonic of the English window has one in Japanese too (「項目(&I)」)."""
    from desktop.ui.main_window import MainWindow

    counts = {}
    for lang in LANGUAGES:
        language(lang)
        window = build(MainWindow, context, lang)
        qtbot.addWidget(window)
        counts[lang] = sorted(letter for letter, _what, _pages in _owners(window))
    assert counts["ja"] == counts["en"]
