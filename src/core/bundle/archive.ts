import { close as closeFd, existsSync, promises as fs, open as openFd, read as readFd } from 'node:fs';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { MessageChannel, type MessagePort, type Transferable, Worker } from 'node:worker_threads';
import * as zlib from 'node:zlib';
import { Readable } from 'node:stream';
import * as Comlink from 'comlink';
import * as yauzl from 'yauzl';
import { CancelledError, NEVER_CANCELLED, throwIfCancelled, type Cancellation } from '../types';
import { coreText, englishText, type CoreText } from '../text';

/**
 * Read-only access to support-bundle archives, without extracting anything to disk (BRIEF §2.1):
 * a zip, a zip named `.7z` (what ipsupporttool writes), or a real 7z. The format comes from the
 * magic bytes, never from the name.
 *
 * - zip: yauzl reads the central directory and streams each entry from disk (random access, so
 *   any size of archive at bounded memory). A zip whose central directory cannot be read (a
 *   truncated download) is listed again through libarchive's streaming reader, which keeps every
 *   entry before the damage (`damaged` says why).
 * - 7z: libarchive (WebAssembly, in a worker thread) reads the archive from memory, so the archive
 *   is loaded whole (bounded by `maxBufferedArchiveSize`) and each entry is extracted whole into
 *   memory (bounded by `maxBufferedEntrySize`) before it is read or streamed. When all its entries
 *   together fit in `maxOnePassSize` (and in `maxOnePassTotal` with the passes of this process's
 *   other open archives), the first read extracts them all in one pass and the reads are served
 *   from it (one extraction per entry would decode the solid block from its start every time);
 *   otherwise the small entries extracted on their own are kept in a cache bounded for the whole
 *   process (`maxEntryCacheSize`). 7z gives no per-entry compressed size: the archive's overall
 *   ratio stands in for it.
 *
 * Everything read from an archive is untrusted: entry names are checked (no `..`, no absolute or
 * drive or UNC paths, no NUL, bounded length) and never resolved against any folder; sizes,
 * entry counts, compression ratios and nesting depth are bounded (`ARCHIVE_LIMITS`); each refusal
 * is an `ArchiveError` with a code, an English detail and the same sentence as a `CoreText`
 * (src/core/text.ts) for renderers to translate. Per entry, a refusal leaves the rest of the
 * archive usable: the entry is listed in `rejected()` (unsafe names, oversized or over-ratio
 * entries, links and devices, duplicates) or marked `unreadable` in `entries()` (encrypted,
 * unsupported compression, too large to hold in memory). The whole archive is refused only when it
 * cannot be bounded: too many entries, too much data in total, too large to load, too deep, or
 * not readable at all.
 */

export type ArchiveFormat = 'zip' | '7z';

export type ArchiveErrorCode =
  /** The archive file does not exist (or is not a file). */
  | 'not-found'
  /** The archive file exists but the system refused to read it. */
  | 'unreadable'
  /** Neither zip (`PK\x03\x04`) nor 7z (`7z\xBC\xAF\x27\x1C`) magic bytes. */
  | 'not-an-archive'
  /** Malformed or truncated: nothing could be listed, or an entry's data is damaged. */
  | 'corrupt'
  /** More entries than `maxEntries` (whole archive). */
  | 'too-many-entries'
  /** Over a size bound: the total, the archive to load, an entry, a read. */
  | 'too-large'
  /** Compression ratio over `maxRatio`: a zip bomb. */
  | 'ratio'
  /** The data inflates past (or stops short of) the size its header declares. */
  | 'size-mismatch'
  /** An archive nested deeper than `maxDepth`. */
  | 'depth'
  /** Encrypted entry: listed, never read (no password is ever asked for). */
  | 'encrypted'
  /** Entry name with `..`, an absolute, drive or UNC path, a NUL, or over-long: rejected. */
  | 'unsafe-name'
  /** A second entry with the same path: rejected, the first is kept. */
  | 'duplicate'
  /** A directory, link or device where file content was asked for. */
  | 'not-a-file'
  /** A compression method the reader does not decode. */
  | 'unsupported'
  /** No entry has that path. */
  | 'no-entry'
  /** The 7z reader took longer than `workerTimeoutMs` and was stopped. */
  | 'timeout'
  /** The archive was closed. */
  | 'closed';

export class ArchiveError extends Error {
  /** The detail in English (JSON, logs). */
  readonly detail: string;
  /** The detail as a sentence for renderers; undefined when it is a library's or the system's own message. */
  readonly text: CoreText | undefined;

  constructor(
    readonly code: ArchiveErrorCode,
    detail: string | CoreText,
    /** The entry concerned, when the error is about one entry. */
    readonly entry?: string,
  ) {
    const english = typeof detail === 'string' ? detail : englishText(detail);
    super(`${code}: ${english}`);
    this.name = 'ArchiveError';
    this.detail = english;
    this.text = typeof detail === 'string' ? undefined : detail;
  }
}

/** Why an entry is refused or unreadable: its code, the English detail, and the sentence when core worded it. */
export interface ArchiveRefusal {
  code: ArchiveErrorCode;
  detail: string;
  text?: CoreText;
}

function refusal(code: ArchiveErrorCode, text: CoreText): ArchiveRefusal {
  return { code, detail: englishText(text), text };
}

export interface ArchiveLimits {
  /** More entries than this (directories included) refuse the whole archive. */
  maxEntries: number;
  /** Accepted entries declaring more bytes than this in total refuse the whole archive. */
  maxTotalSize: number;
  /** An entry declaring more bytes than this is rejected; it is also the bound of one stream. */
  maxEntrySize: number;
  /** `read()` (whole entry in memory) refuses entries larger than this; `stream()` has no such bound. */
  maxReadBytes: number;
  /** An entry expanding more than this many times its compressed size is rejected (zip bomb)… */
  maxRatio: number;
  /** …once it declares (or, while read, produces) more than this many bytes. */
  ratioMinSize: number;
  /** Archive levels: the archive on disk is level 1, one opened from inside it level 2, … */
  maxDepth: number;
  /** Entry names longer than this many characters are rejected. */
  maxNameLength: number;
  /** Archives read through libarchive (7z, damaged zip) are loaded whole into memory: larger ones are refused. */
  maxBufferedArchiveSize: number;
  /** Their entries are extracted whole into memory: larger entries are listed as unreadable. */
  maxBufferedEntrySize: number;
  /**
   * Such an archive is extracted in one pass (every entry at once, then each read is served from
   * memory until `close()`) when all its entries together declare at most this many bytes;
   * over it, each entry is extracted on its own (from the start of its solid block, every time).
   * It bounds the memory one pass holds, so keep it at or under `maxBufferedArchiveSize`; 0 turns
   * the one pass off.
   */
  maxOnePassSize: number;
  /**
   * The bytes the one passes of all the archives open in this process hold together (nested
   * archives stay open until their outer one closes, each with its pass). A pass that would take
   * the total over this takes the room of other archives' finished passes, least recently read
   * first (those archives then extract entry by entry); if that is not enough, the read extracts
   * its entry on its own (a later read tries again). A pass counts from its start until its
   * archive is closed, the pass fails or gives its room away.
   */
  maxOnePassTotal: number;
  /**
   * Entries of up to 1 MiB extracted on their own (outside a one pass) are kept for the reads that
   * come back to them (sniffed first, read whole later), up to this many bytes for all the archives
   * open in this process together, the least recently read dropped first; one larger entry is kept
   * until the next extraction starts. 0 keeps none but that last one.
   */
  maxEntryCacheSize: number;
  /** An archive inside an archive is read into memory to be opened: larger ones are refused. */
  maxNestedArchiveSize: number;
  /** One libarchive step (load, list, extract) taking longer than this is stopped (worker terminated). */
  workerTimeoutMs: number;
}

const MiB = 1024 * 1024;
const GiB = 1024 * MiB;

/** The default bounds (each can be lowered or raised per call through `options.limits`). */
export const ARCHIVE_LIMITS: Readonly<ArchiveLimits> = Object.freeze({
  maxEntries: 50_000,
  maxTotalSize: 4 * GiB,
  maxEntrySize: 2 * GiB,
  maxReadBytes: 64 * MiB,
  maxRatio: 200,
  ratioMinSize: 1 * MiB,
  maxDepth: 3,
  maxNameLength: 1024,
  maxBufferedArchiveSize: 512 * MiB,
  maxBufferedEntrySize: 256 * MiB,
  maxOnePassSize: 192 * MiB,
  maxOnePassTotal: 256 * MiB,
  maxEntryCacheSize: 32 * MiB,
  maxNestedArchiveSize: 64 * MiB,
  workerTimeoutMs: 120_000,
});

