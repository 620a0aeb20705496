/**
 * Rotated logs stitched in time order, one timeline per connector version folder (BRIEF §2.1–2.2:
 * a bundle can hold several version folders after an upgrade; never mix their timelines silently).
 */
import type { Evidence, Finding } from '../types';
import type { LogAnalysis, UpdateAttempt } from './analyze';
import { ISOLATION_STARTED, ISOLATION_STOPPED, versionFolderOf } from './rules';
import { epochOf } from './year';

export interface LogFile {
  /** Relative to the bundle root. */
  file: string;
  analysis: LogAnalysis;
}

export interface StitchedFile {
  file: string;
  /** 0 for the live log, N for `sfc.exe.log.N` / `sfc.exe.N.log`, larger for `.old`/`.bak`. */
  rotation: number;
  first?: string;
  last?: string;
  firstIso?: string;
  lastIso?: string;
  /** Set when this file's time span overlaps the previous file's (clock change, or a copy). */
  overlapsPrevious?: boolean;
}

export interface LogSet {
  /** The version folder (`8.1.7.21417`), when the files sit in one. */
  version?: string;
  /** The folder holding the files, relative to the bundle root ('' for the root). */
  folder: string;
  /** Oldest first. */
  files: StitchedFile[];
  /** Every kept attempt, oldest first, with its file. */
  attempts: Array<UpdateAttempt & { file: string }>;
  /** The files' findings with `tetra.update-failed` merged per status across the rotated files. */
  findings: Finding[];
  first?: string;
  last?: string;
  firstIso?: string;
  lastIso?: string;
}

/** Rotation index from a log's name (BRIEF §2.2: rotated names unconfirmed, several accepted). */
export function rotationIndex(name: string): number {
  const base = name.split(/[\\/]/).pop()!.toLowerCase();
  let m = /^sfc\.exe\.log\.(\d{1,6})$/.exec(base) ?? /^sfc\.exe\.(\d{1,6})\.log$/.exec(base) ?? /^sfc\.exe_(\d{1,6})\.log$/.exec(base);
  if (m) return Number(m[1]);
  if (base === 'sfc.exe.log') return 0;
  m = /^sfc\.exe\.log\.(old|bak)$/.exec(base);
  if (m) return 1_000_000;
  return 500_000;
}

function folderOf(file: string): string {
  const i = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return i < 0 ? '' : file.slice(0, i);
}

/** Sort key: the first entry's time when the year is known, else the rotation order (higher = older). */
function compareFiles(a: LogFile, b: LogFile): number {
  const ay = a.analysis.year?.baseYear;
  const by = b.analysis.year?.baseYear;
  const at = a.analysis.firstTime;
  const bt = b.analysis.firstTime;
  if (ay !== undefined && by !== undefined && at && bt) {
    const d = epochOf(at, ay) - epochOf(bt, by);
    if (d !== 0) return d;
  }
  return rotationIndex(b.file) - rotationIndex(a.file) || a.file.localeCompare(b.file);
}

