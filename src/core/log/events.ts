/**
 * The log lines Bundle Lens understands, as data: one pattern per structured event, with the seed
 * or public tool it comes from. Patterns are looked up by the entry's component (the name before
 * the last `::`, see `componentOf`), so the common debug noise costs one map look-up, not a scan
 * of every pattern. Lines without a component (`EVENT_INNER_FILE_SCAN start`) are matched by a
 * short keyword list; a few codes that may sit anywhere in a message (revocation failures) by a
 * substring check.
 *
 * Two kinds of pattern:
 * - most are decided by their expression (TETRA lines, PublishEvent, NFMMemCache): it runs on
 *   every entry of the component;
 * - the debug noise the tuning report counts (file events, exclusion hits, engine, cache and cloud
 *   lines) is decided by plain text, `prefix` and `literal`: whether anyone listens or not, the
 *   same string tests say whether the line is the event, so counts never depend on a listener. The
 *   expression then only reads the fields (when someone listens); it is built to match whenever
 *   the text tests hold (its fields optional), and a unit test checks that on many lines.
 *
 * Groups are named; `value` names the group a finding points at. Every pattern has the `d` flag
 * so the value's position is known exactly.
 */
export type LogEventKind =
  /** `TetraUpdateInterface::update updateDir: <dir>, <state>, <status>, …`: an update attempt starts or reports. */
  | 'tetra.start'
  /** `ERROR: TetraUpdateInterface::update Update failed with error <status>` */
  | 'tetra.error'
  /** `TetraUpdaterInit defInit: 0, bUpdate: 0` */
  | 'tetra.init'
  /** `PerformTetraUpdate: bUpdated = FALSE, state: 20, status: -3000` */
  | 'tetra.result'
  /** `PerformTetraUpdate: sig count: 0, version: 0` */
  | 'tetra.version'
  /** `AVStat::CopyInternal : engine - 2, defs - 0, first failure - …, last err code - N, last upd success - …` */
  | 'tetra.avstat'
  /** `imn::CEventManager::PublishEvent: publishing type=553648143` */
  | 'publish'
  /** `Event::HandleCreation: START \\?\<file>(\\?\…), \\?\<process>` */
  | 'file.event'
  /** `Event::HandleInnerFileScan: EVENT_INNER_FILE_SCAN start <file>(…), <process>`, or the bare `EVENT_INNER_FILE_SCAN start` */
  | 'file.inner-scan'
  /** `TetraEngineInterface::ScanFile[NNN] lock acquired` */
  | 'engine.scan'
  /** `GetSperoHash SPERO fingerprint: status: 1` */
  | 'engine.spero'
  /** `Sha256Calc::Calculate: calculating ETHOS hash`, or the bare `calculating ETHOS hash` */
  | 'engine.ethos'
  /** `Query::LookupExecute: attempting lookup with cloud` */
  | 'cloud.lookup'
  /** `Cache::Get: age …` */
  | 'cache.hit'
  /** `ExclusionCheck: \\?\… is excluded`, `Exclusion::IsExcluded: result: 1 [from cache ]for <path>,` (never `result: 0`, never `is not excluded`) */
  | 'exclusion.hit'
  /** `NFMMemCache::Get: rip: <little-endian IPv4>` */
  | 'nfm.remote'
  /** `disp 3` (malicious disposition) */
  | 'disposition.malicious'
  /** A revocation failure code (0x80092013 CRYPT_E_REVOCATION_OFFLINE) anywhere in a message. */
  | 'tls.revocation-offline';

export interface EventPattern {
  event: LogEventKind;
  re: RegExp;
  /** The named group whose position a finding points at (the whole match when absent). */
  value?: string;
  /**
   * Debug noise only: the message starts with this (level marker included: `ERROR: Cache::Get`
   * is not a cache line). With `literal`, or alone, it decides the event (see the header).
   */
  prefix?: string;
  /**
   * Debug noise only: the message contains this (after `prefix`). With `prefix`, or alone, it
   * decides the event: when nobody listens the expression does not run at all.
   */
  literal?: string;
  source: string;
}

