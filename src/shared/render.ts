/**
 * Words for core's structured results: hover text, diagnostic messages and reports. Used by the
 * language server and the CLI; every sentence goes through `@vscode/l10n` so translations only
 * add bundle files. Knowledge texts (a code's summary, meaning, next step) come from core's data
 * and are looked up in the bundle by their English text as well.
 */
import * as l10n from '@vscode/l10n';
import { HEADER_SOURCE, isKnown, lookup, summaryFromName, type CodeEntry, type CodeMatch, type Confidence, type Decoded, type FamilyId } from '../core/codes';
import type { Platform } from '../core/bundle/evidence';
import type { InputError } from '../core/bundle/inputs';
import type { MissingItem } from '../core/bundle/inventory';
import type { Finding } from '../core/types';
import { isCoreTemplate, type CoreText } from '../core/text';

export function familyName(family: FamilyId): string {
  switch (family) {
    case 'se.tetra':
      return l10n.t('Secure Endpoint TETRA update status');
    case 'se.isolation':
      return l10n.t('Secure Endpoint console error (Endpoint Isolation)');
    case 'se.event':
      return l10n.t('Secure Endpoint event type');
    case 'win.hresult':
      return l10n.t('Windows HRESULT');
    case 'win.win32':
      return l10n.t('Win32 error');
    case 'win.ntstatus':
      return l10n.t('NTSTATUS');
    case 'win.inet':
      return l10n.t('WinHTTP / WinINet error');
    case 'tls.alert':
      return l10n.t('TLS alert');
    case 'curl':
      return l10n.t('curl exit code');
    case 'ipv4.le':
      return l10n.t('IPv4 address (little-endian)');
  }
}

/** A list in the display language's punctuation: "a, b, c" in English, "a、b、c" in Japanese. */
export function wordList(items: readonly string[]): string {
  if (items.length < 2) return items[0] ?? '';
  // The separator is translated once (a bundle's lists can hold thousands of names).
  const pair = l10n.t('{0}, {1}', '\u0001', '\u0002');
  const sep = pair.slice(pair.indexOf('\u0001') + 1, pair.indexOf('\u0002'));
  return items.join(pair.indexOf('\u0001') < pair.indexOf('\u0002') ? sep : ', ');
}

/** Knowledge text from core's tables (codes, XML settings), translated when a bundle has it. */
export function knowledge(text: string): string {
  return l10n.t(text);
}

/**
 * A sentence of core (src/core/text.ts) in the display language: its template is the key of the
 * l10n bundles (`knowledgeTexts()` lists them), its arguments filled in, sentences among them
 * translated too. `fallback` (core's English, a system code, a library's message) when core gave
 * no sentence.
 */
export function coreWords(t: CoreText | undefined, fallback: string): string {
  if (!t) return fallback;
  return l10n.t(t.template, ...t.args.map((a) => (typeof a === 'object' ? coreWords(a, '') : a)));
}

/** Why a part of a bundle was not read, in the display language (a `Not read` line, the CLI's stderr). */
export function unreadableReason(u: { reason: string; reasonText?: CoreText }): string {
  return coreWords(u.reasonText, u.reason);
}

/** A finding's argument worded by core (`<name>Template`, a sentence without placeholders), else its plain value. */
function coreArg(f: Finding, name: string): string | number | undefined {
  const template = f.args[`${name}Template`];
  return isCoreTemplate(template) ? l10n.t(template) : f.args[name];
}

/** One reading of a number, in words: what the hover, the CLI text and the CLI JSON show. */
export interface ReadingView {
  family: FamilyId;
  familyName: string;
  /** The value as this family writes it (`-2103`, `0x80092013`, `12002`). */
  value: string;
  name?: string;
  /** Every header name for the value in this family (aliases). */
  names: string[];
  summary: string;
  meaning?: string;
  action?: string;
  source?: string;
  /** The classification id rules use (`tetra.proxy-connect`), where the knowledge has one. */
  kind?: string;
  confidence: Confidence;
  via?: CodeMatch['via'];
}

/** The value as a family writes it: TETRA statuses signed, Windows codes in hex, others unsigned. */
function shown(m: CodeMatch): string {
  switch (m.family) {
    case 'se.tetra':
      return String(m.value | 0);
    case 'win.hresult':
    case 'win.ntstatus':
      return '0x' + (m.value >>> 0).toString(16).toUpperCase().padStart(8, '0');
    default:
      return String(m.value >>> 0);
  }
}

export function viaText(via: CodeMatch['via']): string {
  switch (via) {
    case 'hresult-from-win32':
      return l10n.t('inside an HRESULT (HRESULT_FROM_WIN32)');
    case 'hresult-from-nt':
      return l10n.t('inside an HRESULT (HRESULT_FROM_NT)');
    default:
      return '';
  }
}

export function readingView(m: CodeMatch): ReadingView {
  const view: ReadingView = { family: m.family, familyName: familyName(m.family), value: shown(m), names: m.names, summary: '', confidence: m.confidence };
  const name = m.entry?.symbol ?? m.names[0];
  if (name) view.name = name;
  if (m.via) view.via = m.via;
  if (m.entry) {
    view.summary = knowledge(m.entry.summary);
    if (m.entry.meaning) view.meaning = knowledge(m.entry.meaning);
    if (m.entry.next) view.action = knowledge(m.entry.next);
    view.source = m.entry.source;
    if (m.entry.kind) view.kind = m.entry.kind;
  } else if (m.text !== undefined) {
    view.summary = l10n.t('Remote address {0}.', m.text);
  } else if (m.names.length > 0) {
    view.summary = summaryFromName(m.names[0]!);
    view.source = HEADER_SOURCE;
  } else if (m.confidence === 'context') {
    view.summary = l10n.t('The words around it say this is a {0}, but {1} has no documented meaning.', familyName(m.family), view.value);
  } else {
    view.summary = l10n.t('In the range of TETRA update statuses, but {0} has no documented meaning.', view.value);
  }
  return view;
}

/** Every reading, best first; plus the HRESULT fields as a structural reading when they mean something. */
export function readingViews(d: Decoded): ReadingView[] {
  const views = d.matches.map(readingView);
  const r = d.readings;
  if (r && d.hresultShaped && !d.matches.some((m) => m.family === 'win.hresult')) {
    views.push({
      family: 'win.hresult',
      familyName: familyName('win.hresult'),
      value: r.hex,
      names: [],
      summary: hresultFieldsText(d),
      confidence: 'structural',
    });
  }
  return views;
}

export function hresultFieldsText(d: Decoded): string {
  const h = d.readings!.hresult;
  const facility = d.facilityNames.length > 0 ? `${h.facility} ${d.facilityNames.join(' / ')}` : String(h.facility);
  return l10n.t(
    'HRESULT fields: severity {0} ({1}), R={2} C={3} N={4} X={5}, facility {6}, code {7} (0x{8})',
    h.severity,
    h.severity ? l10n.t('failure') : l10n.t('success'),
    h.reserved,
    h.customer,
    h.ntstatus,
    h.x,
    facility,
    h.code,
    h.code.toString(16).toUpperCase().padStart(4, '0'),
  );
}

/** A one-line summary for a decoded number: the best reading's summary, or what is known structurally. */
export function decodedSummary(d: Decoded): string {
  const best = d.matches[0];
  if (best && (isKnown(best) || best.confidence !== 'exact')) return readingView(best).summary;
  if (!d.readings) return l10n.t('Wider than 32 bits: not a status code.');
  return l10n.t('No known meaning for this value.');
}

