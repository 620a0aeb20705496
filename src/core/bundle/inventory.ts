/**
 * What a bundle (or a case folder) holds, and what it lacks for the case at hand: the platform,
 * the connector versions and where each was seen, the logs with their time span and whether they
 * are in debug, the connector's XML files, the registry export, the command outputs recognised by
 * content (`evidence.ts`), and MISSING items with the command that collects each (BRIEF §4.1,
 * §4.2). Structured only: ids and arguments; the renderer words them.
 */
import { DEFAULT_TETRA_SERVER, versionFolderOf } from '../log/rules';
import { TETRA_SERIES_WINDOW } from './rules';
import { compareVersions } from '../log/stitch';
import type { Finding } from '../types';
import { POLICY_UNREADABLE_SINCE, versionAtLeast } from '../xml/rules';
import { hostOf } from '../xml/settings';
import type { OutputId, Platform, RecognisedOutput } from './evidence';
import type { PathAnalysis } from './inputs';

export type VersionVia = 'version-folder' | 'console' | 'posture' | 'local.xml' | 'registry';
export type PlatformVia = 'os-info' | 'console' | 'registry' | 'connector-log' | 'path';
export type TetraVersionVia = 'console' | 'posture' | 'ampcli' | 'local.xml';

export interface Place {
  /** Relative to the bundle root. */
  file: string;
  /** Zero-based line, when the fact sits on one. */
  line?: number;
}

export interface LogItem {
  file: string;
  /** The version folder the log sits in (`8.1.7.21417`). */
  version?: string;
  /** First and last entry as written (`Aug 04 07:30:23`) and with the year where it is known. */
  first?: string;
  last?: string;
  firstIso?: string;
  lastIso?: string;
  debug: boolean;
  entries: number;
  /** TETRA update attempts, failed ones, successful ones. */
  attempts: number;
  failures: number;
  updates: number;
}

/**
 * Something the case needs that the bundle does not hold. `how` is the text to copy: a command
 * (PowerShell on Windows, a shell on macOS/Linux) or, when `args.where` is `console`, the console
 * page to open. `args.expected` = 1 when the absence is normal (policy.xml from connector 8.1.3).
 */
export interface MissingItem {
  id: string;
  args: Record<string, string | number>;
  how: string;
}

export interface Inventory {
  /** The platform, from the strongest hint (OS output > console > registry, connector log, paths). */
  platform?: Platform;
  platformHints: Array<Place & { platform: Platform; via: PlatformVia }>;
  /** Connector versions, newest first; `8.1.7` (posture) and `8.1.7.21417` (folder) are one version. */
  connectorVersions: Array<{ version: string; sources: Array<Place & { via: VersionVia }> }>;
  newestConnectorVersion?: string;
  logs: LogItem[];
  localXml: string[];
  policyXml: { files: string[]; readable: boolean };
  /** Registry exports or queries of `…\Immunet Protect` (a `reg delete` alone is not an export). */
  registryExports: string[];
  /** The connector's install folder from the registry's `InstallDir` (BRIEF §2.5), when exported. */
  installDir?: string;
  outputs: Array<Place & { id: OutputId; line: number }>;
  /** The TETRA update server commands should test: the policy's, else the console's, else Cisco's NAM one. */
  tetraUpdateServer: Place & { host: string; via: 'policy' | 'console' | 'default' };
  /** The policy's TETRA update interval in seconds, when a policy was read. */
  tetraUpdateInterval?: number;
  /** TETRA definition versions the endpoint reported, with where. */
  tetraVersions: Array<Place & { version: number; via: TetraVersionVia; line: number }>;
  /** The newest version the console's AV Definition Summary lists. */
  availableTetraVersion?: Place & { version: number; time?: string; line: number };
  /** Which playbooks the evidence calls for (BRIEF §4.1 TETRA, §4.2 isolation). */
  cases: { tetra: boolean; isolation: boolean };
  missing: MissingItem[];
}

// ---------------------------------------------------------------------------------------------

