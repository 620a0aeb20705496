/**
 * Command outputs and console texts recognised by their CONTENT, wherever they sit in a bundle or
 * a case folder and whatever the file is called (BRIEF §2.1: "detect files by name and by
 * content, never by a fixed tree"; §2.5 and §2.6 list the shapes; seeds 000/001/002/004 hold them
 * verbatim).
 *
 * Each recogniser is data: an id, a cheap content test, a parser and its source. A parser returns
 * structured values, each with the place it was read from (zero-based line and UTF-16 range, as in
 * LSP) so rules can cite it as evidence. Parsers never throw on content: garbage gives nothing.
 * The text is bounded (`RECOGNISE_MAX_CHARS`, one prefix per file); lines are split on LF, CRLF or
 * a lone CR; the caller decodes bytes (UTF-8, UTF-16 with or without BOM: `ByteDecoder`).
 *
 * Secrets: an isolation unlock code is never kept. Every text this module keeps (evidence lines,
 * values) goes through `redact`, which masks whatever follows an `unlock code` / `unlock_code`
 * label or an `sfc.exe -n` switch, and the password of a URL; registry values whose name says
 * secret are kept masked, with their length only.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { entries, lookup } from '../codes/catalogue';
import { ByteDecoder, detach, splitLines } from '../text/lines';
import { NEVER_CANCELLED, throwIfCancelled, type Cancellation, type Range } from '../types';
import { tetraVersionOf } from '../xml/local';
import { analyzeXmlText } from '../xml/rules';
import { hostOf } from '../xml/settings';
import type { LocalXmlModel, PolicyXmlModel, XmlElement } from '../xml/types';
// Type only: `inputs.ts` may import this module to wire it in without a cycle.
import type { PathAnalysis } from './inputs';
import { unreadableFor } from './source';
import type { Unreadable } from '../text';

// ---------------------------------------------------------------------------------------------
// Types

/** A place in a recognised text: zero-based line, the range of the value, the (redacted, bounded) line. */
export interface Mark {
  line: number;
  range: Range;
  text: string;
}

/** A parsed value and where it was read. */
export interface Field<T> {
  value: T;
  at: Mark;
}

/** A time as the text writes it (`2023-05-17 19:40:25 UTC`), and as epoch milliseconds when it parses. */
export interface TimeValue {
  text: string;
  /** Epoch ms. Without a known zone the clock is read as UTC and `zoneKnown` is false. */
  epochMs?: number;
  zone?: string;
  zoneKnown: boolean;
}

export type Platform = 'windows' | 'macos' | 'linux';

/** Console "Computer details" (seeds 000/002/004). */
export interface ConsoleDetailsData {
  hostname?: Field<string>;
  operatingSystem?: Field<string>;
  connectorVersion?: Field<string>;
  connectorGuid?: Field<string>;
  lastSeen?: Field<TimeValue>;
  /** `TETRA 64 bit (daily version: 90600)`. */
  definitionVersion?: Field<{ engine: string; bits?: number; version: number }>;
  definitionsLastUpdated?: Field<TimeValue>;
  /** The failure the console writes after the date: unreachable server (seeds 000/002) or network timeout (seed 001, -3000). */
  updateFailed?: Field<'unreachable' | 'network-timeout' | 'other'>;
  updateServer?: Field<string>;
  /** The header's badge: `Definitions Up To Date` / `Definition Update Failed`. */
  definitionsStatus?: Field<'up-to-date' | 'update-failed'>;
}

/** Console Management > AV Definition Summary (seeds 000/002). */
export interface AvDefinitionsData {
  /** The summary's head: one column per engine build (`64bit`, `32bit`), its latest version and time. */
  latest: Array<{ label: string; version: number; time?: TimeValue; at: Mark }>;
  /** The table of one engine: version and the time it became available, as listed. */
  rows: Array<{ version: number; time?: TimeValue; at: Mark }>;
}

/** `AmpCLI.exe posture` JSON (seeds 000/002; the seeds cut the line after `connector_version`). */
export interface PostureData {
  /** The JSON parsed whole (false: read key by key from a cut or damaged text). */
  complete: boolean;
  agentUuid?: Field<string>;
  connected?: Field<boolean>;
  connectorVersion?: Field<string>;
  tetraVersion?: Field<number>;
  /** A key naming isolation *(unconfirmed: the seeds' line is cut before it)*. */
  isolated?: Field<boolean>;
}

/** `ampcli status` (BRIEF §2.6) and the Secure Client's status lines (seed 004): `Key: value`. */
export interface AmpcliStatusData {
  /** Every record in text order; a record ends where a key repeats. */
  records: AmpcliRecord[];
}

export interface AmpcliRecord {
  fields: Array<{ key: string; value: string; at: Mark }>;
  status?: string;
  isolation?: Field<'isolated' | 'not-isolated' | 'pending'>;
  definitionVersion?: Field<number>;
  definitionsLastUpdated?: Field<TimeValue>;
  at: Mark;
}

export type DnsErrorKind = 'name-error' | 'timeout' | 'server-failure' | 'no-such-host' | 'refused' | 'other';

/** `Resolve-DnsName` table or error (seeds 000/002), and `nslookup` answers. */
export interface DnsResolveData {
  tool: 'resolve-dnsname' | 'nslookup';
  name?: Field<string>;
  records: Array<{ name: string; type: string; ttl?: number; section?: string; value: string; at: Mark }>;
  error?: { kind: DnsErrorKind; message: string; errorId?: string; at: Mark };
}

/** `curl.exe -v` (seeds 000/002): one run from its command (or first line) to its end. */
export interface CurlData {
  url?: Field<string>;
  host?: string;
  connected?: Mark;
  /** Responses in order; `proxy` for the answer to a CONNECT (`200 Connection established`, `407`). */
  responses: Array<{ status: number; reason: string; proxy: boolean; at: Mark }>;
  exit?: { code: number; message: string; at: Mark };
  /** Schannel / TLS failures with their code (`0x80092013`). */
  tlsErrors: Array<{ code?: number; hex?: string; alert?: number; message: string; at: Mark }>;
  revocation: boolean;
  resolveFailed?: Field<string>;
  connectFailed?: Mark;
  viaProxy: boolean;
}

/** `Get-TlsCipherSuite | ft name` (seed 001), or its list form `Name : TLS_…`. */
export interface CipherSuitesData {
  command?: Mark;
  suites: Array<{ name: string; at: Mark }>;
}

/** Wireshark text of TLS handshakes (seed 001): packet list and packet details. */
export interface WiresharkData {
  clientHellos: Array<{ at: Mark; packet?: number; declared?: number; suites: Array<{ name: string; code?: number; at: Mark }> }>;
  serverHellos: Array<{ at: Mark; packet?: number; suite?: string }>;
  /** One per packet (the list row and the detail of one packet count once). */
  alerts: Array<{ level: string; description: string; code?: number; packet?: number; afterClientHello: boolean; at: Mark }>;
  hosts: string[];
}

/** Windows System events from Schannel (BRIEF §2.5): Event Viewer text, Get-WinEvent/Get-EventLog tables, CSV. */
export interface SchannelEventsData {
  events: Array<{ id: number; alert?: number; direction?: 'received' | 'generated'; errorState?: number; time?: string; at: Mark }>;
}

/** Export or query of `HKEY_LOCAL_MACHINE\SOFTWARE\Immunet Protect` (BRIEF §2.5, seed 004). */
export interface RegistryData {
  form: 'reg-export' | 'reg-query' | 'powershell' | 'reg-delete';
  key?: Field<string>;
  installDir?: Field<string>;
  /** Present = the endpoint is isolated. Never the value: its length and a mask only. */
  unlockCode?: { length: number; masked: string; at: Mark };
  /** `reg query … /v unlock_code` answered that the value does not exist. */
  unlockCodeAbsent?: Mark;
  /** `reg delete … /v unlock_code` and its answer (BRIEF §4.2: "Access is denied" = service still running). */
  unlockDelete?: { result: 'deleted' | 'access-denied' | 'unknown'; at: Mark };
  /** Values of the key (secrets masked), bounded. */
  values: Array<{ key: string; name: string; type?: string; value: string; at: Mark }>;
}

/** systeminfo, sw_vers, /etc/os-release, uname. */
export interface OsInfoData {
  platform: Platform;
  tool: 'systeminfo' | 'sw_vers' | 'os-release' | 'uname';
  name?: Field<string>;
  version?: Field<string>;
  architecture?: Field<string>;
  /** systeminfo's `Host Name:`. */
  hostName?: Field<string>;
}

export type IsolationState = 'isolated' | 'not-isolated' | 'pending';

/** Console texts about Endpoint Isolation (seed 004): status, unlock code, error details, events. */
export interface ConsoleIsolationData {
  statuses: Array<{ state: IsolationState; time?: TimeValue; at: Mark }>;
  /** The state the text ends on (latest time, else last in text order). */
  final?: IsolationState;
  /** The console shows an unlock code: masked, length only. */
  unlockCodeShown?: { length: number; masked: string; at: Mark };
  /** `Error Code 3240624137` and other console error codes. */
  errorCodes: Array<{ value: number; at: Mark }>;
  /** `Invalid unlock code` in the text. */
  invalidUnlockCode?: Mark;
  /** Event types, by id (`553648215`) or by the console's name (`Unlock Limit Reached`). */
  events: Array<{ type: number; at: Mark }>;
}

/** local.xml read by content (what the bundle rules need of it). */
export interface LocalXmlData {
  tetraVersion?: Field<number>;
  lastError?: Field<number>;
  connectorVersion?: Field<string>;
  /** `/config/agent/uuid`. */
  connectorGuid?: Field<string>;
  /** `lastsuccesstime` as epoch seconds (the last successful TETRA update). */
  lastSuccessTime?: Field<number>;
}

/** policy.xml read by content (what the bundle rules need of it; the proxy password is never kept). */
export interface PolicyXmlData {
  policyName?: Field<string>;
  policySerial?: Field<number>;
  policyUuid?: Field<string>;
  /** The policy's proxy: host, port and type only (never the user name's password). */
  proxyServer?: Field<string>;
  proxyPort?: Field<number>;
  proxyType?: Field<number>;
  tetraUpdateServer?: Field<string>;
  tetraUpdaterEnabled?: Field<boolean>;
  tetraUpdateInterval?: Field<number>;
  crlCheck?: Field<boolean>;
  isolationEnabled?: Field<boolean>;
  agentLogLevel?: Field<number>;
}

interface OutputData {
  'console.computer-details': ConsoleDetailsData;
  'console.av-definitions': AvDefinitionsData;
  'console.isolation': ConsoleIsolationData;
  'ampcli.posture': PostureData;
  'ampcli.status': AmpcliStatusData;
  'dns.resolve': DnsResolveData;
  'curl.verbose': CurlData;
  'tls.cipher-suites': CipherSuitesData;
  'wireshark.tls': WiresharkData;
  'windows.schannel-events': SchannelEventsData;
  'registry.immunet': RegistryData;
  'os.info': OsInfoData;
  'connector.local-xml': LocalXmlData;
  'connector.policy-xml': PolicyXmlData;
}

export type OutputId = keyof OutputData;

/** One recognised output in a file. A file may hold several (pasted one after another). */
export type RecognisedOutput = {
  [I in OutputId]: {
    id: I;
    /** As the caller passed it: relative to the bundle root. */
    file: string;
    /** From the output's first line to its last. */
    range: Range;
    /** Where the shape is documented (BRIEF section, seed, or "unconfirmed"). */
    source: string;
    data: OutputData[I];
    /** Set when the file was longer than `RECOGNISE_MAX_CHARS` and only its start was read. */
    partial?: true;
  };
}[OutputId];

export type OutputOf<I extends OutputId> = Extract<RecognisedOutput, { id: I }>;

/** What a parser returns for one output (the caller adds id, file and source). */
export interface Parsed<D> {
  range: Range;
  data: D;
}

export interface Doc {
  file: string;
  /** The bounded text. */
  text: string;
  lines: string[];
}

