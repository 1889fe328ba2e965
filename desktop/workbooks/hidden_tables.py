"""The hidden tables of a PlanDesk workbook, declared once, column by column.

Each column says everything the format knows about it: its name (the header
cell, and the domain attribute it holds), its codec (how the value is spelled
in a cell, ``cell_codecs``), what it is called in messages (Japanese,
English), the domain's limit when it holds a text (``domain.limits``), and the
format version that added it. Writing, reading, validation and the messages
that name a field are derived from these declarations (``row_codec``), so a
new column is one line here (and its attribute on the domain object): give it
``since=`` the new ``FORMAT_VERSION`` and what an older file means without it
(``before=``), and files of the earlier versions keep reading.

The manifest (``_manifest``: one key and value per row) is declared the same
way; its columns name the object they come from (``attr``: "manifest.kind",
"plan.title", "report.as_of").
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from desktop.domain import limits
from desktop.domain.branches import BRANCHES
from desktop.domain.model import (
    Direction,
    Group,
    Level,
    PeriodKind,
    ReportAxis,
    Source,
    TargetKind,
)
from desktop.domain.print_profiles import DEFAULT_PROFILES
from desktop.domain.verdicts import MANUAL_STATUSES
from desktop.workbooks.cell_codecs import (
    Choice,
    Codec,
    Flag,
    Int,
    Key,
    Month,
    Number,
    Profiles,
    Ref,
    Rules,
    Stamp,
    Text,
    TextList,
    Verbatim,
)
from desktop.workbooks.machine import MANIFEST_SHEET, Kind

Words = tuple[str, str]  # (Japanese, English)


@dataclass(frozen=True, slots=True)
class LimitBy:
    """The limit of a text that depends on another column of its row: a merge
    base holds the value of any report field, and has that field's limit."""

    column: str  # the other column
    kind_of: Callable[[Any], limits.TextKind]  # its value → the limit


@dataclass(frozen=True, slots=True)
class Column:
    """One column of a hidden table (or one key of the manifest)."""

    name: str
    codec: Codec
    words: Words
    limit: limits.TextKind | LimitBy | None = None
    since: int = 1  # the format version that added it
    before: Any = None  # what a file of an earlier version means: it has no such cell
    attr: str = ""  # the domain attribute, when not ``name`` (dotted for the manifest)
    unique: bool = False  # no two rows hold the same value

    @property
    def attribute(self) -> str:
        return self.attr or self.name


Subject = Literal["node", "kpi", "page", "base", "file"]


@dataclass(frozen=True, slots=True)
class Table:
    """A hidden sheet: its columns in order, and what one row is about (named
    in messages by its section or KPI)."""

    sheet: str
    words: Words
    columns: tuple[Column, ...]
    subject: Subject
    since: int = 1  # the format version that added the table
    titles: tuple[str, ...] = ()  # the columns that name a row for people (label, title)
    # The header (the column names, in order) and each name's position: derived.
    names: tuple[str, ...] = field(default=(), init=False, compare=False, repr=False)
    _index: dict[str, int] = field(default_factory=dict, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "names", tuple(c.name for c in self.columns))
        self._index.update({name: i for i, name in enumerate(self.names)})

    def has(self, name: str) -> bool:
        return name in self._index

    def position(self, name: str) -> int:
        """0-based position of a column."""
        return self._index[name]

    def column(self, name: str) -> Column:
        return self.columns[self._index[name]]

    def in_version(self, version: int) -> Table:
        """The table as a file of format ``version`` holds it."""
        if all(c.since <= version for c in self.columns):
            return self
        kept = tuple(c for c in self.columns if c.since <= version)
        return Table(self.sheet, self.words, kept, self.subject, self.since, self.titles)

    def missing_in(self, version: int) -> tuple[Column, ...]:
        """The columns a file of format ``version`` does not have."""
        return tuple(c for c in self.columns if c.since > version)


