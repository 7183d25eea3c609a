; Inno Setup 6 script for Cluster Desk (Windows x64).
;
; Built by the recipe in BUILD-WINDOWS.md, after `pyinstaller build.spec` made dist\cluster-desk\:
;   iscc /DAppVersion=0.1.0 packaging\windows\cluster-desk.iss
; The version must come from cluster_desk.__version__ (the recipe reads it); it is required.
;
; Installs per user (no admin rights, %LOCALAPPDATA%\Programs) by default; the user can choose
; all users (Program Files, needs admin) on the first page. Start menu entry, optional desktop
; shortcut, the .cdesk file type, and a normal uninstaller.

#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=X.Y.Z packaging\windows\cluster-desk.iss
#endif
#ifndef SourceDir
  ; The PyInstaller folder, relative to this script.
  #define SourceDir "..\..\dist\cluster-desk"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

#define AppName "Cluster Desk"
#define AppExe "cluster-desk.exe"
#define ProgId "ClusterDesk.Project"

[Setup]
; A fixed AppId: upgrades replace the installed version. Never change it.
AppId={{6B0E6D1C-2F7A-4C55-9B3E-1C7D4A2E9F10}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Cluster Desk
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
; Per-user by default; the dialog offers "install for all users" (needs elevation).
PrivilegesRequired=lowest
PrivilegesRequiredOverridesAllowed=dialog
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
MinVersion=10.0
OutputDir={#OutputDir}
OutputBaseFilename=cluster-desk-{#AppVersion}-windows-x64-setup
Compression=lzma2/max
SolidCompression=yes
LZMANumBlockThreads=4
WizardStyle=modern
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName} {#AppVersion}
; Tell Explorer about the new file association.
ChangesAssociations=yes
CloseApplications=yes
#ifexist "..\..\resources\icons\cluster-desk.ico"
SetupIconFile=..\..\resources\icons\cluster-desk.ico
#endif

[Languages]
Name: "en"; MessagesFile: "compiler:Default.isl"
Name: "ru"; MessagesFile: "compiler:Languages\Russian.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[Files]
; The whole PyInstaller folder (the exe and _internal\).
Source: "{#SourceDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[InstallDelete]
; An upgrade must not leave files of the previous version's bundle behind.
Type: filesandordirs; Name: "{app}\_internal"

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Registry]
; .cdesk -> ClusterDesk.Project -> "cluster-desk.exe" "%1". HKA = HKLM for all-users installs,
; HKCU for per-user installs. Removed again on uninstall.
Root: HKA; Subkey: "Software\Classes\.cdesk"; ValueType: string; ValueName: ""; ValueData: "{#ProgId}"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.cdesk"; ValueType: string; ValueName: "Content Type"; ValueData: "application/x-cluster-desk"; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\.cdesk\OpenWithProgids"; ValueType: string; ValueName: "{#ProgId}"; ValueData: ""; Flags: uninsdeletevalue
Root: HKA; Subkey: "Software\Classes\{#ProgId}"; ValueType: string; ValueName: ""; ValueData: "Cluster Desk project"; Flags: uninsdeletekey
Root: HKA; Subkey: "Software\Classes\{#ProgId}\DefaultIcon"; ValueType: string; ValueName: ""; ValueData: "{app}\{#AppExe},0"
Root: HKA; Subkey: "Software\Classes\{#ProgId}\shell\open\command"; ValueType: string; ValueName: ""; ValueData: """{app}\{#AppExe}"" ""%1"""
Root: HKA; Subkey: "Software\Classes\Applications\{#AppExe}\SupportedTypes"; ValueType: string; ValueName: ".cdesk"; ValueData: ""; Flags: uninsdeletekey

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent
