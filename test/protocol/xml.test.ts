/**
 * local.xml and policy.xml through the real server over stdio: diagnostics (reading problems and
 * rules) at the right text, hover on settings and codes, the outline, the proxy password never in
 * any answer, and hostile XML (billion laughs, external entities, deep nesting, a 40 MB text
 * node, truncation) answered with a diagnostic and a working hover afterwards.
 * Every wait is on a response or a notification, never a sleep.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { fileUri, LspClient } from '../support/lsp-client';
import { fixture } from '../support/paths';

const policyPath = fixture('xml', 'policy.xml');
const policyText = readFileSync(policyPath, 'utf8');
const customPath = fixture('xml', 'policy-custom.xml');
const customText = readFileSync(customPath, 'utf8');
const localStatsPath = fixture('xml', 'local-stats.xml');
const localStatsText = readFileSync(localStatsPath, 'utf8');
const localDefPath = fixture('xml', 'local-defversions.xml');
const localDefText = readFileSync(localDefPath, 'utf8');
const PASSWORD = 'Pr0xy-S3cret-Example!';

interface Pos {
  line: number;
  character: number;
}
interface Rng {
  start: Pos;
  end: Pos;
}

/** Where `needle` is in `text` (its n-th occurrence), plus `offset` characters. */
function at(text: string, needle: string, offset = 1, nth = 0): Pos {
  const lines = text.split('\n');
  let seen = 0;
  for (let line = 0; line < lines.length; line++) {
    let from = 0;
    for (;;) {
      const c = lines[line]!.indexOf(needle, from);
      if (c < 0) break;
      if (seen++ === nth) return { line, character: c + offset };
      from = c + 1;
    }
  }
  throw new Error(`${needle} not found`);
}

/** The text a range covers (ranges within one line). */
function textAt(text: string, r: Rng): string {
  const lines = text.split('\n');
  assert.equal(r.start.line, r.end.line, 'a one-line range');
  return lines[r.start.line]!.slice(r.start.character, r.end.character);
}

function symbolsOf(client: LspClient, uri: string): Promise<any[]> {
  return client.conn.sendRequest('textDocument/documentSymbol', { textDocument: { uri } }) as Promise<any[]>;
}

function flat(symbols: any[]): any[] {
  return symbols.flatMap((s) => [s, ...flat(s.children ?? [])]);
}

