/**
 * Words for the settings of `local.xml` and `policy.xml`: the hover of an element, the short
 * value shown in the outline, and the names of the sections. Knowledge texts (a setting's
 * summary, meaning, next step) come from core's SETTINGS data and are looked up in the l10n
 * bundle by their English text, like the code tables' (`knowledge()`).
 * A secret (the proxy password) is never shown: only whether it is set and its length.
 */
import * as l10n from '@vscode/l10n';
import type { DecodedSetting, PolicyExclusion, SettingEntry, SettingInfo, XmlElement } from '../core/xml/types';
import { escapeMd, knowledge } from './render';

/** Characters of a value shown in a hover or an outline detail (a value may be 64 KB of JSON). */
const SHOWN_VALUE = 160;
const SHOWN_DETAIL = 80;

/** A markdown code span of any text: a fence longer than its longest run of backticks (no escapes inside code). */
function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = longest > 0 || text.startsWith(' ') || text.endsWith(' ') ? ' ' : '';
  return `${fence}${pad}${text}${pad}${fence}`;
}

function bounded(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  return t.length > max ? t.slice(0, max - 1) + '…' : t;
}

/** `3600` → `1 h`, `5400` → `1 h 30 min`, `90061` → `1 d 1 h`, `45` → `45 s`. */
export function durationWords(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const rest = s % 60;
  if (d > 0) return h > 0 ? l10n.t('{0} d {1} h', d, h) : l10n.t('{0} d', d);
  if (h > 0) return m > 0 ? l10n.t('{0} h {1} min', h, m) : l10n.t('{0} h', h);
  if (m > 0) return rest > 0 ? l10n.t('{0} min {1} s', m, rest) : l10n.t('{0} min', m);
  return l10n.t('{0} s', rest);
}

function maskPart(m: 'file-scan' | 'child-processes' | 'spp' | 'map'): string {
  switch (m) {
    case 'file-scan':
      return l10n.t('file scan');
    case 'child-processes':
      return l10n.t('child processes');
    case 'spp':
      return l10n.t('SPP (System Process Protection)');
    case 'map':
      return l10n.t('MAP (Malicious Activity Protection)');
  }
}

/** `12` → `SPP (System Process Protection) + child processes`; bits with no documented meaning named as such. */
export function maskText(_mask: number, meaning: Array<'file-scan' | 'child-processes' | 'spp' | 'map'>, unknownBits?: number): string {
  const known = meaning.length === 0 ? l10n.t('not one of the documented masks (0, 1, 4, 12, 16, 48): its meaning is not known') : meaning.map(maskPart).join(' + ');
  return unknownBits ? known + ' ' + l10n.t('(and bits 0x{0} with no documented meaning)', unknownBits.toString(16).toUpperCase()) : known;
}

/** How a value is quoted: a markdown code span (hover), or as it is (outline). */
type Quote = (text: string) => string;
const plain: Quote = (text) => text;

/** One exclusion in words: what it excludes, how, and the wildcard risk. */
export function exclusionText(e: PolicyExclusion, q: Quote = code): string {
  const value = q(bounded(e.value, SHOWN_VALUE));
  let out: string;
  if (e.kind === 'process') {
    out =
      e.mask !== undefined
        ? l10n.t('Process exclusion of {0}, mask {1} = {2}', value, e.mask, maskText(e.mask, e.maskMeaning ?? [], e.unknownBits))
        : l10n.t('Process exclusion of {0}', value);
  } else if (e.kind === 'path') out = l10n.t('Path exclusion of {0}', value);
  else out = l10n.t('Exclusion of {0}', value);
  if (e.wildcardLeading) out += ' — ' + l10n.t('starts with a wildcard: every file event is checked against it (a known performance risk)');
  return out;
}

function onOff(value: boolean): string {
  return value ? l10n.t('on') : l10n.t('off');
}

/** The proxy password and the like: whether it is set and how long, never the value. */
export function secretText(length: number): string {
  return length > 0 ? l10n.t('set ({0} characters)', length) : l10n.t('not set');
}

function epochText(iso: string): string {
  return iso.replace('T', ' ').replace(/(\.\d+)?Z$/, ' UTC');
}

