"""Running built programs for the packaging tests: a clean environment per run,
this venv's pip, a clean copy of the sources."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
DATA = ROOT / "tests" / "data"


@dataclass(frozen=True)
class Ran:
    code: int
    out: str
    err: str


def clean_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment of a person's first start: nothing of this session's
    PLANDESK_* settings, its own home, data and settings folders."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("PLANDESK_", "PYTHON", "VIRTUAL_ENV")) and k != "HOME"
    }
    home.mkdir(parents=True, exist_ok=True)
    env.update(
        HOME=str(home),
        XDG_CONFIG_HOME=str(home / ".config"),
        XDG_DATA_HOME=str(home / ".local" / "share"),
        PLANDESK_DATA_DIR=str(home / "PlanDesk"),
        QT_QPA_PLATFORM="offscreen",
    )
    env.update(extra)
    return env


def run(
    command: list[str | Path],
    env: dict[str, str],
    cwd: Path,
    timeout: int = 300,
    stdin: str | None = None,
) -> Ran:
    done = subprocess.run(
        [str(c) for c in command],
        env=env,
        cwd=cwd,
        input=stdin,
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",
        timeout=timeout,
    )
    return Ran(done.returncode, done.stdout, done.stderr)


def pip(*args: str | Path, cwd: Path | None = None, timeout: int = 900) -> None:
    """This venv's pip, quietly; a failure shows pip's own output."""
    done = subprocess.run(
        [str(VENV_BIN / "python"), "-m", "pip", "--disable-pip-version-check", *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
    if done.returncode != 0:
        pytest.fail(f"pip {' '.join(map(str, args))} failed:\n{done.stdout}\n{done.stderr}")


def source_copy(to: Path) -> Path:
    """What a clean checkout holds of the project: the package, pyproject and README
    (no build/ or *.egg-info left by an editable install to leak into the wheel)."""
    to.mkdir(parents=True)
    shutil.copytree(
        ROOT / "desktop", to / "desktop", ignore=shutil.ignore_patterns("__pycache__", "*.pyc")
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(ROOT / name, to / name)
    return to
