import assert from 'node:assert/strict';
import { readdirSync, rmSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ARCHIVE_LIMITS, ArchiveError, archiveMemory, checkEntryName, openArchive, openArchiveFromBytes, sniffArchive, type Archive, type ArchiveErrorCode } from '../../src/core/bundle/archive';
import { CancelledError } from '../../src/core/types';
import { BACKSLASH_LOG_NAME, BUNDLE_FILES, makeArchives, sevenZipBytes, zipBytes, type ArchiveFixtures } from '../support/make-archives';

let f: ArchiveFixtures;

before(async () => {
  f = await makeArchives();
});

after(() => {
  if (f) rmSync(f.dir, { recursive: true, force: true });
});

/** Every file under a folder with its size and modification time: proof that nothing was written. */
function snapshot(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const full = path.join(d, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else out.push(`${path.relative(dir, full)} ${st.size} ${st.mtimeMs}`);
    }
  };
  walk(dir);
  return out;
}

function isArchiveError(code: ArchiveErrorCode, detail?: RegExp) {
  return (e: unknown) => {
    assert.ok(e instanceof ArchiveError, `expected an ArchiveError, got ${String(e)}`);
    assert.equal(e.code, code, e.message);
    if (detail) assert.match(e.detail, detail);
    return true;
  };
}

async function withArchive<T>(file: string, use: (a: Archive) => Promise<T>, limits?: Parameters<typeof openArchive>[1]): Promise<T> {
  const a = await openArchive(file, limits);
  try {
    return await use(a);
  } finally {
    await a.close();
  }
}

const text = (b: Uint8Array) => Buffer.from(b).toString('utf8');
const LOG = 'Program Files/Cisco/AMP/8.1.7.21417/sfc.exe.log';

describe('sniffArchive and entry names', () => {
  it('knows zip and 7z by their magic bytes only', () => {
    assert.equal(sniffArchive(Buffer.from('PK\x03\x04....', 'latin1')), 'zip');
    assert.equal(sniffArchive(Buffer.from('PK\x05\x06', 'latin1')), 'zip');
    assert.equal(sniffArchive(Buffer.from([0x37, 0x7a, 0xbc, 0xaf, 0x27, 0x1c, 0, 4])), '7z');
    assert.equal(sniffArchive(Buffer.from('7z not really')), undefined);
    assert.equal(sniffArchive(new Uint8Array(0)), undefined);
  });

  it('normalises safe names and refuses the unsafe ones', () => {
    assert.deepEqual(checkEntryName('a\\b\\c.log'), { path: 'a/b/c.log', isDirectory: false });
    assert.deepEqual(checkEntryName('./a//b/'), { path: 'a/b', isDirectory: true });
    assert.deepEqual(checkEntryName('./'), { skip: true });
    for (const bad of ['../x', 'a/../../x', 'a/..', '/etc/passwd', '\\x', 'C:\\x', 'c:x', '\\\\server\\share\\x', '//server/x', 'a\0b', '', 'x'.repeat(ARCHIVE_LIMITS.maxNameLength + 1)]) {
      const r = checkEntryName(bad);
      assert.ok('code' in r && r.code === 'unsafe-name', JSON.stringify(bad));
    }
  });
});

