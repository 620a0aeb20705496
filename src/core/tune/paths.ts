/**
 * Windows paths as the tuning report reads them: the log's `\\?\` prefix removed, compared in
 * lower case, folded to CSIDL form for folders under the system drive's well-known places.
 */
import { CSIDL_FOLDERS, PROTECTED_FOLDERS, PROTECTED_PROCESSES, PROTECTED_RUNS, PROTECTED_SEGMENTS, type ProtectedFolderReason, type ProtectedProcessReason } from './data';

/** `\\?\C:\x` → `C:\x`; `\\?\UNC\server\share` → `\\server\share`; `\??\C:\x` → `C:\x`. */
export function stripLongPrefix(p: string): string {
  let s = p;
  const c0 = s.charCodeAt(0);
  if (c0 === 32 || c0 === 9 || s.charCodeAt(s.length - 1) === 32) s = s.trim();
  if (s.charCodeAt(0) === 92 /* \ */ && (s.startsWith('\\\\?\\') || s.startsWith('\\??\\') || s.startsWith('\\\\.\\'))) {
    s = s.slice(4);
    if (s.length >= 4 && (s.charCodeAt(0) | 32) === 117 && (s.charCodeAt(1) | 32) === 110 && (s.charCodeAt(2) | 32) === 99 && s.charCodeAt(3) === 92) s = '\\\\' + s.slice(4);
  }
  return s;
}

/** The folder part of a path (`C:\a\b.txt` → `C:\a`), '' when there is none. */
export function folderOf(p: string): string {
  const i = p.lastIndexOf('\\');
  return i < 0 ? '' : p.slice(0, i);
}

/** The file name of a path. */
export function baseName(p: string): string {
  return p.slice(p.lastIndexOf('\\') + 1);
}

/** The extension of a lower-case path, as the public tool takes it (after the name's last `.`), '' when none. */
export function extensionOf(lowerPath: string): string {
  const slash = lowerPath.lastIndexOf('\\');
  const dot = lowerPath.lastIndexOf('.');
  if (dot <= slash) return '';
  const ext = lowerPath.slice(dot + 1);
  // A "name" with blanks or a long tail after the dot is not an extension (`a.b c`, hashes).
  if (ext.length === 0 || ext.length > 16 || ext.includes(' ')) return '';
  return ext;
}

interface CsidlMatcher {
  name: string;
  lowerName: string;
  /** Lower-case literal before the user segment (or the whole folder). */
  head: string;
  /** Lower-case literal after the user segment ('' when the folder ends with it). */
  tail?: string;
}

const CSIDL_MATCHERS: readonly CsidlMatcher[] = CSIDL_FOLDERS.map(({ name, folder }) => {
  const lower = folder.toLowerCase();
  const at = lower.indexOf('<user>');
  const m: CsidlMatcher = { name, lowerName: name.toLowerCase(), head: at < 0 ? lower : lower.slice(0, at) };
  if (at >= 0) m.tail = lower.slice(at + '<user>'.length);
  return m;
});

/** Where a folder's CSIDL form starts: the name and how many characters of the literal path it replaces. */
export interface CsidlPrefix {
  name: string;
  lowerName: string;
  /** Characters of the literal (lower-case) path the name stands for. */
  length: number;
}

/**
 * The CSIDL name a lower-case path starts with (CSIDL_FOLDERS order, first match wins), at a
 * folder boundary: `c:\users\jdoe\appdata\local\x` → CSIDL_LOCAL_APPDATA, 27 characters.
 */
export function csidlPrefix(lower: string): CsidlPrefix | undefined {
  if (lower.charCodeAt(0) !== 99 /* c */ || lower.charCodeAt(1) !== 58 || lower.charCodeAt(2) !== 92) return undefined;
  for (const m of CSIDL_MATCHERS) {
    if (!lower.startsWith(m.head)) continue;
    let end = m.head.length;
    if (m.tail !== undefined) {
      // One user-name segment, then the tail.
      const slash = lower.indexOf('\\', end);
      const userEnd = slash < 0 ? lower.length : slash;
      if (userEnd === end) continue;
      end = userEnd;
      if (m.tail) {
        if (!lower.startsWith(m.tail, end)) continue;
        end += m.tail.length;
      }
    }
    if (end === lower.length || lower.charCodeAt(end) === 92) return { name: m.name, lowerName: m.lowerName, length: end };
  }
  return undefined;
}

