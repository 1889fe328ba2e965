"""Review and sign-off: who may move a section report from which state to which.

Pure rules, used by the services (where they are enforced) and by the UI (to
offer only what is allowed). Each refusal is a ReviewRefused with a reason in
Japanese and English.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from desktop.domain.errors import Refused
from desktop.domain.limits import REVIEW_TEXT, check_text
from desktop.domain.model import Group


class Role(StrEnum):
    STAFF = "staff"
    SUPERVISOR = "supervisor"  # グループ長: reviews the sections of their group
    BRANCH_HEAD = "branch_head"  # 支部長: signs the report off
    ADMIN = "admin"  # manages people; reviews like a branch head

    def label(self, lang: str = "ja") -> str:
        return (_ROLE_JA if lang == "ja" else _ROLE_EN)[self.value]

    @property
    def reviews(self) -> bool:
        return self is not Role.STAFF


class SectionState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    APPROVED = "approved"
    REOPENED = "reopened"  # approved once, opened again for changes
    EXCEPTED = "excepted"  # left out of this report by the branch head, with a reason

    def label(self, lang: str = "ja") -> str:
        return _STATE_JA[self.value] if lang == "ja" else self.value.capitalize()

    @property
    def submittable(self) -> bool:
        return self in (SectionState.DRAFT, SectionState.RETURNED, SectionState.REOPENED)

    @property
    def editable(self) -> bool:
        return not self.settled

    @property
    def settled(self) -> bool:
        """Counts as done for the branch head's sign-off."""
        return self in (SectionState.APPROVED, SectionState.EXCEPTED)


_ROLE_JA = {
    "staff": "担当者",
    "supervisor": "グループ長",
    "branch_head": "支部長",
    "admin": "管理者",
}
_ROLE_EN = {
    "staff": "Staff",
    "supervisor": "Supervisor",
    "branch_head": "Branch head",
    "admin": "Administrator",
}
_STATE_JA = {
    "draft": "作成中",
    "submitted": "確認待ち",
    "returned": "差戻し",
    "approved": "承認済み",
    "reopened": "再編集中",
    "excepted": "対象外",
}


@dataclass(frozen=True, slots=True)
class User:
    login: str  # the OS login name
    display_name: str
    role: Role
    group: Group | None = None
    active: bool = True
    # Whether actions in this person's name ask for a password (every reviewer has
    # one; staff may go without, and then switching to them is just a pick).
    has_password: bool = False


class ReviewRefused(Refused):
    """An action the rules do not allow, with the reason."""


def _refuse(ja: str, en: str) -> ReviewRefused:
    return ReviewRefused(ja, en)


def check_submit(user: User, state: SectionState) -> None:
    if not user.active:
        raise _refuse("この利用者は無効になっています。", "This user is deactivated.")
    if not state.submittable:
        raise _refuse(
            f"「{state.label()}」の項目は提出できません。",
            f"A section that is {state.value} cannot be submitted.",
        )


def may_review(user: User, section_group: Group | None) -> bool:
    """Supervisors review their own group's sections; the branch head and admins all."""
    if not user.active or not user.role.reviews:
        return False
    if user.role is Role.SUPERVISOR:
        return section_group is not None and user.group is section_group
    return True


def check_review(user: User, section_group: Group | None, state: SectionState) -> None:
    """Approve or return: the section must be submitted and the user its reviewer."""
    if not user.role.reviews:
        raise _refuse(
            "承認・差戻しはグループ長または支部長が行います。",
            "Only a supervisor or the branch head can approve or return.",
        )
    if not may_review(user, section_group):
        group = section_group.value if section_group else "—"
        raise _refuse(
            f"{user.display_name}さんは{group}グループの項目を確認できません。",
            f"{user.display_name} does not review the sections of group {group}.",
        )
    if state is not SectionState.SUBMITTED:
        raise _refuse(
            f"「{state.label()}」の項目は承認・差戻しできません（提出後に行えます）。",
            f"A section that is {state.value} cannot be approved or returned; it must be "
            "submitted first.",
        )


def check_reopen(user: User, section_group: Group | None, state: SectionState) -> None:
    if not may_review(user, section_group):
        raise _refuse(
            "承認済みの項目を再編集にできるのは、その項目のグループ長または支部長です。",
            "Only the section's supervisor or the branch head can reopen it.",
        )
    if state not in (SectionState.APPROVED, SectionState.EXCEPTED):
        raise _refuse(
            "承認済み・対象外の項目だけを再編集にできます。",
            "Only an approved or excepted section can be reopened.",
        )


def check_except(user: User, state: SectionState) -> None:
    if user.role not in (Role.BRANCH_HEAD, Role.ADMIN) or not user.active:
        raise _refuse(
            "項目を対象外にできるのは支部長です。", "Only the branch head can except a section."
        )
    if state is SectionState.APPROVED:
        raise _refuse("承認済みの項目です。", "The section is already approved.")


def may_sign_off(user: User | None) -> bool:
    """Whether this person signs reports off (the branch head, or an administrator)."""
    return user is not None and user.active and user.role in (Role.BRANCH_HEAD, Role.ADMIN)


def sign_off_blockers(states: Mapping[str, SectionState]) -> list[str]:
    """The sections that keep the report from being signed off (neither approved nor
    excepted), in the order of ``states`` (the plan's). Empty: it can be signed off."""
    return [k for k, s in states.items() if not s.settled]


def check_sign_off(
    user: User, states: Mapping[str, SectionState], titles: Mapping[str, str]
) -> None:
    """The branch head signs off when every section is approved or excepted."""
    if not may_sign_off(user):
        raise _refuse(
            "報告の決裁は支部長が行います。", "Only the branch head can sign the report off."
        )
    open_keys = sign_off_blockers(states)
    if open_keys:
        first = open_keys[0]
        raise _refuse(
            f"未承認の項目が{len(open_keys)}件あります（最初: {titles.get(first, first)}・"
            f"{states[first].label()}）。",
            f"{len(open_keys)} section(s) are not approved yet (first: "
            f"{titles.get(first, first)}, {states[first].value}).",
        )


def require_reason(text: str | None, what_ja: str, what_en: str) -> str:
    reason = check_text(REVIEW_TEXT, text or "").strip()
    if not reason:
        raise _refuse(f"{what_ja}には理由（コメント）が必要です。", f"{what_en} needs a reason.")
    return reason


# --- text differences -------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class DiffRun:
    op: str  # "same" | "added" | "removed"
    text: str


def text_diff(old: str, new: str) -> list[DiffRun]:
    """Changes between two texts as runs of characters.

    Japanese has no spaces between words, so the comparison is by character;
    neighbouring runs of the same kind are merged so that a changed phrase
    reads as one removal and one addition.
    """
    runs: list[DiffRun] = []

    def push(op: str, text: str) -> None:
        if not text:
            return
        if runs and runs[-1].op == op:
            runs[-1] = DiffRun(op, runs[-1].text + text)
        else:
            runs.append(DiffRun(op, text))

    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            push("same", old[i1:i2])
        else:
            push("removed", old[i1:i2])
            push("added", new[j1:j2])
    return runs
