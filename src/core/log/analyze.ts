import { lookup } from '../codes/catalogue';
import { detach, LineSplitter, type Line } from '../text/lines';
import { throwIfCancelled, NEVER_CANCELLED, type Cancellation, type Evidence, type Finding, type Range } from '../types';
import { componentOf, EntryAssembler, positionInEntry, type LogEntry } from './entry';
import { EVENT_KEYWORDS, EVENT_PATTERNS, type LogEventKind } from './events';

/** A TETRA update result seen in the log. */
export interface TetraAttempt {
  event: LogEventKind;
  timestamp: string;
  status: number;
  updated: boolean;
  /** The status number's range. */
  range: Range;
  text: string;
}

export interface LogAnalysis {
  lines: number;
  entries: number;
  /** Lines that are not part of any entry (before the first header, or garbage). */
  orphanLines: number;
  firstTimestamp?: string;
  lastTimestamp?: string;
  attempts: TetraAttempt[];
  /** `AVStat::CopyInternal … last err code - N` lines. */
  avstat: TetraAttempt[];
  findings: Finding[];
  /** Entries per component (`TetraUpdateInterface`, `Event`, …), most first, bounded. */
  components: Array<{ name: string; count: number }>;
  /** Entries per level marker (`ERROR`, `WARNING`, …). */
  levels: Record<string, number>;
  /** True when the log has debug-only lines (BRIEF §2.2). */
  debug: boolean;
  /** Year-resolved ISO times of the first and last entries, where the year could be inferred. */
  firstIso?: string;
  lastIso?: string;
}

export interface AnalyzeOptions {
  /** The file name used in evidence (relative to the bundle root where there is one). */
  file?: string;
  token?: Cancellation;
}

/** How many events of each kind are kept (counts stay exact beyond it). */
const MAX_KEPT_EVENTS = 10_000;
/** How many evidence items one finding lists. */
const MAX_EVIDENCE = 50;
/** Evidence text is bounded. */
const MAX_EVIDENCE_TEXT = 300;
/** Distinct components counted, and reported. */
const MAX_COMPONENTS = 2000;
const MAX_COMPONENTS_REPORTED = 200;
/** Cancellation is checked every this many lines. */
const CHECK_EVERY = 2048;

/**
 * Streams a connector log: feed text chunks (or lines), then `finish()`. Memory stays bounded by
 * what the rules keep, not by the log's size.
 */
export class LogAnalyzer {
  private readonly splitter: LineSplitter;
  private readonly assembler: EntryAssembler;
  private readonly token: Cancellation;
  private readonly file: string;
  private readonly result: LogAnalysis = { lines: 0, entries: 0, orphanLines: 0, attempts: [], avstat: [], findings: [], components: [], levels: {}, debug: false };
  private readonly componentCounts = new Map<string, number>();
  private failuresByStatus = new Map<number, { count: number; items: TetraAttempt[]; first: TetraAttempt; last: TetraAttempt }>();
  private errorsByStatus = new Map<number, { count: number; items: TetraAttempt[]; first: TetraAttempt; last: TetraAttempt }>();

  constructor(options: AnalyzeOptions = {}) {
    this.token = options.token ?? NEVER_CANCELLED;
    this.file = options.file ?? '';
    this.assembler = new EntryAssembler(
      (e) => this.onEntry(e),
      () => this.result.orphanLines++,
    );
    this.splitter = new LineSplitter((l) => this.pushLine(l));
  }

  /** Feeds decoded text (any chunking). */
  push(text: string): void {
    this.splitter.push(text);
  }

  pushLine(line: Line): void {
    this.result.lines++;
    if (this.result.lines % CHECK_EVERY === 0) throwIfCancelled(this.token);
    this.assembler.push(line);
  }

  finish(): LogAnalysis {
    this.splitter.finish();
    this.assembler.finish();
    if (this.result.lastTimestamp) this.result.lastTimestamp = detach(this.result.lastTimestamp);
    this.result.findings.push(...this.updateFailureFindings());
    this.result.components = [...this.componentCounts].map(([name, count]) => ({ name, count })).sort((a, b) => b.count - a.count || a.name.localeCompare(b.name)).slice(0, MAX_COMPONENTS_REPORTED);
    return this.result;
  }

  private onEntry(entry: LogEntry): void {
    const r = this.result;
    r.entries++;
    r.firstTimestamp ??= detach(entry.timestamp);
    r.lastTimestamp = entry.timestamp; // detached once, in finish()
    const msg = entry.message;
    if (entry.level) r.levels[entry.level] = (r.levels[entry.level] ?? 0) + 1;
    const component = componentOf(msg);
    if (component !== undefined) {
      const n = this.componentCounts.get(component);
      if (n !== undefined) this.componentCounts.set(component, n + 1);
      else if (this.componentCounts.size < MAX_COMPONENTS) this.componentCounts.set(detach(component), 1);
    }
    if (!EVENT_KEYWORDS.some((k) => msg.includes(k))) return;
    for (const p of EVENT_PATTERNS) {
      const m = p.re.exec(msg);
      if (!m?.groups) continue;
      const status = Number(m.groups['status']);
      const [from, to] = m.indices?.groups?.[p.value] ?? [m.index, m.index + m[0].length];
      const range: Range = { start: positionInEntry(entry, from), end: positionInEntry(entry, to) };
      const attempt: TetraAttempt = {
        event: p.event,
        timestamp: detach(entry.timestamp),
        status,
        updated: m.groups['updated'] === 'TRUE',
        range,
        text: detach(msg.length > MAX_EVIDENCE_TEXT ? msg.slice(0, MAX_EVIDENCE_TEXT) + '…' : msg),
      };
      if (p.event === 'tetra.avstat') {
        if (r.avstat.length < MAX_KEPT_EVENTS) r.avstat.push(attempt);
        continue;
      }
      if (p.event === 'tetra.result' && r.attempts.length < MAX_KEPT_EVENTS) r.attempts.push(attempt);
      if (!attempt.updated && status !== 0) {
        const map = p.event === 'tetra.result' ? this.failuresByStatus : this.errorsByStatus;
        const g = map.get(status);
        if (g) {
          g.count++;
          g.last = attempt;
          if (g.items.length < MAX_EVIDENCE) g.items.push(attempt);
        } else map.set(status, { count: 1, items: [attempt], first: attempt, last: attempt });
      }
    }
  }

  /**
   * `tetra.update-failed`: one finding per distinct status (never thousands of copies). The
   * `PerformTetraUpdate` result line is the attempt; where a log lacks it, the
   * `Update failed with error` line stands in.
   */
  private updateFailureFindings(): Finding[] {
    const groups = this.failuresByStatus.size > 0 ? this.failuresByStatus : this.errorsByStatus;
    const findings: Finding[] = [];
    for (const [status, g] of groups) {
      const entry = lookup('se.tetra', status >>> 0);
      const evidence: Evidence[] = g.items.map((a) => ({ file: this.file, range: a.range, text: a.text }));
      const finding: Finding = {
        id: 'tetra.update-failed',
        severity: 'error',
        args: { status, count: g.count, first: g.first.timestamp, last: g.last.timestamp },
        range: g.first.range,
        evidence,
      };
      if (entry?.kind) finding.kind = entry.kind;
      findings.push(finding);
    }
    return findings.sort((a, b) => a.range.start.line - b.range.start.line);
  }
}

/** Analyses a whole in-memory text (an open document). */
export function analyzeLogText(text: string, options: AnalyzeOptions = {}): LogAnalysis {
  const a = new LogAnalyzer(options);
  a.push(text);
  return a.finish();
}
