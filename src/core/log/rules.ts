/**
 * Rules over one connector log. Each rule has a stable id (the diagnostic's `code`), a severity
 * and its source; findings carry structured arguments and evidence, never sentences. What the
 * rules know lives in the tables below, not in code paths.
 */
import { lookup } from '../codes/catalogue';
import type { Evidence, Finding, FindingAction, Severity } from '../types';
import type { LogAnalysis, LogMark } from './analyze';
import { isoOf } from './year';

/** PublishEvent type ids that are worth a diagnostic (BRIEF §3.3; ids from Cisco's public scripts). */
export interface PublishRule {
  type: number;
  id: string;
  severity: Severity;
  source: string;
}

const EVENT_IDS = 'BRIEF §3.3 (event type ids from the public tools)';

export const PUBLISH_RULES: readonly PublishRule[] = [
  { type: 2164260866, id: 'policy.update-failed', severity: 'warning', source: EVENT_IDS },
  { type: 553648137, id: 'connector.update-failed', severity: 'warning', source: EVENT_IDS },
  { type: 2164260931, id: 'connector.fault-critical', severity: 'error', source: EVENT_IDS },
  { type: 1090519107, id: 'connector.fault-major', severity: 'warning', source: EVENT_IDS },
  { type: 2164260939, id: 'isolation.start-failed', severity: 'error', source: EVENT_IDS },
  { type: 2164260941, id: 'isolation.stop-failed', severity: 'error', source: `${EVENT_IDS}; seed 004` },
  { type: 2164260943, id: 'isolation.update-failed', severity: 'warning', source: EVENT_IDS },
  { type: 553648215, id: 'isolation.unlock-limit-reached', severity: 'warning', source: 'BRIEF §3.2; seed 004' },
  { type: 2164260880, id: 'quarantine.failed', severity: 'warning', source: EVENT_IDS },
  { type: 2165309453, id: 'scan.failed', severity: 'warning', source: EVENT_IDS },
  { type: 2164260914, id: 'ioc.update-failed', severity: 'warning', source: EVENT_IDS },
];

/** Isolation Start Success / Stop Success: the later of the two tells the state (BRIEF §3.3, §4.2). */
export const ISOLATION_STARTED = 553648202;
export const ISOLATION_STOPPED = 553648204;

/** The TETRA update server of the public NAM cloud (BRIEF §4.1 step 4). */
export const DEFAULT_TETRA_SERVER = 'tetra-defs.amp.cisco.com';

/** Checks to copy, per classification of the failure (BRIEF §4.1; seeds 000/001/002). */
export const ACTIONS_BY_KIND: Readonly<Record<string, readonly FindingAction[]>> = {
  'tetra.proxy-connect': [
    { id: 'read-lasterror', command: `(Select-Xml -Path 'C:\\Program Files\\Cisco\\AMP\\local.xml' -XPath '//tetra/lasterror').Node.InnerText` },
    { id: 'curl-update-server', command: `curl.exe -v https://${DEFAULT_TETRA_SERVER}` },
  ],
  'tetra.proxy-auth': [{ id: 'read-lasterror', command: `(Select-Xml -Path 'C:\\Program Files\\Cisco\\AMP\\local.xml' -XPath '//tetra/lasterror').Node.InnerText` }],
  'tetra.proxy-download': [
    { id: 'read-lasterror', command: `(Select-Xml -Path 'C:\\Program Files\\Cisco\\AMP\\local.xml' -XPath '//tetra/lasterror').Node.InnerText` },
    { id: 'curl-update-server', command: `curl.exe -v https://${DEFAULT_TETRA_SERVER}` },
  ],
  'tetra.unknown-error': [
    { id: 'list-cipher-suites', command: 'Get-TlsCipherSuite | ft name' },
    { id: 'curl-update-server', command: `curl.exe -v https://${DEFAULT_TETRA_SERVER}` },
  ],
  'tetra.update-failed': [
    { id: 'resolve-update-server', command: `Resolve-DnsName -Name ${DEFAULT_TETRA_SERVER}` },
    { id: 'curl-update-server', command: `curl.exe -v https://${DEFAULT_TETRA_SERVER}` },
  ],
  'tls.revocation-offline': [{ id: 'curl-update-server', command: `curl.exe -v https://${DEFAULT_TETRA_SERVER}` }],
  'log.debug-disabled': [{ id: 'debug-start', command: 'sfc.exe -l start' }],
  'isolation.stop-failed': [{ id: 'unlock', command: 'sfc.exe -n <unlock code>' }],
  'isolation.active': [{ id: 'unlock', command: 'sfc.exe -n <unlock code>' }],
};

function is32Bit(n: number): boolean {
  return Number.isInteger(n) && n >= -0x80000000 && n <= 0xffffffff;
}

