// Reads Windows error-code names from the public-domain MinGW-w64 headers (Debian package
// mingw-w64-common, /usr/share/mingw-w64/include). Used by gen-windows-codes.mjs to generate
// src/core/codes/data/generated/windows.json, and by the oracle unit test, which checks that
// decoding every value the installed headers define returns its name.
//
// It evaluates the few `#define` forms these headers use for codes: integer literals (decimal or
// hex, with L/U suffixes), __MSABI_LONG(n), _HRESULT_TYPEDEF_(x), ((HRESULT)x), ((NTSTATUS)x),
// ((DWORD)x), (BASE + n), and aliases of other names. Anything else is ignored.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const DEFAULT_INCLUDE = '/usr/share/mingw-w64/include';
export const HEADERS = ['winerror.h', 'ntstatus.h', 'winhttp.h', 'wininet.h'];

const DEFINE = /^\s*#\s*define\s+([A-Za-z_][A-Za-z0-9_]*)\s+(.+?)\s*(?:\/\/.*|\/\*.*)?$/;

/** Parses one header's `#define NAME value` lines into [name, raw expression] pairs, in order. */
export function defines(text) {
  const out = [];
  for (const line of text.split(/\r?\n/)) {
    const m = DEFINE.exec(line);
    if (m) out.push([m[1], m[2].trim()]);
  }
  return out;
}

/** Evaluates an expression to an unsigned 32-bit integer, or undefined. `lookup` resolves names. */
export function evaluate(expr, lookup, depth = 0) {
  if (depth > 16) return undefined;
  let e = expr.trim();
  for (;;) {
    const wrapped =
      /^\((.*)\)$/.exec(e) ??
      /^__MSABI_LONG\((.*)\)$/.exec(e) ??
      /^_HRESULT_TYPEDEF_\((.*)\)$/.exec(e) ??
      /^_NDIS_ERROR_TYPEDEF_\((.*)\)$/.exec(e) ??
      /^\((?:HRESULT|NTSTATUS|DWORD|LONG|SCODE)\)\s*(.*)$/.exec(e);
    if (!wrapped || !balanced(wrapped[1])) break;
    e = wrapped[1].trim();
  }
  const lit = /^(0[xX][0-9a-fA-F]+|\d+)[uUlL]*$/.exec(e);
  if (lit) return Number(BigInt(lit[1]) & 0xffffffffn);
  const sum = /^([A-Za-z_]\w*)\s*\+\s*(0[xX][0-9a-fA-F]+|\d+)[uUlL]*$/.exec(e);
  if (sum) {
    const base = lookup(sum[1], depth + 1);
    return base === undefined ? undefined : (base + Number(sum[2])) >>> 0;
  }
  if (/^[A-Za-z_]\w*$/.test(e)) return lookup(e, depth + 1);
  return undefined;
}

function balanced(s) {
  let d = 0;
  for (const c of s) {
    if (c === '(') d++;
    else if (c === ')' && --d < 0) return false;
  }
  return d === 0;
}

/** Names that are not codes: bases, masks, facility and severity constants, include guards. */
const NOT_A_CODE = /^_|^FACILITY_|^SEVERITY_|_BASE$|_MASK$|_FIRST$|_LAST$|^(?:WINHTTP|INTERNET)_ERROR_|^DNS_ERROR_RCODE_LAST$|^HRESULT_|^NO_ERROR$|^IS_ERROR$|^SUCCEEDED$|^FAILED$/;

/**
 * Reads the four headers and returns the code names by family, each a Map value → names (in
 * header order), plus the facility names of winerror.h.
 */
export function readWindowsHeaders(dir = DEFAULT_INCLUDE) {
  const raw = new Map();
  const byHeader = {};
  for (const h of HEADERS) {
    byHeader[h] = defines(readFileSync(join(dir, h), 'latin1'));
    for (const [name, expr] of byHeader[h]) if (!raw.has(name)) raw.set(name, expr);
  }
  const cache = new Map();
  const lookup = (name, depth) => {
    if (cache.has(name)) return cache.get(name);
    const expr = raw.get(name);
    const v = expr === undefined ? undefined : evaluate(expr, lookup, depth);
    cache.set(name, v);
    return v;
  };

  const families = { hresult: new Map(), win32: new Map(), ntstatus: new Map(), inet: new Map() };
  const facilities = new Map();
  const add = (family, value, name) => {
    const names = families[family].get(value) ?? [];
    if (!names.includes(name)) names.push(name);
    families[family].set(value, names);
  };

  for (const [name, expr] of byHeader['winerror.h']) {
    const value = lookup(name, 0);
    if (value === undefined) continue;
    if (/^FACILITY_/.test(name)) {
      const names = facilities.get(value) ?? [];
      names.push(name);
      facilities.set(value, names);
      continue;
    }
    if (NOT_A_CODE.test(name)) continue;
    // HRESULTs are typed as such (or carry a severity/facility); the rest are Win32 error numbers.
    const typedHresult = /_HRESULT_TYPEDEF_|\(HRESULT\)|_NDIS_ERROR_TYPEDEF_/.test(expr) || resolvesToHresult(expr, raw);
    if (typedHresult || value > 0xffff) add('hresult', value, name);
    else add('win32', value, name);
  }
  for (const [name, expr] of byHeader['ntstatus.h']) {
    if (NOT_A_CODE.test(name) || !/NTSTATUS/.test(expr)) continue;
    const value = lookup(name, 0);
    if (value !== undefined) add('ntstatus', value, name);
  }
  for (const h of ['winhttp.h', 'wininet.h']) {
    for (const [name] of byHeader[h]) {
      if (!/^ERROR_/.test(name) || NOT_A_CODE.test(name)) continue;
      const value = lookup(name, 0);
      if (value !== undefined && value >= 12000 && value <= 12999) add('inet', value, name);
    }
  }
  return { families, facilities };
}

/** An alias of an HRESULT name (`#define X SOME_E_NAME`) is an HRESULT too. */
function resolvesToHresult(expr, raw, depth = 0) {
  if (depth > 8 || !/^[A-Za-z_]\w*$/.test(expr.trim())) return false;
  const target = raw.get(expr.trim());
  if (target === undefined) return false;
  return /_HRESULT_TYPEDEF_|\(HRESULT\)/.test(target) || resolvesToHresult(target, raw, depth + 1);
}
