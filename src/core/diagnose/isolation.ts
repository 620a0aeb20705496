/**
 * The Endpoint Isolation decision tree (BRIEF §3.2, §4.2; seed 004) walked over one bundle's
 * analysis: is the endpoint isolated (and who says so), can its connector isolate at all, did
 * unlocking fail or lock out, which recovery path fits the platform, and what confirms it.
 * The unlock code is never read into a diagnosis: commands carry a `<unlock code>` placeholder and
 * evidence lines are the recognisers' redacted ones.
 */
import { parseTime, type Mark } from '../bundle/evidence';
import type { PathAnalysis } from '../bundle/inputs';
import { BUNDLE_ACTIONS, ISOLATION_ACTIONS as RECOVERY_ACTIONS, ISOLATION_MINIMUM } from '../bundle/rules';
import { ISOLATION_STARTED, ISOLATION_STOPPED } from '../log/rules';
import { versionAtLeast } from '../xml/rules';
import type { Evidence, Finding } from '../types';
import type { DiagnosisAction, DiagnosisStep, IsolationDiagnosis, IsolationVerdict } from './types';
import {
  bounded,
  commandAction,
  contextOf,
  findingsOf,
  isoMs,
  LOG_CLOCK_SLACK_HOURS,
  makeStep,
  markEvidence,
  MAX_VERDICT_EVIDENCE,
  outputs,
  ownEvidence,
  pick,
  plainAction,
  settle,
  uniqueActions,
  versionEvidence,
  versionFolder,
  type DiagnoseContext,
} from './util';

// ---------------------------------------------------------------------------------------------
// Knowledge

/** The steps, in the playbook's order (BRIEF §4.2). */
export const ISOLATION_STEPS = ['isolation.state', 'isolation.supported', 'isolation.unlock-attempts', 'isolation.recovery', 'isolation.verify'] as const;
export type IsolationStepId = (typeof ISOLATION_STEPS)[number];

/** Wrong unlock codes before unlocking locks, and for how long (BRIEF §3.2; seed 004). */
export const UNLOCK_ATTEMPTS = 5;
export const UNLOCK_LOCK_MINUTES = 30;

type State = 'isolated' | 'not-isolated' | 'pending';
type StateSource = 'registry' | 'client' | 'posture' | 'console' | 'log';

/**
 * Who says whether the endpoint is isolated, strongest first: the registry's `unlock_code` is the
 * state itself (BRIEF §2.5); the client's status line and AmpCLI posture are the endpoint's view
 * now (seed 004 verifies with the client); the console may lag an offline endpoint; the log's
 * last Isolation Start/Stop event (BRIEF §3.3) may be older than the bundle.
 */
export const ISOLATION_STATE_SOURCES: readonly StateSource[] = ['registry', 'client', 'posture', 'console', 'log'];

/** Recovery commands (BRIEF §4.2; seed 004): the texts of `bundle/rules.ts`'s isolation actions. */
const RECOVERY = {
  deleteUnlockCode: pick(RECOVERY_ACTIONS.windows, 'delete-unlock-code').command,
  macDeleteState: pick(RECOVERY_ACTIONS.macos, 'delete-isolation-state').command,
  macUnload: pick(RECOVERY_ACTIONS.macos, 'daemon-unload').command,
  macLoad: pick(RECOVERY_ACTIONS.macos, 'daemon-load').command,
} as const;

const CMD = {
  unlock: pick(BUNDLE_ACTIONS['isolation.invalid-unlock-code'], 'unlock'),
  unlockAfterWait: pick(BUNDLE_ACTIONS['isolation.unlock-limit-reached'], 'unlock-after-wait'),
} as const;

// ---------------------------------------------------------------------------------------------
// Who says what

interface Said {
  state: State;
  source: StateSource;
  evidence: Evidence;
  /** Extra arguments (the time of a log event, the registry's form). */
  args?: Record<string, string | number>;
  /** The statement carries its own time (a console status with a date, a log event). */
  timed?: boolean;
}

