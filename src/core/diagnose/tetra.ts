/**
 * The TETRA decision tree (BRIEF §4.1; seeds 000, 001, 002) walked over one bundle's analysis.
 * Every step is answered from what the analysis already holds — the logs' attempts and findings,
 * local.xml's lasterror, the policy, the recognised command outputs and the inventory — with the
 * lines that decided it, or `unknown` with what would settle it. The verdict is the first row of
 * `TETRA_VERDICTS` whose condition holds: the root cause an expert names, in the order a failure
 * hides the ones after it on the way to the update server.
 */
import type { LogMark, UpdateAttempt } from '../log/analyze';
import { ACTIONS_BY_KIND, shownTime } from '../log/rules';
import { epochOf } from '../log/year';
import { lookup } from '../codes/catalogue';
import type { PathAnalysis } from '../bundle/inputs';
import { BUNDLE_ACTIONS, FORCEUPDATE_SINCE, tetraVersionMark, STALE_HOURS, STALE_VERSIONS, TETRA_ACCEPTED_SUITES, TETRA_SERIES_WINDOW } from '../bundle/rules';
import { hostOf, isCiscoHost } from '../xml/settings';
import { versionAtLeast, XML_ACTIONS } from '../xml/rules';
import type { Evidence, Finding } from '../types';
import type { DiagnosisAction, DiagnosisStep, TetraDiagnosis, TetraVerdict } from './types';
import {
  bounded,
  commandAction,
  contextOf,
  curlViaProxyCommand,
  findingsOf,
  hours,
  isoMs,
  LOG_CLOCK_SLACK_HOURS,
  makeStep,
  markEvidence,
  MAX_VERDICT_EVIDENCE,
  outputs,
  ownEvidence,
  pick,
  plainAction,
  proxyAddress,
  settle,
  supportToolCommand,
  uniqueActions,
  versionEvidence,
  versionFolder,
  type DiagnoseContext,
} from './util';

// ---------------------------------------------------------------------------------------------
// Knowledge

/** The steps, in the playbook's order (BRIEF §4.1 steps 1–9). */
export const TETRA_STEPS = [
  'tetra.connected',
  'tetra.definitions',
  'tetra.force-update',
  'tetra.update-server',
  'tetra.dns',
  'tetra.tls',
  'tetra.proxy',
  'tetra.cipher-suites',
  'tetra.collect',
] as const;
export type TetraStepId = (typeof TETRA_STEPS)[number];

/** Cisco releases about four TETRA definition updates a day (BRIEF §4.1 step 2; seeds 000/002). */
export const TETRA_UPDATES_PER_DAY = 4;

/** Cisco's TETRA update servers per cloud (BRIEF §4.1 step 4). */
export const CISCO_TETRA_SERVERS: ReadonlyArray<{ re: RegExp; region: string }> = [
  { re: /^tetra-defs\.amp\.cisco\.com$/, region: 'nam' },
  { re: /\.eu\.amp\.cisco\.com$/, region: 'eu' },
  { re: /\.apjc\.amp\.cisco\.com$/, region: 'apjc' },
];

/** TETRA statuses of the proxy (BRIEF §3.1; seeds 000/002 lasterror table), by the catalogue's kind. */
export const PROXY_REASON_BY_KIND: Readonly<Record<string, 'connect' | 'auth' | 'download'>> = {
  'tetra.proxy-connect': 'connect',
  'tetra.proxy-auth': 'auth',
  'tetra.proxy-download': 'download',
};

/** curl's own proxy failures (BRIEF §3.4: exit 5 couldn't resolve proxy; a CONNECT answered 407), by `curl.failed`'s kind. */
const CURL_PROXY_REASON: Readonly<Record<string, 'connect' | 'auth'>> = {
  'curl.proxy-unresolved': 'connect',
  'curl.proxy': 'connect',
  'curl.proxy-auth': 'auth',
};

/**
 * TLS alerts that say the endpoint and the server share no cipher suite (BRIEF §4.1 step 8 and
 * §2.5: Wireshark "Handshake Failure" (40) after the Client Hello; Schannel 36887 with alert 40 or
 * 47; 71 insufficient_security, §3.4).
 */
export const CIPHER_MISMATCH_ALERTS: ReadonlySet<number> = new Set([40, 47, 71]);

/** The CRL/OCSP hosts the seeds name for the TETRA server's certificate (seeds 000/002). */
const REVOCATION_HOSTS = 'commercial.ocsp.identrust.com, validation.identrust.com';
/** A CRL/OCSP host (BRIEF §3.4: `commercial.ocsp.identrust.com`, `validation.identrust.com`; CAs' `ocsp.*`, `crl*.*`). */
const REVOCATION_HOST = /(?:^|\.)(?:ocsp|crls?\d*|validation)[a-z0-9-]*\.|(?:^|\.)identrust\.com$/i;

/** Whether a name's lookup bears on the TETRA update (BRIEF §4.1 step 5): the update server, the proxy, a CRL/OCSP host (step 6). */
function onTheWay(f: Facts, host: string | undefined): 'server' | 'proxy' | 'revocation' | undefined {
  const h = host?.toLowerCase().replace(/\.$/, '');
  if (!h) return undefined;
  if (h === f.c.host) return 'server';
  if (f.c.proxy && h === f.c.proxy.host) return 'proxy';
  if (REVOCATION_HOST.test(h)) return 'revocation';
  return undefined;
}

// Commands reused from the rule tables (one text per check across the extension).
const CMD = {
  readLastError: pick(ACTIONS_BY_KIND['tetra.proxy-connect'], 'read-lasterror'),
  curl: pick(BUNDLE_ACTIONS['tls.revocation-offline'], 'curl-update-server'),
  curlOcsp: pick(BUNDLE_ACTIONS['tls.revocation-offline'], 'curl-ocsp'),
  curlCrl: pick(BUNDLE_ACTIONS['tls.revocation-offline'], 'curl-crl'),
  resolve: pick(BUNDLE_ACTIONS['tetra.definitions-stale'], 'resolve-update-server'),
  resolveName: pick(BUNDLE_ACTIONS['dns.resolution-failed'], 'resolve-name'),
  dnsServers: pick(BUNDLE_ACTIONS['dns.resolution-failed'], 'show-dns-servers'),
  suites: pick(ACTIONS_BY_KIND['tetra.unknown-error'], 'list-cipher-suites'),
  gpedit: pick(BUNDLE_ACTIONS['tls.cipher-suites-missing'], 'open-group-policy'),
  gpoPath: pick(BUNDLE_ACTIONS['tls.cipher-suites-missing'], 'cipher-suite-order-policy'),
  gpoRead: pick(BUNDLE_ACTIONS['tls.cipher-suites-missing'], 'read-cipher-suite-policy'),
  debug: pick(ACTIONS_BY_KIND['log.debug-disabled'], 'debug-start'),
  forceUpdate: pick(XML_ACTIONS['tetra.updater-disabled'], 'force-update'),
} as const;

// ---------------------------------------------------------------------------------------------
// Facts the steps share

