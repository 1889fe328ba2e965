"""The people of the plan approval tests: an administrator, the branch head (with a
password), a planner of the 企画総務 group and a 保健 staff member."""

from __future__ import annotations

from desktop.domain.model import Group
from desktop.domain.review import Role
from desktop.services import people
from desktop.store.database import Database

HEAD = {"login": "head", "password": "head-pass"}


def add_plan_people(db: Database) -> None:
    if people.find_user(db, "head") is not None:
        return
    people.add_user(db, login="admin", display_name="管理", role=Role.ADMIN, password="a-pw")
    for login, name, role, group, password in (
        ("head", "支部長 山田", Role.BRANCH_HEAD, None, "head-pass"),
        ("planner", "企画 太郎", Role.STAFF, Group.PLANNING, None),
        ("hoken", "保健 花子", Role.STAFF, Group.HEALTH, None),
    ):
        people.add_user(db, login=login, display_name=name, role=role, group=group,
                        password=password, admin_login="admin", admin_password="a-pw")  # fmt: skip
