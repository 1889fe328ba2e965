"""The plan document reader: every bundled file loads, faults are named."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.domain.model import Source
from desktop.domain.plan_document import (
    PlanDocumentError,
    from_document,
    load_plan_file,
    to_document,
)

RESOURCES = Path(__file__).resolve().parents[2] / "desktop" / "resources"
BUNDLED = sorted(RESOURCES.glob("*/*.json"))


def _minimal() -> dict:
    return {
        "format": "plandesk.plan/1",
        "branch": "13",
        "fiscal_year": 2024,
        "title": "令和６年度東京支部事業計画",
        "basic_policy": [],
        "nodes": [
            {
                "key": "1",
                "level": "pillar",
                "label": "１．",
                "title": "基盤的保険者機能の盤石化",
                "plan_text": "",
                "group": None,
                "importance": None,
                "difficulty": None,
                "footnotes": [],
                "kpis": [],
                "children": [
                    {
                        "key": "1.II.2",
                        "level": "subsection",
                        "label": "（２）",
                        "title": "サービス水準の向上",
                        "plan_text": "迅速な業務処理を徹底する。",
                        "group": "業務",
                        "importance": None,
                        "difficulty": None,
                        "footnotes": ["※注記"],
                        "children": [],
                        "kpis": [
                            {
                                "key": "1.II.2.k2",
                                "label": "２）",
                                "name": "郵送化率",
                                "unit": "％",
                                "decimals": 1,
                                "direction": "at_least",
                                "target_kind": "prev_year",
                                "target": None,
                                "cumulative": False,
                                "new": False,
                                "definition_changed": False,
                                "numerator_label": None,
                                "denominator_label": None,
                                "numerator_target": None,
                                "denominator_target": None,
                                "last_year_actual": "98.4",
                                "reference": None,
                                "note": None,
                            }
                        ],
                    }
                ],
            }
        ],
        "reports": [
            {
                "period": "midyear",
                "as_of": "2024-06",
                "title": "上期",
                "entries": [
                    {
                        "node": "1.II.2",
                        "status_text": "実施した。",
                        "mark": "○",
                        "mark_reason": None,
                        "next_steps": "",
                    }
                ],
                "measurements": [
                    {
                        "kpi": "1.II.2.k2",
                        "value": "98.2",
                        "numerator": None,
                        "denominator": None,
                        "done": None,
                        "as_of": "2024-06",
                        "preliminary": False,
                        "unavailable_reason": None,
                        "national_average": "97.9",
                        "national_rank": 19,
                    }
                ],
            }
        ],
    }


def test_minimal_document_round_trips():
    doc = _minimal()
    plan = from_document(doc)
    assert plan.node("1.II.2").group.value == "業務"
    assert plan.effective_group("1.II.2") is not None
    assert plan.kpis[0].resolved_target() is not None
    assert to_document(plan) == doc


@pytest.mark.parametrize(
    ("mutate", "where"),
    [
        (lambda d: d.update(format="other/1"), "$.format"),
        (lambda d: d.update(branch="48"), "$.branch"),
        (lambda d: d.update(fiscal_year="2024"), "$.fiscal_year"),
        (lambda d: d["nodes"][0].update(level="item"), "$.nodes[0].children[0]"),
        (lambda d: d["nodes"][0]["children"][0].update(key="１"), "key"),
        (lambda d: d["nodes"][0]["children"][0].update(group="総務"), "group"),
        (lambda d: d["nodes"][0]["children"][0]["kpis"][0].update(target="98.4"), "target"),
        (
            lambda d: d["nodes"][0]["children"][0]["kpis"][0].update(last_year_actual="９８．４"),
            "last_year_actual",
        ),
        (
            lambda d: d["nodes"][0]["children"][0]["kpis"][0].update(last_year_actual=98.4),
            "last_year_actual",
        ),
        (lambda d: d["nodes"][0]["children"][0]["kpis"][0].update(direction="more"), "direction"),
        (lambda d: d["reports"][0]["entries"][0].update(mark="S"), "mark"),
        (lambda d: d["reports"][0]["entries"][0].update(node="9.9"), "node"),
        (lambda d: d["reports"][0]["measurements"][0].update(as_of="2024/06"), "as_of"),
        (lambda d: d["reports"][0]["measurements"][0].update(kpi="nope"), "kpi"),
        (lambda d: d["reports"][0]["measurements"][0].update(national_rank=48), "national_rank"),
        (lambda d: d["reports"].append(copy.deepcopy(d["reports"][0])), "$.reports"),
        # Longer than PlanDesk stores (desktop/domain/limits.py).
        (
            lambda d: d["reports"][0]["entries"][0].update(status_text="あ" * 5_001),
            "$.reports[0].entries[0].status_text: Status text is too long (5,001",
        ),
        (
            lambda d: d["nodes"][0]["children"][0].update(footnotes=["※"] * 11),
            "footnotes: Too many",
        ),
        (lambda d: d.update(title="題" * 201), "$.title: Plan title is too long"),
        (
            lambda d: d["nodes"][0]["children"][0]["kpis"][0].update(judged_decimals=7),
            "kpis[0].judged_decimals",
        ),
        (
            lambda d: d["nodes"][0]["children"][0]["kpis"][0].update(judged_decimals="1"),
            "kpis[0].judged_decimals",
        ),
        (
            lambda d: d["nodes"][0]["children"][0]["kpis"][0].update(name="名" * 301),
            "kpis[0].name: KPI name is too long",
        ),
    ],
)
def test_faults_are_named(mutate, where):
    doc = _minimal()
    mutate(doc)
    with pytest.raises(PlanDocumentError) as err:
        from_document(doc)
    assert where in str(err.value)


def test_the_printed_precision_rule_is_optional_and_round_trips():
    """Written only when a KPI has it: documents without it read as before."""
    doc = _minimal()
    assert from_document(doc).kpis[0].judged_decimals is None
    doc["nodes"][0]["children"][0]["kpis"][0]["judged_decimals"] = 0
    plan = from_document(doc)
    assert plan.kpis[0].judged_decimals == 0
    assert to_document(plan) == doc


def test_reference_figures_and_their_sources_are_optional_and_round_trip():
    """Issue 15 item 3: the year before's actual, last year's national figures, where
    each came from, and national figures the branch typed. Written only when present."""
    doc = _minimal()
    plan = from_document(doc)
    assert plan.kpis[0].prior_year_actual is None
    assert plan.reports[0].benchmarks[0].source is Source.PACK
    kpi = doc["nodes"][0]["children"][0]["kpis"][0]
    kpi.update(
        last_year_source="typed",
        prior_year_actual="97.10",
        prior_year_source="rollover",
        last_year_national_average="95.5",
        last_year_national_rank=12,
    )
    doc["reports"][0]["measurements"][0]["national_source"] = "typed"
    plan = from_document(doc)
    k = plan.kpis[0]
    assert (k.last_year_source, k.prior_year_source) == (Source.TYPED, Source.ROLLOVER)
    assert (k.prior_year_actual, k.last_year_national_rank) == (Decimal("97.10"), 12)
    assert plan.reports[0].benchmarks[0].source is Source.TYPED
    assert to_document(plan) == doc
    for field, bad in (("last_year_source", "pack"), ("last_year_national_rank", 48)):
        wrong = copy.deepcopy(doc)
        wrong["nodes"][0]["children"][0]["kpis"][0][field] = bad
        with pytest.raises(PlanDocumentError, match=field):
            from_document(wrong)


def test_bundled_files_exist():
    names = {p.name for p in BUNDLED}
    assert {"tokyo_2023.json", "tokyo_2024.json", "hq_2025.json"} <= names


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.name)
def test_bundled_file_loads_and_is_canonical(path):
    plan = load_plan_file(path)
    assert plan.nodes
    # The file is exactly what the writer produces: no stray or missing fields.
    assert to_document(plan) == json.loads(path.read_text(encoding="utf-8"))
