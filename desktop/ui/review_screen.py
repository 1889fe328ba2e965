"""The review screen: what waits for me, what changed since it was last approved,
the live KPI status, the comment thread, approve / return, and the sign-off.

Every action goes through the review service (by way of the review presenter
and the controller), which checks the rules and the reviewer's password; this
screen only offers them. What keeps the report from being signed off is shown
before anything is asked (the domain's own rule, on the states the controller
holds), and every decision is confirmed in the screen with what comes next.

Once the report is signed off the screen says whether its submission is signed and
with which key (fingerprint as read out on the telephone); when it has no signature
by this PC's current key (signed off before the branch had a key, or the key was
rotated since) or the current key's signature no longer fits the file (a later
PlanDesk prints it differently: found by laying the file out once, ≈20 ms, when the
state is first read — not on every refresh), "Sign the submission…" asks the
passphrase and signs it (making the key on a PC without one, as the sign-off does).

What it shows follows the controller's change signal: the queue comes from the
review board the controller keeps (no query), and a section's changes and
thread are read once and drawn again only when a change record touches it.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QSignalBlocker, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
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
from desktop.domain.model import Group, PeriodKind
from desktop.domain.report_order import groups_of
from desktop.domain.review import DiffRun, SectionState, may_sign_off, sign_off_blockers
from desktop.services.changes import Changes, SubmissionSigned
from desktop.ui.controller import ReportController
from desktop.ui.review_presenter import ReviewPresenter, SectionDetail
from desktop.ui.status_style import status_symbol

KeyRole = Qt.ItemDataRole.UserRole + 1
_NOTHING: tuple[str, None] = ("", None)  # the panes say that nothing waits
# A notice is never colour alone: a symbol says success or failure too.
NOTICE_STYLE = {
    True: ("✔", "background:#e3f4e6; color:#1e6b34; border:1px solid #9fd3aa;"),
    False: ("✖", "background:#fbe4e4; color:#9b1c1c; border:1px solid #e6a1a1;"),
}


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
    sectionRequested = Signal(str)  # node key: open this section in the form

    def __init__(self, controller: ReportController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        self.presenter = ReviewPresenter(controller)
        # Replaceable in tests: how the screen asks for a password and a confirmation.
        self.ask_password: Callable[[str], str | None] = self._ask_password
        self.confirm: Callable[[str], bool] = self._confirm
        # The signing passphrase at sign-off (True: set one for a new key); None: cancelled.
        self.ask_passphrase: Callable[[bool], str | None] = self._ask_passphrase
        # What the detail panes draw: a section and its detail, _NOTHING, or None (to draw).
        self._shown: tuple[str, SectionDetail | None] | None = None

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
        top.addSpacing(24)
        self.signoff_label = QLabel()
        self.signoff_label.setObjectName("signOffState")
        # Wrapped, and given the row's free width: the signature's line (a fingerprint
        # and why it must be signed again) would otherwise widen the whole window past
        # a laptop's screen.
        self.signoff_label.setWordWrap(True)
        self.signoff_label.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter)
        top.addWidget(self.signoff_label, 1)
        # Shown only for a signed-off report whose submission this PC's key has not signed.
        self.sign_button = QPushButton(self.tr("Sign the sub&mission…"))
        self.sign_button.setObjectName("signSubmission")
        self.sign_button.setVisible(False)
        top.addWidget(self.sign_button)
        self.sign_off_button = QPushButton(self.tr("Sign off the report…"))
        self.sign_off_button.setObjectName("signOff")
        # Disabled, it says why: readable, not greyed out.
        self.sign_off_button.setStyleSheet("QPushButton:disabled { color: #8a5300; }")
        top.addWidget(self.sign_off_button)

        # What was just done and what comes next (or why it was refused).
        self.notice = QLabel()
        self.notice.setObjectName("reviewNotice")
        self.notice.setWordWrap(True)
        self.notice.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.notice.setVisible(False)

        # Before anyone is asked for a password: what still keeps the report from
        # being signed off, each one a way to the section.
        self.blockers_title = QLabel()
        self.blockers_title.setObjectName("signOffBlockersTitle")
        self.blockers_title.setWordWrap(True)
        self.blockers = QListWidget()
        self.blockers.setObjectName("signOffBlockers")
        self.blockers.setWordWrap(True)  # long titles whole, no sideways scrolling
        self.blockers.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.blockers.setToolTip(
            self.tr(
                "Double-click or press Enter: a section waiting for review is selected "
                "in the queue, any other opens in the Sections tab"
            )
        )
        self.blockers_box = QWidget()
        self.blockers_box.setObjectName("signOffBlockersBox")
        blockers_layout = QVBoxLayout(self.blockers_box)
        blockers_layout.setContentsMargins(0, 6, 0, 0)
        blockers_layout.addWidget(self.blockers_title)
        blockers_layout.addWidget(self.blockers)
        self.blockers_box.setVisible(False)

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
        self._add_group_review(left_layout)
        left_layout.addWidget(self.queue, 3)
        left_layout.addWidget(self.blockers_box, 2)
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setSizes([420, 900])
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.notice)
        layout.addWidget(splitter, 1)

        self.queue.itemSelectionChanged.connect(self._show_current)
        self.comment_button.clicked.connect(self._comment)
        self.return_button.clicked.connect(self._return)
        self.approve_button.clicked.connect(self._approve)
        self.sign_off_button.clicked.connect(self._sign_off)
        self.sign_button.clicked.connect(self._sign_submission)
        self.blockers.itemActivated.connect(self._go_to_blocker)
        shortcut = QShortcut(QKeySequence("Ctrl+Return"), self)
        shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        shortcut.activated.connect(self._approve)
        controller.reportLoaded.connect(self.reload)
        controller.changed.connect(self._on_changed)
        # Another person at the PC: their queue, their name on decisions.
        controller.actorChanged.connect(lambda _login: self.reload())
        if controller.snapshot is not None:  # built after the report was opened
            self.reload()

    def _add_group_review(self, layout: QVBoxLayout) -> None:
        """Review per group: show one group's sections, approve them all at once."""
        self.group_filter = QComboBox()
        self.group_filter.setObjectName("reviewGroupFilter")
        self.approve_group_button = QPushButton(self.tr("Approve the group"))
        self.approve_group_button.setObjectName("approveGroup")
        self.approve_group_button.setToolTip(
            self.tr("Approve every section of the group chosen that waits for your review")
        )
        row = QHBoxLayout()
        row.addWidget(QLabel(self.tr("Group")))
        row.addWidget(self.group_filter, 1)
        row.addWidget(self.approve_group_button)
        layout.addLayout(row)
        self.group_filter.activated.connect(lambda _i: self.refresh())
        self.approve_group_button.clicked.connect(self._approve_group)

    def _fill_groups(self) -> None:
        """The plan's groups, in the report's order; the choice kept where it can be."""
        snap = self.controller.snapshot
        chosen = self.group_filter.currentData()
        with QSignalBlocker(self.group_filter):
            self.group_filter.clear()
            self.group_filter.addItem(self.tr("All groups"), None)
            for group in groups_of(snap.plan) if snap is not None else []:
                self.group_filter.addItem(group.label(self.controller.lang), group.value)
            self.group_filter.setCurrentIndex(max(self.group_filter.findData(chosen), 0))

    def chosen_group(self) -> Group | None:
        value = self.group_filter.currentData()
        return Group(value) if value else None

    def _approve_group(self) -> None:
        group = self.chosen_group()
        if group is None or not self.queue.count():
            return
        name = group.label(self.controller.lang)
        n = self.queue.count()
        if not self.confirm(
            self.tr("Approve all {n} section(s) of {group}?").format(n=n, group=name)
        ):
            return
        who = self._password()
        if who is None:
            return
        comment = self.comment.toPlainText()
        if self._act(lambda: self.presenter.approve_group(group, who[0], who[1], comment)):
            self.comment.clear()
            self._done(self.tr("Approved every section of {group}.").format(group=name))

    # --- content ------------------------------------------------------------------------

    def reload(self) -> None:
        """A report was opened or another person took the PC: who reviews, and names."""
        self.show_notice("")
        self.presenter.forget_all()
        user = self.presenter.reviewer()
        if user is not None:
            group = f"・{user.group.label(self.controller.lang)}" if user.group else ""
            self.reviewer_login = user.login
            self.reviewer.setText(
                f"<b>{html.escape(user.display_name)}</b>"
                f"（{html.escape(user.role.label(self.controller.lang) + group)}）"
            )
        else:
            self.reviewer_login = None
            self.reviewer.setText(html.escape(self.tr("(you review nothing: switch user)")))
        self._fill_groups()
        self.refresh()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        self._show_current()

    def _on_changed(self, changes: Changes) -> None:
        snap = self.controller.snapshot
        if snap is None:
            return
        if changes.replaces(snap.ref) or changes.people:
            self.reload()
            return
        self.presenter.forget(changes)
        if changes.reviewed(snap.ref):
            self.refresh()
        elif any(r.report == snap.ref for r in changes.of(SubmissionSigned)):
            self._show_sign_off()  # only the signature's line and button change
        else:
            self._show_current()  # drawn again only when its section was touched

    def refresh(self) -> None:
        snap = self.controller.snapshot
        keep = set(self.selected_keys())
        selected_rows = [self.queue.row(i) for i in self.queue.selectedItems()]
        self.queue.clear()
        if snap is None:
            self._show_sign_off()
            return
        group = self.chosen_group()
        for item in self.presenter.queue():
            if group is not None and snap.plan.effective_group(item.node_key) is not group:
                continue  # another group's section (the group filter)
            node = snap.plan.node(item.node_key)
            when = (
                item.submitted_at.astimezone().strftime("%m/%d %H:%M") if item.submitted_at else ""
            )
            who = self.presenter.name(item.submitted_by)
            entry = QListWidgetItem(f"{node.display_title}\n  {who}  {when}")
            entry.setData(KeyRole, item.node_key)
            self.queue.addItem(entry)
            entry.setSelected(item.node_key in keep)
        if self.queue.count() and not self.queue.selectedItems():
            # What was decided left the queue: move on to the section that followed it.
            row = min(min(selected_rows, default=0), self.queue.count() - 1)
            self.queue.setCurrentRow(row)
        self.approve_group_button.setEnabled(group is not None and self.queue.count() > 0)
        self._show_sign_off()
        self._show_current()

    def _show_sign_off(self) -> None:
        """The sign-off button and what keeps the report from being signed off, by the
        same rule the sign-off service applies (domain.review.sign_off_blockers)."""
        snap = self.controller.snapshot
        self.blockers.clear()
        signed = self.controller.signed_off() if snap is not None else None
        user = self.controller.user
        button = self.sign_off_button
        if snap is None or signed is None:
            self.sign_button.setVisible(False)
        if snap is None:
            button.setEnabled(False)
            self.blockers_box.setVisible(False)
            self.signoff_label.clear()
            return
        if signed is not None:
            who = self.presenter.name(signed.signed_by)
            when = signed.signed_at.astimezone().strftime("%Y-%m-%d %H:%M")
            said = self.tr("Signed off by {who} ({when})").format(who=who, when=when)
            self.signoff_label.setText(f"{said}\n{self._signature_line()}")
            button.setText(self.tr("Signed off"))
            button.setToolTip("")
            button.setEnabled(False)
            self.blockers_box.setVisible(False)
            return
        self.signoff_label.clear()
        states = self.controller.states()
        open_keys = sign_off_blockers(states)
        if not may_sign_off(user):
            button.setText(self.tr("Sign off the report…"))
            button.setToolTip(self.tr("Only the branch head signs the report off."))
            button.setEnabled(False)
            self.blockers_box.setVisible(False)
            return
        if not open_keys:
            button.setText(self.tr("Sign off the report…"))
            button.setToolTip(self.tr("Every section is approved or excepted."))
            button.setEnabled(True)
            self.blockers_box.setVisible(False)
            return
        n = len(open_keys)
        button.setText(self.tr("Cannot sign off: {n} section(s) not approved").format(n=n))
        button.setToolTip(
            self.tr("Every section must be approved or excepted first: see the list.")
        )
        button.setEnabled(False)
        self.blockers_title.setText(
            self.tr(
                "<b>Before the sign-off</b>: {n} section(s) are not approved yet "
                "(approve them, or except them in the Sections tab)."
            ).format(n=n)
        )
        lang = self.controller.lang
        waiting = {self.queue.item(i).data(KeyRole) for i in range(self.queue.count())}
        for key in open_keys:
            node = snap.plan.node(key)
            state = states[key]
            group = snap.plan.effective_group(key)
            where = f"・{group.label(lang)}" if group else ""
            entry = QListWidgetItem(f"{node.display_title}\n  {state.label(lang)}{where}")
            entry.setData(KeyRole, key)
            entry.setToolTip(
                self.tr("Waiting for your review: select it in the queue")
                if key in waiting
                else self.tr("Open it in the Sections tab")
            )
            if state is SectionState.RETURNED:
                entry.setForeground(Qt.GlobalColor.darkRed)
            self.blockers.addItem(entry)
        self.blockers_box.setVisible(True)

    def _signature_line(self) -> str:
        """Whether the signed-off report's submission is signed, and by which key; the
        sign button shown when this PC's current key has not signed it, or its signature
        no longer fits the file."""
        from desktop.services.signing_keys import spoken

        state = self.presenter.signing_state()
        assert state is not None
        self.sign_button.setVisible(state.needs_signing)
        may = may_sign_off(self.controller.user)
        self.sign_button.setEnabled(may)
        self.sign_button.setToolTip(
            self.tr(
                "Sign the signed-off report's submission with this PC's signing key "
                "(the passphrase is asked)"
            )
            if may
            else self.tr("Only the branch head signs the submission.")
        )
        if state.signed_with is None:
            return self.tr("The submission is not signed yet.")
        fp = spoken(state.signed_with)
        if state.signed_with == state.current_key and state.outdated:
            return self.tr(
                "Submission signed with key {fingerprint}, but the signature no longer fits "
                "the file this PlanDesk writes: sign it again before writing it"
            ).format(fingerprint=fp)
        if state.signed_with == state.current_key:
            return self.tr("Submission signed with key {fingerprint}").format(fingerprint=fp)
        return self.tr(
            "Submission signed with key {fingerprint}, not this PC's current key"
        ).format(fingerprint=fp)

    def _go_to_blocker(self, item: QListWidgetItem) -> None:
        """A section waiting for my review is decided here; any other is opened."""
        key = item.data(KeyRole)
        for i in range(self.queue.count()):
            if self.queue.item(i).data(KeyRole) == key:
                self.queue.setCurrentRow(i)
                self.queue.setFocus()
                return
        self.sectionRequested.emit(key)

    def selected_keys(self) -> list[str]:
        return [i.data(KeyRole) for i in self.queue.selectedItems()]

    def _show_current(self) -> None:
        keys = self.selected_keys()
        enabled = bool(keys)
        for button in (self.approve_button, self.return_button, self.comment_button):
            button.setEnabled(enabled)
        snap = self.controller.snapshot
        if not keys or snap is None:
            if self._shown != _NOTHING:
                self._shown = _NOTHING
                nothing = self.tr("Nothing waits for your review.")
                self.changes.setHtml(f"<p>{html.escape(nothing)}</p>")
                self.thread.clear()
            return
        if not self.isVisible():
            self._shown = None  # read and drawn when the screen is shown (showEvent)
            return
        key = keys[0]
        detail = self.presenter.detail(key)
        if self._shown is not None and self._shown[0] == key and self._shown[1] is detail:
            return  # nothing it shows has changed
        self._shown = (key, detail)
        lang = self.controller.lang
        ch = detail.changes
        parts = [f"<h3>{html.escape(snap.plan.node(key).display_title)}</h3>"]
        never = self.tr("Never approved: all of it is new.")
        mark_word = self.tr("Mark")
        unchanged = self.tr("No change since the last approval.")
        if not ch.approved_before:
            parts.append(f"<p><i>{html.escape(never)}</i></p>")
        annual = snap.ref.period is PeriodKind.ANNUAL
        names = {
            "status_text": self.tr("What was done (実施状況)"),
            "mark_reason": self.tr("Reason for the self-rating (自己評価の理由)")
            if annual
            else self.tr("Reason for the mark (評価の理由)"),
            "next_steps": self.tr("Next steps (今後の実施予定等)"),
            "actions": self.tr("Concrete actions (具体的な取り組み)"),
        }
        # In the form's order: the mark, then its reason (a field of its own).
        for field in ("status_text", "mark", "mark_reason", "next_steps"):
            if field == "mark" and ch.mark is not None:
                old, new = ch.mark
                parts.append(f"<p><b>{html.escape(mark_word)}</b>: {old or '—'} → {new or '—'}</p>")
            elif field in ch.texts:
                runs = ch.texts[field]
                parts.append(f"<p><b>{html.escape(names[field])}</b><br>{diff_html(runs)}</p>")
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
                f"<p><b>{html.escape(self.presenter.name(c.author))}</b> "
                f"<span style='color:#666'>{c.at.astimezone():%Y-%m-%d %H:%M} "
                f"{html.escape(actions.get(c.action, c.action))}</span>"
                + (f"<br>{html.escape(c.text)}" if c.text else "")
                + "</p>"
                for c in detail.thread
            )
        )

    # --- actions -----------------------------------------------------------------------------

    def _password(self) -> tuple[str, str] | None:
        login = self.reviewer_login
        if not login:
            return None
        password = self.ask_password(self.presenter.name(login))
        return (login, password) if password else None

    def _act(self, action: Callable[[], Changes | None]) -> bool:
        """Run a review action of the presenter; a refusal shows in this screen."""
        with self.controller.refusals_to(self._refused):
            return action() is not None

    def _refused(self, message: str) -> None:
        self.show_notice(message, ok=False)

    def show_notice(self, text: str, ok: bool = True) -> None:
        """A line at the top of the screen: what was done and what is next, or why not."""
        if not text:
            self.notice.clear()
            self.notice.setVisible(False)
            return
        symbol, style = NOTICE_STYLE[ok]
        self.notice.setText(f"{symbol} {text}")
        self.notice.setStyleSheet(f"QLabel {{ {style} border-radius:4px; padding:6px; }}")
        self.notice.setVisible(True)

    def _titles(self, keys: list[str]) -> str:
        snap = self.controller.snapshot
        assert snap is not None
        first = snap.plan.node(keys[0]).display_title
        if len(keys) == 1:
            return first
        return self.tr("{first} and {n} more").format(first=first, n=len(keys) - 1)

    def _next_step(self) -> str:
        """What the reviewer does next, once a decision was taken."""
        keys = self.selected_keys()
        snap = self.controller.snapshot
        if keys and snap is not None:
            return self.tr("Next: {title} ({n} waiting for your review).").format(
                title=snap.plan.node(keys[0]).display_title, n=self.queue.count()
            )
        if self.controller.signed_off() is not None:
            return ""
        if may_sign_off(self.controller.user):
            blocking = len(sign_off_blockers(self.controller.states()))
            if not blocking:
                return self.tr("Every section is approved: you can sign the report off.")
            return self.tr(
                "Nothing else waits for your review; {n} section(s) are not approved yet "
                "(listed on the left)."
            ).format(n=blocking)
        return self.tr("Nothing else waits for your review.")

    def _done(self, what: str) -> None:
        self.show_notice(f"{what} {self._next_step()}".strip())

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
        titles = self._titles(keys)
        if self._act(lambda: self.presenter.approve(keys, who[0], who[1], comment)):
            self.comment.clear()
            self._done(self.tr("Approved: {what}.").format(what=titles))

    def _return(self) -> None:
        snap = self.controller.snapshot
        keys = self.selected_keys()
        if snap is None or not keys:
            return
        who = self._password()
        if who is None:
            return
        comment = self.comment.toPlainText()
        title = self._titles(keys[:1])
        if self._act(lambda: self.presenter.return_section(keys[0], who[0], who[1], comment)):
            self.comment.clear()
            self._done(
                self.tr("Returned to its author with your comment: {what}.").format(what=title)
            )

    def _comment(self) -> None:
        snap = self.controller.snapshot
        keys = self.selected_keys()
        login = self.reviewer_login
        if snap is None or not keys or not login:
            return
        text = self.comment.toPlainText()
        if self._act(lambda: self.presenter.comment(keys[0], login, text)):
            self.comment.clear()
            self._show_current()
            self.show_notice(self.tr("Comment added to {what}.").format(what=self._titles(keys)))

    def _sign_off(self) -> None:
        snap = self.controller.snapshot
        if snap is None:
            return
        # The button is disabled then; this guard keeps any other way in (a shortcut,
        # a test) from asking for a password only to be refused afterwards.
        open_keys = sign_off_blockers(self.controller.states())
        if open_keys or not may_sign_off(self.controller.user):
            self._show_sign_off()
            if open_keys:
                self.show_notice(
                    self.tr(
                        "The report cannot be signed off yet: {n} section(s) are not approved."
                    ).format(n=len(open_keys)),
                    ok=False,
                )
                self.blockers.setFocus()
            return
        if not self.confirm(self.tr("Sign off the whole report?")):
            return
        who = self._password()
        if who is None:
            return
        create = not self.presenter.has_signing_key()
        passphrase = self.ask_passphrase(create)
        if passphrase is None:
            return
        if self._act(lambda: self.presenter.sign_off(who[0], who[1], passphrase, create=create)):
            self.show_notice(
                self.tr(
                    "The report is signed off and the submission signed. Next: write the "
                    "submission for headquarters (File ▸ Export workbook…)."
                )
            )

    def _sign_submission(self) -> None:
        """Sign the signed-off report's submission with this PC's key (making the key
        first on a PC without one): the passphrase is asked; a wrong one changes
        nothing and is said here."""
        snap = self.controller.snapshot
        if snap is None:
            return
        state = self.presenter.signing_state()
        may = may_sign_off(self.controller.user)
        if self.controller.signed_off() is None or state is None or not may:
            self._show_sign_off()  # the button is hidden or disabled then
            return
        create = not self.presenter.has_signing_key()
        passphrase = self.ask_passphrase(create)
        if passphrase is None:
            return
        with self.controller.refusals_to(self._refused):
            changes = self.presenter.sign_again(passphrase, create=create)
        if changes is None:
            return
        from desktop.services.signing_keys import spoken

        signed = changes.one(SubmissionSigned)
        self.show_notice(
            self.tr(
                "The submission is signed with key {fingerprint}. Next: write the "
                "submission for headquarters (File ▸ Export workbook…)."
            ).format(fingerprint=spoken(signed.key))
        )

    def _ask_password(self, who: str) -> str | None:
        text, ok = QInputDialog.getText(
            self,
            self.tr("Password"),
            self.tr("Password of {who}:").format(who=who),
            QLineEdit.EchoMode.Password,
        )
        return text if ok else None

    def _ask_passphrase(self, create: bool) -> str | None:
        from desktop.ui.passphrase_dialog import PassphraseDialog

        dialog = PassphraseDialog(create, self)
        return dialog.value() if dialog.exec() == PassphraseDialog.DialogCode.Accepted else None

    def _confirm(self, question: str) -> bool:
        answer = QMessageBox.question(self, self.tr("PlanDesk"), question)
        return answer == QMessageBox.StandardButton.Yes
