/**
 * The performance tuning report (BRIEF §4.3, issue 9): from the debug lines of every connector log
 * of a bundle (rotated logs stitched, one set per version folder), the top processes, files,
 * extensions and folders, events over time and each process's share; the policy's exclusions
 * matched against that activity; candidate exclusions for what is heavy and not excluded yet.
 *
 * `tunePath` walks a log file, a bundle folder or a bundle archive with the same sources as
 * `analyzePath` (`bundle/source.ts`; archives read in place, nested archives mounted) and streams
 * each log once through the analyzer with the tuning collector as its `onEvent` listener.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { ArchiveError, openArchive, type Archive } from '../bundle/archive';
import { analyzeLogChunks, InputError, MAX_XML_BYTES, readTextBounded, sniff, type InputKind } from '../bundle/inputs';
import { connectorCommand, supportToolCommand, type Inventory } from '../bundle/inventory';
import { archiveSource, failureReason, fileHead, folderSource, reasonArg, unreadableFor, type BundleSource } from '../bundle/source';
import { coreText, unreadablePart } from '../text';
import { ACTIONS_BY_KIND } from '../log/rules';
import { compareVersions, rotationIndex } from '../log/stitch';
import { ByteDecoder } from '../text/lines';
import { CancelledError, NEVER_CANCELLED, throwIfCancelled, type Cancellation, type FindingAction } from '../types';
import { analyzeXmlText, xmlRoleByRoot } from '../xml/rules';
import type { PolicyXmlModel } from '../xml/types';
import { BOUNDS, parseWindow, TuneCollector, TuneOptionError } from './aggregate';
import { ExclusionMatcher } from './exclusions';
import type { TuneExclusion, TuneOptions, TuneResult, TuneSet, TuneStatus } from './types';

export * from './types';
export { BOUNDS, TuneCollector, TuneOptionError, parseWindow, placeWindow } from './aggregate';
export { ExclusionMatcher, compileExclusion } from './exclusions';
export { SpaceSaving } from './topk';
export { PROTECTED_FOLDERS, PROTECTED_PROCESSES, CSIDL_FOLDERS } from './data';
export { protectedFolderReason, protectedProcessReason } from './paths';

export const DEFAULT_TOP = 10;
export const MAX_TOP = 1000;
const SNIFF_BYTES = 8192;
/** Nested archives read, as `analyzePath` does. */
const MAX_NESTED_BUNDLES = 2;

interface Entry {
  rel: string;
  source: BundleSource;
  /** Path inside `source`. */
  inner: string;
  kind: InputKind;
  modified?: Date;
  full?: string;
}


/** Lists a source's files with their kind (by content), nested archives included (bounded). */
async function listSource(outer: BundleSource, token: Cancellation, unreadable: TuneResult['unreadable'], closers: Array<() => Promise<void>>): Promise<Entry[]> {
  const entries: Entry[] = [];
  const walk = async (src: BundleSource, prefix: string, level: number): Promise<void> => {
    for await (const f of src.files(token)) {
      const rel = prefix ? `${prefix}/${f.rel}` : f.rel;
      let kind: InputKind;
      try {
        kind = sniff(await src.head(f.rel, SNIFF_BYTES));
      } catch (err) {
        if (err instanceof CancelledError) throw err;
        unreadable.push(unreadableFor(rel, err));
        continue;
      }
      const entry: Entry = { rel, source: src, inner: f.rel, kind };
      if (f.modified) entry.modified = f.modified;
      if (f.full) entry.full = f.full;
      entries.push(entry);
      if (kind !== 'zip' && kind !== '7z') continue;
      if (level >= MAX_NESTED_BUNDLES) {
        unreadable.push(unreadablePart(rel, coreText('nested {0} archive: deeper than {1} levels, not analysed', kind, MAX_NESTED_BUNDLES)));
        continue;
      }
      try {
        const inner = await src.nested(f.rel, token);
        closers.push(inner.close);
        await walk(inner.source, rel, level + 1);
        for (const u of inner.source.unreadable) unreadable.push({ ...u, file: `${rel}/${u.file}` });
      } catch (err) {
        if (err instanceof CancelledError) throw err;
        unreadable.push(unreadablePart(rel, coreText('nested {0} archive not read: {1}', kind, reasonArg(failureReason(err)))));
      }
    }
  };
  await walk(outer, '', 0);
  return entries;
}

/**
 * A connector log: by its lines' shape (`sniff`), never by its name alone (a Windows System File
 * Checker or CBS log may be named `sfc.exe.log` too).
 */
function isLog(e: Entry): boolean {
  return e.kind === 'connector-log';
}