/** Every statement of the isolation state in the bundle, grouped by source in `ISOLATION_STATE_SOURCES` order. */
function statements(c: DiagnoseContext): Said[] {
  const out: Said[] = [];
  const add = (state: State, source: StateSource, file: string, at: Mark, args?: Record<string, string | number>) => {
    const s: Said = { state, source, evidence: markEvidence(file, at) };
    if (args) s.args = args;
    out.push(s);
  };
  for (const o of outputs(c, 'registry.immunet')) {
    const d = o.data;
    if (d.unlockDelete?.result === 'deleted' && (!d.unlockCode || d.unlockDelete.at.line > d.unlockCode.at.line)) add('not-isolated', 'registry', o.file, d.unlockDelete.at, { form: 'deleted' });
    else if (d.unlockCode) add('isolated', 'registry', o.file, d.unlockCode.at, { form: d.form });
    else if (d.unlockCodeAbsent) add('not-isolated', 'registry', o.file, d.unlockCodeAbsent, { form: 'absent' });
    // The whole key exported without an unlock_code value: not isolated.
    else if ((d.form === 'reg-export' || d.form === 'powershell') && d.key && d.values.length > 0) add('not-isolated', 'registry', o.file, d.key.at, { form: 'no-value' });
  }
  for (const o of outputs(c, 'ampcli.status')) {
    const r = [...o.data.records].reverse().find((x) => x.isolation);
    if (r?.isolation) add(r.isolation.value, 'client', o.file, r.isolation.at);
  }
  for (const o of outputs(c, 'ampcli.posture')) if (o.data.isolated) add(o.data.isolated.value ? 'isolated' : 'not-isolated', 'posture', o.file, o.data.isolated.at);
  for (const o of outputs(c, 'console.isolation')) {
    const last = o.data.statuses.filter((s) => s.state === o.data.final).at(-1);
    if (o.data.final && last) {
      add(o.data.final, 'console', o.file, last.at, last.time ? { time: last.time.text } : undefined);
      if (last.time) out[out.length - 1]!.timed = true;
    }
  }
  // The log: the newest timeline's last Isolation Start or Stop Success event (BRIEF §3.3).
  const set = c.analysis.logSets[0];
  if (set) {
    let latest: { state: State; file: string; order: number; line: number; mark: { range: Evidence['range']; text: string; timestamp: string } } | undefined;
    set.files.forEach((sf, order) => {
      const a = c.analysis.files.find((f) => f.file === sf.file)?.analysis;
      for (const p of a?.published ?? []) {
        if (p.type !== ISOLATION_STARTED && p.type !== ISOLATION_STOPPED) continue;
        const m = p.marks.at(-1);
        if (!m) continue;
        if (!latest || order > latest.order || (order === latest.order && m.line > latest.line)) latest = { state: p.type === ISOLATION_STARTED ? 'isolated' : 'not-isolated', file: sf.file, order, line: m.line, mark: m };
      }
    });
    if (latest) out.push({ state: latest.state, source: 'log', evidence: { file: latest.file, range: latest.mark.range, text: latest.mark.text }, args: { time: latest.mark.timestamp }, timed: true });
  }
  return out.sort((a, b) => ISOLATION_STATE_SOURCES.indexOf(a.source) - ISOLATION_STATE_SOURCES.indexOf(b.source));
}

// ---------------------------------------------------------------------------------------------
// Steps (BRIEF §4.2)

/**
 * Who decides the state: the strongest source (`ISOLATION_STATE_SOURCES`), except that a registry
 * export carries no date: a timed statement (a console status with its time, the log's last event)
 * that disagrees with it wins when no live view of the endpoint (client, posture) backs the
 * export — the export was most likely taken before that time (seed 004 exports the key while
 * stuck). And an isolated state is never reported while every client/console view says Not
 * Isolated: such a conflict is `unknown`, with what would settle it.
 */
