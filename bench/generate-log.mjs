// A realistic debug `sfc.exe.log` for the benchmarks, generated (never committed: bench/generated/
// is git-ignored). Deterministic: a fixed-seed PRNG, so every run and every machine gets the same
// bytes, and a smaller file is a prefix of a larger one.
//   node bench/generate-log.mjs [sizeMB=200]      prints the path (reused when already generated)
//
// What is in it (BRIEF §2.2, seed 001):
// - mostly `Event::HandleCreation: START \\?\<file>(\\?\<file>), \\?\<process>` noise, with
//   processes, folders, files and extensions drawn from skewed (Zipf-like) distributions, so "top
//   processes / paths / extensions" reports have a realistic shape;
// - the other debug lines the public tools key on: `EVENT_INNER_FILE_SCAN start`,
//   `GetSperoHash SPERO fingerprint: status: 1`, `imn::CEventManager::PublishEvent: publishing
//   type=…`, `Query::LookupExecute: attempting lookup with cloud`, `TetraEngineInterface::ScanFile[NNN]
//   lock acquired`, `ExclusionCheck: \\?\… is excluded`, `Exclusion::IsExcluded: result: 1 for …,`
//   and `… from cache for …`, `Cache::Get: age`, `calculating ETHOS hash`, `disp 3`,
//   `NFMMemCache::Get: rip: <decimal>` (little-endian IPv4);
// - every ~4 hours of log time, a TETRA update attempt in seed 001's shapes, with rotating statuses
//   (-3000, -2103, -2109, -2100, an unconfirmed -2105, and successes); half of them wrapped at 90
//   columns exactly like the seed (continuation lines that do not start with `(`);
// - a few WARNING/ERROR lines with Windows codes (0x80072EE2, 0x80092013, 12002, …);
// - several threads, a millisecond tick and `+N ms` delta consistent with the wall clock, bursts and
//   idle gaps, starting on Dec 31 so every size crosses the Dec → Jan boundary (no year in headers).
// Only the substrings the public tools key on are known shapes; the text around them (e.g. after
// `Cache::Get: age`) is an approximation.
import { closeSync, existsSync, mkdirSync, openSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Bump when the generated content changes, so stale files are not reused. */
export const GENERATOR_VERSION = 2;
const root = fileURLToPath(new URL('..', import.meta.url));
export const GENERATED_DIR = join(root, 'bench', 'generated');
/** A file is reused when its size is in [target, target + SLACK): generation stops at a line end. */
const SLACK = 64 * 1024;

/** Where the log of `sizeMB` lives (a folder per size, so the file keeps its real name). */
export function logPath(sizeMB) {
  return join(GENERATED_DIR, `g${GENERATOR_VERSION}-${sizeMB}MB`, 'sfc.exe.log');
}

/** Generates the log of `sizeMB` unless it is already there with the right size. Returns its path. */
export function ensureLog(sizeMB, { quiet = false } = {}) {
  const file = logPath(sizeMB);
  const target = Math.round(sizeMB * 1024 * 1024);
  if (existsSync(file)) {
    const size = statSync(file).size;
    if (size >= target && size < target + SLACK) return file;
  }
  const started = process.hrtime.bigint();
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.tmp`;
  const fd = openSync(tmp, 'w');
  try {
    const gen = new LogGenerator(0x5eed001);
    let written = 0;
    while (written < target) {
      const chunk = gen.chunk(1 << 21);
      writeSync(fd, chunk);
      written += Buffer.byteLength(chunk);
    }
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, file);
  if (!quiet) {
    const s = Number(process.hrtime.bigint() - started) / 1e9;
    console.error(`generated ${file} (${(statSync(file).size / 1048576).toFixed(1)} MB) in ${s.toFixed(1)} s`);
  }
  return file;
}

// --- PRNG and pickers ------------------------------------------------------------------------

/** mulberry32: tiny, fast, good enough for test data. */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Picks from `items` with Zipf-like weights 1/(rank+1)^s (first items most common). */
function zipf(rand, items, s = 1.1) {
  const weights = items.map((_, i) => 1 / Math.pow(i + 1, s));
  return weighted(rand, items, weights);
}

function weighted(rand, items, weights) {
  const total = weights.reduce((a, b) => a + b, 0);
  const cumulative = [];
  let acc = 0;
  for (const w of weights) cumulative.push((acc += w / total));
  return () => {
    const r = rand();
    let lo = 0;
    let hi = cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return items[lo];
  };
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const pad2 = (n) => (n < 10 ? '0' + n : String(n));

// --- Vocabulary --------------------------------------------------------------------------------

const USERS = ['jdoe', 'asmith', 'mgarcia', 'kwong', 'svc_backup', 'Administrator', 'pnovak', 'lchen', 'rkumar', 'ebrown', 'tmuller', 'okafor'];
const WORDS = ['report', 'invoice', 'budget', 'minutes', 'draft', 'export', 'backup', 'setup', 'update', 'notes', 'data', 'summary', 'q3', 'final', 'scan', 'build', 'index', 'cache', 'session', 'trace'];
const HEX = '0123456789abcdef';

/**
 * Processes, most active first, each with the file templates it touches (weights by rank). A
 * template is a function of the generator returning a path without the `\\?\` prefix.
 */
function vocabulary(g) {
  const u = () => g.user();
  const hex = (n) => g.hex(n);
  const word = () => g.word();
  const T = {
    temp: () => `C:\\Users\\${u()}\\AppData\\Local\\Temp\\${g.pick(['~DF', 'tmp', 'wct', ''])}${hex(4).toUpperCase()}.tmp`,
    wintemp: () => `C:\\Windows\\Temp\\${g.pick(['MpCmdRun', 'msi', 'tmp', 'cab_'])}${hex(4)}.${g.pick(['tmp', 'log', 'cab'])}`,
    chromeCache: () => `C:\\Users\\${u()}\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\Cache\\Cache_Data\\f_${hex(6)}`,
    chromeDb: () => `C:\\Users\\${u()}\\AppData\\Local\\Google\\Chrome\\User Data\\Default\\${g.pick(['History-journal', 'Cookies-journal', 'Web Data-journal', 'Network Action Predictor-journal'])}`,
    edgeCache: () => `C:\\Users\\${u()}\\AppData\\Local\\Microsoft\\Edge\\User Data\\Default\\Code Cache\\js\\${hex(16)}_0`,
    teams: () => `C:\\Users\\${u()}\\AppData\\Roaming\\Microsoft\\Teams\\Service Worker\\CacheStorage\\${hex(40)}\\${hex(16)}_0`,
    outlook: () => `C:\\Users\\${u()}\\AppData\\Local\\Microsoft\\Outlook\\${u()}@corp.example.com.ost`,
    outlookTmp: () => `C:\\Users\\${u()}\\AppData\\Local\\Microsoft\\Windows\\INetCache\\Content.Outlook\\${hex(8).toUpperCase()}\\${word()}_${g.int(1, 99)}.${g.pick(['pdf', 'docx', 'xlsx', 'png'])}`,
    prefetch: () => `C:\\Windows\\Prefetch\\${g.pick(['SVCHOST.EXE', 'CHROME.EXE', 'MSEDGE.EXE', 'CONHOST.EXE', 'TEAMS.EXE', 'DLLHOST.EXE'])}-${hex(8).toUpperCase()}.pf`,
    evtx: () => `C:\\Windows\\System32\\winevt\\Logs\\${g.pick(['Microsoft-Windows-PowerShell%4Operational', 'Security', 'System', 'Application', 'Microsoft-Windows-Sysmon%4Operational'])}.evtx`,
    wu: () => `C:\\Windows\\SoftwareDistribution\\Download\\${hex(32)}\\${g.pick(['windows10.0-kb5021233-x64', 'ndp48-kb5020879', 'am_delta_patch'])}_${hex(8)}.${g.pick(['cab', 'psf', 'exe'])}`,
    winsxs: () => `C:\\Windows\\WinSxS\\Temp\\InFlight\\${hex(16)}\\amd64_microsoft-windows-${g.pick(['kernel32', 'shell32', 'ntdll', 'win32k', 'crypt32'])}_31bf3856ad364e35_10.0.19041.${g.int(1000, 2500)}_none_${hex(16)}\\${g.pick(['kernel32', 'shell32', 'ntdll', 'win32k', 'crypt32'])}.dll`,
    sql: () => `D:\\SQLData\\${g.pick(['Sales', 'HR', 'Inventory', 'tempdb', 'ReportServer'])}${g.pick(['', '_log'])}.${g.pick(['mdf', 'ldf', 'ndf'])}`,
    iis: () => `C:\\inetpub\\logs\\LogFiles\\W3SVC1\\u_ex2212${pad2(g.int(1, 31))}.log`,
    docs: () => `C:\\Users\\${u()}\\Documents\\${word()}_${word()}.${g.pick(['docx', 'xlsx', 'pptx', 'pdf', 'txt', 'csv'])}`,
    downloads: () => `C:\\Users\\${u()}\\Downloads\\${word()}-${g.int(1, 20)}.${g.int(0, 9)}.${g.pick(['exe', 'msi', 'zip', 'pdf', 'iso', '7z'])}`,
    vscode: () => `C:\\Users\\${u()}\\.vscode\\extensions\\${g.pick(['ms-python.python-2022.20.1', 'esbenp.prettier-vscode-9.10.3', 'redhat.vscode-xml-0.23.2'])}\\out\\${word()}.js`,
    nodeModules: () => `C:\\Users\\${u()}\\source\\repos\\${g.pick(['portal', 'billing-api', 'etl'])}\\node_modules\\${g.pick(['lodash', 'react-dom', 'typescript', '@babel', 'esbuild', 'webpack'])}\\${g.pick(['lib', 'dist', 'cjs'])}\\${word()}.${g.pick(['js', 'js.map', 'd.ts', 'json'])}`,
    appLogs: () => `C:\\Program Files\\${g.pick(['Veeam\\Endpoint Backup', 'Splunk\\var\\log\\splunk', 'Java\\jre1.8.0_351\\logs', 'Zoom\\logs'])}\\${word()}.${g.pick(['log', 'log.1', 'tmp', 'dat'])}`,
    javaTmp: () => `C:\\Users\\${u()}\\AppData\\Local\\Temp\\hsperfdata_${u()}\\${g.int(1000, 20000)}`,
    oneDrive: () => `C:\\Users\\${u()}\\OneDrive - Corp\\${word()}\\${word()}_${g.int(1, 300)}.${g.pick(['docx', 'xlsx', 'jpg', 'mp4', 'pdf'])}`,
    system32: () => `C:\\Windows\\System32\\${g.pick(['config\\SOFTWARE.LOG1', 'config\\SYSTEM.LOG2', 'sru\\SRUDB.dat', 'LogFiles\\WMI\\RtBackup\\EtwRT.Diagtrack-Listener.etl', 'catroot2\\edb.log'])}`,
    defenderTmp: () => `C:\\ProgramData\\Microsoft\\Windows\\WER\\Temp\\WER${hex(4).toUpperCase()}.tmp.${g.pick(['xml', 'csv', 'txt', 'WERInternalMetadata.xml'])}`,
  };
  const P = (exe, templates) => ({ exe, pick: zipf(g.rand, templates, 0.9) });
  const processes = [
    P('C:\\Windows\\System32\\svchost.exe', [T.system32, T.prefetch, T.wu, T.evtx, T.wintemp, T.temp, T.winsxs]),
    P('C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe', [T.chromeCache, T.chromeDb, T.temp, T.downloads]),
    P('C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe', [T.edgeCache, T.temp, T.downloads]),
    P('C:\\Users\\jdoe\\AppData\\Local\\Microsoft\\Teams\\current\\Teams.exe', [T.teams, T.temp]),
    P('C:\\Program Files\\Microsoft SQL Server\\MSSQL15.MSSQLSERVER\\MSSQL\\Binn\\sqlservr.exe', [T.sql]),
    P('C:\\Program Files\\Microsoft Office\\root\\Office16\\OUTLOOK.EXE', [T.outlook, T.outlookTmp, T.temp]),
    P('C:\\Windows\\explorer.exe', [T.docs, T.downloads, T.oneDrive, T.temp]),
    P('C:\\Windows\\System32\\inetsrv\\w3wp.exe', [T.iis, T.wintemp]),
    P('C:\\Windows\\servicing\\TiWorker.exe', [T.winsxs, T.wu, T.system32]),
    P('C:\\Program Files\\nodejs\\node.exe', [T.nodeModules, T.temp]),
    P('C:\\Users\\jdoe\\AppData\\Local\\Programs\\Microsoft VS Code\\Code.exe', [T.vscode, T.nodeModules, T.temp]),
    P('C:\\Program Files\\Java\\jre1.8.0_351\\bin\\java.exe', [T.javaTmp, T.appLogs]),
    P('C:\\Users\\jdoe\\AppData\\Local\\Microsoft\\OneDrive\\OneDrive.exe', [T.oneDrive, T.temp]),
    P('C:\\Program Files\\Veeam\\Endpoint Backup\\Veeam.EndPoint.Service.exe', [T.appLogs, T.docs, T.sql]),
    P('C:\\Windows\\System32\\SearchProtocolHost.exe', [T.docs, T.oneDrive, T.outlook]),
    P('C:\\Windows\\System32\\wbem\\WmiPrvSE.exe', [T.system32, T.wintemp]),
    P('C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe', [T.temp, T.wintemp, T.docs]),
    P('C:\\Windows\\System32\\WerFault.exe', [T.defenderTmp]),
    P('C:\\Windows\\System32\\msiexec.exe', [T.wintemp, T.downloads]),
    P('C:\\Windows\\System32\\cmd.exe', [T.temp, T.docs]),
  ];
  return { pickProcess: zipf(g.rand, processes, 1.0) };
}

/** Remote hosts of network flows (dotted quads), most frequent first. */
const REMOTE = ['52.114.128.9', '142.250.185.78', '13.107.42.14', '20.190.159.68', '146.112.62.105', '72.163.4.185', '23.52.160.42', '104.18.32.68', '10.20.1.15', '151.101.1.69', '185.199.108.133', '8.8.8.8'];
/** As the connector writes them: the 32-bit value of the address in little-endian byte order. */
const REMOTE_RIP = REMOTE.map((ip) => ip.split('.').reduce((acc, b, i) => acc + Number(b) * 2 ** (8 * i), 0));

/** Event type ids (BRIEF §3.3): most publishing lines are not quarantines. */
const EVENT_TYPES = [553648147, 553648149, 553648154, 553648166, 553648130, 553648196, 553648195, 553648143];
const EVENT_TYPE_WEIGHTS = [40, 25, 15, 10, 1, 0.5, 0.5, 0.3];

/** TETRA update outcomes (BRIEF §3.1; -2105 is in the range but unconfirmed: decoded generically). */
const TETRA = [-3000, -2103, 0, -2109, -2100, -2105];
const TETRA_WEIGHTS = [40, 20, 15, 10, 10, 5];

// --- The generator -----------------------------------------------------------------------------

export class LogGenerator {
  constructor(seed) {
    this.rand = prng(seed);
    const g = this;
    this.user = zipf(this.rand, USERS, 1.2);
    this.word = zipf(this.rand, WORDS, 0.8);
    this.pickEventType = weighted(this.rand, EVENT_TYPES, EVENT_TYPE_WEIGHTS);
    this.pickTetra = weighted(this.rand, TETRA, TETRA_WEIGHTS);
    this.pickRip = zipf(this.rand, REMOTE_RIP, 1.0);
    this.vocab = vocabulary(g);
    // Wall clock (ms, read as local time) and the connector's millisecond tick.
    this.t = Date.UTC(2022, 11, 31, 14, 12, 4, 117);
    this.tick = 978223515;
    this.workers = [2232, 4412, 5120, 6488, 7328, 9016, 10240, 12876];
    this.updateThread = 11944;
    this.pipeThread = 860;
    this.nextTetra = this.t + 25 * 60 * 1000;
    this.busy = true;
    this.firstFailure = undefined; // text of the first failure since the last success
    this.lastSuccess = 'never';
    this.sigVersion = 91234;
  }

  int(lo, hi) {
    return lo + Math.floor(this.rand() * (hi - lo + 1));
  }
  pick(items) {
    return items[Math.floor(this.rand() * items.length)];
  }
  hex(n) {
    let s = '';
    for (let i = 0; i < n; i++) s += HEX[Math.floor(this.rand() * 16)];
    return s;
  }

  /** Advances the clock: bursts of activity, idle stretches, rare long pauses. */
  advance() {
    if (this.rand() < 0.002) this.busy = !this.busy;
    const r = this.rand();
    let mean = this.busy ? 15 : 400;
    if (r < 0.001) mean = 20000;
    return this.step(Math.round(-Math.log(1 - this.rand()) * mean));
  }

  /** Advances the clock by `ms` exactly; returns it (the `+N ms` delta). */
  step(ms) {
    this.t += ms;
    this.tick += ms;
    return ms;
  }

  /** `Aug 04 07:30:23` for the current clock. */
  stamp() {
    const d = new Date(this.t);
    return `${MONTHS[d.getUTCMonth()]} ${pad2(d.getUTCDate())} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())}`;
  }

  /** ctime-like, as in AVStat lines: `Thu Aug 4 06:35:16 2022`. */
  ctime() {
    const d = new Date(this.t);
    return `${WEEKDAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()} ${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} ${d.getUTCFullYear()}`;
  }

  header(thread, delta) {
    return `(${this.tick}, +${delta} ms) ${this.stamp()} [${thread}]: `;
  }

  /** One physical line, or several when `wrap` (word-wrapped at 90 columns, like seed 001). */
  line(out, thread, delta, message, wrap = false) {
    const text = this.header(thread, delta) + message;
    if (!wrap || text.length <= 90) {
      out.push(text);
      return;
    }
    let rest = text;
    while (rest.length > 90) {
      let cut = rest.lastIndexOf(' ', 90);
      if (cut <= 0) cut = rest.indexOf(' ', 90);
      if (cut <= 0) break;
      out.push(rest.slice(0, cut));
      rest = rest.slice(cut + 1);
    }
    out.push(rest);
  }

  /** One file event and what the engines log about it. */
  fileEvent(out) {
    const thread = this.pick(this.workers);
    const proc = this.vocab.pickProcess();
    const file = proc.pick()();
    const delta = this.advance();
    const r = this.rand();
    // Rarely a long line wraps (a continuation line in the noise).
    const wrap = r < 0.002;
    if (r < 0.03) {
      this.line(out, thread, delta, `Event::HandleInnerFileScan: EVENT_INNER_FILE_SCAN start \\\\?\\${file}(\\\\?\\${file}), \\\\?\\${proc.exe}`);
    } else {
      // Occasionally a rename: the parenthesised name differs.
      const original = this.rand() < 0.05 ? file.replace(/([^\\]+)$/, '~$1') : file;
      this.line(out, thread, delta, `Event::HandleCreation: START \\\\?\\${file}(\\\\?\\${original}), \\\\?\\${proc.exe}`, wrap);
    }
    const excluded = file.startsWith('D:\\SQLData') || file.includes('\\Veeam\\') || file.endsWith('.evtx');
    const x = this.rand();
    if (excluded) {
      if (x < 0.5) this.line(out, thread, this.advance(), `Exclusion::IsExcluded: result: 1 from cache for \\\\?\\${file}`);
      else if (x < 0.8) this.line(out, thread, this.advance(), `Exclusion::IsExcluded: result: 1 for \\\\?\\${file},`);
      else this.line(out, thread, this.advance(), `ExclusionCheck: \\\\?\\${file} is excluded`);
      return;
    }
    // Follow-up lines, each independently and mostly absent: the creation lines dominate.
    const p = (chance) => this.rand() < chance;
    if (x < 0.15) this.line(out, thread, this.advance(), `Exclusion::IsExcluded: result: 0 from cache for \\\\?\\${file}`);
    if (p(0.15)) this.line(out, thread, this.advance(), `Cache::Get: age ${this.int(1, 86400)}, disp ${this.rand() < 0.002 ? 3 : 1}`);
    if (p(0.08)) this.line(out, thread, this.advance(), `Sha256Calc::Calculate: calculating ETHOS hash`);
    if (p(0.06)) this.line(out, thread, this.advance(), `GetSperoHash SPERO fingerprint: status: ${this.rand() < 0.9 ? 1 : 0}`);
    if (p(0.1)) this.line(out, thread, this.advance(), `TetraEngineInterface::ScanFile[${this.int(100, 99999)}] lock acquired`);
    if (p(0.06)) this.line(out, thread, this.advance(), `Query::LookupExecute: attempting lookup with cloud`);
    if (p(0.08)) this.line(out, thread, this.advance(), `imn::CEventManager::PublishEvent: publishing type=${this.pickEventType()}`);
  }

  /** A TETRA update attempt in seed 001's shapes. */
  tetra(out) {
    const th = this.updateThread;
    const status = this.pickTetra();
    const wrap = this.rand() < 0.5;
    const d = () => this.step(this.int(0, 2)); // the block is written within a few ms
    const msg = (m) => this.line(out, th, d(), m, wrap);
    if (status === 0) {
      this.sigVersion += this.int(1, 4);
      const sigs = 1620000 + this.int(0, 99999);
      msg(`TetraUpdateInterface::update updateDir: C:\\Program Files\\Cisco\\AMP\\tetra, 0, 0, 0, 1, ${sigs}, ${this.sigVersion}`);
      msg(`PipeSend: sending message to user interface: 26, id: 0`);
      this.line(out, this.pipeThread, 0, `PipeWrite: waiting on pipe event handle`);
      msg(`TetraUpdaterInit defInit: 1, bUpdate: 1`);
      msg(`TetraUpdaterInit bUpdate: 1, bReload: 1`);
      msg(`FASharedPtr<class TetraUpdateInterface>::ReleaseInstance count: 1`);
      msg(`PerformTetraUpdate: bUpdated = TRUE, state: 0, status: 0`);
      msg(`PerformTetraUpdate: sig count: ${sigs}, version: ${this.sigVersion}`);
      msg(`Config::IsUploadEventEnabled: returns 1, 1`);
      this.firstFailure = undefined;
      this.lastSuccess = this.ctime();
      msg(`AVStat::CopyInternal : engine - 2, defs - ${this.sigVersion}, first failure - never, last err code - 0, last upd success - ${this.lastSuccess}`);
      return;
    }
    msg(`TetraUpdateInterface::update updateDir: C:\\Program Files\\Cisco\\AMP\\tetra, 20, ${status}, ${status}, 0, 0, 0`);
    msg(`ERROR: TetraUpdateInterface::update Update failed with error ${status}`);
    msg(`PipeSend: sending message to user interface: 26, id: 0`);
    this.line(out, this.pipeThread, 0, `PipeWrite: waiting on pipe event handle`);
    msg(`TetraUpdaterInit defInit: 0, bUpdate: 0`);
    msg(`TetraUpdaterInit bUpdate: 0, bReload: 0`);
    msg(`FASharedPtr<class TetraUpdateInterface>::ReleaseInstance count: 1`);
    msg(`PerformTetraUpdate: bUpdated = FALSE, state: 20, status: ${status}`);
    msg(`PerformTetraUpdate: sig count: 0, version: 0`);
    msg(`Config::IsUploadEventEnabled: returns 1, 1`);
    const stored = status >>> 0;
    msg(`AVStat::CopyInternal : engine - 2, defs - 0, first failure - ${this.firstFailure ?? 'never'}, last err code - ${stored}, last upd success - ${this.lastSuccess}`);
    this.firstFailure ??= this.ctime();
    msg(`AVStat::CopyInternal : engine - 2, defs - 0, first failure - ${this.firstFailure}, last err code - ${stored}, last upd success - ${this.lastSuccess}`);
  }

  /** Everything else: network flows, pipes, warnings with Windows codes. */
  other(out) {
    const r = this.rand();
    const thread = this.pick(this.workers);
    if (r < 0.7) {
      this.line(out, thread, this.advance(), `NFMMemCache::Get: rip: ${this.pickRip()}`);
    } else if (r < 0.85) {
      this.line(out, this.pipeThread, this.advance(), `PipeWrite: waiting on pipe event handle`);
    } else if (r < 0.93) {
      this.line(out, thread, this.advance(), `Config::IsUploadEventEnabled: returns 1, 1`);
    } else if (r < 0.97) {
      const [hr, win] = this.pick([['0x80072EE2', 12002], ['0x80072EFD', 12029], ['0x80072F8F', 12175], ['0x80072EE7', 12007]]);
      this.line(out, thread, this.advance(), `WARNING: CloudLookup::Send: WinHttpSendRequest failed: ${win} (${hr}), retry ${this.int(1, 3)}`);
    } else {
      const hr = this.pick(['0x80092013', '0x80092012', '0x800B0109', '0x80090325']);
      this.line(out, thread, this.advance(), `ERROR: CertVerify::CheckChain: CertGetCertificateChain error ${hr}`);
    }
  }

  /** At least `bytes` characters (ASCII) of whole lines. */
  chunk(bytes) {
    const out = [];
    let size = 0;
    while (size < bytes) {
      const start = out.length;
      if (this.t >= this.nextTetra) {
        this.tetra(out);
        this.nextTetra = this.t + (4 * 60 + this.int(-40, 40)) * 60 * 1000;
      } else if (this.rand() < 0.88) this.fileEvent(out);
      else this.other(out);
      for (let i = start; i < out.length; i++) size += out[i].length + 1;
    }
    return out.join('\n') + '\n';
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(ensureLog(Number(process.argv[2] ?? 200)));
}
