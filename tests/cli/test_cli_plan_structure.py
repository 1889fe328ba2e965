"""`plandesk plan add / rename / move / remove / add-kpi`: a branch writes its plan's
structure on the command line (desktop/services/plan_editing.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from desktop.services import plans
from desktop.store.database import open_database


@pytest.fixture
def ibaraki(cli, tmp_path: Path) -> tuple[Path, tuple[str, ...]]:
    path = tmp_path / "plan.sqlite3"
    assert cli("--db", path, "plan", "new", "--branch", "08", "--year", "2025").code == 0
    return path, ("--branch", "08", "--year", "2025")


def _plan(path: Path):
    with open_database(path) as db:
        return plans.get_plan(db, "08", 2025)


def test_a_branch_adds_renames_moves_and_removes_its_own_section(cli, ibaraki):
    path, plan = ibaraki
    added = cli("--db", path, "--lang", "en", "plan", "add", *plan, "--parent", "2",
                "--title", "独自の取組", "--label", "Ⅸ．")  # fmt: skip
    assert added.code == 0 and "Added item 2.n1" in added.out
    assert _plan(path).node("2.n1").own
    assert (
        cli("--db", path, "plan", "rename", *plan, "--node", "2.n1", "--title", "県との連携").code
        == 0
    )
    assert cli("--db", path, "plan", "move", *plan, "--node", "2.n1", "--position", "0").code == 0
    kpi = cli("--db", path, "--lang", "en", "plan", "add-kpi", *plan, "--node", "2.n1",
              "--name", "講座の回数", "--unit", "回", "--target", "１２")  # fmt: skip
    assert kpi.code == 0, kpi.err
    stored = _plan(path)
    assert stored.children("2")[0].display_title == "Ⅸ．県との連携"
    (k,) = stored.kpis_of("2.n1")
    assert (k.target, k.unit, k.own) == (Decimal("12"), "回", True)

    preview = cli("--db", path, "--lang", "en", "plan", "remove", *plan, "--node", "2.n1")
    assert preview.code == 0 and "1 KPI(s)" in preview.out and "add --yes" in preview.out
    assert "2.n1" in {n.key for n in _plan(path).nodes}
    removed = cli("--db", path, "--lang", "en", "plan", "remove", *plan, "--node", "2.n1", "--yes")
    assert removed.code == 0 and "2.n1" not in {n.key for n in _plan(path).nodes}


def test_hq_framework_refusals_exit_with_a_message(cli, ibaraki):
    path, plan = ibaraki
    before = _plan(path)
    renamed = cli("--db", path, "--lang", "en", "plan", "rename", *plan, "--node", "1.I",
                  "--title", "x")  # fmt: skip
    assert renamed.code == 2 and "HQ's framework" in renamed.err
    removed = cli("--db", path, "--lang", "en", "plan", "remove", *plan, "--node", "1.I", "--yes")
    assert removed.code == 2 and "HQ's item" in removed.out + removed.err
    bad = cli("--db", path, "--lang", "en", "plan", "move", *plan, "--node", "1.I",
              "--position", "x")  # fmt: skip
    assert bad.code == 2 and "--position" in bad.err
    assert _plan(path) == before


def test_a_branch_rates_items_together_and_alone_again(cli, ibaraki):
    """`plandesk plan rate-with`: ② and ③ rated with ① (one mark and reason), then ③ alone."""
    path, plan = ibaraki
    stored = _plan(path)
    parent = next(
        n.key
        for n in stored.nodes
        if len(stored.children(n.key)) >= 3
        and all(stored.is_reportable(c.key) for c in stored.children(n.key))
    )
    first, second, third = (c.key for c in stored.children(parent)[:3])
    for key in (second, third):
        done = cli("--db", path, "--lang", "en", "plan", "rate-with", *plan, "--node", key,
                   "--with", first)  # fmt: skip
        assert done.code == 0 and f"rated together with {first}" in done.out
    assert [_plan(path).node(k).rated_with for k in (second, third)] == [first, first]
    chain = cli("--db", path, "plan", "rate-with", *plan, "--node", first, "--with", second)
    assert chain.code != 0 and "Traceback" not in chain.err
    alone = cli("--db", path, "plan", "rate-with", *plan, "--node", third, "--alone")
    assert alone.code == 0 and _plan(path).node(third).rated_with is None
    neither = cli("--db", path, "plan", "rate-with", *plan, "--node", third)
    assert neither.code != 0 and "--with" in neither.err
