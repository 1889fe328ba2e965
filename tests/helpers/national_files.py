"""HQ's national workbook as `plandesk consolidate --out … --sign` writes it, for the
tests of `verify` on it: real demo submissions consolidated, written by the real
writer, signed with a real HQ key (scrypt at a low cost passed explicitly)."""

from __future__ import annotations

from pathlib import Path

from desktop.domain.model import PeriodKind
from desktop.services import consolidation, signing_keys
from desktop.services.demo_submissions import write_demo_submissions
from desktop.services.signing_keys import KdfCost

FAST = KdfCost(n=2**10, r=8, p=1)
HQ_PASS = "hq-signing-passphrase"


class Hq:
    """HQ's keys folder (beside its database ``db``), its public key file, three
    branches' submissions and their consolidation."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.db = root / "hq" / "hq.sqlite3"
        self.keys = signing_keys.keys_dir(self.db)
        self.public = signing_keys.create_key(self.keys, "00", HQ_PASS, cost=FAST)
        self.key = signing_keys.unlock(self.keys, HQ_PASS)
        self.public_file = root / "hq.pub.json"
        signing_keys.export_public_key(self.keys, self.public_file)
        self.share = root / "share"
        self.submissions = write_demo_submissions(
            self.share, fiscal_year=2024, period=PeriodKind.MIDYEAR, branches=["01", "13", "27"]
        )
        self.result = consolidation.consolidate_folder(
            self.share, fiscal_year=2024, period=PeriodKind.MIDYEAR
        )

    def write(self, name: str, key: signing_keys.SigningKey | None = None) -> Path:
        """The national workbook ``name`` in the out folder, signed with ``key`` if given."""
        out = self.root / "out"
        out.mkdir(exist_ok=True)
        return consolidation.write_national(self.result, out / name, actor="hq", signing_key=key)
