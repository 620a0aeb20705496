import { facilityNames, headerNames, lookup } from './catalogue';
import type { CodeMatch, Confidence, ContextHint, Decoded, FamilyId, HResultFields, Readings } from './types';

const U32_MAX = 0xffffffffn;
const I32_MIN = -0x80000000n;
/** Values this wide are not codes: bounded so hostile input cannot make huge bigints. */
const MAX_DIGITS = 40;

/**
 * Parses a number as written in a log, XML or command output: unsigned or signed decimal,
 * `0x`/`0X` hex with or without leading zeros, or bare hex (only with `bareHex`, when the context
 * says so, e.g. `(80092013)` after `error`). Returns undefined for anything else.
 */
export function parseNumber(text: string, options: { bareHex?: boolean } = {}): bigint | undefined {
  const t = text.trim();
  if (t.length === 0 || t.length > MAX_DIGITS) return undefined;
  if (options.bareHex && /^[0-9a-fA-F]{8}$/.test(t)) return BigInt('0x' + t);
  if (/^[+-]?\d+$/.test(t)) return BigInt(t);
  const hex = /^([+-]?)0[xX]([0-9a-fA-F]+)$/.exec(t);
  if (hex) {
    const v = BigInt('0x' + hex[2]);
    return hex[1] === '-' ? -v : v;
  }
  return undefined;
}

export function readings(value: bigint): Readings | undefined {
  // A 32-bit code printed as a sign-extended 64-bit value (0xFFFFFFFF80092013) is that code.
  if (value > U32_MAX && value <= 0xffffffffffffffffn && BigInt.asIntN(64, value) >= I32_MIN) value = BigInt.asIntN(64, value);
  if (value > U32_MAX || value < I32_MIN) return undefined;
  const unsigned = Number(BigInt.asUintN(32, value));
  const signed = Number(BigInt.asIntN(32, value));
  return {
    unsigned,
    signed,
    hex: '0x' + unsigned.toString(16).toUpperCase().padStart(8, '0'),
    hresult: hresultFields(unsigned),
  };
}

export function hresultFields(u32: number): HResultFields {
  const bit = (n: number) => ((u32 >>> n) & 1) as 0 | 1;
  return {
    severity: bit(31),
    reserved: bit(30),
    customer: bit(29),
    ntstatus: bit(28),
    x: bit(27),
    facility: (u32 >>> 16) & 0x7ff,
    code: u32 & 0xffff,
  };
}

/** FACILITY_WIN32: `0x8007xxxx` is HRESULT_FROM_WIN32(xxxx). */
const FACILITY_WIN32 = 7;
/** TETRA update statuses seen so far lie in this signed range (BRIEF §3.1); others are unconfirmed. */
const TETRA_RANGE = { min: -3999, max: -2000 };

/** The family each context names. */
const HINT_FAMILY: Record<ContextHint, FamilyId> = {
  'tetra-status': 'se.tetra',
  'isolation-error': 'se.isolation',
  'event-type': 'se.event',
  certificate: 'win.hresult',
  'tls-alert': 'tls.alert',
  'curl-exit': 'curl',
  'ipv4-le': 'ipv4.le',
  'win32-error': 'win.win32',
};

/** Order of exact readings without context: the connector's own codes first, then Windows'. */
const EXACT_ORDER: FamilyId[] = ['se.tetra', 'se.isolation', 'se.event', 'win.hresult', 'win.ntstatus', 'win.inet', 'win.win32', 'curl', 'tls.alert'];
/**
 * Families of small numbers, read only when the context names them or when asked for every
 * reading (the CLI): otherwise every `5` in a log would be ERROR_ACCESS_DENIED and every `40` a
 * TLS alert. Wrapped values (inside an HRESULT) are always read.
 */
const SMALL_FAMILIES: FamilyId[] = ['win.win32', 'curl', 'tls.alert'];

export interface DecodeOptions {
  /** Accept 8 bare hex digits (the context says it is a code). */
  bareHex?: boolean;
  /** Every family that has the value, as `err.exe` does (the CLI); hover keeps small families to context. */
  exhaustive?: boolean;
}

/**
 * Every reading of a number, best first: the family the context names; then every table that
 * has the value; then what only the bits say. An unknown value keeps its structural readings.
 */