const PUBLIC_TOOLS = 'BRIEF §2.2 (lines the public tuning tools key on)';

/** The `\\?\` prefix of the connector's paths (BRIEF §2.2), as an expression. */
const MARK = String.raw`\\\\\?\\`;
/**
 * After `START` / `start`: `<file>(<file again, or its old name>), <process>` (BRIEF §2.2), or
 * `<file>, <process>`; optional, so a line of the event whose fields do not read is still the
 * event (without `file` and `process`).
 *
 * With the `\\?\` markers (`\\?\C:\Program Files (x86)\…\msedge_elf.dll(\\?\…), \\?\…\msedge.exe`),
 * names may hold `(`, `)` and `,` (`Report (final), v2.docx`), but never `?`: the file runs to the
 * first `(\\?\` (its copy) or `, \\?\` (the process), the copy to the first `), \\?\`, and the
 * process is the rest. A copy without a marked process after it ends at the last `), ` that is
 * followed by something. Without markers (or when they do not read), as before: the file runs to
 * the first `(` (or `,`), the copy to the first `)`.
 *
 * Linear on hostile lines: the file and copy loops are unrolled (`[^(,]*(?:\((?!…)[^(,]*)*`: a
 * bracket either starts an iteration or ends the loop, never both), so each has one place to end
 * (or, for the copy, gives back each `)` once); the process reads to the end of the line without a
 * final `$`, so no copy end is tried twice.
 */
const FILE_AND_PROCESS = [
  String.raw`\s*(?:(?<file>`,
  // Marked: to the first `(\\?\` or `,\s*\\?\`, and only there (were it to end at any other
  // bracket it gives back, the copy would be read again from each).
  String.raw`${MARK}[^(,]*(?:(?:\((?!${MARK})|,(?!\s*${MARK}))[^(,]*)*(?=\(${MARK}|,\s*${MARK})`,
  // Unmarked (as before): to the first `(` of a `(…),`, or to the first `,`.
  String.raw`|[^\s(][^(]*(?=\([^)]*\),)|[^\s,(][^,(]*(?=,))`,
  // The copy: marked, to the first `),\s*\\?\` (else the last `),` before a process); or, as before, to the first `)`.
  String.raw`(?:\(${MARK}[^)]*(?:\)(?!,\s*${MARK})[^)]*)*\)|\([^)]*\))?`,
  String.raw`,\s*(?<process>[^\s\r\n][^\r\n]*))?`,
].join('');

/**
 * `EVENT_INNER_FILE_SCAN start`, bare or after a function of the `Event` component
 * (`Event::HandleInnerFileScan: EVENT_INNER_FILE_SCAN start <file>(…), <process>`, as the
 * benchmark's generated log writes it), with the file and process when they are there.
 */
const INNER_SCAN: EventPattern = {
  event: 'file.inner-scan',
  literal: 'EVENT_INNER_FILE_SCAN start',
  re: new RegExp(`EVENT_INNER_FILE_SCAN start${FILE_AND_PROCESS}`, 'd'),
  value: 'file',
  source: PUBLIC_TOOLS,
};
const SPERO: EventPattern = {
  event: 'engine.spero',
  prefix: 'GetSperoHash SPERO fingerprint: status:',
  re: /^GetSperoHash SPERO fingerprint: status:(?:\s*(?<status>-?\d{1,11}))?/d,
  source: PUBLIC_TOOLS,
};
/** `calculating ETHOS hash`, bare or after `Sha256Calc::Calculate:`. */
const ETHOS: EventPattern = { event: 'engine.ethos', literal: 'calculating ETHOS hash', re: /calculating ETHOS hash/d, source: PUBLIC_TOOLS };