export interface ArchiveEntry {
  /** Normalised: relative, `/`-separated, no `.` or empty segments, no trailing `/`. */
  path: string;
  /** Uncompressed size as the archive declares it (reads verify it). 0 for directories. */
  size: number;
  /** Compressed size; undefined where the format does not tell it per entry (7z, damaged zip). */
  compressedSize: number | undefined;
  isDirectory: boolean;
  /** By name (`.zip`, `.7z`) until the entry's first bytes are read, then by its magic bytes. */
  isArchive: boolean;
  encrypted: boolean;
  /** Set when `read()`/`stream()` will refuse this entry, with the reason. */
  unreadable?: ArchiveRefusal;
  /** The entry's modification time, when the archive records one. */
  modified?: Date;
}

export interface RejectedEntry extends ArchiveRefusal {
  /** The stored name for display only (controls escaped, cut at 200 characters): never a path to use. */
  name: string;
}

export interface ReadOptions {
  /** Refuse (`too-large`) an entry larger than this; default and ceiling `maxReadBytes`. */
  maxBytes?: number;
  token?: Cancellation;
}

export interface Archive {
  readonly format: ArchiveFormat;
  /** The archive's file path; for a nested archive `outer!/inner/path.zip`. */
  readonly source: string;
  /** 1 for an archive on disk, 2 for one inside it, … */
  readonly depth: number;
  /** Set when the archive is damaged and only part of it could be listed: why (English). */
  readonly damaged: string | undefined;
  /** The same as a sentence for renderers (undefined when `damaged` is). */
  readonly damagedText: CoreText | undefined;
  readonly limits: Readonly<ArchiveLimits>;
  /** The readable-named entries, in archive order (encrypted or unreadable ones flagged). */
  entries(): ArchiveEntry[];
  /** Entries refused for their name, size, ratio or type, with the reason. */
  rejected(): RejectedEntry[];
  /** The entry with this path (normalised the same way: `\` and `/` both accepted). */
  entry(entryPath: string): ArchiveEntry | undefined;
  /** The whole entry in memory, verified against its declared size. */
  read(entryPath: string, options?: ReadOptions): Promise<Uint8Array>;
  /** Up to `bytes` first bytes of the entry (for sniffing what it is). */
  head(entryPath: string, bytes: number, options?: { token?: Cancellation }): Promise<Uint8Array>;
  /** The entry as chunks (each a fresh buffer), bounded by `maxEntrySize` and `maxRatio` on the bytes actually produced. */
  stream(entryPath: string, options?: { token?: Cancellation }): AsyncIterable<Uint8Array>;
  /** Opens an archive stored in this one (read into memory, bounded), one level deeper. */
  openNested(entryPath: string, options?: { token?: Cancellation }): Promise<Archive>;
  /** Releases the file handle or worker; nested archives opened from this one are closed too. */
  close(): Promise<void>;
}

export interface OpenArchiveOptions {
  limits?: Partial<ArchiveLimits>;
  token?: Cancellation;
}

const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY_MAGIC = [0x50, 0x4b, 0x05, 0x06];
const SEVEN_Z_MAGIC = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];

/** The archive format from the first bytes (at least 6), or undefined. */
export function sniffArchive(head: Uint8Array): ArchiveFormat | undefined {
  const starts = (magic: number[]) => head.length >= magic.length && magic.every((b, i) => head[i] === b);
  if (starts(ZIP_MAGIC) || starts(ZIP_EMPTY_MAGIC)) return 'zip';
  if (starts(SEVEN_Z_MAGIC)) return '7z';
  return undefined;
}

/** Names that look like archives (before their bytes are seen). */
function archiveByName(p: string): boolean {
  return /\.(zip|7z)$/i.test(p);
}

/** A stored name made safe to show: controls escaped, cut. */
function displayName(raw: string): string {
  // eslint-disable-next-line no-control-regex
  const shown = raw.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return shown.length > 200 ? `${shown.slice(0, 200)}…` : shown;
}

type NameCheck = { path: string; isDirectory: boolean } | { code: 'unsafe-name'; detail: string; text: CoreText } | { skip: true };

const unsafeName = (text: CoreText) => ({ code: 'unsafe-name' as const, detail: englishText(text), text });

/**
 * Checks and normalises an entry name. Refused: NUL, over-long, absolute (`/x`), UNC (`\\server`),
 * drive (`C:\x`, `C:x`), any `..` segment. Backslashes count as separators (Windows tools write them).
 */