/** The policy: the first readable `policy.xml` (by name, or an xmldsig root), shallowest first. */
async function readPolicy(entries: readonly Entry[], token: Cancellation, unreadable: TuneResult['unreadable']): Promise<{ policy: TuneResult['policy']; model?: PolicyXmlModel }> {
  const candidates: Entry[] = [];
  for (const e of entries) {
    const base = path.posix.basename(e.rel).toLowerCase();
    if (base === 'policy.xml') candidates.push(e);
    else if (e.kind === 'text' && base.endsWith('.xml')) {
      try {
        const decoder = new ByteDecoder();
        if (xmlRoleByRoot(decoder.push(await e.source.head(e.inner, SNIFF_BYTES)) + decoder.finish()) === 'policy.xml') candidates.push(e);
      } catch {
        // not readable: not a candidate
      }
    }
  }
  const depth = (rel: string) => rel.split('/').length;
  candidates.sort((a, b) => depth(a.rel) - depth(b.rel) || a.rel.localeCompare(b.rel));
  const policy: TuneResult['policy'] = { status: candidates.length > 0 ? 'unreadable' : 'missing', exclusions: [] };
  if (candidates[0]) policy.file = candidates[0].rel;
  let model: PolicyXmlModel | undefined;
  for (const c of candidates) {
    throwIfCancelled(token);
    if (c.kind !== 'text') continue; // binary or encrypted (connector 8.1.3+, BRIEF §2.1)
    let text: string;
    try {
      text = await readTextBounded(c.source.chunks(c.inner, token), MAX_XML_BYTES);
    } catch (err) {
      if (err instanceof CancelledError) throw err;
      unreadable.push(unreadableFor(c.rel, err));
      continue;
    }
    const r = analyzeXmlText(text, c.rel);
    if (r.role !== 'policy.xml' || r.model?.kind !== 'policy.xml' || !r.model.config) continue;
    if (model) {
      (policy.others ??= []).push(c.rel);
      continue;
    }
    model = r.model;
    policy.status = 'read';
    policy.file = c.rel;
  }
  return model ? { policy, model } : { policy };
}

function exclusionsOf(model: PolicyXmlModel, matcher: ExclusionMatcher): TuneExclusion[] {
  return model.exclusions.map((x, i) => {
    const c = matcher.compiled[i]!;
    const out: TuneExclusion = { kind: x.kind, value: x.value, wildcardLeading: x.wildcardLeading, shape: c.shape, line: x.element.range.start.line };
    if (x.mask !== undefined) out.mask = x.mask;
    if (x.maskMeaning) out.maskMeaning = x.maskMeaning;
    if (x.unknownBits !== undefined) out.unknownBits = x.unknownBits;
    if (x.kind === 'process') out.fileScan = c.fileScan;
    return out;
  });
}

/**
 * How to collect a debug log (BRIEF §2.2, §4.1 step 9): debug logging on for one full update
 * interval in the version folder, then a new support bundle (the inventory's `missing.debug-log`).
 */
const VERSION_FOLDER = /^\d{1,3}(?:\.\d{1,6}){2,3}$/;
/** Stands for the connector's version folder in a command when none is known. */
export const VERSION_PLACEHOLDER = '<version>';

export function collectDebugActions(version: string | undefined): FindingAction[] {
  // Without a version folder, a placeholder to fill: a bare `sfc.exe` in PowerShell runs Windows'
  // System File Checker, never the connector.
  const known = version !== undefined && VERSION_FOLDER.test(version);
  const place: Pick<Inventory, 'installDir' | 'newestConnectorVersion'> = { newestConnectorVersion: known ? version : '0.0.0' };
  const fill = (command: string) => (known ? command : command.replace(`\\0.0.0\\`, `\\${VERSION_PLACEHOLDER}\\`));
  const start = (ACTIONS_BY_KIND['log.debug-disabled'] ?? [{ id: 'debug-start', command: 'sfc.exe -l start' }]).map((a) => {
    const [tool, ...rest] = a.command.split(' ');
    return { id: a.id, command: fill(connectorCommand(tool!, rest.join(' '), place)) };
  });
  return [...start, { id: 'support-tool', command: fill(supportToolCommand(place as Inventory, 'windows')) }];
}

function overallStatus(sets: readonly TuneSet[]): TuneStatus {
  if (sets.length === 0) return 'no-logs';
  for (const s of ['ok', 'window-empty', 'no-file-events'] as const) if (sets.some((x) => x.status === s)) return s;
  return 'not-debug';
}

/**
 * The tuning report of a connector log, a bundle folder or a bundle archive. Throws `InputError`
 * for a path that cannot be read, `TuneOptionError` for a bad `from`/`to`/`top`, `CancelledError`.
 */
