import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import * as zlib from 'node:zlib';

/**
 * Builds the archive fixtures of the archive tests at test time, in a temporary folder: nothing
 * binary is committed. Zips are written by hand (a few dozen lines of the PKWARE format), because
 * the hostile ones (`../evil.txt`, `/etc/passwd`, `C:\x`, a NUL in a name, a lying size) are
 * exactly what zip libraries refuse to write. The real 7z is written by libarchive.js itself (its
 * 7-Zip writer only works behind a compression filter: gzip is used, and Node un-gzips it).
 */

const crc32 = (zlib as unknown as { crc32(data: Uint8Array, value?: number): number }).crc32;

export interface ZipSpec {
  /** Stored name: a string (written as UTF-8, flag bit 11 set) or raw bytes. */
  name: string | Buffer;
  /** Content; deflated unless `method` is 0. */
  data?: string | Buffer;
  method?: number;
  /** Extra general-purpose flag bits (bit 0: encrypted). */
  flags?: number;
  /** Already-compressed data with its uncompressed size and CRC (for the bombs). */
  compressed?: { data: Buffer; size: number; crc: number };
  /** Overrides the uncompressed size written in both headers (a lying header). */
  declaredSize?: number;
  /** High byte of "version made by" (0 MS-DOS, 3 Unix) and the external attributes. */
  madeBy?: number;
  externalAttributes?: number;
}