/**
 * Every finding of an analysis once, as a report shows them: the logs' findings merged per
 * timeline (`logSets`, which replace the per-file ones), the XML findings, and the rest of
 * `analysis.findings` (`policy.unreadable`).
 */
export function analysisFindings(analysis: PathAnalysis): Finding[] {
  const perFile = new Set<Finding>();
  for (const f of analysis.files) f.analysis?.findings.forEach((x) => perFile.add(x));
  const seen = new Set<Finding>();
  const out: Finding[] = [];
  const add = (f: Finding) => {
    if (!seen.has(f)) {
      seen.add(f);
      out.push(f);
    }
  };
  for (const s of analysis.logSets) s.findings.forEach(add);
  for (const f of analysis.files) f.xml?.findings.forEach(add);
  for (const f of analysis.findings) if (!perFile.has(f)) add(f);
  return out;
}

/** Findings that say definitions are not updating (log status, local.xml lasterror, missing definitions). */
const TETRA_CASE_IDS = /^(?:tetra\.(?:update-failed|proxy-connect|proxy-auth|proxy-download|unknown-error|definitions-missing|updater-disabled)|tls\.revocation-offline)$/;

export function isTetraCase(analysis: PathAnalysis, outputs: readonly RecognisedOutput[]): boolean {
  if (analysisFindings(analysis).some((f) => TETRA_CASE_IDS.test(f.id) || (f.kind !== undefined && TETRA_CASE_IDS.test(f.kind)))) return true;
  for (const o of outputs) {
    if (o.id === 'console.computer-details' && (o.data.updateFailed || o.data.definitionsStatus?.value === 'update-failed')) return true;
    // These are collected for a TETRA case (BRIEF §4.1 steps 2, 5, 6, 8).
    if (o.id === 'console.av-definitions' || o.id === 'dns.resolve' || o.id === 'curl.verbose' || o.id === 'tls.cipher-suites' || o.id === 'wireshark.tls') return true;
  }
  return false;
}

export function isIsolationCase(analysis: PathAnalysis, outputs: readonly RecognisedOutput[]): boolean {
  if (analysisFindings(analysis).some((f) => f.id.startsWith('isolation.'))) return true;
  return outputs.some(
    (o) =>
      o.id === 'console.isolation' ||
      (o.id === 'registry.immunet' && (o.data.unlockCode !== undefined || o.data.unlockDelete !== undefined)) ||
      (o.id === 'ampcli.status' && o.data.records.some((r) => r.isolation?.value === 'isolated')) ||
      (o.id === 'ampcli.posture' && o.data.isolated?.value === true),
  );
}

function platformOfText(s: string): Platform | undefined {
  if (/windows/i.test(s)) return 'windows';
  if (/mac ?os|os x|darwin/i.test(s)) return 'macos';
  if (/linux|ubuntu|centos|red ?hat|rhel|suse|debian|oracle|amazon|rocky|alma|fedora/i.test(s)) return 'linux';
  return undefined;
}

const PLATFORM_STRENGTH: Readonly<Record<PlatformVia, number>> = { 'os-info': 0, console: 1, registry: 2, 'connector-log': 3, path: 4 };

