/**
 * Analyses cached per bundle (issue 7, part 6): the Problems panel's analysis, Diagnose and the
 * trees ask for the same bundle one after another (or at once), and a bundle of hundreds of MB
 * must not be read again for each. A cached analysis is reused only while the bundle's
 * fingerprint is unchanged: the names, sizes, times and identities of everything the analysis
 * reads (for a folder, every file of the bounded walk; for an archive or a single file, that
 * file). Computing it costs one `stat` per file, nothing is read. Requests for a bundle that is
 * being analysed share that analysis.
 */
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { NEVER_CANCELLED, throwIfCancelled, type Cancellation } from '../types';
import { analyzePath, type PathAnalysis } from './inputs';
import { MAX_FOLDER_DEPTH, MAX_FOLDER_ENTRIES } from './source';

/** Files stat'ed at once while fingerprinting a folder. */
const STAT_BATCH = 64;

/** How many bundles keep their analysis (the least recently used is dropped first). */
export const MAX_CACHED_BUNDLES = 4;

/** What the walk of a folder sees: every entry's relative name, type, size and time, in walk order. */
async function folderPrint(root: string, hash: ReturnType<typeof createHash>, token: Cancellation): Promise<void> {
  let seen = 0;
  const stack: Array<{ dir: string; depth: number }> = [{ dir: root, depth: 0 }];
  while (stack.length > 0) {
    const { dir, depth } = stack.pop()!;
    if (depth > MAX_FOLDER_DEPTH) continue;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch (e) {
      hash.update(`!${path.relative(root, dir)}:${(e as NodeJS.ErrnoException).code ?? 'error'}\n`);
      continue;
    }
    entries.sort((a, b) => a.name.localeCompare(b.name));
    const subfolders: string[] = [];
    const files: string[] = [];
    let full = false;
    for (const e of entries) {
      if (++seen > MAX_FOLDER_ENTRIES) {
        full = true;
        break;
      }
      if (e.isDirectory()) subfolders.push(path.join(dir, e.name));
      else if (e.isFile()) files.push(path.join(dir, e.name));
    }
    for (const sub of subfolders) hash.update(`d ${path.relative(root, sub)}\n`);
    // The folder's files are stat'ed STAT_BATCH at a time (one at a time, 50,000 files took 1.5 s).
    for (let i = 0; i < files.length; i += STAT_BATCH) {
      throwIfCancelled(token);
      const batch = files.slice(i, i + STAT_BATCH);
      const lines = await Promise.all(
        batch.map((f) =>
          fs.stat(f).then(
            (st) => `f ${path.relative(root, f)} ${statPrint(st)}\n`,
            (err: NodeJS.ErrnoException) => `! ${path.relative(root, f)} ${err.code ?? 'error'}\n`,
          ),
        ),
      );
      for (const l of lines) hash.update(l);
    }
    if (full) return;
    for (let i = subfolders.length - 1; i >= 0; i--) stack.push({ dir: subfolders[i]!, depth: depth + 1 });
  }
}

/**
 * The fingerprint of what `analyzePath(target)` reads: equal fingerprints mean the analysis would
 * read the same files at the same sizes and times. Undefined when the target cannot be read (the
 * analysis then reports why, uncached).
 */
export async function bundleFingerprint(target: string, token: Cancellation = NEVER_CANCELLED): Promise<string | undefined> {
  const hash = createHash('sha256');
  let st;
  try {
    st = await fs.stat(target);
  } catch {
    return undefined;
  }
  if (st.isDirectory()) {
    hash.update('folder\n');
    await folderPrint(target, hash, token);
    return hash.digest('hex');
  }
  // A single file (an archive, or a log analysed alone) is all the analysis reads.
  hash.update(`file ${statPrint(st)}\n`);
  return hash.digest('hex');
}

/**
 * What tells a file's content changed without reading it: size and modification time, and the
 * change time and identity (`ino`, `dev`), which also move when a file is rewritten at the same size
 * and modification time (`cp --preserve=timestamps`, extraction tools, coarse-time file systems).
 */
function statPrint(st: import('node:fs').Stats): string {
  return `${st.size} ${st.mtimeMs} ${st.ctimeMs} ${st.ino} ${st.dev}`;
}

interface Cached {
  fingerprint: string;
  analysis: PathAnalysis;
}

/** An analysis under way, shared by every request for the same bundle and fingerprint. */
interface InFlight {
  fingerprint: string | undefined;
  promise: Promise<PathAnalysis>;
  /** The requests waiting on it: it is cancelled only when all of them are. */
  tokens: Cancellation[];
}

/** Completed analyses by bundle path, reused while the fingerprint holds. */
export class BundleAnalysisCache {
  private readonly entries = new Map<string, Cached>();
  private readonly running = new Map<string, InFlight>();
  /** Analyses run (not served from the cache or shared): for tests and the log. */
  analysed = 0;

  constructor(
    private readonly analyze: (target: string, token: Cancellation) => Promise<PathAnalysis> = analyzePath,
    private readonly capacity = MAX_CACHED_BUNDLES,
  ) {}

  /**
   * The analysis of `target`: the cached one when the bundle has not changed, the one under way
   * when another request started it, else a new one (which replaces it). `fresh` forces a new
   * analysis (an engineer's explicit "analyse again"). Errors are not cached.
   */
  async get(target: string, token: Cancellation = NEVER_CANCELLED, options: { fresh?: boolean } = {}): Promise<{ analysis: PathAnalysis; cached: boolean }> {
    const key = path.resolve(target);
    const fingerprint = await bundleFingerprint(key, token);
    throwIfCancelled(token);
    const hit = this.entries.get(key);
    if (hit && !options.fresh && fingerprint !== undefined && hit.fingerprint === fingerprint) {
      this.entries.delete(key);
      this.entries.set(key, hit);
      return { analysis: hit.analysis, cached: true };
    }
    const running = this.running.get(key);
    if (running && running.fingerprint === fingerprint && fingerprint !== undefined && !options.fresh) {
      running.tokens.push(token);
      const analysis = await running.promise;
      throwIfCancelled(token);
      return { analysis, cached: false };
    }
    const tokens = [token];
    // The shared analysis stops only when every request waiting on it was cancelled.
    const shared: Cancellation = {
      get isCancellationRequested() {
        return tokens.every((t) => t.isCancellationRequested);
      },
    };
    this.analysed++;
    const flight: InFlight = { fingerprint, tokens, promise: this.analyze(target, shared) };
    this.running.set(key, flight);
    let analysis: PathAnalysis;
    try {
      analysis = await flight.promise;
    } finally {
      if (this.running.get(key) === flight) this.running.delete(key);
    }
    // Stored only when the bundle did not change while it was read, and no newer analysis of it
    // was stored meanwhile.
    const now = await bundleFingerprint(key, NEVER_CANCELLED);
    if (fingerprint !== undefined && fingerprint === now) {
      this.entries.delete(key);
      this.entries.set(key, { fingerprint, analysis });
      while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
    } else if (this.entries.get(key)?.fingerprint !== now) this.entries.delete(key);
    throwIfCancelled(token);
    return { analysis, cached: false };
  }

  /** Forgets a bundle (or every bundle). */
  forget(target?: string): void {
    if (target === undefined) this.entries.clear();
    else this.entries.delete(path.resolve(target));
  }
}
