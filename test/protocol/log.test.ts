import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { fileUri, LspClient } from '../support/lsp-client';
import { fixture } from '../support/paths';

const seedPath = fixture('seed-001', 'sfc.exe.log');
const seedText = readFileSync(seedPath, 'utf8');
const proxyPath = fixture('proxy-bundle', 'Cisco', 'AMP', '8.1.7.21417', 'sfc.exe.log');
const proxyText = readFileSync(proxyPath, 'utf8');
const debugPath = fixture('logs', 'debug-events.log');
const debugText = readFileSync(debugPath, 'utf8');
const noDebugText = readFileSync(fixture('logs', 'no-debug.log'), 'utf8');

describe('connector log features over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ pullDiagnostics: true });
  });
  after(() => client.stop());

  it('announces document symbols, folding and quick fixes', () => {
    const caps = client.initializeResult.capabilities;
    assert.ok(caps.documentSymbolProvider);
    assert.equal(caps.foldingRangeProvider, true);
    assert.deepEqual(caps.codeActionProvider.codeActionKinds, ['quickfix']);
  });

  it('diagnostics of a debug log: PublishEvent failures, isolation, revocation at its code, with stable ids and severities', async () => {
    const uri = 'untitled:debug/sfc.exe.log';
    await client.open(uri, 'secure-endpoint-log', debugText);
    const r = await client.pullDiagnostics(uri);
    assert.deepEqual(
      r.items.map((d: any) => [d.code, d.severity]),
      [
        ['policy.update-failed', 2],
        ['isolation.active', 2],
        ['tls.revocation-offline', 1],
        ['isolation.unlock-limit-reached', 2],
      ],
    );
    const rev = r.items.find((d: any) => d.code === 'tls.revocation-offline');
    assert.match(rev.message, /0x80092013/);
    assert.match(rev.message, /identrust/);
    assert.equal(debugText.split('\n')[rev.range.start.line]!.slice(rev.range.start.character, rev.range.end.character), '0x80092013');
    const limit = r.items.find((d: any) => d.code === 'isolation.unlock-limit-reached');
    assert.match(limit.message, /Endpoint Isolation Unlock Limit Reached/);
    assert.match(limit.message, /30 minutes/);
  });

  it('log.debug-disabled is information with the command to collect a debug log', async () => {
    const uri = 'untitled:nodebug/sfc.exe.log';
    await client.open(uri, 'secure-endpoint-log', noDebugText);
    const r = await client.pullDiagnostics(uri);
    const d = r.items.find((x: any) => x.code === 'log.debug-disabled');
    assert.equal(d.severity, 3);
    assert.match(d.message, /sfc\.exe -l start/);
    assert.equal(r.items.find((x: any) => x.code === 'tetra.update-failed').data.kind, 'tetra.proxy-download');
  });

  it('quick fixes copy the check that matches the failure', async () => {
    const uri = fileUri(seedPath);
    await client.open(uri, 'secure-endpoint-log', seedText);
    const r = await client.pullDiagnostics(uri);
    const d = r.items.find((x: any) => x.code === 'tetra.update-failed');
    const actions = await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } });
    const copies = (actions as any[]).map((a) => [a.kind, a.command.command, a.command.arguments[0]]);
    assert.deepEqual(copies, [
      ['quickfix', 'bundleLens.copyText', 'Get-TlsCipherSuite | ft name'],
      ['quickfix', 'bundleLens.copyText', 'curl.exe -v https://tetra-defs.amp.cisco.com'],
    ]);
    assert.match((actions as any[])[0].title, /cipher suite/i);
  });

  it('outline: hour blocks holding the TETRA update attempts, and the long silences', async () => {
    const uri = fileUri(proxyPath);
    await client.open(uri, 'secure-endpoint-log', proxyText);
    const symbols = (await client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } })) as any[];
    const blocks = symbols.filter((s) => s.kind === 3);
    assert.equal(blocks.length, 5);
    assert.match(blocks[0].name, /^Dec 31 22:00 — 5 entries$/);
    const attempts = blocks.flatMap((b) => b.children);
    assert.deepEqual(
      attempts.map((a: any) => a.name),
      [
        'TETRA update 2028-12-31 22:10:06: failed, status -2103',
        'TETRA update 2029-01-01 00:10:06: failed, status -2103',
        'TETRA update 2029-01-01 04:10:07: failed, status -2103',
        'TETRA update 2029-01-01 08:10:09: updated to version 90611',
      ],
    );
    for (const s of symbols.flatMap((x) => [x, ...(x.children ?? [])])) {
      const inside = (p: any) => (p.line > s.range.start.line || (p.line === s.range.start.line && p.character >= s.range.start.character)) && (p.line < s.range.end.line || (p.line === s.range.end.line && p.character <= s.range.end.character));
      assert.ok(inside(s.selectionRange.start) && inside(s.selectionRange.end), `selection inside range for ${s.name}`);
    }
    const gaps = symbols.filter((s) => s.kind === 21);
    assert.deepEqual(
      gaps.map((g) => g.name),
      ['No entries for 1 h 49 min', 'No entries for 4 h 0 min', 'No entries for 4 h 0 min'],
    );
  });

  it('folding by hour block and by attempt', async () => {
    const uri = fileUri(proxyPath);
    const ranges = (await client.conn.sendRequest('textDocument/foldingRange', { textDocument: { uri } })) as any[];
    assert.ok(ranges.some((r) => r.startLine === 1 && r.endLine === 4), 'first attempt folds');
    assert.ok(ranges.every((r) => r.endLine > r.startLine));
  });

  it('hover decodes the NFM remote address written as a little-endian integer', async () => {
    const uri = 'untitled:debug/sfc.exe.log';
    const lines = debugText.split('\n');
    const line = lines.findIndex((l) => l.includes('rip: '));
    const h = await client.hover(uri, line, lines[line]!.indexOf('rip: ') + 7);
    assert.match(h.contents.value, /192\.168\.1\.1/);
  });
});

describe('hover on a large open log', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ pullDiagnostics: true });
  });
  after(() => client.stop());

  it('answers at once without the count, then shows the count once the background count is done', async () => {
    const uri = 'untitled:large/sfc.exe.log';
    const noise = '(978223515, +0 ms) Aug 04 07:30:23 [11944]: Event::HandleCreation: START \\\\?\\C:\\t\\a.tmp(\\\\?\\C:\\t\\a.tmp), \\\\?\\C:\\Windows\\System32\\svchost.exe\n';
    const failure = '(978223516, +0 ms) Aug 04 07:30:24 [11944]: PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -3000\n';
    let text = '';
    for (let i = 0; i < 24_000; i++) text += i % 4000 === 0 ? failure : noise; // ~3.4 MB, 6 failures
    await client.open(uri, 'secure-endpoint-log', text);
    const line = text.split('\n').findIndex((l) => l.includes('status: -3000'));
    const character = text.split('\n')[line]!.indexOf('-3000') + 2;
    const first = await client.hover(uri, line, character);
    assert.match(first.contents.value, /Unknown_Error/);
    assert.doesNotMatch(first.contents.value, /Seen \d+ times/);
    // The count arrives on a later hover; each hover is a fresh request, answered at once.
    let seen: string | undefined;
    for (let i = 0; i < 2000 && !seen; i++) {
      const h = await client.hover(uri, line, character);
      seen = /Seen (\d+) times in this file/.exec(h.contents.value)?.[1];
    }
    assert.equal(seen, '6');
  });
});