/** A zip in memory, written field by field (no zip64: fixtures stay small). */
export function zipBytes(specs: ZipSpec[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const s of specs) {
    const name = typeof s.name === 'string' ? Buffer.from(s.name, 'utf8') : s.name;
    const raw = s.data === undefined ? Buffer.alloc(0) : typeof s.data === 'string' ? Buffer.from(s.data, 'utf8') : s.data;
    const method = s.compressed ? 8 : (s.method ?? 8);
    let data: Buffer;
    let size: number;
    let crc: number;
    if (s.compressed) {
      ({ data, size, crc } = s.compressed);
    } else {
      size = raw.length;
      crc = crc32(raw) >>> 0;
      data = method === 8 ? zlib.deflateRawSync(raw) : raw;
    }
    let flags = (s.flags ?? 0) | (typeof s.name === 'string' ? 0x800 : 0);
    if (flags & 1) data = Buffer.concat([Buffer.alloc(12, 0xa5), data]); // the 12-byte traditional encryption header
    const declared = s.declaredSize ?? size;
    const time = (10 << 11) | (30 << 5); // 10:30:00
    const date = ((2024 - 1980) << 9) | (3 << 5) | 4; // 2024-03-04
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(time, 10);
    local.writeUInt16LE(date, 12);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(((s.madeBy ?? 0) << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(time, 12);
    central.writeUInt16LE(date, 14);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(declared, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(s.externalAttributes ?? 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, data);
    centrals.push(central, name);
    offset += local.length + name.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(specs.length, 8);
  end.writeUInt16LE(specs.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/**
 * `megabytes` MiB of zeros as raw deflate, built from one compressed MiB repeated: each copy ends
 * with a full flush (byte-aligned, no back-reference to the previous copy), then one empty final
 * block. About 1 KiB per MiB, so a 1 GiB bomb is ~1 MB and takes a fraction of a second to build.
 */
export function zerosDeflated(megabytes: number): { data: Buffer; size: number; crc: number } {
  const mib = Buffer.alloc(1 << 20);
  const block = zlib.deflateRawSync(mib, { finishFlush: zlib.constants.Z_FULL_FLUSH, level: 9 });
  const parts: Buffer[] = [];
  let crc = 0;
  for (let i = 0; i < megabytes; i++) {
    parts.push(block);
    crc = crc32(mib, crc);
  }
  parts.push(Buffer.from([0x03, 0x00])); // final, fixed Huffman, end of block only
  return { data: Buffer.concat(parts), size: megabytes * (1 << 20), crc: crc >>> 0 };
}

/** A 7z written by libarchive.js (LZMA inside), in memory. */
export async function sevenZipBytes(files: Record<string, string | Buffer>): Promise<Buffer> {
  const modulePath = require.resolve(['libarchive.js', 'dist', 'libarchive-node.mjs'].join('/'));
  // A real ESM import (the tests are CommonJS): libarchive.js's Node entry is an .mjs.
  const { Archive } = (await import(modulePath)) as {
    Archive: { write(o: { files: Array<{ file: File; pathname: string }>; outputFileName: string; compression: string; format: string; passphrase: null }): Promise<Blob> };
  };
  const entries = Object.entries(files).map(([pathname, content]) => ({ file: new File([content], path.posix.basename(pathname)), pathname }));
  const out = await Archive.write({ files: entries, outputFileName: 'fixture.7z.gz', compression: 'gzip', format: '7zip', passphrase: null });
  return zlib.gunzipSync(Buffer.from(await out.arrayBuffer()));
}

export const BUNDLE_FILES: Record<string, string> = {
  'Program Files/Cisco/AMP/8.1.7.21417/sfc.exe.log':
    '(978223515, +0 ms) Aug 04 07:30:23 [11944]: PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -2103\r\n' +
    '(978223600, +85 ms) Aug 04 07:30:23 [11944]: ERROR: TetraUpdate: could not connect\r\n',
  'Program Files/Cisco/AMP/local.xml': '<?xml version="1.0"?>\n<config><agent><tetra><lasterror>4294965193</lasterror></tetra></agent></config>\n',
  'Program Files/Cisco/AMP/policy.xml': '<?xml version="1.0"?>\n<Signature><Object><config/></Object></Signature>\n',
  'diag/ipconfig.txt': 'Windows IP Configuration\r\n\r\n   Host Name . . . . : WS-0042\r\n',
};

export interface ArchiveFixtures {
  dir: string;
  /** The bundle: directories, the files of BUNDLE_FILES, one more log stored with backslashes. */
  bundleZip: string;
  /** The same zip, named `.7z` (what ipsupporttool writes). */
  bundleZipNamed7z: string;
  /** A real 7z with BUNDLE_FILES and `inner.zip` (the bundle zip). */
  real7z: string;
  /** A real 7z holding 16 MiB of zeros (a few KiB) and a small text. */
  bomb7z: string;
  /** That 7z cut at half its length. */
  truncated7z: string;
  /** outer.zip: bundle.zip (stored), notes.txt, renamed.bin (a zip), fake.zip (text). */
  nestedZip: string;
  /** 1 GiB of zeros declared honestly (ratio ~1000:1). */
  bombZip: string;
  /** The same data declaring 2 MiB: its header lies. */
  lyingBombZip: string;
  /** Hostile names, a duplicate, a symbolic link, and one fine entry. */
  evilZip: string;
  /** 10,000 small entries. */
  manyZip: string;
  /** Five levels: deep.zip ⊃ l2.zip ⊃ l3.zip ⊃ l4.zip ⊃ l5.zip ⊃ bottom.txt. */
  deepZip: string;
  /** The bundle zip cut at 60 %: no central directory. */
  truncatedZip: string;
  /** One encrypted entry, one bzip2 entry (unsupported), one plain. */
  encryptedZip: string;
  /** A text file named .zip. */
  notArchive: string;
  /** The text of the backslash-named log in the bundle zip. */
  backslashLog: string;
}

export const BACKSLASH_LOG_NAME = 'Program Files\\Cisco\\AMP\\8.1.7.21417\\sfc.exe.log.1';

export async function makeArchives(dir = mkdtempSync(path.join(tmpdir(), 'bl-archives-'))): Promise<ArchiveFixtures> {
  mkdirSync(dir, { recursive: true });
  const at = (name: string) => path.join(dir, name);
  const backslashLog = '(978220000, +0 ms) Aug 04 06:00:00 [11944]: PerformTetraUpdate: bUpdated = TRUE\r\n';
  const bundle = zipBytes([
    { name: 'Program Files/', method: 0 },
    { name: 'Program Files/Cisco/', method: 0 },
    ...Object.entries(BUNDLE_FILES).map(([name, data]) => ({ name, data })),
    { name: Buffer.from(BACKSLASH_LOG_NAME, 'latin1'), data: backslashLog },
  ]);
  const real7z = await sevenZipBytes({ ...BUNDLE_FILES, 'inner.zip': bundle });
  // The small file first: libarchive fails to skip a large first entry of a solid block that
  // libarchive itself wrote ("Truncated 7-Zip file body"; 7-Zip tests the same archive as OK, and
  // libarchive skips fine in archives 7-Zip writes).
  const bomb7z = await sevenZipBytes({ 'after.txt': 'still readable\n', 'zeros.bin': Buffer.alloc(16 << 20) });
  const bomb = zerosDeflated(1024);
  const l5 = zipBytes([{ name: 'bottom.txt', data: 'the bottom\n' }]);
  const l4 = zipBytes([{ name: 'l5.zip', data: l5, method: 0 }]);
  const l3 = zipBytes([{ name: 'l4.zip', data: l4, method: 0 }]);
  const l2 = zipBytes([{ name: 'l3.zip', data: l3, method: 0 }]);
  const many: ZipSpec[] = [];
  for (let i = 0; i < 10_000; i++) many.push({ name: `logs/${String(i).padStart(5, '0')}.txt`, data: `entry ${i}\n`, method: 0 });

  const files: Record<string, Buffer> = {
    'bundle.zip': bundle,
    'bundle.7z': bundle,
    'real.7z': real7z,
    'bomb.7z': bomb7z,
    'truncated.7z': real7z.subarray(0, Math.floor(real7z.length / 2)),
    'outer.zip': zipBytes([
      { name: 'bundle.zip', data: bundle, method: 0 },
      { name: 'notes.txt', data: 'case notes\n' },
      { name: 'renamed.bin', data: bundle },
      { name: 'fake.zip', data: 'not a zip at all\n' },
    ]),
    'bomb.zip': zipBytes([{ name: 'zeros.bin', compressed: bomb }, { name: 'after.txt', data: 'still readable\n' }]),
    'lying-bomb.zip': zipBytes([{ name: 'zeros.bin', compressed: bomb, declaredSize: 2 << 20 }]),
    'evil.zip': zipBytes([
      { name: '../evil.txt', data: 'evil' },
      { name: '/etc/passwd', data: 'root:x:0:0' },
      { name: Buffer.from('C:\\x', 'latin1'), data: 'drive' },
      { name: Buffer.from('\\\\server\\share\\x', 'latin1'), data: 'unc' },
      { name: 'a/../../b.txt', data: 'climb' },
      { name: Buffer.from('nul\0.txt', 'latin1'), data: 'nul' },
      { name: `${'d/'.repeat(600)}long.txt`, data: 'long' },
      { name: 'fine.txt', data: 'fine\n' },
      { name: './fine.txt', data: 'second\n' },
      { name: 'link', data: '/etc/passwd', method: 0, madeBy: 3, externalAttributes: (0o120777 << 16) >>> 0 },
    ]),
    'many.zip': zipBytes(many),
    'deep.zip': zipBytes([{ name: 'l2.zip', data: l2, method: 0 }]),
    'truncated.zip': bundle.subarray(0, Math.floor(bundle.length * 0.6)),
    'encrypted.zip': zipBytes([
      { name: 'secret.txt', data: 'secret', method: 0, flags: 1 },
      { name: 'bzip2.txt', data: 'BZh9', method: 12 },
      { name: 'plain.txt', data: 'plain\n' },
    ]),
    'not-archive.zip': Buffer.from('just text\n'),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(at(name), bytes);
  return {
    dir,
    bundleZip: at('bundle.zip'),
    bundleZipNamed7z: at('bundle.7z'),
    real7z: at('real.7z'),
    bomb7z: at('bomb.7z'),
    truncated7z: at('truncated.7z'),
    nestedZip: at('outer.zip'),
    bombZip: at('bomb.zip'),
    lyingBombZip: at('lying-bomb.zip'),
    evilZip: at('evil.zip'),
    manyZip: at('many.zip'),
    deepZip: at('deep.zip'),
    truncatedZip: at('truncated.zip'),
    encryptedZip: at('encrypted.zip'),
    notArchive: at('not-archive.zip'),
    backslashLog,
  };
}