export function confidenceText(c: Confidence): string {
  switch (c) {
    case 'context':
      return l10n.t('the words around it say so');
    case 'exact':
      return l10n.t('known value');
    case 'structural':
      return l10n.t('from the bits only');
  }
}

function readingsTable(d: Decoded): string[] {
  const r = d.readings;
  if (!r) {
    const magnitude = d.value < 0n ? -d.value : d.value;
    return [`| ${l10n.t('decimal')} | ${l10n.t('hex')} |`, '|---:|---:|', `| ${d.value.toString()} | ${d.value < 0n ? '-' : ''}0x${magnitude.toString(16).toUpperCase()} |`];
  }
  return [`| ${l10n.t('unsigned')} | ${l10n.t('signed')} | ${l10n.t('hex')} |`, '|---:|---:|---:|', `| ${r.unsigned} | ${r.signed} | ${r.hex} |`];
}

export interface HoverOptions {
  /** How often the same 32 bits occur in the document. */
  occurrences?: number;
}

/**
 * Hover markdown: the headline reading with its meaning and next step, every way to read the
 * 32 bits, the other readings in a compact table, the HRESULT fields where they mean something,
 * and how often the code occurs in the file.
 */
export function hoverMarkdown(d: Decoded, options: HoverOptions = {}): string {
  const views = readingViews(d);
  const best = views[0];
  const out: string[] = [];
  if (best && best.confidence !== 'structural') {
    const name = best.name ? ` \`${best.name}\`` : '';
    const via = best.via ? ` · ${viaText(best.via)}` : '';
    out.push(`**${best.value}**${name} — ${escapeMd(best.summary)}`, '', `*${escapeMd(best.familyName)}* · ${confidenceText(best.confidence)}${via}`);
    if (best.meaning) out.push('', `${l10n.t('What it usually means here:')} ${escapeMd(best.meaning)}`);
    if (best.action) out.push('', `${l10n.t('Next step:')} ${escapeMd(best.action)}`);
  } else {
    out.push(`**${escapeMd(d.input)}** — ${escapeMd(decodedSummary(d))}`);
  }
  out.push('', ...readingsTable(d));
  const others = best && best.confidence !== 'structural' ? views.slice(1) : views;
  if (others.length > 0) {
    out.push('', `| ${l10n.t('Also read as')} | ${l10n.t('Name')} | ${l10n.t('Meaning')} |`, '|---|---|---|');
    for (const v of others) {
      const via = v.via ? ` (${viaText(v.via)})` : '';
      out.push(`| ${escapeMd(v.familyName)} \`${v.value}\`${via} | ${v.name ? `\`${v.name}\`` : '—'} | ${escapeMd(v.summary)} |`);
    }
  }
  if (d.hresultShaped && d.readings && !others.some((v) => v.confidence === 'structural' && v.family === 'win.hresult')) {
    out.push('', hresultFieldsText(d));
  }
  if (options.occurrences !== undefined && options.occurrences > 1) out.push('', l10n.t('Seen {0} times in this file.', options.occurrences));
  if (best?.source) out.push('', `*${l10n.t('Source: {0}', best.source)}*`);
  return koreanParticles(out.join('\n'));
}

/** "N times from A to B" or "at A", for findings that group occurrences. */
function occurrencesText(f: Finding): string {
  const count = Number(f.args['count'] ?? 1);
  return count <= 1 ? l10n.t('at {0}', String(f.args['first'] ?? '')) : l10n.t('{0} times from {1} to {2}', count, String(f.args['first'] ?? ''), String(f.args['last'] ?? ''));
}

/** The name of a PublishEvent type from the knowledge tables (`Policy Update Failure`). */
function eventTypeName(type: number): string {
  const e = lookup('se.event', type >>> 0);
  return e?.symbol ? knowledge(e.symbol) : String(type);
}

/** A value from a file, bounded for a message (an exclusion may be long). */
function shortValue(v: string | number | undefined): string {
  const t = String(v ?? '').replace(/\s+/g, ' ');
  return t.length > 160 ? t.slice(0, 159) + '…' : t;
}

/** `local.xml`'s `lasterror` (args `status` signed, `value` as written): what it means and what to do. */
function lastErrorMessage(f: Finding): string {
  const status = Number(f.args['status']);
  const d = decodedForStatus(status);
  const what = d ? knowledge(d.summary) : l10n.t('status {0} has no documented meaning.', status);
  const next = d?.next ? knowledge(d.next) : l10n.t('Check DNS and TLS to the TETRA update server (Resolve-DnsName, curl.exe -v).');
  return l10n.t('The last TETRA definitions update failed: local.xml records lasterror {0} (status {1}): {2} {3}', f.args['value'] ?? status, status, what, next);
}

/** The certificate checks a policy turns off (args -1 absent, 0 off, 1 on). */
function verifyOffText(f: Finding): string {
  const off = ['verifyhost', 'verifypeer'].filter((k) => Number(f.args[k]) === 0);
  return wordList(off);
}

/** " (N times in this file)" for reading problems the reader counted. */
function problemCount(f: Finding): string {
  const n = Number(f.args['count'] ?? 1);
  return n > 1 ? ' ' + l10n.t('({0} times in this file)', n) : '';
}

/** The message of a reading problem of local.xml / policy.xml (`xml.*`), with what to do. */
function xmlProblemMessage(f: Finding): string | undefined {
  switch (f.id) {
    case 'xml.malformed':
      return (
        l10n.t('Not well-formed XML here ({0}): what follows may be missing from the settings shown. An edited or partly copied file breaks like this: copy the file again from the endpoint.', shortValue(coreArg(f, 'detail'))) +
        problemCount(f)
      );
    case 'xml.truncated':
      return l10n.t('The file ends before <{0}> is closed: it was cut (copied while the connector was writing it, or the bundle was cut), so the settings after this point are missing. Collect the file again.', shortValue(f.args['name']));
    case 'xml.doctype-ignored':
      return l10n.t('This file has a DOCTYPE: it is ignored, and nothing it declares is expanded or fetched. The connector does not write one: the file was edited or is not the connector\'s. Get it again from the endpoint.');
    case 'xml.entity-not-expanded':
      return (
        l10n.t('&{0}; is not expanded (only the five predefined XML entities are) and is shown as written. The connector does not write such references: check where this file came from.', shortValue(f.args['name'])) + problemCount(f)
      );
    case 'xml.too-deep':
      return l10n.t('Elements nested deeper than {0} levels were not read. The connector\'s files are shallow: this file is damaged or not the connector\'s. Get it again from the endpoint.', f.args['limit'] ?? '');
    case 'xml.too-many-elements':
      return l10n.t('Only the first {0} elements were read ({1} more were not). The connector\'s files are far smaller: check that this is the connector\'s file.', f.args['limit'] ?? '', f.args['skipped'] ?? '');
    case 'xml.too-large':
      return l10n.t('Only the first {0} of {1} characters were read. The connector\'s files are far smaller: check that this is the connector\'s file.', f.args['limit'] ?? '', f.args['chars'] ?? '');
    case 'xml.not-xml':
      return l10n.t('This is not XML: no element was found. Check that the file was copied as text (not encrypted, compressed or converted), then open it again.');
    default:
      return undefined;
  }
}

/**
 * The diagnostic / report message of a finding: what, how often, and the next step; then, when
 * another file explains it or reports the same fact, where (`Explained by policy.xml line 35: …`).
 */
export function findingMessage(f: Finding): string {
  return tidySpacing(ownMessage(f) + relationSuffix(f));
}

/**
 * Sentences are composed with a space between them, as English writes them; Japanese writes none
 * after its full stop (。) nor before a full-width bracket. Removes those spaces only: text without
 * CJK punctuation (English, Korean, Italian) is returned unchanged.
 */
export function tidySpacing(text: string): string {
  return koreanParticles(text.replace(/([。！？、）」』])[ \t]+(?=\S)/g, '$1').replace(/([\u3040-\u30ff\u3400-\u9fff])[ \t]+(?=[（「『])/g, '$1'));
}

/**
 * Korean particles depend on the last sound of the word before them (-2103이 / 2109가); a
 * translation that puts a run-time value before a particle writes both forms, 이(가). Where the
 * value ends in a Hangul syllable or a digit, the right form is chosen; after Latin letters and
 * symbols (a host name, a quote) both forms stay, as Korean software writes them. Text without
 * these combined forms (every other language) is returned unchanged.
 */
export function koreanParticles(text: string): string {
  if (!/[이을은과]\([가를는와]\)|\(으\)로/.test(text)) return text;
  return text.replace(/(이\(가\)|을\(를\)|은\(는\)|과\(와\)|\(으\)로)/g, (both: string, _p: string, at: number) => {
    const sound = lastSound(text.slice(Math.max(0, at - 40), at));
    if (!sound) return both;
    switch (both) {
      case '이(가)':
        return sound.batchim ? '이' : '가';
      case '을(를)':
        return sound.batchim ? '을' : '를';
      case '은(는)':
        return sound.batchim ? '은' : '는';
      case '과(와)':
        return sound.batchim ? '과' : '와';
      default:
        return sound.batchim && !sound.rieul ? '으로' : '로';
    }
  });
}

/** Whether the word before a particle ends in a final consonant (and whether it is ㄹ), when known. */
function lastSound(before: string): { batchim: boolean; rieul: boolean } | undefined {
  // Closing quotes and brackets are read through: "Policy Update"을 reads the word inside.
  const m = /([\uac00-\ud7a3]|\d+)[)"'\]」』》〉]*$/.exec(before);
  if (!m) return undefined;
  const word = m[1]!;
  const code = word.charCodeAt(word.length - 1);
  if (code >= 0xac00 && code <= 0xd7a3) {
    const final = (code - 0xac00) % 28;
    return { batchim: final !== 0, rieul: final === 8 };
  }
  // Numbers as Korean reads them: a trailing zero is 십, 백, 천, 만… (a final consonant); else
  // the last digit: 일 칠 팔 end in ㄹ, 삼 육 in another consonant, 이 사 오 구 in none.
  if (word.endsWith('0')) return { batchim: true, rieul: false };
  const digit = word[word.length - 1]!;
  return { batchim: '13678'.includes(digit), rieul: '178'.includes(digit) };
}

function ownMessage(f: Finding): string {
  const problem = xmlProblemMessage(f);
  if (problem !== undefined) return problem;
  const bundle = bundleMessage(f);
  if (bundle !== undefined) return bundle;
  switch (f.id) {
    case 'tetra.proxy-connect':
    case 'tetra.proxy-auth':
    case 'tetra.proxy-download':
    case 'tetra.unknown-error':
      return lastErrorMessage(f);
    case 'tetra.updater-disabled':
      return l10n.t('The policy turns TETRA definition updates off: the definitions stay at the version the endpoint has, and the console reports them out of date. Turn updates on in the console policy, or force one update with sfc.exe -forceupdate.');
    case 'tetra.disabled':
      return l10n.t('The policy turns the TETRA engine off: this endpoint does not use TETRA, so TETRA definition failures do not matter here. If TETRA is expected, turn it on in the console policy.');
    case 'tetra.install-skipped':
      return l10n.t('The connector was installed with the skiptetra switch ({0}): it has no TETRA engine, so it gets no TETRA definitions whatever the policy says. If TETRA is expected, reinstall without the switch.', shortValue(f.args['value']));
    case 'tetra.update-server-custom':
      return l10n.t('TETRA definitions come from {0}, not from a Cisco server (tetra-defs.amp.cisco.com): a local update server. Check from the endpoint that it resolves and answers (Resolve-DnsName, curl.exe -v https://{0}), and that it is up to date.', shortValue(f.args['server']));
    case 'policy.crl-check':
      return f.args['revocationFailuresSeen']
        ? l10n.t('CRL checking is on, and revocation failures (0x80092013) were seen: the endpoint cannot reach the CRL/OCSP servers. Allow them (for example commercial.ocsp.identrust.com, validation.identrust.com) through the firewall and proxy, then retry curl.exe -v.')
        : l10n.t('CRL checking is on: the endpoint must reach the CRL/OCSP servers (for example commercial.ocsp.identrust.com, validation.identrust.com), else TLS to the update server fails with 0x80092013. If updates fail, check with curl.exe -v.');
    case 'policy.tls-verify-disabled':
      return l10n.t('The policy turns certificate checks off ({0} = 0), as done to get through a proxy that decrypts TLS. Cisco says the connector\'s traffic must not be decrypted: exempt the Cisco hosts from TLS inspection, turn the checks back on, and test with curl.exe -v.', verifyOffText(f));
    case 'policy.user-update-disabled':
      return l10n.t('The policy does not let users update TETRA definitions (<{0}>, element name unconfirmed): the client\'s Update Now does not trigger an update. Force one with sfc.exe -forceupdate in the version folder, or allow it in the console policy (Advanced Settings > Client User Interface).', shortValue(f.args['element']));
    case 'exclusions.wildcard-leading':
      return l10n.t('The exclusion "{0}" starts with a wildcard: every path is checked against it, a known performance risk. Anchor it with a folder prefix (C:\\Folder\\*) where possible.', shortValue(f.args['value']));
    case 'policy.unreadable':
      return f.args['reason'] === 'missing'
        ? l10n.t('This bundle has no policy.xml: expected from connector {0} on (this one is {1}). Read the policy in the console (Management > Policies) instead.', f.args['since'] ?? '', f.args['connectorVersion'] ?? '')
        : l10n.t('policy.xml cannot be read in this bundle: expected from connector {0} on (this one is {1}). Read the policy in the console (Management > Policies) instead.', f.args['since'] ?? '', f.args['connectorVersion'] ?? '');
    case 'tetra.update-failed': {
      // local.xml's lasterror with no documented class: no count, no times.
      if (f.args['value'] !== undefined && f.args['count'] === undefined) return lastErrorMessage(f);
      const status = Number(f.args['status']);
      const d = decodedForStatus(status);
      const what = d ? knowledge(d.summary) : l10n.t('status {0} has no documented meaning.', status);
      const next = d?.next ? ' ' + knowledge(d.next) : ' ' + l10n.t('Check DNS and TLS to the TETRA update server (Resolve-DnsName, curl.exe -v).');
      const count = Number(f.args['count']);
      const head =
        count === 1
          ? l10n.t('TETRA definitions update failed with status {0} at {1}: {2}', status, f.args['first']!, what)
          : l10n.t('TETRA definitions update failed with status {0} in {1} attempts from {2} to {3}: {4}', status, count, f.args['first']!, f.args['last']!, what);
      return head + next;
    }
    case 'tetra.definitions-missing':
      return l10n.t(
        'The TETRA engine has no definitions (defs - 0) and its last successful update is "never" (last error {0}, {1}). Until an update succeeds the endpoint has no TETRA protection: fix the update failure first.',
        f.args['status']!,
        f.args['time']!,
      );
    case 'tls.revocation-offline':
      return l10n.t(
        'Certificate revocation could not be checked (0x80092013 CRYPT_E_REVOCATION_OFFLINE), {0}. The CRL/OCSP servers are unreachable: allow them (for example commercial.ocsp.identrust.com, validation.identrust.com) through the firewall and proxy.',
        occurrencesText(f),
      );
    case 'log.debug-disabled':
      if (f.args['level'] !== undefined) {
        return l10n.t(
          'The policy\'s agent log level is {0}, not debug (549755813887): sfc.exe.log will hold few useful lines. Turn debug logging on with "sfc.exe -l start" for one full update interval before collecting the bundle.',
          f.args['level'],
        );
      }
      return l10n.t(
        'This log has no debug lines ({0} entries), so most of what the connector did is not recorded. Turn debug logging on with "sfc.exe -l start" (or policy log level 549755813887) for one full update interval, then collect the bundle again.',
        f.args['entries']!,
      );
    case 'isolation.active':
      return l10n.t('Endpoint Isolation started at {0} and the log shows no stop since: the endpoint is probably still isolated. Stop it from the console, or offline with the unlock code (sfc.exe -n <code>).', f.args['since']!);
    case 'policy.update-failed':
    case 'connector.update-failed':
    case 'connector.fault-critical':
    case 'connector.fault-major':
    case 'isolation.start-failed':
    case 'isolation.stop-failed':
    case 'isolation.update-failed':
    case 'isolation.unlock-limit-reached':
    case 'quarantine.failed':
    case 'scan.failed':
    case 'ioc.update-failed': {
      const type = Number(f.args['type']);
      const e = lookup('se.event', type >>> 0);
      const next = e?.next ? ' ' + knowledge(e.next) : '';
      return l10n.t('The connector published "{0}" (event type {1}) {2}.', eventTypeName(type), type, occurrencesText(f)) + next;
    }
    default:
      return f.id;
  }
}

// ---------------------------------------------------------------------------------------------
// Bundle findings: what the command outputs and console texts show, across files (core/bundle/rules.ts)

const TETRA_ACCEPTED_TEXT = 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256';

function str(v: string | number | undefined): string {
  return v === undefined ? '' : String(v);
}

function num(v: string | number | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

/** " (N times)" when a finding counts more than one occurrence. */
function timesText(f: Finding): string {
  const n = num(f.args['count']) ?? 1;
  return n > 1 ? ' ' + l10n.t('({0} times)', n) : '';
}

/** ", N times" inside parentheses already open, when a finding counts more than one occurrence. */
function timesInline(f: Finding): string {
  const n = num(f.args['count']) ?? 1;
  return n > 1 ? ', ' + l10n.t('{0} times', n) : '';
}

/** The suites the TETRA server accepts, as the rule lists them (space separated), else BRIEF §4.1 step 8's. */
function acceptedSuites(f: Finding): string {
  const a = str(f.args['accepted']).trim();
  return a ? shortValue(a.split(/\s+/).join(', ')) : TETRA_ACCEPTED_TEXT;
}

export function platformName(p: Platform | string | undefined): string {
  switch (p) {
    case 'windows':
      return 'Windows';
    case 'macos':
      return 'macOS';
    case 'linux':
      return 'Linux';
    default:
      return str(p);
  }
}

function dnsErrorText(error: string, errorId: string): string {
  const id = errorId ? ` ${errorId}` : '';
  switch (error) {
    case 'name-error':
      return l10n.t('no such name{0}', id);
    case 'no-such-host':
      return l10n.t('no such host{0}', id);
    case 'timeout':
      return l10n.t('the DNS server did not answer{0}', id);
    case 'server-failure':
      return l10n.t('the DNS server failed{0}', id);
    case 'refused':
      return l10n.t('the DNS server refused the query{0}', id);
    case 'no-address':
      return l10n.t('answers, but no A or AAAA record among them');
    default:
      return l10n.t('an error{0}', id);
  }
}

function dnsToolText(source: string): string {
  switch (source) {
    case 'resolve-dnsname':
      return 'Resolve-DnsName';
    case 'nslookup':
      return 'nslookup';
    case 'curl':
      return 'curl -v';
    default:
      return source;
  }
}

/** Where a handshake failure was seen: a capture, curl, Schannel events. */
function handshakeSourcesText(f: Finding): string {
  const out: string[] = [];
  for (const s of str(f.args['sources']).split(',')) {
    if (s === 'wireshark') out.push(l10n.t('a packet capture'));
    else if (s === 'curl') out.push('curl -v');
    else if (s === 'schannel-event') out.push(f.args['eventId'] !== undefined ? l10n.t('Schannel event {0}', str(f.args['eventId'])) : l10n.t('Schannel events'));
    else if (s) out.push(s);
  }
  return wordList(out);
}

/** What to do about a TLS alert, by the rule's kind (BRIEF §3.4, §4.1 step 8). */
function handshakeNextStep(kind: string | undefined): string {
  switch (kind) {
    case 'tls.no-shared-cipher':
      return l10n.t(
        'The endpoint and the server share no cipher suite: list the endpoint\'s suites (Get-TlsCipherSuite | ft name) and compare them with the four the TETRA update server accepts ({0}); if none is enabled, set the Group Policy "SSL Cipher Suite Order" to Not Configured or add them, reboot, and retry the update.',
        TETRA_ACCEPTED_TEXT,
      );
    case 'tls.untrusted-root':
      return l10n.t('The server\'s certificate chain is not trusted, typical of a proxy that inspects TLS. Cisco says the connector\'s traffic must not be decrypted: exempt the Cisco hosts from TLS inspection, then test again with curl.exe -v.');
    case 'tls.protocol-version':
      return l10n.t('The two sides share no TLS version: check that TLS 1.2 is enabled on the endpoint and allowed by any proxy in between, then test again with curl.exe -v.');
    case 'tls.certificate-expired':
      return l10n.t('A certificate in the chain has expired: check the endpoint\'s clock and, when a proxy inspects TLS, the certificate it presents; then test again with curl.exe -v.');
    case 'tls.illegal-parameter':
    case 'tls.message-altered':
      return l10n.t('A handshake message was rejected as damaged or malformed, often by a proxy or security product that rewrites TLS: capture a working and a failing endpoint and compare their Client Hello, and exempt the Cisco hosts from inspection.');
    default:
      return l10n.t('Capture the handshake on a working and a failing endpoint and compare them (Client Hello, alert), and list the endpoint\'s cipher suites (Get-TlsCipherSuite | ft name).');
  }
}

/** What to do after a failed `curl -v`, by the rule's kind (BRIEF §3.4). */
function curlNextStep(kind: string | undefined, host: string): string {
  switch (kind) {
    case 'curl.proxy-unresolved':
      return l10n.t('The proxy\'s name does not resolve: check the proxy setting (policy and curl\'s --proxy) and the endpoint\'s DNS.');
    case 'curl.connect-failed':
      return l10n.t('No connection could be made: check the firewall and the proxy between the endpoint and {0} on port 443.', host);
    case 'curl.timeout':
      return l10n.t('The connection timed out: check the firewall and the proxy between the endpoint and {0} on port 443.', host);
    case 'curl.tls-error':
      return l10n.t('The TLS handshake failed: read the schannel line before curl\'s exit for its code, and list the endpoint\'s cipher suites (Get-TlsCipherSuite | ft name).');
    case 'curl.receive-error':
      return l10n.t('The connection was cut while receiving, often by a proxy or firewall that inspects TLS: exempt the Cisco hosts from inspection and test again.');
    case 'tls.untrusted-root':
      return l10n.t('The server\'s certificate is not trusted, typical of a proxy that inspects TLS. Cisco says the connector\'s traffic must not be decrypted: exempt the Cisco hosts from TLS inspection, then test again.');
    case 'curl.proxy':
      return l10n.t('The proxy handshake failed: check the proxy address, port and type in the policy and in curl\'s --proxy.');
    case 'curl.proxy-auth':
      return l10n.t('The proxy wants credentials (HTTP 407): check the proxy user and password in the policy, or allow the Cisco hosts without authentication.');
    default:
      return l10n.t('Check that {0} resolves (Resolve-DnsName) and is reachable through the firewall and proxy, then run curl.exe -v again.', host);
  }
}

function isolationSourceText(source: string, f: Finding): string {
  switch (source) {
    case 'registry':
      return l10n.t('The registry export holds an unlock_code value ({0} characters, not shown): the endpoint is isolated.', str(f.args['unlockCodeLength']) || '?');
    case 'console':
      return l10n.t('The console shows the endpoint isolated.');
    case 'client':
      return l10n.t('The client reports the endpoint isolated (Isolation: Isolated).');
    case 'posture':
      return l10n.t('AmpCLI posture reports the endpoint isolated.');
    default:
      return l10n.t('The endpoint is isolated.');
  }
}

function saidByText(source: string): string {
  switch (source) {
    case 'console':
      return l10n.t('the console');
    case 'client':
      return l10n.t('the client');
    case 'posture':
      return 'AmpCLI posture';
    default:
      return source;
  }
}

/** Messages of the bundle rules; `undefined` for any other finding (or a log finding of the same id). */
function bundleMessage(f: Finding): string | undefined {
  const a = f.args;
  switch (f.id) {
    case 'dns.resolution-failed': {
      const name = shortValue(a['name']);
      const what = dnsErrorText(str(a['error']), str(a['errorId']));
      const head =
        Number(a['updateServer']) === 1
          ? l10n.t('The TETRA update server {0} does not resolve ({1}, {2}{3}): the connector cannot reach it by name.', name, what, dnsToolText(str(a['source'])), timesInline(f))
          : l10n.t('{0} does not resolve ({1}, {2}{3}).', name, what, dnsToolText(str(a['source'])), timesInline(f));
      return head + ' ' + l10n.t('Check which DNS servers the endpoint uses (Get-DnsClientServerAddress) and that they return A records for {0} (Resolve-DnsName -Name {0}).', name);
    }
    case 'tls.revocation-offline': {
      // The log's own finding (args first/last) keeps its message.
      if (a['host'] === undefined && a['crlCheck'] === undefined) return undefined;
      const code = str(a['code']) || '0x80092013';
      const symbol = lookup('win.hresult', Number(code) >>> 0)?.symbol ?? 'CRYPT_E_REVOCATION_OFFLINE';
      const exit = a['exit'] !== undefined ? ', ' + l10n.t('curl exit {0}', str(a['exit'])) : '';
      const head = l10n.t('curl -v to {0} failed: certificate revocation could not be checked ({1} {2}{3}{4}).', shortValue(a['host']), code, symbol, exit, timesInline(f));
      const crl = Number(a['crlCheck']) === 1 || a['explainedBy'] === 'policy.crl-check';
      const next = crl
        ? l10n.t('The policy turns CRL checking on, so the connector\'s own TLS to the update server fails the same way. Allow the CRL/OCSP servers (for example commercial.ocsp.identrust.com, validation.identrust.com) through the firewall and proxy, then run curl.exe -v again.')
        : l10n.t('The CRL/OCSP servers are unreachable from the endpoint: allow them (for example commercial.ocsp.identrust.com, validation.identrust.com) through the firewall and proxy, then run curl.exe -v again.');
      return head + ' ' + next;
    }
    case 'tls.handshake-failure': {
      const host = a['host'] !== undefined ? ' ' + l10n.t('with {0}', shortValue(a['host'])) : '';
      const alert = a['alert'] !== undefined ? `${str(a['alert'])}${a['alertName'] ? ` ${str(a['alertName'])}` : ''}` : shortValue(a['description']);
      const when = Number(a['afterClientHello']) === 1 ? ' ' + l10n.t('right after the Client Hello') : '';
      const code = a['code'] !== undefined ? `, ${str(a['code'])}` : '';
      const head = l10n.t('The TLS handshake{0} failed with the fatal alert {1}{2} ({3}{4}{5}).', host, alert, when, handshakeSourcesText(f), code, timesInline(f));
      const which = f.severity === 'warning' && !/wireshark|curl/.test(str(a['sources'])) ? ' ' + l10n.t('Schannel events do not say which server it was: check with curl.exe -v to the TETRA update server.') : '';
      return head + which + ' ' + handshakeNextStep(f.kind);
    }
    case 'tls.cipher-suites-missing': {
      const head =
        a['source'] === 'client-hello'
          ? a['packet'] !== undefined
            ? l10n.t('The Client Hello (packet {0}) offers {1} cipher suites, none of which the TETRA update server accepts ({2}).', str(a['packet']), str(a['offered']), acceptedSuites(f))
            : l10n.t('The Client Hello offers {0} cipher suites, none of which the TETRA update server accepts ({1}).', str(a['offered']), acceptedSuites(f))
          : l10n.t('None of the {0} cipher suites enabled on this endpoint (Get-TlsCipherSuite) is one the TETRA update server accepts ({1}).', str(a['offered']), acceptedSuites(f));
      return (
        head +
        ' ' +
        l10n.t(
          'The handshake fails and updates fail with -3000 ("network timeout" in the console). Set the Group Policy "SSL Cipher Suite Order" (Computer Configuration > Administrative Templates > Network > SSL Configuration Settings) to Not Configured or add those suites, reboot, and retry the update.',
        )
      );
    }
    case 'tetra.definitions-stale': {
      const parts: string[] = [];
      if (a['current'] !== undefined && a['newest'] !== undefined) {
        const released = a['newestTime'] !== undefined ? ', ' + l10n.t('released {0}', shortValue(a['newestTime'])) : '';
        parts.push(l10n.t('The endpoint\'s TETRA definitions ({0}) are {1} versions behind the newest the console lists ({2}{3}).', str(a['current']), str(a['versionsBehind']), str(a['newest']), released));
        if (a['hoursBehind'] !== undefined) parts.push(l10n.t('The first version it misses came out {0} hours before that.', str(a['hoursBehind'])));
      }
      if (a['gapHours'] !== undefined) {
        parts.push(l10n.t('The console last saw the endpoint {0}, {1} hours after its definitions last updated ({2}): it talks to the cloud but its definitions do not move.', shortValue(a['lastSeen']), str(a['gapHours']), shortValue(a['lastUpdated'])));
      }
      if (parts.length === 0) parts.push(l10n.t('The endpoint\'s TETRA definitions are out of date.'));
      parts.push(l10n.t('Find why updates fail: DNS and TLS to the TETRA update server (Resolve-DnsName, curl.exe -v), then force an update with sfc.exe -forceupdate (connector 7.2.7 and later).'));
      return parts.join(' ');
    }
    case 'tetra.console-update-failed': {
      const server = shortValue(a['server']) || 'tetra-defs.amp.cisco.com';
      const times: string[] = [];
      if (a['lastUpdated'] !== undefined) times.push(l10n.t('definitions last updated {0}', shortValue(a['lastUpdated'])));
      if (a['lastSeen'] !== undefined) times.push(l10n.t('last seen {0}', shortValue(a['lastSeen'])));
      const when = times.length > 0 ? ` (${wordList(times)})` : '';
      switch (a['message']) {
        case 'network-timeout':
          return l10n.t(
            'The console says the definitions update failed due to a network timeout{0}: that is how it shows status -3000 (Unknown_Error). The usual cause is the cipher suites: list the endpoint\'s (Get-TlsCipherSuite | ft name) and compare them with the four the TETRA update server accepts, then test TLS with curl.exe -v https://{1}.',
            when,
            server,
          );
        case 'unreachable':
          return l10n.t(
            'The console says the connector was unable to reach the TETRA update server {0}{1}. Check DNS and TLS from the endpoint (Resolve-DnsName -Name {0}, curl.exe -v https://{0}) and local.xml\'s lasterror for a proxy status.',
            server,
            when,
          );
        default:
          return l10n.t('The console says the definitions update failed{0}. Check DNS and TLS from the endpoint to {1} (Resolve-DnsName, curl.exe -v).', when, server);
      }
    }
    case 'connector.forceupdate-unsupported':
      return l10n.t(
        'Connector {0} has no sfc.exe -forceupdate (it needs {1} or later): to trigger an update use the client\'s Update Now where the policy allows it, or wait for the next update interval; plan a connector upgrade.',
        str(a['version']),
        str(a['since']),
      );
    case 'isolation.active': {
      // The log's own finding (args since) keeps its message.
      if (a['since'] !== undefined) return undefined;
      const state = isolationSourceText(str(a['source']), f);
      const disagree = a['notIsolatedSaidBy'] !== undefined ? ' ' + l10n.t('({0} says Not Isolated: the sources disagree, the newest one counts.)', saidByText(str(a['notIsolatedSaidBy']))) : '';
      const mac = (f.actions ?? []).some((x) => x.id === 'delete-isolation-state');
      const next = mac
        ? l10n.t('Stop isolation from the console (Management > Computers > Stop Isolation). If that fails: sudo rm the endpoint_isolation.xml state file, then unload and load the daemon (launchctl); check that the client shows Not Isolated.')
        : l10n.t(
            'Stop isolation from the console (Management > Computers > Stop Isolation); offline, run sfc.exe -n with the unlock code from the console in an elevated prompt in the version folder. If both fail: stop the connector service, delete the registry value unlock_code, start the service; check that the client shows Not Isolated.',
          );
      return state + disagree + ' ' + next;
    }
    case 'isolation.invalid-unlock-code':
      return l10n.t(
        'The console reports Isolation Stop Failed with error {0} ({1}) "Invalid unlock code"{2}. After {3} wrong codes unlocking is locked for {4} minutes: copy the current unlock code from the console (or the Audit Log), wait if the limit was reached, then run sfc.exe -n with it in an elevated prompt in the version folder.',
        str(a['code']),
        str(a['hex']),
        timesText(f),
        str(a['attempts'] ?? 5),
        str(a['waitMinutes'] ?? 30),
      );
    case 'isolation.unlock-limit-reached':
      // The log's event finding (args first/last) keeps its message.
      if (a['waitMinutes'] === undefined) return undefined;
      return l10n.t(
        'The console reports Endpoint Isolation Unlock Limit Reached (event {0}{1}): too many wrong unlock codes lock unlocking for {2} minutes. Wait {2} minutes, then run sfc.exe -n with the current unlock code from the console.',
        str(a['type']),
        timesInline(f),
        str(a['waitMinutes']),
      );
    case 'isolation.unsupported-connector':
      if (a['architecture'] !== undefined) {
        return l10n.t('Endpoint Isolation needs 64-bit Windows and this endpoint is {0}: isolation cannot work here. Move the endpoint to a policy without isolation.', shortValue(a['architecture']));
      }
      return l10n.t(
        'Endpoint Isolation needs connector {0} or later on {1}; this endpoint runs {2}, so isolation does not start or stop as expected. Upgrade the connector.',
        str(a['minimum']),
        platformName(str(a['platform'])),
        str(a['version']),
      );
    case 'curl.failed': {
      const host = shortValue(a['host']);
      if (a['exit'] !== undefined) {
        const name = a['exitName'] !== undefined ? ` ${str(a['exitName'])}` : '';
        const code = a['code'] !== undefined ? `, ${str(a['code'])}` : '';
        const proxy = a['proxyStatus'] !== undefined ? ' ' + l10n.t('(the proxy answered {0})', str(a['proxyStatus'])) : '';
        return l10n.t('curl -v to {0} failed with exit {1}{2}{3}{4}.', host, str(a['exit']), name, code, proxy) + ' ' + curlNextStep(f.kind, host);
      }
      const head =
        Number(a['proxy']) === 1
          ? l10n.t('curl -v to {0}: the proxy answered HTTP {1}.', host, str(a['status']))
          : l10n.t('curl -v to {0}: the server answered HTTP {1}.', host, str(a['status']));
      const next =
        f.kind === 'curl.proxy-auth'
          ? curlNextStep(f.kind, host)
          : l10n.t('A server or proxy refused the request: check the proxy\'s logs for it, and that {0} is reached without TLS inspection.', host);
      return head + ' ' + next;
    }
    default:
      return undefined;
  }
}

/** A fact another finding points at (`args.explainedBy` / `args.related`), in words. */
function relationFact(id: string): string {
  switch (id) {
    case 'policy.crl-check':
      return l10n.t('the policy turns CRL checking on');
    case 'tls.cipher-suites-missing':
      return l10n.t('none of the cipher suites the TETRA update server accepts is offered');
    case 'tls.handshake-failure':
      return l10n.t('the TLS handshake fails');
    case 'dns.resolution-failed':
      return l10n.t('the name does not resolve');
    case 'tls.revocation-offline':
      return l10n.t('certificate revocation cannot be checked (0x80092013)');
    case 'curl.failed':
      return l10n.t('curl -v to the server fails');
    case 'tetra.updater-disabled':
      return l10n.t('the policy turns TETRA updates off');
    case 'tetra.disabled':
      return l10n.t('the policy turns the TETRA engine off');
    case 'isolation.invalid-unlock-code':
      return l10n.t('an invalid unlock code was entered');
    case 'isolation.unlock-limit-reached':
      return l10n.t('the unlock limit was reached');
    case 'isolation.unsupported-connector':
      return l10n.t('the connector does not support isolation');
    case 'isolation.active':
      return l10n.t('the endpoint is isolated');
    case 'local.lasterror':
      return l10n.t('local.xml\'s lasterror, the same status');
    case 'tetra.update-failed':
      return l10n.t('the log\'s failed TETRA update');
    case 'tetra.proxy-connect':
    case 'tetra.proxy-auth':
    case 'tetra.proxy-download':
    case 'tetra.unknown-error':
      return l10n.t('the same TETRA status');
    default:
      return id;
  }
}

/** " Explained by <file> line N: …." / " Also seen in <file> line N (…)." for findings related across files. */
export function relationSuffix(f: Finding): string {
  let out = '';
  const a = f.args;
  if (a['explainedBy'] !== undefined) {
    out += ' ' + l10n.t('Explained by {0} line {1}: {2}.', shortValue(a['explainedByFile']) || '?', str(a['explainedByLine']) || '?', relationFact(str(a['explainedBy'])));
  }
  if (a['related'] !== undefined) {
    out += ' ' + l10n.t('Also seen in {0} line {1} ({2}).', shortValue(a['relatedFile']) || '?', str(a['relatedLine']) || '?', relationFact(str(a['related'])));
  }
  return out;
}

/** A short title of a finding (the CLI's JSON `title`; a list's headline): the fact without the next step. */
export function findingTitle(f: Finding): string {
  const a = f.args;
  switch (f.id) {
    case 'tetra.update-failed':
      return l10n.t('TETRA definitions update failed (status {0})', str(a['status']));
    case 'tetra.proxy-connect':
    case 'tetra.proxy-auth':
    case 'tetra.proxy-download':
    case 'tetra.unknown-error':
      return l10n.t('Last TETRA update failed: local.xml lasterror {0} (status {1})', str(a['value'] ?? a['status']), str(a['status']));
    case 'tetra.definitions-missing':
      return l10n.t('TETRA engine has no definitions');
    case 'tetra.updater-disabled':
      return l10n.t('Policy turns TETRA definition updates off');
    case 'tetra.disabled':
      return l10n.t('Policy turns the TETRA engine off');
    case 'tetra.install-skipped':
      return l10n.t('Connector installed without TETRA (skiptetra)');
    case 'tetra.update-server-custom':
      return l10n.t('TETRA definitions come from a local server ({0})', shortValue(a['server']));
    case 'tetra.definitions-stale':
      return a['versionsBehind'] !== undefined ? l10n.t('TETRA definitions {0} versions behind', str(a['versionsBehind'])) : l10n.t('TETRA definitions out of date');
    case 'tetra.console-update-failed':
      return a['message'] === 'network-timeout' ? l10n.t('Console: definitions update failed (network timeout)') : l10n.t('Console: definitions update failed');
    case 'policy.crl-check':
      return l10n.t('Policy turns CRL checking on');
    case 'policy.tls-verify-disabled':
      return l10n.t('Policy turns certificate checks off');
    case 'policy.user-update-disabled':
      return l10n.t('Policy does not let users update TETRA definitions');
    case 'policy.unreadable':
      return a['reason'] === 'missing' ? l10n.t('No policy.xml in the bundle') : l10n.t('policy.xml cannot be read');
    case 'exclusions.wildcard-leading':
      return l10n.t('Exclusion starts with a wildcard');
    case 'log.debug-disabled':
      return l10n.t('Debug logging is off');
    case 'dns.resolution-failed':
      return l10n.t('{0} does not resolve', shortValue(a['name']));
    case 'tls.revocation-offline':
      return l10n.t('Certificate revocation cannot be checked (0x80092013)');
    case 'tls.handshake-failure':
      return a['alert'] !== undefined ? l10n.t('TLS handshake failure (alert {0})', str(a['alert'])) : l10n.t('TLS handshake failure');
    case 'tls.cipher-suites-missing':
      return l10n.t('No cipher suite the TETRA update server accepts');
    case 'connector.forceupdate-unsupported':
      return l10n.t('Connector {0} has no sfc.exe -forceupdate', str(a['version']));
    case 'isolation.active':
      return l10n.t('Endpoint is isolated');
    case 'isolation.invalid-unlock-code':
      return l10n.t('Isolation stop failed: invalid unlock code ({0})', str(a['code'] ?? 3240624137));
    case 'isolation.unsupported-connector':
      return a['architecture'] !== undefined ? l10n.t('Isolation not supported on 32-bit Windows') : l10n.t('Connector {0} does not support isolation', str(a['version']));
    case 'curl.failed':
      return a['exit'] !== undefined ? l10n.t('curl -v to {0} failed (exit {1})', shortValue(a['host']), str(a['exit'])) : l10n.t('curl -v to {0}: HTTP {1}', shortValue(a['host']), str(a['status']));
    default: {
      if (a['type'] !== undefined) return eventTypeName(Number(a['type']));
      // Reading problems and anything newer: the message's first sentence.
      return firstSentence(ownMessage(f));
    }
  }
}

/** The first sentence of a message (a period followed by a space and a capital letter, or the end). */
function firstSentence(text: string): string {
  const m = /^(.+?[.!?])(?=\s+[A-Z"(]|$)/s.exec(text);
  return (m?.[1] ?? text).replace(/\.$/, '');
}

// ---------------------------------------------------------------------------------------------
// What a bundle lacks for the case (core/bundle/inventory.ts `MissingItem`)

/** The update interval as "N minutes" (args.interval in seconds), for "one full update interval". */
function intervalText(item: MissingItem): string {
  const s = num(item.args['interval']);
  if (s === undefined || s <= 0) return '';
  return ' ' + l10n.t('(the policy\'s update interval is {0} minutes)', Math.round(s / 60));
}

/** What is missing and why it matters for the case; `how` is shown next to it as the command (or the console page). */
export function missingItemText(item: MissingItem): string {
  const a = item.args;
  const server = str(a['server']) || 'tetra-defs.amp.cisco.com';
  switch (item.id) {
    case 'missing.connector-log':
      return l10n.t('No connector log (sfc.exe.log): it shows every TETRA update attempt with its status, and isolation events. Collect a support bundle on the endpoint.');
    case 'missing.debug-log':
      return l10n.t(
        'The connector logs are not in debug ({0} read), so most of what the connector did is not recorded. Turn debug logging on, wait one full update interval{1}, then collect a new support bundle.',
        str(a['logs']),
        intervalText(item),
      );
    case 'missing.policy-xml':
      if (Number(a['expected']) === 1) {
        return l10n.t('No readable policy.xml, as expected from connector {0} on (this one is {1}): read the policy (update server, proxy, CRL check, update interval) in the console.', str(a['since']), str(a['connectorVersion']));
      }
      return l10n.t('No readable policy.xml: it names the TETRA update server, the proxy, the CRL check and the update interval. Copy it from the connector\'s folder.');
    case 'missing.local-xml':
      return l10n.t('No local.xml: its tetra/lasterror is the status of the last TETRA update (proxy connect, authentication, download, -3000). Read it on the endpoint.');
    case 'missing.dns-output':
      return l10n.t('No DNS lookup of the TETRA update server {0}: it must return A records, else nothing else can work. Run the lookup on the endpoint and add its output.', server);
    case 'missing.curl-output':
      return l10n.t('No curl -v to the TETRA update server {0}: it shows whether TLS works (HTTP/1.1 200 OK) or fails with a revocation or handshake error. Run it on the endpoint and add its output.', server);
    case 'missing.cipher-suites': {
      const why =
        a['reason'] === 'unknown-error'
          ? l10n.t('Status -3000 ("network timeout" in the console) is most often a cipher-suite mismatch.')
          : a['reason'] === 'handshake-failure'
            ? l10n.t('A handshake failure was seen: the endpoint may offer no suite the server accepts.')
            : l10n.t('Nothing else explains the failed updates yet.');
      return l10n.t('No list of the endpoint\'s cipher suites. {0} Run the command on the endpoint and add its output.', why);
    }
    case 'missing.packet-capture':
      return l10n.t(
        'No packet capture of an update attempt: capture one full update interval{0} on the failing endpoint (and a working one to compare), then filter it in Wireshark with this display filter; the failing one shows the alert after its Client Hello.',
        intervalText(item),
      );
    case 'missing.definition-version':
      return l10n.t('No TETRA definition version from the endpoint: without it the bundle cannot say how far behind the definitions are. Run the command on the endpoint and add its output.');
    case 'missing.av-definition-summary':
      return l10n.t('No AV Definition Summary from the console: it lists the TETRA versions available, to compare with the endpoint\'s. Copy it from the console.');
    case 'missing.registry-export':
      return l10n.t('No registry export of HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect: an unlock_code value there means the endpoint is isolated, and InstallDir is the real install folder. Run the query on the endpoint and add its output.');
    case 'missing.isolation-state':
      return l10n.t('No listing of the isolation state file endpoint_isolation.xml: on macOS it exists while the endpoint is isolated. Run the command on the endpoint and add its output.');
    case 'missing.connector-version':
      return l10n.t('No connector version: isolation needs 7.0.5 or later (Mac 1.21.0), sfc.exe -forceupdate 7.2.7, and policy.xml is unreadable from 8.1.3. Run the command on the endpoint and add its output.');
    default:
      return l10n.t('Missing for this case: {0}.', item.id);
  }
}

/** Words for a command output recognised by content (`RecognisedOutput.id`). */
export function outputName(id: string): string {
  switch (id) {
    case 'console.computer-details':
      return l10n.t('Console: computer details');
    case 'console.av-definitions':
      return l10n.t('Console: AV Definition Summary');
    case 'console.isolation':
      return l10n.t('Console: Endpoint Isolation');
    case 'ampcli.posture':
      return 'AmpCLI posture';
    case 'ampcli.status':
      return 'ampcli status';
    case 'dns.resolve':
      return l10n.t('DNS lookup (Resolve-DnsName, nslookup)');
    case 'curl.verbose':
      return 'curl -v';
    case 'tls.cipher-suites':
      return 'Get-TlsCipherSuite';
    case 'wireshark.tls':
      return l10n.t('Wireshark TLS handshake');
    case 'windows.schannel-events':
      return l10n.t('Schannel system events');
    case 'registry.immunet':
      return l10n.t('Registry: Immunet Protect');
    case 'os.info':
      return l10n.t('OS information');
    case 'connector.local-xml':
      return 'local.xml';
    case 'connector.policy-xml':
      return 'policy.xml';
    default:
      return id;
  }
}

/** The title of a quick fix that copies a command. */
export function actionTitle(id: string, command: string): string {
  switch (id) {
    case 'read-lasterror':
      return l10n.t('Copy the PowerShell check of the last TETRA error (local.xml lasterror)');
    case 'curl-update-server':
      return l10n.t('Copy the TLS check of the update server (curl.exe -v)');
    case 'resolve-update-server':
      return l10n.t('Copy the DNS check of the update server (Resolve-DnsName)');
    case 'list-cipher-suites':
      return l10n.t('Copy the cipher suite check (Get-TlsCipherSuite)');
    case 'debug-start':
      return l10n.t('Copy the command that turns debug logging on (sfc.exe -l start)');
    case 'unlock':
      return l10n.t('Copy the offline unlock command (sfc.exe -n)');
    case 'force-update':
      return l10n.t('Copy the command that forces a TETRA update (sfc.exe -forceupdate)');
    case 'resolve-name':
      return l10n.t('Copy the DNS check of this name (Resolve-DnsName)');
    case 'show-dns-servers':
      return l10n.t('Copy the command that lists the endpoint\'s DNS servers');
    case 'curl-ocsp':
      return l10n.t('Copy the reachability check of the OCSP server (curl.exe -v)');
    case 'curl-crl':
      return l10n.t('Copy the reachability check of the CRL server (curl.exe -v)');
    case 'open-group-policy':
      return l10n.t('Copy the command that opens the Group Policy editor (gpedit.msc)');
    case 'cipher-suite-order-policy':
      return l10n.t('Copy the path of the "SSL Cipher Suite Order" policy');
    case 'read-cipher-suite-policy':
      return l10n.t('Copy the check of the cipher suite order set by Group Policy');
    case 'unlock-after-wait':
      return l10n.t('Copy the offline unlock command, for after the 30-minute wait (sfc.exe -n)');
    case 'delete-unlock-code':
      return l10n.t('Copy the command that deletes the unlock code from the registry (connector service stopped)');
    case 'delete-isolation-state':
      return l10n.t('Copy the command that deletes the isolation state file (macOS)');
    case 'daemon-unload':
      return l10n.t('Copy the command that stops the connector daemon (launchctl unload)');
    case 'daemon-load':
      return l10n.t('Copy the command that starts the connector daemon (launchctl load)');
    default:
      return l10n.t('Copy: {0}', command);
  }
}

function decodedForStatus(status: number): CodeEntry | undefined {
  // Outside 32 bits a value is no status the tables know: never wrap it into one.
  if (!Number.isInteger(status) || status < -0x80000000 || status > 0xffffffff) return undefined;
  return lookup('se.tetra', status >>> 0);
}

export function severityLabel(s: Finding['severity']): string {
  switch (s) {
    case 'error':
      return l10n.t('Error');
    case 'warning':
      return l10n.t('Warning');
    case 'information':
      return l10n.t('Information');
    case 'hint':
      return l10n.t('Hint');
  }
}

export function escapeMd(text: string): string {
  return text.replace(/[\\`*_{}\[\]()#+!|<>~]/g, (c) => '\\' + c);
}

/**
 * Bundle text (file names, paths) as a Markdown code span that nothing in it can break: a fence
 * longer than any run of backticks inside, and `|` escaped so table rows stay whole.
 */
export function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ')}${pad}${fence}`;
}

/** A fenced code block that nothing in `text` can close, indented to sit inside a list item. */
export function codeBlock(text: string, indent = ''): string[] {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${indent}${fence}`, ...text.split(/\r\n|\r|\n/).map((l) => indent + l), `${indent}${fence}`];
}

/** A clear sentence for input that cannot be analysed (CLI stderr, server errors). */
export function inputErrorMessage(e: InputError, target: string): string {
  switch (e.code) {
    case 'not-found':
      return l10n.t('{0} does not exist or cannot be opened ({1}).', target, coreWords(e.text, e.detail));
    case 'unreadable':
      return l10n.t('{0} cannot be read ({1}).', target, coreWords(e.text, e.detail));
    case 'unsupported-archive':
      return l10n.t('{0} is a {1} archive. Reading inside archives is not supported yet: extract it and diagnose the folder.', target, e.detail);
    case 'too-large':
      return l10n.t('{0} is too large to analyse ({1}).', target, coreWords(e.text, e.detail));
  }
}


/** The area of a finding (its id's first part) as the Findings tree groups it. */
export function findingAreaLabel(area: string): string {
  switch (area) {
    case 'tetra':
      return l10n.t('TETRA definitions');
    case 'tls':
      return l10n.t('TLS and certificates');
    case 'dns':
      return l10n.t('DNS');
    case 'isolation':
      return l10n.t('Endpoint isolation');
    case 'policy':
      return l10n.t('Policy');
    case 'connector':
      return l10n.t('Connector');
    case 'log':
      return l10n.t('Logging');
    case 'exclusions':
      return l10n.t('Exclusions');
    case 'xml':
      return l10n.t('Connector files');
    case 'quarantine':
    case 'scan':
    case 'ioc':
      return l10n.t('Protection');
    default:
      return area;
  }
}
