"""A submission signed by an older PlanDesk, which laid its printed pages out as print
layout 2 (``machine.PRINT_LAYOUT`` is 3 today).

An older PlanDesk cannot run here, but what it signed can be made honestly: today's
``build_pages`` still lays pages out as layout 2 for a file whose manifest names
layout 2 (earlier releases' files are verified that way). While ``older_plandesk()``
is active, the submission being signed says layout 2 — everything else is the real
signing code: the pages laid out (as layout 2) and sealed, the digest, the signature
by the real key, the audit entry. Outside it, the file PlanDesk writes today names
layout 3 and prints differently, so its digest is another and the stored signature
no longer fits it: export refuses with ``SignAgain`` — issue 17's "sign again after
an update".
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any
from unittest.mock import patch

from desktop.services import submission_signing
from desktop.services.export import PreparedExport

OLDER_LAYOUT = 2


@contextmanager
def older_plandesk() -> Iterator[None]:
    """What is signed inside is laid out as the older PlanDesk did."""
    today = submission_signing.prepare_export

    def as_older(*args: Any, **kwargs: Any) -> PreparedExport:
        prepared = today(*args, **kwargs)
        manifest = replace(prepared.data.manifest, print_layout=OLDER_LAYOUT)
        return replace(prepared, data=replace(prepared.data, manifest=manifest))

    with patch.object(submission_signing, "prepare_export", as_older):
        yield