describe('local.xml and policy.xml over stdio', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ pullDiagnostics: true, configuration: true });
    await client.open(fileUri(policyPath), 'xml', policyText);
    await client.open(fileUri(customPath), 'xml', customText);
    await client.open(fileUri(localStatsPath), 'xml', localStatsText);
    await client.open(fileUri(localDefPath), 'xml', localDefText);
  });
  after(() => client.stop());

  it('policy.xml (xmldsig envelope): rule findings with stable ids, severities and ranges on the values', async () => {
    const r = await client.pullDiagnostics(fileUri(policyPath));
    assert.deepEqual(
      r.items.map((d: any) => [d.code, d.severity, d.source]),
      [
        ['log.debug-disabled', 3, 'Bundle Lens'],
        ['policy.crl-check', 3, 'Bundle Lens'],
        ['exclusions.wildcard-leading', 2, 'Bundle Lens'],
      ],
    );
    const [debug, crl, wildcard] = r.items;
    assert.deepEqual(debug.range.start, at(policyText, '<level>0</level>', '<level>'.length));
    assert.equal(textAt(policyText, debug.range), '0');
    assert.match(debug.message, /log level is 0, not debug \(549755813887\).*sfc\.exe -l start/);
    assert.deepEqual(crl.range.start, at(policyText, '<crlc>1', '<crlc>'.length));
    assert.match(crl.message, /CRL checking is on.*identrust/);
    assert.equal(textAt(policyText, wildcard.range), '1|6|0|0|*\\AppData\\Local\\Temp\\*.tmp');
    assert.match(wildcard.message, /starts with a wildcard.*performance risk.*folder prefix/);
  });

  it('a bare policy export under another name is read as a policy by its root: every finding with its next step', async () => {
    const r = await client.pullDiagnostics(fileUri(customPath));
    assert.deepEqual(
      r.items.map((d: any) => d.code),
      ['tetra.updater-disabled', 'tetra.update-server-custom', 'policy.tls-verify-disabled', 'policy.user-update-disabled', 'exclusions.wildcard-leading'],
    );
    const byId = new Map<string, any>(r.items.map((d: any) => [d.code, d]));
    assert.equal(textAt(customText, byId.get('tetra.update-server-custom').range), 'https://av-mirror.corp.example.test:8443/tetra');
    assert.match(byId.get('tetra.update-server-custom').message, /av-mirror\.corp\.example\.test, not from a Cisco server/);
    assert.match(byId.get('tetra.updater-disabled').message, /sfc\.exe -forceupdate/);
    assert.match(byId.get('policy.tls-verify-disabled').message, /verifyhost, verifypeer = 0/);
    assert.match(byId.get('policy.user-update-disabled').message, /allow_tetra_update/);
    for (const d of r.items) assert.ok(d.message.length > 60 && !/^[\w.-]+$/.test(d.message), `${d.code} has a sentence`);
    // Quick fixes copy the checks with the policy's own server.
    const d = byId.get('tetra.update-server-custom');
    const actions = (await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri: fileUri(customPath) }, range: d.range, context: { diagnostics: [d] } })) as any[];
    assert.deepEqual(
      actions.map((a) => [a.command.command, a.command.arguments[0]]),
      [
        ['bundleLens.copyText', 'Resolve-DnsName -Name av-mirror.corp.example.test'],
        ['bundleLens.copyText', 'curl.exe -v https://av-mirror.corp.example.test:8443/tetra'],
      ],
    );
    assert.match(actions[0].title, /DNS check/);
  });

  it('local.xml lasterror 4294965193: tetra.proxy-connect on the value, with the lasterror check to copy', async () => {
    const uri = fileUri(localStatsPath);
    const r = await client.pullDiagnostics(uri);
    assert.deepEqual(
      r.items.map((d: any) => [d.code, d.severity, d.data.kind]),
      [['tetra.proxy-connect', 1, 'tetra.proxy-connect']],
    );
    const d = r.items[0];
    assert.equal(textAt(localStatsText, d.range), '4294965193');
    assert.match(d.message, /lasterror 4294965193 \(status -2103\): TETRA update: could not connect to the proxy/);
    const actions = (await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: d.range, context: { diagnostics: [d] } })) as any[];
    assert.match(actions[0].command.arguments[0], /Select-Xml .*\/\/tetra\/lasterror/);
    assert.match(actions[0].title, /last TETRA error/);
  });

  it('local.xml installed with skiptetra: tetra.install-skipped', async () => {
    const r = await client.pullDiagnostics(fileUri(localDefPath));
    assert.deepEqual(
      r.items.map((d: any) => d.code),
      ['tetra.install-skipped'],
    );
    assert.match(r.items[0].message, /skiptetra/);
  });

  it('hover on 549755813887: the log level decoded as debug logging on, with path and source', async () => {
    const p = at(customText, '549755813887', 3);
    const h = await client.hover(fileUri(customPath), p.line, p.character);
    const md: string = h.contents.value;
    assert.match(md, /^\*\*Connector log level/);
    assert.match(md, /Value: `549755813887` = debug logging on/);
    assert.match(md, /Next step: Run sfc\.exe -l start/);
    assert.match(md, /`\/config\/agent\/log\/level` · \*Source: BRIEF §2\.2, §2\.4\*/);
    assert.deepEqual(h.range, { start: at(customText, '549755813887', 0), end: at(customText, '549755813887', 12) });
    // Not debug: said so, with the value that would be.
    const q = at(policyText, '<level>0</level>', '<level>'.length);
    const h0 = await client.hover(fileUri(policyPath), q.line, q.character);
    assert.match(h0.contents.value, /Value: `0` = not debug logging \(debug is 549755813887\)/);
  });

  it('hover on a process exclusion: mask 12 = SPP + child processes', async () => {
    const p = at(policyText, '|12|', 2);
    const h = await client.hover(fileUri(policyPath), p.line, p.character);
    const md: string = h.contents.value;
    assert.match(md, /Process exclusion of `C:\\Program Files\\Example Backup\\backup\.exe`, mask 12 = SPP \(System Process Protection\) \+ child processes/);
    assert.match(md, /`\/Signature\/Object\/config\/exclusions\/process\/item`/);
    const m = at(policyText, '|48|', 2);
    assert.match((await client.hover(fileUri(policyPath), m.line, m.character)).contents.value, /mask 48 = MAP \(Malicious Activity Protection\) \+ child processes/);
  });

  it('hover on lasterror: on the number the code decoding first, then the setting; on the name the setting first', async () => {
    const uri = fileUri(localStatsPath);
    const p = at(localStatsText, '4294965193', 4);
    const onValue: string = (await client.hover(uri, p.line, p.character)).contents.value;
    assert.match(onValue, /^\*\*-2103\*\* — TETRA update: could not connect to the proxy/);
    assert.match(onValue, /\| 4294965193 \| -2103 \| 0xFFFFF7C9 \|/);
    assert.match(onValue, /---\n\n\*\*Result of the last TETRA definition update/);
    assert.match(onValue, /Value: `4294965193` = status -2103/);
    const n = at(localStatsText, '<lasterror>', 3);
    const onName = await client.hover(uri, n.line, n.character);
    assert.match(onName.contents.value, /^\*\*Result of the last TETRA definition update[\s\S]*---\n\n\*\*-2103\*\* — TETRA update: could not connect to the proxy/);
    assert.equal(textAt(localStatsText, onName.range), 'lasterror');
    // The end tag's name too.
    const e = at(localStatsText, '</lasterror>', 4);
    assert.match((await client.hover(uri, e.line, e.character)).contents.value, /^\*\*Result of the last TETRA definition update/);
    // 0 is no error: no code decoding.
    const z = at(localDefText, '<lasterror>0', '<lasterror>'.length);
    const zero: string = (await client.hover(fileUri(localDefPath), z.line, z.character)).contents.value;
    assert.match(zero, /Value: `0` = no error/);
    assert.doesNotMatch(zero, /no documented meaning/);
  });

  it('hover on intervals, dates, hosts and TETRA versions', async () => {
    const hoverOn = async (path: string, text: string, needle: string, offset: number) => {
      const p = at(text, needle, offset);
      return (await client.hover(fileUri(path), p.line, p.character)).contents.value as string;
    };
    assert.match(await hoverOn(policyPath, policyText, '<interval>900', 11), /Value: `900` = every 15 min \(read as seconds: unit unconfirmed\)/);
    assert.match(await hoverOn(policyPath, policyText, '<updated>1684300000', 11), /Value: `1684300000` = 2023-05-17 05:06:40 UTC/);
    assert.match(await hoverOn(policyPath, policyText, 'tetra-defs.amp.cisco.com', 3), /Value: `tetra-defs\.amp\.cisco\.com`: a Cisco server/);
    assert.match(await hoverOn(customPath, customText, 'av-mirror', 3), /Value: `av-mirror\.corp\.example\.test`: a custom server, not Cisco's/);
    assert.match(await hoverOn(localStatsPath, localStatsText, '{"engineDefinitions"', 3), /Value: TETRA definitions version 90600/);
    assert.match(await hoverOn(localDefPath, localDefText, '"3:88412"', 3), /Value: TETRA definitions version 88412/);
  });

  it('elements no setting describes: their path; attributes and blanks: nothing', async () => {
    const uri = fileUri(policyPath);
    const d = at(policyText, '<DigestValue>', 3);
    assert.equal((await client.hover(uri, d.line, d.character)).contents.value, '`/Signature/SignedInfo/Reference/DigestValue`');
    const a = at(policyText, 'Algorithm=', 3);
    assert.equal(await client.hover(uri, a.line, a.character), null);
    assert.equal(await client.hover(uri, at(policyText, '<agent>').line, 0), null);
  });

  it('the proxy password: "set (N characters)" on hover and in the outline, its value in no answer', async () => {
    const uri = fileUri(policyPath);
    const raw: string[] = [];
    for (const p of [at(policyText, PASSWORD, 0), at(policyText, PASSWORD, 5), at(policyText, PASSWORD, PASSWORD.length), at(policyText, '<password>', 3), at(policyText, '</password>', 4)]) {
      const h = await client.hover(uri, p.line, p.character);
      assert.ok(h, 'a hover on the password element');
      assert.match(h.contents.value, /Value: set \(21 characters\)/);
      raw.push(JSON.stringify(h));
    }
    const symbols = await symbolsOf(client, uri);
    const password = flat(symbols).find((s) => s.name === 'password');
    assert.equal(password.detail, 'set (21 characters)');
    raw.push(JSON.stringify(symbols));
    const diagnostics = await client.pullDiagnostics(uri);
    raw.push(JSON.stringify(diagnostics));
    raw.push(JSON.stringify(await client.conn.sendRequest('textDocument/codeAction', { textDocument: { uri }, range: { start: { line: 0, character: 0 }, end: { line: 200, character: 0 } }, context: { diagnostics: diagnostics.items } })));
    for (const r of raw) {
      assert.ok(!r.includes(PASSWORD), 'the password is in an answer');
      assert.ok(!r.includes('S3cret'), 'part of the password is in an answer');
    }
  });

  it('a numeric proxy password is no number to decode either', async () => {
    const uri = 'untitled:numeric-password/policy.xml';
    const text = policyText.replace(PASSWORD, '4294965193');
    await client.open(uri, 'xml', text);
    const p = at(text, '<password>4294965193', '<password>'.length + 3);
    const h = await client.hover(uri, p.line, p.character);
    assert.match(h.contents.value, /Value: set \(10 characters\)/);
    const symbols = await symbolsOf(client, uri);
    for (const r of [JSON.stringify(h), JSON.stringify(symbols), JSON.stringify(await client.pullDiagnostics(uri))]) {
      assert.ok(!r.includes('4294965193') && !r.includes('-2103'), 'the password (or its decoding) is in an answer');
    }
  });

  it('outline of policy.xml: the policy sections with readable names and key values, the signature apart', async () => {
    const symbols = await symbolsOf(client, fileUri(policyPath));
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['Signature (xmldsig)', 'Cloud (janus)', 'Agent', 'Product updater', 'Proxy', 'Connection', 'User interface', 'Exclusions'],
    );
    const all = flat(symbols);
    const named = (name: string) => all.find((s) => s.name === name);
    assert.equal(named('Policy').detail, 'Protect, serial 412');
    assert.equal(named('Proxy').detail, 'proxy.example.test:8080, with credentials');
    assert.equal(named('TLS').children.map((c: any) => `${c.name}: ${c.detail}`).join('; '), 'verifyhost: 1 = on; verifypeer: 1 = on; crlc: 1 = on');
    assert.equal(named('Agent logging').children[0].detail, '0 = not debug logging (debug is 549755813887)');
    assert.equal(named('Process exclusions').detail, '3 items');
    assert.equal(named('C:\\Program Files\\Example Backup\\backup.exe').detail, 'process, mask 12 = SPP (System Process Protection) + child processes');
    assert.equal(named('*\\AppData\\Local\\Temp\\*.tmp').detail, 'path · leading wildcard: performance risk');
    for (const s of all) {
      const inside = (p: Pos) =>
        (p.line > s.range.start.line || (p.line === s.range.start.line && p.character >= s.range.start.character)) &&
        (p.line < s.range.end.line || (p.line === s.range.end.line && p.character <= s.range.end.character));
      assert.ok(inside(s.selectionRange.start) && inside(s.selectionRange.end), `selection inside range for ${s.name}`);
      assert.ok(s.name.length > 0);
    }
  });

  it('outline of local.xml: agent, engines, organisation, install switches', async () => {
    const symbols = await symbolsOf(client, fileUri(localStatsPath));
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['Agent', 'Cloud (janus)', 'Installation'],
    );
    const all = flat(symbols);
    assert.equal(all.find((s) => s.name === 'definitions').detail, 'TETRA definitions version 90600');
    assert.equal(all.find((s) => s.name === 'lasterror').detail, '4294965193 = status -2103');
    assert.equal(all.find((s) => s.name === 'lastsuccesstime').detail, '1684342609 = 2023-05-17 16:56:49 UTC');
    assert.deepEqual(
      all.find((s) => s.name === 'Installer switches').children.map((c: any) => c.name),
      ['skiptetra', 'overridepolicy'],
    );
  });

  it('a copy named local.old is read as local.xml; other XML is not', async () => {
    await client.open('untitled:copies/local.old', 'plaintext', localStatsText);
    const r = await client.pullDiagnostics('untitled:copies/local.old');
    assert.deepEqual(
      r.items.map((d: any) => d.code),
      ['tetra.proxy-connect'],
    );
    await client.open('untitled:copies/other.xml', 'xml', '<project><name>x</name><lasterror>12</lasterror></project>');
    assert.deepEqual((await client.pullDiagnostics('untitled:copies/other.xml')).items, []);
    assert.deepEqual(await symbolsOf(client, 'untitled:copies/other.xml'), []);
  });

  it('bundleLens.diagnostics.enable off: no XML diagnostics, hover still works', async () => {
    const uri = fileUri(customPath);
    const first = await client.pullDiagnostics(uri);
    assert.ok(first.items.length > 0);
    client.settings = { diagnostics: { enable: false } };
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    const second = await client.pullDiagnostics(uri, first.resultId);
    assert.equal(second.kind, 'full');
    assert.deepEqual(second.items, []);
    const p = at(customText, '549755813887', 3);
    assert.ok(await client.hover(uri, p.line, p.character));
    client.settings = null;
    await client.conn.sendNotification('workspace/didChangeConfiguration', { settings: null });
    assert.ok((await client.pullDiagnostics(uri, second.resultId)).items.length > 0);
  });

  it('Diagnose on an open policy.xml reports its findings', async () => {
    const r = (await client.conn.sendRequest('bundleLens/diagnose', { uri: fileUri(policyPath) })) as any;
    assert.deepEqual(
      r.findings.map((f: any) => [f.id, f.file, f.line]),
      [
        ['log.debug-disabled', 'policy.xml', at(policyText, '<level>0</level>').line + 1],
        ['policy.crl-check', 'policy.xml', at(policyText, '<crlc>').line + 1],
        ['exclusions.wildcard-leading', 'policy.xml', at(policyText, '*\\AppData').line + 1],
      ],
    );
    assert.match(r.markdown, /exclusions\.wildcard-leading/);
    assert.ok(!r.markdown.includes(PASSWORD));
  });

  it('an edit is read again: lasterror 4294965196 becomes tetra.proxy-auth', async () => {
    const uri = 'untitled:edited/local.xml';
    await client.open(uri, 'xml', localStatsText);
    const p = at(localStatsText, '4294965193', 0);
    await client.conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ range: { start: p, end: { line: p.line, character: p.character + 10 } }, text: '4294965196' }],
    });
    const r = await client.pullDiagnostics(uri);
    assert.deepEqual(
      r.items.map((d: any) => d.code),
      ['tetra.proxy-auth'],
    );
  });
});

