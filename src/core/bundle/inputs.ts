import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { LogAnalyzer, type AnalyzeOptions, type LogAnalysis } from '../log/analyze';
import { versionFolderOf } from '../log/rules';
import { ArchiveError, openArchive, type Archive } from './archive';
import { archiveSource, failureReason, fileChunks, fileHead, folderSource, MountedSource, reasonArg, unreadableFor, type BundleSource, type SourceFile } from './source';
import { coreText, englishText, unreadablePart, type CoreText, type Unreadable } from '../text';
import { recogniseBundle, type RecognisedOutput } from './evidence';
import { buildInventory, type Inventory } from './inventory';
import { allFindings } from './rules';
import { stitchLogs, type LogSet } from '../log/stitch';
import { XML_LIMITS, xmlProblemFinding } from '../xml/read';
import { analyzeXmlText, policyUnreadableFinding, xmlRoleByRoot } from '../xml/rules';
import type { XmlRuleContext } from '../xml/types';
import { isHeaderLine } from '../log/entry';
import { ByteDecoder, splitLines } from '../text/lines';
import { CancelledError, NEVER_CANCELLED, throwIfCancelled, type Cancellation, type Finding } from '../types';

export type InputKind = 'folder' | 'zip' | '7z' | 'connector-log' | 'text' | 'binary';

/** Magic bytes (BRIEF §2.1: a `.7z` is often a zip; trust the bytes, not the name). */
const ZIP_MAGIC = [0x50, 0x4b, 0x03, 0x04];
const ZIP_EMPTY_MAGIC = [0x50, 0x4b, 0x05, 0x06];
const SEVEN_Z_MAGIC = [0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c];

/** How much of a file is read to tell what it is. */
const SNIFF_BYTES = 8192;

export class InputError extends Error {
  /** The detail in English (a system code, or core's sentence in English). */
  readonly detail: string;
  /** The detail as a sentence for renderers, when core worded it (`inputErrorMessage` translates it). */
  readonly text: CoreText | undefined;

  constructor(
    readonly code: 'not-found' | 'unreadable' | 'unsupported-archive' | 'too-large',
    detail: string | CoreText,
  ) {
    const english = typeof detail === 'string' ? detail : englishText(detail);
    super(`${code}: ${english}`);
    this.name = 'InputError';
    this.detail = english;
    this.text = typeof detail === 'string' ? undefined : detail;
  }

  /** The input error for what reading the input threw (see `failureReason`). */
  static unreadable(e: unknown): InputError {
    const r = failureReason(e);
    return new InputError('unreadable', r.reasonText ?? r.reason);
  }
}

function startsWith(bytes: Uint8Array, magic: number[]): boolean {
  return magic.every((b, i) => bytes[i] === b);
}

/** Tells what a file is from its first bytes. */
export function sniff(head: Uint8Array): InputKind {
  if (startsWith(head, ZIP_MAGIC) || startsWith(head, ZIP_EMPTY_MAGIC)) return 'zip';
  if (startsWith(head, SEVEN_Z_MAGIC)) return '7z';
  const decoder = new ByteDecoder();
  const text = decoder.push(head) + decoder.finish();
  const sample = text.slice(0, 4096);
  const controls = (sample.match(/[\u0000-\u0008\u000e-\u001f]/g) ?? []).length;
  if (sample.length > 0 && controls > sample.length * 0.05) return 'binary';
  // A connector log by its line shape (BRIEF §2.2: sfc.exe also names Windows' System File Checker).
  const lines = splitLines(sample).slice(0, 20);
  if (lines.some((l) => isHeaderLine(l.text))) return 'connector-log';
  return 'text';
}

const readHead = (file: string): Promise<Uint8Array> => fileHead(file, SNIFF_BYTES);

/**
 * Reads a file in chunks through one reused buffer, so memory stays bounded whatever the file's
 * size (256 KiB reads: see `fileChunks`). Each yielded view is valid until the next iteration.
 */
export const readChunks = fileChunks;

/** Streams a log file from disk through the analyzer: any size, bounded memory. */
export async function analyzeLogFile(file: string, options: { name?: string; token?: Cancellation; reference?: Date; onEvent?: AnalyzeOptions['onEvent'] } = {}): Promise<LogAnalysis> {
  const token = options.token ?? NEVER_CANCELLED;
  // The file's modification time anchors the year when the log itself writes no full date.
  let reference = options.reference;
  if (!reference) {
    try {
      reference = (await fs.stat(file)).mtime;
    } catch {
      reference = undefined;
    }
  }
  const analyzerOptions: AnalyzeOptions = { file: options.name ?? path.basename(file), path: file, token };
  if (reference) analyzerOptions.reference = reference;
  if (options.onEvent) analyzerOptions.onEvent = options.onEvent;
  return analyzeLogChunks(readChunks(file, token), analyzerOptions);
}

