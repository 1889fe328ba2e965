"""A full disk under the database and under the export folder: refused, nothing lost.

Two ways to fill a disk, each used for the database and for exports:

- a real full file system: a tmpfs of a few hundred KiB (``small_disk`` in
  tests/conftest.py; mounting needs root — skipped, with the reason, where it is
  not allowed), filled by a filler file up to a random number of free bytes;
- everywhere: a child forked by the fork server (tests/reliability/store_rounds.py)
  that sets RLIMIT_FSIZE (SIGXFSZ ignored), so any write of a file past a random
  limit fails (EFBIG) as a write on a full disk fails (ENOSPC).

Each round writes section texts of random length (up to the 5,000 characters a
実施状況 takes) until one does not fit; an export writes the submission workbook
over a previous one. Required:

- an edit that does not fit is refused with the app's message (a StoreError:
  "nothing of this change was saved", Japanese and English), changes nothing
  (the database still holds the last acknowledged text), and once space returns
  the database opens, `check` passes and holds every acknowledged edit —
  a refusal of another kind or a traceback counts as *unexpected*, a missing
  edit as *lost*, a database that does not open or fails `check` as *unopenable*;
- an export into a full folder is refused with a message (UserError), leaves no
  partial or temporary file and the previous file byte for byte as it was; the
  CLI exits 1 with one message and no traceback.
"""

from __future__ import annotations

import contextlib
import json
import random
import shutil
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.domain.errors import UserError
from desktop.domain.model import PeriodKind
from desktop.services.export import export_pdf, export_workbook
from desktop.store.database import backup_database, open_database
from desktop.store.errors import StoreError
from desktop.workbooks.machine import Kind
from tests.helpers.fork import needs_fork
from tests.helpers.reports import sign_off_all
from tests.reliability import store_rounds
from tests.reliability.scale import count, is_full
from tests.reliability.store_rounds import (
    TEXT_NODE,
    read_acks,
    read_log,
    reopen,
    set_text,
    stored_slots,
)

MESSAGE_JA = "保存されていません"
MESSAGE_EN = "Nothing of this change was saved"
FULL_JA = ("ディスクの空き容量が足りない", "入出力エラー")  # a full tmpfs may answer EIO


# The children are forked and killed with SIGKILL: POSIX only (CI runs on Linux).
pytestmark = needs_fork


@pytest.fixture
def server(tmp_path: Path):
    yield from store_rounds.fork_server(tmp_path / "server-data")


def _fill(disk: Path, free: int) -> Path:
    """Leave about ``free`` bytes free on ``disk``: a filler file takes the rest."""
    filler = disk / "filler"
    with filler.open("wb") as fh:
        room = shutil.disk_usage(disk).free - free
        with contextlib.suppress(OSError):
            while room > 0:
                fh.write(b"\0" * min(room, 1 << 16))
                fh.flush()
                room = shutil.disk_usage(disk).free - free
    return filler


def _held(db) -> str:
    """Which numbered text the section holds ("-" for the demo's own)."""
    text = stored_slots(db)[f"text:{TEXT_NODE}"]
    return text.split(":")[0] if ":" in text[:8] else "-"


def _sizes(rng: random.Random, n: int) -> list[int]:
    return [rng.randint(100, 4990) for _ in range(n)]


# --- the database -------------------------------------------------------------------