interface Facts {
  c: DiagnoseContext;
  /** The newest timeline's attempts (newest version folder first, BRIEF §2.1), oldest first. */
  attempts: Array<UpdateAttempt & { file: string }>;
  last?: UpdateAttempt & { file: string };
  /** The connector's own last result (see `currentResult`), when the bundle holds it. */
  current?: Current;
  /** -3000 / "network timeout" that is the current failure (log status, local.xml lasterror, console), with where. */
  unknownError: Finding[];
  /** A TETRA status of the proxy was reported by the connector (it updates through a proxy). */
  proxyStatus: boolean;
  /** The proxy host, where the bundle names one (policy.xml `proxy/server`, else the client's `Proxy:`). */
  proxy?: string;
  /** Log files of older version folders (history of an upgraded connector, BRIEF §2.1). */
  oldFiles: ReadonlySet<string>;
  /** Failed update attempts the logs hold before a current success: how many, the newest's status. */
  earlier?: { count: number; status?: number };
}

/**
 * The connector's own last TETRA result. local.xml's `lasterror` is what the connector wrote of
 * its last update: non-zero is the current failure even when the log shows a later success (the
 * log then only says the failure is intermittent); otherwise the newest timeline's last attempt
 * with a result decides (a failure there stands even with lasterror 0); lasterror 0 or a last
 * attempt that updated is a current success — every failure before it is history.
 */
interface Current {
  failed: boolean;
  /** The signed status of a failure. */
  status?: number;
  source: 'local.xml' | 'log';
  evidence: Evidence[];
  /** local.xml holds a failure, but the newest log's last attempt updated (intermittent). */
  laterUpdate?: boolean;
}

function attemptEvidence(a: UpdateAttempt & { file: string }): Evidence | undefined {
  return a.mark ? logEvidence(a.file, a.mark) : undefined;
}

function logEvidence(file: string, m: LogMark): Evidence {
  return { file, range: m.range, text: m.text };
}

/** An attempt's time with the year where the log's year is known (`2022-08-04 07:30:23`), else as written. */
function attemptTime(c: DiagnoseContext, a: UpdateAttempt & { file: string }): string {
  const year = c.analysis.files.find((x) => x.file === a.file)?.analysis?.year?.baseYear;
  return a.mark ? shownTime(a.mark, year) : a.timestamp;
}

/** An attempt failed: no update and a non-zero status (status 0 without an update = nothing new, no error). */
const attemptFailed = (a: UpdateAttempt) => !a.updated && a.status !== undefined && a.status !== 0;

function currentResult(c: DiagnoseContext, attempts: ReadonlyArray<UpdateAttempt & { file: string }>): Current | undefined {
  const local = outputs(c, 'connector.local-xml').find((o) => o.data.lastError);
  const le = local?.data.lastError;
  const decided = [...attempts].reverse().find((a) => a.updated || a.status !== undefined);
  const localEv = local && le ? markEvidence(local.file, le.at) : undefined;
  if (le && le.value !== 0) {
    const cur: Current = { failed: true, status: le.value | 0, source: 'local.xml', evidence: [localEv!] };
    if (decided?.updated) cur.laterUpdate = true;
    return cur;
  }
  if (decided && attemptFailed(decided)) return { failed: true, status: decided.status!, source: 'log', evidence: [attemptEvidence(decided)].filter((e): e is Evidence => e !== undefined) };
  if (le) return { failed: false, source: 'local.xml', evidence: [localEv!, decided ? attemptEvidence(decided) : undefined].filter((e): e is Evidence => e !== undefined) };
  if (decided) return { failed: false, source: 'log', evidence: [attemptEvidence(decided)].filter((e): e is Evidence => e !== undefined) };
  return undefined;
}

/** A finding read only from older version folders' logs (history of an upgraded connector). */
function fromOldSet(f: Facts, x: Finding): boolean {
  return x.evidence.length > 0 && x.evidence.every((e) => f.oldFiles.has(e.file));
}

function factsOf(c: DiagnoseContext): Facts {
  const set = c.analysis.logSets[0];
  const attempts = set?.attempts ?? [];
  const f: Facts = {
    c,
    attempts,
    unknownError: [],
    proxyStatus: c.findings.some((x) => PROXY_REASON_BY_KIND[x.kind ?? x.id] !== undefined),
    oldFiles: new Set(c.analysis.logSets.slice(1).flatMap((s) => s.files.map((x) => x.file))),
  };
  const last = attempts[attempts.length - 1];
  if (last) f.last = last;
  const current = currentResult(c, attempts);
  if (current) f.current = current;
  if (c.proxy) f.proxy = c.proxy.host;
  // -3000 counts when it is the current failure (or when nothing says what the last result was: a console text alone).
  const unknown = findingsOf(c, 'tetra.unknown-error');
  f.unknownError = !current ? unknown : current.failed && current.status === -3000 ? unknown.filter((x) => !fromOldSet(f, x)) : [];
  if (current && !current.failed) {
    const count = c.inventory.logs.reduce((n, l) => n + l.failures, 0);
    const newestFailure = c.analysis.logSets.map((s) => [...s.attempts].reverse().find(attemptFailed)).find((a) => a !== undefined);
    if (count > 0) f.earlier = newestFailure?.status !== undefined ? { count, status: newestFailure.status } : { count };
  }
  return f;
}

/** Epoch ms of an attempt where its log's year is known (the log's clock, no zone: see `LOG_CLOCK_SLACK_HOURS`). */
function attemptMs(c: DiagnoseContext, a: UpdateAttempt & { file: string }): number | undefined {
  const year = c.analysis.files.find((x) => x.file === a.file)?.analysis?.year?.baseYear;
  return year === undefined ? undefined : epochOf(a.start, year);
}

/** The time the bundle was read at least: the newest definitions the console lists, or the newest log entry (zone unknown: slack). */
function referenceTime(c: DiagnoseContext): { ms: number; slackHours: number; text: string; evidence?: Evidence } | undefined {
  let best: { ms: number; slackHours: number; text: string; evidence?: Evidence } | undefined;
  const consider = (ms: number | undefined, slackHours: number, text: string, evidence?: Evidence) => {
    if (ms === undefined || (best && best.ms - best.slackHours * 3_600_000 >= ms - slackHours * 3_600_000)) return;
    best = { ms, slackHours, text };
    if (evidence) best.evidence = evidence;
  };
  for (const o of outputs(c, 'console.av-definitions')) {
    for (const r of o.data.rows) if (r.time) consider(r.time.zoneKnown ? r.time.epochMs : undefined, 0, r.time.text, markEvidence(o.file, r.at));
    for (const l of o.data.latest) if (l.time) consider(l.time.zoneKnown ? l.time.epochMs : undefined, 0, l.time.text, markEvidence(o.file, l.at));
  }
  for (const l of c.inventory.logs) if (l.lastIso) consider(isoMs(l.lastIso), LOG_CLOCK_SLACK_HOURS, l.lastIso.replace('T', ' '));
  return best;
}

// ---------------------------------------------------------------------------------------------
// Steps (BRIEF §4.1)

