"""`plandesk` without a command opens the window, decided from the global options
before the command families (and the workbook code they import) are loaded
(issue 14 item 6; the window's start: tests/ui/test_start_imports.py). Anything
else still reaches the full parser, which answers as before."""

from __future__ import annotations

import pytest

from desktop.cli import main


@pytest.mark.parametrize(
    ("arguments", "code", "says"),
    [
        (["--version"], 0, "PlanDesk "),
        (["--help"], 0, "COMMAND"),
        (["--db", "x.sqlite3", "-h"], 0, "COMMAND"),
        (["--bogus"], 2, "unrecognized arguments: --bogus"),
        (["--lang", "xx"], 2, "invalid choice: 'xx'"),
        (["--db"], 2, "expected one argument"),
    ],
)
def test_options_without_a_command_that_are_not_the_window(arguments, code, says, capsys):
    assert main(arguments) == code
    out = capsys.readouterr()
    assert says in out.out + out.err
