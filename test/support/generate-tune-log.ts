/**
 * Debug connector logs with a known distribution of file events, for the tuning report's tests:
 * every process writes a given number of `Event::HandleCreation` lines over a given list of files,
 * shuffled deterministically (fixed-seed PRNG) over a clock that advances `secondsPerEvent` per
 * event, optionally split over rotated files. Around them, the other debug lines of BRIEF §2.2 in
 * the shapes `bench/generate-log.mjs` writes (exclusion hits for files said excluded, cache hits,
 * engine scans, network flows) and, now and then, a line wrapped onto a continuation line the way
 * seed 001 wraps (at a space, 90 columns). The lines carry no year: the files' modification times
 * are set to the last entry's time so the year is inferred as `year`.
 *
 * The generator also returns what it wrote (the expected counts), but tests compare against an
 * independent count of the written text (awk, grep, or a naive line reader), not only this.
 */
import { closeSync, mkdirSync, openSync, utimesSync, writeSync } from 'node:fs';
import * as path from 'node:path';

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

export interface ProcessSpec {
  /** Full path, as the log writes it without `\\?\` (`C:\Windows\System32\svchost.exe`). */
  process: string;
  /** Files it writes, used in turn. */
  files: readonly string[];
  /** How many file events. */
  events: number;
}

export interface TuneLogSpec {
  processes: readonly ProcessSpec[];
  /** Clock of the first event (UTC fields are what the log writes). */
  start: Date;
  /** Seconds between consecutive file events (default 1; fractions allowed). */
  secondsPerEvent?: number;
  /** Files whose events the connector logs as excluded (an `Exclusion::IsExcluded: result: 1` line on the same thread). */
  excluded?: (file: string) => boolean;
  /** Per event: also a `Cache::Get` and a `TetraEngineInterface::ScanFile` line (default true). */
  followUps?: boolean;
  /** Every Nth file event is wrapped at 90 columns (0: never; default 97). */
  wrapEvery?: number;
  seed?: number;
  /** Extra exclusion hit lines for a path that no file event has (the connector's own exclusions). */
  strayHits?: readonly string[];
}

export interface WrittenEvent {
  process: string;
  file: string;
  /** Seconds since the epoch of the line's clock (read as UTC). */
  at: number;
  excluded: boolean;
}

export interface GeneratedTuneLogs {
  files: string[];
  events: WrittenEvent[];
  /** As written: `Aug 04 07:30:23`. */
  first: string;
  last: string;
}

function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const p2 = (n: number) => String(n).padStart(2, '0');

/** `Aug 04 07:30:23` for a time (UTC fields). */
export function logStamp(ms: number): string {
  const d = new Date(ms);
  return `${MONTHS[d.getUTCMonth()]} ${p2(d.getUTCDate())} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())}`;
}

/** Wraps a line the way seed 001 does: at the last space before column 90. */
function wrap(text: string): string[] {
  const out: string[] = [];
  let rest = text;
  while (rest.length > 90) {
    const cut = rest.lastIndexOf(' ', 90);
    if (cut <= 0) break;
    out.push(rest.slice(0, cut));
    rest = rest.slice(cut + 1);
  }
  out.push(rest);
  return out;
}

/**
 * Writes the events over `names` (paths; oldest first: `sfc.exe.log.2`, `sfc.exe.log.1`,
 * `sfc.exe.log`), each holding a consecutive share of them.
 */
export function generateTuneLogs(names: readonly string[], spec: TuneLogSpec): GeneratedTuneLogs {
  const rand = prng(spec.seed ?? 0x7e57);
  const step = spec.secondsPerEvent ?? 1;
  const wrapEvery = spec.wrapEvery ?? 97;
  const followUps = spec.followUps ?? true;
  // Every event, then a deterministic shuffle (Fisher-Yates).
  const order: Array<{ process: string; file: string }> = [];
  for (const p of spec.processes) for (let i = 0; i < p.events; i++) order.push({ process: p.process, file: p.files[i % p.files.length]! });
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  const events: WrittenEvent[] = [];
  const threads = [2232, 4412, 5120, 6488];
  let tick = 978_000_000;
  const startMs = spec.start.getTime();
  const perFile = Math.ceil(order.length / names.length);
  const files: string[] = [];
  let first = '';
  let last = '';
  for (let f = 0; f < names.length; f++) {
    const name = names[f]!;
    mkdirSync(path.dirname(name), { recursive: true });
    const lines: string[] = [];
    let lastMs = startMs;
    const header = (ms: number, thread: number) => {
      const s = logStamp(ms);
      first ||= s;
      last = s;
      lastMs = ms;
      return `(${tick++}, +0 ms) ${s} [${thread}]: `;
    };
    const slice = order.slice(f * perFile, (f + 1) * perFile);
    slice.forEach((e, k) => {
      const i = f * perFile + k;
      const ms = startMs + Math.floor(i * step * 1000);
      const thread = threads[i % threads.length]!;
      const line = `${header(ms, thread)}Event::HandleCreation: START \\\\?\\${e.file}(\\\\?\\${e.file}), \\\\?\\${e.process}`;
      if (wrapEvery > 0 && i % wrapEvery === wrapEvery - 1) lines.push(...wrap(line));
      else lines.push(line);
      const excluded = spec.excluded?.(e.file) ?? false;
      if (excluded) lines.push(`${header(ms, thread)}Exclusion::IsExcluded: result: 1 for \\\\?\\${e.file},`);
      else if (followUps) {
        lines.push(`${header(ms, thread)}Cache::Get: age ${1 + (i % 500)}, disp 1`);
        lines.push(`${header(ms, thread)}TetraEngineInterface::ScanFile[${100 + (i % 900)}] lock acquired`);
      }
      if (i % 50 === 0) lines.push(`${header(ms, 860)}NFMMemCache::Get: rip: 16777343`);
      events.push({ process: e.process, file: e.file, at: Math.floor(ms / 1000), excluded });
    });
    if (f === names.length - 1) for (const hit of spec.strayHits ?? []) lines.push(`${header(lastMs, 9999)}ExclusionCheck: \\\\?\\${hit} is excluded`);
    const fd = openSync(name, 'w');
    try {
      writeSync(fd, lines.join('\n') + '\n');
    } finally {
      closeSync(fd);
    }
    // The year comes from the file's time (the log writes none): a minute after its last entry.
    const mtime = new Date(lastMs + 60_000);
    utimesSync(name, mtime, mtime);
    files.push(name);
  }
  return { files, events, first, last };
}

/** A log with no debug line at all: a TETRA update attempt of seed 001's shapes only. */
export function writeNonDebugLog(name: string, start: Date): void {
  mkdirSync(path.dirname(name), { recursive: true });
  const s = logStamp(start.getTime());
  const lines = [
    `(978223515, +0 ms) ${s} [11944]: TetraUpdateInterface::update updateDir: C:\\Program Files\\Cisco\\AMP\\tetra, 20, -3000, -3000, 0, 0, 0`,
    `(978223515, +0 ms) ${s} [11944]: ERROR: TetraUpdateInterface::update Update failed with error -3000`,
    `(978223515, +0 ms) ${s} [11944]: PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -3000`,
    `(978223515, +0 ms) ${s} [11944]: PerformTetraUpdate: sig count: 0, version: 0`,
  ];
  const fd = openSync(name, 'w');
  try {
    writeSync(fd, lines.join('\n') + '\n');
  } finally {
    closeSync(fd);
  }
  utimesSync(name, new Date(start.getTime() + 60_000), new Date(start.getTime() + 60_000));
}
