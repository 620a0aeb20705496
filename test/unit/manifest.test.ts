import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ROOT } from '../support/paths';
import { knowledgeTexts } from '../../src/shared/l10n-knowledge';

const manifest = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const nls = JSON.parse(readFileSync(path.join(ROOT, 'package.nls.json'), 'utf8'));

describe('manifest', () => {
  it('has an English string in package.nls.json for every %key% it uses, and no unused key', () => {
    const used = new Set([...JSON.stringify(manifest).matchAll(/"%([^%"]+)%"/g)].map((m) => m[1]!));
    for (const key of used) assert.ok(key in nls, `missing in package.nls.json: ${key}`);
    for (const key of Object.keys(nls)) assert.ok(used.has(key), `unused in package.json: ${key}`);
  });

  it('has a walkthrough whose steps each complete on their own command or signal, with their media shipped', () => {
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.deepEqual(walkthrough.steps.map((s: any) => s.id), ['openBundle', 'readFindings', 'diagnose', 'hover']);
    const commands = new Set(manifest.contributes.commands.map((c: any) => c.command));
    const extension = readFileSync(path.join(ROOT, 'src', 'extension', 'extension.ts'), 'utf8');
    for (const step of walkthrough.steps) {
      assert.ok(step.completionEvents.length > 0, step.id);
      for (const e of step.completionEvents) {
        const [kind, what] = e.split(/:(.*)/s);
        if (kind === 'onCommand') assert.ok(commands.has(what) || /\.focus$/.test(what), `${step.id}: ${what} is not a command`);
        else if (kind === 'onContext') assert.ok(extension.includes(`'setContext', '${what}'`), `${step.id}: nothing sets ${what}`);
        else assert.equal(kind, 'onView', e);
      }
      // The page of each language (package.nls.<lang>.json names it), shipped, with the English
      // page's code spans (commands, ids, numbers) kept.
      const key = /^%(.+)%$/.exec(step.media.markdown)?.[1];
      assert.ok(key, `${step.id}: the page is named through package.nls.json`);
      const english = readFileSync(path.join(ROOT, nls[key]), 'utf8');
      const spans = (t: string) => [...t.matchAll(/`[^`\n]+`/g)].map((m) => m[0]).sort();
      for (const lang of ['ko', 'ja', 'it']) {
        const page: string = JSON.parse(readFileSync(path.join(ROOT, `package.nls.${lang}.json`), 'utf8'))[key];
        assert.match(page, new RegExp(`^media/walkthrough/${lang}/`), `${lang}: ${page}`);
        assert.deepEqual(spans(readFileSync(path.join(ROOT, page), 'utf8')), spans(english), `${lang}: ${page}`);
      }
      // Every command a step's text offers exists.
      for (const m of nls[step.description.slice(1, -1)].matchAll(/\(command:([\w.]+)\)/g)) assert.ok(commands.has(m[1]) || /\.focus$/.test(m[1]), m[1]);
    }
    readFileSync(path.join(ROOT, 'media', 'walkthrough', 'sample', 'sfc.exe.log'), 'utf8');
  });

  it('activates on its languages, commands, views and logs, never on *', () => {
    assert.ok(!manifest.activationEvents.includes('*'));
    assert.ok(manifest.activationEvents.includes('workspaceContains:**/sfc.exe.log*'));
    const commands = manifest.contributes.commands.map((c: { command: string }) => c.command);
    assert.ok(commands.includes('bundleLens.diagnoseTetra') && commands.includes('bundleLens.openBundle'));
    for (const c of manifest.contributes.commands) assert.equal(c.category, '%category%');
  });

  it('recognises the connector log by its first line (the manifest regex matches the seed line shape)', () => {
    const firstLine = new RegExp(manifest.contributes.languages[0].firstLine);
    assert.ok(firstLine.test('(978223515, +0 ms) Aug 04 07:30:23 [11944]: TetraUpdateInterface::update updateDir:'));
    assert.ok(!firstLine.test('2024-01-01 10:00:00, Info CBS Loaded Servicing Stack'));
  });

  it('keeps engines.vscode in step with the pinned @types/vscode', () => {
    const types = manifest.devDependencies['@types/vscode'];
    assert.equal(manifest.engines.vscode, `^${types}`);
  });

  it('pins every dependency to an exact version', () => {
    for (const [name, v] of Object.entries({ ...manifest.dependencies, ...manifest.devDependencies })) {
      assert.match(String(v), /^\d+\.\d+\.\d+$/, name);
    }
  });

  it('ships an l10n bundle that holds every l10n.t string in the source (npm run l10n:export), and every knowledge sentence', () => {
    const out = mkdtempSync(path.join(tmpdir(), 'bl-l10n-'));
    const cli = path.join(ROOT, 'node_modules', '@vscode', 'l10n-dev', 'dist', 'cli.js');
    const r = spawnSync(process.execPath, [cli, 'export', '--outDir', out, path.join(ROOT, 'src')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const fresh = JSON.parse(readFileSync(path.join(out, 'bundle.l10n.json'), 'utf8'));
    // Plus the knowledge tables' sentences, which renderers translate by their text.
    for (const text of knowledgeTexts()) fresh[text] = text;
    const shipped = JSON.parse(readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8'));
    assert.deepEqual(Object.keys(shipped).sort(), Object.keys(fresh).sort());
    for (const [key, value] of Object.entries(shipped)) assert.equal(value, key, 'the English bundle maps each key to itself');
  });
});