/** A folder's path in CSIDL form, lower case and as written (`CSIDL_LOCAL_APPDATA\Google`). */
export function toCsidlForm(lower: string, display: string): { lower: string; display: string } {
  const p = csidlPrefix(lower);
  if (!p) return { lower, display };
  const sameLength = lower.length === display.length;
  return { lower: p.lowerName + lower.slice(p.length), display: p.name + (sameLength ? display.slice(p.length) : lower.slice(p.length)) };
}

const PROTECTED_PATTERNS: ReadonlyArray<{ segments: string[]; reason: ProtectedFolderReason }> = PROTECTED_FOLDERS.map(({ folder, reason }) => ({ segments: folder.split('\\'), reason }));

function segmentMatches(pattern: string, segment: string): boolean {
  if (pattern === '*') return true;
  if (pattern === '*:') return segment.length === 2 && segment.charCodeAt(1) === 58;
  return pattern === segment;
}

/** A folder name or run of names (PROTECTED_SEGMENTS, PROTECTED_RUNS) the segments contain: at or below such a folder. */
function insideProtected(segments: readonly string[]): ProtectedFolderReason | undefined {
  for (const s of segments) {
    for (const p of PROTECTED_SEGMENTS) {
      if (p.name.endsWith('*') ? s.startsWith(p.name.slice(0, -1)) : s === p.name) return p.reason;
    }
  }
  for (const r of PROTECTED_RUNS) {
    for (let i = 0; i + r.names.length <= segments.length; i++) {
      let ok = true;
      for (let j = 0; j < r.names.length && ok; j++) ok = segments[i + j] === r.names[j];
      if (ok) return r.reason;
    }
  }
  return undefined;
}

/**
 * Why a folder (lower case, CSIDL form) must never be suggested for exclusion: it is a protected
 * folder, or it holds one (excluding `C:\Users\jdoe\AppData` would exclude its Temp), or it is
 * at or below a temp, downloads, autostart or connector folder anywhere (`data.ts`).
 */
export function protectedFolderReason(lowerCsidlFolder: string): ProtectedFolderReason | undefined {
  const segments = lowerCsidlFolder.split('\\');
  const inside = insideProtected(segments);
  if (inside) return inside;
  // A network share's root (`\\server\share`) is a drive of its own.
  if (lowerCsidlFolder.startsWith('\\\\') && segments.length <= 4) return 'drive-root';
  let holds: ProtectedFolderReason | undefined;
  for (const p of PROTECTED_PATTERNS) {
    if (segments.length > p.segments.length) continue;
    let ok = true;
    for (let i = 0; i < segments.length && ok; i++) ok = segmentMatches(p.segments[i]!, segments[i]!);
    if (!ok) continue;
    if (segments.length === p.segments.length) return p.reason;
    holds ??= p.reason;
  }
  return holds;
}

/**
 * Why a process (full path or name) must never be suggested for a process exclusion: by its name
 * (`data.ts`, PROTECTED_PROCESSES), the connector's install folder, or a temp or downloads folder
 * it runs from (where malware starts).
 */
export function protectedProcessReason(processPath: string): ProtectedProcessReason | undefined {
  const lower = processPath.toLowerCase();
  const byName = PROTECTED_PROCESSES.get(baseName(lower))?.reason;
  if (byName) return byName;
  const folder = folderOf(lower);
  if (!folder) return undefined;
  const inside = insideProtected(folder.split('\\'));
  if (inside === 'connector') return 'connector';
  if (inside === 'temp-folder' || (inside === 'user-content' && folder.split('\\').includes('downloads'))) return 'runs-from-temp';
  return undefined;
}
