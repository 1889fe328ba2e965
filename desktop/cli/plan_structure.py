"""The plan's structure on the command line (desktop/services/plan_editing.py):

`plandesk plan add --branch N --year Y --parent KEY --title T [--label L]`,
`plandesk plan rename … --node KEY [--title T] [--label L]`,
`plandesk plan move … --node KEY --position I [--parent KEY]`,
`plandesk plan rate-with … --node KEY (--with KEY | --alone)` (rating scopes: the node
is rated together with the item --with names, whose one mark and reason rate both),
`plandesk plan remove … (--node KEY | --kpi KEY) [--yes]` (without --yes: what it
would take out, nothing changed), and
`plandesk plan add-kpi … --node KEY --name NAME [--unit U] [--target T] [--direction D]`.
Part of the ``plan`` family (desktop/cli/plans.py). Never imports Qt.
"""

from __future__ import annotations

import argparse

from desktop.cli.common import EXIT_OK, actor, lang_of, open_db, parse_branch, parse_year, say
from desktop.cli.report_layout import register as register_report_layout
from desktop.domain.errors import BadInput, Refused
from desktop.domain.model import Direction, TargetKind
from desktop.domain.text import Text
from desktop.services import plan_editing
from desktop.services.changes import PlanRef, StructureChanged


def _plan(args: argparse.Namespace) -> PlanRef:
    return PlanRef(parse_branch(args.branch), parse_year(args.year))


def cmd_add(args: argparse.Namespace) -> int:
    with open_db(args) as db:
        done = plan_editing.add_node(
            db, _plan(args), args.parent, title=args.title, label=args.label or "", actor=actor()
        )
    key = done.one(StructureChanged).key
    say(lang_of(args), Text(f"項目を追加しました: {key}", f"Added item {key}"))
    return EXIT_OK


def cmd_rename(args: argparse.Namespace) -> int:
    if args.title is None and args.label is None:
        raise BadInput(
            "--title か --label を指定してください。", "Give --title or --label (or both)."
        )
    with open_db(args) as db:
        for field in ("label", "title"):
            value = getattr(args, field)
            if value is not None:
                plan_editing.set_node_field(db, _plan(args), args.node, field, value, actor=actor())
    say(lang_of(args), Text(f"名前を変更しました: {args.node}", f"Renamed {args.node}"))
    return EXIT_OK


def cmd_move(args: argparse.Namespace) -> int:
    try:
        position = int(args.position)
    except ValueError:
        raise BadInput(
            f"--position は0以上の整数です（「{args.position}」）。",
            f"--position is a whole number from 0 (got '{args.position}').",
        ) from None
    with open_db(args) as db:
        plan_editing.move_node(
            db, _plan(args), args.node, position=position, parent_key=args.parent, actor=actor()
        )
    say(lang_of(args), Text(f"移動しました: {args.node}", f"Moved {args.node}"))
    return EXIT_OK


def cmd_rate_with(args: argparse.Namespace) -> int:
    if (args.with_ is None) == (not args.alone):
        raise BadInput(
            "--with か --alone のどちらかを指定してください。", "Give either --with or --alone."
        )
    holder = None if args.alone else args.with_
    with open_db(args) as db:
        plan_editing.set_node_field(db, _plan(args), args.node, "rated_with", holder, actor=actor())
    if holder is None:
        text = Text(f"{args.node} を単独で評価します", f"{args.node} is rated on its own")
    else:
        text = Text(
            f"{args.node} を {holder} とまとめて評価します（評価と理由は {holder} に入力）",
            f"{args.node} is rated together with {holder} (the mark and reason are {holder}'s)",
        )
    say(lang_of(args), text)
    return EXIT_OK


