import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteDecoder, detectEncoding, LineSplitter, splitLines, type Line } from '../../src/core/text/lines';

function linesOf(chunks: string[], max?: number): Line[] {
  const out: Line[] = [];
  const s = new LineSplitter((l) => out.push(l), max);
  for (const c of chunks) s.push(c);
  s.finish();
  return out;
}

describe('LineSplitter', () => {
  it('splits LF, CRLF and lone CR the same way', () => {
    assert.deepEqual(splitLines('a\nb\r\nc\rd').map((l) => l.text), ['a', 'b', 'c', 'd']);
  });

  it('keeps a CRLF split across two chunks as one break', () => {
    assert.deepEqual(linesOf(['a\r', '\nb\r', '\n']).map((l) => l.text), ['a', 'b']);
  });

  it('numbers lines and keeps empty ones', () => {
    assert.deepEqual(linesOf(['x\n\ny']).map((l) => [l.index, l.text]), [[0, 'x'], [1, ''], [2, 'y']]);
  });

  it('bounds the kept length of a very long line and reports its full length', () => {
    const [first, second] = linesOf(['a'.repeat(3000), 'b'.repeat(3000), '\nnext'], 1000);
    assert.equal(first?.text.length, 1000);
    assert.equal(first?.truncated, true);
    assert.equal(first?.length, 6000);
    assert.equal(second?.text, 'next');
  });
});

describe('ByteDecoder', () => {
  const decodeAll = (bytes: Uint8Array, chunk = 3) => {
    const d = new ByteDecoder();
    let text = '';
    for (let i = 0; i < bytes.length; i += chunk) text += d.push(bytes.subarray(i, i + chunk));
    return { text: text + d.finish(), encoding: d.encoding };
  };

  it('reads UTF-8 with a BOM and drops the BOM', () => {
    const r = decodeAll(new Uint8Array([0xef, 0xbb, 0xbf, ...Buffer.from('(1, +0 ms) ok 정의')]));
    assert.equal(r.text, '(1, +0 ms) ok 정의');
  });

  it('reads UTF-16 LE and BE with a BOM, in odd-sized chunks', () => {
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('lasterror 4294965193\r\n', 'utf16le')]);
    assert.deepEqual(decodeAll(le), { text: 'lasterror 4294965193\r\n', encoding: 'utf-16le' });
    const be = Buffer.from(le);
    be.swap16();
    assert.equal(decodeAll(be).text, 'lasterror 4294965193\r\n');
  });

  it('detects BOM-less UTF-16 LE by its NUL pattern', () => {
    assert.equal(detectEncoding(Buffer.from('Name\r\n----\r\nTLS_AES', 'utf16le')).encoding, 'utf-16le');
  });

  it('survives invalid bytes (replacement characters, no exception)', () => {
    const r = decodeAll(new Uint8Array([0x41, 0xff, 0xfe, 0xfd, 0x42, 0x0a, 0xc3]));
    assert.match(r.text, /^A.*B\n/s);
  });

  it('handles input shorter than the detection window', () => {
    assert.equal(decodeAll(Buffer.from('ab')).text, 'ab');
    assert.equal(decodeAll(new Uint8Array(0)).text, '');
  });
});

describe('UTF-8 decoding across chunk boundaries (Node fast path)', () => {
  it('gives exactly what TextDecoder gives, for multi-byte text cut anywhere, invalid and truncated bytes included', () => {
    let seed = 3;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const samples = ['héllo wörld ✓ 𝄞 日本語 Ελληνικά\n', '\u00ff\u0100\uffff (978223515, +0 ms)\n'];
    for (let k = 0; k < 2000; k++) {
      let bytes = Buffer.from(samples[rnd(2)]!.repeat(1 + rnd(5)));
      if (rnd(4) === 0) bytes = Buffer.concat([bytes, Buffer.from([0xe2, 0x82])]);
      if (rnd(5) === 0) bytes[rnd(bytes.length)] = 0xff;
      const want = new TextDecoder('utf-8', { fatal: false, ignoreBOM: true }).decode(bytes);
      const d = new ByteDecoder();
      let got = '';
      for (let i = 0; i < bytes.length; ) {
        const n = 1 + rnd(7);
        got += d.push(bytes.subarray(i, i + n));
        i += n;
      }
      got += d.finish();
      assert.equal(got, want);
    }
  });

  it('keeps a cut sequence even when the caller reuses its buffer', () => {
    const bytes = Buffer.from('ab日本\n');
    const reused = Buffer.alloc(4);
    const d = new ByteDecoder();
    let got = d.push(Buffer.from('12345678'));
    for (let i = 0; i < bytes.length; i += 4) {
      const n = bytes.copy(reused, 0, i, i + 4);
      got += d.push(reused.subarray(0, n));
      reused.fill(0x41);
    }
    assert.equal(got + d.finish(), '12345678ab日本\n');
  });
});
