/**
 * Support-bundle archives mounted read-only, without extracting anything to disk (issue 7, part 1):
 * a `vscode.FileSystemProvider` for `bundle-lens-archive://<id>/<entry path>`, where `<id>` is a
 * short stable hash of the archive's path on disk. Directories come from the entries' paths;
 * archives inside the bundle (`.zip`/`.7z` entries) are browsable as directories
 * (`…/outer/inner.zip/file`, depth bounded by the core's `maxDepth`). Everything is read through
 * core's `openArchive` (magic bytes decide the format, names and sizes are checked there); refused
 * entries are simply absent. Nothing is ever written: every change is refused. An archive replaced
 * or rewritten on disk is seen on the next call (one stat a second at most): it is opened again and
 * editors are told (`onDidChangeFile`).
 */
import { createHash } from 'node:crypto';
import { promises as fs, type Stats } from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ArchiveError, openArchive, type Archive, type ArchiveEntry } from '../core/bundle/archive';
import type { CoreText } from '../core/text';
import { LruPool } from './lru';

export const ARCHIVE_SCHEME = 'bundle-lens-archive';

/** The `workspaceState` key of the id → archive path map (so a reloaded window finds its folders). */
const STATE_KEY = 'bundleLens.archives';
/** Ids remembered per workspace (the oldest are forgotten beyond this). */
const MAX_REMEMBERED = 200;
/** An archive nobody read for this long is closed (7z archives are held in memory while open). */
const IDLE_CLOSE_MS = 5 * 60_000;
/**
 * Bundles open at once, and archives open inside each one. An open 7z archive is held in memory
 * with its own WebAssembly worker thread, so browsing many nested 7z archives (or mounting many
 * bundles) must not keep them all until they are idle: beyond these caps, the least recently used
 * ones that no request is reading are closed, and reopen when they are read again. A few are
 * enough to go back and forth between the archives one is comparing.
 */
const MAX_OPEN_BUNDLES = 4;
const MAX_OPEN_NESTED = 6;
/** Largest entry handed to an editor (VS Code does not synchronise files over 50 MB with extensions anyway). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;
/** An open bundle's archive on disk is compared with the one opened at most this often (one stat). */
const CHANGE_CHECK_MS = 1000;
/** Files read per bundle that are told about a change (what editors may show; the oldest are forgotten beyond this). */
const MAX_SERVED = 256;

/** The id of an archive on disk: 12 hex digits of the SHA-256 of its path. */
export function archiveId(fsPath: string): string {
  return createHash('sha256').update(path.resolve(fsPath)).digest('hex').slice(0, 12);
}

interface Node {
  type: vscode.FileType;
  size: number;
  mtime: number;
  /** A file entry that is itself an archive (shown as a directory). */
  archive?: boolean;
  children?: Map<string, Node>;
}

interface Mounted {
  archive: Archive;
  root: Node;
  /** The bundle's archive on disk when it was opened (see `stampOf`); nested archives have none. */
  stamp?: string;
}

interface Opened {
  /** The archive on disk (level 1); nested ones are closed with it. */
  top: Promise<Mounted>;
  /**
   * Archives inside it, by their entry path chain (`a/inner.zip`, `a/inner.zip/b/deep.zip`). Closing
   * one closes those opened from it (core's `Archive.close`), so the pool drops their chains with it.
   */
  nested: LruPool<Promise<Mounted>>;
  /** When the archive on disk was last compared with the one opened (`CHANGE_CHECK_MS`). */
  checked: number;
}

/** One stat/readDirectory/readFile call. */
interface Walk {
  opened: Opened;
  segments: string[];
  /** Ends the busy marks this call put on what it walks through (released when the call returns). */
  held: (() => void)[];
}

function treeOf(archive: Archive, mtime: number): Node {
  const root: Node = { type: vscode.FileType.Directory, size: 0, mtime, children: new Map() };
  const dir = (segments: string[]): Node => {
    let node = root;
    for (const s of segments) {
      let next = node.children!.get(s);
      if (!next || !next.children) {
        // A directory implied by a path (or a file shadowed by a directory of the same name: the directory wins).
        next = { type: vscode.FileType.Directory, size: 0, mtime, children: new Map() };
        node.children!.set(s, next);
      }
      node = next;
    }
    return node;
  };
  for (const e of archive.entries()) {
    const segments = e.path.split('/');
    const name = segments.pop()!;
    const parent = dir(segments);
    const time = e.modified?.getTime() ?? mtime;
    if (e.isDirectory) {
      dir([...segments, name]).mtime = time;
      continue;
    }
    if (parent.children!.get(name)?.children) continue;
    parent.children!.set(name, entryNode(e, time));
  }
  return root;
}