/** Step 1: is the connector talking to the cloud at all? */
function connectedStep(f: Facts): DiagnosisStep {
  const { c } = f;
  const id = 'tetra.connected';
  for (const o of outputs(c, 'ampcli.posture')) {
    if (o.data.connected?.value === false) return makeStep(id, 'fail', 'disconnected', { source: 'posture' }, [markEvidence(o.file, o.data.connected.at)]);
  }
  for (const o of outputs(c, 'ampcli.status')) {
    const r = [...o.data.records].reverse().find((x) => x.status !== undefined);
    const status = r?.fields.find((x) => x.key === 'Status');
    if (status && /disconnect|offline|not connected/i.test(status.value)) return makeStep(id, 'fail', 'disconnected', { source: 'client', status: status.value }, [markEvidence(o.file, status.at)]);
  }
  const ref = referenceTime(c);
  // The newest Last Seen decides: a text may hold older screenshots of the same computer (seeds 000/002).
  const consoles = outputs(c, 'console.computer-details').filter((o) => o.data.lastSeen);
  const newest = [...consoles].sort((a, b) => (b.data.lastSeen!.value.epochMs ?? -Infinity) - (a.data.lastSeen!.value.epochMs ?? -Infinity))[0];
  const seen = newest?.data.lastSeen!.value;
  const stale = newest && ref && seen!.epochMs !== undefined && seen!.zoneKnown && ref.ms - seen!.epochMs > (STALE_HOURS + ref.slackHours) * 3_600_000 ? newest : undefined;
  const staleArgs = stale ? { staleLastSeen: seen!.text } : {};
  const posture = outputs(c, 'ampcli.posture').find((o) => o.data.connected?.value === true);
  if (posture) return makeStep(id, 'pass', 'posture', { source: 'posture', ...staleArgs }, [markEvidence(posture.file, posture.data.connected!.at), stale ? markEvidence(stale.file, stale.data.lastSeen!.at) : undefined]);
  for (const o of outputs(c, 'ampcli.status')) {
    const status = [...o.data.records].reverse().flatMap((r) => r.fields.filter((x) => x.key === 'Status'))[0];
    if (status && /^connected\b/i.test(status.value)) return makeStep(id, 'pass', 'client', { source: 'client', status: status.value, ...staleArgs }, [markEvidence(o.file, status.at), stale ? markEvidence(stale.file, stale.data.lastSeen!.at) : undefined]);
  }
  // A TETRA update the connector made after the console last saw it: it reached Cisco since (log clock: zone unknown, so with slack).
  const updates = c.analysis.logSets.flatMap((set) => set.attempts.filter((a) => a.updated));
  const newestUpdate = updates
    .map((a) => ({ a, ms: attemptMs(c, a) }))
    .filter((x): x is { a: UpdateAttempt & { file: string }; ms: number } => x.ms !== undefined)
    .sort((x, y) => y.ms - x.ms)[0];
  if (stale) {
    if (newestUpdate && newestUpdate.ms - LOG_CLOCK_SLACK_HOURS * 3_600_000 > seen!.epochMs!) {
      return makeStep(id, 'pass', 'log-updated', { time: attemptTime(c, newestUpdate.a), version: newestUpdate.a.version, ...staleArgs }, [attemptEvidence(newestUpdate.a), markEvidence(stale.file, stale.data.lastSeen!.at)]);
    }
    return makeStep(id, 'fail', 'not-seen', { lastSeen: seen!.text, reference: ref!.text, hoursSince: hours(ref!.ms - seen!.epochMs!), thresholdHours: STALE_HOURS }, [markEvidence(stale.file, stale.data.lastSeen!.at), ref!.evidence]);
  }
  if (newest) {
    const d = newest.data;
    const lastSeen = d.lastSeen!;
    const updated = d.definitionsLastUpdated;
    const gap = lastSeen.value.epochMs !== undefined && updated?.value.epochMs !== undefined ? lastSeen.value.epochMs - updated.value.epochMs : undefined;
    // Seen recently but definitions old: an intermittent update problem, not general connectivity (BRIEF §4.1 step 1).
    const lagging = gap !== undefined && gap > STALE_HOURS * 3_600_000;
    return makeStep(
      id,
      'pass',
      lagging ? 'console-lagging' : 'console',
      { lastSeen: lastSeen.value.text, lastUpdated: updated?.value.text, gapHours: gap !== undefined ? hours(gap) : undefined },
      [markEvidence(newest.file, lastSeen.at), updated ? markEvidence(newest.file, updated.at) : undefined],
    );
  }
  const updated = [...f.attempts].reverse().find((a) => a.updated) ?? newestUpdate?.a;
  if (updated) return makeStep(id, 'pass', 'log-updated', { time: attemptTime(c, updated), version: updated.version }, [attemptEvidence(updated)]);
  // A log without a successful update says nothing about the cloud link: say what it holds.
  const attempts = c.analysis.logSets.reduce((n, set) => n + set.attempts.length, 0);
  return makeStep(id, 'unknown', 'no-evidence', { logs: c.inventory.logs.length, attempts }, [], settle(c, 'console.computer-details'));
}

/** Where the endpoint reported a TETRA version (console, posture, ampcli, local.xml), as evidence. */
function tetraVersionEvidence(c: DiagnoseContext, file: string, line: number): Evidence | undefined {
  const m = tetraVersionMark(c.outputs, file, line);
  return m ? markEvidence(file, m) : undefined;
}

/** Step 2: which definitions does it have, against the newest the console lists? */
function definitionsStep(f: Facts): DiagnosisStep {
  const { c } = f;
  const id = 'tetra.definitions';
  const inv = c.inventory;
  const current = [...inv.tetraVersions].sort((a, b) => b.version - a.version)[0];
  const avail = inv.availableTetraVersion;
  const currentEv = current ? tetraVersionEvidence(c, current.file, current.line) : undefined;
  const availEv = avail ? outputs(c, 'console.av-definitions').flatMap((o) => [...o.data.rows, ...o.data.latest].filter((r) => o.file === avail.file && r.at.line === avail.line).map((r) => markEvidence(o.file, r.at)))[0] : undefined;

  // "defs - 0" before a current success is history (the definitions arrived since).
  const missing = f.current && !f.current.failed ? undefined : findingsOf(c, 'tetra.definitions-missing').find((x) => !fromOldSet(f, x));
  if (missing) return makeStep(id, 'fail', 'missing', { status: missing.args['status'], time: missing.args['time'] }, ownEvidence(missing));
  const stale = findingsOf(c, 'tetra.definitions-stale')[0];
  if (stale?.kind === 'tetra.behind-available') {
    const behind = Number(stale.args['versionsBehind']);
    return makeStep(
      id,
      'fail',
      'behind',
      { current: stale.args['current'], newest: stale.args['newest'], versionsBehind: behind, daysBehind: Math.round((behind / TETRA_UPDATES_PER_DAY) * 10) / 10, hoursBehind: stale.args['hoursBehind'], perDay: TETRA_UPDATES_PER_DAY },
      ownEvidence(stale),
    );
  }
  if (stale?.kind === 'tetra.console-gap') {
    return makeStep(id, 'fail', 'console-gap', { lastSeen: stale.args['lastSeen'], lastUpdated: stale.args['lastUpdated'], gapHours: stale.args['gapHours'], current: current?.version }, ownEvidence(stale));
  }
  const consoleFailed = outputs(c, 'console.computer-details').find((o) => o.data.updateFailed);
  if (consoleFailed) {
    const d = consoleFailed.data;
    return makeStep(
      id,
      'fail',
      'console-failed',
      { message: d.updateFailed!.value, lastUpdated: d.definitionsLastUpdated?.value.text, current: current?.version, newest: avail?.version },
      [markEvidence(consoleFailed.file, d.updateFailed!.at), currentEv, availEv],
    );
  }
  if (f.last && !f.last.updated && f.last.status !== undefined && f.last.status !== 0) {
    return makeStep(id, 'fail', 'last-attempt-failed', { status: f.last.status, time: attemptTime(c, f.last), current: current?.version }, [attemptEvidence(f.last)]);
  }
  if (current && avail && Math.abs(avail.version - current.version) <= TETRA_SERIES_WINDOW) {
    const behind = Math.max(0, avail.version - current.version);
    if (behind <= STALE_VERSIONS) return makeStep(id, 'pass', 'current', { current: current.version, newest: avail.version, versionsBehind: behind, newestTime: avail.time }, [currentEv, availEv]);
  }
  const upToDate = outputs(c, 'console.computer-details').find((o) => o.data.definitionsStatus?.value === 'up-to-date');
  if (upToDate) return makeStep(id, 'pass', 'console-up-to-date', { current: current?.version }, [markEvidence(upToDate.file, upToDate.data.definitionsStatus!.at), currentEv]);
  if (f.last?.updated) return makeStep(id, 'pass', 'log-updated', { version: f.last.version, time: attemptTime(c, f.last) }, [attemptEvidence(f.last)]);
  if (current) return makeStep(id, 'unknown', 'no-comparison', { current: current.version }, [currentEv], settle(c, 'console.av-definitions'));
  return makeStep(id, 'unknown', 'no-evidence', {}, [], settle(c, 'ampcli.posture'));
}

