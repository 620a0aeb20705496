/**
 * The policy's exclusions (BRIEF §2.4, decoded by `xml/policy.ts`) compiled into matchers over the
 * log's paths. The semantics are assumptions (see `data.ts`, WILDCARD_CROSSES_FOLDERS and the
 * list above it): every one is in this file or in that table, easy to correct.
 *
 * Cost: every file event is tested against each path exclusion, compiled to a `Glob` (no regular
 * expression: a backtracking one is exponential in the number of `*`); a path that does not start
 * with an exclusion's literal head (the text before its first wildcard) fails after a comparison,
 * and a wildcard one costs at most O(path × pattern). Extension exclusions and file-name ones
 * without wildcards are a map look-up; process exclusions are evaluated once per distinct process
 * (bounded cache). Threat and SHA-256 exclusions are never matched (the log has neither).
 */
import type { PolicyExclusion } from '../xml/types';
import { EXCLUSION_PREFIXES, WILDCARD_CROSSES_FOLDERS } from './data';
import { baseName } from './paths';

/**
 * How an exclusion is matched: `folder` (value ends in `\`), `path` (a file, or a folder and
 * what is below), `pattern` (with wildcards), `extension`, `file-name` (the file's base name,
 * case-insensitive), `process` (full path), `process-name` (no folder); and the ones never matched:
 * `threat` (a threat name: not matchable against file events), `process-sha256` (a process by its
 * SHA-256: the log gives no hash, not matchable), `not-evaluated` (an item of another kind, or a
 * value that is none of these).
 */
export type ExclusionShape = 'folder' | 'path' | 'pattern' | 'extension' | 'file-name' | 'process' | 'process-name' | 'threat' | 'process-sha256' | 'not-evaluated';

/** The shapes never matched against the log: their "never matched" is no finding. */
export const UNMATCHABLE_SHAPES: ReadonlySet<ExclusionShape> = new Set<ExclusionShape>(['threat', 'process-sha256', 'not-evaluated']);

/** Whether an exclusion of this shape is matched against the log at all. */
export function isMatchableShape(shape: ExclusionShape): boolean {
  return !UNMATCHABLE_SHAPES.has(shape);
}

export interface CompiledExclusion {
  /** Index in the policy's exclusions. */
  index: number;
  shape: ExclusionShape;
  /** Tested on lower-case paths (or file names, for `process-name` and `file-name`). */
  glob?: Glob;
  /** For `extension`: lower case, without the dot. */
  ext?: string;
  /** For `file-name` without wildcards: the name, lower case (a map look-up instead of a glob). */
  name?: string;
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

/** Glob operations (`Glob.ops`): a character code (>= 0) matches itself; the others below. */
const ANY_RUN = -1; // `*` crossing folders: any run of characters, `\` included
const QMARK = -2; // one character but `\`
const NAME_RUN = -3; // any run of characters but `\`
const OPT_SLASH = -4; // an optional `\`
const BACKSLASH = 92;

/** Where a glob must match: a prefix of the text, a prefix ending at a `\` or the end, or the whole text. */
export type GlobAnchor = 'prefix' | 'folder-or-file' | 'whole';

/**
 * A compiled exclusion value, matched without regular expressions: a simulation of its automaton
 * over the text, one pass, at most (pattern length) states per character, so the cost is
 * O(text × pattern) whatever the wildcards (a backtracking `.*` expression is exponential in the
 * number of `*`: `C:\Users\*\AppData\*\*\*\*\*.tmp` against a long path took tens of seconds).
 */
export class Glob {
  /** Literal text before the first wildcard: a text that does not start with it fails at once. */
  private readonly head: string;
  private readonly wildcard: boolean;
  private cur: Int32Array;
  private next: Int32Array;
  private readonly mark: Int32Array;
  private gen = 0;

  constructor(
    readonly ops: Int32Array,
    readonly anchor: GlobAnchor,
  ) {
    let i = 0;
    while (i < ops.length && ops[i]! >= 0) i++;
    this.head = String.fromCharCode(...ops.subarray(0, i));
    this.wildcard = i < ops.length;
    this.cur = new Int32Array(ops.length + 1);
    this.next = new Int32Array(ops.length + 1);
    this.mark = new Int32Array(ops.length + 1);
  }