export function checkEntryName(raw: string, maxNameLength: number = ARCHIVE_LIMITS.maxNameLength): NameCheck {
  if (raw.includes('\0')) return unsafeName(coreText('the name contains a NUL character'));
  if (raw.length > maxNameLength) return unsafeName(coreText('the name is {0} characters long (over {1})', raw.length, maxNameLength));
  if (raw.length === 0) return unsafeName(coreText('the name is empty'));
  const s = raw.replace(/\\/g, '/');
  if (s.startsWith('//')) return unsafeName(coreText('a network (UNC) path, outside the archive'));
  if (s.startsWith('/')) return unsafeName(coreText('an absolute path, outside the archive'));
  if (/^[A-Za-z]:/.test(s)) return unsafeName(coreText('a Windows drive path, outside the archive'));
  const isDirectory = s.endsWith('/');
  const segments = s.split('/').filter((seg) => seg !== '' && seg !== '.');
  if (segments.includes('..')) return unsafeName(coreText("a '..' segment climbs out of the archive"));
  if (segments.length === 0) return isDirectory ? { skip: true } : unsafeName(coreText('the name has no path'));
  return { path: segments.join('/'), isDirectory };
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function resolveLimits(options?: Partial<ArchiveLimits>): Readonly<ArchiveLimits> {
  const limits = { ...ARCHIVE_LIMITS };
  for (const [k, v] of Object.entries(options ?? {})) if (typeof v === 'number' && Number.isFinite(v) && v >= 0) (limits as Record<string, number>)[k] = v;
  return Object.freeze(limits);
}

/** A size in unit symbols, which need no translation (`512 B`, `1.5 MiB`, `2 GiB`). */
function bytesText(n: number): string {
  if (n >= GiB) return `${(n / GiB).toFixed(n % GiB === 0 ? 0 : 1)} GiB`;
  if (n >= MiB) return `${(n / MiB).toFixed(n % MiB === 0 ? 0 : 1)} MiB`;
  return `${n} B`;
}

// ---------------------------------------------------------------------------------------------
// The common part: the entry table, limits, reads and nesting.

interface Slot {
  entry: ArchiveEntry;
  /** What the backend needs to find the entry again. */
  ref: unknown;
}

interface ListedEntry {
  rawName: string;
  ref: unknown;
  size: number;
  compressedSize: number | undefined;
  kind: 'file' | 'directory' | 'link' | 'other';
  encrypted: boolean;
  unreadable?: ArchiveRefusal;
  modified?: Date;
}

/** Chunk size when a buffered entry (7z) is handed out as a stream. */
const STREAM_SLICE = 1 << 18;

abstract class BaseArchive implements Archive {
  damagedText: CoreText | undefined;
  protected slots = new Map<string, Slot>();
  protected order: Slot[] = [];
  protected refused: RejectedEntry[] = [];

  get damaged(): string | undefined {
    return this.damagedText && englishText(this.damagedText);
  }
  /** Refused entries whose name was safe, by normalised path (so that reading one tells why). */
  private refusedByPath = new Map<string, RejectedEntry>();
  protected closed = false;
  private children = new Set<Archive>();

  constructor(
    readonly format: ArchiveFormat,
    readonly source: string,
    readonly depth: number,
    readonly limits: Readonly<ArchiveLimits>,
  ) {}

  /** Applies the per-entry checks to the backend's listing and the whole-archive bounds. */
  protected accept(listed: ListedEntry[], ratioHint?: { archiveBytes: number; declaredTotal: number }): void {
    const l = this.limits;
    if (listed.length > l.maxEntries) throw new ArchiveError('too-many-entries', coreText('{0} has {1} entries (the limit is {2})', this.source, listed.length, l.maxEntries));
    // Where the format gives no per-entry compressed size, the archive's overall ratio stands in.
    const wholeRatio = ratioHint && ratioHint.declaredTotal > l.ratioMinSize ? ratioHint.declaredTotal / Math.max(1, ratioHint.archiveBytes) : 0;
    let total = 0;
    for (const e of listed) {
      const name = e.rawName;
      const reject = (code: ArchiveErrorCode, text: CoreText) => this.refused.push({ name: displayName(name), ...refusal(code, text) });
      const checked = checkEntryName(name, l.maxNameLength);
      if ('skip' in checked) continue;
      if ('code' in checked) {
        reject(checked.code, checked.text);
        continue;
      }
      const isDirectory = checked.isDirectory || e.kind === 'directory';
      const refuse = (code: ArchiveErrorCode, text: CoreText) => {
        reject(code, text);
        if (!this.refusedByPath.has(checked.path)) this.refusedByPath.set(checked.path, this.refused[this.refused.length - 1]!);
      };
      if (e.kind === 'link' || e.kind === 'other') {
        refuse('not-a-file', e.kind === 'link' ? coreText('a symbolic link (links are never followed)') : coreText('a device or special file'));
        continue;
      }
      if (!isDirectory) {
        if (e.size > l.maxEntrySize) {
          refuse('too-large', coreText('declares {0} (the limit for one entry is {1})', bytesText(e.size), bytesText(l.maxEntrySize)));
          continue;
        }
        if (e.size > l.ratioMinSize) {
          const ratio = e.compressedSize !== undefined ? e.size / Math.max(1, e.compressedSize) : wholeRatio;
          if (ratio > l.maxRatio) {
            refuse(
              'ratio',
              e.compressedSize !== undefined
                ? coreText('expands {0}:1 ({1} from {2}; the limit is {3}:1): a possible zip bomb', Math.round(ratio), bytesText(e.size), bytesText(e.compressedSize), l.maxRatio)
                : coreText('expands {0}:1 (the archive as a whole; the limit is {1}:1): a possible zip bomb', Math.round(ratio), l.maxRatio),
            );
            continue;
          }
        }
      }
      if (this.slots.has(checked.path)) {
        refuse('duplicate', coreText('a second entry named {0}; the first one is kept', checked.path));
        continue;
      }
      const entry: ArchiveEntry = {
        path: checked.path,
        size: isDirectory ? 0 : e.size,
        compressedSize: isDirectory ? 0 : e.compressedSize,
        isDirectory,
        isArchive: !isDirectory && archiveByName(checked.path),
        encrypted: e.encrypted,
      };
      if (e.unreadable && !isDirectory) entry.unreadable = e.unreadable;
      if (e.modified && !Number.isNaN(e.modified.getTime())) entry.modified = e.modified;
      const slot = { entry, ref: e.ref };
      this.slots.set(entry.path, slot);
      this.order.push(slot);
      if (!isDirectory) total += e.size;
    }
    if (total > l.maxTotalSize) {
      throw new ArchiveError('too-large', coreText('{0} declares {1} of content in total (the limit is {2})', this.source, bytesText(total), bytesText(l.maxTotalSize)));
    }
    if (ratioHint) this.boundSmallFiles(ratioHint.archiveBytes);
  }

  /**
   * Without per-entry compressed sizes, the entries over `ratioMinSize` are checked one by one
   * against the archive's overall ratio (above); the files under it are bounded together: when
   * the readable ones still declare more than `ratioMinSize` and more than `maxRatio` times the
   * archive's size (a bomb of many 1 MiB files of zeros), none of them is read (`unreadable`,
   * 'ratio'), since nothing could tell which of them expands.
   */
  private boundSmallFiles(archiveBytes: number): void {
    const l = this.limits;
    const files = this.order.filter((s) => !s.entry.isDirectory && !s.entry.unreadable && s.entry.compressedSize === undefined);
    const together = files.reduce((n, s) => n + s.entry.size, 0);
    const ratio = together / Math.max(1, archiveBytes);
    if (together <= l.ratioMinSize || ratio <= l.maxRatio) return;
    const why = refusal(
      'ratio',
      coreText(
        'its {0} files declare {1} from an archive of {2} ({3}:1 as a whole; the limit is {4}:1): a possible zip bomb, none of its files is extracted',
        files.length,
        bytesText(together),
        bytesText(archiveBytes),
        Math.round(ratio),
        l.maxRatio,
      ),
    );
    for (const s of files) s.entry.unreadable = { ...why };
  }

  entries(): ArchiveEntry[] {
    return this.order.map((s) => ({ ...s.entry }));
  }

  rejected(): RejectedEntry[] {
    return this.refused.map((r) => ({ ...r }));
  }

  entry(entryPath: string): ArchiveEntry | undefined {
    const checked = checkEntryName(entryPath, this.limits.maxNameLength);
    if (!('path' in checked)) return undefined;
    const slot = this.slots.get(checked.path);
    return slot ? { ...slot.entry } : undefined;
  }

  /** The slot of a readable file entry, or the reason it cannot be read. */
  protected fileSlot(entryPath: string): Slot {
    if (this.closed) throw new ArchiveError('closed', coreText('{0} is closed', this.source));
    const checked = checkEntryName(entryPath, this.limits.maxNameLength);
    if ('code' in checked) throw new ArchiveError('unsafe-name', checked.text, displayName(entryPath));
    const slot = 'path' in checked ? this.slots.get(checked.path) : undefined;
    if (!slot) {
      const refused = 'path' in checked ? this.refusedByPath.get(checked.path) : undefined;
      if (refused) throw new ArchiveError(refused.code, refused.text ?? refused.detail, refused.name);
      throw new ArchiveError('no-entry', coreText('{0} has no entry {1}', this.source, displayName(entryPath)), displayName(entryPath));
    }
    const e = slot.entry;
    if (e.isDirectory) throw new ArchiveError('not-a-file', coreText('{0} is a directory', e.path), e.path);
    if (e.unreadable) throw new ArchiveError(e.unreadable.code, e.unreadable.text ?? e.unreadable.detail, e.path);
    return slot;
  }

  /** Updates `isArchive` from an entry's first bytes. */
  protected noteHead(slot: Slot, first: Uint8Array): void {
    if (first.length >= 6 || first.length === slot.entry.size) slot.entry.isArchive = sniffArchive(first) !== undefined;
  }

  /** The backend's stream of an entry's bytes (checks on the bytes produced are done here). */
  protected abstract rawStream(slot: Slot, token: Cancellation): AsyncGenerator<Uint8Array>;

  async *stream(entryPath: string, options: { token?: Cancellation } = {}): AsyncGenerator<Uint8Array> {
    const token = options.token ?? NEVER_CANCELLED;
    const slot = this.fileSlot(entryPath);
    const e = slot.entry;
    const l = this.limits;
    let produced = 0;
    let first = true;
    for await (const chunk of this.rawStream(slot, token)) {
      throwIfCancelled(token);
      if (this.closed) throw new ArchiveError('closed', coreText('{0} was closed while {1} was read', this.source, e.path), e.path);
      produced += chunk.length;
      // Verified on the bytes actually produced, whatever the headers claim.
      if (produced > e.size) {
        throw new ArchiveError('size-mismatch', coreText('{0} produces more than the {1} bytes its header declares: damaged, or crafted to hide its size', e.path, e.size), e.path);
      }
      if (produced > l.maxEntrySize) throw new ArchiveError('too-large', coreText('{0} produces more than {1}', e.path, bytesText(l.maxEntrySize)), e.path);
      if (e.compressedSize !== undefined && produced > l.ratioMinSize && produced / Math.max(1, e.compressedSize) > l.maxRatio) {
        throw new ArchiveError('ratio', coreText('{0} expands over {1}:1 ({2} from {3} so far): a possible zip bomb', e.path, l.maxRatio, bytesText(produced), bytesText(e.compressedSize)), e.path);
      }
      if (first && chunk.length > 0) {
        this.noteHead(slot, chunk);
        first = false;
      }
      yield chunk;
    }
    if (produced < e.size) throw new ArchiveError('size-mismatch', coreText('{0} ends after {1} of the {2} bytes its header declares: the archive is damaged', e.path, produced, e.size), e.path);
  }

  async read(entryPath: string, options: ReadOptions = {}): Promise<Uint8Array> {
    const max = Math.min(options.maxBytes ?? this.limits.maxReadBytes, this.limits.maxReadBytes);
    const slot = this.fileSlot(entryPath);
    if (slot.entry.size > max) {
      throw new ArchiveError('too-large', coreText('{0} is {1}, over the {2} read into memory at once (stream it instead)', slot.entry.path, bytesText(slot.entry.size), bytesText(max)), slot.entry.path);
    }
    const out = Buffer.allocUnsafe(slot.entry.size);
    let at = 0;
    const streamOptions = options.token ? { token: options.token } : {};
    for await (const chunk of this.stream(entryPath, streamOptions)) {
      out.set(chunk, at); // stream() already refused anything past the declared size
      at += chunk.length;
    }
    return out.subarray(0, at);
  }

  async head(entryPath: string, bytes: number, options: { token?: Cancellation } = {}): Promise<Uint8Array> {
    const parts: Uint8Array[] = [];
    let have = 0;
    const iterator = this.stream(entryPath, options)[Symbol.asyncIterator]();
    try {
      while (have < bytes) {
        const next = await iterator.next();
        if (next.done) break;
        parts.push(next.value);
        have += next.value.length;
      }
    } finally {
      await iterator.return?.(undefined);
    }
    return Buffer.concat(parts).subarray(0, bytes);
  }

  async openNested(entryPath: string, options: { token?: Cancellation } = {}): Promise<Archive> {
    const slot = this.fileSlot(entryPath);
    const e = slot.entry;
    const l = this.limits;
    if (this.depth + 1 > l.maxDepth) throw new ArchiveError('depth', coreText('{0} would be archive level {1} (the limit is {2} levels)', e.path, this.depth + 1, l.maxDepth), e.path);
    if (e.size > l.maxNestedArchiveSize) {
      throw new ArchiveError('too-large', coreText('the nested archive {0} is {1} (the limit is {2})', e.path, bytesText(e.size), bytesText(l.maxNestedArchiveSize)), e.path);
    }
    const bytes = Buffer.allocUnsafe(e.size);
    let at = 0;
    for await (const c of this.stream(entryPath, options)) {
      bytes.set(c, at); // stream() refuses anything past the declared size
      at += c.length;
    }
    const child = await openArchiveBytes(bytes.subarray(0, at), `${this.source}!/${e.path}`, this.depth + 1, l, options.token ?? NEVER_CANCELLED);
    if (this.closed) {
      await child.close();
      throw new ArchiveError('closed', coreText('{0} was closed while {1} was opened', this.source, e.path), e.path);
    }
    this.children.add(child);
    // A child closed on its own (a browser's cache let it go) is forgotten with its bytes.
    const close = child.close.bind(child);
    child.close = async () => {
      this.children.delete(child);
      await close();
    };
    return child;
  }

  protected abstract release(): Promise<void>;

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const children = [...this.children];
    this.children.clear();
    await Promise.all(children.map((c) => c.close()));
    await this.release();
  }
}

