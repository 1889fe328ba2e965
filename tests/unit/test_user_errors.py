"""One error root and one bilingual text type.

Every failure a person is told about is a UserError carrying one Text; the
command line chooses its exit code from one table and speaks through one
function, with no language branches of its own.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import desktop
from desktop.cli.common import EXIT_FAILED, EXIT_USAGE, refuse
from desktop.domain.errors import BadFile, BadInput, Refused, UserError
from desktop.domain.text import Text

PACKAGE = Path(desktop.__file__).parent

# Exceptions that never reach a person: each is turned into a UserError (or is a
# PlanDesk bug) where it is caught. A new exception class must be one or the other.
INTERNAL = {
    "desktop.workbooks.xlsx_cells.XlsxError",  # the reader's edge makes it a WorkbookError
    "desktop.workbooks.xlsx_cells.TooManyRows",
    "desktop.domain.plan_document.PlanDocumentError",  # bundled plan files: a packaging bug
    # Plan JSON makes it a PlanDocumentError, the workbook reader a WorkbookError (naming
    # the cell); the database holds only rules PlanDesk checked.
    "desktop.domain.mark_rules.MarkRulesError",
    # Likewise a print profile's key (plan JSON, workbook manifest); the store falls back.
    "desktop.domain.print_profiles.ProfileError",
    "desktop.store.database.WaitedTooLong",  # the store makes it DatabaseBusy
    "desktop.ui.tasks.Cancelled",  # the person pressed Cancel: the window says so, no error
}


def _all_desktop_exceptions() -> dict[str, type[BaseException]]:
    for info in pkgutil.walk_packages([str(PACKAGE)], "desktop."):
        # __main__ runs the CLI; the migrations run inside Alembic; Qt stays out of the
        # unit tests (the app's modules define no exceptions).
        if info.name.endswith("__main__") or ".migrations" in info.name:
            continue
        if info.name.startswith(("desktop.ui", "desktop.app")):
            continue
        importlib.import_module(info.name)
    found: dict[str, type[BaseException]] = {}
    todo: list[type[BaseException]] = [BaseException]
    while todo:
        cls = todo.pop()
        todo.extend(cls.__subclasses__())
        if cls.__module__.startswith("desktop."):
            found[f"{cls.__module__}.{cls.__qualname__}"] = cls
    return found


def test_every_error_a_person_reads_is_a_user_error():
    exceptions = _all_desktop_exceptions()
    assert "desktop.domain.parsing.ParseError" in exceptions  # the walk found them
    outside = {
        name for name, cls in exceptions.items() if not issubclass(cls, UserError)
    } - INTERNAL
    assert outside == set()
    # One way to hold and show the message: no second pair of attributes, no own message().
    for name, cls in exceptions.items():
        if issubclass(cls, UserError) and cls is not UserError:
            assert "message" not in vars(cls), name


@pytest.mark.parametrize(
    ("module", "name", "kind"),
    [
        ("desktop.domain.parsing", "ParseError", BadInput),
        ("desktop.domain.limits", "TextRefused", BadInput),
        ("desktop.services.editing", "CellError", BadInput),
        ("desktop.store.errors", "DatabasePathUnusable", BadInput),
        ("desktop.domain.review", "ReviewRefused", Refused),
        ("desktop.services.exchange", "OverwriteRefused", Refused),
        ("desktop.workbooks.machine", "WorkbookError", BadFile),
        ("desktop.workbooks.safety", "SuspiciousArchive", BadFile),
    ],
)
def test_each_error_has_its_kind(module, name, kind):
    assert issubclass(getattr(importlib.import_module(module), name), kind)


def test_text_gives_one_language_and_never_both_by_accident():
    text = Text("保存しました", "Saved")
    assert (text.get("ja"), text.get("en")) == ("保存しました", "Saved")
    joined = Text.same("・").join([text, Text("確認", "checked")]) + Text("。", ".")
    assert joined == Text("保存しました・確認。", "Saved・checked.")
    with pytest.raises(TypeError):
        f"{text}"  # an f-string would show both languages (or the wrong one)
    with pytest.raises(TypeError):
        str(text)


def test_a_user_error_is_made_of_a_text_or_its_two_wordings():
    one = UserError(Text("だめです。", "No."))
    two = UserError("だめです。", "No.")
    assert one.text == two.text == Text("だめです。", "No.")
    assert two.message("en") == "No." and str(two) == "No."
    with pytest.raises(TypeError):
        UserError("だめです。")  # type: ignore[call-overload]


def test_a_workbook_error_says_where_and_keeps_the_reason_apart():
    from desktop.workbooks.machine import WorkbookError

    error = WorkbookError("読めません", "Cannot be read", "KPI 3", cell="_kpis!B4")
    assert error.text == Text("読めません（KPI 3）", "Cannot be read (KPI 3)")
    assert error.reason == Text("読めません", "Cannot be read")
    assert str(error) == "KPI 3: Cannot be read"
    assert isinstance(error, ValueError)  # the decoders' own failures are ValueErrors


@pytest.mark.parametrize(
    ("error", "code"),
    [
        ("desktop.workbooks.machine:WorkbookError", EXIT_FAILED),
        ("desktop.store.errors:StoreError", EXIT_FAILED),
        ("desktop.domain.parsing:ParseError", EXIT_USAGE),
        ("desktop.domain.review:ReviewRefused", EXIT_USAGE),
        ("desktop.domain.errors:UserError", EXIT_USAGE),
    ],
)
def test_the_exit_code_comes_from_the_kind_of_error(error, code, capsys):
    module, name = error.split(":")
    cls = getattr(importlib.import_module(module), name)
    text = Text("日本語の説明", "the English words")
    instance = cls("parse", text.ja, text.en) if name == "ParseError" else cls(text.ja, text.en)
    assert refuse("en", instance) == code
    assert capsys.readouterr().err == "the English words\n"
    refuse("ja", instance)
    assert capsys.readouterr().err == "日本語の説明\n"


def test_the_command_line_has_no_language_branches():
    """Messages are Texts; the language is chosen in one place (Text.get)."""
    branch = re.compile(r"""lang\s*[!=]=|[!=]=\s*lang\b|if lang\b|_ja if\b""")
    found = [
        f"{path.name}:{number}: {line.strip()}"
        for path in sorted((PACKAGE / "cli").glob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if branch.search(line)
    ]
    assert found == []