describe('zip', () => {
  it('lists a bundle with normalised paths, sizes and directories', async () => {
    await withArchive(f.bundleZip, async (a) => {
      assert.equal(a.format, 'zip');
      assert.equal(a.depth, 1);
      assert.equal(a.damaged, undefined);
      const entries = a.entries();
      assert.deepEqual(
        entries.map((e) => e.path),
        ['Program Files', 'Program Files/Cisco', ...Object.keys(BUNDLE_FILES), BACKSLASH_LOG_NAME.replace(/\\/g, '/')],
      );
      const dir = entries[0]!;
      assert.equal(dir.isDirectory, true);
      assert.equal(dir.size, 0);
      const log = a.entry(LOG)!;
      assert.equal(log.size, Buffer.byteLength(BUNDLE_FILES[LOG]!));
      assert.ok(log.compressedSize !== undefined && log.compressedSize > 0 && log.compressedSize < log.size);
      assert.equal(log.isArchive, false);
      assert.equal(log.encrypted, false);
      assert.ok(log.modified instanceof Date);
      assert.deepEqual(a.rejected(), []);
    });
  });

  it('reads entries whole, in chunks and their first bytes; a backslash name by either separator', async () => {
    await withArchive(f.bundleZip, async (a) => {
      for (const [name, content] of Object.entries(BUNDLE_FILES)) assert.equal(text(await a.read(name)), content);
      const chunks: Uint8Array[] = [];
      for await (const c of a.stream(LOG)) chunks.push(c);
      assert.equal(Buffer.concat(chunks).toString('utf8'), BUNDLE_FILES[LOG]);
      assert.equal(text(await a.head(LOG, 18)), '(978223515, +0 ms)');
      assert.equal(text(await a.read(BACKSLASH_LOG_NAME)), f.backslashLog);
      assert.equal(text(await a.read(BACKSLASH_LOG_NAME.replace(/\\/g, '/'))), f.backslashLog);
    });
  });

  it('refuses reads it cannot do with a typed error', async () => {
    await withArchive(f.bundleZip, async (a) => {
      await assert.rejects(a.read('nope.txt'), isArchiveError('no-entry'));
      await assert.rejects(a.read('Program Files'), isArchiveError('not-a-file'));
      await assert.rejects(a.read('../Program Files/x'), isArchiveError('unsafe-name'));
      await assert.rejects(a.read(LOG, { maxBytes: 10 }), isArchiveError('too-large', /stream it instead/));
      await assert.rejects(a.read(LOG, { token: { isCancellationRequested: true } }), (e: unknown) => e instanceof CancelledError);
    });
    const a = await openArchive(f.bundleZip);
    await a.close();
    await assert.rejects(a.read(LOG), isArchiveError('closed'));
  });

  it('opens a zip named .7z as a zip (magic bytes, not the name)', async () => {
    await withArchive(f.bundleZipNamed7z, async (a) => {
      assert.equal(a.format, 'zip');
      assert.equal(text(await a.read(LOG)), BUNDLE_FILES[LOG]);
    });
  });

  it('refuses a file that is no archive, and a missing one', async () => {
    await assert.rejects(openArchive(f.notArchive), isArchiveError('not-an-archive', /neither a zip nor a 7z/));
    await assert.rejects(openArchive(path.join(f.dir, 'missing.zip')), isArchiveError('not-found'));
    await assert.rejects(openArchive(f.dir), isArchiveError('not-found', /not a file/));
  });

  it('lists 10,000 entries, and refuses the archive over a lower entry limit', async () => {
    await withArchive(f.manyZip, async (a) => {
      const entries = a.entries();
      assert.equal(entries.length, 10_000);
      assert.equal(text(await a.read('logs/09999.txt')), 'entry 9999\n');
    });
    await assert.rejects(openArchive(f.manyZip, { limits: { maxEntries: 9_999 } }), isArchiveError('too-many-entries', /10000 entries \(the limit is 9999\)/));
  });

  it('listing stops when cancelled', async () => {
    await assert.rejects(openArchive(f.manyZip, { token: { isCancellationRequested: true } }), (e: unknown) => e instanceof CancelledError);
  });

  it('refuses the archive when its entries declare more than the total bound', async () => {
    await assert.rejects(openArchive(f.bundleZip, { limits: { maxTotalSize: 100 } }), isArchiveError('too-large', /in total/));
  });

  it('lists a truncated zip from its local headers, says it is damaged, and reads what is whole', async () => {
    await withArchive(f.truncatedZip, async (a) => {
      assert.equal(a.format, 'zip');
      assert.match(a.damaged ?? '', /central directory is unreadable/);
      assert.ok(a.entries().some((e) => e.path === LOG));
      assert.equal(text(await a.read(LOG)), BUNDLE_FILES[LOG]);
    });
  });

  it('a zip cut before its first entry is complete: corrupt, nothing listed', async () => {
    const cut = zipBytes([{ name: 'a.txt', data: 'x'.repeat(5000), method: 0 }]).subarray(0, 20);
    await assert.rejects(openArchiveFromBytes(cut, 'cut.zip'), isArchiveError('corrupt'));
  });

  it('lists encrypted and unsupported entries without reading them', async () => {
    await withArchive(f.encryptedZip, async (a) => {
      const secret = a.entry('secret.txt')!;
      assert.equal(secret.encrypted, true);
      assert.equal(secret.unreadable?.code, 'encrypted');
      await assert.rejects(a.read('secret.txt'), isArchiveError('encrypted', /no password/));
      assert.equal(a.entry('bzip2.txt')?.unreadable?.code, 'unsupported');
      await assert.rejects(a.read('bzip2.txt'), isArchiveError('unsupported', /method 12/));
      assert.equal(text(await a.read('plain.txt')), 'plain\n');
    });
  });

  it('detects damaged entry data (CRC-32)', async () => {
    const good = zipBytes([{ name: 'a.txt', data: 'hello world', method: 0 }]);
    const bad = Buffer.from(good);
    bad[30 + 'a.txt'.length] = 'H'.charCodeAt(0);
    const a = await openArchiveFromBytes(bad, 'bad.zip');
    await assert.rejects(a.read('a.txt'), isArchiveError('corrupt', /CRC-32/));
    await a.close();
  });
});

