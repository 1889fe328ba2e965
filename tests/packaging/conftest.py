"""PlanDesk as people get it: a wheel in a fresh venv, the frozen folder, the
Windows kit. Everything is built once per test session in a temporary folder.

These tests run programs, not imports: each one starts with a clean
environment (its own data folder, settings folder and home), so nothing of the
developer's machine or of the editable install can stand in for what is built.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.packaging.running import pip, source_copy


@pytest.fixture(scope="session")
def plandesk_wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """PlanDesk's own wheel, built from a clean copy of the sources."""
    base = tmp_path_factory.mktemp("wheel")
    source = source_copy(base / "src")
    pip("wheel", "--no-deps", "-q", "-w", base / "dist", source)
    (wheel,) = (base / "dist").glob("plandesk-*.whl")
    return wheel