function stateStep(c: DiagnoseContext, said: readonly Said[]): DiagnosisStep {
  const id = 'isolation.state';
  if (said.length === 0) return makeStep(id, 'unknown', 'no-evidence', {}, [], settle(c, c.platform === 'macos' ? 'isolation-state' : c.windows ? 'registry.immunet' : 'ampcli.status'));
  let first = said[0]!;
  if (first.source === 'registry') {
    const timed = said.find((s) => s.timed && s.state !== first.state);
    const live = said.some((s) => (s.source === 'client' || s.source === 'posture') && s.state === first.state);
    if (timed && !live) first = timed;
  }
  const agree = said.filter((s) => s.state === first.state);
  const conflict = said.find((s) => s.state !== first.state);
  const args = { source: first.source, ...first.args, sources: [...new Set(agree.map((s) => s.source))].join(','), conflict: conflict?.source, conflictState: conflict?.state };
  const evidence = [first.evidence, ...agree.slice(1).map((s) => s.evidence), conflict?.evidence];
  const views = said.filter((s) => s.source === 'client' || s.source === 'console');
  if (first.state !== 'not-isolated' && views.length > 0 && views.every((s) => s.state === 'not-isolated')) {
    return makeStep(id, 'unknown', 'conflict', { ...args, state: first.state }, evidence, settle(c, c.platform === 'macos' ? 'isolation-state' : c.windows ? 'registry.immunet' : 'ampcli.status'));
  }
  return makeStep(id, first.state === 'not-isolated' ? 'pass' : 'fail', first.state, args, evidence);
}

function supportedStep(c: DiagnoseContext): DiagnosisStep {
  const id = 'isolation.supported';
  const unsupported = findingsOf(c, 'isolation.unsupported-connector')[0];
  if (unsupported) {
    const reason = unsupported.kind === 'isolation.32-bit' ? '32-bit' : 'version';
    return makeStep(id, 'fail', reason, { platform: unsupported.args['platform'], version: unsupported.args['version'], minimum: unsupported.args['minimum'], architecture: unsupported.args['architecture'] }, ownEvidence(unsupported));
  }
  const v = c.inventory.newestConnectorVersion;
  if (!v) return makeStep(id, 'unknown', 'no-version', {}, [], settle(c, 'connector-version'));
  const platform = c.platform;
  const minimum = platform === 'windows' || platform === 'macos' ? ISOLATION_MINIMUM[platform] : undefined;
  if (!platform || !minimum) return makeStep(id, 'unknown', 'platform', { platform, version: v }, versionEvidence(c, v), settle(c, 'console.computer-details'));
  const ok = versionAtLeast(v, minimum);
  return makeStep(id, ok ? 'pass' : 'fail', ok ? 'supported' : 'version', { platform, version: v, minimum }, versionEvidence(c, v));
}

function attemptsStep(c: DiagnoseContext): DiagnosisStep {
  const id = 'isolation.unlock-attempts';
  const limit = findingsOf(c, 'isolation.unlock-limit-reached');
  const invalid = findingsOf(c, 'isolation.invalid-unlock-code');
  const stopFailed = findingsOf(c, 'isolation.stop-failed');
  const all = [...limit, ...invalid, ...stopFailed];
  const evidence = all.flatMap((f) => ownEvidence(f, 3));
  const base = { attempts: UNLOCK_ATTEMPTS, waitMinutes: UNLOCK_LOCK_MINUTES, invalid: invalid.length > 0 ? Number(invalid[0]!.args['count'] ?? 1) : undefined };
  if (limit.length > 0) {
    // The lock lasts 30 minutes from the event: against the newest time in the bundle it may have expired long ago.
    const event = limitTime(limit);
    const since = event?.text ?? limit.map((f) => f.args['last']).find((x) => x !== undefined);
    const ref = newestTime(c);
    if (event && ref) {
      const slack = event.zoneKnown && ref.zoneKnown ? 0 : LOG_CLOCK_SLACK_HOURS * 60;
      const minutes = Math.floor((ref.ms - event.ms) / 60_000);
      if (minutes > UNLOCK_LOCK_MINUTES + slack) {
        return makeStep(id, 'fail', 'lock-expired', { ...base, type: limit[0]!.args['type'], since, newest: ref.text, minutesSince: minutes }, evidence);
      }
    }
    return makeStep(id, 'fail', 'locked-out', { ...base, type: limit[0]!.args['type'], since }, evidence);
  }
  if (invalid.length > 0) return makeStep(id, 'fail', 'invalid-code', { ...base, code: invalid[0]!.args['code'], hex: invalid[0]!.args['hex'] }, evidence);
  if (stopFailed.length > 0) return makeStep(id, 'fail', 'stop-failed', { ...base, type: stopFailed[0]!.args['type'], count: stopFailed[0]!.args['count'], last: stopFailed[0]!.args['last'] }, evidence);
  // The console's isolation history (or the log's isolation events) was read and holds no failure.
  const history = outputs(c, 'console.isolation').find((o) => o.data.statuses.length > 0 || o.data.events.length > 0);
  if (history) {
    const at = history.data.events[0]?.at ?? history.data.statuses[0]!.at;
    return makeStep(id, 'pass', 'no-failures', { source: 'console' }, [markEvidence(history.file, at)]);
  }
  return makeStep(id, 'unknown', 'no-evidence', { attempts: UNLOCK_ATTEMPTS, waitMinutes: UNLOCK_LOCK_MINUTES }, [], settle(c, 'console.isolation'));
}

