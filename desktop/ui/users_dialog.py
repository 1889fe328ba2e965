"""People management: the list of people who work in this database, and an
administrator's changes to it (add, edit role / group / name, reset a password,
deactivate).

Every change goes through the people service (by way of the people presenter and
the controller, whose change signal tells the window), which verifies the
administrator's password and refuses what the rules forbid (a non-admin, the
last administrator stepping down); this dialog only asks for the values and
shows the outcome.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import UserError
from desktop.domain.model import Group
from desktop.domain.review import ReviewRefused, Role, User
from desktop.ui.controller import ReportController
from desktop.ui.people_presenter import PeoplePresenter

ERROR_STYLE = "color: #b3261e;"
OK_STYLE = "color: #1e6b34;"


def user_label(user: User, lang: str) -> str:
    """「佐藤 花子（グループ長・業務）」: name, role and group in one line."""
    group = f"・{user.group.label(lang)}" if user.group else ""
    return f"{user.display_name}（{user.role.label(lang)}{group}）"


@dataclass(frozen=True, slots=True)
class UserForm:
    """What the editor collected; the service decides whether it is allowed."""

    login: str
    display_name: str
    role: Role
    group: Group | None
    password: str | None  # None: unchanged (editing) or none (staff)


def _password_field(name: str) -> QLineEdit:
    field = QLineEdit()
    field.setObjectName(name)
    field.setEchoMode(QLineEdit.EchoMode.Password)
    return field


class UserEditor(QDialog):
    """Add a person, or change one: login, name, group, role, password (twice)."""

    def __init__(
        self,
        user: User | None,
        lang: str = "ja",
        *,
        first: bool = False,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.user = user
        self.setWindowTitle(self.tr("Edit user") if user else self.tr("Add user"))
        self.login = QLineEdit(user.login if user else "")
        self.login.setObjectName("login")
        self.login.setReadOnly(user is not None)  # the OS login name is who they are
        self.display_name = QLineEdit(user.display_name if user else "")
        self.display_name.setObjectName("displayName")
        self.group = QComboBox()
        self.group.setObjectName("group")
        self.group.addItem(self.tr("(no group)"), None)
        for group in Group:
            self.group.addItem(
                self.tr("{group} group").format(group=group.label(lang)), group.value
            )
        if user and user.group:
            self.group.setCurrentIndex(self.group.findData(user.group.value))
        self.role = QComboBox()
        self.role.setObjectName("role")
        for role in Role:
            self.role.addItem(role.label(lang), role.value)
        self.role.setCurrentIndex(self.role.findData((user.role if user else Role.STAFF).value))
        if first:
            # The service makes the first person the administrator whatever is chosen.
            self.role.setCurrentIndex(self.role.findData(Role.ADMIN.value))
            self.role.setEnabled(False)
        self.password = _password_field("password")
        self.password_again = _password_field("passwordAgain")
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color: #5f6368;")
        self.message = QLabel()
        self.message.setObjectName("editorMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)

        form = QFormLayout()
        form.addRow(self.tr("Login name (OS)"), self.login)
        form.addRow(self.tr("Name"), self.display_name)
        form.addRow(self.tr("Group"), self.group)
        form.addRow(self.tr("Role"), self.role)
        form.addRow(self.tr("Password") if user is None else self.tr("New password"), self.password)
        form.addRow(self.tr("Password again"), self.password_again)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        if first:
            note = QLabel(self.tr("The first person becomes the administrator."))
            note.setWordWrap(True)
            layout.addWidget(note)
        layout.addLayout(form)
        layout.addWidget(self.hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.role.currentIndexChanged.connect(lambda _i: self._show_hint())
        self._show_hint()
        self.setMinimumWidth(420)

    def _chosen_role(self) -> Role:
        return Role(self.role.currentData())

    def _needs_password(self) -> bool:
        """Reviewers act with a password; one they do not have yet must be set here."""
        return self._chosen_role().reviews and (self.user is None or not self.user.has_password)

    def _show_hint(self) -> None:
        if self._needs_password():
            self.hint.setText(
                self.tr("Supervisors, branch heads and administrators need a password.")
            )
        elif self.user is not None:
            self.hint.setText(self.tr("Leave the password empty to keep the current one."))
        else:
            self.hint.setText(self.tr("Staff may go without a password."))

    def problem(self) -> str | None:
        """Why the form cannot be accepted yet, or None."""
        if not self.login.text().strip() or not self.display_name.text().strip():
            return self.tr("Enter a login name and a name.")
        if self.password.text() != self.password_again.text():
            return self.tr("The two passwords differ.")
        if self._needs_password() and not self.password.text():
            return self.tr("Enter a password for this role.")
        return None

    def accept(self) -> None:
        problem = self.problem()
        if problem is not None:
            self.message.setText(problem)
            return
        super().accept()

    def form(self) -> UserForm:
        group = self.group.currentData()
        return UserForm(
            login=self.login.text().strip(),
            display_name=self.display_name.text().strip(),
            role=self._chosen_role(),
            group=Group(group) if group else None,
            password=self.password.text() or None,
        )


class PasswordDialog(QDialog):
    """A new password for someone, typed twice."""

    def __init__(self, user: User, lang: str = "ja", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Reset password"))
        self.password = _password_field("newPassword")
        self.password_again = _password_field("newPasswordAgain")
        self.message = QLabel()
        self.message.setObjectName("passwordMessage")
        self.message.setStyleSheet(ERROR_STYLE)
        self.message.setWordWrap(True)
        form = QFormLayout()
        form.addRow(self.tr("New password"), self.password)
        form.addRow(self.tr("Password again"), self.password_again)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("New password for {who}").format(who=user_label(user, lang)))
        )
        layout.addLayout(form)
        if not user.role.reviews:
            hint = QLabel(self.tr("Leave both empty to remove the password (staff only)."))
            hint.setStyleSheet("color: #5f6368;")
            layout.addWidget(hint)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    def accept(self) -> None:
        if self.password.text() != self.password_again.text():
            self.message.setText(self.tr("The two passwords differ."))
            return
        super().accept()


class AdminPrompt(QDialog):
    """Which administrator makes the change, and their password."""

    def __init__(
        self, admins: list[User], preferred: str, lang: str = "ja", parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Administrator"))
        self.admin = QComboBox()
        self.admin.setObjectName("adminLogin")
        for user in admins:
            self.admin.addItem(user_label(user, lang), user.login)
        index = self.admin.findData(preferred)
        self.admin.setCurrentIndex(max(index, 0))
        self.password = _password_field("adminPassword")
        form = QFormLayout()
        form.addRow(self.tr("Administrator"), self.admin)
        form.addRow(self.tr("Password"), self.password)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Changes to people need an administrator's password.")))
        layout.addLayout(form)
        layout.addWidget(buttons)
        self.password.setFocus()

    def credentials(self) -> tuple[str, str]:
        return self.admin.currentData(), self.password.text()


class UsersDialog(QDialog):
    """The people of this database; an administrator changes them."""

    COLUMNS = 6

    def __init__(self, controller: ReportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.people = PeoplePresenter(controller)
        self.actor = controller.actor
        self.lang = controller.lang
        self.users: list[User] = []
        # The administrator's login and password, asked once and kept only while this
        # dialog is open (the service verifies them again on every change).
        self._admin: tuple[str, str] | None = None
        # Replaceable in tests: the editors and questions this dialog opens.
        self.edit_user: Callable[[User | None, bool], UserForm | None] = self._edit_user
        self.ask_admin: Callable[[], tuple[str, str] | None] = self._ask_admin
        self.ask_new_password: Callable[[User], str | None] = self._ask_new_password
        self.confirm: Callable[[str], bool] = self._confirm

        self.setWindowTitle(self.tr("Users"))
        self.setObjectName("usersDialog")
        self.table = QTableWidget(0, self.COLUMNS)
        self.table.setObjectName("usersTable")
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Login name"),
                self.tr("Name"),
                self.tr("Group"),
                self.tr("Role"),
                self.tr("Password"),
                self.tr("Active"),
            ]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.add_button = QPushButton(self.tr("&Add…"))
        self.add_button.setObjectName("addUser")
        self.edit_button = QPushButton(self.tr("&Edit…"))
        self.edit_button.setObjectName("editUser")
        self.password_button = QPushButton(self.tr("Reset &password…"))
        self.password_button.setObjectName("resetPassword")
        self.active_button = QPushButton(self.tr("&Deactivate…"))
        self.active_button.setObjectName("toggleActive")
        close = QPushButton(self.tr("Close"))
        close.clicked.connect(self.accept)
        self.message = QLabel()
        self.message.setObjectName("usersMessage")
        self.message.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.password_button, self.active_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(self.tr("People who work in this database. Changes need an administrator."))
        )
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.resize(760, 420)

        self.add_button.clicked.connect(self.add)
        self.edit_button.clicked.connect(self.edit)
        self.password_button.clicked.connect(self.reset_password)
        self.active_button.clicked.connect(self.toggle_active)
        self.table.itemSelectionChanged.connect(self._selection_changed)
        self.table.itemDoubleClicked.connect(lambda _item: self.edit())
        self.refresh()

    # --- the list -------------------------------------------------------------------------

    def refresh(self) -> None:
        keep = self.selected()
        self.users = self.people.everyone()
        self.table.setRowCount(len(self.users))
        yes, no = self.tr("yes"), self.tr("no")
        for row, user in enumerate(self.users):
            cells = [
                user.login,
                user.display_name,
                user.group.label(self.lang) if user.group else "—",
                user.role.label(self.lang),
                self.tr("set") if user.has_password else "—",
                yes if user.active else no,
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if not user.active:
                    item.setForeground(QColor("#80868b"))
                self.table.setItem(row, column, item)
            if keep is not None and user.login == keep.login:
                self.table.selectRow(row)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self._selection_changed()

    def selected(self) -> User | None:
        rows = self.table.selectionModel().selectedRows()
        return self.users[rows[0].row()] if rows else None

    def select(self, login: str) -> bool:
        for row, user in enumerate(self.users):
            if user.login == login:
                self.table.selectRow(row)
                return True
        return False

    def _selection_changed(self) -> None:
        user = self.selected()
        for button in (self.edit_button, self.password_button, self.active_button):
            button.setEnabled(user is not None)
        self.active_button.setText(
            self.tr("&Reactivate…") if user is not None and not user.active
            else self.tr("&Deactivate…")
        )  # fmt: skip

    # --- changes --------------------------------------------------------------------------

    def add(self) -> None:
        first = not self.users
        form = self.edit_user(None, first)
        if form is None:
            return
        if first:  # nobody to ask: the first person becomes the administrator
            self._apply(
                lambda _admin: self.people.add(
                    login=form.login, display_name=form.display_name, role=Role.ADMIN,
                    group=form.group, password=form.password, admin=None,
                ),
                self.tr("Added {who}."), need_admin=False,
            )  # fmt: skip
            return
        self._apply(
            lambda admin: self.people.add(
                login=form.login, display_name=form.display_name, role=form.role,
                group=form.group, password=form.password, admin=admin,
            ),
            self.tr("Added {who}."),
        )  # fmt: skip

    def edit(self) -> None:
        user = self.selected()
        if user is None:
            return
        form = self.edit_user(user, False)
        if form is None:
            return
        self._apply(
            lambda admin: self.people.update(
                user.login, display_name=form.display_name, role=form.role,
                group=form.group, password=form.password, admin=admin,
            ),
            self.tr("Changed {who}."),
        )  # fmt: skip

    def reset_password(self) -> None:
        user = self.selected()
        if user is None:
            return
        new = self.ask_new_password(user)
        if new is None:
            return
        self._apply(
            lambda admin: self.people.reset_password(user.login, new, admin),
            self.tr("New password set for {who}.")
            if new
            else self.tr("Password removed for {who}."),
        )

    def toggle_active(self) -> None:
        user = self.selected()
        if user is None:
            return
        if user.active:
            question = self.tr(
                "Deactivate {who}? They keep their name on what they did but can no longer act."
            ).format(who=user_label(user, self.lang))
            if not self.confirm(question):
                return
        self._apply(
            lambda admin: self.people.set_active(user.login, not user.active, admin),
            self.tr("{who} can no longer act.")
            if user.active
            else self.tr("{who} is active again."),
        )

    def _apply(
        self,
        change: Callable[[tuple[str, str]], User],
        done: str,
        *,
        need_admin: bool = True,
    ) -> bool:
        credentials = ("", "")
        if need_admin:
            asked = self._admin or self.ask_admin()
            if asked is None:
                return False
            credentials = asked
        try:
            user = change(credentials)
        except UserError as exc:
            if isinstance(exc, ReviewRefused):
                self._admin = None  # a wrong password is asked again, not retried
            self._show(exc.message(self.lang), ok=False)
            return False
        if need_admin:
            self._admin = credentials
        self.refresh()
        self.select(user.login)
        self._show(done.format(who=user_label(user, self.lang)), ok=True)
        return True

    def _show(self, text: str, *, ok: bool) -> None:
        self.message.setText(text)
        self.message.setStyleSheet(OK_STYLE if ok else ERROR_STYLE)

    def done(self, result: int) -> None:
        self._admin = None  # forget the administrator's password with the dialog
        super().done(result)

    # --- default prompts (replaced in tests) ----------------------------------------------------

    def _edit_user(self, user: User | None, first: bool) -> UserForm | None:
        editor = UserEditor(user, self.lang, first=first, parent=self)
        return editor.form() if editor.exec() == QDialog.DialogCode.Accepted else None

    def _ask_admin(self) -> tuple[str, str] | None:
        admins = [u for u in self.users if u.role is Role.ADMIN and u.active]
        prompt = AdminPrompt(admins, self.actor, self.lang, self)
        return prompt.credentials() if prompt.exec() == QDialog.DialogCode.Accepted else None

    def _ask_new_password(self, user: User) -> str | None:
        dialog = PasswordDialog(user, self.lang, self)
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return None
        return dialog.password.text()

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("PlanDesk"), question)
        return answer == QMessageBox.StandardButton.Yes
