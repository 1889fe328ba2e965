"""`plandesk reference` types the reference figures; `plandesk show` prints them with
where each came from (issue 15 item 3)."""

from __future__ import annotations

from pathlib import Path

KPI = "1.II.2.k2"  # ２）現金給付等の申請に係る郵送化率, last year's actual in the plan


def _reference_lines(out: str) -> list[str]:
    lines = out.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith(("参考値", "Reference")))
    return lines[start:]


def test_typed_figures_are_shown_with_their_source(cli, demo_db, tmp_path: Path):
    db = str(tmp_path / "demo.sqlite3")
    common = ["--db", db, "--year", "2024", "--branch", "13", "--kpi", KPI]
    done = cli("reference", *common, "--field", "national_average", "９０．１％")
    assert done.code == 0 and "保存しました: 1.II.2.k2 全国平均 = 90.1（入力）" in done.out
    assert cli("reference", *common, "--field", "national_rank", "全国５位").code == 0
    assert cli("reference", *common, "--field", "prior_year_actual", "95.55").code == 0

    shown = cli("--db", db, "show", "--year", "2024", "--branch", "13")
    assert shown.code == 0
    rows = [ln for ln in _reference_lines(shown.out) if ln.startswith(KPI)]
    assert any("前年度実績" in r and "98.4％" in r and "計画" in r for r in rows)
    assert any("前々年度実績" in r and "95.55％" in r and "入力" in r for r in rows)
    assert any("全国平均" in r and "90.1％" in r and "入力" in r for r in rows)
    assert any("全国順位" in r and "5位" in r for r in rows)

    english = cli("--db", db, "--lang", "en", "show", "--year", "2024", "--branch", "13")
    assert any("typed" in r and "95.55" in r for r in _reference_lines(english.out))

    cleared = cli("reference", *common, "--field", "prior_year_actual")
    assert cleared.code == 0 and "= —" in cleared.out
    again = cli("--db", db, "show", "--year", "2024", "--branch", "13")
    assert "前々年度実績" not in again.out


def test_a_bad_rank_is_refused_in_both_languages_and_nothing_changes(cli, demo_db, tmp_path):
    db = str(tmp_path / "demo.sqlite3")
    common = ["--db", db, "--year", "2024", "--branch", "13", "--kpi", KPI]
    refused = cli("reference", *common, "--field", "national_rank", "48")
    assert refused.code != 0 and "1〜47" in refused.err and "Traceback" not in refused.err
    english = cli("--lang", "en", "reference", *common, "--field", "national_rank", "0")
    assert english.code != 0 and "from 1 to 47" in english.err
    shown = cli("--db", db, "show", "--year", "2024", "--branch", "13")
    assert "全国順位" not in shown.out