const DATE_IN_TEXT = /\d{4}-\d{2}-\d{2}[ T]\d{1,2}:\d{2}(?::\d{2})?(?: ?(?:UTC|GMT|Z|[A-Z]{2,5}|[+-]\d{2}:?\d{2})\b)?/;

interface Moment {
  ms: number;
  text: string;
  zoneKnown: boolean;
}

/** The time of the (newest) Unlock Limit Reached event: on its console line, or the log's time of it. */
function limitTime(limit: readonly Finding[]): Moment | undefined {
  let best: Moment | undefined;
  const consider = (text: string | undefined) => {
    const m = text ? DATE_IN_TEXT.exec(text) : null;
    if (!m) return;
    const t = parseTime(m[0]);
    if (t.epochMs !== undefined && (!best || t.epochMs > best.ms)) best = { ms: t.epochMs, text: t.text, zoneKnown: t.zoneKnown };
  };
  for (const f of limit) {
    for (const e of f.evidence) consider(e.text);
    if (typeof f.args['last'] === 'string') consider(f.args['last']);
  }
  return best;
}

/** The newest time the bundle shows (console Last Seen and isolation history, the logs' last entries): the bundle was read no earlier. */
function newestTime(c: DiagnoseContext): Moment | undefined {
  let best: Moment | undefined;
  const consider = (ms: number | undefined, text: string, zoneKnown: boolean) => {
    if (ms !== undefined && (!best || ms > best.ms)) best = { ms, text, zoneKnown };
  };
  for (const o of outputs(c, 'console.computer-details')) {
    for (const t of [o.data.lastSeen?.value, o.data.definitionsLastUpdated?.value]) if (t) consider(t.epochMs, t.text, t.zoneKnown);
  }
  for (const o of outputs(c, 'console.isolation')) {
    for (const st of o.data.statuses) if (st.time) consider(st.time.epochMs, st.time.text, st.time.zoneKnown);
    for (const e of o.data.events) {
      const m = DATE_IN_TEXT.exec(e.at.text);
      if (m) {
        const t = parseTime(m[0]);
        consider(t.epochMs, t.text, t.zoneKnown);
      }
    }
  }
  for (const o of outputs(c, 'console.av-definitions')) for (const r of [...o.data.rows, ...o.data.latest]) if (r.time) consider(r.time.epochMs, r.time.text, r.time.zoneKnown);
  for (const l of c.inventory.logs) if (l.lastIso) consider(isoMs(l.lastIso), l.lastIso.replace('T', ' '), false);
  return best;
}