// ---------------------------------------------------------------------------------------------
// zip through yauzl (streamed from disk, or from a nested archive's bytes).

const YAUZL_OPTIONS: yauzl.Options = {
  lazyEntries: true,
  autoClose: false,
  // Names are decoded and checked here, per entry: yauzl's own check would refuse the whole zip.
  decodeStrings: false,
  validateEntrySizes: true,
  strictFileNames: true,
};

function zipKind(e: yauzl.Entry, name: string): ListedEntry['kind'] {
  const madeBy = e.versionMadeBy >> 8;
  const unixMode = (e.externalFileAttributes >>> 16) & 0o170000;
  if (madeBy === 3 /* Unix */ || madeBy === 19 /* macOS */) {
    if (unixMode === 0o120000) return 'link';
    if (unixMode === 0o040000) return 'directory';
    if (unixMode !== 0 && unixMode !== 0o100000) return 'other';
  }
  if (name.endsWith('/') || name.endsWith('\\')) return 'directory';
  if (madeBy === 0 /* MS-DOS/Windows */ && (e.externalFileAttributes & 0x10) !== 0) return 'directory';
  return 'file';
}

function zipListed(e: yauzl.Entry): ListedEntry {
  const raw = yauzl.getFileNameLowLevel(e.generalPurposeBitFlag, e.fileNameRaw, e.extraFields, true);
  const encrypted = e.isEncrypted();
  const listed: ListedEntry = {
    rawName: raw,
    ref: e,
    size: e.uncompressedSize,
    compressedSize: e.compressedSize,
    kind: zipKind(e, raw),
    encrypted,
  };
  if (encrypted) listed.unreadable = refusal('encrypted', coreText('the entry is encrypted (no password is asked for)'));
  else if (e.compressionMethod !== 0 && e.compressionMethod !== 8) {
    listed.unreadable = refusal('unsupported', coreText('compression method {0} is not supported (only stored and deflate)', e.compressionMethod));
  }
  try {
    listed.modified = e.getLastModDate();
  } catch {
    // no usable date
  }
  return listed;
}

/**
 * yauzl's file access with a read-ahead window: listing reads each central-directory record with
 * two small reads, and one system read each made 10,000 entries take over a second; served from a
 * 256 KiB window they take a few tens of milliseconds. Entry data still streams straight from the file.
 */
const READ_WINDOW = 1 << 18;
/** Entry data is read from the file in pieces of this size. */
const READ_CHUNK = 1 << 16;

class WindowedFileReader extends yauzl.RandomAccessReader {
  private window: { start: number; data: Buffer } | undefined;

  constructor(private readonly fd: number) {
    super();
  }

  /** Entry data, read by position (an fs stream would close the shared descriptor when destroyed). */
  override _readStreamForRange(start: number, end: number): Readable {
    const fd = this.fd;
    let at = start;
    return new Readable({
      read() {
        const n = Math.min(end - at, READ_CHUNK);
        if (n <= 0) {
          this.push(null);
          return;
        }
        const chunk = Buffer.allocUnsafe(n);
        readFd(fd, chunk, 0, n, at, (err, got) => {
          if (err) return this.destroy(err);
          if (got === 0) return this.destroy(new Error('unexpected end of file'));
          at += got;
          this.push(chunk.subarray(0, got));
        });
      },
    });
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null, bytesRead?: number) => void): void {
    const w = this.window;
    if (w && position >= w.start && position + length <= w.start + w.data.length) {
      w.data.copy(buffer, offset, position - w.start, position - w.start + length);
      setImmediate(() => callback(null, length));
      return;
    }
    if (length >= READ_WINDOW) {
      readFd(this.fd, buffer, offset, length, position, (err, n) => callback(err, n));
      return;
    }
    const data = Buffer.allocUnsafe(READ_WINDOW);
    readFd(this.fd, data, 0, READ_WINDOW, position, (err, n) => {
      if (err) return callback(err);
      this.window = { start: position, data: data.subarray(0, n) };
      const k = Math.min(length, n);
      data.copy(buffer, offset, 0, k);
      callback(null, k);
    });
  }

  override close(callback: (err: Error | null) => void): void {
    this.window = undefined;
    closeFd(this.fd, (err) => callback(err ?? null));
  }
}

/** A zip on disk through the windowed reader, or yauzl's reason when its central directory cannot be read. */
async function openZipFile(file: string, size: number): Promise<yauzl.ZipFile | { failed: string }> {
  let fd: number;
  try {
    fd = await new Promise<number>((resolve, reject) => openFd(file, 'r', (err, f) => (err ? reject(err) : resolve(f))));
  } catch (e) {
    throw new ArchiveError('unreadable', coreText('{0}: {1}', file, (e as NodeJS.ErrnoException).code ?? errorMessage(e)));
  }
  try {
    return await yauzl.fromRandomAccessReaderPromise(new WindowedFileReader(fd), size, YAUZL_OPTIONS);
  } catch (e) {
    closeFd(fd, () => undefined);
    return { failed: errorMessage(e) };
  }
}

/** yauzl's and zlib's errors in our words. */
function zipReadError(e: unknown, entryPath: string): Error {
  if (e instanceof ArchiveError || e instanceof CancelledError) return e;
  const m = errorMessage(e);
  if (/too many bytes in the stream/.test(m)) {
    return new ArchiveError('size-mismatch', coreText('{0} inflates past the size its header declares ({1}): damaged, or crafted to hide its size', entryPath, m), entryPath);
  }
  if (/not enough bytes in the stream/.test(m)) return new ArchiveError('size-mismatch', coreText('{0} ends before the size its header declares ({1})', entryPath, m), entryPath);
  // yauzl's own sentence (a library's words, as the XML parser's).
  if (/unsupported compression method/.test(m)) return new ArchiveError('unsupported', m, entryPath);
  return new ArchiveError('corrupt', coreText('{0} cannot be read: {1}', entryPath, m), entryPath);
}

