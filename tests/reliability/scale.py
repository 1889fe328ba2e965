"""How hard the reliability tests push: a short run in CI, the full run on demand.

`PLANDESK_RELIABILITY=full` selects the counts docs/RELIABILITY.md records
(e.g. 1,000 kills, 1,000,000 fuzz cases); without it every test runs its
short variant, which CI runs with the rest of the suite. Each test asks for
its count with `count(short=..., full=...)`, so both variants run the same
code and only the number of rounds differs.
"""

from __future__ import annotations

import os


def is_full() -> bool:
    return os.environ.get("PLANDESK_RELIABILITY", "").strip().lower() == "full"


def count(*, short: int, full: int) -> int:
    """The number of rounds for this run; an explicit PLANDESK_RELIABILITY_ROUNDS wins."""
    explicit = os.environ.get("PLANDESK_RELIABILITY_ROUNDS", "").strip()
    if explicit:
        return int(explicit)
    return full if is_full() else short