/** The recovery path for the platform (BRIEF §4.2): console, unlock code, then the emergency paths. */
function recoveryPath(c: DiagnoseContext, state: DiagnosisStep, attempts: DiagnosisStep): string {
  if (c.platform === 'macos') return 'macos-state-file';
  if (!c.windows) return 'console';
  if (attempts.status === 'fail') return 'registry';
  return state.status === 'fail' ? 'console-then-unlock-code' : 'console';
}

function recoveryStep(c: DiagnoseContext, state: DiagnosisStep, attempts: DiagnosisStep): DiagnosisStep {
  const id = 'isolation.recovery';
  const folder = versionFolder(c);
  const installDir = c.inventory.installDir;
  const common = { platform: c.platform, version: folder, installDir };
  for (const o of outputs(c, 'registry.immunet')) {
    const d = o.data.unlockDelete;
    // "Access is denied": the connector service was still running (BRIEF §4.2) → stop it, or Safe Boot.
    if (d?.result === 'access-denied') return makeStep(id, 'fail', 'access-denied', { ...common, path: 'safe-boot' }, [markEvidence(o.file, d.at)]);
  }
  for (const o of outputs(c, 'registry.immunet')) {
    const d = o.data.unlockDelete;
    if (d?.result === 'deleted') return makeStep(id, 'pass', 'registry-deleted', { ...common, path: 'registry' }, [markEvidence(o.file, d.at)]);
  }
  if (state.status === 'pass') return makeStep(id, 'pass', 'not-needed', common, state.evidence.slice(0, 1));
  const path = recoveryPath(c, state, attempts);
  return makeStep(id, 'unknown', path, { ...common, path }, [], settle(c, c.platform === 'macos' ? 'isolation-state' : c.windows ? 'registry.immunet' : 'console.isolation'));
}

/** Verify: the client shows "Isolation: Not Isolated" and the console "Not Isolated" (seed 004). */
function verifyStep(c: DiagnoseContext, said: readonly Said[]): DiagnosisStep {
  const id = 'isolation.verify';
  const views = said.filter((s) => s.source === 'client' || s.source === 'console');
  const isolated = views.filter((s) => s.state !== 'not-isolated');
  if (isolated.length > 0) return makeStep(id, 'fail', 'still-isolated', { sources: [...new Set(isolated.map((s) => s.source))].join(',') }, isolated.map((s) => s.evidence));
  if (views.length > 0) {
    const sources = [...new Set(views.map((s) => s.source))];
    return makeStep(id, 'pass', sources.length > 1 ? 'client-and-console' : sources[0]!, { sources: sources.join(',') }, views.map((s) => s.evidence));
  }
  const deleted = said.find((s) => s.source === 'registry' && s.state === 'not-isolated');
  return makeStep(id, 'unknown', deleted ? 'unconfirmed' : 'no-evidence', { registry: deleted?.args?.['form'] }, deleted ? [deleted.evidence] : [], settle(c, c.windows ? 'console.isolation' : 'ampcli.status'));
}

// ---------------------------------------------------------------------------------------------
// Verdict

type Steps = Readonly<Record<IsolationStepId, DiagnosisStep>>;

interface VerdictRule {
  verdict: Exclude<IsolationVerdict, 'unknown'>;
  source: string;
  when: (s: Steps) => { args: DiagnosisStep['args']; evidence: Evidence[] } | undefined;
}

const pickArgs = (s: DiagnosisStep, keys: readonly string[]) => Object.fromEntries(keys.filter((k) => s.args[k] !== undefined).map((k) => [k, s.args[k]!]));
/** Not shown free: the state is not Not Isolated, and no client or console view verifies Not Isolated (never a failing state with a passing verify). */
const notFree = (s: Steps) => s['isolation.state'].status !== 'pass' && s['isolation.verify'].status !== 'pass';

/**
 * The verdicts, most specific first (BRIEF §3.2, §4.2): a lock-out is a failing unlock that must
 * wait 30 minutes; a failing unlock (wrong code, Isolation Stop Failed, "Access is denied") is an
 * isolated endpoint whose normal paths failed; then isolated; an unsupported connector explains
 * why isolation never started (an endpoint the bundle shows isolated is isolated first); then not
 * isolated. A failing unlock says the endpoint was isolated even when no state is in the bundle.
 */
