import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { DIST, fixture, ROOT } from '../support/paths';

/** Runs headless Neovim with its built-in LSP client against dist/server.js and returns the hover. */
function nvimHover(file: string, line: number, character: number): { ok: boolean; hover?: any; error?: string } {
  const r = spawnSync('nvim', ['--headless', '--clean', '-u', path.join(ROOT, 'test', 'nvim', 'hover.lua')], {
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...process.env, BL_SERVER: path.join(DIST, 'server.js'), BL_FILE: file, BL_LINE: String(line), BL_COL: String(character) },
  });
  assert.equal(r.error, undefined, `nvim could not run: ${String(r.error)}`);
  const json = r.stdout.split('\n').find((l) => l.startsWith('{'));
  assert.ok(json, `no JSON from nvim; stdout: ${r.stdout} stderr: ${r.stderr}`);
  return JSON.parse(json);
}

describe('Neovim LSP client', () => {
  it('shows the same hover for 4294964296 in the seed log', () => {
    const file = fixture('seed-001', 'sfc.exe.log');
    const lines = readFileSync(file, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('last err code - 4294964296'));
    const res = nvimHover(file, line, lines[line]!.indexOf('4294964296') + 2);
    assert.equal(res.ok, true, res.error);
    assert.match(res.hover.contents.value, /\| 4294964296 \| -3000 \| 0xFFFFF448 \|/);
    assert.match(res.hover.contents.value, /Unknown_Error/);
  });

  it('decodes lasterror 4294965193 in local.xml as could not connect to the proxy', () => {
    const file = fixture('proxy-bundle', 'local.xml');
    const lines = readFileSync(file, 'utf8').split('\n');
    const line = lines.findIndex((l) => l.includes('<lasterror>'));
    const res = nvimHover(file, line, lines[line]!.indexOf('4294965193') + 1);
    assert.equal(res.ok, true, res.error);
    assert.match(res.hover.contents.value, /-2103/);
    assert.match(res.hover.contents.value, /could not connect to the proxy/);
  });
});