describe('hostile zips', () => {
  it('rejects unsafe names, links and duplicates one by one; the rest stays usable; nothing is written', async () => {
    const before = snapshot(f.dir);
    await withArchive(f.evilZip, async (a) => {
      assert.deepEqual(
        a.entries().map((e) => e.path),
        ['fine.txt'],
      );
      assert.equal(text(await a.read('fine.txt')), 'fine\n'); // the first of the two
      const rejected = a.rejected();
      const byName = new Map(rejected.map((r) => [r.name, r]));
      assert.equal(byName.get('../evil.txt')?.code, 'unsafe-name');
      assert.match(byName.get('../evil.txt')!.detail, /climbs out/);
      assert.match(byName.get('/etc/passwd')!.detail, /absolute/);
      assert.match(byName.get('C:\\x')!.detail, /drive/);
      assert.match(byName.get('\\\\server\\share\\x')!.detail, /UNC/);
      assert.equal(byName.get('a/../../b.txt')?.code, 'unsafe-name');
      assert.match(byName.get('nul\\u0000.txt')!.detail, /NUL/);
      assert.ok(rejected.some((r) => r.code === 'unsafe-name' && /characters long/.test(r.detail) && r.name.length <= 201));
      assert.equal(byName.get('./fine.txt')?.code, 'duplicate');
      assert.equal(byName.get('link')?.code, 'not-a-file');
      assert.equal(rejected.length, 9);
      for (const name of ['../evil.txt', '/etc/passwd', 'C:\\x']) await assert.rejects(a.read(name), isArchiveError('unsafe-name'));
      await assert.rejects(a.read('link'), isArchiveError('not-a-file', /symbolic link/));
    });
    assert.deepEqual(snapshot(f.dir), before);
  });

  it('a zip bomb (1 GiB of zeros in 1 MiB) is rejected by its ratio, without inflating anything', async () => {
    const before = snapshot(f.dir);
    await withArchive(f.bombZip, async (a) => {
      assert.deepEqual(a.rejected().map((r) => [r.name, r.code]), [['zeros.bin', 'ratio']]);
      assert.match(a.rejected()[0]!.detail, /expands 10\d\d:1 \(1 GiB from 1\.0 MiB; the limit is 200:1\)/);
      await assert.rejects(a.read('zeros.bin'), isArchiveError('ratio'));
      await assert.rejects(async () => {
        for await (const _ of a.stream('zeros.bin')) assert.fail('no byte of a bomb is produced');
      }, isArchiveError('ratio'));
      assert.equal(text(await a.read('after.txt')), 'still readable\n');
    });
    // Over the entry bound even with a permissive ratio: still refused before any inflation.
    await withArchive(
      f.bombZip,
      async (a) => assert.equal(a.rejected()[0]?.code, 'too-large'),
      { limits: { maxRatio: 1e6, maxEntrySize: 512 * 1024 * 1024 } },
    );
    assert.deepEqual(snapshot(f.dir), before);
  });

  it('a bomb whose header lies about its size stops as soon as it inflates past what it declared', async () => {
    await withArchive(f.lyingBombZip, async (a) => {
      const declared = a.entry('zeros.bin')!.size;
      assert.equal(declared, 2 << 20);
      let produced = 0;
      await assert.rejects(async () => {
        for await (const c of a.stream('zeros.bin')) produced += c.length;
      }, isArchiveError('size-mismatch', /inflates past the size its header declares/));
      assert.ok(produced <= declared, `${produced} bytes handed out for ${declared} declared`);
      await assert.rejects(a.read('zeros.bin'), isArchiveError('size-mismatch'));
    });
  });

  it('the ratio bound is an option: ordinary compressible text passes the default, not a bound of 3:1', async () => {
    // ~4 MiB of log lines that vary the way real ones do (ticks, deltas, thread ids, statuses).
    const lines: string[] = [];
    let seed = 7;
    const rnd = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    for (let i = 0; lines.length < 40_000; i++) {
      lines.push(`(${978223515 + i * 37 + rnd(30)}, +${rnd(900)} ms) Aug 04 07:${String(rnd(60)).padStart(2, '0')}:${String(rnd(60)).padStart(2, '0')} [${rnd(20000)}]: PerformTetraUpdate: bUpdated = FALSE, state: ${rnd(30)}, status: -${2100 + rnd(10)}\r\n`);
    }
    const log = Buffer.from(lines.join(''));
    const bytes = zipBytes([{ name: 'sfc.exe.log', data: log }]);
    const ok = await openArchiveFromBytes(bytes, 'z.zip');
    assert.deepEqual(ok.rejected(), []);
    assert.equal((await ok.read('sfc.exe.log')).length, log.length);
    await ok.close();
    const strict = await openArchiveFromBytes(bytes, 'z.zip', { limits: { maxRatio: 3 } });
    assert.equal(strict.rejected()[0]?.code, 'ratio');
    await strict.close();
  });
});