/** Streams a log's bytes (from disk or from inside an archive) through the analyzer. */
export async function analyzeLogChunks(chunks: AsyncIterable<Uint8Array>, options: AnalyzeOptions): Promise<LogAnalysis> {
  const analyzer = new LogAnalyzer(options);
  const decoder = new ByteDecoder();
  for await (const chunk of chunks) analyzer.push(decoder.push(chunk));
  analyzer.push(decoder.finish());
  return analyzer.finish();
}

export interface FileReport {
  /** Relative to the analysed root (or the file's name). */
  file: string;
  kind: InputKind;
  analysis?: LogAnalysis;
  /** For the connector's `local.xml` / `policy.xml`: which, and what its rules and reading found. */
  xml?: { role: 'local.xml' | 'policy.xml'; findings: Finding[] };
}

export interface PathAnalysis {
  root: string;
  kind: InputKind;
  files: FileReport[];
  findings: Finding[];
  /** The connector logs as timelines: rotated files stitched, one set per version folder, newest version first. */
  logSets: LogSet[];
  /** Command outputs and console texts recognised by content in the bundle's text files (BRIEF §2.5). */
  outputs?: RecognisedOutput[];
  /** What the bundle holds, and what is missing for the case with how to collect it. */
  inventory?: Inventory;
  /**
   * Every finding of the bundle as one list: the logs' (merged per timeline), local.xml's and
   * policy.xml's, related to each other across files, then the cross-file rules' findings.
   */
  bundleFindings?: Finding[];
  /** Set when the walk stopped at a bound. */
  incomplete?: 'depth' | 'entries';
  /** Files and folders that could not be read (relative, with the reason in English and as a sentence for renderers). */
  unreadable: Unreadable[];
}

/** Names that are connector logs even before their content is read (rotated names accepted). */
export function isConnectorLogName(name: string): boolean {
  // sfc.exe.log, sfc.exe.log.1, sfc.exe.1.log, sfc.exe.log.old (BRIEF §2.2: rotated names unconfirmed)
  return /^sfc\.exe(?:[._][\w-]+)?\.log(?:\.[\w-]+)?$/i.test(name);
}

/**
 * Analyses a file or a folder on disk. A folder is walked (bounded, links not followed) and every
 * connector log found by name or by content is analysed. Archives are recognised by their magic
 * bytes; reading inside them is not supported yet and raises `InputError('unsupported-archive')`.
 */
export async function analyzePath(target: string, token: Cancellation = NEVER_CANCELLED): Promise<PathAnalysis> {
  let stat;
  try {
    stat = await fs.stat(target);
  } catch (e) {
    throw new InputError('not-found', (e as NodeJS.ErrnoException).code ?? String(e));
  }
  if (stat.isDirectory()) return analyzeFolder(target, token);
  let head: Uint8Array;
  try {
    head = await readHead(target);
  } catch (e) {
    throw new InputError('unreadable', (e as NodeJS.ErrnoException).code ?? String(e));
  }
  const kind = sniff(head);
  if (kind === 'zip' || kind === '7z') return analyzeArchive(target, token);
  const report: FileReport = { file: path.basename(target), kind };
  if (kind === 'connector-log' || isConnectorLogName(path.basename(target))) {
    report.kind = 'connector-log';
    report.analysis = await analyzeLogFile(target, { token });
  }
  const logSets = report.analysis ? stitchLogs([{ file: report.file, analysis: report.analysis }]) : [];
  const single: PathAnalysis = { root: target, kind, files: [report], findings: report.analysis?.findings ?? [], logSets, unreadable: [] };
  const beside = folderSource(path.dirname(target));
  await recogniseOutputs(beside, single, token);
  if (!report.analysis) await analyzeXmlFiles(beside, single, token, false);
  conclude(single);
  return single;
}

/** XML read from disk at most this many bytes (the reader's own character bound applies too). */
export const MAX_XML_BYTES = XML_LIMITS.maxChars * 2;

/** A text from its chunks, decoded (any encoding the byte decoder knows), at most `maxBytes` of it. */
export async function readTextBounded(chunks: AsyncIterable<Uint8Array>, maxBytes: number): Promise<string> {
  const decoder = new ByteDecoder();
  let text = '';
  let read = 0;
  for await (const chunk of chunks) {
    text += decoder.push(chunk);
    read += chunk.length;
    if (read >= maxBytes) return text;
  }
  return text + decoder.finish();
}

