"""`plandesk export / import / verify` through the real entry point."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from tests.cli.helpers import run


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    path = tmp_path / "a.sqlite3"
    assert run("demo", "--db", str(path)).returncode == 0
    return path


def export_work(db: Path, out: Path, sections: str = "2.II.3") -> Path:
    result = run(
        "export", "--db", str(db), "--year", "2024", "--branch", "13", "--period", "midyear",
        "--kind", "work", "--sections", sections, "--out", str(out),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return Path(result.stdout.split(": ", 1)[1].splitlines()[0])


def test_export_verify_and_tamper(demo: Path, tmp_path: Path):
    path = export_work(demo, tmp_path)
    ok = run("verify", str(path))
    assert ok.returncode == 0 and "正常" in ok.stdout
    wb = openpyxl.load_workbook(path)
    wb["_entries"]["B2"].value = "書き換え"
    wb.save(path)
    bad = run("verify", str(path), lang="en")
    assert bad.returncode == 1
    assert "Changed: status of item '" in bad.stderr and "FAILED" in bad.stdout
    assert "_entries" not in bad.stderr  # named in words, not by a hidden cell


def test_import_dry_run_then_conflict_needs_a_choice(demo: Path, tmp_path: Path):
    path = export_work(demo, tmp_path)
    second = tmp_path / "b.sqlite3"
    dry = run("import", "--db", str(second), "--dry-run", str(path))
    assert dry.returncode == 0 and "確認のみ" in dry.stdout
    listed = run("list", "--db", str(second))
    assert "計画はまだありません" in listed.stdout
    assert run("import", "--db", str(second), str(path)).returncode == 0
    # Both sides change the same KPI figure differently.
    kpi = "2.II.3.k1"
    for db, value in ((second, "123"), (demo, "456")):
        r = run("set", "--db", str(db), "--year", "2024", "--branch", "13", "--kpi", kpi, value)
        assert r.returncode == 0, r.stderr
    back = export_work(second, tmp_path)
    stuck = run("import", "--db", str(demo), str(back))
    assert stuck.returncode == 1 and f"measurement/{kpi}/value" in stuck.stdout
    done = run(
        "import", "--db", str(demo), "--choose", f"measurement/{kpi}/value=theirs", str(back)
    )
    assert done.returncode == 0, done.stderr
    shown = run("show", "--db", str(demo), "--year", "2024", "--branch", "13", "--format", "tsv")
    assert any(kpi in ln and "123" in ln for ln in shown.stdout.splitlines())
    again = run("import", "--db", str(demo), str(back))
    assert again.returncode == 0 and "取り込む変更はありません" in again.stdout


def test_bad_files_are_refused_with_a_message(tmp_path: Path):
    junk = tmp_path / "junk.xlsx"
    junk.write_text("not a workbook", encoding="utf-8")
    result = run("verify", str(junk))
    assert result.returncode == 1 and "Excel ブック" in result.stderr
    imported = run("import", "--db", str(tmp_path / "x.sqlite3"), str(junk), lang="en")
    assert imported.returncode == 1 and "not an Excel workbook" in imported.stderr


def test_rollover_and_confirmation(demo: Path):
    rolled = run("rollover", "--db", str(demo), "--branch", "13")
    assert rolled.returncode == 0, rolled.stderr
    assert "対前年度以上（14,097円" in rolled.stdout
    again = run("rollover", "--db", str(demo), "--branch", "13")
    assert again.returncode != 0 and again.stderr
    pending = run("confirm-kpi", "--db", str(demo), "--branch", "13", "--year", "2025")
    count = int(pending.stdout.split("確認待ちの KPI: ")[1].split(" 件")[0])
    key = pending.stdout.splitlines()[1].split()[0]
    done = run("confirm-kpi", "--db", str(demo), "--branch", "13", "--year", "2025", "--kpi", key)
    assert done.returncode == 0 and f"確認待ちの KPI: {count - 1} 件" in done.stdout
    shown = run("show", "--db", str(demo), "--branch", "13", "--year", "2025")
    assert "対前年度以上（31.58％）" in shown.stdout


def test_import_into_a_signed_off_report_says_why_changes_are_left_out(demo: Path, tmp_path: Path):
    """Each left-out change carries its reason: here the sign-off, not an approval."""
    from desktop.services import editing
    from desktop.store.database import open_database
    from tests.helpers.reports import REF, sign_off_all

    path = export_work(demo, tmp_path)
    other = tmp_path / "b.sqlite3"
    assert run("import", "--db", str(other), str(path)).returncode == 0
    with open_database(other) as db:
        editing.set_entry_field(db, REF, "2.II.3", "status_text", "Bの文章", actor="b")
    (tmp_path / "back").mkdir()
    back = export_work(other, tmp_path / "back")
    with open_database(demo) as db:
        sign_off_all(db)
    for lang, reason in (("ja", "（決裁済みの報告のため）"), ("en", "(report signed off here)")):
        dry = run("import", "--db", str(demo), "--dry-run", str(back), lang=lang)
        assert dry.returncode == 0, dry.stderr
        left_out = [line for line in dry.stdout.splitlines() if "Bの文章" in line]
        assert left_out and all(line.endswith(reason) for line in left_out), dry.stdout
        assert "approved" not in dry.stdout and "承認済み" not in dry.stdout


def test_export_format_pdf_writes_the_report_and_refuses_bad_paths(demo: Path, tmp_path: Path):
    report = ["--db", str(demo), "--year", "2024", "--branch", "13", "--period", "midyear"]
    out = tmp_path / "東京.pdf"
    done = run("export", *report, "--format", "pdf", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout and out.read_bytes().startswith(b"%PDF-")
    assert not done.stderr  # no font warnings or other noise
    assert not [p for p in tmp_path.iterdir() if p.suffix == ".tmp"]

    wrong = run("export", *report, "--format", "pdf", "--out", str(tmp_path / "r.xlsx"), lang="en")
    assert wrong.returncode != 0 and ".pdf file name" in wrong.stderr
    assert "Traceback" not in wrong.stderr
    gone = run("export", *report, "--format", "pdf", "--out", str(tmp_path / "no" / "r.pdf"))
    assert gone.returncode != 0 and "フォルダ" in gone.stderr and "Traceback" not in gone.stderr
    scoped = run(
        "export", *report, "--format", "pdf", "--sections", "2.II.3", "--out", str(tmp_path)
    )
    assert scoped.returncode != 0 and "--sections" in scoped.stderr
    profile = run("export", *report, "--profile", "progress4", "--out", str(tmp_path / "a.xlsx"))
    assert profile.returncode != 0 and "--format pdf" in profile.stderr
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix in (".pdf", ".xlsx")) == [
        "東京.pdf"
    ]
