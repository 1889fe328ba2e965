"""The offline Windows kit (packaging/windows): the lock agrees with pyproject, the
wheelhouse it downloads resolves PlanDesk completely offline for Windows x64 /
CPython 3.11, the NSIS installer compiles, and the scripts keep the data.

The wheelhouse is downloaded once per test session (≈93 MB of win_amd64 wheels;
pip's cache serves later sessions). The install scripts and the installer cannot
run here; .github/workflows/windows.yml runs them on a Windows runner.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from tests.packaging.running import ROOT, VENV_BIN, clean_env, run

KIT = ROOT / "packaging" / "windows"
sys.path.insert(0, str(KIT))
import make_kit  # noqa: E402  (packaging/windows is no package)


def _pyproject_dependencies() -> list[Requirement]:
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    return [Requirement(r) for r in project["dependencies"]]


def _locked() -> dict[str, tuple[str, list[str]]]:
    """name → (version, hashes) from the lock file."""
    text = make_kit.LOCK.read_text(encoding="utf-8")
    out = {}
    for block in re.split(r"\n(?=\S)", text):
        match = re.match(r"([A-Za-z0-9_.-]+)==(\S+)", block)
        if match:
            name = re.sub(r"[-_.]+", "-", match.group(1)).lower()
            out[name] = (match.group(2), re.findall(r"--hash=sha256:([0-9a-f]{64})", block))
    return out


def test_the_lock_pins_every_dependency_with_hashes():
    locked = _locked()
    for requirement in _pyproject_dependencies():
        name = re.sub(r"[-_.]+", "-", requirement.name).lower()
        assert name in locked, f"{requirement} is not in {make_kit.LOCK.name}: run lock.py"
        version, _hashes = locked[name]
        assert requirement.specifier.contains(version), f"{requirement} vs locked {version}"
    assert all(hashes for _v, hashes in locked.values())


@pytest.fixture(scope="session")
def windows_wheelhouse(plandesk_wheel: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    wheelhouse = tmp_path_factory.mktemp("kit") / "wheelhouse"
    started = time.perf_counter()
    make_kit.assemble_wheelhouse(wheelhouse, plandesk_wheel)
    size = sum(p.stat().st_size for p in wheelhouse.iterdir()) / 2**20
    print(f"Windows wheelhouse: {size:.0f} MiB in {time.perf_counter() - started:.1f} s")
    return wheelhouse


@pytest.mark.packaging
def test_the_wheelhouse_resolves_plandesk_offline_for_windows(windows_wheelhouse, tmp_path):
    # No index, no configuration (this machine's pip config names extra wheel folders).
    env = clean_env(tmp_path / "home", PIP_CONFIG_FILE=os.devnull)
    report = tmp_path / "report.json"
    done = run(
        [VENV_BIN / "python", "-m", "pip", "install", "--dry-run", "--no-index",
         "--find-links", windows_wheelhouse, "--only-binary=:all:", "--platform", "win_amd64",
         "--python-version", "3.11", "--implementation", "cp", "--target", tmp_path / "target",
         "--disable-pip-version-check", "--report", report, "plandesk"],
        env, tmp_path,
    )  # fmt: skip
    assert done.code == 0, done.out + done.err
    installs = json.loads(report.read_text(encoding="utf-8"))["install"]
    files = {i["download_info"]["url"].rsplit("/", 1)[-1] for i in installs}
    # Every wheel of the kit is needed, and each is for Windows x64 or for any platform.
    assert files == {p.name for p in windows_wheelhouse.glob("*.whl")}
    assert all(re.search(r"-(win_amd64|any)\.whl$", f) for f in files), files
    locked = _locked()
    for item in installs:
        name = re.sub(r"[-_.]+", "-", item["metadata"]["name"]).lower()
        if name != "plandesk":
            assert item["metadata"]["version"] == locked[name][0], name
    assert not (tmp_path / "target").exists()  # a dry run


def _nsis(tmp_path: Path, source: Path) -> subprocess.CompletedProcess:
    makensis = shutil.which("makensis")
    assert makensis, "makensis not found: apt-get install nsis (README's prerequisite line)"
    out = tmp_path / "PlanDesk-installer-0.1.0.exe"
    return subprocess.run(
        [makensis, "-V2", "-WX", f"-DSOURCE={source}", "-DVERSION=0.1.0", f"-DOUTFILE={out}",
         str(KIT / "plandesk.nsi")],
        capture_output=True, text=True,
    )  # fmt: skip


def test_the_installer_script_compiles(tmp_path):
    """Against a stand-in for the Windows folder (the real one is built on Windows)."""
    source = tmp_path / "PlanDesk"
    icons = source / "_internal" / "desktop" / "resources" / "icons"
    icons.mkdir(parents=True)
    shutil.copy2(ROOT / "desktop" / "resources" / "icons" / "plandesk.ico", icons)
    (source / "PlanDesk.exe").write_bytes(b"MZ stand-in")
    (source / "plandesk-cli.exe").write_bytes(b"MZ stand-in")
    done = _nsis(tmp_path, source)
    assert done.returncode == 0, done.stdout + done.stderr
    installer = tmp_path / "PlanDesk-installer-0.1.0.exe"
    assert installer.read_bytes()[:2] == b"MZ"


def test_the_installer_needs_the_program_folder(tmp_path):
    done = _nsis(tmp_path, tmp_path / "missing")
    assert done.returncode != 0


@pytest.mark.parametrize("script", ["install.ps1", "uninstall.ps1", "plandesk.nsi"])
def test_the_scripts_install_per_user_and_never_remove_the_data(script):
    text = (KIT / script).read_text(encoding="utf-8-sig")
    assert "Programs\\PlanDesk" in text
    assert "HKLM" not in text and "Program Files" not in text  # nothing that needs admin
    text = re.sub(r"<#.*?#>", "", text, flags=re.S)  # PowerShell's help block: words only
    code = [line for line in text.splitlines() if not line.lstrip().startswith((";", "#"))]
    removals = [line for line in code if re.search(r"Remove-Item|RMDir|^\s*Delete ", line)]
    for line in removals:  # only the program folder, the shortcut and the registry entry
        assert re.search(r"\$Target|\$INSTDIR|\$StartMenu|\$UninstallKey|PlanDesk\.lnk", line), line
        assert "$Data" not in line


def test_powershell_scripts_carry_a_bom():
    """Windows PowerShell 5.1 reads a script without a BOM in the ANSI code page
    (cp932 on Japanese Windows): the Japanese messages would break the script."""
    for name in ("install.ps1", "uninstall.ps1"):
        assert (KIT / name).read_bytes()[:3] == b"\xef\xbb\xbf", name
