/**
 * The English sentences of core's knowledge tables (code summaries, meanings and next steps; XML
 * setting descriptions; Secure Endpoint event names), and the templates of core's own sentences
 * (`CORE_TEXTS`, src/core/text.ts: why a part was not read, why an archive refused an entry…).
 * Renderers translate them by their English text (`knowledge()`, `coreWords()` in render.ts), so
 * they are keys of the l10n bundles like any `l10n.t` string. `npm run l10n:export` adds them to `l10n/bundle.l10n.json`; the manifest test checks it.
 *
 * Not included: the generated Windows header table (thousands of names from MinGW-w64's headers,
 * summarised from the symbol): Windows' own words, shown in English.
 */
import { PROTOCOL_CODES } from '../core/codes/data/protocols';
import { SECURE_ENDPOINT_CODES } from '../core/codes/data/secure-endpoint';
import { WINDOWS_CODES } from '../core/codes/data/windows';
import { SETTINGS } from '../core/xml/settings';
import { CORE_TEXTS } from '../core/text';

export function knowledgeTexts(): string[] {
  const out = new Set<string>();
  const add = (s: string | undefined): void => {
    if (s && s.trim()) out.add(s);
  };
  for (const e of [...SECURE_ENDPOINT_CODES, ...PROTOCOL_CODES, ...WINDOWS_CODES]) {
    add(e.summary);
    add(e.meaning);
    add(e.next);
    // Event types are shown by name in words; every other symbol is a vendor's identifier.
    if (e.family === 'se.event') add(e.symbol);
  }
  for (const s of SETTINGS) {
    add(s.summary);
    add(s.meaning);
    add(s.next);
  }
  for (const t of CORE_TEXTS) add(t);
  return [...out];
}
