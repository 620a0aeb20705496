/**
 * Rules over `local.xml` and `policy.xml`. Each finding has a stable id (the diagnostic's
 * `code`), a severity, the element it stands on, structured arguments and commands to copy;
 * never sentences. What the rules know lives in the tables below and in `settings.ts`.
 *
 * The findings here come from the models only: the reading problems (`doc.problems`, ids
 * `xml.*`) stay in the document for the caller to show, so they are never reported twice.
 */
import { lookup } from '../codes/catalogue';
import { ACTIONS_BY_KIND, DEFAULT_TETRA_SERVER, versionFolderOf } from '../log/rules';
import type { Evidence, Finding, FindingAction, Range, Severity } from '../types';
import { CONNECTOR_VERSION_SHAPE, readLocalXml } from './local';
import { parseBoolean, policyConfig, readPolicyXml, XMLDSIG_NS } from './policy';
import { findElement, readXml } from './read';
import { DEBUG_LOG_LEVEL, hostOf, isCiscoHost } from './settings';
import type { LocalXmlModel, PolicyXmlModel, XmlDocument, XmlElement, XmlRuleContext } from './types';

/** The PowerShell check of the last TETRA error, as seeds 000/002 give it. */
const READ_LASTERROR: FindingAction = ACTIONS_BY_KIND['tetra.proxy-connect']!.find((a) => a.id === 'read-lasterror')!;

/**
 * Commands to copy per XML finding id (PowerShell; `sfc.exe` runs from the version folder when
 * it is known). `<server>` stands for the host of the policy's TETRA update server (or the
 * context's, else the public NAM one), `<url>` for it as an https URL with its port and path as
 * the policy writes them; the log rules' `ACTIONS_BY_KIND` covers the TETRA status kinds.
 */
export const XML_ACTIONS: Readonly<Record<string, readonly FindingAction[]>> = {
  'tetra.update-server-custom': [
    { id: 'resolve-update-server', command: 'Resolve-DnsName -Name <server>' },
    { id: 'curl-update-server', command: 'curl.exe -v <url>' },
  ],
  // Connectors 7.2.7+ accept -forceupdate (BRIEF §4.1 step 3): one update without the client's button.
  'tetra.updater-disabled': [{ id: 'force-update', command: 'sfc.exe -forceupdate' }],
  'policy.user-update-disabled': [{ id: 'force-update', command: 'sfc.exe -forceupdate' }],
  'policy.crl-check': [{ id: 'curl-update-server', command: 'curl.exe -v <url>' }],
  'policy.tls-verify-disabled': [{ id: 'curl-update-server', command: 'curl.exe -v <url>' }],
  'log.debug-disabled': ACTIONS_BY_KIND['log.debug-disabled'] ?? [{ id: 'debug-start', command: 'sfc.exe -l start' }],
};

/** From this connector version on, policy.xml is absent or unreadable in a bundle (BRIEF §2.1). */
export const POLICY_UNREADABLE_SINCE = '8.1.3';

/** Severity per XML finding id (the TETRA status kinds are errors). */
export const XML_SEVERITY: Readonly<Record<string, Severity>> = {
  'tetra.update-failed': 'error',
  'tetra.install-skipped': 'information',
  'tetra.disabled': 'information',
  'tetra.updater-disabled': 'warning',
  'tetra.update-server-custom': 'information',
  'policy.crl-check': 'information',
  'log.debug-disabled': 'information',
  'exclusions.wildcard-leading': 'warning',
  'policy.user-update-disabled': 'information',
  'policy.tls-verify-disabled': 'warning',
  'policy.unreadable': 'information',
};

const MAX_EVIDENCE = 240;

/** Where a finding on an element is shown: its value, else its name. */
function rangeOf(el: XmlElement): Range {
  return el.textRange ?? el.nameRange;
}

/** The element as short XML (`<lasterror>4294965193</lasterror>`), bounded. */
function evidenceText(el: XmlElement): string {
  // Never a URL's `user:password@` (a proxy or update server written with credentials).
  const value = el.children.length > 0 ? '…' : el.text.trim().replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1');
  const s = `<${el.name}>${value}</${el.name}>`;
  return s.length > MAX_EVIDENCE ? `${s.slice(0, MAX_EVIDENCE - 1)}…` : s;
}

