"""Cold start to the painted main window on the demo database, against a bare
PySide6 + pyqtgraph window of the same shape (tests/benchmarks/bare_window.py),
in the same run and alternating the two (issue 14 item 6; docs/PERFORMANCE.md).

    QT_QPA_PLATFORM=offscreen .venv/bin/python -m pytest tests/benchmarks/test_bench_start.py --benchmark-enable -s
    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/benchmarks/test_bench_start.py --runs 9

Each start is a fresh process (``plandesk`` with PLANDESK_SMOKE_TEST, as
packaging/measure_start.py times the frozen build), timed from launching it to
the first paint of its window, with a fresh settings folder each time; the peak
resident memory of each process is its RSS with the window open. The test
checks that each start painted its window, not how long it took (a timed
assertion would fail on a loaded machine); the figures go to the report and to
pytest-benchmark's extra_info. The normal test run does one pair.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import sys
import tempfile
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]
BARE = [sys.executable, str(Path(__file__).with_name("bare_window.py"))]
APP = [sys.executable, "-m", "desktop"]
RUNS = 9  # pairs when the benchmarks are enabled


def _measure_start() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "measure_start", ROOT / "packaging" / "measure_start.py"
    )
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]  # its dataclass looks it up
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


def compare(db: Path, work: Path, runs: int) -> dict[str, list]:
    """``runs`` pairs of starts, bare window first then the app, alternated."""
    measure = _measure_start()
    starts: dict[str, list] = {"bare": [], "app": []}
    for _ in range(runs):
        starts["bare"].append(measure.start_once(BARE, db, work))
        starts["app"].append(measure.start_once(APP, db, work))
    return starts


def summary(starts: dict[str, list]) -> dict[str, float]:
    out: dict[str, float] = {}
    for name, runs in starts.items():
        out[f"{name}_median_s"] = statistics.median(s.seconds for s in runs)
        out[f"{name}_min_s"] = min(s.seconds for s in runs)
        rss = [s.peak_rss_mib for s in runs if s.peak_rss_mib is not None]
        if rss:
            out[f"{name}_rss_mib"] = statistics.median(rss)
    out["ratio_of_medians"] = out["app_median_s"] / out["bare_median_s"]
    return out


def report(figures: dict[str, float], runs: int) -> str:
    lines = [f"{runs} starts each, alternated:"]
    for name in ("bare", "app"):
        rss = figures.get(f"{name}_rss_mib")
        lines.append(
            f"  {name}: median {figures[f'{name}_median_s']:.3f} s, "
            f"min {figures[f'{name}_min_s']:.3f} s"
            + (f", peak RSS {rss:.0f} MiB" if rss is not None else "")
        )
    lines.append(f"  app / bare (medians): {figures['ratio_of_medians']:.2f}x")
    return "\n".join(lines)


def _painted(starts: dict[str, list]) -> None:
    for name, runs in starts.items():
        for start in runs:
            assert start.facts["visible"] and start.facts["painted_at"], (name, start.facts)
    for start in starts["app"]:  # the app's own window, on the demo report
        assert "令和６年度東京支部事業計画" in start.facts["title"], start.facts


def test_start_against_a_bare_window(benchmark, _demo_template, tmp_path):
    from desktop.store.database import backup_database

    db = tmp_path / "demo.sqlite3"
    backup_database(_demo_template, db)
    runs = 1 if benchmark.disabled else RUNS
    collected: dict[str, list] = {"bare": [], "app": []}

    def one_pair() -> None:
        for name, runs_ in compare(db, tmp_path, 1).items():
            collected[name].extend(runs_)

    benchmark.pedantic(one_pair, rounds=runs, iterations=1)
    _painted(collected)
    assert len(collected["app"]) == len(collected["bare"]) == runs
    figures = summary(collected)
    benchmark.extra_info.update(figures)
    print("\n" + report(figures, runs))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=RUNS)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from desktop.services import plans
    from desktop.store.database import open_database

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        db = work / "demo.sqlite3"
        with open_database(db, create=True) as database:
            plans.install_demo(database, actor="bench")
        starts = compare(db, work, args.runs)
        _painted(starts)
    print(report(summary(starts), args.runs))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
