/**
 * `bundle-lens`: the command-line front end over core.
 *
 *   bundle-lens decode <value> [--context <hint>] [--json]
 *   bundle-lens diagnose <file|folder|archive> [--json]
 *
 * Exit codes: 0 done (diagnose: no error-level finding); 1 diagnose found error-level findings;
 * 2 bad usage, or input that cannot be read or parsed (the reason is on stderr).
 */
import * as l10n from '@vscode/l10n';
import { analyzePath, InputError } from '../core/bundle/inputs';
import { decode, type ContextHint, type Decoded } from '../core/codes';
import { CancelledError } from '../core/types';
import { diagnoseResult } from '../shared/report';
import { VERSION } from '../shared/version';
import { decodedSummary, familyName, inputErrorMessage } from '../shared/render';

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;

const HINTS: ContextHint[] = ['tetra-status', 'isolation-error', 'event-type', 'certificate', 'tls-alert', 'curl-exit', 'ipv4-le', 'win32-error'];

function usage(): string {
  return [
    'Usage:',
    '  bundle-lens decode <value> [--context <hint>] [--json]',
    '      Every reading of a number: unsigned, signed, hex, HRESULT fields, and every known meaning.',
    '      <value>: 4294965193, -3000, 0x80092013, 80092013 (bare hex with --context certificate)',
    `      <hint>: ${HINTS.join(', ')}`,
    '  bundle-lens diagnose <file|folder|archive> [--json]',
    '      Analyse a connector log or a bundle folder and report what is found.',
    '',
    'Exit codes: 0 done; 1 diagnose found error-level findings; 2 bad usage or unreadable input.',
  ].join('\n');
}

class UsageError extends Error {}

interface Parsed {
  command: string | undefined;
  positional: string[];
  json: boolean;
  context?: ContextHint;
}

export function parseArgs(argv: string[]): Parsed {
  const parsed: Parsed = { command: undefined, positional: [], json: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--json') parsed.json = true;
    else if (a === '--context') {
      const v = argv[++i];
      if (!v || !HINTS.includes(v as ContextHint)) throw new UsageError(`--context takes one of: ${HINTS.join(', ')}`);
      parsed.context = v as ContextHint;
    } else if (a.startsWith('--')) throw new UsageError(`unknown option ${a}`);
    else if (parsed.command === undefined) parsed.command = a;
    else parsed.positional.push(a);
  }
  return parsed;
}

/** JSON for a decoded number: bigints as strings, family names and knowledge spelled out. */
export function decodedJson(d: Decoded): unknown {
  return {
    input: d.input,
    value: d.value.toString(),
    hint: d.hint ?? null,
    readings: d.readings ?? null,
    summary: decodedSummary(d),
    matches: d.matches.map((m) => ({
      family: m.family,
      familyName: familyName(m.family),
      known: m.entry !== undefined || m.text !== undefined,
      symbol: m.entry?.symbol ?? null,
      summary: m.entry?.summary ?? null,
      meaning: m.entry?.meaning ?? null,
      next: m.entry?.next ?? null,
      kind: m.entry?.kind ?? null,
      source: m.entry?.source ?? null,
      via: m.via ?? null,
      text: m.text ?? null,
    })),
  };
}

function decodedText(d: Decoded): string {
  const out = [`${d.input}: ${decodedSummary(d)}`];
  const r = d.readings;
  if (r) {
    out.push(`  ${l10n.t('unsigned')}  ${r.unsigned}`, `  ${l10n.t('signed')}    ${r.signed}`, `  ${l10n.t('hex')}       ${r.hex}`);
    const h = r.hresult;
    if (h.severity) out.push(`  HRESULT   S=${h.severity} R=${h.reserved} C=${h.customer} N=${h.ntstatus} X=${h.x} facility=${h.facility} code=0x${h.code.toString(16).toUpperCase().padStart(4, '0')}`);
  } else out.push(`  ${l10n.t('Wider than 32 bits: not a status code.')}`);
  for (const m of d.matches) {
    const e = m.entry;
    const title = familyName(m.family);
    if (m.text) out.push(`- ${title}: ${m.text}`);
    else if (!e) out.push(`- ${title}: ${l10n.t('meaning not documented')}`);
    else {
      out.push(`- ${title}${e.symbol ? ` ${e.symbol}` : ''}${m.via ? ` (${m.via})` : ''}: ${e.summary}`);
      if (e.meaning) out.push(`    ${l10n.t('What it usually means here:')} ${e.meaning}`);
      if (e.next) out.push(`    ${l10n.t('Next step:')} ${e.next}`);
      out.push(`    ${l10n.t('Source: {0}', e.source)}`);
    }
  }
  return out.join('\n');
}

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const processIo: CliIo = { out: (s) => void process.stdout.write(s), err: (s) => void process.stderr.write(s) };

export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let args: Parsed;
  try {
    args = parseArgs(argv);
  } catch (e) {
    io.err(`bundle-lens: ${(e as Error).message}\n\n${usage()}\n`);
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
        io.err(`bundle-lens decode: expected one value\n\n${usage()}\n`);
        return EXIT_USAGE;
      }
      const d = decode(args.positional[0]!, args.context, { bareHex: args.context === 'certificate' });
      if (!d) {
        io.err(`bundle-lens decode: "${args.positional[0]}" is not a number (decimal, -decimal or 0x hex)\n`);
        return EXIT_USAGE;
      }
      io.out((args.json ? JSON.stringify(decodedJson(d), null, 2) : decodedText(d)) + '\n');
      return EXIT_OK;
    }
    case 'diagnose': {
      if (args.positional.length !== 1) {
        io.err(`bundle-lens diagnose: expected one file, folder or archive\n\n${usage()}\n`);
        return EXIT_USAGE;
      }
      const target = args.positional[0]!;
      try {
        const result = diagnoseResult(target, await analyzePath(target));
        io.out((args.json ? JSON.stringify(result, null, 2) : result.markdown) + '\n');
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
    default:
      io.err(`bundle-lens: unknown command "${args.command}"\n\n${usage()}\n`);
      return EXIT_USAGE;
  }
}

if (require.main === module) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`bundle-lens: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      process.exitCode = 70;
    },
  );
}
