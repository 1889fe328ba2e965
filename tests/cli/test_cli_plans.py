"""`plandesk plan export / import / new`: whole plans as plandesk.plan/1 JSON documents."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from desktop.domain.plan_document import dump_plan
from desktop.paths import resource_path
from desktop.services import plans
from desktop.store.database import open_database
from tests.cli.helpers import ROOT
from tests.helpers.plan_documents import stored_with_entry
from tests.helpers.reports import sign_off_all


@pytest.fixture
def demo(cli, tmp_path: Path) -> Path:
    path = tmp_path / "demo.sqlite3"
    assert cli("--db", path, "demo").code == 0
    return path


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize(("branch", "year"), [("13", "2024"), ("00", "2025")])
def test_export_import_into_an_empty_database_export_again_is_identical(
    cli, demo: Path, tmp_path: Path, branch: str, year: str
):
    """The bundled demo plan (with its report) and HQ's template survive the trip exactly."""
    first = tmp_path / "first.json"
    result = cli("--db", demo, "plan", "export", "--branch", branch, "--year", year, "--out", first)
    assert result.code == 0, result.err
    stdout = cli("--db", demo, "plan", "export", "--branch", branch, "--year", year)
    assert stdout.out == first.read_text(encoding="utf-8")  # without --out: the same text
    empty = tmp_path / "empty.sqlite3"
    preview = cli("--db", empty, "--lang", "en", "plan", "import", first, "--apply")
    assert preview.code == 0, preview.err
    assert "Creates: the plan" in preview.out and "Created the plan." in preview.out
    again = cli("--db", empty, "plan", "export", "--branch", branch, "--year", year)
    assert again.code == 0 and again.out == first.read_text(encoding="utf-8")


def test_the_exported_document_is_the_bundled_one(cli, demo: Path):
    bundled = json.loads(Path(resource_path("plans/tokyo_2024.json")).read_text("utf-8"))
    exported = cli("--db", demo, "plan", "export", "--branch", "13", "--year", "2024")
    assert json.loads(exported.out) == bundled


def test_the_preview_lists_what_changes_and_writes_nothing(cli, demo: Path, tmp_path: Path):
    with open_database(demo) as db:
        plan = stored_with_entry(db, "1.I.1", "status_text", "計画ファイルの実施状況")
    path = tmp_path / "changed.json"
    path.write_text(dump_plan(plan), encoding="utf-8")
    before = _digest(demo)
    result = cli("--db", demo, "--lang", "en", "plan", "import", path)
    assert result.code == 0, result.err
    assert "Conflicts (differ from what is stored): 1" in result.out
    assert "計画ファイルの実施状況" in result.out and "Left alone:" in result.out
    assert "nothing changed; add --apply" in result.out
    assert _digest(demo) == before
    refused = cli("--db", demo, "--lang", "en", "plan", "import", path, "--apply")
    assert refused.code == 2 and "--prefer" in refused.err and "Traceback" not in refused.err
    taken = cli(
        "--db", demo, "--lang", "en", "plan", "import", path, "--apply", "--prefer", "theirs"
    )
    assert taken.code == 0 and "Imported: 1 field(s)" in taken.out
    shown = cli("--db", demo, "plan", "export", "--branch", "13", "--year", "2024")
    assert "計画ファイルの実施状況" in shown.out


@pytest.mark.parametrize(
    ("content", "ja", "en"),
    [
        (b"{", "計画ファイル（plandesk.plan/1）として正しくありません", "not valid JSON"),
        (b'{"format": "plandesk.plan/9"}', "$.format", "expected 'plandesk.plan/1'"),
        (b"[]", "$", "an object expected"),
    ],
    ids=["bad-json", "wrong-format", "not-an-object"],
)
def test_a_bad_file_is_refused_in_both_languages(
    cli, demo: Path, tmp_path: Path, content: bytes, ja: str, en: str
):
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    before = _digest(demo)
    for lang, needle in (("ja", ja), ("en", en)):
        result = cli("--db", demo, "--lang", lang, "plan", "import", path, "--apply")
        assert result.code == 1  # BadFile: the file's fault (cli/common.EXIT_CODES)
        assert needle in result.err and "bad.json" in result.err
        assert "Traceback" not in result.err
    assert _digest(demo) == before


