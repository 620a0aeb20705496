/**
 * The model of the connector's `policy.xml` (BRIEF §2.4): the policy under
 * `Signature/Object/config`, all in the xmldsig namespace; an unsigned export with a bare
 * `config` root is read the same way (with `signed` false). Never throws on content.
 *
 * The proxy password is never kept: the model says only whether one is set, and the element it
 * points to is a copy with its text removed.
 */
import { parseInteger } from './local';
import { findElement, findElements } from './read';
import type { Located, PolicyExclusion, PolicyExclusionType, PolicyXmlModel, XmlDocument, XmlElement } from './types';

export const XMLDSIG_NS = 'http://www.w3.org/2000/09/xmldsig#';

/**
 * Candidate elements (under `config`) for the policy option "Allow user to update TETRA
 * definitions" (Advanced Settings > Client User Interface). *(unconfirmed)*: BRIEF §2.4 says only
 * "look for it under `ui/`". The first one present is used; correct the list here.
 */
export const USER_TETRA_UPDATE_PATHS: readonly string[] = [
  'ui/allow_tetra_update',
  'ui/allowtetraupdate',
  'ui/tetra/allowupdate',
  'ui/tetra/update',
  'ui/user_update_tetra',
  'ui/allowupdate',
];

/** `1/0/true/false/yes/no`, any case; anything else is undefined. */
export function parseBoolean(text: string): boolean | undefined {
  const t = text.trim().toLowerCase();
  if (t === '1' || t === 'true' || t === 'yes') return true;
  if (t === '0' || t === 'false' || t === 'no') return false;
  return undefined;
}

export type ProcessMaskMeaning = 'file-scan' | 'child-processes' | 'spp' | 'map';

/**
 * The bits of a process exclusion's mask (BRIEF §2.4 lists the values 0 file scan, 1 +children,
 * 4 SPP, 12 SPP+children, 16 MAP, 48 MAP+children). Read as bits, every listed value comes out as
 * listed: each engine has its own bit (4 System Process Protection, 16 Malicious Activity
 * Protection) and its own "and child processes" bit (1 for file scan, 8 for SPP, 32 for MAP);
 * no engine bit means the file scan exclusion. So 12 = 4|8 (SPP + children), 48 = 16|32 (MAP +
 * children). Other bits (2, 64 and up) have no meaning in the BRIEF: reported as `unknownBits`.
 */
export const PROCESS_MASK_BITS: ReadonlyArray<{ bit: number; engine: 'file-scan' | 'spp' | 'map'; children: boolean }> = [
  { bit: 1, engine: 'file-scan', children: true },
  { bit: 4, engine: 'spp', children: false },
  { bit: 8, engine: 'spp', children: true },
  { bit: 16, engine: 'map', children: false },
  { bit: 32, engine: 'map', children: true },
];

const KNOWN_MASK = PROCESS_MASK_BITS.reduce((m, b) => m | b.bit, 0);

/** The documented masks (BRIEF §2.4), exactly. */
export const DOCUMENTED_PROCESS_MASKS: ReadonlyMap<number, readonly ProcessMaskMeaning[]> = new Map<number, ProcessMaskMeaning[]>([
  [0, ['file-scan']],
  [1, ['file-scan', 'child-processes']],
  [4, ['spp']],
  [12, ['spp', 'child-processes']],
  [16, ['map']],
  [48, ['map', 'child-processes']],
]);

/**
 * What a process exclusion mask means. Only the six documented values get a meaning: another
 * combination (5, 17, 8 …) could be read from the bits above, but which engine a child bit then
 * belongs to is not documented, so none is asserted (an empty meaning says so).
 */
export function decodeProcessMask(mask: number): { meaning: ProcessMaskMeaning[]; unknownBits?: number } {
  const documented = DOCUMENTED_PROCESS_MASKS.get(mask >>> 0);
  if (documented) return { meaning: [...documented] };
  const unknown = (mask >>> 0) & ~KNOWN_MASK;
  return unknown ? { meaning: [], unknownBits: unknown >>> 0 } : { meaning: [] };
}

/**
 * A leading wildcard: the value starts with `*` or `.*` (after blanks and quotes). A wildcard
 * after a drive or folder (`C:\*\cache`, `CSIDL_WINDOWS\*.log`) is anchored by that prefix and
 * is not "leading": only a pattern that must be tried against every path is flagged
 * (BRIEF §2.4, §4.3).
 */
