/**
 * Core's sentences reach users in their language: core builds `CoreText`s (src/core/text.ts) with
 * the English kept in its plain fields, and renderers translate them by their template.
 */
import * as l10n from '@vscode/l10n';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { ArchiveError, checkEntryName, openArchive, openArchiveFromBytes, type Archive } from '../../src/core/bundle/archive';
import { analyzeLogChunks, analyzePath, InputError, readChunks, type PathAnalysis } from '../../src/core/bundle/inputs';
import { CORE_TEXTS, coreText, englishText, isCoreText, type CoreText } from '../../src/core/text';
import { TuneCollector, tunePath } from '../../src/core/tune';
import { readXml, xmlProblemFinding } from '../../src/core/xml/read';
import { knowledgeTexts } from '../../src/shared/l10n-knowledge';
import { coreWords, findingMessage, inputErrorMessage } from '../../src/shared/render';
import { tuneMarkdown } from '../../src/shared/render-tune';
import { diagnoseResult } from '../../src/shared/report';
import { generateTuneLogs } from '../support/generate-tune-log';
import { makeArchives, zipBytes, type ArchiveFixtures } from '../support/make-archives';

let fx: ArchiveFixtures;
const temps: string[] = [];
const tmp = () => {
  const d = mkdtempSync(path.join(tmpdir(), 'bl-coretext-'));
  temps.push(d);
  return d;
};

before(async () => {
  fx = await makeArchives();
});

