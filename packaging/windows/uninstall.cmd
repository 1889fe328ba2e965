@echo off
rem Removes PlanDesk for this user; the data in %LOCALAPPDATA%\PlanDesk stays. See uninstall.ps1.
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0uninstall.ps1" %*
if errorlevel 1 pause
