"""Render the main screens on the demo data to PNG (docs/screenshots/).

Runs offscreen; Japanese glyphs need a CJK font (Debian: fonts-noto-cjk).
Usage: QT_QPA_PLATFORM=offscreen .venv/bin/python tools/render_screenshots.py [OUT_DIR]
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from desktop.domain.model import Group, PeriodKind
from desktop.domain.review import Role
from desktop.services import branch_targets, editing, plans, review
from desktop.ui.controller import ReportController
from desktop.ui.i18n import install_translators
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import Settings


def main() -> int:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("docs/screenshots")
    out.mkdir(parents=True, exist_ok=True)
    app = QApplication.instance() or QApplication(sys.argv)
    app.setFont(QFont("Noto Sans CJK JP", 10))
    install_translators(app, "ja")
    with tempfile.TemporaryDirectory() as tmp:
        db = plans.init_database(Path(tmp) / "demo.sqlite3")
        plans.install_demo(db, actor="demo")
        # People first: the status bar of every shot shows who is at the PC.
        review.add_user(db, login="demo", display_name="鈴木 一郎", role=Role.ADMIN, password="pw")
        review.add_user(
            db, login="sato", display_name="佐藤 花子", role=Role.STAFF, group=Group.OPERATIONS,
            admin_login="demo", admin_password="pw",
        )  # fmt: skip
        settings = Settings(QSettings(str(Path(tmp) / "s.ini"), QSettings.Format.IniFormat))
        settings.set_last_report("demo", f"13/2024/{PeriodKind.MIDYEAR.value}")
        window = MainWindow(ReportController(db, "demo", "ja"), settings)
        window.resize(1600, 1000)
        window.show()
        app.processEvents()
        shots = {
            "main-window-receipt-check.png": "1.II.4",
            "main-window-service-level.png": "1.II.2",
            "main-window-checkups.png": "2.II.2",
        }
        for name, key in shots.items():
            plan = window.controller.snapshot.plan
            target = key if any(n.key == key for n in plan.nodes) else plan.nodes[0].key
            window.show_section(target)
            app.processEvents()
            window.grab().save(str(out / name))
            print(out / name)
        # The suggested mark and the figures behind it: an item under （２）サービス水準の向上,
        # whose two KPIs are one met, one short.
        window.show_section(window.controller.snapshot.plan.children("1.II.2")[0].key)
        window.form.suggestion_why.setChecked(True)
        app.processEvents()
        window.form.ensureWidgetVisible(window.form.suggestion_details)
        app.processEvents()
        window.grab().save(str(out / "section-suggested-mark.png"))
        print(out / "section-suggested-mark.png")
        # The dashboard, on 郵送化率; then FY2023's check-up rate chart (judged by pace).
        window.tabs.setCurrentIndex(1)
        app.processEvents()
        post = next(k.key for k in window.controller.snapshot.plan.kpis if "郵送化率" in k.name)
        window.dashboard.select_kpi(post)
        app.processEvents()
        window.grab().save(str(out / "dashboard.png"))
        print(out / "dashboard.png")
        window.year_combo.setCurrentIndex(window.year_combo.findData(2023))
        window._open_selected()
        window.tabs.setCurrentIndex(0)
        window.show_section("2.1.i")
        app.processEvents()
        window.form.verticalScrollBar().setValue(window.form.verticalScrollBar().maximum())
        app.processEvents()
        window.grab().save(str(out / "section-chart-fy2023-checkups.png"))
        window.form.kpi_chart.export_png(out / "chart-fy2023-checkup-rate.png")
        print(out / "section-chart-fy2023-checkups.png")
        # Review: people, two submitted sections, one edited since its approval.
        ref = window.controller.snapshot.ref
        editing.set_entry_field(db, ref, "1.4", "status_text", "文書照会を実施。", actor="sato")
        review.submit(db, ref, ["1.4"], login="sato")
        review.approve(db, ref, ["1.4"], login="demo", password="pw")
        review.reopen(db, ref, "1.4", login="demo", password="pw", reason="件数の追記")
        editing.set_entry_field(
            db, ref, "1.4", "status_text", "文書照会を9,073件実施（令和5年上期）。", actor="sato"
        )
        review.submit(db, ref, ["1.2"], login="sato")
        review.submit(db, ref, ["1.3"], login="sato")
        review.add_comment(db, ref, "1.4", login="demo", text="件数の出典を確認します。")
        window.controller.load(ref)
        window.tabs.setCurrentWidget(window.review)
        # Approved on the screen: the confirmation, the next section, and what still
        # keeps the report from being signed off.
        window.review.ask_password = lambda _who: "pw"
        window.review.queue.setCurrentRow(0)
        window.review._approve()
        app.processEvents()
        window.grab().save(str(out / "review.png"))
        print(out / "review.png")
        viewer = window.show_audit_trail()
        viewer.resize(1280, 560)
        app.processEvents()
        viewer.grab().save(str(out / "audit-trail.png"))
        print(out / "audit-trail.png")
        viewer.close()
        # People: the users dialog (an administrator's view) and switching user.
        admin = {"admin_login": "demo", "admin_password": "pw"}
        for login, name, role, group in (
            ("suzuki", "鈴木 次郎", Role.SUPERVISOR, Group.OPERATIONS),
            ("takahashi", "高橋 美咲", Role.SUPERVISOR, Group.HEALTH),
            ("tanaka", "田中 誠", Role.BRANCH_HEAD, None),
            ("ito", "伊藤 健", Role.STAFF, Group.CLAIMS),
        ):
            review.add_user(
                db, login=login, display_name=name, role=role, group=group, password="pw", **admin
            )
        review.set_active(db, "ito", False, **admin)
        users = window.show_users()
        users.select("suzuki")
        users.message.setText(
            users.tr("Changed {who}.").format(who="鈴木 次郎（グループ長・業務）")
        )
        users.message.setStyleSheet("color: #1e6b34;")
        app.processEvents()
        users.grab().save(str(out / "users.png"))
        print(out / "users.png")
        users.close()
        switch = window.switch_user()
        switch.person.setCurrentIndex(switch.person.findData("suzuki"))
        switch.password.setText("pw")
        app.processEvents()
        switch.grab().save(str(out / "switch-user.png"))
        print(out / "switch-user.png")
        switch.accept()  # signs in as 鈴木: the status bar shows the new person
        window.tabs.setCurrentIndex(0)
        window.show_section("1.4")
        app.processEvents()
        window.grab().save(str(out / "main-window-switched-user.png"))
        print(out / "main-window-switched-user.png")
        _exchange_shots(app, window, out, Path(tmp))
        _planning_shots(app, window, out)
        targets_shot(app, window, out)
        window.close()
        _plan_editor_shots(app, db, settings, out)
        _hq_template_shots(app, db, settings, out)
        db.close()
        _sign_again_shots(app, out, Path(tmp))
        sign_again_at_export_shots(app, out, Path(tmp))
        _hq_sign_shot(app, out, Path(tmp) / "hq")
    return 0


def hq_sign_shot_alone(out: Path) -> None:
    """Only the shot of HQ's passphrase over the board (its own demo folder)."""
    from desktop.services.demo_submissions import write_demo_submissions

    app = QApplication.instance() or QApplication(sys.argv)
    app.setFont(QFont("Noto Sans CJK JP", 10))
    install_translators(app, "ja")
    with tempfile.TemporaryDirectory() as tmp:
        share = Path(tmp) / "hq"
        write_demo_submissions(share)
        _hq_sign_shot(app, out, share)


