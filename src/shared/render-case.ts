/**
 * Words for the case trees (issue 8): the endpoint's facts, the codes seen and the timeline that
 * `src/core/diagnose/case.ts` builds as ids and arguments. Every sentence goes through
 * `@vscode/l10n`; a code's meaning comes from the same decoder and knowledge as the hover.
 */
import * as l10n from '@vscode/l10n';
import { decode, HINT_IDS, lookup, type ContextHint, type Decoded } from '../core/codes';
import type { EndpointFact, SeenCode, TimelineEvent } from '../core/diagnose/types';
import { versionFolderOf } from '../core/log/rules';
import { decodedSummary, knowledge, platformName, readingView, wordList } from './render';

// --- Endpoint --------------------------------------------------------------------------------

export function endpointFactLabel(fact: EndpointFact): string {
  switch (fact.id) {
    case 'hostname':
      return l10n.t('Host name');
    case 'os':
      return l10n.t('Operating system');
    case 'platform':
      return l10n.t('Platform');
    case 'connector-version':
      return l10n.t('Connector version');
    case 'connector-guid':
      return l10n.t('Connector GUID');
    case 'policy-name':
      return l10n.t('Policy');
    case 'policy-serial':
      return l10n.t('Policy serial number');
    case 'tetra-version':
      return l10n.t('TETRA definitions');
    case 'tetra-age':
      return l10n.t('Definitions last updated');
    case 'update-server':
      return l10n.t('TETRA update server');
    case 'proxy':
      return l10n.t('Proxy');
    case 'isolation':
      return l10n.t('Endpoint Isolation');
  }
}

/** Where a fact was read, in words (`console`, `AmpCLI posture`, `version folder` …). */
export function sourceName(via: string | number | undefined): string {
  switch (String(via ?? '')) {
    case 'console':
      return l10n.t('console');
    case 'posture':
      return l10n.t('AmpCLI posture');
    case 'ampcli':
      return l10n.t('ampcli status');
    case 'local.xml':
      return 'local.xml';
    case 'policy':
      return 'policy.xml';
    case 'version-folder':
      return l10n.t('version folder');
    case 'registry':
      return l10n.t('registry');
    case 'log':
    case 'connector-log':
      return l10n.t('connector log');
    case 'os-info':
      return l10n.t('OS output');
    case 'path':
      return l10n.t('bundle paths');
    case 'default':
      return l10n.t('default');
    default:
      return String(via ?? '');
  }
}

function isolationStateName(state: string | number | undefined): string {
  switch (String(state ?? '')) {
    case 'isolated':
      return l10n.t('Isolated');
    case 'not-isolated':
      return l10n.t('Not isolated');
    case 'pending':
      return l10n.t('Isolation pending');
    default:
      return String(state ?? '');
  }
}

function isolationReason(reason: string | number | undefined): string {
  switch (String(reason ?? '')) {
    case 'unlock-code':
      return l10n.t('registry: unlock_code present');
    case 'no-unlock-code':
      return l10n.t('registry: no unlock_code');
    case 'unlock-code-deleted':
      return l10n.t('registry: unlock_code deleted');
    default:
      return '';
  }
}

/** `value (source)`, and the other value the bundle gives when it gives two. */
function withSource(value: string, fact: EndpointFact): string {
  const text = l10n.t('{0} ({1})', value, sourceName(fact.args['via']));
  const other = fact.args['other'];
  if (other === undefined || fact.id === 'isolation') return text;
  const others = Number(fact.args['others'] ?? 1);
  return others > 1 ? l10n.t('{0}; also {1} and {2} more', text, String(other), others - 1) : l10n.t('{0}; also {1}', text, String(other));
}

export function endpointFactDescription(fact: EndpointFact): string {
  const a = fact.args;
  switch (fact.id) {
    case 'os':
      return withSource(a['version'] !== undefined ? `${fact.value} ${String(a['version'])}` : fact.value, fact);
    case 'platform':
      return withSource(platformName(fact.value), fact);
    case 'connector-version': {
      const vias = String(a['vias'] ?? a['via'] ?? '')
        .split(',')
        .filter((v) => v !== '')
        .map(sourceName);
      return vias.length > 0 ? l10n.t('{0} ({1})', fact.value, wordList(vias)) : fact.value;
    }
    case 'tetra-version': {
      const behind = a['behind'];
      if (typeof behind === 'number' && behind > 0) return l10n.t('{0} ({1}; {2} available, {3} behind)', fact.value, sourceName(a['via']), String(a['available']), behind);
      return withSource(fact.value, fact);
    }
    case 'tetra-age': {
      if (a['never'] !== undefined) return l10n.t('never ({0})', sourceName(a['via']));
      const days = Number(a['days'] ?? 0);
      if (days < 1) return l10n.t('{0} (less than a day before the bundle’s newest time; {1})', fact.value, sourceName(a['via']));
      if (days === 1) return l10n.t('{0} (1 day before the bundle’s newest time; {1})', fact.value, sourceName(a['via']));
      return l10n.t('{0} ({1} days before the bundle’s newest time; {2})', fact.value, days, sourceName(a['via']));
    }
    case 'isolation': {
      const reason = isolationReason(a['reason']);
      const text = l10n.t('{0} ({1})', isolationStateName(fact.value), reason || sourceName(a['via']));
      return a['other'] !== undefined ? l10n.t('{0}; {1} says {2}', text, sourceName(a['otherVia']), isolationStateName(a['other'])) : text;
    }
    default:
      return withSource(fact.value, fact);
  }
}