/** Step 3: can the user force an update ("Allow user to update TETRA definitions"; `sfc.exe -forceupdate` from 7.2.7)? */
function forceUpdateStep(f: Facts): DiagnosisStep {
  const { c } = f;
  const id = 'tetra.force-update';
  const v = c.inventory.newestConnectorVersion;
  const userOff = findingsOf(c, 'policy.user-update-disabled')[0];
  const userEv = userOff ? ownEvidence(userOff) : [];
  // sfc.exe -forceupdate (7.2.7+) is the Windows connector's: a Mac or Linux (1.x) connector has none.
  if (!c.windows) return makeStep(id, 'unknown', 'not-windows', { platform: c.platform, version: v }, [...userEv, ...versionEvidence(c, v)], settle(c, 'policy'));
  if (!v) return makeStep(id, 'unknown', 'no-version', { since: FORCEUPDATE_SINCE, userUpdate: userOff ? 'disabled' : undefined }, userEv, settle(c, 'connector-version'));
  const args = { version: v, since: FORCEUPDATE_SINCE, userUpdate: userOff ? 'disabled' : undefined };
  if (versionAtLeast(v, FORCEUPDATE_SINCE)) return makeStep(id, 'pass', userOff ? 'forceupdate-only' : 'forceupdate', args, [...userEv, ...versionEvidence(c, v)]);
  const unsupported = findingsOf(c, 'connector.forceupdate-unsupported')[0];
  const ev = [...userEv, ...(unsupported ? ownEvidence(unsupported) : versionEvidence(c, v))];
  if (userOff) return makeStep(id, 'fail', 'no-way', args, ev);
  return makeStep(id, 'unknown', 'older-connector', args, ev, settle(c, 'policy'));
}

/** Step 4: which server does the policy name? */
function updateServerStep(f: Facts): DiagnosisStep {
  const { c } = f;
  const id = 'tetra.update-server';
  const s = c.inventory.tetraUpdateServer;
  const off = findingsOf(c, 'tetra.updater-disabled')[0];
  if (off) return makeStep(id, 'fail', 'updater-disabled', { host: s.host }, ownEvidence(off));
  if (s.via === 'default') return makeStep(id, 'unknown', 'default', { host: s.host }, [], settle(c, 'policy'));
  const at = outputs(c, 'connector.policy-xml').find((o) => o.file === s.file && o.data.tetraUpdateServer)?.data.tetraUpdateServer?.at ?? outputs(c, 'console.computer-details').find((o) => o.file === s.file && o.data.updateServer?.at.line === s.line)?.data.updateServer?.at;
  const custom = findingsOf(c, 'tetra.update-server-custom')[0];
  const evidence = [at ? markEvidence(s.file, at) : undefined, ...(custom ? ownEvidence(custom) : [])];
  if (!isCiscoHost(s.host)) return makeStep(id, 'pass', 'custom', { host: s.host, via: s.via }, evidence);
  const region = CISCO_TETRA_SERVERS.find((x) => x.re.test(s.host))?.region;
  return makeStep(id, 'pass', 'cisco', { host: s.host, via: s.via, region }, evidence);
}

/**
 * Step 5: does the update server resolve to A records? Only names on the way to it count (the
 * server, the proxy, a CRL/OCSP host): a failed lookup of another name (`wpad.…`) says nothing
 * about the update. Through a proxy the proxy resolves the server, so the endpoint's own failed
 * lookup of it does not fail the step (BRIEF §4.1 steps 5, 7).
 */
function dnsStep(f: Facts): DiagnosisStep {
  const { c } = f;
  const id = 'tetra.dns';
  const failed = findingsOf(c, 'dns.resolution-failed');
  const relevant = failed.map((x) => ({ x, on: onTheWay(f, String(x.args['name'] ?? '')) }));
  const ignored = relevant.filter((r) => r.on === undefined).map((r) => String(r.x.args['name']))[0];
  const ignoredArgs = { ignored, ignoredCount: ignored !== undefined ? relevant.filter((r) => r.on === undefined).length : undefined };
  const failArgs = (x: Finding) => ({ name: x.args['name'], error: x.args['error'], source: x.args['source'], updateServer: x.args['updateServer'], ...ignoredArgs });
  // The proxy's own name first: nothing goes anywhere when the endpoint cannot find its proxy.
  const proxyFailed = relevant.find((r) => r.on === 'proxy');
  if (proxyFailed) return makeStep(id, 'fail', 'failed', { ...failArgs(proxyFailed.x), updateServer: 0 }, ownEvidence(proxyFailed.x));
  const serverFailed = relevant.find((r) => r.on === 'server');
  const viaProxy = f.proxy !== undefined || f.proxyStatus;
  if (serverFailed && viaProxy) {
    return makeStep(id, 'unknown', 'via-proxy', { name: c.host, error: serverFailed.x.args['error'], proxy: f.c.proxy ? proxyAddress(f.c.proxy) : undefined, ...ignoredArgs }, ownEvidence(serverFailed.x), settle(c, 'curl.proxy'));
  }
  if (serverFailed) return makeStep(id, 'fail', 'failed', failArgs(serverFailed.x), ownEvidence(serverFailed.x));
  let pass: DiagnosisStep | undefined;
  for (const o of outputs(c, 'dns.resolve')) {
    const records = o.data.records.filter((r) => (r.type === 'A' || r.type === 'AAAA') && (r.name === c.host || o.data.name?.value === c.host));
    if (records.length > 0) {
      pass = makeStep(id, 'pass', 'resolved', { name: c.host, addresses: records.length, tool: o.data.tool, ...ignoredArgs }, records.map((r) => markEvidence(o.file, r.at)));
      break;
    }
  }
  if (!pass) {
    for (const o of outputs(c, 'curl.verbose')) {
      if (o.data.connected && !o.data.viaProxy && curlHost(o.data) === c.host) {
        pass = makeStep(id, 'pass', 'curl-connected', { name: c.host, ...ignoredArgs }, [markEvidence(o.file, o.data.connected)]);
        break;
      }
    }
  }
  // A CRL/OCSP host that does not resolve explains revocation failures, unless TLS to the server is shown to work.
  const revocationFailed = relevant.find((r) => r.on === 'revocation');
  if (revocationFailed && !tlsToServerWorks(f)) return makeStep(id, 'fail', 'failed', { ...failArgs(revocationFailed.x), updateServer: 0 }, ownEvidence(revocationFailed.x));
  if (pass) return pass;
  return makeStep(id, 'unknown', 'no-evidence', { name: c.host, ...ignoredArgs }, [], settle(c, 'dns.resolve'));
}

