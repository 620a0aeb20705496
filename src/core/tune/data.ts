/**
 * What the tuning report knows, as data with its source: the CSIDL names of folders, the folders
 * and processes an exclusion must never be suggested for, and the matching assumptions that no
 * public source confirms (marked *(unconfirmed)*: correct them here).
 */

/** Cisco's public tuning tool (the Diagnostic Analyzer, `-c` option) converts log paths to CSIDL form this way. */
const PUBLIC_TOOL_CSIDL = 'Cisco Diagnostic Analyzer (public tool), convert_to_csidl; BRIEF §4.3';

/**
 * Folders written as CSIDL names in exclusions and suggestions: the CSIDL name and the folder it
 * stands for, with `<user>` for one user-name segment. The activity side (log paths → CSIDL form)
 * applies them in this order, first match wins, as the public tool does. Only the system drive
 * `C:` is mapped *(unconfirmed: the public tool maps any drive letter; `D:\Program Files` is not
 * necessarily CSIDL_PROGRAM_FILES)*. Whether the connector expands a per-user CSIDL for every
 * user's profile is *(unconfirmed)*: matching assumes it does.
 */
export const CSIDL_FOLDERS: ReadonlyArray<{ name: string; folder: string; source: string }> = [
  { name: 'CSIDL_COMMON_APPDATA', folder: 'C:\\ProgramData', source: PUBLIC_TOOL_CSIDL },
  { name: 'CSIDL_PROGRAM_FILESX86', folder: 'C:\\Program Files (x86)', source: PUBLIC_TOOL_CSIDL },
  { name: 'CSIDL_PROGRAM_FILES', folder: 'C:\\Program Files', source: PUBLIC_TOOL_CSIDL },
  { name: 'CSIDL_LOCAL_APPDATA', folder: 'C:\\Users\\<user>\\AppData\\Local', source: PUBLIC_TOOL_CSIDL },
  { name: 'CSIDL_APPDATA', folder: 'C:\\Users\\<user>\\AppData\\Roaming', source: PUBLIC_TOOL_CSIDL },
  { name: 'CSIDL_DESKTOPDIRECTORY', folder: 'C:\\Users\\<user>\\Desktop', source: PUBLIC_TOOL_CSIDL },
  { name: 'CSIDL_PROFILE', folder: 'C:\\Users\\<user>', source: PUBLIC_TOOL_CSIDL },
  { name: 'CSIDL_SYSTEM', folder: 'C:\\Windows\\System32', source: PUBLIC_TOOL_CSIDL },
  { name: 'CSIDL_WINDOWS', folder: 'C:\\Windows', source: PUBLIC_TOOL_CSIDL },
];

/**
 * Further prefixes an exclusion may start with (read only, never produced): other CSIDL names and
 * environment variables. *(unconfirmed)*: which of these the connector accepts is not documented
 * in any source we could reach; the Windows meanings are standard.
 */