export function decode(input: string | bigint, hint?: ContextHint, options: DecodeOptions = {}): Decoded | undefined {
  const value = typeof input === 'bigint' ? input : parseNumber(input, options);
  if (value === undefined) return undefined;
  const r = readings(value);
  const decoded: Decoded = {
    input: typeof input === 'bigint' ? input.toString() : input.trim(),
    value,
    matches: [],
    hresultShaped: false,
    facilityNames: [],
  };
  if (hint) decoded.hint = hint;
  if (!r) return decoded;
  decoded.readings = r;
  const h = r.hresult;
  // A failure HRESULT: severity set, X clear, and R clear unless N says it wraps an NTSTATUS
  // (HRESULT_FROM_NT(0xC0000022) = 0xD0000022 keeps the NTSTATUS's own high bits).
  decoded.hresultShaped = h.severity === 1 && h.x === 0 && (h.reserved === 0 || h.ntstatus === 1);
  if (decoded.hresultShaped) decoded.facilityNames = facilityNames(h.facility);

  const matches: CodeMatch[] = [];
  const seen = new Set<string>();
  const push = (m: CodeMatch) => {
    const key = `${m.family}:${m.value}`;
    if (seen.has(key)) return;
    seen.add(key);
    matches.push(m);
  };
  const contextFamily = hint ? HINT_FAMILY[hint] : undefined;
  const known = (family: FamilyId, v: number, confidence: Confidence, via?: CodeMatch['via']): boolean => {
    const entry = lookup(family, v);
    const names = headerNames(family, v);
    if (!entry && names.length === 0) return false;
    const m: CodeMatch = { family, value: v, names, confidence };
    if (entry) m.entry = entry;
    if (via) m.via = via;
    push(m);
    return true;
  };

  // 1. The family the context names, known or not.
  if (contextFamily === 'ipv4.le') push({ family: 'ipv4.le', value: r.unsigned, names: [], confidence: 'context', text: ipv4LittleEndian(r.unsigned) });
  else if (contextFamily) {
    const v = contextFamily === 'se.tetra' ? r.signed : r.unsigned;
    if (!known(contextFamily, v, 'context')) push({ family: contextFamily, value: v, names: [], confidence: 'context' });
  }

  // 2. Every table that has the value. Small values (counts, states, thread ids) are read as
  // Windows codes only when asked for every reading: `count: 1` is not S_FALSE.
  const small = r.unsigned < 0x10000;
  for (const family of EXACT_ORDER) {
    if (family === contextFamily) continue;
    if (!options.exhaustive && (SMALL_FAMILIES.includes(family) || (small && (family === 'win.hresult' || family === 'win.ntstatus')))) continue;
    known(family, r.unsigned, 'exact');
  }

  // 3. Values wrapped in an HRESULT.
  if (h.severity === 1 && h.ntstatus === 1) known('win.ntstatus', (r.unsigned & ~0x10000000) >>> 0, 'exact', 'hresult-from-nt');
  else if (h.severity === 1 && h.reserved === 0 && h.facility === FACILITY_WIN32) {
    // 0x80072EE2: the Win32 code 12002 is a WinHTTP/WinINet error (named in winhttp.h/wininet.h).
    known('win.inet', h.code, 'exact', 'hresult-from-win32');
    known('win.win32', h.code, 'exact', 'hresult-from-win32');
  }

  // 4. Structural: a value in the TETRA status range with no known meaning.
  if (contextFamily !== 'se.tetra' && r.signed >= TETRA_RANGE.min && r.signed <= TETRA_RANGE.max && !seen.has(`se.tetra:${r.signed}`) && !lookup('se.tetra', r.unsigned)) {
    push({ family: 'se.tetra', value: r.signed, names: [], confidence: 'structural' });
  }

  // A context that names a family which does not know the value yields to readings that do
  // know it (it stays, after them, saying plainly that its meaning is unknown).
  const first = matches[0];
  if (first && first.confidence === 'context' && !isKnown(first) && matches.slice(1).some(isKnown)) {
    matches.push(matches.shift()!);
  }
  decoded.matches = matches;
  return decoded;
}

/** `NFMMemCache::Get: rip: <n>`: the remote IPv4 address as a little-endian 32-bit integer. */
export function ipv4LittleEndian(u32: number): string {
  return [u32 & 0xff, (u32 >>> 8) & 0xff, (u32 >>> 16) & 0xff, (u32 >>> 24) & 0xff].join('.');
}

/** True when a reading carries a known meaning (a curated entry, a header name or an address). */
export function isKnown(m: CodeMatch): boolean {
  return m.entry !== undefined || m.names.length > 0 || m.text !== undefined;
}
