"""Assemble the offline kit for Windows PCs without internet, on a connected PC.

    python packaging/windows/make_kit.py [--out DIR] [--frozen DIR] [--installer FILE]

writes DIR (default dist/PlanDesk-kit-<version>) holding

    wheelhouse/       PlanDesk's own wheel and every dependency as a win_amd64 /
                      CPython 3.11 wheel, exactly the versions and hashes of
                      requirements-win_amd64-py311.txt
    PlanDesk/         the frozen program folder, when --frozen is given (built on
                      Windows by packaging/build.py)
    PlanDesk-setup-<version>.exe   the NSIS installer, when --installer is given
    install.ps1, install.cmd, uninstall.ps1, uninstall.cmd, the lock file

It runs on any system with pip and network (the wheels are chosen for Windows,
not for the PC it runs on). Carry the folder across and run install.cmd there.
"""

from __future__ import annotations

import argparse
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
LOCK = HERE / "requirements-win_amd64-py311.txt"
SCRIPTS = ("install.ps1", "install.cmd", "uninstall.ps1", "uninstall.cmd")
# The Windows PCs: 64-bit, the CPython of the lock.
TARGET = ["--platform", "win_amd64", "--python-version", "3.11", "--implementation", "cp",
          "--only-binary=:all:"]  # fmt: skip


def version() -> str:
    text = (ROOT / "desktop" / "__init__.py").read_text(encoding="utf-8")
    return re.search(r'^__version__ = "([^"]+)"', text, re.M).group(1)  # type: ignore[union-attr]


def pip(*args: str | Path) -> None:
    subprocess.run([sys.executable, "-m", "pip", "--disable-pip-version-check", *map(str, args)],
                   check=True)  # fmt: skip


def build_wheel(dest: Path) -> Path:
    """PlanDesk's own wheel from a clean copy of the sources (no build/ leftovers)."""
    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "src"
        shutil.copytree(ROOT / "desktop", source / "desktop",
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))  # fmt: skip
        for name in ("pyproject.toml", "README.md"):
            shutil.copy2(ROOT / name, source / name)
        pip("wheel", "--no-deps", "-q", "-w", dest, source)
    return next(dest.glob(f"plandesk-{version()}-*.whl"))


def assemble_wheelhouse(wheelhouse: Path, plandesk_wheel: Path | None = None) -> Path:
    """Download the locked win_amd64 wheels (hashes checked) and add PlanDesk's wheel."""
    wheelhouse.mkdir(parents=True, exist_ok=True)
    pip("download", "-q", "--require-hashes", "--no-deps", *TARGET, "-r", LOCK, "-d", wheelhouse)
    if plandesk_wheel is None:
        plandesk_wheel = build_wheel(wheelhouse)
    elif plandesk_wheel.parent != wheelhouse:
        shutil.copy2(plandesk_wheel, wheelhouse)
    return wheelhouse


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "dist" / f"PlanDesk-kit-{version()}")
    parser.add_argument("--frozen", type=Path, help="the PlanDesk folder built on Windows")
    parser.add_argument("--installer", type=Path, help="PlanDesk-setup-<version>.exe")
    args = parser.parse_args(argv)
    out: Path = args.out.resolve()
    if out.exists():
        shutil.rmtree(out)
    assemble_wheelhouse(out / "wheelhouse")
    for name in (*SCRIPTS, LOCK.name):
        shutil.copy2(HERE / name, out / name)
    if args.frozen:
        shutil.copytree(args.frozen, out / "PlanDesk")
    if args.installer:
        shutil.copy2(args.installer, out / args.installer.name)
    size = sum(p.stat().st_size for p in out.rglob("*") if p.is_file())
    print(f"{out}: {size / 2**20:.0f} MiB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
