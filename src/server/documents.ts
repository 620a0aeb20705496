import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { isConnectorLogName } from '../core/bundle/inputs';
import { LogAnalyzer, type AnalyzeOptions, type LogAnalysis } from '../core/log/analyze';
import { isHeaderLine } from '../core/log/entry';
import { CancelledError, throwIfCancelled, type Cancellation } from '../core/types';
import type { CancellationToken } from 'vscode-languageserver';
import { SLICE_SCHEME } from '../shared/protocol';
import { xmlRoleByRoot } from '../core/xml/rules';
export { xmlRoleByRoot };

export type DocumentRole = 'connector-log' | 'local.xml' | 'policy.xml' | 'other';

export const LOG_LANGUAGE_ID = 'secure-endpoint-log';

export function baseName(uri: string): string {
  try {
    return path.posix.basename(decodeURIComponent(new URL(uri).pathname));
  } catch {
    return path.posix.basename(uri);
  }
}

/** What a document is: by language id, then by name, then by its first line's shape. */
export function roleOf(doc: TextDocument): DocumentRole {
  const name = baseName(doc.uri).toLowerCase();
  if (doc.languageId === LOG_LANGUAGE_ID || isConnectorLogName(name)) return 'connector-log';
  if (name === 'local.xml' || name === 'local.old') return 'local.xml';
  if (name === 'policy.xml') return 'policy.xml';
  const first = doc.getText({ start: { line: 0, character: 0 }, end: { line: 0, character: 256 } });
  if (isHeaderLine(first)) return 'connector-log';
  // A copy under another name (`local.old`, `policy.xml.bak`, a pasted buffer): by its root element.
  return xmlRoleByRoot(doc.getText({ start: { line: 0, character: 0 }, end: doc.positionAt(ROOT_SNIFF) })) ?? 'other';
}

/** Characters read to find the root element of a document not named local.xml / policy.xml. */
const ROOT_SNIFF = 4096;


/** Text is fed to the analyzer in slices, yielding between them so `$/cancelRequest` is seen. */
const SLICE = 512 * 1024;

const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Parse results cached by URI and version: hover, diagnostics and the Diagnose request share one
 * analysis per document version. The shared analysis has its own cancellation (set when a newer
 * version or a close supersedes it); each caller stops waiting on its own token, so cancelling
 * one request never cancels the analysis another request is waiting for.
 */
export class AnalysisCache {
  private readonly entries = new Map<string, { version: number; result: Promise<LogAnalysis>; cancel: { isCancellationRequested: boolean } }>();

  get(doc: TextDocument, token: CancellationToken): Promise<LogAnalysis> {
    let entry = this.entries.get(doc.uri);
    if (!entry || entry.version !== doc.version) {
      if (entry) entry.cancel.isCancellationRequested = true;
      const cancel = { isCancellationRequested: false };
      const result = analyzeDocument(doc, cancel);
      const created = { version: doc.version, result, cancel };
      this.entries.set(doc.uri, created);
      // A superseded or failed run must not stay cached for the next caller.
      result.catch(() => {
        if (this.entries.get(doc.uri) === created) this.entries.delete(doc.uri);
      });
      entry = created;
    }
    return untilCancelled(entry.result, token);
  }

  delete(uri: string): void {
    const entry = this.entries.get(uri);
    if (entry) entry.cancel.isCancellationRequested = true;
    this.entries.delete(uri);
  }
}

/** Resolves with `work`, or rejects with CancelledError as soon as the caller's token is cancelled. */
function untilCancelled<T>(work: Promise<T>, token: CancellationToken): Promise<T> {
  if (token.isCancellationRequested) return Promise.reject(new CancelledError());
  return new Promise<T>((resolve, reject) => {
    const sub = token.onCancellationRequested(() => {
      sub.dispose();
      reject(new CancelledError());
    });
    work.then(
      (v) => {
        sub.dispose();
        resolve(v);
      },
      (e: unknown) => {
        sub.dispose();
        reject(e);
      },
    );
  });
}

/** The path of a `file:` URI (or of any URI with a path), for version folders and file times. */
export function uriPath(uri: string): string | undefined {
  try {
    const u = new URL(uri);
    if (u.protocol === 'file:') return fileURLToPath(u);
    return decodeURIComponent(u.pathname);
  } catch {
    return undefined;
  }
}

