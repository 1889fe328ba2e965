"""Cheap rounds of "a PlanDesk process does something to a database, and dies".

A round must cost little, or 1,000 kills do not fit in a few minutes on a loaded
2-core machine: a fresh Python that imports SQLAlchemy, Alembic and the services
takes longer than the writes the round is about. So a *fork server* does the
imports once: ``ForkServer`` starts one Python process (``serve``) that imports
everything and then, for each job the test sends, ``os.fork()``s a child that
runs one of the job functions below and leaves with ``os._exit``. The test (not
the server) kills the child with SIGKILL at the moment it chose; the server only
reaps it and says how it ended.

Nothing that holds an open file of SQLite may cross the fork: the server never
opens a database (no engine, no connection, no thread); every child opens its
own. A child reports through a file of its own (``acks``), written with one
``os.write`` per line straight after the call it reports returned — the kernel
keeps what was written when the process is killed, so a line there means the
commit had returned: *acknowledged*.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


# --- the server (runs in its own process) ---------------------------------------------


PRELOADED = (
    "alembic.command",
    "sqlalchemy.orm",
    "desktop.cli",
    "desktop.services.check",
    "desktop.services.editing",
    "desktop.services.export",
    "desktop.services.plans",
    "desktop.services.workspace",
    "desktop.store.content",
)


def serve() -> None:
    """Read jobs from stdin, one JSON line each, and fork a child for each.

    ``{"job": NAME, "kwargs": {...}}`` → forks, answers ``pid N``;
    ``{"wait": N}`` → waits for child N, answers ``exit N CODE`` (CODE as
    subprocess gives it: negative for a signal)."""
    # Everything a child needs, imported once here: a child only opens and writes.
    import importlib

    from alembic.script import ScriptDirectory

    from desktop.store.database import alembic_config

    for module in PRELOADED:
        importlib.import_module(module)
    # Alembic reads its migration files lazily; read them once here.
    ScriptDirectory.from_config(alembic_config()).get_current_head()
    out = sys.stdout
    print("ready", file=out, flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if "wait" in request:
            pid = int(request["wait"])
            _, status = os.waitpid(pid, 0)
            code = -os.WTERMSIG(status) if os.WIFSIGNALED(status) else os.WEXITSTATUS(status)
            print(f"exit {pid} {code}", file=out, flush=True)
            continue
        pid = os.fork()
        if pid == 0:  # the child: run the job, never return into the server's loop
            _run_child(request["job"], request["kwargs"])
        print(f"pid {pid}", file=out, flush=True)


def _run_child(job: str, kwargs: dict[str, Any]) -> None:
    code = 0
    try:
        import random

        random.seed()  # children of one server would otherwise draw the same pauses
        log = os.open(kwargs["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        os.dup2(log, 1)
        os.dup2(log, 2)
        sys.stdin.close()
        JOBS[job](**kwargs)
    except BaseException:  # the child reports everything and leaves: never returns
        traceback.print_exc()
        code = 70
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


class Acks:
    """A child's report file: one line per acknowledged event."""

    def __init__(self, path: str) -> None:
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    def say(self, *words: object) -> None:
        os.write(self._fd, (" ".join(str(w) for w in words) + "\n").encode("utf-8"))


def read_log(path: Path) -> str:
    """A child's output ("" when it was killed before it opened its log; cut bytes, when
    a size limit cut it, replaced)."""
    return path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""


def read_acks(path: Path) -> list[list[str]]:
    if not path.exists():
        return []
    text = path.read_text(encoding="utf-8")
    # A line without its newline was cut by the kill: the event was not acknowledged.
    return [line.split(" ") for line in text.split("\n")[:-1]]


# --- the test's side ------------------------------------------------------------------


