/**
 * Cross-file rules of a bundle: what the recognised command outputs and console texts
 * (`evidence.ts`) say, weighed with the logs and the connector's XML (`PathAnalysis`) and the
 * inventory. Each rule has a stable id (the diagnostic's `code`), a severity and its source; its
 * findings carry structured arguments, evidence (file relative to the bundle root, range, text)
 * and commands to copy — never sentences. Thresholds are named constants below.
 *
 * RELATIONS — "a finding in one file that another file explains says so". `Finding` has no field
 * for it and `args` holds strings and numbers only, so a relation is written as three arguments
 * plus one evidence item:
 *   - `args.explainedBy` / `args.related`: the id of the other finding (`policy.crl-check`,
 *     `tls.cipher-suites-missing`) or of the fact (`local.lasterror`);
 *   - `args.explainedByFile` / `args.relatedFile`: its file, relative to the bundle root;
 *   - `args.explainedByLine` / `args.relatedLine`: its line, ONE-based (as an editor shows it);
 *   - the other place is appended to `evidence` (after the finding's own occurrences), so a client
 *     links to it; `range` stays the finding's own first occurrence (`evidence[0]`).
 * `explainedBy`: the other file holds the cause (the policy's CRL check next to a revocation
 * failure; a cipher-suite list without the TETRA server's suites next to a handshake failure or a
 * -3000 status; a DNS failure next to failed updates). `related`: the other file reports the same
 * fact (a log's `tetra.update-failed` status equal to `local.xml`'s lasterror; the same isolation
 * state in the registry and the log). At most one of each per finding, the first by the order of
 * the tables `EXPLAINERS` and `relatedRef`. `relateFindings` applies the same to findings made
 * elsewhere (log and XML findings).
 */
import { lookup } from '../codes/catalogue';
import type { Evidence, Finding, FindingAction, Range, Severity } from '../types';
import { versionAtLeast } from '../xml/rules';
import { alertName, outputsOf, redact, type Mark, type Platform, type RecognisedOutput } from './evidence';
import type { PathAnalysis } from './inputs';
import { analysisFindings, buildInventory, connectorCommand, type Inventory } from './inventory';

// ---------------------------------------------------------------------------------------------
// Knowledge and thresholds

