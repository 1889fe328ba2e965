"""The command line run through its real entry point, in this process.

``cli(...)`` calls ``desktop.cli.main`` with the arguments as a person would type
them and returns its exit code and what it printed. Standard input is a pipe
(``stdin=`` text, empty by default), never a terminal, as in a script.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.cli.helpers import CliResult, add_people


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., CliResult]:
    from desktop.cli import main

    def run(*args: object, stdin: str = "") -> CliResult:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run


@pytest.fixture(scope="module")
def _people_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The demo with the people of a branch, built once per module."""
    from desktop.services import plans

    path = tmp_path_factory.mktemp("people") / "people.sqlite3"
    with plans.init_database(path) as db:
        plans.install_demo(db, actor="tester")
        add_people(db)
    return path


@pytest.fixture
def people_db(_people_template: Path, tmp_path: Path) -> Path:
    """A copy of the demo with people, for one test (the CLI opens it itself)."""
    from desktop.store.database import backup_database

    path = tmp_path / "branch.sqlite3"
    backup_database(_people_template, path)
    return path
