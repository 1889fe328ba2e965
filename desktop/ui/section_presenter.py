"""What the section form shows, decided without a widget: the path to a section,
which review buttons a person gets and whether the section is read-only, which
KPI columns are worth their room, whether a mark needs its reason, and what the
figures suggest. The form (desktop/ui/section_form.py) only draws it; these
rules are tested without a window (tests/ui/test_section_presenter.py).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from desktop.domain.achievement import Disagreement
from desktop.domain.model import Kpi, PeriodKind, Plan, PlanNode
from desktop.domain.rating_scopes import members
from desktop.domain.review import Role, SectionState, User, may_review
from desktop.services.review_board import SignOff
from desktop.services.workspace import ReportSnapshot

# Columns of the KPI grid that only some sections can fill.
PART_COLUMNS = ("numerator", "denominator")
NATIONAL_COLUMNS = ("national_average", "national_rank")


def breadcrumb(plan: Plan, node: PlanNode) -> list[str]:
    """The titles above a node, outermost first."""
    crumbs: list[str] = []
    parent = node.parent_key
    while parent:
        p = plan.node(parent)
        crumbs.insert(0, p.display_title)
        parent = p.parent_key
    return crumbs


@dataclass(frozen=True, slots=True)
class ReviewControls:
    """The review row of the form and whether the section's content is editable."""

    state: SectionState | None  # None: a heading people do not report on
    signed: SignOff | None
    submit_enabled: bool
    reopen_visible: bool
    except_visible: bool
    read_only: bool

    @property
    def shown(self) -> bool:
        """The state and the submit button (headings have neither)."""
        return self.state is not None


def review_controls(
    state: SectionState | None, signed: SignOff | None, user: User | None, plan: Plan, key: str
) -> ReviewControls:
    """Offered only to whoever may do it (the service checks again, with the password);
    approved or signed-off content is read-only."""
    may_act = signed is None and user is not None
    reopen = (
        state in (SectionState.APPROVED, SectionState.EXCEPTED)
        and may_act
        and user is not None
        and may_review(user, plan.effective_group(key))
    )
    except_ = (
        state is not None
        and not state.settled
        and may_act
        and user is not None
        and user.active
        and user.role in (Role.BRANCH_HEAD, Role.ADMIN)
    )
    if state is None:  # a heading: its KPIs still lock with the sign-off
        return ReviewControls(None, signed, False, reopen, except_, signed is not None)
    return ReviewControls(
        state,
        signed,
        submit_enabled=signed is None and state.submittable,
        reopen_visible=reopen,
        except_visible=except_,
        read_only=signed is not None or not state.editable,
    )


def hidden_kpi_columns(kpis: Sequence[Kpi], snap: ReportSnapshot) -> dict[str, bool]:
    """KPI grid columns nobody in this section can fill only take room: hidden."""
    has_parts = any(k.numerator_label or k.denominator_label for k in kpis)
    has_national = any(k.key in snap.benchmarks for k in kpis)
    hidden = {c: not has_parts for c in PART_COLUMNS}
    hidden.update({c: not has_national for c in NATIONAL_COLUMNS})
    # The old-method figure only where a definition changed (算出方法の変更).
    hidden["old_method"] = not any(k.definition_changed for k in kpis)
    return hidden


def needs_reason(period: PeriodKind, symbol: str | None) -> bool:
    """The annual self-rating always carries its reason; a mid-year mark when it is ×."""
    return period is PeriodKind.ANNUAL or symbol in ("×", "D")


def shows_reason(period: PeriodKind, symbol: str | None, reason: str) -> bool:
    """The reason field is on the form for the annual self-rating, beside any mark set,
    and whenever it holds text (a reason is never hidden)."""
    return needs_reason(period, symbol) or symbol is not None or bool(reason.strip())


@dataclass(frozen=True, slots=True)
class SuggestionView:
    """What the figures say about the mark, for the line beside it."""

    shown: bool  # False: nothing to say (no KPI in scope, or not reported on)
    symbol: str | None
    reason: str
    heading: str | None  # the heading whose KPIs speak for this section, when not its own
    warning: Disagreement | None
    details: tuple[str, ...] = ()  # per KPI: its figures and margin; then the rule applied


def suggestion(snap: ReportSnapshot, key: str, lang: str) -> SuggestionView:
    if not snap.plan.is_reportable(key):
        return SuggestionView(False, None, "", None, None)
    # A rating scope is suggested for from the KPIs of all its items (rating_scopes).
    items = members(snap.plan, key)
    scopes = [snap.kpi_scope(k) for k in items]
    found = snap.suggestion(key)
    # Whose KPIs speak for the items, when that is one heading above them all.
    scope = scopes[0] if len(set(scopes)) == 1 and scopes[0] not in items else None
    heading = snap.plan.node(scope).display_title if scope not in (None, key) else None
    return SuggestionView(
        shown=any(s is not None for s in scopes) or found.symbol is not None,
        symbol=found.symbol,
        reason=found.reason(lang),
        heading=heading if found.symbol is not None else None,
        warning=snap.mark_warning(key),
        details=tuple(d.get(lang) for d in found.details),
    )