export const EXCLUSION_PREFIXES: ReadonlyArray<{ name: string; folder: string }> = [
  ...CSIDL_FOLDERS.map(({ name, folder }) => ({ name, folder })),
  { name: 'CSIDL_SYSTEMX86', folder: 'C:\\Windows\\SysWOW64' },
  { name: 'CSIDL_PROGRAM_FILES_COMMON', folder: 'C:\\Program Files\\Common Files' },
  { name: 'CSIDL_PROGRAM_FILES_COMMONX86', folder: 'C:\\Program Files (x86)\\Common Files' },
  { name: 'CSIDL_COMMON_DOCUMENTS', folder: 'C:\\Users\\Public\\Documents' },
  { name: 'CSIDL_PERSONAL', folder: 'C:\\Users\\<user>\\Documents' },
  { name: 'CSIDL_MYDOCUMENTS', folder: 'C:\\Users\\<user>\\Documents' },
  { name: 'CSIDL_INTERNET_CACHE', folder: 'C:\\Users\\<user>\\AppData\\Local\\Microsoft\\Windows\\INetCache' },
  { name: 'CSIDL_STARTUP', folder: 'C:\\Users\\<user>\\AppData\\Roaming\\Microsoft\\Windows\\Start Menu\\Programs\\Startup' },
  { name: 'CSIDL_COMMON_STARTUP', folder: 'C:\\ProgramData\\Microsoft\\Windows\\Start Menu\\Programs\\Startup' },
  { name: '%SystemRoot%', folder: 'C:\\Windows' },
  { name: '%windir%', folder: 'C:\\Windows' },
  { name: '%SystemDrive%', folder: 'C:' },
  { name: '%ProgramFiles%', folder: 'C:\\Program Files' },
  { name: '%ProgramFiles(x86)%', folder: 'C:\\Program Files (x86)' },
  { name: '%ProgramW6432%', folder: 'C:\\Program Files' },
  { name: '%CommonProgramFiles%', folder: 'C:\\Program Files\\Common Files' },
  { name: '%CommonProgramFiles(x86)%', folder: 'C:\\Program Files (x86)\\Common Files' },
  { name: '%ProgramData%', folder: 'C:\\ProgramData' },
  { name: '%ALLUSERSPROFILE%', folder: 'C:\\ProgramData' },
  { name: '%PUBLIC%', folder: 'C:\\Users\\Public' },
  { name: '%USERPROFILE%', folder: 'C:\\Users\\<user>' },
  { name: '%APPDATA%', folder: 'C:\\Users\\<user>\\AppData\\Roaming' },
  { name: '%LOCALAPPDATA%', folder: 'C:\\Users\\<user>\\AppData\\Local' },
  { name: '%TEMP%', folder: 'C:\\Users\\<user>\\AppData\\Local\\Temp' },
  { name: '%TMP%', folder: 'C:\\Users\\<user>\\AppData\\Local\\Temp' },
];

/**
 * How exclusions are matched against the log's paths. None of this is documented in a source we
 * could reach *(unconfirmed)*, except the leading `.*` (the public tool reads it as the stored
 * form of a leading `*`, BRIEF §2.4):
 *   - paths compare case-insensitively, `/` as `\`, the log's `\\?\` prefix removed;
 *   - a value ending in `\` is a folder and everything below it; otherwise the file itself, or
 *     a folder of that name and everything below it;
 *   - `*` matches any run of characters, `\` included (`WILDCARD_CROSSES_FOLDERS`); `?` one
 *     character but `\`;
 *   - an `exclusions/info/item` is matched by its type code (field 1: 1 threat, 2 path, 3 extension,
 *     4 file name, 5 process, 6 wildcard; `EXCLUSION_TYPE_CODES` in `xml/policy.ts`, from the
 *     public script GitHub johnosn/amp-05-policy-exclusion-stats, not in the BRIEF): a threat name
 *     is never matched against file events; a file name matches the file's base name (any folder);
 *     a type 5 item is matched as a process exclusion that stops file scans; a code outside the
 *     table is not evaluated;
 *   - an item with no type field: a value with no folder (`log`, `.log`) on a path exclusion is an
 *     extension;
 *   - a process exclusion by SHA-256 (`1|0|<sha256>||<mask>|`) is not matchable: the log gives no hash;
 *   - a process exclusion matches the process's full path; one with no folder, its file name;
 *   - only process exclusions whose mask has the file scan meaning (0, 1) stop file scans: SPP and
 *     MAP ones (4, 12, 16, 48) do not remove file events;
 *   - the "child processes" bits cannot be checked: the log does not say which process started which.
 */
export const WILDCARD_CROSSES_FOLDERS = true;

export type ProtectedFolderReason = 'drive-root' | 'system-folder' | 'program-files-root' | 'profile-root' | 'temp-folder' | 'user-content' | 'autostart' | 'connector';

/**
 * Folders never suggested for exclusion, nor any folder that holds one (issue 9: "never suggest
 * excluding a whole system folder"). Written in the CSIDL form the activity is folded into
 * (lower case; `*` = one folder name). Temp, download and autostart folders are where malware
 * lands first: our own caution, not from a Cisco source.
 */
