"""What the review tab pays to know whether the submission's signature still fits the
file (issue 17 item 1): ``submission_signing.signing_state`` lays the demo report's
pages out and seals them once when this PC's current key signed it.

    nice -n 10 .venv/bin/python tests/benchmarks/bench_signing_state.py [--runs 25]

Signs the demo branch's midyear report in a temporary database (a fast scrypt: the
key is not what is measured), then alternates, ``--runs`` times: the state with the
fit check (current key's signature: laid out), the state without it (a key rotated
since: nothing to lay out), ``signature_fits`` alone, and writing the submission
(``export_workbook``) for scale. Prints CPU and wall medians and minimums in ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from desktop.services import plans, signing_keys, submission_signing
from desktop.services.export import export_workbook
from desktop.workbooks.machine import Kind
from tests.helpers.reports import REF, sign_off_all


def _timed(work: Callable[[], object]) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    work()
    return time.process_time() - cpu, time.perf_counter() - wall


def _export(db: object, out: Path) -> object:
    return export_workbook(
        db,
        branch=REF.branch,
        fiscal_year=REF.fiscal_year,
        period=REF.period,
        kind=Kind.SUBMISSION,
        out=out,
        actor="head",
    )


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=25)
    runs = parser.parse_args().runs
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        db = plans.init_database(root / "demo.sqlite3")
        plans.install_demo(db, actor="demo")
        sign_off_all(db, REF, sign=True)
        fitting, rotated = root / "keys", root / "rotated"
        cost = signing_keys.KdfCost(n=2**10)
        signing_keys.create_key(fitting, "13", "passphrase-13", cost=cost)
        submission_signing.sign_again(
            db, REF, login="head", passphrase="passphrase-13", keys=fitting
        )
        signing_keys.create_key(rotated, "13", "another-one", cost=cost)
        (root / "out").mkdir()
        cases: dict[str, Callable[[], object]] = {
            "signing_state, current key (laid out)": lambda: submission_signing.signing_state(
                db, REF, fitting
            ),
            "signing_state, other key (not laid out)": lambda: submission_signing.signing_state(
                db, REF, rotated
            ),
            "signature_fits alone": lambda: submission_signing.signature_fits(db, REF),
            "export_workbook (for scale)": lambda: _export(db, root / "out"),
        }
        assert not submission_signing.signing_state(db, REF, fitting).outdated
        times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
        for work in cases.values():
            work()  # warm: imports, caches
        for _ in range(runs):
            for name, work in cases.items():
                times[name].append(_timed(work))
        db.close()
    print(f"{runs} runs, ms:            CPU median (min)   wall median (min)")
    for name, pairs in times.items():
        cpu = [c * 1000 for c, _ in pairs]
        wall = [w * 1000 for _, w in pairs]
        print(
            f"{name:42s} {statistics.median(cpu):7.1f} ({min(cpu):6.1f})"
            f"   {statistics.median(wall):7.1f} ({min(wall):6.1f})"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