/** Patterns by component. A component may have several patterns; the first that matches wins. */
export const PATTERNS_BY_COMPONENT: ReadonlyMap<string, readonly EventPattern[]> = new Map<string, EventPattern[]>([
  [
    'TetraUpdateInterface',
    [
      {
        event: 'tetra.error',
        re: /TetraUpdateInterface::update\s+Update\s+failed\s+with\s+error\s+(?<status>-?\d{1,11})(?!\d|\s+\d)/d,
        value: 'status',
        source: 'seed 001; BRIEF §2.2',
      },
      {
        event: 'tetra.start',
        re: /TetraUpdateInterface::update\s+updateDir:\s*(?<dir>.{0,400}?),\s*(?<state>-?\d{1,11}),\s*(?<status>-?\d{1,11}),\s*(?<status2>-?\d{1,11})(?:,\s*(?<rest>[-\d, ]{0,60}))?$/d,
        value: 'status',
        source: 'seed 001; BRIEF §2.2',
      },
    ],
  ],
  ['TetraUpdaterInit', [{ event: 'tetra.init', re: /TetraUpdaterInit\s+defInit:\s*(?<defInit>-?\d{1,11}),\s*bUpdate:\s*(?<update>-?\d{1,11})/d, source: 'seed 001' }]],
  [
    'PerformTetraUpdate',
    [
      {
        event: 'tetra.result',
        re: /PerformTetraUpdate:\s*bUpdated\s*=\s*(?<updated>TRUE|FALSE),\s*state:\s*(?<state>-?\d{1,11}),\s*status:\s*(?<status>-?\d{1,11})(?!\d|\s+\d)/d,
        value: 'status',
        source: 'seed 001; BRIEF §2.2',
      },
      {
        event: 'tetra.version',
        re: /PerformTetraUpdate:\s*sig\s+count:\s*(?<sigCount>\d{1,11}),\s*version:\s*(?<version>\d{1,11})(?!\d|\s+\d)/d,
        value: 'version',
        source: 'seed 001; BRIEF §2.2',
      },
    ],
  ],
  [
    'AVStat',
    [
      {
        event: 'tetra.avstat',
        re: /AVStat::CopyInternal\s*:\s*engine\s*-\s*(?<engine>\d{1,11}),\s*defs\s*-\s*(?<defs>\d{1,11}),\s*first\s+failure\s*-\s*(?<firstFailure>[^,]{1,80}),\s*last\s+err\s+code\s*-\s*(?<status>-?\d{1,11}),\s*last\s+upd\s+success\s*-\s*(?<lastSuccess>[^,]{1,80})$/d,
        value: 'status',
        source: 'seed 001; BRIEF §2.2',
      },
    ],
  ],
  ['imn::CEventManager', [{ event: 'publish', re: /PublishEvent:\s*publishing\s+type\s*=\s*(?<type>\d{1,10})(?!\d)/d, value: 'type', source: PUBLIC_TOOLS }]],
  [
    'Event',
    [
      {
        event: 'file.event',
        prefix: 'Event::HandleCreation: START ',
        re: new RegExp(`^Event::HandleCreation: START ${FILE_AND_PROCESS}`, 'd'),
        value: 'file',
        source: PUBLIC_TOOLS,
      },
      INNER_SCAN,
    ],
  ],
  [
    'TetraEngineInterface',
    [
      {
        event: 'engine.scan',
        prefix: 'TetraEngineInterface::ScanFile[',
        literal: '] lock acquired',
        re: /^TetraEngineInterface::ScanFile\[(?<id>[\s\S]*?)\] lock acquired/d,
        source: PUBLIC_TOOLS,
      },
    ],
  ],
  ['Query', [{ event: 'cloud.lookup', literal: 'Query::LookupExecute: attempting lookup with cloud', re: /Query::LookupExecute: attempting lookup with cloud/d, source: PUBLIC_TOOLS }]],
  ['Cache', [{ event: 'cache.hit', prefix: 'Cache::Get: age', re: /^Cache::Get: age/d, source: PUBLIC_TOOLS }]],
  [
    'ExclusionCheck',
    [
      {
        event: 'exclusion.hit',
        // ` is excluded`, so never `… is not excluded`. One optional space, not `\s*`: blanks
        // before a lazy path would make a failing match quadratic.
        prefix: 'ExclusionCheck:',
        literal: ' is excluded',
        re: /^ExclusionCheck: ?(?<path>[\s\S]*?) is excluded/d,
        value: 'path',
        source: PUBLIC_TOOLS,
      },
    ],
  ],
  [
    'Exclusion',
    [
      {
        event: 'exclusion.hit',
        // `result: 1 ` exactly: `result: 0` (not excluded) and `result: 10` are no hit.
        prefix: 'Exclusion::IsExcluded: result: 1 ',
        re: /^Exclusion::IsExcluded: result: 1 (?:(?<cache>from cache )?for (?<path>[^,]+),?)?/d,
        value: 'path',
        source: PUBLIC_TOOLS,
      },
    ],
  ],
  ['NFMMemCache', [{ event: 'nfm.remote', re: /NFMMemCache::Get:\s*rip:\s*(?<rip>\d{1,10})(?!\d)/d, value: 'rip', source: 'BRIEF §2.2' }]],
  ['GetSperoHash', [SPERO]],
  ['Sha256Calc', [ETHOS]],
]);

