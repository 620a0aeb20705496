/**
 * The policy's exclusions (BRIEF §2.4, decoded by `xml/policy.ts`) compiled into matchers over the
 * log's paths. The semantics are assumptions (see `data.ts`, WILDCARD_CROSSES_FOLDERS and the
 * list above it): every one is in this file or in that table, easy to correct.
 *
 * Cost: every file event is tested once against one combined expression of all path exclusions
 * (anchored at the start, so a path that matches none fails after a few characters of each
 * alternative); only a path that matches is tested against each exclusion, to count them
 * separately. Extension exclusions are a map look-up; process exclusions are evaluated once per
 * distinct process (bounded cache).
 */
import type { PolicyExclusion } from '../xml/types';
import { EXCLUSION_PREFIXES, WILDCARD_CROSSES_FOLDERS } from './data';
import { baseName } from './paths';

/**
 * How an exclusion is matched: `folder` (value ends in `\`), `path` (a file, or a folder and
 * what is below), `pattern` (with wildcards), `extension`, `process` (full path), `process-name`
 * (no folder), `not-evaluated` (an item of another kind, or a value that is none of these, such as
 * a threat name).
 */
export type ExclusionShape = 'folder' | 'path' | 'pattern' | 'extension' | 'process' | 'process-name' | 'not-evaluated';

export interface CompiledExclusion {
  /** Index in the policy's exclusions. */
  index: number;
  shape: ExclusionShape;
  /** Tested on lower-case paths (or file names, for `process-name`). */
  re?: RegExp;
  /** The expression's source without its anchor (for the combined expression). */
  body?: string;
  /** For `extension`: lower case, without the dot. */
  ext?: string;
  /** Process exclusions: whether the mask stops file scans (0 or 1; no mask read counts as yes). */
  fileScan: boolean;
}

/** One user-name folder, from a CSIDL or %VARIABLE% that stands for a user's folder. */
const USER = '\u0001';

const PREFIXES = [...EXCLUSION_PREFIXES].sort((a, b) => b.name.length - a.name.length).map((p) => ({ lower: p.name.toLowerCase(), folder: p.folder.toLowerCase().replace('<user>', USER) }));

/** `CSIDL_PROGRAM_FILES\x`, `%windir%\x` → the folder it stands for (lower case). */
export function expandPrefix(lowerValue: string): string {
  for (const p of PREFIXES) {
    if (lowerValue.startsWith(p.lower) && (lowerValue.length === p.lower.length || lowerValue.charCodeAt(p.lower.length) === 92)) return p.folder + lowerValue.slice(p.lower.length);
  }
  return lowerValue;
}

const SPECIAL = /[.*+?^${}()|[\]\\]/;

/**
 * The expression body for a (lower-case, expanded) value: `*` any run of characters, `?` one
 * character but `\`, the user placeholder one folder name. `regexForm`: the value was stored with a
 * leading `.*` (BRIEF §2.4; the public tool reads it as `*`); a `\.` in it may then be an escaped
 * dot or a folder and a dot, and matches either.
 */
function bodyOf(value: string, regexForm: boolean): { body: string; wildcard: boolean } {
  let out = '';
  let wildcard = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '*') {
      out += WILDCARD_CROSSES_FOLDERS ? '.*' : '[^\\\\]*';
      wildcard = true;
    } else if (c === '?') {
      out += '[^\\\\]';
      wildcard = true;
    } else if (c === USER) {
      out += '[^\\\\]+';
      wildcard = true;
    } else if (regexForm && c === '\\' && value[i + 1] === '.') {
      out += '\\\\?\\.';
      i++;
    } else out += SPECIAL.test(c) ? '\\' + c : c;
  }
  return { body: out, wildcard };
}