function entryNode(e: ArchiveEntry, mtime: number): Node {
  // Unreadable archives (encrypted, too large) stay files: opening them tells why.
  if (e.isArchive && !e.unreadable) return { type: vscode.FileType.Directory, size: e.size, mtime, archive: true };
  return { type: vscode.FileType.File, size: e.size, mtime };
}

function lookup(root: Node, segments: string[]): Node | undefined {
  let node: Node | undefined = root;
  for (const s of segments) {
    node = node?.children?.get(s);
    if (!node) return undefined;
  }
  return node;
}

/** What tells that an archive on disk changed: its size, modification and change times, and inode (a file replaced). */
function stampOf(st: Stats): string {
  return `${st.size}:${st.mtimeMs}:${st.ctimeMs}:${st.ino}`;
}

/** A size in unit symbols, which need no translation. */
function sizeText(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${n} B`;
}

/** A sentence of core in the display language (as `coreWords` in src/shared/render.ts, through the extension host's l10n). */
function coreWords(t: CoreText | undefined, fallback: string): string {
  if (!t) return fallback;
  return vscode.l10n.t(t.template, ...t.args.map((a) => (typeof a === 'object' ? coreWords(a, '') : a)));
}

/** What went wrong, for a message in the display language: an archive's refusal translated, else the error's text. */
export function errorWords(e: unknown): string {
  if (e instanceof ArchiveError) return vscode.l10n.t('{0}: {1}', e.code, coreWords(e.text, e.detail));
  return e instanceof Error ? e.message : String(e);
}

export class BundleFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly paths = new Map<string, string>();
  /** Open bundles by id: busy while a call walks them, at most `MAX_OPEN_BUNDLES` once idle. */
  private readonly opened = new LruPool<Opened>(MAX_OPEN_BUNDLES);
  /** The last archive on disk each bundle was opened from (a reopened one that differs is a change to tell). */
  private readonly stamps = new Map<string, string>();
  /** The files `readFile` served, per bundle: the URIs an editor may show, told when the bundle changes. */
  private readonly served = new Map<string, Map<string, vscode.Uri>>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly state: vscode.Memento) {
    const saved = state.get<Record<string, string>>(STATE_KEY, {});
    for (const [id, p] of Object.entries(saved)) if (typeof p === 'string' && /^[0-9a-f]{12}$/.test(id)) this.paths.set(id, p);
    this.timer = setInterval(() => this.closeIdle(), 60_000);
    this.timer.unref();
  }

  /** Mounts an archive on disk: its folder URI (`bundle-lens-archive://<id>/`). */
  async mount(fsPath: string): Promise<vscode.Uri> {
    const full = path.resolve(fsPath);
    const id = archiveId(full);
    if (this.paths.get(id) !== full) {
      this.paths.delete(id);
      this.paths.set(id, full);
      while (this.paths.size > MAX_REMEMBERED) this.paths.delete(this.paths.keys().next().value!);
      await this.state.update(STATE_KEY, Object.fromEntries(this.paths));
    }
    return vscode.Uri.from({ scheme: ARCHIVE_SCHEME, authority: id, path: '/' });
  }

  /** The archive on disk behind a `bundle-lens-archive:` URI, if it is known. */
  archivePath(uri: vscode.Uri): string | undefined {
    return uri.scheme === ARCHIVE_SCHEME ? this.paths.get(uri.authority) : undefined;
  }

  // --- reading ----------------------------------------------------------------------------------

  async stat(uri: vscode.Uri): Promise<vscode.FileStat> {
    return this.using(uri, async (walk) => {
      const { node } = await this.resolve(uri, walk, false);
      return { type: node.type, size: node.size, mtime: node.mtime, ctime: node.mtime, permissions: vscode.FilePermission.Readonly };
    });
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.using(uri, async (walk) => {
      const { node } = await this.resolve(uri, walk, true);
      if (!node.children) throw vscode.FileSystemError.FileNotADirectory(uri);
      return [...node.children].map(([name, n]) => [name, n.type] as [string, vscode.FileType]);
    });
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.using(uri, async (walk) => {
      const { node, mounted, inner } = await this.resolve(uri, walk, false);
      if (node.children || node.archive) throw vscode.FileSystemError.FileIsADirectory(uri);
      const limit = Math.min(MAX_FILE_BYTES, mounted.archive.limits.maxReadBytes);
      if (node.size > limit) {
        throw vscode.FileSystemError.Unavailable(
          vscode.l10n.t('{0} is {1}: files over {2} are not opened from inside a bundle archive. Bundle Lens: Analyze Bundle lists its findings in the Problems panel.', inner, sizeText(node.size), sizeText(limit)),
        );
      }
      let bytes: Uint8Array;
      try {
        bytes = await mounted.archive.read(inner, { maxBytes: limit });
      } catch (e) {
        throw this.error(e, uri);
      }
      this.noteServed(uri);
      return bytes;
    });
  }

  // --- refused: the bundle is evidence ------------------------------------------------------------

  watch(): vscode.Disposable {
    // Nothing changes inside an archive that is only read; a change of the archive on disk is seen
    // by the calls themselves (`using`), and told to everyone.
    return new vscode.Disposable(() => undefined);
  }

  writeFile(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  delete(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  rename(oldUri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(oldUri);
  }

  createDirectory(uri: vscode.Uri): never {
    throw vscode.FileSystemError.NoPermissions(uri);
  }

  // --- archives, opened lazily and cached -------------------------------------------------------

  /**
   * Runs one call on the bundle of a URI, opening it if needed. The bundle, and every nested archive
   * the call walks through (`nested`), is busy until the call returns: neither the caps nor the idle
   * close shut an archive under a call. A closed archive simply reopens on its next call; so does
   * one whose file on disk changed since it was opened (checked once a second at most): the old one
   * is closed with the archives opened from it, and the change is told once the new one is open.
   */
  private async using<T>(uri: vscode.Uri, work: (walk: Walk) => Promise<T>): Promise<T> {
    const id = uri.authority;
    const file = this.paths.get(id);
    if (!file) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('This bundle is no longer known: run Bundle Lens: Open Support Bundle… on its archive again.'));
    let opened = this.opened.get(id);
    if (opened && (await this.changedOnDisk(file, opened))) {
      // Calls still reading the old one end with an error; the change event makes them read again.
      this.closeBundles(this.opened.delete(id, opened));
      opened = this.opened.get(id);
    }
    if (!opened) {
      const top = this.open(file);
      const o: Opened = { top, nested: new LruPool(MAX_OPEN_NESTED, true), checked: Date.now() };
      this.opened.set(id, o);
      // A failed open is not cached: the next call tries again (the file may be back).
      top.then(
        (m) => this.noteStamp(id, m.stamp),
        () => this.opened.delete(id, o),
      );
      opened = o;
    }
    const walk: Walk = { opened, segments: uri.path.split('/').filter((s) => s !== ''), held: [this.opened.acquire(id)] };
    // Beyond the cap, the least recently used bundles that no call is reading close (this one is busy).
    this.closeBundles(this.opened.evict());
    try {
      return await work(walk);
    } finally {
      for (const release of walk.held) release();
      // What was busy when something else opened may be closed now.
      this.closeBundles(this.opened.evict());
      this.closeArchives(opened.nested.evict());
    }
  }

  private async open(file: string): Promise<Mounted> {
    try {
      // The file's identity before it is read: a change while it is opened is seen by the next check.
      const st = await fs.stat(file).catch(() => undefined);
      const archive = await openArchive(file);
      const mounted: Mounted = { archive, root: treeOf(archive, st ? Math.trunc(st.mtimeMs) : Date.now()) };
      if (st) mounted.stamp = stampOf(st);
      return mounted;
    } catch (e) {
      throw this.error(e, vscode.Uri.file(file));
    }
  }

  /**
   * Whether the bundle's archive on disk is no longer the one opened (or is gone): compared at most
   * once per `CHANGE_CHECK_MS`, once it is open.
   */
  private async changedOnDisk(file: string, opened: Opened): Promise<boolean> {
    const now = Date.now();
    if (now - opened.checked < CHANGE_CHECK_MS) return false;
    opened.checked = now;
    const mounted = await opened.top.catch(() => undefined);
    if (!mounted?.stamp) return false;
    const st = await fs.stat(file).catch(() => undefined);
    return !st || stampOf(st) !== mounted.stamp;
  }

  /** Remembers the archive a bundle was opened from; when it differs from the last one, tells the change. */
  private noteStamp(id: string, stamp: string | undefined): void {
    if (!stamp) return;
    const before = this.stamps.get(id);
    this.stamps.set(id, stamp);
    if (before === undefined || before === stamp) return;
    // The bundle's root (its tree) and every file read from it: VS Code reloads an editor on a
    // change event for its own URI only, not for a folder above it.
    const uris = [vscode.Uri.from({ scheme: ARCHIVE_SCHEME, authority: id, path: '/' }), ...(this.served.get(id)?.values() ?? [])];
    this.changed.fire(uris.map((uri) => ({ type: vscode.FileChangeType.Changed, uri })));
  }

  /** Remembers a file served to an editor (the most recent `MAX_SERVED` per bundle). */
  private noteServed(uri: vscode.Uri): void {
    let files = this.served.get(uri.authority);
    if (!files) this.served.set(uri.authority, (files = new Map()));
    const key = uri.toString();
    files.delete(key);
    files.set(key, uri);
    if (files.size > MAX_SERVED) files.delete(files.keys().next().value!);
  }

  /**
   * Walks a path through the archive and the archives inside it. `enter`: a nested archive at the
   * end of the path is opened (to list it); otherwise it is only described as a directory.
   */
  private async resolve(uri: vscode.Uri, walk: Walk, enter: boolean): Promise<{ node: Node; mounted: Mounted; inner: string }> {
    const segments = walk.segments;
    let mounted = await walk.opened.top;
    let start = 0;
    let chain = '';
    for (;;) {
      // The longest prefix inside this archive that is a nested archive with more path after it.
      let i = start;
      let node: Node | undefined = mounted.root;
      for (; i < segments.length; i++) {
        node = node.children?.get(segments[i]!);
        if (!node) throw vscode.FileSystemError.FileNotFound(uri);
        if (node.archive && (i < segments.length - 1 || enter)) break;
      }
      const inner = segments.slice(start, Math.min(i + 1, segments.length)).join('/');
      if (i >= segments.length || !node.archive) return { node, mounted, inner };
      chain = chain ? `${chain}/${inner}` : inner;
      mounted = await this.nested(walk, chain, mounted, inner, uri);
      start = i + 1;
      if (start >= segments.length) return { node: mounted.root, mounted, inner: '' };
    }
  }

  /** The nested archive at an entry path chain, opened if needed; busy until the call returns. */
  private nested(walk: Walk, chain: string, parent: Mounted, inner: string, uri: vscode.Uri): Promise<Mounted> {
    const pool = walk.opened.nested;
    let p = pool.get(chain);
    if (!p) {
      p = (async () => {
        try {
          const archive = await parent.archive.openNested(inner);
          return { archive, root: treeOf(archive, lookup(parent.root, inner.split('/'))?.mtime ?? Date.now()) };
        } catch (e) {
          throw this.error(e, uri);
        }
      })();
      pool.set(chain, p);
      const q = p;
      p.catch(() => pool.delete(chain, q));
    }
    walk.held.push(pool.acquire(chain));
    // Beyond the cap, the least recently used ones that no call is reading close: never this one,
    // nor those it is reached through (this call marked them busy on its way here).
    this.closeArchives(pool.evict());
    return p;
  }

  /** A clear FileSystemError for what the core refused. */
  private error(e: unknown, uri: vscode.Uri): Error {
    if (e instanceof vscode.FileSystemError) return e;
    if (e instanceof ArchiveError) {
      const detail = coreWords(e.text, e.detail);
      switch (e.code) {
        case 'not-found':
          return vscode.FileSystemError.FileNotFound(vscode.l10n.t('The bundle archive is gone: {0}', detail));
        case 'no-entry':
          return vscode.FileSystemError.FileNotFound(uri);
        case 'not-a-file':
          return vscode.FileSystemError.FileIsADirectory(uri);
        case 'unreadable':
          return vscode.FileSystemError.NoPermissions(vscode.l10n.t('The bundle archive cannot be read: {0}', detail));
        default:
          return vscode.FileSystemError.Unavailable(vscode.l10n.t('Bundle Lens cannot read this from the archive ({0}): {1}', e.code, detail));
      }
    }
    return vscode.FileSystemError.Unavailable(e instanceof Error ? e.message : String(e));
  }

  /** Closes the bundles, and the archives inside bundles that stay open, that nobody read for `IDLE_CLOSE_MS`. */
  private closeIdle(): void {
    const before = Date.now() - IDLE_CLOSE_MS;
    this.closeBundles(this.opened.idle(before));
    for (const o of this.opened.values()) this.closeArchives(o.nested.idle(before));
  }

  /** Closes bundles dropped from `opened` (their nested archives close with them). */
  private closeBundles(dropped: Opened[]): void {
    this.closeArchives(dropped.map((o) => o.top));
  }

  /**
   * Closes archives dropped from a cache. A nested archive comes with the ones opened from it:
   * closing those again is harmless (core closed them with it).
   */
  private closeArchives(dropped: Promise<Mounted>[]): void {
    for (const p of dropped) void p.then((m) => m.archive.close()).catch(() => undefined);
  }

  dispose(): void {
    clearInterval(this.timer);
    this.changed.dispose();
    this.closeBundles(this.opened.clear());
  }
}

/** Registers the provider (read-only, case-sensitive); the returned object mounts archives. */
export function registerBundleFileSystem(context: vscode.ExtensionContext): BundleFileSystem {
  const fsProvider = new BundleFileSystem(context.workspaceState);
  context.subscriptions.push(fsProvider, vscode.workspace.registerFileSystemProvider(ARCHIVE_SCHEME, fsProvider, { isReadonly: true, isCaseSensitive: true }));
  return fsProvider;
}