def test_edits_on_a_full_disk_are_refused_and_nothing_is_lost(demo_db, tmp_path, small_disk):
    disk = small_disk(demo_db.path.stat().st_size // 1024 + 2048)
    path = disk / "full.sqlite3"
    demo_db.close()
    backup_database(demo_db.path, path)
    rounds = count(short=2, full=200)
    rng = random.Random()
    last = "-"
    acknowledged = refused = lost = unopenable = 0
    unexpected: list[str] = []
    n = 0
    for _ in range(rounds):
        with open_database(path) as db:  # opened while there is room, as the app was
            filler = _fill(disk, rng.randint(0, 256 * 1024))
            for size in _sizes(rng, 8):
                n += 1
                try:
                    set_text(db, f"{n}:" + "記" * size)
                    last = str(n)
                    acknowledged += 1
                except StoreError as exc:
                    refused += 1
                    ja, en = exc.message("ja"), exc.message("en")
                    if not (
                        MESSAGE_JA in ja and MESSAGE_EN in en and any(w in ja for w in FULL_JA)
                    ):
                        unexpected.append(f"{type(exc).__name__}: {en}")
                    if _held(db) != last:
                        lost += 1
                except Exception as exc:  # counted and named: the figure is what matters
                    unexpected.append(repr(exc))
        filler.unlink()  # space returns
        after = reopen(path, _held)
        if after.opened and after.held != last:
            lost += 1
        if after.unopenable:
            unopenable += 1
            unexpected.append(f"once space returned: {after.unopenable}")
            if not after.opened:
                break
    print(
        f"\nRELIABILITY disk full (tmpfs, database): {rounds} rounds, {acknowledged} edits "
        f"acknowledged, {refused} refused, lost {lost}, unopenable {unopenable}, "
        f"unexpected {len(unexpected)}"
    )
    assert refused > 0  # the disk was full, or the test tested nothing
    assert (lost, unopenable, unexpected) == (0, 0, [])


def test_edits_past_the_file_size_limit_are_refused_and_nothing_is_lost(demo_db, tmp_path, server):
    path = demo_db.path
    demo_db.close()
    rounds = count(short=2, full=200)
    rng = random.Random()
    last = "-"
    acknowledged = refused = lost = unopenable = 0
    unexpected: list[str] = []
    for r in range(rounds):
        # A commit appends to the WAL (emptied when the last connection closed): from
        # its size now to a few commits more.
        wal = Path(f"{path}-wal")
        # (At least 64 KiB: the test's own report files are files under the limit too.)
        limit = (wal.stat().st_size if wal.exists() else 0) + rng.randint(64, 320) * 1024
        acks, log = tmp_path / f"acks-{r}", tmp_path / f"log-{r}"
        pid = server.fork(
            "edits_past_limit", path=path, first=r * 100, limit=limit,
            sizes=",".join(map(str, _sizes(rng, 16))), acks=acks, log=log,
        )  # fmt: skip
        code = server.wait(pid)
        said = read_acks(acks)
        logged = read_log(log)
        # The limit stops the error log too (in the data folder and in the temporary
        # one): then one line, never a traceback, goes to stderr, this log. An exception
        # the job did not expect ends it with exit 70 instead of "done".
        if code != 0 or said[-1:] != [["done"]] or "Traceback" in logged:
            unexpected.append(f"round {r}: exit {code}: {logged[-2000:]}")
        for line in said:
            if line[0] == "ack":
                last = line[1]
                acknowledged += 1
            elif line[0] == "refused":
                refused += 1
                if line[1] not in ("DiskFull", "StorageIOError"):
                    unexpected.append(f"round {r}: refused with {line[1]}")
            elif line[0] == "holds" and line[1] != last:
                lost += 1  # a refused edit changed what the database holds
            elif line[0] == "unread" and line[1] not in ("DiskFull", "StorageIOError"):
                unexpected.append(f"round {r}: a read refused with {line[1]}")
        if MESSAGE_JA not in logged and refused:
            unexpected.append(f"round {r}: no message: {logged[-500:]}")
        after = reopen(path, _held)
        if after.unopenable:
            unopenable += 1
            unexpected.append(f"round {r}: {after.unopenable}")
            if not after.opened:
                break
        if after.held != last:
            lost += 1
    print(
        f"\nRELIABILITY disk full (file size limit, database): {rounds} rounds, {acknowledged} "
        f"edits acknowledged, {refused} refused, lost {lost}, unopenable {unopenable}, "
        f"unexpected {len(unexpected)}"
    )
    assert refused > 0
    assert (lost, unopenable, unexpected) == (0, 0, [])


# --- the export folder ----------------------------------------------------------------


def _export(db, out: Path) -> None:
    export_workbook(db, branch="13", fiscal_year=2024, kind=Kind.SUBMISSION, out=out,
                    actor="disk", period=PeriodKind.MIDYEAR, overwrite_signed_off=True)  # fmt: skip


# Replacing a signed-off submission needs --overwrite; the full disk is what refuses here.
# The export's own refusal, or the database's when it could not even be read.
REFUSED = [[["refused", kind, "said"]] for kind in ("NotWritten", "StorageIOError", "DiskFull")]
CLI_EXPORT = ["export", "--year", "2024", "--branch", "13", "--period", "midyear", "--overwrite"]


def test_an_export_into_a_full_folder_keeps_the_previous_file(demo_db, small_disk, capsys):
    disk = small_disk(2048)
    out = disk / "report.xlsx"
    sign_off_all(demo_db)
    _export(demo_db, out)
    previous = out.read_bytes()
    # The PDF takes seconds to lay out: the full run only (docs/RELIABILITY.md).
    pdf = disk / "report.pdf"
    if is_full():
        export_pdf(demo_db, branch="13", fiscal_year=2024, out=pdf, actor="disk",
                   period=PeriodKind.MIDYEAR)  # fmt: skip
    previous_pdf = pdf.read_bytes() if is_full() else b""
    rounds = count(short=2, full=50)
    rng = random.Random()
    refused = 0
    unexpected: list[str] = []
    for r in range(rounds):
        filler = _fill(disk, rng.randint(0, len(previous) - 1))
        try:
            _export(demo_db, out)
            unexpected.append(f"round {r}: written where it cannot fit")
        except UserError as exc:
            refused += 1
            if "ディスクの空き容量が足りない" not in exc.message("ja") or (
                "Not enough disk space" not in exc.message("en")
            ):
                unexpected.append(f"round {r}: {exc.message('en')}")
        if r == 0 and is_full():
            with pytest.raises(UserError) as refusal:
                export_pdf(demo_db, branch="13", fiscal_year=2024, out=pdf, actor="disk",
                           period=PeriodKind.MIDYEAR)  # fmt: skip
            if "ディスクの空き容量が足りない" not in refusal.value.message("ja"):
                unexpected.append(f"the PDF: {refusal.value.message('en')}")
        if r == 0:  # the command line, once
            capsys.readouterr()
            code = main([*CLI_EXPORT, "--db", str(demo_db.path), "--out", str(out)])
            err = capsys.readouterr().err
            if code != 1 or "ディスク" not in err or "Traceback" in err:
                unexpected.append(f"the command: exit {code}: {err}")
        expected = (
            ["filler", "report.pdf", "report.xlsx"] if is_full() else ["filler", "report.xlsx"]
        )
        if sorted(p.name for p in disk.iterdir()) != expected:
            unexpected.append(f"round {r}: left {sorted(p.name for p in disk.iterdir())}")
        if out.read_bytes() != previous or (is_full() and pdf.read_bytes() != previous_pdf):
            unexpected.append(f"round {r}: the previous file changed")
        filler.unlink()
    print(
        f"\nRELIABILITY disk full (tmpfs, export folder): {rounds} exports into a full "
        f"folder, {refused} refused with the message, partial or changed files / other "
        f"outcomes {len(unexpected)}"
    )
    assert unexpected == []


def test_an_export_past_the_file_size_limit_keeps_the_previous_file(demo_db, tmp_path, server):
    folder = tmp_path / "out"
    folder.mkdir()
    out = folder / "report.xlsx"
    sign_off_all(demo_db)
    _export(demo_db, out)
    previous = out.read_bytes()
    path = demo_db.path
    demo_db.close()
    rounds = count(short=2, full=50)
    rng = random.Random()
    refused = 0
    unexpected: list[str] = []
    for r in range(rounds):
        acks, log = tmp_path / f"acks-{r}", tmp_path / f"log-{r}"
        if r % 2:  # the command line, as a person runs it
            # From 32 KiB: below, SQLite cannot grow its -shm to open the database,
            # which is refused too (StorageIOError), but is not the export's case.
            limit = rng.randint(32 * 1024, len(previous) - 1)
            args = [*CLI_EXPORT, "--db", str(path), "--out", str(out)]
            pid = server.fork("cli_past_limit", limit=limit, args=json.dumps(args),
                              acks=acks, log=log)  # fmt: skip
        else:
            limit = rng.randint(1024, len(previous) - 1)  # the report files need a little
            pid = server.fork("export_past_limit", path=path, out=out, limit=limit,
                              acks=acks, log=log)  # fmt: skip
        code = server.wait(pid)
        said = read_acks(acks)
        logged = read_log(log)
        if r % 2:  # the command: exit 1, its message, no traceback of its own
            clear = "保存" in logged and "Traceback" not in logged
            ok = code == 0 and said == [["exit", "1"]] and clear
        else:
            ok = code == 0 and said in REFUSED
        if ok:
            refused += 1
        else:
            unexpected.append(f"round {r}: exit {code}, {said}: {logged[-2000:]}")
        if sorted(p.name for p in folder.iterdir()) != ["report.xlsx"]:
            unexpected.append(f"round {r}: left {sorted(p.name for p in folder.iterdir())}")
        if out.read_bytes() != previous:
            unexpected.append(f"round {r}: the previous file changed")
    print(
        f"\nRELIABILITY disk full (file size limit, export): {rounds} exports past the limit, "
        f"{refused} refused with the message, partial or changed files / other outcomes "
        f"{len(unexpected)}"
    )
    assert unexpected == []