/** Groups logs by folder (a version folder is a folder), orders each group, merges its findings. */
export function stitchLogs(files: readonly LogFile[]): LogSet[] {
  const groups = new Map<string, LogFile[]>();
  for (const f of files) {
    const key = folderOf(f.file);
    const g = groups.get(key);
    if (g) g.push(f);
    else groups.set(key, [f]);
  }
  const sets: LogSet[] = [];
  for (const [folder, group] of groups) {
    group.sort(compareFiles);
    const set: LogSet = { folder, files: [], attempts: [], findings: [] };
    const version = versionFolderOf(group[0]!.file);
    if (version) set.version = version;
    let previousEnd: number | undefined;
    for (const f of group) {
      const a = f.analysis;
      const sf: StitchedFile = { file: f.file, rotation: rotationIndex(f.file) };
      if (a.firstTimestamp) sf.first = a.firstTimestamp;
      if (a.lastTimestamp) sf.last = a.lastTimestamp;
      if (a.firstIso) sf.firstIso = a.firstIso;
      if (a.lastIso) sf.lastIso = a.lastIso;
      const y = a.year?.baseYear;
      if (y !== undefined && a.firstTime && a.lastTime) {
        if (previousEnd !== undefined && epochOf(a.firstTime, y) < previousEnd) sf.overlapsPrevious = true;
        previousEnd = epochOf(a.lastTime, y);
      }
      set.files.push(sf);
      for (const at of a.attempts) set.attempts.push({ ...at, file: f.file });
    }
    const firstFile = set.files[0];
    const lastFile = set.files[set.files.length - 1];
    if (firstFile?.first) set.first = firstFile.first;
    if (lastFile?.last) set.last = lastFile.last;
    if (firstFile?.firstIso) set.firstIso = firstFile.firstIso;
    if (lastFile?.lastIso) set.lastIso = lastFile.lastIso;
    set.findings = mergeFindings(withoutSupersededStates(group));
    sets.push(set);
  }
  // Newest version first (BRIEF §2.1: prefer the newest), then by folder name.
  return sets.sort((a, b) => compareVersions(b.version, a.version) || a.folder.localeCompare(b.folder));
}

export function compareVersions(a: string | undefined, b: string | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const pa = a.split('.').map(Number);
  const pb = b.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Findings about a *state* (still isolated, no definitions, not in debug) hold only for the newest
 * file of the timeline that can show that state: an isolation start in `sfc.exe.log.1` followed by
 * a stop in `sfc.exe.log` is not "still isolated".
 */
const STATE_RULES: ReadonlyArray<{ id: string; observable: (a: LogAnalysis) => boolean }> = [
  { id: 'isolation.active', observable: (a) => a.published.some((p) => p.type === ISOLATION_STARTED || p.type === ISOLATION_STOPPED) },
  { id: 'tetra.definitions-missing', observable: (a) => a.avstat.length > 0 },
  { id: 'log.debug-disabled', observable: (a) => a.entries > 0 },
];

function withoutSupersededStates(group: readonly LogFile[]): Array<{ file: string; findings: readonly Finding[] }> {
  const newest = new Map<string, number>();
  group.forEach((f, i) => {
    for (const rule of STATE_RULES) if (rule.observable(f.analysis)) newest.set(rule.id, i);
  });
  return group.map((f, i) => ({
    file: f.file,
    findings: f.analysis.findings.filter((x) => !newest.has(x.id) || newest.get(x.id) === i),
  }));
}

const MERGED_EVIDENCE = 50;

/**
 * Findings of consecutive files of one timeline, oldest file first: the same rule with the same
 * status becomes one finding with the summed count, the first time of the oldest and the last of
 * the newest; the evidence keeps each file's name.
 */
export function mergeFindings(perFile: ReadonlyArray<{ file: string; findings: readonly Finding[] }>): Finding[] {
  const merged = new Map<string, Finding>();
  const out: Finding[] = [];
  for (const { file, findings } of perFile) {
    for (const f of findings) {
      const mergeable = f.id === 'tetra.update-failed' || f.id === 'tls.revocation-offline' || f.args['type'] !== undefined;
      const key = `${f.id}|${f.args['status'] ?? ''}|${f.args['type'] ?? ''}`;
      const existing = mergeable ? merged.get(key) : undefined;
      const withFile: Evidence[] = f.evidence.map((e) => ({ ...e, file: e.file || file }));
      if (!existing) {
        const copy: Finding = { ...f, args: { ...f.args }, evidence: withFile.slice(0, MERGED_EVIDENCE) };
        if (mergeable) merged.set(key, copy);
        out.push(copy);
        continue;
      }
      if (typeof existing.args['count'] === 'number' && typeof f.args['count'] === 'number') existing.args['count'] += f.args['count'];
      if (f.args['last'] !== undefined) existing.args['last'] = f.args['last'];
      for (const e of withFile) if (existing.evidence.length < MERGED_EVIDENCE) existing.evidence.push(e);
    }
  }
  return out;
}
