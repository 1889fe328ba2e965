"""`plandesk export / import / verify`: the workbook exchange on the command line.

Conflicts in an import are never resolved silently: at a terminal the person
chooses field by field; in a script, `--prefer` or `--choose` says what to keep,
and without them the import stops and lists the conflicts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from desktop.cli.common import (
    EXIT_FAILED,
    EXIT_OK,
    actor,
    db_path,
    lang_of,
    open_db,
    parse_branch,
    parse_period,
    parse_year,
    read_password,
    say,
)
from desktop.domain.errors import BadInput
from desktop.domain.merge import FieldMerge
from desktop.domain.print_profiles import PROFILES
from desktop.domain.text import Text
from desktop.services import exchange, export, rollover, signing_keys, verify
from desktop.services.key_registry import trusted_keys
from desktop.services.signing_keys import keys_dir, spoken
from desktop.workbooks.machine import Kind
from desktop.workbooks.reader import read_workbook


def _short(value: str | None, width: int = 60) -> str:
    if value is None:
        return "（空）"
    flat = value.replace("\n", "⏎")
    return flat if len(flat) <= width else flat[: width - 1] + "…"


def describe(m: FieldMerge, preview: exchange.ImportPreview, lang: str) -> str:
    return f"{preview.labels.get(m.owner, m.owner)} / {m.label(lang)}"


def _digest(digest: str) -> Text:
    return Text(f"ダイジェスト: {digest}", f"Digest: {digest}")


def cmd_export(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    if args.format == "pdf":
        return _export_pdf(args, lang)
    if args.profile:
        raise BadInput(
            "--profile は --format pdf のときに指定します。",
            "--profile goes with --format pdf.",
        )
    kind = Kind(args.kind or Kind.SUBMISSION.value)
    sections = [s.strip() for s in (args.sections or "").split(",") if s.strip()]
    key = None
    if args.sign:
        if kind is not Kind.TEMPLATE:
            raise BadInput(
                "--sign は計画テンプレート用です（提出版は決裁の時に署名されます）。",
                "--sign is for templates (a submission is signed at sign-off).",
            )
        passphrase = read_password(args, "署名鍵のパスフレーズ / signing passphrase: ") or ""
        key = signing_keys.unlock(keys_dir(db_path(args).expanduser().absolute()), passphrase)
    with open_db(args) as db:
        result = exchange.export_workbook(
            db,
            branch=parse_branch(args.branch),
            fiscal_year=parse_year(args.year),
            period=parse_period(args.period),
            kind=kind,
            out=Path(args.out),
            actor=actor(),
            sections=sections,
            overwrite_signed_off=args.overwrite,
            signing_key=key,
        )
    say(lang, Text(f"書き出しました: {result.path}", f"Written: {result.path}"))
    say(lang, _digest(result.manifest.digest))
    if result.manifest.signing_key:
        fp = spoken(result.manifest.signing_key)
        say(lang, Text(f"電子署名あり（鍵の指紋 {fp}）", f"Signed (key fingerprint {fp})"))
    return EXIT_OK


def _export_pdf(args: argparse.Namespace, lang: str) -> int:
    if args.sections or args.overwrite:
        raise BadInput(
            "PDF は報告全体を書き出します（--sections と --overwrite は xlsx 用です）。",
            "A PDF holds the whole report (--sections and --overwrite are for xlsx).",
        )
    with open_db(args) as db:
        result = export.export_pdf(
            db,
            branch=parse_branch(args.branch),
            fiscal_year=parse_year(args.year),
            period=parse_period(args.period),
            kind=Kind(args.kind) if args.kind else None,
            profile=args.profile,
            out=Path(args.out),
            actor=actor(),
        )
    say(lang, Text(f"書き出しました: {result.path}", f"Written: {result.path}"))
    return EXIT_OK


def cmd_verify(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    registry = trusted_keys(keys_dir(db_path(args)))
    paths = [Path(f) for f in args.file]
    verdicts = verify.verify_files(paths, registry)
    for path, verdict in zip(paths, verdicts, strict=True):
        if len(paths) > 1:
            print(f"== {path.name}")
        _say_verdict(verdict, lang)
    if not registry.enforcing:
        say(
            lang,
            Text(
                "この PC には公開鍵が登録されていないため、電子署名は確認していません"
                "（plandesk keys import）。",
                "No public key is registered on this PC, so signatures were not checked "
                "(plandesk keys import).",
            ),
        )
    return EXIT_OK if all(v.ok for v in verdicts) else EXIT_FAILED


def _say_national(national: verify.NationalFile, lang: str) -> None:
    seal = national.seal
    if seal is None:
        say(lang, Text("種類: 全国集計（本部）", "Kind: national workbook (HQ)"))
        return
    period = Text(seal.period.label_ja, seal.period.label_en)
    say(
        lang,
        Text(
            f"種類: 全国集計（本部）　年度: {seal.fiscal_year}　期間: {period.ja}",
            f"Kind: national workbook (HQ)  FY: {seal.fiscal_year}  Period: {period.en}",
        ),
    )
    at = seal.created_at.isoformat(timespec="seconds")
    say(lang, Text(f"作成: {seal.created_by}（{at}）", f"Written: {seal.created_by} ({at})"))
    say(lang, _digest(seal.digest))
    fp = spoken(seal.signing_key)
    say(lang, Text(f"電子署名の鍵の指紋: {fp}", f"Signing key fingerprint: {fp}"))


def _say_verdict(verdict: verify.Verdict, lang: str) -> None:
    if verdict.national is not None:
        _say_national(verdict.national, lang)
    if verdict.data is not None:
        m = verdict.data.manifest
        period = Text(m.period.label_ja, m.period.label_en) if m.period else Text.same("-")
        say(
            lang,
            Text(
                f"種類: {m.kind.label_ja}　支部: {m.branch}　年度: {m.fiscal_year}　期間: {period.ja}",
                f"Kind: {m.kind.label_en}  Branch: {m.branch}  FY: {m.fiscal_year}  "
                f"Period: {period.en}",
            ),
        )
        if m.signed_off_by:
            who = m.signed_off_name or m.signed_off_by
            at = m.signed_off_at.isoformat(timespec="seconds") if m.signed_off_at else "?"
            say(lang, Text(f"決裁: {who}（{at}）", f"Signed off: {who} ({at})"))
        say(lang, _digest(m.digest))
        if m.signing_key:
            say(
                lang,
                Text(
                    f"電子署名の鍵の指紋: {spoken(m.signing_key)}",
                    f"Signing key fingerprint: {spoken(m.signing_key)}",
                ),
            )
    for note_ja, note_en in zip(verdict.notes_ja, verdict.notes_en, strict=True):
        say(lang, Text(f"注: {note_ja}", f"Note: {note_en}"))
    for problem_ja, problem_en in zip(verdict.problems_ja, verdict.problems_en, strict=True):
        say(lang, Text(problem_ja, problem_en), err=True)
    if verdict.ok:
        say(lang, Text("検証: 正常です。", "Verified: OK."))
    else:
        say(lang, Text("検証: 不合格です。", "Verification FAILED."))


def _print_preview(preview: exchange.ImportPreview, lang: str) -> None:
    m = preview.data.manifest
    say(
        lang,
        Text(
            f"{preview.path.name}: {m.kind.label_ja}"
            f"（支部 {m.branch}、{m.fiscal_year}年度、作成 {m.creator}）",
            f"{preview.path.name}: {m.kind.label_en} (branch {m.branch}, FY{m.fiscal_year}, "
            f"by {m.creator})",
        ),
    )
    for warning in preview.warnings:
        say(lang, Text("  注意: ", "  Warning: ") + warning)
    if preview.creates_plan:
        say(
            lang, Text("  この計画はまだないため作成します。", "  Creates the plan (not here yet).")
        )
    for title, items in (
        (Text("新規", "New"), preview.new),
        (Text("変更", "Changed"), preview.changes),
        (Text("競合", "Conflicts"), preview.conflicts),
        (Text("取り込まない変更", "Left out"), preview.blocked),
    ):
        if not items:
            continue
        say(lang, Text(f"  {title.ja}: {len(items)} 件", f"  {title.en}: {len(items)}"))
        for item in items:
            line = Text.same(
                f"    {describe(item, preview, lang)}: {_short(item.ours)} → {_short(item.theirs)}"
            )
            reason = preview.reason(item.field)  # why a change is left out, next to it
            if reason is not None:
                line += Text(f"（{reason.label('ja')}）", f" ({reason.label('en')})")
            say(lang, line)
    for line in preview.targets.lines():  # HQ's template: targets per branch that change
        say(lang, Text("  ", "  ") + line)
    if preview.nothing_to_do:
        say(lang, Text("  取り込む変更はありません。", "  Nothing to import."))


def _ask(preview: exchange.ImportPreview, lang: str) -> dict[str, str]:
    choices: dict[str, str] = {}
    for c in preview.conflicts:
        print(describe(c, preview, lang))
        say(lang, Text(f"  [m] 手元: {_short(c.ours, 200)}", f"  [m] mine: {_short(c.ours, 200)}"))
        say(
            lang,
            Text(
                f"  [t] ファイル: {_short(c.theirs, 200)}", f"  [t] file: {_short(c.theirs, 200)}"
            ),
        )
        while True:
            try:
                answer = input("m/t? ").strip().lower()
            except EOFError:  # Ctrl+D (Ctrl+Z on Windows) at the question
                raise BadInput(
                    "入力が終わったため取り込みを中止しました。何も変更していません。",
                    "Input ended: the import was stopped. Nothing was changed.",
                ) from None
            if answer in ("m", "t"):
                choices[c.field] = "ours" if answer == "m" else "theirs"
                break
    return choices


def cmd_import(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    kinds = tuple(Kind(k) for k in args.kind) if args.kind else (Kind.WORK, Kind.SUBMISSION)
    expect = exchange.Expectation(
        kinds=kinds,
        branch=parse_branch(args.branch) if args.branch else None,
        fiscal_year=parse_year(args.year) if args.year else None,
        period=parse_period(args.period),
    )
    with open_db(args, create=True) as db:
        preview = exchange.preview_import(db, Path(args.file), expect)
        _print_preview(preview, lang)
        if args.dry_run:
            say(lang, Text("（確認のみ。何も変更していません）", "(dry run: nothing changed)"))
            return EXIT_OK
        if preview.nothing_to_do:
            return EXIT_OK
        choices = {c.field: args.prefer for c in preview.conflicts} if args.prefer else {}
        for spec in args.choose or []:
            name, _, side = spec.rpartition("=")
            if side not in ("ours", "theirs") or not name:
                raise BadInput(
                    f"--choose「{spec}」は 項目=ours または 項目=theirs で指定してください。",
                    f"--choose '{spec}': use FIELD=ours or FIELD=theirs.",
                )
            choices[name] = side
        open_conflicts = [c for c in preview.conflicts if c.field not in choices]
        if open_conflicts and sys.stdin.isatty():
            choices.update(_ask(preview, lang))
        elif open_conflicts:
            say(
                lang,
                Text(
                    "競合があります。--prefer ours|theirs または --choose 項目=ours|theirs で"
                    "選んでください:",
                    "There are conflicts; choose with --prefer ours|theirs or "
                    "--choose FIELD=ours|theirs:",
                ),
            )
            for c in open_conflicts:
                print(f"  {c.field}")
            return EXIT_FAILED
        result = exchange.apply_import(db, preview, actor=actor(), choices=choices, expect=expect)
    print(result.summary(lang))
    return EXIT_OK


def cmd_rollover(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    template = None
    if args.template:
        data = read_workbook(Path(args.template))
        if data.manifest.kind is not Kind.TEMPLATE:
            raise BadInput(
                f"「{args.template}」は計画テンプレートではありません。",
                f"'{args.template}' is not a plan template.",
            )
        template = data.plan
    with open_db(args) as db:
        result = rollover.roll_over(
            db,
            parse_branch(args.branch),
            template=template,
            from_year=parse_year(args.from_year) if args.from_year else None,
            actor=actor(),
        )
    print(rollover.format_result(result, lang))
    return EXIT_OK


def cmd_confirm_kpi(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    code, year = parse_branch(args.branch), parse_year(args.year)
    with open_db(args) as db:
        if args.kpi:
            rollover.confirm_kpi(db, code, year, args.kpi, actor=actor())
            say(lang, Text(f"{args.kpi} を確認済みにしました。", f"Confirmed {args.kpi}."))
        pending = rollover.pending_confirmations(db, code, year)
    labels = {"new": Text("新設", "new"), "definition_changed": Text("定義変更", "redefined")}
    say(
        lang,
        Text(f"確認待ちの KPI: {len(pending)} 件", f"KPIs awaiting confirmation: {len(pending)}"),
    )
    for f in pending:
        print(f"  {f.kpi_key}  {f.name}  [{labels[f.reason].get(lang)}]")
    return EXIT_OK


def register(sub: argparse._SubParsersAction, options: argparse.ArgumentParser) -> None:
    p = sub.add_parser("export", parents=[options], help="write a workbook (xlsx) or a PDF")
    p.add_argument("--year", required=True)
    p.add_argument("--branch", required=True)
    p.add_argument("--period", help="midyear or annual (not for templates)")
    p.add_argument(
        "--kind",
        choices=[k.value for k in Kind],
        help="default: submission (xlsx); for a PDF the submission once signed off, else work",
    )
    p.add_argument("--format", choices=["xlsx", "pdf"], default="xlsx")
    p.add_argument(
        "--profile",
        choices=sorted(PROFILES),
        help="the PDF's print layout (default: the one the plan's template chose for the period)",
    )
    p.add_argument("--sections", help="work files: comma-separated item keys (default: all)")
    p.add_argument("--out", required=True, help="a folder (new version each time) or a file")
    p.add_argument(
        "--overwrite", action="store_true", help="replace a signed-off submission at --out"
    )
    p.add_argument(
        "--sign", action="store_true", help="templates: sign with this PC's key (HQ, passphrase)"
    )
    p.add_argument(
        "--password-stdin", action="store_true", help="read the passphrase from standard input"
    )
    p.set_defaults(func=cmd_export)
    p = sub.add_parser("import", parents=[options], help="merge a workbook into the database")
    p.add_argument("file")
    p.add_argument("--dry-run", action="store_true", help="show what would change, change nothing")
    p.add_argument("--kind", action="append", choices=[k.value for k in Kind])
    p.add_argument("--branch", help="refuse a file of another branch")
    p.add_argument("--year", help="refuse a file of another fiscal year")
    p.add_argument("--period", help="refuse a file of another period")
    p.add_argument("--prefer", choices=["ours", "theirs"], help="resolve every conflict so")
    p.add_argument("--choose", action="append", help="FIELD=ours|theirs for one conflict")
    p.set_defaults(func=cmd_import)
    p = sub.add_parser(
        "verify",
        parents=[options],
        help="check workbooks: format, digest, sign-off, signature, the audit chain across files; "
        "HQ's national workbooks: their seal and HQ's signature",
    )
    p.add_argument("file", nargs="+")
    p.set_defaults(func=cmd_verify)
    p = sub.add_parser("rollover", parents=[options], help="next year's plan from HQ's template")
    p.add_argument("--branch", required=True)
    p.add_argument("--from-year", help="the year to carry actuals from (default: the year before)")
    p.add_argument("--template", help="an HQ template workbook (default: newest in the database)")
    p.set_defaults(func=cmd_rollover)
    p = sub.add_parser("confirm-kpi", parents=[options], help="confirm new or redefined KPIs")
    p.add_argument("--branch", required=True)
    p.add_argument("--year", required=True)
    p.add_argument("--kpi", help="the KPI key to confirm (without: list what awaits)")
    p.set_defaults(func=cmd_confirm_kpi)