/**
 * The connector's state and policy files of a folder, with what the logs say around them: the
 * newest connector version (policy.xml is unreadable from 8.1.3 on, BRIEF §2.1) and whether
 * revocation failures were seen (the CRL setting then matters, BRIEF §4.1 step 6).
 */
async function analyzeXmlFiles(source: BundleSource, result: PathAnalysis, token: Cancellation, wholeBundle = true): Promise<void> {
  const connectorVersion = result.logSets.find((s) => s.version)?.version;
  const revocationFailuresSeen =
    result.files.some((f) => (f.analysis?.revocationCount ?? 0) > 0) ||
    (result.outputs ?? []).some((o) => o.id === 'curl.verbose' && (o.data as { revocation?: boolean }).revocation === true);
  let policyReadable = false;
  let policySeen: string | undefined;
  // Which files are the connector's: by name, else by the root element in their first bytes
  // (an event-log export or any other XML is never parsed whole).
  const candidates: Array<{ report: FileReport; role: 'local.xml' | 'policy.xml' }> = [];
  for (const report of result.files) {
    const base = path.posix.basename(report.file).toLowerCase();
    if (base === 'policy.xml') policySeen = report.file; // binary or encrypted counts as seen, unreadable
    if (report.kind !== 'text' || !/\.(xml|old)$/.test(base)) continue;
    let role: 'local.xml' | 'policy.xml' | undefined = base === 'policy.xml' ? 'policy.xml' : base === 'local.xml' || base === 'local.old' ? 'local.xml' : undefined;
    if (!role) {
      try {
        const head = await source.head(report.file, SNIFF_BYTES);
        const decoder = new ByteDecoder();
        role = xmlRoleByRoot(decoder.push(head) + decoder.finish());
      } catch {
        role = undefined;
      }
    }
    if (role) candidates.push({ report, role });
  }
  // Policies first: their TETRA update server fills the commands local.xml's findings suggest.
  candidates.sort((a, b) => (a.role === b.role ? 0 : a.role === 'policy.xml' ? -1 : 1));
  let tetraUpdateServer: string | undefined;
  for (const { report } of candidates) {
    throwIfCancelled(token);
    let text: string;
    try {
      text = await readTextBounded(source.chunks(report.file, token), MAX_XML_BYTES);
    } catch (e) {
      result.unreadable.push(unreadableFor(report.file, e));
      continue;
    }
    const context: Partial<XmlRuleContext> = { file: report.file, revocationFailuresSeen };
    const version = versionFolderOf(report.file) ?? connectorVersion;
    if (version) context.connectorVersion = version;
    if (tetraUpdateServer) context.tetraUpdateServer = tetraUpdateServer;
    const r = analyzeXmlText(text, report.file, context);
    if (r.role === 'other') continue;
    const problems = r.doc.problems.filter((p) => p.severity === 'error').map((p) => xmlProblemFinding(p, report.file));
    report.xml = { role: r.role, findings: [...problems, ...r.findings] };
    result.findings.push(...report.xml.findings);
    if (r.role === 'policy.xml' && r.model?.kind === 'policy.xml') {
      if (r.doc.root) policyReadable = true;
      tetraUpdateServer ??= r.model.tetraUpdateServer?.value;
    }
  }
  if (wholeBundle && !policyReadable) {
    const f = policyUnreadableFinding(policySeen ?? '', connectorVersion, policySeen ? 'unreadable' : 'missing');
    if (f) result.findings.push(f);
  }
}

/** Command outputs recognised by content, the inventory, and the rules across files. */
async function recogniseOutputs(source: BundleSource, result: PathAnalysis, token: Cancellation): Promise<void> {
  const { outputs, unreadable } = await recogniseBundle(result, token, (rel) => source.chunks(rel, token));
  result.unreadable.push(...unreadable);
  result.outputs = outputs;
}

function conclude(result: PathAnalysis): void {
  const outputs = result.outputs ?? [];
  result.inventory = buildInventory(result, outputs);
  result.bundleFindings = allFindings(result, outputs, result.inventory);
}

async function analyzeFolder(root: string, token: Cancellation): Promise<PathAnalysis> {
  return analyzeSource(folderSource(root), token);
}

/**
 * A support bundle archive read in place (BRIEF §2.1: zip, a zip named `.7z`, a real 7z; by magic
 * bytes): the same analysis as a folder, never extracted to disk, within the archive's limits.
 */
