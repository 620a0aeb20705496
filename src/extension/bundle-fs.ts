/**
 * Support-bundle archives mounted read-only, without extracting anything to disk (issue 7, part 1):
 * a `vscode.FileSystemProvider` for `bundle-lens-archive://<id>/<entry path>`, where `<id>` is a
 * short stable hash of the archive's path on disk. Directories come from the entries' paths;
 * archives inside the bundle (`.zip`/`.7z` entries) are browsable as directories
 * (`…/outer/inner.zip/file`, depth bounded by the core's `maxDepth`). Everything is read through
 * core's `openArchive` (magic bytes decide the format, names and sizes are checked there); refused
 * entries are simply absent. Nothing is ever written: every change is refused.
 */
import { createHash } from 'node:crypto';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { ArchiveError, openArchive, type Archive, type ArchiveEntry } from '../core/bundle/archive';

export const ARCHIVE_SCHEME = 'bundle-lens-archive';

/** The `workspaceState` key of the id → archive path map (so a reloaded window finds its folders). */
const STATE_KEY = 'bundleLens.archives';
/** Ids remembered per workspace (the oldest are forgotten beyond this). */
const MAX_REMEMBERED = 200;
/** An archive nobody read for this long is closed (7z archives are held in memory while open). */
const IDLE_CLOSE_MS = 5 * 60_000;
/** Largest entry handed to an editor (VS Code does not synchronise files over 50 MB with extensions anyway). */
const MAX_FILE_BYTES = 64 * 1024 * 1024;

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
}

