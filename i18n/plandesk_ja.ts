<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>KpiTableModel</name>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="106"/>
        <source>KPI</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="107"/>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="108"/>
        <source>Last year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="109"/>
        <source>Actual</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="110"/>
        <source>Numerator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="111"/>
        <source>Denominator</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="112"/>
        <source>As of</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="113"/>
        <source>Prelim.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="114"/>
        <source>Why no value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="115"/>
        <source>Status</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="116"/>
        <source>National avg.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="117"/>
        <source>Rank</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="122"/>
        <source>Type the figure as you like: 98.4, ９８．４％, 14,097円, ▲5</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="123"/>
        <source>Month of the figure: 令和6年9月, R6.9, 2024/9</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="124"/>
        <source>Preliminary figure (速報値)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="125"/>
        <source>Why there is no figure yet, e.g. 下期実施予定</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="213"/>
        <source> [new]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="215"/>
        <source> [definition changed]</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="225"/>
        <source>Done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="225"/>
        <source>Not done</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="250"/>
        <source>No. {rank}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="280"/>
        <source>Type 実施 (done) or 未実施 (not done) for this KPI, not &apos;{text}&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>KpiTableView</name>
    <message>
        <location filename="../desktop/ui/kpi_view.py" line="129"/>
        <source>The pasted block is larger than the table: nothing was pasted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_view.py" line="135"/>
        <source>Column &apos;{column}&apos; cannot be typed into: nothing was pasted.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_view.py" line="145"/>
        <source>Pasted {n} cell(s).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../desktop/ui/main_window.py" line="43"/>
        <location filename="../desktop/ui/main_window.py" line="207"/>
        <location filename="../desktop/ui/main_window.py" line="260"/>
        <location filename="../desktop/ui/main_window.py" line="270"/>
        <source>PlanDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="81"/>
        <source>Report</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="93"/>
        <source>Mid-year progress (上期)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="94"/>
        <source>Annual report (事業報告)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="95"/>
        <source>Writing the plan (計画作成)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="96"/>
        <source>&amp;Branch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="97"/>
        <source>Fiscal &amp;year</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="98"/>
        <source>&amp;Period</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="116"/>
        <source>&amp;File</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="117"/>
        <source>&amp;Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="122"/>
        <source>&amp;Edit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="123"/>
        <source>&amp;Undo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="125"/>
        <source>&amp;Redo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="133"/>
        <source>&amp;Go</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="134"/>
        <source>&amp;Find section…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="137"/>
        <source>&amp;Next section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="140"/>
        <source>&amp;Previous section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="148"/>
        <source>&amp;Settings</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="211"/>
        <source>As of {month}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="239"/>
        <source>Saved {time}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="248"/>
        <source>Saving…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="261"/>
        <source>The language changes when PlanDesk is started again.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="271"/>
        <source>An edit could not be saved. Close anyway and lose it?</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Navigator</name>
    <message>
        <location filename="../desktop/ui/navigator.py" line="172"/>
        <source>Find sections (Ctrl+F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="176"/>
        <source>All sections</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="177"/>
        <source>Still empty</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="178"/>
        <source>KPI not met</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="180"/>
        <source>Group: {g}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NavigatorModel</name>
    <message>
        <location filename="../desktop/ui/navigator.py" line="62"/>
        <source>Section</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="62"/>
        <source>Mark</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="62"/>
        <source>State</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="107"/>
        <source>Not started</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="108"/>
        <source>In progress</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="109"/>
        <source>Complete (status and mark entered)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="113"/>
        <source>A KPI is not met or behind pace</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="115"/>
        <source>KPIs met or on pace</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ReportController</name>
    <message>
        <location filename="../desktop/ui/controller.py" line="102"/>
        <source>Edit {field}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="125"/>
        <source>Edit {n} KPI value(s)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="141"/>
        <source>Edit plan text</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SectionForm</name>
    <message>
        <location filename="../desktop/ui/section_form.py" line="86"/>
        <source>Business plan (事業計画)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="102"/>
        <source>What was done (実施状況)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="113"/>
        <location filename="../desktop/ui/section_form.py" line="256"/>
        <source>Mark (評価)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="122"/>
        <source>Reason for the rating (評価の理由)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="130"/>
        <source>Next steps (今後の実施予定等)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="141"/>
        <source>KPIs (KPI設定項目)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="149"/>
        <source>No KPI for this section (KPI設定なし).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="196"/>
        <source>Group: {g}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="204"/>
        <source>Importance: high — {r}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="206"/>
        <source>Difficulty: high — {r}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="251"/>
        <source>(no mark)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="256"/>
        <source>Self-rating (自己評価)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="279"/>
        <source>{n} characters</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>StartDialog</name>
    <message>
        <location filename="../desktop/ui/start_dialog.py" line="23"/>
        <source>Welcome to PlanDesk</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/start_dialog.py" line="27"/>
        <source>This database has no plan yet. Open the demo (Tokyo branch, FY2023 and FY2024) to look around, or start your branch&apos;s plan from the headquarters template.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/start_dialog.py" line="32"/>
        <source>Open the &amp;demo</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/start_dialog.py" line="36"/>
        <source>Branch for a new plan:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/ui/start_dialog.py" line="42"/>
        <source>Create the plan from the &amp;HQ template</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../desktop/app.py" line="55"/>
        <source>The database is on a network drive. SQLite cannot lock files there safely: keep it on this PC and exchange files instead.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <location filename="../desktop/app.py" line="62"/>
        <source>This database is already open in another PlanDesk window.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