function onElement(id: string, el: XmlElement, file: string, args: Finding['args'], severity: Severity = XML_SEVERITY[id] ?? 'information'): Finding {
  const range = rangeOf(el);
  const evidence: Evidence[] = [{ file, range, text: evidenceText(el) }];
  return { id, severity, args, range, evidence };
}

/** The version folder for `sfc.exe` commands: the context's version, else one in the file's path. */
function versionFolder(context: XmlRuleContext, local?: LocalXmlModel): string | undefined {
  const v = context.connectorVersion ?? local?.connectorVersion?.value;
  if (v && CONNECTOR_VERSION_SHAPE.test(v)) return v;
  return versionFolderOf(context.file);
}

/** The update server for commands: its host, and an https URL (port and path kept when they are plain). */
interface Server {
  host: string;
  url: string;
}

function serverOf(text: string | undefined): Server | undefined {
  const host = serverHost(text);
  if (!host || text === undefined) return undefined;
  const rest = text.trim().replace(/^https?:\/\//i, '');
  const url = /^[A-Za-z0-9.:/_~%-]{1,512}$/.test(rest) && rest.toLowerCase().startsWith(host) ? `https://${rest}` : `https://${host}`;
  return { host, url };
}

const DEFAULT_SERVER: Server = { host: DEFAULT_TETRA_SERVER, url: `https://${DEFAULT_TETRA_SERVER}` };

function actions(list: readonly FindingAction[] | undefined, server: Server, version: string | undefined): FindingAction[] | undefined {
  if (!list || list.length === 0) return undefined;
  return list.map((a) => {
    let command = a.command
      .split(`https://${DEFAULT_TETRA_SERVER}`)
      .join('<url>')
      .split(DEFAULT_TETRA_SERVER)
      .join('<server>')
      .split('<url>')
      .join(server.url)
      .split('<server>')
      .join(server.host);
    if (command.startsWith('sfc.exe') && version) command = `& 'C:\\Program Files\\Cisco\\AMP\\${version}\\sfc.exe'${command.slice('sfc.exe'.length)}`;
    return { id: a.id, command };
  });
}

function withActions(f: Finding, list: readonly FindingAction[] | undefined, server: Server, version: string | undefined): Finding {
  const a = actions(list, server, version);
  if (a) f.actions = a;
  return f;
}

/** A server value's host, safe to put in a command (else the default). */
function serverHost(text: string | undefined): string | undefined {
  const h = text === undefined ? undefined : hostOf(text);
  return h && /^[a-z0-9.-]+$/.test(h) ? h : undefined;
}

function localFindings(model: LocalXmlModel, context: XmlRuleContext): Finding[] {
  const out: Finding[] = [];
  const server = serverOf(context.tetraUpdateServer) ?? DEFAULT_SERVER;
  const version = versionFolder(context, model);
  const le = model.tetraLastError;
  if (le && le.value !== 0) {
    const signed = le.value | 0;
    const kind = lookup('se.tetra', le.value >>> 0)?.kind;
    const id = kind ?? 'tetra.update-failed';
    const f = onElement(id, le.element, context.file, { status: signed, value: le.value }, 'error');
    if (kind) f.kind = kind;
    const list = [READ_LASTERROR, ...(ACTIONS_BY_KIND[id] ?? []).filter((a) => a.id !== READ_LASTERROR.id)];
    out.push(withActions(f, list, server, version));
  }
  // Installed without TETRA (switch skiptetra set): no definitions whatever the policy says.
  const skip = model.installSwitches.find((s) => s.name.toLowerCase() === 'skiptetra' && parseBoolean(s.value) === true);
  if (skip) out.push(onElement('tetra.install-skipped', skip.element, context.file, { switch: skip.name, value: skip.value }));
  return out;
}

function policyFindings(model: PolicyXmlModel, context: XmlRuleContext): Finding[] {
  const out: Finding[] = [];
  const file = context.file;
  const policyServer = serverOf(model.tetraUpdateServer?.value);
  const customHost = policyServer?.host;
  const server = policyServer ?? serverOf(context.tetraUpdateServer) ?? DEFAULT_SERVER;
  const version = versionFolder(context);

  // TETRA off: definition updates do not matter, so the updater is not reported on top of it.
  if (model.tetraEnabled?.value === false) {
    out.push(onElement('tetra.disabled', model.tetraEnabled.element, file, {}));
  } else if (model.tetraUpdaterEnabled?.value === false) {
    out.push(withActions(onElement('tetra.updater-disabled', model.tetraUpdaterEnabled.element, file, {}), XML_ACTIONS['tetra.updater-disabled'], server, version));
  }

  if (model.tetraUpdateServer && customHost && !isCiscoHost(customHost)) {
    out.push(withActions(onElement('tetra.update-server-custom', model.tetraUpdateServer.element, file, { server: customHost }), XML_ACTIONS['tetra.update-server-custom'], server, version));
  }

  // CRL checking on: the endpoint must reach the CRL/OCSP hosts (0x80092013 otherwise).
  if (model.tls.crlCheck?.value === true) {
    const seen = context.revocationFailuresSeen === true;
    const f = onElement('policy.crl-check', model.tls.crlCheck.element, file, seen ? { revocationFailuresSeen: 1 } : {}, seen ? 'warning' : 'information');
    out.push(withActions(f, XML_ACTIONS['policy.crl-check'], server, version));
  }

  // Certificate checks off: what one does to get through a TLS-inspecting proxy (BRIEF §3.4:
  // Cisco says its traffic must not be decrypted). It hides the untrusted-root failure and
  // removes server authentication, so it is worth a warning.
  const verifyOff = [model.tls.verifyHost, model.tls.verifyPeer].filter((v) => v?.value === false);
  if (verifyOff.length > 0) {
    const args = { verifyhost: model.tls.verifyHost ? Number(model.tls.verifyHost.value) : -1, verifypeer: model.tls.verifyPeer ? Number(model.tls.verifyPeer.value) : -1 };
    out.push(withActions(onElement('policy.tls-verify-disabled', verifyOff[0]!.element, file, args), XML_ACTIONS['policy.tls-verify-disabled'], server, version));
  }

  const level = model.agentLogLevel;
  if (level && level.value !== DEBUG_LOG_LEVEL) {
    out.push(withActions(onElement('log.debug-disabled', level.element, file, { level: level.value }), XML_ACTIONS['log.debug-disabled'], server, version));
  }

  if (model.userTetraUpdateAllowed?.value === false) {
    out.push(withActions(onElement('policy.user-update-disabled', model.userTetraUpdateAllowed.element, file, { element: model.userTetraUpdateAllowed.element.local }), XML_ACTIONS['policy.user-update-disabled'], server, version));
  }

  for (const x of model.exclusions) {
    if (x.wildcardLeading) out.push(onElement('exclusions.wildcard-leading', x.element, file, { value: x.value, kind: x.kind }));
  }
  return out;
}

/** Every finding of one `local.xml` or `policy.xml` model, in document order. */
export function xmlFindings(doc: XmlDocument, model: LocalXmlModel | PolicyXmlModel, context: XmlRuleContext): Finding[] {
  void doc; // the model holds the elements; the document's problems are reported by the caller
  const out = model.kind === 'local.xml' ? localFindings(model, context) : policyFindings(model, context);
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.range.start.character - b.range.start.character);
}