MANUAL_VERDICTS = tuple(s.value for s in MANUAL_STATUSES)

# Words shared by columns of several tables.
_KEY: Words = ("キー", "key")
_NODE: Words = ("項目", "item")
_KPI: Words = ("KPI", "KPI")
_LABEL: Words = ("番号", "number")

NODES = Table(
    "_nodes",
    ("計画の項目", "plan items"),
    (
        Column("key", Key(), _KEY, unique=True),
        Column("parent_key", Ref("_nodes", optional=True), ("親項目", "parent item")),
        Column("level", Choice(Level), ("階層", "level")),
        Column("label", Text(), _LABEL, limits.NODE_LABEL),
        Column("title", Text(), ("見出し", "title"), limits.NODE_TITLE),
        Column("plan_text", Text(), ("事業計画", "plan text"), limits.PLAN_TEXT),
        Column("group", Choice(Group, optional=True), ("担当グループ", "group")),
        Column(
            "importance", Text(optional=True), ("重要度の理由", "importance"), limits.TAG_REASON
        ),
        Column(
            "difficulty", Text(optional=True), ("困難度の理由", "difficulty"), limits.TAG_REASON
        ),
        Column("footnotes", TextList(), ("注記", "footnotes"), limits.FOOTNOTE),
        Column("position", Int(), ("並び順", "position")),
        # 支部独自 and HQ's "a branch may add here" (empty: the default); files of
        # format 3 and earlier hold HQ's framework only.
        Column("own", Flag(), ("支部独自", "branch's own flag"), since=4, before=False),
        Column(
            "branch_may_add", Flag(optional=True), ("支部の追加", "branch-may-add flag"), since=4
        ),
        # The item's place in a report organised by group (empty, and files before
        # format 5: tree order).
        Column(
            "report_position",
            Int(0, 1_000_000, optional=True),
            ("報告での順番", "place in the report"),
            since=5,
        ),
        # Rating scope (desktop/domain/rating_scopes.py): the item whose mark rates this
        # one too; files of format 4 and earlier rate every item on its own.
        Column(
            "rated_with",
            Key(optional=True),
            ("まとめて評価する項目", "rated together with"),
            since=5,
        ),
    ),
    subject="node",
    titles=("label", "title"),
)
KPIS = Table(
    "_kpis",
    ("KPIの定義", "KPI definitions"),
    (
        Column("key", Key(), _KEY, unique=True),
        Column("node_key", Ref("_nodes"), _NODE),
        Column("label", Text(), _LABEL, limits.KPI_LABEL),
        Column("name", Text(), ("KPI名", "name"), limits.KPI_NAME),
        Column("unit", Text(), ("単位", "unit"), limits.KPI_UNIT),
        Column("decimals", Int(0, 6), ("小数の桁数", "decimals")),
        Column("direction", Choice(Direction), ("目標の向き", "direction")),
        Column("target_kind", Choice(TargetKind), ("目標の種類", "kind of target")),
        Column("target", Number(optional=True), ("目標", "target")),
        Column("cumulative", Flag(), ("累積", "cumulative flag")),
        Column("is_new", Flag(), ("新設", "new flag")),
        Column("definition_changed", Flag(), ("算出方法の変更", "definition-changed flag")),
        Column(
            "numerator_label",
            Text(optional=True),
            ("分子の名称", "numerator label"),
            limits.KPI_PART_LABEL,
        ),
        Column(
            "denominator_label",
            Text(optional=True),
            ("分母の名称", "denominator label"),
            limits.KPI_PART_LABEL,
        ),
        Column("numerator_target", Number(optional=True), ("分子の目標", "numerator target")),
        Column("denominator_target", Number(optional=True), ("分母の目標", "denominator target")),
        Column("last_year_actual", Number(optional=True), ("前年度実績", "last year's actual")),
        Column("reference", Text(optional=True), ("備考", "note"), limits.KPI_REFERENCE),
        Column("note", Text(optional=True), ("注記", "footnote"), limits.KPI_NOTE),
        # "Judged at the printed precision"; empty: judged as entered.
        Column(
            "judged_decimals",
            Int(0, 6, optional=True),
            ("判定の小数桁数", "decimals judged at"),
            since=2,
        ),
        # Reference figures (参考) and where they came from; empty: not known (files of
        # format 2 and earlier carry none).
        Column(
            "last_year_source",
            Choice(Source, optional=True),
            ("前年度実績の出所", "where last year's actual came from"),
            since=3,
        ),
        Column(
            "prior_year_actual",
            Number(optional=True),
            ("前々年度実績", "the year before's actual"),
            since=3,
        ),
        Column(
            "prior_year_source",
            Choice(Source, optional=True),
            ("前々年度実績の出所", "where the year before's actual came from"),
            since=3,
        ),
        Column(
            "last_year_national_average",
            Number(optional=True),
            ("前年度の全国平均", "last year's national average"),
            since=3,
        ),
        Column(
            "last_year_national_rank",
            Int(1, 47, optional=True),
            ("前年度の全国順位", "last year's national rank"),
            since=3,
        ),
        # 支部設定: HQ's template left the target to the branch.
        Column(
            "target_by_branch",
            Flag(),
            ("支部設定", "target set by the branch"),
            since=4,
            before=False,
        ),
        # Targets beyond one number a year (domain/target_rules.py); files of format 3
        # and earlier have none: a plain KPI, judged as before.
        Column(
            "reference_indicator",
            Flag(),
            ("参考指標", "reference indicator"),
            since=4,
            before=False,
        ),
        Column(
            "baseline_year", Int(1990, 2100, optional=True), ("基準年度", "baseline year"), since=4
        ),
        Column("baseline_value", Number(optional=True), ("基準値", "baseline value"), since=4),
        Column("goal_year", Int(1990, 2100, optional=True), ("目標年度", "goal year"), since=4),
        Column(
            "target_text",
            Text(optional=True),
            ("文章の目標", "goal in words"),
            limits.TARGET_TEXT,
            since=4,
        ),
        Column(
            "definition_note",
            Text(optional=True),
            ("算出方法の変更の内容", "what changed in the definition"),
            limits.DEFINITION_NOTE,
            since=4,
        ),
        Column("own", Flag(), ("支部独自", "branch's own flag"), since=4, before=False),
    ),
    subject="kpi",
    titles=("label", "name"),
)
# A KPI's monthly figures: last year's cumulative curve, this year's month by month.
SERIES = ("profile", "monthly")
KPI_MONTHS = Table(
    "_kpi_months",
    ("KPIの月別の値", "KPI monthly values"),
    (
        Column("kpi_key", Ref("_kpis"), _KPI),
        Column("series", Choice(SERIES), ("系列", "series")),
        Column("fiscal_index", Int(1, 12), ("月", "month")),
        Column("value", Number(), ("月の値", "monthly value")),
    ),
    subject="kpi",
)
ENTRIES = Table(
    "_entries",
    ("実施状況・評価", "status and marks"),
    (
        Column("node_key", Ref("_nodes"), _NODE, unique=True),
        Column("status_text", Text(), ("実施状況", "status"), limits.STATUS_TEXT),
        Column("mark", Text(optional=True), ("評価", "mark"), limits.MARK),
        Column(
            "mark_reason",
            Text(optional=True),
            ("評価の理由", "reason for the mark"),
            limits.MARK_REASON,
        ),
        Column("next_steps", Text(), ("今後の実施予定等", "next steps"), limits.NEXT_STEPS),
        Column(
            "actions",
            Text(),
            ("具体的な取り組み", "concrete actions"),
            limits.ACTIONS,
            since=5,
            before="",
        ),
    ),
    subject="node",
)
MEASUREMENTS = Table(
    "_measurements",
    ("KPIの実績", "KPI figures"),
    (
        Column("kpi_key", Ref("_kpis"), _KPI, unique=True),
        Column("value", Number(optional=True), ("実績値", "figure")),
        Column("numerator", Number(optional=True), ("分子", "numerator")),
        Column("denominator", Number(optional=True), ("分母", "denominator")),
        Column("done", Flag(optional=True), ("実施・未実施", "done / not done")),
        Column("as_of", Month(optional=True), ("時点", "as-of month")),
        Column("preliminary", Flag(), ("速報値", "preliminary flag")),
        Column(
            "unavailable_reason",
            Text(optional=True),
            ("未確定の理由", "reason it is not available"),
            limits.UNAVAILABLE_REASON,
        ),
        Column("entered_by", Text(optional=True), ("入力者", "entered by"), limits.LOGIN),
        Column("entered_at", Stamp(optional=True), ("入力日時", "entered at")),
        # A verdict by hand (手動判定) with its reason; the figure by the old method.
        Column(
            "manual_status",
            Choice(MANUAL_VERDICTS, optional=True),
            ("手動判定", "verdict by hand"),
            since=4,
        ),
        Column(
            "manual_reason",
            Text(optional=True),
            ("手動判定の理由", "reason for the verdict"),
            limits.MANUAL_REASON,
            since=4,
        ),
        Column(
            "old_method_value",
            Number(optional=True),
            ("旧算出方法による実績", "figure by the old method"),
            since=4,
        ),
    ),
    subject="kpi",
)
BENCHMARKS = Table(
    "_benchmarks",
    ("全国平均・順位", "national averages and ranks"),
    (
        Column("kpi_key", Ref("_kpis"), _KPI),
        Column("national_average", Number(optional=True), ("全国平均", "national average")),
        Column("national_rank", Int(1, 47, optional=True), ("全国順位", "national rank")),
        Column("branch_count", Int(0, 47, optional=True), ("支部数", "number of branches")),
        # "typed": the branch typed them before HQ's pack arrived; files of format 2 and
        # earlier hold HQ's figures only.
        Column(
            "source",
            Choice(Source),
            ("全国平均・順位の出所", "where the national figures came from"),
            since=3,
            before=Source.PACK,
        ),
    ),
    subject="kpi",
)


