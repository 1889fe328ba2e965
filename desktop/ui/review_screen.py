"""The review screen: what waits for me, what changed since it was last approved,
the live KPI status, the comment thread, and approve / return.

Every action goes through the review service, which checks the rules and the
reviewer's password; this screen only offers them.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from desktop.domain.achievement import format_actual, status_detail
from desktop.domain.review import DiffRun
from desktop.services import review
from desktop.ui.controller import ReportController
from desktop.ui.status_style import status_symbol

KeyRole = Qt.ItemDataRole.UserRole + 1


def diff_html(runs: list[DiffRun]) -> str:
    """Added runs underlined on green, removed ones struck through on red."""
    out = []
    for run in runs:
        text = html.escape(run.text).replace("\n", "<br>")
        if run.op == "added":
            out.append(f"<span style='background:#d4f4dd;text-decoration:underline'>{text}</span>")
        elif run.op == "removed":
            out.append(
                f"<span style='background:#fbd5d5;text-decoration:line-through'>{text}</span>"
            )
        else:
            out.append(text)
    return "".join(out)


class ReviewScreen(QWidget):
    def __init__(self, controller: ReportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        # Replaceable in tests: how the screen asks for a password and a confirmation.
        self.ask_password: Callable[[str], str | None] = self._ask_password
        self.confirm: Callable[[str], bool] = self._confirm
        self._names: dict[str, str] = {}  # login → display name, read with the report

        # The reviewer is whoever is at the PC (switch user to review as someone else):
        # shown here, not chosen here, so that comments and decisions cannot be made
        # in another person's name.
        self.reviewer_login: str | None = None
        self.reviewer = QLabel()
        self.reviewer.setObjectName("reviewer")
        self.reviewer.setToolTip(self.tr("To review as someone else, switch user (Ctrl+Shift+U)"))
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Reviewer")))
        top.addWidget(self.reviewer)
        top.addStretch(1)
        self.signoff_label = QLabel()
        self.signoff_label.setObjectName("signOffState")
        top.addWidget(self.signoff_label)
        self.sign_off_button = QPushButton(self.tr("Sign off the report…"))
        self.sign_off_button.setObjectName("signOff")
        top.addWidget(self.sign_off_button)

        self.queue = QListWidget()
        self.queue.setObjectName("reviewQueue")
        self.queue.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.changes = QTextBrowser()
        self.changes.setObjectName("reviewChanges")
        self.thread = QTextBrowser()
        self.thread.setObjectName("reviewThread")
        self.comment = QPlainTextEdit()
        self.comment.setObjectName("reviewComment")
        self.comment.setPlaceholderText(self.tr("Comment (required to return a section)"))
        self.comment.setMaximumHeight(90)
        self.comment_button = QPushButton(self.tr("Comment"))
        self.return_button = QPushButton(self.tr("&Return with comment"))
        self.return_button.setObjectName("returnSection")
        self.approve_button = QPushButton(self.tr("&Approve"))
        self.approve_button.setObjectName("approveSection")
        self.approve_button.setToolTip(self.tr("Approve the selected sections (Ctrl+Enter)"))
        buttons = QHBoxLayout()
        buttons.addWidget(self.comment_button)
        buttons.addStretch(1)
        buttons.addWidget(self.return_button)
        buttons.addWidget(self.approve_button)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(QLabel(self.tr("Changes since the last approval")))
        right_layout.addWidget(self.changes, 3)
        right_layout.addWidget(QLabel(self.tr("Comments")))
        right_layout.addWidget(self.thread, 2)
        right_layout.addWidget(self.comment)
        right_layout.addLayout(buttons)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(QLabel(self.tr("Waiting for my review (oldest first)")))
        left_layout.addWidget(self.queue)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([420, 900])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        self.queue.itemSelectionChanged.connect(self._show_current)
        self.comment_button.clicked.connect(self._comment)
        self.return_button.clicked.connect(self._return)
        self.approve_button.clicked.connect(self._approve)
        self.sign_off_button.clicked.connect(self._sign_off)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self._approve)
        controller.reportLoaded.connect(self.reload)
        controller.reviewChanged.connect(self.refresh)
        # Another person at the PC: their queue, their name on decisions.
        controller.actorChanged.connect(lambda _login: self.reload())

    # --- content ------------------------------------------------------------------------

    def reload(self) -> None:
        """A report was opened or another person took the PC: who reviews, and names."""
        everyone = review.list_users(self.controller.db)
        self._names = {u.login: u.display_name for u in everyone}
        user = self.controller.user
        if user is not None and user.active and user.role.reviews:
            group = f"・{user.group.value}" if user.group else ""
            self.reviewer_login = user.login
            self.reviewer.setText(
                f"<b>{html.escape(user.display_name)}</b>"
                f"（{html.escape(user.role.label(self.controller.lang) + group)}）"
            )
        else:
            self.reviewer_login = None
            self.reviewer.setText(html.escape(self.tr("(you review nothing: switch user)")))
        self.refresh()

    def refresh(self) -> None:
        snap = self.controller.snapshot
        login = self.reviewer_login
        keep = set(self.selected_keys())
        self.queue.clear()
        if snap is None:
            return
        items = review.queue(self.controller.db, snap.ref, login=login) if login else []
        for item in items:
            node = snap.plan.node(item.node_key)
            when = (
                item.submitted_at.astimezone().strftime("%m/%d %H:%M") if item.submitted_at else ""
            )
            who = self._names.get(item.submitted_by or "", item.submitted_by or "")
            entry = QListWidgetItem(f"{node.display_title}\n  {who}  {when}")
            entry.setData(KeyRole, item.node_key)
            self.queue.addItem(entry)
            entry.setSelected(item.node_key in keep)
        if self.queue.count() and not self.queue.selectedItems():
            self.queue.item(0).setSelected(True)
        signed = self.controller.signed_off()
        self.signoff_label.setText(
            self.tr("Signed off by {who}").format(who=signed.signed_by) if signed else ""
        )
        self.sign_off_button.setEnabled(signed is None)
        self._show_current()

    def selected_keys(self) -> list[str]:
        return [i.data(KeyRole) for i in self.queue.selectedItems()]

    def _show_current(self) -> None:
        keys = self.selected_keys()
        enabled = bool(keys)
        for button in (self.approve_button, self.return_button, self.comment_button):
            button.setEnabled(enabled)
        snap = self.controller.snapshot
        if not keys or snap is None:
            nothing = self.tr("Nothing waits for your review.")
            self.changes.setHtml(f"<p>{html.escape(nothing)}</p>")
            self.thread.clear()
            return
        key = keys[0]
        lang = self.controller.lang
        ch = review.changes_since_approval(self.controller.db, snap.ref, key)
        parts = [f"<h3>{html.escape(snap.plan.node(key).display_title)}</h3>"]
        never = self.tr("Never approved: all of it is new.")
        mark_word = self.tr("Mark")
        unchanged = self.tr("No change since the last approval.")
        if not ch.approved_before:
            parts.append(f"<p><i>{html.escape(never)}</i></p>")
        names = {
            "status_text": self.tr("What was done (実施状況)"),
            "mark_reason": self.tr("Reason for the rating (評価の理由)"),
            "next_steps": self.tr("Next steps (今後の実施予定等)"),
        }
        for field, runs in ch.texts.items():
            parts.append(f"<p><b>{html.escape(names[field])}</b><br>{diff_html(runs)}</p>")
        if ch.mark is not None:
            old, new = ch.mark
            parts.append(f"<p><b>{html.escape(mark_word)}</b>: {old or '—'} → {new or '—'}</p>")
        if not ch.texts and ch.mark is None and not ch.kpis:
            parts.append(f"<p>{html.escape(unchanged)}</p>")
        kpis = snap.plan.kpis_of(key)
        if kpis:
            rows = []
            for kpi in kpis:
                a = snap.assessment(kpi.key)
                before, now = ch.kpis.get(kpi.key, (None, None))
                changed = f"{before or '—'} → {now or '—'}" if kpi.key in ch.kpis else ""
                value = snap.measurements.get(kpi.key)
                shown = value.effective_value() if value else None
                rows.append(
                    f"<tr><td>{html.escape(kpi.label + kpi.name)}</td>"
                    f"<td align='right'>{html.escape(format_actual(kpi, value)) if shown is not None else ''}</td>"
                    f"<td>{status_symbol(a.status)} {html.escape(a.status.label(lang))} "
                    f"{html.escape(status_detail(kpi, a, lang))}</td>"
                    f"<td>{html.escape(changed)}</td></tr>"
                )
            parts.append("<table cellpadding='3'>" + "".join(rows) + "</table>")
        self.changes.setHtml("".join(parts))
        thread = review.thread(self.controller.db, snap.ref, key)
        actions = {
            "comment": self.tr("comment"),
            "submit": self.tr("submitted"),
            "resubmit": self.tr("edited after reopening: back to review"),
            "return": self.tr("returned"),
            "approve": self.tr("approved"),
            "reopen": self.tr("reopened"),
            "except": self.tr("excepted"),
        }
        self.thread.setHtml(
            "".join(
                f"<p><b>{html.escape(self._names.get(c.author, c.author))}</b> "
                f"<span style='color:#666'>{c.at.astimezone():%Y-%m-%d %H:%M} "
                f"{html.escape(actions.get(c.action, c.action))}</span>"
                + (f"<br>{html.escape(c.text)}" if c.text else "")
                + "</p>"
                for c in thread
            )
        )

    # --- actions -----------------------------------------------------------------------------

    def _password(self) -> tuple[str, str] | None:
        login = self.reviewer_login
        if not login:
            return None
        password = self.ask_password(self._names.get(login, login))
        return (login, password) if password else None

    def _approve(self) -> None:
        snap = self.controller.snapshot
        keys = self.selected_keys()
        if snap is None or not keys:
            return
        if len(keys) > 1 and not self.confirm(self.tr("Approve {n} sections?").format(n=len(keys))):
            return
        who = self._password()
        if who is None:
            return
        comment = self.comment.toPlainText()
        if self.controller.review_action(
            lambda: review.approve(
                self.controller.db, snap.ref, keys, login=who[0], password=who[1], comment=comment
            )
        ):
            self.comment.clear()

    def _return(self) -> None:
        snap = self.controller.snapshot
        keys = self.selected_keys()
        if snap is None or not keys:
            return
        who = self._password()
        if who is None:
            return
        comment = self.comment.toPlainText()
        if self.controller.review_action(
            lambda: review.return_section(
                self.controller.db,
                snap.ref,
                keys[0],
                login=who[0],
                password=who[1],
                comment=comment,
            )
        ):
            self.comment.clear()

    def _comment(self) -> None:
        snap = self.controller.snapshot
        keys = self.selected_keys()
        login = self.reviewer_login
        if snap is None or not keys or not login:
            return
        text = self.comment.toPlainText()
        if self.controller.review_action(
            lambda: review.add_comment(
                self.controller.db, snap.ref, keys[0], login=login, text=text
            )
        ):
            self.comment.clear()
            self._show_current()

    def _sign_off(self) -> None:
        snap = self.controller.snapshot
        if snap is None or not self.confirm(self.tr("Sign off the whole report?")):
            return
        who = self._password()
        if who is None:
            return
        self.controller.review_action(
            lambda: review.sign_off(self.controller.db, snap.ref, login=who[0], password=who[1])
        )

    def _ask_password(self, who: str) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            self.tr("Password"),
            self.tr("Password of {who}:").format(who=who),
            QLineEdit.EchoMode.Password,
        )
        return text if ok else None

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("PlanDesk"), question)
        return answer == QMessageBox.StandardButton.Yes
