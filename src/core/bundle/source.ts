/**
 * Where a bundle's files come from: a folder on disk, or an archive read in place (zip, a zip
 * named `.7z`, a real 7z — never extracted to disk). The analysis walks a source the same way
 * whatever it is; paths are relative to the bundle root, `/`-separated.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { NEVER_CANCELLED, throwIfCancelled, type Cancellation } from '../types';
import { coreText, englishText, unreadablePart, type CoreText, type Unreadable } from '../text';
import { ArchiveError, openArchive, type Archive } from './archive';

export interface SourceFile {
  /** Relative to the bundle root, `/`-separated. */
  rel: string;
  /** The entry's modification time, when known (anchors a log's year). */
  modified?: Date;
  /** Absolute path on disk, for a folder source (used for version folders in commands). */
  full?: string;
}

export interface BundleSource {
  kind: 'folder' | 'zip' | '7z';
  /** The bundle as the user named it (a folder or an archive path). */
  root: string;
  /** Every file, in a stable order, bounded; what could not be listed goes to `unreadable`. */
  files(token: Cancellation): AsyncIterable<SourceFile>;
  /** The first bytes of a file (for telling what it is). */
  head(rel: string, bytes: number): Promise<Uint8Array>;
  /** A file's bytes in chunks (each valid until the next). */
  chunks(rel: string, token: Cancellation): AsyncIterable<Uint8Array>;
  /** Opens an archive found among the files as a source of its own (within the archive limits). */
  nested(rel: string, token: Cancellation): Promise<{ source: BundleSource; close: () => Promise<void> }>;
  /** Set when the walk stopped at a bound. */
  incomplete?: 'depth' | 'entries';
  /** Parts that could not be read or were refused, with the reason. */
  unreadable: Unreadable[];
}

/** Folder walks are bounded against hostile or enormous trees. */
export const MAX_FOLDER_DEPTH = 16;
export const MAX_FOLDER_ENTRIES = 50_000;
/**
 * Read size for streaming files from disk. Below 1 MiB on purpose: Node decodes larger buffers
 * into external strings that V8 frees only lazily (measured: 441 MB of external memory while
 * streaming a 400 MB log with 1 MiB reads, 2 MB with 256 KiB reads, at the same speed).
 */
const READ_CHUNK = 1 << 18;

/** Reads a file in chunks through one reused buffer: memory stays bounded whatever its size. */
export async function* fileChunks(file: string, token: Cancellation = NEVER_CANCELLED): AsyncGenerator<Uint8Array> {
  const handle = await fs.open(file, 'r');
  const buffer = Buffer.allocUnsafe(READ_CHUNK);
  try {
    for (;;) {
      throwIfCancelled(token);
      const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK, null);
      if (bytesRead === 0) return;
      yield buffer.subarray(0, bytesRead);
    }
  } finally {
    await handle.close();
  }
}

