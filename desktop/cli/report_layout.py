"""How the plan's report is organised, on the command line (issue 16 item 2):

`plandesk plan report-layout --branch N --year Y --axis {tree,group}
[--number-per-group | --labels] [--place KEY=N ...] [--midyear-profile KEY]
[--annual-profile KEY]`: by tree or by responsible group, numbers restarting per
group or each item's own label, items' places in the report by group (KEY= alone:
back to tree order), and the print profile each period's report prints in
(desktop/domain/print_profiles.py). Part of the ``plan`` family.
Never imports Qt.
"""

from __future__ import annotations

import argparse

from desktop.cli.common import EXIT_OK, actor, lang_of, open_db, parse_branch, parse_year, say
from desktop.domain.errors import BadInput
from desktop.domain.model import PeriodKind, ReportAxis
from desktop.domain.print_profiles import PROFILES
from desktop.domain.text import Text
from desktop.services import plan_editing, plans
from desktop.services.changes import PlanRef


def _places(given: list[str]) -> list[tuple[str, str]]:
    out = []
    for item in given:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise BadInput(
                f"--place は KEY=番号 の形で指定してください（「{item}」）。",
                f"--place is KEY=NUMBER (got '{item}').",
            )
        out.append((key.strip(), value))
    return out


def cmd_report_layout(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    ref = PlanRef(parse_branch(args.branch), parse_year(args.year))
    places = _places(args.place or [])
    with open_db(args) as db:
        plan = plans.get_plan(db, ref.branch, ref.fiscal_year)
        axis = ReportAxis(args.axis) if args.axis else plan.report_axis
        per_group = (
            plan.number_per_group if args.number_per_group is None else args.number_per_group
        )
        plan_editing.set_report_layout(
            db, ref, axis=axis, number_per_group=per_group, actor=actor()
        )
        if args.midyear_profile is not None or args.annual_profile is not None:
            plan_editing.set_print_profiles(
                db, ref, midyear=args.midyear_profile, annual=args.annual_profile, actor=actor()
            )
        for key, value in places:
            plan_editing.set_node_field(db, ref, key, "report_position", value, actor=actor())
        profiles = plans.get_plan(db, ref.branch, ref.fiscal_year).print_profiles
    numbering = (
        Text("グループごとの番号", "numbers per group")
        if per_group
        else Text("各項目の番号", "each item's own number")
    )
    if axis is ReportAxis.GROUP:
        say(
            lang,
            Text(f"報告の構成: グループ別（{numbering.ja}）", f"Report by group ({numbering.en})"),
        )
    else:
        say(lang, Text("報告の構成: 計画の階層順", "Report in the plan's tree order"))
    for period in PeriodKind:
        profile = PROFILES[profiles.key_for(period)]
        say(
            lang,
            Text(
                f"{period.label('ja')}の様式: {profile.name_ja}（{profile.key}）",
                f"{period.label('en')} prints as: {profile.name_en} ({profile.key})",
            ),
        )
    return EXIT_OK


def register(actions: argparse._SubParsersAction, parser: object) -> None:
    """`plandesk plan report-layout` (``parser`` makes an action with the plan's args)."""
    q = parser("report-layout", "organise the report by tree or by group; places in it")  # type: ignore[operator]
    q.add_argument("--axis", choices=[a.value for a in ReportAxis])
    numbers = q.add_mutually_exclusive_group()
    numbers.add_argument(
        "--number-per-group",
        dest="number_per_group",
        action="store_true",
        default=None,
        help="by group: numbers ① ② … restart in each group",
    )
    numbers.add_argument(
        "--labels",
        dest="number_per_group",
        action="store_false",
        help="each item prints its own label",
    )
    q.add_argument(
        "--place",
        action="extend",
        nargs="+",
        metavar="KEY=N",
        help="an item's place in the report by group (KEY= : tree order)",
    )
    for period in ("midyear", "annual"):
        q.add_argument(
            f"--{period}-profile",
            metavar="KEY",
            help=f"the {period} report's print profile ({', '.join(PROFILES)})",
        )
    q.set_defaults(func=cmd_report_layout)
