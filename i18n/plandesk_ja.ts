<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="ja_JP">
<context>
    <name>AdminPrompt</name>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="233"/>
        <location filename="../desktop/ui/users_dialog.py" line="242"/>
        <source>Administrator</source>
        <translation>管理者</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="243"/>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="250"/>
        <source>Changes to people need an administrator&apos;s password.</source>
        <translation>利用者の変更には管理者のパスワードが必要です。</translation>
    </message>
</context>
<context>
    <name>AuditViewer</name>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="59"/>
        <source>Audit trail</source>
        <translation>変更履歴</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="65"/>
        <source>Section key, e.g. 1.II.2</source>
        <translation>項目キー（例: 1.II.2）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="70"/>
        <source>All fields</source>
        <translation>すべての項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="72"/>
        <source>From</source>
        <translation>期間</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="78"/>
        <source>This report only</source>
        <translation>この報告のみ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="83"/>
        <location filename="../desktop/ui/audit_viewer.py" line="99"/>
        <source>Person</source>
        <translation>利用者</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="84"/>
        <location filename="../desktop/ui/audit_viewer.py" line="102"/>
        <source>Section</source>
        <translation>項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="85"/>
        <location filename="../desktop/ui/audit_viewer.py" line="103"/>
        <source>Field</source>
        <translation>欄</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="98"/>
        <source>When</source>
        <translation>日時</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="100"/>
        <source>Action</source>
        <translation>操作</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="101"/>
        <source>What</source>
        <translation>対象</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="104"/>
        <source>Before</source>
        <translation>変更前</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="105"/>
        <source>After</source>
        <translation>変更後</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="115"/>
        <source>Export to Excel…</source>
        <translation>Excel に書き出し…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="143"/>
        <source>Everyone</source>
        <translation>全員</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="188"/>
        <source>{n} entries</source>
        <translation>{n}件</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="193"/>
        <source>Export audit trail</source>
        <translation>変更履歴の書き出し</translation>
    </message>
    <message>
        <location filename="../desktop/ui/audit_viewer.py" line="195"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel ブック (*.xlsx)</translation>
    </message>
</context>
<context>
    <name>AutoBackup</name>
    <message>
        <location filename="../desktop/ui/auto_backup.py" line="78"/>
        <source>The automatic backup failed. Details: {log}</source>
        <translation>自動バックアップに失敗しました。詳細: {log}</translation>
    </message>
</context>
<context>
    <name>BranchTargetsModel</name>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="108"/>
        <source>HQ&apos;s default: {target}</source>
        <translation>本部の既定: {target}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="112"/>
        <source>Left to the branch: it sets this target in its own plan</source>
        <translation>支部設定: 支部が自らの計画でこの目標を設定します</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="113"/>
        <source>This branch&apos;s own target</source>
        <translation>この支部の目標</translation>
    </message>
</context>
<context>
    <name>BranchTargetsWindow</name>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="217"/>
        <source>Targets per branch — FY{year}</source>
        <translation>支部別目標 — {year}年度</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="220"/>
        <source>Grey: HQ&apos;s default (blank cell). Blue: the branch&apos;s own target. Amber: left to the branch (支部設定). Type 60.0, 60.0％以上, 対前年度以上, 対前年度末以上, 実施 or 支部設定; paste cells copied from Excel (Ctrl+V); Ctrl+D fills down; Delete puts HQ&apos;s default back.</source>
        <translation>灰色: 本部の既定（空欄）。青: 支部ごとの目標。黄: 支部設定（支部が設定）。60.0、60.0％以上、対前年度以上、対前年度末以上、実施、支部設定のいずれかを入力できます。Excel からコピーしたセルを貼り付け（Ctrl+V）、Ctrl+D で下へコピー、Delete で本部の既定に戻します。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="265"/>
        <source>Copy (Ctrl+C)</source>
        <translation>コピー (Ctrl+C)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="266"/>
        <source>Paste (Ctrl+V)</source>
        <translation>貼り付け (Ctrl+V)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="267"/>
        <source>Fill down (Ctrl+D)</source>
        <translation>下へコピー (Ctrl+D)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="268"/>
        <source>Back to HQ&apos;s default (Delete)</source>
        <translation>本部の既定に戻す (Delete)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="274"/>
        <source>Undo</source>
        <translation>元に戻す</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="275"/>
        <source>Redo</source>
        <translation>やり直す</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="302"/>
        <source>Edit {n} target(s)</source>
        <translation>目標 {n} 件の変更</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="355"/>
        <source>The pasted block ({rows} × {columns}) does not fit in the table from this cell. Nothing was changed.</source>
        <translation>貼り付ける範囲（{rows} 行 × {columns} 列）がこのセルからでは表に収まりません。何も変更していません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="365"/>
        <source>Paste {n} target(s)</source>
        <translation>目標 {n} 件の貼り付け</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="383"/>
        <source>Fill down {n} target(s)</source>
        <translation>目標 {n} 件を下へコピー</translation>
    </message>
    <message>
        <location filename="../desktop/ui/branch_targets_grid.py" line="396"/>
        <source>Clear {n} target(s)</source>
        <translation>目標 {n} 件を本部の既定に戻す</translation>
    </message>
</context>
<context>
    <name>ChartExport</name>
    <message>
        <location filename="../desktop/ui/chart_export.py" line="25"/>
        <source>Save as PNG…</source>
        <translation>PNG で保存…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/chart_export.py" line="31"/>
        <source>Save chart</source>
        <translation>グラフの保存</translation>
    </message>
    <message>
        <location filename="../desktop/ui/chart_export.py" line="33"/>
        <source>PNG image (*.png)</source>
        <translation>PNG 画像 (*.png)</translation>
    </message>
</context>
<context>
    <name>CrashHandler</name>
    <message>
        <location filename="../desktop/ui/crash_handler.py" line="166"/>
        <location filename="../desktop/ui/crash_handler.py" line="215"/>
        <source>PlanDesk</source>
        <translation>PlanDesk</translation>
    </message>
    <message>
        <location filename="../desktop/ui/crash_handler.py" line="176"/>
        <source>PlanDesk ran into an unexpected problem (an error in PlanDesk, not something you did).</source>
        <translation>PlanDesk で予期しないエラーが発生しました（PlanDesk の不具合で、操作の誤りではありません）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/crash_handler.py" line="183"/>
        <source>Your last edits are saved: PlanDesk stores every edit within a second.</source>
        <translation>直前までの入力は保存されています（PlanDesk は入力を1秒以内に保存します）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/crash_handler.py" line="188"/>
        <source>What you typed last may not be saved: check the field you were typing in before you go on.</source>
        <translation>直前の入力が保存されていない可能性があります。続ける前に、入力していた欄を確認してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/crash_handler.py" line="193"/>
        <location filename="../desktop/ui/crash_handler.py" line="222"/>
        <source>The details could not be written to the error log.</source>
        <translation>詳細をエラーログに書き込めませんでした。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/crash_handler.py" line="195"/>
        <location filename="../desktop/ui/crash_handler.py" line="224"/>
        <source>The details are in the error log:
{path}</source>
        <translation>詳細はエラーログに記録しました:
{path}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/crash_handler.py" line="198"/>
        <source>You can keep working. If it happens again, close PlanDesk, start it again, and send the error log to your administrator.</source>
        <translation>このまま作業を続けられます。繰り返し起きる場合は PlanDesk を閉じて起動し直し、エラーログを管理者に送ってください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/crash_handler.py" line="203"/>
        <source>Keep working</source>
        <translation>作業を続ける</translation>
    </message>
    <message>
        <location filename="../desktop/ui/crash_handler.py" line="205"/>
        <source>Close PlanDesk</source>
        <translation>PlanDesk を閉じる</translation>
    </message>
    <message>
        <location filename="../desktop/ui/crash_handler.py" line="220"/>
        <source>PlanDesk ran into an unexpected problem and has to close.</source>
        <translation>PlanDesk で予期しないエラーが発生したため、終了します。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/crash_handler.py" line="230"/>
        <source>Start PlanDesk again. If it happens again, send the error log to your administrator.</source>
        <translation>PlanDesk を起動し直してください。繰り返し起きる場合は、エラーログを管理者に送ってください。</translation>
    </message>
</context>
<context>
    <name>Dashboard</name>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="82"/>
        <source>Pillar</source>
        <translation>柱</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="83"/>
        <source>Group</source>
        <translation>グループ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="84"/>
        <source>Status</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="92"/>
        <source>Sections complete</source>
        <translation>記入済みの項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="187"/>
        <location filename="../desktop/ui/dashboard.py" line="191"/>
        <location filename="../desktop/ui/dashboard.py" line="199"/>
        <source>All</source>
        <translation>すべて</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="302"/>
        <source>Marks per pillar</source>
        <translation>柱ごとの評価</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="302"/>
        <source>none</source>
        <translation>未記入</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard.py" line="323"/>
        <source>{done} of {all} sections</source>
        <translation>{all}項目中 {done}項目</translation>
    </message>
</context>
<context>
    <name>DashboardModel</name>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="166"/>
        <source>Pillar</source>
        <translation>柱</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="167"/>
        <source>Section</source>
        <translation>項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="168"/>
        <source>Group</source>
        <translation>グループ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="169"/>
        <source>KPI</source>
        <translation>KPI設定項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="170"/>
        <source>Target</source>
        <translation>目標</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="171"/>
        <source>Actual</source>
        <translation>実績</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="172"/>
        <source>As of</source>
        <translation>時点</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="173"/>
        <source>Status</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="174"/>
        <source>Achievement</source>
        <translation>達成率</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="175"/>
        <source>Last year</source>
        <translation>前年度</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="176"/>
        <source>National avg.</source>
        <translation>全国平均</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="177"/>
        <source>Rank</source>
        <translation>全国順位</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="238"/>
        <source>Done</source>
        <translation>実施</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="238"/>
        <source>Not done</source>
        <translation>未実施</translation>
    </message>
    <message>
        <location filename="../desktop/ui/dashboard_model.py" line="260"/>
        <source>No. {rank}</source>
        <translation>{rank}位</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="75"/>
        <location filename="../desktop/ui/export_dialog.py" line="252"/>
        <source>Export workbook</source>
        <translation>ブックの書き出し</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="78"/>
        <source>What to write</source>
        <translation>書き出す内容</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="79"/>
        <source>Submission (signed-off report for headquarters)</source>
        <translation>提出版（決裁済みの報告・本部へ提出）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="80"/>
        <source>Work file (some groups&apos; sections, for another PC)</source>
        <translation>作業ファイル（グループ別の項目・他のパソコンとのやり取り用）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="81"/>
        <source>Plan template (structure and KPIs, no report)</source>
        <translation>計画テンプレート（計画の構成と KPI のみ）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="100"/>
        <source>Not signed off yet: a submission can be written after the sign-off.</source>
        <translation>未決裁です。提出版は支部長の決裁後に作成できます。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="104"/>
        <source>Groups in the work file</source>
        <translation>作業ファイルに含めるグループ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="118"/>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="121"/>
        <source>Folder:</source>
        <translation>フォルダ:</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="130"/>
        <source>Write</source>
        <translation>書き出す</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="164"/>
        <source>&amp;Sign again and write…</source>
        <translation>署名し直して書き出す(&amp;S)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="196"/>
        <source>The folder &apos;{folder}&apos; does not exist.</source>
        <translation>フォルダ「{folder}」が見つかりません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="198"/>
        <source>Choose a folder.</source>
        <translation>書き出し先のフォルダを選んでください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="202"/>
        <source>File name: {name}</source>
        <translation>ファイル名: {name}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="225"/>
        <source>Folder for the workbook</source>
        <translation>書き出し先のフォルダ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="246"/>
        <source>Writing the workbook…</source>
        <translation>ブックを書き出しています…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="263"/>
        <source>Not written: the submission&apos;s signature no longer fits the file this PlanDesk writes (PlanDesk was updated and prints the pages differently, or the report changed after the sign-off).</source>
        <translation>書き出していません：提出版の電子署名が、この PlanDesk が書き出すファイルと合わなくなりました（PlanDesk の更新で印刷の配置が変わった、または決裁後に内容が変わった）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="269"/>
        <source>Sign it again with the signing key&apos;s passphrase and it is written at once.</source>
        <translation>署名鍵のパスフレーズで署名し直すと、そのまま書き出します。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="273"/>
        <source>Only the branch head can sign it again (here, or in the Review tab: Sign the submission…); until then no submission can be written.</source>
        <translation>署名し直せるのは支部長だけです（ここで、または「確認・承認」タブの「提出版に電子署名…」で）。それまで提出版は書き出せません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="281"/>
        <source>Only the branch head signs the submission.</source>
        <translation>提出版に電子署名するのは支部長です。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/export_dialog.py" line="308"/>
        <source>Signing the submission…</source>
        <translation>提出版に電子署名しています…</translation>
    </message>