def _base_limit(field: Any) -> limits.TextKind:
    """A merge base holds a report field's value (``entry/{node}/status_text``):
    a text keeps its own limit; numbers, months and flags are short."""
    name = str(field or "").rsplit("/", 1)[-1]
    for table in (ENTRIES, MEASUREMENTS):
        if table.has(name) and isinstance(kind := table.column(name).limit, limits.TextKind):
            return kind
    return limits.MERGE_BASE


# Work files: the value each field had when this PC last took it from a file
# (the common version of a three-way merge; see domain.merge).
BASES = Table(
    "_bases",
    ("取り込みの基準", "merge bases"),
    (
        Column("field", Text(blank=False), ("項目", "field"), unique=True),
        Column(
            "value",
            Text(optional=True),
            ("取り込みの基準値", "merge base value"),
            LimitBy("field", _base_limit),
        ),
    ),
    subject="base",
)
# What the printed sheets show, sealed: per printed row, the sheet, the row
# ("header" / "footer" for those), what the row is about in words, and per
# cell with text "B:<16 hex of SHA-256 of the text>" (see print_sheets, which
# builds these rows, and printed, which reads them).
PAGES = Table(
    "_pages",
    ("印刷される内容", "printed content"),
    (
        Column("sheet", Verbatim(), ("シート", "sheet")),
        Column("row", Verbatim(), ("行", "row")),
        Column("subject", Text(optional=True), ("内容", "subject")),
        Column("cells", Verbatim(), ("印刷される文字", "printed text")),
    ),
    subject="page",
    since=2,
)
# HQ's template: its table of targets per branch × KPI (支部別目標), one row per cell
# that is not the KPI's default; ``target`` is the cell's text as people type it
# (desktop/domain/branch_targets.py reads and checks it against the KPI).
BRANCH_TARGETS = Table(
    "_branch_targets",
    ("支部別目標", "targets per branch"),
    (
        Column("branch", Choice(BRANCHES), ("支部", "branch")),
        Column("kpi_key", Ref("_kpis"), _KPI),
        Column("target", Text(blank=False), ("目標", "target"), limits.KPI_REFERENCE),
    ),
    subject="kpi",
    since=4,
)
TABLES = (NODES, KPIS, KPI_MONTHS, ENTRIES, MEASUREMENTS, BENCHMARKS, BASES, PAGES, BRANCH_TARGETS)