/** CRC-32 where this Node has it (20.15+); older hosts skip the check. */
const crc32: ((data: Uint8Array, value?: number) => number) | undefined = (zlib as unknown as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;

class ZipArchive extends BaseArchive {
  constructor(
    private zip: yauzl.ZipFile,
    source: string,
    depth: number,
    limits: Readonly<ArchiveLimits>,
  ) {
    super('zip', source, depth, limits);
  }

  async list(token: Cancellation): Promise<void> {
    const l = this.limits;
    if (this.zip.entryCount > l.maxEntries) throw new ArchiveError('too-many-entries', coreText('{0} has {1} entries (the limit is {2})', this.source, this.zip.entryCount, l.maxEntries));
    const listed: ListedEntry[] = [];
    const failure = await new Promise<Error | undefined>((resolve) => {
      this.zip.on('entry', (e: yauzl.Entry) => {
        if (token.isCancellationRequested) return resolve(new CancelledError());
        listed.push(zipListed(e));
        this.zip.readEntry();
      });
      this.zip.on('end', () => resolve(undefined));
      this.zip.on('error', (err: Error) => resolve(err));
      this.zip.readEntry();
    });
    if (failure instanceof CancelledError) throw failure;
    if (failure) {
      // The central directory breaks off: keep what was listed before it.
      if (listed.length === 0) throw new ArchiveError('corrupt', coreText('{0}: {1}', this.source, failure.message));
      this.damagedText = coreText('listing stopped after {0} of {1} entries: {2}', listed.length, this.zip.entryCount, failure.message);
    }
    this.accept(listed);
  }

  protected async *rawStream(slot: Slot, token: Cancellation): AsyncGenerator<Uint8Array> {
    const e = slot.ref as yauzl.Entry;
    let stream: Readable;
    try {
      stream = await this.zip.openReadStreamPromise(e);
    } catch (err) {
      throw zipReadError(err, slot.entry.path);
    }
    let crc = 0;
    let produced = 0;
    try {
      for await (const chunk of stream as AsyncIterable<Buffer>) {
        throwIfCancelled(token);
        produced += chunk.length;
        if (crc32) crc = crc32(chunk, crc);
        yield chunk;
      }
    } catch (err) {
      throw zipReadError(err, slot.entry.path);
    } finally {
      stream.destroy();
    }
    if (crc32 && produced === e.uncompressedSize && crc >>> 0 !== e.crc32 >>> 0) {
      throw new ArchiveError('corrupt', coreText('{0} fails its CRC-32 check: the archive is damaged', slot.entry.path), slot.entry.path);
    }
  }

  protected async release(): Promise<void> {
    this.zip.close();
  }
}

// ---------------------------------------------------------------------------------------------
// 7z (and damaged zip) through libarchive.js: WebAssembly in a worker thread, from memory.

/** An entry as libarchive.js's worker lists it. */
interface LibarchiveEntry {
  size: number;
  path: string;
  type: 'FILE' | 'DIR' | 'SYMBOLIC_LINK' | 'SOCKET' | 'CHARACTER_DEVICE' | 'BLOCK_DEVICE' | 'NAMED_PIPE' | undefined;
  fileData?: Uint8Array;
}

/** The worker's API (libarchive.js `src/webworker/worker.js`), reached through comlink. */
interface LibarchiveClient {
  open(file: Blob, done: () => void): Promise<void>;
  listFiles(): Promise<LibarchiveEntry[]>;
  extractSingleFile(target: string): Promise<LibarchiveEntry | undefined>;
  /** Every entry of the archive, each with its data, in one pass (the first failing entry fails it all). */
  extractFiles(): Promise<LibarchiveEntry[]>;
  hasEncryptedData(): Promise<boolean | null>;
}

const WORKER_FILE = 'worker-bundle-node.mjs';

/**
 * Where libarchive.js's worker is: shipped next to the bundle (`dist/libarchive/`, copied there by
 * scripts/build.mjs with its `libarchive.wasm`), else in node_modules (tests, development).
 */
function libarchiveWorkerPath(): string {
  const shipped = path.join(__dirname, 'libarchive', WORKER_FILE);
  if (existsSync(shipped)) return shipped;
  const id = ['libarchive.js', 'dist', WORKER_FILE].join('/'); // not a literal: the bundler leaves it alone
  return require.resolve(id);
}

/**
 * The worker's first lines, before libarchive.js's worker module: the WebAssembly module prints
 * with console.log, and a language server's stdout is its protocol, so the worker's console.log
 * (and info, debug, warn) print nothing; errors still go to stderr. (Capturing the worker's stdout
 * instead, with the `stdout` option, would keep the process alive for as long as the worker lives.)
 */
const WORKER_BOOT = `
const { workerData } = require('node:worker_threads');
for (const k of ['log', 'info', 'debug', 'warn']) console[k] = () => {};
import(workerData.url).catch((e) => { throw e; });
`;

/** comlink's endpoint over a Node worker (as comlink's node-adapter does). */
function workerEndpoint(worker: Worker): Comlink.Endpoint {
  type Handler = ((ev: { data: unknown }) => void) | { handleEvent(ev: { data: unknown }): void };
  const listeners = new WeakMap<object, (data: unknown) => void>();
  const endpoint = {
    postMessage: (message: unknown, transfer?: unknown[]) => worker.postMessage(message, transfer as never),
    addEventListener: (_type: string, handler: Handler) => {
      const l = (data: unknown) => ('handleEvent' in handler ? handler.handleEvent({ data }) : handler({ data }));
      worker.on('message', l);
      listeners.set(handler, l);
    },
    removeEventListener: (_type: string, handler: Handler) => {
      const l = listeners.get(handler);
      if (l) {
        worker.off('message', l);
        listeners.delete(handler);
      }
    },
  };
  return endpoint as unknown as Comlink.Endpoint;
}

/**
 * The worker's callbacks (module ready, archive loaded) and the worker's client object are comlink
 * proxies, each on a MessagePort that would keep the process alive for ever (a CLI that forgot
 * `close()` would never exit). This process's comlink (used by this module only) makes them
 * unreferenced ports: the worker itself is referenced while a call is under way.
 */
let lastRemotePort: MessagePort | undefined;

function unrefComlinkCallbacks(): void {
  const standard = Comlink.transferHandlers.get('proxy');
  if (!standard || (standard as { unreferenced?: boolean }).unreferenced) return;
  const handler = {
    unreferenced: true,
    canHandle: standard.canHandle,
    serialize(value: unknown): [MessagePort, Transferable[]] {
      const { port1, port2 } = new MessageChannel();
      Comlink.expose(value, port1 as unknown as Comlink.Endpoint);
      (port1 as unknown as { unref(): void }).unref();
      return [port2, [port2 as unknown as Transferable]];
    },
    deserialize(port: MessagePort): unknown {
      const remote = standard.deserialize(port);
      // Each call on the remote object listens on its port again, which references it: the session
      // unreferences it after every call (see LibarchiveSession.runNow).
      port.unref();
      lastRemotePort = port;
      return remote;
    },
  };
  Comlink.transferHandlers.set('proxy', handler as unknown as typeof standard);
}

/**
 * libarchive.js 2.0.2 opens a new libarchive reader for every list or extract call and never frees
 * the previous one (measured: ~7 MB of WebAssembly memory per extraction of a 10 MB 7z). The
 * worker is therefore replaced after this many calls, which bounds that leak.
 */
const CALLS_PER_WORKER = 8;
/** …and after extracting an entry this large on its own (the memory it grew to stays with the worker). */
const RECYCLE_AFTER_BYTES = 32 * 1024 * 1024;

class LibarchiveSession {
  private worker: Worker | undefined;
  private client: Comlink.Remote<LibarchiveClient> | undefined;
  /** The port the worker's client object answers on (unreferenced between calls). */
  private clientPort: MessagePort | undefined;
  private calls = 0;
  private closed = false;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly blob: Blob,
    private readonly label: string,
    private readonly timeoutMs: number,
  ) {}

  /** Runs one call on the worker, serialised, with the timeout, failing if the worker dies. */
  run<T>(what: CoreText, call: (client: Comlink.Remote<LibarchiveClient>) => Promise<T>): Promise<T> {
    const next = this.queue.then(() => this.runNow(what, call));
    this.queue = next.catch(() => undefined);
    return next;
  }

  private async runNow<T>(what: CoreText, call: (client: Comlink.Remote<LibarchiveClient>) => Promise<T>): Promise<T> {
    if (this.closed) throw new ArchiveError('closed', coreText('{0} is closed', this.label));
    let timer: NodeJS.Timeout | undefined;
    let onExit: ((code: number) => void) | undefined;
    let onError: ((e: Error) => void) | undefined;
    const worker = this.ensureWorker();
    worker.ref();
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        void this.terminate();
        const took = this.timeoutMs >= 1000 ? `${Math.round(this.timeoutMs / 1000)} s` : `${this.timeoutMs} ms`;
        reject(new ArchiveError('timeout', coreText('{0}: {1} took more than {2} and was stopped', this.label, what, took)));
      }, this.timeoutMs);
      onExit = (code) =>
        reject(
          this.closed
            ? new ArchiveError('closed', coreText('{0} was closed during {1}', this.label, what))
            : new ArchiveError('corrupt', coreText('{0}: the 7z reader stopped (exit {1}) during {2}', this.label, code, what)),
        );
      onError = (e) => reject(new ArchiveError('corrupt', coreText('{0}: the 7z reader failed during {1}: {2}', this.label, what, e.message)));
      worker.once('exit', onExit);
      worker.once('error', onError);
    });
    try {
      const client = await Promise.race([this.ready(worker), stopped]);
      return await Promise.race([call(client), stopped]);
    } finally {
      clearTimeout(timer);
      if (onExit) worker.off('exit', onExit);
      if (onError) worker.off('error', onError);
      if (this.worker === worker) {
        worker.unref();
        this.clientPort?.unref();
        if (++this.calls >= CALLS_PER_WORKER) await this.terminate();
      }
    }
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    unrefComlinkCallbacks();
    const worker = new Worker(WORKER_BOOT, { eval: true, workerData: { url: pathToFileURL(libarchiveWorkerPath()).href } });
    worker.unref();
    // A worker that dies is forgotten (the next call starts another); the call under way, if any,
    // gets the error through its own listeners (runNow). An idle worker's error must not throw here.
    worker.on('error', () => undefined);
    worker.once('exit', () => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.client = undefined;
      this.clientPort = undefined;
    });
    this.worker = worker;
    this.client = undefined;
    this.clientPort = undefined;
    this.calls = 0;
    return worker;
  }

  /** The worker's client once its module is ready and the archive bytes are loaded in it. */
  private async ready(worker: Worker): Promise<Comlink.Remote<LibarchiveClient>> {
    if (this.client && this.worker === worker) return this.client;
    const Remote = Comlink.wrap<new (ready: () => void) => LibarchiveClient>(workerEndpoint(worker));
    let moduleReady!: () => void;
    const moduleReadyP = new Promise<void>((r) => (moduleReady = r));
    lastRemotePort = undefined;
    const client = (await new Remote(Comlink.proxy(() => moduleReady()))) as unknown as Comlink.Remote<LibarchiveClient>;
    const clientPort = lastRemotePort as MessagePort | undefined;
    await moduleReadyP;
    let opened!: () => void;
    const openedP = new Promise<void>((r) => (opened = r));
    await client.open(this.blob, Comlink.proxy(() => opened()));
    await openedP;
    if (this.worker === worker) {
      this.client = client;
      this.clientPort = clientPort;
    }
    return client;
  }

  /**
   * Stops the worker once the calls queued so far are done (its WebAssembly memory never shrinks);
   * the next call, if any, starts another.
   */
  recycle(): void {
    const next = this.queue.then(() => this.terminate());
    this.queue = next.catch(() => undefined);
  }

  /** Ends the session: the worker is stopped and no call starts any more. */
  async close(): Promise<void> {
    this.closed = true;
    await this.terminate();
  }

  private async terminate(): Promise<void> {
    const worker = this.worker;
    const port = this.clientPort;
    this.worker = undefined;
    this.client = undefined;
    this.clientPort = undefined;
    port?.close();
    if (worker) await worker.terminate();
  }
}

