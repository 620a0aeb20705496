/**
 * Large logs over the protocol: the real server over stdio reads a log from disk by URI
 * (`bundleLens/logSummary`, `bundleLens/logSlice`), pushes its findings for the file's URI, and
 * maps a slice's lines back to the original. Also the slice links, in process, with a stub connection.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { originOf, registerLargeLogs, sliceLinks } from '../../src/server/large-log';
import type { LogSliceResult, LogSummary } from '../../src/shared/protocol';
import { fileUri, LspClient } from '../support/lsp-client';
import { fixture } from '../support/paths';

const logPath = fixture('large-log', 'sfc.exe.log');
const logUri = fileUri(logPath);
const original = readFileSync(logPath, 'utf8').split('\n');

function assertLineMap(r: LogSliceResult): void {
  const lines = r.text.split('\n');
  assert.equal(lines.length, r.lines.length);
  lines.forEach((l, i) => assert.equal(l, r.lines[i] === -1 ? '' : original[r.lines[i]!], `slice line ${i}`));
}

describe('large logs over stdio', () => {
  let client: LspClient;
  const tmp = mkdtempSync(path.join(tmpdir(), 'bl-large-log-'));

  before(async () => {
    client = await LspClient.start({ pullDiagnostics: true, configuration: true });
  });
  after(async () => {
    await client.stop();
    rmSync(tmp, { recursive: true, force: true });
  });

  it('summarises a log on disk and pushes its findings for the file URI', async () => {
    const s: LogSummary = await client.conn.sendRequest('bundleLens/logSummary', { uri: logUri });
    assert.equal(s.uri, logUri);
    assert.equal(s.bytes, readFileSync(logPath).length);
    assert.equal(s.lines, 19);
    assert.equal(s.entries, 13);
    assert.equal(s.first, 'Dec 31 23:58:10');
    assert.equal(s.last, 'Jan 01 00:02:30');
    assert.deepEqual(s.components[0], { name: 'Event', count: 5 });
    assert.ok(s.components.some((c) => c.name === 'TetraUpdateInterface' && c.count === 4));
    assert.equal(s.levels['ERROR'], 2);
    assert.equal(s.levels['WARNING'], 1);
    const failed = s.findings.find((f) => f.id === 'tetra.update-failed');
    assert.ok(failed, JSON.stringify(s.findings));
    assert.equal(failed.count, 2);
    assert.equal(failed.file, 'sfc.exe.log');
    assert.match(failed.message, /status -3000 in 2 attempts/);
    // Pushed before the response, so already here; `until` only guards against a slow pipe.
    await client.until(() => client.published.some((p) => p.uri === logUri), 'diagnostics pushed for the log');
    const pushed = client.published.filter((p) => p.uri === logUri).at(-1)!;
    const d = pushed.diagnostics.find((x) => x.code === 'tetra.update-failed');
    assert.ok(d);
    assert.deepEqual(d.range.start, { line: 7, character: 12 });
    assert.equal(original[7]!.slice(12, 17), '-3000');
  });

  it('slices errors only, verbatim, with the line map to the original', async () => {
    const sliceUri = 'bundle-lens-slice:/1/sfc.exe.log?%7B%22errorsOnly%22%3Atrue%7D';
    const r: LogSliceResult = await client.conn.sendRequest('bundleLens/logSlice', { uri: logUri, sliceUri, filter: { errorsOnly: true } });
    assert.deepEqual(r.lines, [4, 5, 6, 7, -1, 13, 14, 15, 16, -1, 18]);
    assert.equal(r.matched, 5);
    assert.equal(r.truncated, false);
    assert.equal(r.scannedLines, 19);
    assertLineMap(r);
  });

  it('maps a slice document\'s findings back to the original file (related information)', async () => {
    // With one entry of context, each update attempt is whole (its updateDir line too).
    const sliceUri = 'bundle-lens-slice:/8/sfc.exe.log?%7B%22errorsOnly%22%3Atrue%2C%22context%22%3A1%7D';
    const r: LogSliceResult = await client.conn.sendRequest('bundleLens/logSlice', { uri: logUri, sliceUri, filter: { errorsOnly: true, context: 1 } });
    assert.deepEqual(r.lines, [2, 3, 4, 5, 6, 7, 8, -1, 11, 12, 13, 14, 15, 16, 17, 18]);
    assertLineMap(r);
    await client.open(sliceUri, 'secure-endpoint-log', r.text);
    const report = await client.pullDiagnostics(sliceUri);
    const d = report.items.find((x: { code: string }) => x.code === 'tetra.update-failed');
    assert.ok(d, JSON.stringify(report.items));
    // The two failed attempts' statuses sit on slice lines 5 and 13 (original 7 and 16): the
    // diagnostic stands on one, and every related location is a line of the original file.
    const [a, b] = [r.lines.indexOf(7), r.lines.indexOf(16)];
    assert.ok([a, b].includes(d.range.start.line), JSON.stringify(d.range));
    assert.equal(d.range.start.character, 12);
    const related = d.relatedInformation.map((ri: any) => [ri.location.uri, ri.location.range.start.line, ri.location.range.start.character]);
    assert.ok(related.length > 0);
    for (const [uri, line] of related) {
      assert.equal(uri, logUri);
      assert.ok([7, 16].includes(line), JSON.stringify(related));
    }
    assert.ok(related.some(([, line]: [string, number]) => line === (d.range.start.line === a ? 16 : 7)), JSON.stringify(related));
  });

  it('slices a time window across Dec→Jan, one component, text, with context', async () => {
    const win: LogSliceResult = await client.conn.sendRequest('bundleLens/logSlice', { uri: logUri, sliceUri: 'bundle-lens-slice:/2/sfc.exe.log', filter: { from: 'Dec 31 23:59:00', to: 'Jan 01 00:01:00' } });
    assert.deepEqual(win.lines, [8, 9, 10]);
    const comp: LogSliceResult = await client.conn.sendRequest('bundleLens/logSlice', { uri: logUri, sliceUri: 'bundle-lens-slice:/3/sfc.exe.log', filter: { component: 'PipeWrite', context: 1 } });
    assert.deepEqual(comp.lines, [8, 9, 10]);
    assert.equal(comp.matched, 1);
    const text: LogSliceResult = await client.conn.sendRequest('bundleLens/logSlice', { uri: logUri, sliceUri: 'bundle-lens-slice:/4/sfc.exe.log', filter: { text: 'd.TMP' } });
    assert.deepEqual(text.lines, [10]);
    assertLineMap(win);
    assertLineMap(comp);
  });

  it('refuses other schemes, missing files and bad times with clear messages, and keeps serving', async () => {
    await assert.rejects(client.conn.sendRequest('bundleLens/logSummary', { uri: 'untitled:sfc.exe.log' }), (e: any) => e.code === -32602 && /file: URIs/.test(e.message));
    await assert.rejects(client.conn.sendRequest('bundleLens/logSlice', { uri: 'https://example.com/sfc.exe.log', sliceUri: 'bundle-lens-slice:/5/x', filter: {} }), /file: URIs/);
    const missing = fileUri(path.join(tmp, 'missing', 'sfc.exe.log'));
    await assert.rejects(client.conn.sendRequest('bundleLens/logSummary', { uri: missing }), /does not exist or cannot be opened \(ENOENT\)/);
    await assert.rejects(client.conn.sendRequest('bundleLens/logSummary', { uri: fileUri(tmp) }), /is not a file/);
    await assert.rejects(
      client.conn.sendRequest('bundleLens/logSlice', { uri: logUri, sliceUri: 'bundle-lens-slice:/6/x', filter: { from: 'yesterday' } }),
      (e: any) => e.code === -32602 && /"yesterday" is not a time/.test(e.message),
    );
    await assert.rejects(client.conn.sendRequest('bundleLens/logSummary', {}), /file: URIs/);
    const s: LogSummary = await client.conn.sendRequest('bundleLens/logSummary', { uri: logUri });
    assert.equal(s.entries, 13);
  });

  it('reads a binary file to a clean, empty result', async () => {
    const bin = path.join(tmp, 'sfc.exe.log.bin');
    const bytes = Buffer.alloc(200_000);
    for (let i = 0; i < bytes.length; i++) bytes[i] = (i * 7919 + (i >> 3)) & 0xff;
    writeFileSync(bin, bytes);
    const uri = fileUri(bin);
    const s: LogSummary = await client.conn.sendRequest('bundleLens/logSummary', { uri });
    assert.equal(s.entries, 0);
    assert.deepEqual(s.findings, []);
    assert.equal(s.first, undefined);
    const r: LogSliceResult = await client.conn.sendRequest('bundleLens/logSlice', { uri, sliceUri: 'bundle-lens-slice:/7/x', filter: { errorsOnly: true, context: 5 } });
    assert.equal(r.text, '');
    assert.deepEqual(r.lines, []);
    assert.equal(r.matched, 0);
    assert.ok(client.published.some((p) => p.uri === uri && p.diagnostics.length === 0));
  });

  it('does not push for a document the editor already synchronised (its own diagnostics cover it)', async () => {
    const copy = path.join(tmp, 'open-sfc.exe.log');
    writeFileSync(copy, original.join('\n'));
    const uri = fileUri(copy);
    await client.open(uri, 'secure-endpoint-log', original.join('\n'));
    const s: LogSummary = await client.conn.sendRequest('bundleLens/logSummary', { uri });
    assert.equal(s.findings.length, 1);
    // A push is sent before the response: none arrived, so none was sent.
    assert.ok(!client.published.some((p) => p.uri === uri && p.diagnostics.length > 0));
  });

  it('honours bundleLens.diagnostics.enable = false for pushed findings', async () => {
    client.settings = { diagnostics: { enable: false } };
    try {
      const copy = path.join(tmp, 'quiet-sfc.exe.log');
      writeFileSync(copy, original.join('\n'));
      const uri = fileUri(copy);
      const s: LogSummary = await client.conn.sendRequest('bundleLens/logSummary', { uri });
      assert.equal(s.findings.length, 1);
      assert.deepEqual(client.published.filter((p) => p.uri === uri).at(-1)?.diagnostics, []);
    } finally {
      client.settings = null;
    }
  });
});

describe('slice links (in process)', () => {
  it('links each header of a slice to its line in the original file', async () => {
    const handlers = new Map<string, (params: unknown, token: unknown) => Promise<unknown>>();
    const connection = {
      onRequest: (method: string, handler: (params: unknown, token: unknown) => Promise<unknown>) => handlers.set(method, handler),
      sendDiagnostics: () => Promise.resolve(),
      console: { error: () => undefined },
      workspace: { getConfiguration: () => Promise.resolve(null) },
    };
    const documents = { get: () => undefined, onDidOpen: () => ({ dispose() {} }) };
    registerLargeLogs(connection as never, documents as never);
    const sliceUri = 'bundle-lens-slice:/9/sfc.exe.log';
    const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose() {} }) };
    const r = (await handlers.get('bundleLens/logSlice')!({ uri: logUri, sliceUri, filter: { errorsOnly: true } }, token)) as LogSliceResult;
    const doc = TextDocument.create(sliceUri, 'secure-endpoint-log', 1, r.text);
    const links = sliceLinks(sliceUri, doc);
    assert.deepEqual(
      links.map((l) => [l.range.start.line, l.range.end.character, l.target]),
      [
        [0, '(900000100, +0 ms)'.length, `${logUri}#L5`],
        [2, '(900000101, +1 ms)'.length, `${logUri}#L7`],
        [5, '(900000500, +0 ms)'.length, `${logUri}#L14`],
        [7, '(900000501, +1 ms)'.length, `${logUri}#L16`],
        [10, '(900000700, +100 ms)'.length, `${logUri}#L19`],
      ],
    );
    assert.match(links[0]!.tooltip!, /Line 5 of sfc\.exe\.log/);
    assert.deepEqual(originOf(sliceUri, 3), { uri: logUri, line: 7 });
    assert.equal(originOf(sliceUri, 4), undefined);
    assert.equal(originOf('file:///other', 0), undefined);
    assert.deepEqual(sliceLinks('file:///other', doc), []);
  });
});
