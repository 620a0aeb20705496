import { lookup } from './catalogue';
import type { CodeMatch, ContextHint, Decoded, FamilyId, HResultFields, Readings } from './types';

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
  const hex = /^(-?)0[xX]([0-9a-fA-F]+)$/.exec(t);
  if (hex) {
    const v = BigInt('0x' + hex[2]);
    return hex[1] ? -v : v;
  }
  return undefined;
}

export function readings(value: bigint): Readings | undefined {
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
/** FACILITY_INTERNET (12): WinINet/WinHTTP errors wrapped as `0x80072Exx`/`0x80072Fxx`. */
const FACILITY_INTERNET = 12;

/**
 * Which families a context makes most likely, in order. The first family of the hint ranks
 * first; families not listed keep their default order after them.
 */
const HINT_ORDER: Record<ContextHint, FamilyId[]> = {
  'tetra-status': ['se.tetra'],
  'isolation-error': ['se.isolation'],
  'event-type': ['se.event'],
  certificate: ['win.hresult'],
  'tls-alert': ['tls.alert'],
  'curl-exit': ['curl'],
  'ipv4-le': ['ipv4.le'],
  'win32-error': ['win.win32', 'win.inet'],
};

const DEFAULT_ORDER: FamilyId[] = ['se.tetra', 'se.isolation', 'se.event', 'win.hresult', 'win.inet', 'win.win32'];
/** Small-number families: read only when the context names them (else every `40` would be a TLS alert). */
const CONTEXT_ONLY: FamilyId[] = ['tls.alert', 'curl', 'ipv4.le'];

/**
 * Every reading of a number, best first. `hint` comes from the words around it (see `scan.ts`).
 * An unknown value still gets its structural readings, and — where the context names a family —
 * a match without an entry, meaning "this family, meaning unknown".
 */
export function decode(input: string | bigint, hint?: ContextHint, options: { bareHex?: boolean } = {}): Decoded | undefined {
  const value = typeof input === 'bigint' ? input : parseNumber(input, options);
  if (value === undefined) return undefined;
  const r = readings(value);
  const decoded: Decoded = { input: typeof input === 'bigint' ? input.toString() : input.trim(), value, matches: [] };
  if (hint) decoded.hint = hint;
  if (!r) return decoded;
  decoded.readings = r;

  const preferred = hint ? HINT_ORDER[hint] : [];
  const order = [...preferred, ...DEFAULT_ORDER.filter((f) => !preferred.includes(f))];
  const allowed = (f: FamilyId) => !CONTEXT_ONLY.includes(f) || preferred.includes(f);
  const matches: CodeMatch[] = [];
  const rankOf = (f: FamilyId) => {
    const i = order.indexOf(f);
    return i < 0 ? order.length : i;
  };

  for (const family of order) {
    if (!allowed(family)) continue;
    if (family === 'ipv4.le') {
      matches.push({ family, rank: rankOf(family), text: ipv4LittleEndian(r.unsigned) });
      continue;
    }
    const entry = lookup(family, r.unsigned);
    if (entry) matches.push({ family, entry, rank: rankOf(family) });
  }

  // Wrapped Windows codes: HRESULT_FROM_WIN32 and WinINet/WinHTTP in FACILITY_INTERNET or WIN32.
  const h = r.hresult;
  if (h.severity === 1 && h.ntstatus === 0) {
    if (h.facility === FACILITY_WIN32 || h.facility === FACILITY_INTERNET) {
      const inner = lookup('win.inet', h.code);
      if (inner) matches.push({ family: 'win.inet', entry: inner, rank: rankOf('win.hresult'), via: 'hresult-from-win32' });
    }
  }

  // The context names a family but the value is not in its table: say so, do not invent a meaning.
  for (const family of preferred) {
    if (family === 'ipv4.le' || !allowed(family)) continue;
    if (!matches.some((m) => m.family === family)) matches.push({ family, rank: -1 });
  }

  matches.sort((a, b) => a.rank - b.rank);
  decoded.matches = matches;
  return decoded;
}

/** `NFMMemCache::Get: rip: <n>`: the remote IPv4 address as a little-endian 32-bit integer. */
export function ipv4LittleEndian(u32: number): string {
  return [u32 & 0xff, (u32 >>> 8) & 0xff, (u32 >>> 16) & 0xff, (u32 >>> 24) & 0xff].join('.');
}
