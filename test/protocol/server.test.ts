import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { CancellationTokenSource, fileUri, LspClient } from '../support/lsp-client';
import * as path from 'node:path';
import { fixture, ROOT } from '../support/paths';

const seedPath = fixture('seed-001', 'sfc.exe.log');
const seedText = readFileSync(seedPath, 'utf8');
const seedLines = seedText.split('\n');
const proxyPath = fixture('proxy-bundle', 'Cisco', 'AMP', '8.1.7.21417', 'sfc.exe.log');

/** Line and character of the n-th occurrence of `needle` in the seed (plus `offset`). */
function at(needle: string, offset = 1, nth = 0): { line: number; character: number } {
  let seen = 0;
  for (let line = 0; line < seedLines.length; line++) {
    let from = 0;
    for (;;) {
      const c = seedLines[line]!.indexOf(needle, from);
      if (c < 0) break;
      if (seen++ === nth) return { line, character: c + offset };
      from = c + 1;
    }
  }
  throw new Error(`${needle} not in seed`);
}

describe('language server over stdio, pull diagnostics', () => {
  let client: LspClient;
  const uri = fileUri(seedPath);

  before(async () => {
    client = await LspClient.start({ pullDiagnostics: true });
    await client.open(uri, 'secure-endpoint-log', seedText);
  });
  after(() => client.stop());

  it('announces hover, incremental sync and a pull diagnostic provider', () => {
    const caps = client.initializeResult.capabilities;
    assert.equal(caps.hoverProvider, true);
    assert.equal(caps.textDocumentSync.change, 2);
    assert.equal(caps.diagnosticProvider.identifier, 'bundle-lens');
    const { version } = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    assert.deepEqual(client.initializeResult.serverInfo, { name: 'bundle-lens', version });
  });

  it('decodes 4294964296 on hover: all readings and Unknown_Error', async () => {
    const p = at('4294964296', 4);
    const h = await client.hover(uri, p.line, p.character);
    const md: string = h.contents.value;
    assert.match(md, /\| 4294964296 \| -3000 \| 0xFFFFF448 \|/);
    assert.match(md, /Unknown_Error/);
    assert.match(md, /Secure Endpoint TETRA update status/);
    assert.deepEqual(h.range, { start: { line: p.line, character: p.character - 4 }, end: { line: p.line, character: p.character + 6 } });
  });

  it('decodes -3000 on a wrapped continuation line as a TETRA status', async () => {
    const p = at('failed with error -3000', 'failed with error '.length + 2);
    const h = await client.hover(uri, p.line, p.character);
    assert.match(h.contents.value, /^\*\*-3000\*\* `Unknown_Error` — TETRA update: unknown error/);
    assert.match(h.contents.value, /\*Secure Endpoint TETRA update status\* · the words around it say so/);
    assert.match(h.contents.value, /\| 4294964296 \| -3000 \| 0xFFFFF448 \|/);
  });

  it('returns no hover away from numbers', async () => {
    const p = at('PipeSend', 2);
    assert.equal(await client.hover(uri, p.line, p.character), null);
  });

  it('reports tetra.update-failed on pull, then "unchanged" for the same version', async () => {
    const r = await client.pullDiagnostics(uri);
    assert.equal(r.kind, 'full');
    assert.deepEqual(
      r.items.map((x: any) => x.code),
      ['tetra.update-failed', 'tetra.definitions-missing'],
    );
    const d = r.items[0];
    assert.equal(d.code, 'tetra.update-failed');
    assert.equal(d.data.kind, 'tetra.unknown-error');
    assert.deepEqual(d.range.start, { line: 12, character: 12 });
    assert.match(d.message, /status -3000/);
    const again = await client.pullDiagnostics(uri, r.resultId);
    assert.equal(again.kind, 'unchanged');
  });

  it('applies incremental edits: -3000 edited to -2103 becomes a proxy-connect failure', async () => {
    await client.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: { line: 12, character: 12 }, end: { line: 12, character: 17 } }, text: '-2103' }],
    });
    const r = await client.pullDiagnostics(uri, '1');
    assert.equal(r.kind, 'full');
    assert.equal(r.items[0].data.kind, 'tetra.proxy-connect');
    assert.match(r.items[0].message, /could not connect to the proxy/);
  });

  it('answers bundleLens/diagnose for a folder on disk and says clearly when input is unreadable', async () => {
    const res: any = await client.conn.sendRequest('bundleLens/diagnose', { path: fixture('proxy-bundle') });
    assert.equal(res.findings[0].kind, 'tetra.proxy-connect');
    assert.match(res.markdown, /Cisco\/AMP\/8\.1\.7\.21417\/sfc\.exe\.log/);
    await assert.rejects(client.conn.sendRequest('bundleLens/diagnose', { path: fixture('missing') }), /does not exist/);
  });

  it('honours cancellation of a long analysis', async () => {
    const bigUri = 'untitled:big-sfc.exe.log';
    const line = '(978223515, +0 ms) Aug 04 07:30:23 [11944]: PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -3000\n';
    await client.open(bigUri, 'secure-endpoint-log', line.repeat(400_000));
    const source = new CancellationTokenSource();
    const pending = client.pullDiagnostics(bigUri, undefined, source);
    source.cancel();
    await assert.rejects(pending, (e: any) => e.code === -32800);
    // The server is still alive and the document still analyses when asked again.
    const r = await client.pullDiagnostics(bigUri);
    assert.equal(r.items.find((x: any) => x.code === 'tetra.update-failed').data.args.count, 400_000);
  });

  it('cancelling Diagnose does not cancel the diagnostics waiting on the same analysis', async () => {
    const uri = 'untitled:shared-analysis-sfc.exe.log';
    const line = '(978223515, +0 ms) Aug 04 07:30:23 [11944]: PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -2109\n';
    await client.open(uri, 'secure-endpoint-log', line.repeat(400_000));
    const source = new CancellationTokenSource();
    const diagnose = client.conn.sendRequest('bundleLens/diagnose', { uri }, source.token);
    // Requests are handled in order: once a hover sent after a request is answered, that request
    // has started. So Diagnose starts the analysis, and the diagnostics request waits on the same
    // one, before Diagnose is cancelled.
    await client.hover(uri, 0, 1);
    const diagnostics = client.pullDiagnostics(uri);
    await client.hover(uri, 0, 1);
    source.cancel();
    await assert.rejects(diagnose, (e: any) => e.code === -32800);
    const r = await diagnostics;
    const failed = r.items.find((x: any) => x.code === 'tetra.update-failed');
    assert.equal(failed.data.kind, 'tetra.proxy-download');
    assert.equal(failed.data.args.count, 400_000);
  });

  it('survives garbage: binary bytes, a line of megabytes, no header at all', async () => {
    const junkUri = 'untitled:junk';
    const junk = '\u0000\u0001\u0002\uFFFD'.repeat(1000) + '\n' + '9'.repeat(3_000_000) + ' -3000\n(((';
    await client.open(junkUri, 'secure-endpoint-log', junk);
    const r = await client.pullDiagnostics(junkUri);
    assert.equal(r.items.length, 0);
    const h = await client.hover(junkUri, 1, 3_000_003);
    assert.match(h.contents.value, /-3000/);
    assert.equal(await client.hover(junkUri, 1, 10), null);
  });
});