describe('nested archives', () => {
  it('opens a zip inside a zip from memory, one level deeper; isArchive follows the magic bytes once read', async () => {
    await withArchive(f.nestedZip, async (a) => {
      assert.equal(a.entry('bundle.zip')?.isArchive, true);
      assert.equal(a.entry('renamed.bin')?.isArchive, false);
      assert.equal(a.entry('fake.zip')?.isArchive, true);
      const inner = await a.openNested('bundle.zip');
      assert.equal(inner.depth, 2);
      assert.equal(inner.format, 'zip');
      assert.equal(inner.source, `${f.nestedZip}!/bundle.zip`);
      assert.equal(text(await inner.read(LOG)), BUNDLE_FILES[LOG]);
      await a.head('renamed.bin', 8);
      assert.equal(a.entry('renamed.bin')?.isArchive, true);
      await a.read('fake.zip');
      assert.equal(a.entry('fake.zip')?.isArchive, false);
      await assert.rejects(a.openNested('fake.zip'), isArchiveError('not-an-archive'));
      const renamed = await a.openNested('renamed.bin');
      assert.equal(renamed.entries().length, 7);
    });
  });

  it('refuses a nested archive over the in-memory bound', async () => {
    await withArchive(f.nestedZip, async (a) => {
      await assert.rejects(a.openNested('bundle.zip'), isArchiveError('too-large', /nested archive/));
    }, { limits: { maxNestedArchiveSize: 1000 } });
  });

  it('stops at the depth limit (five levels, three allowed)', async () => {
    await withArchive(f.deepZip, async (l1) => {
      const l2 = await l1.openNested('l2.zip');
      const l3 = await l2.openNested('l3.zip');
      assert.equal(l3.depth, 3);
      await assert.rejects(l3.openNested('l4.zip'), isArchiveError('depth', /level 4 \(the limit is 3 levels\)/));
    });
    await withArchive(f.deepZip, async (l1) => {
      const l5 = await (await (await (await l1.openNested('l2.zip')).openNested('l3.zip')).openNested('l4.zip')).openNested('l5.zip');
      assert.equal(l5.depth, 5);
      assert.equal(text(await l5.read('bottom.txt')), 'the bottom\n');
    }, { limits: { maxDepth: 5 } });
  });

  it('closing an archive closes what was opened from it', async () => {
    const outer = await openArchive(f.nestedZip);
    const inner = await outer.openNested('bundle.zip');
    await outer.close();
    await assert.rejects(inner.read(LOG), isArchiveError('closed'));
  });
});

