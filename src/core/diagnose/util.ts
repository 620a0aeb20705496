/**
 * What both decision trees (`tetra.ts`, BRIEF §4.1; `isolation.ts`, BRIEF §4.2) share: the case's
 * context read once from an analysis (findings, outputs, inventory, the update server and the
 * version folder commands run from), bounded evidence, the settle items ("what would settle this
 * step") and the filling of commands with the bundle's values.
 *
 * Nothing here parses a file again: everything comes from `PathAnalysis` (the logs' analyses and
 * stitched sets, the recognised outputs, the inventory and the related findings).
 */
import { outputsOf, type Mark, type OutputId, type OutputOf, type Platform, type RecognisedOutput } from '../bundle/evidence';
import type { PathAnalysis } from '../bundle/inputs';
import { ampcliStatusCommand as inventoryAmpcliStatus, buildInventory, connectorCommand, nonWindowsVersion, supportToolCommand as inventorySupportTool, unixCommand, type Inventory, type MissingItem } from '../bundle/inventory';
import { allFindings } from '../bundle/rules';
import { DEFAULT_TETRA_SERVER } from '../log/rules';
import { hostOf } from '../xml/settings';
import type { Evidence, Finding, FindingAction } from '../types';
import type { DiagnosisAction, DiagnosisStep, StepStatus } from './types';

/** Evidence kept per step, and per verdict (the decisive lines; the files hold the rest). */
export const MAX_STEP_EVIDENCE = 8;
export const MAX_VERDICT_EVIDENCE = 6;

/** The widest offset of a local clock from UTC (UTC+14): a log's times carry no zone (BRIEF §2.2). */
export const LOG_CLOCK_SLACK_HOURS = 14;

export interface DiagnoseContext {
  analysis: PathAnalysis;
  outputs: readonly RecognisedOutput[];
  inventory: Inventory;
  /** Every finding of the bundle, related across files (`PathAnalysis.bundleFindings`). */
  findings: readonly Finding[];
  /**
   * The platform from the inventory, else from the connector version's shape: Windows connectors
   * are 5.x and later; a 1.x connector is a Mac or Linux one (which, only a hint says).
   */
  platform?: Platform;
  /** Windows commands apply (Windows, or nothing says otherwise; never with a 1.x connector). */
  windows: boolean;
  /** The TETRA update server commands test (policy's, else console's, else Cisco's NAM one). */
  host: string;
  url: string;
  /** The proxy the connector goes through, where the bundle names one (policy.xml, else the client's `Proxy:`); never credentials. */
  proxy?: ProxyFact;
}

export interface ProxyFact {
  host: string;
  port?: number;
  source: 'policy' | 'client';
  evidence: Evidence;
}

/**
 * Without an OS output, a version tells the platform: Windows connectors are 5.x and later
 * (as `bundle/rules.ts` reads it); Mac and Linux ones are 1.x, and then a path or OS hint (the
 * inventory's) says which, or nothing does.
 */
function platformOf(inv: Inventory): { platform?: Platform; windows: boolean } {
  if (inv.platform) return { platform: inv.platform, windows: inv.platform === 'windows' };
  const v = inv.newestConnectorVersion;
  if (nonWindowsVersion(v)) return { windows: false };
  const major = Number(v?.split('.')[0]);
  return Number.isFinite(major) && major >= 5 ? { platform: 'windows', windows: true } : { windows: true };
}

/** A host (and port) of a proxy setting, only when it is a plain name: it goes into commands. */
function proxyParts(text: string, port?: number): { host: string; port?: number } | undefined {
  const t = text.trim();
  if (!t || /\s/.test(t)) return undefined;
  const host = hostOf(t);
  if (!host || !/^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/.test(host) || !host.includes('.')) return undefined;
  const written = /:(\d{1,5})\/?$/.exec(t.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split('@').pop() ?? '');
  const p = port ?? (written ? Number(written[1]) : undefined);
  return p !== undefined && p > 0 && p < 65536 ? { host, port: p } : { host };
}