/** The only suites the TETRA update server accepts (BRIEF §4.1 step 8; seed 001), with their IANA codes. */
export const TETRA_ACCEPTED_SUITES: ReadonlyArray<{ name: string; code: number }> = [
  { name: 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', code: 0xc030 },
  { name: 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', code: 0xc02f },
  { name: 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', code: 0x009e },
  { name: 'TLS_AES_128_GCM_SHA256', code: 0x1301 },
];

/**
 * Definitions are stale when the endpoint is more than a day behind. Cisco releases about four
 * TETRA updates a day (BRIEF §4.1 step 2; seeds 000/002: 90604, 90605, 90606 at 12:13, 16:15 and
 * 20:13 UTC) and an endpoint updates once per policy interval (often an hour), so being one to
 * four versions / a few hours behind is ordinary and not reported. Reported: more than
 * `STALE_VERSIONS` versions behind the newest the AV Definition Summary lists, or the first
 * version it misses out for more than `STALE_HOURS` (measured up to the newest release's time, a
 * lower bound of when the summary was read), or the console's "Last Seen" more than `STALE_HOURS`
 * after "Definitions Last Updated" (the connector talks to the cloud but its definitions do not
 * move: BRIEF §4.1 step 1). The seeds' own gaps (24 min, 4 h 43 min, 11 h) stay below it.
 */
export const STALE_HOURS = 24;
export const STALE_VERSIONS = 4;
/** Versions of one engine build are close: a listed version further than this from the endpoint's is another build's (32-bit 120765 vs 64-bit 90606, seed 000). */
export const TETRA_SERIES_WINDOW = 5000;

/** `sfc.exe -forceupdate` exists from this Windows connector on (BRIEF §4.1 step 3). */
export const FORCEUPDATE_SINCE = '7.2.7';
/** Endpoint Isolation needs these connector versions (BRIEF §4.2; seed 004) and a 64-bit Windows. */
export const ISOLATION_MINIMUM: Readonly<Record<'windows' | 'macos', string>> = { windows: '7.0.5', macos: '1.21.0' };

/** Console error "Invalid unlock code" (BRIEF §3.2; seed 004). */
export const INVALID_UNLOCK_CODE = 3240624137;
/** Console / log event "Endpoint Isolation Unlock Limit Reached" (BRIEF §3.2). */
export const UNLOCK_LIMIT_EVENT = 553648215;

/** A refinement per TLS alert (BRIEF §3.4): which kind of handshake failure it is. */
const ALERT_KINDS: Readonly<Record<number, string>> = {
  40: 'tls.no-shared-cipher',
  71: 'tls.no-shared-cipher',
  48: 'tls.untrusted-root',
  70: 'tls.protocol-version',
  47: 'tls.illegal-parameter',
  10: 'tls.message-altered',
  50: 'tls.message-altered',
  45: 'tls.certificate-expired',
};
/** Alerts a cipher-suite mismatch produces (BRIEF §4.1 step 8). */
const CIPHER_ALERTS = new Set([40, 71]);

/** curl exit codes → refinement of `curl.failed` (BRIEF §3.4). */
const CURL_KINDS: Readonly<Record<number, string>> = {
  5: 'curl.proxy-unresolved',
  7: 'curl.connect-failed',
  28: 'curl.timeout',
  35: 'curl.tls-error',
  56: 'curl.receive-error',
  60: 'tls.untrusted-root',
  97: 'curl.proxy',
};

const MAX_EVIDENCE = 50;

/** Commands per rule; `<server>`, `<url>`, `<name>` are filled in, `sfc.exe`/`AmpCLI.exe` run from the version folder. */
export const BUNDLE_ACTIONS: Readonly<Record<string, readonly FindingAction[]>> = {
  'dns.resolution-failed': [
    { id: 'resolve-name', command: 'Resolve-DnsName -Name <name>' },
    { id: 'show-dns-servers', command: 'Get-DnsClientServerAddress -AddressFamily IPv4' },
  ],
  'tls.revocation-offline': [
    { id: 'curl-update-server', command: 'curl.exe -v <url>' },
    // The CRL / OCSP hosts seeds 000/002 name: they must be reachable through firewall and proxy.
    { id: 'curl-ocsp', command: 'curl.exe -v http://commercial.ocsp.identrust.com' },
    { id: 'curl-crl', command: 'curl.exe -v http://validation.identrust.com' },
  ],
  'tls.handshake-failure': [
    { id: 'list-cipher-suites', command: 'Get-TlsCipherSuite | ft name' },
    { id: 'curl-update-server', command: 'curl.exe -v <url>' },
  ],
  'tls.cipher-suites-missing': [
    { id: 'open-group-policy', command: 'gpedit.msc' },
    { id: 'cipher-suite-order-policy', command: 'Computer Configuration > Administrative Templates > Network > SSL Configuration Settings > SSL Cipher Suite Order' },
    // Where that policy is stored (Windows; not in the seeds): present = the policy is Enabled.
    { id: 'read-cipher-suite-policy', command: "Get-ItemProperty -Path 'HKLM:\\SOFTWARE\\Policies\\Microsoft\\Cryptography\\Configuration\\SSL\\00010002' -Name Functions -ErrorAction SilentlyContinue" },
    { id: 'list-cipher-suites', command: 'Get-TlsCipherSuite | ft name' },
  ],
  'tetra.definitions-stale': [
    { id: 'resolve-update-server', command: 'Resolve-DnsName -Name <server>' },
    { id: 'curl-update-server', command: 'curl.exe -v <url>' },
  ],
  'tetra.console-update-failed': [
    { id: 'resolve-update-server', command: 'Resolve-DnsName -Name <server>' },
    { id: 'curl-update-server', command: 'curl.exe -v <url>' },
  ],
  'isolation.invalid-unlock-code': [{ id: 'unlock', command: 'sfc.exe -n <unlock code>' }],
  'isolation.unlock-limit-reached': [{ id: 'unlock-after-wait', command: 'sfc.exe -n <unlock code>' }],
  'curl.failed': [
    { id: 'resolve-name', command: 'Resolve-DnsName -Name <name>' },
    { id: 'curl-update-server', command: 'curl.exe -v <url>' },
  ],
};

/** Recovery per platform (BRIEF §4.2; seed 004). */
export const ISOLATION_ACTIONS: Readonly<Record<Platform, readonly FindingAction[]>> = {
  windows: [
    { id: 'unlock', command: 'sfc.exe -n <unlock code>' },
    // Only with the connector service stopped ("Access is denied" otherwise).
    { id: 'delete-unlock-code', command: 'reg delete "HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect" /v "unlock_code" /f' },
  ],
  macos: [
    { id: 'delete-isolation-state', command: 'sudo rm "/Library/Application Support/Cisco/Secure Endpoint/endpoint_isolation.xml"' },
    { id: 'daemon-unload', command: 'sudo launchctl unload /Library/LaunchDaemons/com.cisco.amp.daemon.plist' },
    { id: 'daemon-load', command: 'sudo launchctl load /Library/LaunchDaemons/com.cisco.amp.daemon.plist' },
  ],
  linux: [],
};

// ---------------------------------------------------------------------------------------------
// Context

interface Ctx {
  analysis: PathAnalysis;
  outputs: readonly RecognisedOutput[];
  inv: Inventory;
  platform?: Platform;
  host: string;
  url: string;
}

function contextOf(analysis: PathAnalysis, outputs: readonly RecognisedOutput[], inv: Inventory): Ctx {
  const c: Ctx = { analysis, outputs, inv, host: inv.tetraUpdateServer.host, url: `https://${inv.tetraUpdateServer.host}` };
  if (inv.platform) c.platform = inv.platform;
  return c;
}

function ev(file: string, m: Mark): Evidence {
  return { file, range: m.range, text: m.text };
}

function uniqueEvidence(list: Evidence[]): Evidence[] {
  const seen = new Set<string>();
  const out: Evidence[] = [];
  for (const e of list) {
    // One line is one piece of evidence (curl's schannel error and its `curl: (35)` can share it).
    const key = `${e.file}|${e.range.start.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(e);
    if (out.length >= MAX_EVIDENCE) break;
  }
  return out;
}

function finding(id: string, severity: Severity, args: Finding['args'], evidence: Evidence[], actions?: FindingAction[], kind?: string): Finding {
  const list = uniqueEvidence(evidence);
  const f: Finding = { id, severity, args, range: list[0]?.range ?? zero(), evidence: list };
  if (kind) f.kind = kind;
  if (actions && actions.length > 0) f.actions = actions;
  return f;
}

function zero(): Range {
  return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
}

const unix = (c: Ctx) => c.platform === 'macos' || c.platform === 'linux';

/** Fills in a rule's commands for this bundle: server, names, version folder, platform's tools. */
function actionsFor(c: Ctx, key: string, fill: { name?: string } = {}, list: readonly FindingAction[] | undefined = BUNDLE_ACTIONS[key]): FindingAction[] {
  if (!list) return [];
  const out: FindingAction[] = [];
  const name = fill.name !== undefined && /^[a-z0-9_.-]{1,253}$/i.test(fill.name) ? fill.name : c.host;
  for (const a of list) {
    let command = a.command.split('<url>').join(c.url).split('<server>').join(c.host).split('<name>').join(name);
    if (unix(c)) {
      if (/^(?:Get-|gpedit|Computer Configuration|reg )/.test(command)) continue; // Windows only
      command = command.replace(/^curl\.exe\b/, 'curl').replace(/^Resolve-DnsName -Name (\S+)$/, 'nslookup $1');
      if (/^sfc\.exe/.test(command)) continue;
    } else if (/^sfc\.exe /.test(command)) command = connectorCommand('sfc.exe', command.slice('sfc.exe '.length), c.inv);
    out.push({ id: a.id, command });
  }
  return out;
}

function forceUpdateAction(c: Ctx): FindingAction[] {
  const v = c.inv.newestConnectorVersion;
  if (unix(c) || !v || !versionAtLeast(v, FORCEUPDATE_SINCE)) return [];
  return [{ id: 'force-update', command: connectorCommand('sfc.exe', '-forceupdate', c.inv) }];
}

function hex(u32: number): string {
  return `0x${(u32 >>> 0).toString(16).toUpperCase().padStart(8, '0')}`;
}

function suiteAccepted(name: string, code?: number): boolean {
  const n = name.toUpperCase().replace(/_P(?:256|384|521)$/, ''); // Windows 7 names suites with their curve
  return TETRA_ACCEPTED_SUITES.some((s) => s.name === n || (code !== undefined && s.code === code));
}

// ---------------------------------------------------------------------------------------------
// Rules

interface BundleRule {
  id: string;
  severity: Severity;
  source: string;
  run: (c: Ctx) => Finding[];
}

function dnsFailed(c: Ctx): Finding[] {
  const groups = new Map<string, { name: string; error: string; errorId?: string; source: string; evidence: Evidence[]; count: number }>();
  const add = (name: string, error: string, source: string, evidence: Evidence[], errorId?: string) => {
    const key = name.toLowerCase();
    const g = groups.get(key);
    if (g) {
      g.count++;
      g.evidence.push(...evidence);
      return;
    }
    const n: { name: string; error: string; errorId?: string; source: string; evidence: Evidence[]; count: number } = { name: key, error, source, evidence: [...evidence], count: 1 };
    if (errorId) n.errorId = errorId;
    groups.set(key, n);
  };
  for (const o of outputsOf(c.outputs, 'dns.resolve')) {
    const d = o.data;
    const name = d.name?.value ?? d.records[0]?.name ?? c.host;
    const evidence: Evidence[] = [];
    if (d.error) {
      evidence.push(ev(o.file, d.error.at));
      if (d.name) evidence.push(ev(o.file, d.name.at));
      add(name, d.error.kind, d.tool, evidence, d.error.errorId);
    } else if (d.records.length > 0 && !d.records.some((r) => r.type === 'A' || r.type === 'AAAA')) {
      // Answers, but no address among them (a CNAME chain that ends nowhere): BRIEF §4.1 step 5 wants A records.
      add(name, 'no-address', d.tool, d.records.map((r) => ev(o.file, r.at)));
    }
  }
  for (const o of outputsOf(c.outputs, 'curl.verbose')) {
    const d = o.data;
    if (!d.resolveFailed && d.exit?.code !== 6) continue;
    const evidence = [d.resolveFailed ? ev(o.file, d.resolveFailed.at) : undefined, d.exit ? ev(o.file, d.exit.at) : undefined].filter((e): e is Evidence => e !== undefined);
    add(d.resolveFailed?.value ?? d.host ?? c.host, 'no-such-host', 'curl', evidence);
  }
  return [...groups.values()].map((g) => {
    const args: Finding['args'] = { name: g.name, error: g.error, source: g.source, count: g.count, updateServer: g.name === c.host ? 1 : 0 };
    if (g.errorId) args['errorId'] = g.errorId;
    return finding('dns.resolution-failed', 'error', args, g.evidence, actionsFor(c, 'dns.resolution-failed', { name: g.name }));
  });
}

/** The policy's CRL check, on: from a policy read by content, else from the XML rules' finding. */
function crlCheckOn(c: Ctx): { file: string; range: Range; text: string } | undefined {
  for (const o of outputsOf(c.outputs, 'connector.policy-xml')) if (o.data.crlCheck?.value === true) return ev(o.file, o.data.crlCheck.at);
  for (const f of c.analysis.files) {
    const x = f.xml?.findings.find((y) => y.id === 'policy.crl-check');
    if (x) return x.evidence[0] ? { ...x.evidence[0], file: x.evidence[0].file || f.file } : { file: f.file, range: x.range, text: '' };
  }
  return undefined;
}

function revocationOffline(c: Ctx): Finding[] {
  const evidence: Evidence[] = [];
  let count = 0;
  let code: number | undefined;
  let host: string | undefined;
  let exit: number | undefined;
  for (const o of outputsOf(c.outputs, 'curl.verbose')) {
    if (!o.data.revocation) continue;
    count++;
    host = host ?? o.data.host;
    const errs = o.data.tlsErrors.filter((t) => t.code === undefined || t.code === 0x80092013 || t.code === 0x80092012 || /revocation/i.test(t.message));
    for (const t of errs) {
      evidence.push(ev(o.file, t.at));
      if (code === undefined && t.code !== undefined) code = t.code;
    }
    if (o.data.exit) {
      evidence.push(ev(o.file, o.data.exit.at));
      exit = exit ?? o.data.exit.code;
    }
  }
  if (count === 0) return [];
  const args: Finding['args'] = { host: host ?? c.host, code: hex(code ?? 0x80092013), count, crlCheck: crlCheckOn(c) ? 1 : 0 };
  if (exit !== undefined) args['exit'] = exit;
  return [finding('tls.revocation-offline', 'error', args, evidence, actionsFor(c, 'tls.revocation-offline'))];
}

function handshakeFailure(c: Ctx): Finding[] {
  type Group = { alert?: number; description?: string; sources: Set<string>; evidence: Evidence[]; count: number; afterClientHello: boolean; eventId?: number; code?: number; hosts: Set<string> };
  const groups = new Map<string, Group>();
  const group = (alert: number | undefined, description: string | undefined): Group => {
    const key = alert !== undefined ? `a${alert}` : `d${description ?? ''}`;
    let g = groups.get(key);
    if (!g) {
      g = { sources: new Set(), evidence: [], count: 0, afterClientHello: false, hosts: new Set() };
      if (alert !== undefined) g.alert = alert;
      if (description !== undefined) g.description = description;
      groups.set(key, g);
    }
    return g;
  };
  for (const o of outputsOf(c.outputs, 'wireshark.tls')) {
    for (const a of o.data.alerts) {
      if (a.level !== 'Fatal' || a.code === 0) continue;
      const g = group(a.code, a.description);
      g.sources.add('wireshark');
      g.count++;
      g.evidence.push(ev(o.file, a.at));
      if (a.afterClientHello) g.afterClientHello = true;
      o.data.hosts.forEach((h) => g.hosts.add(h));
    }
  }
  for (const o of outputsOf(c.outputs, 'curl.verbose')) {
    for (const t of o.data.tlsErrors) {
      if (t.alert === undefined || o.data.revocation) continue;
      const g = group(t.alert, undefined);
      g.sources.add('curl');
      g.count++;
      g.evidence.push(ev(o.file, t.at));
      if (t.code !== undefined) g.code = t.code;
      if (o.data.host) g.hosts.add(o.data.host);
    }
  }
  for (const o of outputsOf(c.outputs, 'windows.schannel-events')) {
    for (const e of o.data.events) {
      if (e.alert === undefined || e.alert === 0 || (e.id !== 36887 && e.id !== 36888)) continue;
      const g = group(e.alert, undefined);
      g.sources.add('schannel-event');
      g.count++;
      g.evidence.push(ev(o.file, e.at));
      if (g.eventId === undefined) g.eventId = e.id;
    }
  }
  const out: Finding[] = [];
  for (const g of groups.values()) {
    const args: Finding['args'] = { count: g.count, sources: [...g.sources].join(','), afterClientHello: g.afterClientHello ? 1 : 0 };
    if (g.alert !== undefined) {
      args['alert'] = g.alert;
      const name = alertName(g.alert);
      if (name) args['alertName'] = name;
    }
    if (g.description) args['description'] = g.description;
    if (g.eventId !== undefined) args['eventId'] = g.eventId;
    if (g.code !== undefined) args['code'] = hex(g.code);
    const host = [...g.hosts][0];
    if (host) args['host'] = host;
    // Schannel events alone cannot say which server the alert was about: a warning, not an error.
    const severity: Severity = g.sources.has('wireshark') || g.sources.has('curl') ? 'error' : 'warning';
    out.push(finding('tls.handshake-failure', severity, args, g.evidence, actionsFor(c, 'tls.handshake-failure'), g.alert !== undefined ? ALERT_KINDS[g.alert] : undefined));
  }
  return out;
}

function cipherSuitesMissing(c: Ctx): Finding[] {
  const out: Finding[] = [];
  const accepted = TETRA_ACCEPTED_SUITES.map((s) => s.name).join(' ');
  const actions = [...actionsFor(c, 'tls.cipher-suites-missing'), ...forceUpdateAction(c)];
  for (const o of outputsOf(c.outputs, 'tls.cipher-suites')) {
    const suites = o.data.suites;
    if (suites.length === 0 || suites.some((s) => suiteAccepted(s.name))) continue;
    const evidence = [...(o.data.command ? [ev(o.file, o.data.command)] : []), ...suites.map((s) => ev(o.file, s.at))];
    out.push(finding('tls.cipher-suites-missing', 'error', { source: 'get-tlsciphersuite', offered: suites.length, accepted }, evidence, actions));
  }
  for (const o of outputsOf(c.outputs, 'wireshark.tls')) {
    for (const h of o.data.clientHellos) {
      if (h.suites.length === 0 || h.suites.some((s) => suiteAccepted(s.name, s.code))) continue;
      const args: Finding['args'] = { source: 'client-hello', offered: h.suites.length, accepted };
      if (h.packet !== undefined) args['packet'] = h.packet;
      out.push(finding('tls.cipher-suites-missing', 'error', args, [ev(o.file, h.at), ...h.suites.map((s) => ev(o.file, s.at))], actions));
    }
  }
  return out;
}

function definitionsStale(c: Ctx): Finding[] {
  const evidence: Evidence[] = [];
  const args: Finding['args'] = { thresholdHours: STALE_HOURS, thresholdVersions: STALE_VERSIONS };
  let kind: string | undefined;
  // The endpoint's version: the highest it reported (console, posture, ampcli, local.xml).
  const current = [...c.inv.tetraVersions].sort((a, b) => b.version - a.version)[0];
  if (current) {
    type Row = { version: number; ms?: number; time?: string; file: string; at: Mark };
    const rows: Row[] = [];
    for (const o of outputsOf(c.outputs, 'console.av-definitions')) {
      for (const r of o.data.rows) rows.push({ version: r.version, ms: r.time?.epochMs, time: r.time?.text, file: o.file, at: r.at });
      for (const l of o.data.latest) if (!/32/.test(l.label)) rows.push({ version: l.version, ms: l.time?.epochMs, time: l.time?.text, file: o.file, at: l.at });
    }
    const series = rows.filter((r) => Math.abs(r.version - current.version) <= TETRA_SERIES_WINDOW);
    const newest = [...series].sort((a, b) => b.version - a.version)[0];
    if (newest && newest.version > current.version) {
      const behind = newest.version - current.version;
      const firstNewer = series.filter((r) => r.version > current.version && r.ms !== undefined).sort((a, b) => a.version - b.version)[0];
      const hours = firstNewer && newest.ms !== undefined ? (newest.ms - firstNewer.ms!) / 3_600_000 : undefined;
      if (behind > STALE_VERSIONS || (hours !== undefined && hours > STALE_HOURS)) {
        kind = 'tetra.behind-available';
        args['current'] = current.version;
        args['newest'] = newest.version;
        args['versionsBehind'] = behind;
        if (hours !== undefined) args['hoursBehind'] = Math.round(hours * 10) / 10;
        if (newest.time) args['newestTime'] = newest.time;
        args['currentVia'] = current.via;
        const at = tetraVersionMark(c.outputs, current.file, current.line);
        evidence.push(at ? ev(current.file, at) : { file: current.file, range: { start: { line: current.line, character: 0 }, end: { line: current.line, character: 0 } }, text: '' }, ev(newest.file, newest.at));
      }
    }
  }
  // The console: connected (Last Seen) long after the last definition update.
  for (const o of outputsOf(c.outputs, 'console.computer-details')) {
    const d = o.data;
    const seen = d.lastSeen?.value.epochMs;
    const updated = d.definitionsLastUpdated?.value.epochMs;
    if (seen === undefined || updated === undefined) continue;
    const gap = (seen - updated) / 3_600_000;
    if (gap <= STALE_HOURS) continue;
    if (args['gapHours'] === undefined) {
      args['gapHours'] = Math.round(gap * 10) / 10;
      args['lastSeen'] = d.lastSeen!.value.text;
      args['lastUpdated'] = d.definitionsLastUpdated!.value.text;
      kind = kind ?? 'tetra.console-gap';
    }
    evidence.push(ev(o.file, d.definitionsLastUpdated!.at), ev(o.file, d.lastSeen!.at));
  }
  if (!kind) return [];
  return [finding('tetra.definitions-stale', 'warning', args, evidence, [...forceUpdateAction(c), ...actionsFor(c, 'tetra.definitions-stale')], kind)];
}

/** Where the endpoint reported a TETRA version (console, posture, ampcli, local.xml). */
export function tetraVersionMark(outputs: readonly RecognisedOutput[], file: string, line: number): Mark | undefined {
  for (const o of outputs) {
    if (o.file !== file) continue;
    const m =
      (o.id === 'console.computer-details' && o.data.definitionVersion?.at) ||
      (o.id === 'ampcli.posture' && o.data.tetraVersion?.at) ||
      (o.id === 'connector.local-xml' && o.data.tetraVersion?.at) ||
      (o.id === 'ampcli.status' && o.data.records.find((r) => r.definitionVersion?.at.line === line)?.definitionVersion?.at);
    if (m && m.line === line) return m;
  }
  return undefined;
}

function consoleUpdateFailed(c: Ctx): Finding[] {
  const evidence: Evidence[] = [];
  let message: string | undefined;
  let lastUpdated: { text: string; ms: number } | undefined;
  let lastSeen: string | undefined;
  for (const o of outputsOf(c.outputs, 'console.computer-details')) {
    const d = o.data;
    if (!d.updateFailed) continue;
    evidence.push(ev(o.file, d.updateFailed.at));
    message = message ?? d.updateFailed.value;
    const t = d.definitionsLastUpdated?.value;
    if (t && (!lastUpdated || (t.epochMs ?? 0) > lastUpdated.ms)) {
      lastUpdated = { text: t.text, ms: t.epochMs ?? 0 };
      lastSeen = d.lastSeen?.value.text;
    }
  }
  if (!message) return [];
  const args: Finding['args'] = { message, count: evidence.length, server: c.host };
  if (lastUpdated) args['lastUpdated'] = lastUpdated.text;
  if (lastSeen) args['lastSeen'] = lastSeen;
  // "network timeout" is how the console shows -3000 (BRIEF §3.1): the cipher suites come first.
  const actions = message === 'network-timeout' && !unix(c) ? [{ id: 'list-cipher-suites', command: 'Get-TlsCipherSuite | ft name' }, ...actionsFor(c, 'tetra.console-update-failed')] : actionsFor(c, 'tetra.console-update-failed');
  return [finding('tetra.console-update-failed', 'warning', args, evidence, [...actions, ...forceUpdateAction(c)], message === 'network-timeout' ? 'tetra.unknown-error' : undefined)];
}

/** Where a connector version was seen, as evidence (a line when there is one, else the file). */
function versionEvidence(c: Ctx, version: string): Evidence[] {
  const v = c.inv.connectorVersions.find((x) => x.version === version);
  const out: Evidence[] = [];
  for (const s of v?.sources ?? []) {
    let found: Mark | undefined;
    for (const o of c.outputs) {
      if (o.file !== s.file) continue;
      const at = o.id === 'console.computer-details' || o.id === 'ampcli.posture' || o.id === 'connector.local-xml' ? o.data.connectorVersion?.at : undefined;
      if (at && at.line === s.line) found = at;
    }
    out.push(found ? ev(s.file, found) : { file: s.file, range: zero(), text: s.via === 'version-folder' ? version : '' });
  }
  // A line first: evidence[0] is where the finding is shown.
  return out.sort((a, b) => Number(b.text !== version) - Number(a.text !== version));
}

/** Without an OS output, a version tells the platform: Windows connectors are 5.x and later, Mac and Linux ones 1.x. */
function platformOf(c: Ctx, version: string): Platform | undefined {
  if (c.platform) return c.platform;
  const major = Number(version.split('.')[0]);
  return major >= 5 ? 'windows' : undefined;
}

function forceUpdateUnsupported(c: Ctx): Finding[] {
  const v = c.inv.newestConnectorVersion;
  if (!v || platformOf(c, v) !== 'windows' || versionAtLeast(v, FORCEUPDATE_SINCE)) return [];
  return [finding('connector.forceupdate-unsupported', 'information', { version: v, since: FORCEUPDATE_SINCE }, versionEvidence(c, v))];
}

function isolationActive(c: Ctx): Finding[] {
  const evidence: Evidence[] = [];
  const args: Finding['args'] = {};
  let active = false;
  for (const o of outputsOf(c.outputs, 'registry.immunet')) {
    const d = o.data;
    const deletedAfter = d.unlockDelete?.result === 'deleted' && d.unlockCode !== undefined && d.unlockDelete.at.line > d.unlockCode.at.line;
    if (d.unlockCode && !deletedAfter) {
      active = true;
      args['source'] = args['source'] ?? 'registry';
      args['unlockCodeLength'] = d.unlockCode.length;
      evidence.push(ev(o.file, d.unlockCode.at));
    }
  }
  const states: Array<{ state: string; source: string; file: string; at: Mark }> = [];
  for (const o of outputsOf(c.outputs, 'console.isolation')) {
    const last = o.data.statuses.filter((s) => s.state === o.data.final).at(-1);
    if (o.data.final && last) states.push({ state: o.data.final, source: 'console', file: o.file, at: last.at });
  }
  for (const o of outputsOf(c.outputs, 'ampcli.status')) {
    const r = [...o.data.records].reverse().find((x) => x.isolation);
    if (r?.isolation) states.push({ state: r.isolation.value, source: 'client', file: o.file, at: r.isolation.at });
  }
  for (const o of outputsOf(c.outputs, 'ampcli.posture')) if (o.data.isolated) states.push({ state: o.data.isolated.value ? 'isolated' : 'not-isolated', source: 'posture', file: o.file, at: o.data.isolated.at });
  for (const s of states) {
    if (s.state === 'isolated') {
      active = true;
      args['source'] = args['source'] ?? s.source;
      evidence.push(ev(s.file, s.at));
    } else if (s.state === 'not-isolated') args['notIsolatedSaidBy'] = args['notIsolatedSaidBy'] ?? s.source;
  }
  if (!active) return [];
  const platform = c.platform ?? 'windows';
  return [finding('isolation.active', 'warning', args, evidence, actionsFor(c, 'isolation.active', {}, ISOLATION_ACTIONS[platform]))];
}

function invalidUnlockCode(c: Ctx): Finding[] {
  const evidence: Evidence[] = [];
  for (const o of outputsOf(c.outputs, 'console.isolation')) {
    for (const e of o.data.errorCodes) if (e.value === INVALID_UNLOCK_CODE) evidence.push(ev(o.file, e.at));
    if (o.data.invalidUnlockCode) evidence.push(ev(o.file, o.data.invalidUnlockCode));
  }
  if (evidence.length === 0) return [];
  const entry = lookup('se.isolation', INVALID_UNLOCK_CODE);
  // The code and its description are one console error: count the codes (or 1 for the text alone).
  const count = Math.max(1, outputsOf(c.outputs, 'console.isolation').reduce((n, o) => n + o.data.errorCodes.filter((e) => e.value === INVALID_UNLOCK_CODE).length, 0));
  const args: Finding['args'] = { code: INVALID_UNLOCK_CODE, hex: hex(INVALID_UNLOCK_CODE), count, attempts: 5, waitMinutes: 30 };
  return [finding('isolation.invalid-unlock-code', 'error', args, evidence, actionsFor(c, 'isolation.invalid-unlock-code'), entry?.kind)];
}

function unlockLimitReached(c: Ctx): Finding[] {
  const evidence: Evidence[] = [];
  for (const o of outputsOf(c.outputs, 'console.isolation')) for (const e of o.data.events) if (e.type === UNLOCK_LIMIT_EVENT) evidence.push(ev(o.file, e.at));
  if (evidence.length === 0) return [];
  return [finding('isolation.unlock-limit-reached', 'warning', { type: UNLOCK_LIMIT_EVENT, count: evidence.length, waitMinutes: 30 }, evidence, actionsFor(c, 'isolation.unlock-limit-reached'))];
}

function isolationUnsupported(c: Ctx): Finding[] {
  const policyIsolation = outputsOf(c.outputs, 'connector.policy-xml').some((o) => o.data.isolationEnabled?.value === true);
  if (!c.inv.cases.isolation && !policyIsolation) return [];
  const v = c.inv.newestConnectorVersion;
  const arch = outputsOf(c.outputs, 'os.info').find((o) => o.data.architecture)?.data.architecture;
  const out: Finding[] = [];
  if (v) {
    const platform = platformOf(c, v);
    const minimum = platform === 'windows' || platform === 'macos' ? ISOLATION_MINIMUM[platform] : undefined;
    if (platform && minimum && !versionAtLeast(v, minimum)) out.push(finding('isolation.unsupported-connector', 'warning', { platform, version: v, minimum }, versionEvidence(c, v), undefined, 'isolation.version'));
  }
  // 64-bit Windows only (BRIEF §4.2).
  if (arch && c.platform === 'windows' && /x86-based|\bi[3-6]86\b|32-bit/i.test(arch.value)) {
    const file = outputsOf(c.outputs, 'os.info').find((o) => o.data.architecture === arch)!.file;
    out.push(finding('isolation.unsupported-connector', 'warning', { platform: 'windows', architecture: arch.value, version: v ?? '' }, [ev(file, arch.at)], undefined, 'isolation.32-bit'));
  }
  return out;
}

function curlFailed(c: Ctx): Finding[] {
  const out: Finding[] = [];
  for (const o of outputsOf(c.outputs, 'curl.verbose')) {
    const d = o.data;
    // Reported by their own rules: revocation, TLS alerts, name resolution.
    if (d.revocation || d.tlsErrors.some((t) => t.alert !== undefined) || d.resolveFailed || d.exit?.code === 6) continue;
    const host = d.host ?? c.host;
    const final = d.responses.filter((r) => !r.proxy).at(-1);
    const proxyRefused = d.responses.find((r) => r.proxy && r.status >= 400);
    if (d.exit && d.exit.code !== 0) {
      const args: Finding['args'] = { host, exit: d.exit.code };
      const name = lookup('curl', d.exit.code)?.symbol;
      if (name) args['exitName'] = name;
      const code = d.tlsErrors.find((t) => t.code !== undefined);
      if (code?.hex) args['code'] = code.hex;
      if (proxyRefused) args['proxyStatus'] = proxyRefused.status;
      const evidence = [ev(o.file, d.exit.at), ...d.tlsErrors.map((t) => ev(o.file, t.at)), ...(d.connectFailed ? [ev(o.file, d.connectFailed)] : []), ...(proxyRefused ? [ev(o.file, proxyRefused.at)] : [])];
      const kind = proxyRefused?.status === 407 ? 'curl.proxy-auth' : code?.code === 0x80090325 ? 'tls.untrusted-root' : CURL_KINDS[d.exit.code];
      out.push(finding('curl.failed', 'error', args, evidence, actionsFor(c, 'curl.failed', { name: host }), kind));
    } else if ((final && final.status >= 400) || proxyRefused) {
      const r = proxyRefused ?? final!;
      out.push(finding('curl.failed', 'warning', { host, status: r.status, proxy: r.proxy ? 1 : 0 }, [ev(o.file, r.at)], actionsFor(c, 'curl.failed', { name: host }), r.status === 407 ? 'curl.proxy-auth' : 'curl.http-status'));
    }
  }
  return out;
}

/** The bundle rules, as data: id, severity (the usual one; a rule may lower it), source, run. */
export const BUNDLE_RULES: readonly BundleRule[] = [
  { id: 'dns.resolution-failed', severity: 'error', source: 'BRIEF §4.1 step 5; Resolve-DnsName (seeds 000/002), curl exit 6', run: dnsFailed },
  { id: 'tls.revocation-offline', severity: 'error', source: 'BRIEF §3.4, §4.1 step 6; curl 0x80092013 (seeds 000/002)', run: revocationOffline },
  { id: 'tls.handshake-failure', severity: 'error', source: 'BRIEF §2.5, §3.4, §4.1 step 8; Wireshark alert (seed 001), Schannel 36887/36888, curl SEC_E_*', run: handshakeFailure },
  { id: 'tls.cipher-suites-missing', severity: 'error', source: 'BRIEF §4.1 step 8; seed 001 (accepted suites, Client Hello, Get-TlsCipherSuite)', run: cipherSuitesMissing },
  { id: 'tetra.definitions-stale', severity: 'warning', source: 'BRIEF §4.1 steps 1-2; seeds 000/002 (AV Definition Summary, Last Seen vs Definitions Last Updated)', run: definitionsStale },
  { id: 'tetra.console-update-failed', severity: 'warning', source: 'BRIEF §2.5, §3.1; seeds 000/002 ("unable to reach the TETRA update server"), 001 ("network timeout" = -3000)', run: consoleUpdateFailed },
  { id: 'connector.forceupdate-unsupported', severity: 'information', source: 'BRIEF §4.1 step 3 (sfc.exe -forceupdate from 7.2.7)', run: forceUpdateUnsupported },
  { id: 'isolation.active', severity: 'warning', source: 'BRIEF §2.5, §4.2; seed 004 (unlock_code in the registry, Isolated in console and client)', run: isolationActive },
  { id: 'isolation.invalid-unlock-code', severity: 'error', source: 'BRIEF §3.2; seed 004 (Error Code 3240624137)', run: invalidUnlockCode },
  { id: 'isolation.unlock-limit-reached', severity: 'warning', source: 'BRIEF §3.2 (event 553648215)', run: unlockLimitReached },
  { id: 'isolation.unsupported-connector', severity: 'warning', source: 'BRIEF §4.2; seed 004 (Windows 7.0.5+ 64-bit, Mac 1.21.0+)', run: isolationUnsupported },
  { id: 'curl.failed', severity: 'error', source: 'BRIEF §3.4 (curl exit codes), §4.1 step 6', run: curlFailed },
];

// ---------------------------------------------------------------------------------------------
// Relations between files

/** A fact another finding can point at. */
interface Ref {
  id: string;
  kind?: string;
  /** A TETRA status (signed), for log statuses and local.xml's lasterror. */
  status?: number;
  file: string;
  range: Range;
  text: string;
}

function isTetraStatus(f: Finding): boolean {
  return typeof f.args['status'] === 'number' && (f.id === 'tetra.update-failed' || /^tetra\./.test(f.kind ?? '') || /^tetra\.(?:proxy-|unknown-error)/.test(f.id));
}

function isTetraFailure(f: Finding): boolean {
  return isTetraStatus(f) || f.id === 'tetra.update-failed' || f.id === 'tetra.console-update-failed';
}

const PROXY_KINDS = /^tetra\.proxy-/;
const CAUSES_OF_FAILED_UPDATES = ['dns.resolution-failed', 'tls.revocation-offline', 'tls.cipher-suites-missing', 'tls.handshake-failure', 'curl.failed'];

/** Which findings explain which, best first (BRIEF §4.1, §4.2). */
const EXPLAINERS: ReadonlyArray<{ target: (f: Finding) => boolean; by: readonly string[] }> = [
  { target: (f) => f.id === 'tls.revocation-offline', by: ['policy.crl-check'] },
  { target: (f) => f.id === 'tls.handshake-failure' && CIPHER_ALERTS.has(Number(f.args['alert'])), by: ['tls.cipher-suites-missing'] },
  // -3000 / "network timeout": the cipher suites first (BRIEF §4.1 step 8).
  { target: (f) => isTetraFailure(f) && (f.kind === 'tetra.unknown-error' || f.args['status'] === -3000), by: ['tls.cipher-suites-missing', 'tls.handshake-failure', ...CAUSES_OF_FAILED_UPDATES] },
  // Proxy statuses are explained by the proxy, not by the endpoint's own DNS or TLS.
  { target: (f) => isTetraFailure(f) && !PROXY_KINDS.test(f.kind ?? f.id), by: CAUSES_OF_FAILED_UPDATES },
  { target: (f) => f.id === 'tetra.definitions-stale' || f.id === 'tetra.definitions-missing', by: ['tetra.updater-disabled', 'tetra.disabled', ...CAUSES_OF_FAILED_UPDATES] },
  { target: (f) => f.id === 'isolation.stop-failed', by: ['isolation.invalid-unlock-code', 'isolation.unlock-limit-reached'] },
  { target: (f) => f.id === 'isolation.start-failed', by: ['isolation.unsupported-connector'] },
];

/** The same fact in two files. */
const SAME_FACT = new Set(['tls.revocation-offline', 'tls.handshake-failure', 'isolation.active', 'isolation.unlock-limit-reached', 'dns.resolution-failed']);

function refOf(f: Finding, fileHint = ''): Ref | undefined {
  const e = f.evidence[0];
  if (!e && !fileHint) return undefined;
  const r: Ref = { id: f.id, file: e?.file || fileHint, range: e?.range ?? f.range, text: e?.text ?? '' };
  if (f.kind) r.kind = f.kind;
  if (isTetraStatus(f)) r.status = Number(f.args['status']) | 0;
  return r;
}

/** Every fact of the bundle another finding may point at: the bundle's own findings, the logs' and XML's, and facts read by content. */
function refsOf(analysis: PathAnalysis, outputs: readonly RecognisedOutput[], bundle: readonly Finding[]): Ref[] {
  const refs: Ref[] = [];
  for (const f of bundle) {
    const r = refOf(f);
    if (r) refs.push(r);
  }
  const localFiles = new Set(analysis.files.filter((f) => f.xml?.role === 'local.xml').map((f) => f.file));
  for (const file of analysis.files) {
    for (const f of file.xml?.findings ?? []) {
      const r = refOf(f, file.file);
      if (!r) continue;
      // local.xml's lasterror findings are named by the fact, whatever their class.
      if (localFiles.has(file.file) && r.status !== undefined) r.id = 'local.lasterror';
      refs.push(r);
    }
  }
  for (const s of analysis.logSets) for (const f of s.findings) {
    const r = refOf(f, s.files[0]?.file ?? '');
    if (r) refs.push(r);
  }
  for (const o of outputs) {
    if (o.id === 'connector.local-xml' && o.data.lastError && o.data.lastError.value !== 0) refs.push({ id: 'local.lasterror', status: o.data.lastError.value | 0, file: o.file, range: o.data.lastError.at.range, text: o.data.lastError.at.text });
    if (o.id === 'connector.policy-xml' && o.data.crlCheck?.value === true) refs.push({ id: 'policy.crl-check', file: o.file, range: o.data.crlCheck.at.range, text: o.data.crlCheck.at.text });
    if (o.id === 'connector.policy-xml' && o.data.tetraUpdaterEnabled?.value === false) refs.push({ id: 'tetra.updater-disabled', file: o.file, range: o.data.tetraUpdaterEnabled.at.range, text: o.data.tetraUpdaterEnabled.at.text });
  }
  return refs;
}

function sameFinding(f: Finding, r: Ref): boolean {
  const e = f.evidence[0];
  return r.id === f.id && (e ? r.file === e.file && r.range.start.line === e.range.start.line && r.range.start.character === e.range.start.character : false);
}

function relatedRef(f: Finding, refs: readonly Ref[]): Ref | undefined {
  const own = f.evidence[0]?.file;
  const other = (r: Ref) => own === undefined || r.file !== own;
  if (isTetraStatus(f)) {
    const status = Number(f.args['status']) | 0;
    const wanted = (r: Ref) => r.status === status && other(r) && (r.id === 'local.lasterror' || r.id === 'tetra.update-failed' || (r.kind !== undefined && r.kind === f.kind));
    return refs.find((r) => wanted(r) && r.id !== f.id) ?? refs.find(wanted);
  }
  if (SAME_FACT.has(f.id)) return refs.find((r) => r.id === f.id && other(r) && !sameFinding(f, r));
  if (f.id === 'tetra.definitions-stale' || f.id === 'tetra.console-update-failed') return refs.find((r) => r.status !== undefined && other(r));
  return undefined;
}

function withRelation(f: Finding, how: 'explainedBy' | 'related', r: Ref): void {
  f.args[how] = r.id;
  f.args[`${how}File`] = r.file;
  f.args[`${how}Line`] = r.range.start.line + 1;
  const dup = f.evidence.some((e) => e.file === r.file && e.range.start.line === r.range.start.line && e.range.start.character === r.range.start.character);
  if (!dup) f.evidence = [...f.evidence, { file: r.file, range: r.range, text: r.text }];
}

/** A copy of the finding with its relations (the input is never changed; unrelated findings come back as they are). */
function relate(f: Finding, refs: readonly Ref[]): Finding {
  let explained: Ref | undefined;
  if (f.args['explainedBy'] === undefined) {
    for (const e of EXPLAINERS) {
      if (!e.target(f)) continue;
      for (const id of e.by) {
        explained = refs.find((r) => r.id === id && !sameFinding(f, r));
        if (explained) break;
      }
      if (explained) break;
    }
  }
  const related = f.args['related'] === undefined ? relatedRef(f, refs) : undefined;
  if (!explained && !related) return f;
  const copy: Finding = { ...f, args: { ...f.args }, evidence: [...f.evidence] };
  if (explained) withRelation(copy, 'explainedBy', explained);
  if (related && !(explained && related.file === explained.file && related.range.start.line === explained.range.start.line)) withRelation(copy, 'related', related);
  return copy;
}

// ---------------------------------------------------------------------------------------------
// API

/**
 * The cross-file findings of a bundle, in rule order, each with its relations to the other files.
 * `outputs`: `recogniseText` over the bundle's text files; `inventory`: `buildInventory(analysis, outputs)`.
 */
export function bundleFindings(analysis: PathAnalysis, outputs: readonly RecognisedOutput[], inventory: Inventory): Finding[] {
  const c = contextOf(analysis, outputs, inventory);
  const raw: Finding[] = [];
  for (const rule of BUNDLE_RULES) {
    try {
      raw.push(...rule.run(c));
    } catch {
      // one rule's bug must not hide the others' findings
    }
  }
  const refs = refsOf(analysis, outputs, raw);
  return raw.map((f) => withoutSecrets(relate(f, refs)));
}

/**
 * The last safety net: every text argument and evidence text goes through `redact` (an unlock
 * code after its label, a URL's or a host's password), whatever rule produced it.
 */
function withoutSecrets(f: Finding): Finding {
  const args: Finding['args'] = {};
  for (const [k, v] of Object.entries(f.args)) args[k] = typeof v === 'string' ? redact(v) : v;
  return { ...f, args, evidence: f.evidence.map((e) => ({ ...e, text: redact(e.text) })) };
}

/**
 * Findings made elsewhere (a log's `tetra.update-failed`, local.xml's lasterror, a log's
 * revocation failure) with their relations to the rest of the bundle added: copies where a
 * relation was found, the same objects otherwise. Use it on `analysis.logSets[].findings`,
 * `analysis.files[].xml.findings` or `analysis.findings`.
 */
export function relateFindings(findings: readonly Finding[], analysis: PathAnalysis, outputs: readonly RecognisedOutput[], inventory: Inventory = buildInventory(analysis, outputs)): Finding[] {
  const bundle = bundleFindings(analysis, outputs, inventory);
  const refs = refsOf(analysis, outputs, bundle);
  return findings.map((f) => relate(f, refs));
}

/** Every finding of the analysis (logs, XML) with relations, then the bundle's own: one list for a report. */
export function allFindings(analysis: PathAnalysis, outputs: readonly RecognisedOutput[], inventory: Inventory = buildInventory(analysis, outputs)): Finding[] {
  const bundle = bundleFindings(analysis, outputs, inventory);
  const refs = refsOf(analysis, outputs, bundle);
  return [...analysisFindings(analysis).map((f) => relate(f, refs)), ...bundle];
}