export function isWildcardLeading(value: string): boolean {
  const v = value.trim().replace(/^["']+/, '');
  return v.startsWith('*') || v.startsWith('.*');
}

/** Where the info item type codes come from: a public script, not the BRIEF (§2.4 does not say). */
export const EXCLUSION_TYPE_SOURCE = 'public tool: GitHub johnosn/amp-05-policy-exclusion-stats (info item field 1); not in BRIEF §2.4 (unconfirmed)';

/**
 * The type code of an `exclusions/info/item` (its field 1, 0-based: `1|<code>|0|0|<value>`), as the
 * public script reads it *(unconfirmed, source above)*. The project's fixtures agree (2 a folder,
 * 6 a wildcard path, 3 an extension). A code outside the table keeps no type: such an item is
 * not matched against the log. Correct the table here.
 */
export const EXCLUSION_TYPE_CODES: ReadonlyMap<number, PolicyExclusionType> = new Map<number, PolicyExclusionType>([
  [1, 'threat'],
  [2, 'path'],
  [3, 'extension'],
  [4, 'file-name'],
  [5, 'process'],
  [6, 'wildcard'],
]);

/** A SHA-256 as a process exclusion writes it (64 hex digits). */
const SHA256 = /^[0-9a-f]{64}$/i;

/** How a SHA-256 exclusion is shown: `SHA-256 <first 12 hex>…` (never empty, never 64 digits wide). */
export function sha256Label(hash: string): string {
  return `SHA-256 ${hash.slice(0, 12).toLowerCase()}\u2026`;
}

/**
 * One exclusion item (pipe-separated, BRIEF §2.4).
 * - `exclusions/process/item` (`1|0|<sha256>|<path>|<mask>|`): field -3 the process path, field -2
 *   the mask; with no path and a SHA-256 in field -4, a hash exclusion (`type` `sha256`).
 * - `exclusions/info/item` (`1|<code>|0|0|<value>`): field 1 the type code (`EXCLUSION_TYPE_CODES`),
 *   the value from field 4 on (a `|` inside it kept, a trailing empty field skipped); an item with
 *   fewer fields: the last non-empty field, no type.
 * - Items elsewhere: `other`, value the last field.
 * A value that is empty is replaced by the item as written, with `valueMissing`: nothing is ever
 * shown empty.
 */
export function parseExclusion(element: XmlElement): PolicyExclusion {
  const raw = element.text.trim();
  const fields = raw.split('|');
  const container = element.parent?.local;
  if (container === 'process' && fields.length >= 3) {
    let value = fields[fields.length - 3]!.trim();
    const mask = parseInteger(fields[fields.length - 2]!);
    const hashField = fields.length >= 4 ? fields[fields.length - 4]!.trim() : '';
    const hash = SHA256.test(hashField) ? hashField.toLowerCase() : undefined;
    let type: PolicyExclusionType | undefined = value ? 'process' : undefined;
    if (!value && hash) {
      type = 'sha256';
      value = sha256Label(hash);
    }
    const out: PolicyExclusion = { kind: 'process', raw, value, wildcardLeading: type === 'process' && isWildcardLeading(value), element };
    if (type) out.type = type;
    if (hash) out.sha256 = hash;
    if (!value) {
      out.value = raw;
      out.valueMissing = true;
    }
    if (mask !== undefined && mask >= 0 && mask <= 0xffffffff) {
      const d = decodeProcessMask(mask);
      out.mask = mask;
      out.maskMeaning = d.meaning;
      if (d.unknownBits !== undefined) out.unknownBits = d.unknownBits;
    }
    return out;
  }
  let value: string;
  let type: PolicyExclusionType | undefined;
  let typeCode: number | undefined;
  if (container === 'info' && fields.length >= 5) {
    const code = parseInteger(fields[1]!);
    if (code !== undefined) {
      typeCode = code;
      type = EXCLUSION_TYPE_CODES.get(code);
    }
    const rest = fields.slice(4);
    if (rest.length > 1 && rest[rest.length - 1]!.trim() === '') rest.pop();
    value = rest.join('|').trim();
  } else {
    let last = fields.length - 1;
    if (last > 0 && fields[last]!.trim() === '') last--;
    value = fields[last]!.trim();
  }
  const kind = container === 'info' ? 'path' : container === 'process' ? 'process' : 'other';
  // A threat name is not a path: its `*` (if any) is no performance risk for file events.
  const out: PolicyExclusion = { kind, raw, value, wildcardLeading: type !== 'threat' && isWildcardLeading(value), element };
  if (type) out.type = type;
  if (typeCode !== undefined) out.typeCode = typeCode;
  if (!value) {
    out.value = raw;
    out.valueMissing = true;
    out.wildcardLeading = false;
  }
  return out;
}

function located<T>(element: XmlElement | undefined, parse: (text: string) => T | undefined): Located<T> | undefined {
  // A value cut by the end of the file (`<level>5497`) is not the value: never a finding.
  if (!element || !element.closed) return undefined;
  const value = parse(element.text);
  return value === undefined ? undefined : { value, element };
}

const text = (t: string): string | undefined => (t.trim() ? t.trim() : undefined);
const int = (t: string): number | undefined => parseInteger(t);

/** The `config` element of a policy, and whether it sits in the xmldsig envelope. */
export function policyConfig(doc: XmlDocument): { config?: XmlElement; signed: boolean } {
  const root = doc.root;
  if (!root) return { signed: false };
  if (root.local === 'Signature') {
    const config = findElement(root, 'Object/config');
    const signed = root.uri === XMLDSIG_NS;
    return config ? { config, signed } : { signed };
  }
  if (root.local === 'config') return { config: root, signed: false };
  return { signed: false };
}

/** A copy of an element without its text (and without children): for values that must not be kept. */
function redacted(el: XmlElement): XmlElement {
  return { ...el, text: '', textTruncated: false, children: [] };
}

/** The model of `policy.xml`. */
export function readPolicyXml(doc: XmlDocument): PolicyXmlModel {
  const { config, signed } = policyConfig(doc);
  const model: PolicyXmlModel = { kind: 'policy.xml', signed, proxy: {}, tls: {}, isolation: {}, engines: [], exclusions: [] };
  if (!config) return model;
  model.config = config;
  const at = (path: string) => findElement(config, path);
  const set = <K extends keyof PolicyXmlModel>(key: K, value: PolicyXmlModel[K] | undefined): void => {
    if (value !== undefined) model[key] = value;
  };

  set('policyUuid', located(at('janus/policy/uuid'), text));
  set('policyName', located(at('janus/policy/name'), text));
  set('policySerial', located(at('janus/policy/serial_number'), int));
  set('policyUpdated', located(at('janus/policy/updated'), int));
  set('tetraEnabled', located(at('agent/scansettings/tetra/enable'), parseBoolean));
  set('tetraUpdaterEnabled', located(at('agent/scansettings/tetra/updater/enable'), parseBoolean));
  set('tetraUpdateServer', located(at('agent/scansettings/tetra/updater/server'), text));
  set('tetraUpdateInterval', located(at('agent/scansettings/tetra/updater/interval'), int));
  set('productUpdateServer', located(at('updater/server'), text));
  set('productUpdateInterval', located(at('updater/interval'), int));

  const proxy = model.proxy;
  const p = <K extends keyof PolicyXmlModel['proxy']>(key: K, value: PolicyXmlModel['proxy'][K] | undefined) => {
    if (value !== undefined) proxy[key] = value;
  };
  p('type', located(at('proxy/type'), int));
  p('server', located(at('proxy/server'), text));
  p('port', located(at('proxy/port'), int));
  p('authType', located(at('proxy/authtype'), int));
  p('username', located(at('proxy/username'), text));
  const password = at('proxy/password');
  if (password) proxy.passwordSet = { value: password.text.trim().length > 0, element: redacted(password) };
  p('pacUrl', located(at('proxy/pacloc'), text));

  const tls = model.tls;
  const verifyHost = located(at('conn/ssl/verifyhost'), parseBoolean);
  const verifyPeer = located(at('conn/ssl/verifypeer'), parseBoolean);
  const crlCheck = located(at('conn/ssl/crlc'), parseBoolean);
  if (verifyHost) tls.verifyHost = verifyHost;
  if (verifyPeer) tls.verifyPeer = verifyPeer;
  if (crlCheck) tls.crlCheck = crlCheck;

  const isoEnabled = located(at('agent/endpointisolation/enable'), parseBoolean);
  const isoProxy = located(at('agent/endpointisolation/allowproxy'), parseBoolean);
  if (isoEnabled) model.isolation.enabled = isoEnabled;
  if (isoProxy) model.isolation.allowProxy = isoProxy;

  set('agentLogLevel', located(at('agent/log/level'), int));
  set('uiLogLevel', located(at('ui/log/level'), int));
  set('heartbeatInterval', located(at('agent/hb/interval'), int));

  for (const [engine, path] of ENGINE_PATHS) {
    const v = located(at(path), parseBoolean);
    if (v) model.engines.push({ ...v, engine });
  }
  set('nfmMode', located(at('agent/nfm/settings/mode'), int));

  for (const path of USER_TETRA_UPDATE_PATHS) {
    const v = located(at(path), parseBoolean);
    if (v) {
      model.userTetraUpdateAllowed = v;
      break;
    }
  }

  for (const el of [...findElements(config, 'exclusions/info/item'), ...findElements(config, 'exclusions/process/item')]) {
    if (el.text.trim()) model.exclusions.push(parseExclusion(el));
  }
  model.exclusions.sort((a, b) => a.element.range.start.line - b.element.range.start.line || a.element.range.start.character - b.element.range.start.character);
  return model;
}

/** Engine switches under `config` (BRIEF §2.4). */
export const ENGINE_PATHS: ReadonlyArray<readonly ['spero' | 'ethos' | 'clamav' | 'exprev' | 'nfm', string]> = [
  ['spero', 'agent/scansettings/spero/enable'],
  ['ethos', 'agent/scansettings/ethos/enable'],
  ['clamav', 'agent/scansettings/clamav/enable'],
  ['exprev', 'agent/exprev/enable'],
  ['nfm', 'agent/nfm/enable'],
];