def _hq_sign_shot(app: QApplication, out: Path, share: Path) -> None:
    """HQ's board on a PC holding HQ's signing key: writing the national workbook asks
    HQ's passphrase (the dialog drawn over the board, where it opens)."""
    from PySide6.QtCore import QPoint
    from PySide6.QtGui import QColor, QPainter

    from desktop.services import signing_keys
    from desktop.ui.hq_board import HqBoard

    keys = share.parent / "hq-pc" / "keys"
    # A low scrypt cost: the picture does not need PlanDesk's own.
    cost = signing_keys.KdfCost(n=2**12)
    hq = signing_keys.create_key(keys, "00", "hq-passphrase", cost=cost)
    board = HqBoard("demo", "ja", str(share), keys=keys)
    board.resize(1280, 900)
    board.show()
    board.scan()
    board.files.setCurrentCell(0, 0)
    dialog = board.passphrase_dialog(True, hq)
    dialog.passphrase.setText("hq-pass")  # shown as dots, as while typing
    dialog.show()
    app.processEvents()
    picture = board.grab()
    over = dialog.grab()
    painter = QPainter(picture)
    painter.fillRect(picture.rect(), QColor(0, 0, 0, 40))  # the board behind a modal dialog
    at = QPoint((picture.width() - over.width()) // 2, (picture.height() - over.height()) // 3)
    # Offscreen windows have no frame: a plain title bar, so the dialog's title shows.
    bar = 26
    painter.fillRect(at.x(), at.y() - bar, over.width(), bar, QColor("#e4e4e4"))
    painter.setPen(QColor("#222222"))
    painter.drawText(at.x() + 10, at.y() - 8, dialog.windowTitle())
    painter.drawPixmap(at, over)
    painter.setPen(QColor("#777777"))
    painter.drawRect(at.x() - 1, at.y() - bar - 1, over.width() + 1, over.height() + bar + 1)
    painter.end()
    picture.save(str(out / "hq-board-sign.png"))
    print(out / "hq-board-sign.png")
    dialog.close()
    board.close()


def _signed_off_demo(tmp: Path, name: str) -> tuple[object, object]:
    """A demo database whose branch 13 midyear report 田中 (branch head) signed off
    without a signature (no key on this PC then); the database and the report."""
    from desktop.domain.model import ReportRef

    db = plans.init_database(tmp / name / "demo.sqlite3")
    plans.install_demo(db, actor="demo")
    review.add_user(db, login="admin", display_name="管理", role=Role.ADMIN, password="pw")
    admin = {"admin_login": "admin", "admin_password": "pw"}
    review.add_user(db, login="tanaka", display_name="田中 誠", role=Role.BRANCH_HEAD,
                    password="pw", **admin)  # fmt: skip
    review.add_user(db, login="sato", display_name="佐藤 花子", role=Role.STAFF, **admin)
    ref = ReportRef("13", 2024, PeriodKind.MIDYEAR)
    open_keys = [k for k, s in review.section_states(db, ref).items() if not s.settled]
    review.submit(db, ref, open_keys, login="sato")
    review.approve(db, ref, open_keys, login="tanaka", password="pw")
    review.sign_off(db, ref, login="tanaka", password="pw")
    return db, ref


def _head_window(app: QApplication, db: object, ref: object, tmp: Path) -> MainWindow:
    settings = Settings(QSettings(str(tmp / "signed.ini"), QSettings.Format.IniFormat))
    settings.set_last_report("tanaka", ref.key)
    settings.exchange_folder = str(tmp)
    window = MainWindow(ReportController(db, "tanaka", "ja"), settings)
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    return window


# A low scrypt cost for the pictures: they do not need PlanDesk's own.
SHOT_COST = 2**12


def _sign_again_shots(app: QApplication, out: Path, tmp: Path) -> None:
    """The review tab of a report signed off before the branch PC had a signing key:
    "Sign the submission…" offered; then signed, the key's fingerprint shown."""
    from desktop.services import signing_keys

    db, ref = _signed_off_demo(tmp, "signed")
    cost = signing_keys.KdfCost(n=SHOT_COST)
    signing_keys.create_key(signing_keys.keys_dir(db.path), "13", "passphrase-13", cost=cost)
    window = _head_window(app, db, ref, tmp)
    window.tabs.setCurrentWidget(window.review)
    app.processEvents()
    window.grab().save(str(out / "review-sign-submission.png"))
    print(out / "review-sign-submission.png")
    window.review.ask_passphrase = lambda _create: "passphrase-13"
    window.review.sign_button.click()
    app.processEvents()
    window.grab().save(str(out / "review-submission-signed.png"))
    print(out / "review-submission-signed.png")
    window.close()
    db.close()


def sign_again_at_export_shots(app: QApplication, out: Path, tmp: Path) -> None:
    """A submission signed by this PC's key under an older PlanDesk's print layout (2;
    this PlanDesk prints layout 3 — what an update does): the review tab says the
    signature no longer fits, and the export dialog, refused, offers the branch head
    to sign again and write it."""
    from dataclasses import replace
    from unittest.mock import patch

    from desktop.services import signing_keys, submission_signing

    db, ref = _signed_off_demo(tmp, "outdated")
    keys = signing_keys.keys_dir(db.path)
    signing_keys.create_key(keys, "13", "passphrase-13", cost=signing_keys.KdfCost(n=SHOT_COST))
    today = submission_signing.prepare_export

    def as_layout_2(*args: object, **kwargs: object) -> object:
        # The older PlanDesk cannot run here: its layout is what build_pages still lays
        # out for a file naming layout 2 (as tests/helpers/older_layout.py does).
        prepared = today(*args, **kwargs)
        manifest = replace(prepared.data.manifest, print_layout=2)
        return replace(prepared, data=replace(prepared.data, manifest=manifest))

    with patch.object(submission_signing, "prepare_export", as_layout_2):
        submission_signing.sign_again(
            db, ref, login="tanaka", passphrase="passphrase-13", keys=keys
        )
    window = _head_window(app, db, ref, tmp)
    window.tabs.setCurrentWidget(window.review)
    app.processEvents()
    window.grab().save(str(out / "review-signature-outdated.png"))
    print(out / "review-signature-outdated.png")
    dialog = window.export_workbook()
    dialog.write()  # refused: the offer to sign again
    app.processEvents()
    dialog.grab().save(str(out / "export-sign-again.png"))
    print(out / "export-sign-again.png")
    dialog.reject()
    window.close()
    db.close()


def targets_shot(app: QApplication, window: MainWindow, out: Path) -> None:
    """HQ's grid of targets per branch, with a few branches' own targets and cells
    left to the branch (Plan ▸ Targets per branch…)."""
    texts = {
        ("01", "2.II.2.k2"): "60.0", ("01", "2.II.2.k3"): "支部設定",
        ("02", "2.II.2.k2"): "61.5％以上", ("02", "2.II.2.k1"): "対前年度末以上",
        ("03", "2.II.2.k3"): "10.0", ("04", "2.II.2.k4"): "対前年度以上",
        ("05", "2.II.2.k2"): "支部設定", ("05", "2.II.2.k3"): "支部設定",
    }  # fmt: skip
    window.controller.run(
        lambda db: branch_targets.set_branch_targets(db, 2025, texts, actor="demo")
    )
    grid = window.show_branch_targets()
    assert grid is not None
    grid.resize(1500, 640)
    grid.view.horizontalScrollBar().setValue(grid.view.columnViewportPosition(6))
    grid.view.setCurrentIndex(grid.model.index(6, 6))
    app.processEvents()
    grid.grab().save(str(out / "branch-targets-grid.png"))
    print(out / "branch-targets-grid.png")
    grid.close()


def _plan_editor_shots(app: QApplication, db: object, settings: Settings, out: Path) -> None:
    """The planning window (Plan ▸ Edit plan…) on 茨城支部's FY2025 plan from HQ's
    template, with a section and a KPI of its own (支部独自)."""
    from desktop.services import plan_editing, plan_exchange
    from desktop.services.changes import PlanRef, StructureChanged

    plan_exchange.new_plan(db, "08", 2025, actor="demo")
    ibaraki = PlanRef("08", 2025)
    added = plan_editing.add_node(
        db, ibaraki, "2", title="県と協働した健康づくりの推進", label="Ⅴ．", actor="demo"
    )
    section = added.one(StructureChanged).key
    plan_editing.set_node_field(
        db, ibaraki, section, "plan_text",
        "・茨城県・市町村と協働し、健康づくり講座を県内各地で開催する。\n"
        "・講座の参加者に特定健診の受診を勧奨する。", actor="demo",
    )  # fmt: skip
    plan_editing.set_node_field(db, ibaraki, section, "group", "保健", actor="demo")
    draft = plan_editing.KpiDraft(name="健康づくり講座の開催回数", unit="回", target="12")
    plan_editing.add_kpi(db, ibaraki, section, draft, actor="demo")
    # A multi-year goal (データヘルス計画): its baseline and goal year show with the kind.
    draft = plan_editing.KpiDraft(name="講座参加者の特定健診受診率", unit="％", decimals=1)
    kpi = plan_editing.add_kpi(db, ibaraki, section, draft, actor="demo")
    plan_editing.set_kpi_fields(
        db, ibaraki, kpi.one(StructureChanged).key,
        {"target_kind": "multi_year", "baseline_year": 2023, "baseline_value": "50.0",
         "goal_year": 2029, "target": "60.0"}, actor="demo",
    )  # fmt: skip
    settings.set_last_report("demo", f"08/2025/{PeriodKind.MIDYEAR.value}")
    window = MainWindow(ReportController(db, "demo", "ja"), settings)  # type: ignore[arg-type]
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    editor = window.edit_plan()
    assert editor is not None
    editor.resize(1400, 860)
    for name, key in (
        ("plan-editor-section.png", section),
        ("plan-editor-kpi.png", kpi.one(StructureChanged).key),
    ):
        editor.select(key)
        app.processEvents()
        editor.grab().save(str(out / name))
        print(out / name)
    # The plan's approval and reference figures, as tabs of the same window.
    from desktop.domain.reference import Field

    checkups = next(k.key for k in window.controller.snapshot.plan.kpis if "生活習慣病" in k.name)
    for field, text in ((Field.LAST_YEAR_ACTUAL, "64.8"), (Field.PRIOR_YEAR_ACTUAL, "63.2"),
                        (Field.NATIONAL_AVERAGE, "65.9"), (Field.NATIONAL_RANK, "全国31位")):  # fmt: skip
        window.controller.set_reference(checkups, field, text)
    for name, tab in (
        ("plan-editor-approval-tab.png", editor.approval_tab),
        ("plan-editor-reference-tab.png", editor.reference_tab),
    ):
        editor.tabs.setCurrentWidget(tab)
        if tab is editor.reference_tab:
            table = tab.ensure_built()
            table.view.setCurrentIndex(table.index_of(checkups, Field.NATIONAL_RANK))  # type: ignore[attr-defined]
            table.view.scrollTo(table.view.currentIndex())  # type: ignore[attr-defined]
        app.processEvents()
        editor.grab().save(str(out / name))
        print(out / name)
    editor.tabs.setCurrentIndex(0)
    window.show_section(section)
    app.processEvents()
    window.grab().save(str(out / "main-window-own-section.png"))
    print(out / "main-window-own-section.png")
    editor.close()
    window.close()


def _hq_template_shots(app: QApplication, db: object, settings: Settings, out: Path) -> None:
    """The planning window on HQ's FY2025 template (本部テンプレート, first in the branch
    picker): HQ's own controls (Add pillar, Targets per branch…, 'branches may add')."""
    settings.set_last_report("demo", "00/2025/planning")
    window = MainWindow(ReportController(db, "demo", "ja"), settings)  # type: ignore[arg-type]
    window.resize(1600, 1000)
    window.show()
    app.processEvents()
    editor = window.edit_plan()
    assert editor is not None
    editor.resize(1400, 860)
    plan = window.controller.snapshot.plan
    tagged = next(n.key for n in plan.nodes if n.importance and n.difficulty)
    checkups = next(k.key for k in plan.kpis if "特定健診" in k.name)
    for name, key in (("plan-editor-hq-section.png", tagged), ("plan-editor-hq-kpi.png", checkups)):
        editor.select(key)
        app.processEvents()
        editor.grab().save(str(out / name))
        print(out / name)
    editor.close()
    window.close()


def _exchange_shots(app: QApplication, window: MainWindow, out: Path, tmp: Path) -> None:
    """The export dialog, an import preview with a conflict, and the HQ board."""
    from desktop.services import exchange
    from desktop.services.demo_submissions import write_demo_submissions
    from desktop.store.database import open_database

    share = tmp / "share"
    share.mkdir()
    window.settings.exchange_folder = str(share)
    window.year_combo.setCurrentIndex(window.year_combo.findData(2024))
    window.period_combo.setCurrentIndex(window.period_combo.findData(PeriodKind.MIDYEAR.value))
    window._open_selected()
    export = window.export_workbook()
    for group, check in export.group_checks.items():
        check.setChecked(group is Group.HEALTH)
    app.processEvents()
    export.grab().save(str(out / "export-dialog.png"))
    print(out / "export-dialog.png")
    export.write()
    ref = editing.ReportRef("13", 2024, PeriodKind.MIDYEAR)
    with open_database(tmp / "group.sqlite3", create=True) as other:
        exchange.apply_import(
            other, exchange.preview_import(other, export.result_.path), actor="hoken"
        )
        editing.set_entry_field(
            other, ref, "2.II.3.i.1", "status_text",
            "支部内研修を２回開催し、本部の保健師を講師に招いた。参加者アンケートの満足度は92％。",
            actor="hoken",
        )  # fmt: skip
        editing.set_entry_field(
            other, ref, "2.II.3.i.2", "next_steps", "９月に３機関と追加契約の予定。", actor="hoken"
        )
        back = exchange.export_workbook(
            other, branch="13", fiscal_year=2024, period=PeriodKind.MIDYEAR,
            kind=exchange.Kind.WORK, out=share, actor="hoken",
            sections=[k for k in export.sections()],
        ).path  # fmt: skip
    editing.set_entry_field(
        window.controller.db, ref, "2.II.3.i.1", "status_text",
        "支部内研修を２回開催。本部の保健師を講師として招き、保健指導スキルの向上を図った。",
        actor="demo",
    )  # fmt: skip
    window.ask_open_file = lambda _title: str(back)
    preview = window.import_workbook()
    preview.table.selectRow(0)
    app.processEvents()
    preview.grab().save(str(out / "import-preview.png"))
    print(out / "import-preview.png")
    preview.reject()
    hq = tmp / "hq"
    paths = write_demo_submissions(hq)
    paths[4].unlink()
    paths[21].unlink()
    import openpyxl

    book = openpyxl.load_workbook(paths[26])
    book["_measurements"]["B3"].value = "99.9"
    book.save(paths[26])
    # Last year's files stay in the share: the board opens on the year most files
    # are for and says what the others are.
    write_demo_submissions(hq, fiscal_year=2023, branches=["01", "05", "13", "22", "40"])
    board = window.show_hq_board()
    board.folder.setText(str(hq))
    board.scan()
    board.resize(1280, 900)
    board.files.setCurrentCell(0, 0)
    app.processEvents()
    board.grab().save(str(out / "hq-board.png"))
    print(out / "hq-board.png")
    board.close()


def _planning_shots(app: QApplication, window: MainWindow, out: Path) -> None:
    """Plan ▸ Reference figures… with typed figures beside the plan's own, and Plan ▸
    Plan approval… on a plan reopened after its approval, with the changes since."""
    from desktop.domain.reference import Field

    window.set_user("demo")
    window.year_combo.setCurrentIndex(window.year_combo.findData(2024))
    window._open_selected()
    controller = window.controller
    post = next(k.key for k in controller.snapshot.plan.kpis if "郵送化率" in k.name)
    controller.set_reference(post, Field.PRIOR_YEAR_ACTUAL, "97.8")
    controller.set_reference(post, Field.NATIONAL_AVERAGE, "96.2")
    controller.set_reference(post, Field.NATIONAL_RANK, "全国12位")
    controller.set_reference(post, Field.LAST_YEAR_NATIONAL_RANK, "15")
    figures = window.show_reference_figures()
    assert figures is not None
    figures.resize(1500, 620)
    figures.table.view.setCurrentIndex(figures.table.index_of(post, Field.NATIONAL_RANK))
    app.processEvents()
    figures.grab().save(str(out / "reference-figures.png"))
    print(out / "reference-figures.png")
    figures.close()

    dialog = window.show_plan_status()
    assert dialog is not None
    widget = dialog.widget
    widget.ask_password = lambda _who: "pw"
    widget.ask_reason = lambda _title, _prompt: "KPIの目標値と取組内容を見直すため"
    widget.submit()
    widget.approve()
    widget.reopen()
    section = "2.II.3"
    node = controller.snapshot.plan.node(section)
    text = node.plan_text.replace("連携強化等", "連携強化及び受診勧奨", 1)
    controller.set_plan_text(section, text.replace("。", "。特に40歳代の受診勧奨を強化する。", 1))
    widget.show_notice(
        widget.tr("The plan is reopened: changes are shown against the approved plan.")
    )
    dialog.resize(1000, 330)
    app.processEvents()
    dialog.grab().save(str(out / "plan-approval.png"))
    print(out / "plan-approval.png")
    changes = widget.show_changes()
    assert changes is not None
    changes.resize(900, 520)
    app.processEvents()
    changes.grab().save(str(out / "plan-changes-since-approval.png"))
    print(out / "plan-changes-since-approval.png")
    changes.close()
    dialog.close()


if __name__ == "__main__":
    raise SystemExit(main())
