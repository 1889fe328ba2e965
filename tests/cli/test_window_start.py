"""`plandesk` without a command opens the window, decided before the command
families (and the workbook code they import) are loaded (issue 14 item 6)."""

from __future__ import annotations

import pytest

from desktop.cli import _window_arguments


@pytest.mark.parametrize(
    "arguments",
    [[], ["--db", "x.sqlite3"], ["--lang", "en"], ["--db=x", "--lang=ja", "--db", "x"]],
)
def test_global_options_alone_open_the_window(arguments):
    args = _window_arguments(arguments)
    assert args is not None and args.command is None


@pytest.mark.parametrize(
    "arguments",
    [
        ["list"],
        ["--db", "x", "show"],
        ["--help"],
        ["-h"],
        ["--version"],
        ["--bogus"],
        ["--lang", "xx"],
        ["--db"],
    ],
)
def test_anything_else_goes_to_the_full_parser(arguments):
    assert _window_arguments(arguments) is None