# The manifest: what the file is, and the plan's and report's own texts. Written
# in this order; "format" and "row_counts" are filled in by the writer (the format's
# name; rows per table, which names the table a row was deleted from or added to).
MANIFEST = Table(
    MANIFEST_SHEET,
    ("ファイルの基本情報", "the file's basic data"),
    (
        Column("format", Verbatim(), ("ファイル形式", "file format")),
        Column(
            "format_version",
            Int(),
            ("ファイル形式の版", "format version"),
            attr="manifest.format_version",
        ),
        Column("kind", Choice(Kind), ("種別", "kind"), attr="manifest.kind"),
        Column("branch", Choice(BRANCHES), ("支部", "branch"), attr="manifest.branch"),
        Column(
            "fiscal_year", Int(1990, 2100), ("年度", "fiscal year"), attr="manifest.fiscal_year"
        ),
        Column(
            "period",
            Choice(PeriodKind, optional=True),
            ("報告期間", "report period"),
            attr="manifest.period",
        ),
        Column("as_of", Month(optional=True), ("時点", "as-of month"), attr="report.as_of"),
        Column(
            "plan_title", Text(), ("計画の表題", "plan title"), limits.PLAN_TITLE, attr="plan.title"
        ),
        Column(
            "basic_policy",
            TextList(),
            ("基本方針", "basic policy"),
            limits.BASIC_POLICY,
            attr="plan.basic_policy",
        ),
        # HQ's rules for suggested marks; empty (and files before format 4): the default.
        Column(
            "mark_rules",
            Rules(),
            ("評価の目安", "rules for suggested marks"),
            since=4,
            attr="plan.mark_rules",
        ),
        # How the report is organised and whether numbers restart per group; files
        # before format 5: by tree.
        Column(
            "report_axis",
            Choice(ReportAxis),
            ("報告の構成", "report organised by"),
            since=5,
            before=ReportAxis.TREE,
            attr="plan.report_axis",
        ),
        Column(
            "number_per_group",
            Flag(),
            ("グループ内の番号", "numbering per group"),
            since=5,
            before=False,
            attr="plan.number_per_group",
        ),
        # The print profile per period; empty (and files before format 5): the default.
        Column(
            "print_profiles",
            Profiles(),
            ("報告の様式", "report layouts"),
            since=5,
            before=DEFAULT_PROFILES,
            attr="plan.print_profiles",
        ),
        Column(
            "report_title",
            Text(),
            ("報告の表題", "report title"),
            limits.REPORT_TITLE,
            attr="report.title",
        ),
        Column("sections", TextList(), ("収録範囲", "sections"), attr="manifest.sections"),
        Column(
            "app_version", Text(), ("作成アプリの版", "app version"), attr="manifest.app_version"
        ),
        Column(
            "created_by", Text(), ("作成者", "created by"), limits.LOGIN, attr="manifest.created_by"
        ),
        Column(
            "created_name",
            Text(optional=True),
            ("作成者名", "creator's name"),
            since=2,
            attr="manifest.created_name",
        ),
        Column("created_at", Stamp(), ("作成日時", "created at"), attr="manifest.created_at"),
        Column(
            "signed_off_by",
            Text(optional=True),
            ("決裁者", "signed off by"),
            limits.LOGIN,
            attr="manifest.signed_off_by",
        ),
        Column(
            "signed_off_name",
            Text(optional=True),
            ("決裁者名", "signer's name"),
            limits.DISPLAY_NAME,
            attr="manifest.signed_off_name",
        ),
        Column(
            "signed_off_at",
            Stamp(optional=True),
            ("決裁日時", "signed off at"),
            attr="manifest.signed_off_at",
        ),
        # 0: a file of format 1, which did not record how its pages were laid out.
        Column(
            "print_layout",
            Int(),
            ("印刷レイアウトの版", "print layout version"),
            since=2,
            before=0,
            attr="manifest.print_layout",
        ),
        # A signed submission: the branch database's audit head at its sign-off (the
        # sign-off's own entry, "id:hash"), and every earlier sign-off's entry as the
        # chain holds it now ("id:hash id:hash …"): HQ sees that a later file's chain
        # extends an earlier one's (desktop/services/signatures.py).
        Column(
            "audit_head",
            Verbatim(),
            ("変更履歴の末尾", "audit head"),
            since=5,
            attr="manifest.audit_head",
        ),
        Column(
            "audit_checkpoints",
            Verbatim(),
            ("以前の決裁時の変更履歴", "audit chain at earlier sign-offs"),
            since=5,
            attr="manifest.audit_checkpoints",
        ),
        Column("row_counts", Verbatim(), ("行数", "row counts")),
    ),
    subject="file",
)
MANIFEST_SUPPLIED = ("format", "row_counts")  # not the data's: the writer fills them in
# Outside the digest (it is the digest), after the manifest's rows.
DIGEST_KEY = "digest"
# Outside the digest too, after it (format 5): the Ed25519 signature over a statement
# that names the digest, and the fingerprint of the key that made it.
SIGNATURE_KEY = "signature"
SIGNING_KEY_KEY = "signing_key"
_OTHER_WORDS: dict[tuple[str, str], Words] = {
    (MANIFEST_SHEET, DIGEST_KEY): ("確認用の値", "digest"),
    (MANIFEST_SHEET, SIGNATURE_KEY): ("電子署名", "signature"),
    (MANIFEST_SHEET, SIGNING_KEY_KEY): ("署名鍵の指紋", "signing key fingerprint"),
    (MANIFEST_SHEET, "key"): ("項目名", "key"),  # the manifest sheet's own two columns
    (MANIFEST_SHEET, "value"): ("値", "value"),
}
MANIFEST_KEYS = MANIFEST.names
_BY_SHEET = {t.sheet: t for t in (*TABLES, MANIFEST)}


def tables_for(version: int) -> tuple[Table, ...]:
    """The hidden tables a file of format ``version`` holds, with its columns."""
    return tuple(t.in_version(version) for t in TABLES if t.since <= version)


def manifest_keys(version: int) -> tuple[str, ...]:
    """The manifest's keys in a file of format ``version`` (the digest covers them)."""
    return MANIFEST.in_version(version).names


def field_words(sheet: str, column: str) -> Words:
    """A column (or manifest key) in words, for messages that reach a person: the
    HQ board and the import dialog name a section or KPI and a field, never a
    hidden sheet's cell."""
    table = _BY_SHEET.get(sheet)
    if table is not None and table.has(column):
        return table.column(column).words
    return _OTHER_WORDS.get((sheet, column), (column, column))


def table_words(sheet: str) -> Words:
    table = _BY_SHEET.get(sheet)
    return table.words if table is not None else (sheet, sheet)


# The domain's limit of every text a workbook carries, by sheet and column
# (the merge bases' values take the limit of the field they hold).
TEXT_LIMITS: dict[str, dict[str, limits.TextKind]] = {
    t.sheet: {c.name: c.limit for c in t.columns if isinstance(c.limit, limits.TextKind)}
    for t in (MANIFEST, *TABLES)
}