  test(s: string): boolean {
    if (!s.startsWith(this.head)) return false;
    const m = this.ops.length;
    if (!this.wildcard) return this.accepts(s, m);
    const ops = this.ops;
    const mark = this.mark;
    if (this.gen > 0x3fffffff) {
      mark.fill(0);
      this.gen = 0;
    }
    let gen = ++this.gen;
    let cur = this.cur;
    let next = this.next;
    let nc = 0;
    let nn = 0;
    // Adds a state and the states its wildcards may skip to (they match nothing too).
    const add = (list: Int32Array, n: number, state: number): number => {
      for (let i = state; ; i++) {
        if (mark[i] === gen) return n;
        mark[i] = gen;
        list[n++] = i;
        if (i >= m) return n;
        const op = ops[i]!;
        if (op !== ANY_RUN && op !== NAME_RUN && op !== OPT_SLASH) return n;
      }
    };
    // The literal head is matched: start after it.
    let k = this.head.length;
    nc = add(cur, 0, k);
    for (;;) {
      for (let j = 0; j < nc; j++) {
        if (cur[j] === m && this.accepts(s, k)) return true;
      }
      if (k >= s.length || nc === 0) return false;
      const c = s.charCodeAt(k);
      gen = ++this.gen;
      nn = 0;
      for (let j = 0; j < nc; j++) {
        const i = cur[j]!;
        if (i >= m) continue;
        const op = ops[i]!;
        if (op >= 0) {
          if (op === c) nn = add(next, nn, i + 1);
        } else if (op === ANY_RUN) nn = add(next, nn, i);
        else if (op === NAME_RUN) {
          if (c !== BACKSLASH) nn = add(next, nn, i);
        } else if (op === QMARK) {
          if (c !== BACKSLASH) nn = add(next, nn, i + 1);
        } else if (c === BACKSLASH) nn = add(next, nn, i + 1); // OPT_SLASH
      }
      const t = cur;
      cur = next;
      next = t;
      nc = nn;
      k++;
    }
  }

  /** Whether the pattern having matched `s` up to `k` is a match under the anchor. */
  private accepts(s: string, k: number): boolean {
    if (this.anchor === 'prefix') return true;
    if (this.anchor === 'whole') return k === s.length;
    return k === s.length || s.charCodeAt(k) === BACKSLASH;
  }
}

/**
 * The glob operations for a (lower-case, expanded) value: `*` any run of characters, `?` one
 * character but `\`, the user placeholder one folder name. `regexForm`: the value was stored with a
 * leading `.*` (BRIEF §2.4; the public tool reads it as `*`); a `\.` in it may then be an escaped
 * dot or a folder and a dot, and matches either.
 */
function opsOf(value: string, regexForm: boolean): { ops: Int32Array; wildcard: boolean } {
  const out: number[] = [];
  let wildcard = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i]!;
    if (c === '*') {
      // Consecutive `*` are one.
      const op = WILDCARD_CROSSES_FOLDERS ? ANY_RUN : NAME_RUN;
      if (out[out.length - 1] !== op) out.push(op);
      wildcard = true;
    } else if (c === '?') {
      out.push(QMARK);
      wildcard = true;
    } else if (c === USER) {
      out.push(QMARK, NAME_RUN);
      wildcard = true;
    } else if (regexForm && c === '\\' && value[i + 1] === '.') {
      out.push(OPT_SLASH, 46);
      i++;
    } else out.push(value.charCodeAt(i));
  }
  return { ops: Int32Array.from(out), wildcard };
}

