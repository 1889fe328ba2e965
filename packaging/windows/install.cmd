@echo off
rem Installs PlanDesk for this user (no admin rights needed). See install.ps1.
powershell.exe -NoProfile -ExecutionPolicy Bypass -File "%~dp0install.ps1" %*
if errorlevel 1 pause
