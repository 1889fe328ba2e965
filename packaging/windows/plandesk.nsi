; PlanDesk per-user installer (NSIS 3, Unicode). No admin rights: installs into
; %LOCALAPPDATA%\Programs\PlanDesk, a Start-menu shortcut for this user, the
; `plandesk` command on this user's PATH and an entry under Settings > Apps.
; The data (%LOCALAPPDATA%\PlanDesk: database, backups, error log) is never
; touched: it survives upgrades and the uninstall.
;
;   makensis /DSOURCE=dist\PlanDesk /DVERSION=0.1.0 /DOUTFILE=dist\PlanDesk-setup-0.1.0.exe packaging\windows\plandesk.nsi
;
; SOURCE is the frozen folder built by packaging/build.py (on Windows).

Unicode true
ManifestDPIAware true
RequestExecutionLevel user
SetCompressor /SOLID lzma

!ifndef SOURCE
  !error "Pass /DSOURCE=<the frozen PlanDesk folder>"
!endif
!ifndef VERSION
  !error "Pass /DVERSION=<desktop.__version__>"
!endif
!ifndef OUTFILE
  !define OUTFILE "PlanDesk-setup-${VERSION}.exe"
!endif

!include "MUI2.nsh"
!include "WordFunc.nsh"
!include "StrFunc.nsh"
${StrStr}

!define UNINSTALL_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\PlanDesk"

Name "PlanDesk ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\PlanDesk"
ShowInstDetails show
ShowUninstDetails show

!define MUI_ICON "${SOURCE}\_internal\desktop\resources\icons\plandesk.ico"
!define MUI_UNICON "${SOURCE}\_internal\desktop\resources\icons\plandesk.ico"
!define MUI_FINISHPAGE_RUN "$INSTDIR\PlanDesk.exe"

!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH
!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_INSTFILES
!insertmacro MUI_LANGUAGE "Japanese"
!insertmacro MUI_LANGUAGE "English"

VIProductVersion "${VERSION}.0"
VIAddVersionKey /LANG=${LANG_JAPANESE} "ProductName" "PlanDesk"
VIAddVersionKey /LANG=${LANG_JAPANESE} "FileDescription" "PlanDesk セットアップ"
VIAddVersionKey /LANG=${LANG_JAPANESE} "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_JAPANESE} "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=${LANG_JAPANESE} "LegalCopyright" "PlanDesk"

Function .onInit
  SetShellVarContext current
FunctionEnd

Function un.onInit
  SetShellVarContext current
FunctionEnd

Section "PlanDesk"
  ; An upgrade replaces the program folder only.
  RMDir /r "$INSTDIR"
  SetOutPath "$INSTDIR"
  File /r "${SOURCE}\*.*"

  ; `plandesk` in a terminal runs the command-line program.
  CreateDirectory "$INSTDIR\bin"
  FileOpen $0 "$INSTDIR\bin\plandesk.cmd" w
  FileWrite $0 '@"$INSTDIR\plandesk-cli.exe" %*$\r$\n'
  FileClose $0
  ReadRegStr $1 HKCU "Environment" "Path"
  ${StrStr} $2 "$1" "$INSTDIR\bin"
  StrCmp $2 "" 0 path_done
  StrCmp $1 "" 0 path_append
  WriteRegExpandStr HKCU "Environment" "Path" "$INSTDIR\bin"
  Goto path_done
  path_append:
  WriteRegExpandStr HKCU "Environment" "Path" "$1;$INSTDIR\bin"
  path_done:
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000

  CreateShortcut "$SMPROGRAMS\PlanDesk.lnk" "$INSTDIR\PlanDesk.exe" "" "$INSTDIR\PlanDesk.exe" 0

  WriteUninstaller "$INSTDIR\uninstall.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayName" "PlanDesk"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "Publisher" "PlanDesk"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "DisplayIcon" "$INSTDIR\PlanDesk.exe"
  WriteRegStr HKCU "${UNINSTALL_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINSTALL_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINSTALL_KEY}" "NoRepair" 1
SectionEnd

Section "Uninstall"
  ; The data folder ($LOCALAPPDATA\PlanDesk) is left alone on purpose.
  Delete "$SMPROGRAMS\PlanDesk.lnk"
  ReadRegStr $1 HKCU "Environment" "Path"
  ${un.WordReplace} "$1" ";$INSTDIR\bin" "" "+" $1
  ${un.WordReplace} "$1" "$INSTDIR\bin" "" "+" $1
  WriteRegExpandStr HKCU "Environment" "Path" "$1"
  SendMessage ${HWND_BROADCAST} ${WM_SETTINGCHANGE} 0 "STR:Environment" /TIMEOUT=5000
  DeleteRegKey HKCU "${UNINSTALL_KEY}"
  RMDir /r "$INSTDIR"
SectionEnd
