"""The people of the database as the switch-user and users dialogs need them: who
is there, signing in, and an administrator's changes — each change run through
the controller, so that the window learns of it from the one change signal (the
name or role of the person at the PC, the reviewers' names)."""

from __future__ import annotations

from types import ModuleType

from desktop.domain.model import Group
from desktop.domain.review import Role, User
from desktop.services.changes import UserChanged
from desktop.ui.controller import ReportController


class PeoplePresenter:
    """Refusals (a wrong password, the last administrator …) are raised as the
    service raised them: the dialogs say them where they were asked."""

    def __init__(self, controller: ReportController) -> None:
        self.controller = controller

    @property
    def _people(self) -> ModuleType:
        from desktop.services import people  # the store loads after the first paint

        return people

    @property
    def lang(self) -> str:
        return self.controller.lang

    @property
    def actor(self) -> str:
        return self.controller.actor

    def everyone(self) -> list[User]:
        return self.controller.read(self._people.list_users)

    def sign_in(self, login: str, password: str | None) -> User:
        return self.controller.read(lambda db: self._people.sign_in(db, login, password))

    def add(
        self,
        *,
        login: str,
        display_name: str,
        role: Role,
        group: Group | None,
        password: str | None,
        admin: tuple[str, str] | None,
    ) -> User:
        """``admin``: login and password of the administrator (None: the first person)."""
        admin_login, admin_password = admin or (None, None)
        changes = self.controller.run(
            lambda db: self._people.add_user(
                db, login=login, display_name=display_name, role=role, group=group,
                password=password, admin_login=admin_login, admin_password=admin_password,
            )
        )  # fmt: skip
        return changes.one(UserChanged).user

    def update(
        self,
        login: str,
        *,
        display_name: str,
        role: Role,
        group: Group | None,
        password: str | None,
        admin: tuple[str, str],
    ) -> User:
        changes = self.controller.run(
            lambda db: self._people.update_user(
                db, login, display_name=display_name, role=role, group=group,
                password=password, admin_login=admin[0], admin_password=admin[1],
            )
        )  # fmt: skip
        return changes.one(UserChanged).user

    def reset_password(self, login: str, password: str | None, admin: tuple[str, str]) -> User:
        changes = self.controller.run(
            lambda db: self._people.set_password(
                db, login, password, admin_login=admin[0], admin_password=admin[1]
            )
        )
        return changes.one(UserChanged).user

    def set_active(self, login: str, active: bool, admin: tuple[str, str]) -> User:
        changes = self.controller.run(
            lambda db: self._people.set_active(
                db, login, active, admin_login=admin[0], admin_password=admin[1]
            )
        )
        return changes.one(UserChanged).user
