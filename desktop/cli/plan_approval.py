"""A plan's own approval on the command line (desktop/services/plan_approval.py):

`plandesk plan status --branch N --year Y`   where the plan stands
`plandesk plan submit …`                     the planning group hands it in
`plandesk plan withdraw …`                   the submitter takes it back
`plandesk plan approve …`                    the branch head approves (password)
`plandesk plan send-back … --reason TEXT`    the branch head sends it back (password)
`plandesk plan reopen … --reason TEXT`       the branch head reopens it (password)
`plandesk plan diff …`                       what changed since the approval

Registered under `plandesk plan` by desktop/cli/plans.py; the services load when a
command runs. Never imports Qt.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable

from desktop.cli.common import (
    EXIT_OK,
    actor,
    lang_of,
    open_db,
    parse_branch,
    parse_year,
    read_password,
    say,
)
from desktop.domain.text import Text


def _login(args: argparse.Namespace) -> str:
    return args.as_login or actor()


def _which(args: argparse.Namespace) -> tuple[str, int]:
    return parse_branch(args.branch), parse_year(args.year)


def _time(value: object) -> str:
    from datetime import datetime

    if not isinstance(value, datetime):
        return "—"
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def cmd_status(args: argparse.Namespace) -> int:
    from desktop.services import plan_approval

    lang = lang_of(args)
    code, year = _which(args)
    with open_db(args) as db:
        status = plan_approval.plan_status(db, code, year)
    lines = [Text(f"状態: {status.state.label('ja')}", f"State: {status.state.label('en')}")]
    if status.submitted_by:
        lines.append(
            Text(
                f"提出: {status.submitted_by}（{_time(status.submitted_at)}）",
                f"Submitted by {status.submitted_by} at {_time(status.submitted_at)}",
            )
        )
    if status.approved_by:
        lines.append(
            Text(
                f"承認: {status.approved_by}（{_time(status.approved_at)}）",
                f"Approved by {status.approved_by} at {_time(status.approved_at)}",
            )
        )
    if status.reason:
        lines.append(Text(f"理由: {status.reason}", f"Reason: {status.reason}"))
    say(lang, Text.same("\n").join(lines))
    return EXIT_OK


def _step(
    run: Callable[..., object], done: Text, *, decides: bool, reason: Text | None = None
) -> Callable[[argparse.Namespace], int]:
    """One step of the lifecycle: the branch head's decisions ask their password (a
    refused reason is said before anyone is asked for one)."""

    def command(args: argparse.Namespace) -> int:
        from desktop.domain.review import require_reason
        from desktop.services import people, plan_approval

        lang = lang_of(args)
        code, year = _which(args)
        login = _login(args)
        kwargs: dict[str, object] = {"login": login}
        if reason is not None:
            kwargs["reason"] = require_reason(args.reason, reason.ja, reason.en)
        with open_db(args) as db:
            user = people.find_user(db, login)
            who = user.display_name if user else login
            prompt = f"{who}（{login}）のパスワード / password: "
            if decides:
                kwargs["password"] = read_password(args, prompt) or ""
            elif login != actor():  # acting as someone else, as Users ▸ Switch user does
                password = read_password(args, prompt) if user and user.has_password else None
                people.sign_in(db, login, password)
            run(plan_approval, db, code, year, **kwargs)
            state = plan_approval.plan_status(db, code, year).state
        say(lang, done + Text(f"（{state.label('ja')}）", f" ({state.label('en')})"))
        return EXIT_OK

    return command


cmd_submit = _step(
    lambda s, db, b, y, **kw: s.submit_plan(db, b, y, **kw),
    Text("計画を提出しました", "Plan submitted"),
    decides=False,
)
cmd_withdraw = _step(
    lambda s, db, b, y, **kw: s.withdraw_plan(db, b, y, **kw),
    Text("計画の提出を取り消しました", "Plan submission taken back"),
    decides=False,
)
cmd_approve = _step(
    lambda s, db, b, y, **kw: s.approve_plan(db, b, y, **kw),
    Text("計画を承認しました", "Plan approved"),
    decides=True,
)
cmd_send_back = _step(
    lambda s, db, b, y, **kw: s.send_back_plan(db, b, y, **kw),
    Text("計画を差し戻しました", "Plan sent back"),
    decides=True,
    reason=Text("計画の差戻し", "Sending the plan back"),
)
cmd_reopen = _step(
    lambda s, db, b, y, **kw: s.reopen_plan(db, b, y, **kw),
    Text("計画を再編集にしました", "Plan reopened"),
    decides=True,
    reason=Text("計画の再編集", "Reopening the plan"),
)


def _runs(runs: object, lang: str) -> str:
    """Character runs as plain text: [-removed-] {+added+} (like git's word diff)."""
    out = []
    for run in runs:  # type: ignore[attr-defined]
        if run.op == "added":
            out.append("{+" + run.text + "+}")
        elif run.op == "removed":
            out.append("[-" + run.text + "-]")
        else:
            out.append(run.text)
    return "".join(out)


def diff_lines(found: object, lang: str) -> list[str]:
    """The changes since approval as lines of text (also what tests read)."""
    from desktop.domain.plan_diff import Change, PlanDiff

    diff: PlanDiff = found.diff  # type: ignore[attr-defined]
    sign = {Change.ADDED: "+", Change.REMOVED: "-", Change.CHANGED: "~"}
    kind = {
        Change.ADDED: Text("追加", "added"),
        Change.REMOVED: Text("削除", "removed"),
        Change.CHANGED: Text("変更", "changed"),
    }
    lines: list[str] = []
    for f in diff.fields:
        lines.append(f"~ {f.label.get(lang)}: {f.old.get(lang)} → {f.new.get(lang)}")
    for n in diff.nodes:
        lines.append(f"{sign[n.change]} {n.key} {n.title} [{kind[n.change].get(lang)}]")
        if n.renamed:
            lines.append(
                f"    {Text('見出し', 'heading').get(lang)}: {n.renamed[0]} → {n.renamed[1]}"
            )
        if n.moved:
            lines.append(f"    {n.moved.get(lang)}")
        if n.plan_text:
            lines.append(
                f"    {Text('事業計画', 'plan text').get(lang)}: {_runs(n.plan_text, lang)}"
            )
        for f in n.fields:
            lines.append(f"    {f.label.get(lang)}: {f.old.get(lang)} → {f.new.get(lang)}")
        for k in n.kpis:
            lines.append(f"    {sign[k.change]} KPI {k.key} {k.name} [{kind[k.change].get(lang)}]")
            for f in k.fields:
                lines.append(f"        {f.label.get(lang)}: {f.old.get(lang)} → {f.new.get(lang)}")
    return lines


def cmd_diff(args: argparse.Namespace) -> int:
    from desktop.services import plan_approval

    lang = lang_of(args)
    code, year = _which(args)
    with open_db(args) as db:
        found = plan_approval.changes_since_approval(db, code, year)
    if not found.approved_before:
        say(
            lang,
            Text(
                "この計画には承認時の内容の記録がありません（承認後、または再編集にした後から記録されます）。",
                "There is no record of this plan as approved (it is kept from an approval, or "
                "from the first reopening of a plan approved before this version).",
            ),
        )
        return EXIT_OK
    if not found.diff:
        say(lang, Text("承認後の変更はありません。", "No changes since the approval."))
        return EXIT_OK
    say(lang, Text.same("\n".join(diff_lines(found, lang))))
    return EXIT_OK


def register(actions: argparse._SubParsersAction, action_options: argparse.ArgumentParser) -> None:
    """The lifecycle's actions under `plandesk plan`."""

    def add(
        name: str, help_text: str, func: Callable[[argparse.Namespace], int]
    ) -> argparse.ArgumentParser:
        q = actions.add_parser(name, parents=[action_options], help=help_text)
        q.add_argument("--branch", required=True, help="branch code (13 = 東京, 00 = 本部)")
        q.add_argument("--year", required=True, help="fiscal year, western (2024 = 令和6年度)")
        q.set_defaults(func=func)
        return q

    add("status", "where the plan stands in its approval", cmd_status)
    add("diff", "what changed in the plan since it was approved", cmd_diff)
    for name, help_text, func, reason in (
        ("submit", "hand the plan in for approval (planning group)", cmd_submit, False),
        ("withdraw", "take your submission back", cmd_withdraw, False),
        ("approve", "approve the submitted plan (branch head)", cmd_approve, False),
        ("send-back", "send the submitted plan back (branch head)", cmd_send_back, True),
        ("reopen", "reopen the approved plan for changes (branch head)", cmd_reopen, True),
    ):
        q = add(name, help_text, func)
        q.add_argument(
            "--as", dest="as_login", metavar="LOGIN", help="who acts (default: this PC's login)"
        )
        q.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
        if reason:
            q.add_argument("--reason", required=True, help="why (kept with the plan)")
