/**
 * Words for core's structured results: hover text, diagnostic messages and reports. Used by the
 * language server and the CLI; every sentence goes through `@vscode/l10n` so translations only
 * add bundle files. Knowledge texts (a code's summary, meaning, next step) come from core's data
 * and are looked up in the bundle by their English text as well.
 */
import * as l10n from '@vscode/l10n';
import { HEADER_SOURCE, isKnown, lookup, summaryFromName, type CodeEntry, type CodeMatch, type Confidence, type Decoded, type FamilyId } from '../core/codes';
import type { InputError } from '../core/bundle/inputs';
import type { Finding } from '../core/types';

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

/** Knowledge text from core's tables, translated when a bundle has it. */
function knowledge(text: string): string {
  return l10n.t(text);
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

function viaText(via: CodeMatch['via']): string {
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

function confidenceText(c: Confidence): string {
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
  return out.join('\n');
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

/** The diagnostic / report message of a finding: what, how often, and the next step. */
export function findingMessage(f: Finding): string {
  switch (f.id) {
    case 'tetra.update-failed': {
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

/** A clear sentence for input that cannot be analysed (CLI stderr, server errors). */
export function inputErrorMessage(e: InputError, target: string): string {
  switch (e.code) {
    case 'not-found':
      return l10n.t('{0} does not exist or cannot be opened ({1}).', target, e.detail);
    case 'unreadable':
      return l10n.t('{0} cannot be read ({1}).', target, e.detail);
    case 'unsupported-archive':
      return l10n.t('{0} is a {1} archive. Reading inside archives is not supported yet: extract it and diagnose the folder.', target, e.detail);
    case 'too-large':
      return l10n.t('{0} is too large to analyse ({1}).', target, e.detail);
  }
}