export const PROTECTED_FOLDERS: ReadonlyArray<{ folder: string; reason: ProtectedFolderReason }> = [
  { folder: '*:', reason: 'drive-root' },
  { folder: 'csidl_windows', reason: 'system-folder' },
  { folder: 'csidl_system', reason: 'system-folder' },
  { folder: 'csidl_windows\\syswow64', reason: 'system-folder' },
  { folder: 'csidl_system\\drivers', reason: 'system-folder' },
  { folder: 'csidl_system\\config', reason: 'system-folder' },
  { folder: 'csidl_windows\\winsxs', reason: 'system-folder' },
  { folder: 'csidl_system\\tasks', reason: 'autostart' },
  { folder: 'csidl_windows\\tasks', reason: 'autostart' },
  { folder: 'csidl_windows\\temp', reason: 'temp-folder' },
  { folder: 'csidl_program_files', reason: 'program-files-root' },
  { folder: 'csidl_program_filesx86', reason: 'program-files-root' },
  { folder: 'csidl_program_files\\common files', reason: 'program-files-root' },
  { folder: 'csidl_program_filesx86\\common files', reason: 'program-files-root' },
  { folder: 'csidl_common_appdata', reason: 'system-folder' },
  { folder: 'csidl_common_appdata\\microsoft\\windows\\start menu\\programs\\startup', reason: 'autostart' },
  { folder: 'c:\\users', reason: 'profile-root' },
  { folder: 'c:\\users\\public', reason: 'profile-root' },
  { folder: 'csidl_profile', reason: 'profile-root' },
  { folder: 'csidl_profile\\appdata', reason: 'profile-root' },
  { folder: 'csidl_profile\\appdata\\locallow', reason: 'profile-root' },
  { folder: 'csidl_local_appdata', reason: 'profile-root' },
  { folder: 'csidl_appdata', reason: 'profile-root' },
  { folder: 'csidl_local_appdata\\temp', reason: 'temp-folder' },
  { folder: 'csidl_local_appdata\\microsoft\\windows\\inetcache', reason: 'temp-folder' },
  { folder: 'csidl_appdata\\microsoft\\windows\\start menu\\programs\\startup', reason: 'autostart' },
  { folder: 'csidl_desktopdirectory', reason: 'user-content' },
  { folder: 'csidl_profile\\downloads', reason: 'user-content' },
  { folder: 'csidl_profile\\documents', reason: 'user-content' },
  { folder: 'csidl_profile\\onedrive', reason: 'user-content' },
  { folder: '*:\\temp', reason: 'temp-folder' },
  { folder: '*:\\tmp', reason: 'temp-folder' },
  { folder: '*:\\$recycle.bin', reason: 'user-content' },
];

/**
 * Folders withheld wherever they are, and everything below them (`paths.ts`, protectedFolderReason),
 * by one folder name (lower case; a name ending in `*` is a prefix): temp folders (`%TEMP%`,
 * `CSIDL_*\Temp`, the system profile's and service profiles' Temp all have a `Temp` segment),
 * downloads, the recycle bin, synced cloud folders. Our own caution, not from a Cisco source.
 */
export const PROTECTED_SEGMENTS: ReadonlyArray<{ name: string; reason: ProtectedFolderReason }> = [
  { name: 'temp', reason: 'temp-folder' },
  { name: 'tmp', reason: 'temp-folder' },
  { name: 'downloads', reason: 'user-content' },
  { name: '$recycle.bin', reason: 'user-content' },
  { name: 'onedrive*', reason: 'user-content' },
];

/**
 * Runs of folder names withheld wherever they appear, and everything below them: autostart folders
 * (the Startup folders, Group Policy's logon and startup scripts: MITRE ATT&CK T1547.001, T1037.001)
 * and the connector's own install folders (excluding them would let malware hide beside the
 * connector, and stop it from scanning its own updates).
 */
export const PROTECTED_RUNS: ReadonlyArray<{ names: string[]; reason: ProtectedFolderReason }> = [
  { names: ['start menu', 'programs', 'startup'], reason: 'autostart' },
  { names: ['grouppolicy', 'machine', 'scripts'], reason: 'autostart' },
  { names: ['grouppolicy', 'user', 'scripts'], reason: 'autostart' },
  { names: ['grouppolicyusers'], reason: 'autostart' },
  { names: ['cisco', 'amp'], reason: 'connector' },
  { names: ['cisco', 'secure endpoint'], reason: 'connector' },
  { names: ['sourcefire'], reason: 'connector' },
];