const LIBARCHIVE_KIND: Record<string, ListedEntry['kind']> = { FILE: 'file', DIR: 'directory', SYMBOLIC_LINK: 'link' };

/** A one-pass extraction's result: each readable file entry's bytes by its stored name. */
type OnePass = Map<string, Uint8Array>;

// What the 7z reader keeps in memory is bounded for the whole process, not per archive: nested
// archives stay open until their outer one is closed (an analysis closes them at its end), so a
// bundle of many nested 7z archives would otherwise hold as much as each of them may.

/**
 * The bytes the one passes of every open archive hold (reserved at their declared total when a
 * pass starts, then what it kept), bounded by `maxOnePassTotal`.
 */
let onePassHeld = 0;
/** The archives whose one pass is done and held, least recently read first: a new pass may take their room. */
const heldPasses = new Set<LibarchiveArchive>();

/** Entries up to this size extracted on their own are kept for later reads (`maxEntryCacheSize`). */
const CACHED_ENTRY_MAX = 1 * MiB;

/** The small entries kept for all archives (by archive and stored name), least recently read first; `cachedBytes` in all. */
const entryCache = new Map<string, { owner: LibarchiveArchive; target: string; bytes: Uint8Array }>();
let cachedBytes = 0;

/** The one larger entry kept (for the read that follows its head's), let go when any extraction starts. */
let lastExtracted: { owner: LibarchiveArchive; target: string; bytes: Uint8Array } | undefined;

/** What the 7z reader holds in memory for this process's open archives, in bytes (for tests and diagnostics). */
export function archiveMemory(): { onePass: number; entryCache: number; lastEntry: number } {
  return { onePass: onePassHeld, entryCache: cachedBytes, lastEntry: lastExtracted?.bytes.length ?? 0 };
}

/**
 * Makes room for a pass of `bytes` within `total`: when the passes done and held by other archives
 * free enough, the least recently read of them are dropped (see `dropPass`); passes under way are
 * never dropped. False (nothing dropped) when there is no room.
 */
function roomForPass(asking: LibarchiveArchive, bytes: number, total: number): boolean {
  let freeable = 0;
  for (const other of heldPasses) if (other !== asking) freeable += other.heldBytes;
  if (onePassHeld - freeable + bytes > total) return false;
  for (const other of [...heldPasses]) {
    if (onePassHeld + bytes <= total) break;
    if (other !== asking) other.dropPass();
  }
  return true;
}

let archiveIds = 0;

/**
 * 7z (and damaged zip) through libarchive.js. libarchive.js extracts one entry by opening the
 * archive again and decoding from its start (a 7z's solid block holds every file: each entry costs
 * the decoding of all those before it, ~30 ms a small file), so an archive whose entries together
 * declare at most `maxOnePassSize` is extracted in one pass, at its first read, and every read is
 * then served from that. Concurrent first reads share the pass. When the pass fails (one damaged
 * entry, an encrypted block, the time bound), reads go back to one extraction per entry, so that
 * the healthy entries stay readable and the failing one gets its own error.
 *
 * Memory, for all the archives open in the process together:
 * - One passes: each holds its readable file entries' bytes (at most `maxOnePassSize`), kept after
 *   being read because the same entry is commonly read again (its first bytes to sniff it, then
 *   the whole of it; VS Code reads an opened file again) and one entry extracted again costs what
 *   the pass saved. All of them together hold at most `maxOnePassTotal`: a pass that would go over
 *   it takes the room of the passes of other archives that are done, least recently read first
 *   (those archives extract entry by entry from then on, their small entries handed to the cache:
 *   an archive is passed once, so that two archives read in turn do not pass again and again);
 *   when that frees too little (passes under way), the read extracts its entry on its own and a
 *   later read tries again. Entries the listing refused (unsafe name, duplicate, link) are
 *   extracted by the pass too, counted in it, never kept; an archive with an entry refused for
 *   its ratio gets no pass.
 * - Outside a pass, entries of up to 1 MiB extracted on their own are kept in one cache of at most
 *   `maxEntryCacheSize` (least recently read dropped), and the one larger entry extracted last
 *   until any other extraction starts (never two at once).
 */
class LibarchiveArchive extends BaseArchive {
  /** This archive's part of the entry cache's keys. */
  private readonly id = ++archiveIds;
  /** Its stored names in the entry cache. */
  private cachedNames = new Set<string>();
  private session: LibarchiveSession;
  /**
   * Set by the listing when one pass may be used (see `list`); cleared when the pass fails, gives
   * its room to another archive's pass or the archive is closed, after which every read extracts
   * its entry on its own.
   */
  private onePassAllowed = false;
  /** What the one pass extracts, as the listing declares it. */
  private onePassBytes = 0;
  /** This archive's share of `onePassHeld`. */
  private held = 0;
  /** The one pass, started by the first read that finds room for it and shared by every read after it. */
  private onePass: Promise<OnePass | undefined> | undefined;
  /** The pass's result once it is done (what `dropPass` hands to the cache). */
  private passed: OnePass | undefined;