// --- Codes -----------------------------------------------------------------------------------

const HINTS: readonly string[] = HINT_IDS;

/** The code decoded with the context it was seen in (its 32 bits; the hint ranks the family). */
export function decodeSeen(code: SeenCode): Decoded | undefined {
  const hint = HINTS.includes(code.hint) ? (code.hint as ContextHint) : undefined;
  return decode(BigInt(code.u32 >>> 0), hint);
}

/** `4294965193 (-2103)`, `0x80092013 CRYPT_E_REVOCATION_OFFLINE`, `2164260866 Policy Update Failure`. */
export function codeLabel(code: SeenCode): string {
  const best = decodeSeen(code)?.matches[0];
  if (!best) return code.text;
  const view = readingView(best);
  let label = code.text;
  if (view.value !== code.text && view.value !== String(code.u32)) label += ` (${view.value})`;
  const name = view.name === undefined ? undefined : best.family === 'se.event' ? knowledge(view.name) : view.name;
  if (name) label += ` ${name}`;
  return label;
}

/** The best reading's summary (the hover's headline) and how often the bundle shows the code. */
export function codeDescription(code: SeenCode): string {
  const d = decodeSeen(code);
  const summary = d ? decodedSummary(d) : l10n.t('No known meaning for this value.');
  return code.count === 1 ? l10n.t('{0} · once', summary) : l10n.t('{0} · {1} times', summary, code.count);
}

// --- Timeline --------------------------------------------------------------------------------

function eventName(type: string | number | undefined): string | undefined {
  const n = Number(type);
  if (!Number.isInteger(n)) return undefined;
  const e = lookup('se.event', n >>> 0);
  return e?.symbol ? knowledge(e.symbol) : undefined;
}

export function timelineLabel(event: TimelineEvent): string {
  const a = event.args;
  switch (event.kind) {
    case 'tetra.updated':
      return a['version'] !== undefined ? l10n.t('TETRA updated to version {0}', String(a['version'])) : l10n.t('TETRA updated');
    case 'tetra.failed':
      return l10n.t('TETRA update failed with {0}', String(a['status']));
    case 'tetra.attempt':
      return l10n.t('TETRA update attempt');
    case 'isolation.started':
      return l10n.t('Isolation started');
    case 'isolation.stopped':
      return l10n.t('Isolation stopped');
    case 'isolation.failed':
      switch (a['action']) {
        case 'start':
          return l10n.t('Isolation start failed');
        case 'stop':
          return l10n.t('Isolation stop failed');
        case 'update':
          return l10n.t('Isolation update failed');
        default:
          return eventName(a['type']) ?? l10n.t('Isolation failed');
      }
    case 'isolation.unlock-limit':
      return l10n.t('Unlock limit reached (unlocking locked for 30 minutes)');
    case 'policy.updated':
      return l10n.t('Policy updated');
    case 'policy.failed':
      return l10n.t('Policy update failed');
  }
}

/** The file an event sits in, short: `8.1.7.21417/sfc.exe.log.1`. */
function shortFile(file: string): string {
  const base = file.split(/[\\/]/).pop() ?? file;
  const version = versionFolderOf(file);
  return version ? `${version}/${base}` : base;
}

/** When and where: `2023-01-02 09:10:00 · 7.4.5.20701/sfc.exe.log`, and a failure's meaning. */
export function timelineDescription(event: TimelineEvent): string {
  const time = event.iso ? event.time.replace('T', ' ') : event.time;
  const where = l10n.t('{0} · {1}', time, shortFile(event.place.file));
  if (event.kind === 'tetra.failed') {
    const status = Number(event.args['status']);
    const d = Number.isInteger(status) && status >= -0x80000000 && status <= 0xffffffff ? decode(BigInt(status), 'tetra-status') : undefined;
    const best = d?.matches[0];
    if (best?.entry) return l10n.t('{0} · {1}', where, knowledge(best.entry.summary));
  }
  return where;
}
