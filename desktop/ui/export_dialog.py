"""File ▸ Export workbook: a submission, a work file of some groups, or a template.

A signed submission whose signature no longer fits the file (a later PlanDesk lays the
printed pages out differently: ``SignAgain``) is not a dead end here: the dialog says
so and offers the branch head to sign it again on the spot — the passphrase dialog of
the review tab, ``submission_signing.sign_again`` through the controller (one audit
entry, one change signal) — and writes it at once. A wrong passphrase is said once,
in the offer, and changes nothing; cancelling the passphrase changes nothing and the
offer stays saying why nothing was written.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.errors import UserError
from desktop.domain.model import Group, Plan, ReportRef
from desktop.domain.review import may_sign_off
from desktop.services import export
from desktop.services.changes import SubmissionSigned
from desktop.services.exchange import ExportResult, Kind, Manifest, now_utc
from desktop.services.signature_records import SignAgain
from desktop.ui.controller import ReportController


def group_sections(plan: Plan, groups: set[Group]) -> list[str]:
    """The top-most nodes owned by the chosen groups (their children come along)."""
    out = []
    for node in plan.nodes:
        if node.group in groups:
            parent = plan.node(node.parent_key) if node.parent_key else None
            if parent is None or plan.effective_group(parent.key) not in groups:
                out.append(node.key)
    return out


class ExportDialog(QDialog):
    def __init__(
        self,
        controller: ReportController,
        plan: Plan,
        ref: ReportRef | None,
        folder: str,
        signed_off: bool,
        parent: QWidget | None = None,
        choose_folder: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.controller, self.plan, self.ref, self.lang = controller, plan, ref, controller.lang
        self.result_: ExportResult | None = None
        # The key fingerprint of a signature made here (the offer to sign again), or None.
        self.signed_again: str | None = None
        self._choose_folder = choose_folder or self._ask_folder
        # The signing passphrase (True: set one for a new key); None: cancelled.
        self.ask_passphrase: Callable[[bool], str | None] = self._ask_passphrase
        self.setWindowTitle(self.tr("Export workbook"))
        self.setMinimumWidth(560)

        kinds = QGroupBox(self.tr("What to write"))
        self.submission = QRadioButton(self.tr("Submission (signed-off report for headquarters)"))
        self.work = QRadioButton(self.tr("Work file (some groups' sections, for another PC)"))
        self.template = QRadioButton(self.tr("Plan template (structure and KPIs, no report)"))
        self.kind_group = QButtonGroup(self)
        box = QVBoxLayout(kinds)
        for button in (self.submission, self.work, self.template):
            self.kind_group.addButton(button)
            box.addWidget(button)
        self.signed_note = QLabel()
        self.signed_note.setWordWrap(True)
        self.signed_note.setStyleSheet("color: #8a5300;")
        box.addWidget(self.signed_note)
        if ref is None:  # a plan without a report period (planning): only a template
            self.submission.setEnabled(False)
            self.work.setEnabled(False)
            self.template.setChecked(True)
        elif signed_off:
            self.submission.setChecked(True)
        else:
            self.submission.setEnabled(False)
            self.signed_note.setText(
                self.tr("Not signed off yet: a submission can be written after the sign-off.")
            )
            self.work.setChecked(True)

        self.groups_box = QGroupBox(self.tr("Groups in the work file"))
        groups_layout = QHBoxLayout(self.groups_box)
        self.group_checks: dict[Group, QCheckBox] = {}
        present = {n.group for n in plan.nodes if n.group}
        for group in Group:
            check = QCheckBox(group.label(self.lang))
            check.setEnabled(group in present)
            check.setChecked(group in present)
            check.toggled.connect(self._update)
            self.group_checks[group] = check
            groups_layout.addWidget(check)

        self.folder = QLineEdit(folder)
        self.folder.setObjectName("exportFolder")
        browse = QPushButton(self.tr("Browse…"))
        browse.clicked.connect(self._browse)
        folder_row = QHBoxLayout()
        folder_row.addWidget(QLabel(self.tr("Folder:")))
        folder_row.addWidget(self.folder, 1)
        folder_row.addWidget(browse)
        self.name_hint = QLabel()
        self.name_hint.setStyleSheet("color: #555;")

        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(self.tr("Write"))
        self.buttons.accepted.connect(self.write)
        self.buttons.rejected.connect(self.reject)

        self._build_sign_again_offer()

        layout = QVBoxLayout(self)
        layout.addWidget(kinds)
        layout.addWidget(self.groups_box)
        layout.addLayout(folder_row)
        layout.addWidget(self.name_hint)
        layout.addWidget(self.offer)
        layout.addWidget(self.buttons)
        self.kind_group.buttonToggled.connect(self._update)
        self.folder.textChanged.connect(self._update)
        self._update()

    def _build_sign_again_offer(self) -> None:
        """Shown once the submission was refused because its signature no longer fits."""
        self.offer = QFrame()
        self.offer.setObjectName("signAgainOffer")
        self.offer.setStyleSheet(
            "#signAgainOffer { background: #fff7e0; border: 1px solid #e0b44c;"
            " border-radius: 4px; }"
        )
        self.offer_text = QLabel()
        self.offer_text.setObjectName("signAgainText")
        self.offer_text.setWordWrap(True)
        # A wrong passphrase, or any other refusal of the signing, is said here once.
        self.offer_problem = QLabel()
        self.offer_problem.setObjectName("signAgainProblem")
        self.offer_problem.setWordWrap(True)
        self.offer_problem.setStyleSheet("color: #9b1c1c;")
        self.offer_problem.hide()
        self.sign_again_button = QPushButton(self.tr("&Sign again and write…"))
        self.sign_again_button.setObjectName("signAgainAndWrite")
        self.sign_again_button.clicked.connect(self._sign_again_and_write)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.sign_again_button)
        box = QVBoxLayout(self.offer)
        box.addWidget(self.offer_text)
        box.addWidget(self.offer_problem)
        box.addLayout(row)
        self.offer.hide()

    @property
    def kind(self) -> Kind:
        if self.submission.isChecked():
            return Kind.SUBMISSION
        return Kind.WORK if self.work.isChecked() else Kind.TEMPLATE

    def sections(self) -> list[str]:
        chosen = {g for g, c in self.group_checks.items() if c.isChecked() and c.isEnabled()}
        return group_sections(self.plan, chosen)

    def _update(self) -> None:
        self.groups_box.setVisible(self.kind is Kind.WORK)
        if self.kind is not Kind.SUBMISSION:
            self.offer.hide()  # it spoke of the submission only
        target = self.target_path()
        ok = target is not None and (self.kind is not Kind.WORK or bool(self.sections()))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(ok)
        if target is None:
            text = self.folder.text().strip()
            self.name_hint.setText(
                self.tr("The folder '{folder}' does not exist.").format(folder=text)
                if text
                else self.tr("Choose a folder.")
            )
            self.name_hint.setStyleSheet("color: #9b1c1c;")
            return
        self.name_hint.setText(self.tr("File name: {name}").format(name=target.name))
        self.name_hint.setToolTip(str(target))
        self.name_hint.setStyleSheet("color: #555;")

    def target_path(self) -> Path | None:
        """The file the export will write, named as the service names it (the next
        free version in the folder); None while the folder does not exist."""
        text = self.folder.text().strip()
        folder = Path(text) if text else None
        if folder is None or not folder.is_dir():
            return None
        manifest = Manifest(
            kind=self.kind,
            branch=self.plan.branch,
            fiscal_year=self.plan.fiscal_year,
            period=self.ref.period if self.ref and self.kind is not Kind.TEMPLATE else None,
            app_version="",
            created_by="",
            created_at=now_utc(),
        )
        return export.next_free_path(folder, export.file_stem(manifest))

    def _ask_folder(self, start: str) -> str | None:
        chosen = QFileDialog.getExistingDirectory(self, self.tr("Folder for the workbook"), start)
        return chosen or None

    def _browse(self) -> None:
        chosen = self._choose_folder(self.folder.text())
        if chosen:
            self.folder.setText(chosen)

    def write(self) -> None:
        kind, sections = self.kind, self.sections()
        folder = Path(self.folder.text().strip())
        ref, plan, actor = self.ref, self.plan, self.controller.actor

        period = ref.period if ref and kind is not Kind.TEMPLATE else None
        try:
            self.result_ = self.controller.run(
                lambda db: export.export_workbook(
                    db, branch=plan.branch, fiscal_year=plan.fiscal_year, period=period,
                    kind=kind, out=folder, actor=actor,
                    sections=sections if kind is Kind.WORK else (),
                ),
                progress=(self, self.tr("Writing the workbook…")),
            )  # fmt: skip
        except SignAgain:
            self._offer_signing_again()
            return
        except UserError as exc:
            QMessageBox.warning(self, self.tr("Export workbook"), exc.message(self.lang))
            return
        self.accept()

    # --- a signature that no longer fits: sign again, then write -----------------------------

    def _offer_signing_again(self) -> None:
        """Say why the submission was not written and, to the branch head, offer to sign
        it again here (anyone else is told who can)."""
        may = may_sign_off(self.controller.user)
        why = self.tr(
            "Not written: the submission's signature no longer fits the file this PlanDesk "
            "writes (PlanDesk was updated and prints the pages differently, or the report "
            "changed after the sign-off)."
        )
        if may:
            what = self.tr(
                "Sign it again with the signing key's passphrase and it is written at once."
            )
        else:
            what = self.tr(
                "Only the branch head can sign it again (here, or in the Review tab: "
                "Sign the submission…); until then no submission can be written."
            )
        self.offer_text.setText(f"{why}\n{what}")
        self.offer_problem.clear()
        self.offer_problem.hide()
        self.sign_again_button.setEnabled(may)
        self.sign_again_button.setToolTip(
            "" if may else self.tr("Only the branch head signs the submission.")
        )
        self.offer.show()
        if may:
            self.sign_again_button.setFocus()

    def _sign_again_and_write(self) -> None:
        """Ask the passphrase (a new key's, twice, on a PC without one), sign the
        submission again, then write it. Cancelled or refused: nothing changed."""
        from desktop.services import signing_keys, submission_signing

        ref = self.ref
        if ref is None or not may_sign_off(self.controller.user):
            return  # the button is disabled then
        keys = signing_keys.keys_dir(self.controller.db.path)
        create = signing_keys.own_public_key(keys) is None
        passphrase = self.ask_passphrase(create)
        if passphrase is None:
            return
        actor = self.controller.actor
        cost = signing_keys.PRODUCT_COST if create else None
        self.offer_problem.hide()
        with self.controller.refusals_to(self._say_problem):
            changes = self.controller.attempt(
                lambda db: submission_signing.sign_again(
                    db, ref, login=actor, passphrase=passphrase, keys=keys, create=cost
                ),
                progress=(self, self.tr("Signing the submission…")),
            )
        if changes is None:
            return
        self.signed_again = changes.one(SubmissionSigned).key
        self.offer.hide()
        self.write()

    def _say_problem(self, message: str) -> None:
        self.offer_problem.setText(message)
        self.offer_problem.show()

    def _ask_passphrase(self, create: bool) -> str | None:
        from desktop.ui.passphrase_dialog import PassphraseDialog

        dialog = PassphraseDialog(create, self)
        return dialog.value() if dialog.exec() == PassphraseDialog.DialogCode.Accepted else None
