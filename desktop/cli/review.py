"""People and review on the command line: `plandesk user …` and `plandesk review …`.

The review commands call the same services as the app's review screen and
section form, so the same rules hold: roles, groups, states, locks, and a
password for every supervisor's or branch head's action (typed at the
terminal, or one line on stdin with `--password-stdin`). Acting as someone
other than the login of this PC is switching user, as in the app: their
password is asked when they have one. Never imports Qt.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence

from desktop.cli.common import (
    EXIT_OK,
    actor,
    db_path,
    global_options,
    lang_of,
    open_db,
    print_table,
    read_password,
    report_ref,
    say,
)
from desktop.domain.branches import branch as find_branch
from desktop.domain.calendar import fiscal_year_label
from desktop.domain.errors import BadInput
from desktop.domain.model import Group, Plan
from desktop.domain.report_order import keys_of_group
from desktop.domain.review import ReviewRefused, Role, SectionState, check_sign_off
from desktop.domain.text import Text
from desktop.services import plans, submission_signing
from desktop.services import review as review_service
from desktop.services.changes import Changes, ReviewChanged, SignedOff, UserChanged
from desktop.services.editing import ReportRef
from desktop.services.signing_keys import keys_dir, own_public_key
from desktop.store.database import Database

# --- people ----------------------------------------------------------------------------------


def cmd_user_add(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    role = Role(args.role)
    group = Group(args.group) if args.group else None
    with open_db(args) as db:
        first = not review_service.list_users(db)
        admin_password = None
        if not first:
            admin_password = read_password(args, f"{args.admin} のパスワード / password: ")
        password = None
        if role.reviews or first:
            password = read_password(args, f"{args.login} の新しいパスワード / new password: ")
        added = review_service.add_user(
            db,
            login=args.login,
            display_name=args.name,
            role=role,
            group=group,
            password=password,
            admin_login=args.admin,
            admin_password=admin_password,
        )
    user = added.one(UserChanged).user
    say(
        lang,
        Text(
            f"登録しました: {user.login}（{user.display_name}・{user.role.label('ja')}）",
            f"Added: {user.login} ({user.display_name}, {user.role.label('en')})",
        ),
    )
    return EXIT_OK


def cmd_user_list(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    with open_db(args) as db:
        users = review_service.list_users(db)
    for u in users:
        group = u.group.label(lang) if u.group else "—"
        active = "" if u.active else Text(" (無効)", " (inactive)").get(lang)
        print(f"{u.login}\t{u.display_name}\t{u.role.label(lang)}\t{group}{active}")
    return EXIT_OK


# --- review: who acts, on which sections ---------------------------------------------------------


def _login(args: argparse.Namespace) -> str:
    return args.as_login or actor()


def _password_of(db: Database, args: argparse.Namespace, login: str) -> str:
    user = review_service.find_user(db, login)
    who = user.display_name if user else login
    return read_password(args, f"{who}（{login}）のパスワード / password: ") or ""


def _author(db: Database, args: argparse.Namespace) -> str:
    """Who submits: this PC's login, or (--as) a person switched to with their password
    when they have one, exactly as Users ▸ Switch user does in the app."""
    login = _login(args)
    if login == actor():
        return login
    user = review_service.find_user(db, login)
    password = _password_of(db, args, login) if user and user.has_password else None
    return review_service.sign_in(db, login, password).login


def _title(plan: Plan, key: str) -> str:
    return plan.node(key).display_title


def _chosen(
    args: argparse.Namespace, plan: Plan, states: dict[str, SectionState], every: Sequence[str]
) -> list[str]:
    """The sections named with --section (checked against the report's sections), or
    ``every`` with --all."""
    if getattr(args, "all", False):
        return list(every)
    given = args.section
    keys = [given] if isinstance(given, str) else list(dict.fromkeys(given or []))
    if not keys:
        raise BadInput(
            "項目を --section KEY（または --all）で指定してください。"
            "項目のキーは plandesk review status で確認できます。",
            "Name the sections with --section KEY (or --all); "
            "plandesk review status lists the keys.",
        )
    unknown = [k for k in keys if k not in states]
    if unknown:
        headings = [k for k in unknown if any(n.key == k for n in plan.nodes)]
        if headings:
            raise BadInput(
                f"「{headings[0]} {_title(plan, headings[0])}」は見出しのため、確認・承認の"
                "対象ではありません（その下の項目を指定してください）。",
                f"'{headings[0]} {_title(plan, headings[0])}' is a heading, not a section that "
                "is reviewed; name the sections below it.",
            )
        raise BadInput(
            f"この報告に項目 {unknown[0]} はありません（plandesk review status で確認できます）。",
            f"This report has no section {unknown[0]} (plandesk review status lists them).",
        )
    return keys


def _print_changes(lang: str, plan: Plan, changes: Sequence[ReviewChanged], done: Text) -> None:
    say(lang, Text(f"{done.ja}（{len(changes)} 件）:", f"{done.en} ({len(changes)}):"))
    for c in changes:
        print(f"  {c.report.key}/{c.node_key}  {_title(plan, c.node_key)}  {c.state.label(lang)}")


def _report_label(ref: ReportRef, lang: str) -> str:
    period = ref.period.label(lang)
    return f"{find_branch(ref.branch).label(lang)}  {fiscal_year_label(ref.fiscal_year)}  {period}"


def _open_report(
    db: Database, args: argparse.Namespace
) -> tuple[ReportRef, Plan, dict[str, SectionState]]:
    ref = report_ref(args)
    plan = plans.get_plan(db, ref.branch, ref.fiscal_year)
    return ref, plan, review_service.section_states(db, ref, plan)


# --- review commands ---------------------------------------------------------------------------


_STATUS_HEADERS = (
    Text("キー", "Key"),
    Text("グループ", "Group"),
    Text("状態", "State"),
    Text("項目", "Section"),
)


def cmd_status(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    with open_db(args) as db:
        ref, plan, states = _open_report(db, args)
        signed = review_service.signed_off(db, ref)
        names = {u.login: u.display_name for u in review_service.list_users(db)}
    print(_report_label(ref, lang))
    if signed is not None:
        who = names.get(signed.signed_by, signed.signed_by)
        at = signed.signed_at.isoformat(timespec="minutes")
        say(lang, Text(f"決裁済み: {who}（{at}）", f"Signed off by {who} ({at})"))
    else:
        say(lang, Text("未決裁", "Not signed off"))
    print()
    groups = {key: plan.effective_group(key) for key in states}
    if getattr(args, "group", None):  # one group's part, in the report's order
        chosen = _group(args.group)
        states = {k: states[k] for k in keys_of_group(plan, chosen) if k in states}
    rows = [
        [key, groups[key].label(lang) if groups[key] else "—", state.label(lang), _title(plan, key)]
        for key, state in states.items()
    ]
    print_table([h.get(lang) for h in _STATUS_HEADERS], rows)
    print()
    counts = {s: sum(1 for v in states.values() if v is s) for s in SectionState}
    print("  ".join(f"{s.label(lang)} {n}" for s, n in counts.items() if n))
    unsettled = sum(1 for s in states.values() if not s.settled)
    if signed is None and not unsettled:
        say(
            lang,
            Text(
                "すべての項目が承認済み・対象外です。支部長が決裁できます。",
                "Every section is approved or excepted: the branch head can sign off.",
            ),
        )
    elif signed is None:
        say(
            lang,
            Text(
                f"決裁の前に、あと {unsettled} 件の承認（または対象外）が必要です。",
                f"{unsettled} section(s) still need approval (or an exception) before sign-off.",
            ),
        )
    return EXIT_OK


def cmd_submit(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    with open_db(args) as db:
        ref, plan, states = _open_report(db, args)
        every = [k for k, s in states.items() if s.submittable]
        keys = _chosen(args, plan, states, every)
        if not keys:
            say(lang, Text("提出できる項目はありません。", "Nothing to submit."))
            return EXIT_OK
        login = _author(db, args)
        changes = review_service.submit(db, ref, keys, login=login)
    _print_changes(lang, plan, changes.of(ReviewChanged), Text("提出しました", "Submitted"))
    return EXIT_OK


def _group(value: str) -> Group:
    """A group by its Japanese name (保健) or its English word (health)."""
    words = {g.value: g for g in Group} | {g.name.lower(): g for g in Group}
    words |= {g.label("en").split()[0].lower(): g for g in Group}
    found = words.get(value.strip().removesuffix("グループ").lower())
    if found is None:
        names = "、".join(g.value for g in Group)
        raise BadInput(
            f"「{value}」はグループではありません（{names}）。",
            f"'{value}' is not a group ({', '.join(g.name.lower() for g in Group)}).",
        )
    return found


def cmd_approve(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    login = _login(args)
    if getattr(args, "group", None):  # a supervisor approves one group's part at once
        group = _group(args.group)
        with open_db(args) as db:
            ref, plan, _states = _open_report(db, args)
            password = _password_of(db, args, login)
            changes = review_service.approve_group(
                db, ref, group, login=login, password=password, comment=args.comment or ""
            )
        _print_changes(lang, plan, changes.of(ReviewChanged), Text("承認しました", "Approved"))
        return EXIT_OK
    with open_db(args) as db:
        ref, plan, states = _open_report(db, args)
        every = [i.node_key for i in review_service.queue(db, ref, login=login)] if args.all else []
        keys = _chosen(args, plan, states, every)
        if not keys:
            say(lang, Text("確認待ちの項目はありません。", "Nothing waits for your review."))
            return EXIT_OK
        password = _password_of(db, args, login)
        changes = review_service.approve(
            db, ref, keys, login=login, password=password, comment=args.comment or ""
        )
    _print_changes(lang, plan, changes.of(ReviewChanged), Text("承認しました", "Approved"))
    return EXIT_OK


def _decision(action: Callable[..., Changes], done: Text) -> Callable[[argparse.Namespace], int]:
    """Return, reopen or except one section: a reason (the service refuses a blank
    one before anything changes), then the reviewer's password."""

    def command(args: argparse.Namespace) -> int:
        lang = lang_of(args)
        login = _login(args)
        with open_db(args) as db:
            ref, plan, states = _open_report(db, args)
            (key,) = _chosen(args, plan, states, [])
            password = _password_of(db, args, login)
            changes = action(db, ref, key, login=login, password=password, text=args.reason)
        _print_changes(lang, plan, changes.of(ReviewChanged), done)
        return EXIT_OK

    return command


cmd_return = _decision(
    lambda db, ref, key, *, login, password, text: review_service.return_section(
        db, ref, key, login=login, password=password, comment=text
    ),
    Text("差し戻しました", "Returned"),
)
cmd_reopen = _decision(
    lambda db, ref, key, *, login, password, text: review_service.reopen(
        db, ref, key, login=login, password=password, reason=text
    ),
    Text("再編集にしました", "Reopened"),
)
cmd_except = _decision(
    lambda db, ref, key, *, login, password, text: review_service.except_section(
        db, ref, key, login=login, password=password, reason=text
    ),
    Text("対象外にしました", "Excepted"),
)


def _sign_off_refusal(
    exc: ReviewRefused, plan: Plan, states: dict[str, SectionState]
) -> ReviewRefused:
    """The rule's refusal, with every section that still needs a decision listed."""
    waiting = [k for k, s in states.items() if not s.settled]
    if not waiting:
        return exc
    lines_ja = "\n".join(f"  {k}  {_title(plan, k)}  {states[k].label('ja')}" for k in waiting)
    lines_en = "\n".join(f"  {k}  {_title(plan, k)}  {states[k].label('en')}" for k in waiting)
    return ReviewRefused(
        exc.text
        + Text(
            f"\n決裁の前に承認（または対象外に）する項目:\n{lines_ja}",
            f"\nSections to approve (or except) before sign-off:\n{lines_en}",
        )
    )


def cmd_sign_off(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    login = _login(args)
    with open_db(args) as db:
        ref, plan, states = _open_report(db, args)
        user = review_service.find_user(db, login)
        if user is not None:
            # The rule the service applies again after the password: say why sign-off
            # is not possible yet before asking for anything.
            titles = {n.key: n.display_title for n in plan.nodes}
            try:
                check_sign_off(user, states, titles)
            except ReviewRefused as exc:
                raise _sign_off_refusal(exc, plan, states) from None
        password = _password_of(db, args, login)
        keys = keys_dir(db_path(args).expanduser().absolute())
        if own_public_key(keys) is not None:  # sign the submission too
            passphrase = read_password(args, "署名鍵のパスフレーズ / signing passphrase: ") or ""
            changes = submission_signing.sign_off_and_sign(
                db, ref, login=login, password=password, passphrase=passphrase, keys=keys
            )
        else:
            changes = review_service.sign_off(db, ref, login=login, password=password)
            say(
                lang,
                Text(
                    "この PC には署名鍵がないため、提出版には電子署名が付きません"
                    "（plandesk keys create で作成し、plandesk keys sign で署名できます）。",
                    "This PC has no signing key, so the submission will not be signed (make "
                    "one with plandesk keys create, then sign with plandesk keys sign).",
                ),
            )
        signed = changes.one(SignedOff)
        name = user.display_name if user else login
    at = signed.signed_at.isoformat(timespec="minutes")
    say(
        lang,
        Text(
            f"決裁しました: {_report_label(ref, 'ja')}（{name}、{at}）",
            f"Signed off: {_report_label(ref, 'en')} ({name}, {at})",
        ),
    )
    return EXIT_OK


# --- the parser ---------------------------------------------------------------------------------


def _report_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--year", required=True, help="fiscal year, western (2024 = 令和6年度)")
    p.add_argument("--branch", required=True, help="branch code (13 = 東京)")
    p.add_argument("--period", required=True, help="midyear or annual")


def _acting_args(p: argparse.ArgumentParser, *, who: str) -> None:
    p.add_argument(
        "--as", dest="as_login", metavar="LOGIN", help=f"{who} (default: this PC's login)"
    )
    p.add_argument("--password-stdin", action="store_true", help="read the password from stdin")


def register(sub: argparse._SubParsersAction, options: argparse.ArgumentParser) -> None:
    action_options = global_options("action")

    p = sub.add_parser("user", parents=[options], help="people who work in this database")
    users = p.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    q = users.add_parser(
        "add", parents=[action_options], help="add a person (the first becomes admin)"
    )
    q.add_argument("--login", required=True, help="their Windows login name")
    q.add_argument("--name", required=True, help="display name, e.g. 鈴木 一郎")
    q.add_argument("--role", choices=[r.value for r in Role], default=Role.STAFF.value)
    q.add_argument(
        "--group", choices=[g.value for g in Group], help="業務, レセプト, 保健, 企画総務"
    )
    q.add_argument("--admin", default=actor(), help="the admin adding them (default: you)")
    q.add_argument("--password-stdin", action="store_true", help="read passwords from stdin")
    q.set_defaults(func=cmd_user_add)
    q = users.add_parser("list", parents=[action_options], help="list the people")
    q.set_defaults(func=cmd_user_list)

    p = sub.add_parser(
        "review", parents=[options], help="submit, approve, return and sign off a report"
    )
    actions = p.add_subparsers(dest="review_command", metavar="ACTION", required=True)
    q = actions.add_parser(
        "status", parents=[action_options], help="every section's review state and the sign-off"
    )
    _report_args(q)
    q.add_argument("--group", metavar="NAME", help="only one group's sections (保健, health …)")
    q.set_defaults(func=cmd_status)

    q = actions.add_parser("submit", parents=[action_options], help="hand sections in for review")
    _report_args(q)
    _sections_args(q, every="every section that can be submitted")
    _acting_args(q, who="who submits")
    q.set_defaults(func=cmd_submit)

    q = actions.add_parser(
        "approve", parents=[action_options], help="approve submitted sections (password)"
    )
    _report_args(q)
    _sections_args(q, every="every section waiting for your review", group=True)
    q.add_argument("--comment", help="a comment kept with the approval")
    _acting_args(q, who="the supervisor or branch head")
    q.set_defaults(func=cmd_approve)

    for name, func, help_text, reason in (
        ("return", cmd_return, "send a section back to its author (password)", "why"),
        ("reopen", cmd_reopen, "open an approved section for changes (password)", "why"),
        ("except", cmd_except, "leave a section out of the sign-off (branch head)", "why"),
    ):
        q = actions.add_parser(name, parents=[action_options], help=help_text)
        _report_args(q)
        q.add_argument("--section", required=True, metavar="KEY", help="one section key")
        q.add_argument("--reason", "--comment", dest="reason", required=True, help=reason)
        _acting_args(q, who="the supervisor or branch head")
        q.set_defaults(func=func)

    q = actions.add_parser(
        "sign-off", parents=[action_options], help="the branch head signs the report off"
    )
    _report_args(q)
    _acting_args(q, who="the branch head")
    q.set_defaults(func=cmd_sign_off)


def _sections_args(p: argparse.ArgumentParser, *, every: str, group: bool = False) -> None:
    which = p.add_mutually_exclusive_group(required=True)
    if group:
        which.add_argument(
            "--group",
            metavar="NAME",
            help="every submitted section of one group (保健, 業務 … or health, operations …)",
        )
    which.add_argument(
        "--section",
        action="extend",
        nargs="+",
        metavar="KEY",
        help="section keys (plandesk review status lists them)",
    )
    which.add_argument("--all", action="store_true", help=every)