/** The host a curl run went to (its `Host`/`Connected to`, else its URL's). */
function curlHost(d: { host?: string; url?: { value: string } }): string | undefined {
  return (d.host ?? (d.url ? hostOf(d.url.value) : undefined))?.toLowerCase();
}

/** A curl to the update server that ended in an HTTP answer over https (TLS worked). */
function tlsToServerWorks(f: Facts): boolean {
  return outputs(f.c, 'curl.verbose').some((o) => curlHost(o.data) === f.c.host && o.data.url?.value.toLowerCase().startsWith('https') && o.data.responses.some((r) => !r.proxy));
}

/** Whether a policy turns CRL checking on, with where (its finding). */
function crlCheck(c: DiagnoseContext): Finding | undefined {
  return findingsOf(c, 'policy.crl-check')[0];
}

/**
 * Step 6: does TLS to the update server work (`HTTP/1.1 200 OK`), or fail on revocation
 * (0x80092013) or otherwise? Only what concerns the update server counts: curl to it (directly
 * or through the proxy) and the connector log's own revocation failures; a CRL/OCSP host that
 * does not resolve is the DNS step's. A failure there outranks a success there (seeds 000/002
 * show a working and a failing run to the same server); a curl to another host is neither.
 */
function tlsStep(f: Facts): DiagnosisStep {
  const { c } = f;
  const id = 'tetra.tls';
  const crl = crlCheck(c);
  const crlArgs = { crlCheck: crl ? 1 : undefined };
  const curls = outputs(c, 'curl.verbose').map((o) => ({ o, host: curlHost(o.data) }));
  const toServer = curls.filter((x) => x.host === c.host);
  const otherHost = curls.find((x) => x.host !== c.host)?.host;
  const otherArgs = { otherHost };
  // Revocation: curl to the server (directly or through the proxy), or the connector log (whose findings name no host).
  const revocationCurls = toServer.filter((x) => x.o.data.revocation);
  const logRevocation = findingsOf(c, 'tls.revocation-offline').filter((x) => x.args['host'] === undefined && !fromOldSet(f, x));
  if (revocationCurls.length > 0 || logRevocation.length > 0) {
    const first = revocationCurls[0];
    const code = first?.o.data.tlsErrors.find((t) => t.hex !== undefined && (t.code === 0x80092013 || t.code === 0x80092012))?.hex ?? first?.o.data.tlsErrors.find((t) => t.hex !== undefined)?.hex;
    const evidence = [
      ...revocationCurls.flatMap((x) => [...x.o.data.tlsErrors.filter((t) => t.code === undefined || t.code === 0x80092013 || t.code === 0x80092012 || /revocation/i.test(t.message)).map((t) => markEvidence(x.o.file, t.at)), x.o.data.exit ? markEvidence(x.o.file, x.o.data.exit.at) : undefined]),
      ...logRevocation.flatMap((x) => ownEvidence(x, 3)),
      ...(crl ? ownEvidence(crl) : []),
    ];
    return makeStep(id, 'fail', 'revocation', { host: first?.host ?? c.host, code: code ?? '0x80092013', source: first ? 'curl' : 'log', ...crlArgs }, evidence);
  }
  // A handshake refused by the server itself (Wireshark naming the server or no host, curl to it); Schannel events alone name no server (cipher step).
  const handshake = findingsOf(c, 'tls.handshake-failure').find((x) => /wireshark|curl/.test(String(x.args['sources'] ?? '')) && (x.args['host'] === undefined || String(x.args['host']).toLowerCase() === c.host));
  if (handshake) return makeStep(id, 'fail', 'handshake', { alert: handshake.args['alert'], alertName: handshake.args['alertName'], host: handshake.args['host'], code: handshake.args['code'] }, ownEvidence(handshake));
  const curlTls = findingsOf(c, 'curl.failed').find((x) => (x.kind === 'tls.untrusted-root' || x.kind === 'curl.tls-error') && String(x.args['host'] ?? '').toLowerCase() === c.host);
  if (curlTls) return makeStep(id, 'fail', curlTls.kind === 'tls.untrusted-root' ? 'untrusted-root' : 'tls-error', { host: curlTls.args['host'], code: curlTls.args['code'], exit: curlTls.args['exit'] }, ownEvidence(curlTls));
  for (const { o } of toServer) {
    const answer = o.data.responses.filter((r) => !r.proxy).at(-1);
    if (answer && o.data.url?.value.toLowerCase().startsWith('https')) {
      return makeStep(id, 'pass', answer.status === 200 ? 'http-ok' : 'http-status', { host: c.host, status: answer.status, viaProxy: o.data.viaProxy ? 1 : undefined, ...crlArgs }, [markEvidence(o.file, answer.at)]);
    }
  }
  const notReached = toServer.find((x) => x.o.data.connectFailed || x.o.data.resolveFailed || (x.o.data.exit && x.o.data.exit.code !== 0))?.o;
  if (notReached) {
    const d = notReached.data;
    const at = d.connectFailed ?? d.resolveFailed?.at ?? d.exit?.at;
    return makeStep(id, 'unknown', 'not-reached', { host: c.host, exit: d.exit?.code, ...crlArgs }, [at ? markEvidence(notReached.file, at) : undefined], settle(c, f.proxy ? 'curl.proxy' : 'curl.verbose'));
  }
  // A curl to another host (another region's server, an intranet site) proves nothing about this one.
  if (otherHost) return makeStep(id, 'unknown', 'other-host', { host: c.host, ...otherArgs, ...crlArgs }, [], settle(c, f.proxy ? 'curl.proxy' : 'curl.verbose'));
  return makeStep(id, 'unknown', 'no-evidence', { host: c.host, ...crlArgs }, crl ? ownEvidence(crl) : [], settle(c, f.proxy ? 'curl.proxy' : 'curl.verbose'));
}

/**
 * Step 7: the proxy statuses of local.xml's lasterror and the log (BRIEF §3.1), judged on the
 * connector's own last result (`currentResult`): a proxy status there fails the step; a current
 * success makes every earlier proxy failure history (the step passes, `recovered`, with how many
 * and which); another current status means the proxy is not what fails now. Without a last result
 * (no local.xml, no attempt in the newest log set) any proxy status in the bundle still counts.
 */
