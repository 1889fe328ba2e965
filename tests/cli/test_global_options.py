"""`--db` and `--lang` mean the same before and after the command, for every command.

argparse overwrote an option given before the subcommand with the subcommand's
default: `plandesk --db X init` silently worked on the per-user database. The
commands are discovered from the parser, so a new command must be added to
CASES (the first test fails until it is) and is then checked both ways.
"""

from __future__ import annotations

import argparse
import hashlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from desktop.cli import build_parser
from desktop.services import exchange, plan_exchange, review
from desktop.store.database import backup_database, open_database
from tests.cli.helpers import REF, REPORT


def leaf_commands(parser: argparse.ArgumentParser) -> list[tuple[str, ...]]:
    """Every command a person can run, e.g. ("list",), ("user", "add")."""
    found: list[tuple[str, ...]] = []

    def walk(p: argparse.ArgumentParser, prefix: tuple[str, ...]) -> None:
        subs = [a for a in p._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs:
            found.append(prefix)
            return
        for name, child in subs[0].choices.items():
            walk(child, (*prefix, name))

    walk(parser, ())
    return found


@dataclass(frozen=True)
class Case:
    args: tuple[str, ...]  # after the command; {work} {plan} {out} {empty} {missing} are paths
    code: int
    needle: str  # in the English output: proves the command read X (or ran at all)
    new: bool = False  # X does not exist yet (the command creates it)
    stdin: str = ""


SECTION = "1.II.2.1"  # 業務
SUBMITTED = "1.II.2.2"  # submitted by sato in the template
APPROVED = "1.II.2.3"  # approved by suzuki in the template
Y2024 = ("--year", "2024", "--branch", "13")

CASES: dict[tuple[str, ...], Case] = {
    ("init",): Case((), 0, "Created database", new=True),
    ("demo",): Case((), 0, "Demo data ready", new=True),
    ("list",): Case((), 0, "13 Tokyo branch"),
    ("show",): Case(Y2024, 0, "KPI table"),
    ("set",): Case((*Y2024, "--kpi", "1.II.2.k2", "98.5"), 0, "Saved: 1.II.2.k2 = 98.5"),
    ("reference",): Case(
        (*Y2024, "--kpi", "1.II.2.k2", "--field", "prior_year_actual", "95.5"),
        0,
        "Saved: 1.II.2.k2 the year before's actual = 95.5 (typed)",
    ),
    ("check",): Case((), 0, "No problems found"),
    ("user", "add"): Case(
        ("--login", "kato", "--name", "加藤", "--admin", "admin", "--password-stdin"),
        0,
        "Added: kato",
        stdin="admin-pass\n",
    ),
    ("user", "list"): Case((), 0, "suzuki\t鈴木 業務GL\tSupervisor"),
    ("review", "status"): Case(tuple(REPORT), 0, "Not signed off"),
    ("review", "submit"): Case(
        (*REPORT, "--section", SECTION, "--as", "sato"), 0, f"13/2024/midyear/{SECTION}"
    ),
    ("review", "approve"): Case(
        (*REPORT, "--all", "--as", "suzuki", "--password-stdin"),
        0,
        f"13/2024/midyear/{SUBMITTED}",
        stdin="gyomu-pass\n",
    ),
    ("review", "return"): Case(
        (
            *REPORT,
            "--section",
            SUBMITTED,
            "--reason",
            "数字を確認",
            "--as",
            "suzuki",
            "--password-stdin",
        ),
        0,
        "Returned (1)",
        stdin="gyomu-pass\n",
    ),
    ("review", "reopen"): Case(
        (*REPORT, "--section", APPROVED, "--reason", "訂正", "--as", "suzuki", "--password-stdin"),
        0,
        "Reopened (1)",
        stdin="gyomu-pass\n",
    ),
    ("review", "except"): Case(
        (
            *REPORT,
            "--section",
            SECTION,
            "--reason",
            "該当なし",
            "--as",
            "tanaka",
            "--password-stdin",
        ),
        0,
        "Excepted (1)",
        stdin="head-pass\n",
    ),
    ("review", "sign-off"): Case(
        (*REPORT, "--as", "tanaka", "--password-stdin"),
        2,
        "section(s) are not approved yet",
        stdin="head-pass\n",
    ),
    ("export",): Case(
        (*Y2024, "--period", "midyear", "--kind", "work", "--sections", "1.II.2", "--out", "{out}"),
        0,
        "Written:",
    ),
    ("import",): Case(("{work}", "--dry-run"), 0, "dry run: nothing changed"),
    ("verify",): Case(("{work}",), 0, "Verified: OK"),
    ("rollover",): Case(("--branch", "13"), 0, "Created the FY2025 plan of Tokyo branch"),
    ("confirm-kpi",): Case(
        ("--branch", "13", "--year", "2024"), 0, "KPIs awaiting confirmation: 7"
    ),
    ("consolidate",): Case(
        ("{empty}", "--year", "2024", "--period", "midyear"), 2, "holds no submission files"
    ),
    ("benchmark-pack",): Case(
        ("{empty}", "--year", "2024", "--period", "midyear", "--out", "{out}"),
        2,
        "holds no submission files",
    ),
    ("benchmark-import",): Case(("{missing}", "--branch", "13"), 2, "missing.xlsx"),
    ("plan", "export"): Case(Y2024, 0, '"format": "plandesk.plan/1"'),
    ("plan", "import"): Case(("{plan}",), 0, "add --apply to import"),
    ("backup",): Case((), 0, "Backup written:"),
    ("restore",): Case(("--list",), 0, "Backup folder:"),
    ("plan", "new"): Case(
        ("--branch", "27", "--year", "2025"), 0, "Created the FY2025 plan of Osaka"
    ),
    # The plan's own approval: the template's plan is a draft (made after 0012).
    ("plan", "status"): Case(Y2024, 0, "State: Draft"),
    ("plan", "diff"): Case(Y2024, 0, "There is no record of this plan as approved"),
    ("plan", "submit"): Case(
        (*Y2024, "--as", "takahashi", "--password-stdin"), 0, "Plan submitted (Submitted)",
        stdin="kikaku-pass\n",
    ),
    ("plan", "withdraw"): Case(
        (*Y2024, "--as", "takahashi", "--password-stdin"), 2, "no submission to take back",
        stdin="kikaku-pass\n",
    ),
    ("plan", "approve"): Case(
        (*Y2024, "--as", "tanaka", "--password-stdin"), 2, "once it is submitted",
        stdin="head-pass\n",
    ),
    ("plan", "send-back"): Case(
        (*Y2024, "--reason", "見直し", "--as", "tanaka", "--password-stdin"), 2,
        "only a submitted plan can be sent back", stdin="head-pass\n",
    ),
    ("plan", "reopen"): Case(
        (*Y2024, "--reason", "修正", "--as", "tanaka", "--password-stdin"), 2,
        "only an approved plan can be reopened", stdin="head-pass\n",
    ),
    ("targets", "export"): Case(("--year", "2025", "--out", "{out}"), 0, "Written:"),
    ("targets", "import"): Case(("{missing}", "--year", "2025"), 2, "missing.xlsx"),
    ("plan", "add"): Case((*Y2024, "--parent", "2", "--title", "独自の取組"), 0, "Added item 2.n1"),
    ("plan", "rename"): Case((*Y2024, "--node", "1.I", "--title", "財政"), 2, "HQ's framework"),
    ("plan", "move"): Case((*Y2024, "--node", "1.I", "--position", "1"), 2, "HQ's framework"),
    ("plan", "remove"): Case((*Y2024, "--node", "1.I"), 0, "Remove '"),
    ("plan", "add-kpi"): Case(
        (*Y2024, "--node", "2.I", "--name", "件数", "--target", "3"), 0, "Added KPI 2.I.k"
    ),
    ("plan", "report-layout"): Case(
        (*Y2024, "--axis", "group", "--number-per-group"), 0, "Report by group (numbers per group)"
    ),
    ("plan", "rate-with"): Case(
        (*Y2024, "--node", "1.II.3.2", "--with", "1.II.3.1"), 2, "holds a mark of its own"
    ),
    # Signing keys (docs/TRUST.md); a low scrypt cost for the test (--scrypt-log-n).
    ("keys", "create"): Case(
        ("--branch", "13", "--password-stdin", "--scrypt-log-n", "10"), 0, "Signing key created",
        stdin="branch-passphrase\n",
    ),
    ("keys", "rotate"): Case(
        ("--branch", "13", "--password-stdin", "--scrypt-log-n", "10"), 0,
        "New signing key created", stdin="branch-passphrase\n",
    ),
    ("keys", "export"): Case(("{out}",), 2, "This PC has no signing key"),
    ("keys", "import"): Case(("{missing}",), 2, "missing.xlsx"),
    ("keys", "list"): Case((), 0, "No public keys are registered"),
    ("keys", "revoke"): Case(("abcd",), 2, "No registered public key matches"),
    ("keys", "sign"): Case(
        (*REPORT, "--password-stdin"), 2, "This PC has no signing key", stdin="x\n"
    ),
}  # fmt: skip

COMMANDS = leaf_commands(build_parser())


@pytest.fixture(scope="module")
def template(_people_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The people's demo with one section submitted, one approved and a work file."""
    folder = tmp_path_factory.mktemp("every")
    path = folder / "template.sqlite3"
    backup_database(_people_template, path)
    with open_database(path) as db:
        review.submit(db, REF, [SUBMITTED, APPROVED], login="sato")
        review.approve(db, REF, [APPROVED], login="suzuki", password="gyomu-pass")
        exchange.export_workbook(
            db, branch="13", fiscal_year=2024, period=REF.period, kind=exchange.Kind.WORK,
            sections=["1.II.2"], out=folder / "work.xlsx", actor="tester",
        )  # fmt: skip
        plan_exchange.export_plan(db, "13", 2024, folder / "plan.json")
    return path


def _digest(path: Path) -> str | None:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else None


def _setup(command: tuple[str, ...], template: Path, tmp_path: Path) -> tuple[Path, list[str]]:
    case = CASES[command]
    x = tmp_path / "x" / "chosen.sqlite3"
    x.parent.mkdir()
    if not case.new:
        backup_database(template, x)
    (tmp_path / "empty").mkdir()
    (tmp_path / "out").mkdir()
    paths = {
        "work": str(template.parent / "work.xlsx"),
        "plan": str(template.parent / "plan.json"),
        "out": str(tmp_path / "out"),
        "empty": str(tmp_path / "empty"),
        "missing": str(tmp_path / "missing.xlsx"),
    }
    return x, [a.format(**paths) for a in case.args]


def test_every_command_is_covered():
    assert set(COMMANDS) == set(CASES), "add the new command to CASES"


@pytest.mark.parametrize("position", ["before", "after"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_db_and_lang_are_used_wherever_they_are_given(
    command, position, cli, template, tmp_path, _isolated_data_dir
):
    case = CASES[command]
    x, args = _setup(command, template, tmp_path)
    options = ["--db", str(x), "--lang", "en"]
    argv = [*options, *command, *args] if position == "before" else [*command, *args, *options]
    result = cli(*argv, stdin=case.stdin)
    assert (result.code, "Traceback" in result.err) == (case.code, False), result.err
    assert case.needle in result.out + result.err  # English: --lang was honoured too
    assert x.exists()
    assert not _isolated_data_dir.exists()  # the per-user default was never touched


@pytest.mark.parametrize("option", ["--db", "--lang"])
@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_two_different_values_are_refused(
    command, option, cli, template, tmp_path, _isolated_data_dir
):
    case = CASES[command]
    x, args = _setup(command, template, tmp_path)
    y = tmp_path / "other.sqlite3"
    first, second = (str(x), str(y)) if option == "--db" else ("ja", "en")
    before = _digest(x)
    db = [] if option == "--db" else ["--db", str(x)]
    result = cli(option, first, *command, *args, *db, option, second, stdin=case.stdin)
    assert result.code == 2
    assert option in result.err and first in result.err and second in result.err
    assert "Traceback" not in result.err and result.out == ""
    assert _digest(x) == before and not y.exists()
    assert not _isolated_data_dir.exists()


def test_the_same_value_twice_is_fine(cli, people_db, _isolated_data_dir):
    result = cli("--db", people_db, "--lang", "en", "user", "--db", f"{people_db.parent}/./{people_db.name}", "list", "--db", people_db)  # fmt: skip
    assert result.code == 0, result.err
    assert "tanaka" in result.out
    assert not _isolated_data_dir.exists()


def test_the_middle_level_counts_too(cli, people_db, tmp_path):
    """`plandesk user --db X add --db Y`: three levels, still one database."""
    result = cli("user", "--db", people_db, "list", "--db", tmp_path / "y.sqlite3")
    assert result.code == 2 and "--db" in result.err