describe('7z', () => {
  it('lists and reads a real 7z (LZMA, through libarchive)', async () => {
    await withArchive(f.real7z, async (a) => {
      assert.equal(a.format, '7z');
      assert.equal(a.damaged, undefined);
      const paths = a.entries().map((e) => e.path);
      for (const name of Object.keys(BUNDLE_FILES)) assert.ok(paths.includes(name), name);
      const log = a.entry(LOG)!;
      assert.equal(log.size, Buffer.byteLength(BUNDLE_FILES[LOG]!));
      assert.equal(log.compressedSize, undefined);
      for (const [name, content] of Object.entries(BUNDLE_FILES)) assert.equal(text(await a.read(name)), content);
      const chunks: Uint8Array[] = [];
      for await (const c of a.stream(LOG)) chunks.push(c);
      assert.equal(Buffer.concat(chunks).toString('utf8'), BUNDLE_FILES[LOG]);
      await assert.rejects(a.read('nope'), isArchiveError('no-entry'));
    });
  });

  it('reads more entries than one worker serves (the worker is replaced) with the same results', async () => {
    // One extraction per entry (no one pass, nothing kept but the last): more calls than one worker serves.
    await withArchive(f.real7z, async (a) => {
      const calls = spyWorker(a);
      for (let i = 0; i < 12; i++) {
        const name = Object.keys(BUNDLE_FILES)[i % 4]!;
        assert.equal(text(await a.read(name)), BUNDLE_FILES[name]);
      }
      assert.deepEqual(calls, { extractFiles: 0, extractSingleFile: 12 });
    }, { limits: { maxOnePassSize: 0, maxEntryCacheSize: 0 } });
  });

  it('opens the zip inside a 7z', async () => {
    await withArchive(f.real7z, async (a) => {
      assert.equal(a.entry('inner.zip')?.isArchive, true);
      const inner = await a.openNested('inner.zip');
      assert.equal(inner.depth, 2);
      assert.equal(text(await inner.read(LOG)), BUNDLE_FILES[LOG]);
      // A nested archive closed on its own is let go by its parent (its bytes with it), and opens again.
      const children = (a as unknown as { children: Set<unknown> }).children;
      assert.equal(children.size, 1);
      await inner.close();
      assert.equal(children.size, 0);
      await assert.rejects(inner.read(LOG), isArchiveError('closed'));
      const again = await a.openNested('inner.zip');
      assert.equal(text(await again.read(LOG)), BUNDLE_FILES[LOG]);
      assert.equal(children.size, 1);
    });
  });

  it('bounds what is loaded in memory: the archive, and each entry', async () => {
    await assert.rejects(openArchive(f.real7z, { limits: { maxBufferedArchiveSize: 100 } }), isArchiveError('too-large', /read in memory/));
    await withArchive(f.real7z, async (a) => {
      assert.equal(a.entry(LOG)?.unreadable?.code, 'too-large');
      await assert.rejects(a.read(LOG), isArchiveError('too-large', /extracted into memory/));
    }, { limits: { maxBufferedEntrySize: 100 } });
  });

  it('a 7z bomb is rejected by the overall ratio of the archive (7z gives no per-entry compressed size)', async () => {
    await withArchive(f.bomb7z, async (a) => {
      const r = a.rejected();
      assert.deepEqual(r.map((x) => [x.name, x.code]), [['zeros.bin', 'ratio']]);
      assert.match(r[0]!.detail, /the archive as a whole/);
      await assert.rejects(a.read('zeros.bin'), isArchiveError('ratio'));
      assert.equal(text(await a.read('after.txt')), 'still readable\n');
    });
  });

  it('a 7z bomb of many files of 1 MiB or less is refused by its overall ratio: none of its files is extracted', async () => {
    // Each file at or under ratioMinSize, so none is checked on its own; together 8.5 MiB from ~2 KB.
    const files: Record<string, Buffer> = {};
    for (let i = 0; i < 6; i++) files[`mib/${i}.bin`] = Buffer.alloc(ARCHIVE_LIMITS.ratioMinSize);
    for (let i = 0; i < 40; i++) files[`small/${i}.bin`] = Buffer.alloc(64 * 1024);
    const bomb = await sevenZipBytes({ ...files, 'readme.txt': 'hello\n' });
    const a = await openArchiveFromBytes(bomb, 'many-zeros.7z');
    try {
      const calls = spyWorker(a);
      assert.deepEqual(a.rejected(), []);
      const entries = a.entries().filter((e) => !e.isDirectory);
      assert.equal(entries.length, 47);
      for (const e of entries) {
        assert.equal(e.unreadable?.code, 'ratio', e.path);
        assert.match(e.unreadable!.detail, /its 47 files declare 8\.5 MiB from an archive of \d+ B \(\d+:1 as a whole; the limit is 200:1\): a possible zip bomb/);
      }
      await assert.rejects(a.read('mib/0.bin'), isArchiveError('ratio', /as a whole/));
      await assert.rejects(a.head('small/3.bin', 8), isArchiveError('ratio'));
      await assert.rejects(a.read('readme.txt'), isArchiveError('ratio'));
      assert.deepEqual(calls, { extractFiles: 0, extractSingleFile: 0 });
    } finally {
      await a.close();
    }
    // A looser ratio bound reads them (the rule is the ratio, not the sizes).
    const loose = await openArchiveFromBytes(bomb, 'many-zeros.7z', { limits: { maxRatio: 1e6 } });
    try {
      assert.equal(loose.entries().filter((e) => e.unreadable).length, 0);
      assert.equal((await loose.read('mib/5.bin')).length, ARCHIVE_LIMITS.ratioMinSize);
    } finally {
      await loose.close();
    }
  });

  it('never waits for ever on the 7z reader: a step over the time bound stops it', async () => {
    await assert.rejects(openArchive(f.real7z, { limits: { workerTimeoutMs: 1 } }), isArchiveError('timeout', /was stopped/));
  });

  it('a read under way when the archive is closed ends with "closed"', async () => {
    const a = await openArchive(f.real7z);
    const reading = a.read(LOG);
    await a.close();
    await assert.rejects(reading, isArchiveError('closed'));
  });

  it('refuses a truncated 7z as corrupt', async () => {
    await assert.rejects(openArchive(f.truncated7z), isArchiveError('corrupt'));
  });

  it('opening and reading write nothing', async () => {
    const before = snapshot(f.dir);
    await withArchive(f.real7z, async (a) => {
      for (const e of a.entries()) if (!e.isDirectory) await a.read(e.path);
    });
    assert.deepEqual(snapshot(f.dir), before);
  });
});