def cmd_remove(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    kind, key = ("kpi", args.kpi) if args.kpi else ("node", args.node)
    if not key:
        raise BadInput("--node か --kpi を指定してください。", "Give --node or --kpi.")
    with open_db(args) as db:
        preview = plan_editing.removal_preview(db, _plan(args), kind, key)
        say(lang, preview.text)
        if preview.refusal is not None:
            if args.yes:
                raise Refused(preview.refusal)
            say(lang, preview.refusal)
            return EXIT_OK
        if not args.yes:
            say(lang, Text("（確認のみ。削除するには --yes を付けてください）",
                           "(preview: nothing changed; add --yes to remove)"))  # fmt: skip
            return EXIT_OK
        remover = plan_editing.remove_node if kind == "node" else plan_editing.remove_kpi
        done = remover(db, _plan(args), key, actor=actor())
    removal = done.one(StructureChanged).removal
    say(lang, Text(f"削除しました: {key}（記録 {removal} に保存）",
                   f"Removed {key} (kept as removal {removal})"))  # fmt: skip
    return EXIT_OK


def cmd_add_kpi(args: argparse.Namespace) -> int:
    draft = plan_editing.KpiDraft(
        name=args.name,
        unit=args.unit or "",
        decimals=int(args.decimals),
        direction=Direction(args.direction),
        target_kind=TargetKind.PREV_YEAR if args.prev_year else TargetKind.FIXED,
        target=args.target,
    )
    with open_db(args) as db:
        done = plan_editing.add_kpi(db, _plan(args), args.node, draft, actor=actor())
    key = done.one(StructureChanged).key
    say(lang_of(args), Text(f"KPIを追加しました: {key}", f"Added KPI {key}"))
    return EXIT_OK


def register_actions(
    actions: argparse._SubParsersAction,
    action_options: argparse.ArgumentParser,
    plan_args: object,
) -> None:
    """The structure actions of `plandesk plan`."""

    def parser(name: str, help_text: str) -> argparse.ArgumentParser:
        q = actions.add_parser(name, parents=[action_options], help=help_text)
        plan_args(q)  # type: ignore[operator]
        return q

    q = parser("add", "add a section or item under a node (a branch's own: 支部独自)")
    q.add_argument("--parent", required=True, help="the parent node's key, e.g. 2 or 2.I")
    q.add_argument("--title", required=True)
    q.add_argument("--label", help="the printed number, e.g. Ⅸ． or ①")
    q.set_defaults(func=cmd_add)
    q = parser("rename", "change a node's title and/or printed number")
    q.add_argument("--node", required=True)
    q.add_argument("--title")
    q.add_argument("--label")
    q.set_defaults(func=cmd_rename)
    q = parser("move", "put a node at a position among its siblings (or under another parent)")
    q.add_argument("--node", required=True)
    q.add_argument("--position", required=True, help="0 = first")
    q.add_argument("--parent", help="a new parent node (same kind of parent)")
    q.set_defaults(func=cmd_move)
    q = parser("rate-with", "rate a node together with another item (one mark and reason)")
    q.add_argument("--node", required=True)
    q.add_argument("--with", dest="with_", help="the item whose mark rates this one too")
    q.add_argument("--alone", action="store_true", help="rate the node on its own again")
    q.set_defaults(func=cmd_rate_with)
    q = parser("remove", "show what removing a node or KPI takes out; remove it with --yes")
    q.add_argument("--node")
    q.add_argument("--kpi")
    q.add_argument("--yes", action="store_true", help="remove it (kept for undo in the app)")
    q.set_defaults(func=cmd_remove)
    q = parser("add-kpi", "add a KPI definition to a node")
    q.add_argument("--node", required=True)
    q.add_argument("--name", required=True)
    q.add_argument("--unit")
    q.add_argument("--decimals", default="0", choices=[str(i) for i in range(7)])
    q.add_argument("--direction", default="at_least", choices=[d.value for d in Direction])
    q.add_argument("--target", help="a fixed target in the KPI's unit")
    q.add_argument("--prev-year", action="store_true", help="target: last year's actual")
    q.set_defaults(func=cmd_add_kpi)
    register_report_layout(actions, parser)  # the report by group (issue 16 item 2)
