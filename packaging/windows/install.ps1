<#
.SYNOPSIS
  Installs (or upgrades) PlanDesk for the current user, without admin rights and
  without internet.

.DESCRIPTION
  Run from the offline kit folder (install.cmd does this). Installs into
  %LOCALAPPDATA%\Programs\PlanDesk:
    - the frozen program, when the kit has a PlanDesk\ folder (no Python needed), or
    - a Python environment built from the kit's wheelhouse\ with Python 3.11
      (py -3.11, or -Python C:\path\to\python.exe), offline (--no-index).
  Adds a Start-menu shortcut, a `plandesk` command for new terminals (the user's
  PATH) and an entry under Settings > Apps.

  An upgrade replaces the program folder only. The data - the database, its
  backups and the error log in %LOCALAPPDATA%\PlanDesk - is never touched here;
  PlanDesk upgrades the database itself on its next start, after writing a backup
  next to it (plandesk.sqlite3.before-<revision>.bak).
#>
[CmdletBinding()]
param(
    [string]$Python = "",
    [string]$Kit = $PSScriptRoot
)
$ErrorActionPreference = "Stop"

$Programs = Join-Path $env:LOCALAPPDATA "Programs"
$Target = Join-Path $Programs "PlanDesk"
$Data = Join-Path $env:LOCALAPPDATA "PlanDesk"
$Bin = Join-Path $Target "bin"
$StartMenu = Join-Path ([Environment]::GetFolderPath("Programs")) "PlanDesk.lnk"
$UninstallKey = "HKCU:\Software\Microsoft\Windows\CurrentVersion\Uninstall\PlanDesk"

function Stop-IfRunning {
    $running = Get-Process -ErrorAction SilentlyContinue | Where-Object {
        $_.Path -and $_.Path.StartsWith($Target, [StringComparison]::OrdinalIgnoreCase)
    }
    if ($running) {
        throw "PlanDesk is running. Close it (every window) and run the installer again. / PlanDesk を終了してから、もう一度実行してください。"
    }
}

function Add-UserPath([string]$Folder) {
    $key = Get-Item "HKCU:\Environment"
    $current = $key.GetValue("Path", "", "DoNotExpandEnvironmentNames")
    $parts = @($current -split ";" | Where-Object { $_ -ne "" })
    if ($parts -notcontains $Folder) {
        $new = (@($parts) + $Folder) -join ";"
        Set-ItemProperty -Path "HKCU:\Environment" -Name "Path" -Value $new -Type ExpandString
        Send-SettingChange
    }
}

function Send-SettingChange {
    # New terminals see the changed PATH without a new logon.
    Add-Type -Namespace PlanDesk -Name Native -MemberDefinition @"
[DllImport("user32.dll", CharSet = CharSet.Unicode, SetLastError = true)]
public static extern IntPtr SendMessageTimeout(IntPtr hWnd, uint Msg, UIntPtr wParam, string lParam, uint fuFlags, uint uTimeout, out UIntPtr lpdwResult);
"@ -ErrorAction SilentlyContinue
    $result = [UIntPtr]::Zero
    [void][PlanDesk.Native]::SendMessageTimeout([IntPtr]0xffff, 0x1A, [UIntPtr]::Zero, "Environment", 2, 5000, [ref]$result)
}

function Install-Frozen([string]$Source) {
    Copy-Item -Path (Join-Path $Source "*") -Destination $Target -Recurse -Force
    return @{
        Gui = Join-Path $Target "PlanDesk.exe"; GuiArgs = ""
        Cli = Join-Path $Target "plandesk-cli.exe"
        Icon = Join-Path $Target "PlanDesk.exe"
    }
}

function Install-FromWheelhouse([string]$Wheelhouse) {
    if ($Python) { $base = @($Python) } else { $base = @("py", "-3.11") }
    $exe = $base[0]; $rest = @($base | Select-Object -Skip 1)
    & $exe @rest -c "import sys; assert sys.version_info[:2] == (3, 11), sys.version" 2>$null
    if ($LASTEXITCODE -ne 0) {
        throw "Python 3.11 not found: install it for this user (python-3.11 installer, 'Install for all users' off) or pass -Python C:\path\to\python.exe."
    }
    $venv = Join-Path $Target "venv"
    & $exe @rest -m venv $venv
    if ($LASTEXITCODE -ne 0) { throw "python -m venv failed" }
    $pip = Join-Path $venv "Scripts\python.exe"
    & $pip -m pip install --no-index --find-links $Wheelhouse --only-binary=:all: --disable-pip-version-check -q plandesk
    if ($LASTEXITCODE -ne 0) { throw "pip install from the wheelhouse failed" }
    $icon = & $pip -c "from desktop.paths import resource_path; print(resource_path('icons', 'plandesk.ico'))"
    return @{
        Gui = Join-Path $venv "Scripts\pythonw.exe"; GuiArgs = "-m desktop"
        Cli = Join-Path $venv "Scripts\plandesk.exe"
        Icon = "$icon"
    }
}

Stop-IfRunning
$frozen = Join-Path $Kit "PlanDesk"
$wheelhouse = Join-Path $Kit "wheelhouse"
if (-not (Test-Path (Join-Path $frozen "PlanDesk.exe")) -and -not (Test-Path $wheelhouse)) {
    throw "Neither PlanDesk\PlanDesk.exe nor wheelhouse\ is in $Kit"
}

# Replace the program folder only (an upgrade leaves no stale files); never the data.
if (Test-Path $Target) { Remove-Item -Recurse -Force $Target }
New-Item -ItemType Directory -Force -Path $Target, $Bin | Out-Null

if (Test-Path (Join-Path $frozen "PlanDesk.exe")) {
    $installed = Install-Frozen $frozen
} else {
    $installed = Install-FromWheelhouse $wheelhouse
}

# `plandesk` in a terminal: a one-line launcher in bin\, which goes on the user's PATH.
Set-Content -Path (Join-Path $Bin "plandesk.cmd") -Encoding Ascii -Value "@`"$($installed.Cli)`" %*"
Add-UserPath $Bin

$shell = New-Object -ComObject WScript.Shell
$link = $shell.CreateShortcut($StartMenu)
$link.TargetPath = $installed.Gui
$link.Arguments = $installed.GuiArgs
$link.WorkingDirectory = $Target
$link.IconLocation = $installed.Icon
$link.Description = "PlanDesk"
$link.Save()

Copy-Item -Path (Join-Path $PSScriptRoot "uninstall.ps1") -Destination $Target -Force
$version = & $installed.Cli --version
New-Item -Path $UninstallKey -Force | Out-Null
Set-ItemProperty -Path $UninstallKey -Name DisplayName -Value "PlanDesk"
Set-ItemProperty -Path $UninstallKey -Name DisplayVersion -Value ("$version" -replace "^PlanDesk ", "")
Set-ItemProperty -Path $UninstallKey -Name Publisher -Value "PlanDesk"
Set-ItemProperty -Path $UninstallKey -Name InstallLocation -Value $Target
Set-ItemProperty -Path $UninstallKey -Name DisplayIcon -Value $installed.Icon
Set-ItemProperty -Path $UninstallKey -Name NoModify -Value 1 -Type DWord
Set-ItemProperty -Path $UninstallKey -Name NoRepair -Value 1 -Type DWord
Set-ItemProperty -Path $UninstallKey -Name UninstallString -Value "powershell.exe -NoProfile -ExecutionPolicy Bypass -File `"$Target\uninstall.ps1`""

Write-Host "$version installed in $Target"
Write-Host "Data (database, backups, error log): $Data - kept across upgrades and uninstalls."