/** The proxy (BRIEF §2.4 `proxy/{server,port}`; §2.6 `Proxy:` of the client's status), policy first. */
function proxyOf(outputs: readonly RecognisedOutput[]): ProxyFact | undefined {
  for (const o of outputsOf(outputs, 'connector.policy-xml')) {
    const server = o.data.proxyServer;
    const parts = server ? proxyParts(server.value, o.data.proxyPort?.value) : undefined;
    if (parts && server) return { ...parts, source: 'policy', evidence: markEvidence(o.file, server.at) };
  }
  for (const o of outputsOf(outputs, 'ampcli.status')) {
    for (const r of o.data.records) {
      const p = r.fields.find((x) => x.key === 'Proxy');
      const parts = p ? proxyParts(p.value) : undefined;
      if (parts && p) return { ...parts, source: 'client', evidence: markEvidence(o.file, p.at) };
    }
  }
  return undefined;
}

/** `host:port` (or the host alone) of the proxy, as curl's `-x` takes it. */
export function proxyAddress(p: { host: string; port?: number }): string {
  return p.port !== undefined ? `${p.host}:${p.port}` : p.host;
}

export function contextOf(analysis: PathAnalysis): DiagnoseContext {
  const outputs = analysis.outputs ?? [];
  const inventory = analysis.inventory ?? buildInventory(analysis, outputs);
  const findings = analysis.bundleFindings ?? allFindings(analysis, outputs, inventory);
  const host = inventory.tetraUpdateServer.host;
  const p = platformOf(inventory);
  const c: DiagnoseContext = { analysis, outputs, inventory, findings, windows: p.windows, host, url: `https://${host}` };
  if (p.platform) c.platform = p.platform;
  const proxy = proxyOf(outputs);
  if (proxy) c.proxy = proxy;
  return c;
}

export function outputs<I extends OutputId>(c: DiagnoseContext, id: I): Array<OutputOf<I>> {
  return outputsOf(c.outputs, id);
}

/** Findings whose id or kind is one of `ids`. */
export function findingsOf(c: DiagnoseContext, ...ids: string[]): Finding[] {
  return c.findings.filter((f) => ids.includes(f.id) || (f.kind !== undefined && ids.includes(f.kind)));
}

// ---------------------------------------------------------------------------------------------
// Evidence

export function markEvidence(file: string, m: Mark): Evidence {
  return { file, range: m.range, text: m.text };
}

/**
 * Evidence about a whole file (a version folder in its path, a whole output): an empty range at
 * the file's start, as `render-diagnosis.ts` reads it (no line), and no text — a line's text there
 * would claim line 1 says something it does not.
 */
export function wholeFileEvidence(file: string): Evidence {
  return { file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, text: '' };
}

function isWholeFile(e: Evidence): boolean {
  const r = e.range;
  return r.start.line === 0 && r.start.character === 0 && r.end.line === 0 && r.end.character === 0;
}