</context>
<context>
    <name>HqBoard</name>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="112"/>
        <source>Headquarters: branch submissions</source>
        <translation>本部：支部からの提出状況</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="117"/>
        <source>Browse…</source>
        <translation>参照…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="127"/>
        <source>Check the folder</source>
        <translation>フォルダを確認</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="131"/>
        <source>Folder:</source>
        <translation>フォルダ:</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="134"/>
        <source>Fiscal year:</source>
        <translation>年度:</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="139"/>
        <source>Choose the shared folder and check it.</source>
        <translation>共有フォルダを選び、「フォルダを確認」を押してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="166"/>
        <location filename="../desktop/ui/hq_board.py" line="385"/>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="166"/>
        <location filename="../desktop/ui/hq_board.py" line="386"/>
        <source>Branch</source>
        <translation>支部</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="166"/>
        <location filename="../desktop/ui/hq_board.py" line="387"/>
        <source>Status</source>
        <translation>状況</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="166"/>
        <location filename="../desktop/ui/hq_board.py" line="390"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="180"/>
        <source>Select a file to see its details.</source>
        <translation>ファイルを選ぶと、ここに詳細を表示します。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="186"/>
        <source>Write the national workbook…</source>
        <translation>全国集計ブックを作成…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="188"/>
        <source>Write the benchmark pack for branches…</source>
        <translation>支部向け全国平均・順位ファイルを作成…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="196"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="219"/>
        <source>Shared folder</source>
        <translation>共有フォルダ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="223"/>
        <source>Save as</source>
        <translation>名前を付けて保存</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="223"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel ブック (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="259"/>
        <source>Reading what the files are for…</source>
        <translation>ファイルの年度・報告期間を確認しています…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="267"/>
        <source>No branch submission in this folder.</source>
        <translation>このフォルダには支部の提出版がありません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="277"/>
        <source>Submissions in this folder: {what}</source>
        <translation>このフォルダの提出版: {what}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="309"/>
        <source>Checking the submissions…</source>
        <translation>提出ファイルを確認しています…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="309"/>
        <source>Cancel</source>
        <translation>中止</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="312"/>
        <source>Checking the submissions was cancelled.</source>
        <translation>提出ファイルの確認を中止しました。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="335"/>
        <source>{valid} valid · {unsigned} not signed off · {invalid} invalid · {missing} missing — only valid submissions are counted</source>
        <translation>有効 {valid}・未決裁 {unsigned}・無効 {invalid}・未提出 {missing} ― 集計には有効な提出版のみを使います</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="346"/>
        <source>({n} file(s) for another year or period: not counted here)</source>
        <translation>（ほかに他の年度・期間のファイル {n} 件：この集計には含めません）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="399"/>
        <source>What it is</source>
        <translation>ファイルの内容</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="401"/>
        <source>Written</source>
        <translation>作成</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="405"/>
        <source>Signed off</source>
        <translation>決裁</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="445"/>
        <source>Writing the workbook…</source>
        <translation>ブックを書き出しています…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="452"/>
        <source>Wrote {name}, signed with HQ&apos;s key {fingerprint}.</source>
        <translation>{name} を書き出しました（本部の鍵 {fingerprint} で電子署名済み）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="457"/>
        <source>Wrote {name} unsigned.</source>
        <translation>{name} を電子署名なしで書き出しました。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="465"/>
        <source>This PC has no signing key for HQ, so the file will be written unsigned.</source>
        <translation>この PC には本部の署名鍵がないため、電子署名なしで書き出します。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="468"/>
        <source>To sign it, make HQ&apos;s signing key on this PC once (plandesk keys create --branch 00), send its public key to the branches to import (plandesk keys export), and write the file again here.</source>
        <translation>電子署名するには、この PC で本部の署名鍵を一度作成し（plandesk keys create --branch 00）、その公開鍵を各支部に送って取り込んでもらい（plandesk keys export）、ここでもう一度書き出してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="474"/>
        <source>This PC&apos;s signing key is branch {branch}&apos;s, not HQ&apos;s, so the file will be written unsigned.</source>
        <translation>この PC の署名鍵は支部 {branch} のもので本部の鍵ではないため、電子署名なしで書き出します。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="477"/>
        <source>To sign it, write it on the PC that holds HQ&apos;s signing key (00).</source>
        <translation>電子署名するには、本部（00）の署名鍵がある PC で書き出してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="480"/>
        <source>plandesk verify calls an unsigned national workbook invalid: nothing shows that HQ wrote it or that it is unchanged.</source>
        <translation>電子署名のない全国集計ブックは plandesk verify で不合格になります（本部が作成したことも、変更されていないことも示せません）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="485"/>
        <source>Branches that import an unsigned benchmark pack are warned that HQ&apos;s signature cannot be checked.</source>
        <translation>電子署名のない全国平均・順位ファイルを取り込む支部には、本部の電子署名を確認できないという警告が出ます。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="488"/>
        <source>Write unsigned?</source>
        <translation>電子署名なしで書き出しますか？</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="491"/>
        <source>Write unsigned</source>
        <translation>電子署名なしで書き出す</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="506"/>
        <source>The national workbook is signed with HQ&apos;s signing key (fingerprint {fingerprint}): verify and the branches can then tell that HQ wrote it and that it is unchanged. Enter the passphrase of HQ&apos;s signing key.</source>
        <translation>全国集計ブックには本部の署名鍵（指紋 {fingerprint}）で電子署名します。これで検証（verify）や各支部で、本部が作成し変更されていないことを確かめられます。本部の署名鍵のパスフレーズを入力してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="512"/>
        <source>The benchmark pack is signed with HQ&apos;s signing key (fingerprint {fingerprint}): the branches check it when they import the pack. Enter the passphrase of HQ&apos;s signing key.</source>
        <translation>全国平均・順位ファイルには本部の署名鍵（指紋 {fingerprint}）で電子署名します。各支部は取り込むときにこの署名を確認します。本部の署名鍵のパスフレーズを入力してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="516"/>
        <source>Sign with HQ&apos;s key</source>
        <translation>本部の鍵で電子署名</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="534"/>
        <source>Opening HQ&apos;s signing key…</source>
        <translation>本部の署名鍵を開いています…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="541"/>
        <source>Wrong passphrase: HQ&apos;s signing key did not open. Nothing was written.</source>
        <translation>パスフレーズが違います。本部の署名鍵を開けませんでした。何も書き出していません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/hq_board.py" line="551"/>
        <source>This PC&apos;s signing key changed meanwhile. Nothing was written.</source>
        <translation>この PC の署名鍵が途中で変わりました。何も書き出していません。</translation>
    </message>
</context>
<context>
    <name>ImportDialog</name>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="53"/>
        <location filename="../desktop/ui/import_dialog.py" line="253"/>
        <source>Import workbook</source>
        <translation>ブックの取り込み</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="60"/>
        <source>{file} — {kind}, branch {branch}, FY{year}, written by {who} on {when}</source>
        <translation>{file} ― {kind}、支部 {branch}、{year}年度、作成 {who}（{when}）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="85"/>
        <source>This plan is not in this database yet: it will be created.</source>
        <translation>この計画はまだこのデータベースにないため、作成します。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="87"/>
        <source>Nothing to import: this database already has all of it.</source>
        <translation>取り込む変更はありません（すべて取り込み済みです）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="73"/>
        <source>New: {new}   Changed: {changed}   Conflicts: {conflicts}   Left out: {blocked}</source>
        <translation>新規: {new}&#x3000;変更: {changed}&#x3000;競合: {conflicts}&#x3000;取り込まない: {blocked}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="92"/>
        <source>Some changes are left out: the last column says why. Changes to a section are offered again once it is reopened.</source>
        <translation>取り込まない変更があります。理由は右端の列に示しています。項目への変更は、その項目を再編集にすると再び取り込めます。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="111"/>
        <source>Section / KPI</source>
        <translation>項目／KPI</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="111"/>
        <source>Field</source>
        <translation>欄</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="111"/>
        <location filename="../desktop/ui/import_dialog.py" line="239"/>
        <source>Here</source>
        <translation>手元</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="111"/>
        <source>File</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="112"/>
        <source>Keep</source>
        <translation>採用</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="131"/>
        <source>Keep all of mine</source>
        <translation>すべて手元の値を残す</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="133"/>
        <source>Take all from the file</source>
        <translation>すべてファイルの値を採用</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="138"/>
        <source>Conflicts:</source>
        <translation>競合:</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="147"/>
        <source>Import</source>
        <translation>取り込む</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="180"/>
        <source>left out</source>
        <translation>取り込まない</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="264"/>
        <source>Reading the workbook…</source>
        <translation>ブックを読み込んでいます…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="282"/>
        <source>Importing…</source>
        <translation>取り込んでいます…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="187"/>
        <source>mine</source>
        <translation>手元</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="187"/>
        <location filename="../desktop/ui/import_dialog.py" line="196"/>
        <source>file</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="196"/>
        <source>new</source>
        <translation>新規</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="217"/>
        <source>Choose mine or file for {n} conflict(s) first.</source>
        <translation>競合 {n} 件について、手元かファイルかを選んでください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="235"/>
        <source>Too long to compare character by character.</source>
        <translation>長すぎるため、文字単位の比較は表示しません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="241"/>
        <source>In the file</source>
        <translation>ファイル</translation>
    </message>
    <message>
        <location filename="../desktop/ui/import_dialog.py" line="243"/>
        <source>Differences</source>
        <translation>違い</translation>
    </message>
</context>
<context>
    <name>KpiChart</name>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="364"/>
        <source>Reported as done / not done: nothing to chart.</source>
        <translation>実施・未実施で報告する KPI のため、グラフはありません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="349"/>
        <location filename="../desktop/ui/kpi_chart.py" line="350"/>
        <source>Last year</source>
        <translation>前年度</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="351"/>
        <source>Expected pace</source>
        <translation>想定ペース</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="352"/>
        <source>Target</source>
        <translation>目標</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="353"/>
        <source>This year</source>
        <translation>今年度</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_chart.py" line="422"/>
        <source>National average</source>
        <translation>全国平均</translation>
    </message>
</context>
<context>
    <name>KpiEditor</name>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="257"/>
        <source>At least (以上)</source>
        <translation>以上</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="258"/>
        <source>At most (以下)</source>
        <translation>以下</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="259"/>
        <source>Exactly</source>
        <translation>一致（100％等）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="260"/>
        <source>Done / not done (実施)</source>
        <translation>実施・未実施</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="265"/>
        <source>Fixed value</source>
        <translation>固定値</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="266"/>
        <source>Last year&apos;s actual (対前年度)</source>
        <translation>対前年度（前年度実績）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="267"/>
        <source>Last year&apos;s year-end (対前年度末)</source>
        <translation>対前年度末</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="268"/>
        <source>Multi-year goal (複数年の目標)</source>
        <translation>複数年の目標</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="269"/>
        <source>Every month (毎月)</source>
        <translation>毎月の目標</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="270"/>
        <source>Goal in words, judged by hand (手動判定)</source>
        <translation>文章の目標（手動判定）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="274"/>
        <location filename="../desktop/ui/plan_editor.py" line="372"/>
        <source>e.g. 65.5</source>
        <translation>例: 65.5</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="277"/>
        <source>&amp;Cumulative over the year</source>
        <translation>年度累計(&amp;C)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="278"/>
        <source>Ne&amp;w this year (新設)</source>
        <translation>新設(&amp;W)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="279"/>
        <source>Definition c&amp;hanged (算出方法の変更)</source>
        <translation>算出方法の変更(&amp;H)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="283"/>
        <source>e.g. 2023</source>
        <translation>例: 2023</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="286"/>
        <source>e.g. 2029</source>
        <translation>例: 2029</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="288"/>
        <source>e.g. 前年度の水準を上回る</source>
        <translation>例: 前年度の水準を上回る</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="291"/>
        <source>Reference indicator, never &amp;judged (参考指標)</source>
        <translation>参考指標（判定しない）(&amp;J)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="295"/>
        <source>Nu&amp;mber:</source>
        <translation>番号(&amp;M):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="296"/>
        <source>KPI &amp;name:</source>
        <translation>KPI名(&amp;N):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="297"/>
        <source>&amp;Unit:</source>
        <translation>単位(&amp;U):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="298"/>
        <source>&amp;Decimals:</source>
        <translation>小数桁数(&amp;D):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="299"/>
        <source>Di&amp;rection:</source>
        <translation>目標の向き(&amp;R):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="300"/>
        <source>&amp;Kind of target:</source>
        <translation>目標の種類(&amp;K):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="301"/>
        <source>&amp;Baseline year:</source>
        <translation>基準年度(&amp;B):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="302"/>
        <source>Baseline &amp;value:</source>
        <translation>基準値(&amp;V):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="303"/>
        <source>&amp;Goal year:</source>
        <translation>目標年度(&amp;G):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="304"/>
        <source>&amp;Target:</source>
        <translation>目標値(&amp;T):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="305"/>
        <source>Goal &amp;in words:</source>
        <translation>文章の目標(&amp;I):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="306"/>
        <source>Num&amp;erator label:</source>
        <translation>分子の名称(&amp;E):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="307"/>
        <source>Den&amp;ominator label:</source>
        <translation>分母の名称(&amp;O):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="311"/>
        <source>Wh&amp;at changed in the definition:</source>
        <translation>算出方法の変更の内容(&amp;A):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="313"/>
        <source>&amp;Footnote:</source>
        <translation>備考(&amp;F):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="342"/>
        <source>HQ template: every branch&apos;s plan is made from it</source>
        <translation>本部テンプレート：各支部の計画はここから作られます</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="344"/>
        <source>【支部独自】 added by the branch</source>
        <translation>【支部独自】支部が追加した項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="346"/>
        <source>HQ&apos;s framework</source>
        <translation>本部の計画の枠組み</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="372"/>
        <source>(no fixed value)</source>
        <translation>（固定値なし）</translation>
    </message>
</context>
<context>
    <name>KpiTableModel</name>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="161"/>
        <source>KPI</source>
        <translation>KPI設定項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="162"/>
        <source>Target</source>
        <translation>目標</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="163"/>
        <source>Last year</source>
        <translation>前年度実績</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="164"/>
        <source>Actual</source>
        <translation>実績</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="165"/>
        <source>Numerator</source>
        <translation>分子</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="166"/>
        <source>Denominator</source>
        <translation>分母</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="167"/>
        <source>As of</source>
        <translation>時点</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="168"/>
        <source>Prelim.</source>
        <translation>速報値</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="169"/>
        <source>Why no value</source>
        <translation>未入力の理由</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="170"/>
        <source>Status</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="171"/>
        <source>National avg.</source>
        <translation>全国平均</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="172"/>
        <source>Rank</source>
        <translation>全国順位</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="173"/>
        <source>Old method</source>
        <translation>旧算出方法</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="178"/>
        <source>Type the figure as you like: 98.4, ９８．４％, 14,097円, ▲5</source>
        <translation>数値を入力：98.4、９８．４％、14,097円、▲5 など</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="179"/>
        <source>Month of the figure: 令和6年9月, R6.9, 2024/9</source>
        <translation>実績の時点：令和6年9月、R6.9、2024/9</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="180"/>
        <source>Preliminary figure (速報値)</source>
        <translation>速報値</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="181"/>
        <source>Why there is no figure yet, e.g. 下期実施予定</source>
        <translation>実績がない理由（例：下期実施予定）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="183"/>
        <source>How the figure stands against the target. A goal in words is judged by a person: double-click its status to give the verdict and the reason.</source>
        <translation>目標に対する実績の判定です。文章の目標は担当者が判定します（手動判定）：判定欄をダブルクリックして判定と理由を入力します。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="187"/>
        <source>The figure by the old method of a KPI whose definition changed; shown beside the new one, for reference</source>
        <translation>算出方法が変更された KPI の旧算出方法による実績（参考として新しい実績と並べて表示）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="308"/>
        <source> [new]</source>
        <translation>【新設】</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="310"/>
        <source> [definition changed]</source>
        <translation>【算出方法の変更】</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="312"/>
        <source> [reference indicator]</source>
        <translation> ［参考指標］</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="324"/>
        <source>Done</source>
        <translation>実施</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="324"/>
        <source>Not done</source>
        <translation>未実施</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="354"/>
        <source>No. {rank}</source>
        <translation>全国{rank}位</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_model.py" line="386"/>
        <source>Type 実施 (done) or 未実施 (not done) for this KPI, not &apos;{text}&apos;.</source>
        <translation>この KPI は「実施」または「未実施」で入力してください（入力：「{text}」）。</translation>
    </message>
</context>
<context>
    <name>KpiTableView</name>
    <message>
        <location filename="../desktop/ui/kpi_view.py" line="235"/>
        <source>The pasted block is larger than the table: nothing was pasted.</source>
        <translation>貼り付ける範囲が表より大きいため、貼り付けは行いませんでした。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_view.py" line="243"/>
        <source>Column &apos;{column}&apos; cannot be typed into: nothing was pasted.</source>
        <translation>「{column}」列には入力できません。貼り付けは行いませんでした。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/kpi_view.py" line="257"/>
        <source>Pasted {n} cell(s).</source>
        <translation>{n}セルを貼り付けました。</translation>
    </message>
</context>
<context>
    <name>LengthCounter</name>
    <message>
        <location filename="../desktop/ui/length_counter.py" line="54"/>
        <source>{n} / {limit} characters · too long to save</source>
        <translation>{n} / {limit}文字・長すぎて保存できません</translation>
    </message>
    <message>
        <location filename="../desktop/ui/length_counter.py" line="58"/>
        <source>At most {limit} characters can be stored. Shorten the text: it is not saved until then.</source>
        <translation>保存できるのは{limit}文字までです。短くしてください。それまでは保存されません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/length_counter.py" line="64"/>
        <source>{n} / {limit} characters · long for print</source>
        <translation>{n} / {limit}文字・印刷では長めです</translation>
    </message>
    <message>
        <location filename="../desktop/ui/length_counter.py" line="68"/>
        <source>One cell of the printed report holds about {hint} characters; a longer text continues over several rows. Consider keeping to the main points.</source>
        <translation>印刷した報告の1つの欄に収まるのは約{hint}文字です。これより長いと複数の行に分かれて印刷されます。要点を絞ることをおすすめします。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/length_counter.py" line="74"/>
        <source>{n} / {limit} characters</source>
        <translation>{n} / {limit}文字</translation>
    </message>
    <message>
        <location filename="../desktop/ui/length_counter.py" line="77"/>
        <source>At most {limit} characters; about {hint} print in one cell of the report.</source>
        <translation>{limit}文字まで入力できます。印刷した報告の1つの欄に収まるのは約{hint}文字です。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/length_counter.py" line="80"/>
        <source>At most {limit} characters.</source>
        <translation>{limit}文字まで入力できます。</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <location filename="../desktop/ui/main_window.py" line="82"/>
        <location filename="../desktop/ui/main_window.py" line="483"/>
        <location filename="../desktop/ui/main_window.py" line="652"/>
        <location filename="../desktop/ui/main_window.py" line="703"/>
        <location filename="../desktop/ui/main_window.py" line="740"/>
        <location filename="../desktop/ui/main_window.py" line="821"/>
        <location filename="../desktop/ui/main_window.py" line="847"/>
        <location filename="../desktop/ui/main_window.py" line="860"/>
        <source>PlanDesk</source>
        <translation>PlanDesk</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="106"/>
        <source>&amp;Dashboard</source>
        <translation>ダッシュボード(&amp;D)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="101"/>
        <source>Sect&amp;ions</source>
        <translation>項目(&amp;I)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="107"/>
        <source>Re&amp;view</source>
        <translation>確認・承認(&amp;V)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="196"/>
        <source>Report</source>
        <translation>報告</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="208"/>
        <source>Mid-year progress (上期)</source>
        <translation>上期（進捗状況）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="209"/>
        <source>Annual report (事業報告)</source>
        <translation>事業報告（年度）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="210"/>
        <source>Writing the plan (計画作成)</source>
        <translation>計画作成</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="212"/>
        <source>&amp;Branch</source>
        <translation>支部(&amp;B)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="213"/>
        <source>Fiscal &amp;year</source>
        <translation>年度(&amp;Y)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="214"/>
        <source>&amp;Period</source>
        <translation>報告期間(&amp;P)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="233"/>
        <source>&amp;File</source>
        <translation>ファイル(&amp;F)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="234"/>
        <source>&amp;Audit trail…</source>
        <translation>変更履歴(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="238"/>
        <source>&amp;Export workbook…</source>
        <translation>ブックの書き出し(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="241"/>
        <source>&amp;Import workbook…</source>
        <translation>ブックの取り込み(&amp;I)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="244"/>
        <source>Import plan &amp;template…</source>
        <translation>計画テンプレートの取り込み(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="246"/>
        <source>Import &amp;national averages and ranks…</source>
        <translation>全国平均・順位の取り込み(&amp;N)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="254"/>
        <source>Next &amp;year&apos;s plan…</source>
        <translation>次年度の計画を作成(&amp;Y)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="256"/>
        <source>&amp;Confirm new and redefined KPIs…</source>
        <translation>新設・定義変更 KPI の確認(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="258"/>
        <source>&amp;Headquarters: branch submissions…</source>
        <translation>本部：支部の提出状況と全国集計(&amp;H)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="264"/>
        <source>&amp;Quit</source>
        <translation>終了(&amp;Q)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="269"/>
        <source>&amp;Edit</source>
        <translation>編集(&amp;E)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="270"/>
        <source>&amp;Undo</source>
        <translation>元に戻す(&amp;U)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="272"/>
        <source>&amp;Redo</source>
        <translation>やり直す(&amp;R)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="280"/>
        <source>&amp;Go</source>
        <translation>移動(&amp;G)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="281"/>
        <source>&amp;Find section…</source>
        <translation>項目を検索(&amp;F)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="284"/>
        <source>&amp;Next section</source>
        <translation>次の項目(&amp;N)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="287"/>
        <source>&amp;Previous section</source>
        <translation>前の項目(&amp;P)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="297"/>
        <source>&amp;Users</source>
        <translation>ユーザー(&amp;U)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="298"/>
        <source>S&amp;witch user…</source>
        <translation>ユーザー切替(&amp;W)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="302"/>
        <source>Switch user</source>
        <translation>ユーザー切替</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="303"/>
        <source>Switch user (Ctrl+Shift+U)</source>
        <translation>ユーザー切替（Ctrl+Shift+U）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="307"/>
        <source>&amp;Manage users…</source>
        <translation>ユーザー管理(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="311"/>
        <source>&amp;Settings</source>
        <translation>設定(&amp;S)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="321"/>
        <source>P&amp;lan</source>
        <translation>計画(&amp;L)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="330"/>
        <source>Plan &amp;approval…</source>
        <translation>計画の承認(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="333"/>
        <source>&amp;Reference figures…</source>
        <translation>参考値(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="359"/>
        <source>&amp;Targets per branch…</source>
        <translation>支部別目標(&amp;T)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="385"/>
        <source>There is no HQ template (branch 00) in this database.</source>
        <translation>このデータベースには本部テンプレート（支部 00 の計画）がありません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="422"/>
        <source>HQ template</source>
        <translation>本部テンプレート</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="494"/>
        <source>As of {month}</source>
        <translation>{month}時点</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="523"/>
        <source>&amp;Edit plan…</source>
        <translation>計画の編集(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="589"/>
        <source>Signed again with key {fingerprint} and written: {path}</source>
        <translation>鍵 {fingerprint} で署名し直して書き出しました: {path}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="593"/>
        <source>Written: {path}</source>
        <translation>書き出しました: {path}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="599"/>
        <source>Excel workbook (*.xlsx)</source>
        <translation>Excel ブック (*.xlsx)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="609"/>
        <source>Import workbook</source>
        <translation>ブックの取り込み</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="643"/>
        <source>National averages and ranks from headquarters</source>
        <translation>本部からの全国平均・順位ファイル</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="689"/>
        <source>Restore from &amp;backup…</source>
        <translation>バックアップから復元(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="704"/>
        <source>An edit could not be saved. Correct or undo it, then restore.</source>
        <translation>入力を保存できませんでした。修正するか元に戻してから復元してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="715"/>
        <source>The backup was restored.</source>
        <translation>バックアップから復元しました。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="741"/>
        <source>An edit could not be saved. Correct or undo it, then switch user.</source>
        <translation>保存できなかった入力があります。修正するか元に戻してから、ユーザーを切り替えてください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="759"/>
        <source>{login} (not registered)</source>
        <translation>{login}（未登録）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="761"/>
        <source>{login} (deactivated)</source>
        <translation>{login}（無効）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="764"/>
        <source>User: {who}</source>
        <translation>ユーザー: {who}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="800"/>
        <source>Saved {time}</source>
        <translation>保存済み {time}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="809"/>
        <source>Saving…</source>
        <translation>保存中…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="822"/>
        <source>The language changes when PlanDesk is started again.</source>
        <translation>表示言語は PlanDesk の再起動後に切り替わります。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/main_window.py" line="861"/>
        <source>An edit could not be saved. Close anyway and lose it?</source>
        <translation>保存できなかった変更があります。破棄して閉じますか？</translation>
    </message>
</context>
<context>
    <name>ManualVerdictDialog</name>
    <message>
        <location filename="../desktop/ui/manual_verdict.py" line="35"/>
        <source>Verdict by hand</source>
        <translation>手動判定</translation>
    </message>
    <message>
        <location filename="../desktop/ui/manual_verdict.py" line="37"/>
        <source>{kpi}
Goal: {goal}</source>
        <translation>{kpi}
目標：{goal}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/manual_verdict.py" line="44"/>
        <source>(not judged yet)</source>
        <translation>（未判定）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/manual_verdict.py" line="63"/>
        <source>Verdict</source>
        <translation>判定</translation>
    </message>
    <message>
        <location filename="../desktop/ui/manual_verdict.py" line="64"/>
        <source>Reason (required)</source>
        <translation>理由（必須）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/manual_verdict.py" line="70"/>
        <source>This goal has no number: a person judges it. The verdict is shown marked &apos;judged by hand&apos; and is never replaced by a computed one.</source>
        <translation>この目標には数値がないため、担当者が判定します。判定は「手動判定」と表示され、計算による判定で置き換えられることはありません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/manual_verdict.py" line="89"/>
        <source>A verdict by hand needs a reason.</source>
        <translation>手動判定には理由の記入が必要です。</translation>
    </message>
</context>
<context>
    <name>MonthlyModel</name>
    <message>
        <location filename="../desktop/ui/monthly_model.py" line="109"/>
        <source>Monthly</source>
        <translation>月次実績</translation>
    </message>
    <message>
        <location filename="../desktop/ui/monthly_model.py" line="138"/>
        <source>The report&apos;s figure for this month (change it in the KPI table above).</source>
        <translation>この月の報告値です（上の KPI 表で変更してください）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/monthly_model.py" line="140"/>
        <source>Type this month&apos;s figure; blank removes it.</source>
        <translation>この月の実績を入力します（空欄で削除）。</translation>
    </message>
</context>
<context>
    <name>MoveToDialog</name>
    <message>
        <location filename="../desktop/ui/plan_move_dialog.py" line="35"/>
        <source>Move to</source>
        <translation>移動先</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_move_dialog.py" line="37"/>
        <source>Move “{what}” (with all under it) to the end of:</source>
        <translation>「{what}」（下の項目ごと）を次の末尾へ移動します:</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_move_dialog.py" line="49"/>
        <source>(here now)</source>
        <translation>（現在の位置）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_move_dialog.py" line="64"/>
        <source>Move</source>
        <translation>移動</translation>
    </message>
</context>
<context>
    <name>Navigator</name>
    <message>
        <location filename="../desktop/ui/navigator.py" line="292"/>
        <source>Find sections (Ctrl+F)</source>
        <translation>項目を検索（Ctrl+F）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="296"/>
        <source>All sections</source>
        <translation>すべての項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="297"/>
        <source>Still empty</source>
        <translation>未入力あり</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="298"/>
        <source>KPI not met</source>
        <translation>KPI未達成</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="338"/>
        <source>Group: {g}</source>
        <translation>{g}グループ</translation>
    </message>
</context>
<context>
    <name>NavigatorModel</name>
    <message>
        <location filename="../desktop/ui/navigator.py" line="83"/>
        <source>Section</source>
        <translation>項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="83"/>
        <source>Mark</source>
        <translation>評価</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="83"/>
        <source>State</source>
        <translation>状況</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="137"/>
        <source>{n} of {total} entered (status and mark)</source>
        <translation>{n}／{total}件 記入済み（実施状況と評価）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="152"/>
        <source>[own]</source>
        <translation>【支部独自】</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="204"/>
        <source>Not started</source>
        <translation>未着手</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="205"/>
        <source>In progress</source>
        <translation>入力中</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="206"/>
        <source>Complete (status and mark entered)</source>
        <translation>入力済み（実施状況と評価あり）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="210"/>
        <source>A KPI is not met or behind pace</source>
        <translation>未達成または遅れているKPIがあります</translation>
    </message>
    <message>
        <location filename="../desktop/ui/navigator.py" line="212"/>
        <source>KPIs met or on pace</source>
        <translation>KPIは達成または順調</translation>
    </message>
</context>
<context>
    <name>NodeEditor</name>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="101"/>
        <source>(as the heading above)</source>
        <translation>（上位の見出しと同じ）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="111"/>
        <source>Smaller first in a report organised by group; blank: in the tree&apos;s order</source>
        <translation>グループ別の報告で小さい番号ほど先に載ります。空欄：計画の階層順</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="116"/>
        <source>Default (sections and pillars)</source>
        <translation>既定（柱・節の下）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="117"/>
        <source>Allowed</source>
        <translation>追加できる</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="118"/>
        <source>Not allowed</source>
        <translation>追加できない</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="120"/>
        <source>&amp;Number:</source>
        <translation>番号(&amp;N):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="121"/>
        <source>&amp;Title:</source>
        <translation>見出し(&amp;T):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="122"/>
        <source>&amp;Group:</source>
        <translation>担当グループ(&amp;G):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="123"/>
        <source>&amp;Plan text:</source>
        <translation>事業計画(&amp;P):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="124"/>
        <source>I&amp;mportance reason:</source>
        <translation>重要度の理由(&amp;M):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="125"/>
        <source>&amp;Difficulty reason:</source>
        <translation>困難度の理由(&amp;D):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="126"/>
        <source>&amp;Footnotes (one per line):</source>
        <translation>注記（1行に1件）(&amp;F):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="127"/>
        <source>Place in the report b&amp;y group:</source>
        <translation>グループ別報告での順番(&amp;Y):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="128"/>
        <source>&amp;Branches may add here:</source>
        <translation>支部の追加(&amp;B):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="131"/>
        <source>Blank: not tagged 【重要度：高】</source>
        <translation>空欄: 【重要度：高】なし</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="132"/>
        <source>Blank: not tagged 【困難度：高】</source>
        <translation>空欄: 【困難度：高】なし</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="144"/>
        <source>&amp;Rated together with:</source>
        <translation>まとめて評価する項目(&amp;R):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="147"/>
        <source>One mark and one reason for several items: they are entered on the first</source>
        <translation>複数の項目に一つの評価と理由をつけます（最初の項目で入力します）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="161"/>
        <source>(rated on its own)</source>
        <translation>（単独で評価）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="174"/>
        <source>Rated together: {items} (their mark is entered here)</source>
        <translation>{items}でまとめて評価（評価はこの項目で入力）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="199"/>
        <source>HQ template: every branch&apos;s plan is made from it</source>
        <translation>本部テンプレート：各支部の計画はここから作られます</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="201"/>
        <source>【支部独自】 added by the branch</source>
        <translation>【支部独自】支部が追加した項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="203"/>
        <source>HQ&apos;s framework</source>
        <translation>本部の計画の枠組み</translation>
    </message>
</context>
<context>
    <name>PassphraseDialog</name>
    <message>
        <location filename="../desktop/ui/passphrase_dialog.py" line="44"/>
        <source>Sign the submission</source>
        <translation>提出版への電子署名</translation>
    </message>
    <message>
        <location filename="../desktop/ui/passphrase_dialog.py" line="47"/>
        <source>This PC has no signing key yet. Set the passphrase that protects it (at least {n} characters). Only the branch head should know it: it is asked at every sign-off, and it cannot be recovered.</source>
        <translation>この PC にはまだ署名鍵がありません。署名鍵を守るパスフレーズを決めてください（{n} 文字以上）。支部長だけが知るものとし、決裁のたびに入力します。忘れると元に戻せません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/passphrase_dialog.py" line="53"/>
        <source>The submission is signed with this PC&apos;s signing key. Enter the passphrase of the signing key.</source>
        <translation>提出版にはこの PC の署名鍵で電子署名します。署名鍵のパスフレーズを入力してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/passphrase_dialog.py" line="66"/>
        <source>Passphrase:</source>
        <translation>パスフレーズ：</translation>
    </message>
    <message>
        <location filename="../desktop/ui/passphrase_dialog.py" line="68"/>
        <source>Again:</source>
        <translation>もう一度：</translation>
    </message>
    <message>
        <location filename="../desktop/ui/passphrase_dialog.py" line="94"/>
        <source>Enter the passphrase.</source>
        <translation>パスフレーズを入力してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/passphrase_dialog.py" line="97"/>
        <source>The passphrase needs at least {n} characters.</source>
        <translation>パスフレーズは {n} 文字以上にしてください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/passphrase_dialog.py" line="100"/>
        <source>The two passphrases differ.</source>
        <translation>2 つのパスフレーズが一致しません。</translation>
    </message>
</context>
<context>
    <name>PasswordDialog</name>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="192"/>
        <source>Reset password</source>
        <translation>パスワードの再設定</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="200"/>
        <source>New password</source>
        <translation>新しいパスワード</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="201"/>
        <source>Password again</source>
        <translation>パスワード（確認）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="209"/>
        <source>New password for {who}</source>
        <translation>{who} の新しいパスワード</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="213"/>
        <source>Leave both empty to remove the password (staff only).</source>
        <translation>両方とも空欄にするとパスワードを削除します（担当者のみ）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="221"/>
        <source>The two passwords differ.</source>
        <translation>2つのパスワードが一致しません。</translation>
    </message>
</context>
<context>
    <name>PdfExport</name>
    <message>
        <location filename="../desktop/ui/pdf_export.py" line="49"/>
        <source>Export &amp;PDF…</source>
        <translation>PDF の書き出し(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/pdf_export.py" line="57"/>
        <location filename="../desktop/ui/pdf_export.py" line="100"/>
        <source>Export PDF</source>
        <translation>PDF の書き出し</translation>
    </message>
    <message>
        <location filename="../desktop/ui/pdf_export.py" line="57"/>
        <source>PDF (*.pdf)</source>
        <translation>PDF (*.pdf)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/pdf_export.py" line="97"/>
        <source>Writing the PDF…</source>
        <translation>PDF を書き出しています…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/pdf_export.py" line="104"/>
        <source>Written: {path}</source>
        <translation>書き出しました: {path}</translation>
    </message>
</context>
<context>
    <name>PlanChangesDialog</name>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="345"/>
        <source>Changes since approval</source>
        <translation>承認後の変更</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="361"/>
        <source>No plan is open.</source>
        <translation>計画が開かれていません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="366"/>
        <source>There is no record of this plan as approved yet: it is kept from the next approval (or when a plan approved before this version is reopened).</source>
        <translation>この計画には承認時の内容の記録がまだありません。次の承認から（この版より前に承認された計画は、再編集にしたときから）記録されます。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="375"/>
        <source>Compared with the plan as approved on {when}.</source>
        <translation>{when} に承認された計画との比較です。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="382"/>
        <source>No changes since the approval.</source>
        <translation>承認後の変更はありません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="392"/>
        <source>added</source>
        <translation>追加</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="393"/>
        <source>removed</source>
        <translation>削除</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="394"/>
        <source>changed</source>
        <translation>変更</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="418"/>
        <source>Heading</source>
        <translation>見出し</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="430"/>
        <source>Plan text</source>
        <translation>事業計画</translation>
    </message>
</context>
<context>
    <name>PlanEditPresenter</name>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="114"/>
        <source>Add {what}</source>
        <translation>{what} の追加</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="125"/>
        <source>Add KPI {name}</source>
        <translation>KPI {name} の追加</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="180"/>
        <source>Remove {what}</source>
        <translation>{what} の削除</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="200"/>
        <location filename="../desktop/ui/plan_presenter.py" line="222"/>
        <location filename="../desktop/ui/plan_presenter.py" line="264"/>
        <source>Move {what}</source>
        <translation>{what} の移動</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="293"/>
        <location filename="../desktop/ui/plan_presenter.py" line="326"/>
        <source>{field} of {where}</source>
        <translation>{where} の{field}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="339"/>
        <source>number</source>
        <translation>番号</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="340"/>
        <source>title</source>
        <translation>見出し</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="341"/>
        <source>group</source>
        <translation>担当グループ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="342"/>
        <source>importance tag</source>
        <translation>重要度</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="343"/>
        <source>difficulty tag</source>
        <translation>困難度</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="344"/>
        <source>footnotes</source>
        <translation>注記</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="345"/>
        <source>branch may add</source>
        <translation>支部の追加</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="346"/>
        <source>place in the report</source>
        <translation>報告での順番</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="347"/>
        <source>rated together with</source>
        <translation>まとめて評価する項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="348"/>
        <source>KPI name</source>
        <translation>KPI名</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="349"/>
        <source>unit</source>
        <translation>単位</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="350"/>
        <source>decimals</source>
        <translation>小数桁数</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="351"/>
        <source>direction</source>
        <translation>目標の向き</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="352"/>
        <source>kind of target</source>
        <translation>目標の種類</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="353"/>
        <source>target</source>
        <translation>目標値</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="354"/>
        <source>numerator label</source>
        <translation>分子の名称</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="355"/>
        <source>denominator label</source>
        <translation>分母の名称</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="356"/>
        <source>cumulative</source>
        <translation>累積</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="357"/>
        <source>new this year</source>
        <translation>新設</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="358"/>
        <source>definition changed</source>
        <translation>算出方法の変更</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="359"/>
        <source>note</source>
        <translation>備考</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="360"/>
        <source>reference indicator</source>
        <translation>参考指標</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="361"/>
        <source>baseline year</source>
        <translation>基準年度</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="362"/>
        <source>baseline value</source>
        <translation>基準値</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="363"/>
        <source>goal year</source>
        <translation>目標年度</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="364"/>
        <source>goal in words</source>
        <translation>文章の目標</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_presenter.py" line="365"/>
        <source>what changed in the definition</source>
        <translation>算出方法の変更の内容</translation>
    </message>
</context>
<context>
    <name>PlanEditorWindow</name>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="420"/>
        <source>Plan</source>
        <translation>計画</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="428"/>
        <source>Add pillar</source>
        <translation>柱の追加</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="429"/>
        <source>Add section</source>
        <translation>節の追加</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="430"/>
        <source>Add item</source>
        <translation>項目の追加</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="431"/>
        <source>Add KPI</source>
        <translation>KPIの追加</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="432"/>
        <source>Move up</source>
        <translation>上へ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="433"/>
        <source>Move down</source>
        <translation>下へ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="434"/>
        <source>Move to…</source>
        <translation>移動先…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="435"/>
        <location filename="../desktop/ui/plan_editor.py" line="830"/>
        <source>Remove</source>
        <translation>削除</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="436"/>
        <source>Targets per branch…</source>
        <translation>支部別目標…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="461"/>
        <source>&amp;Undo</source>
        <translation>元に戻す(&amp;U)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="463"/>
        <source>&amp;Redo</source>
        <translation>やり直す(&amp;R)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="481"/>
        <source>Choose a section or a KPI on the left.</source>
        <translation>左の一覧から項目か KPI を選んでください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="489"/>
        <source>Details</source>
        <translation>内容</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="494"/>
        <source>Approval</source>
        <translation>承認</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="495"/>
        <source>Reference figures</source>
        <translation>参考値</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="555"/>
        <source>Edit HQ template — FY{year} — {title}</source>
        <translation>本部テンプレートの編集 — {year}年度 — {title}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="560"/>
        <source>Edit plan — {title}</source>
        <translation>計画の編集 — {title}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="565"/>
        <source>HQ template: the tree, the texts and the KPI definitions every branch&apos;s plan is made from. Targets per branch (Ctrl+T) hands each branch its own targets.</source>
        <translation>本部テンプレート：各支部の計画の元になる構成・本文・KPIの定義です。支部別目標（Ctrl+T）で支部ごとの目標を設定します。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="570"/>
        <source>Branch plan: write the plan texts and targets; add your own sections, items and KPIs where HQ&apos;s template allows them (【支部独自】).</source>
        <translation>支部の計画：事業計画の本文と目標を入力します。本部テンプレートが認める箇所には、支部独自の節・項目・KPIを追加できます（【支部独自】）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="605"/>
        <location filename="../desktop/ui/plan_editor.py" line="611"/>
        <source>[own]</source>
        <translation>【支部独自】</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="707"/>
        <source>Only HQ&apos;s template can have pillars added.</source>
        <translation>柱を追加できるのは本部テンプレートだけです。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="709"/>
        <source>New pillar</source>
        <translation>新しい柱</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="717"/>
        <source>Targets per branch belong to HQ&apos;s template.</source>
        <translation>支部別目標は本部テンプレートで設定します。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="739"/>
        <source>New section</source>
        <translation>新しい節</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="746"/>
        <source>New item</source>
        <translation>新しい項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_editor.py" line="762"/>
        <source>New KPI</source>
        <translation>新しいKPI</translation>
    </message>
</context>
<context>
    <name>PlanStatusDialog</name>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="450"/>
        <source>Plan approval</source>
        <translation>計画の承認</translation>
    </message>
</context>
<context>
    <name>PlanStatusWidget</name>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="88"/>
        <source>&amp;Submit plan</source>
        <translation>計画を提出(&amp;S)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="91"/>
        <source>&amp;Approve</source>
        <translation>承認(&amp;A)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="94"/>
        <source>Send &amp;back…</source>
        <translation>差戻し(&amp;B)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="97"/>
        <source>&amp;Reopen…</source>
        <translation>再編集にする(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="100"/>
        <source>&amp;Changes since approval…</source>
        <translation>承認後の変更(&amp;C)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="166"/>
        <source>No plan is open.</source>
        <translation>計画が開かれていません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="176"/>
        <source>{state} (reopened after approval)</source>
        <translation>{state}（承認後の再編集）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="185"/>
        <source>Submitted by {who} on {when}</source>
        <translation>提出: {who}（{when}）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="191"/>
        <source>Last approved by {who} on {when}</source>
        <translation>承認: {who}（{when}）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="198"/>
        <source>Reason given: {reason}</source>
        <translation>理由: {reason}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="213"/>
        <source>The plan text, the tree and the KPI definitions and targets can be edited. When the plan is ready, the planning group submits it to the branch head. Reports can be written meanwhile; they are not part of the plan.</source>
        <translation>事業計画の本文・項目の構成・KPI の設定と目標を編集できます。計画ができたら、企画総務グループが支部長に提出します。報告（実施状況・評価・実績）はこの間も入力できます（計画の内容ではありません）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="219"/>
        <source>Waiting for the branch head&apos;s approval. The plan&apos;s content is locked; the submitter can take the submission back with Edit ▸ Undo.</source>
        <translation>支部長の承認待ちです。計画の内容は変更できません。提出した人は［編集］▸［元に戻す］で提出を取り消せます。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="223"/>
        <source>The plan is approved and locked. To change it, the branch head reopens it with a reason; the changes are then shown against the approved plan.</source>
        <translation>計画は承認済みで、変更できません。変更するには支部長が理由を付けて再編集にします。変更は承認時の計画と比べて表示されます。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="258"/>
        <source>The plan is submitted for the branch head&apos;s approval.</source>
        <translation>計画を支部長の承認に提出しました。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="284"/>
        <source>The plan is approved: its content is locked for the year&apos;s reporting.</source>
        <translation>計画を承認しました。年度の報告のあいだ、計画の内容は変更できません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="289"/>
        <source>Send the plan back</source>
        <translation>計画の差戻し</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="289"/>
        <source>Why is the plan sent back? (required)</source>
        <translation>差し戻す理由（必須）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="295"/>
        <source>The plan is sent back to the planning group.</source>
        <translation>計画を企画総務グループに差し戻しました。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="301"/>
        <source>Reopen the plan</source>
        <translation>計画の再編集</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="301"/>
        <source>Why is the approved plan reopened? (required)</source>
        <translation>承認済みの計画を再編集にする理由（必須）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="307"/>
        <source>The plan is reopened: changes are shown against the approved plan.</source>
        <translation>計画を再編集にしました。変更は承認時の計画と比べて表示されます。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="321"/>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <location filename="../desktop/ui/plan_status.py" line="322"/>
        <source>Password of {who}:</source>
        <translation>{who} のパスワード:</translation>
    </message>
</context>
<context>
    <name>ReferenceDialog</name>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="309"/>
        <source>Reference figures</source>
        <translation>参考値</translation>
    </message>
</context>
<context>
    <name>ReferenceModel</name>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="144"/>
        <source>No. {n}</source>
        <translation>{n}位</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="166"/>
        <source>HQ&apos;s pack gives this report&apos;s national figures: read-only.</source>
        <translation>この報告の全国値は本部提供の値です（入力できません）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="177"/>
        <source>From HQ&apos;s benchmark pack: read-only (a pack replaces figures typed here).</source>
        <translation>本部提供の値です（入力できません。本部の値は入力された値に置き換わります）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="180"/>
        <source>Carried over from last year&apos;s plan; typing replaces it.</source>
        <translation>前年度の計画から繰り越した値です。入力すると置き換わります。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="182"/>
        <source>Typed by the branch; HQ&apos;s pack replaces it when it arrives.</source>
        <translation>支部で入力した値です。本部提供の値が届くと置き換わります。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="183"/>
        <source>As the plan came (HQ&apos;s template or a plan file).</source>
        <translation>計画に含まれていた値です（本部テンプレートまたは計画ファイル）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="217"/>
        <source>KPI</source>
        <translation>KPI</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="219"/>
        <source>Last year&apos;s actual</source>
        <translation>前年度実績</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="220"/>
        <source>Year before&apos;s actual</source>
        <translation>前々年度実績</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="221"/>
        <source>National average (this report)</source>
        <translation>全国平均（今回の報告）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="222"/>
        <source>National rank (this report)</source>
        <translation>全国順位（今回の報告）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="223"/>
        <source>Last year&apos;s national average</source>
        <translation>前年度の全国平均</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="224"/>
        <source>Last year&apos;s national rank</source>
        <translation>前年度の全国順位</translation>
    </message>
</context>
<context>
    <name>ReferenceTable</name>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="271"/>
        <source>&amp;Undo</source>
        <translation>元に戻す(&amp;U)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="273"/>
        <source>&amp;Redo</source>
        <translation>やり直す(&amp;R)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/reference_table.py" line="289"/>
        <source>{typed} typed here, replaced by HQ&apos;s pack when it arrives · {carried} carried over from last year&apos;s plan · {pack} HQ&apos;s benchmark pack, read-only · 〔{plan}〕 as the plan came. Type a rank as 12 or 全国12位; leave a cell empty to clear it.</source>
        <translation>{typed} 支部で入力（本部提供の値が届くと置き換わります）・{carried} 前年度から繰越・{pack} 本部提供（入力不可）・〔{plan}〕 計画に含まれていた値。順位は 12 または 全国12位 と入力します。空欄にすると消去します。</translation>
    </message>
</context>
<context>
    <name>ReportController</name>
    <message>
        <location filename="../desktop/ui/controller.py" line="548"/>
        <source>submitting the plan</source>
        <translation>計画の提出</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="588"/>
        <source>Undone: {what}</source>
        <translation>元に戻しました：{what}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="588"/>
        <source>Redone: {what}</source>
        <translation>やり直しました：{what}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="599"/>
        <source>monthly figure {month}</source>
        <translation>{month}の月次実績</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="601"/>
        <source>{n} cells</source>
        <translation>{n}セル</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="607"/>
        <source>{what} of {where}</source>
        <translation>{where} の{what}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="612"/>
        <source>what was done</source>
        <translation>実施状況</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="613"/>
        <source>self-rating</source>
        <translation>自己評価</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="613"/>
        <source>mark</source>
        <translation>評価</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="614"/>
        <source>reason for the rating</source>
        <translation>評価の理由</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="615"/>
        <source>next steps</source>
        <translation>今後の実施予定等</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="616"/>
        <source>concrete actions</source>
        <translation>具体的な取り組み</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="617"/>
        <source>plan text</source>
        <translation>事業計画</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="618"/>
        <location filename="../desktop/ui/controller.py" line="619"/>
        <source>actual</source>
        <translation>実績</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="620"/>
        <source>numerator</source>
        <translation>分子</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="621"/>
        <source>denominator</source>
        <translation>分母</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="622"/>
        <source>as-of month</source>
        <translation>時点</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="623"/>
        <source>preliminary flag</source>
        <translation>速報値</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="624"/>
        <source>reason for no value</source>
        <translation>未入力の理由</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="625"/>
        <source>verdict by hand</source>
        <translation>手動判定</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="626"/>
        <source>reason for the verdict</source>
        <translation>手動判定の理由</translation>
    </message>
    <message>
        <location filename="../desktop/ui/controller.py" line="627"/>
        <source>figure by the old method</source>
        <translation>旧算出方法による実績</translation>
    </message>
</context>
<context>
    <name>ReportLayoutBox</name>
    <message>
        <location filename="../desktop/ui/report_layout_box.py" line="25"/>
        <source>Report layout</source>
        <translation>報告の構成</translation>
    </message>
    <message>
        <location filename="../desktop/ui/report_layout_box.py" line="30"/>
        <source>By the plan&apos;s tree</source>
        <translation>計画の階層順</translation>
    </message>
    <message>
        <location filename="../desktop/ui/report_layout_box.py" line="31"/>
        <source>By responsible group</source>
        <translation>担当グループ別</translation>
    </message>
    <message>
        <location filename="../desktop/ui/report_layout_box.py" line="32"/>
        <source>Numbers restart in each group (①, ② …)</source>
        <translation>番号をグループごとに振り直す（①、②…）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/report_layout_box.py" line="35"/>
        <source>Report &amp;layout:</source>
        <translation>報告の構成(&amp;L):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/report_layout_box.py" line="39"/>
        <source>Mid-year report prints as (&amp;Q):</source>
        <translation>上期の報告の様式(&amp;Q):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/report_layout_box.py" line="40"/>
        <source>Annual report prints as (&amp;X):</source>
        <translation>事業報告の様式(&amp;X):</translation>
    </message>
    <message>
        <location filename="../desktop/ui/report_layout_box.py" line="77"/>
        <source>report layout</source>
        <translation>報告の構成</translation>
    </message>
    <message>
        <location filename="../desktop/ui/report_layout_box.py" line="127"/>
        <source>report print layout</source>
        <translation>報告の様式</translation>
    </message>
</context>
<context>
    <name>RestoreDialog</name>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="52"/>
        <location filename="../desktop/ui/restore_dialog.py" line="165"/>
        <location filename="../desktop/ui/restore_dialog.py" line="185"/>
        <source>Restore from backup</source>
        <translation>バックアップから復元</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="57"/>
        <source>PlanDesk backs the database up every day it is open and when it closes, and keeps the newest backup of each of the last 7 days, 4 weeks and 12 months. Backups are kept in {folder}. Restoring a backup first backs up the current state, so a restore can be undone by restoring that copy.</source>
        <translation>PlanDesk は起動している日に毎日1回と終了時にデータベースをバックアップし、直近7日・4週・12か月それぞれの最新のバックアップを残します。バックアップの保存先: {folder}。復元の前には現在の状態をバックアップするので、そのバックアップを復元すれば元に戻せます。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="68"/>
        <source>Taken</source>
        <translation>日時</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="68"/>
        <source>Kind</source>
        <translation>種類</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="68"/>
        <source>Size</source>
        <translation>サイズ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="68"/>
        <source>Kept as</source>
        <translation>保存の区分</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="82"/>
        <source>&amp;Restore this backup…</source>
        <translation>このバックアップを復元(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="86"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="117"/>
        <source>There are no backups yet.</source>
        <translation>バックアップはまだありません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="133"/>
        <source>This backup cannot be restored.</source>
        <translation>このバックアップは復元できません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="142"/>
        <source>Backup of {taken}</source>
        <translation>{taken} のバックアップ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="143"/>
        <source>Plans</source>
        <translation>計画</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="153"/>
        <source>Last change: {when} by {who}</source>
        <translation>最後の変更: {when}（{who}）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="158"/>
        <source>{entries} sections written, {figures} KPI and monthly figures, {audit} audit entries</source>
        <translation>記入済みの項目 {entries}、KPI・月次の数値 {figures}、監査記録 {audit} 件</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="173"/>
        <source>Replace everything in this database with the backup of {taken}? The current state is backed up first.</source>
        <translation>このデータベースの内容をすべて {taken} のバックアップに置き換えますか？ 現在の状態は先にバックアップします。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/restore_dialog.py" line="182"/>
        <source>Restoring the backup…</source>
        <translation>バックアップから復元しています…</translation>
    </message>
</context>
<context>
    <name>ReviewScreen</name>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="103"/>
        <source>To review as someone else, switch user (Ctrl+Shift+U)</source>
        <translation>ほかの人として確認するには、ユーザーを切り替えてください（Ctrl+Shift+U）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="105"/>
        <source>Reviewer</source>
        <translation>確認者</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="112"/>
        <source>Sign the sub&amp;mission…</source>
        <translation>提出版に電子署名(&amp;M)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="116"/>
        <location filename="../desktop/ui/review_screen.py" line="364"/>
        <location filename="../desktop/ui/review_screen.py" line="370"/>
        <source>Sign off the report…</source>
        <translation>報告を決裁…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="140"/>
        <source>Double-click or press Enter: a section waiting for review is selected in the queue, any other opens in the Sections tab</source>
        <translation>ダブルクリックまたは Enter: 確認待ちの項目は左の一覧で選択、それ以外は「項目」タブで開きます</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="161"/>
        <source>Comment (required to return a section)</source>
        <translation>コメント（差戻しには必須）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="163"/>
        <source>Comment</source>
        <translation>コメント</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="164"/>
        <source>&amp;Return with comment</source>
        <translation>コメントを付けて差戻し(&amp;R)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="166"/>
        <source>&amp;Approve</source>
        <translation>承認(&amp;A)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="168"/>
        <source>Approve the selected sections (Ctrl+Enter)</source>
        <translation>選んだ項目を承認します（Ctrl+Enter）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="178"/>
        <source>Changes since the last approval</source>
        <translation>前回承認からの変更</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="180"/>
        <source>Comments</source>
        <translation>コメント</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="187"/>
        <source>Waiting for my review (oldest first)</source>
        <translation>確認待ち（古い順）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="221"/>
        <source>Approve the group</source>
        <translation>グループを一括承認</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="224"/>
        <source>Approve every section of the group chosen that waits for your review</source>
        <translation>選んだグループの確認待ちの項目をすべて承認します</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="227"/>
        <source>Group</source>
        <translation>グループ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="240"/>
        <source>All groups</source>
        <translation>すべてのグループ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="256"/>
        <source>Approve all {n} section(s) of {group}?</source>
        <translation>{group}の{n}件の項目をすべて承認しますか？</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="265"/>
        <source>Approved every section of {group}.</source>
        <translation>{group}の項目をすべて承認しました。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="283"/>
        <source>(you review nothing: switch user)</source>
        <translation>（確認する項目はありません：ユーザー切替）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="353"/>
        <source>Signed off by {who} ({when})</source>
        <translation>{who} が決裁済み（{when}）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="355"/>
        <source>Signed off</source>
        <translation>決裁済み</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="365"/>
        <source>Only the branch head signs the report off.</source>
        <translation>報告の決裁は支部長が行います。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="371"/>
        <source>Every section is approved or excepted.</source>
        <translation>すべての項目が承認済み（または対象外）です。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="376"/>
        <source>Cannot sign off: {n} section(s) not approved</source>
        <translation>決裁できません：未承認 {n} 項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="378"/>
        <source>Every section must be approved or excepted first: see the list.</source>
        <translation>すべての項目の承認（または対象外）が先に必要です。一覧を参照してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="383"/>
        <source>&lt;b&gt;Before the sign-off&lt;/b&gt;: {n} section(s) are not approved yet (approve them, or except them in the Sections tab).</source>
        <translation>&lt;b&gt;決裁の前に&lt;/b&gt;：未承認の項目が {n} 件あります（承認するか、「項目」タブで対象外にしてください）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="397"/>
        <source>Waiting for your review: select it in the queue</source>
        <translation>確認待ち：左の一覧で選択します</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="399"/>
        <source>Open it in the Sections tab</source>
        <translation>「項目」タブで開きます</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="419"/>
        <source>Sign the signed-off report&apos;s submission with this PC&apos;s signing key (the passphrase is asked)</source>
        <translation>決裁済みの報告の提出版に、この PC の署名鍵で電子署名します（パスフレーズを入力します）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="423"/>
        <source>Only the branch head signs the submission.</source>
        <translation>提出版に電子署名するのは支部長です。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="426"/>
        <source>The submission is not signed yet.</source>
        <translation>提出版はまだ電子署名されていません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="430"/>
        <source>Submission signed with key {fingerprint}, but the signature no longer fits the file this PlanDesk writes: sign it again before writing it</source>
        <translation>提出版は鍵 {fingerprint} で電子署名済みですが、この PlanDesk が書き出すファイルと署名が合わなくなりました。書き出す前に署名し直してください</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="434"/>
        <source>Submission signed with key {fingerprint}</source>
        <translation>提出版は鍵 {fingerprint} で電子署名済み</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="436"/>
        <source>Submission signed with key {fingerprint}, not this PC&apos;s current key</source>
        <translation>提出版は鍵 {fingerprint} で電子署名済み（この PC の現在の鍵ではありません）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="461"/>
        <source>Nothing waits for your review.</source>
        <translation>確認待ちの項目はありません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="476"/>
        <source>Never approved: all of it is new.</source>
        <translation>未承認の項目です（すべてが新規）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="477"/>
        <source>Mark</source>
        <translation>評価</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="478"/>
        <source>No change since the last approval.</source>
        <translation>前回承認から変更はありません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="483"/>
        <source>What was done (実施状況)</source>
        <translation>実施状況</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="484"/>
        <source>Reason for the self-rating (自己評価の理由)</source>
        <translation>自己評価の理由</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="486"/>
        <source>Reason for the mark (評価の理由)</source>
        <translation>評価の理由</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="487"/>
        <source>Next steps (今後の実施予定等)</source>
        <translation>今後の実施予定等</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="488"/>
        <source>Concrete actions (具体的な取り組み)</source>
        <translation>具体的な取り組み</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="519"/>
        <source>comment</source>
        <translation>コメント</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="520"/>
        <source>submitted</source>
        <translation>提出</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="521"/>
        <source>edited after reopening: back to review</source>
        <translation>再編集後の変更（確認待ちに戻りました）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="522"/>
        <source>returned</source>
        <translation>差戻し</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="523"/>
        <source>approved</source>
        <translation>承認</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="524"/>
        <source>reopened</source>
        <translation>再編集に戻し</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="525"/>
        <source>excepted</source>
        <translation>対象外</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="572"/>
        <source>{first} and {n} more</source>
        <translation>{first} ほか {n} 項目</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="579"/>
        <source>Next: {title} ({n} waiting for your review).</source>
        <translation>次は {title}（確認待ち {n} 項目）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="587"/>
        <source>Every section is approved: you can sign the report off.</source>
        <translation>すべての項目が承認済みです。報告を決裁できます。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="589"/>
        <source>Nothing else waits for your review; {n} section(s) are not approved yet (listed on the left).</source>
        <translation>確認待ちの項目はもうありません。未承認の項目が {n} 件あります（左の一覧）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="592"/>
        <source>Nothing else waits for your review.</source>
        <translation>確認待ちの項目はもうありません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="602"/>
        <source>Approve {n} sections?</source>
        <translation>{n}件の項目を承認しますか？</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="611"/>
        <source>Approved: {what}.</source>
        <translation>承認しました：{what}。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="626"/>
        <source>Returned to its author with your comment: {what}.</source>
        <translation>コメントを付けて作成者に差し戻しました：{what}。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="639"/>
        <source>Comment added to {what}.</source>
        <translation>コメントを追加しました：{what}。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="653"/>
        <source>The report cannot be signed off yet: {n} section(s) are not approved.</source>
        <translation>まだ決裁できません：未承認の項目が {n} 件あります。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="659"/>
        <source>Sign off the whole report?</source>
        <translation>報告全体を決裁しますか？</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="671"/>
        <source>The report is signed off and the submission signed. Next: write the submission for headquarters (File ▸ Export workbook…).</source>
        <translation>報告を決裁し、提出版に電子署名しました。次は本部への提出版を書き出してください（ファイル ▸ ブックの書き出し…）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="701"/>
        <source>The submission is signed with key {fingerprint}. Next: write the submission for headquarters (File ▸ Export workbook…).</source>
        <translation>提出版に鍵 {fingerprint} で電子署名しました。次は本部への提出版を書き出してください（ファイル ▸ ブックの書き出し…）。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="709"/>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="710"/>
        <source>Password of {who}:</source>
        <translation>{who} のパスワード:</translation>
    </message>
    <message>
        <location filename="../desktop/ui/review_screen.py" line="722"/>
        <source>PlanDesk</source>
        <translation>PlanDesk</translation>
    </message>
</context>
<context>
    <name>RolloverDialog</name>
    <message>
        <location filename="../desktop/ui/rollover_dialog.py" line="44"/>
        <source>Next year&apos;s plan</source>
        <translation>次年度の計画</translation>
    </message>
    <message>
        <location filename="../desktop/ui/rollover_dialog.py" line="49"/>
        <source>Creates next year&apos;s plan of this branch from headquarters&apos; newest template: last year&apos;s figures become the baselines and targets set as &apos;at least / at most last year&apos; become numbers. New and redefined KPIs are listed for you to confirm.</source>
        <translation>本部の最新の計画テンプレートから、この支部の次年度の計画を作成します。前年度の実績を基準値として引き継ぎ、「対前年度以上／以下」の目標を数値で確定します。新設・定義変更の KPI は確認のために一覧にします。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/rollover_dialog.py" line="56"/>
        <source>Create next year&apos;s plan</source>
        <translation>次年度の計画を作成</translation>
    </message>
    <message>
        <location filename="../desktop/ui/rollover_dialog.py" line="65"/>
        <source>KPI</source>
        <translation>KPI</translation>
    </message>
    <message>
        <location filename="../desktop/ui/rollover_dialog.py" line="65"/>
        <source>Why</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../desktop/ui/rollover_dialog.py" line="65"/>
        <source>Details</source>
        <translation>詳細</translation>
    </message>
    <message>
        <location filename="../desktop/ui/rollover_dialog.py" line="71"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../desktop/ui/rollover_dialog.py" line="97"/>
        <source>Creating the plan…</source>
        <translation>計画を作成しています…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/rollover_dialog.py" line="113"/>
        <source>KPIs awaiting confirmation: {n}</source>
        <translation>確認待ちの KPI: {n} 件</translation>
    </message>
    <message>
        <location filename="../desktop/ui/rollover_dialog.py" line="116"/>
        <source>new</source>
        <translation>新設</translation>
    </message>
    <message>
        <location filename="../desktop/ui/rollover_dialog.py" line="116"/>
        <source>redefined</source>
        <translation>定義変更</translation>
    </message>
    <message>
        <location filename="../desktop/ui/rollover_dialog.py" line="123"/>
        <source>Confirm</source>
        <translation>確認済みにする</translation>
    </message>
</context>
<context>
    <name>SectionForm</name>
    <message>
        <location filename="../desktop/ui/section_form.py" line="180"/>
        <source>Submit for review</source>
        <translation>確認に提出</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="184"/>
        <source>Reopen for changes…</source>
        <translation>再編集にする（再開）…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="187"/>
        <source>Open this approved section for changes again (needs a reason)</source>
        <translation>承認済みの項目を再び編集できるようにします（理由が必要です）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="190"/>
        <source>Except from the report…</source>
        <translation>対象外にする…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="193"/>
        <source>Leave this section out of the sign-off (branch head, needs a reason)</source>
        <translation>この項目を決裁の対象から外します（支部長・理由が必要です）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="207"/>
        <source>Business plan (事業計画)</source>
        <translation>事業計画</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="226"/>
        <source>Concrete &amp;actions (具体的な取り組み)</source>
        <translation>具体的な取り組み(&amp;A)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="238"/>
        <source>&amp;What was done (実施状況)</source>
        <translation>実施状況(&amp;W)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="251"/>
        <location filename="../desktop/ui/section_form.py" line="766"/>
        <source>&amp;Mark (評価)</source>
        <translation>評価(&amp;M)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="266"/>
        <source>Why?</source>
        <translation>根拠</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="268"/>
        <source>Show the figures behind the suggested mark</source>
        <translation>実績から見た評価の根拠となった数値を表示します</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="299"/>
        <location filename="../desktop/ui/section_form.py" line="771"/>
        <source>Reas&amp;on for the mark (評価の理由)</source>
        <translation>評価の理由(&amp;O)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="308"/>
        <source>&amp;Next steps (今後の実施予定等)</source>
        <translation>今後の実施予定等(&amp;N)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="323"/>
        <source>&amp;KPIs (KPI設定項目)</source>
        <translation>KPI設定項目(&amp;K)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="332"/>
        <source>No KPI for this section (KPI設定なし).</source>
        <translation>KPI設定なし</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="435"/>
        <source>Group: {g}</source>
        <translation>{g}グループ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="443"/>
        <source>Importance: high — {r}</source>
        <translation>【重要度：高】{r}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="445"/>
        <source>Difficulty: high — {r}</source>
        <translation>【困難度：高】{r}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="482"/>
        <source>Rated together: {items} — one mark and one reason for all of them</source>
        <translation>評価は{items}でまとめて（一つの評価と理由）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="618"/>
        <source>Figures suggest: — ({reason})</source>
        <translation>実績から見た評価: —（{reason}）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="621"/>
        <source>Figures suggest: {mark} — {reason}</source>
        <translation>実績から見た評価: {mark} — {reason}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="625"/>
        <source>(KPIs of {heading})</source>
        <translation>（{heading} の KPI による）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="657"/>
        <source>Review: {state}</source>
        <translation>確認状況: {state}</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="660"/>
        <source>(report signed off by {who})</source>
        <translation>（報告は {who} が決裁済み）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="678"/>
        <source>Reason for reopening this section:</source>
        <translation>再編集にする理由:</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="679"/>
        <source>Reopening a section needs a reason.</source>
        <translation>再編集にするには理由を入力してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="685"/>
        <source>Reason for leaving this section out of the report:</source>
        <translation>この項目を対象外にする理由:</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="686"/>
        <source>Excepting a section needs a reason.</source>
        <translation>対象外にするには理由を入力してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="712"/>
        <source>Reason</source>
        <translation>理由</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="718"/>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="719"/>
        <source>Password of {who}:</source>
        <translation>{who} のパスワード:</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="758"/>
        <source>(no mark)</source>
        <translation>（未選択）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="766"/>
        <source>Self-ra&amp;ting (自己評価)</source>
        <translation>自己評価(&amp;T)</translation>
    </message>
    <message>
        <location filename="../desktop/ui/section_form.py" line="769"/>
        <source>Reas&amp;on for the self-rating (自己評価の理由)</source>
        <translation>自己評価の理由(&amp;O)</translation>
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
    <message>
        <location filename="../desktop/ui/start_dialog.py" line="48"/>
        <source>&amp;Import a workbook (a work file from another PC, or HQ&apos;s template file)…</source>
        <translation>ブックを取り込む（他のパソコンの作業ファイル、または本部のテンプレートファイル）(&amp;I)…</translation>
    </message>
</context>
<context>
    <name>StatusBarsChart</name>
    <message>
        <location filename="../desktop/ui/overview_charts.py" line="81"/>
        <source>KPI status per pillar</source>
        <translation>柱ごとの KPI 判定</translation>
    </message>
</context>
<context>
    <name>SwitchUserDialog</name>
    <message>
        <location filename="../desktop/ui/switch_user.py" line="32"/>
        <source>Switch user</source>
        <translation>ユーザー切替</translation>
    </message>
    <message>
        <location filename="../desktop/ui/switch_user.py" line="52"/>
        <source>Switch</source>
        <translation>切り替える</translation>
    </message>
    <message>
        <location filename="../desktop/ui/switch_user.py" line="57"/>
        <source>User</source>
        <translation>ユーザー</translation>
    </message>
    <message>
        <location filename="../desktop/ui/switch_user.py" line="58"/>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <location filename="../desktop/ui/switch_user.py" line="61"/>
        <source>Who works at this PC now?
Edits and reviews are recorded in their name.</source>
        <translation>このパソコンで作業する人を選んでください。
入力や承認はこの人の名前で記録されます。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/switch_user.py" line="71"/>
        <source>Nobody is registered yet: add people under Users ▸ Manage users.</source>
        <translation>まだ誰も登録されていません。「ユーザー ▸ ユーザー管理」で登録してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/switch_user.py" line="86"/>
        <source>(no password needed)</source>
        <translation>（パスワード不要）</translation>
    </message>
</context>
<context>
    <name>UserEditor</name>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="83"/>
        <source>Edit user</source>
        <translation>ユーザーの変更</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="83"/>
        <source>Add user</source>
        <translation>ユーザーの追加</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="91"/>
        <source>(no group)</source>
        <translation>（グループなし）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="94"/>
        <source>{group} group</source>
        <translation>{group}グループ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="118"/>
        <source>Login name (OS)</source>
        <translation>ログイン名（OS）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="119"/>
        <source>Name</source>
        <translation>表示名</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="120"/>
        <source>Group</source>
        <translation>グループ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="121"/>
        <source>Role</source>
        <translation>役割</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="122"/>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="122"/>
        <source>New password</source>
        <translation>新しいパスワード</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="123"/>
        <source>Password again</source>
        <translation>パスワード（確認）</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="131"/>
        <source>The first person becomes the administrator.</source>
        <translation>最初に登録する人が管理者になります。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="152"/>
        <source>Supervisors, branch heads and administrators need a password.</source>
        <translation>グループ長・支部長・管理者にはパスワードが必要です。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="155"/>
        <source>Leave the password empty to keep the current one.</source>
        <translation>パスワードを空欄のままにすると、今のパスワードを引き続き使います。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="157"/>
        <source>Staff may go without a password.</source>
        <translation>担当者はパスワードなしでも登録できます。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="162"/>
        <source>Enter a login name and a name.</source>
        <translation>ログイン名と表示名を入力してください。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="164"/>
        <source>The two passwords differ.</source>
        <translation>2つのパスワードが一致しません。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="166"/>
        <source>Enter a password for this role.</source>
        <translation>この役割にはパスワードを入力してください。</translation>
    </message>
</context>
<context>
    <name>UsersDialog</name>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="279"/>
        <source>Users</source>
        <translation>ユーザー管理</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="285"/>
        <source>Login name</source>
        <translation>ログイン名</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="286"/>
        <source>Name</source>
        <translation>表示名</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="287"/>
        <source>Group</source>
        <translation>グループ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="288"/>
        <source>Role</source>
        <translation>役割</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="289"/>
        <source>Password</source>
        <translation>パスワード</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="290"/>
        <source>Active</source>
        <translation>有効</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="298"/>
        <source>&amp;Add…</source>
        <translation>追加(&amp;A)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="300"/>
        <source>&amp;Edit…</source>
        <translation>変更(&amp;E)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="302"/>
        <source>Reset &amp;password…</source>
        <translation>パスワード再設定(&amp;P)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="304"/>
        <location filename="../desktop/ui/users_dialog.py" line="377"/>
        <source>&amp;Deactivate…</source>
        <translation>無効にする(&amp;D)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="306"/>
        <source>Close</source>
        <translation>閉じる</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="318"/>
        <source>People who work in this database. Changes need an administrator.</source>
        <translation>このデータベースで作業する人の一覧です。変更には管理者が必要です。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="339"/>
        <source>yes</source>
        <translation>はい</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="339"/>
        <source>no</source>
        <translation>いいえ</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="346"/>
        <source>set</source>
        <translation>設定済み</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="376"/>
        <source>&amp;Reactivate…</source>
        <translation>再有効化(&amp;R)…</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="393"/>
        <location filename="../desktop/ui/users_dialog.py" line="401"/>
        <source>Added {who}.</source>
        <translation>{who} を追加しました。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="416"/>
        <source>Changed {who}.</source>
        <translation>{who} を変更しました。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="428"/>
        <source>New password set for {who}.</source>
        <translation>{who} の新しいパスワードを設定しました。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="430"/>
        <source>Password removed for {who}.</source>
        <translation>{who} のパスワードを削除しました。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="439"/>
        <source>Deactivate {who}? They keep their name on what they did but can no longer act.</source>
        <translation>{who} を無効にしますか？これまでの記録には名前が残りますが、今後は操作できなくなります。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="445"/>
        <source>{who} can no longer act.</source>
        <translation>{who} を無効にしました。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="447"/>
        <source>{who} is active again.</source>
        <translation>{who} を再び有効にしました。</translation>
    </message>
    <message>
        <location filename="../desktop/ui/users_dialog.py" line="503"/>
        <source>PlanDesk</source>
        <translation>PlanDesk</translation>
    </message>
</context>
<context>
    <name>YearOverYearChart</name>
    <message>
        <location filename="../desktop/ui/overview_charts.py" line="122"/>
        <source>{kpi}: year over year</source>
        <translation>{kpi}：年度比較</translation>
    </message>
    <message>
        <location filename="../desktop/ui/overview_charts.py" line="137"/>
        <source>Reported figure</source>
        <translation>報告値</translation>
    </message>
    <message>
        <location filename="../desktop/ui/overview_charts.py" line="148"/>
        <source>Target</source>
        <translation>目標</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <location filename="../desktop/app.py" line="152"/>
        <source>The database is on a network drive. SQLite cannot lock files there safely: keep it on this PC and exchange files instead.</source>
        <translation>データベースがネットワークドライブ上にあります。ネットワーク上では安全に保存できないため、このパソコン内に置き、やり取りはファイルで行ってください。</translation>
    </message>
    <message>
        <location filename="../desktop/app.py" line="165"/>
        <source>This database is already open in another PlanDesk window.</source>
        <translation>このデータベースは別の PlanDesk ウィンドウで開かれています。</translation>
    </message>
</context>
</TS>