/** `8.1.7.21417`, `8.2` → [8, 1, 7, 21417], [8, 2]; undefined for another shape. */
function versionParts(v: string): number[] | undefined {
  const t = v.trim();
  return /^\d{1,3}(?:\.\d{1,6}){1,3}$/.test(t) ? t.split('.').map(Number) : undefined;
}

/** a ≥ b for dotted versions (missing parts count as 0). */
export function versionAtLeast(a: string, b: string): boolean {
  const x = versionParts(a);
  const y = versionParts(b);
  if (!x || !y) return false;
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d > 0;
  }
  return true;
}

/**
 * `policy.unreadable`: the bundle has no readable policy.xml and the connector is 8.1.3 or later,
 * where that is expected (BRIEF §2.1): information saying to read the policy in the console.
 * For an older connector a missing policy is not explained by this, and for an unknown version we
 * cannot say it is expected: no finding (undefined) in both cases.
 */
export function policyUnreadableFinding(file: string, connectorVersion: string | undefined, reason: 'missing' | 'unreadable'): Finding | undefined {
  if (!connectorVersion || !versionAtLeast(connectorVersion, POLICY_UNREADABLE_SINCE)) return undefined;
  const at = { line: 0, character: 0 };
  return {
    id: 'policy.unreadable',
    severity: 'information',
    args: { reason, connectorVersion: connectorVersion.trim(), since: POLICY_UNREADABLE_SINCE, file },
    range: { start: at, end: at },
    evidence: [],
  };
}

