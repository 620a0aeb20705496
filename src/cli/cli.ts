/**
 * `bundle-lens`: the command-line front end over core.
 *
 *   bundle-lens decode <value> [--context <hint>] [--json]
 *   bundle-lens diagnose <file|folder|archive> [--json | --format json|markdown] [--playbook tetra|isolation|all]
 *   bundle-lens tune <file|folder|archive> [--from "<Mon DD HH:MM:SS>"] [--to "<Mon DD HH:MM:SS>"] [--top N] [--json]
 *
 * Exit codes: 0 done (diagnose: no error-level finding); 1 diagnose found error-level findings;
 * 2 bad usage, or input that cannot be read or parsed (the reason is on stderr).
 */
import * as l10n from '@vscode/l10n';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { analyzePath, InputError } from '../core/bundle/inputs';
import { decode, hintFromText, HINT_IDS, scanNumbers, type ContextHint, type Decoded } from '../core/codes';
import { CancelledError } from '../core/types';
import { parseLogTime } from '../core/log/year';
import { MAX_TOP, tunePath, TuneOptionError } from '../core/tune';
import { tuneMarkdown } from '../shared/render-tune';
import type { DiagnoseResult, DiagnosisView } from '../shared/protocol';
import { diagnoseResult } from '../shared/report';
import { VERSION } from '../shared/version';
import { LANGUAGES, languageOf, localeFromEnv, useLanguage, type Language } from '../shared/locale';
import { confidenceText, decodedSummary, hresultFieldsText, inputErrorMessage, readingViews, unreadableReason, viaText } from '../shared/render';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;


function usage(): string {
  return [
    l10n.t('Usage:'),
    '  bundle-lens decode <value> [--context <text>] [--json]',
    indent(
      l10n.t(
        'Every reading of a number: unsigned, signed, hex, HRESULT fields, and every known meaning, best first. <value>: 4294965193, -3000, 0x80092013, 8009201a (bare hex). <text>: the words before the number where it was found, e.g. "last err code -", "schannel: next InitializeSecurityContext failed: Unknown error (", "publishing type=", or one of: {0}.',
        HINT_IDS.join(', '),
      ),
    ),
    '  bundle-lens diagnose <file|folder|archive> [--json | --format json|markdown] [--playbook tetra|isolation|all]',
    indent(
      l10n.t(
        'Analyse a connector log, a bundle folder or a bundle archive and report what is found: the readable report (markdown, the default; --playbook chooses which diagnosis leads it, both by default), or JSON {0}.',
        '{ bundle: { inventory }, findings: [{ id, severity, title, evidence: [{ file, line, text }], actions: [command] }], tetra: { verdict, steps: [{ id, status, evidence }], actions }, isolation: { verdict, steps, actions } }',
      ),
    ),
    '  bundle-lens tune <file|folder|archive> [--from "<Mon DD HH:MM:SS>"] [--to "<Mon DD HH:MM:SS>"] [--top N] [--json]',
    indent(
      l10n.t(
        "Performance tuning from the debug lines of the connector logs (rotated logs stitched): top processes, files, folders and extensions, events per minute, the policy's exclusions matched against that activity, and candidate exclusions with their cautions. --from/--to: a time window as the log writes times (Aug 04 07:30:23), inclusive; --top: entries per list (10). A log without debug lines gets the commands that collect one. --json prints the result {0}.",
        '{ status, sets: [{ processes, files, folders, extensions, timeline, suggestions, … }], policy }',
      ),
    ),
    '',
    indent(l10n.t('Every command: --lang {0} chooses the language of the words (default: LC_ALL, LC_MESSAGES or LANG; English otherwise). JSON keys and ids are never translated.', ['en', ...LANGUAGES].join('|')), 0),
    indent(l10n.t('Exit codes: 0 done; 1 diagnose found error-level findings; 2 bad usage or unreadable input.'), 0),
  ].join('\n');
}

/**
 * Wraps a paragraph at 96 columns, indented by `pad`: the usage text's shape in every language.
 * Breaks at spaces, and between two Japanese or Chinese characters (written without spaces), never
 * before closing punctuation (`。`, `）`, `ー`, `.`) nor after opening punctuation (`（`, `「`).
 * Korean breaks at spaces only, like English. CJK and Hangul characters count two columns.
 */
