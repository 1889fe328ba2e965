"""`plandesk keys …`: signing keys and the registry of public keys. Never imports Qt.

On a branch PC: ``create`` (the branch head sets the passphrase), ``export`` (the
public key file for HQ, and the fingerprint to read out on the telephone),
``rotate`` (a new key; the old one stays for what it signed), ``sign`` (sign a
signed-off report's submission again). At HQ: ``import`` a branch's public key
after confirming its fingerprint, ``list``, ``revoke``; HQ's own key the same way
(branch 00), which each branch imports once. See docs/TRUST.md.
"""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from pathlib import Path

from desktop.cli.common import (
    EXIT_OK,
    actor,
    db_path,
    lang_of,
    open_db,
    parse_branch,
    print_table,
    read_password,
    report_ref,
    say,
)
from desktop.domain.errors import BadInput
from desktop.domain.text import Text
from desktop.services import key_registry, signing_keys, submission_signing
from desktop.services.signing_keys import KdfCost, keys_dir, spoken


def _folder(args: argparse.Namespace) -> Path:
    return keys_dir(db_path(args).expanduser().absolute())


def _cost(args: argparse.Namespace) -> KdfCost:
    log_n = getattr(args, "scrypt_log_n", None)
    return signing_keys.PRODUCT_COST if log_n is None else KdfCost(n=2**log_n)


def _new_passphrase(args: argparse.Namespace) -> str:
    first = read_password(args, "新しいパスフレーズ / new passphrase: ") or ""
    if getattr(args, "password_stdin", False):
        return first
    again = read_password(args, "もう一度 / again: ") or ""
    if first != again:
        raise BadInput(
            "2 回入力したパスフレーズが一致しません。何も変更していません。",
            "The two passphrases differ. Nothing was changed.",
        )
    return first


def _say_key(lang: str, key: signing_keys.PublicKey) -> None:
    say(
        lang,
        Text(
            f"支部 {key.branch} の公開鍵　指紋（電話で読み上げて確認）: {spoken(key.fingerprint)}",
            f"Public key of branch {key.branch}  fingerprint (read it out by phone): "
            f"{spoken(key.fingerprint)}",
        ),
    )


