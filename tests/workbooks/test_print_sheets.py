"""The sheets for people: names and order, headings, marks, print setup, KPI
texts, text kept as text, work-file scope."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from desktop.domain.model import Benchmark, PeriodKind, Plan
from desktop.services.plans import bundled_plan
from desktop.workbooks.machine import Kind, Manifest, WorkbookData
from desktop.workbooks.print_sheets import (
    COVER_SHEET,
    DIGEST_NOTE,
    KPI_SHEET,
    PLAN_SHEET,
    REPORT_SHEETS,
    display_width,
    line_count,
    split_for_rows,
)
from desktop.workbooks.writer import build_workbook, write_workbook

REPORT = REPORT_SHEETS[PeriodKind.MIDYEAR]
STAMP = datetime(2024, 10, 15, 5, 3, tzinfo=UTC)  # 14:03 in Tokyo


@pytest.fixture(scope="module")
def plan() -> Plan:
    return bundled_plan("plans/tokyo_2024.json")


def _data(plan: Plan, kind: Kind = Kind.SUBMISSION, **manifest: object) -> WorkbookData:
    period = plan.reports[0].period if plan.reports else None
    fields = {
        "kind": kind,
        "branch": plan.branch,
        "fiscal_year": plan.fiscal_year,
        "period": period,
        "app_version": "test",
        "created_by": "企画総務 佐藤",
        "created_at": STAMP,
    } | manifest
    return WorkbookData(manifest=Manifest(**fields), plan=plan)


def _visible(wb) -> list[str]:
    return [ws.title for ws in wb.worksheets if ws.sheet_state == "visible"]


def _texts(ws) -> list[str]:
    return [c.value for row in ws.iter_rows() for c in row if isinstance(c.value, str)]


def _find(ws, predicate):
    for row in ws.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and predicate(cell.value):
                return cell
    raise AssertionError("no such cell")


def _column(ws, title: str) -> int:
    """The column whose header says ``title``."""
    return _find(ws, lambda v: v == title).column


def _with_entry(plan: Plan, node_key: str, **changes: object) -> Plan:
    report = plan.reports[0]
    entries = tuple(replace(e, **changes) if e.node_key == node_key else e for e in report.entries)
    return replace(plan, reports=(replace(report, entries=entries),))


def test_sheet_names_and_order(plan):
    wb, _ = build_workbook(_data(plan))
    assert _visible(wb) == [COVER_SHEET, REPORT, KPI_SHEET]
    assert wb.sheetnames[:3] == [COVER_SHEET, REPORT, KPI_SHEET]

    template = replace(plan, reports=())
    wb, _ = build_workbook(_data(template, Kind.TEMPLATE))
    assert _visible(wb) == [COVER_SHEET, PLAN_SHEET, KPI_SHEET]

    annual = replace(plan, reports=(replace(plan.reports[0], period=PeriodKind.ANNUAL),))
    wb, _ = build_workbook(_data(annual))
    assert _visible(wb)[1] == REPORT_SHEETS[PeriodKind.ANNUAL] == "事業報告"


def test_report_table_has_column_and_plan_headings(plan):
    wb, _ = build_workbook(_data(plan))
    ws = wb[REPORT]
    header = ws.print_title_rows.split(":")[0].lstrip("$")
    assert [ws.cell(int(header), c).value for c in range(1, 5)] == [
        "事業計画",
        "実施状況",
        "評価",
        "今後の実施予定等",
    ]
    merged = {str(r) for r in ws.merged_cells.ranges}
    for title in ("１．基盤的保険者機能の盤石化", "Ⅰ．健全な財政運営", "（２）サービス水準の向上"):
        cell = _find(ws, lambda v, t=title: v.startswith(t))
        assert cell.font.b, title
        assert f"A{cell.row}:D{cell.row}" in merged, title
    pillar = _find(ws, lambda v: v.startswith("２．戦略的保険者機能"))
    assert any(b.id == pillar.row - 1 for b in ws.row_breaks.brk)


def test_item_row_has_plan_status_mark_and_next_steps(plan):
    wb, _ = build_workbook(_data(plan))
    ws = wb[REPORT]
    cell = _find(ws, lambda v: v.startswith("①支部評議会での保険料率に関する議論"))
    node = plan.node("1.I.1")
    entry = next(e for e in plan.reports[0].entries if e.node_key == "1.I.1")
    assert node.plan_text in cell.value
    assert ws.cell(cell.row, 2).value == entry.status_text
    mark = ws.cell(cell.row, 3)
    assert mark.value == entry.mark == "○"
    assert mark.alignment.horizontal == "center"
    assert mark.font.sz > ws.cell(cell.row, 2).font.sz
    assert ws.cell(cell.row, 4).value == entry.next_steps
    assert ws.cell(cell.row, 2).alignment.wrap_text
    assert ws.cell(cell.row, 2).alignment.vertical == "top"
    # Rows grow with their text: LibreOffice and Excel do not do it for us.
    assert ws.row_dimensions[cell.row].height >= 3 * 14


def test_print_setup_on_every_sheet(plan):
    wb, _ = build_workbook(_data(plan))
    for title in _visible(wb):
        ws = wb[title]
        assert ws.page_setup.orientation == "landscape", title
        assert ws.page_setup.paperSize == 9, title  # A4
        assert ws.page_setup.fitToWidth == 1, title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, title
        assert "&P / &N ページ" in ws.oddFooter.center.text, title
        assert "東京支部" in ws.oddHeader.left.text, title
        assert "上期" in ws.oddHeader.right.text, title
    for title in (REPORT, KPI_SHEET):
        ws = wb[title]
        assert ws.page_setup.fitToHeight == 0
        first, last = ws.print_title_rows.replace("$", "").split(":")
        assert first == last
        assert ws.freeze_panes == f"A{int(first) + 1}"


def test_print_setup_survives_the_file(plan, tmp_path):
    path = tmp_path / "submission.xlsx"
    write_workbook(_data(plan), path)
    wb = load_workbook(path)
    ws = wb[KPI_SHEET]
    assert ws.page_setup.orientation == "landscape"
    assert ws.page_setup.paperSize == 9  # A4
    assert ws.print_title_rows
    assert ws.sheet_properties.pageSetUpPr.fitToPage


def test_kpi_table_resolves_prev_year_targets(plan):
    wb, _ = build_workbook(_data(plan))
    ws = wb[KPI_SHEET]
    name = _find(ws, lambda v: "現金給付等の申請に係る郵送化率" in v)
    assert ws.cell(name.row, 3).value == "対前年度以上（98.4％）"
    assert ws.cell(name.row, 4).value == "98.2％"
    assert ws.cell(name.row, 5).value == "令和6年6月時点"
    assert "未達成" in ws.cell(name.row, 6).value
    fixed = _find(ws, lambda v: "一般競争入札に占める一者応札案件の割合" in v)
    assert ws.cell(fixed.row, 3).value == "15％以下"


def test_kpi_table_shows_national_figures_when_published(plan):
    report = plan.reports[0]
    kpi = plan.kpis[1]
    with_benchmarks = replace(
        plan,
        reports=(replace(report, benchmarks=(Benchmark(kpi.key, Decimal("97.1"), 19, 47),)),),
    )
    wb, _ = build_workbook(_data(with_benchmarks))
    ws = wb[KPI_SHEET]
    assert "全国平均" in _texts(ws)
    name = _find(ws, lambda v: kpi.name in v)
    assert ws.cell(name.row, _column(ws, "全国平均")).value == "97.1％"
    assert ws.cell(name.row, _column(ws, "全国順位")).value == "全国19位"
    plain, _ = build_workbook(_data(plan))
    assert "全国平均" not in _texts(plain[KPI_SHEET])


def test_report_table_kpi_rows_print_last_years_actual_and_national_figures(plan):
    """Under each KPI's actual: 前年度実績 (also under a fixed target, where the
    target does not name it) and the national average and rank where held."""
    report = plan.reports[0]
    kpi = next(k for k in plan.kpis if k.name == "現金給付等の申請に係る郵送化率")
    fixed = next(k for k in plan.kpis if k.name == "一般競争入札に占める一者応札案件の割合")
    held = replace(fixed, last_year_actual=Decimal("3.5"))  # a fixed target: 15％以下
    with_benchmarks = replace(
        plan,
        kpis=tuple(held if k.key == fixed.key else k for k in plan.kpis),
        reports=(replace(report, benchmarks=(Benchmark(kpi.key, Decimal("97.1"), 19, 47),)),),
    )
    wb, _ = build_workbook(_data(with_benchmarks))
    ws = wb[REPORT]
    rows = [v for v in _texts(ws) if v.startswith("■ KPI：") and "時点" in v]
    mail = next(v for v in rows if "98.2％（令和6年6月時点）" in v)
    assert "前年度実績 98.4％\n　全国平均 97.1％　全国19位" in mail  # last year's, then 全国
    assert any("0％（令和6年5月時点）　✔ 達成\n　前年度実績 3.5％" in v for v in rows)
    plain, _ = build_workbook(_data(plan))
    assert not any("全国平均" in v for v in _texts(plain[REPORT]))


def test_text_starting_with_equals_stays_text(plan, tmp_path):
    evil = '=HYPERLINK("http://example.invalid","click")'
    changed = _with_entry(plan, "1.I.1", status_text=evil, next_steps="+1 -2")
    data = _data(changed, created_by="@SUM(1)")
    wb, _ = build_workbook(data)
    ws = wb[REPORT]
    cell = _find(ws, lambda v: v == evil)
    assert cell.data_type == "s"
    assert cell.quotePrefix
    assert cell.alignment.wrap_text  # the style is kept with the prefix

    path = tmp_path / "evil.xlsx"
    write_workbook(data, path)
    reread = load_workbook(path)
    cell = _find(reread[REPORT], lambda v: v == evil)
    assert cell.data_type == "s"
    assert cell.quotePrefix
    steps = _find(reread[REPORT], lambda v: v == "+1 -2")
    assert steps.quotePrefix and steps.data_type == "s"
    creator = _find(reread[COVER_SHEET], lambda v: v == "@SUM(1)")
    assert creator.quotePrefix and creator.data_type == "s"


def test_work_file_shows_only_its_sections(plan):
    data = _data(plan, Kind.WORK, sections=("1.II.2",))
    wb, _ = build_workbook(data)
    report = _texts(wb[REPORT])
    assert any(v.startswith("①迅速な業務処理とサービススタンダードの遵守") for v in report)
    assert any(v.startswith("（２）サービス水準の向上") for v in report)
    assert any(v.startswith("１．基盤的保険者機能の盤石化") for v in report)  # the way there
    assert not any(v.startswith("①支部評議会での保険料率に関する議論") for v in report)
    assert not any(v.startswith("２．戦略的保険者機能") for v in report)
    kpis = " ".join(_texts(wb[KPI_SHEET]))
    assert "サービススタンダードの達成状況" in kpis
    assert "生活習慣病予防健診実施率" not in kpis
    cover = _texts(wb[COVER_SHEET])
    assert "作業ファイル" in cover
    assert "（２）サービス水準の向上" in cover  # what the file carries


def test_cover_names_branch_year_period_sign_off_and_digest(plan):
    data = _data(plan, signed_off_by="yamada", signed_off_name="支部長 山田", signed_off_at=STAMP)
    wb, data = build_workbook(data)
    ws = wb[COVER_SHEET]
    texts = _texts(ws)
    assert any("13" in v and "東京支部" in v for v in texts)
    assert any("令和6年度" in v and "2024" in v for v in texts)
    assert any("上期（進捗状況）" in v and "令和6年6月時点" in v for v in texts)
    assert "支部長 山田　2024年10月15日 14:03" in texts
    digest = _find(ws, lambda v: v == data.manifest.digest)
    assert len(data.manifest.digest) == 64
    assert digest.font.sz < 10
    assert DIGEST_NOTE in texts
    unsigned, _ = build_workbook(_data(plan))
    assert "未決裁" in _texts(unsigned[COVER_SHEET])


def test_cover_prints_peoples_names_and_the_kind_in_japanese(plan):
    """People read names, not logins; the logins stay in the data for the audit
    trail. The pages are Japanese: 提出版, not 提出版（Submission） (issue 12 B22)."""
    data = _data(
        plan,
        created_by="planner13",
        created_name="企画総務グループ 佐藤 花子",
        signed_off_by="yamada",
        signed_off_name="支部長 山田 太郎",
        signed_off_at=STAMP,
    )
    wb, written = build_workbook(data)
    rows = {row[0].value: row[1].value for row in wb[COVER_SHEET].iter_rows() if row[0].value}
    assert rows["作成者"] == "企画総務グループ 佐藤 花子"
    assert rows["決裁"] == "支部長 山田 太郎　2024年10月15日 14:03"
    assert rows["種別"] == "提出版"
    texts = " ".join(_texts(wb[COVER_SHEET]))
    assert "planner13" not in texts and "yamada" not in texts and "Submission" not in texts
    assert written.manifest.created_by == "planner13"  # kept for the audit
    # A login is shown only when nobody knows the person's name.
    nameless, _ = build_workbook(_data(plan, created_by="planner13"))
    assert {r[0].value: r[1].value for r in nameless[COVER_SHEET].iter_rows()}["作成者"] == (
        "planner13"
    )


def test_template_shows_plan_texts_only(plan):
    template = replace(plan, reports=())
    wb, _ = build_workbook(_data(template, Kind.TEMPLATE))
    ws = wb[PLAN_SHEET]
    texts = _texts(ws)
    assert "実施状況" not in texts
    assert any(plan.node("1.I.1").plan_text in v for v in texts)
    kpi = _texts(wb[KPI_SHEET])
    assert "前年度実績" in kpi
    assert "対前年度以上（98.4％）" in kpi


def test_display_width_and_line_estimate():
    assert display_width("abc") == 3
    assert display_width("東京") == 4
    assert display_width("①") == 2  # ambiguous width is wide in Japanese fonts
    assert line_count("", 50) == 1
    assert line_count("あ" * 200, 50) > line_count("a" * 200, 50)
    assert line_count("一行目\n二行目\n三行目", 50) == 3


def test_text_taller_than_a_row_goes_on_below():
    text = "\n".join(f"・{i}行目の実施状況" + "あ" * 40 for i in range(60)) + "\n" + "い" * 3000
    pieces = split_for_rows(text, 56)
    assert len(pieces) > 1
    assert all(line_count(p, 56) * 15 <= 409 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
    assert split_for_rows("短い", 56) == ["短い"]


def test_long_status_is_split_over_rows_without_loss(plan):
    long_text = "\n".join("・" + "実施した。" * 30 for _ in range(20))
    wb, _ = build_workbook(_data(_with_entry(plan, "1.I.1", status_text=long_text)))
    ws = wb[REPORT]
    start = _find(ws, lambda v: v.startswith("①支部評議会での保険料率に関する議論")).row
    rows = range(start, start + 10)
    parts = [ws.cell(r, 2).value for r in rows if ws.cell(r, 2).value]
    joined = "".join(p for p in parts if "実施した。" in p)
    assert joined.replace("\n", "") == long_text.replace("\n", "")
    assert all(ws.row_dimensions[r].height <= 409 for r in rows)
    assert ws.cell(start, 3).value == "○"


def test_the_longest_allowed_texts_print_whole_and_longer_joins_are_cut(plan: Plan, tmp_path):
    """Within the domain's limits every printed cell holds its whole text, even in
    characters Excel counts twice; a joined text past Excel's limit (only data
    from before the limits) would be cut for print with a note."""
    from desktop.domain import limits
    from desktop.workbooks.print_sheets import _fit
    from desktop.workbooks.reader import read_workbook

    report = plan.reports[0]
    wide = "😀"  # two UTF-16 units: the most a printed character takes
    key = report.entries[3].node_key
    entries = [
        replace(
            e,
            status_text=wide * limits.STATUS_TEXT.limit,
            mark_reason=wide * limits.MARK_REASON.limit,
            next_steps=wide * limits.NEXT_STEPS.limit,
        )
        if e.node_key == key
        else e
        for e in report.entries
    ]
    nodes = [
        replace(
            n,
            title=wide * limits.NODE_TITLE.limit,
            plan_text=wide * limits.PLAN_TEXT.limit,
            importance=wide * limits.TAG_REASON.limit,
            difficulty=wide * limits.TAG_REASON.limit,
            footnotes=(wide * limits.FOOTNOTE.limit,) * limits.FOOTNOTE.max_items,
        )
        if n.key == key
        else n
        for n in plan.nodes
    ]
    plan = replace(plan, nodes=tuple(nodes), reports=(replace(report, entries=tuple(entries)),))
    path = tmp_path / "long.xlsx"
    write_workbook(_data(plan), path)
    assert read_workbook(path).plan == plan  # the data keeps every character
    printed = _texts(load_workbook(path)[REPORT])
    assert not any(t.endswith("保存されています）") for t in printed)
    fitted = _fit("い" * 40_000)
    assert len(fitted) <= 32_767 and fitted.endswith("保存されています）")
    assert _fit("短い") == "短い"


@pytest.mark.parametrize(("kind", "heading"), [("STATUS_TEXT", "実施状況"), ("NEXT_STEPS", "今後")])
def test_the_length_hint_of_the_form_is_what_one_printed_cell_holds(plan, kind, heading):
    """The form hints from a kind's print_hint on: a text that long still prints in
    one row of its column of the printed report, and not much more would."""
    from openpyxl.utils import get_column_letter

    from desktop.domain import limits

    wb, _ = build_workbook(_data(plan))
    ws = wb[REPORT]
    cell = _find(ws, lambda text: text.startswith(heading))
    width = ws.column_dimensions[get_column_letter(cell.column)].width
    hint = getattr(limits, kind).print_hint
    assert len(split_for_rows("あ" * hint, width)) == 1
    assert len(split_for_rows("あ" * int(hint * 1.1), width)) == 2