function nfmModeText(value: number, mode: 'audit' | 'passive' | 'active' | undefined, q: Quote): string {
  switch (mode) {
    case 'audit':
      return l10n.t('{0} = audit', q(String(value)));
    case 'passive':
      return l10n.t('{0} = passive', q(String(value)));
    case 'active':
      return l10n.t('{0} = active (blocking)', q(String(value)));
    default:
      return l10n.t('{0}: no documented mode', q(String(value)));
  }
}

/**
 * What a value means, in a few words (markdown): the hover's headline value and the outline's
 * detail. `raw` is the element's text as written; a secret's is never used.
 */
export function decodedText(d: DecodedSetting | undefined, rawText: string, q: Quote = code): string {
  // A URL's user name and password (`http://bob:pw@proxy:8080`) are never shown.
  const raw = withoutUserInfo(rawText);
  const written = q(bounded(raw, SHOWN_VALUE));
  if (!d) return raw.trim() ? written : l10n.t('empty');
  switch (d.kind) {
    case 'secret':
      return secretText(d.length);
    case 'boolean':
      return `${written} = ${onOff(d.value)}`;
    case 'log-level':
      return d.debug ? l10n.t('{0} = debug logging on', written) : l10n.t('{0} = not debug logging (debug is 549755813887)', written);
    case 'interval':
      return d.unitConfirmed
        ? l10n.t('{0} = every {1}', written, durationWords(d.seconds))
        : l10n.t('{0} = every {1} (read as seconds: unit unconfirmed)', written, durationWords(d.seconds));
    case 'epoch':
      return `${written} = ${epochText(d.iso)}`;
    case 'process-mask':
      return `${written} = ${maskText(d.mask, d.meaning, d.unknownBits)}`;
    case 'exclusion':
      return exclusionText(d.exclusion, q);
    case 'tetra-version':
      return l10n.t('TETRA definitions version {0}', d.version);
    case 'code':
      if (d.value === 0) return l10n.t('{0} = no error', written);
      return (d.value | 0) !== d.value ? l10n.t('{0} = status {1}', written, d.value | 0) : written;
    case 'host':
      return d.cisco ? l10n.t('{0}: a Cisco server', q(d.host)) : l10n.t('{0}: a custom server, not Cisco\'s', q(d.host));
    case 'nfm-mode':
      return nfmModeText(d.value, d.mode, q);
    case 'text':
      return d.value.trim() ? q(bounded(withoutUserInfo(d.value), SHOWN_VALUE)) : l10n.t('empty');
  }
}

/** The outline's detail of an exclusion (its name is the excluded value): how it applies, and the wildcard risk. */
export function exclusionDetail(e: PolicyExclusion): string {
  const parts: string[] = [];
  if (e.kind === 'process') parts.push(e.mask !== undefined ? l10n.t('process, mask {0} = {1}', e.mask, maskText(e.mask, e.maskMeaning ?? [], e.unknownBits)) : l10n.t('process'));
  else if (e.kind === 'path') parts.push(l10n.t('path'));
  if (e.wildcardLeading) parts.push(l10n.t('leading wildcard: performance risk'));
  return bounded(parts.join(' · '), SHOWN_DETAIL);
}

/** The outline's detail for a value: plain text, short, never a secret. */
export function detailText(d: DecodedSetting | undefined, raw: string): string {
  if (d?.kind === 'secret') return secretText(d.length);
  // Plain text: the outline shows no markdown.
  return bounded(decodedText(d, raw, plain), SHOWN_DETAIL);
}

/**
 * Hover of a known setting: what it is, its value decoded, what it usually means and what to do,
 * and where it stands (path and source of the knowledge).
 */
export function settingHoverMarkdown(info: SettingInfo, entry: SettingEntry | undefined): string {
  const out: string[] = [];
  const secret = entry?.secret === true || info.decoded?.kind === 'secret';
  const raw = secret ? '' : info.element.text;
  const summary = entry ? knowledge(entry.summary) : info.id;
  const value = secret ? secretText(info.decoded?.kind === 'secret' ? info.decoded.length : 0) : decodedText(info.decoded, raw);
  out.push(`**${escapeMd(summary)}**`);
  // A section (children, no text of its own) has no value to show.
  const section = info.element.children.length > 0 && !info.element.text.trim();
  if (secret || !section) out.push('', `${l10n.t('Value:')} ${value}`);
  if (info.element.textTruncated && !secret) out.push('', l10n.t('(the value is longer than what was read)'));
  if (entry?.meaning) out.push('', `${l10n.t('What it usually means here:')} ${escapeMd(knowledge(entry.meaning))}`);
  if (entry?.next) out.push('', `${l10n.t('Next step:')} ${escapeMd(knowledge(entry.next))}`);
  out.push('', `${code(info.element.path)} · *${escapeMd(l10n.t('Source: {0}', info.source || entry?.source || ''))}*`);
  return out.join('\n');
}