describe('settings', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ pullDiagnostics: true, configuration: true });
  });
  after(() => client.stop());

  it('turning bundleLens.diagnostics.enable off clears the diagnostics on the next pull', async () => {
    const uri = fileUri(seedPath);
    await client.open(uri, 'secure-endpoint-log', seedText);
    const first = await client.pullDiagnostics(uri);
    assert.equal(first.items.length, 2);
    client.settings = { diagnostics: { enable: false }, hover: { enable: false } };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const second = await client.pullDiagnostics(uri, first.resultId);
    assert.equal(second.kind, 'full');
    assert.equal(second.items.length, 0);
    const p = at('4294964296', 3);
    assert.equal(await client.hover(uri, p.line, p.character), null);
  });
});

describe('hover on codes in logs, XML and pasted command outputs', () => {
  let client: LspClient;
  const opened = new Set<string>();
  before(async () => {
    client = await LspClient.start({ pullDiagnostics: true });
  });
  after(() => client.stop());

  async function hoverAt(file: string, languageId: string, needle: string, offset = 1): Promise<string | null> {
    const text = readFileSync(file, 'utf8');
    const uri = fileUri(file);
    if (!opened.has(uri)) {
      opened.add(uri);
      await client.open(uri, languageId, text);
    }
    const lines = text.split(/\r?\n/);
    const line = lines.findIndex((l) => l.includes(needle));
    assert.ok(line >= 0, `${needle} not in ${file}`);
    const h = await client.hover(uri, line, lines[line]!.indexOf(needle) + offset);
    return h ? h.contents.value : null;
  }

  it('decodes <lasterror>4294965193</lasterror> in local.xml as TETRA -2103 first', async () => {
    const md = (await hoverAt(fixture('proxy-bundle', 'local.xml'), 'xml', '4294965193'))!;
    assert.match(md, /^\*\*-2103\*\* — TETRA update: could not connect to the proxy/);
    assert.match(md, /\| 4294965193 \| -2103 \| 0xFFFFF7C9 \|/);
    assert.match(md, /Next step: Check that the proxy/);
  });

  it('decodes 0x80092013 in the curl output of seed 000 as a certificate code, and counts it', async () => {
    const md = (await hoverAt(fixture('text', 'curl-revocation.txt'), 'plaintext', '0x80092013', 3))!;
    assert.match(md, /^\*\*0x80092013\*\* `CRYPT_E_REVOCATION_OFFLINE`/);
    assert.match(md, /\*Windows HRESULT\* · the words around it say so/);
    assert.match(md, /HRESULT fields: severity 1 \(failure\).*facility 9 FACILITY_SSPI \/ FACILITY_SECURITY/);
    assert.match(md, /Seen 2 times in this file\./);
  });

  it('decodes curl: (35) in the same output as a curl exit code', async () => {
    const md = (await hoverAt(fixture('text', 'curl-revocation.txt'), 'plaintext', '(35)', 1))!;
    assert.match(md, /CURLE_SSL_CONNECT_ERROR/);
  });

  it('stays quiet on counts and ports in plain text', async () => {
    assert.equal(await hoverAt(fixture('text', 'curl-revocation.txt'), 'plaintext', 'port 443', 6), null);
    assert.equal(await hoverAt(fixture('text', 'curl-revocation.txt'), 'plaintext', '(#0)', 2), null);
  });

  it('decodes the isolation error code in pasted console text', async () => {
    const md = (await hoverAt(fixture('text', 'isolation-stop-failed.txt'), 'plaintext', '3240624137'))!;
    assert.match(md, /Endpoint Isolation: invalid unlock code/);
    assert.match(md, /0xC1280009/);
  });

  it('counts the same 32 bits in every written form (4294965193 and -2103)', async () => {
    const file = proxyPath;
    const md = (await hoverAt(file, 'secure-endpoint-log', '4294965193'))!;
    const text = readFileSync(file, 'utf8');
    const expected = (text.match(/(?<![\w-])-2103(?!\w)/g) ?? []).length + (text.match(/(?<!\w)4294965193(?!\w)/g) ?? []).length;
    assert.equal(expected, 13);
    assert.match(md, new RegExp(`Seen ${expected} times in this file\\.`));
  });
});