interface Opened {
  /** The archive on disk (level 1); nested ones are closed with it. */
  top: Promise<Mounted>;
  /** Archives inside it, by their entry path chain (`a/inner.zip`, `a/inner.zip/b/deep.zip`). */
  nested: Map<string, Promise<Mounted>>;
  busy: number;
  lastUsed: number;
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

function sizeText(n: number): string {
  return n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MB` : `${n} bytes`;
}

export class BundleFileSystem implements vscode.FileSystemProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.FileChangeEvent[]>();
  readonly onDidChangeFile = this.changed.event;
  private readonly paths = new Map<string, string>();
  private readonly opened = new Map<string, Opened>();
  private readonly timer: NodeJS.Timeout;

  constructor(private readonly state: vscode.Memento) {
    const saved = state.get<Record<string, string>>(STATE_KEY, {});
    for (const [id, p] of Object.entries(saved)) if (typeof p === 'string' && /^[0-9a-f]{12}$/.test(id)) this.paths.set(id, p);
    this.timer = setInterval(() => void this.closeIdle(), 60_000);
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
    return this.using(uri, async (opened, segments) => {
      const { node } = await this.resolve(uri, opened, segments, false);
      return { type: node.type, size: node.size, mtime: node.mtime, ctime: node.mtime, permissions: vscode.FilePermission.Readonly };
    });
  }

  async readDirectory(uri: vscode.Uri): Promise<[string, vscode.FileType][]> {
    return this.using(uri, async (opened, segments) => {
      const { node } = await this.resolve(uri, opened, segments, true);
      if (!node.children) throw vscode.FileSystemError.FileNotADirectory(uri);
      return [...node.children].map(([name, n]) => [name, n.type] as [string, vscode.FileType]);
    });
  }

  async readFile(uri: vscode.Uri): Promise<Uint8Array> {
    return this.using(uri, async (opened, segments) => {
      const { node, mounted, inner } = await this.resolve(uri, opened, segments, false);
      if (node.children || node.archive) throw vscode.FileSystemError.FileIsADirectory(uri);
      const limit = Math.min(MAX_FILE_BYTES, mounted.archive.limits.maxReadBytes);
      if (node.size > limit) {
        throw vscode.FileSystemError.Unavailable(
          vscode.l10n.t('{0} is {1}: files over {2} are not opened from inside a bundle archive. Bundle Lens: Analyze Bundle lists its findings in the Problems panel.', inner, sizeText(node.size), sizeText(limit)),
        );
      }
      try {
        return await mounted.archive.read(inner, { maxBytes: limit });
      } catch (e) {
        throw this.error(e, uri);
      }
    });
  }

  // --- refused: the bundle is evidence ------------------------------------------------------------

  watch(): vscode.Disposable {
    // Nothing changes inside an archive that is only read.
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

  private async using<T>(uri: vscode.Uri, work: (opened: Opened, segments: string[]) => Promise<T>): Promise<T> {
    const file = this.paths.get(uri.authority);
    if (!file) throw vscode.FileSystemError.Unavailable(vscode.l10n.t('This bundle is no longer known: run Bundle Lens: Open Support Bundle… on its archive again.'));
    let opened = this.opened.get(uri.authority);
    if (!opened) {
      const top = this.open(file);
      opened = { top, nested: new Map(), busy: 0, lastUsed: Date.now() };
      this.opened.set(uri.authority, opened);
      // A failed open is not cached: the next call tries again (the file may be back).
      const o = opened;
      top.catch(() => {
        if (this.opened.get(uri.authority) === o) this.opened.delete(uri.authority);
      });
    }
    opened.busy++;
    try {
      const segments = uri.path.split('/').filter((s) => s !== '');
      return await work(opened, segments);
    } finally {
      opened.busy--;
      opened.lastUsed = Date.now();
    }
  }

  private async open(file: string): Promise<Mounted> {
    try {
      const archive = await openArchive(file);
      const st = await vscode.workspace.fs.stat(vscode.Uri.file(file)).then(
        (s) => s.mtime,
        () => Date.now(),
      );
      return { archive, root: treeOf(archive, st) };
    } catch (e) {
      throw this.error(e, vscode.Uri.file(file));
    }
  }

  /**
   * Walks a path through the archive and the archives inside it. `enter`: a nested archive at the
   * end of the path is opened (to list it); otherwise it is only described as a directory.
   */
  private async resolve(uri: vscode.Uri, opened: Opened, segments: string[], enter: boolean): Promise<{ node: Node; mounted: Mounted; inner: string }> {
    let mounted = await opened.top;
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
      mounted = await this.nested(opened, chain, mounted, inner, uri);
      start = i + 1;
      if (start >= segments.length) return { node: mounted.root, mounted, inner: '' };
    }
  }

  private nested(opened: Opened, chain: string, parent: Mounted, inner: string, uri: vscode.Uri): Promise<Mounted> {
    let p = opened.nested.get(chain);
    if (!p) {
      p = (async () => {
        try {
          const archive = await parent.archive.openNested(inner);
          return { archive, root: treeOf(archive, lookup(parent.root, inner.split('/'))?.mtime ?? Date.now()) };
        } catch (e) {
          throw this.error(e, uri);
        }
      })();
      opened.nested.set(chain, p);
      p.catch(() => opened.nested.delete(chain));
    }
    return p;
  }

  /** A clear FileSystemError for what the core refused. */
  private error(e: unknown, uri: vscode.Uri): Error {
    if (e instanceof vscode.FileSystemError) return e;
    if (e instanceof ArchiveError) {
      switch (e.code) {
        case 'not-found':
          return vscode.FileSystemError.FileNotFound(vscode.l10n.t('The bundle archive is gone: {0}', e.detail));
        case 'no-entry':
          return vscode.FileSystemError.FileNotFound(uri);
        case 'not-a-file':
          return vscode.FileSystemError.FileIsADirectory(uri);
        case 'unreadable':
          return vscode.FileSystemError.NoPermissions(vscode.l10n.t('The bundle archive cannot be read: {0}', e.detail));
        default:
          return vscode.FileSystemError.Unavailable(vscode.l10n.t('Bundle Lens cannot read this from the archive ({0}): {1}', e.code, e.detail));
      }
    }
    return vscode.FileSystemError.Unavailable(e instanceof Error ? e.message : String(e));
  }

  private async closeIdle(): Promise<void> {
    const now = Date.now();
    for (const [id, o] of this.opened) {
      if (o.busy > 0 || now - o.lastUsed < IDLE_CLOSE_MS) continue;
      this.opened.delete(id);
      await o.top.then((m) => m.archive.close()).catch(() => undefined);
    }
  }

  dispose(): void {
    clearInterval(this.timer);
    this.changed.dispose();
    for (const o of this.opened.values()) void o.top.then((m) => m.archive.close()).catch(() => undefined);
    this.opened.clear();
  }
}

/** Registers the provider (read-only, case-sensitive); the returned object mounts archives. */
export function registerBundleFileSystem(context: vscode.ExtensionContext): BundleFileSystem {
  const fsProvider = new BundleFileSystem(context.workspaceState);
  context.subscriptions.push(fsProvider, vscode.workspace.registerFileSystemProvider(ARCHIVE_SCHEME, fsProvider, { isReadonly: true, isCaseSensitive: true }));
  return fsProvider;
}
