"""The branch head's signing passphrase at sign-off.

Asked after the branch head's password: it opens this PC's signing key, which
signs the submission (desktop/services/submission_signing.py). On a PC without a
key the same dialog sets the passphrase, twice, and the key is made at sign-off.
The passphrase is never stored; a wrong one changes nothing (the service says so).
HQ's board asks HQ's passphrase with it too, under its own title and explanation,
before it writes the national workbook or the benchmark pack signed.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

MIN_LENGTH = 8  # signing_keys.MIN_PASSPHRASE (not imported: the services load later)
WIDTH = 460


class PassphraseDialog(QDialog):
    """Enter the signing passphrase, or (``create``) set one for a new key.

    ``title`` and ``text``: the window title and the explanation when what is signed
    is not a branch's submission (HQ's national workbook and benchmark pack)."""

    def __init__(
        self,
        create: bool,
        parent: QWidget | None = None,
        *,
        title: str | None = None,
        text: str | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("passphraseDialog")
        self.create = create
        self.setWindowTitle(title or self.tr("Sign the submission"))
        if text is None and create:
            text = self.tr(
                "This PC has no signing key yet. Set the passphrase that protects it "
                "(at least {n} characters). Only the branch head should know it: it is "
                "asked at every sign-off, and it cannot be recovered."
            ).format(n=MIN_LENGTH)
        elif text is None:
            text = self.tr(
                "The submission is signed with this PC's signing key. Enter the passphrase "
                "of the signing key."
            )
        about = QLabel(text)
        about.setObjectName("passphraseAbout")
        about.setWordWrap(True)
        self.passphrase = QLineEdit()
        self.passphrase.setObjectName("passphrase")
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.again = QLineEdit()
        self.again.setObjectName("passphraseAgain")
        self.again.setEchoMode(QLineEdit.EchoMode.Password)
        form = QFormLayout()
        form.addRow(self.tr("Passphrase:"), self.passphrase)
        if create:
            form.addRow(self.tr("Again:"), self.again)
        else:
            self.again.hide()
        self.problem = QLabel()
        self.problem.setObjectName("passphraseProblem")
        self.problem.setStyleSheet("color:#b00020;")
        self.problem.setWordWrap(True)
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(about)
        layout.addLayout(form)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        # Tall enough for the explanation as wrapped at this width (a longer one, such
        # as HQ's, was cut off at the size hint's height).
        height = max(self.sizeHint().height(), layout.totalHeightForWidth(WIDTH))
        self.resize(WIDTH, height)

    def accept(self) -> None:
        text = self.passphrase.text()
        if not text:
            self._say(self.tr("Enter the passphrase."))
            return
        if self.create and len(text) < MIN_LENGTH:
            self._say(self.tr("The passphrase needs at least {n} characters.").format(n=MIN_LENGTH))
            return
        if self.create and text != self.again.text():
            self._say(self.tr("The two passphrases differ."))
            return
        super().accept()

    def _say(self, text: str) -> None:
        self.problem.setText(text)
        self.problem.show()

    def value(self) -> str:
        return self.passphrase.text()
