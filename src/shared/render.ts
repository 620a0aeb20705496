/**
 * Words for core's structured results: hover text, diagnostic messages and reports. Used by the
 * language server and the CLI; every sentence goes through `@vscode/l10n` so translations only
 * add bundle files. Knowledge texts (a code's summary, meaning, next step) come from core's data
 * and are looked up in the bundle by their English text as well.
 */
import * as l10n from '@vscode/l10n';
import { lookup, type CodeEntry, type CodeMatch, type Decoded, type FamilyId } from '../core/codes';
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

/** A one-line summary for a decoded number: the best match's summary, or what is known structurally. */
export function decodedSummary(d: Decoded): string {
  const best = d.matches.find((m) => m.entry) ?? d.matches[0];
  if (best?.entry) return knowledge(best.entry.summary);
  if (best?.text) return `${familyName(best.family)}: ${best.text}`;
  if (!d.readings) return l10n.t('Wider than 32 bits: not a status code.');
  return l10n.t('No known meaning for this value.');
}

function readingsTable(d: Decoded): string[] {
  const r = d.readings;
  if (!r) return [`| ${l10n.t('decimal')} | ${l10n.t('hex')} |`, '|---|---|', `| ${d.value.toString()} | 0x${(d.value < 0n ? -d.value : d.value).toString(16).toUpperCase()} |`];
  return [
    `| ${l10n.t('unsigned')} | ${l10n.t('signed')} | ${l10n.t('hex')} |`,
    '|---:|---:|---:|',
    `| ${r.unsigned} | ${r.signed} | ${r.hex} |`,
  ];
}

function matchSection(m: CodeMatch, d: Decoded): string[] {
  const lines: string[] = [];
  const e: CodeEntry | undefined = m.entry;
  const title = familyName(m.family);
  if (m.family === 'ipv4.le') {
    lines.push(`**${title}**: \`${m.text}\``);
    return lines;
  }
  if (!e) {
    lines.push(`**${title}**: ${l10n.t('the context says this is one, but the meaning of {0} is not documented.', shown(m.family, d))}`);
    return lines;
  }
  const symbol = e.symbol ? ` \`${e.symbol}\`` : '';
  const via = m.via === 'hresult-from-win32' ? ` ${l10n.t('(wrapped in an HRESULT)')}` : '';
  lines.push(`**${title}** \`${shown(m.family, d)}\`${symbol}${via}: ${knowledge(e.summary)}`);
  if (e.meaning) lines.push('', `${l10n.t('What it usually means here:')} ${knowledge(e.meaning)}`);
  if (e.next) lines.push('', `${l10n.t('Next step:')} ${knowledge(e.next)}`);
  lines.push('', `*${l10n.t('Source: {0}', e.source)}*`);
  return lines;
}

/** The value as the family writes it (TETRA statuses signed, Windows codes in hex, others unsigned). */
function shown(family: FamilyId, d: Decoded): string {
  const r = d.readings;
  if (!r) return d.value.toString();
  if (family === 'se.tetra') return String(r.signed);
  if (family === 'win.hresult') return r.hex;
  if (family === 'win.inet') return String(r.hresult.severity ? r.hresult.code : r.unsigned);
  return String(r.unsigned);
}

/** Hover markdown for a number: every reading of the 32 bits, then every family match, best first. */
export function hoverMarkdown(d: Decoded): string {
  const out: string[] = [`**${escapeMd(d.input)}** — ${decodedSummary(d)}`, '', ...readingsTable(d)];
  for (const m of d.matches) out.push('', '---', '', ...matchSection(m, d));
  const r = d.readings;
  if (r && r.hresult.severity === 1) {
    const h = r.hresult;
    out.push(
      '',
      '---',
      '',
      l10n.t('HRESULT fields: S={0} R={1} C={2} N={3} X={4}, facility {5}, code {6} (0x{7})', h.severity, h.reserved, h.customer, h.ntstatus, h.x, h.facility, h.code, h.code.toString(16).toUpperCase().padStart(4, '0')),
    );
  }
  if (d.matches.length === 0 && r) out.push('', l10n.t('No table knows this value; the readings above are all that can be said.'));
  return out.join('\n');
}

/** The diagnostic / report message of a finding. */
export function findingMessage(f: Finding): string {
  switch (f.id) {
    case 'tetra.update-failed': {
      const status = Number(f.args['status']);
      const d = decodedForStatus(status);
      const what = d ? knowledge(d.summary) : l10n.t('status {0} has no documented meaning', status);
      const next = d?.next ? ' ' + knowledge(d.next) : '';
      const count = Number(f.args['count']);
      const head =
        count === 1
          ? l10n.t('TETRA definitions update failed with status {0} at {1}: {2}', status, f.args['first']!, what)
          : l10n.t('TETRA definitions update failed with status {0} in {1} attempts from {2} to {3}: {4}', status, count, f.args['first']!, f.args['last']!, what);
      return head + next;
    }
    default:
      return f.id;
  }
}

function decodedForStatus(status: number): CodeEntry | undefined {
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