function evidence(file: string, marks: readonly LogMark[]): Evidence[] {
  return marks.map((m) => ({ file, range: m.range, text: m.text }));
}

/** How a time is shown in findings: with the year when it is known (`2022-08-04 07:30:23`), else as written. */
export function shownTime(mark: LogMark, baseYear: number | undefined): string {
  return isoOf(mark.time, baseYear)?.replace('T', ' ') ?? mark.timestamp;
}

/** The folder of a connector version in a path (`…/8.1.7.21417/sfc.exe.log`, BRIEF §2.1). */
export function versionFolderOf(file: string): string | undefined {
  const parts = file.split(/[\\/]/);
  for (let i = parts.length - 2; i >= 0; i--) if (/^\d{1,3}\.\d{1,3}\.\d{1,3}(?:\.\d{1,6})?$/.test(parts[i]!)) return parts[i];
  return undefined;
}

function withActions(f: Finding, key: string, location: string): Finding {
  const actions = ACTIONS_BY_KIND[key];
  if (!actions) return f;
  const version = versionFolderOf(location);
  // Commands run from the version folder when the file says which it is (BRIEF §4.2).
  f.actions = actions.map((a) => ({
    id: a.id,
    command: version && a.command.startsWith('sfc.exe') ? `& 'C:\\Program Files\\Cisco\\AMP\\${version}\\sfc.exe'${a.command.slice('sfc.exe'.length)}` : a.command,
  }));
  return f;
}

/** Every finding of one log, in line order. */
export function logFindings(r: LogAnalysis, file: string, location: string = file, excerpt = false): Finding[] {
  const year = r.year?.baseYear;
  const out: Finding[] = [];
  const timeArgs = (first: LogMark, last: LogMark): Record<string, string> => ({ first: shownTime(first, year), last: shownTime(last, year) });

  // tetra.update-failed: one per distinct status, never one per attempt.
  for (const g of r.failures) {
    const entry = is32Bit(g.status) ? lookup('se.tetra', g.status >>> 0) : undefined;
    const f: Finding = {
      id: 'tetra.update-failed',
      severity: 'error',
      args: { status: g.status, count: g.count, ...timeArgs(g.first, g.last) },
      range: g.first.range,
      evidence: evidence(file, g.marks),
    };
    if (entry?.kind) f.kind = entry.kind;
    out.push(withActions(f, entry?.kind ?? 'tetra.update-failed', location));
  }

  // AVStat says the engine has no definitions and never updated (seed 001).
  const lastAv = r.avstat[r.avstat.length - 1];
  if (lastAv && lastAv.defs === 0 && /^never$/i.test(lastAv.lastSuccess)) {
    out.push({
      id: 'tetra.definitions-missing',
      severity: 'warning',
      args: { engine: lastAv.engine, status: lastAv.status | 0, time: shownTime(lastAv, year) },
      range: lastAv.range,
      evidence: evidence(file, [lastAv]),
    });
  }

  if (r.revocation.length > 0) {
    const first = r.revocation[0]!;
    const last = r.revocation[r.revocation.length - 1]!;
    out.push(
      withActions(
        { id: 'tls.revocation-offline', severity: 'error', args: { count: r.revocationCount, ...timeArgs(first, last) }, range: first.range, evidence: evidence(file, r.revocation) },
        'tls.revocation-offline',
        location,
      ),
    );
  }

  for (const rule of PUBLISH_RULES) {
    const p = r.published.find((x) => x.type === rule.type);
    if (!p || p.marks.length === 0) continue;
    const first = p.marks[0]!;
    const last = p.marks[p.marks.length - 1]!;
    out.push(
      withActions(
        { id: rule.id, severity: rule.severity, args: { type: rule.type, count: p.count, ...timeArgs(first, last) }, range: first.range, evidence: evidence(file, p.marks) },
        rule.id,
        location,
      ),
    );
  }

  const started = r.published.find((x) => x.type === ISOLATION_STARTED)?.marks.at(-1);
  const stopped = r.published.find((x) => x.type === ISOLATION_STOPPED)?.marks.at(-1);
  if (!excerpt && started && (!stopped || stopped.line < started.line)) {
    out.push(withActions({ id: 'isolation.active', severity: 'warning', args: { since: shownTime(started, year) }, range: started.range, evidence: evidence(file, [started]) }, 'isolation.active', location));
  }

  if (!excerpt && r.entries > 0 && !r.debug) {
    const line = r.blocks[0]?.startLine ?? 0;
    out.push(
      withActions(
        { id: 'log.debug-disabled', severity: 'information', args: { entries: r.entries }, range: { start: { line, character: 0 }, end: { line, character: 0 } }, evidence: [] },
        'log.debug-disabled',
        location,
      ),
    );
  }

  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}