function proxyStep(f: Facts): DiagnosisStep {
  const { c } = f;
  const id = 'tetra.proxy';
  const proxyFindings = c.findings.filter((x) => PROXY_REASON_BY_KIND[x.kind ?? x.id] !== undefined);
  const cur = f.current;
  const kindOf = (status: number) => lookup('se.tetra', status >>> 0)?.kind ?? '';
  const failWith = (status: number, findings: readonly Finding[], recovered: boolean) => {
    const lastProxyAttempt = [...f.attempts].reverse().find((a) => attemptFailed(a) && a.status === status);
    const kind = kindOf(status);
    const same = findings.filter((x) => Number(x.args['status']) === status);
    const fromLog = same.find((x) => x.args['count'] !== undefined);
    return makeStep(
      id,
      'fail',
      PROXY_REASON_BY_KIND[kind] ?? 'connect',
      { status, value: status >>> 0, source: fromLog ? 'log' : 'local.xml', count: fromLog?.args['count'], first: fromLog?.args['first'], last: fromLog?.args['last'], proxy: f.proxy, recovered: recovered ? 1 : undefined },
      [...(lastProxyAttempt ? [attemptEvidence(lastProxyAttempt)] : []), ...(cur?.source === 'local.xml' ? cur.evidence : []), ...same.flatMap((x) => ownEvidence(x, 3)), ...findings.flatMap((x) => ownEvidence(x, 1))],
    );
  };
  const curlProxy = findingsOf(c, 'curl.failed').find((x) => x.kind !== undefined && CURL_PROXY_REASON[x.kind] !== undefined);
  const curlProxyStep = (x: Finding) => makeStep(id, 'fail', CURL_PROXY_REASON[x.kind!]!, { source: 'curl', status: x.args['proxyStatus'] ?? x.args['status'], exit: x.args['exit'], proxy: f.proxy }, ownEvidence(x));
  if (cur) {
    if (cur.failed && PROXY_REASON_BY_KIND[kindOf(cur.status!)] !== undefined) return failWith(cur.status!, proxyFindings.filter((x) => !fromOldSet(f, x)), cur.laterUpdate === true);
    if (cur.failed && curlProxy) return curlProxyStep(curlProxy);
    if (cur.failed) return makeStep(id, 'pass', 'other-status', { status: cur.status, value: cur.status! >>> 0, source: cur.source, proxy: f.proxy }, cur.evidence);
    // The last result is a success: proxy failures before it are history.
    const earlier = proxyFindings[0];
    if (earlier) {
      const count = proxyFindings.filter((x) => x.args['count'] !== undefined).reduce((n, x) => n + Number(x.args['count']), 0);
      return makeStep(
        id,
        'pass',
        'recovered',
        { status: earlier.args['status'], value: Number(earlier.args['status']) >>> 0, count: count || undefined, last: earlier.args['last'], proxy: f.proxy, source: cur.source },
        [...cur.evidence, ...proxyFindings.flatMap((x) => ownEvidence(x, 2))],
      );
    }
    if (cur.source === 'local.xml') return makeStep(id, 'pass', 'no-error', { status: 0, value: 0 }, cur.evidence);
    return makeStep(id, 'pass', 'no-proxy-status', { attempts: f.attempts.length }, cur.evidence);
  }
  if (proxyFindings.length > 0) return failWith(Number(proxyFindings[0]!.args['status']), proxyFindings, false);
  if (curlProxy) return curlProxyStep(curlProxy);
  const tunnel = outputs(c, 'curl.verbose').find((o) => o.data.viaProxy && o.data.responses.some((r) => r.proxy && r.status === 200));
  if (tunnel) return makeStep(id, 'pass', 'curl-via-proxy', { proxy: f.proxy }, [markEvidence(tunnel.file, tunnel.data.responses.find((r) => r.proxy && r.status === 200)!.at)]);
  return makeStep(id, 'unknown', 'no-evidence', { proxy: f.proxy }, f.c.proxy ? [f.c.proxy.evidence] : [], settle(c, 'local.xml'));
}

function suiteAccepted(name: string, code?: number): string | undefined {
  const n = name.toUpperCase().replace(/_P(?:256|384|521)$/, ''); // Windows 7 names suites with their curve
  return TETRA_ACCEPTED_SUITES.find((s) => s.name === n || (code !== undefined && s.code === code))?.name;
}

/**
 * Step 8: for -3000 / network timeout, does the endpoint offer one of the four suites the server
 * accepts? The endpoint's own lists decide first — Get-TlsCipherSuite and the Client Hello — then
 * a fatal alert naming the server (Wireshark, curl). A Schannel event names no server (any program
 * on the endpoint may have caused it), so alone it fails the step only when a current -3000 asks
 * for this step and nothing shows TLS or the update working; otherwise it is `unknown`.
 */
function cipherStep(f: Facts): DiagnosisStep {
  const { c } = f;
  const id = 'tetra.cipher-suites';
  const relevant = f.unknownError.length > 0 ? 1 : undefined;
  const missing = findingsOf(c, 'tls.cipher-suites-missing');
  const alerts = findingsOf(c, 'tls.handshake-failure').filter((x) => CIPHER_MISMATCH_ALERTS.has(Number(x.args['alert'])));
  const named = (x: Finding) => /wireshark|curl/.test(String(x.args['sources'])) && (x.args['host'] === undefined || String(x.args['host']).toLowerCase() === c.host);
  const alert = alerts.find((x) => Number(x.args['afterClientHello']) === 1 && named(x)) ?? alerts.find(named) ?? alerts[0];
  const alertArgs = alert ? { alert: alert.args['alert'], alertName: alert.args['alertName'], alertSource: alert.args['sources'], eventId: alert.args['eventId'], afterClientHello: alert.args['afterClientHello'] } : {};
  if (missing.length > 0) {
    const m = missing.find((x) => x.args['source'] === 'get-tlsciphersuite') ?? missing[0]!;
    return makeStep(id, 'fail', 'suites-missing', { source: m.args['source'], offered: m.args['offered'], packet: m.args['packet'], relevant, ...alertArgs }, [...ownEvidence(m, 4), ...missing.filter((x) => x !== m).flatMap((x) => ownEvidence(x, 2)), ...(alert ? ownEvidence(alert, 2) : [])]);
  }
  for (const o of outputs(c, 'tls.cipher-suites')) {
    const s = o.data.suites.find((x) => suiteAccepted(x.name));
    if (s) return makeStep(id, 'pass', 'accepted-present', { source: 'get-tlsciphersuite', suite: s.name, offered: o.data.suites.length, relevant }, [markEvidence(o.file, s.at)]);
  }
  for (const o of outputs(c, 'wireshark.tls')) {
    for (const h of o.data.clientHellos) {
      const s = h.suites.find((x) => suiteAccepted(x.name, x.code));
      if (s) return makeStep(id, 'pass', 'accepted-offered', { source: 'client-hello', suite: s.name, offered: h.suites.length, relevant }, [markEvidence(o.file, s.at)]);
    }
  }
  if (alert && named(alert)) return makeStep(id, 'fail', 'handshake-alert', { source: alert.args['sources'], relevant, ...alertArgs }, ownEvidence(alert));
  if (alert) {
    // Schannel only: what would contradict a cipher-suite mismatch with the update server.
    const contradicted = tlsToServerWorks(f) || (f.current !== undefined && !f.current.failed);
    if (relevant && !contradicted) return makeStep(id, 'fail', 'handshake-alert', { source: 'schannel-event', relevant, ...alertArgs }, [...ownEvidence(alert), ...f.unknownError.flatMap((x) => ownEvidence(x, 2))]);
    return makeStep(id, 'unknown', 'schannel-only', { relevant, contradicted: contradicted ? 1 : undefined, ...alertArgs }, ownEvidence(alert), settle(c, 'tls.cipher-suites'));
  }
  return makeStep(id, 'unknown', 'no-evidence', { relevant }, f.unknownError.flatMap((x) => ownEvidence(x, 2)), settle(c, 'tls.cipher-suites'));
}

