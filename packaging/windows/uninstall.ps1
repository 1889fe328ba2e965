<#
.SYNOPSIS
  Removes PlanDesk for the current user: the program folder, the Start-menu
  shortcut, the `plandesk` command on the user's PATH and the Settings > Apps entry.

.DESCRIPTION
  The data stays: %LOCALAPPDATA%\PlanDesk (the database, its backups, the error
  log) is not touched, so a later install finds everything again. Delete that
  folder yourself only when the data is no longer needed (and after a backup).
#>
[CmdletBinding()]
param()
$ErrorActionPreference = "Stop"

$Target = Join-Path $env:LOCALAPPDATA "Programs\PlanDesk"
$Data = Join-Path $env:LOCALAPPDATA "PlanDesk"
$Bin = Join-Path $Target "bin"
$StartMenu = Join-Path ([Environment]::GetFolderPath("Programs")) "PlanDesk.lnk"
$UninstallKey = "HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\PlanDesk"

$running = Get-Process -ErrorAction SilentlyContinue | Where-Object {
    $_.Path -and $_.Path.StartsWith($Target, [StringComparison]::OrdinalIgnoreCase)
}
if ($running) {
    throw "PlanDesk is running. Close it and run the uninstaller again. / PlanDesk を終了してから、もう一度実行してください。"
}

$key = Get-Item "HKCU:\Environment"
$current = $key.GetValue("Path", "", "DoNotExpandEnvironmentNames")
$parts = @($current -split ";" | Where-Object { $_ -ne "" -and $_ -ne $Bin })
Set-ItemProperty -Path "HKCU:\Environment" -Name "Path" -Value ($parts -join ";") -Type ExpandString

if (Test-Path $StartMenu) { Remove-Item -Force $StartMenu }
if (Test-Path $UninstallKey) { Remove-Item -Recurse -Force $UninstallKey }
# This script may run from inside the program folder: PowerShell has read it whole.
if (Test-Path $Target) { Remove-Item -Recurse -Force $Target }

Write-Host "PlanDesk removed. Your data is kept in $Data"
Write-Host "PlanDesk を削除しました。データは $Data に残っています。"