describe('local.xml and policy.xml, pushed diagnostics', () => {
  let client: LspClient;
  before(async () => {
    client = await LspClient.start({ pullDiagnostics: false });
  });
  after(() => client.stop());

  it('pushes the findings of an opened policy.xml', async () => {
    const uri = fileUri(policyPath);
    await client.open(uri, 'xml', policyText);
    await client.until(() => client.published.some((p) => p.uri === uri), 'publishDiagnostics for policy.xml');
    const p = client.published.find((x) => x.uri === uri)!;
    assert.deepEqual(
      p.diagnostics.map((d) => d.code),
      ['log.debug-disabled', 'policy.crl-check', 'exclusions.wildcard-leading'],
    );
    assert.ok(!JSON.stringify(p).includes(PASSWORD));
  });
});

describe('hostile XML through the server', () => {
  let client: LspClient;
  let listener: Server;
  let port = 0;
  let connections = 0;
  const passwd = (() => {
    try {
      return readFileSync('/etc/passwd', 'utf8').split('\n')[0] ?? '';
    } catch {
      return '';
    }
  })();

  before(async () => {
    listener = createServer((socket) => {
      connections++;
      socket.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as { port: number }).port;
    client = await LspClient.start({ pullDiagnostics: true });
  });
  after(async () => {
    await client.stop();
    await new Promise<void>((resolve) => listener.close(() => resolve()));
  });

  /** Opens `text` as a local.xml, pulls its diagnostics and the outline, then hovers: every request answers. */
  async function throughServer(name: string, text: string, hoverAt: Pos): Promise<{ codes: string[]; diagnostics: any; hover: any; raw: string }> {
    const uri = `untitled:hostile/${name}/local.xml`;
    await client.open(uri, 'xml', text);
    const diagnostics = await client.pullDiagnostics(uri);
    const symbols = await symbolsOf(client, uri);
    const hover = await client.hover(uri, hoverAt.line, hoverAt.character);
    return { codes: diagnostics.items.map((d: any) => d.code), diagnostics, hover, raw: JSON.stringify([diagnostics, symbols, hover]) };
  }

  it('billion laughs: the DOCTYPE is ignored, no entity is expanded, the lasterror still decodes', { timeout: 60_000 }, async () => {
    const entities = ['<!ENTITY lol "lol">'];
    for (let i = 1; i <= 9; i++) entities.push(`<!ENTITY lol${i} "${`&lol${i === 1 ? '' : i - 1};`.repeat(10)}">`);
    const text = `<?xml version="1.0"?>\n<!DOCTYPE config [\n${entities.join('\n')}\n]>\n<config>\n  <agent><uuid>&lol9;</uuid></agent>\n  <tetra><lasterror>4294965193</lasterror></tetra>\n</config>\n`;
    const r = await throughServer('laughs', text, at(text, '4294965193', 3));
    assert.deepEqual(r.codes, ['xml.doctype-ignored', 'xml.entity-not-expanded', 'tetra.proxy-connect']);
    const entity = r.diagnostics.items[1];
    assert.equal(textAt(text, entity.range), '&lol9;');
    assert.match(entity.message, /&lol9; is not expanded/);
    assert.match(r.hover.contents.value, /could not connect to the proxy/);
    assert.ok(r.raw.length < 100_000, `answers stay small (${r.raw.length})`);
    assert.ok(!r.raw.includes('lollollol'));
  });

  it('an external entity to file:///etc/passwd is never read', { timeout: 60_000 }, async () => {
    const text = `<?xml version="1.0"?>\n<!DOCTYPE config [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<config>\n  <agent><uuid>&xxe;</uuid></agent>\n</config>\n`;
    const r = await throughServer('file', text, at(text, '&xxe;', 2));
    assert.deepEqual(r.codes, ['xml.doctype-ignored', 'xml.entity-not-expanded']);
    assert.equal(textAt(text, r.diagnostics.items[1].range), '&xxe;');
    assert.match(r.hover.contents.value, /Connector GUID/);
    assert.ok(passwd.length > 0 && !r.raw.includes(passwd), 'the file\'s content is in an answer');
    assert.ok(!r.raw.includes('root:'));
  });

  it('external entities, an external DTD and a parameter entity to http://127.0.0.1 are never fetched', { timeout: 60_000 }, async () => {
    const base = `http://127.0.0.1:${port}`;
    const text =
      `<?xml version="1.0"?>\n<!DOCTYPE config SYSTEM "${base}/external.dtd" [\n  <!ENTITY % remote SYSTEM "${base}/param.dtd">\n  %remote;\n  <!ENTITY xxe SYSTEM "${base}/x">\n]>\n` +
      `<config>\n  <agent><uuid>&xxe;</uuid></agent>\n  <tetra><lasterror>4294965196</lasterror></tetra>\n</config>\n`;
    const r = await throughServer('http', text, at(text, '4294965196', 3));
    assert.ok(r.codes.includes('xml.doctype-ignored'));
    assert.ok(r.codes.includes('xml.entity-not-expanded'));
    assert.ok(r.codes.includes('tetra.proxy-auth'));
    assert.match(r.hover.contents.value, /authenticate to the proxy/);
    // Every request above has been answered: a fetch would have connected by now.
    assert.equal(connections, 0, 'the server connected to the entity\'s URL');
  });

  it('100,000 levels of nesting: xml.too-deep, and the server still answers', { timeout: 60_000 }, async () => {
    const text = `<config>${'<a>'.repeat(100_000)}${'</a>'.repeat(100_000)}</config>`;
    const r = await throughServer('deep', text, { line: 0, character: 3 });
    assert.ok(r.codes.includes('xml.too-deep'), r.codes.join(', '));
    assert.match(r.diagnostics.items.find((d: any) => d.code === 'xml.too-deep').message, /deeper than 256 levels/);
    assert.match(r.hover.contents.value, /Connector state/);
    assert.ok(r.raw.length < 1_000_000, `answers stay bounded (${r.raw.length})`);
  });

  it('a single text node of 40 MB: xml.too-large, and the server still answers', { timeout: 120_000 }, async () => {
    const big = 40 * 1024 * 1024;
    const text = `<config>\n  <agent>\n    <uuid>${'A'.repeat(big)}</uuid>\n  </agent>\n  <tetra><lasterror>4294965193</lasterror></tetra>\n</config>\n`;
    const r = await throughServer('large', text, { line: 1, character: 4 });
    assert.ok(r.codes.includes('xml.too-large'), r.codes.join(', '));
    const d = r.diagnostics.items.find((x: any) => x.code === 'xml.too-large');
    assert.match(d.message, /Only the first 16777216 of \d+ characters were read/);
    assert.equal(d.range.start.line, 2);
    assert.match(r.hover.contents.value, /Connector identity and engine state/);
    assert.ok(r.raw.length < 200_000, `answers stay bounded (${r.raw.length})`);
    // A hover inside the long value answers too, with the bounded value.
    const inside = await client.hover('untitled:hostile/large/local.xml', 2, 20_000_000);
    assert.ok(inside === null || JSON.stringify(inside).length < 10_000);
  });

  it('a truncated policy.xml: xml.truncated at the end, and what was read still hovers', { timeout: 60_000 }, async () => {
    const cut = policyText.slice(0, policyText.indexOf('<proxy>') + '<proxy>\n        <type>1</ty'.length);
    const uri = 'untitled:hostile/truncated/policy.xml';
    await client.open(uri, 'xml', cut);
    const r = await client.pullDiagnostics(uri);
    const codes = r.items.map((d: any) => d.code);
    assert.ok(codes.includes('xml.truncated'), codes.join(', '));
    const t = r.items.find((d: any) => d.code === 'xml.truncated');
    const lines = cut.split('\n');
    assert.deepEqual(t.range.start, { line: lines.length - 1, character: lines[lines.length - 1]!.length });
    assert.match(t.message, /ends before <type> is closed/);
    const p = at(cut, '<interval>900', 11);
    assert.match((await client.hover(uri, p.line, p.character)).contents.value, /every 15 min/);
  });

  it('malformed XML and binary bytes: xml.malformed and xml.not-xml, hover still answers', { timeout: 60_000 }, async () => {
    const text = '<config>\n  <agent><uuid>x</agnet>\n  <tetra><lasterror>4294965193</lasterror></tetra>\n</config>\n';
    const r = await throughServer('malformed', text, { line: 0, character: 2 });
    assert.ok(r.codes.includes('xml.malformed'), r.codes.join(', '));
    assert.equal(r.diagnostics.items.find((d: any) => d.code === 'xml.malformed').range.start.line, 1);
    assert.ok(r.hover);
    const binary = String.fromCharCode(...Array.from({ length: 4096 }, (_, i) => (i * 7919) % 256));
    const b = await throughServer('binary', binary, { line: 0, character: 1 });
    assert.ok(b.codes.includes('xml.not-xml') || b.codes.includes('xml.malformed'), b.codes.join(', '));
    assert.ok(b.raw.length < 200_000);
  });

  // Review of issue 6: secrets that leaked through damaged or hand-edited files.
  const env = (body: string) => `<?xml version="1.0"?>\n<Signature xmlns="http://www.w3.org/2000/09/xmldsig#"><Object><config>\n${body}\n</config></Object></Signature>\n`;
  const leaks: Array<[string, string, string]> = [
    ['a comment closed with a typo', env('<proxy>\n<!-- old setting ---><password>NewSecret77</password>\n</proxy>'), 'NewSecret77'],
    ['an attribute with no closing quote', env('<proxy>\n<server note="main>proxy.corp</server>\n<password>AttrLeak-55</password>\n</proxy>'), 'AttrLeak-55'],
    ['a bare & before the password', env('<janus><policy><name>R&D Servers</name></policy></janus>\n<proxy><password>AmpPw-42</password></proxy>\n<exclusions><info><item>1|0|x;y</item></info></exclusions>'), 'AmpPw-42'],
    ['credentials in the proxy URL', env('<proxy><server>http://bob:Hunter2Pw@proxy.corp:8080</server><port>8080</port><password>x</password></proxy>'), 'Hunter2Pw'],
    ['a lone CR before a numeric password', env('<janus><policy><name>a\rb</name></policy></janus>\n<proxy><password>31415926</password></proxy>'), '31415926'],
  ];
  for (const [what, text, secret] of leaks) {
    it(`${what}: the secret is in no answer`, { timeout: 60_000 }, async () => {
      const uri = `untitled:leak/${what.replace(/\W+/g, '-')}/policy.xml`;
      await client.open(uri, 'xml', text);
      const answers: unknown[] = [await client.pullDiagnostics(uri), await symbolsOf(client, uri)];
      const lines = text.split(/\r\n|\r|\n/);
      for (let line = 0; line < lines.length; line++) {
        for (let character = 0; character <= lines[line]!.length; character += 3) answers.push(await client.hover(uri, line, character));
      }
      const raw = JSON.stringify(answers);
      assert.ok(!raw.includes(secret), `${secret} in ${raw.slice(Math.max(0, raw.indexOf(secret) - 200), raw.indexOf(secret) + 50)}`);
    });
  }
});
