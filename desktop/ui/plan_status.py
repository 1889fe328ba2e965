"""Where the open plan stands in its own approval, and the steps to take it on.

``PlanStatusWidget`` shows the state (draft, submitted, approved), who moved it
there and when, the last reason given, and the buttons of the steps the person
at the PC may take: Submit plan (undoable by the submitter through the
controller), Approve, Send back… and Reopen… (the branch head, with a password,
and a reason for the last two), and Changes since approval…, which opens
``PlanChangesDialog``: the plan's content changes since it was approved, node by
node — added in green, removed in red and struck out.

Every step runs through the controller (``ReportController.submit_plan`` /
``attempt``); the widget updates from its one ``changed`` signal. It is shown from
Plan ▸ Plan approval… and can be docked in the planning window as it is.
"""

from __future__ import annotations

import html
from collections.abc import Callable
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.plan_diff import Change, FieldChange, NodeDiff
from desktop.domain.plan_review import PlanState, PlanStatus, may_approve, may_submit
from desktop.services import people, plan_approval
from desktop.services.changes import Changes, PlanRef, PlanStateChanged
from desktop.services.plan_approval import PlanChanges
from desktop.ui.controller import ReportController
from desktop.ui.review_screen import NOTICE_STYLE, diff_html

# A state is never colour alone: a symbol says it too.
_STATE_STYLE = {
    PlanState.DRAFT: ("✎", "#5a5a5a", "#f0f0f0"),
    PlanState.SUBMITTED: ("⏳", "#7a4b00", "#fff1d6"),
    PlanState.APPROVED: ("✔", "#1e6b34", "#e3f4e6"),
}
_ADDED = "background:#d4f4dd;color:#14532d"
_REMOVED = "background:#fbd5d5;color:#7f1d1d;text-decoration:line-through"


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value else ""


