"""A plan's own lifecycle: written (draft), handed in (submitted), approved.

The plan of a year — its tree, plan texts, KPI definitions and targets — is
agreed before the year's reporting: the planning group (企画総務) hands it in,
the branch head approves it or sends it back with a reason, and an approved
plan is changed again only after the branch head reopens it with a reason (the
changes are then shown against what was approved: desktop/domain/plan_diff.py).
While a plan is submitted or approved its content is locked
(desktop/services/locks.py). HQ's templates (branch "00") go the same way.

Report entries (実施状況, marks, figures) and reference figures are not plan
content: they are locked by the section review and sign-off, not by this.

Pure rules, like desktop/domain/review.py: each refusal is a ReviewRefused with
the reason in Japanese and English.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from desktop.domain.model import Group, Plan
from desktop.domain.plan_completeness import incomplete_text, plan_gaps
from desktop.domain.review import ReviewRefused, Role, User, require_reason


class PlanState(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    APPROVED = "approved"

    def label(self, lang: str = "ja") -> str:
        return (_STATE_JA if lang == "ja" else _STATE_EN)[self.value]

    @property
    def locked(self) -> bool:
        """Whether the plan's content may not be changed."""
        return self is not PlanState.DRAFT


_STATE_JA = {"draft": "作成中", "submitted": "承認待ち", "approved": "承認済み"}
_STATE_EN = {"draft": "Draft", "submitted": "Submitted", "approved": "Approved"}


@dataclass(frozen=True, slots=True)
class PlanStatus:
    """Where a plan stands, who moved it there and when, and the last reason given
    (a send-back's or a reopening's)."""

    state: PlanState = PlanState.DRAFT
    submitted_by: str | None = None
    submitted_at: datetime | None = None
    approved_by: str | None = None
    approved_at: datetime | None = None
    updated_by: str | None = None
    updated_at: datetime | None = None
    reason: str = ""
    # A snapshot of the content as approved is kept: changes since can be shown.
    has_approved_content: bool = False


def may_submit(user: User | None) -> bool:
    """The planning group writes the plan and hands it in; the branch head and an
    administrator may do so for them."""
    if user is None or not user.active:
        return False
    return user.group is Group.PLANNING or user.role in (Role.BRANCH_HEAD, Role.ADMIN)


def may_approve(user: User | None) -> bool:
    """The branch head (or an administrator) approves, sends back and reopens, as they
    sign reports off."""
    return user is not None and user.active and user.role in (Role.BRANCH_HEAD, Role.ADMIN)


def check_submit(user: User, state: PlanState) -> None:
    if not may_submit(user):
        raise ReviewRefused(
            "計画を提出できるのは企画総務グループの担当者または支部長です。",
            "Only the planning group or the branch head can submit the plan.",
        )
    if state is not PlanState.DRAFT:
        raise ReviewRefused(
            f"計画は「{state.label()}」のため提出できません。",
            f"The plan is {state.value}: it cannot be submitted.",
        )


def check_complete(plan: Plan) -> None:
    """A plan is handed in complete: every KPI judgeable by its target kind (the rule
    the plan document's reader keeps too) and every judged target set."""
    gaps = plan_gaps(plan, submitting=True)
    if gaps:
        raise ReviewRefused(incomplete_text(gaps))


def check_withdraw(user: User, state: PlanState, submitted_by: str | None) -> None:
    """Taking a submission back (the submitter's undo): before anyone decided on it."""
    if state is not PlanState.SUBMITTED:
        raise ReviewRefused(
            f"計画は「{state.label()}」のため提出を取り消せません。",
            f"The plan is {state.value}: there is no submission to take back.",
        )
    if user.login != submitted_by:
        raise ReviewRefused(
            "提出を取り消せるのは提出した本人だけです。",
            "Only the person who submitted the plan can take the submission back.",
        )


def _check_approver(user: User) -> None:
    if not may_approve(user):
        raise ReviewRefused(
            "計画の承認・差戻し・再編集は支部長が行います。",
            "Only the branch head can approve, send back or reopen the plan.",
        )


def check_approve(user: User, state: PlanState) -> None:
    _check_approver(user)
    if state is not PlanState.SUBMITTED:
        raise ReviewRefused(
            f"計画は「{state.label()}」のため承認できません（提出後に行えます）。",
            f"The plan is {state.value}: it can be approved once it is submitted.",
        )


def check_send_back(user: User, state: PlanState, reason: str | None) -> str:
    """The reason, cleaned; refused without one."""
    _check_approver(user)
    if state is not PlanState.SUBMITTED:
        raise ReviewRefused(
            f"計画は「{state.label()}」のため差し戻せません。",
            f"The plan is {state.value}: only a submitted plan can be sent back.",
        )
    return require_reason(reason, "計画の差戻し", "Sending the plan back")


def check_reopen(user: User, state: PlanState, reason: str | None) -> str:
    """The reason, cleaned; refused without one."""
    _check_approver(user)
    if state is not PlanState.APPROVED:
        raise ReviewRefused(
            f"計画は「{state.label()}」のため再編集にできません（承認済みの計画だけです）。",
            f"The plan is {state.value}: only an approved plan can be reopened.",
        )
    return require_reason(reason, "計画の再編集", "Reopening the plan")


def locked_refusal(state: PlanState, title: str) -> ReviewRefused:
    """Why the plan's content cannot be changed now."""
    if state is PlanState.SUBMITTED:
        return ReviewRefused(
            f"計画「{title}」は承認待ちのため変更できません。"
            "変更するには提出を取り消すか、支部長に差し戻してもらってください。",
            f"The plan '{title}' is submitted for approval and cannot be changed; take the "
            "submission back or ask the branch head to send it back.",
        )
    return ReviewRefused(
        f"計画「{title}」は承認済みのため変更できません。"
        "変更するには支部長に計画を再編集にしてもらってください（理由が必要です）。",
        f"The plan '{title}' is approved and cannot be changed; ask the branch head to "
        "reopen it (with a reason).",
    )
