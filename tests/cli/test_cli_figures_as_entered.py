"""`plandesk show` prints a figure as it was typed and judges it as typed."""

from __future__ import annotations

from pathlib import Path

from desktop.cli import main

SERVICE = "1.II.2.k1"  # サービススタンダードの達成状況: 100％, printed without decimals


def test_98_4_typed_is_shown_as_98_4_and_1_6_points_short(demo_db, tmp_path: Path, capsys):
    db = str(tmp_path / "demo.sqlite3")
    common = ["--db", db, "--year", "2024", "--branch", "13"]
    assert main(["set", *common, "--kpi", SERVICE, "９８．４％"]) == 0
    capsys.readouterr()
    assert main(["show", *common]) == 0
    line = next(ln for ln in capsys.readouterr().out.splitlines() if "サービススタンダード" in ln)
    assert "98.4％" in line and "98％" not in line.replace("98.4％", "")
    assert "未達成 (-1.6ポイント)" in line