/** Step 9: what to collect next (debug log for one update interval, the bundle, a packet capture). */
function collectStep(f: Facts, verdict: TetraVerdict): DiagnosisStep {
  const { c } = f;
  const id = 'tetra.collect';
  const inv = c.inventory;
  const log = inv.logs.length > 0 ? 1 : 0;
  const debug = inv.logs.some((l) => l.debug) ? 1 : 0;
  const capture = outputs(c, 'wireshark.tls');
  const args = { log, debug, capture: capture.length > 0 ? 1 : 0, interval: inv.tetraUpdateInterval };
  const captureEv = capture.map((o) => ({ file: o.file, range: { start: o.range.start, end: o.range.start }, text: '' }));
  if (verdict === 'healthy') return makeStep(id, 'pass', 'not-needed', args);
  if (debug && capture.length > 0) return makeStep(id, 'pass', 'complete', args, captureEv);
  const next = !log && c.windows ? 'connector-log' : !debug && c.windows ? 'debug-log' : 'packet-capture';
  return makeStep(id, 'unknown', 'incomplete', args, captureEv, settle(c, next, { interval: inv.tetraUpdateInterval }));
}

// ---------------------------------------------------------------------------------------------
// Verdict

type Steps = Readonly<Record<TetraStepId, DiagnosisStep>>;

interface VerdictRule {
  verdict: Exclude<TetraVerdict, 'unknown'>;
  /** Why it stands where it stands in the order. */
  source: string;
  /** The decisive arguments and lines when the verdict holds, else undefined. */
  when: (s: Steps, f: Facts) => { args: DiagnosisStep['args']; evidence: Evidence[] } | undefined;
}

const failed = (s: DiagnosisStep, ...reasons: string[]) => s.status === 'fail' && (reasons.length === 0 || reasons.includes(s.reason ?? ''));
const decided = (s: DiagnosisStep, keys: readonly string[]) => ({ args: Object.fromEntries(keys.filter((k) => s.args[k] !== undefined).map((k) => [k, s.args[k]!])), evidence: s.evidence });

/**
 * The verdicts in the order an expert names a root cause (BRIEF §4.1): a failure earlier on the
 * way to the update server hides the ones after it, so the first row that holds wins.
 * DNS → the proxy (reached, then authenticated) → TLS (revocation, then the cipher suites) → the
 * download through the proxy → an unexplained -3000. A connector's own proxy status (-2103/-2100)
 * comes before TLS evidence from curl, which may have gone another way; -2109 (connected to the
 * proxy, download failed) comes after it, since a TLS failure through the tunnel is one way a
 * download fails.
 */
export const TETRA_VERDICTS: readonly VerdictRule[] = [
  {
    verdict: 'not-connected',
    source: 'BRIEF §4.1 step 1: not seen by the cloud at all → general connectivity (ConnectivityTool) before anything about TETRA',
    when: (s) => (failed(s['tetra.connected']) ? decided(s['tetra.connected'], ['source', 'status', 'lastSeen', 'hoursSince']) : undefined),
  },
  {
    verdict: 'dns',
    source: 'BRIEF §4.1 step 5: without A records nothing downstream can work; only names on the way count (the server, the proxy, a CRL/OCSP host), and through a proxy the proxy resolves the server (the step does not fail then)',
    when: (s) => {
      const d = s['tetra.dns'];
      return failed(d) ? decided(d, ['name', 'error']) : undefined;
    },
  },
  { verdict: 'proxy-connect', source: 'BRIEF §3.1 (-2103), §4.1 step 7: the connector cannot reach its proxy, so no TLS happens', when: (s) => (failed(s['tetra.proxy'], 'connect') ? decided(s['tetra.proxy'], ['status', 'value', 'source', 'proxy', 'recovered']) : undefined) },
  { verdict: 'proxy-auth', source: 'BRIEF §3.1 (-2100), §4.1 step 7: the proxy refuses the connector before TLS', when: (s) => (failed(s['tetra.proxy'], 'auth') ? decided(s['tetra.proxy'], ['status', 'value', 'source', 'proxy', 'recovered']) : undefined) },
  { verdict: 'tls-revocation', source: 'BRIEF §3.4, §4.1 step 6: 0x80092013, the CRL/OCSP servers are unreachable', when: (s) => (failed(s['tetra.tls'], 'revocation') ? decided(s['tetra.tls'], ['host', 'code', 'crlCheck']) : undefined) },
  {
    verdict: 'tls-cipher-mismatch',
    source: 'BRIEF §4.1 step 8: none of the four suites the server accepts is offered; Handshake Failure after the Client Hello',
    when: (s) => (failed(s['tetra.cipher-suites']) ? decided(s['tetra.cipher-suites'], ['source', 'offered', 'alert', 'alertName', 'eventId']) : undefined),
  },
  { verdict: 'proxy-download', source: 'BRIEF §3.1 (-2109): connected to the proxy, the download failed (the proxy\'s logs tell why)', when: (s) => (failed(s['tetra.proxy'], 'download') ? decided(s['tetra.proxy'], ['status', 'value', 'source', 'proxy', 'recovered']) : undefined) },
  {
    verdict: 'network-timeout',
    source: 'BRIEF §3.1 (-3000 Unknown_Error, console "network timeout"), §4.1 step 8 with no cipher-suite evidence yet; only when -3000 is the connector\'s last result (an update since makes it history)',
    when: (_s, f) => {
      const u = f.unknownError;
      if (u.length === 0) return undefined;
      const source = u.some((x) => x.id === 'tetra.update-failed') ? 'log' : u.some((x) => x.id === 'tetra.console-update-failed') && !u.some((x) => x.args['value'] !== undefined) ? 'console' : 'local.xml';
      return { args: { status: -3000, source }, evidence: u.flatMap((x) => ownEvidence(x, 2)) };
    },
  },
  {
    verdict: 'healthy',
    source: 'BRIEF §4.1 step 2: definitions current (within a day of the newest, about four releases a day) and no step fails; failures before the connector\'s last successful result are history, said in the summary',
    when: (s, f) => {
      const d = s['tetra.definitions'];
      if (d.status !== 'pass' || TETRA_STEPS.some((id) => s[id].status === 'fail')) return undefined;
      const r = decided(d, ['current', 'newest', 'version']);
      if (f.earlier) r.args = { ...r.args, recovered: 1, earlierFailures: f.earlier.count, ...(f.earlier.status !== undefined ? { earlierStatus: f.earlier.status } : {}) };
      return r;
    },
  },
];

/** `unknown`: the first failing step (with its reason) and any status the tables do not classify. */
function unknownVerdict(s: Steps, c: DiagnoseContext): { args: DiagnosisStep['args']; evidence: Evidence[] } {
  const first = TETRA_STEPS.map((id) => s[id]).find((x) => x.status === 'fail');
  const args: DiagnosisStep['args'] = {};
  if (first) {
    args['failingStep'] = first.id;
    if (first.reason) args['reason'] = first.reason;
  }
  const unclassified = c.findings.find((x) => x.id === 'tetra.update-failed' && x.kind === undefined && typeof x.args['status'] === 'number');
  if (unclassified) args['status'] = unclassified.args['status']!;
  // Nothing fails, but Schannel reported a handshake failure no server is named for: the suspect to settle first.
  const ciphers = s['tetra.cipher-suites'];
  const suspect = !first && !unclassified && ciphers.reason === 'schannel-only' && ciphers.args['contradicted'] === undefined ? ciphers : undefined;
  if (suspect) Object.assign(args, { suspect: 'schannel', alert: suspect.args['alert'], eventId: suspect.args['eventId'] });
  return { args, evidence: bounded([...(first?.evidence ?? []), ...(unclassified ? ownEvidence(unclassified, 2) : []), ...(suspect?.evidence ?? [])], MAX_VERDICT_EVIDENCE) };
}