/** One piece of evidence per line, in the order given, at most `max`; whole-file evidence carries no text. */
export function bounded(list: Iterable<Evidence | undefined>, max = MAX_STEP_EVIDENCE): Evidence[] {
  const out: Evidence[] = [];
  const seen = new Set<string>();
  for (const e of list) {
    if (!e) continue;
    const whole = isWholeFile(e);
    const key = `${e.file}|${whole ? 'file' : e.range.start.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(whole && e.text !== '' ? wholeFileEvidence(e.file) : e);
    if (out.length >= max) break;
  }
  return out;
}

/**
 * A finding's own occurrences, at most `max`: without the places `bundle/rules.ts` appended for
 * its relations (`explainedBy…`, `related…`: the last items, when they were not already there).
 */
export function ownEvidence(f: Finding, max = MAX_STEP_EVIDENCE): Evidence[] {
  const own = [...f.evidence];
  const places = ['explainedBy', 'related']
    .filter((k) => f.args[`${k}File`] !== undefined)
    .map((k) => ({ file: String(f.args[`${k}File`]), line: Number(f.args[`${k}Line`]) - 1 }));
  for (let n = places.length; n > 0 && own.length > 1; n--) {
    const last = own[own.length - 1]!;
    if (!places.some((p) => p.file === last.file && p.line === last.range.start.line)) break;
    own.pop();
  }
  return bounded(own, max);
}

/** Epoch milliseconds of a log's year-resolved ISO time (no zone: read as UTC, see `LOG_CLOCK_SLACK_HOURS`). */
export function isoMs(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d{2}:?\d{2}$/.test(iso) ? iso : `${iso}Z`);
  return Number.isFinite(ms) ? ms : undefined;
}

export function hours(ms: number): number {
  return Math.round((ms / 3_600_000) * 10) / 10;
}

// ---------------------------------------------------------------------------------------------
// Steps

export function makeStep(
  id: string,
  status: StepStatus,
  reason: string,
  args: Record<string, string | number | undefined>,
  evidence: Iterable<Evidence | undefined> = [],
  settleItem?: DiagnosisStep['settle'],
): DiagnosisStep {
  const s: DiagnosisStep = { id, status, reason, args: clean(args), evidence: bounded(evidence) };
  if (settleItem) s.settle = settleItem;
  return s;
}

/** Arguments without the undefined ones (the record type holds strings and numbers only). */
export function clean(args: Record<string, string | number | undefined>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(args)) if (v !== undefined && v !== '') out[k] = v;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Settle: what would settle a step, as the inventory's MISSING items say it (same ids and
// commands; `inventory.ts` computes them only for the playbooks the evidence calls for, so the
// same shapes are built here when the inventory has none).

export type SettleId =
  | 'console.computer-details'
  | 'console.av-definitions'
  | 'console.isolation'
  | 'ampcli.posture'
  | 'ampcli.status'
  | 'policy'
  | 'dns.resolve'
  | 'curl.verbose'
  | 'curl.proxy'
  | 'local.xml'
  | 'tls.cipher-suites'
  | 'connector-log'
  | 'debug-log'
  | 'packet-capture'
  | 'connector-version'
  | 'registry.immunet'
  | 'isolation-state';

const LOCAL_INSTALL = 'C:\\Program Files\\Cisco\\AMP';

function installDir(c: DiagnoseContext): string {
  return c.inventory.installDir ?? LOCAL_INSTALL;
}

/** The support tool per platform (BRIEF §2.1), as `inventory.ts` writes it. */
export function supportToolCommand(c: DiagnoseContext): string {
  if (c.windows) return inventorySupportTool(c.inventory, 'windows');
  return unixCommand(c.platform, inventorySupportTool(c.inventory, 'macos'), inventorySupportTool(c.inventory, 'linux'));
}

function ampcliStatusCommand(c: DiagnoseContext): string {
  return inventoryAmpcliStatus(c.platform);
}

/** local.xml per platform (BRIEF §2.3). */
function localXmlLastError(c: DiagnoseContext): string {
  if (c.windows) return `(Select-Xml -Path '${installDir(c)}\\local.xml' -XPath '//tetra/lasterror').Node.InnerText`;
  return unixCommand(
    c.platform,
    `grep -o '<lasterror>[^<]*</lasterror>' "/Library/Application Support/Cisco/AMP for Endpoints Connector/local.xml"`,
    `grep -o '<lasterror>[^<]*</lasterror>' /opt/cisco/amp/etc/local.xml`,
  );
}

/** curl through the proxy the bundle names: `curl.exe -v -x http://host:port https://<server>`. */
export function curlViaProxyCommand(c: DiagnoseContext, p: { host: string; port?: number } | undefined = c.proxy): string | undefined {
  return p ? `${c.windows ? 'curl.exe' : 'curl'} -v -x http://${proxyAddress(p)} ${c.url}` : undefined;
}

interface SettleSpec {
  /** The inventory's MISSING item that says the same, when it computed one. */
  missing?: string;
  where: 'console' | 'endpoint';
  how: (c: DiagnoseContext) => string;
}

/** Sources: BRIEF §4.1 steps 1–9, §4.2, §2.5–2.6 (the outputs engineers collect). */
const SETTLE: Readonly<Record<SettleId, SettleSpec>> = {
  'console.computer-details': { where: 'console', how: () => 'Management > Computers' },
  'console.av-definitions': { missing: 'missing.av-definition-summary', where: 'console', how: () => 'Management > AV Definition Summary' },
  'console.isolation': { where: 'console', how: () => 'Management > Computers; Account > Audit Log' },
  'ampcli.posture': { missing: 'missing.definition-version', where: 'endpoint', how: (c) => (c.windows ? connectorCommand('AmpCLI.exe', 'posture', c.inventory) : ampcliStatusCommand(c)) },
  'ampcli.status': { where: 'endpoint', how: (c) => (c.windows ? connectorCommand('AmpCLI.exe', 'posture', c.inventory) : ampcliStatusCommand(c)) },
  policy: { missing: 'missing.policy-xml', where: 'console', how: () => 'Management > Policies' },
  'dns.resolve': { missing: 'missing.dns-output', where: 'endpoint', how: (c) => (c.windows ? `Resolve-DnsName -Name ${c.host}` : `nslookup ${c.host}`) },
  'curl.verbose': { missing: 'missing.curl-output', where: 'endpoint', how: (c) => (c.windows ? `curl.exe -v ${c.url}` : `curl -v ${c.url}`) },
  'curl.proxy': { where: 'endpoint', how: (c) => curlViaProxyCommand(c) ?? (c.windows ? `curl.exe -v ${c.url}` : `curl -v ${c.url}`) },
  'local.xml': { missing: 'missing.local-xml', where: 'endpoint', how: localXmlLastError },
  // Get-TlsCipherSuite is Windows' (Schannel); elsewhere the handshake itself shows what is negotiated.
  'tls.cipher-suites': { missing: 'missing.cipher-suites', where: 'endpoint', how: (c) => (c.windows ? 'Get-TlsCipherSuite | ft name' : `openssl s_client -connect ${c.host}:443 -servername ${c.host} </dev/null`) },
  'connector-log': { missing: 'missing.connector-log', where: 'endpoint', how: supportToolCommand },
  'debug-log': { missing: 'missing.debug-log', where: 'endpoint', how: (c) => (c.windows ? `${connectorCommand('sfc.exe', '-l start', c.inventory)}\n${supportToolCommand(c)}` : supportToolCommand(c)) },
  'packet-capture': { missing: 'missing.packet-capture', where: 'endpoint', how: (c) => `http.host == "${c.host}:443" || tls.handshake.extensions_server_name == "${c.host}"` },
  'connector-version': {
    missing: 'missing.connector-version',
    where: 'endpoint',
    how: (c) => (c.windows ? `Get-ChildItem '${installDir(c)}' -Directory | Select-Object Name` : ampcliStatusCommand(c)),
  },
  'registry.immunet': { missing: 'missing.registry-export', where: 'endpoint', how: () => 'reg query "HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect"' },
  'isolation-state': { missing: 'missing.isolation-state', where: 'endpoint', how: () => 'ls -l "/Library/Application Support/Cisco/Secure Endpoint/endpoint_isolation.xml"' },
};

/** What would settle a step: the inventory's command for it when it has one, else the same shape. */
export function settle(c: DiagnoseContext, id: SettleId, args: Record<string, string | number | undefined> = {}): NonNullable<DiagnosisStep['settle']> {
  const spec = SETTLE[id];
  const item: MissingItem | undefined = spec.missing ? c.inventory.missing.find((m) => m.id === spec.missing) : undefined;
  const where = item?.args['where'] === 'console' || (!item && spec.where === 'console') ? 'console' : 'endpoint';
  return { id, how: item?.how ?? spec.how(c), args: clean({ where, server: c.host, ...args }) };
}

// ---------------------------------------------------------------------------------------------
// Actions

/** A command of the rule tables by its id (`ACTIONS_BY_KIND`, `BUNDLE_ACTIONS`, `XML_ACTIONS`). */
export function pick(list: readonly FindingAction[] | undefined, id: string): FindingAction {
  const a = list?.find((x) => x.id === id);
  if (!a) throw new Error(`diagnose: no action ${id} in the rule tables`);
  return a;
}

/** Windows-only commands (skipped on macOS and Linux). */
const WINDOWS_ONLY = /^(?:Get-|gpedit|Computer Configuration|reg |sfc\.exe|AmpCLI\.exe|ipsupporttool\.exe|\(Select-Xml|Remove-Item|services\.msc|msconfig)/;

/**
 * A command of the rule tables with the bundle's values: the update server (`<server>`, `<url>`,
 * `<name>`, or Cisco's default host written literally), the install folder (registry InstallDir),
 * `sfc.exe` / `AmpCLI.exe` / `ipsupporttool.exe` run from the newest version folder; on macOS and
 * Linux the shell's tools (curl, nslookup) and no Windows-only command (undefined).
 */
export function fill(c: DiagnoseContext, command: string, values: { name?: string } = {}): string | undefined {
  const name = values.name !== undefined && /^[a-z0-9_.-]{1,253}$/i.test(values.name) ? values.name : c.host;
  let out = command
    .split(`https://${DEFAULT_TETRA_SERVER}`)
    .join('<url>')
    .split(DEFAULT_TETRA_SERVER)
    .join('<server>')
    .split('<url>')
    .join(c.url)
    .split('<server>')
    .join(c.host)
    .split('<name>')
    .join(name)
    .split(`'${LOCAL_INSTALL}\\`)
    .join(`'${installDir(c)}\\`);
  if (!c.windows) {
    if (WINDOWS_ONLY.test(out)) return undefined;
    return out.replace(/^curl\.exe\b/, 'curl').replace(/^Resolve-DnsName -Name (\S+)$/, 'nslookup $1');
  }
  const tool = /^(sfc\.exe|AmpCLI\.exe|ipsupporttool\.exe) (.*)$/s.exec(out);
  if (tool) out = connectorCommand(tool[1]!, tool[2]!, c.inventory);
  return out;
}

/** An action from a rule table's command (dropped when it does not apply to the platform). */
export function commandAction(c: DiagnoseContext, id: string, command: string, args: Record<string, string | number | undefined> = {}, values: { name?: string } = {}): DiagnosisAction | undefined {
  const filled = fill(c, command, values);
  return filled === undefined ? undefined : { id, command: filled, args: clean(args) };
}

/** An action with no command (a console page, a setting, a wait). */
export function plainAction(id: string, args: Record<string, string | number | undefined> = {}): DiagnosisAction {
  return { id, args: clean(args) };
}

/** Actions in order, each id once, none undefined. */
export function uniqueActions(list: ReadonlyArray<DiagnosisAction | undefined>): DiagnosisAction[] {
  const out: DiagnosisAction[] = [];
  for (const a of list) if (a && !out.some((x) => x.id === a.id && x.command === a.command)) out.push(a);
  return out;
}

/** The newest connector version when it is a version folder name (commands run from it). */
export function versionFolder(c: DiagnoseContext): string | undefined {
  const v = c.inventory.newestConnectorVersion;
  return v && /^\d{1,3}(?:\.\d{1,6}){2,3}$/.test(v) ? v : undefined;
}

/** Where a connector version was read (console, posture, local.xml lines; a version folder's file). */
export function versionEvidence(c: DiagnoseContext, version: string | undefined): Evidence[] {
  if (!version) return [];
  const v = c.inventory.connectorVersions.find((x) => x.version === version);
  const out: Evidence[] = [];
  const folders: Evidence[] = [];
  for (const s of v?.sources ?? []) {
    if (s.via === 'version-folder') {
      // The file sits in the version folder: its path is the evidence, the whole file (no line, no text).
      folders.push(wholeFileEvidence(s.file));
      continue;
    }
    for (const o of c.outputs) {
      if (o.file !== s.file) continue;
      const at =
        o.id === 'console.computer-details' || o.id === 'ampcli.posture' || o.id === 'connector.local-xml'
          ? o.data.connectorVersion?.at
          : o.id === 'registry.immunet'
            ? o.data.values.find((x) => /^ProductVersion$/i.test(x.name) && x.at.line === s.line)?.at
            : undefined;
      if (at && at.line === s.line) out.push(markEvidence(o.file, at));
    }
  }
  return bounded([...out, ...folders]);
}