/** `local.xml`, `local.old` (BRIEF §2.1), `policy.xml`, by the file's base name. */
function roleByName(file: string): 'local.xml' | 'policy.xml' | undefined {
  const base = (file.split(/[\\/]/).pop() ?? '').toLowerCase();
  if (base === 'local.xml' || base === 'local.old') return 'local.xml';
  if (base === 'policy.xml') return 'policy.xml';
  return undefined;
}

/** Elements only local.xml has (BRIEF §2.3), and only policy.xml has (BRIEF §2.4), under `config`. */
const LOCAL_MARKS = ['agent/uuid', 'janus/business', 'install/switches', 'agent/engine'];
const POLICY_MARKS = ['janus/policy', 'exclusions', 'conn/ssl', 'agent/scansettings', 'proxy'];

/** By content: `config` with `agent`/`janus` children is local.xml; a policy `config` (signed or not) is policy.xml. */
function roleByRoot(doc: XmlDocument): 'local.xml' | 'policy.xml' | 'other' {
  const root = doc.root;
  if (!root) return 'other';
  if (root.local === 'Signature') return policyConfig(doc).config ? 'policy.xml' : 'other';
  if (root.local === 'config') {
    // A bare (unsigned) policy export also has `agent` and `janus` children: weigh what only
    // one of the two files has (BRIEF §2.3, §2.4), then fall back to `agent`/`janus` → local.xml.
    const has = (path: string) => findElement(root, path) !== undefined;
    const local = LOCAL_MARKS.filter(has).length;
    const policy = POLICY_MARKS.filter(has).length;
    if (policy > local) return 'policy.xml';
    if (root.children.some((c) => c.local === 'agent' || c.local === 'janus')) return 'local.xml';
  }
  return 'other';
}

/** Reads one XML text and runs the rules that fit it. Never throws on content. */
export function analyzeXmlText(
  text: string,
  file: string,
  context: Partial<XmlRuleContext> = {},
): { role: 'local.xml' | 'policy.xml' | 'other'; doc: XmlDocument; model?: LocalXmlModel | PolicyXmlModel; findings: Finding[] } {
  const doc = readXml(text);
  const role = roleByName(file) ?? roleByRoot(doc);
  if (role === 'other') return { role, doc, findings: [] };
  const model = role === 'local.xml' ? readLocalXml(doc) : readPolicyXml(doc);
  const findings = xmlFindings(doc, model, { ...context, file: context.file ?? file });
  return { role, doc, model, findings };
}

/**
 * `local.xml` when the root is `<config>` holding the connector's sections, `policy.xml` when the
 * root is an xmldsig `<Signature>` (BRIEF §2.3–2.4). Reads only `head`: a hand scan over the XML
 * declaration, comments, processing instructions and a DOCTYPE to the first start tag.
 */
export function xmlRoleByRoot(head: string): 'local.xml' | 'policy.xml' | undefined {
  let i = head.charCodeAt(0) === 0xfeff ? 1 : 0;
  /** Index just past `end` searched from `from`, or -1. */
  const past = (end: string, from: number) => {
    const at = head.indexOf(end, from);
    return at < 0 ? -1 : at + end.length;
  };
  for (;;) {
    while (i < head.length && /\s/.test(head[i]!)) i++;
    if (head.startsWith('<?', i)) i = past('?>', i);
    else if (head.startsWith('<!--', i)) i = past('-->', i);
    else if (head.startsWith('<!', i)) {
      // A DOCTYPE, possibly with an internal subset: to the `>` after its closing `]`, if any.
      const bracket = head.indexOf('[', i);
      const close = head.indexOf('>', i);
      i = bracket >= 0 && bracket < close ? (past(']', bracket) < 0 ? -1 : past('>', past(']', bracket))) : close < 0 ? -1 : close + 1;
    } else break;
    if (i < 0) return undefined;
  }
  if (head[i] !== '<') return undefined;
  const tag = /^<(?:[A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)([^<>]*)/.exec(head.slice(i, i + 1024));
  if (!tag) return undefined;
  // A bare `config` may also be an unsigned policy export: core's reading decides (XmlAnalysisCache).
  if (tag[1] === 'config') return 'local.xml';
  if (tag[1] === 'Signature' && tag[2]!.includes(XMLDSIG_NS)) return 'policy.xml';
  return undefined;
}