export const ISOLATION_VERDICTS: readonly VerdictRule[] = [
  {
    verdict: 'unlock-locked-out',
    source: 'BRIEF §3.2: 5 wrong codes lock unlocking for 30 minutes (event 553648215)',
    when: (s) => {
      const a = s['isolation.unlock-attempts'];
      return notFree(s) && a.status === 'fail' && a.reason === 'locked-out' ? { args: pickArgs(a, ['waitMinutes', 'attempts', 'since']), evidence: a.evidence } : undefined;
    },
  },
  {
    verdict: 'isolated-unlock-failing',
    source: 'BRIEF §3.2 (3240624137 Invalid unlock code; a 30-minute lock long past), §3.3 (Isolation Stop Failure), §4.2 ("Access is denied": service still running)',
    when: (s) => {
      const a = s['isolation.unlock-attempts'];
      const r = s['isolation.recovery'];
      if (!notFree(s)) return undefined;
      if (a.status === 'fail') return { args: { reason: a.reason!, ...pickArgs(a, ['code', 'hex', 'invalid', 'count', ...(a.reason === 'lock-expired' ? ['attempts', 'waitMinutes', 'since', 'newest'] : [])]) }, evidence: a.evidence };
      if (r.status === 'fail') return { args: { reason: r.reason! }, evidence: r.evidence };
      return undefined;
    },
  },
  {
    verdict: 'isolated',
    source: 'BRIEF §2.5 (registry unlock_code), §4.2 (client and console status)',
    when: (s) => {
      const st = s['isolation.state'];
      return st.status === 'fail' && s['isolation.verify'].status !== 'pass' ? { args: { state: st.reason!, ...pickArgs(st, ['source', 'time']) }, evidence: st.evidence } : undefined;
    },
  },
  {
    verdict: 'unsupported',
    source: 'BRIEF §4.2: Windows connector 7.0.5+ (64-bit), Mac connector 1.21.0+',
    when: (s) => {
      const sup = s['isolation.supported'];
      return sup.status === 'fail' ? { args: pickArgs(sup, ['platform', 'version', 'minimum', 'architecture']), evidence: sup.evidence } : undefined;
    },
  },
  {
    verdict: 'not-isolated',
    source: 'BRIEF §4.2 verify: Not Isolated',
    when: (s) => {
      const st = s['isolation.state'];
      return st.status === 'pass' ? { args: pickArgs(st, ['source', 'form', 'time', 'conflict']), evidence: st.evidence } : undefined;
    },
  },
];

// ---------------------------------------------------------------------------------------------
// Actions

function unlock(c: DiagnoseContext, id: 'unlock' | 'unlock-after-wait'): DiagnosisAction | undefined {
  return commandAction(c, id, id === 'unlock' ? CMD.unlock.command : CMD.unlockAfterWait.command, { version: versionFolder(c) });
}

/** Windows, when the console and the unlock code both fail (BRIEF §4.2; seed 004). */
function windowsEmergency(c: DiagnoseContext, accessDenied: boolean): Array<DiagnosisAction | undefined> {
  const installDir = c.inventory.installDir ?? 'C:\\Program Files\\Cisco\\AMP';
  return [
    accessDenied ? plainAction('safe-boot') : undefined,
    plainAction('stop-service'),
    commandAction(c, 'delete-unlock-code', RECOVERY.deleteUnlockCode),
    plainAction('start-service'),
    plainAction('delete-jobs-db', { path: `${installDir}\\jobs.db`, installDir: c.inventory.installDir ? installDir : undefined }),
  ];
}

function macRecovery(c: DiagnoseContext): Array<DiagnosisAction | undefined> {
  return [commandAction(c, 'delete-isolation-state', RECOVERY.macDeleteState), commandAction(c, 'daemon-unload', RECOVERY.macUnload), commandAction(c, 'daemon-load', RECOVERY.macLoad)];
}