  constructor(
    format: ArchiveFormat,
    private readonly bytes: number,
    blob: Blob,
    source: string,
    depth: number,
    limits: Readonly<ArchiveLimits>,
  ) {
    super(format, source, depth, limits);
    this.session = new LibarchiveSession(blob, source, limits.workerTimeoutMs);
  }

  /** This archive's share of the one-pass budget. */
  get heldBytes(): number {
    return this.held;
  }

  async list(token: Cancellation): Promise<void> {
    const raw = await this.session.run(coreText('listing'), (c) => c.listFiles());
    throwIfCancelled(token);
    if (raw.length > this.limits.maxEntries) throw new ArchiveError('too-many-entries', coreText('{0} has {1} entries (the limit is {2})', this.source, raw.length, this.limits.maxEntries));
    // 7z encrypts per block, in practice the whole archive: libarchive tells it for the archive only.
    const encrypted = raw.length > 0 && (await this.session.run(coreText('the encryption check'), (c) => c.hasEncryptedData())) === true;
    throwIfCancelled(token);
    let declaredTotal = 0;
    // What one pass would extract: every entry the worker lists, refused ones included.
    let onePassBytes = 0;
    let onePassFiles = 0;
    let onePassBounded = true;
    const listed: ListedEntry[] = raw.map((e) => {
      const kind = e.type ? (LIBARCHIVE_KIND[e.type] ?? 'other') : 'file';
      const size = Number.isFinite(e.size) && e.size > 0 ? e.size : 0;
      if (kind === 'file') declaredTotal += size;
      if (!Number.isFinite(e.size) || e.size < 0 || e.size > this.limits.maxBufferedEntrySize) onePassBounded = false;
      else onePassBytes += e.size;
      if (kind === 'file') onePassFiles++;
      const l: ListedEntry = { rawName: String(e.path ?? ''), ref: e.path, size, compressedSize: undefined, kind, encrypted };
      if (encrypted) l.unreadable = refusal('encrypted', coreText('the archive is encrypted (no password is asked for)'));
      else if (size > this.limits.maxBufferedEntrySize) {
        const max = bytesText(this.limits.maxBufferedEntrySize);
        l.unreadable = refusal(
          'too-large',
          this.format === '7z'
            ? coreText('{0} is over the {1} a 7z entry may be extracted into memory', bytesText(size), max)
            : coreText('{0} is over the {1} a damaged zip entry may be extracted into memory', bytesText(size), max),
        );
      }
      return l;
    });
    this.accept(listed, { archiveBytes: this.bytes, declaredTotal });
    // One file alone gains nothing from a pass over everything; a bomb's entries are never all extracted.
    const bomb = this.refused.some((r) => r.code === 'ratio') || this.order.some((s) => s.entry.unreadable?.code === 'ratio');
    this.onePassAllowed = !encrypted && !bomb && onePassBounded && onePassFiles >= 2 && onePassBytes <= this.limits.maxOnePassSize;
    this.onePassBytes = onePassBytes;
  }

  protected async *rawStream(slot: Slot, token: Cancellation): AsyncGenerator<Uint8Array> {
    throwIfCancelled(token);
    const target = slot.ref as string;
    const kept = await this.fromOnePass(target, token);
    if (kept) {
      // Copies: the kept bytes serve later reads, whatever a reader does with its chunks.
      for (let at = 0; at < kept.length; at += STREAM_SLICE) yield kept.slice(at, Math.min(kept.length, at + STREAM_SLICE));
      return;
    }
    let bytes = this.remembered(target);
    if (!bytes) {
      // The larger entry kept is let go before this one is extracted: never two at once.
      lastExtracted = undefined;
      let got: LibarchiveEntry | undefined;
      try {
        got = await this.session.run(coreText('the extraction of {0}', slot.entry.path), (c) => c.extractSingleFile(target));
      } catch (e) {
        throw this.extractionError(e, slot.entry.path);
      }
      throwIfCancelled(token);
      const data = got?.fileData;
      if (!data) throw new ArchiveError('corrupt', coreText('{0} could not be found again in {1}', slot.entry.path, this.source), slot.entry.path);
      bytes = data instanceof Uint8Array ? data : new Uint8Array(data as ArrayBufferLike);
      // An analysis reads an entry's head, then the whole entry (or comes back to it later): the
      // next reads reuse this one.
      this.remember(target, bytes);
      // The worker's WebAssembly memory grew to hold the entry and never shrinks: after a large
      // entry a fresh worker serves the next call.
      if (bytes.length >= RECYCLE_AFTER_BYTES) this.session.recycle();
    }
    // Copies: the remembered bytes serve the next read, whatever a reader does with its chunks.
    for (let at = 0; at < bytes.length; at += STREAM_SLICE) yield bytes.slice(at, Math.min(bytes.length, at + STREAM_SLICE));
  }

  /** An entry of this archive extracted on its own earlier and still kept, or undefined. */
  private remembered(target: string): Uint8Array | undefined {
    const key = `${this.id}/${target}`;
    const kept = entryCache.get(key);
    if (kept) {
      // The most recently read last.
      entryCache.delete(key);
      entryCache.set(key, kept);
      return kept.bytes;
    }
    return lastExtracted?.owner === this && lastExtracted.target === target ? lastExtracted.bytes : undefined;
  }

  /** Keeps an entry just extracted: a small one in the cache, a larger one as the last. */
  private remember(target: string, bytes: Uint8Array): void {
    if (this.closed) return;
    if (!this.cache(target, bytes, true)) lastExtracted = { owner: this, target, bytes };
  }

  /**
   * Puts an entry of up to `CACHED_ENTRY_MAX` in the entry cache. `evict`: the least recently read
   * entries (of any archive) make room for it; otherwise it is kept only if there is room. False
   * when it is not kept.
   */
  private cache(target: string, bytes: Uint8Array, evict: boolean): boolean {
    const max = this.limits.maxEntryCacheSize;
    const key = `${this.id}/${target}`;
    if (entryCache.has(key)) return true;
    if (bytes.length > CACHED_ENTRY_MAX || bytes.length > max) return false;
    if (!evict && cachedBytes + bytes.length > max) return false;
    entryCache.set(key, { owner: this, target, bytes });
    this.cachedNames.add(target);
    cachedBytes += bytes.length;
    for (const [k, old] of entryCache) {
      if (cachedBytes <= max) break;
      uncache(k, old);
    }
    return true;
  }

  /**
   * The entry's bytes from the one pass (started here by the first read that finds room for it in
   * `maxOnePassTotal`), or undefined: extract it alone.
   */
  private async fromOnePass(target: string, token: Cancellation): Promise<Uint8Array | undefined> {
    if (!this.onePassAllowed) return undefined;
    if (!this.onePass) {
      if (!roomForPass(this, this.onePassBytes, this.limits.maxOnePassTotal)) return undefined;
      this.hold(this.onePassBytes);
      this.onePass = this.extractAll();
    }
    const all = await this.onePass;
    throwIfCancelled(token);
    if (heldPasses.delete(this)) heldPasses.add(this); // the most recently read last
    return all?.get(target);
  }

  /**
   * Gives the pass's room back (to another archive's pass, or on close): this archive extracts entry
   * by entry from now on. Its small entries go to the entry cache while there is room in it.
   */
  dropPass(): void {
    const passed = this.passed;
    this.onePassAllowed = false;
    this.onePass = undefined;
    this.passed = undefined;
    heldPasses.delete(this);
    this.hold(0);
    if (passed && !this.closed) for (const [target, bytes] of passed) this.cache(target, bytes, false);
  }

  /** Sets this archive's share of the process's one-pass budget (0 gives it back). */
  private hold(bytes: number): void {
    onePassHeld += bytes - this.held;
    this.held = bytes;
  }

