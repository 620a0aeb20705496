/**
 * The case facts the trees in VS Code show for one bundle (issue 8): the endpoint (host, OS,
 * versions, policy, definitions, update server, proxy, isolation), every code seen where its
 * context says it is a code, and the timeline of TETRA updates, isolation and policy events across
 * every log. Read from what `analyzePath` already holds (log analyses, stitched timelines,
 * recognised outputs, inventory, findings): no file is read or parsed again. Ids and arguments
 * only; `src/shared/render-case.ts` words them.
 */
import { outputsOf, redact, type Mark, type RecognisedOutput } from '../bundle/evidence';
import type { PathAnalysis } from '../bundle/inputs';
import type { LogAnalysis, LogMark, UpdateAttempt } from '../log/analyze';
import { ISOLATION_STARTED, ISOLATION_STOPPED, PUBLISH_RULES } from '../log/rules';
import { isoOf, MONTHS } from '../log/year';
import type { Evidence } from '../types';
import type { CaseView, EndpointFact, EndpointFactId, FactPlace, SeenCode, TimelineEvent, TimelineEventKind } from './types';

/** Timeline events kept (the most recent: what an engineer reads first); `timelineTotal` stays exact. */
export const MAX_TIMELINE = 2000;
/** Occurrences kept per code (the first ones, in time order where the source has one). */
export const MAX_CODE_OCCURRENCES = 50;
/** Places kept per endpoint fact. */
const MAX_PLACES = 20;

/**
 * Policy Update (success), BRIEF §3.3. The log rules name only the failure (`PUBLISH_RULES`) and
 * the isolation start/stop; the codes catalogue holds the same id with its name (a test checks
 * they agree).
 */
export const POLICY_UPDATED = 553648130;

/** What each PublishEvent rule of the log becomes on the timeline (the type ids stay in `PUBLISH_RULES`). */
const RULE_TIMELINE: Readonly<Record<string, { kind: TimelineEventKind; action?: string }>> = {
  'isolation.start-failed': { kind: 'isolation.failed', action: 'start' },
  'isolation.stop-failed': { kind: 'isolation.failed', action: 'stop' },
  'isolation.update-failed': { kind: 'isolation.failed', action: 'update' },
  'isolation.unlock-limit-reached': { kind: 'isolation.unlock-limit' },
  'policy.update-failed': { kind: 'policy.failed' },
};

/** PublishEvent type id → timeline kind. */
export const PUBLISH_TIMELINE: ReadonlyMap<number, { kind: TimelineEventKind; action?: string }> = new Map([
  [ISOLATION_STARTED, { kind: 'isolation.started' as TimelineEventKind }],
  [ISOLATION_STOPPED, { kind: 'isolation.stopped' as TimelineEventKind }],
  [POLICY_UPDATED, { kind: 'policy.updated' as TimelineEventKind }],
  ...PUBLISH_RULES.flatMap((r) => (RULE_TIMELINE[r.id] ? [[r.type, RULE_TIMELINE[r.id]!] as const] : [])),
]);

// ---------------------------------------------------------------------------------------------

export function caseView(analysis: PathAnalysis): CaseView {
  const units = logUnits(analysis);
  const { timeline, total } = buildTimeline(units);
  return { endpoint: endpointFacts(analysis, units), codes: seenCodes(analysis, units), timeline, timelineTotal: total };
}

// --- Logs in time order ----------------------------------------------------------------------

/** One log file with its analysis and year, in the order the timeline reads them. */
interface LogUnit {
  file: string;
  analysis: LogAnalysis;
  baseYear?: number;
}

/**
 * The logs as the stitched timelines order them: version folders oldest first (the sets come
 * newest first), within a folder the rotated files oldest first. Logs no set holds come last.
 */
function logUnits(analysis: PathAnalysis): LogUnit[] {
  const byFile = new Map<string, LogAnalysis>();
  for (const f of analysis.files) if (f.analysis) byFile.set(f.file, f.analysis);
  const out: LogUnit[] = [];
  const seen = new Set<string>();
  const add = (file: string, a: LogAnalysis) => {
    if (seen.has(file)) return;
    seen.add(file);
    const u: LogUnit = { file, analysis: a };
    if (a.year && Number.isFinite(a.year.baseYear)) u.baseYear = a.year.baseYear;
    out.push(u);
  };
  for (const set of [...analysis.logSets].reverse()) {
    for (const sf of set.files) {
      const a = byFile.get(sf.file);
      if (a) add(sf.file, a);
    }
  }
  for (const [file, a] of byFile) add(file, a);
  return out;
}