@dataclass
class ForkServer:
    process: subprocess.Popen[str]

    @classmethod
    def start(cls, data_dir: Path) -> ForkServer:
        # The error log's second place, the temporary folder, inside the test's too.
        temporary = data_dir / "temp"
        temporary.mkdir(parents=True, exist_ok=True)
        process = subprocess.Popen(
            [sys.executable, "-c", "from tests.reliability.store_rounds import serve; serve()"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=ROOT,
            env={
                **os.environ,
                "PLANDESK_DATA_DIR": str(data_dir),
                "PYTHONPATH": str(ROOT),
                "TMPDIR": str(temporary),
            },
        )
        server = cls(process)
        assert server.answer() == ["ready"]
        return server

    def send(self, request: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()

    def answer(self) -> list[str]:
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        assert line, "the fork server died"
        return line.split()

    def fork(self, job: str, **kwargs: Any) -> int:
        """Start ``job`` in a child; its pid."""
        self.send({"job": job, "kwargs": {k: str(v) for k, v in kwargs.items()}})
        word, pid = self.answer()
        assert word == "pid"
        return int(pid)

    def wait(self, pid: int) -> int:
        """How child ``pid`` ended: its exit status, or minus the signal that ended it."""
        self.send({"wait": pid})
        word, which, code = self.answer()
        assert word == "exit" and int(which) == pid
        return int(code)

    def kill(self, pid: int, after_s: float = 0.0) -> int:
        """SIGKILL child ``pid`` ``after_s`` seconds from now; how it ended. The
        pause is the random moment the test chose, the experiment itself: not a
        wait for something to happen."""
        if after_s > 0:
            time.sleep(after_s)
        os.kill(pid, signal.SIGKILL)
        return self.wait(pid)

    def close(self) -> None:
        if self.process.stdin is not None:
            self.process.stdin.close()
        self.process.wait(timeout=60)


def fork_server(data_dir: Path) -> Iterator[ForkServer]:
    """For a fixture: one server for a test, stopped after it."""
    server = ForkServer.start(data_dir)
    try:
        yield server
    finally:
        server.close()


@dataclass
class Reopened:
    """The database after a round, opened as the app opens it and checked."""

    unopenable: str | None  # why it did not open, or what `check` found; None: sound
    opened: bool  # it opened (`check` may still have found something)
    held: Any  # what ``read`` read of it, when it opened


def reopen(path: Path, read: Callable[[Any], Any] | None = None) -> Reopened:
    """Open ``path`` as the app does (upgrading, recovering), run `check`, and
    ``read(db)`` — what every test here does after a kill or a full disk."""
    from desktop.services.check import check_database
    from desktop.store.database import open_database

    try:
        with open_database(path) as db:
            report = check_database(db)
            held = read(db) if read is not None else None
    except Exception as exc:  # counted and named: the figure is what matters
        return Reopened(f"cannot open: {exc!r}", False, None)
    if not report.ok:
        bad = [f"{f.label.en}: {f.detail.en}" for f in report.findings if not f.ok]
        return Reopened(f"check: {bad}", True, held)
    return Reopened(None, True, held)


# --- the jobs (run in a forked child) ------------------------------------------------

JOBS: dict[str, Callable[..., None]] = {}


def job(fn: Callable[..., None]) -> Callable[..., None]:
    JOBS[fn.__name__] = fn
    return fn


@job
def upgrade(*, path: str, acks: str, log: str) -> None:
    """Open an old database the way the app does: backup, migrate, ready."""
    from desktop.store.database import open_database

    out = Acks(acks)
    out.say("started", time.monotonic())  # the system's monotonic clock: the test's too
    open_database(path).close()
    out.say("upgraded", time.monotonic())


# The edits the kill test and the contention test make: a deterministic sequence, so
# the test can say what the database must hold after edit n.
REF = ("13", 2024, "midyear")
KPI_A, KPI_B = "1.II.2.k1", "1.II.2.k2"
TEXT_NODE, MARK_NODE, REVIEW_NODE = "1.II.2.1", "1.I.1", "1.I.3"
MARKS = ("◎", "○", "△", "－", "×")
# A section's way through review, over and over: handed in, sent back, handed in,
# approved, reopened (the people: tests/helpers/reports.add_reviewers).
REVIEW_STEPS = ("submitted", "returned", "submitted", "approved", "reopened")


def edit_of(i: int) -> dict[str, str]:
    """What edit number ``i`` sets: {slot: value}; consecutive edits of a slot differ."""
    kind = i % 6
    if kind == 5:
        return {f"review:{REVIEW_NODE}": REVIEW_STEPS[(i // 6) % len(REVIEW_STEPS)]}
    if kind == 0:
        return {f"kpi:{KPI_A}": str(i)}
    if kind == 1:
        return {f"kpi:{KPI_B}": str(i)}
    if kind == 2:
        return {f"text:{TEXT_NODE}": f"実施状況 その{i}（第{i}回の入力）"}
    if kind == 3:
        return {f"mark:{MARK_NODE}": MARKS[(i // 5) % len(MARKS)]}
    return {f"kpi:{KPI_A}": str(i), f"kpi:{KPI_B}": str(i + 1)}  # two figures, one commit


def apply_edit(db: Any, i: int, *, actor: str) -> None:
    """Store edit ``i`` through the services, as the window does."""
    from desktop.domain.model import PeriodKind, ReportRef
    from desktop.services import editing

    ref = ReportRef(REF[0], REF[1], PeriodKind(REF[2]))
    change = edit_of(i)
    if i % 6 == 4:
        editing.set_measurements(
            db, ref, [(KPI_A, {"value": str(i)}), (KPI_B, {"value": str(i + 1)})], actor=actor
        )
        return
    ((slot, value),) = change.items()
    kind, key = slot.split(":", 1)
    if kind == "kpi":
        editing.set_measurement(db, ref, key, actor=actor, value=value)
    elif kind == "text":
        editing.set_entry_field(db, ref, key, "status_text", value, actor=actor)
    elif kind == "mark":
        editing.set_entry_field(db, ref, key, "mark", value, actor=actor)
    else:
        review_step(db, ref, key, value, i)


def review_step(db: Any, ref: Any, key: str, step: str, i: int) -> None:
    """One step of a section's review (``REVIEW_STEPS``), by whom it belongs to."""
    from desktop.services import review

    head = {"login": "head", "password": "head-pass"}
    if step == "submitted":
        review.submit(db, ref, [key], login="staff")
    elif step == "returned":
        review.return_section(db, ref, key, comment=f"差戻し（第{i}回）", **head)
    elif step == "approved":
        review.approve(db, ref, [key], **head)
    else:
        review.reopen(db, ref, key, reason=f"再編集（第{i}回）", **head)


def stored_slots(db: Any) -> dict[str, str]:
    """What the database holds now for every slot the edits touch."""
    from desktop.domain.model import PeriodKind, ReportRef
    from desktop.services import review
    from desktop.services.workspace import load_report

    ref = ReportRef(REF[0], REF[1], PeriodKind(REF[2]))
    snap = load_report(db, ref)

    def figure(key: str) -> str:
        m = snap.measurements.get(key)
        return "" if m is None or m.value is None else str(m.value)

    return {
        f"kpi:{KPI_A}": figure(KPI_A),
        f"kpi:{KPI_B}": figure(KPI_B),
        f"text:{TEXT_NODE}": snap.entry(TEXT_NODE).status_text or "",
        f"mark:{MARK_NODE}": snap.entry(MARK_NODE).mark or "",
        f"review:{REVIEW_NODE}": review.section_states(db, ref)[REVIEW_NODE].value,
    }


@job
def edits(*, path: str, start: str, acks: str, log: str) -> None:
    """Edit after edit from ``start + 1`` on, each acknowledged once its commit returned,
    until killed."""
    from desktop.store.database import open_database

    out = Acks(acks)
    db = open_database(path)
    out.say("ready")
    i = int(start)
    while True:
        i += 1
        apply_edit(db, i, actor="kill")
        out.say("ack", i)


# The three writers of the contention test: (report, own KPI) for each; every writer
# also writes SHARED_KPI of the mid-year report, the same figure as the others.
WRITERS = {
    "w1": (("13", 2024, "midyear"), "1.II.4.k1"),
    "w2": (("13", 2024, "midyear"), "1.II.5.k1"),
    "w3": (("13", 2024, "annual"), "1.II.5.k2"),
}
SHARED_KPI = "1.II.5.k2"
INSTALL_EVERY = 10  # w3 re-installs HQ's template (a whole plan, one long transaction)


@job
def writer(*, path: str, name: str, edits: str, acks: str, log: str) -> None:
    """``edits`` edits through the services, each acknowledged after it returned; a
    refusal (a UserError: the message a person would see) is reported with its class."""
    from desktop.domain.errors import UserError
    from desktop.domain.model import PeriodKind, ReportRef
    from desktop.services import editing, plans
    from desktop.store.database import open_database

    out = Acks(acks)
    (branch, year, period), own = WRITERS[name]
    ref = ReportRef(branch, year, PeriodKind(period))
    shared = ReportRef(*REF[:2], PeriodKind(REF[2]))
    template = plans.bundled_plan(plans.HQ_TEMPLATE)
    db = open_database(path)
    out.say("ready")
    for i in range(1, int(edits) + 1):
        value = f"{i}.1{name[-1]}"  # unique per writer and edit: 7.11, 7.12, 7.13
        try:
            if name == "w3" and i % INSTALL_EVERY == 0:
                plans.install_plan(db, template, actor=name, replace=True)
                out.say("ack", "install", i)
            elif i % 3 == 0:
                editing.set_measurement(db, shared, SHARED_KPI, actor=name, value=value)
                out.say("ack", "shared", value)
            else:
                editing.set_measurement(db, ref, own, actor=name, value=value)
                out.say("ack", "own", value)
        except UserError as exc:
            out.say("refused", type(exc).__name__, i)
            print(exc.message("en"), flush=True)
    db.close()
    out.say("done")


def limit_file_size(limit: int) -> None:
    """From now on this process cannot write a file past ``limit`` bytes (the write
    fails with EFBIG, as a full disk fails with ENOSPC): a full disk without root."""
    import resource

    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # the failed write, not a killed process
    resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))


@job
def edits_past_limit(*, path: str, first: str, limit: str, sizes: str, acks: str, log: str) -> None:
    """Opened, then held under a file size limit: a text of each of ``sizes`` characters
    in turn (numbered from ``first``), each acknowledged or refused (with the message a person would see); after
    each refusal, what the database still holds."""
    from desktop.domain.errors import UserError
    from desktop.store.database import open_database

    out = Acks(acks)
    db = open_database(path)
    limit_file_size(int(limit))
    for size in sizes.split(","):
        n = int(first)
        first = str(n + 1)
        text = f"{n}:" + "記" * int(size)
        try:
            set_text(db, text)
            out.say("ack", n)
        except UserError as exc:
            out.say("refused", type(exc).__name__, n)
            with contextlib.suppress(OSError):  # the log is a file past the limit too
                print(exc.message("ja"), exc.message("en"), sep="\n", flush=True)
            try:  # a read may fail too while the disk is full (SQLite grows its -shm)
                held = stored_slots(db)[f"text:{TEXT_NODE}"]
                out.say("holds", held.split(":")[0] if ":" in held[:8] else "-")
            except UserError as again:
                out.say("unread", type(again).__name__)
    db.close()
    out.say("done")


def set_text(db: Any, text: str) -> None:
    from desktop.domain.model import PeriodKind, ReportRef
    from desktop.services import editing

    ref = ReportRef(REF[0], REF[1], PeriodKind(REF[2]))
    editing.set_entry_field(db, ref, TEXT_NODE, "status_text", text, actor="disk")


@job
def cli_past_limit(*, limit: str, args: str, acks: str, log: str) -> None:
    """``plandesk ARGS`` under a file size limit; its exit code (its output to the log)."""
    from desktop.cli import main

    out = Acks(acks)
    limit_file_size(int(limit))
    code = main(json.loads(args))
    out.say("exit", code)


@job
def export_past_limit(*, path: str, out: str, limit: str, acks: str, log: str) -> None:
    """The report's submission workbook written to ``out`` under a file size limit."""
    from desktop.domain.errors import UserError
    from desktop.domain.model import PeriodKind
    from desktop.services.export import export_workbook
    from desktop.store.database import open_database
    from desktop.workbooks.machine import Kind

    said = Acks(acks)
    db = open_database(path)
    limit_file_size(int(limit))
    try:
        export_workbook(db, branch=REF[0], fiscal_year=REF[1], kind=Kind.SUBMISSION, out=out,
                        actor="disk", period=PeriodKind(REF[2]), overwrite_signed_off=True)  # fmt: skip
        said.say("written")
    except UserError as exc:
        # Judged here and said in the short report file: the log is under the limit too,
        # and the error log's own entry (to stderr when it cannot be written) may fill it.
        clear = "保存" in exc.message("ja") and "save" in exc.message("en").lower()
        said.say("refused", type(exc).__name__, "said" if clear else "unsaid")
        with contextlib.suppress(OSError):
            print(exc.message("ja"), exc.message("en"), sep="\n", flush=True)
