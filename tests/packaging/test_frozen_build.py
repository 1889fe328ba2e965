"""The frozen smoke test: PlanDesk built as one folder by PyInstaller
(packaging/build.py) runs on its own — the command line (--version, demo, show,
export, verify, check, and the upgrade of an old database, which needs the
Alembic revisions inside the folder) and the window, started offscreen on the
demo until its main window has painted, in Japanese with Qt's own Japanese.

The folder is built once per session into a temporary folder (a few minutes on
these machines). The same build runs on Windows in .github/workflows/windows.yml.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import os
import shutil
import sys
import time
from pathlib import Path
from types import ModuleType

import pytest

from desktop.store.database import head_revision
from tests.packaging.running import DATA, ROOT, Ran, clean_env, run


def _load(path: Path, name: str) -> ModuleType:
    """packaging/ is no package (and `build` is also a PyPI name): load it by path."""
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


packaging_build = _load(ROOT / "packaging" / "build.py", "plandesk_packaging_build")

EXE = ".exe" if sys.platform == "win32" else ""
# What the folder may weigh (Linux, measured 244 MiB with cryptography's 14 MiB: see
# docs/PERFORMANCE.md); a dependency or Qt module that slips in shows here.
MAX_MIB = 260


@pytest.fixture(scope="session")
def frozen(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The folder built here, or one built before (PLANDESK_FROZEN_DIR: the Windows
    workflow builds once and runs these tests on what it ships)."""
    given = os.environ.get("PLANDESK_FROZEN_DIR")
    if given:
        return Path(given).resolve()
    base = tmp_path_factory.mktemp("frozen")
    started = time.perf_counter()
    done = run(
        [sys.executable, ROOT / "packaging" / "build.py", "--dist", base / "dist",
         "--work", base / "work"],
        clean_env(base / "home"),
        ROOT, timeout=1200,
    )  # fmt: skip
    assert done.code == 0, done.out + done.err
    folder = base / "dist" / "PlanDesk"
    print(
        f"frozen build: {time.perf_counter() - started:.0f} s, "
        f"{packaging_build.folder_size(folder) / 2**20:.0f} MiB"
    )
    return folder


def _cli(folder: Path, home: Path, *args: str, stdin: str | None = None) -> Ran:
    return run([folder / f"plandesk-cli{EXE}", *args], clean_env(home), home, stdin=stdin)