/** Hover of an element no setting describes: its path only (for an XPath query, for example). */
export function pathHoverMarkdown(el: XmlElement): string {
  return code(el.path);
}

/**
 * A readable name for a section of either file, by its path under `config` (`conn/ssl`), or the
 * element's own name when no name is known.
 */
export function sectionName(relative: string, local: string): string {
  switch (relative) {
    case 'agent':
      return l10n.t('Agent');
    case 'agent/log':
      return l10n.t('Agent logging');
    case 'agent/scansettings':
      return l10n.t('Scan settings');
    case 'agent/scansettings/tetra':
      return l10n.t('TETRA engine');
    case 'agent/scansettings/tetra/updater':
      return l10n.t('TETRA updater');
    case 'agent/endpointisolation':
      return l10n.t('Endpoint Isolation');
    case 'agent/nfm':
      return l10n.t('Network flow monitor');
    case 'agent/hb':
      return l10n.t('Heartbeat');
    case 'agent/exprev':
      return l10n.t('Exploit prevention');
    case 'agent/engine':
      return l10n.t('Engines');
    case 'agent/engine/stats':
      return l10n.t('Engine statistics');
    case 'agent/engine/tetra':
    case 'tetra':
      return l10n.t('TETRA');
    case 'janus':
      return l10n.t('Cloud (janus)');
    case 'janus/policy':
      return l10n.t('Policy');
    case 'janus/business':
      return l10n.t('Organisation');
    case 'proxy':
      return l10n.t('Proxy');
    case 'conn':
      return l10n.t('Connection');
    case 'conn/ssl':
      return l10n.t('TLS');
    case 'updater':
      return l10n.t('Product updater');
    case 'exclusions':
      return l10n.t('Exclusions');
    case 'exclusions/info':
      return l10n.t('Path exclusions');
    case 'exclusions/process':
      return l10n.t('Process exclusions');
    case 'ui':
      return l10n.t('User interface');
    case 'ui/log':
      return l10n.t('User interface logging');
    case 'install':
      return l10n.t('Installation');
    case 'install/switches':
      return l10n.t('Installer switches');
    default:
      return local;
  }
}

/** The outline's name of the xmldsig envelope around a policy. */
export function signatureName(): string {
  return l10n.t('Signature (xmldsig)');
}

/** Text without the `user:password@` of a URL (or of `user@host`), whatever else it holds. */
export function withoutUserInfo(text: string): string {
  return text.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, '$1').replace(/^[^/@\s:]+(?::[^/@\s]*)?@(?=[\w.-]+(?::\d+)?$)/, '');
}

/** `N items`, for a section of exclusions. */
export function itemsText(n: number): string {
  return n === 1 ? l10n.t('1 item') : l10n.t('{0} items', n);
}

/** The outline's detail of the proxy section: `host:port`, and whether it authenticates. */
export function proxyDetail(server: string | undefined, port: number | undefined, authenticates: boolean): string {
  const host = server ? withoutUserInfo(server).replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').replace(/\/.*$/, '') : undefined;
  // The port once: from the server's own text when it carries one, else the policy's port.
  const where = host ? (port !== undefined && !/:\d+$/.test(host) ? `${host}:${port}` : host) : l10n.t('no server');
  return authenticates ? l10n.t('{0}, with credentials', bounded(where, SHOWN_DETAIL)) : bounded(where, SHOWN_DETAIL);
}

/** The outline's detail of the policy section: its name and serial number. */
export function policyDetail(name: string | undefined, serial: number | undefined): string {
  const n = name ? bounded(name, SHOWN_DETAIL) : '';
  if (serial === undefined) return n;
  return n ? l10n.t('{0}, serial {1}', n, serial) : l10n.t('serial {0}', serial);
}