  /** Every entry in one call to the worker; undefined (and no pass any more) when that fails. */
  private async extractAll(): Promise<OnePass | undefined> {
    let got: LibarchiveEntry[];
    try {
      got = await this.session.run(coreText('the extraction of every entry'), (c) => c.extractFiles());
    } catch {
      // Damaged data, an encrypted block, the time bound (the worker was stopped) or close():
      // each entry is extracted on its own from now on, and the failing one tells its own error.
      this.onePassAllowed = false;
      this.hold(0);
      return undefined;
    }
    if (this.closed) return undefined;
    // Only what a read can ask for is kept: readable file entries, by their stored name.
    const wanted = new Set<string>();
    for (const s of this.order) if (!s.entry.isDirectory && !s.entry.unreadable) wanted.add(s.ref as string);
    const kept: OnePass = new Map();
    for (const e of Array.isArray(got) ? got : []) {
      const name = e?.path;
      // The first entry of a name wins, as extractSingleFile finds it.
      if (typeof name !== 'string' || !wanted.has(name) || kept.has(name) || !e.fileData) continue;
      kept.set(name, e.fileData instanceof Uint8Array ? e.fileData : new Uint8Array(e.fileData as ArrayBufferLike));
    }
    // What the pass keeps, rather than what it declared, counts from now on.
    let keptBytes = 0;
    for (const b of kept.values()) keptBytes += b.length;
    this.hold(keptBytes);
    this.passed = kept;
    heldPasses.add(this);
    // The worker is needed again only for an entry the pass did not return: free its memory now.
    this.session.recycle();
    return kept;
  }

  /** A worker failure as this entry's ArchiveError. */
  private extractionError(e: unknown, entryPath: string): ArchiveError {
    if (e instanceof ArchiveError) return new ArchiveError(e.code, e.text ?? e.detail, entryPath);
    const m = errorMessage(e);
    if (/passphrase|encrypt/i.test(m)) return new ArchiveError('encrypted', coreText('{0} is encrypted (no password is asked for)', entryPath), entryPath);
    return new ArchiveError('corrupt', coreText('{0} cannot be extracted: {1}', entryPath, m), entryPath);
  }

  protected async release(): Promise<void> {
    this.dropPass();
    if (lastExtracted?.owner === this) lastExtracted = undefined;
    for (const target of [...this.cachedNames]) {
      const key = `${this.id}/${target}`;
      const kept = entryCache.get(key);
      if (kept) uncache(key, kept);
    }
    await this.session.close();
  }

  /** Called when the cache lets one of this archive's entries go. */
  forget(target: string): void {
    this.cachedNames.delete(target);
  }
}

/** Lets an entry of the cache go. */
function uncache(key: string, kept: { owner: LibarchiveArchive; target: string; bytes: Uint8Array }): void {
  entryCache.delete(key);
  cachedBytes -= kept.bytes.length;
  kept.owner.forget(kept.target);
}

// ---------------------------------------------------------------------------------------------
// Opening.

async function openLibarchive(format: ArchiveFormat, bytes: Uint8Array, source: string, depth: number, limits: Readonly<ArchiveLimits>, token: Cancellation, damaged?: CoreText): Promise<LibarchiveArchive> {
  if (bytes.length > limits.maxBufferedArchiveSize) {
    const size = bytesText(bytes.length);
    const max = bytesText(limits.maxBufferedArchiveSize);
    throw new ArchiveError(
      'too-large',
      format === '7z' ? coreText('{0} is {1}; a 7z archive is read in memory, up to {2}', source, size, max) : coreText('{0} is {1}; a damaged zip is read in memory, up to {2}', source, size, max),
    );
  }
  const archive = new LibarchiveArchive(format, bytes.length, new Blob([bytes]), source, depth, limits);
  try {
    await archive.list(token);
    if (archive.entries().length === 0 && archive.rejected().length === 0 && (damaged || bytes.length > 32)) {
      throw new ArchiveError('corrupt', damaged ? coreText('{0}: no entry could be listed ({1})', source, damaged) : coreText('{0}: no entry could be listed (the archive is damaged or truncated)', source));
    }
  } catch (e) {
    await archive.close();
    throw e;
  }
  if (damaged) archive.damagedText = damaged;
  return archive;
}

async function openZip(zip: yauzl.ZipFile, source: string, depth: number, limits: Readonly<ArchiveLimits>, token: Cancellation): Promise<ZipArchive> {
  const archive = new ZipArchive(zip, source, depth, limits);
  try {
    await archive.list(token);
  } catch (e) {
    await archive.close();
    throw e;
  }
  return archive;
}

/** The refusal of a file whose first bytes are neither a zip's nor a 7z's. */
function notAnArchive(source: string, head: Uint8Array): ArchiveError {
  const hex = Buffer.from(head.subarray(0, 8)).toString('hex');
  return new ArchiveError(
    'not-an-archive',
    hex ? coreText('{0} is neither a zip nor a 7z archive (it starts with {1})', source, hex) : coreText('{0} is neither a zip nor a 7z archive (it starts with nothing)', source),
  );
}

async function openArchiveBytes(bytes: Uint8Array, source: string, depth: number, limits: Readonly<ArchiveLimits>, token: Cancellation): Promise<Archive> {
  throwIfCancelled(token);
  const format = sniffArchive(bytes);
  if (!format) throw notAnArchive(source, bytes);
  if (format === '7z') return openLibarchive('7z', bytes, source, depth, limits, token);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromBufferPromise(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength), YAUZL_OPTIONS);
  } catch (e) {
    return openLibarchive('zip', bytes, source, depth, limits, token, coreText("the zip's central directory is unreadable ({0}); entries were read from their local headers", errorMessage(e)));
  }
  return openZip(zip, source, depth, limits, token);
}

/**
 * Opens an archive on disk, read-only, by its magic bytes. Throws `ArchiveError` when it cannot be
 * opened within the limits (see the module's comment for what refuses an entry and what refuses the archive).
 */
export async function openArchive(file: string, options: OpenArchiveOptions = {}): Promise<Archive> {
  const limits = resolveLimits(options.limits);
  const token = options.token ?? NEVER_CANCELLED;
  let size: number;
  try {
    const st = await fs.stat(file);
    if (!st.isFile()) throw new ArchiveError('not-found', coreText('{0} is not a file', file));
    size = st.size;
  } catch (e) {
    if (e instanceof ArchiveError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ArchiveError(code === 'ENOENT' || code === 'ENOTDIR' ? 'not-found' : 'unreadable', coreText('{0}: {1}', file, code ?? errorMessage(e)));
  }
  let head: Uint8Array;
  try {
    const handle = await fs.open(file, 'r');
    try {
      const buf = Buffer.alloc(8);
      const { bytesRead } = await handle.read(buf, 0, 8, 0);
      head = buf.subarray(0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (e) {
    throw new ArchiveError('unreadable', coreText('{0}: {1}', file, (e as NodeJS.ErrnoException).code ?? errorMessage(e)));
  }
  const format = sniffArchive(head);
  if (!format) throw notAnArchive(file, head);
  const loadWhole = async (damaged?: string): Promise<Uint8Array> => {
    if (size > limits.maxBufferedArchiveSize) {
      const [n, max] = [bytesText(size), bytesText(limits.maxBufferedArchiveSize)];
      if (format === '7z' || damaged === undefined) throw new ArchiveError('too-large', coreText('{0} is {1}; a 7z archive is read in memory, up to {2}', file, n, max));
      throw new ArchiveError('corrupt', coreText('{0} is {1}; the zip is damaged ({2}) and would have to be read in memory, up to {3}', file, n, damaged, max));
    }
    try {
      return await fs.readFile(file);
    } catch (e) {
      throw new ArchiveError('unreadable', coreText('{0}: {1}', file, (e as NodeJS.ErrnoException).code ?? errorMessage(e)));
    }
  };
  if (format === '7z') return openLibarchive('7z', await loadWhole(), file, 1, limits, token);
  const zip = await openZipFile(file, size);
  if ('failed' in zip) {
    const damaged = coreText("the zip's central directory is unreadable ({0}); entries were read from their local headers", zip.failed);
    return openLibarchive('zip', await loadWhole(zip.failed), file, 1, limits, token, damaged);
  }
  return openZip(zip, file, 1, limits, token);
}

/** Opens an archive held in memory (at most `maxNestedArchiveSize`), as level 1. */
export async function openArchiveFromBytes(bytes: Uint8Array, name: string, options: OpenArchiveOptions = {}): Promise<Archive> {
  const limits = resolveLimits(options.limits);
  if (bytes.length > limits.maxNestedArchiveSize) {
    throw new ArchiveError('too-large', coreText('{0} is {1} (the limit for an archive in memory is {2})', name, bytesText(bytes.length), bytesText(limits.maxNestedArchiveSize)));
  }
  return openArchiveBytes(bytes, name, 1, limits, options.token ?? NEVER_CANCELLED);
}
