<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>AuditViewer</name>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="41"/>
        <source>Audit trail</source>
        <translation>変更履歴</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="47"/>
        <source>Section key, e.g. 1.II.2</source>
        <translation>項目キー（例: 1.II.2）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="51"/>
        <source>All fields</source>
        <translation>すべての項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="52"/>
        <source>From</source>
        <translation>期間</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="58"/>
        <source>This report only</source>
        <translation>この報告のみ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="63"/>
        <location filename="../desktop/ui/audit_viewer.py" line="79"/>
        <source>Person</source>
        <translation>利用者</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="64"/>
        <location filename="../desktop/ui/audit_viewer.py" line="82"/>
        <source>Section</source>
        <translation>項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="65"/>
        <location filename="../desktop/ui/audit_viewer.py" line="83"/>
        <source>Field</source>
        <translation>欄</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="78"/>
        <source>When</source>
        <translation>日時</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="80"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="81"/>
        <source>What</source>
        <translation>対象</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="84"/>
        <source>Before</source>
        <translation>変更前</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="85"/>
        <source>After</source>
        <translation>変更後</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="93"/>
        <source>Export to Excel…</source>
        <translation>Excel に書き出し…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="120"/>
        <source>Everyone</source>
        <translation>全員</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="153"/>
        <source>{n} entries</source>
        <translation>{n}件</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="158"/>
        <source>Export audit trail</source>
        <translation>変更履歴の書き出し</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="160"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel ブック (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>ChartExport</name>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="256"/>
        <source>Save as PNG…</source>
        <translation>PNG で保存…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="262"/>
        <source>Save chart</source>
        <translation>グラフの保存</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="264"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="67"/>
        <source>Pillar</source>
        <translation>柱</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="68"/>
        <source>Group</source>
        <translation>グループ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="69"/>
        <source>Status</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="77"/>
        <source>Sections complete</source>
        <translation>記入済みの項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="169"/>
        <location filename="../desktop/ui/dashboard.py" line="173"/>
        <location filename="../desktop/ui/dashboard.py" line="179"/>
        <source>All</source>
        <translation>すべて</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="261"/>
        <source>Marks per pillar</source>
        <translation>柱ごとの評価</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="261"/>
        <source>none</source>
        <translation>未記入</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="273"/>
        <source>{done} of {all} sections</source>
        <translation>{all}項目中 {done}項目</translation>
    </message>
</context>
<context>
    <name>DashboardModel</name>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="138"/>
        <source>Pillar</source>
        <translation>柱</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="139"/>
        <source>Section</source>
        <translation>項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="140"/>
        <source>Group</source>
        <translation>グループ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="141"/>
        <source>KPI</source>
        <translation>KPI設定項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="142"/>
        <source>Target</source>
        <translation>目標</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="143"/>
        <source>Actual</source>
        <translation>実績</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="144"/>
        <source>As of</source>
        <translation>時点</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="145"/>
        <source>Status</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="146"/>
        <source>Achievement</source>
        <translation>達成率</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="147"/>
        <source>Last year</source>
        <translation>前年度</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="148"/>
        <source>National avg.</source>
        <translation>全国平均</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="149"/>
        <source>Rank</source>
        <translation>全国順位</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="206"/>
        <source>Done</source>
        <translation>実施</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="206"/>
        <source>Not done</source>
        <translation>未実施</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="228"/>
        <source>No. {rank}</source>
        <translation>{rank}位</translation>
    </message>
</context>
<context>
    <name>KpiChart</name>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="165"/>
        <source>Reported as done / not done: nothing to chart.</source>
        <translation>実施・未実施で報告する KPI のため、グラフはありません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="150"/>
        <location filename="../desktop/ui/kpi_chart.py" line="151"/>
        <source>Last year</source>
        <translation>前年度</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="152"/>
        <source>Expected pace</source>
        <translation>想定ペース</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="153"/>
        <source>Target</source>
        <translation>目標</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="154"/>
        <source>This year</source>
        <translation>今年度</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="223"/>
        <source>National average</source>
        <translation>全国平均</translation>
    </message>
</context>
<context>
    <name>KpiTableModel</name>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="118"/>
        <source>KPI</source>
        <translation>KPI設定項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="119"/>
        <source>Target</source>
        <translation>目標</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="120"/>
        <source>Last year</source>
        <translation>前年度実績</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="121"/>
        <source>Actual</source>
        <translation>実績</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="122"/>
        <source>Numerator</source>
        <translation>分子</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="123"/>
        <source>Denominator</source>
        <translation>分母</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="124"/>
        <source>As of</source>
        <translation>時点</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="125"/>
        <source>Prelim.</source>
        <translation>速報値</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="126"/>
        <source>Why no value</source>
        <translation>未入力の理由</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="127"/>
        <source>Status</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="128"/>
        <source>National avg.</source>
        <translation>全国平均</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="129"/>
        <source>Rank</source>
        <translation>全国順位</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="134"/>
        <source>Type the figure as you like: 98.4, ９８．４％, 14,097円, ▲5</source>
        <translation>数値を入力：98.4、９８．４％、14,097円、▲5 など</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="135"/>
        <source>Month of the figure: 令和6年9月, R6.9, 2024/9</source>
        <translation>実績の時点：令和6年9月、R6.9、2024/9</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="136"/>
        <source>Preliminary figure (速報値)</source>
        <translation>速報値</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="137"/>
        <source>Why there is no figure yet, e.g. 下期実施予定</source>
        <translation>実績がない理由（例：下期実施予定）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="230"/>
        <source> [new]</source>
        <translation>【新設】</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="232"/>
        <source> [definition changed]</source>
        <translation>【算出方法の変更】</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="244"/>
        <source>Done</source>
        <translation>実施</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="244"/>
        <source>Not done</source>
        <translation>未実施</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="271"/>
        <source>No. {rank}</source>
        <translation>全国{rank}位</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="303"/>
        <source>Type 実施 (done) or 未実施 (not done) for this KPI, not &apos;{text}&apos;.</source>
        <translation>この KPI は「実施」または「未実施」で入力してください（入力：「{text}」）。</translation>
    </message>
</context>
<context>
    <name>KpiTableView</name>
    <message>
        <location filename="../desktop/ui/kpi_view.py" line="141"/>
        <source>The pasted block is larger than the table: nothing was pasted.</source>
        <translation>貼り付ける範囲が表より大きいため、貼り付けは行いませんでした。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_view.py" line="148"/>
        <source>Column &apos;{column}&apos; cannot be typed into: nothing was pasted.</source>
        <translation>「{column}」列には入力できません。貼り付けは行いませんでした。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_view.py" line="159"/>
        <source>Pasted {n} cell(s).</source>
        <translation>{n}セルを貼り付けました。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../desktop/ui/main_window.py" line="47"/>
        <location filename="../desktop/ui/main_window.py" line="226"/>
        <location filename="../desktop/ui/main_window.py" line="288"/>
        <location filename="../desktop/ui/main_window.py" line="298"/>
        <source>PlanDesk</source>
        <translation>PlanDesk</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="65"/>
        <source>&amp;Sections</source>
        <translation>項目(&amp;S)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="66"/>
        <source>&amp;Dashboard</source>
        <translation>ダッシュボード(&amp;D)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="68"/>
        <source>&amp;Review</source>
        <translation>確認・承認(&amp;R)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="95"/>
        <source>Report</source>
        <translation>報告</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="107"/>
        <source>Mid-year progress (上期)</source>
        <translation>上期（進捗状況）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="108"/>
        <source>Annual report (事業報告)</source>
        <translation>事業報告（年度）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="109"/>
        <source>Writing the plan (計画作成)</source>
        <translation>計画作成</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="111"/>
        <source>&amp;Branch</source>
        <translation>支部(&amp;B)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="112"/>
        <source>Fiscal &amp;year</source>
        <translation>年度(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="113"/>
        <source>&amp;Period</source>
        <translation>報告期間(&amp;P)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="132"/>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="133"/>
        <source>&amp;Audit trail…</source>
        <translation>変更履歴(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="136"/>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="141"/>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="142"/>
        <source>&amp;Undo</source>
        <translation>元に戻す(&amp;U)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="144"/>
        <source>&amp;Redo</source>
        <translation>やり直す(&amp;R)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="152"/>
        <source>&amp;Go</source>
        <translation>移動(&amp;G)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="153"/>
        <source>&amp;Find section…</source>
        <translation>項目を検索(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="156"/>
        <source>&amp;Next section</source>
        <translation>次の項目(&amp;N)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="159"/>
        <source>&amp;Previous section</source>
        <translation>前の項目(&amp;P)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="167"/>
        <source>&amp;Settings</source>
        <translation>設定(&amp;S)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="230"/>
        <source>As of {month}</source>
        <translation>{month}時点</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="267"/>
        <source>Saved {time}</source>
        <translation>保存済み {time}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="276"/>
        <source>Saving…</source>
        <translation>保存中…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="289"/>
        <source>The language changes when PlanDesk is started again.</source>
        <translation>表示言語は PlanDesk の再起動後に切り替わります。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="299"/>
        <source>An edit could not be saved. Close anyway and lose it?</source>
        <translation>保存できなかった変更があります。破棄して閉じますか？</translation>
    </message>
</context>
<context>
    <name>MonthlyModel</name>
    <message>
        <location filename="../desktop/ui/monthly_model.py" line="64"/>
        <source>Monthly</source>
        <translation>月次実績</translation>
    </message>
    <message>
        <location filename="../desktop/ui/monthly_model.py" line="86"/>
        <source>Type this month&apos;s figure; blank removes it.</source>
        <translation>この月の実績を入力します（空欄で削除）。</translation>
    </message>
</context>
<context>
    <name>Navigator</name>
    <message>
        <location filename="../desktop/ui/navigator.py" line="185"/>
        <source>Find sections (Ctrl+F)</source>
        <translation>項目を検索（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="189"/>
        <source>All sections</source>
        <translation>すべての項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="190"/>
        <source>Still empty</source>
        <translation>未入力あり</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="191"/>
        <source>KPI not met</source>
        <translation>KPI未達成</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="193"/>
        <source>Group: {g}</source>
        <translation>{g}グループ</translation>
    </message>
</context>
<context>
    <name>NavigatorModel</name>
    <message>
        <location filename="../desktop/ui/navigator.py" line="64"/>
        <source>Section</source>
        <translation>項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="64"/>
        <source>Mark</source>
        <translation>評価</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="64"/>
        <source>State</source>
        <translation>状況</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="114"/>
        <source>Not started</source>
        <translation>未着手</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="115"/>
        <source>In progress</source>
        <translation>入力中</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="116"/>
        <source>Complete (status and mark entered)</source>
        <translation>入力済み（実施状況と評価あり）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="120"/>
        <source>A KPI is not met or behind pace</source>
        <translation>未達成または遅れているKPIがあります</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="122"/>
        <source>KPIs met or on pace</source>
        <translation>KPIは達成または順調</translation>
    </message>
</context>
<context>
    <name>ReportController</name>
    <message>
        <location filename="../desktop/ui/controller.py" line="158"/>
        <source>Edit {field}</source>
        <translation>{field}の編集</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="183"/>
        <source>Edit {n} KPI value(s)</source>
        <translation>KPI実績の編集（{n}件）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="202"/>
        <source>Edit monthly figure</source>
        <translation>月次実績の編集</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="220"/>
        <source>Edit plan text</source>
        <translation>事業計画の編集</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="69"/>
        <source>Reviewer</source>
        <translation>確認者</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="77"/>
        <source>Sign off the report…</source>
        <translation>報告を決裁…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="90"/>
        <source>Comment (required to return a section)</source>
        <translation>コメント（差戻しには必須）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="92"/>
        <source>Comment</source>
        <translation>コメント</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="93"/>
        <source>&amp;Return with comment</source>
        <translation>コメントを付けて差戻し(&amp;R)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="95"/>
        <source>&amp;Approve</source>
        <translation>承認(&amp;A)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="97"/>
        <source>Approve the selected sections (Ctrl+Enter)</source>
        <translation>選んだ項目を承認します（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="107"/>
        <source>Changes since the last approval</source>
        <translation>前回承認からの変更</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="109"/>
        <source>Comments</source>
        <translation>コメント</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="116"/>
        <source>Waiting for my review (oldest first)</source>
        <translation>確認待ち（古い順）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="175"/>
        <source>Signed off by {who}</source>
        <translation>{who} が決裁済み</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="190"/>
        <source>Nothing waits for your review.</source>
        <translation>確認待ちの項目はありません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="198"/>
        <source>Never approved: all of it is new.</source>
        <translation>未承認の項目です（すべてが新規）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="199"/>
        <source>Mark</source>
        <translation>評価</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="200"/>
        <source>No change since the last approval.</source>
        <translation>前回承認から変更はありません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="204"/>
        <source>What was done (実施状況)</source>
        <translation>実施状況</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="205"/>
        <source>Reason for the rating (評価の理由)</source>
        <translation>評価の理由</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="206"/>
        <source>Next steps (今後の実施予定等)</source>
        <translation>今後の実施予定等</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="236"/>
        <source>comment</source>
        <translation>コメント</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="237"/>
        <source>submitted</source>
        <translation>提出</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="238"/>
        <source>edited after reopening: back to review</source>
        <translation>再編集後の変更（確認待ちに戻りました）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="239"/>
        <source>returned</source>
        <translation>差戻し</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="240"/>
        <source>approved</source>
        <translation>承認</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="241"/>
        <source>reopened</source>
        <translation>再編集に戻し</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="242"/>
        <source>excepted</source>
        <translation>対象外</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="269"/>
        <source>Approve {n} sections?</source>
        <translation>{n}件の項目を承認しますか？</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="320"/>
        <source>Sign off the whole report?</source>
        <translation>報告全体を決裁しますか？</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="332"/>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="333"/>
        <source>Password of {who}:</source>
        <translation>{who} のパスワード:</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="339"/>
        <source>PlanDesk</source>
        <translation>PlanDesk</translation>
    </message>
</context>
<context>
    <name>SectionForm</name>
    <message>
        <location filename="../desktop/ui/section_form.py" line="89"/>
        <source>Submit for review</source>
        <translation>確認に提出</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="102"/>
        <source>Business plan (事業計画)</source>
        <translation>事業計画</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="118"/>
        <source>What was done (実施状況)</source>
        <translation>実施状況</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="129"/>
        <location filename="../desktop/ui/section_form.py" line="439"/>
        <source>Mark (評価)</source>
        <translation>評価</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="150"/>
        <source>Reason for the rating (評価の理由)</source>
        <translation>評価の理由</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="158"/>
        <source>Next steps (今後の実施予定等)</source>
        <translation>今後の実施予定等</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="169"/>
        <source>KPIs (KPI設定項目)</source>
        <translation>KPI設定項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="177"/>
        <source>No KPI for this section (KPI設定なし).</source>
        <translation>KPI設定なし</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="252"/>
        <source>Group: {g}</source>
        <translation>{g}グループ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="260"/>
        <source>Importance: high — {r}</source>
        <translation>【重要度：高】{r}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="262"/>
        <source>Difficulty: high — {r}</source>
        <translation>【困難度：高】{r}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="357"/>
        <source>Figures suggest: — ({reason})</source>
        <translation>実績から見た評価: —（{reason}）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="362"/>
        <source>Figures suggest: {mark} — {reason}</source>
        <translation>実績から見た評価: {mark} — {reason}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="367"/>
        <source>(KPIs of {heading})</source>
        <translation>（{heading} の KPI による）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="392"/>
        <source>Review: {state}</source>
        <translation>確認状況: {state}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="394"/>
        <source>(report signed off by {who})</source>
        <translation>（報告は {who} が決裁済み）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="431"/>
        <source>(no mark)</source>
        <translation>（未選択）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="439"/>
        <source>Self-rating (自己評価)</source>
        <translation>自己評価</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="465"/>
        <source>{n} characters</source>
        <translation>{n}文字</translation>
    </message>
</context>
<context>
    <name>StartDialog</name>
    <message>
        <location filename="../desktop/ui/start_dialog.py" line="23"/>
        <source>Welcome to PlanDesk</source>
        <translation>PlanDesk へようこそ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/start_dialog.py" line="28"/>
        <source>This database has no plan yet. Open the demo (Tokyo branch, FY2023 and FY2024) to look around, or start your branch&apos;s plan from the headquarters template.</source>
        <translation>このデータベースにはまだ計画がありません。デモ（東京支部 令和5年度・令和6年度）を開いて操作を確かめるか、本部のひな形から支部の計画を作成してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/start_dialog.py" line="34"/>
        <source>Open the &amp;demo</source>
        <translation>デモを開く(&amp;D)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/start_dialog.py" line="38"/>
        <source>Branch for a new plan:</source>
        <translation>新しい計画を作る支部：</translation>
    </message>
    <message>
        <location filename="../desktop/ui/start_dialog.py" line="44"/>
        <source>Create the plan from the &amp;HQ template</source>
        <translation>本部のひな形から計画を作成(&amp;H)</translation>
    </message>
</context>
<context>
    <name>StatusBarsChart</name>
    <message>
        <location filename="../desktop/ui/overview_charts.py" line="36"/>
        <source>KPI status per pillar</source>
        <translation>柱ごとの KPI 判定</translation>
    </message>
</context>
<context>
    <name>YearOverYearChart</name>
    <message>
        <location filename="../desktop/ui/overview_charts.py" line="79"/>
        <source>{kpi}: year over year</source>
        <translation>{kpi}：年度比較</translation>
    </message>
    <message>
        <location filename="../desktop/ui/overview_charts.py" line="93"/>
        <source>Reported figure</source>
        <translation>報告値</translation>
    </message>
    <message>
        <location filename="../desktop/ui/overview_charts.py" line="104"/>
        <source>Target</source>
        <translation>目標</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../desktop/app.py" line="58"/>
        <source>The database is on a network drive. SQLite cannot lock files there safely: keep it on this PC and exchange files instead.</source>
        <translation>データベースがネットワークドライブ上にあります。ネットワーク上では安全に保存できないため、このパソコン内に置き、やり取りはファイルで行ってください。</translation>
    </message>
    <message>
        <location filename="../desktop/app.py" line="71"/>
        <source>This database is already open in another PlanDesk window.</source>
        <translation>このデータベースは別の PlanDesk ウィンドウで開かれています。</translation>
    </message>
</context>
</TS>