async function analyzeDocument(doc: TextDocument, token: Cancellation): Promise<LogAnalysis> {
  const text = doc.getText();
  const options: AnalyzeOptions = { file: baseName(doc.uri), token };
  // A slice of a large log is an excerpt: nothing is concluded from what it leaves out.
  if (doc.uri.startsWith(`${SLICE_SCHEME}:`)) options.excerpt = true;
  const p = uriPath(doc.uri);
  if (p) options.path = p;
  // A file on disk: its modification time anchors the year when the log writes no full date.
  if (doc.uri.startsWith('file:') && p) {
    try {
      options.reference = (await fs.stat(p)).mtime;
    } catch {
      // unsaved or gone: no reference
    }
  }
  const analyzer = new LogAnalyzer(options);
  for (let i = 0; i < text.length; i += SLICE) {
    if (i > 0) await yieldToEventLoop();
    throwIfCancelled(token);
    analyzer.push(text.slice(i, i + SLICE));
  }
  return analyzer.finish();
}

/**
 * How often the same 32 bits occur in a document, in any of the forms they are written in
 * (unsigned, signed, `0x` hex with or without leading zeros, bare hex). One regular-expression
 * pass per value and document version, cached.
 */
export class OccurrenceCounter {
  private readonly cache = new Map<string, { version: number; counts: Map<string, number>; pending: Set<string> }>();

  /**
   * The count, or undefined while it is being computed. Small documents are counted at once; in
   * large ones (a 40 MB log takes ~20 ms per value) the count runs in the background in slices,
   * so the hover never waits for it, and the next hover of the same value shows it.
   */
  count(doc: TextDocument, forms: string[]): number | undefined {
    let entry = this.cache.get(doc.uri);
    if (!entry || entry.version !== doc.version) {
      entry = { version: doc.version, counts: new Map(), pending: new Set() };
      this.cache.set(doc.uri, entry);
    }
    const key = forms.join('|');
    const n = entry.counts.get(key);
    if (n !== undefined) return n;
    // Forms are digits, `-digits` or `0x0*hex`: safe as regular-expression source.
    const re = new RegExp(`(?<![\\w.:-])(?:${forms.join('|')})(?![\\w]|[.:]\\d)`, 'gi');
    const text = doc.getText();
    if (text.length <= SYNC_COUNT_LIMIT) {
      let found = 0;
      for (const _ of text.matchAll(re)) found++;
      entry.counts.set(key, found);
      return found;
    }
    if (!entry.pending.has(key)) {
      entry.pending.add(key);
      const target = entry;
      this.queue.push({
        text,
        re,
        found: 0,
        at: 0,
        current: () => this.cache.get(doc.uri) === target,
        done: (found) => {
          target.pending.delete(key);
          target.counts.set(key, found);
        },
      });
      this.run();
    }
    return undefined;
  }

  /** Background counts, one at a time, one small slice per turn of the event loop. */
  private readonly queue: CountJob[] = [];
  private running = false;

  private run(): void {
    if (this.running) return;
    this.running = true;
    const step = () => {
      // Jobs of a version that changed or a document that closed are dropped (and their text freed).
      while (this.queue[0] && !this.queue[0].current()) this.queue.shift();
      const job = this.queue[0];
      if (!job) {
        this.running = false;
        return;
      }
      const end = sliceEnd(job.text, job.at);
      for (const _ of job.text.slice(job.at, end).matchAll(job.re)) job.found++;
      job.at = end;
      if (job.at >= job.text.length) {
        this.queue.shift();
        job.done(job.found);
      }
      setImmediate(step);
    };
    setImmediate(step);
  }

  delete(uri: string): void {
    this.cache.delete(uri);
  }
}

/** Documents up to this many characters are counted during the hover (well under 5 ms). */
const SYNC_COUNT_LIMIT = 2 * 1024 * 1024;
/** About 0.1 ms of matching: a hover never waits longer than one slice. */
const COUNT_SLICE = 256 * 1024;

interface CountJob {
  text: string;
  re: RegExp;
  found: number;
  at: number;
  current: () => boolean;
  done: (found: number) => void;
}

/**
 * Where a counting slice starting at `at` ends: just after a character no written number touches
 * (the pattern's look-arounds see `[\w.:-]` only), found within a short margin past the slice
 * size, so a slice never cuts a number and never grows with the line length (a 40 MB line, or CR
 * line ends, cost one slice like any other). A run with no such character is cut where it is.
 */
function sliceEnd(text: string, at: number): number {
  const target = at + COUNT_SLICE;
  if (target >= text.length) return text.length;
  const limit = Math.min(text.length, target + 256);
  for (let i = target; i < limit; i++) if (!/[\w.:\-]/.test(text[i]!)) return i + 1;
  return target;
}

/** The forms a 32-bit value is written in, for counting. */
export function writtenForms(unsigned: number, signed: number, bareHex: boolean): string[] {
  const hex = unsigned.toString(16);
  const forms = [String(unsigned), `0x0*${hex}`];
  if (signed < 0) forms.push(String(signed));
  if (bareHex) forms.push(hex.padStart(8, '0'));
  return forms;
}