function recovery(c: DiagnoseContext, accessDenied: boolean): Array<DiagnosisAction | undefined> {
  if (c.platform === 'macos') return macRecovery(c);
  return c.windows ? windowsEmergency(c, accessDenied) : [];
}

/** Unknown / conflicting state: read it on the endpoint (the state file on macOS, the registry on Windows). */
function readState(c: DiagnoseContext): DiagnosisAction | undefined {
  return c.platform === 'macos' ? commandAction(c, 'list-isolation-state', settle(c, 'isolation-state').how) : c.windows ? commandAction(c, 'query-registry', settle(c, 'registry.immunet').how) : undefined;
}

const ISOLATION_ACTIONS: Readonly<Record<IsolationVerdict, (c: DiagnoseContext, s: Steps) => Array<DiagnosisAction | undefined>>> = {
  // Not isolated by a timed statement while an undated export says otherwise: read the state again to confirm.
  'not-isolated': (c, s) => (s['isolation.state'].args['conflict'] !== undefined ? [readState(c), plainAction('verify-not-isolated')] : []),
  isolated: (c) => [plainAction('console-stop-isolation'), c.windows ? unlock(c, 'unlock') : undefined, ...recovery(c, false), plainAction('verify-not-isolated')],
  'isolated-unlock-failing': (c, s) => [
    plainAction('recopy-unlock-code'),
    // The 30-minute lock has expired: the unlock code can be tried again.
    s['isolation.unlock-attempts'].reason === 'lock-expired' && c.windows ? unlock(c, 'unlock') : undefined,
    ...recovery(c, s['isolation.recovery'].reason === 'access-denied'),
    plainAction('verify-not-isolated'),
  ],
  'unlock-locked-out': (c, s) => [
    plainAction('wait-unlock', { minutes: UNLOCK_LOCK_MINUTES, since: s['isolation.unlock-attempts'].args['since'] }),
    plainAction('recopy-unlock-code'),
    c.windows ? unlock(c, 'unlock-after-wait') : undefined,
    ...recovery(c, s['isolation.recovery'].reason === 'access-denied'),
    plainAction('verify-not-isolated'),
  ],
  unsupported: (_c, s) => [plainAction('upgrade-connector', pickArgs(s['isolation.supported'], ['platform', 'version', 'minimum', 'architecture']))],
  unknown: (c) => [readState(c), plainAction('console-isolation-status')],
};

// ---------------------------------------------------------------------------------------------
// API

/** Walks BRIEF §4.2 over one bundle's analysis: every step (none skipped), the verdict, the next steps. */
export function diagnoseIsolation(analysis: PathAnalysis): IsolationDiagnosis {
  const c = contextOf(analysis);
  const said = statements(c);
  const state = stateStep(c, said);
  const attempts = attemptsStep(c);
  const steps: Steps = {
    'isolation.state': state,
    'isolation.supported': supportedStep(c),
    'isolation.unlock-attempts': attempts,
    'isolation.recovery': recoveryStep(c, state, attempts),
    'isolation.verify': verifyStep(c, said),
  };
  let verdict: IsolationVerdict = 'unknown';
  let decision: { args: DiagnosisStep['args']; evidence: Evidence[] } = { args: {}, evidence: [] };
  for (const rule of ISOLATION_VERDICTS) {
    const d = rule.when(steps);
    if (d) {
      verdict = rule.verdict;
      decision = d;
      break;
    }
  }
  // The recovery the summary names depends on the platform (Windows registry, macOS state file, else the console only).
  if (verdict === 'isolated' || verdict === 'isolated-unlock-failing' || verdict === 'unlock-locked-out') {
    const platform = c.platform === 'macos' ? 'macos' : c.windows ? undefined : 'other';
    if (platform) decision = { ...decision, args: { ...decision.args, platform } };
  }
  return {
    playbook: 'isolation',
    verdict,
    args: decision.args,
    evidence: bounded(decision.evidence, MAX_VERDICT_EVIDENCE),
    steps: ISOLATION_STEPS.map((id) => steps[id]),
    actions: uniqueActions(ISOLATION_ACTIONS[verdict](c, steps)),
  };
}
