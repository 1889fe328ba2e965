"""SIGKILL a writer at a random moment, round after round; nothing acknowledged is lost.

How it works: a fork server (tests/reliability/store_rounds.py) has imported the
services once; each round it forks a child that opens the demo database and
stores edit after edit through the real services — KPI figures, two figures in
one transaction, a section's 実施状況 text, a section's mark, a step of a
section's review (handed in, sent back with a comment, approved and reopened by
the branch head with a password) — each in its own IMMEDIATE transaction with its
audit entries, and writes "ack i" once edit i's
call returned (acknowledged). The edits follow a fixed sequence (store_rounds.
edit_of), so the test knows what the database must hold after edit n. The test
kills the child with SIGKILL at a random moment — mostly 0–0.3 s into its
writing, one round in ten anywhere from the fork on (while it opens the
database) — then opens the database as the app does and requires:

- it opens, and `check` (desktop/services/check.py: integrity_check, references,
  structure, the audit chain, the stored values replayed against the trail,
  schema version) finds no problem — otherwise the round counts as *unopenable*;
- every slot holds what the sequence gives after the last acknowledged edit, or
  after the one in flight after it (all of it: the two-figure edit is never
  half there) — otherwise *lost*;
- the child died of the SIGKILL and wrote no error — otherwise *unexpected*.

The next round goes on from what is stored. `PLANDESK_RELIABILITY=full`: 1,000
kills (docs/RELIABILITY.md); CI: 8.
"""

from __future__ import annotations

import random
import signal
import time
from pathlib import Path

import pytest

from tests.helpers.fork import needs_fork
from tests.helpers.reports import add_reviewers
from tests.helpers.waiting import wait_until
from tests.reliability import store_rounds
from tests.reliability.scale import count
from tests.reliability.store_rounds import edit_of, read_acks, read_log, reopen, stored_slots

# The children are forked and killed with SIGKILL: POSIX only (CI runs on Linux).
pytestmark = needs_fork


@pytest.fixture
def server(tmp_path: Path):
    yield from store_rounds.fork_server(tmp_path / "server-data")


def _expected_after(start: dict[str, str], n: int, cache: dict[int, dict[str, str]]) -> dict:
    """The slots after edits 1..n of the sequence, from the state before edit 1."""
    done = max((k for k in cache if k <= n), default=0)
    state = dict(cache.get(done, start))
    for i in range(done + 1, n + 1):
        state.update(edit_of(i))
    cache.clear()  # only the newest is needed again: the count only grows
    cache[n] = state
    return dict(state)


def test_no_acknowledged_edit_is_lost_when_the_writer_is_killed(demo_db, server, tmp_path):
    path = demo_db.path
    add_reviewers(demo_db)
    start = stored_slots(demo_db)
    demo_db.close()
    rounds = count(short=8, full=1000)
    rng = random.Random()
    cache: dict[int, dict[str, str]] = {}
    stored_n = 0  # edits of the sequence the database holds
    acknowledged = lost = unopenable = unexpected = in_flight_kept = 0
    failures: list[str] = []
    started = time.monotonic()
    for r in range(rounds):
        acks = tmp_path / f"acks-{r}"
        log = tmp_path / f"child-{r}.log"
        early = r % 10 == 9  # killed anywhere, also while it opens the database
        pid = server.fork("edits", path=path, start=stored_n, acks=acks, log=log)
        if not early:
            wait_until(lambda a=acks: bool(read_acks(a)), timeout_s=120)
        code = server.kill(pid, after_s=rng.uniform(0, 0.5 if early else 0.3))
        said = read_acks(acks)
        acked = [int(w[1]) for w in said if w[0] == "ack"]
        acknowledged += len(acked)
        last = acked[-1] if acked else stored_n
        if code != -signal.SIGKILL or read_log(log).strip():
            unexpected += 1
            failures.append(f"round {r}: exit {code}: {read_log(log)[-2000:]}")
        after = reopen(path, stored_slots)
        if after.unopenable:
            unopenable += 1
            failures.append(f"round {r}: {after.unopenable}")
            break
        now = after.held
        if now == _expected_after(start, last, cache):
            stored_n = last
        elif now == _expected_after(start, last + 1, cache):
            stored_n = last + 1
            in_flight_kept += 1
        else:
            lost += 1
            failures.append(f"round {r}: after ack {last} the database holds {now}")
            break
    elapsed = time.monotonic() - started
    print(
        f"\nRELIABILITY kills: {rounds} kills, {acknowledged} acknowledged edits, "
        f"{in_flight_kept} in-flight edits found stored, lost {lost}, unopenable {unopenable}, "
        f"unexpected {unexpected}, {elapsed:.0f} s"
    )
    assert failures == []
    assert acknowledged > 0  # the kills landed while it wrote, not only before