/** Counts the extraction calls an archive read through libarchive makes on its worker (its private session, spied). */
function spyWorker(a: Archive): { extractFiles: number; extractSingleFile: number } {
  type Client = Record<string, (...args: unknown[]) => unknown>;
  type Session = { run(what: string, call: (client: Client) => Promise<unknown>): Promise<unknown> };
  const session = (a as unknown as { session?: Session }).session;
  assert.ok(session && typeof session.run === 'function', 'a 7z archive has a libarchive session');
  const counts = { extractFiles: 0, extractSingleFile: 0 };
  const run = session.run.bind(session);
  session.run = (what, call) =>
    run(what, (client) =>
      call(
        new Proxy({} as Client, {
          get: (_, key) => {
            if (key === 'extractFiles' || key === 'extractSingleFile') counts[key]++;
            return (...args: unknown[]) => client[key as string]!(...args);
          },
        }),
      ),
    );
  return counts;
}

/** Small, different files (a bundle's many small outputs), by name. */
function smallFiles(count: number): Record<string, string> {
  const files: Record<string, string> = {};
  for (let i = 0; i < count; i++) files[`diag/events/${String(i).padStart(4, '0')}.txt`] = `event ${i}: ${'x'.repeat(i % 97)}\r\n`;
  return files;
}