export interface Recogniser<I extends OutputId> {
  id: I;
  source: string;
  /** Cheap: one or two regular expression tests over the text. */
  test: (text: string) => boolean;
  parse: (doc: Doc) => Array<Parsed<OutputData[I]>>;
}

// ---------------------------------------------------------------------------------------------
// Bounds and shared helpers

/** The prefix of a file that is read (characters): 4 Mi, about 4 MB of UTF-8 text. */
export const RECOGNISE_MAX_CHARS = 4 * 1024 * 1024;
/** Items kept per list of one output (suites, records, events, values). */
const MAX_ITEMS = 1000;
/** Outputs kept per recogniser per file. */
const MAX_OUTPUTS = 100;
/** Evidence text kept per line. */
const MAX_MARK_TEXT = 300;
/** Characters of a line the parsers look at (pasted outputs have short lines; the start of a longer one is kept). */
const MAX_LINE = 16 * 1024;
/** JSON read for one posture object. */
const MAX_JSON = 64 * 1024;

/** Masks a secret: as many bullets as characters (at most 32); never any of its characters. */
export function mask(value: string): string {
  return '•'.repeat(Math.max(1, Math.min(value.length, 32)));
}

/** Words after an unlock-code label that are not the code (placeholders, switches, registry types, "None"). */
const NOT_A_SECRET = /^(?:none|n\/a|null|empty|reg_sz|reg_expand_sz|reg_binary|reg_dword|reg_qword|reg_multi_sz|\/\w{1,3}|-\w{1,3}|[[<{(].*|.*[\]>})]|[^\p{L}\p{N}]+)$/iu;
// Any blanks, tabs (OCR-split cells), no-break spaces, `_` or `-` between the words (review of issue 7).
const SECRET_LABEL = /unlock[\s_\-\u00A0]*code|\bsfc(?:\.exe)?["']?\s+-n\b/i;

/**
 * Text safe to keep and show: everything after an unlock-code label (or `sfc.exe -n`) on the line
 * is masked word by word, except words that are evidently not the code; a URL's password is masked.
 */
export function redact(line: string): string {
  let out = line.replace(/(\b[a-z][a-z0-9+.-]{0,20}:\/\/[^\s/@:]{1,256}:)[^\s/@]{1,256}@/gi, (_m, head: string) => `${head}••••@`);
  // `user:password@host` without a scheme (`curl: (6) Could not resolve host: admin:pw@host`).
  out = out.replace(/(^|[\s'"(=])([^\s/@:'"]{1,256}):[^\s/@]{1,256}@(?=[\w.-]+)/g, (_m, pre: string, user: string) => `${pre}${user}:••••@`);
  const m = SECRET_LABEL.exec(out);
  if (!m) return out;
  const cut = m.index + m[0].length;
  out = out.slice(0, cut) + out.slice(cut).replace(/[^\s"'=:,;|\t]+/g, (tok) => (NOT_A_SECRET.test(tok) ? tok : mask(tok)));
  return out;
}

function range(line: number, start: number, end: number): Range {
  return { start: { line, character: start }, end: { line, character: end } };
}

function markOf(doc: Doc, line: number, start = 0, end?: number): Mark {
  const text = doc.lines[line] ?? '';
  const e = Math.max(start, Math.min(end ?? text.length, text.length));
  const shown = redact(text.length > MAX_MARK_TEXT ? `${text.slice(0, MAX_MARK_TEXT)}…` : text);
  return { line, range: range(line, Math.min(start, e), e), text: detach(shown.trim()) };
}

/** The mark of a value found in a line at or after `from` (the whole line when it is not found). */
function valueMark(doc: Doc, line: number, value: string, from = 0): Mark {
  const text = doc.lines[line] ?? '';
  const i = text.indexOf(value, from);
  return i >= 0 ? markOf(doc, line, i, i + value.length) : markOf(doc, line);
}

function spanOf(first: number, last: number, doc: Doc): Range {
  const end = Math.max(first, last);
  return { start: { line: first, character: 0 }, end: { line: end, character: (doc.lines[end] ?? '').length } };
}

function keep(s: string, max = 256): string {
  const t = s.trim();
  return detach(t.length > max ? `${t.slice(0, max)}…` : t);
}

/** Lines pasted from documents carry list markers and escapes: `- * Trying`, `\* Connected`. */
function clean(line: string): string {
  return line.replace(/^\s*(?:[-•]\s+)?\\?/, '');
}

/** `PS C:\…> cmd`, `C:\…>cmd`, `user@host:~$ cmd`, `$ cmd`: the command typed, else undefined. */
const PROMPT = /^\s*(?:[-•]\s+)?(?:PS [^>\r\n]{0,260}>|[A-Za-z]:\\[^>\r\n]{0,260}>|[\w.-]{1,64}@[\w.-]{1,64}(?::[^$#\r\n]{0,200})?[$#]|\$|%)\s*(\S.*)$/;
function commandOf(line: string): string | undefined {
  return PROMPT.exec(line)?.[1];
}

// Times ----------------------------------------------------------------------------------------

/** Zone abbreviations the console prints (seed 000/002 UTC, seed 004 CDT) and common others, in minutes east of UTC. */
const ZONES: Readonly<Record<string, number>> = {
  UTC: 0, GMT: 0, Z: 0, WET: 0, WEST: 60, BST: 60, CET: 60, CEST: 120, EET: 120, EEST: 180,
  EST: -300, EDT: -240, CST: -360, CDT: -300, MST: -420, MDT: -360, PST: -480, PDT: -420,
  AKST: -540, AKDT: -480, HST: -600, JST: 540, KST: 540, SGT: 480, AEST: 600, AEDT: 660,
};
const ZONE_NAMES = Object.keys(ZONES).sort((a, b) => b.length - a.length).join('|');
/** `2023-05-17 19:40:25 UTC`, `2021-09-28T23:39:08Z`, `2023-05-17 19:40 +02:00`. */
const DATE_SOURCE = `\\d{4}-\\d{2}-\\d{2}[ T]\\d{1,2}:\\d{2}(?::\\d{2})?(?:\\.\\d{1,6})?(?: ?(?:${ZONE_NAMES}|[+-]\\d{2}:?\\d{2})\\b)?`;

export function parseTime(text: string): TimeValue {
  const t = text.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?(?:\.\d+)?\s?([A-Z]{1,5}|[+-]\d{2}:?\d{2})?$/.exec(t);
  const out: TimeValue = { text: detach(t), zoneKnown: false };
  if (!m) return out;
  const [, y, mo, d, h, mi, s, z] = m;
  let offset = 0;
  if (z !== undefined) {
    if (/^[+-]/.test(z)) {
      const sign = z.startsWith('-') ? -1 : 1;
      const digits = z.replace(/[+:-]/g, '');
      offset = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4)));
      out.zoneKnown = true;
    } else if (ZONES[z] !== undefined) {
      offset = ZONES[z]!;
      out.zoneKnown = true;
    }
    out.zone = z;
  }
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0)) - offset * 60_000;
  if (Number.isFinite(ms) && Number(mo) >= 1 && Number(mo) <= 12 && Number(d) >= 1 && Number(d) <= 31 && Number(h) <= 23) out.epochMs = ms;
  return out;
}

// ---------------------------------------------------------------------------------------------
// Console "Computer details" (seeds 000, 002, 004)

interface ConsoleField {
  key: Exclude<keyof ConsoleDetailsData, 'updateFailed' | 'definitionsStatus'>;
  re: RegExp;
}

/** Label, then tabs/spaces/colon/pipe, then the value's shape. Data: add a row for another label. */
const CONSOLE_FIELDS: readonly ConsoleField[] = [
  { key: 'hostname', re: /(?<![\w-])Hostname[\t :|]+([A-Za-z0-9][A-Za-z0-9._-]{0,62})/ },
  { key: 'operatingSystem', re: /(?<![\w-])Operating System[\t :|]+([^\t|]{2,120}?)(?=\t|\s*\|| {2,}| Policy\b| Group\b|$)/ },
  { key: 'connectorVersion', re: /(?<![\w-])Connector Version[\t :|]+(\d{1,3}(?:\.\d{1,6}){1,3})\b/ },
  { key: 'connectorGuid', re: /(?<![\w-])Connector GUID[\t :|]+([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})\b/ },
  { key: 'lastSeen', re: new RegExp(`(?<![\\w-])Last Seen[\\t :|]+(${DATE_SOURCE})`) },
  { key: 'definitionVersion', re: /(?<![\w-])Definition Version[\t :|]+((TETRA|ClamAV)?\s*(?:(64|32)\s*-?\s*bit)?\s*\(?\s*(?:daily version:?\s*)?(\d{3,9})\)?)/i },
  { key: 'definitionsLastUpdated', re: new RegExp(`(?<![\\w-])Definitions Last Updated[\\t :|]+(${DATE_SOURCE})`) },
  { key: 'updateServer', re: /(?<![\w-])Update Server[\t :|]+([A-Za-z0-9][A-Za-z0-9.-]{1,252}\.[A-Za-z]{2,24})\b/ },
];

const CONSOLE_TEST = /Definitions Last Updated|Definition Version|Connector Version|Connector GUID|Last Seen/g;

function consoleTest(text: string): boolean {
  const seen = new Set<string>();
  const re = new RegExp(CONSOLE_TEST.source, 'g');
  let m: RegExpExecArray | null;
  let n = 0;
  while ((m = re.exec(text)) !== null && n++ < 200) {
    seen.add(m[0]);
    if (seen.size >= 2) return true;
  }
  return false;
}

function consoleFailure(text: string): 'unreachable' | 'network-timeout' | 'other' | undefined {
  if (/unable to reach the TETRA update server/i.test(text)) return 'unreachable';
  if (/network timeout/i.test(text)) return 'network-timeout';
  if (/\bFailed\b/.test(text)) return 'other';
  return undefined;
}

function parseConsoleDetails(doc: Doc): Array<Parsed<ConsoleDetailsData>> {
  const out: Array<Parsed<ConsoleDetailsData>> = [];
  let block: ConsoleDetailsData = {};
  let first = -1;
  let last = -1;
  let fields = 0;
  let pendingStatus: Field<'up-to-date' | 'update-failed'> | undefined;
  const flush = () => {
    if (fields >= 2 && out.length < MAX_OUTPUTS) out.push({ range: spanOf(first, last, doc), data: block });
    block = {};
    first = -1;
    last = -1;
    fields = 0;
  };
  for (let i = 0; i < doc.lines.length; i++) {
    const line = doc.lines[i]!;
    const status = /Definitions? Up To Date/i.test(line) ? 'up-to-date' : /Definitions? Update Failed/i.test(line) ? 'update-failed' : undefined;
    if (status && !/Definitions Last Updated/.test(line)) {
      if (fields > 0) flush();
      const word = status === 'up-to-date' ? /Definitions? Up To Date/i.exec(line)! : /Definitions? Update Failed/i.exec(line)!;
      pendingStatus = { value: status, at: markOf(doc, i, word.index, word.index + word[0].length) };
    }
    for (const f of CONSOLE_FIELDS) {
      const m = f.re.exec(line);
      if (!m) continue;
      if (block[f.key] !== undefined) flush();
      const valueStart = m.index + m[0].length - m[1]!.length;
      const at = markOf(doc, i, valueStart, valueStart + m[1]!.length);
      switch (f.key) {
        case 'lastSeen':
        case 'definitionsLastUpdated':
          block[f.key] = { value: parseTime(m[1]!), at };
          break;
        case 'definitionVersion': {
          const bits = m[3] ? Number(m[3]) : undefined;
          const v: { engine: string; bits?: number; version: number } = { engine: (m[2] ?? 'TETRA').toUpperCase(), version: Number(m[4]) };
          if (bits) v.bits = bits;
          block.definitionVersion = { value: v, at };
          break;
        }
        default:
          block[f.key] = { value: keep(m[1]!), at };
      }
      if (first < 0) {
        first = pendingStatus && pendingStatus.at.line >= i - 3 ? pendingStatus.at.line : i;
        if (pendingStatus && pendingStatus.at.line >= i - 3) block.definitionsStatus = pendingStatus;
        pendingStatus = undefined;
      }
      last = i;
      fields++;
      if (f.key === 'definitionsLastUpdated') {
        // The console writes the failure after the date, on the same line (or the next one when wrapped).
        const after = line.slice(valueStart + m[1]!.length);
        let kind = consoleFailure(after.split(/\t(?:Update Server|Cisco Secure Client ID)\b/)[0] ?? '');
        let at2 = line;
        let atLine = i;
        const next = doc.lines[i + 1];
        if (!kind && next !== undefined && /^\W{0,3}\s*Failed\b/.test(next.trim())) {
          kind = consoleFailure(next);
          at2 = next;
          atLine = i + 1;
        }
        if (kind) {
          const w = /\bFailed\b/.exec(at2.slice(atLine === i ? valueStart : 0));
          const start = w ? w.index + (atLine === i ? valueStart : 0) : 0;
          block.updateFailed = { value: kind, at: markOf(doc, atLine, start) };
          last = Math.max(last, atLine);
        }
      }
    }
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Console AV Definition Summary (seeds 000, 002)

/** The table's head, `Version⇥⇥Available` (one class for blanks and pipes: no overlapping quantifiers). */
const AV_HEAD = /^[\s|]*Version[\s|]+Available\b/i;
const AV_ROW = new RegExp(`^[^\\w\\d]{0,3}?(\\d{4,7})[\\s|]+(${DATE_SOURCE})`);

/** OCR and copying cut times across cells (`2023-05-18 2⇥0:13:58 UTC`, seed 000): joined back. */
function joinCutTime(line: string): string {
  return line.replace(/(\d{4}-\d{2}-\d{2} )([\d:\s]{4,12}?\d{2}:\d{2})/g, (all, d: string, t: string) => {
    const joined = t.replace(/\s+/g, '');
    return /^\d{1,2}:\d{2}:\d{2}$/.test(joined) ? d + joined : all;
  });
}

function parseAvDefinitions(doc: Doc): Array<Parsed<AvDefinitionsData>> {
  const out: Array<Parsed<AvDefinitionsData>> = [];
  let cur: AvDefinitionsData | undefined;
  let first = -1;
  let last = -1;
  let quiet = 0;
  const flush = () => {
    if (cur && (cur.rows.length > 0 || cur.latest.length > 0) && out.length < MAX_OUTPUTS) out.push({ range: spanOf(first, last, doc), data: cur });
    cur = undefined;
  };
  for (let i = 0; i < doc.lines.length; i++) {
    const raw = doc.lines[i]!;
    const start = /AV Definition Summary/i.test(raw) || AV_HEAD.test(raw);
    if (start && (!cur || /AV Definition Summary/i.test(raw))) {
      if (cur && /AV Definition Summary/i.test(raw)) flush();
      if (!cur) {
        cur = { latest: [], rows: [] };
        first = i;
        last = i;
        quiet = 0;
      }
      continue;
    }
    if (!cur) continue;
    const line = joinCutTime(raw);
    const row = AV_ROW.exec(line);
    if (row && cur.rows.length < MAX_ITEMS) {
      const version = Number(row[1]);
      if (!cur.rows.some((r) => r.version === version)) cur.rows.push({ version, time: parseTime(row[2]!), at: valueMark(doc, i, row[1]!) });
      last = i;
      quiet = 0;
      continue;
    }
    // The head: `64bit⇥32bit`, then `Version 90606⇥Version 120765`, then their times.
    const versions = [...line.matchAll(/\bVersion\s+(\d{4,7})\b/g)];
    if (versions.length > 0) {
      const labels = (doc.lines[i - 1] ?? '').split('\t').map((s) => s.trim()).filter((s) => s.length > 0);
      const times = [...joinCutTime(doc.lines[i + 1] ?? '').matchAll(new RegExp(DATE_SOURCE, 'g'))];
      versions.forEach((v, k) => {
        const entry: AvDefinitionsData['latest'][number] = { label: keep(labels[k] ?? '', 40), version: Number(v[1]), at: valueMark(doc, i, v[1]!, v.index) };
        const t = times[k];
        if (t) entry.time = parseTime(t[0]);
        if (cur!.latest.length < MAX_ITEMS) cur!.latest.push(entry);
      });
      last = Math.max(i, times.length > 0 ? i + 1 : i);
      quiet = 0;
      continue;
    }
    if (raw.trim() !== '' && ++quiet > 40) flush();
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Console isolation texts (seed 004)

const ISOLATION_EVENT_NAMES: ReadonlyArray<{ re: RegExp; type: number }> = [
  { re: /Isolation Stop Fail(?:ed|ure)/i, type: 2164260941 },
  { re: /Isolation Start Fail(?:ed|ure)/i, type: 2164260939 },
  { re: /Unlock Limit Reached/i, type: 553648215 },
  { re: /Isolation Stop(?:ped)?(?: Success)?\b(?! ?Fail)(?! Requested)/i, type: 553648204 },
  { re: /Isolation Start(?:ed)?(?: Success)?\b(?! ?Fail)(?! Requested)/i, type: 553648202 },
];
/** Isolation event type ids (BRIEF §3.3) written as numbers. */
const ISOLATION_EVENT_IDS = new Set([553648202, 2164260939, 553648204, 2164260941, 553648206, 2164260943, 553648215]);
/** Console error codes of Endpoint Isolation written as numbers (BRIEF §3.2). */
const ISOLATION_ERROR_CODES = new Set([3240624137]);

function isolationStateOf(s: string): IsolationState | undefined {
  if (/\bNot Isolated\b/i.test(s)) return 'not-isolated';
  if (/\bIsolated\b/i.test(s)) return 'isolated';
  if (/\bIsolating\b|\bPending (?:Start|Stop)\b|\bStopping\b/i.test(s)) return 'pending';
  return undefined;
}

function parseConsoleIsolation(doc: Doc): Array<Parsed<ConsoleIsolationData>> {
  const data: ConsoleIsolationData = { statuses: [], errorCodes: [], events: [] };
  let first = -1;
  let last = -1;
  const touch = (i: number) => {
    if (first < 0) first = i;
    last = i;
  };
  for (let i = 0; i < doc.lines.length; i++) {
    const line = doc.lines[i]!;
    if (!/isolat|unlock|error code|\b(?:3240624137|553648215|2164260941|2164260939|553648202|553648204|553648206|2164260943)\b|0xC1280009/i.test(line)) continue;
    // Status cells: `Isolated`, `Not Isolated`, `Isolating`, with icon debris (`▶ S® Isolated`), or `Isolation: …`.
    // A status followed by a time (in its cell or the next) is a row of the session's history.
    const cells = line.split('\t');
    let offset = 0;
    cells.forEach((cell, k) => {
      const cellStart = offset;
      offset += cell.length + 1;
      const c = cell.replace(/[^\x20-\x7E]/g, ' ').trim();
      // (`Isolation: Isolated` lines are the client's status: `ampcli.status` reads them.)
      const m = /^(?:[A-Za-z]{1,2}\s+)?(Not Isolated|Isolated|Isolating)(?:\s+(\d{4}-\d{2}-\d{2}.*))?$/.exec(c);
      if (!m) return;
      const state = isolationStateOf(m[1]!);
      if (!state || data.statuses.length >= MAX_ITEMS) return;
      const entry: ConsoleIsolationData['statuses'][number] = { state, at: valueMark(doc, i, m[1]!, cellStart) };
      const time = new RegExp(`^\\s*(${DATE_SOURCE})`).exec(m[2] ?? cells[k + 1] ?? '');
      if (time) entry.time = parseTime(time[1]!);
      data.statuses.push(entry);
      touch(i);
    });
    const uc = /Unlock Code\s*[:\t ]\s*(?:None\s*[\t ]\s*)?([A-Za-z0-9]{4,64})\b/i.exec(line);
    if (uc && !/^none$/i.test(uc[1]!)) {
      const start = uc.index + uc[0].length - uc[1]!.length;
      data.unlockCodeShown = { length: uc[1]!.length, masked: mask(uc[1]!), at: markOf(doc, i, start, start + uc[1]!.length) };
      touch(i);
    }
    for (const m of line.matchAll(/\b(\d{9,10})\b|\b0x([0-9A-Fa-f]{8})\b/g)) {
      const value = m[1] !== undefined ? Number(m[1]) : parseInt(m[2]!, 16);
      const labelled = /Error Code\s*[:\t ]\s*$/i.test(line.slice(0, m.index));
      if ((ISOLATION_ERROR_CODES.has(value) || labelled) && data.errorCodes.length < MAX_ITEMS) {
        data.errorCodes.push({ value, at: markOf(doc, i, m.index, m.index + m[0].length) });
        touch(i);
      } else if (ISOLATION_EVENT_IDS.has(value) && data.events.length < MAX_ITEMS) {
        if (!data.events.some((e) => e.type === value && i - e.at.line <= 3)) data.events.push({ type: value, at: markOf(doc, i, m.index, m.index + m[0].length) });
        touch(i);
      }
    }
    for (const e of ISOLATION_EVENT_NAMES) {
      const m = e.re.exec(line);
      if (m && data.events.length < MAX_ITEMS) {
        // The console writes an event by name and, in its details, by type id: one event.
        if (!data.events.some((x) => x.type === e.type && i - x.at.line <= 3)) data.events.push({ type: e.type, at: markOf(doc, i, m.index, m.index + m[0].length) });
        touch(i);
        break;
      }
    }
    const inv = /Invalid unlock code/i.exec(line);
    if (inv && !data.invalidUnlockCode) {
      data.invalidUnlockCode = markOf(doc, i, inv.index, inv.index + inv[0].length);
      touch(i);
    }
  }
  if (first < 0) return [];
  // The state the text ends on: the latest time when the statuses carry times, else the last written.
  const timed = data.statuses.filter((s) => s.time?.epochMs !== undefined);
  const untimed = data.statuses.filter((s) => s.time?.epochMs === undefined);
  const finalOf = untimed.length > 0 ? untimed[untimed.length - 1] : timed.sort((a, b) => b.time!.epochMs! - a.time!.epochMs!)[0];
  if (finalOf) data.final = finalOf.state;
  if (data.statuses.length === 0 && data.errorCodes.length === 0 && data.events.length === 0 && !data.unlockCodeShown && !data.invalidUnlockCode) return [];
  return [{ range: spanOf(first, last, doc), data }];
}

// ---------------------------------------------------------------------------------------------
// AmpCLI posture JSON (seeds 000, 002)

interface JsonText {
  text: string;
  /** Offsets in `text` where each line starts, with the line number. */
  starts: Array<{ offset: number; line: number }>;
}

function jsonFrom(doc: Doc, line: number, column: number): JsonText {
  const starts: JsonText['starts'] = [];
  let text = '';
  let depth = 0;
  let inString = false;
  let escaped = false;
  for (let i = line; i < doc.lines.length && text.length < MAX_JSON; i++) {
    const l = i === line ? doc.lines[i]!.slice(column) : doc.lines[i]!;
    starts.push({ offset: text.length, line: i });
    for (let k = 0; k < l.length; k++) {
      const ch = l[k]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (ch === '\\') escaped = true;
        else if (ch === '"') inString = false;
      } else if (ch === '"') inString = true;
      else if (ch === '{' || ch === '[') depth++;
      else if (ch === '}' || ch === ']') {
        depth--;
        if (depth === 0) return { text: text + l.slice(0, k + 1), starts };
      }
    }
    text += l + '\n';
  }
  return { text, starts };
}

function markAtOffset(doc: Doc, j: JsonText, offset: number, length: number, column0: number): Mark {
  let s = j.starts[0]!;
  for (const x of j.starts) if (x.offset <= offset) s = x;
  const col = offset - s.offset + (s === j.starts[0] ? column0 : 0);
  return markOf(doc, s.line, col, col + length);
}

function parsePosture(doc: Doc): Array<Parsed<PostureData>> {
  const out: Array<Parsed<PostureData>> = [];
  for (let i = 0; i < doc.lines.length && out.length < MAX_OUTPUTS; i++) {
    const line = doc.lines[i]!;
    const col = line.indexOf('{');
    if (col < 0) continue;
    const previousCommand = /AmpCLI(?:\.exe)?["']?\s+posture/i.test(doc.lines[i - 1] ?? '') || /AmpCLI(?:\.exe)?["']?\s+posture/i.test(line.slice(0, col));
    if (!/"agent_uuid"\s*:/.test(line) && !previousCommand) continue;
    const j = jsonFrom(doc, i, col);
    const data: PostureData = { complete: false };
    let parsed: unknown;
    try {
      parsed = JSON.parse(j.text);
      data.complete = typeof parsed === 'object' && parsed !== null;
    } catch {
      parsed = undefined;
    }
    const find = (re: RegExp): { value: string; mark: Mark } | undefined => {
      const m = re.exec(j.text);
      if (!m) return undefined;
      const start = m.index + m[0].lastIndexOf(m[1]!);
      return { value: m[1]!, mark: markAtOffset(doc, j, start, m[1]!.length, col) };
    };
    const uuid = find(/"agent_uuid"\s*:\s*"([^"\n]{1,64})"/);
    if (uuid) data.agentUuid = { value: keep(uuid.value), at: uuid.mark };
    const connected = find(/"connected"\s*:\s*(true|false)\b/);
    if (connected) data.connected = { value: connected.value === 'true', at: connected.mark };
    const version = find(/"connector_version"\s*:\s*"(\d{1,3}(?:\.\d{1,6}){1,3})"/);
    if (version) data.connectorVersion = { value: keep(version.value), at: version.mark };
    // TETRA's definition version: a key naming TETRA with a version inside, or an entry named TETRA (unconfirmed shape).
    const tetra =
      find(/"[^"\n]{0,40}tetra[^"\n]{0,40}"\s*:\s*\{[^{}]{0,400}?"[^"\n]{0,40}version[^"\n]{0,40}"\s*:\s*"?(?:[^":,}\n]{0,20}:)?(\d{3,9})\b/i) ??
      find(/"(?:name|engine|type|id)"\s*:\s*"[^"\n]{0,20}tetra[^"\n]{0,20}"[^{}]{0,400}?"[^"\n]{0,40}version[^"\n]{0,40}"\s*:\s*"?(?:[^":,}\n]{0,20}:)?(\d{3,9})\b/i) ??
      find(/"[^"\n]{0,40}version[^"\n]{0,40}"\s*:\s*"?(?:[^":,}\n]{0,20}:)?(\d{3,9})"?[^{}]{0,400}?"(?:name|engine|type|id)"\s*:\s*"[^"\n]{0,20}tetra/i) ??
      find(/"tetra[^"\n]{0,40}"\s*:\s*"?(?:[^":,}\n]{0,20}:)?(\d{3,9})\b/i);
    if (tetra) data.tetraVersion = { value: Number(tetra.value), at: tetra.mark };
    const iso = find(/"[^"\n]{0,40}isolat[^"\n]{0,40}"\s*:\s*(true|false|"[^"\n]{0,40}")/i);
    if (iso) {
      const v = iso.value.replace(/"/g, '');
      const state = v === 'true' ? true : v === 'false' ? false : isolationStateOf(v) === 'isolated' ? true : isolationStateOf(v) === 'not-isolated' ? false : undefined;
      if (state !== undefined) data.isolated = { value: state, at: iso.mark };
    }
    if (!data.agentUuid && !data.connectorVersion && !data.tetraVersion && data.connected === undefined) continue;
    const lastLine = j.starts[j.starts.length - 1]!.line;
    out.push({ range: spanOf(previousCommand && !line.slice(0, col).trim() ? i - 1 : i, lastLine, doc), data });
    i = lastLine;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// ampcli status (BRIEF §2.6) and the Secure Client's status line (seed 004)

const AMPCLI_KEYS = ['Definitions Last Updated', 'Definition Version', 'Command-line', 'Last Scan', 'Isolation', 'Scanned', 'Status', 'Policy', 'Faults', 'Orbital', 'Proxy', 'Mode', 'Scan'];
/** Keys that make a record a status record (the others are common words in other outputs). */
const AMPCLI_CORE = new Set(['Status', 'Mode', 'Policy', 'Faults', 'Proxy', 'Definition Version', 'Definitions Last Updated', 'Isolation', 'Scanned']);
const AMPCLI_KEY = new RegExp(`(?<![\\w-])(${AMPCLI_KEYS.join('|')}):[ \\t]*`, 'g');

function parseAmpcliStatus(doc: Doc): Array<Parsed<AmpcliStatusData>> {
  const records: AmpcliRecord[] = [];
  let cur: AmpcliRecord | undefined;
  let quiet = 0;
  const close = () => {
    if (cur && cur.fields.filter((f) => AMPCLI_CORE.has(f.key)).length >= 2 && records.length < MAX_ITEMS) records.push(cur);
    cur = undefined;
  };
  for (let i = 0; i < doc.lines.length; i++) {
    const line = doc.lines[i]!;
    const keys = [...line.matchAll(AMPCLI_KEY)];
    if (keys.length === 0) {
      if (line.trim() !== '' && ++quiet > 2) close();
      continue;
    }
    quiet = 0;
    keys.forEach((k, n) => {
      const key = k[1]!;
      const from = k.index + k[0].length;
      const to = n + 1 < keys.length ? keys[n + 1]!.index : line.length;
      const value = line.slice(from, to).split('\t')[0]!.trim();
      if (cur && cur.fields.some((f) => f.key === key)) close();
      if (!cur) cur = { fields: [], at: markOf(doc, i, k.index) };
      const at = markOf(doc, i, from, from + value.length);
      if (cur.fields.length < 64) cur.fields.push({ key, value: keep(value, 200), at });
      if (key === 'Status') cur.status = keep(value, 64);
      if (key === 'Isolation') {
        const state = isolationStateOf(value);
        if (state) cur.isolation = { value: state, at };
      }
      if (key === 'Definition Version') {
        const v = /(\d{3,9})\s*\)?\s*$/.exec(value) ?? /(\d{3,9})/.exec(value);
        if (v) cur.definitionVersion = { value: Number(v[1]), at };
      }
      if (key === 'Definitions Last Updated') {
        const t = new RegExp(DATE_SOURCE).exec(value);
        if (t) cur.definitionsLastUpdated = { value: parseTime(t[0]), at };
      }
      // A tab after the value starts another panel (seed 004: before and after, side by side).
      if (/\t/.test(line.slice(from, to)) && n + 1 < keys.length && keys[n + 1]![1] === 'Status') close();
    });
  }
  close();
  if (records.length === 0) return [];
  const first = records[0]!.at.line;
  const last = records[records.length - 1]!.fields.at(-1)!.at.line;
  return [{ range: spanOf(first, last, doc), data: { records } }];
}

// ---------------------------------------------------------------------------------------------
// Resolve-DnsName (seeds 000, 002) and nslookup

const DNS_ERRORS: ReadonlyArray<{ re: RegExp; kind: DnsErrorKind }> = [
  { re: /DNS name does not exist|DNS_ERROR_RCODE_NAME_ERROR|Non-existent domain|\bNXDOMAIN\b/i, kind: 'name-error' },
  { re: /timeout period expired|ERROR_TIMEOUT|DNS request timed out|timed out/i, kind: 'timeout' },
  { re: /DNS server failure|DNS_ERROR_RCODE_SERVER_FAILURE|Server failed|SERVFAIL/i, kind: 'server-failure' },
  { re: /No such host is known|WSAHOST_NOT_FOUND/i, kind: 'no-such-host' },
  { re: /DNS_ERROR_RCODE_REFUSED|Query refused|\bREFUSED\b/i, kind: 'refused' },
];
const DNS_RECORD = /(?:^|[\s|])([A-Za-z0-9_*][A-Za-z0-9_.-]{0,252}\.[A-Za-z0-9_-]{1,63}\.?)\s*(?:\t|\s)\s*(A|AAAA|CNAME|SOA|NS|PTR|MX|TXT|SRV)\s+(\d{1,10})\s+(Answer|Authority|Additional|Question)\s+(\S+)/g;

/** Cyrillic and Greek letters OCR and translation tools put for Latin ones (seed 000: record type `А`, U+0410). One for one: positions hold. */
const LOOKALIKES: Readonly<Record<string, string>> = {
  А: 'A', В: 'B', Е: 'E', К: 'K', М: 'M', Н: 'H', О: 'O', Р: 'P', С: 'C', Т: 'T', Х: 'X', а: 'a', е: 'e', о: 'o', р: 'p', с: 'c', х: 'x', у: 'y',
  Α: 'A', Β: 'B', Ε: 'E', Κ: 'K', Μ: 'M', Ν: 'N', Ο: 'O', Ρ: 'P', Τ: 'T', Χ: 'X',
};
function foldLookalikes(line: string): string {
  return /[\u0370-\u04FF]/.test(line) ? line.replace(/[\u0370-\u04FF]/g, (ch) => LOOKALIKES[ch] ?? ch) : line;
}

function dnsErrorOf(text: string): DnsErrorKind | undefined {
  return DNS_ERRORS.find((e) => e.re.test(text))?.kind;
}

function parseDns(doc: Doc): Array<Parsed<DnsResolveData>> {
  const out: Array<Parsed<DnsResolveData>> = [];
  let cur: DnsResolveData | undefined;
  let first = -1;
  let last = -1;
  let nsAnswer = false;
  let nsName: string | undefined;
  const flush = () => {
    if (cur && (cur.records.length > 0 || cur.error) && out.length < MAX_OUTPUTS) out.push({ range: spanOf(first, last, doc), data: cur });
    cur = undefined;
    nsAnswer = false;
    nsName = undefined;
  };
  const open = (i: number, tool: DnsResolveData['tool']) => {
    cur = { tool, records: [] };
    first = i;
    last = i;
  };
  for (let i = 0; i < doc.lines.length; i++) {
    const line = doc.lines[i]!;
    const cmd = /\b(Resolve-DnsName|nslookup)(?:\.exe)?\s+(?:-(?:Name|Type\s+\w+|Server\s+\S+|DnsOnly|NoHostsFile|QuickTimeout)\s+)*["']?([A-Za-z0-9_.-]+\.[A-Za-z0-9_-]{2,63})\.?["']?/i.exec(line);
    const prompt = commandOf(line);
    if (prompt !== undefined && !cmd) flush(); // another command: this output is over
    if (cmd && (prompt !== undefined || /^\s*(?:[-•]\s+)?(?:Resolve-DnsName|nslookup)\b/i.test(line)) && !/^\s*(?:Resolve-DnsName)\s*:/i.test(line)) {
      flush();
      open(i, /nslookup/i.test(cmd[1]!) ? 'nslookup' : 'resolve-dnsname');
      cur!.name = { value: keep(cmd[2]!.toLowerCase()), at: valueMark(doc, i, cmd[2]!, cmd.index) };
    }
    // Records: table rows (possibly many on one collapsed line, seed 002).
    for (const m of foldLookalikes(line).matchAll(DNS_RECORD)) {
      if (!cur) open(i, 'resolve-dnsname');
      if (cur!.records.length >= MAX_ITEMS) break;
      const start = m.index + m[0].indexOf(m[1]!);
      cur!.records.push({ name: keep(m[1]!.toLowerCase().replace(/\.$/, '')), type: m[2]!, ttl: Number(m[3]), section: m[4]!, value: keep(m[5]!), at: markOf(doc, i, start, m.index + m[0].length) });
      last = i;
    }
    // Errors: `Resolve-DnsName : name : DNS name does not exist`, the FullyQualifiedErrorId line, nslookup's `*** … can't find …`.
    const err = /^\s*(?:[-•]\s+)?Resolve-DnsName\s*:\s*(?:([A-Za-z0-9_.-]+)\s*:\s*)?(.+)$/i.exec(line) ?? /\*\*\*\s*.*?can't find\s+([A-Za-z0-9_.-]+):\s*(.+)$/i.exec(line) ?? /^\s*(DNS request timed out\.?)()/i.exec(line);
    if (err) {
      if (!cur) open(i, /can't find|DNS request/i.test(line) ? 'nslookup' : 'resolve-dnsname');
      const message = keep(err[2] || err[1] || line, 200);
      if (!cur!.error || (cur!.error.kind === 'timeout' && /can't find/i.test(line))) cur!.error = { kind: dnsErrorOf(line) ?? 'other', message, at: markOf(doc, i, line.search(/\S/)) };
      if (err[1] && /\./.test(err[1]) && !cur!.name) cur!.name = { value: keep(err[1].toLowerCase()), at: valueMark(doc, i, err[1]) };
      last = i;
    }
    const fq = /FullyQualifiedErrorId\s*:\s*([A-Z0-9_]+)/.exec(line);
    if (fq && cur?.error) {
      cur.error.errorId = fq[1]!;
      const k = dnsErrorOf(fq[1]!);
      if (k && cur.error.kind === 'other') cur.error.kind = k;
      last = i;
    }
    // nslookup answers: `Non-authoritative answer:` / `Name: host` / `Address(es): ip, ip`.
    if (cur?.tool === 'nslookup') {
      if (/^\s*Name:\s*(\S+)/.test(line)) {
        nsAnswer = true;
        nsName = /^\s*Name:\s*(\S+)/.exec(line)![1]!.toLowerCase();
        last = i;
      } else if (nsAnswer && /^\s*(?:Address(?:es)?:)?\s*((?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F:]{3,39})\s*$/.test(line)) {
        const ip = /((?:\d{1,3}\.){3}\d{1,3}|[0-9a-fA-F]{0,4}(?::[0-9a-fA-F]{0,4}){2,7})\s*$/.exec(line);
        if (ip && cur.records.length < MAX_ITEMS) cur.records.push({ name: keep(nsName ?? cur.name?.value ?? ''), type: ip[1]!.includes(':') ? 'AAAA' : 'A', value: keep(ip[1]!), at: valueMark(doc, i, ip[1]!) });
        last = i;
      }
    }
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------------------------
// curl -v (seeds 000, 002; test/fixtures/text/curl-revocation.txt)

/** Schannel failures written by curl on Windows, with the TLS alert they stand for (BRIEF §3.4). */
const SCHANNEL_TO_ALERT: Readonly<Record<number, number>> = {
  0x80090326: 40, // SEC_E_ILLEGAL_MESSAGE ← handshake_failure (also 10, 50)
  0x80090331: 71, // SEC_E_ALGORITHM_MISMATCH ← insufficient_security
  0x80090302: 70, // SEC_E_UNSUPPORTED_FUNCTION ← protocol_version
  0x80090325: 48, // SEC_E_UNTRUSTED_ROOT ← unknown_ca
  0x80090327: 45, // SEC_E_CERT_EXPIRED... written 0x80090328 too
  0x80090328: 45,
};
/** OpenSSL-built curl: alert names in its messages. */
const OPENSSL_ALERTS: ReadonlyArray<{ re: RegExp; alert: number }> = [
  { re: /alert handshake failure/i, alert: 40 },
  { re: /alert protocol version/i, alert: 70 },
  { re: /alert insufficient security/i, alert: 71 },
  { re: /alert unknown ca|unable to get local issuer certificate|self[- ]signed certificate in certificate chain/i, alert: 48 },
];
const REVOCATION_CODES = new Set([0x80092013, 0x80092012]);

function parseCurl(doc: Doc): Array<Parsed<CurlData>> {
  const out: Array<Parsed<CurlData>> = [];
  let cur: CurlData | undefined;
  let first = -1;
  let last = -1;
  let closed = false;
  let connectPending = false;
  let strong = 0;
  const flush = () => {
    if (cur && strong > 0 && out.length < MAX_OUTPUTS) out.push({ range: spanOf(first, last, doc), data: cur });
    cur = undefined;
    closed = false;
    connectPending = false;
    strong = 0;
  };
  const open = (i: number) => {
    cur = { responses: [], tlsErrors: [], revocation: false, viaProxy: false };
    first = i;
    last = i;
  };
  for (let i = 0; i < doc.lines.length; i++) {
    const raw = doc.lines[i]!;
    const line = clean(raw);
    const cmd = commandOf(raw);
    const curlCmd = cmd !== undefined ? /\bcurl(?:\.exe)?\b(.*)$/i.exec(cmd) : /^\s*curl(?:\.exe)?\s+-\S*/i.test(line) ? /\bcurl(?:\.exe)?\b(.*)$/i.exec(line) : null;
    if (cmd !== undefined && !curlCmd) {
      flush(); // another command: this run is over
      continue;
    }
    if (curlCmd) {
      flush();
      open(i);
      // The target, not the proxy: arguments of -x/--proxy/-U/--proxy-user are skipped; the last URL wins.
      const args = curlCmd[1]!.replace(/(?:^|\s)(?:-x|--proxy|-U|--proxy-user|--preproxy)(?:\s+|=)\S+/gi, ' ');
      const urls = [...args.matchAll(/(https?:\/\/[^\s"']{1,512})/gi)];
      const url = urls[urls.length - 1] ?? /(?:^|\s)([A-Za-z0-9.-]+\.[A-Za-z]{2,24}(?::\d+)?)(?:\s|$)/.exec(args);
      if (url) {
        cur!.url = { value: keep(url[1]!), at: valueMark(doc, i, url[1]!) };
        cur!.host = hostOf(url[1]!);
      }
      continue;
    }
    const trying = /^\*\s+Trying\b/.test(line);
    // Lines only curl -v writes; `> ` and `< ` alone are also markdown quotes and mail replies.
    const isStrong = /^\*\s+(?:Trying|Connected to|schannel:|ALPN|Could not resolve|Failed to connect|SSL connection|TLSv1\.\d \(|Closing connection|Establish HTTP proxy tunnel)|^curl: \(\d{1,3}\)|(?:^|\s)<\s*HTTP\/[\d.]+\s+\d{3}\b/.test(line);
    const isMarker = isStrong || /^[*<>]\s|^[*<>]$/.test(line);
    if (!isMarker || (!cur && !isStrong)) continue;
    if (!cur || (trying && closed)) {
      // A new run with no command: the next `* Trying` after the previous run ended.
      if (cur && trying && closed) flush();
      if (!cur) open(i);
    }
    if (isStrong) strong++;
    last = i;
    let m: RegExpExecArray | null;
    if ((m = /^\*\s+Connected to ([^\s(]+)\s*(?:\(([^)]*)\))?\s*port (\d+)/.exec(line))) {
      cur!.connected = markOf(doc, i, raw.indexOf('Connected'));
      if (!cur!.host || connectPending) cur!.host = m[1]!.toLowerCase();
    }
    if (/^\*\s+(?:Establish HTTP proxy tunnel|Uses proxy|Proxy replied|CONNECT tunnel)/i.test(line) || /^>\s*CONNECT\s/.test(line)) {
      cur!.viaProxy = true;
      if (/^>\s*CONNECT\s/.test(line)) connectPending = true;
    }
    if ((m = /^>\s*Host:\s*([^\s:]+)/i.exec(line)) && !cur!.host) cur!.host = m[1]!.toLowerCase();
    for (const r of line.matchAll(/(?:^|\s)<\s*HTTP\/([\d.]+)\s+(\d{3})(?:[ \t]+([^<\r\n]*?))?(?=\s+<|\s*$)/g)) {
      const status = Number(r[2]);
      const proxy = connectPending || /Connection established/i.test(r[3] ?? '');
      if (cur!.responses.length < MAX_ITEMS) cur!.responses.push({ status, reason: keep(r[3] ?? '', 80), proxy, at: valueMark(doc, i, `HTTP/${r[1]} ${r[2]}`) });
      if (proxy) connectPending = false;
    }
    if ((m = /^\*\s+(?:Could not resolve (?:host|proxy):?\s*)([^\s;]+)/i.exec(line))) cur!.resolveFailed = { value: keep(m[1]!.toLowerCase().replace(/^[^@]*@/, '')), at: markOf(doc, i, raw.indexOf('Could')) };
    if (/^\*\s+(?:Failed to connect to|connect to .* failed|Connection timed out|Connection refused)/i.test(line)) cur!.connectFailed = markOf(doc, i, raw.indexOf('*') + 1);
    const tls = /(?:schannel|SSL|TLS|OpenSSL)[^\n]*?(?:failed|error|problem|alert)[^\n]*/i.exec(line);
    if (tls && /^\*|^curl: \(/.test(line)) {
      const codeM = /\(0x([0-9A-Fa-f]{8})\)|\b0x([0-9A-Fa-f]{8})\b|\b(8009[0-9A-Fa-f]{4})\b/.exec(line);
      const entry: CurlData['tlsErrors'][number] = { message: keep(redact(tls[0]), 200), at: markOf(doc, i, raw.indexOf(tls[0].slice(0, 12))) };
      if (codeM) {
        const code = parseInt(codeM[1] ?? codeM[2] ?? codeM[3]!, 16) >>> 0;
        entry.code = code;
        entry.hex = `0x${code.toString(16).toUpperCase().padStart(8, '0')}`;
        if (SCHANNEL_TO_ALERT[code] !== undefined) entry.alert = SCHANNEL_TO_ALERT[code]!;
        if (REVOCATION_CODES.has(code)) cur!.revocation = true;
      }
      const oa = OPENSSL_ALERTS.find((a) => a.re.test(line));
      if (oa && entry.alert === undefined) entry.alert = oa.alert;
      if (/revocation (?:function|server|check)/i.test(line)) cur!.revocation = true;
      // `curl: (35)` repeats the schannel line: keep one entry per code.
      if (!cur!.tlsErrors.some((t) => t.hex !== undefined && t.hex === entry.hex) && cur!.tlsErrors.length < MAX_ITEMS) cur!.tlsErrors.push(entry);
    }
    if (/^\*\s+Closing connection|^\*\s+shutting down|^\*\s+Connection #\d+ .* left intact/i.test(line)) closed = true;
    if ((m = /^curl: \((\d{1,3})\)\s*(.*)$/.exec(line))) {
      cur!.exit = { code: Number(m[1]), message: keep(redact(m[2]!), 200), at: markOf(doc, i, raw.indexOf('curl:')) };
      closed = true;
    }
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Get-TlsCipherSuite (seed 001)

const SUITE_LINE = /^\s*(?:[-•]\s+)?(?:Name\s*:\s*)?(TLS_[A-Z0-9_]{6,80})\s*$/;

function parseCipherSuites(doc: Doc): Array<Parsed<CipherSuitesData>> {
  const out: Array<Parsed<CipherSuitesData>> = [];
  let command: Mark | undefined;
  let commandLine = -1;
  let run: CipherSuitesData | undefined;
  let runHeader = false;
  let listForm = false;
  let first = -1;
  let last = -1;
  const flush = () => {
    const qualifies = run && run.suites.length > 0 && (run.command !== undefined || runHeader || listForm || run.suites.length >= 5);
    if (qualifies && out.length < MAX_OUTPUTS) out.push({ range: spanOf(first, last, doc), data: run! });
    run = undefined;
    runHeader = false;
    listForm = false;
  };
  for (let i = 0; i < doc.lines.length; i++) {
    const line = doc.lines[i]!;
    if (/Get-TlsCipherSuite\b/i.test(line) && (commandOf(line) !== undefined || /^\s*Get-TlsCipherSuite/i.test(line))) {
      flush();
      command = markOf(doc, i, line.search(/Get-TlsCipherSuite/i));
      commandLine = i;
      continue;
    }
    const m = SUITE_LINE.exec(line);
    if (m) {
      if (!run) {
        run = { suites: [] };
        first = i;
        if (command && i - commandLine <= 8) {
          run.command = command;
          first = commandLine;
        }
        for (let k = i - 1; k >= Math.max(0, i - 3); k--) if (/^\s*(?:Name|-{3,})\s*$/.test(doc.lines[k]!)) runHeader = true;
      }
      if (/^\s*Name\s*:/.test(line)) listForm = true;
      if (run.suites.length < MAX_ITEMS) run.suites.push({ name: m[1]!, at: valueMark(doc, i, m[1]!) });
      last = i;
      continue;
    }
    if (!run) continue;
    // Inside a run: blank lines, the table head, and the other properties of the list form go on.
    if (line.trim() === '' || /^\s*(?:Name|-{3,})\s*$/.test(line) || (listForm && /^\s*[A-Za-z][\w ]{0,40}:\s/.test(line))) continue;
    flush();
  }
  flush();
  return out;
}

// ---------------------------------------------------------------------------------------------
// Wireshark TLS text (seed 001)

/** Alert description names (`Handshake Failure`) → TLS alert number, from the tls.alert table. */
const ALERT_BY_NAME: ReadonlyMap<string, number> = new Map(
  entries('tls.alert')
    .filter((e) => e.symbol)
    .map((e) => [e.symbol!.replace(/_RESERVED$/, '').replace(/_/g, ' ').toLowerCase(), e.value] as const),
);

function packetOf(line: string): number | undefined {
  const m = /^[\s|]*(\d{1,9})\s*\|\s*\d/.exec(line) ?? /^\s*(\d{1,9})\s+\d+\.\d+\s/.exec(line) ?? /^\s*(\d{1,9})\s+\d{1,2}:\d{2}:\d{2}/.exec(line);
  return m ? Number(m[1]) : undefined;
}

function parseWireshark(doc: Doc): Array<Parsed<WiresharkData>> {
  const data: WiresharkData = { clientHellos: [], serverHellos: [], alerts: [], hosts: [] };
  let frame: number | undefined;
  let context: 'client' | 'server' | undefined;
  let lastHandshake: 'client' | 'server' | undefined;
  let first = -1;
  let last = -1;
  const touch = (i: number) => {
    if (first < 0) first = i;
    last = i;
  };
  const addHost = (h: string) => {
    const host = h.toLowerCase();
    if (!data.hosts.includes(host) && data.hosts.length < 50) data.hosts.push(detach(host));
  };
  for (let i = 0; i < doc.lines.length; i++) {
    const line = doc.lines[i]!;
    const packet = packetOf(line);
    const fm = /^\W{0,8}Frame (\d{1,9}):/.exec(line);
    if (fm) {
      frame = Number(fm[1]);
      context = undefined;
    }
    let m: RegExpExecArray | null;
    if ((m = /\[Proxy-Connect-Hostname: ([\w.-]+)\]|\bCONNECT ([\w.-]+):\d+|\bServer Name: ([\w.-]+\.[\w-]+)/.exec(line))) addHost(m[1] ?? m[2] ?? m[3]!);
    // Packet list rows: the order of handshake messages on the wire.
    if (packet !== undefined) {
      const info = line;
      if (/\bClient Hello\b/.test(info)) {
        lastHandshake = 'client';
        touch(i);
      } else if (/\bServer Hello\b/.test(info)) {
        lastHandshake = 'server';
        touch(i);
      }
    }
    // Details: `Handshake Protocol: Client Hello` opens a hello whose `Cipher Suite:` lines follow.
    if (/^\W*Handshake Protocol: Client Hello\b/.test(line) && !/Record Layer/.test(line)) {
      context = 'client';
      const hello: WiresharkData['clientHellos'][number] = { at: markOf(doc, i, line.indexOf('Handshake')), suites: [] };
      if (frame !== undefined) hello.packet = frame;
      if (data.clientHellos.length < MAX_ITEMS) data.clientHellos.push(hello);
      touch(i);
      if (packet === undefined) lastHandshake = lastHandshake ?? 'client';
    } else if (/^\W*Handshake Protocol: Server Hello\b/.test(line) && !/Record Layer/.test(line)) {
      context = 'server';
      const hello: WiresharkData['serverHellos'][number] = { at: markOf(doc, i, line.indexOf('Handshake')) };
      if (frame !== undefined) hello.packet = frame;
      if (data.serverHellos.length < MAX_ITEMS) data.serverHellos.push(hello);
      touch(i);
    } else if (/^\s*Handshake Protocol: (?!Client Hello|Server Hello)/.test(line)) context = undefined;
    if ((m = /Cipher Suites \((\d{1,5}) suites?\)/.exec(line)) && context === 'client') {
      const hello = data.clientHellos[data.clientHellos.length - 1];
      if (hello) hello.declared = Number(m[1]);
    }
    if ((m = /\bCipher Suite: ([A-Za-z0-9_]+|Unknown|Reserved[^(]*?)\s*\(0x([0-9a-fA-F]{4})\)/.exec(line))) {
      const name = m[1]!.trim();
      const code = parseInt(m[2]!, 16);
      if (context === 'server') {
        const hello = data.serverHellos[data.serverHellos.length - 1];
        if (hello && !hello.suite) hello.suite = detach(name);
      } else {
        let hello = data.clientHellos[data.clientHellos.length - 1];
        if (!hello || context !== 'client') {
          // Suites with no hello seen: a cut paste. They still are what the client offered.
          hello = { at: markOf(doc, i), suites: [] };
          if (data.clientHellos.length < MAX_ITEMS) data.clientHellos.push(hello);
          context = 'client';
        }
        if (hello.suites.length < MAX_ITEMS) hello.suites.push({ name: detach(name), code, at: valueMark(doc, i, name) });
      }
      touch(i);
    }
    // Alerts: the list row `Alert (Level: Fatal, Description: Handshake Failure)` and the details.
    if ((m = /Alert \(Level: (Fatal|Warning), Description: ([A-Za-z ]{2,60}?)\)/.exec(line))) {
      const pkt = packet ?? frame;
      const description = m[2]!.trim();
      const existing = pkt !== undefined ? data.alerts.find((a) => a.packet === pkt && a.description === description) : undefined;
      if (!existing && data.alerts.length < MAX_ITEMS) {
        const alert: WiresharkData['alerts'][number] = { level: m[1]!, description: detach(description), afterClientHello: packet !== undefined && lastHandshake === 'client', at: markOf(doc, i, m.index, m.index + m[0].length) };
        const code = ALERT_BY_NAME.get(description.toLowerCase());
        if (code !== undefined) alert.code = code;
        if (pkt !== undefined) alert.packet = pkt;
        data.alerts.push(alert);
      } else if (existing && packet !== undefined && lastHandshake === 'client') existing.afterClientHello = true;
      touch(i);
    }
    if ((m = /^\s*Description: ([A-Za-z ]{2,60}?) \((\d{1,3})\)\s*$/.exec(line))) {
      const a = data.alerts[data.alerts.length - 1];
      if (a && a.code === undefined && i - a.at.line <= 12) a.code = Number(m[2]);
    }
  }
  if (first < 0) return [];
  return [{ range: spanOf(first, last, doc), data }];
}

// ---------------------------------------------------------------------------------------------
// Schannel events (BRIEF §2.5: event 36887 "fatal alert was received: 47")

/** Schannel event ids in the System log (Microsoft's Schannel event list). */
const SCHANNEL_ID = /\b(36[89]\d\d)\b/;
const ALERT_TEXT = [/fatal alert (?:was )?(received|generated)[^0-9\r\n]{0,40}?:\s*(\d{1,3})\b/i, /\b(received|generated)\b[^\r\n]{0,160}?fatal (?:alert|error) code is (\d{1,3})\b/i];

function alertOf(text: string): { alert: number; direction: 'received' | 'generated' } | undefined {
  for (const re of ALERT_TEXT) {
    const m = re.exec(text);
    if (m) return { alert: Number(m[2]), direction: m[1]!.toLowerCase() as 'received' | 'generated' };
  }
  const m = /fatal (?:alert|error) code is (\d{1,3})/i.exec(text);
  return m ? { alert: Number(m[1]), direction: 'received' } : undefined;
}

function parseSchannel(doc: Doc): Array<Parsed<SchannelEventsData>> {
  const data: SchannelEventsData = { events: [] };
  let block: { id?: number; source?: string; time?: string; line: number; done?: boolean } | undefined;
  let providerSchannel = false;
  let first = -1;
  let last = -1;
  const add = (e: SchannelEventsData['events'][number]) => {
    if (data.events.length < MAX_ITEMS) data.events.push(e);
    if (first < 0) first = e.at.line;
    last = Math.max(last, e.at.line);
  };
  for (let i = 0; i < doc.lines.length; i++) {
    const line = doc.lines[i]!;
    if (/^\s*Log Name:/i.test(line)) block = { line: i };
    // An Event Viewer record ends at the blank line after its description, or where a table starts.
    if (block && ((block.done && line.trim() === '') || /ProviderName:|^\s*TimeCreated\b|^\s*Index\s+Time\b/i.test(line))) block = undefined;
    if (/ProviderName:\s*Schannel/i.test(line)) providerSchannel = true;
    else if (/ProviderName:/i.test(line)) providerSchannel = false;
    let m: RegExpExecArray | null;
    if (block) {
      if ((m = /^\s*Source:\s*(\S+)/i.exec(line))) block.source = m[1]!;
      if ((m = /^\s*Date:\s*(.+?)\s*$/i.exec(line))) block.time = keep(m[1]!, 40);
      if ((m = /^\s*Event ID:\s*(\d{1,6})/i.exec(line))) block.id = Number(m[1]);
      const a = alertOf(line);
      if (block.id !== undefined && /schannel/i.test(block.source ?? '') && (a || /^\s*Description:/i.test(line) || /error state is/i.test(line))) {
        const existing = data.events.find((e) => e.at.line >= block!.line && e.id === block!.id);
        const st = /error state is (\d{1,6})/i.exec(line);
        if (existing) {
          if (a && existing.alert === undefined) {
            existing.alert = a.alert;
            existing.direction = a.direction;
          }
          if (st) existing.errorState = Number(st[1]);
          last = Math.max(last, i);
        } else if (a || st) {
          const e: SchannelEventsData['events'][number] = { id: block.id, at: markOf(doc, i, line.search(/\S/)) };
          if (a) {
            e.alert = a.alert;
            e.direction = a.direction;
          }
          if (st) e.errorState = Number(st[1]);
          if (block.time) e.time = block.time;
          add(e);
          block.done = true;
        }
        continue;
      }
      if (block.id !== undefined) continue;
    }
    // One event per line: Get-WinEvent / Get-EventLog tables, CSV exports.
    const id = SCHANNEL_ID.exec(line);
    if (!id) continue;
    const a = alertOf(line);
    if (!(/schannel/i.test(line) || providerSchannel || a)) continue;
    const e: SchannelEventsData['events'][number] = { id: Number(id[1]), at: markOf(doc, i, line.search(/\S/)) };
    if (a) {
      e.alert = a.alert;
      e.direction = a.direction;
    }
    const st = /error state is (\d{1,6})/i.exec(line);
    if (st) e.errorState = Number(st[1]);
    const t = /(\d{1,2}\/\d{1,2}\/\d{4},? \d{1,2}:\d{2}:\d{2}(?: ?[AP]M)?|\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}:\d{2})/.exec(line);
    if (t) e.time = keep(t[1]!, 40);
    add(e);
  }
  if (data.events.length === 0) return [];
  return [{ range: spanOf(first, last, doc), data }];
}

// ---------------------------------------------------------------------------------------------
// Registry: HKEY_LOCAL_MACHINE\SOFTWARE\Immunet Protect (BRIEF §2.5, §4.2; seed 004)

const IMMUNET_KEY = /HKEY_LOCAL_MACHINE\\SOFTWARE\\(?:WOW6432Node\\)?Immunet Protect(?:\\[^\]\r\n"]*)?|HKLM:?\\SOFTWARE\\(?:WOW6432Node\\)?Immunet Protect(?:\\[^\]\r\n"]*)?/i;
const SECRET_VALUE_NAME = /unlock|pass(?:word|wd)?|secret|token|credential/i;

function regString(data: string): { type: string; value: string } {
  const d = data.trim();
  let m: RegExpExecArray | null;
  if ((m = /^"((?:[^"\\]|\\.)*)"$/.exec(d))) return { type: 'REG_SZ', value: m[1]!.replace(/\\(.)/g, '$1') };
  if ((m = /^dword:([0-9a-fA-F]{1,8})$/i.exec(d))) return { type: 'REG_DWORD', value: String(parseInt(m[1]!, 16)) };
  if ((m = /^hex\((\w+)\):/i.exec(d))) return { type: `hex(${m[1]})`, value: d.slice(0, 64) };
  if (/^hex:/i.test(d)) return { type: 'REG_BINARY', value: d.slice(0, 64) };
  return { type: '', value: d };
}

function parseRegistry(doc: Doc): Array<Parsed<RegistryData>> {
  const out: Array<Parsed<RegistryData>> = [];
  let data: RegistryData | undefined;
  let key: string | undefined;
  let inKey = false;
  let first = -1;
  let last = -1;
  let queriedUnlock = -1;
  let psBlock: Array<{ name: string; value: string; line: number; start: number }> = [];
  const ensure = (form: RegistryData['form'], i: number) => {
    if (!data) {
      data = { form, values: [] };
      first = i;
    }
    last = Math.max(last, i);
    return data;
  };
  const addValue = (i: number, name: string, type: string | undefined, rawValue: string, start: number) => {
    const d = data!;
    const secret = SECRET_VALUE_NAME.test(name);
    const value = secret ? mask(rawValue) : keep(rawValue, 200);
    const at = markOf(doc, i, start);
    if (/^unlock_?code$/i.test(name)) {
      if (rawValue.trim() !== '') d.unlockCode = { length: rawValue.trim().length, masked: mask(rawValue.trim()), at };
    } else if (/^InstallDir$/i.test(name)) d.installDir = { value: keep(rawValue, 260), at };
    const v: RegistryData['values'][number] = { key: detach(key ?? ''), name: keep(name, 80), value, at };
    if (type) v.type = type;
    if (d.values.length < MAX_ITEMS) d.values.push(v);
    last = Math.max(last, i);
  };
  for (let i = 0; i < doc.lines.length; i++) {
    const line = doc.lines[i]!;
    let m: RegExpExecArray | null;
    // reg delete … /v unlock_code (and its answer on the same or the next lines).
    if (/\breg(?:\.exe)?\s+delete\b/i.test(line) && IMMUNET_KEY.test(line) && /unlock_code/i.test(line)) {
      const d = ensure(data?.form ?? 'reg-delete', i);
      const tail = [line.slice(line.search(/\/f\b/i) + 2), doc.lines[i + 1] ?? '', doc.lines[i + 2] ?? ''].join('\n');
      const result = /completed successfully/i.test(tail) ? 'deleted' : /Access is denied/i.test(tail) ? 'access-denied' : 'unknown';
      if (!d.unlockDelete || result !== 'unknown') d.unlockDelete = { result, at: markOf(doc, i, line.search(/reg/i)) };
      continue;
    }
    if (/\breg(?:\.exe)?\s+query\b/i.test(line) && IMMUNET_KEY.test(line) && /\/v\s+"?unlock_code/i.test(line)) queriedUnlock = i;
    if (queriedUnlock >= 0 && i - queriedUnlock <= 3 && /unable to find the specified registry key or value/i.test(line)) {
      ensure(data?.form ?? 'reg-query', i).unlockCodeAbsent = markOf(doc, i, line.search(/\S/));
      queriedUnlock = -1;
      continue;
    }
    // Key headers: `[HKEY_…\Immunet Protect]` (.reg) or a bare key line (reg query).
    if ((m = /^\s*\[(-?HKEY_[^\]]{1,400})\]\s*$/.exec(line))) {
      key = m[1]!;
      inKey = IMMUNET_KEY.test(key);
      if (inKey) {
        const d = ensure('reg-export', i);
        if (!d.key) d.key = { value: keep(key, 400), at: markOf(doc, i, line.indexOf('[') + 1, line.indexOf(']')) };
      }
      continue;
    }
    if ((m = /^\s*(HKEY_[A-Z_]{3,30}\\[^\t"]{1,400}?)\s*$/.exec(line))) {
      key = m[1]!;
      inKey = IMMUNET_KEY.test(key);
      if (inKey) {
        const d = ensure('reg-query', i);
        if (!d.key) d.key = { value: keep(key, 400), at: markOf(doc, i, line.indexOf('HKEY'), line.indexOf('HKEY') + key.length) };
      }
      continue;
    }
    // PowerShell Get-ItemProperty: `Name : value` lines, then `PSPath : …Registry::HKEY_…\Immunet Protect`.
    if ((m = /^([A-Za-z_][\w ]{0,60}?)\s*:\s(.*)$/.exec(line)) && !/^\s/.test(line) && !inKey) {
      if (/^PSPath$/i.test(m[1]!.trim())) {
        if (IMMUNET_KEY.test(m[2]!)) {
          key = m[2]!.replace(/^.*Registry::/i, '');
          const d = ensure('powershell', psBlock[0]?.line ?? i);
          if (!d.key) d.key = { value: keep(key, 400), at: markOf(doc, i, line.indexOf(m[2]!)) };
          for (const p of psBlock) addValue(p.line, p.name, undefined, p.value, p.start);
        }
        psBlock = [];
      } else if (!/^PS(?:ParentPath|ChildName|Drive|Provider)$/i.test(m[1]!.trim()) && psBlock.length < MAX_ITEMS) psBlock.push({ name: m[1]!.trim(), value: m[2]!, line: i, start: 0 });
      continue;
    }
    if (line.trim() === '') {
      psBlock = [];
      continue;
    }
    if (!inKey || !data) continue;
    // .reg values: `"name"="data"`, `@="data"`, `"name"=dword:…`.
    if ((m = /^\s*(?:"((?:[^"\\]|\\.){0,200})"|(@))\s*=\s*(.*)$/.exec(line))) {
      const name = m[2] ? '(Default)' : m[1]!.replace(/\\(.)/g, '$1');
      const v = regString(m[3]!);
      addValue(i, name, v.type || undefined, v.value, line.search(/\S/));
      continue;
    }
    // reg query values: `    name    REG_SZ    data`.
    if ((m = /^\s+(\S(?:.*?\S)?)\s{2,}(REG_[A-Z_]+)(?:\s{2,}(.*))?$/.exec(line)) || (m = /^\s+(\S+)\s+(REG_[A-Z_]+)\s*(.*)$/.exec(line))) {
      addValue(i, m[1]!, m[2]!, m[3] ?? '', line.search(/\S/));
      continue;
    }
  }
  const d = data as RegistryData | undefined;
  if (d && (d.key || d.unlockDelete || d.unlockCodeAbsent || d.values.length > 0)) out.push({ range: spanOf(first, last, doc), data: d });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Platform hints: systeminfo, sw_vers, /etc/os-release, uname

function parseOsInfo(doc: Doc): Array<Parsed<OsInfoData>> {
  const out: Array<Parsed<OsInfoData>> = [];
  const fieldOf = (re: RegExp, from = 0, to = doc.lines.length): Field<string> | undefined => {
    for (let i = from; i < to; i++) {
      const m = re.exec(doc.lines[i]!);
      if (m && m[1]!.trim()) return { value: keep(m[1]!, 120), at: valueMark(doc, i, m[1]!.trim()) };
    }
    return undefined;
  };
  const fields = (d: OsInfoData, name?: Field<string>, version?: Field<string>, arch?: Field<string>) => {
    if (name) d.name = name;
    if (version) d.version = version;
    if (arch) d.architecture = arch;
    const lines = [name, version, arch].filter((f): f is Field<string> => f !== undefined).map((f) => f.at.line);
    return { range: spanOf(Math.min(...lines), Math.max(...lines), doc), data: d };
  };
  const winName = fieldOf(/^\s*OS Name:\s+(.*\S)\s*$/);
  if (winName && /windows/i.test(winName.value)) {
    const parsed = fields({ platform: 'windows', tool: 'systeminfo' }, winName, fieldOf(/^\s*OS Version:\s+(.*\S)\s*$/), fieldOf(/^\s*System Type:\s+(.*\S)\s*$/));
    const host = fieldOf(/^\s*Host Name:\s+(\S+)\s*$/);
    if (host) parsed.data.hostName = host;
    out.push(parsed);
  }
  const macName = fieldOf(/^\s*ProductName:\s+((?:macOS|Mac OS X)\b.*)$/);
  if (macName) out.push(fields({ platform: 'macos', tool: 'sw_vers' }, macName, fieldOf(/^\s*ProductVersion:\s+(\S+)/)));
  const pretty = fieldOf(/^\s*PRETTY_NAME="?([^"\r\n]+)"?\s*$/) ?? fieldOf(/^\s*NAME="?([^"\r\n]+)"?\s*$/);
  if (pretty && !/mac|darwin/i.test(pretty.value)) out.push(fields({ platform: 'linux', tool: 'os-release' }, pretty, fieldOf(/^\s*VERSION_ID="?([^"\r\n]+)"?\s*$/)));
  if (out.length === 0) {
    const u = fieldOf(/^\s*((?:Linux|Darwin) \S+ \d+\.\d+\S*.*)$/);
    if (u) {
      const d: OsInfoData = { platform: /^Darwin/.test(u.value) ? 'macos' : 'linux', tool: 'uname' };
      const arch = /\b(x86_64|aarch64|arm64|i[3-6]86)\b/.exec(u.value);
      out.push(fields(d, u, undefined, arch ? { value: arch[1]!, at: u.at } : undefined));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// local.xml and policy.xml by content (read with the bounded XML reader; BRIEF §2.3, §2.4)

function elementMark(el: XmlElement): Mark {
  const r = el.textRange ?? el.nameRange;
  const value = el.children.length > 0 ? '…' : el.text.trim();
  const text = redact(`<${el.name}>${value.length > 200 ? `${value.slice(0, 200)}…` : value}</${el.name}>`);
  return { line: r.start.line, range: r, text: detach(text) };
}

/** `scheme://user:pass@host:port` → `scheme://••••@host:port`; the credentials end at the last `@`. */
export function withoutCredentials(value: string): string {
  const at = value.lastIndexOf('@');
  if (at < 0) return value;
  const scheme = /^[a-z][a-z0-9+.-]*:\/\//i.exec(value)?.[0] ?? '';
  return `${scheme}••••@${value.slice(at + 1)}`;
}

function xmlOutputs(text: string, file: string): RecognisedOutput[] {
  const r = analyzeXmlText(text, file);
  if (!r.model || !r.doc.root) return [];
  const range = r.doc.root.range;
  if (r.model.kind === 'local.xml') {
    const model: LocalXmlModel = r.model;
    const data: LocalXmlData = {};
    const v = tetraVersionOf(model);
    if (v) data.tetraVersion = { value: v.value, at: elementMark(v.element) };
    if (model.tetraLastError) data.lastError = { value: model.tetraLastError.value, at: elementMark(model.tetraLastError.element) };
    if (model.connectorVersion) data.connectorVersion = { value: detach(model.connectorVersion.value), at: elementMark(model.connectorVersion.element) };
    if (model.connectorGuid) data.connectorGuid = { value: detach(model.connectorGuid.value.trim()), at: elementMark(model.connectorGuid.element) };
    if (model.lastSuccessTime) data.lastSuccessTime = { value: model.lastSuccessTime.value, at: elementMark(model.lastSuccessTime.element) };
    return [{ id: 'connector.local-xml', file, range, source: 'BRIEF §2.3 (read by src/core/xml/local.ts)', data }];
  }
  const model: PolicyXmlModel = r.model;
  const data: PolicyXmlData = {};
  if (model.policyName) data.policyName = { value: detach(model.policyName.value.trim()), at: elementMark(model.policyName.element) };
  if (model.policySerial) data.policySerial = { value: model.policySerial.value, at: elementMark(model.policySerial.element) };
  if (model.policyUuid) data.policyUuid = { value: detach(model.policyUuid.value.trim()), at: elementMark(model.policyUuid.element) };
  // A proxy written with its credentials (`http://user:pw@host`) keeps the host only: the
  // credentials end at the last `@` (a password may hold `@` or blanks).
  if (model.proxy.server?.value.trim()) {
    const shown = withoutCredentials(model.proxy.server.value.trim());
    const at = elementMark(model.proxy.server.element);
    data.proxyServer = { value: detach(shown), at: { ...at, text: detach(`<${model.proxy.server.element.name}>${shown}</${model.proxy.server.element.name}>`) } };
  }
  if (model.proxy.port) data.proxyPort = { value: model.proxy.port.value, at: elementMark(model.proxy.port.element) };
  if (model.proxy.type) data.proxyType = { value: model.proxy.type.value, at: elementMark(model.proxy.type.element) };
  if (model.tetraUpdateServer) data.tetraUpdateServer = { value: detach(model.tetraUpdateServer.value.trim()), at: elementMark(model.tetraUpdateServer.element) };
  if (model.tetraUpdaterEnabled) data.tetraUpdaterEnabled = { value: model.tetraUpdaterEnabled.value, at: elementMark(model.tetraUpdaterEnabled.element) };
  if (model.tetraUpdateInterval) data.tetraUpdateInterval = { value: model.tetraUpdateInterval.value, at: elementMark(model.tetraUpdateInterval.element) };
  if (model.tls.crlCheck) data.crlCheck = { value: model.tls.crlCheck.value, at: elementMark(model.tls.crlCheck.element) };
  if (model.isolation.enabled) data.isolationEnabled = { value: model.isolation.enabled.value, at: elementMark(model.isolation.enabled.element) };
  if (model.agentLogLevel) data.agentLogLevel = { value: model.agentLogLevel.value, at: elementMark(model.agentLogLevel.element) };
  return [{ id: 'connector.policy-xml', file, range, source: 'BRIEF §2.4 (read by src/core/xml/policy.ts)', data }];
}

// ---------------------------------------------------------------------------------------------
// The recognisers, as data

function recogniser<I extends OutputId>(r: Recogniser<I>): Recogniser<I> {
  return r;
}

export const RECOGNISERS = [
  recogniser({ id: 'console.computer-details', source: 'BRIEF §2.5; seeds 000/002 (Computer details), 004 (isolated computer)', test: consoleTest, parse: parseConsoleDetails }),
  recogniser({ id: 'console.av-definitions', source: 'BRIEF §2.5, §4.1 step 2; seeds 000/002 (Management > AV Definition Summary)', test: (t) => /AV Definition Summary|^[ \t|]*Version[\s|]+Available\b/im.test(t), parse: parseAvDefinitions }),
  recogniser({ id: 'console.isolation', source: 'BRIEF §3.2, §4.2; seed 004 (isolation status, unlock code, error details); event names BRIEF §3.3', test: (t) => /\bIsolat|Unlock Code|Unlock Limit Reached|Invalid unlock code|\b3240624137\b|\b553648215\b|0xC1280009/i.test(t), parse: parseConsoleIsolation }),
  recogniser({ id: 'ampcli.posture', source: 'BRIEF §2.5; seeds 000/002 (agent_uuid, connected, connector_version; engine and isolation keys unconfirmed: the seeds cut the line)', test: (t) => /"agent_uuid"\s*:|AmpCLI(?:\.exe)?["']?\s+posture/i.test(t), parse: parsePosture }),
  recogniser({ id: 'ampcli.status', source: 'BRIEF §2.6 (ampcli status keys); seed 004 (Secure Client status line); `ampcli policy` shape unconfirmed', test: (t) => /(?:^|[\s\t])(?:Status|Isolation|Faults|Mode|Definition Version|Definitions Last Updated):[ \t]*\S/m.test(t), parse: parseAmpcliStatus }),
  recogniser({ id: 'dns.resolve', source: 'BRIEF §2.5, §4.1 step 5; seeds 000/002 (Resolve-DnsName table); error texts: PowerShell DnsClient and nslookup (not in the seeds)', test: (t) => /Resolve-DnsName|^\s*Name\s+\S{1,8}\s+TTL\s+Section\b|Non-authoritative answer:|can't find .{1,260}: |\bnslookup\b/im.test(t), parse: parseDns }),
  recogniser({ id: 'curl.verbose', source: 'BRIEF §2.5, §3.4 (curl exit codes), §4.1 step 6; seeds 000/002', test: (t) => /^\W{0,4}\*\s+(?:Trying|Connected to|schannel:|ALPN|Could not resolve|Failed to connect)|^\s*curl: \(\d{1,3}\)|curl(?:\.exe)?\s[^\r\n]*-v\b/m.test(t), parse: parseCurl }),
  recogniser({ id: 'tls.cipher-suites', source: 'BRIEF §2.5, §4.1 step 8; seed 001 (Get-TlsCipherSuite | ft name)', test: (t) => /Get-TlsCipherSuite|^[ \t]*(?:Name[ \t]*:[ \t]*)?TLS_[A-Z0-9_]{6,}[ \t]*\r?$/m.test(t), parse: parseCipherSuites }),
  recogniser({ id: 'wireshark.tls', source: 'BRIEF §2.5, §4.1 step 8; seed 001 (packet list, Client Hello and Alert details)', test: (t) => /Alert \(Level: (?:Fatal|Warning)|Handshake Protocol: (?:Client|Server) Hello|\bCipher Suite: \w+ \(0x/.test(t), parse: parseWireshark }),
  recogniser({ id: 'windows.schannel-events', source: 'BRIEF §2.5, §3.4 (event 36887, fatal alert 47); Event Viewer / Get-WinEvent / CSV shapes from Windows (not in the seeds)', test: (t) => /Schannel/i.test(t) && /\b36[89]\d\d\b|fatal alert/i.test(t), parse: parseSchannel }),
  recogniser({ id: 'registry.immunet', source: 'BRIEF §2.5, §4.2; seed 004 (reg delete …\\Immunet Protect /v unlock_code); .reg / reg query / Get-ItemProperty shapes from Windows', test: (t) => /Immunet Protect/i.test(t) && /^\s*\[HKEY_|^\s*HKEY_LOCAL_MACHINE\\[^\r\n]*Immunet Protect\s*\r?$|REG_(?:SZ|DWORD|EXPAND_SZ|BINARY|MULTI_SZ|QWORD)\b|Registry::HKEY_|\breg(?:\.exe)?\s+(?:delete|query)\b/im.test(t), parse: parseRegistry }),
  recogniser({ id: 'os.info', source: 'systeminfo, sw_vers, /etc/os-release, uname (platform hints; not in the seeds)', test: (t) => /^\s*OS Name:\s|^\s*ProductName:\s+(?:macOS|Mac OS X)|^\s*(?:PRETTY_)?NAME=|^\s*(?:Linux|Darwin) \S+ \d+\.\d+/m.test(t), parse: parseOsInfo }),
] as const;

/** Text that is an XML document (after blanks, a BOM, an XML declaration or comments). */
function looksLikeXml(text: string): boolean {
  return /^\s*(?:<\?xml[^>]{0,200}\?>\s*)?(?:<!--[\s\S]{0,2000}?-->\s*)*<[A-Za-z]/.test(text.slice(0, 4096));
}

/**
 * Every output recognised in a text, in the order they start. `file` is the path relative to the
 * bundle root (it goes into each output and, from there, into evidence). The text is read up to
 * `RECOGNISE_MAX_CHARS`; a connector's `local.xml` / `policy.xml` (by name or by root element) is
 * read by the XML models instead of the text recognisers.
 */
export function recogniseText(text: string, file: string): RecognisedOutput[] {
  const partial = text.length > RECOGNISE_MAX_CHARS;
  let t = partial ? text.slice(0, RECOGNISE_MAX_CHARS) : text;
  if (t.charCodeAt(0) === 0xfeff) t = t.slice(1);
  let out: RecognisedOutput[];
  if (looksLikeXml(t)) {
    out = xmlOutputs(t, file);
    if (out.length > 0 || /\.(?:xml|old)$/i.test(file)) return partial ? out.map((o) => ({ ...o, partial: true })) : out;
  }
  const doc: Doc = { file, text: t, lines: splitLines(t, MAX_LINE).map((l) => l.text) };
  out = [];
  for (const r of RECOGNISERS) {
    let found: Array<Parsed<unknown>>;
    try {
      if (!r.test(t)) continue;
      found = (r.parse as (d: Doc) => Array<Parsed<unknown>>)(doc);
    } catch {
      continue; // a parser's bug must not hide the other outputs of the file
    }
    for (const p of found) {
      const o = { id: r.id, file, range: p.range, source: r.source, data: p.data } as RecognisedOutput;
      if (partial) o.partial = true;
      out.push(o);
    }
  }
  return out.sort((a, b) => a.range.start.line - b.range.start.line || a.id.localeCompare(b.id));
}

/** The outputs of one kind, typed. */
export function outputsOf<I extends OutputId>(outputs: readonly RecognisedOutput[], id: I): Array<OutputOf<I>> {
  return outputs.filter((o): o is OutputOf<I> => o.id === id);
}

/** The name of a TLS alert number (`handshake_failure`), from the codes table. */
export function alertName(alert: number): string | undefined {
  return lookup('tls.alert', alert)?.symbol;
}

/** Bytes read per file at most: UTF-16 takes two per character. */
const RECOGNISE_MAX_BYTES = RECOGNISE_MAX_CHARS * 2;
/** Read size (below 1 MiB, as in `inputs.ts`: larger reads make V8 keep external strings longer). */
const READ_CHUNK = 1 << 18;

/** The bounded text prefix of a file on disk (encoding detected: UTF-8, UTF-16 LE/BE with or without BOM). */
export async function readTextPrefix(file: string, token: Cancellation = NEVER_CANCELLED): Promise<string> {
  const decoder = new ByteDecoder();
  const handle = await fs.open(file, 'r');
  const buffer = Buffer.allocUnsafe(READ_CHUNK);
  let text = '';
  let bytes = 0;
  try {
    for (;;) {
      throwIfCancelled(token);
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, null);
      if (bytesRead === 0) return text + decoder.finish();
      text += decoder.push(buffer.subarray(0, bytesRead));
      bytes += bytesRead;
      // One character past the bound, so `recogniseText` knows the file went on.
      if (bytes >= RECOGNISE_MAX_BYTES || text.length > RECOGNISE_MAX_CHARS) return text.slice(0, RECOGNISE_MAX_CHARS + 1);
    }
  } finally {
    await handle.close();
  }
}

/** `readTextPrefix` over chunks from anywhere (a file inside an archive). */
export async function readTextPrefixFrom(chunks: AsyncIterable<Uint8Array>, token: Cancellation = NEVER_CANCELLED): Promise<string> {
  const decoder = new ByteDecoder();
  let text = '';
  let bytes = 0;
  for await (const chunk of chunks) {
    throwIfCancelled(token);
    text += decoder.push(chunk);
    bytes += chunk.length;
    if (bytes >= RECOGNISE_MAX_BYTES || text.length > RECOGNISE_MAX_CHARS) return text.slice(0, RECOGNISE_MAX_CHARS + 1);
  }
  return text + decoder.finish();
}

/**
 * Reads every text file of an analysis (bounded prefix each) and recognises its outputs: the
 * files `analyzePath` classed as `text` (connector logs and binaries are not read again).
 * Files that cannot be read are listed, with the system's reason, and the rest go on.
 */
export async function recogniseBundle(
  analysis: PathAnalysis,
  token: Cancellation = NEVER_CANCELLED,
  /** Reads a file of the bundle by its relative path (inside an archive too); defaults to the disk. */
  chunksOf?: (rel: string) => AsyncIterable<Uint8Array>,
): Promise<{ outputs: RecognisedOutput[]; unreadable: Unreadable[] }> {
  const outputs: RecognisedOutput[] = [];
  const unreadable: Unreadable[] = [];
  for (const f of analysis.files) {
    if (f.kind !== 'text') continue;
    throwIfCancelled(token);
    const full = analysis.kind === 'folder' ? path.join(analysis.root, ...f.file.split('/')) : analysis.root;
    let text: string;
    try {
      text = chunksOf ? await readTextPrefixFrom(chunksOf(f.file), token) : await readTextPrefix(full, token);
    } catch (e) {
      if ((e as Error).name === 'CancelledError') throw e;
      unreadable.push(unreadableFor(f.file, e));
      continue;
    }
    outputs.push(...recogniseText(text, f.file));
  }
  return { outputs, unreadable };
}
