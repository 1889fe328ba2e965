"""Python's cyclic garbage collector paused while a bulk read builds its result.

Reading a folder of workbooks makes hundreds of thousands of small containers (rows,
records, cells) and keeps most of them until the consolidation is done: nothing of
it is cyclic garbage (none, measured over the 47 demo submissions, signed; 8 objects
a file unsigned). The collector still walks them every 700 allocations, and every
few files everything the process holds — ≈10 % of HQ's consolidation time, spent
finding nothing (docs/PERFORMANCE.md). So collection waits until the read is done,
as Mercurial's ``util.nogc`` does for the same reason. Reference counting frees
everything else as always. No Qt, no database here.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator


@contextlib.contextmanager
def paused() -> Iterator[None]:
    """No cyclic collection inside the block; as it was after it (a block inside
    another, or in a process that turned collection off, leaves it off)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
