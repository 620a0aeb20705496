/**
 * Which language the server and the CLI speak. VS Code picks the extension's bundle itself
 * (`vscode.l10n`) and hands its path to the server; any other LSP client (Neovim, Helix…) sends
 * the standard `InitializeParams.locale`, and the CLI takes `--lang` or the POSIX locale
 * variables. Each resolves to one of the shipped `l10n/bundle.l10n.<lang>.json`; anything else
 * is English, the fallback.
 */
import * as l10n from '@vscode/l10n';
import { existsSync } from 'node:fs';
import * as path from 'node:path';

/** The languages Bundle Lens ships, besides English: those of the source documents. */
export const LANGUAGES = ['ko', 'ja', 'it'] as const;
export type Language = (typeof LANGUAGES)[number] | 'en';

/**
 * The language a locale names: `ja`, `ja-JP`, `ja_JP.UTF-8`, `it_IT@euro` → its base language
 * when shipped; English for everything else (`C`, `POSIX`, `en-US`, `pt-BR`, garbage).
 */
export function languageOf(locale: string | undefined): Language {
  const base = /^([A-Za-z]{2,3})(?:[-_.@]|$)/.exec((locale ?? '').trim())?.[1]?.toLowerCase();
  return (LANGUAGES as readonly string[]).includes(base ?? '') ? (base as Language) : 'en';
}

/** The CLI's locale from the environment, with POSIX precedence (LC_ALL, LC_MESSAGES, LANG). */
export function localeFromEnv(env: NodeJS.ProcessEnv): string | undefined {
  return [env['LC_ALL'], env['LC_MESSAGES'], env['LANG']].find((v) => v !== undefined && v !== '');
}

/**
 * The folder of the l10n bundles: `l10n/` beside the shipped `dist/` (or, for the transpiled
 * tests under `out/`, a few levels up).
 */
export function l10nFolder(from: string = __dirname): string | undefined {
  let dir = from;
  for (let i = 0; i < 5; i++) {
    const candidate = path.join(dir, 'l10n');
    if (existsSync(path.join(candidate, 'bundle.l10n.json'))) return candidate;
    const up = path.dirname(dir);
    if (up === dir) break;
    dir = up;
  }
  return undefined;
}

/** The bundle file of a language, if shipped. */
export function bundlePath(language: Language, folder = l10nFolder()): string | undefined {
  if (language === 'en' || !folder) return undefined;
  const file = path.join(folder, `bundle.l10n.${language}.json`);
  return existsSync(file) ? file : undefined;
}

/**
 * Makes `l10n.t` speak `language` from now on (English when its bundle is missing). Returns the
 * language in effect. Always sets a bundle, so a second call in the same process (tests, a
 * second CLI run) never keeps the previous one.
 */
export function useLanguage(language: Language, folder = l10nFolder()): Language {
  const file = bundlePath(language, folder);
  if (file) {
    l10n.config({ fsPath: file });
    active = language;
    return language;
  }
  l10n.config({ contents: {} });
  active = 'en';
  return 'en';
}

let active: Language = 'en';

/**
 * Records the language of the words without loading a bundle: for the server, whose bundle VS Code
 * hands over by path, so numbers follow the same language as the words.
 */
export function setNumberLanguage(language: Language): void {
  active = language;
}

/** A fraction with the active language's decimal mark (4.5 → "4,5" in Italian), `digits` places at most. */
export function decimal(n: number, digits = 1): string {
  if (!Number.isFinite(n)) return String(n);
  try {
    return new Intl.NumberFormat(active, { maximumFractionDigits: digits, useGrouping: false }).format(n);
  } catch {
    return String(Math.round(n * 10 ** digits) / 10 ** digits);
  }
}