describe('7z read in one pass', () => {
  const many = smallFiles(300);
  let many7z: Buffer;
  /** A 7z whose last entry is damaged near its end: the entries before it decode whole. */
  let damaged7z: Buffer;
  const damagedFiles: Record<string, string> = {};

  before(async () => {
    many7z = await sevenZipBytes(many);
    for (let i = 0; i < 5; i++) damagedFiles[`f/${i}.txt`] = `file ${i}\n`;
    let x = 1;
    const words: string[] = [];
    for (let k = 0; k < 150_000; k++) words.push((x = (x * 1103515245 + 12345) % 2 ** 31).toString(36));
    damagedFiles['big.txt'] = words.join(' ');
    const good = await sevenZipBytes(damagedFiles);
    damaged7z = Buffer.from(good);
    const packed = Number(good.readBigUInt64LE(12)); // the start header's next-header offset: the packed data ends there
    const at = 32 + Math.floor(packed * 0.9);
    for (let k = 0; k < 64; k++) damaged7z[at + k]! ^= 0x5a;
  });

  it('reads 300 small files, each exactly, with one extraction for them all; reads again from it', async () => {
    const a = await openArchiveFromBytes(many7z, 'many.7z');
    try {
      const calls = spyWorker(a);
      const files = a.entries().filter((e) => !e.isDirectory);
      assert.equal(files.length, 300);
      for (const e of files) assert.equal(text(await a.read(e.path)), many[e.path], e.path);
      // Read again (VS Code reads an opened file again), and a reader changing its chunks changes nothing kept.
      const name = 'diag/events/0042.txt';
      for await (const c of a.stream(name)) c.fill(0);
      assert.equal(text(await a.read(name)), many[name]);
      assert.equal(text(await a.head(name, 8)), 'event 42');
      assert.deepEqual(calls, { extractFiles: 1, extractSingleFile: 0 });
    } finally {
      await a.close();
    }
    await assert.rejects(a.read('diag/events/0001.txt'), isArchiveError('closed'));
  });

  it('concurrent first reads share the one extraction', async () => {
    const a = await openArchiveFromBytes(many7z, 'many.7z');
    try {
      const calls = spyWorker(a);
      const names = Object.keys(many);
      const got = await Promise.all(names.map((n) => a.read(n)));
      got.forEach((b, i) => assert.equal(text(b), many[names[i]!]));
      assert.deepEqual(calls, { extractFiles: 1, extractSingleFile: 0 });
    } finally {
      await a.close();
    }
  });

  it('over the one-pass budget, each entry is extracted on its own, with the same bytes', async () => {
    const a = await openArchiveFromBytes(many7z, 'many.7z', { limits: { maxOnePassSize: 1000 } });
    try {
      const calls = spyWorker(a);
      const names = Object.keys(many).filter((_, i) => i % 30 === 0);
      for (const n of names) assert.equal(text(await a.read(n)), many[n]);
      assert.deepEqual(calls, { extractFiles: 0, extractSingleFile: names.length });
    } finally {
      await a.close();
    }
  });

  it('over the budget, an entry read again (its head, then whole; or later) is extracted once', async () => {
    const a = await openArchiveFromBytes(many7z, 'many.7z', { limits: { maxOnePassSize: 1000 } });
    try {
      const calls = spyWorker(a);
      const [first, second] = Object.keys(many);
      // The head: the first chunk, then the reader stops.
      for await (const c of a.stream(first!)) {
        assert.equal(text(c), many[first!]);
        break;
      }
      // A reader that changes its chunks does not change what the next read gets.
      for await (const c of a.stream(first!)) c.fill(0);
      assert.equal(text(await a.read(first!)), many[first!]);
      assert.deepEqual(calls, { extractFiles: 0, extractSingleFile: 1 });
      assert.equal(text(await a.read(second!)), many[second!]);
      assert.equal(text(await a.read(first!)), many[first!]);
      assert.deepEqual(calls, { extractFiles: 0, extractSingleFile: 2 });
    } finally {
      await a.close();
    }
  });

  it('over the budget, 20 small entries read twice each, interleaved (sniffed, then read later), cost 20 extractions', async () => {
    const a = await openArchiveFromBytes(many7z, 'many.7z', { limits: { maxOnePassSize: 1000 } });
    try {
      const calls = spyWorker(a);
      const names = Object.keys(many).slice(0, 20);
      for (const n of names) assert.equal(text(await a.head(n, 5)), 'event');
      for (const n of [...names].reverse()) assert.equal(text(await a.read(n)), many[n]);
      for (let i = 0; i < names.length; i += 2) assert.equal(text(await a.read(names[i]!)), many[names[i]!]);
      assert.deepEqual(calls, { extractFiles: 0, extractSingleFile: 20 });
    } finally {
      await a.close();
    }
  });

  it('the kept small entries are bounded by maxEntryCacheSize for all archives together: the least recently read go first', async () => {
    const base = archiveMemory().entryCache;
    const names = Object.keys(many).slice(100, 110);
    const size = (n: string) => Buffer.byteLength(many[n]!);
    // Room for the last five read, not six.
    const room = base + names.slice(5).reduce((t, n) => t + size(n), 0);
    const limits = { maxOnePassSize: 1000, maxEntryCacheSize: room };
    const a = await openArchiveFromBytes(many7z, 'many.7z', { limits });
    const b = await openArchiveFromBytes(many7z, 'many.7z', { limits });
    try {
      const ca = spyWorker(a);
      const cb = spyWorker(b);
      for (const n of names) await a.read(n);
      assert.deepEqual(ca, { extractFiles: 0, extractSingleFile: 10 });
      for (const n of names.slice(5)) assert.equal(text(await a.read(n)), many[n]);
      assert.deepEqual(ca, { extractFiles: 0, extractSingleFile: 10 });
      assert.equal(text(await a.read(names[0]!)), many[names[0]!]);
      assert.deepEqual(ca, { extractFiles: 0, extractSingleFile: 11 });
      assert.ok(archiveMemory().entryCache <= room);
      // Another archive's reads take the room of a's least recently read entries.
      for (const n of names.slice(0, 5)) await b.read(n);
      assert.deepEqual(cb, { extractFiles: 0, extractSingleFile: 5 });
      assert.ok(archiveMemory().entryCache <= room);
      await a.read(names[9]!);
      assert.deepEqual(ca, { extractFiles: 0, extractSingleFile: 12 });
      await b.read(names[4]!);
      assert.deepEqual(cb, { extractFiles: 0, extractSingleFile: 5 });
    } finally {
      await a.close();
      await b.close();
    }
    assert.equal(archiveMemory().entryCache, base, 'closing lets its entries go');
  });

  it('the entry extracted last is let go before any next extraction starts (never two held at once)', async () => {
    const limits = { maxOnePassSize: 1000, maxEntryCacheSize: 0 };
    const a = await openArchiveFromBytes(many7z, 'many.7z', { limits });
    const b = await openArchiveFromBytes(many7z, 'many.7z', { limits });
    try {
      const heldAtStart: number[] = [];
      for (const x of [a, b]) {
        const session = (x as unknown as { session: { run(what: string, call: (c: unknown) => Promise<unknown>): Promise<unknown> } }).session;
        const run = session.run.bind(session);
        session.run = (what, call) =>
          run(what, (c) => {
            heldAtStart.push(archiveMemory().lastEntry);
            return call(c);
          });
      }
      const calls = spyWorker(a);
      const [first, second] = Object.keys(many);
      const size = (n: string) => Buffer.byteLength(many[n]!);
      await a.read(first!);
      assert.equal(archiveMemory().lastEntry, size(first!));
      await a.head(second!, 4);
      assert.equal(archiveMemory().lastEntry, size(second!));
      assert.equal(text(await a.read(second!)), many[second!]);
      assert.deepEqual(calls, { extractFiles: 0, extractSingleFile: 2 });
      await b.read(first!);
      assert.deepEqual(heldAtStart, [0, 0, 0]);
      await b.close();
      assert.equal(archiveMemory().lastEntry, 0);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('one passes share a process-wide budget (maxOnePassTotal): a pass takes the room of a done one, never of one under way', async () => {
    const base = archiveMemory().onePass;
    const probe = await openArchiveFromBytes(many7z, 'many.7z');
    const declared = probe.entries().reduce((t, e) => t + e.size, 0);
    await probe.close();
    const open = () => openArchiveFromBytes(many7z, 'many.7z', { limits: { maxOnePassTotal: base + 1.5 * declared } });
    const names = Object.keys(many);
    const a = await open();
    const b = await open();
    try {
      const ca = spyWorker(a);
      const cb = spyWorker(b);
      // a's pass is under way (reserved by the read's start): b's read extracts its entry on its own.
      const reading = a.read(names[0]!);
      assert.equal(text(await b.read(names[1]!)), many[names[1]!]);
      assert.equal(text(await reading), many[names[0]!]);
      assert.deepEqual(ca, { extractFiles: 1, extractSingleFile: 0 });
      assert.deepEqual(cb, { extractFiles: 0, extractSingleFile: 1 });
      assert.ok(archiveMemory().onePass - base <= declared);
      // a's pass is done: b's next read takes its room; a's small entries stay readable from the
      // entry cache, and a extracts entry by entry from then on.
      assert.equal(text(await b.read(names[2]!)), many[names[2]!]);
      assert.equal(text(await b.read(names[3]!)), many[names[3]!]);
      assert.deepEqual(cb, { extractFiles: 1, extractSingleFile: 1 });
      assert.ok(archiveMemory().onePass - base <= declared);
      for (const n of names) assert.equal(text(await a.read(n)), many[n]);
      assert.deepEqual(ca, { extractFiles: 1, extractSingleFile: 0 });
    } finally {
      await a.close();
      await b.close();
    }
    assert.equal(archiveMemory().onePass, base, 'closing gives the room back');
    // A dropped pass hands over only what fits in the entry cache: the rest is extracted again.
    const c = await openArchiveFromBytes(many7z, 'many.7z', { limits: { maxOnePassTotal: base + 1.5 * declared, maxEntryCacheSize: archiveMemory().entryCache + 100 } });
    const d = await open();
    try {
      const cc = spyWorker(c);
      await c.read(names[0]!);
      await d.read(names[0]!);
      for (const n of names.slice(0, 20)) assert.equal(text(await c.read(n)), many[n]);
      assert.ok(cc.extractSingleFile > 0 && cc.extractFiles === 1, JSON.stringify(cc));
    } finally {
      await c.close();
      await d.close();
    }
  });

  it('a failed one pass gives its share of the budget back', { timeout: 60_000 }, async () => {
    const base = archiveMemory().onePass;
    const damaged = await openArchiveFromBytes(damaged7z, 'damaged.7z');
    try {
      const calls = spyWorker(damaged);
      assert.equal(text(await damaged.read('f/0.txt')), damagedFiles['f/0.txt']);
      assert.deepEqual(calls, { extractFiles: 1, extractSingleFile: 1 });
      // Still open, its pass failed: it holds nothing.
      assert.equal(archiveMemory().onePass, base);
    } finally {
      await damaged.close();
    }
  });

  it('a cancelled read starts no extraction', async () => {
    const a = await openArchiveFromBytes(many7z, 'many.7z');
    try {
      const calls = spyWorker(a);
      await assert.rejects(a.read('diag/events/0001.txt', { token: { isCancellationRequested: true } }), (e: unknown) => e instanceof CancelledError);
      assert.deepEqual(calls, { extractFiles: 0, extractSingleFile: 0 });
      assert.equal(text(await a.read('diag/events/0001.txt')), many['diag/events/0001.txt']);
    } finally {
      await a.close();
    }
  });

  it('a damaged entry fails the one pass: the healthy entries are read one by one, the damaged one gets its own error', { timeout: 60_000 }, async () => {
    for (const concurrent of [false, true]) {
      const a = await openArchiveFromBytes(damaged7z, 'damaged.7z');
      try {
        const calls = spyWorker(a);
        const names = Object.keys(damagedFiles);
        const read = (n: string) => a.read(n).then(text, (e: unknown) => e);
        const got = concurrent ? await Promise.all(names.map(read)) : await names.reduce<Promise<unknown[]>>(async (acc, n) => [...(await acc), await read(n)], Promise.resolve([]));
        names.forEach((n, i) => {
          if (n !== 'big.txt') return assert.equal(got[i], damagedFiles[n], n);
          const e = got[i];
          assert.ok(e instanceof ArchiveError, `big.txt: ${String(e)}`);
          assert.equal(e.code, 'corrupt');
          assert.equal(e.entry, 'big.txt');
          assert.match(e.detail, /big\.txt cannot be extracted/);
        });
        assert.deepEqual(calls, { extractFiles: 1, extractSingleFile: names.length });
      } finally {
        await a.close();
      }
    }
  });

  it('the real 7z fixture (five files) is read in one pass too', async () => {
    await withArchive(f.real7z, async (a) => {
      const calls = spyWorker(a);
      for (const [name, content] of Object.entries(BUNDLE_FILES)) assert.equal(text(await a.read(name)), content);
      const inner = await a.openNested('inner.zip');
      assert.equal(text(await inner.read(LOG)), BUNDLE_FILES[LOG]);
      assert.deepEqual(calls, { extractFiles: 1, extractSingleFile: 0 });
    });
  });
});