@pytest.mark.packaging
def test_frozen_command_line(frozen, tmp_path):
    home = tmp_path / "home"
    db = str(tmp_path / "branch.sqlite3")
    out = tmp_path / "out"
    out.mkdir()
    done = _cli(frozen, home, "--version")
    assert (done.code, done.out.strip()) == (0, f"PlanDesk {packaging_build.version()}"), done
    done = _cli(frozen, home, "--db", db, "demo")
    assert done.code == 0, done.err
    done = _cli(frozen, home, "--db", db, "show", "--year", "2024", "--branch", "13")
    assert done.code == 0 and "ＫＰＩ設定項目一覧表" in done.out, done.err
    done = _cli(frozen, home, "--db", db, "export", "--year", "2024", "--branch", "13",
                "--period", "midyear", "--kind", "work", "--out", str(out))  # fmt: skip
    assert done.code == 0, done.err
    (workbook,) = out.glob("*.xlsx")
    done = _cli(frozen, home, "verify", str(workbook))
    assert done.code == 0 and "正常" in done.out, done.out + done.err
    # The PDF: fpdf2 and fontTools (whose font tables are imported by name) are in the folder.
    done = _cli(frozen, home, "--db", db, "export", "--year", "2024", "--branch", "13",
                "--period", "midyear", "--format", "pdf", "--out", str(out))  # fmt: skip
    assert done.code == 0 and not done.err, done.err
    (pdf,) = out.glob("*.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    done = _cli(frozen, home, "--db", db, "check")
    assert done.code == 0, done.out + done.err
    # Signing (cryptography: Ed25519, scrypt, AES-GCM) in the folder: HQ makes its key,
    # signs a template, a branch imports HQ's public key and verifies the template.
    hq, signed = str(tmp_path / "hq" / "hq.sqlite3"), tmp_path / "signed"
    signed.mkdir()
    assert _cli(frozen, home, "--db", hq, "demo").code == 0
    done = _cli(frozen, home, "--db", hq, "keys", "create", "--branch", "00", "--password-stdin",
                "--scrypt-log-n", "10", stdin="hq-passphrase\n")  # fmt: skip
    assert done.code == 0 and "指紋" in done.out, done.out + done.err
    done = _cli(frozen, home, "--db", hq, "export", "--year", "2025", "--branch", "00", "--kind",
                "template", "--sign", "--password-stdin", "--out", str(signed),
                stdin="hq-passphrase\n")  # fmt: skip
    assert done.code == 0 and "電子署名あり" in done.out, done.out + done.err
    done = _cli(frozen, home, "--db", hq, "keys", "export", str(tmp_path / "hq.pub.json"))
    assert done.code == 0, done.err
    assert _cli(frozen, home, "--db", db, "keys", "import", str(tmp_path / "hq.pub.json")).code == 0
    (template,) = signed.glob("*.xlsx")
    done = _cli(frozen, home, "--db", db, "verify", str(template))
    assert done.code == 0 and "正常" in done.out, done.out + done.err


@pytest.mark.packaging
def test_frozen_program_upgrades_the_oldest_database(frozen, tmp_path):
    old = tmp_path / "old.sqlite3"
    with gzip.open(DATA / "plandesk-rev0001.sqlite3.gz", "rb") as src, old.open("wb") as dst:
        shutil.copyfileobj(src, dst)
    done = _cli(frozen, tmp_path / "home", "--db", str(old), "--lang", "en", "check")
    assert done.code == 0, done.out + done.err
    head = head_revision()
    assert f"Schema version: {head} (this PlanDesk: {head})" in done.out


@pytest.mark.packaging
def test_frozen_window_starts_on_the_demo_and_paints(frozen, tmp_path):
    home = tmp_path / "home"
    db = str(tmp_path / "branch.sqlite3")
    assert _cli(frozen, home, "--db", db, "demo").code == 0
    report = tmp_path / "smoke.json"
    started = time.time()
    done = run([frozen / f"PlanDesk{EXE}", "--db", db],
               clean_env(home, PLANDESK_SMOKE_TEST=str(report)), home, timeout=180)  # fmt: skip
    assert report.exists(), done.out + done.err
    facts = json.loads(report.read_text(encoding="utf-8"))
    assert done.code == 0, (facts, done.err)
    assert facts["frozen"] and facts["visible"]
    assert "令和６年度東京支部事業計画" in facts["title"]
    assert facts["menus"][0] == "ファイル(&F)"  # PlanDesk's translation, from the folder
    assert facts["qt_cancel"] == "キャンセル"  # Qt's own (qtbase_ja), from the folder
    assert facts["missing_translations"] == []
    assert facts["icon_sizes"] == [16, 24, 32, 48, 64, 128, 256]
    print(f"frozen start to the painted main window: {facts['painted_at'] - started:.2f} s")


@pytest.mark.packaging
def test_frozen_folder_holds_only_what_is_used(frozen):
    names = {p.relative_to(frozen).as_posix() for p in frozen.rglob("*")}
    assert f"PlanDesk{EXE}" in names and f"plandesk-cli{EXE}" in names
    inside = "_internal/"
    for needed in ("desktop/resources/i18n/plandesk_ja.qm", "desktop/resources/plans/tokyo_2024.json",
                   "desktop/store/migrations/versions/0001_initial_schema.py"):  # fmt: skip
        assert inside + needed in names, needed
    # Qt's own Japanese: PySide6/Qt/translations on Linux, PySide6/translations on Windows.
    assert [n for n in names if n.endswith("translations/qtbase_ja.qm")]
    unused = ("QtNetwork", "QtQml", "QtQuick", "QtWebEngine", "Qt3D", "QtMultimedia", "QtPdf",
              "libqgtk3", "wayland", "qtbase_de.qm", "pyqtgraph/opengl", "pyqtgraph/examples")  # fmt: skip
    assert not [n for n in names for u in unused if u.lower() in n.lower()]
    size = packaging_build.folder_size(frozen) / 2**20
    assert size < MAX_MIB, f"{size:.0f} MiB"


def test_windows_version_resource_names_the_version():
    """The version resource PyInstaller puts into the Windows programs: a Python
    expression of PyInstaller's version-info classes (checked here with stand-ins,
    since their module needs pefile, a Windows-side package)."""
    text = packaging_build.version_resource("1.2.3rc1")

    def record(kind: str):
        return lambda *args, **kwargs: (kind, args, kwargs)

    names = ["VSVersionInfo", "FixedFileInfo", "StringFileInfo", "StringTable",
             "StringStruct", "VarFileInfo", "VarStruct"]  # fmt: skip
    info = eval(text, {n: record(n) for n in names})  # the file is an expression by design
    fixed = info[2]["ffi"][2]
    assert fixed["filevers"] == fixed["prodvers"] == (1, 2, 3, 0)
    assert "StringStruct('ProductVersion', '1.2.3rc1')" in text
    assert packaging_build.version_numbers(packaging_build.version()) >= (0, 1, 0, 0)
