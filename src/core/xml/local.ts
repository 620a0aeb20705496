/**
 * The model of the connector's `local.xml` (BRIEF §2.3: root `config`, no namespace). Reads what
 * the file holds; never throws on content: a broken or truncated file gives what was readable.
 */
import { findElement, findElements } from './read';
import type { Located, LocalXmlModel, XmlDocument, XmlElement } from './types';

/**
 * Where a connector version might be written in `local.xml`. *(unconfirmed)*: BRIEF §2.3 names no
 * element for it; these are plausible places, tried in order, and a value is taken only when it
 * has the shape of a connector version (`8.1.7.21417`, `7.4.5`). Correct the list here.
 */
export const CONNECTOR_VERSION_PATHS: readonly string[] = ['/config/agent/version', '/config/version', '/config/agent/connector_version', '/config/install/version'];

/** `8.1.7.21417`, `6.3.1`: the shape of a connector version (BRIEF §2.1). */
export const CONNECTOR_VERSION_SHAPE = /^\d{1,3}\.\d{1,3}\.\d{1,3}(?:\.\d{1,6})?$/;

/** The most JSON text read from `stats/definitions` (the reader bounds element text too). */
const MAX_JSON = 64 * 1024;

/** An integer as written (`4294965193`, `-2103`, `+5`), when it is a safe integer; else undefined. */
export function parseInteger(text: string): number | undefined {
  const t = text.trim();
  // Hex as well (`0x7FFFFFFFFF` is the debug log level 549755813887, BRIEF §2.2 and §3).
  if (/^0x[0-9a-f]{1,13}$/i.test(t)) return Number.parseInt(t.slice(2), 16);
  if (!/^[+-]?\d{1,16}$/.test(t)) return undefined;
  const n = Number(t);
  return Number.isSafeInteger(n) ? n : undefined;
}

/** A 32-bit status as written: unsigned (`4294965193`) or signed (`-2103`); else undefined. */
export function parseStatus(text: string): number | undefined {
  const n = parseInteger(text);
  return n !== undefined && n >= -0x80000000 && n <= 0xffffffff ? n : undefined;
}

/** `"<x>:<N>"` (quotes optional) → N; undefined when the text has another shape. */
export function parseDefVersion(text: string): number | undefined {
  const m = /^\s*"?\s*[^":\s]*\s*:\s*(\d{1,12})\s*"?\s*$/.exec(text);
  return m ? Number(m[1]) : undefined;
}

/** Is this entry of `engineDefinitions` the TETRA one? Any key or string value naming TETRA. */
function namesTetra(entry: Record<string, unknown>): boolean {
  return Object.entries(entry).some(([k, v]) => k !== 'defVersion' && (/tetra/i.test(k) || (typeof v === 'string' && /tetra/i.test(v))));
}

/**
 * The TETRA definition version in the JSON text of `stats/definitions`
 * (`{"engineDefinitions":[{"defVersion":"<x>:<N>",…}]}`, BRIEF §2.3).
 * The TETRA entry is the one that names TETRA (in a key or a value); when no entry does, the
 * only entry with a `defVersion`, if there is exactly one (never a guess among several engines).
 * Text that is not JSON (cut, or escaped oddly) falls back to the same choice over the
 * `"defVersion":"<x>:<N>"` pairs found in it.
 */
/** The other engines a definitions entry may name (BRIEF §2.4: spero, ethos, clamav; NFM, exprev). */
const OTHER_ENGINE = /clam|spero|ethos|exprev|nfm|orbital|ioc/i;

function namesOtherEngine(entry: Record<string, unknown>): boolean {
  return Object.entries(entry).some(([k, v]) => k !== 'defVersion' && typeof v === 'string' && OTHER_ENGINE.test(v));
}

export function tetraVersionFromStatsJson(text: string): number | undefined {
  if (text.length > MAX_JSON) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  const list = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>)['engineDefinitions'] : undefined;
  if (Array.isArray(list)) {
    const entries = list.filter((e): e is Record<string, unknown> => !!e && typeof e === 'object' && !Array.isArray(e) && typeof (e as Record<string, unknown>)['defVersion'] === 'string');
    // A lone entry counts only when it names no engine at all: `{"engine":"clamav"}` is ClamAV's
    // version (the usual shape on Linux and macOS), never TETRA's.
    const lone = entries.length === 1 && !namesOtherEngine(entries[0]!) ? entries[0] : undefined;
    const tetra = entries.find(namesTetra) ?? lone;
    return tetra ? parseDefVersion(tetra['defVersion'] as string) : undefined;
  }
  // Not JSON: scan the pairs (bounded by MAX_JSON above), each with the object it sits in.
  const pairs = [...text.matchAll(/\{[^{}]{0,2048}?"defVersion"\s*:\s*"([^"]{0,64})"[^{}]{0,2048}/g)];
  const lonePair = pairs.length === 1 && !OTHER_ENGINE.test(pairs[0]![0]) ? pairs[0] : undefined;
  const tetra = pairs.find((m) => /tetra/i.test(m[0].replace(/"defVersion"\s*:\s*"[^"]*"/, ''))) ?? lonePair;
  return tetra ? parseDefVersion(tetra[1]!) : undefined;
}

function located<T>(element: XmlElement | undefined, parse: (text: string) => T | undefined): Located<T> | undefined {
  // A value cut by the end of the file (`<lasterror>429496`) is not the value: never a finding.
  if (!element || !element.closed) return undefined;
  const value = parse(element.text);
  return value === undefined ? undefined : { value, element };
}

const nonEmpty = (t: string): string | undefined => (t.trim() ? t.trim() : undefined);

/** The model of `local.xml`. Works on any root; paths are from `/config` as BRIEF §2.3 gives them. */
export function readLocalXml(doc: XmlDocument): LocalXmlModel {
  const model: LocalXmlModel = { kind: 'local.xml', installSwitches: [] };
  if (!doc.root) return model;
  const set = <K extends keyof LocalXmlModel>(key: K, value: LocalXmlModel[K] | undefined): void => {
    if (value !== undefined) model[key] = value;
  };
  set('connectorGuid', located(findElement(doc, '/config/agent/uuid'), nonEmpty));
  set('businessGuid', located(findElement(doc, '/config/janus/business/uuid'), nonEmpty));
  for (const path of CONNECTOR_VERSION_PATHS) {
    const v = located(findElement(doc, path), (t) => (CONNECTOR_VERSION_SHAPE.test(t.trim()) ? t.trim() : undefined));
    if (v) {
      model.connectorVersion = v;
      break;
    }
  }
  set('tetraVersionFromStats', located(findElement(doc, '/config/agent/engine/stats/definitions'), tetraVersionFromStatsJson));
  set('tetraVersionFromDefversions', located(findElement(doc, '/config/agent/engine/tetra/defversions'), parseDefVersion));
  set('tetraLastError', located(findElement(doc, '//tetra/lasterror'), parseStatus));
  set('lastSuccessTime', located(findElement(doc, '//lastsuccesstime'), (t) => {
    const n = parseInteger(t);
    return n !== undefined && n >= 0 ? n : undefined;
  }));
  for (const el of findElements(doc, '/config/install/switches/*')) model.installSwitches.push({ name: el.local, value: el.text.trim(), element: el });
  return model;
}

/** The TETRA version a `local.xml` records: the newer layout first (BRIEF §2.3). */
export function tetraVersionOf(model: LocalXmlModel): Located<number> | undefined {
  return model.tetraVersionFromStats ?? model.tetraVersionFromDefversions;
}
