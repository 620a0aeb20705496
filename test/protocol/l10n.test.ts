import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import { fileUri, LspClient } from '../support/lsp-client';
import { fixture, ROOT } from '../support/paths';

// The server speaks the client's language: `InitializeParams.locale` (any LSP client) resolved
// against the bundles shipped in l10n/, or the exact bundle VS Code hands over. What it says is
// compared with the shipped translations of the English sentences, never with words typed here.

const seedPath = fixture('seed-001', 'sfc.exe.log');
const seedText = readFileSync(seedPath, 'utf8');
const seedLines = seedText.split('\n');
const bundlePath = fixture('proxy-bundle');

function translations(lang: string): Record<string, string> {
  return JSON.parse(readFileSync(path.join(ROOT, 'l10n', `bundle.l10n.${lang}.json`), 'utf8'));
}

function position(needle: string, offset: number): { line: number; character: number } {
  const line = seedLines.findIndex((l) => l.includes(needle));
  assert.ok(line >= 0, needle);
  return { line, character: seedLines[line]!.indexOf(needle) + offset };
}

interface Said {
  hover: string;
  diagnostics: Array<{ code: string; message: string; line: number }>;
  report: string;
  tetraTitle: string;
}

async function whatTheServerSays(options: { locale?: string; initializationOptions?: unknown }): Promise<Said> {
  const client = await LspClient.start({ pullDiagnostics: true, ...options });
  try {
    const uri = fileUri(seedPath);
    await client.open(uri, 'secure-endpoint-log', seedText);
    const p = position('failed with error -3000', 'failed with error '.length + 2);
    const h = await client.hover(uri, p.line, p.character);
    const d = await client.pullDiagnostics(uri);
    const r: any = await client.conn.sendRequest('bundleLens/diagnose', { path: bundlePath });
    return {
      hover: h.contents.value,
      diagnostics: d.items.map((x: any) => ({ code: String(x.code), message: x.message, line: x.range.start.line })),
      report: r.markdown,
      tetraTitle: r.tetra.title,
    };
  } finally {
    await client.stop();
  }
}

describe('the server in each language', () => {
  let english: Said;
  before(async () => {
    english = await whatTheServerSays({});
  });

  for (const [lang, locale, script] of [
    ['ja', 'ja', /[\u3040-\u30ff\u4e00-\u9fff]/],
    ['ko', 'ko-KR', /[\uac00-\ud7af]/],
    ['it', 'it-IT', /\b(il|la|di|che|non|del|della|per)\b/],
  ] as const) {
    describe(`locale ${locale}`, () => {
      let said: Said;
      const t = translations(lang);
      before(async () => {
        said = await whatTheServerSays({ locale });
      });

      it('hovers a TETRA status with the translated family and knowledge', () => {
        assert.ok(t['TETRA update: unknown error.'], 'the bundle translates the summary');
        assert.ok(said.hover.includes(t['TETRA update: unknown error.']!), said.hover);
        assert.ok(said.hover.includes(t['Secure Endpoint TETRA update status']!), said.hover);
        assert.ok(!said.hover.includes('TETRA update: unknown error.'), 'no English summary left');
        // Facts stay facts: the symbol and the number.
        assert.match(said.hover, /Unknown_Error/);
        assert.match(said.hover, /-3000/);
      });

      it('reports the same diagnostics as in English, in its words', () => {
        assert.equal(said.diagnostics.length, english.diagnostics.length);
        assert.ok(said.diagnostics.length > 0);
        for (let i = 0; i < said.diagnostics.length; i++) {
          const [a, b] = [said.diagnostics[i]!, english.diagnostics[i]!];
          assert.equal(a.code, b.code);
          assert.equal(a.line, b.line);
          assert.notEqual(a.message, b.message, `not translated: ${a.message}`);
          assert.match(a.message, script, a.message);
        }
      });

      it('writes the Diagnose report in its words', () => {
        assert.ok(said.report.startsWith(`# ${t['Bundle Lens — TETRA diagnosis']}\n`), said.report.slice(0, 400));
        assert.notEqual(said.tetraTitle, english.tetraTitle);
        assert.match(said.tetraTitle, script);
      });
    });
  }

  it('falls back to English for a language it does not ship', async () => {
    const said = await whatTheServerSays({ locale: 'fr-FR' });
    assert.equal(said.hover, english.hover);
    assert.deepEqual(said.diagnostics, english.diagnostics);
  });

  it('prefers the bundle VS Code hands over to the locale', async () => {
    const said = await whatTheServerSays({
      locale: 'ko',
      initializationOptions: { l10nBundlePath: path.join(ROOT, 'l10n', 'bundle.l10n.it.json') },
    });
    assert.ok(said.hover.includes(translations('it')['TETRA update: unknown error.']!), said.hover);
  });
});
