"""The collector is paused while HQ reads a folder, and as it was afterwards."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from desktop import collector
from desktop.domain.model import PeriodKind
from desktop.services.consolidation import consolidate_folder
from desktop.services.consolidation_tree import consolidate_tree
from desktop.services.demo_submissions import write_demo_submissions


@pytest.fixture(autouse=True)
def _collector_back_on():
    yield
    gc.enable()  # whatever a test did, the next one starts as every process does


def test_inside_off_after_on_and_after_an_error_too():
    assert gc.isenabled()
    with collector.paused():
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(RuntimeError), collector.paused():
        raise RuntimeError("a read refused")
    assert gc.isenabled()


def test_a_pause_inside_another_leaves_it_off_and_an_off_collector_stays_off():
    with collector.paused():
        with collector.paused():
            pass
        assert not gc.isenabled()  # the outer block is still reading
    assert gc.isenabled()
    gc.disable()
    with collector.paused():
        pass
    assert not gc.isenabled()  # a process that turned it off keeps it off


@pytest.fixture(scope="module")
def share(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("share") / "2024" / "上期"
    write_demo_submissions(folder, branches=["01", "13"])
    return folder


def _seen_while_reading() -> tuple[list[bool], object]:
    seen: list[bool] = []
    return seen, lambda *_args: seen.append(gc.isenabled())


def test_a_folder_is_read_with_the_collector_paused_and_it_is_back_after(share: Path):
    seen, look = _seen_while_reading()
    result = consolidate_folder(
        share, fiscal_year=2024, period=PeriodKind.MIDYEAR, on_file=look, progress=look
    )
    assert len(result.results) == 2 and seen and not any(seen)
    assert gc.isenabled()


def test_a_tree_is_read_with_the_collector_paused_and_it_is_back_after(share: Path):
    seen, look = _seen_while_reading()
    result = consolidate_tree(share.parent.parent, on_file=look, progress=look)
    assert len(result.runs) == 1 and seen and not any(seen)
    assert gc.isenabled()


def test_a_scan_stopped_by_its_caller_turns_the_collector_back_on(share: Path):
    """HQ's board stops a scan by raising from its progress callback (Cancel)."""

    def stop(*_args: object) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        consolidate_folder(share, fiscal_year=2024, period=PeriodKind.MIDYEAR, on_file=stop)
    assert gc.isenabled()