export type ProtectedProcessReason = 'script-host' | 'proxy-execution' | 'download-tool' | 'system-process' | 'shell' | 'untrusted-content' | 'connector' | 'runs-from-temp';

const MITRE_T1059 = 'MITRE ATT&CK T1059 (Command and Scripting Interpreter)';
const MITRE_T1218 = 'MITRE ATT&CK T1218 (System Binary Proxy Execution); LOLBAS project';
const MITRE_T1105 = 'MITRE ATT&CK T1105 (Ingress Tool Transfer); LOLBAS project (certutil, bitsadmin)';
const UNTRUSTED = 'our own caution: it opens or serves content from the internet (T1189, T1566, T1190), so what it writes is what most needs scanning';
const CONNECTOR = 'the connector itself (Cisco Secure Endpoint): its own processes are never excluded, a program named like them may be malware';
const SYSTEM = 'Windows core process: excluding it removes most of the system from file scanning';

function group(names: readonly string[], reason: ProtectedProcessReason, source: string): Array<[string, { reason: ProtectedProcessReason; source: string }]> {
  return names.map((n) => [n, { reason, source }]);
}

/**
 * Processes never suggested for a process exclusion (issue 9: "never suggest … a script host"),
 * by file name, lower case. A process exclusion stops the scan of every file the process writes:
 * for a host that runs any script or binary it is handed, that is every attacker's file.
 */
export const PROTECTED_PROCESSES: ReadonlyMap<string, { reason: ProtectedProcessReason; source: string }> = new Map<string, { reason: ProtectedProcessReason; source: string }>([
  ...group(['powershell.exe', 'powershell_ise.exe', 'pwsh.exe', 'cmd.exe', 'wscript.exe', 'cscript.exe', 'python.exe', 'python3.exe', 'pythonw.exe', 'py.exe', 'pyw.exe', 'node.exe', 'java.exe', 'javaw.exe', 'perl.exe', 'ruby.exe', 'php.exe', 'bash.exe', 'wsl.exe', 'sh.exe', 'autoit3.exe'], 'script-host', MITRE_T1059),
  ...group(['mshta.exe', 'rundll32.exe', 'regsvr32.exe', 'msiexec.exe', 'msbuild.exe', 'installutil.exe', 'regasm.exe', 'regsvcs.exe', 'wmic.exe', 'cmstp.exe', 'hh.exe', 'forfiles.exe', 'schtasks.exe', 'at.exe', 'odbcconf.exe', 'control.exe', 'msxsl.exe'], 'proxy-execution', MITRE_T1218),
  ...group(['curl.exe', 'certutil.exe', 'bitsadmin.exe'], 'download-tool', MITRE_T1105),
  ...group(
    ['chrome.exe', 'msedge.exe', 'firefox.exe', 'iexplore.exe', 'opera.exe', 'brave.exe', 'outlook.exe', 'thunderbird.exe', 'teams.exe', 'ms-teams.exe', 'slack.exe', 'zoom.exe', 'onedrive.exe', 'dropbox.exe', 'googledrivesync.exe', 'w3wp.exe', 'httpd.exe', 'nginx.exe', 'tomcat.exe', 'tomcat8.exe', 'tomcat9.exe', 'tomcat10.exe'],
    'untrusted-content',
    UNTRUSTED,
  ),
  ...group(['sfc.exe', 'iptray.exe', 'ipsupporttool.exe', 'cscm.exe', 'orbital.exe', 'creport.exe'], 'connector', CONNECTOR),
  ...group(['svchost.exe', 'lsass.exe', 'services.exe', 'winlogon.exe', 'csrss.exe', 'smss.exe', 'wininit.exe', 'dllhost.exe', 'conhost.exe', 'taskhostw.exe', 'wmiprvse.exe', 'spoolsv.exe', 'system', 'searchindexer.exe'], 'system-process', SYSTEM),
  ...group(['explorer.exe'], 'shell', 'the Windows shell starts whatever the user opens'),
]);

/** A suggestion needs at least this share of the non-excluded file events, and this many events. */
export const SUGGESTION_MIN_SHARE = 0.01;
export const SUGGESTION_MIN_EVENTS = 20;