/** A Windows install folder safe to put in a command (no quotes, no shell metacharacters). */
function safeWindowsDir(dir: string): string | undefined {
  const d = dir.trim().replace(/\\+$/, '');
  return /^[A-Za-z]:\\[^"'`$;&|<>\r\n%]{0,200}$/.test(d) ? d : undefined;
}

/** The TETRA server host only when it is a plain host name (it goes into commands). */
function safeHost(text: string | undefined): string | undefined {
  const h = text === undefined ? undefined : hostOf(text);
  return h && /^[a-z0-9](?:[a-z0-9.-]{0,251}[a-z0-9])?$/.test(h) && h.includes('.') ? h : undefined;
}

/**
 * A connector version that cannot be Windows': Windows connectors are 5.x and later, the Mac and
 * Linux connectors 1.x (BRIEF §4.2: Mac 1.21.0+; `bundle/rules.ts` reads versions the same way).
 */
export function nonWindowsVersion(version: string | undefined): boolean {
  const major = Number(version?.split('.')[0]);
  return version !== undefined && Number.isFinite(major) && major < 5;
}

/** Windows commands apply: the platform is Windows, or unknown and no 1.x connector says otherwise. */
export function windowsLike(inv: Pick<Inventory, 'platform' | 'newestConnectorVersion'>): boolean {
  return inv.platform === 'windows' || (inv.platform === undefined && !nonWindowsVersion(inv.newestConnectorVersion));
}

/** The macOS or the Linux form of a command (BRIEF §2.1, §2.6); both, labelled, when the bundle does not say which. */
export function unixCommand(platform: Platform | undefined, mac: string, linux: string): string {
  if (platform === 'macos') return mac;
  if (platform === 'linux') return linux;
  return `# macOS\n${mac}\n# Linux\n${linux}`;
}

/** `ampcli status` per platform: `/opt/cisco/amp/ampcli` on macOS, `/opt/cisco/amp/bin/ampcli` on Linux (BRIEF §2.6). */
export function ampcliStatusCommand(platform: Platform | undefined): string {
  return unixCommand(platform, '/opt/cisco/amp/ampcli status', '/opt/cisco/amp/bin/ampcli status');
}

/** `& 'C:\Program Files\Cisco\AMP\8.1.7.21417\sfc.exe' -l start`, or the bare command when the folder is unknown. */
export function connectorCommand(tool: string, rest: string, inventory: Pick<Inventory, 'installDir' | 'newestConnectorVersion'>): string {
  const base = inventory.installDir ?? 'C:\\Program Files\\Cisco\\AMP';
  const v = inventory.newestConnectorVersion;
  return v && /^\d{1,3}(?:\.\d{1,6}){2,3}$/.test(v) ? `& '${base}\\${v}\\${tool}' ${rest}` : `${tool} ${rest}`;
}

// ---------------------------------------------------------------------------------------------

export function buildInventory(analysis: PathAnalysis, outputs: readonly RecognisedOutput[]): Inventory {
  const inv: Inventory = {
    platformHints: [],
    connectorVersions: [],
    logs: [],
    localXml: [],
    policyXml: { files: [], readable: false },
    registryExports: [],
    outputs: outputs.map((o) => ({ id: o.id, file: o.file, line: o.range.start.line })),
    tetraUpdateServer: { host: DEFAULT_TETRA_SERVER, via: 'default', file: '' },
    tetraVersions: [],
    cases: { tetra: isTetraCase(analysis, outputs), isolation: isIsolationCase(analysis, outputs) },
    missing: [],
  };

  // Decided after the loop over the outputs: unnamed ampcli definition versions (TETRA only on Windows), the AV Definition Summary's columns.
  const unnamedAmpcli: Inventory['tetraVersions'] = [];
  const available: Array<{ version: number; time: string | undefined; file: string; line: number; label: string }> = [];
  let bits: number | undefined;

  // Files: logs, XML, paths.
  const addVersion = (version: string, source: Place & { via: VersionVia }) => {
    const v = version.trim();
    if (!/^\d{1,3}(?:\.\d{1,6}){1,3}$/.test(v)) return;
    // `8.1.7` and `8.1.7.21417` are one version: keep the longer spelling.
    const same = inv.connectorVersions.find((x) => x.version === v || x.version.startsWith(`${v}.`) || v.startsWith(`${x.version}.`));
    if (same) {
      if (v.length > same.version.length) same.version = v;
      if (same.sources.length < 20 && !same.sources.some((s) => s.file === source.file && s.via === source.via)) same.sources.push(source);
    } else inv.connectorVersions.push({ version: v, sources: [source] });
  };
  const hint = (platform: Platform, via: PlatformVia, place: Place) => {
    if (inv.platformHints.length < 50 && !inv.platformHints.some((h) => h.platform === platform && h.via === via)) inv.platformHints.push({ platform, via, ...place });
  };
  for (const f of analysis.files) {
    const base = (f.file.split(/[\\/]/).pop() ?? '').toLowerCase();
    const folder = versionFolderOf(f.file);
    if (f.analysis) {
      const a = f.analysis;
      const item: LogItem = {
        file: f.file,
        debug: a.debug,
        entries: a.entries,
        attempts: a.attemptCount,
        failures: a.failures.reduce((n, g) => n + g.count, 0),
        updates: a.successCount,
      };
      if (folder) item.version = folder;
      if (a.firstTimestamp) item.first = a.firstTimestamp;
      if (a.lastTimestamp) item.last = a.lastTimestamp;
      if (a.firstIso) item.firstIso = a.firstIso;
      if (a.lastIso) item.lastIso = a.lastIso;
      inv.logs.push(item);
      hint('windows', 'connector-log', { file: f.file });
    }
    if (folder && /(?:^|\/)(?:cisco\/)?amp\/|sfc\.exe|local\.xml|policy\.xml/i.test(f.file)) addVersion(folder, { file: f.file, via: 'version-folder' });
    if (f.xml?.role === 'local.xml') inv.localXml.push(f.file);
    if (base === 'policy.xml' || f.xml?.role === 'policy.xml') {
      inv.policyXml.files.push(f.file);
      if (f.xml?.role === 'policy.xml' && !f.xml.findings.some((x) => x.id === 'xml.not-xml')) inv.policyXml.readable = true;
    }
    if (/program files[\\/]cisco[\\/]amp/i.test(f.file) || base === 'sfc.exe' || base === 'ipsupporttool.exe') hint('windows', 'path', { file: f.file });
    if (/library[\\/]application support[\\/]cisco/i.test(f.file) || base === 'com.cisco.amp.daemon.plist' || base === 'endpoint_isolation.xml') hint('macos', 'path', { file: f.file });
    if (/(?:^|[\\/])opt[\\/]cisco[\\/]amp[\\/]bin/i.test(f.file) || base === 'ampsupport') hint('linux', 'path', { file: f.file });
    // macOS keeps ampcli and ampdaemon directly in /opt/cisco/amp, Linux under bin/ (BRIEF §2.6).
    if (/(?:^|[\\/])opt[\\/]cisco[\\/]amp[\\/](?:ampcli|ampdaemon)$/i.test(f.file)) hint('macos', 'path', { file: f.file });
  }

  // Outputs.
  for (const o of outputs) {
    switch (o.id) {
      case 'os.info':
        hint(o.data.platform, 'os-info', { file: o.file, line: o.range.start.line });
        break;
      case 'console.computer-details': {
        const d = o.data;
        if (d.connectorVersion) addVersion(d.connectorVersion.value, { file: o.file, line: d.connectorVersion.at.line, via: 'console' });
        const p = d.operatingSystem ? platformOfText(d.operatingSystem.value) : undefined;
        if (p) hint(p, 'console', { file: o.file, line: d.operatingSystem!.at.line });
        if (d.definitionVersion && d.definitionVersion.value.engine === 'TETRA') {
          inv.tetraVersions.push({ version: d.definitionVersion.value.version, via: 'console', file: o.file, line: d.definitionVersion.at.line });
          bits ??= d.definitionVersion.value.bits;
        }
        const host = safeHost(d.updateServer?.value);
        if (host && inv.tetraUpdateServer.via === 'default') inv.tetraUpdateServer = { host, via: 'console', file: o.file, line: d.updateServer!.at.line };
        break;
      }
      case 'ampcli.posture':
        if (o.data.connectorVersion) addVersion(o.data.connectorVersion.value, { file: o.file, line: o.data.connectorVersion.at.line, via: 'posture' });
        if (o.data.tetraVersion) inv.tetraVersions.push({ version: o.data.tetraVersion.value, via: 'posture', file: o.file, line: o.data.tetraVersion.at.line });
        break;
      case 'ampcli.status':
        for (const r of o.data.records) {
          if (!r.definitionVersion) continue;
          // `Definition Version: ClamAV 27000` is another engine's (macOS, Linux): only TETRA's count, and an unnamed one only on Windows (decided below).
          const named = r.fields.find((x) => x.key === 'Definition Version')?.value ?? '';
          const engine = /\bTETRA\b/i.test(named) ? 'tetra' : /\b(?:ClamAV|Clam|SPERO|ETHOS|Orbital)\b/i.test(named) ? 'other' : 'unnamed';
          if (engine === 'other') continue;
          const item = { version: r.definitionVersion.value, via: 'ampcli' as const, file: o.file, line: r.definitionVersion.at.line };
          if (engine === 'tetra') inv.tetraVersions.push(item);
          else unnamedAmpcli.push(item);
        }
        break;
      case 'connector.local-xml':
        if (!inv.localXml.includes(o.file)) inv.localXml.push(o.file);
        if (o.data.connectorVersion) addVersion(o.data.connectorVersion.value, { file: o.file, line: o.data.connectorVersion.at.line, via: 'local.xml' });
        if (o.data.tetraVersion) inv.tetraVersions.push({ version: o.data.tetraVersion.value, via: 'local.xml', file: o.file, line: o.data.tetraVersion.at.line });
        break;
      case 'connector.policy-xml': {
        if (!inv.policyXml.files.includes(o.file)) inv.policyXml.files.push(o.file);
        inv.policyXml.readable = true;
        const host = safeHost(o.data.tetraUpdateServer?.value);
        if (host) inv.tetraUpdateServer = { host, via: 'policy', file: o.file, line: o.data.tetraUpdateServer!.at.line };
        if (o.data.tetraUpdateInterval) inv.tetraUpdateInterval = o.data.tetraUpdateInterval.value;
        break;
      }
      case 'registry.immunet':
        hint('windows', 'registry', { file: o.file, line: o.range.start.line });
        // `ProductVersion` of Immunet Protect is the installed connector's version.
        for (const v of o.data.values) if (/^ProductVersion$/i.test(v.name)) addVersion(v.value.replace(/^"|"$/g, ''), { file: o.file, line: v.at.line, via: 'registry' });
        if (o.data.form !== 'reg-delete' && !inv.registryExports.includes(o.file)) inv.registryExports.push(o.file);
        if (o.data.installDir && !inv.installDir) {
          const dir = safeWindowsDir(o.data.installDir.value);
          if (dir) inv.installDir = dir;
        }
        break;
      case 'console.av-definitions':
        // Chosen below, once the endpoint's own version and build (64/32-bit) are known.
        for (const r of o.data.rows) available.push({ version: r.version, time: r.time?.text, file: o.file, line: r.at.line, label: '' });
        for (const l of o.data.latest) available.push({ version: l.version, time: l.time?.text, file: o.file, line: l.at.line, label: l.label });
        break;
      default:
        break;
    }
  }
  // A custom server named by policy.xml's rules (when the policy was read by inputs but not recognised here).
  if (inv.tetraUpdateServer.via !== 'policy') {
    for (const f of analysis.files) {
      const custom = f.xml?.findings.find((x) => x.id === 'tetra.update-server-custom');
      const host = safeHost(typeof custom?.args['server'] === 'string' ? custom.args['server'] : undefined);
      if (custom && host) inv.tetraUpdateServer = { host, via: 'policy', file: f.file, line: custom.range.start.line };
    }
  }

  inv.connectorVersions.sort((a, b) => compareVersions(b.version, a.version));
  if (inv.connectorVersions[0]) inv.newestConnectorVersion = inv.connectorVersions[0].version;
  inv.platformHints.sort((a, b) => PLATFORM_STRENGTH[a.via] - PLATFORM_STRENGTH[b.via]);
  if (inv.platformHints[0]) inv.platform = inv.platformHints[0].platform;
  // TETRA is the Windows engine: an ampcli definition version that names no engine is TETRA's only there.
  if (windowsLike(inv)) inv.tetraVersions.push(...unnamedAmpcli);
  const newest = newestAvailable(available, inv.tetraVersions, bits);
  if (newest) {
    inv.availableTetraVersion = { version: newest.version, file: newest.file, line: newest.line };
    if (newest.time) inv.availableTetraVersion.time = newest.time;
  }
  inv.missing = missingItems(analysis, outputs, inv);
  return inv;
}

/**
 * The newest version the AV Definition Summary lists for the endpoint's build: the 64-bit and
 * 32-bit TETRA builds are separate series (90606 vs 120765, seeds 000/002), so a column labelled
 * for the other build is skipped (32-bit unless the console says the endpoint runs `TETRA 32 bit`),
 * and when the endpoint's own version is known, the versions of its series (within
 * `TETRA_SERIES_WINDOW`) come first: an unlabelled head cell of the other build never wins.
 */
function newestAvailable<T extends { version: number; label: string }>(all: readonly T[], own: Inventory['tetraVersions'], bits: number | undefined): T | undefined {
  const other = bits === 32 ? /64/ : /32/;
  const candidates = all.filter((a) => !other.test(a.label));
  const current = own.reduce<number | undefined>((m, v) => (m === undefined || v.version > m ? v.version : m), undefined);
  const series = current === undefined ? [] : candidates.filter((a) => Math.abs(a.version - current) <= TETRA_SERIES_WINDOW);
  const pool = series.length > 0 ? series : candidates;
  return [...pool].sort((a, b) => b.version - a.version)[0];
}

// ---------------------------------------------------------------------------------------------
// Missing items (BRIEF §4.1 steps 2, 5, 6, 8, 9; §4.2)

/** The support tool per platform (BRIEF §2.1); `platform` when another reading of it is known. */
export function supportToolCommand(inv: Inventory, platform: Platform | undefined = inv.platform): string {
  const mac = `sudo "/Library/Application Support/Cisco/AMP for Endpoints Connector/SupportTool" -o ~/Desktop`;
  const linux = 'sudo /opt/cisco/amp/bin/ampsupport -o ~/';
  if (platform === 'macos') return mac;
  if (platform === 'linux') return linux;
  // A 1.x connector is a Mac or Linux one (no Windows support tool).
  if (!windowsLike({ platform, newestConnectorVersion: inv.newestConnectorVersion })) return unixCommand(undefined, mac, linux);
  return connectorCommand('ipsupporttool.exe', `-o "$env:USERPROFILE\\Desktop"`, inv);
}

function missingItems(analysis: PathAnalysis, outputs: readonly RecognisedOutput[], inv: Inventory): MissingItem[] {
  const out: MissingItem[] = [];
  const has = (id: OutputId) => outputs.some((o) => o.id === id);
  const windows = windowsLike(inv);
  const unix = !windows;
  const host = inv.tetraUpdateServer.host;
  const server = { server: host, serverVia: inv.tetraUpdateServer.via };
  const findings = analysisFindings(analysis);
  const bundleLike = inv.logs.length > 0 || inv.localXml.length > 0 || inv.policyXml.files.length > 0 || inv.connectorVersions.length > 0;
  const interval: Record<string, number> = inv.tetraUpdateInterval !== undefined ? { interval: inv.tetraUpdateInterval } : {};

  if (windows && inv.logs.length === 0 && (inv.cases.tetra || inv.cases.isolation || bundleLike)) {
    out.push({ id: 'missing.connector-log', args: {}, how: supportToolCommand(inv) });
  }
  if (windows && inv.logs.length > 0 && !inv.logs.some((l) => l.debug)) {
    // Debug for one full update interval, then a new bundle (BRIEF §2.2, §4.1 step 9).
    out.push({ id: 'missing.debug-log', args: { logs: inv.logs.length, ...interval }, how: `${connectorCommand('sfc.exe', '-l start', inv)}\n${supportToolCommand(inv)}` });
  }
  if (bundleLike && !inv.policyXml.readable) {
    const v = inv.newestConnectorVersion;
    const expected = v !== undefined && versionAtLeast(v, POLICY_UNREADABLE_SINCE);
    const args: MissingItem['args'] = { expected: expected ? 1 : 0, since: POLICY_UNREADABLE_SINCE, where: expected ? 'console' : 'endpoint' };
    if (v) args['connectorVersion'] = v;
    if (inv.policyXml.files[0]) args['file'] = inv.policyXml.files[0];
    const how = expected
      ? 'Management > Policies'
      : unix
        ? unixCommand(inv.platform, `cp "/Library/Application Support/Cisco/AMP for Endpoints Connector/policy.xml" ~/Desktop/`, 'cp /opt/cisco/amp/etc/policy.xml ~/')
        : `Copy-Item '${inv.installDir ?? 'C:\\Program Files\\Cisco\\AMP'}\\policy.xml' "$env:USERPROFILE\\Desktop"`;
    out.push({ id: 'missing.policy-xml', args, how });
  }
  if (inv.cases.tetra) {
    if (windows && inv.localXml.length === 0) {
      out.push({ id: 'missing.local-xml', args: {}, how: `(Select-Xml -Path '${inv.installDir ?? 'C:\\Program Files\\Cisco\\AMP'}\\local.xml' -XPath '//tetra/lasterror').Node.InnerText` });
    }
    if (!has('dns.resolve')) out.push({ id: 'missing.dns-output', args: server, how: unix ? `nslookup ${host}` : `Resolve-DnsName -Name ${host}` });
    if (!has('curl.verbose')) out.push({ id: 'missing.curl-output', args: server, how: unix ? `curl -v https://${host}` : `curl.exe -v https://${host}` });
    // Cipher suites and a capture for -3000 / "network timeout" / a handshake failure, or when no status says otherwise (BRIEF §4.1 step 8).
    const kinds = findings.map((f) => f.kind ?? f.id);
    const unknownError = kinds.includes('tetra.unknown-error') || outputs.some((o) => o.id === 'console.computer-details' && o.data.updateFailed?.value === 'network-timeout');
    const handshake = outputs.some((o) => (o.id === 'wireshark.tls' && o.data.alerts.some((a) => a.level === 'Fatal')) || (o.id === 'windows.schannel-events' && o.data.events.some((e) => e.alert !== undefined)));
    // A cause already shown (proxy status, revocation, DNS) makes the suites a later question.
    const classified =
      kinds.some((k) => /^tetra\.proxy-/.test(k)) ||
      findings.some((f) => f.id === 'tls.revocation-offline') ||
      outputs.some((o) => (o.id === 'curl.verbose' && (o.data.revocation || o.data.resolveFailed !== undefined)) || (o.id === 'dns.resolve' && o.data.error !== undefined));
    if (windows && !has('tls.cipher-suites') && (unknownError || handshake || !classified)) {
      out.push({ id: 'missing.cipher-suites', args: { reason: unknownError ? 'unknown-error' : handshake ? 'handshake-failure' : 'unclassified' }, how: 'Get-TlsCipherSuite | ft name' });
    }
    if (!has('wireshark.tls') && (unknownError || handshake)) {
      out.push({ id: 'missing.packet-capture', args: { ...server, ...interval }, how: `http.host == "${host}:443" || tls.handshake.extensions_server_name == "${host}"` });
    }
    if (inv.tetraVersions.length === 0) {
      out.push({ id: 'missing.definition-version', args: {}, how: unix ? ampcliStatusCommand(inv.platform) : connectorCommand('AmpCLI.exe', 'posture', inv) });
    }
    if (inv.availableTetraVersion === undefined && inv.tetraVersions.length > 0) {
      out.push({ id: 'missing.av-definition-summary', args: { where: 'console' }, how: 'Management > AV Definition Summary' });
    }
  }
  if (inv.cases.isolation) {
    if (windows && inv.registryExports.length === 0) out.push({ id: 'missing.registry-export', args: {}, how: 'reg query "HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect"' });
    if (inv.platform === 'macos') out.push({ id: 'missing.isolation-state', args: {}, how: 'ls -l "/Library/Application Support/Cisco/Secure Endpoint/endpoint_isolation.xml"' });
  }
  if ((inv.cases.tetra || inv.cases.isolation) && inv.connectorVersions.length === 0) {
    out.push({ id: 'missing.connector-version', args: {}, how: unix ? ampcliStatusCommand(inv.platform) : `Get-ChildItem '${inv.installDir ?? 'C:\\Program Files\\Cisco\\AMP'}' -Directory | Select-Object Name` });
  }
  return out;
}