export async function tunePath(target: string, options: TuneOptions & { token?: Cancellation } = {}): Promise<TuneResult> {
  const token = options.token ?? NEVER_CANCELLED;
  const top = options.top ?? DEFAULT_TOP;
  if (!Number.isInteger(top) || top < 1 || top > MAX_TOP) throw new TuneOptionError('top', String(options.top));
  const window = parseWindow(options.from, options.to);
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (e) {
    throw new InputError('not-found', (e as NodeJS.ErrnoException).code ?? String(e));
  }
  const unreadable: TuneResult['unreadable'] = [];
  const closers: Array<() => Promise<void>> = [];
  let kind: InputKind;
  let entries: Entry[];
  let archive: Archive | undefined;
  // What relative paths start from: the folder, the archive, or (a single log) a folder holding it and its policy.
  let base = target;
  try {
    if (stat.isDirectory()) {
      kind = 'folder';
      const source = folderSource(target);
      try {
        entries = await listSource(source, token, unreadable, closers);
      } catch (e) {
        if (e instanceof CancelledError) throw e;
        throw InputError.unreadable(e);
      }
      unreadable.unshift(...source.unreadable);
    } else {
      let head: Uint8Array;
      try {
        head = await fileHead(target, SNIFF_BYTES);
      } catch (e) {
        throw new InputError('unreadable', (e as NodeJS.ErrnoException).code ?? String(e));
      }
      kind = sniff(head);
      if (kind === 'zip' || kind === '7z') {
        try {
          archive = await openArchive(target, { token });
        } catch (e) {
          if (e instanceof ArchiveError) throw InputError.unreadable(e);
          throw e;
        }
        const source = archiveSource(archive, target);
        entries = await listSource(source, token, unreadable, closers);
        unreadable.unshift(...source.unreadable);
      } else {
        ({ entries, base } = await singleFile(target, kind));
      }
    }

    const { policy, model } = await readPolicy(entries, token, unreadable);
    const matcher = model ? new ExclusionMatcher(model.exclusions) : undefined;
    if (model && matcher) policy.exclusions = exclusionsOf(model, matcher);
    const collector = new TuneCollector({ ...(window ? { window } : {}), ...(matcher ? { matcher } : {}), top });
    // Each folder's rotated logs oldest first: a time window is placed once per set, on the clock
    // of its oldest log, and each next log's clock continues it (aggregate.ts).
    const folderOfRel = (rel: string) => rel.slice(0, Math.max(0, rel.lastIndexOf('/')));
    const logs = entries.filter(isLog).sort((a, b) => {
      const fa = folderOfRel(a.rel);
      const fb = folderOfRel(b.rel);
      return fa < fb ? -1 : fa > fb ? 1 : rotationIndex(path.posix.basename(b.rel)) - rotationIndex(path.posix.basename(a.rel)) || (a.rel < b.rel ? -1 : a.rel > b.rel ? 1 : 0);
    });
    for (const e of logs) {
      throwIfCancelled(token);
      collector.startLog(e.rel);
      try {
        const analysis = await analyzeLogChunks(e.source.chunks(e.inner, token), {
          file: e.rel,
          path: e.full ?? e.rel,
          token,
          onEvent: collector.onEvent,
          ...(e.modified ? { reference: e.modified } : {}),
        });
        collector.endLog(analysis);
      } catch (err) {
        if (err instanceof CancelledError) {
          collector.abortLog();
          throw err;
        }
        // Read partially: listed with its set (events so far counted), else as not read.
        const why = failureReason(err);
        if (!collector.abortLog(reasonArg(why))) unreadable.push({ file: e.rel, ...why });
      }
    }
    const sets = collector.result().sort((a, b) => compareVersions(b.version, a.version) || a.folder.localeCompare(b.folder));
    const status = overallStatus(sets);
    // Each set its own status: a version folder without debug lines gets its own collect commands
    // even when another version's logs are in debug.
    for (const s of sets) if (s.status === 'not-debug') s.collect = collectDebugActions(s.version);
    const result: TuneResult = {
      root: target,
      base,
      kind,
      status,
      top,
      sets,
      policy,
      bounds: { ...BOUNDS },
      unreadable,
    };
    if (window) {
      result.window = {};
      if (options.from !== undefined) result.window.from = options.from.trim();
      if (options.to !== undefined) result.window.to = options.to.trim();
      if (window.from?.year !== undefined || window.to?.year !== undefined) result.window.yearIgnored = true;
    }
    if (status === 'not-debug') result.collect = collectDebugActions(sets.find((s) => s.version)?.version);
    return result;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
    await archive?.close();
  }
}

/**
 * A single file: the log itself (by content or name), and the policy beside it or one folder up
 * (`AMP\policy.xml` beside `AMP\<version>\sfc.exe.log`).
 */
async function singleFile(target: string, kind: InputKind): Promise<{ entries: Entry[]; base: string }> {
  const dir = path.dirname(target);
  const name = path.basename(target);
  const here = folderSource(dir);
  const entries: Entry[] = [];
  // The base folder holds both the log and the policy: the log's folder, or the one above it when
  // the policy is there (then the log's path keeps its version folder: `8.1.7.21417/sfc.exe.log`).
  let base = dir;
  for (const candidate of [path.join(dir, 'policy.xml'), path.join(path.dirname(dir), 'policy.xml')]) {
    try {
      const head = await fileHead(candidate, SNIFF_BYTES);
      base = path.dirname(candidate);
      entries.push({ rel: 'policy.xml', source: folderSource(base), inner: 'policy.xml', kind: sniff(head), full: candidate });
      break;
    } catch {
      // no policy there
    }
  }
  const rel = path.relative(base, target).split(path.sep).join('/');
  const entry: Entry = { rel, source: here, inner: name, kind, full: target };
  try {
    entry.modified = (await fs.stat(target)).mtime;
  } catch {
    // no reference date: the year may stay unknown
  }
  entries.push(entry);
  return { entries, base };
}