// ---------------------------------------------------------------------------------------------
// Actions (commands from the rule tables, with the bundle's server, folder and proxy)

function forceUpdate(c: DiagnoseContext): DiagnosisAction | undefined {
  const v = c.inventory.newestConnectorVersion;
  if (!c.windows || !v || !versionAtLeast(v, FORCEUPDATE_SINCE)) return undefined;
  return commandAction(c, 'force-update', CMD.forceUpdate.command, { version: v });
}

/** local.xml's lasterror, read the platform's way (PowerShell on Windows; grep on macOS/Linux). */
function readLastError(c: DiagnoseContext): DiagnosisAction | undefined {
  return c.windows ? commandAction(c, 'read-lasterror', CMD.readLastError.command) : { id: 'read-lasterror', command: settle(c, 'local.xml').how, args: {} };
}

function packetCapture(c: DiagnoseContext): DiagnosisAction {
  return { id: 'packet-capture', command: settle(c, 'packet-capture').how, args: { server: c.host, ...(c.inventory.tetraUpdateInterval !== undefined ? { interval: c.inventory.tetraUpdateInterval } : {}) } };
}

function supportBundle(c: DiagnoseContext): DiagnosisAction {
  return { id: 'support-bundle', command: supportToolCommand(c), args: {} };
}

/** curl to the update server, through the proxy where the bundle names one (policy.xml's server and port, else the client's `Proxy:`). */
function curlViaProxy(c: DiagnoseContext): DiagnosisAction | undefined {
  const command = curlViaProxyCommand(c);
  if (!command || !c.proxy) return commandAction(c, 'curl-update-server', CMD.curl.command, { server: c.host });
  return { id: 'curl-via-proxy', command, args: { server: c.host, proxy: proxyAddress(c.proxy) } };
}

/** What to do next per verdict, most useful first (BRIEF §4.1; seeds 000/001/002). */
const TETRA_ACTIONS: Readonly<Record<TetraVerdict, (c: DiagnoseContext, f: Facts, args: DiagnosisStep['args']) => Array<DiagnosisAction | undefined>>> = {
  healthy: () => [],
  'not-connected': (c) => [plainAction('console-last-seen', { server: c.host }), c.windows ? commandAction(c, 'posture', 'AmpCLI.exe posture') : { id: 'ampcli-status', command: settle(c, 'ampcli.status').how, args: {} }, supportBundle(c)],
  dns: (c, _f, a) => [
    commandAction(c, 'resolve-name', CMD.resolveName.command, { name: a['name'] }, { name: String(a['name'] ?? '') }),
    commandAction(c, 'show-dns-servers', CMD.dnsServers.command),
    commandAction(c, 'curl-update-server', CMD.curl.command, { server: c.host }),
  ],
  'proxy-connect': (c) => [plainAction('check-proxy-reachable', { proxy: c.proxy ? proxyAddress(c.proxy) : undefined }), curlViaProxy(c), readLastError(c), forceUpdate(c)],
  'proxy-auth': (c) => [plainAction('check-proxy-credentials', { proxy: c.proxy ? proxyAddress(c.proxy) : undefined }), curlViaProxy(c), readLastError(c), forceUpdate(c)],
  'proxy-download': (c) => [plainAction('check-proxy-logs', { proxy: c.proxy ? proxyAddress(c.proxy) : undefined, server: c.host }), plainAction('no-tls-inspection', { server: c.host }), curlViaProxy(c), readLastError(c), forceUpdate(c)],
  'tls-revocation': (c) => [
    plainAction('allow-revocation-hosts', { hosts: REVOCATION_HOSTS }),
    commandAction(c, 'curl-ocsp', CMD.curlOcsp.command),
    commandAction(c, 'curl-crl', CMD.curlCrl.command),
    curlViaProxy(c),
    forceUpdate(c),
  ],
  'tls-cipher-mismatch': (c) => [
    commandAction(c, 'list-cipher-suites', CMD.suites.command),
    commandAction(c, 'open-group-policy', CMD.gpedit.command),
    commandAction(c, 'cipher-suite-order-policy', CMD.gpoPath.command, { suites: TETRA_ACCEPTED_SUITES.map((s) => s.name).join(', ') }),
    commandAction(c, 'read-cipher-suite-policy', CMD.gpoRead.command),
    plainAction('reboot-retry'),
    forceUpdate(c),
  ],
  'network-timeout': (c) => [
    commandAction(c, 'list-cipher-suites', CMD.suites.command),
    curlViaProxy(c),
    commandAction(c, 'debug-start', CMD.debug.command, { interval: c.inventory.tetraUpdateInterval }),
    packetCapture(c),
    supportBundle(c),
    forceUpdate(c),
  ],
  unknown: (c, _f, a) => [
    a['suspect'] === 'schannel' ? commandAction(c, 'list-cipher-suites', CMD.suites.command) : undefined,
    c.proxy ? undefined : commandAction(c, 'resolve-update-server', CMD.resolve.command, { server: c.host }),
    curlViaProxy(c),
    readLastError(c),
    commandAction(c, 'list-cipher-suites', CMD.suites.command),
    commandAction(c, 'debug-start', CMD.debug.command, { interval: c.inventory.tetraUpdateInterval }),
    supportBundle(c),
    packetCapture(c),
  ],
};

// ---------------------------------------------------------------------------------------------
// API

/** Walks BRIEF §4.1 over one bundle's analysis: every step (none skipped), the verdict, the next steps. */
export function diagnoseTetra(analysis: PathAnalysis): TetraDiagnosis {
  const c = contextOf(analysis);
  const f = factsOf(c);
  const partial = {
    'tetra.connected': connectedStep(f),
    'tetra.definitions': definitionsStep(f),
    'tetra.force-update': forceUpdateStep(f),
    'tetra.update-server': updateServerStep(f),
    'tetra.dns': dnsStep(f),
    'tetra.tls': tlsStep(f),
    'tetra.proxy': proxyStep(f),
    'tetra.cipher-suites': cipherStep(f),
  };
  // The collect step is judged last (it depends on the verdict), so the verdict sees it as unknown.
  const pending = makeStep('tetra.collect', 'unknown', 'pending', {});
  let steps: Steps = { ...partial, 'tetra.collect': pending };
  let verdict: TetraVerdict = 'unknown';
  let decision: { args: DiagnosisStep['args']; evidence: Evidence[] } | undefined;
  for (const rule of TETRA_VERDICTS) {
    decision = rule.when(steps, f);
    if (decision) {
      verdict = rule.verdict;
      break;
    }
  }
  decision ??= unknownVerdict(steps, c);
  steps = { ...steps, 'tetra.collect': collectStep(f, verdict) };
  if (verdict === 'unknown') decision = unknownVerdict(steps, c);
  const first: DiagnosisAction[] = steps['tetra.update-server'].reason === 'updater-disabled' ? [plainAction('enable-updater')] : [];
  const folder = versionFolder(c);
  const actions = uniqueActions([...first, ...TETRA_ACTIONS[verdict](c, f, decision.args)]).map((a) => (folder && a.command?.includes(folder) ? { ...a, args: { ...a.args, version: folder } } : a));
  return {
    playbook: 'tetra',
    verdict,
    args: decision.args,
    evidence: bounded(decision.evidence, MAX_VERDICT_EVIDENCE),
    steps: TETRA_STEPS.map((id) => steps[id]),
    actions,
  };
}