/** Normalises a value as written in the policy: blanks and quotes trimmed, `/` as `\`, lower case. */
function normalised(value: string): string {
  return value
    .trim()
    .replace(/^["']+|["']+$/g, '')
    .replace(/\//g, '\\')
    .toLowerCase();
}

/** Compiles one exclusion of the policy, by its type when the item gives one (see `data.ts`). */
export function compileExclusion(x: PolicyExclusion, index: number): CompiledExclusion {
  const asProcess = x.kind === 'process' || x.type === 'process';
  const fileScan = asProcess ? x.maskMeaning === undefined || x.maskMeaning.includes('file-scan') : false;
  const out: CompiledExclusion = { index, shape: 'not-evaluated', fileScan };
  if (x.valueMissing) return out;
  if (x.type === 'threat') {
    out.shape = 'threat';
    return out;
  }
  if (x.type === 'sha256') {
    out.shape = 'process-sha256';
    return out;
  }
  if (x.kind === 'other') return out;
  // An info item whose type code is outside the table: not matched.
  if (x.kind === 'path' && x.type === undefined && x.typeCode !== undefined) return out;
  let v = normalised(x.value);
  if (!v) return out;
  const regexForm = v.startsWith('.*');
  if (regexForm) v = '*' + v.slice(2);
  const hasFolder = v.includes('\\') || v.includes(':') || v.startsWith('%') || v.startsWith('csidl_');
  if (x.type === 'extension') {
    // `log`, `.log`, `*.log`.
    const ext = v.replace(/^\*?\\?\./, '');
    if (/^[a-z0-9_$~-]{1,16}$/.test(ext)) {
      out.shape = 'extension';
      out.ext = ext;
    }
    return out;
  }
  if (x.type === 'file-name' && !hasFolder) {
    out.shape = 'file-name';
    const { ops, wildcard } = opsOf(v, regexForm);
    if (wildcard) out.glob = new Glob(ops, 'whole');
    else out.name = v;
    return out;
  }
  if (x.type === undefined && x.kind === 'path' && !hasFolder && !/[*?]/.test(v)) {
    // No type: `log`, `.log` is an extension (a threat name or other word is not evaluated).
    const ext = v.replace(/^\./, '');
    if (/^[a-z0-9_$~-]{1,16}$/.test(ext)) {
      out.shape = 'extension';
      out.ext = ext;
    }
    return out;
  }
  if (asProcess && !hasFolder) {
    out.shape = 'process-name';
    out.glob = new Glob(opsOf(v, regexForm).ops, 'whole');
    return out;
  }
  const expanded = expandPrefix(v);
  const { ops, wildcard } = opsOf(expanded, regexForm);
  if (asProcess) {
    out.shape = 'process';
    out.glob = new Glob(ops, 'whole');
    return out;
  }
  // `path`, `wildcard`, a `file-name` with a folder, or no type.
  const folder = expanded.endsWith('\\');
  out.shape = wildcard ? 'pattern' : folder ? 'folder' : 'path';
  // A folder: everything below it; otherwise the file itself, or a folder of that name and below.
  out.glob = new Glob(ops, folder ? 'prefix' : 'folder-or-file');
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
  private readonly extensions = new Map<string, number[]>();
  private readonly names = new Map<string, number[]>();
  private readonly nameGlobs: readonly CompiledExclusion[];
  private readonly processes: readonly CompiledExclusion[];
  private readonly processCache = new Map<string, ProcessMatch>();

  constructor(exclusions: readonly PolicyExclusion[]) {
    this.compiled = exclusions.map(compileExclusion);
    this.paths = this.compiled.filter((c) => c.shape === 'folder' || c.shape === 'path' || c.shape === 'pattern');
    const push = (map: Map<string, number[]>, key: string, index: number) => {
      const list = map.get(key);
      if (list) list.push(index);
      else map.set(key, [index]);
    };
    for (const c of this.compiled) {
      if (c.shape === 'extension') push(this.extensions, c.ext!, c.index);
      else if (c.shape === 'file-name' && c.name !== undefined) push(this.names, c.name, c.index);
    }
    this.nameGlobs = this.compiled.filter((c) => c.shape === 'file-name' && c.glob !== undefined);
    this.processes = this.compiled.filter((c) => c.shape === 'process' || c.shape === 'process-name');
  }

  /** Whether there is anything to match paths against. */
  get hasPathExclusions(): boolean {
    return this.paths.length > 0 || this.extensions.size > 0 || this.names.size > 0 || this.nameGlobs.length > 0;
  }

  /**
   * The path exclusions matching a file (lower case, `\\?\` removed), appended to `out`; returns
   * how many were appended.
   */
  matchFile(lowerPath: string, ext: string, out: number[]): number {
    let n = 0;
    for (const c of this.paths) {
      if (c.glob!.test(lowerPath)) {
        out.push(c.index);
        n++;
      }
    }
    if (ext && this.extensions.size > 0) {
      const list = this.extensions.get(ext);
      if (list) {
        for (const i of list) out.push(i);
        n += list.length;
      }
    }
    if (this.names.size > 0 || this.nameGlobs.length > 0) {
      const name = baseName(lowerPath);
      const list = this.names.get(name);
      if (list) {
        for (const i of list) out.push(i);
        n += list.length;
      }
      for (const c of this.nameGlobs) {
        if (c.glob!.test(name)) {
          out.push(c.index);
          n++;
        }
      }
    }
    return n;
  }

  /** Whether a folder (lower case) is excluded as a whole: a path exclusion matches everything below it. */
  matchFolder(lowerFolder: string, out: number[]): number {
    let n = 0;
    const folder = lowerFolder + '\\';
    for (const c of this.paths) {
      if (c.glob!.test(folder)) {
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
      if (c.glob!.test(c.shape === 'process-name' ? name : lowerProcess)) {
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