class PlanStatusWidget(QWidget):
    def __init__(self, controller: ReportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.setObjectName("planStatus")
        # Replaceable in tests: how the widget asks for a password and a reason.
        self.ask_password: Callable[[str], str | None] = self._ask_password
        self.ask_reason: Callable[[str, str], str | None] = self._ask_reason
        self._status: PlanStatus | None = None

        self.title = QLabel()
        self.title.setObjectName("planStatusTitle")
        self.title.setStyleSheet("font-weight:bold;")
        self.state = QLabel()
        self.state.setObjectName("planStatusState")
        self.who = QLabel()
        self.who.setObjectName("planStatusWho")
        self.who.setWordWrap(True)
        self.reason = QLabel()
        self.reason.setObjectName("planStatusReason")
        self.reason.setWordWrap(True)
        self.hint = QLabel()
        self.hint.setObjectName("planStatusHint")
        self.hint.setWordWrap(True)
        self.hint.setStyleSheet("color:#555;")
        self.notice = QLabel()
        self.notice.setObjectName("planStatusNotice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)

        self.submit_button = QPushButton(self.tr("&Submit plan"))
        self.submit_button.setObjectName("planSubmit")
        self.submit_button.clicked.connect(self.submit)
        self.approve_button = QPushButton(self.tr("&Approve"))
        self.approve_button.setObjectName("planApprove")
        self.approve_button.clicked.connect(self.approve)
        self.send_back_button = QPushButton(self.tr("Send &back…"))
        self.send_back_button.setObjectName("planSendBack")
        self.send_back_button.clicked.connect(self.send_back)
        self.reopen_button = QPushButton(self.tr("&Reopen…"))
        self.reopen_button.setObjectName("planReopen")
        self.reopen_button.clicked.connect(self.reopen)
        self.diff_button = QPushButton(self.tr("&Changes since approval…"))
        self.diff_button.setObjectName("planChanges")
        self.diff_button.clicked.connect(self.show_changes)

        buttons = QHBoxLayout()
        for b in (
            self.submit_button,
            self.approve_button,
            self.send_back_button,
            self.reopen_button,
            self.diff_button,
        ):
            buttons.addWidget(b)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.state, 0, Qt.AlignmentFlag.AlignLeft)  # a chip, not a bar
        for w in (self.who, self.reason, self.hint, self.notice):
            layout.addWidget(w)
        layout.addLayout(buttons)
        layout.addStretch(1)

        controller.changed.connect(self._on_changed)
        controller.reportLoaded.connect(self.reload)
        controller.actorChanged.connect(lambda _login: self.refresh())
        self.reload()

    # --- what is shown --------------------------------------------------------------------

    def plan_ref(self) -> PlanRef | None:
        snap = self.controller.snapshot
        return PlanRef.of(snap.ref) if snap is not None else None

    @property
    def status(self) -> PlanStatus | None:
        return self._status

    def reload(self) -> None:
        """Read the plan's status again (another report or plan opened)."""
        ref = self.plan_ref()
        self._status = (
            None
            if ref is None
            else self.controller.read(
                lambda db: plan_approval.plan_status(db, ref.branch, ref.fiscal_year)
            )
        )
        self.refresh()

    def _on_changed(self, changes: Changes) -> None:
        ref = self.plan_ref()
        if ref is None:
            return
        if ref in changes.plans or any(r.plan == ref for r in changes.of(PlanStateChanged)):
            self.reload()

    def _name(self, login: str | None) -> str:
        if not login:
            return ""
        user = self.controller.read(lambda db: people.find_user(db, login))
        return user.display_name if user is not None else login

    def refresh(self) -> None:
        status, snap = self._status, self.controller.snapshot
        lang = self.controller.lang
        if status is None or snap is None:
            self.title.setText(self.tr("No plan is open."))
            for w in (self.state, self.who, self.reason, self.hint):
                w.clear()
            for b in self._buttons():
                b.setEnabled(False)
            return
        self.title.setText(snap.plan.title)
        symbol, colour, background = _STATE_STYLE[status.state]
        shown = status.state.label(lang)
        if status.state is PlanState.DRAFT and status.has_approved_content:
            shown = self.tr("{state} (reopened after approval)").format(state=shown)
        self.state.setText(f"{symbol} {shown}")
        self.state.setStyleSheet(
            f"QLabel {{ color:{colour}; background:{background}; border-radius:4px; "
            "padding:4px 8px; font-weight:bold; }"
        )
        lines = []
        if status.submitted_by and status.state is not PlanState.DRAFT:
            lines.append(
                self.tr("Submitted by {who} on {when}").format(
                    who=self._name(status.submitted_by), when=_when(status.submitted_at)
                )
            )
        if status.approved_by:
            lines.append(
                self.tr("Last approved by {who} on {when}").format(
                    who=self._name(status.approved_by), when=_when(status.approved_at)
                )
            )
        self.who.setText("\n".join(lines))
        self.who.setVisible(bool(lines))
        self.reason.setText(
            self.tr("Reason given: {reason}").format(reason=status.reason) if status.reason else ""
        )
        self.reason.setVisible(bool(status.reason))
        self.hint.setText(self._hint(status.state))
        user = self.controller.user
        decides = may_approve(user)
        self.submit_button.setEnabled(status.state is PlanState.DRAFT and may_submit(user))
        self.approve_button.setEnabled(status.state is PlanState.SUBMITTED and decides)
        self.send_back_button.setEnabled(status.state is PlanState.SUBMITTED and decides)
        self.reopen_button.setEnabled(status.state is PlanState.APPROVED and decides)
        self.diff_button.setEnabled(status.has_approved_content)

    def _hint(self, state: PlanState) -> str:
        if state is PlanState.DRAFT:
            return self.tr(
                "The plan text, the tree and the KPI definitions and targets can be edited. "
                "When the plan is ready, the planning group submits it to the branch head. "
                "Reports can be written meanwhile; they are not part of the plan."
            )
        if state is PlanState.SUBMITTED:
            return self.tr(
                "Waiting for the branch head's approval. The plan's content is locked; the "
                "submitter can take the submission back with Edit ▸ Undo."
            )
        return self.tr(
            "The plan is approved and locked. To change it, the branch head reopens it with "
            "a reason; the changes are then shown against the approved plan."
        )

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.submit_button,
            self.approve_button,
            self.send_back_button,
            self.reopen_button,
            self.diff_button,
        )

    # --- the steps ------------------------------------------------------------------------

    def _act(self, step: Callable[[], bool], done: str) -> bool:
        """Run a step; what it did, or why not, is said here (and only here)."""
        with self.controller.refusals_to(self._refused):
            ok = step()
        if ok:
            self.show_notice(done)
        return ok

    def _refused(self, message: str) -> None:
        self.show_notice(message, ok=False)

    def show_notice(self, text: str, ok: bool = True) -> None:
        symbol, style = NOTICE_STYLE[ok]
        self.notice.setText(f"{symbol} {text}")
        self.notice.setStyleSheet(f"QLabel {{ {style} border-radius:4px; padding:6px; }}")
        self.notice.setVisible(True)

    def submit(self) -> bool:
        return self._act(
            self.controller.submit_plan,
            self.tr("The plan is submitted for the branch head's approval."),
        )

    def _decide(self, run: Callable[..., Changes], done: str, *, reason: str | None = None) -> bool:
        ref = self.plan_ref()
        if ref is None:
            return False
        login = self.controller.actor
        password = self.ask_password(self._name(login))
        if not password:
            return False
        extra = {} if reason is None else {"reason": reason}

        def step() -> bool:
            result = self.controller.attempt(
                lambda db: run(
                    db, ref.branch, ref.fiscal_year, login=login, password=password, **extra
                )
            )
            return result is not None

        return self._act(step, done)

    def approve(self) -> bool:
        return self._decide(
            plan_approval.approve_plan,
            self.tr("The plan is approved: its content is locked for the year's reporting."),
        )

    def send_back(self) -> bool:
        reason = self.ask_reason(
            self.tr("Send the plan back"), self.tr("Why is the plan sent back? (required)")
        )
        if reason is None:
            return False
        return self._decide(
            plan_approval.send_back_plan,
            self.tr("The plan is sent back to the planning group."),
            reason=reason,
        )

    def reopen(self) -> bool:
        reason = self.ask_reason(
            self.tr("Reopen the plan"), self.tr("Why is the approved plan reopened? (required)")
        )
        if reason is None:
            return False
        return self._decide(
            plan_approval.reopen_plan,
            self.tr("The plan is reopened: changes are shown against the approved plan."),
            reason=reason,
        )

    def show_changes(self) -> PlanChangesDialog | None:
        if self.plan_ref() is None:
            return None
        dialog = PlanChangesDialog(self.controller, self)
        dialog.show()
        return dialog

    def _ask_password(self, who: str) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            self.tr("Password"),
            self.tr("Password of {who}:").format(who=who),
            QLineEdit.EchoMode.Password,
        )
        return text if ok else None

    def _ask_reason(self, title: str, prompt: str) -> str | None:
        text, ok = QInputDialog.getMultiLineText(self, title, prompt)
        return text if ok else None