/** Lines with no `Component::` prefix, found by what they start with (cheap `startsWith`). */
export const PATTERNS_BY_PREFIX: ReadonlyArray<{ prefix: string; pattern: EventPattern }> = [
  { prefix: 'EVENT_INNER_FILE_SCAN start', pattern: INNER_SCAN },
  { prefix: 'GetSperoHash', pattern: SPERO },
  { prefix: 'calculating ETHOS hash', pattern: ETHOS },
  { prefix: 'disp 3', pattern: { event: 'disposition.malicious', re: /^disp 3\b/d, source: PUBLIC_TOOLS } },
];

/**
 * Codes that may appear in any message (an HTTP client's error, a Schannel failure): checked with
 * plain substring searches first, then this pattern for the exact position.
 * 0x80092013 = 2148081683 = -2146885613 (CRYPT_E_REVOCATION_OFFLINE, BRIEF §3.4; seeds 000/002).
 */
export const REVOCATION_NEEDLES = ['80092013', '2148081683', '2146885613', 'REVOCATION_OFFLINE', 'revocation server was offline', 'unable to check revocation'];
export const REVOCATION_PATTERN: EventPattern = {
  event: 'tls.revocation-offline',
  re: /(?<code>0x80092013|\b80092013\b|\b2148081683\b|-2146885613\b|CRYPT_E_REVOCATION_OFFLINE|revocation server was offline|unable to check revocation)/di,
  value: 'code',
  source: 'BRIEF §3.4; seeds 000/002 (curl -v output)',
};

/**
 * Lines that appear only with debug logging (policy log level 549755813887, `sfc.exe -l start`):
 * the public tools' tuning lines, and the verbose internals of seed 001, which its author calls a
 * "debug sfc.exe.log". A log with none of these is not in debug (BRIEF §2.2).
 */
export const DEBUG_ONLY_EVENTS: ReadonlySet<LogEventKind> = new Set<LogEventKind>([
  'file.event',
  'file.inner-scan',
  'engine.scan',
  'engine.spero',
  'engine.ethos',
  'cloud.lookup',
  'cache.hit',
  'exclusion.hit',
  'nfm.remote',
  'publish',
]);
export const DEBUG_ONLY_COMPONENTS: ReadonlySet<string> = new Set(['PipeSend', 'PipeWrite', 'FASharedPtr', 'Config']);

/** Level markers that make an entry an error line for rules and slices. */
export const ERROR_LEVELS: ReadonlySet<string> = new Set(['ERROR', 'CRITICAL', 'FATAL']);