export async function fileHead(file: string, bytes: number): Promise<Uint8Array> {
  const handle = await fs.open(file, 'r');
  try {
    const buf = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buf, 0, bytes, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * Why reading failed, from what was thrown: an archive's refusal as `code: detail` (with its
 * sentence), the system's error code (`ENOENT`, `EACCES`), else the error's own text.
 */
export function failureReason(e: unknown): { reason: string; reasonText?: CoreText } {
  if (e instanceof ArchiveError) {
    const t = coreText('{0}: {1}', e.code, e.text ?? e.detail);
    return { reason: englishText(t), reasonText: t };
  }
  return { reason: (e as NodeJS.ErrnoException).code ?? String(e) };
}

/** An `Unreadable` entry for what was thrown (see `failureReason`). */
export function unreadableFor(file: string, e: unknown): Unreadable {
  return { file, ...failureReason(e) };
}

/** The reason of an `Unreadable` entry, once more as part of a longer sentence. */
export function reasonArg(u: { reason: string; reasonText?: CoreText }): string | CoreText {
  return u.reasonText ?? u.reason;
}

/** A folder on disk: walked depth first, sorted, links not followed, bounded. */
export function folderSource(root: string): BundleSource {
  const source: BundleSource = {
    kind: 'folder',
    root,
    unreadable: [],
    async *files(token) {
      const rel = (full: string) => path.relative(root, full).split(path.sep).join('/') || '.';
      let seen = 0;
      const stack: Array<{ dir: string; depth: number }> = [{ dir: root, depth: 0 }];
      // Depth first, in name order: a stack of folders still to read, pushed in reverse.
      while (stack.length > 0) {
        const { dir, depth } = stack.pop()!;
        if (depth > MAX_FOLDER_DEPTH) {
          source.incomplete = 'depth';
          continue;
        }
        let entries;
        try {
          entries = await fs.readdir(dir, { withFileTypes: true });
        } catch (e) {
          if (depth === 0) throw e;
          source.unreadable.push(unreadableFor(rel(dir), e)); // the rest is still analysed
          continue;
        }
        entries.sort((a, b) => a.name.localeCompare(b.name));
        const subfolders: string[] = [];
        for (const e of entries) {
          throwIfCancelled(token);
          if (++seen > MAX_FOLDER_ENTRIES) {
            source.incomplete = 'entries';
            return;
          }
          const full = path.join(dir, e.name);
          if (e.isDirectory()) subfolders.push(full);
          else if (e.isFile()) {
            let modified: Date | undefined;
            try {
              modified = (await fs.stat(full)).mtime;
            } catch {
              modified = undefined;
            }
            const file: SourceFile = { rel: rel(full), full };
            if (modified) file.modified = modified;
            yield file;
          }
        }
        for (let i = subfolders.length - 1; i >= 0; i--) stack.push({ dir: subfolders[i]!, depth: depth + 1 });
      }
    },
    head: (r, bytes) => fileHead(path.join(root, ...r.split('/')), bytes),
    chunks: (r, token) => fileChunks(path.join(root, ...r.split('/')), token),
    async nested(r, token) {
      const full = path.join(root, ...r.split('/'));
      const archive = await openArchive(full, { token });
      return { source: archiveSource(archive, full), close: () => archive.close() };
    },
  };
  return source;
}

/** An archive read in place: its accepted entries; refused ones are listed as unreadable with their reason. */
export function archiveSource(archive: Archive, root: string): BundleSource {
  const source: BundleSource = {
    kind: archive.format,
    root,
    unreadable: archive.rejected().map((r) => unreadablePart(r.name, coreText('{0}: {1}', r.code, r.text ?? r.detail))),
    async *files(token) {
      if (archive.damaged) source.unreadable.push(unreadablePart('.', coreText('{0}: {1}', 'corrupt', archive.damagedText ?? archive.damaged)));
      const entries = archive
        .entries()
        .filter((e) => !e.isDirectory)
        .sort((a, b) => a.path.localeCompare(b.path));
      for (const e of entries) {
        throwIfCancelled(token);
        // In a damaged archive an entry written with a data descriptor has no size in its local
        // header: read as 0 bytes it would look like an empty file. Its size is unknown: not read.
        if (archive.damaged && e.size === 0) {
          source.unreadable.push(unreadablePart(e.path, coreText('{0}: {1}', 'corrupt', coreText("the archive is damaged and this entry's size is unknown"))));
          continue;
        }
        if (e.encrypted || e.unreadable) {
          const why = e.unreadable ?? { code: 'encrypted', detail: '', text: coreText('the entry is encrypted (no password is asked for)') };
          source.unreadable.push(unreadablePart(e.path, coreText('{0}: {1}', why.code, why.text ?? why.detail)));
          continue;
        }
        const file: SourceFile = { rel: e.path };
        if (e.modified) file.modified = e.modified;
        yield file;
      }
    },
    head: (r, bytes) => archive.head(r, bytes),
    chunks: (r, token) => archive.stream(r, { token }),
    async nested(r, token) {
      const inner = await archive.openNested(r, { token });
      // Closed with the archive that holds it.
      return { source: archiveSource(inner, `${root}!/${r}`), close: async () => undefined };
    },
  };
  return source;
}

/**
 * A source seen through the archives found in it: `logs.zip/Program Files/…` is read from
 * `logs.zip` (a nested source mounted at that prefix), everything else from the outer source.
 */
export class MountedSource implements BundleSource {
  private readonly mounts: Array<{ prefix: string; source: BundleSource }> = [];

  constructor(private readonly outer: BundleSource) {}

  get kind(): BundleSource['kind'] {
    return this.outer.kind;
  }
  get root(): string {
    return this.outer.root;
  }
  get unreadable(): BundleSource['unreadable'] {
    return this.outer.unreadable;
  }
  get incomplete(): BundleSource['incomplete'] {
    return this.outer.incomplete;
  }

  mount(prefix: string, source: BundleSource): void {
    this.mounts.push({ prefix, source });
    this.mounts.sort((a, b) => b.prefix.length - a.prefix.length);
  }

  private route(rel: string): { source: BundleSource; rel: string } {
    for (const m of this.mounts) if (rel.startsWith(m.prefix + '/')) return { source: m.source, rel: rel.slice(m.prefix.length + 1) };
    return { source: this.outer, rel };
  }

  files(token: Cancellation): AsyncIterable<SourceFile> {
    return this.outer.files(token);
  }
  head(rel: string, bytes: number): Promise<Uint8Array> {
    const r = this.route(rel);
    return r.source.head(r.rel, bytes);
  }
  chunks(rel: string, token: Cancellation): AsyncIterable<Uint8Array> {
    const r = this.route(rel);
    return r.source.chunks(r.rel, token);
  }
  nested(rel: string, token: Cancellation): Promise<{ source: BundleSource; close: () => Promise<void> }> {
    const r = this.route(rel);
    return r.source.nested(r.rel, token);
  }
}