class PlanChangesDialog(QDialog):
    """The plan's content changes since its approval, node by node."""

    def __init__(self, controller: ReportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.lang = controller.lang
        snap = controller.snapshot
        found = None
        if snap is not None:
            branch, year = snap.ref.branch, snap.ref.fiscal_year
            found = controller.read(
                lambda db: plan_approval.changes_since_approval(db, branch, year)
            )
        self.setWindowTitle(self.tr("Changes since approval"))
        self.resize(820, 640)
        self.view = QTextBrowser()
        self.view.setObjectName("planChangesView")
        self.view.setOpenLinks(False)
        self.view.setHtml(self.document(found))
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.view)
        layout.addWidget(close)

    def document(self, found: PlanChanges | None) -> str:
        """The changes as HTML: a heading per node, what changed beneath it."""
        esc = html.escape
        if found is None:
            return "<p>{}</p>".format(esc(self.tr("No plan is open.")))
        if not found.approved_before:
            return "<p>{}</p>".format(
                esc(
                    self.tr(
                        "There is no record of this plan as approved yet: it is kept from the "
                        "next approval (or when a plan approved before this version is "
                        "reopened)."
                    )
                )
            )
        parts = [
            "<p style='color:#555'>{}</p>".format(
                esc(
                    self.tr("Compared with the plan as approved on {when}.").format(
                        when=_when(found.approved_at)
                    )
                )
            )
        ]
        if not found.diff:
            parts.append("<p>{}</p>".format(esc(self.tr("No changes since the approval."))))
            return "".join(parts)
        for f in found.diff.fields:
            parts.append(self._field(f))
        for node in found.diff.nodes:
            parts.append(self._node(node))
        return "".join(parts)

    def _kind(self, change: Change) -> str:
        return {
            Change.ADDED: self.tr("added"),
            Change.REMOVED: self.tr("removed"),
            Change.CHANGED: self.tr("changed"),
        }[change]

    def _field(self, f: FieldChange) -> str:
        label = html.escape(f.label.get(self.lang))
        return (
            f"<div style='margin-left:16px'>{label}: "
            f"<span style='{_REMOVED}'>{html.escape(f.old.get(self.lang))}</span> → "
            f"<span style='{_ADDED}'>{html.escape(f.new.get(self.lang))}</span></div>"
        )

    def _node(self, node: NodeDiff) -> str:
        esc = html.escape
        style = {Change.ADDED: _ADDED, Change.REMOVED: _REMOVED, Change.CHANGED: ""}[node.change]
        sign = {Change.ADDED: "＋", Change.REMOVED: "－", Change.CHANGED: "～"}[node.change]
        out = [
            f"<h3 style='margin-bottom:2px'>{sign} <span style='{style}'>{esc(node.title)}</span>"
            f" <small style='color:#666'>({esc(self._kind(node.change))}, {esc(node.key)})"
            "</small></h3>"
        ]
        if node.renamed:
            out.append(
                "<div style='margin-left:16px'>{}: <span style='{}'>{}</span> → "
                "<span style='{}'>{}</span></div>".format(
                    esc(self.tr("Heading")),
                    _REMOVED,
                    esc(node.renamed[0]),
                    _ADDED,
                    esc(node.renamed[1]),
                )
            )
        if node.moved:
            out.append(f"<div style='margin-left:16px'>↕ {esc(node.moved.get(self.lang))}</div>")
        if node.plan_text:
            out.append(
                "<div style='margin-left:16px'>{}:<div style='margin-left:16px'>{}</div>"
                "</div>".format(esc(self.tr("Plan text")), diff_html(list(node.plan_text)))
            )
        for f in node.fields:
            out.append(self._field(f))
        for k in node.kpis:
            kstyle = {Change.ADDED: _ADDED, Change.REMOVED: _REMOVED, Change.CHANGED: ""}[k.change]
            out.append(
                f"<div style='margin-left:16px'>KPI <span style='{kstyle}'>{esc(k.name)}</span> "
                f"<small style='color:#666'>({esc(self._kind(k.change))})</small></div>"
            )
            for f in k.fields:
                out.append(f"<div style='margin-left:16px'>{self._field(f)}</div>")
        return "".join(out)


class PlanStatusDialog(QDialog):
    """Plan ▸ Plan approval…: the widget in a window of its own."""

    def __init__(self, controller: ReportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Plan approval"))
        self.setWindowFlag(Qt.WindowType.WindowContextHelpButtonHint, False)
        self.resize(760, 300)
        self.widget = PlanStatusWidget(controller, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.widget)
