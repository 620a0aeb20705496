import { decode } from './decode';
import type { ContextHint, Decoded } from './types';

/** A number found in a line of text, with what the words before it say it is. */
export interface NumberToken {
  /** Offsets in the line (UTF-16), end exclusive. */
  start: number;
  end: number;
  text: string;
  hint?: ContextHint;
  /** Bare hex (no `0x`) accepted because the context says so. */
  bareHex?: boolean;
}

/**
 * The words that say what a number is, matched against the text just before it (and, where
 * `line` is set, the whole line). Data, not code: add a row to teach the scanner a new shape.
 * Sources: BRIEF §2.2 and §2.5; seeds 000/001/002/004.
 */
interface HintRule {
  hint: ContextHint;
  before: RegExp;
  line?: RegExp;
  bareHex?: boolean;
}

const HINT_RULES: readonly HintRule[] = [
  { hint: 'tetra-status', before: /last err code -\s*$/i },
  { hint: 'tetra-status', before: /<lasterror>\s*$/i },
  { hint: 'tetra-status', before: /\blasterror\b[^0-9-]{0,12}$/i },
  { hint: 'tetra-status', before: /update failed with error\s*$/i },
  { hint: 'tetra-status', before: /\bstatus:\s*$/i, line: /tetra/i },
  { hint: 'event-type', before: /publishing type=\s*$/i },
  { hint: 'event-type', before: /\bevent[ _]?type(?: id)?[:=]?\s*$/i },
  { hint: 'ipv4-le', before: /\brip:\s*$/i },
  { hint: 'curl-exit', before: /\bcurl: \(\s*$/i },
  { hint: 'tls-alert', before: /Description: [A-Za-z ]+\(\s*$/ },
  { hint: 'tls-alert', before: /fatal alert (?:was )?(?:received|generated)[^0-9]{0,20}$/i },
  // Schannel events 36887/36888 today: "The TLS protocol defined fatal alert code is 46."
  { hint: 'tls-alert', before: /fatal alert code is\s*$/i },
  // `Unknown error (0x80092013)`: a parenthesis after a word (not the `(tick` of a log header).
  { hint: 'certificate', before: /[A-Za-z]\s*\(\s*$/, line: /schannel|InitializeSecurityContext|revocation|certificate|CertGetCertificateChain/i, bareHex: true },
  { hint: 'certificate', before: /\b(?:error|failed|hr|hresult)[:=]?\s*\(?\s*$/i, line: /schannel|revocation|certificate/i, bareHex: true },
  // The console's Computer details (seed 004): `Connector Details<TAB>Error Code<TAB>3240624137`.
  { hint: 'isolation-error', before: /\bError Code\s*[:\t ]\s*$/i, line: /Connector Details|Isolation|unlock/i },
];

/**
 * The hint the given words give a number that follows them (`last err code -`, `schannel: … (`,
 * `publishing type=`): the CLI's `--context`. A hint id itself (`tetra-status`) is accepted too.
 */
export function hintFromText(text: string): ContextHint | undefined {
  // Only the end of the words matters (and a bound keeps a pasted megabyte cheap).
  const t = text.trim().slice(-4 * LOOKBACK);
  if ((HINT_IDS as readonly string[]).includes(t)) return t as ContextHint;
  const find = (words: string) => {
    const before = words.slice(-LOOKBACK) + ' ';
    return HINT_RULES.find((r) => r.before.test(before) && (!r.line || r.line.test(t)))?.hint;
  };
  // The words may end with the number itself (a whole pasted line): read what stands before it.
  return find(t) ?? find(t.replace(/\s*[-+]?(?:0[xX])?[0-9a-fA-F]+\)?[\s.,;]*$/, ''));
}

export const HINT_IDS = ['tetra-status', 'isolation-error', 'event-type', 'certificate', 'tls-alert', 'curl-exit', 'ipv4-le', 'win32-error'] as const;

/** Generic words after which an 8-digit bare hex string is an error code (e.g. `error 80092013`). */
const BARE_HEX_BEFORE = /(?:\berror|\bcode|\bhr|\bhresult|\bstatus)[:=]?\s*\(?\s*$/i;

/** How far back the hint rules look (bounded so lines of megabytes cost nothing). */
const LOOKBACK = 96;

// Eight hex digits come before plain digits, or `800B0109` would be cut at its first letter.
const CANDIDATE = /-?0[xX][0-9a-fA-F]+\b|\b[0-9a-fA-F]{8}\b|-?\d+/g;

/**
 * Finds the numbers in a line. Skips digits that belong to something else: times (07:30:23),
 * dotted versions and addresses (8.1.7.21417, 10.0.0.1), GUIDs, identifiers (`Win32`, `x64`).
 * A `-` is a sign only at the start of the line or after a space, `(`, `[`, `{`, `,`, `=`, `:`, `>`
 * (XML text), a quote, `|` or `;`.
 */
export function scanNumbers(line: string, from = 0, to = line.length, prefix = ''): NumberToken[] {
  const tokens: NumberToken[] = [];
  const re = new RegExp(CANDIDATE.source, 'g');
  re.lastIndex = from;
  let m: RegExpExecArray | null;
  while ((m = re.exec(line)) !== null && m.index < to) {
    let start = m.index;
    let text = m[0];
    if (text.startsWith('-') && !isSignPosition(line, start)) {
      start += 1;
      text = text.slice(1);
    }
    const end = start + text.length;
    if (!standsAlone(line, start, end)) continue;
    const eightHex = /^[0-9a-fA-F]{8}$/.test(text);
    const hasLetters = eightHex && /[a-fA-F]/.test(text);
    const token: NumberToken = { start, end, text };
    let before = line.slice(Math.max(0, start - LOOKBACK), start);
    if (before.length < LOOKBACK && start - before.length <= 0 && prefix) before = (prefix + ' ' + before).slice(-LOOKBACK);
    const rule = HINT_RULES.find((r) => r.before.test(before) && (!r.line || r.line.test(line) || (prefix !== '' && r.line.test(prefix))));
    if (rule) token.hint = rule.hint;
    if (eightHex) {
      const hexContext = rule?.bareHex === true || BARE_HEX_BEFORE.test(before);
      // `error 80092013`: eight digits in an error-code context with the top bit set read as an HRESULT.
      if (hexContext && (hasLetters || /^[89]/.test(text))) token.bareHex = true;
      else if (hasLetters) continue;
    }
    tokens.push(token);
  }
  return tokens;
}

function isSignPosition(line: string, i: number): boolean {
  if (i === 0) return true;
  return /[\s(,=:\[{>"'|;]/.test(line[i - 1]!);
}

function standsAlone(line: string, start: number, end: number): boolean {
  const prev = start > 0 ? line[start - 1]! : '';
  const next = end < line.length ? line[end]! : '';
  const next2 = end + 1 < line.length ? line[end + 1]! : '';
  if (/[A-Za-z0-9_]/.test(prev) || /[A-Za-z0-9_]/.test(next)) return false;
  // dotted or coloned runs of digits: versions, IPv4, times, GUID parts
  if (prev === '.' && start > 1 && /[0-9]/.test(line[start - 2]!)) return false;
  if ((next === '.' || next === ':') && /[0-9]/.test(next2)) return false;
  if (prev === ':' && start > 1 && /[0-9]/.test(line[start - 2]!)) return false;
  if (next === '-' && /[0-9a-fA-F]/.test(next2)) return false;
  if (prev === '-' && start > 1 && /[0-9a-fA-F]/.test(line[start - 2]!)) return false;
  return true;
}

/**
 * Hover's view: the number at a character offset, decoded with its context. Bounded work per call.
 * `prefix` is the text logically before the line (the previous line of a wrapped log entry), used
 * only to read the context.
 */
export function numberAt(line: string, character: number, prefix = ''): { token: NumberToken; decoded: Decoded } | undefined {
  const from = Math.max(0, character - 64);
  const to = Math.min(line.length, character + 64);
  for (const token of scanNumbers(line, from, to, prefix)) {
    if (token.start <= character && character <= token.end && token.end <= to) {
      const decoded = decode(token.text, token.hint, { bareHex: token.bareHex === true });
      if (decoded) return { token, decoded };
    }
  }
  return undefined;
}