def cmd_create(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    branch = parse_branch(args.branch)
    key = signing_keys.create_key(_folder(args), branch, _new_passphrase(args), cost=_cost(args))
    say(lang, Text("署名鍵を作成しました。", "Signing key created."))
    _say_key(lang, key)
    return EXIT_OK


def cmd_rotate(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    branch = parse_branch(args.branch) if args.branch else None
    old, new = signing_keys.rotate_key(
        _folder(args), _new_passphrase(args), branch=branch, cost=_cost(args)
    )
    if old is not None:
        say(
            lang,
            Text(
                f"以前の鍵（{spoken(old.fingerprint)}）は保管しました。",
                f"The previous key ({spoken(old.fingerprint)}) is kept.",
            ),
        )
    say(
        lang,
        Text(
            "新しい署名鍵を作成しました。公開鍵を書き出して本部に送ってください（plandesk keys export）。",
            "New signing key created. Export the public key and send it to HQ "
            "(plandesk keys export).",
        ),
    )
    _say_key(lang, new)
    return EXIT_OK


def cmd_export(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    key = signing_keys.export_public_key(_folder(args), Path(args.out))
    say(lang, Text(f"公開鍵を書き出しました: {args.out}", f"Public key written: {args.out}"))
    _say_key(lang, key)
    return EXIT_OK


def cmd_import(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    entry = key_registry.import_key(_folder(args), Path(args.file))
    say(lang, Text("公開鍵を登録しました。", "Public key registered."))
    _say_key(lang, entry.key)
    say(
        lang,
        Text(
            "この指紋が鍵の持ち主の読み上げた指紋と同じことを確認してください。違う場合は直ちに"
            "plandesk keys revoke で失効させてください。",
            "Check that this fingerprint is the one its owner read out to you; if it is "
            "not, revoke it at once (plandesk keys revoke).",
        ),
    )
    return EXIT_OK


def _when(at: datetime | None) -> str:
    return at.astimezone().strftime("%Y-%m-%d %H:%M") if at else ""


def cmd_list(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    registry = key_registry.trusted_keys(_folder(args))
    if not registry.keys:
        say(lang, Text("登録された公開鍵はありません。", "No public keys are registered."))
        return EXIT_OK
    headers = [
        Text(*pair).get(lang)
        for pair in (
            ("支部", "Branch"),
            ("指紋", "Fingerprint"),
            ("作成", "Created"),
            ("登録", "Imported"),
            ("失効", "Revoked"),
        )
    ]
    rows = []
    for k in registry.keys:
        revoked = _when(k.revoked_at)
        if k.replaced_by:
            revoked += Text("（更新）", " (replaced)").get(lang)
        imported = (
            Text("この PC の鍵", "this PC's key").get(lang) if k.own else _when(k.imported_at)
        )
        rows.append([k.branch, spoken(k.fingerprint), _when(k.key.created_at), imported, revoked])
    print_table(headers, rows)
    return EXIT_OK


def _stamp(text: str | None) -> datetime | None:
    if not text:
        return None
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise BadInput(
            f"日時「{text}」を読めません（例: 2025-04-01T09:00）。",
            f"Cannot read the time {text!r} (e.g. 2025-04-01T09:00).",
        ) from None
    return at.astimezone(UTC)  # a time without a zone is this PC's local time


def cmd_revoke(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    entry = key_registry.revoke_key(_folder(args), args.fingerprint, at=_stamp(args.at))
    say(
        lang,
        Text(
            f"支部 {entry.branch} の鍵 {spoken(entry.fingerprint)} を {_when(entry.revoked_at)} "
            "から失効させました。それ以降にこの鍵で署名されたファイルは無効です。",
            f"Revoked the key {spoken(entry.fingerprint)} of branch {entry.branch} from "
            f"{_when(entry.revoked_at)}: files it signed since are not valid.",
        ),
    )
    return EXIT_OK


def cmd_sign(args: argparse.Namespace) -> int:
    lang = lang_of(args)
    passphrase = read_password(args, "署名鍵のパスフレーズ / signing passphrase: ") or ""
    key = signing_keys.unlock(_folder(args), passphrase)
    with open_db(args) as db:
        ref = report_ref(args)
        submission_signing.sign_submission(db, ref, key=key, login=args.as_login or actor())
    say(lang, Text("提出版に署名しました。", "The submission is signed."))
    return EXIT_OK


def register(sub: argparse._SubParsersAction, options: argparse.ArgumentParser) -> None:
    p = sub.add_parser("keys", parents=[options], help="signing keys and trusted public keys")
    actions = p.add_subparsers(dest="keys_command", metavar="ACTION", required=True)
    stdin = argparse.ArgumentParser(add_help=False)
    stdin.add_argument(
        "--password-stdin", action="store_true", help="read the passphrase from standard input"
    )
    # Lower scrypt cost for scripted tests; PlanDesk itself always uses the default.
    stdin.add_argument("--scrypt-log-n", type=int, choices=range(10, 21), help=argparse.SUPPRESS)

    q = actions.add_parser("create", parents=[options, stdin], help="make this PC's signing key")
    q.add_argument("--branch", required=True, help="the branch code (00 for HQ)")
    q.set_defaults(func=cmd_create)
    q = actions.add_parser(
        "rotate", parents=[options, stdin], help="a new signing key (the old one is kept)"
    )
    q.add_argument("--branch", help="the branch code (default: the current key's)")
    q.set_defaults(func=cmd_rotate)
    q = actions.add_parser("export", parents=[options], help="write this PC's public key file")
    q.add_argument("out", help="a file, or a folder to write it in")
    q.set_defaults(func=cmd_export)
    q = actions.add_parser("import", parents=[options], help="register a public key file")
    q.add_argument("file")
    q.set_defaults(func=cmd_import)
    q = actions.add_parser("list", parents=[options], help="the keys this PC trusts")
    q.set_defaults(func=cmd_list)
    q = actions.add_parser("revoke", parents=[options], help="revoke a registered key")
    q.add_argument("fingerprint", help="its fingerprint, or enough of its start (spaces allowed)")
    q.add_argument("--at", help="from when (ISO time; default: now)")
    q.set_defaults(func=cmd_revoke)
    q = actions.add_parser(
        "sign", parents=[options, stdin], help="sign a signed-off report's submission (again)"
    )
    q.add_argument("--branch", required=True)
    q.add_argument("--year", required=True)
    q.add_argument("--period", required=True)
    q.add_argument("--as", dest="as_login", default="", help="who signs (for the audit trail)")
    q.set_defaults(func=cmd_sign)