after(() => {
  if (fx) rmSync(fx.dir, { recursive: true, force: true });
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

/** A test translation: each template given becomes its `TR(…)` form, placeholders kept. */
function translate(contents: Record<string, string>): void {
  l10n.config({ contents });
}

afterEach(() => l10n.config({ contents: {} }));

/** Every CoreText in a value (objects and arrays walked; errors' own fields too). */
function coreTexts(value: unknown, out: CoreText[] = [], seen = new Set<unknown>()): CoreText[] {
  if (typeof value !== 'object' || value === null || seen.has(value)) return out;
  seen.add(value);
  if ('template' in value && 'args' in value) {
    out.push(value as CoreText);
    for (const a of (value as CoreText).args) coreTexts(a, out, seen);
    return out;
  }
  const keys = value instanceof Error ? Object.keys(value).concat(['text']) : Object.keys(value);
  for (const k of keys) coreTexts((value as Record<string, unknown>)[k], out, seen);
  return out;
}

/** Asserts every CoreText of a value is well formed and its English is the plain field beside it. */
function checkTexts(value: unknown): number {
  const texts = coreTexts(value);
  for (const t of texts) {
    assert.ok(isCoreText(t), `not a CoreText of CORE_TEXTS: ${JSON.stringify(t)}`);
    assert.ok((CORE_TEXTS as readonly string[]).includes(t.template), t.template);
    assert.doesNotMatch(englishText(t), /\{\d+\}/, `a placeholder left unfilled: ${JSON.stringify(t)}`);
  }
  return texts.length;
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  assert.fail('expected a rejection');
}

describe('core texts', () => {
  it('templates: unique, numbered placeholders from {0}, plain characters, every one in the English l10n keys', () => {
    assert.equal(new Set(CORE_TEXTS).size, CORE_TEXTS.length);
    for (const t of CORE_TEXTS) {
      const used = [...new Set([...t.matchAll(/\{(\d+)\}/g)].map((m) => Number(m[1])))].sort((a, b) => a - b);
      assert.deepEqual(used, used.map((_, i) => i), t);
      assert.doesNotMatch(t, /\\u|`/, t);
      assert.equal(t, t.trim(), t);
    }
    const keys = new Set(knowledgeTexts());
    assert.deepEqual(CORE_TEXTS.filter((t) => !keys.has(t)), []);
  });

  it('englishText fills placeholders, nested sentences included, as l10n.t does', () => {
    const t = coreText('nested {0} archive not read: {1}', 'zip', coreText('{0}: {1}', 'corrupt', coreText('{0} fails its CRC-32 check: the archive is damaged', 'a/b.txt')));
    assert.equal(englishText(t), 'nested zip archive not read: corrupt: a/b.txt fails its CRC-32 check: the archive is damaged');
    assert.equal(coreWords(t, 'fallback'), englishText(t));
    assert.equal(coreWords(undefined, 'ENOENT'), 'ENOENT');
    assert.ok(isCoreText(JSON.parse(JSON.stringify(t))), 'plain data: it survives JSON');
    assert.equal(isCoreText({ template: 'not a template of core', args: [] }), false);
  });

  it('the English stays what it was: names, archive refusals, the reasons of the Not read list', async () => {
    const dots = checkEntryName('../evil.txt');
    assert.ok('code' in dots);
    assert.equal(dots.detail, "a '..' segment climbs out of the archive");
    assert.equal(englishText(dots.text), dots.detail);
    const many = await rejection(openArchive(fx.manyZip, { limits: { maxEntries: 9_999 } }));
    assert.ok(many instanceof ArchiveError && many.text);
    assert.equal(many.detail, `${fx.manyZip} has 10000 entries (the limit is 9999)`);
    assert.equal(many.message, `too-many-entries: ${many.detail}`);
    const evil = await analyzePath(fx.evilZip);
    assert.ok(evil.unreadable.some((u) => u.reason === "unsafe-name: a '..' segment climbs out of the archive"), JSON.stringify(evil.unreadable));
    for (const u of evil.unreadable) if (u.reasonText) assert.equal(englishText(u.reasonText), u.reason);
  });

  it('hostile archives: every sentence core hands out is a template of CORE_TEXTS, its English in the plain field', async () => {
    let seen = 0;
    for (const file of [fx.evilZip, fx.bombZip, fx.lyingBombZip, fx.encryptedZip, fx.truncatedZip, fx.deepZip, fx.nestedZip, fx.bomb7z]) {
      let a: Archive;
      try {
        a = await openArchive(file);
      } catch (e) {
        seen += checkTexts(e);
        assert.ok(e instanceof ArchiveError && e.text && englishText(e.text) === e.detail, String(e));
        continue;
      }
      try {
        seen += checkTexts(a.rejected()) + checkTexts(a.entries());
        for (const r of a.rejected()) if (r.text) assert.equal(englishText(r.text), r.detail);
        for (const e of a.entries()) if (e.unreadable?.text) assert.equal(englishText(e.unreadable.text), e.unreadable.detail);
        if (a.damaged) assert.equal(englishText(a.damagedText!), a.damaged);
        for (const e of a.entries().filter((x) => !x.isDirectory)) {
          const err = await rejection(a.read(e.path)).catch(() => undefined);
          if (err instanceof ArchiveError && err.text) {
            seen += checkTexts(err);
            assert.equal(englishText(err.text), err.detail);
          }
        }
      } finally {
        await a.close();
      }
      const r = await analyzePath(file).catch((e: unknown) => e);
      seen += checkTexts(r);
      if (!(r instanceof Error)) for (const u of (r as PathAnalysis).unreadable) if (u.reasonText) assert.equal(englishText(u.reasonText), u.reason);
    }
    // Refusals of whole archives and of reads.
    for (const open of [
      () => openArchiveFromBytes(Buffer.from('not an archive at all'), 'x.bin'),
      () => openArchiveFromBytes(Buffer.alloc(0), 'empty.bin'),
      () => openArchive(fx.real7z, { limits: { maxBufferedArchiveSize: 100 } }),
      () => openArchive(fx.bundleZip, { limits: { maxTotalSize: 100 } }),
      () => openArchive(fx.dir),
      () => openArchive(path.join(fx.dir, 'missing.zip')),
    ]) {
      const e = await rejection(open());
      assert.ok(e instanceof ArchiveError && e.text, String(e));
      seen += checkTexts(e);
      assert.equal(englishText(e.text), e.detail);
    }
    assert.ok(seen > 20, `only ${seen} sentences seen`);
  });

  it('errors that are not core\'s words (the system\'s codes) keep no sentence', async () => {
    const e = await rejection(analyzePath(path.join(fx.dir, 'no such file')));
    assert.ok(e instanceof InputError);
    assert.equal(e.detail, 'ENOENT');
    assert.equal(e.text, undefined);
  });
});

describe('renderers translate core\'s sentences', () => {
  it('the Not read list of the Diagnose report, and the reasons the client and the CLI get', async () => {
    const r = await analyzePath(fx.evilZip);
    translate({ '{0}: {1}': '{0} → {1}', "a '..' segment climbs out of the archive": 'TRX dotdot climbs' });
    const result = diagnoseResult(fx.evilZip, r);
    assert.match(result.markdown, /unsafe-name → TRX dotdot climbs/);
    assert.doesNotMatch(result.markdown, /climbs out of the archive/);
    const u = result.unreadable.find((x) => x.reason === 'unsafe-name → TRX dotdot climbs');
    assert.ok(u, JSON.stringify(result.unreadable));
    assert.deepEqual(Object.keys(u).sort(), ['file', 'reason'], 'the protocol carries words only');
  });

  it('nested sentences: a nested archive not read, with the archive\'s own refusal', async () => {
    const inner = zipBytes([{ name: 'a.txt', data: Buffer.from('x\n') }]);
    const middle = zipBytes([{ name: 'inner.zip', data: inner }]);
    const dir = tmp();
    writeFileSync(path.join(dir, 'outer.zip'), zipBytes([{ name: 'middle.zip', data: middle }]));
    const r = await analyzePath(dir);
    translate({ 'nested {0} archive: deeper than {1} levels, not analysed': 'TRX nested {0} over {1} levels' });
    const md = diagnoseResult(dir, r).markdown;
    assert.match(md, /TRX nested zip over 2 levels/);
  });

  it('the folder walk\'s bound in words, not its id', () => {
    const analysis: PathAnalysis = { root: '/x', kind: 'folder', files: [], findings: [], logSets: [], unreadable: [], incomplete: 'depth' };
    const md = diagnoseResult('/x', analysis).markdown;
    assert.match(md, /more than 16 levels deep/);
    assert.doesNotMatch(md, /depth limit/);
    assert.match(diagnoseResult('/x', { ...analysis, incomplete: 'entries' }).markdown, /first 50000 files and folders/);
  });

  it('inputErrorMessage: why an archive cannot be read', async () => {
    const dir = tmp();
    const file = path.join(dir, 'broken.zip');
    writeFileSync(file, Buffer.concat([Buffer.from('PK\x03\x04', 'latin1'), Buffer.alloc(200, 0x41)]));
    const e = await rejection(analyzePath(file));
    assert.ok(e instanceof InputError && e.text, String(e));
    assert.match(e.detail, /^corrupt: .*no entry could be listed \(the zip's central directory is unreadable/);
    translate({
      '{0}: no entry could be listed ({1})': 'TR({0}: nothing listed: {1})',
      "the zip's central directory is unreadable ({0}); entries were read from their local headers": 'TR(central directory: {0})',
    });
    const m = inputErrorMessage(e, file);
    assert.match(m, /TR\(.*broken\.zip: nothing listed: TR\(central directory: .+\)\)/);
    assert.doesNotMatch(m, /no entry could be listed/);
  });

  it('XML not well-formed: the reader\'s own sentence is translated, the parser\'s stays its words', () => {
    const doc = readXml('<config><name>R&D</name></config>');
    const p = doc.problems.find((x) => x.id === 'xml.malformed');
    assert.ok(p);
    assert.equal(p.args['detail'], 'a bare & (write &amp;)');
    translate({ 'a bare & (write &amp;)': 'TR(bare ampersand)' });
    const message = findingMessage(xmlProblemFinding(p, 'local.xml'));
    assert.match(message, /\(TR\(bare ampersand\)\)/);
    const sax = readXml('<config><a></b></config>').problems.find((x) => x.id === 'xml.malformed');
    assert.ok(sax && sax.args['detailTemplate'] === undefined, JSON.stringify(sax));
    assert.ok(findingMessage(xmlProblemFinding(sax, 'local.xml')).includes(String(sax.args['detail']).slice(0, 20)));
  });

  it('tune: a log read partially and the Not read list', async () => {
    const dir = tmp();
    const log = path.join(dir, 'src', 'sfc.exe.log');
    generateTuneLogs([log], {
      processes: [{ process: 'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', files: ['C:\\Users\\a\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\f_000001'], events: 3000 }],
      start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)),
    });
    const zip = zipBytes([
      { name: 'Cisco/AMP/8.1.7.21417/sfc.exe.log', data: readFileSync(log) },
      { name: '../evil.txt', data: 'x' },
    ]);
    const at = zip.indexOf(Buffer.from('PK\x01\x02', 'latin1')) - 40 - 30 - '../evil.txt'.length - 1;
    for (let i = 0; i < 16; i++) zip[at + i] ^= 0x5a;
    const z = path.join(dir, 'bad.zip');
    writeFileSync(z, zip);
    const r = await tunePath(z);
    const partial = r.sets[0]?.logs[0];
    assert.ok(partial?.partial && partial.partialText, JSON.stringify(r.sets[0]?.logs));
    assert.equal(englishText(partial.partialText), partial.partial);
    assert.ok(r.unreadable.some((u) => u.reasonText), JSON.stringify(r.unreadable));
    translate({ '{0}: {1}': '{0} ⇒ {1}', "a '..' segment climbs out of the archive": 'TRX dotdot' });
    const md = tuneMarkdown(r);
    assert.match(md, /unsafe-name ⇒ TRX dotdot/);
    assert.match(md, new RegExp(`read partially \\((corrupt|size-mismatch) ⇒ `));
  });

  it('tune: the default reason of a log not read to its end', async () => {
    const log = path.join(tmp(), 'sfc.exe.log');
    generateTuneLogs([log], { processes: [{ process: 'C:\\Tools\\p.exe', files: ['C:\\Data\\x.txt'], events: 50 }], start: new Date(Date.UTC(2022, 7, 4, 7, 0, 0)) });
    const c = new TuneCollector({ top: 10 });
    c.startLog('a/sfc.exe.log');
    await analyzeLogChunks(readChunks(log), { file: 'a/sfc.exe.log', path: log, onEvent: c.onEvent });
    assert.equal(c.abortLog(), true);
    translate({ 'not read to its end': 'TR(unfinished)' });
    assert.equal(coreWords(c.result()[0]!.logs[0]!.partialText, ''), 'TR(unfinished)');
    const partial = c.result()[0]!.logs[0]!;
    assert.equal(partial.partial, 'not read to its end');
    assert.deepEqual(partial.partialText, coreText('not read to its end'));
  });
});

// Keeps the test's imports honest: no stray file left by the reads above.
it('nothing is written beside the fixtures', () => {
  assert.ok(readdirSync(fx.dir).every((n) => !n.startsWith('.')));
});
