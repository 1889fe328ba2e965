"""The words of the audit trail as people say them: actions, what an entry is
about, fields and stored values, in Japanese and English.

The services write short codes into the audit log (``approve``, ``submitted``,
``status_text``); the viewer and the xlsx export show these words instead. The
domain's own labels are used where they exist (section states, roles, the
fields of a section and a KPI); a code nobody has named yet is shown as it is.
"""

from __future__ import annotations

import json
from datetime import datetime

from desktop.domain.calendar import YearMonth
from desktop.domain.merge import FIELD_LABELS
from desktop.domain.review import Role, SectionState
from desktop.store.content import SPECS

ACTION_LABELS = {
    "edit": ("編集", "Edited"),
    "submit": ("提出", "Submitted"),
    "resubmit": ("再編集後の変更（確認待ちへ）", "Edited after reopening (back to review)"),
    "approve": ("承認", "Approved"),
    "return": ("差戻し", "Returned"),
    "reopen": ("再編集に戻し", "Reopened"),
    "except": ("対象外に", "Excepted"),
    "comment": ("コメント", "Comment"),
    "sign_off": ("決裁", "Signed off"),
    "sign_submission": ("提出版への電子署名", "Submission signed"),
    "add": ("追加", "Added"),
    "import": ("ブックから取り込み", "Imported from a workbook"),
    "rollover": ("次年度計画の作成", "Next year's plan"),
    "confirm": ("KPIの確認", "KPI confirmed"),
    "create_plan": ("計画の作成", "Plan created"),
    "set_branch_targets": ("支部別目標の設定", "Targets per branch set"),
    "replace_plan": ("計画の置き換え", "Plan replaced"),
    "head_restored": ("監査ログの末尾を復元", "Audit log head restored"),
    "create": ("作成", "Created"),
    "baseline": ("更新時点の記録", "Recorded at the upgrade"),
    "submit_plan": ("計画の提出", "Plan submitted"),
    "withdraw_plan": ("計画の提出の取消し", "Plan submission taken back"),
    "approve_plan": ("計画の承認", "Plan approved"),
    "send_back_plan": ("計画の差戻し", "Plan sent back"),
    "reopen_plan": ("計画の再編集", "Plan reopened"),
}

ENTITY_LABELS = {
    "entry": ("項目の記入", "Section entry"),
    "measurement": ("KPI実績", "KPI figure"),
    "monthly": ("月次実績", "Monthly figure"),
    "node": ("事業計画", "Plan text"),
    "review": ("確認・承認", "Review"),
    "comment": ("コメント", "Comment"),
    "report": ("報告", "Report"),
    "plan": ("計画", "Plan"),
    "kpi": ("KPI設定", "KPI definition"),
    "benchmark": ("全国平均・順位", "National average and rank"),
    "user": ("利用者", "Person"),
    "kpi_profile": ("前年度の月次累計", "Last year's monthly figures"),
    "branch_target": ("支部別目標", "Target per branch"),
    "database": ("データベース", "Database"),
}

# Fields other than a section's and a KPI's own (those are domain.merge.FIELD_LABELS).
_MORE_FIELDS = {
    "state": ("状態", "State"),
    "text": ("本文", "Text"),
    "reason": ("理由", "Reason"),
    "plan_text": ("事業計画", "Plan text"),
    "signed_off": ("決裁日時", "Signed off at"),
    "signature": ("電子署名（鍵の指紋）", "Signature (key fingerprint)"),
    "workbook": ("取り込んだブック", "Workbook imported"),
    "created": ("作成元のブック", "Created from workbook"),
    "title": ("表題", "Title"),
    "source": ("元の年度", "Taken from"),
    "template": ("本部テンプレート", "HQ template"),
    "last_year_actual": ("前年度実績", "Last year's actual"),
    "last_year_profile": ("前年度の月別推移", "Last year's monthly profile"),
    "target": ("目標", "Target"),
    "needs_confirmation": ("要確認", "Needs confirmation"),
    "confirmation": ("確認", "Confirmation"),
    "role": ("役割", "Role"),
    "display_name": ("表示名", "Name"),
    "group": ("グループ", "Group"),
    "password": ("パスワード", "Password"),
    "active": ("有効", "Active"),
    "national_average": ("全国平均", "National average"),
    "national_rank": ("全国順位", "National rank"),
    "branch_count": ("支部数", "Branches"),
    "national_source": ("全国平均・順位の出所", "National figures from"),
    "last_year_source": ("前年度実績の出所", "Last year's actual from"),
    "prior_year_actual": ("前々年度実績", "The year before's actual"),
    "prior_year_source": ("前々年度実績の出所", "The year before's actual from"),
    "last_year_national_average": ("前年度の全国平均", "Last year's national average"),
    "last_year_national_rank": ("前年度の全国順位", "Last year's national rank"),
}
# Every field the audit trail vouches for has its words in the store's list of them;
# the ones above read better in the trail and come first.
FIELD_WORDS = {
    **{field: (spec.label_ja, spec.label_en) for (_entity, field), spec in SPECS.items()},
    **FIELD_LABELS,
    **_MORE_FIELDS,
}

_YES_NO = {"true": ("はい", "yes"), "false": ("いいえ", "no")}
_DONE = {"true": ("実施", "done"), "false": ("未実施", "not done")}
_MARKERS = {"(changed)": ("変更", "changed"), "(removed)": ("削除", "removed")}
# Fields the log records as a fingerprint (desktop.store.content), not as text.
_FINGERPRINTED = {
    "password": ("変更", "changed"),
    "approved_content": ("承認した内容を記録", "content recorded"),
}


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[0] if lang == "ja" else pair[1]


def action_label(action: str, lang: str = "ja") -> str:
    pair = ACTION_LABELS.get(action)
    return _pick(pair, lang) if pair else action


def entity_label(entity: str, lang: str = "ja") -> str:
    pair = ENTITY_LABELS.get(entity)
    return _pick(pair, lang) if pair else entity


def field_label(field: str, lang: str = "ja") -> str:
    pair = FIELD_WORDS.get(field)
    return _pick(pair, lang) if pair else field


def value_label(field: str, value: str | None, lang: str = "ja") -> str:
    """A stored old or new value as a person reads it (texts and figures as they are)."""
    if value is None:
        return ""
    if value in _MARKERS:
        return _pick(_MARKERS[value], lang)
    if field in _FINGERPRINTED:  # a fingerprint proves the value to `check`; not for reading
        return _pick(_FINGERPRINTED[field], lang)
    lowered = value.lower()
    try:
        if field == "state":
            return SectionState(value).label(lang)
        if field == "role":
            return Role(value).label(lang)
        if field == "done" and lowered in _DONE:
            return _pick(_DONE[lowered], lang)
        if field in ("preliminary", "active") and lowered in _YES_NO:
            return _pick(_YES_NO[lowered], lang)
        if field == "as_of":
            month = YearMonth.from_iso(value)
            return month.era_label() if lang == "ja" else month.iso()
        if field == "signed_off":
            return datetime.fromisoformat(value).astimezone().strftime("%Y-%m-%d %H:%M")
        if field == "signature":  # the signature record: the key says who signed
            key = str(json.loads(value).get("signing_key", ""))
            return " ".join(key[i : i + 4] for i in range(0, 32, 4)).upper() or value
    except (ValueError, AttributeError):
        pass  # not what the field usually holds: shown as stored
    return value
