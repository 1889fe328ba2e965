"""Switch user at a shared PC: pick a person, type their password (staff without
one are just picked). The people service checks the password (through the
people presenter); a wrong one leaves everything as it was."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import UserError
from desktop.domain.review import User
from desktop.ui.controller import ReportController
from desktop.ui.people_presenter import PeoplePresenter
from desktop.ui.users_dialog import ERROR_STYLE, user_label


class SwitchUserDialog(QDialog):
    def __init__(self, controller: ReportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.presenter = PeoplePresenter(controller)
        self.lang = lang = controller.lang
        current = controller.actor
        self.user: User | None = None  # who signed in, once accepted
        self.setWindowTitle(self.tr("Switch user"))
        self.setObjectName("switchUserDialog")
        self.people = [u for u in self.presenter.everyone() if u.active]
        self.person = QComboBox()
        self.person.setObjectName("switchUserCombo")
        for user in self.people:
            self.person.addItem(user_label(user, lang), user.login)
        index = self.person.findData(current)
        if index >= 0:
            self.person.setCurrentIndex(index)
        self.password = QLineEdit()
        self.password.setObjectName("switchPassword")
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.message = QLabel()
        self.message.setObjectName("switchMessage")
        self.message.setWordWrap(True)
        self.message.setStyleSheet(ERROR_STYLE)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Switch"))
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        form = QFormLayout()
        form.addRow(self.tr("User"), self.person)
        form.addRow(self.tr("Password"), self.password)
        layout = QVBoxLayout(self)
        intro = QLabel(
            self.tr("Who works at this PC now?\nEdits and reviews are recorded in their name.")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.message)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(480)
        if not self.people:
            self.message.setText(
                self.tr("Nobody is registered yet: add people under Users ▸ Manage users.")
            )
            self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(False)
        self.person.currentIndexChanged.connect(lambda _i: self._person_changed())
        self._person_changed()

    def chosen(self) -> User | None:
        index = self.person.currentIndex()
        return self.people[index] if 0 <= index < len(self.people) else None

    def _person_changed(self) -> None:
        user = self.chosen()
        needs = user is not None and user.has_password
        self.password.clear()
        self.password.setEnabled(needs)
        self.password.setPlaceholderText("" if needs else self.tr("(no password needed)"))
        if self.people:  # keep the "nobody registered" note
            self.message.clear()
        if needs:
            self.password.setFocus()

    def accept(self) -> None:
        user = self.chosen()
        if user is None:
            return
        try:
            self.user = self.presenter.sign_in(user.login, self.password.text())
        except UserError as exc:
            # Stay open with the reason; nothing changes until a password is right.
            self.message.setText(exc.message(self.lang))
            self.password.selectAll()
            self.password.setFocus()
            return
        super().accept()