function indent(text: string, pad = 6): string {
  const width = 96;
  const WIDE = /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/;
  const columns = (s: string) => [...s].reduce((n, c) => n + (WIDE.test(c) ? 2 : 1), 0);
  const CLOSING = /^[、。，．！？：；）」』】〉》ー・々〜)\]}.,!?:;%]/;
  const OPENING = /[（「『【〈《(\[{]$/;
  // Atoms: a space; one Japanese or Chinese character; a run of anything else but spaces (ASCII and
  // Hangul words). Then no break before a closing atom or after an opening one: merged.
  const atoms = text.match(/ |[\u2e80-\ua4cf\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]|[^ \u2e80-\ua4cf\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]+/g) ?? [];
  const units: string[] = [];
  for (const atom of atoms) {
    const last = units[units.length - 1];
    if (last !== undefined && last !== ' ' && atom !== ' ' && (CLOSING.test(atom) || OPENING.test(last))) units[units.length - 1] = last + atom;
    else units.push(atom);
  }
  const lines: string[] = [];
  let line = '';
  for (const unit of units) {
    if (unit === ' ') {
      if (line) line += ' ';
      continue;
    }
    if (line.trim() && columns(line) + columns(unit) > width) {
      lines.push(line.trimEnd());
      line = '';
    }
    line += unit;
  }
  if (line.trim()) lines.push(line.trimEnd());
  return lines.map((l) => ' '.repeat(pad) + l).join('\n');
}

class UsageError extends Error {}

interface Parsed {
  command: string | undefined;
  positional: string[];
  json: boolean;
  context?: string;
  playbook?: 'tetra' | 'isolation' | 'all';
  /** `tune` only. */
  from?: string;
  to?: string;
  top?: number;
}

const PLAYBOOKS = ['tetra', 'isolation', 'all'] as const;

/** Output formats: `json`, or the readable form (`markdown` for diagnose, `text` for decode; either is accepted). */
const FORMATS = ['json', 'markdown', 'text'];

export function parseArgs(argv: string[]): Parsed {
  const parsed: Parsed = { command: undefined, positional: [], json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') parsed.json = true;
    else if (a === '--format' || a.startsWith('--format=')) {
      const v = a === '--format' ? argv[++i] : a.slice('--format='.length);
      if (v === undefined || !FORMATS.includes(v)) throw new UsageError(l10n.t('{0} takes one of: {1}', '--format', FORMATS.join(', ')));
      parsed.json = v === 'json';
    } else if (a === '--playbook' || a.startsWith('--playbook=')) {
      const v = a === '--playbook' ? argv[++i] : a.slice('--playbook='.length);
      if (v === undefined || !(PLAYBOOKS as readonly string[]).includes(v)) throw new UsageError(l10n.t('{0} takes one of: {1}', '--playbook', PLAYBOOKS.join(', ')));
      parsed.playbook = v as Parsed['playbook'];
    } else if (a === '--from' || a === '--to' || a.startsWith('--from=') || a.startsWith('--to=')) {
      const name = a.startsWith('--from') ? 'from' : 'to';
      const v = a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[++i];
      if (v === undefined || !parseLogTime(v)) throw new UsageError(l10n.t('{0} takes a time as the log writes it, e.g. {1}', `--${name}`, '"Aug 04 07:30:23"'));
      parsed[name] = v;
    } else if (a === '--top' || a.startsWith('--top=')) {
      const v = a === '--top' ? argv[++i] : a.slice('--top='.length);
      const n = v !== undefined && /^\d{1,4}$/.test(v.trim()) ? Number(v) : NaN;
      if (!(n >= 1 && n <= MAX_TOP)) throw new UsageError(l10n.t('{0} takes a whole number from 1 to {1}', '--top', MAX_TOP));
      parsed.top = n;
    } else if (a === '--context') {
      const v = argv[++i];
      if (v === undefined || v.trim() === '') throw new UsageError(l10n.t('{0} takes the words around the number', '--context'));
      parsed.context = v;
    } else if (a.startsWith('--')) throw new UsageError(l10n.t('unknown option {0}', a));
    else if (parsed.command === undefined) parsed.command = a;
    else parsed.positional.push(a);
  }
  return parsed;
}

/**
 * JSON for a decoded number: `{ input, unsigned, signed, hex, readings: [{ family, name?, summary,
 * action?, confidence, … }] }`, best reading first. Values wider than 32 bits have null readings.
 */
export function decodedJson(d: Decoded): unknown {
  const r = d.readings;
  const magnitude = d.value < 0n ? -d.value : d.value;
  return {
    input: d.input,
    unsigned: r ? r.unsigned : null,
    signed: r ? r.signed : null,
    hex: r ? r.hex : `${d.value < 0n ? '-' : ''}0x${magnitude.toString(16).toUpperCase()}`,
    decimal: d.value.toString(),
    context: d.hint ?? null,
    summary: decodedSummary(d),
    hresult: r ? { ...r.hresult, facilityNames: d.facilityNames, meaningful: d.hresultShaped } : null,
    readings: readingViews(d),
  };
}

function decodedText(d: Decoded): string {
  const out = [`${d.input}: ${decodedSummary(d)}`];
  const r = d.readings;
  if (r) {
    out.push(`  ${l10n.t('unsigned')} ${r.unsigned}   ${l10n.t('signed')} ${r.signed}   ${l10n.t('hex')} ${r.hex}`);
    if (d.hresultShaped) out.push(`  ${hresultFieldsText(d)}`);
  } else out.push(`  ${l10n.t('Wider than 32 bits: not a status code.')}`);
  // The HRESULT fields are printed above; the structural HRESULT reading would repeat them.
  const views = readingViews(d).filter((v) => !(v.confidence === 'structural' && v.family === 'win.hresult'));
  views.forEach((v, i) => {
    const via = v.via ? ` (${viaText(v.via)})` : '';
    out.push(`${i + 1}. ${v.familyName} ${v.value}${v.name ? ` ${v.name}` : ''}${via} [${confidenceText(v.confidence)}]`, `     ${v.summary}`);
    if (v.names.length > 1) out.push(`     ${l10n.t('Also named:')} ${v.names.slice(1).join(', ')}`);
    if (v.meaning) out.push(`     ${l10n.t('What it usually means here:')} ${v.meaning}`);
    if (v.action) out.push(`     ${l10n.t('Next step:')} ${v.action}`);
    if (v.source) out.push(`     ${l10n.t('Source: {0}', v.source)}`);
  });
  if (views.length === 0 && r) out.push(l10n.t('No table knows this value; the readings above are all that can be said.'));
  return out.join('\n');
}

/**
 * Reads the value the way hover reads it in a file: the context words, then the value, through
 * the same scanner (so `--context "Unknown error ("` makes `80092013` hex, and `rip:` keeps
 * `16777343` decimal). A family id as context (`tetra-status`) is accepted too.
 */
export function readInContext(value: string, context: string | undefined): { hint?: ContextHint; bareHex: boolean } {
  const eightHex = /^[0-9a-fA-F]{8}$/.test(value);
  const withLetters = eightHex && /[a-fA-F]/.test(value);
  if (context === undefined) return { bareHex: withLetters };
  const prefix = context.slice(-1024);
  const line = /[\s(]$/.test(prefix) ? prefix + value : `${prefix} ${value}`;
  const token = scanNumbers(line, Math.max(0, line.length - value.length - 1)).find((t) => t.end === line.length);
  const hint = token?.hint ?? hintFromText(context);
  const result: { hint?: ContextHint; bareHex: boolean } = { bareHex: token?.bareHex === true || withLetters };
  if (hint) result.hint = hint;
  return result;
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  /**
   * A transient status line (`undefined` clears it). Only given when stderr is a terminal, so
   * pipes, files and tests never see it.
   */
  progress?(line: string | undefined): void;
  /** Where the default language comes from (LC_ALL, LC_MESSAGES, LANG); none: English. */
  env?: NodeJS.ProcessEnv;
}

function terminalProgress(line: string | undefined): void {
  const width = Math.max(20, (process.stderr.columns || 80) - 1);
  const text = line === undefined ? '' : line.length > width ? line.slice(0, width - 1) + '…' : line;
  process.stderr.write(`\r\x1b[2K${text}`);
}

const processIo: CliIo = {
  out: (s) => void process.stdout.write(s),
  err: (s) => void process.stderr.write(s),
  ...(process.stderr.isTTY ? { progress: terminalProgress } : {}),
  env: process.env,
};

/**
 * The language of the words: `--lang <code>` (or `--lang=<code>`) anywhere on the line, else the
 * environment's locale. Taken out of argv before parsing, so usage errors speak it too.
 * Throws on an unknown `--lang` value.
 */
export function takeLanguage(argv: string[], env: NodeJS.ProcessEnv | undefined): { language: Language; rest: string[] } {
  const rest: string[] = [];
  let chosen: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--lang' || a.startsWith('--lang=')) {
      chosen = a === '--lang' ? (argv[++i] ?? '') : a.slice('--lang='.length);
      // English in any locale form (en-US, en_GB.UTF-8, C, POSIX) is English; others must be shipped.
      if (languageOf(chosen) === 'en' && !/^(en|c|posix)([-_.@]|$)/i.test(chosen.trim())) throw new UsageError(l10n.t('{0} takes one of: {1}', '--lang', ['en', ...LANGUAGES].join(', ')));
    } else rest.push(a);
  }
  return { language: languageOf(chosen ?? (env ? localeFromEnv(env) : undefined)), rest };
}

/** Severity words of the JSON output. */
function jsonSeverity(s: DiagnoseResult['findings'][number]['severity']): 'error' | 'warning' | 'info' {
  return s === 'error' ? 'error' : s === 'warning' ? 'warning' : 'info';
}

/**
 * `diagnose --json`: `{ bundle: { inventory }, findings: [{ id, severity, title, evidence: [{ file,
 * line, text }], actions: [command] }] }`. Severity is `error`, `warning` or `info`; lines are
 * 1-based; files are relative to the analysed folder; errors first.
 */
export function diagnoseJson(r: DiagnoseResult): unknown {
  return {
    bundle: { inventory: r.inventory ?? null },
    findings: r.findings.map((f) => ({
      id: f.id,
      severity: jsonSeverity(f.severity),
      title: f.title ?? f.message,
      evidence: (f.evidence ?? []).map((e) => ({ file: e.file, line: e.line, text: e.text })),
      actions: (f.actions ?? []).map((a) => a.command),
    })),
    tetra: diagnosisJson(r.tetra),
    isolation: diagnosisJson(r.isolation),
  };
}

/**
 * A diagnosis as JSON: `{ verdict, title, summary, steps: [{ id, status, title, message, evidence:
 * [{ file, line, text }], settle? }], actions: [{ id, title, command? }] }` (lines 1-based).
 */
function diagnosisJson(d: DiagnosisView): unknown {
  return {
    verdict: d.verdict,
    title: d.title,
    summary: d.summary,
    evidence: d.evidence,
    steps: d.steps.map((s) => ({ id: s.id, status: s.status, title: s.title, message: s.message, evidence: s.evidence, ...(s.settle ? { settle: s.settle } : {}) })),
    actions: d.actions,
  };
}

/** Walk bounds of the progress count (the analysis has its own). */
const COUNT_MAX_DEPTH = 16;
const COUNT_MAX_ENTRIES = 50_000;

/**
 * Shows "reading bundle… N files" while `work` runs: files are counted by a light walk of their
 * own (names only, links not followed), the line is redrawn a few times a second and cleared at the
 * end. Without a terminal (`io.progress` unset) it only runs `work`.
 */
async function withProgress<T>(io: CliIo, target: string, work: Promise<T>): Promise<T> {
  const show = io.progress;
  if (!show) return work;
  let files = 0;
  let done = false;
  let folder: boolean | undefined;
  const started = Date.now();
  const count = async (dir: string, depth: number): Promise<void> => {
    if (done || depth > COUNT_MAX_DEPTH || files >= COUNT_MAX_ENTRIES) return;
    let entries;
    try {
      entries = await fs.readdir(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      if (done || files >= COUNT_MAX_ENTRIES) return;
      if (e.isDirectory()) await count(path.join(dir, e.name), depth + 1);
      else if (e.isFile()) files++;
    }
  };
  void fs
    .stat(target)
    .then((s) => {
      folder = s.isDirectory();
      return folder ? count(target, 0) : undefined;
    })
    .catch(() => undefined);
  const draw = () => {
    const seconds = Math.floor((Date.now() - started) / 1000);
    const what = folder === undefined ? l10n.t('reading…') : folder ? l10n.t('reading bundle… {0} files', files) : l10n.t('reading file…');
    show(`bundle-lens: ${what}${seconds > 0 ? ` ${seconds} s` : ''}`);
  };
  draw();
  const timer = setInterval(draw, 200);
  timer.unref();
  try {
    return await work;
  } finally {
    done = true;
    clearInterval(timer);
    show(undefined);
  }
}

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let args: Parsed;
  try {
    useLanguage('en');
    const { language, rest } = takeLanguage(argv, io.env);
    useLanguage(language);
    args = parseArgs(rest);
  } catch (e) {
    io.err(`bundle-lens: ${(e as Error).message}\n\n${usage()}\n`);
    return EXIT_USAGE;
  }
  const tuneOnly = (['from', 'to', 'top'] as const).find((k) => args[k] !== undefined);
  if (tuneOnly && args.command !== 'tune') {
    io.err(`bundle-lens: ${l10n.t('{0} is an option of {1} only', `--${tuneOnly}`, 'tune')}\n\n${usage()}\n`);
    return EXIT_USAGE;
  }
  switch (args.command) {
    case undefined:
    case 'help':
      io.err(usage() + '\n');
      return args.command === 'help' ? EXIT_OK : EXIT_USAGE;
    case 'version':
      io.out(VERSION + '\n');
      return EXIT_OK;
    case 'decode': {
      if (args.positional.length !== 1) {
        io.err(`bundle-lens decode: ${l10n.t('expected one value')}\n\n${usage()}\n`);
        return EXIT_USAGE;
      }
      const value = args.positional[0]!.trim();
      const { hint, bareHex } = readInContext(value, args.context);
      if (args.context !== undefined && !hint) io.err(`bundle-lens decode: ${l10n.t('the context "{0}" names no family; showing every reading', args.context)}\n`);
      const d = decode(value, hint, { bareHex, exhaustive: true });
      if (!d) {
        io.err(`bundle-lens decode: ${l10n.t('"{0}" is not a number (decimal, -decimal, 0x hex or 8 hex digits)', value)}\n`);
        return EXIT_USAGE;
      }
      io.out((args.json ? JSON.stringify(decodedJson(d), null, 2) : decodedText(d)) + '\n');
      return EXIT_OK;
    }
    case 'diagnose': {
      if (args.positional.length !== 1) {
        io.err(`bundle-lens diagnose: ${l10n.t('expected one file, folder or archive')}\n\n${usage()}\n`);
        return EXIT_USAGE;
      }
      const target = args.positional[0]!;
      try {
        const result = diagnoseResult(target, await withProgress(io, target, analyzePath(target)), { playbook: args.playbook ?? 'all' });
        io.out((args.json ? JSON.stringify(diagnoseJson(result), null, 2) : result.markdown) + '\n');
        for (const u of result.unreadable) io.err(`bundle-lens diagnose: ${l10n.t('could not read {0} ({1})', u.file, u.reason)}\n`);
        return result.findings.some((f) => f.severity === 'error') ? EXIT_FINDINGS : EXIT_OK;
      } catch (e) {
        if (e instanceof InputError) {
          io.err(`bundle-lens diagnose: ${inputErrorMessage(e, target)}\n`);
          return EXIT_USAGE;
        }
        if (e instanceof CancelledError) return EXIT_USAGE;
        throw e;
      }
    }
    case 'tune': {
      if (args.positional.length !== 1) {
        io.err(`bundle-lens tune: ${l10n.t('expected one file, folder or archive')}\n\n${usage()}\n`);
        return EXIT_USAGE;
      }
      const target = args.positional[0]!;
      try {
        const options: { from?: string; to?: string; top?: number } = {};
        if (args.from !== undefined) options.from = args.from;
        if (args.to !== undefined) options.to = args.to;
        if (args.top !== undefined) options.top = args.top;
        const result = await withProgress(io, target, tunePath(target, options));
        io.out((args.json ? JSON.stringify(result, null, 2) : tuneMarkdown(result)) + '\n');
        for (const u of result.unreadable) io.err(`bundle-lens tune: ${l10n.t('could not read {0} ({1})', u.file, unreadableReason(u))}\n`);
        return EXIT_OK;
      } catch (e) {
        if (e instanceof InputError) {
          io.err(`bundle-lens tune: ${inputErrorMessage(e, target)}\n`);
          return EXIT_USAGE;
        }
        if (e instanceof TuneOptionError) {
          io.err(`bundle-lens tune: ${l10n.t('{0} "{1}" is not valid', `--${e.field}`, e.value)}\n`);
          return EXIT_USAGE;
        }
        if (e instanceof CancelledError) return EXIT_USAGE;
        throw e;
      }
    }
    default:
      io.err(`bundle-lens: ${l10n.t('unknown command "{0}"', args.command)}\n\n${usage()}\n`);
      return EXIT_USAGE;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`bundle-lens: ${l10n.t('internal error: {0}', e instanceof Error ? (e.stack ?? e.message) : String(e))}\n`);
      process.exitCode = 70;
    },
  );
}
