"""A regular (not editable) install from the built wheel works on its own: the
bundled demo plans, the templates and the translations travel inside the
package (an editable install hid their absence once: TRAPS, "Found in this
project")."""

from __future__ import annotations

import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.packaging.running import ROOT, Ran, clean_env, pip, run

pytestmark = pytest.mark.packaging

PACKAGE_DATA = [
    "desktop/resources/plans/tokyo_2023.json",
    "desktop/resources/plans/tokyo_2024.json",
    "desktop/resources/templates/hq_2025.json",
    "desktop/resources/i18n/plandesk_ja.qm",
    "desktop/resources/icons/plandesk-256.png",
    "desktop/store/migrations/env.py",
    "desktop/store/migrations/versions/0001_initial_schema.py",
]


@pytest.fixture(scope="session")
def installed(plandesk_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh venv with PlanDesk installed from its wheel; the dependencies come
    from a wheelhouse gathered once (pip's cache makes that quick after the first
    time), and the install itself is offline (--no-index)."""
    base = tmp_path_factory.mktemp("fresh")
    started = time.perf_counter()
    wheelhouse = base / "wheelhouse"
    pip("download", "-q", "-d", wheelhouse, plandesk_wheel)
    venv = base / "venv"
    done = run([sys.executable, "-m", "venv", venv], clean_env(base / "home"), base)
    assert done.code == 0, done.err
    python = venv / "bin" / "python"
    done = run(
        [python, "-m", "pip", "install", "-q", "--no-index", "--find-links", wheelhouse,
         "--disable-pip-version-check", "plandesk"],
        clean_env(base / "home"), base, timeout=900,
    )  # fmt: skip
    assert done.code == 0, done.out + done.err
    print(f"fresh venv with the wheel installed in {time.perf_counter() - started:.1f} s")
    return venv


def test_the_wheel_carries_the_package_data(plandesk_wheel):
    names = set(zipfile.ZipFile(plandesk_wheel).namelist())
    for name in PACKAGE_DATA:
        assert name in names, name
    assert not [n for n in names if n.startswith("resources/")]  # nothing outside the package


def _plandesk(venv: Path, home: Path, *args: str) -> Ran:
    return run([venv / "bin" / "plandesk", *args], clean_env(home), home)


def test_installed_wheel_runs_demo_show_export_verify(installed, tmp_path):
    home = tmp_path / "home"
    db = str(tmp_path / "branch.sqlite3")
    out = tmp_path / "out"
    out.mkdir()

    done = _plandesk(installed, home, "--version")
    assert done.code == 0 and done.out.strip() == "PlanDesk 0.1.0", done
    done = _plandesk(installed, home, "--db", db, "demo")
    assert done.code == 0, done.err
    assert "令和６年度東京支部事業計画" in done.out
    done = _plandesk(installed, home, "--db", db, "show", "--year", "2024", "--branch", "13")
    assert done.code == 0, done.err
    assert "ＫＰＩ設定項目一覧表" in done.out
    done = _plandesk(installed, home, "--db", db, "export", "--year", "2024", "--branch", "13",
                     "--period", "midyear", "--kind", "work", "--out", str(out))  # fmt: skip
    assert done.code == 0, done.err
    (workbook,) = out.glob("*.xlsx")
    done = _plandesk(installed, home, "verify", str(workbook))
    assert done.code == 0, done.out + done.err
    done = _plandesk(installed, home, "--db", db, "check")
    assert done.code == 0, done.out + done.err


def test_installed_wheel_finds_its_japanese_translation(installed, tmp_path):
    """From the installed package, not from the source tree: run outside the checkout,
    and the module's own path is printed to prove where it came from."""
    probe = (
        "import desktop; from PySide6.QtWidgets import QApplication; "
        "from desktop.ui.i18n import install_translators, missing_translations; "
        "app = QApplication([]); ok = install_translators(app, 'ja'); "
        "print(desktop.__file__); print(ok, missing_translations()); "
        "print(app.translate('SectionForm', '&What was done (実施状況)')); "
        "print(app.translate('QPlatformTheme', 'Cancel'))"
    )
    done = run([installed / "bin" / "python", "-c", probe], clean_env(tmp_path / "h"), tmp_path)
    assert done.code == 0, done.err
    where, loaded, ours, qts = done.out.splitlines()
    assert Path(where).is_relative_to(installed) and not Path(where).is_relative_to(ROOT)
    assert loaded == "True ()"
    assert ours == "実施状況(&W)"
    assert qts == "キャンセル"