async function analyzeArchive(target: string, token: Cancellation): Promise<PathAnalysis> {
  let archive: Archive;
  try {
    archive = await openArchive(target, { token });
  } catch (e) {
    if (e instanceof ArchiveError) throw InputError.unreadable(e);
    throw e;
  }
  try {
    return await analyzeSource(archiveSource(archive, target), token);
  } finally {
    await archive.close();
  }
}

/** Walks a bundle's files (a folder or an archive): logs, then XML, then everything across files. */
/** Archives inside a bundle are read too, this many levels down (the archive limits apply within). */
const MAX_NESTED_BUNDLES = 2;

async function analyzeSource(outer: BundleSource, token: Cancellation): Promise<PathAnalysis> {
  const source = new MountedSource(outer);
  const result: PathAnalysis = { root: outer.root, kind: outer.kind, files: [], findings: [], logSets: [], unreadable: [] };
  const closers: Array<() => Promise<void>> = [];
  const walk = async (src: BundleSource, prefix: string, level: number): Promise<void> => {
    // Archives inside are read once this level is walked: a folder of the same name as one (an
    // entry `logs.zip/x.txt` beside `logs.zip`) keeps its files, and the archive is not read
    // (as the mounted view shows it: the folder wins).
    const nested: Array<{ f: SourceFile; rel: string; kind: InputKind }> = [];
    const folders = new Set<string>();
    for await (const f of src.files(token)) {
      const rel = prefix ? `${prefix}/${f.rel}` : f.rel;
      for (let i = rel.indexOf('/'); i > 0; i = rel.indexOf('/', i + 1)) folders.add(rel.slice(0, i));
      let kind: InputKind;
      try {
        kind = sniff(await src.head(f.rel, SNIFF_BYTES));
      } catch (err) {
        if (err instanceof CancelledError) throw err;
        result.unreadable.push(unreadableFor(rel, err));
        continue;
      }
      const name = path.posix.basename(f.rel);
      if (kind === 'connector-log' || (isConnectorLogName(name) && kind === 'text')) {
        const options: AnalyzeOptions = { file: rel, path: f.full ?? rel, token };
        if (f.modified) options.reference = f.modified;
        try {
          const analysis = await analyzeLogChunks(src.chunks(f.rel, token), options);
          result.files.push({ file: rel, kind: 'connector-log', analysis });
          result.findings.push(...analysis.findings);
        } catch (err) {
          if (err instanceof CancelledError) throw err;
          result.unreadable.push(unreadableFor(rel, err));
        }
        continue;
      }
      result.files.push({ file: rel, kind });
      if (kind === 'zip' || kind === '7z') nested.push({ f, rel, kind });
    }
    for (const { f, rel, kind } of nested) {
      // An archive inside the bundle (or dropped in the case folder): its files join the analysis
      // under its name (`logs.zip/Program Files/…`), within the nesting and archive limits.
      if (level >= MAX_NESTED_BUNDLES) {
        result.unreadable.push(unreadablePart(rel, coreText('nested {0} archive: deeper than {1} levels, not analysed', kind, MAX_NESTED_BUNDLES)));
        continue;
      }
      if (folders.has(rel)) {
        result.unreadable.push(unreadablePart(rel, coreText('nested {0} archive not read: the bundle also has a folder named {1}', kind, path.posix.basename(rel))));
        continue;
      }
      try {
        const inner = await src.nested(f.rel, token);
        closers.push(inner.close);
        source.mount(rel, inner.source);
        await walk(inner.source, rel, level + 1);
        for (const u of inner.source.unreadable) result.unreadable.push({ ...u, file: `${rel}/${u.file}` });
      } catch (err) {
        if (err instanceof CancelledError) throw err;
        result.unreadable.push(unreadablePart(rel, coreText('nested {0} archive not read: {1}', kind, reasonArg(failureReason(err)))));
      }
    }
  };
  try {
    try {
      await walk(outer, '', 0);
    } catch (e) {
      if (e instanceof CancelledError) throw e;
      throw InputError.unreadable(e);
    }
    if (outer.incomplete) result.incomplete = outer.incomplete;
    result.logSets = stitchLogs(result.files.flatMap((f) => (f.analysis ? [{ file: f.file, analysis: f.analysis }] : [])));
    // Outputs first: a pasted curl -v with 0x80092013 makes the policy's CRL setting matter too.
    await recogniseOutputs(source, result, token);
    await analyzeXmlFiles(source, result, token);
    conclude(result);
    result.unreadable.unshift(...outer.unreadable);
    return result;
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}
