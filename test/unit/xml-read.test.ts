import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { elementAt, findElement, findElements, readXml, XML_LIMITS } from '../../src/core/xml/read';

const XMLDSIG = 'http://www.w3.org/2000/09/xmldsig#';

/** The text a range covers. */
function at(text: string, r: { start: { line: number; character: number }; end: { line: number; character: number } }): string {
  const lines = text.split('\n');
  if (r.start.line === r.end.line) return lines[r.start.line]!.slice(r.start.character, r.end.character);
  return [lines[r.start.line]!.slice(r.start.character), ...lines.slice(r.start.line + 1, r.end.line), lines[r.end.line]!.slice(0, r.end.character)].join('\n');
}

describe('readXml: positions and namespaces', () => {
  const policy = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<Signature xmlns="${XMLDSIG}">`,
    '  <SignedInfo/>',
    '  <Object>',
    '    <config>',
    '      <agent><log><level>549755813887</level></log></agent>',
    '      <janus><policy><name>Servers &amp; "Protect"</name></policy></janus>',
    '      <proxy server="proxy.example.com" port=\'8080\'/>',
    '    </config>',
    '  </Object>',
    '</Signature>',
  ].join('\n');
  const doc = readXml(policy);

  it('reads the xmldsig envelope: every element in the namespace, paths of local names', () => {
    assert.equal(doc.problems.length, 0);
    const level = findElement(doc, '/Signature/Object/config/agent/log/level')!;
    assert.equal(level.uri, XMLDSIG);
    assert.equal(level.text, '549755813887');
    assert.equal(at(policy, level.textRange!), '549755813887');
    assert.equal(at(policy, level.nameRange), 'level');
    assert.equal(at(policy, level.range), '<level>549755813887</level>');
    assert.equal(findElements(doc, '//level').length, 1);
    assert.equal(findElement(level.parent!.parent!, 'log/level'), level);
  });

  it('decodes the predefined entities in text and keeps attribute ranges', () => {
    const name = findElement(doc, '//janus/policy/name')!;
    assert.equal(name.text, 'Servers & "Protect"');
    const proxy = findElement(doc, '//proxy')!;
    assert.deepEqual(
      proxy.attributes.map((a) => [a.name, a.value, at(policy, a.range)]),
      [
        ['server', 'proxy.example.com', 'server="proxy.example.com"'],
        ['port', '8080', "port='8080'"],
      ],
    );
    assert.equal(proxy.closed, true);
  });

  it('finds the deepest element at a position', () => {
    assert.equal(elementAt(doc, { line: 5, character: 27 })?.path, '/Signature/Object/config/agent/log/level');
    assert.equal(elementAt(doc, { line: 4, character: 5 })?.path, '/Signature/Object/config');
  });

  it('counts positions in UTF-16 units, as LSP does (astral characters, CRLF)', () => {
    const text = '<config>\r\n  <a>😀</a><b>x</b>\r\n</config>';
    const d = readXml(text);
    const b = findElement(d, '/config/b')!;
    // `  <a>` 0-4, the emoji 5-6 (two UTF-16 units), `</a><b>` 7-13, `x` 14.
    assert.deepEqual(b.textRange, { start: { line: 1, character: 14 }, end: { line: 1, character: 15 } });
  });
});

describe('readXml: broken input yields what was readable', () => {
  it('a truncated file: the elements read so far, unclosed ones marked, one problem at the end', () => {
    const text = '<config><agent><uuid>2b7a3c4e-0000-4000-8000-1234567890ab</uuid><engine><tetra><defversions>4:90611</def';
    const d = readXml(text);
    assert.equal(findElement(d, '/config/agent/uuid')?.text, '2b7a3c4e-0000-4000-8000-1234567890ab');
    assert.equal(findElement(d, '/config/agent/uuid')?.closed, true);
    assert.equal(findElement(d, '/config/agent/engine/tetra')?.closed, false);
    const truncated = d.problems.filter((p) => p.id === 'xml.truncated');
    assert.equal(truncated.length, 1);
    assert.deepEqual(truncated[0]!.range.start, { line: 0, character: text.length });
  });

  it('a malformed tag: a problem at the failing position, the rest still read', () => {
    const text = '<config>\n  <a>1</a>\n  <b x=1>2</b>\n  <c>3</c>\n</config>';
    const d = readXml(text);
    const bad = d.problems.find((p) => p.id === 'xml.malformed')!;
    assert.equal(bad.range.start.line, 2);
    assert.equal(findElement(d, '/config/c')?.text, '3');
  });

  it('binary and empty input: no element, a clear problem, no throw', () => {
    let seed = 9;
    const bytes = Array.from({ length: 100_000 }, () => String.fromCharCode((seed = (seed * 1103515245 + 12345) & 0x7fffffff) & 0xff)).join('');
    const d = readXml(bytes);
    assert.ok(d.problems.length <= XML_LIMITS.maxProblems * 8);
    assert.ok(d.problems.some((p) => p.id === 'xml.not-xml' || p.id === 'xml.malformed'));
    assert.deepEqual(readXml('').problems, []);
  });
});

describe('readXml: hostile input (nothing expanded, nothing fetched, bounded)', () => {
  let listener: Server;
  let connections = 0;
  let port = 0;
  before(async () => {
    listener = createServer((s) => {
      connections++;
      s.destroy();
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    port = (listener.address() as { port: number }).port;
  });
  after(() => new Promise<void>((resolve) => listener.close(() => resolve())));

  it('billion laughs: the DOCTYPE is ignored, the reference stays as written, one problem per kind', () => {
    const entities = Array.from({ length: 10 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i};`.repeat(10)}">`).join('');
    const text = `<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol0 "lol">${entities}]>\n<config><x>&lol10;</x></config>`;
    const d = readXml(text);
    assert.equal(findElement(d, '/config/x')?.text, '&lol10;');
    assert.deepEqual(
      d.problems.map((p) => p.id),
      ['xml.doctype-ignored', 'xml.entity-not-expanded'],
    );
    assert.equal(d.problems[1]!.args['name'], 'lol10');
  });

  it('external entities to a local file and to a URL: never read, never fetched', async () => {
    const text = `<!DOCTYPE config [<!ENTITY file SYSTEM "file:///etc/passwd"><!ENTITY web SYSTEM "http://127.0.0.1:${port}/x"><!ENTITY % dtd SYSTEM "http://127.0.0.1:${port}/dtd"> %dtd;]>\n<config><a>&file;</a><b>&web;</b></config>`;
    const d = readXml(text);
    assert.equal(findElement(d, '/config/a')?.text, '&file;');
    assert.equal(findElement(d, '/config/b')?.text, '&web;');
    assert.ok(!JSON.stringify(d, (k, v) => (k === 'parent' ? undefined : v)).includes('root:x:0:0'));
    // Give any stray connection the chance to arrive: one round trip to the listener itself.
    await new Promise<void>((resolve) => {
      const probe = createServer().listen(0, '127.0.0.1', () => probe.close(() => resolve()));
    });
    assert.equal(connections, 0);
  });

  it('a 100 MB single text node: read up to the size bound, the text kept to its bound, a problem', () => {
    const big = '<config><blob>' + 'A'.repeat(100 * 1024 * 1024) + '</blob></config>';
    const d = readXml(big);
    assert.ok(d.chars <= XML_LIMITS.maxChars);
    const blob = findElement(d, '/config/blob')!;
    assert.equal(blob.text.length, XML_LIMITS.maxText);
    assert.equal(blob.textTruncated, true);
    assert.ok(d.problems.some((p) => p.id === 'xml.too-large'));
    assert.ok(d.problems.some((p) => p.id === 'xml.truncated'));
  });

  it('deep nesting: elements past the depth bound are not kept, and the reading stops far past it', () => {
    const levels = 200_000;
    const text = '<a>'.repeat(levels) + '</a>'.repeat(levels);
    const d = readXml(text);
    assert.ok(d.elements <= XML_LIMITS.maxDepth);
    const deep = d.problems.find((p) => p.id === 'xml.too-deep')!;
    assert.equal(deep.args['limit'], XML_LIMITS.maxDepth);
  });

  it('a moderately deep file is read whole: the elements past the bound are counted, the rest kept', () => {
    const text = '<config>' + '<a>'.repeat(300) + '</a>'.repeat(300) + '<after>1</after></config>';
    const d = readXml(text);
    assert.equal(findElement(d, '/config/after')?.text, '1');
    assert.equal(d.problems.find((p) => p.id === 'xml.too-deep')?.args['skipped'], 300 - (XML_LIMITS.maxDepth - 1));
  });

  it('many elements: the first are kept, the rest counted', () => {
    const text = '<config>' + '<i/>'.repeat(XML_LIMITS.maxElements + 10) + '</config>';
    const d = readXml(text);
    assert.equal(d.elements, XML_LIMITS.maxElements);
    assert.equal(d.problems.find((p) => p.id === 'xml.too-many-elements')?.args['skipped'], 11);
  });

  it('thousands of bad references: the problem list stays bounded, and the reading stops after too many errors', () => {
    const text = '<config>' + '&x;'.repeat(10_000) + '</config>';
    const d = readXml(text);
    const list = d.problems.filter((p) => p.id === 'xml.entity-not-expanded');
    assert.equal(list.length, XML_LIMITS.maxProblems);
    assert.equal(list[list.length - 1]!.args['count'], XML_LIMITS.maxErrors);
    assert.equal(d.problems.find((p) => p.id === 'xml.malformed')?.args['limit'], XML_LIMITS.maxErrors);
  });

  it('a file of NUL bytes stops after the error bound (one problem per position, never one per byte)', () => {
    const d = readXml('<config>' + '\u0000'.repeat(4 * 1024 * 1024) + '</config>');
    assert.ok(d.problems.length <= 3, JSON.stringify(d.problems.map((p) => p.id)));
  });

  it('a cut comment or attribute never gives its element the markup it swallowed', () => {
    const cutComment = '<config><proxy><!-- old ---><password>NewSecret77</password></proxy></config>';
    const cutAttr = '<config><proxy><server note="main>proxy.corp</server>\n<password>AttrLeak-55</password>\n</proxy></config>';
    for (const t of [cutComment, cutAttr, '<config><agent><uuid x="1', '<config><x><!-- abc']) {
      const dump = JSON.stringify(readXml(t), (k, v) => (k === 'parent' ? undefined : v));
      assert.ok(!/NewSecret77|AttrLeak-55/.test(dump), dump);
    }
  });

  it('a bare & is reported where it stands and kept as text; nothing after it is swallowed', () => {
    const t = '<config><name>R&D Servers</name><level>5</level><e>a;b</e></config>';
    const d = readXml(t);
    assert.equal(findElement(d, '/config/name')?.text, 'R&D Servers');
    assert.equal(findElement(d, '/config/level')?.text, '5');
    const bad = d.problems.filter((p) => p.id === 'xml.malformed');
    assert.deepEqual(
      bad.map((p) => p.range.start.character),
      [t.indexOf('&')],
    );
  });

  it('lines break at CRLF, LF and a lone CR, as LSP counts them', () => {
    const d = readXml('<config>\r<a>1</a>\r\n<b>2</b>\n<c>3</c></config>');
    assert.deepEqual(
      ['a', 'b', 'c'].map((n) => findElement(d, `/config/${n}`)!.nameRange.start.line),
      [1, 2, 3],
    );
  });

  it('a comment inside a value: the range of the value starts after the comment', () => {
    const t = '<config><lasterror><!-- note -->4294965193</lasterror></config>';
    const r = findElement(readXml(t), '/config/lasterror')!.textRange!;
    assert.equal(t.slice(r.start.character, r.end.character), '4294965193');
  });
});
