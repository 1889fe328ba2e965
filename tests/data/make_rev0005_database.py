"""How tests/data/plandesk-rev0005.sqlite3.gz was made: a real database written by
PlanDesk at schema revision 0005 (commit 23fd3ca), before the audit trail recorded
the content that plans were created with. Three demo plans, five people, edits, a
monthly figure, a reviewed and signed-off report, a rollover and a confirmation.

It only runs against that version of the code:
    git archive 23fd3ca desktop resources | tar -x -C /tmp/old
    PYTHONPATH=/tmp/old python tests/data/make_rev0005_database.py /tmp/old.sqlite3
    python -c "import sqlite3; c = sqlite3.connect('/tmp/old.sqlite3'); \\
        c.execute('PRAGMA journal_mode=DELETE'); c.execute('VACUUM')"
    gzip -9 -c /tmp/old.sqlite3 > tests/data/plandesk-rev0005.sqlite3.gz

tests/data/plandesk-rev0007.sqlite3.gz was made the same way by the code of commit
d0454f8 (schema 0007, before the reference figures of 0008).
"""

from __future__ import annotations

import sys
from pathlib import Path

from desktop.domain.model import Group, PeriodKind
from desktop.domain.review import Role
from desktop.services import editing, plans, review, rollover
from desktop.services.editing import ReportRef

REF = ReportRef("13", 2023, PeriodKind.MIDYEAR)


def main(path: Path) -> None:
    path.unlink(missing_ok=True)
    with plans.init_database(path) as db:
        plans.install_demo(db, actor="setup")
        review.add_user(db, login="admin", display_name="管理 太郎", role=Role.STAFF,
                        password="a-pass")  # fmt: skip
        for login, name, role, group, password in (
            ("sato", "佐藤", Role.STAFF, Group.OPERATIONS, None),
            ("suzuki", "鈴木", Role.SUPERVISOR, Group.OPERATIONS, "gyomu-pass"),
            ("takahashi", "高橋", Role.SUPERVISOR, Group.PLANNING, "kikaku-pass"),
            ("tanaka", "田中", Role.BRANCH_HEAD, None, "head-pass"),
        ):
            review.add_user(db, login=login, display_name=name, role=role, group=group,
                            password=password, admin_login="admin", admin_password="a-pass")  # fmt: skip
        ref24 = ReportRef("13", 2024, PeriodKind.MIDYEAR)
        editing.set_entry_field(db, ref24, "1.II.2.2", "status_text", "郵送の案内を送付した",
                                actor="sato")  # fmt: skip
        editing.set_measurement(db, ref24, "1.II.2.k2", value="97.1", as_of="R6.9", actor="sato")
        editing.set_monthly_actual(db, ref24, "1.II.2.k2", 3, "96.5", actor="sato")
        # The whole FY2023 mid-year report reviewed and signed off.
        states = review.section_states(db, REF)
        review.submit(db, REF, list(states), login="sato")
        plan = plans.get_plan(db, "13", 2023)
        gyomu = [k for k in states if plan.effective_group(k) is Group.OPERATIONS]
        review.approve(db, REF, gyomu, login="suzuki", password="gyomu-pass")
        rest = [k for k in states if k not in gyomu]
        review.except_section(db, REF, rest[0], login="tanaka", password="head-pass",
                              reason="今期は報告対象外")  # fmt: skip
        review.approve(db, REF, rest[1:], login="tanaka", password="head-pass")
        review.sign_off(db, REF, login="tanaka", password="head-pass")
        result = rollover.roll_over(db, "13", actor="suzuki")
        if result.flagged:
            rollover.confirm_kpi(db, "13", result.fiscal_year, result.flagged[0].kpi_key,
                                 actor="tanaka")  # fmt: skip


if __name__ == "__main__":
    main(Path(sys.argv[1]))