const logEvidence = (file: string, m: LogMark): Evidence => ({ file, range: m.range, text: m.text });
const markEvidence = (file: string, m: Mark): Evidence => ({ file, range: m.range, text: m.text });

/** The year-resolved time of a log mark as `YYYY-MM-DD HH:MM:SS`, else as written. */
function shownLogTime(unit: LogUnit, m: LogMark): string {
  return isoOf(m.time, unit.baseYear)?.replace('T', ' ') ?? m.timestamp;
}

function epochOfIso(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(`${iso}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

// --- Timeline --------------------------------------------------------------------------------

interface Pending {
  event: TimelineEvent;
  line: number;
}

function attemptEvent(file: string, a: UpdateAttempt, unit: LogUnit): Pending {
  const mark = a.mark;
  const time = mark?.time ?? a.start;
  const iso = isoOf(time, unit.baseYear);
  const line = mark?.line ?? a.startLine;
  let kind: TimelineEventKind = 'tetra.attempt';
  const args: Record<string, string | number> = {};
  if (a.updated) {
    kind = 'tetra.updated';
    if (a.version !== undefined && a.version > 0) args['version'] = a.version;
  } else if (a.status !== undefined && a.status !== 0) {
    kind = 'tetra.failed';
    args['status'] = a.status;
  }
  return { event: { kind, time: iso ?? mark?.timestamp ?? a.timestamp, iso: iso !== undefined, args, place: { file, line }, text: mark?.text ?? '' }, line };
}

/** The events of one log in log order, and how many it has in all (kept or not). */
function unitEvents(unit: LogUnit): { events: TimelineEvent[]; total: number } {
  const a = unit.analysis;
  const pending: Pending[] = [];
  for (const at of a.attempts) pending.push(attemptEvent(unit.file, at, unit));
  let total = a.attemptCount;
  for (const p of a.published) {
    const mapped = PUBLISH_TIMELINE.get(p.type);
    if (!mapped) continue;
    total += p.count;
    for (const m of p.marks) {
      const iso = isoOf(m.time, unit.baseYear);
      const args: Record<string, string | number> = { type: p.type };
      if (mapped.action) args['action'] = mapped.action;
      pending.push({ event: { kind: mapped.kind, time: iso ?? m.timestamp, iso: iso !== undefined, args, place: { file: unit.file, line: m.line }, text: m.text }, line: m.line });
    }
  }
  // Log order: by line (a stable sort keeps an attempt before an event on the same line).
  pending.sort((x, y) => x.line - y.line);
  return { events: pending.map((p) => p.event), total };
}

/**
 * Every log's events in time order: logs whose year is known are merged by their ISO times (each
 * log keeps its own order, so a line written late stays where the log has it; equal times keep
 * the timeline order of the logs); logs without a year follow, in timeline order, since their
 * times cannot be placed among the others. The most recent `MAX_TIMELINE` events are kept.
 */
function buildTimeline(units: readonly LogUnit[]): { timeline: TimelineEvent[]; total: number } {
  let total = 0;
  const dated: TimelineEvent[][] = [];
  const undated: TimelineEvent[][] = [];
  for (const u of units) {
    const r = unitEvents(u);
    total += r.total;
    if (r.events.length === 0) continue;
    (u.baseYear !== undefined ? dated : undated).push(r.events);
  }
  const merged: TimelineEvent[] = [];
  const heads = dated.map(() => 0);
  for (;;) {
    let best = -1;
    for (let k = 0; k < dated.length; k++) {
      const e = dated[k]![heads[k]!];
      if (!e) continue;
      if (best < 0 || e.time < dated[best]![heads[best]!]!.time) best = k;
    }
    if (best < 0) break;
    merged.push(dated[best]![heads[best]!++]!);
  }
  for (const events of undated) merged.push(...events);
  return { timeline: merged.length > MAX_TIMELINE ? merged.slice(merged.length - MAX_TIMELINE) : merged, total };
}

// --- Codes -----------------------------------------------------------------------------------

interface CodeRecord {
  u32: number;
  hint: string;
  count: number;
  /** Written forms, weighted by how many occurrences each stands for. */
  forms: Map<string, number>;
  occurrences: Evidence[];
}

class CodeBag {
  private readonly codes = new Map<string, CodeRecord>();

  /** `value` as a number (signed or unsigned), `text` as written, `count` occurrences in all. */
  add(value: number, text: string, hint: string, count: number, occurrences: readonly Evidence[]): void {
    if (!Number.isInteger(value) || value < -0x80000000 || value > 0xffffffff || count <= 0) return;
    const u32 = value >>> 0;
    // One code per 32 bits and reading: the same bits as a TLS alert and as a curl exit are two codes.
    const key = `${hint}:${u32}`;
    let r = this.codes.get(key);
    if (!r) {
      r = { u32, hint, count: 0, forms: new Map(), occurrences: [] };
      this.codes.set(key, r);
    }
    r.count += count;
    r.forms.set(text, (r.forms.get(text) ?? 0) + count);
    for (const e of occurrences) {
      if (r.occurrences.length >= MAX_CODE_OCCURRENCES) break;
      r.occurrences.push(e);
    }
  }

  /** Codes by count, then by where they first appear (files in `fileOrder`, the timeline's, then by line). */
  list(fileOrder: ReadonlyMap<string, number>): SeenCode[] {
    const out: SeenCode[] = [];
    for (const r of this.codes.values()) {
      let text = '';
      let best = -1;
      for (const [form, n] of r.forms) if (n > best) [text, best] = [form, n];
      out.push({ text, u32: r.u32, hint: r.hint, count: r.count, occurrences: r.occurrences });
    }
    const firstOf = (c: SeenCode) => c.occurrences[0];
    return out.sort((a, b) => {
      if (a.count !== b.count) return b.count - a.count;
      const fa = firstOf(a);
      const fb = firstOf(b);
      if (fa && fb) {
        const ra = fileOrder.get(fa.file) ?? Number.MAX_SAFE_INTEGER;
        const rb = fileOrder.get(fb.file) ?? Number.MAX_SAFE_INTEGER;
        if (ra !== rb) return ra - rb;
        if (fa.file !== fb.file) return fa.file < fb.file ? -1 : 1;
        if (fa.range.start.line !== fb.range.start.line) return fa.range.start.line - fb.range.start.line;
      } else if (fa || fb) return fa ? -1 : 1;
      return a.u32 - b.u32 || (a.hint < b.hint ? -1 : a.hint > b.hint ? 1 : 0);
    });
  }
}

/** How a revocation failure line writes its code (the log rule also takes the words alone). */
const REVOCATION_WRITTEN = /0x80092013|\b80092013\b|\b2148081683\b|-2146885613\b/i;
const CRYPT_E_REVOCATION_OFFLINE = 0x80092013;

function seenCodes(analysis: PathAnalysis, units: readonly LogUnit[]): SeenCode[] {
  const bag = new CodeBag();
  // Logs, in timeline order (so a code's first occurrence is its earliest).
  for (const u of units) {
    const a = u.analysis;
    const ev = (m: LogMark) => logEvidence(u.file, m);
    // Failed update attempts: one per attempt (its three lines write the status once each).
    for (const g of a.failures) bag.add(g.status, String(g.status), 'tetra-status', g.count, g.marks.map(ev));
    for (const s of a.avstat) if (s.status !== 0) bag.add(s.status, String(s.status), 'tetra-status', 1, [ev(s)]);
    for (const p of a.published) bag.add(p.type, String(p.type), 'event-type', p.count, p.marks.map(ev));
    if (a.revocationCount > 0) {
      const written = a.revocation.map((m) => REVOCATION_WRITTEN.exec(m.text)?.[0] ?? '0x80092013');
      // Each line counts once; the lines not kept are written as the kept ones most often are.
      const forms = new Map<string, number>();
      for (const w of written) forms.set(w, (forms.get(w) ?? 0) + 1);
      const main = [...forms].sort((x, y) => y[1] - x[1])[0]?.[0] ?? '0x80092013';
      bag.add(CRYPT_E_REVOCATION_OFFLINE, main, 'certificate', a.revocationCount, a.revocation.map(ev));
    }
  }
  const outputs = analysis.outputs ?? [];
  for (const o of outputsOf(outputs, 'connector.local-xml')) {
    const e = o.data.lastError;
    if (e && e.value !== 0) bag.add(e.value, String(e.value), 'tetra-status', 1, [markEvidence(o.file, e.at)]);
  }
  for (const o of outputsOf(outputs, 'curl.verbose')) {
    for (const t of o.data.tlsErrors) if (t.code !== undefined) bag.add(t.code, t.hex ?? `0x${(t.code >>> 0).toString(16).toUpperCase().padStart(8, '0')}`, 'certificate', 1, [markEvidence(o.file, t.at)]);
    const x = o.data.exit;
    if (x) bag.add(x.code, String(x.code), 'curl-exit', 1, [markEvidence(o.file, x.at)]);
  }
  for (const o of outputsOf(outputs, 'windows.schannel-events')) {
    for (const e of o.data.events) if (e.alert !== undefined) bag.add(e.alert, String(e.alert), 'tls-alert', 1, [markEvidence(o.file, e.at)]);
  }
  for (const o of outputsOf(outputs, 'wireshark.tls')) {
    for (const a of o.data.alerts) if (a.code !== undefined) bag.add(a.code, String(a.code), 'tls-alert', 1, [markEvidence(o.file, a.at)]);
  }
  for (const o of outputsOf(outputs, 'console.isolation')) {
    for (const c of o.data.errorCodes) bag.add(c.value, /0x/i.test(c.at.text) && !c.at.text.includes(String(c.value)) ? `0x${(c.value >>> 0).toString(16).toUpperCase()}` : String(c.value), 'isolation-error', 1, [markEvidence(o.file, c.at)]);
    // The console names an event or writes its type id (one event when it does both, BRIEF §3.3).
    for (const e of o.data.events) bag.add(e.type, String(e.type), 'event-type', 1, [markEvidence(o.file, e.at)]);
  }
  const fileOrder = new Map<string, number>();
  for (const u of units) fileOrder.set(u.file, fileOrder.size);
  return bag.list(fileOrder);
}

// --- Endpoint facts --------------------------------------------------------------------------

/** One reading of a fact: its value, where, and what the renderer needs (`via`, …). */
interface Reading {
  value: string;
  place?: FactPlace;
  args: Record<string, string | number>;
}

const placeOf = (file: string, line: number | undefined): FactPlace => ({ file, line: line ?? 0 });
const atPlace = (file: string, m: Mark): FactPlace => ({ file, line: m.line });

/**
 * A fact from its readings, the first one used: every place that reads the same value (by
 * `same`), and, when `conflicts` is set, how many other values the bundle gives and the first of
 * them (two host names in one case folder mean two endpoints' texts).
 */
function factOf(id: EndpointFactId, readings: readonly Reading[], options: { same?: (v: string) => string; conflicts?: boolean } = {}): EndpointFact | undefined {
  const chosen = readings[0];
  if (!chosen) return undefined;
  const norm = options.same ?? ((v: string) => v);
  const key = norm(chosen.value);
  const places: FactPlace[] = [];
  for (const r of readings) {
    if (norm(r.value) !== key || !r.place || places.length >= MAX_PLACES) continue;
    if (!places.some((p) => p.file === r.place!.file && p.line === r.place!.line)) places.push(r.place);
  }
  const args = { ...chosen.args };
  if (options.conflicts) {
    const others: string[] = [];
    for (const r of readings) if (norm(r.value) !== key && !others.some((o) => norm(o) === norm(r.value))) others.push(r.value);
    if (others.length > 0) {
      args['others'] = others.length;
      args['other'] = others[0]!;
    }
  }
  return { id, value: chosen.value, args, places };
}

/** `Lab Mac Policy (#77)` → name and serial (the `ampcli status` shape, BRIEF §2.6; unconfirmed). */
function policyOf(value: string): { name?: string; serial?: number } {
  const v = value.trim();
  if (!v || /^(?:none|n\/a|unknown|-)$/i.test(v)) return {};
  const m = /^(.*?)\s*\(#?\s*(\d{1,12})\)\s*$/.exec(v);
  if (m) return m[1] ? { name: m[1], serial: Number(m[2]) } : { serial: Number(m[2]) };
  return { name: v };
}

/** A proxy as `host[:port]`, never its credentials; undefined for "none". */
function proxyOf(value: string): string | undefined {
  const v = value.trim();
  if (!v || /^(?:none|n\/a|no|off|disabled|not (?:set|configured)|direct|-)\b/i.test(v)) return undefined;
  // Credentials end at the last `@` of the whole value (a password may hold `@`, blanks or `/`).
  const afterCredentials = v.includes('@') ? v.slice(v.lastIndexOf('@') + 1) : v.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '');
  const authority = afterCredentials.split(/[/\s]/)[0]!;
  const m = /^((?:[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?\.)+[a-z]{2,63}|\d{1,3}(?:\.\d{1,3}){3}|[a-z0-9-]{1,63})(?::(\d{1,5}))?$/i.exec(authority);
  if (m) return m[2] ? `${m[1]!.toLowerCase()}:${m[2]}` : m[1]!.toLowerCase();
  // Not a plain host: shown only when nothing in it can be a credential.
  return v.includes('@') ? undefined : redact(v).slice(0, 120);
}

/** `Sun Dec 31 18:02:11 2028` (AVStat's last success) as epoch ms, read as UTC like the log's other times. */
function avstatDate(text: string): number | undefined {
  const m = /^(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) {1,2}(\d{1,2}) (\d{2}):(\d{2}):(\d{2}) ((?:19|20)\d{2})$/.exec(text.trim());
  if (!m) return undefined;
  const month = MONTHS.indexOf(m[1] as (typeof MONTHS)[number]);
  return Date.UTC(Number(m[6]), month, Number(m[2]), Number(m[3]), Number(m[4]), Number(m[5]));
}

const DAY_MS = 86_400_000;

/** The bundle's newest moment: the latest time any log or console text writes (epoch ms). */
function newestTime(outputs: readonly RecognisedOutput[], units: readonly LogUnit[]): number | undefined {
  let newest: number | undefined;
  const see = (ms: number | undefined) => {
    if (ms !== undefined && Number.isFinite(ms) && (newest === undefined || ms > newest)) newest = ms;
  };
  for (const u of units) see(epochOfIso(u.analysis.lastIso));
  for (const o of outputs) {
    switch (o.id) {
      case 'console.computer-details':
        see(o.data.lastSeen?.value.epochMs);
        see(o.data.definitionsLastUpdated?.value.epochMs);
        break;
      case 'ampcli.status':
        for (const r of o.data.records) see(r.definitionsLastUpdated?.value.epochMs);
        break;
      case 'console.av-definitions':
        for (const r of o.data.rows) see(r.time?.epochMs);
        for (const l of o.data.latest) see(l.time?.epochMs);
        break;
      case 'console.isolation':
        for (const s of o.data.statuses) see(s.time?.epochMs);
        break;
      default:
        break;
    }
  }
  return newest;
}

type IsolationState = 'isolated' | 'not-isolated' | 'pending';

function endpointFacts(analysis: PathAnalysis, units: readonly LogUnit[]): EndpointFact[] {
  const outputs = analysis.outputs ?? [];
  const inv = analysis.inventory;
  const facts: EndpointFact[] = [];
  const push = (f: EndpointFact | undefined) => {
    if (f) facts.push(f);
  };
  const consoles = outputsOf(outputs, 'console.computer-details');
  const postures = outputsOf(outputs, 'ampcli.posture');
  const statuses = outputsOf(outputs, 'ampcli.status');
  const statusFields = (key: string) => statuses.flatMap((o) => o.data.records.flatMap((r) => r.fields.filter((f) => f.key === key).map((f) => ({ file: o.file, field: f }))));
  const lower = (v: string) => v.toLowerCase();

  // Host name: the console's (systeminfo's Host Name is not among what the outputs keep).
  const hosts: Reading[] = consoles.flatMap((o) => (o.data.hostname ? [{ value: o.data.hostname.value, place: atPlace(o.file, o.data.hostname.at), args: { via: 'console' } }] : []));
  for (const o of outputsOf(outputs, 'os.info')) if (o.data.hostName) hosts.push({ value: o.data.hostName.value, place: atPlace(o.file, o.data.hostName.at), args: { via: 'os-info' } });
  push(factOf('hostname', hosts, { same: lower, conflicts: true }));

  // OS: the OS's own output first, then the console's.
  const os: Reading[] = [];
  for (const o of outputsOf(outputs, 'os.info')) {
    if (!o.data.name) continue;
    const args: Record<string, string | number> = { via: o.data.tool };
    if (o.data.version && !o.data.name.value.includes(o.data.version.value)) args['version'] = o.data.version.value;
    os.push({ value: o.data.name.value, place: atPlace(o.file, o.data.name.at), args });
  }
  for (const o of consoles) if (o.data.operatingSystem) os.push({ value: o.data.operatingSystem.value, place: atPlace(o.file, o.data.operatingSystem.at), args: { via: 'console' } });
  push(factOf('os', os));

  // Platform: the inventory's, with the hints that say so, strongest first.
  if (inv?.platform) {
    const hints = inv.platformHints.filter((h) => h.platform === inv.platform);
    push(factOf('platform', hints.map((h) => ({ value: h.platform, place: placeOf(h.file, h.line), args: { via: h.via } }))));
  }

  // Connector versions, newest first: one fact each.
  for (const v of inv?.connectorVersions ?? []) {
    const vias = [...new Set(v.sources.map((s) => s.via))];
    push(factOf('connector-version', v.sources.map((s) => ({ value: v.version, place: placeOf(s.file, s.line), args: { via: vias[0] ?? '', vias: vias.join(',') } }))));
  }

  // Connector GUID: the console's, posture's agent_uuid, local.xml's /config/agent/uuid.
  const guids: Reading[] = [];
  for (const o of outputsOf(outputs, 'connector.local-xml')) if (o.data.connectorGuid) guids.push({ value: o.data.connectorGuid.value.toLowerCase(), place: atPlace(o.file, o.data.connectorGuid.at), args: { via: 'local.xml' } });
  for (const o of consoles) if (o.data.connectorGuid) guids.push({ value: o.data.connectorGuid.value.toLowerCase(), place: atPlace(o.file, o.data.connectorGuid.at), args: { via: 'console' } });
  for (const o of postures) if (o.data.agentUuid) guids.push({ value: o.data.agentUuid.value.toLowerCase(), place: atPlace(o.file, o.data.agentUuid.at), args: { via: 'posture' } });
  push(factOf('connector-guid', guids, { same: lower, conflicts: true }));

  // Policy name and serial: policy.xml's, then `ampcli status`'s `Policy:`.
  const names: Reading[] = [];
  const serials: Reading[] = [];
  for (const o of outputsOf(outputs, 'connector.policy-xml')) {
    if (o.data.policyName) names.push({ value: o.data.policyName.value, place: atPlace(o.file, o.data.policyName.at), args: { via: 'policy' } });
    if (o.data.policySerial) serials.push({ value: String(o.data.policySerial.value), place: atPlace(o.file, o.data.policySerial.at), args: { via: 'policy', serial: o.data.policySerial.value } });
  }
  for (const { file, field } of statusFields('Policy')) {
    const p = policyOf(field.value);
    if (p.name) names.push({ value: p.name, place: atPlace(file, field.at), args: { via: 'ampcli' } });
    if (p.serial !== undefined) serials.push({ value: String(p.serial), place: atPlace(file, field.at), args: { via: 'ampcli', serial: p.serial } });
  }
  push(factOf('policy-name', names, { conflicts: true }));
  push(factOf('policy-serial', serials, { conflicts: true }));

  // TETRA definitions: the newest version any source reports (definitions only move forward).
  const versions: Array<{ version: number; place: FactPlace; via: string }> = (inv?.tetraVersions ?? []).map((t) => ({ version: t.version, place: placeOf(t.file, t.line), via: t.via }));
  for (const u of units) {
    const last = [...u.analysis.attempts].reverse().find((a) => a.updated && a.version !== undefined && a.version > 0);
    if (last) versions.push({ version: last.version!, place: placeOf(u.file, last.mark?.line ?? last.endLine), via: 'log' });
  }
  if (versions.length > 0) {
    const newest = Math.max(...versions.map((v) => v.version));
    const readings = versions.filter((v) => v.version === newest).map((v) => ({ value: String(newest), place: v.place, args: { via: v.via, version: newest } as Record<string, string | number> }));
    const available = inv?.availableTetraVersion;
    if (available && readings[0]) {
      readings[0].args['available'] = available.version;
      if (available.version > newest) readings[0].args['behind'] = available.version - newest;
    }
    push(factOf('tetra-version', readings));
  }

  push(tetraAge(outputs, units));

  // Update server: the policy's or the console's (Cisco's default is no fact of this bundle).
  const server = inv?.tetraUpdateServer;
  if (server && server.via !== 'default') push(factOf('update-server', [{ value: server.host, place: placeOf(server.file, server.line), args: { via: server.via } }]));

  // Proxy: policy.xml's proxy server and port, then `ampcli status`'s `Proxy:`. Never credentials.
  const proxies: Reading[] = [];
  for (const o of outputsOf(outputs, 'connector.policy-xml')) {
    const server = o.data.proxyServer;
    if (!server) continue;
    const port = o.data.proxyPort?.value;
    const host = proxyOf(server.value) ?? server.value;
    proxies.push({ value: port && !/:\d+$/.test(host) ? `${host}:${port}` : host, place: atPlace(o.file, server.at), args: { via: 'policy' } });
  }
  for (const { file, field } of statusFields('Proxy')) {
    const p = proxyOf(field.value);
    if (p) proxies.push({ value: p, place: atPlace(file, field.at), args: { via: 'ampcli' } });
  }
  push(factOf('proxy', proxies, { same: lower }));

  push(isolationFact(analysis, outputs));
  return facts;
}

/**
 * How old the definitions are: the latest update any source dates (console, `ampcli status`, the
 * log's last successful update or AVStat's last success) against the bundle's newest time.
 * AVStat's `last upd success - never` with nothing dated says they never updated.
 */
function tetraAge(outputs: readonly RecognisedOutput[], units: readonly LogUnit[]): EndpointFact | undefined {
  const dated: Array<{ ms: number; text: string; place: FactPlace; via: string }> = [];
  for (const o of outputsOf(outputs, 'ampcli.status')) {
    for (const r of o.data.records) {
      const d = r.definitionsLastUpdated;
      if (d?.value.epochMs !== undefined) dated.push({ ms: d.value.epochMs, text: d.value.text, place: atPlace(o.file, d.at), via: 'ampcli' });
    }
  }
  for (const o of outputsOf(outputs, 'console.computer-details')) {
    const d = o.data.definitionsLastUpdated;
    // `ampcli status` has the console's labels too: a line both read is the client's.
    if (d?.value.epochMs === undefined || dated.some((x) => x.place.file === o.file && x.place.line === d.at.line)) continue;
    dated.push({ ms: d.value.epochMs, text: d.value.text, place: atPlace(o.file, d.at), via: 'console' });
  }
  let never: FactPlace | undefined;
  for (const u of units) {
    const s = u.analysis.lastSuccess;
    const ms = s ? epochOfIso(isoOf(s.time, u.baseYear)) : undefined;
    if (s && ms !== undefined) dated.push({ ms, text: shownLogTime(u, s), place: placeOf(u.file, s.line), via: 'log' });
    const av = u.analysis.avstat.at(-1);
    if (av) {
      const t = avstatDate(av.lastSuccess);
      if (t !== undefined) dated.push({ ms: t, text: av.lastSuccess, place: placeOf(u.file, av.line), via: 'log' });
      else if (/^never$/i.test(av.lastSuccess)) never = placeOf(u.file, av.line);
    }
  }
  if (dated.length === 0) return never ? { id: 'tetra-age', value: 'never', args: { via: 'log', never: 1 }, places: [never] } : undefined;
  dated.sort((a, b) => b.ms - a.ms);
  const latest = dated[0]!;
  const newest = newestTime(outputs, units) ?? latest.ms;
  const days = Math.max(0, Math.floor((newest - latest.ms) / DAY_MS));
  const places: FactPlace[] = [];
  for (const d of dated) if (d.ms === latest.ms && places.length < MAX_PLACES && !places.some((p) => p.file === d.place.file && p.line === d.place.line)) places.push(d.place);
  return { id: 'tetra-age', value: latest.text, args: { days, via: latest.via }, places };
}

/**
 * Isolation, from the most direct source first: the registry (`unlock_code` present = isolated,
 * BRIEF §2.5; the code itself never), the client (`ampcli status`, posture), the console's final
 * state, then the logs (`isolation.active`, or a stop as the last isolation event). A source that
 * disagrees is named in `args.other` / `args.otherVia`.
 */
function isolationFact(analysis: PathAnalysis, outputs: readonly RecognisedOutput[]): EndpointFact | undefined {
  const readings: Array<Reading & { value: IsolationState }> = [];
  const add = (value: IsolationState, place: FactPlace, via: string, reason?: string) => {
    const args: Record<string, string | number> = { via };
    if (reason) args['reason'] = reason;
    readings.push({ value, place, args });
  };
  for (const o of outputsOf(outputs, 'registry.immunet')) {
    // The last word of the text: a `reg delete` after the export, or a query that found no value.
    const said: Array<{ state: IsolationState; at: Mark; reason: string }> = [];
    if (o.data.unlockCode) said.push({ state: 'isolated', at: o.data.unlockCode.at, reason: 'unlock-code' });
    if (o.data.unlockCodeAbsent) said.push({ state: 'not-isolated', at: o.data.unlockCodeAbsent, reason: 'no-unlock-code' });
    if (o.data.unlockDelete?.result === 'deleted') said.push({ state: 'not-isolated', at: o.data.unlockDelete.at, reason: 'unlock-code-deleted' });
    const last = said.sort((a, b) => b.at.line - a.at.line)[0];
    if (last) add(last.state, atPlace(o.file, last.at), 'registry', last.reason);
  }
  for (const o of outputsOf(outputs, 'ampcli.status')) {
    const last = [...o.data.records].reverse().find((r) => r.isolation);
    if (last?.isolation) add(last.isolation.value, atPlace(o.file, last.isolation.at), 'ampcli');
  }
  for (const o of outputsOf(outputs, 'ampcli.posture')) {
    if (o.data.isolated) add(o.data.isolated.value ? 'isolated' : 'not-isolated', atPlace(o.file, o.data.isolated.at), 'posture');
  }
  for (const o of outputsOf(outputs, 'console.isolation')) {
    const final = o.data.final;
    if (!final) continue;
    const timed = o.data.statuses.filter((s) => s.state === final);
    const at = timed.sort((a, b) => (b.time?.epochMs ?? -Infinity) - (a.time?.epochMs ?? -Infinity) || b.at.line - a.at.line)[0];
    if (at) add(final, atPlace(o.file, at.at), 'console');
  }
  // Logs: the newest version folder that shows an isolation start or stop decides.
  for (const set of analysis.logSets) {
    const active = set.findings.find((f) => f.id === 'isolation.active');
    if (active) {
      const e = active.evidence[0];
      add('isolated', { file: e?.file ?? set.files.at(-1)?.file ?? '', line: e?.range.start.line ?? active.range.start.line }, 'log');
      break;
    }
    let stop: FactPlace | undefined;
    for (const sf of set.files) {
      const a = analysis.files.find((f) => f.file === sf.file)?.analysis;
      const m = a?.published.find((p) => p.type === ISOLATION_STOPPED)?.marks.at(-1);
      if (m) stop = { file: sf.file, line: m.line };
    }
    if (stop) {
      add('not-isolated', stop, 'log');
      break;
    }
  }
  const fact = factOf('isolation', readings);
  if (!fact) return undefined;
  const other = readings.find((r) => r.value !== fact.value);
  if (other) {
    fact.args['other'] = other.value;
    fact.args['otherVia'] = String(other.args['via']);
  }
  return fact;
}
