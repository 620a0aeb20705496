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

/** Knowledge text from core's tables (codes, XML settings), translated when a bundle has it. */
export function knowledge(text: string): string {
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
  return off.join(', ');
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
        l10n.t('Not well-formed XML here ({0}): what follows may be missing from the settings shown. An edited or partly copied file breaks like this: copy the file again from the endpoint.', shortValue(f.args['detail'])) +
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

/** The diagnostic / report message of a finding: what, how often, and the next step. */
export function findingMessage(f: Finding): string {
  const problem = xmlProblemMessage(f);
  if (problem !== undefined) return problem;
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

