import { TextDecoder } from 'node:util';

/**
 * Streaming text input for every parser: bytes → text (UTF-8, UTF-8 with BOM, UTF-16 LE/BE with
 * BOM or detected by its NUL pattern) → lines (LF, CRLF or lone CR), with a bound on line length so
 * a single line of megabytes costs bounded memory. Nothing here reads files: callers feed chunks.
 */

export type TextEncodingName = 'utf-8' | 'utf-16le' | 'utf-16be';

export interface Line {
  /** Zero-based line number in the input. */
  index: number;
  /** The text, without its line break; at most `maxLineLength` characters. */
  text: string;
  /** True when the line was longer than `maxLineLength` and `text` holds only its start. */
  truncated: boolean;
  /** The line's full length in characters (larger than `text.length` when truncated). */
  length: number;
}

/** Lines longer than this keep their first part only (for analysis; the file itself is untouched). */
export const DEFAULT_MAX_LINE_LENGTH = 64 * 1024;

/** Detects the encoding from the first bytes (BOM, or the NUL pattern of BOM-less UTF-16). */
export function detectEncoding(head: Uint8Array): { encoding: TextEncodingName; bomLength: number } {
  if (head.length >= 3 && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf-8', bomLength: 3 };
  if (head.length >= 2 && head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (head.length >= 2 && head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };
  // No BOM: text that is mostly ASCII in UTF-16 has a NUL in every other byte.
  const n = Math.min(head.length, 512) & ~1;
  if (n >= 8) {
    let evenNul = 0;
    let oddNul = 0;
    for (let i = 0; i < n; i += 2) {
      if (head[i] === 0) evenNul++;
      if (head[i + 1] === 0) oddNul++;
    }
    const pairs = n / 2;
    if (oddNul > pairs * 0.6 && evenNul < pairs * 0.1) return { encoding: 'utf-16le', bomLength: 0 };
    if (evenNul > pairs * 0.6 && oddNul < pairs * 0.1) return { encoding: 'utf-16be', bomLength: 0 };
  }
  return { encoding: 'utf-8', bomLength: 0 };
}

/**
 * Where the complete UTF-8 sequences of `b` end: a sequence cut by the chunk's end is left for the
 * next chunk (looks back at most 3 bytes).
 */
export function completeUtf8End(b: Uint8Array): number {
  for (let k = 1; k <= 3 && k <= b.length; k++) {
    const c = b[b.length - k]!;
    if ((c & 0xc0) === 0x80) continue; // a continuation byte: look further back for its lead
    const need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
    return need > k ? b.length - k : b.length;
  }
  return b.length;
}

/** Node's UTF-8 decoder (about twice TextDecoder's speed on logs), where there is one. */
const NodeBuffer = typeof Buffer === 'function' ? Buffer : undefined;

/** Turns byte chunks into text chunks, detecting the encoding from the first chunk. */
export class ByteDecoder {
  private decoder: TextDecoder | undefined;
  private pendingHead: Uint8Array | undefined = new Uint8Array(0);
  /** UTF-8 bytes of a sequence cut by the previous chunk's end (a copy: callers reuse their buffers). */
  private carry: Uint8Array | undefined;
  private fastUtf8 = false;
  encoding: TextEncodingName = 'utf-8';

  /** Returns the text decoded so far (possibly empty while the first bytes are gathered). */
  push(bytes: Uint8Array): string {
    if (this.pendingHead) {
      const merged = new Uint8Array(this.pendingHead.length + bytes.length);
      merged.set(this.pendingHead);
      merged.set(bytes, this.pendingHead.length);
      if (merged.length < 8) {
        this.pendingHead = merged;
        return '';
      }
      this.pendingHead = undefined;
      return this.start(merged);
    }
    return this.fastUtf8 ? this.utf8(bytes) : this.decoder!.decode(bytes, { stream: true });
  }

  finish(): string {
    if (this.pendingHead) {
      const head = this.pendingHead;
      this.pendingHead = undefined;
      return this.start(head) + this.finish();
    }
    if (this.fastUtf8) {
      const rest = this.carry;
      this.carry = undefined;
      // An incomplete sequence at the very end becomes U+FFFD, as TextDecoder would make it.
      return rest ? NodeBuffer!.from(rest.buffer, rest.byteOffset, rest.length).toString('utf8') : '';
    }
    return this.decoder ? this.decoder.decode() : '';
  }

  private start(head: Uint8Array): string {
    const { encoding, bomLength } = detectEncoding(head);
    this.encoding = encoding;
    const body = head.subarray(bomLength);
    if (encoding === 'utf-8' && NodeBuffer) {
      this.fastUtf8 = true;
      return this.utf8(body);
    }
    // fatal: false — invalid bytes become U+FFFD instead of aborting: garbage is survived, not fatal.
    this.decoder = new TextDecoder(encoding, { fatal: false, ignoreBOM: true });
    return this.decoder.decode(body, { stream: true });
  }

  private utf8(bytes: Uint8Array): string {
    let b = bytes;
    if (this.carry) {
      const merged = new Uint8Array(this.carry.length + bytes.length);
      merged.set(this.carry);
      merged.set(bytes, this.carry.length);
      b = merged;
      this.carry = undefined;
    }
    const end = completeUtf8End(b);
    // A copy (`Buffer#slice` would be a view into the caller's reused buffer).
    if (end < b.length) this.carry = Uint8Array.from(b.subarray(end));
    return end === 0 ? '' : NodeBuffer!.from(b.buffer, b.byteOffset, end).toString('utf8');
  }
}

/** Splits text chunks into lines, across chunk boundaries, bounding each line's kept length. */
export class LineSplitter {
  private buffer = '';
  private bufferLength = 0;
  private truncated = false;
  private index = 0;
  private pendingCR = false;

  constructor(
    private readonly onLine: (line: Line) => void,
    private readonly maxLineLength = DEFAULT_MAX_LINE_LENGTH,
  ) {}

  push(text: string): void {
    let i = 0;
    if (this.pendingCR) {
      this.pendingCR = false;
      if (text.startsWith('\n')) i = 1; // the LF of a CRLF split across chunks
    }
    const length = text.length;
    // The next LF and CR, each found with one native search and reused until passed.
    let lf = text.indexOf('\n', i);
    // `includes` first: measured 10× faster overall than an `indexOf('\r', i)` that finds nothing
    // (V8 takes a slow path for the latter on chunk strings); most logs have no CR at all.
    let cr = text.includes('\r') ? text.indexOf('\r', i) : -1;
    while (i < length) {
      if (lf !== -1 && lf < i) lf = text.indexOf('\n', i);
      if (cr !== -1 && cr < i) cr = text.indexOf('\r', i);
      const nl = lf === -1 ? cr : cr === -1 ? lf : lf < cr ? lf : cr;
      if (nl < 0) {
        this.append(text, i, length);
        return;
      }
      this.append(text, i, nl);
      this.emit();
      if (nl === cr) {
        if (nl + 1 < length) i = text.charCodeAt(nl + 1) === 10 ? nl + 2 : nl + 1;
        else {
          this.pendingCR = true;
          i = nl + 1;
        }
      } else i = nl + 1;
    }
  }

  /** Emits the last line if the text did not end with a line break. Returns the number of lines. */
  finish(): number {
    if (this.bufferLength > 0) this.emit();
    return this.index;
  }

  private append(text: string, from: number, to: number): void {
    if (this.bufferLength === 0 && to - from <= this.maxLineLength) {
      this.buffer = text.slice(from, to); // the common case: a whole line inside one chunk
      this.bufferLength = to - from;
      return;
    }
    const room = this.maxLineLength - this.buffer.length;
    if (room > 0) this.buffer += text.slice(from, Math.min(to, from + room));
    if (to - from > room) this.truncated = true;
    this.bufferLength += to - from;
  }

  private emit(): void {
    this.onLine({ index: this.index++, text: this.buffer, truncated: this.truncated, length: this.bufferLength });
    this.buffer = '';
    this.bufferLength = 0;
    this.truncated = false;
  }
}

/**
 * A copy of `s` that does not share memory with the text it was cut from. V8 represents slices
 * and concatenations as views of their parent, so a short string kept from a streamed chunk
 * would keep the whole chunk alive: every string a parser keeps past the current chunk goes
 * through here (measured: without it a 400 MB log kept over 100 MB of chunks alive).
 */
export function detach(s: string): string {
  return s.length === 0 ? '' : (' ' + s).slice(1);
}

/** All lines of an in-memory text (an open document). */
export function splitLines(text: string, maxLineLength = DEFAULT_MAX_LINE_LENGTH): Line[] {
  const lines: Line[] = [];
  const splitter = new LineSplitter((l) => lines.push(l), maxLineLength);
  splitter.push(text);
  splitter.finish();
  return lines;
}