/** Normalises a value as written in the policy: blanks and quotes trimmed, `/` as `\`, lower case. */
function normalised(value: string): string {
  return value
    .trim()
    .replace(/^["']+|["']+$/g, '')
    .replace(/\//g, '\\')
    .toLowerCase();
}

/** Compiles one exclusion of the policy. */
export function compileExclusion(x: PolicyExclusion, index: number): CompiledExclusion {
  const fileScan = x.kind === 'process' ? x.maskMeaning === undefined || x.maskMeaning.includes('file-scan') : false;
  const out: CompiledExclusion = { index, shape: 'not-evaluated', fileScan };
  if (x.kind === 'other') return out;
  let v = normalised(x.value);
  if (!v) return out;
  const regexForm = v.startsWith('.*');
  if (regexForm) v = '*' + v.slice(2);
  const hasFolder = v.includes('\\') || v.includes(':') || v.startsWith('%') || v.startsWith('csidl_');
  if (x.kind === 'path' && !hasFolder && !/[*?]/.test(v)) {
    // `log`, `.log`: an extension (a threat name or other word is not evaluated).
    const ext = v.replace(/^\./, '');
    if (/^[a-z0-9_$~-]{1,16}$/.test(ext)) {
      out.shape = 'extension';
      out.ext = ext;
    }
    return out;
  }
  if (x.kind === 'process' && !hasFolder) {
    const { body } = bodyOf(v, regexForm);
    out.shape = 'process-name';
    out.body = body;
    out.re = new RegExp(`^(?:${body})$`);
    return out;
  }
  const expanded = expandPrefix(v);
  const { body: core, wildcard } = bodyOf(expanded, regexForm);
  if (x.kind === 'process') {
    out.shape = 'process';
    out.body = core;
    out.re = new RegExp(`^(?:${core})$`);
    return out;
  }
  const folder = expanded.endsWith('\\');
  out.shape = wildcard ? 'pattern' : folder ? 'folder' : 'path';
  // A folder: everything below it; otherwise the file itself, or a folder of that name and below.
  out.body = folder ? core : `${core}(?:\\\\|$)`;
  out.re = new RegExp(`^(?:${out.body})`);
  return out;
}

/** Bound on the per-process cache (cleared when full). */
const PROCESS_CACHE = 4096;

export interface ProcessMatch {
  /** Process exclusions that match. */
  indices: readonly number[];
  /** One of them stops file scans. */
  fileScan: boolean;
}

const NO_PROCESS_MATCH: ProcessMatch = Object.freeze({ indices: Object.freeze([]) as readonly number[], fileScan: false });

/** All of a policy's exclusions, compiled, with the fast paths described above. */
export class ExclusionMatcher {
  readonly compiled: readonly CompiledExclusion[];
  private readonly paths: readonly CompiledExclusion[];
  private readonly combined: RegExp | undefined;
  private readonly extensions = new Map<string, number[]>();
  private readonly processes: readonly CompiledExclusion[];
  private readonly processCache = new Map<string, ProcessMatch>();

  constructor(exclusions: readonly PolicyExclusion[]) {
    this.compiled = exclusions.map(compileExclusion);
    this.paths = this.compiled.filter((c) => c.shape === 'folder' || c.shape === 'path' || c.shape === 'pattern');
    this.combined = this.paths.length > 0 ? new RegExp(`^(?:${this.paths.map((c) => c.body).join('|')})`) : undefined;
    for (const c of this.compiled) {
      if (c.shape !== 'extension') continue;
      const list = this.extensions.get(c.ext!);
      if (list) list.push(c.index);
      else this.extensions.set(c.ext!, [c.index]);
    }
    this.processes = this.compiled.filter((c) => c.shape === 'process' || c.shape === 'process-name');
  }

  /** Whether there is anything to match paths against. */
  get hasPathExclusions(): boolean {
    return this.paths.length > 0 || this.extensions.size > 0;
  }

  /**
   * The path exclusions matching a file (lower case, `\\?\` removed), appended to `out`; returns
   * how many were appended.
   */
  matchFile(lowerPath: string, ext: string, out: number[]): number {
    let n = 0;
    if (this.combined !== undefined && this.combined.test(lowerPath)) {
      for (const c of this.paths) {
        if (c.re!.test(lowerPath)) {
          out.push(c.index);
          n++;
        }
      }
    }
    if (ext && this.extensions.size > 0) {
      const list = this.extensions.get(ext);
      if (list) {
        for (const i of list) out.push(i);
        n += list.length;
      }
    }
    return n;
  }

  /** Whether a folder (lower case) is excluded as a whole: a path exclusion matches everything below it. */
  matchFolder(lowerFolder: string, out: number[]): number {
    if (this.combined === undefined || !this.combined.test(lowerFolder + '\\')) return 0;
    let n = 0;
    for (const c of this.paths) {
      if (c.re!.test(lowerFolder + '\\')) {
        out.push(c.index);
        n++;
      }
    }
    return n;
  }

  /** The process exclusions matching a process (lower case, `\\?\` removed); cached per process. */
  matchProcess(lowerProcess: string): ProcessMatch {
    if (this.processes.length === 0) return NO_PROCESS_MATCH;
    const cached = this.processCache.get(lowerProcess);
    if (cached !== undefined) return cached;
    const indices: number[] = [];
    let fileScan = false;
    const name = baseName(lowerProcess);
    for (const c of this.processes) {
      if (c.re!.test(c.shape === 'process-name' ? name : lowerProcess)) {
        indices.push(c.index);
        if (c.fileScan) fileScan = true;
      }
    }
    const m: ProcessMatch = indices.length === 0 ? NO_PROCESS_MATCH : { indices, fileScan };
    if (this.processCache.size >= PROCESS_CACHE) this.processCache.clear();
    // The key may be cut from a streamed chunk: a copy keeps the chunk from being pinned.
    this.processCache.set((' ' + lowerProcess).slice(1), m);
    return m;
  }
}