describe('language server over stdio, pushed diagnostics', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ pullDiagnostics: false });
  });
  after(() => client.stop());

  it('does not offer pull diagnostics to a client without the capability', () => {
    assert.equal(client.initializeResult.capabilities.diagnosticProvider, undefined);
  });

  it('pushes one diagnostic per status, with the repeated attempts as related information', async () => {
    const uri = fileUri(proxyPath);
    await client.open(uri, 'secure-endpoint-log', readFileSync(proxyPath, 'utf8'));
    await client.until(() => client.published.some((p) => p.uri === uri), 'publishDiagnostics');
    const p = client.published.find((x) => x.uri === uri)!;
    assert.equal(p.diagnostics.length, 1);
    assert.equal(p.diagnostics[0]?.code, 'tetra.update-failed');
    // Dec 31 → Jan 01 crosses a year; the AVStat line's full date says which.
    assert.match(p.diagnostics[0]!.message, /-2103 in 3 attempts from 2028-12-31 22:10:06 to 2029-01-01 04:10:07/);
    assert.equal(p.diagnostics[0]?.relatedInformation?.length, 2);
  });

  it('recognises a connector log by its first line when the editor does not know the language', async () => {
    const uri = 'untitled:pasted-log.txt';
    await client.open(uri, 'plaintext', seedText);
    await client.until(() => client.published.some((p) => p.uri === uri), 'publishDiagnostics for plaintext');
    assert.equal(client.published.find((x) => x.uri === uri)!.diagnostics[0]?.code, 'tetra.update-failed');
  });
});
