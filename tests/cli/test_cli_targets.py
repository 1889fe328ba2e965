"""`plandesk show` prints each new target kind with its words: the path to a multi-year
goal, a rule over months with the months met, a person's verdict marked as such, the
old-method figure beside the new one, a reference indicator never judged."""

from __future__ import annotations

from pathlib import Path

from desktop.services import plans
from tests.helpers.target_plans import CHANGED, MANUAL, MONTHLY, MULTI_YEAR, REFERENCE, targets_plan


def _rows(out: str) -> dict[str, str]:
    return {ln.rsplit("\t", 1)[1]: ln for ln in out.splitlines()[1:] if "\t" in ln}


def test_show_judges_and_words_every_new_kind(cli, demo_db, tmp_path: Path):
    plans.install_plan(demo_db, targets_plan(), actor="tester", replace=True)
    db = str(tmp_path / "demo.sqlite3")
    shown = cli("--db", db, "show", "--year", "2024", "--branch", "13", "--format", "tsv")
    assert shown.code == 0, shown.err
    rows = _rows(shown.out)
    assert "令和11年度 62.0％以上（基準 令和5年度 50.0％）" in rows[MULTI_YEAR]
    assert "達成" in rows[MULTI_YEAR]
    assert "毎月 150％以上" in rows[MONTHLY] and "2／3か月達成" in rows[MONTHLY]
    assert "未達成" in rows[MONTHLY]
    assert "遅れ" in rows[MANUAL] and "手動判定" in rows[MANUAL]
    assert "98.2％（旧算出方法 99.1％）" in rows[CHANGED]
    assert "旧算出方法 99.1％ 達成" in rows[CHANGED]
    assert "参考指標" in rows[REFERENCE]

    english = cli(
        "--db", db, "--lang", "en", "show", "--year", "2024", "--branch", "13", "--format", "tsv"
    )
    rows = _rows(english.out)
    assert "2 of 3 months met" in rows[MONTHLY]
    assert "judged by hand" in rows[MANUAL]
    assert "Reference only" in rows[REFERENCE]