def test_a_missing_file_is_a_usage_error(cli, demo: Path, tmp_path: Path):
    result = cli("--db", demo, "--lang", "en", "plan", "import", tmp_path / "nope.json")
    assert result.code == 2 and "does not exist" in result.err


def test_a_signed_off_report_is_not_overwritten(cli, demo: Path, tmp_path: Path):
    with open_database(demo) as db:
        sign_off_all(db)
        plan = stored_with_entry(db, "1.I.1", "status_text", "決裁後の書き換え")
    path = tmp_path / "after.json"
    path.write_text(dump_plan(plan), encoding="utf-8")
    preview = cli("--db", demo, "--lang", "en", "plan", "import", path)
    assert "Refused by the rules: 1" in preview.out and "report signed off here" in preview.out
    before = _digest(demo)
    for lang, needle in (("ja", "決裁済み"), ("en", "Signed-off reports")):
        result = cli("--db", demo, "--lang", lang, "plan", "import", path, "--apply",
                     "--prefer", "theirs")  # fmt: skip
        assert result.code == 2 and needle in result.err and "Nothing" not in result.out
    assert _digest(demo) == before


def test_branch_and_year_checks(cli, demo: Path, tmp_path: Path):
    path = tmp_path / "tokyo.json"
    cli("--db", demo, "plan", "export", "--branch", "13", "--year", "2024", "--out", path)
    result = cli("--db", demo, "--lang", "en", "plan", "import", path, "--branch", "27")
    assert result.code == 1 and "branch 13's (expected 27)" in result.err


def test_new_plan_for_osaka_from_the_template_then_show(cli, demo: Path):
    result = cli("--db", demo, "--lang", "en", "plan", "new", "--branch", "27", "--year", "2025")
    assert result.code == 0, result.err
    assert "Created the FY2025 plan of Osaka" in result.out
    shown = cli("--db", demo, "--lang", "en", "show", "--branch", "27", "--year", "2025")
    assert shown.code == 0, shown.err
    assert "KPI table" in shown.out
    again = cli("--db", demo, "--lang", "en", "plan", "new", "--branch", "27", "--year", "2025")
    assert again.code == 2 and "already exists" in again.err
    with open_database(demo) as db:
        assert not plans.get_plan(db, "27", 2025).reports


def test_new_plan_from_a_template_file(cli, demo: Path, tmp_path: Path):
    path = tmp_path / "hq.json"
    cli("--db", demo, "plan", "export", "--branch", "00", "--year", "2025", "--out", path)
    empty = tmp_path / "empty.sqlite3"
    result = cli("--db", empty, "--lang", "en", "plan", "new", "--branch", "08", "--year", "2025",
                 "--template", path)  # fmt: skip
    assert result.code == 0, result.err
    shown = cli("--db", empty, "show", "--branch", "08", "--year", "2025")
    assert shown.code == 0, shown.err
    wrong = cli("--db", empty, "--lang", "en", "plan", "new", "--branch", "09", "--year", "2026",
                "--template", path)  # fmt: skip
    assert wrong.code == 2 and "FY2025, not FY2026" in wrong.err


def test_export_to_stdout_is_utf8_whatever_the_console(demo: Path, tmp_path: Path):
    """A Japanese Windows console speaks cp932, which lacks characters plans use
    (e.g. U+2212 −, ⅰ); the document on stdout stays UTF-8, byte for byte the file."""
    out = tmp_path / "plan.json"
    env = {**os.environ, "PYTHONIOENCODING": "cp932"}
    args = [sys.executable, "-m", "desktop", "--db", str(demo), "plan", "export"]
    common = ["--branch", "13", "--year", "2024"]
    piped = subprocess.run([*args, *common], capture_output=True, cwd=ROOT, env=env, timeout=120)
    assert piped.returncode == 0, piped.stderr
    subprocess.run([*args, *common, "--out", str(out)], check=True, cwd=ROOT, env=env)
    assert piped.stdout == out.read_bytes()
    assert "令和６年度東京支部事業計画" in piped.stdout.decode("utf-8")
