/**
 * Words for the performance tuning report (issue 9, `core/tune`): the Markdown report of
 * `bundle-lens tune` and the labels a "Performance" tree needs. Every sentence goes through
 * `@vscode/l10n` with `{0}` placeholders; bundle text (paths, file names, exclusion values, commands)
 * never becomes Markdown: code spans and fences longer than any backtick run inside them
 * (`codeSpan`, `codeBlock`), other text escaped (`escapeMd`).
 */
import * as l10n from '@vscode/l10n';
import type { TuneItemView, TuneView } from './protocol';
import type {
  ExclusionUsage,
  Suggestion,
  SuggestionCaution,
  TimeBucket,
  TopItem,
  TuneExclusion,
  TuneResult,
  TuneSet,
  TuneStatus,
  Withheld,
} from '../core/tune/types';
import { SUGGESTION_MIN_EVENTS, SUGGESTION_MIN_SHARE, type ProtectedFolderReason, type ProtectedProcessReason } from '../core/tune/data';
import type { FindingAction } from '../core/types';
import { isMatchableShape } from '../core/tune/exclusions';
import { codeBlock, codeSpan, coreWords, escapeMd, koreanParticles, unreadableReason, wordList } from './render';
import { maskText } from './render-xml';

export type TuneListKind = 'processes' | 'files' | 'folders' | 'extensions';
export type TuneSection = TuneListKind | 'suggestions' | 'withheld' | 'timeline' | 'exclusions' | 'logs';

// --- Small words -------------------------------------------------------------------------------

/** `27.8%` (one decimal; `<0.1%` for a small non-zero share). */
export function percent(share: number): string {
  if (share > 0 && share < 0.001) return '<0.1%';
  return `${(share * 100).toFixed(1)}%`;
}

/** A count with its bound: `12345` or `≤ 12345 (≥ 12300)` when approximate. */
export function countText(count: number, error: number): string {
  return error > 0 ? l10n.t('{0} (at least {1})', count, count - error) : String(count);
}

/** A section's title (report headings and the tree's top level). */
export function tuneSectionLabel(section: TuneSection): string {
  switch (section) {
    case 'processes':
      return l10n.t('Top processes');
    case 'files':
      return l10n.t('Top files');
    case 'folders':
      return l10n.t('Top folders');
    case 'extensions':
      return l10n.t('Top extensions');
    case 'suggestions':
      return l10n.t('Suggested exclusions');
    case 'withheld':
      return l10n.t('Heavy but never to exclude');
    case 'timeline':
      return l10n.t('Events over time');
    case 'exclusions':
      return l10n.t('Policy exclusions against the activity');
    case 'logs':
      return l10n.t('Logs read');
  }
}

/** What the report can say, as one sentence (the tree's message when there is nothing to list). */
export function tuneStatusText(status: TuneStatus): string {
  switch (status) {
    case 'ok':
      return l10n.t('File events were counted from the debug lines of the connector logs.');
    case 'no-logs':
      return l10n.t('No connector log (sfc.exe.log) was found, so there is no activity to tune from.');
    case 'not-debug':
      return l10n.t(
        'The connector logs are not in debug: they hold no file events (Event::HandleCreation), so which processes, files and folders keep the connector busy cannot be told. Turn debug logging on for one full update interval while the machine is slow, then collect a new support bundle.',
      );
    case 'no-file-events':
      return l10n.t('The logs are in debug but hold no file events (Event::HandleCreation): the connector scanned no files while they were written.');
    case 'window-empty':
      return l10n.t('The logs hold file events, but none inside the time window: widen it, or check that it falls within the logs\' span.');
  }
}

/** A top list entry's label: its value, or the words for "no extension". */
export function tuneItemLabel(item: TopItem, kind: TuneListKind): string {
  if (kind === 'extensions') return item.value ? `.${item.value}` : l10n.t('(no extension)');
  return item.value;
}

/** A top list entry's detail: events, share, what is excluded already. */
export function tuneItemDescription(item: TopItem, kind: TuneListKind): string {
  const parts = [l10n.t('{0} events', countText(item.count, item.error)), percent(item.share)];
  if (item.excluded > 0) parts.push(item.excluded >= item.count ? l10n.t('excluded') : l10n.t('{0} excluded', percent(item.excluded / item.count)));
  if (kind === 'processes' && item.protected) parts.push(withheldReasonText(item.protected));
  return parts.join(' · ');
}

export function withheldReasonText(reason: ProtectedProcessReason | ProtectedFolderReason): string {
  switch (reason) {
    case 'script-host':
      return l10n.t('a script host: it runs whatever script it is given');
    case 'proxy-execution':
      return l10n.t('a Windows binary attackers use to run their code');
    case 'system-process':
      return l10n.t('a Windows core process');
    case 'shell':
      return l10n.t('the Windows shell: it starts whatever the user opens');
    case 'drive-root':
      return l10n.t('a whole drive');
    case 'system-folder':
      return l10n.t('a system folder');
    case 'program-files-root':
      return l10n.t('the root of the program folders');
    case 'profile-root':
      return l10n.t('a user profile or its AppData root');
    case 'temp-folder':
      return l10n.t('a temp folder, where malware lands first');
    case 'user-content':
      return l10n.t('a folder for the user\'s downloads and documents');
    case 'autostart':
      return l10n.t('a folder Windows starts programs from');
    case 'connector':
      return l10n.t('the connector itself (Cisco Secure Endpoint): never excluded');
    case 'download-tool':
      return l10n.t('a Windows tool attackers use to download their code');
    case 'untrusted-content':
      return l10n.t('it handles untrusted content (web pages, mail, messages, synced or served files): what it writes most needs scanning');
    case 'runs-from-temp':
      return l10n.t('it runs from a temp or downloads folder, where malware starts');
  }
}

export function cautionText(c: SuggestionCaution): string {
  switch (c) {
    case 'process-writes-unscanned':
      return l10n.t('Files this process writes are no longer scanned: only for a trusted, signed program that is kept updated.');
    case 'user-writable-path':
      return l10n.t('It runs from a folder users can write to: anything saved there under this name is excluded too.');
    case 'user-profile-folder':
      return l10n.t('Inside user profiles: anyone logged on can write there, malware included.');
    case 'system-area':
      return l10n.t('Inside the Windows folder: exclude only what Microsoft lists as safe to exclude.');
    case 'temp-area':
      return l10n.t('Inside a temp folder: files there are often downloaded or unpacked.');
    case 'csidl-every-user':
      return l10n.t('Written with a CSIDL name so every user\'s folder is meant, as Cisco\'s tuning tool writes it (unconfirmed: check it in the console).');
    case 'count-approximate':
      return l10n.t('The count is an upper bound (more distinct values than the report holds).');
    case 'window-only':
      return l10n.t('Counted within the time window only.');
  }
}

/** A suggestion's label (the tree's item): the exclusion to add. */
export function tuneSuggestionLabel(s: Suggestion): string {
  return s.value;
}

/** A suggestion's detail: kind, events and share. */
export function tuneSuggestionDescription(s: Suggestion): string {
  const what = s.kind === 'process' ? l10n.t('process exclusion, mask {0} (file scan)', s.mask ?? 0) : l10n.t('path exclusion');
  return `${what} · ${l10n.t('{0} events', countText(s.events, s.error))} · ${percent(s.share)}`;
}

/** A withheld item's detail. */
export function tuneWithheldDescription(w: Withheld): string {
  return `${l10n.t('{0} events', w.events)} · ${withheldReasonText(w.reason)}`;
}

function shapeText(shape: TuneExclusion['shape']): string {
  switch (shape) {
    case 'folder':
      return l10n.t('folder');
    case 'path':
      return l10n.t('file or folder');
    case 'pattern':
      return l10n.t('wildcard');
    case 'extension':
      return l10n.t('extension');
    case 'process':
      return l10n.t('process');
    case 'process-name':
      return l10n.t('process (by name)');
    case 'file-name':
      return l10n.t('file name');
    case 'threat':
      return l10n.t('threat');
    case 'process-sha256':
      return l10n.t('process (by SHA-256)');
    case 'not-evaluated':
      return l10n.t('not evaluated');
  }
}

/** How one exclusion of the policy fares: its shape, what it matched, and its risks. */
export function exclusionUsageText(x: TuneExclusion, u: ExclusionUsage | undefined, noFileEvents = false): string {
  const parts: string[] = [];
  if (noFileEvents) parts.push(l10n.t('no file events in this version\'s logs'));
  else if (x.shape === 'threat') parts.push(l10n.t('a threat name: not matchable against file events'));
  else if (x.shape === 'process-sha256') parts.push(l10n.t('a process by its SHA-256: not matchable against the log (it names paths, not hashes)'));
  else if (!isMatchableShape(x.shape)) parts.push(l10n.t('not a path, extension or process: not matched against the log'));
  else if (!u || u.events === 0) parts.push(l10n.t('never matched a file event'));
  else parts.push(l10n.t('matched {0} file events ({1} excluded by it alone)', u.events, u.only));
  if (x.kind === 'process' && x.fileScan === false) parts.push(l10n.t('its mask does not stop file scans, so it removes no file event'));
  if (x.wildcardLeading) parts.push(l10n.t('starts with a wildcard: a known performance risk'));
  return parts.join('; ');
}

function collectTitle(a: FindingAction): string {
  switch (a.id) {
    case 'debug-start':
      return l10n.t('Turn debug logging on (in an elevated prompt, in the connector\'s version folder); it stays on until the next policy update:');
    case 'support-tool':
      return l10n.t('After one full update interval, with the slowness happening, collect a new support bundle:');
    default:
      return l10n.t('Run:');
  }
}

// --- The report ---------------------------------------------------------------------------------

function row(cells: readonly string[]): string {
  return `| ${cells.join(' | ')} |`;
}

function table(head: readonly string[], rows: readonly string[][]): string[] {
  return [row(head), row(head.map(() => '---')), ...rows.map(row)];
}

function excludedCell(item: TopItem): string {
  if (item.excluded === 0) return '—';
  return item.excluded >= item.count ? l10n.t('all') : percent(item.excluded / item.count);
}

function refsCell(item: TopItem): string {
  return item.exclusions && item.exclusions.length > 0 ? item.exclusions.map((i) => `#${i + 1}`).join(', ') : '';
}

function topTable(set: TuneSet, kind: TuneListKind, withPolicy: boolean): string[] {
  const items = set[kind];
  if (items.length === 0) return [l10n.t('None.')];
  const head = [
    '#',
    kind === 'processes' ? l10n.t('Process') : kind === 'files' ? l10n.t('File') : kind === 'folders' ? l10n.t('Folder') : l10n.t('Extension'),
    l10n.t('File events'),
    l10n.t('Share'),
    l10n.t('Excluded'),
  ];
  if (kind === 'processes') head.push(l10n.t('Follow-up engine, cloud and cache lines'));
  if (withPolicy) head.push(l10n.t('Policy exclusions'));
  if (kind === 'processes') head.push(l10n.t('Note'));
  const rows = items.map((item, i) => {
    const label = tuneItemLabel(item, kind);
    const cells = [String(i + 1), kind === 'extensions' && !item.value ? escapeMd(label) : codeSpan(label), countText(item.count, item.error), percent(item.share), excludedCell(item)];
    if (kind === 'processes') cells.push(String(item.work ?? 0));
    if (withPolicy) cells.push(refsCell(item));
    if (kind === 'processes') cells.push(item.protected ? escapeMd(withheldReasonText(item.protected)) : '');
    return cells;
  });
  return table(head, rows);
}

/** Buckets rolled up by hour (a week or less) or by day. */
function rollUp(buckets: readonly TimeBucket[]): { byDay: boolean; rows: Array<{ label: string; total: number; fileEvents: number; minutes: number }> } {
  const hours = new Set(buckets.map((b) => (b.iso ?? b.start).slice(0, b.iso ? 13 : 9)));
  const byDay = hours.size > 168;
  const out = new Map<string, { label: string; total: number; fileEvents: number; minutes: number }>();
  for (const b of buckets) {
    // `2022-08-04T07` / `Aug 04 07` by hour, `2022-08-04` / `Aug 04` by day.
    const key = b.iso ? b.iso.slice(0, byDay ? 10 : 13) : b.start.slice(0, byDay ? 6 : 9);
    const label = byDay ? key.replace('T', ' ') : `${key.replace('T', ' ')}:00`;
    let r = out.get(key);
    if (!r) out.set(key, (r = { label, total: 0, fileEvents: 0, minutes: 0 }));
    r.total += b.total;
    r.fileEvents += b.fileEvents;
    r.minutes++;
  }
  return { byDay, rows: [...out.values()] };
}

function timelineSection(set: TuneSet): string[] {
  const t = set.timeline;
  if (t.buckets.length === 0) return [l10n.t('None.')];
  const out: string[] = [];
  const minutes = t.bucketSeconds / 60;
  const sum = t.buckets.reduce((a, b) => a + b.total, 0);
  out.push(
    minutes === 1
      ? l10n.t('Per minute: {0} minutes with activity, {1} tuning events per active minute on average.', t.buckets.length, (sum / t.buckets.length).toFixed(1))
      : l10n.t('Per {0} minutes (the span is long): {1} buckets with activity, {2} tuning events per bucket on average.', minutes, t.buckets.length, (sum / t.buckets.length).toFixed(1)),
  );
  if (!t.yearKnown) out.push('', l10n.t('The year of these times could not be inferred.'));
  if (t.dropped) out.push('', l10n.t('{0} tuning events on further days are left out of the timeline (more days than it holds); the totals count them.', t.dropped));
  out.push('', `**${escapeMd(minutes === 1 ? l10n.t('Busiest minutes') : l10n.t('Busiest buckets'))}**`, '');
  out.push(
    ...table(
      [l10n.t('From'), l10n.t('Tuning events'), l10n.t('File events'), l10n.t('Engine'), l10n.t('Cloud look-ups'), l10n.t('Cache'), l10n.t('Exclusion hits')],
      t.peaks.map((b) => [escapeMd(b.iso?.replace('T', ' ') ?? b.start), String(b.total), String(b.fileEvents), String(b.engine), String(b.cloud), String(b.cache), String(b.exclusionHits)]),
    ),
  );
  const { byDay, rows } = rollUp(t.buckets);
  out.push('', `**${escapeMd(byDay ? l10n.t('By day') : l10n.t('By hour'))}**`, '');
  out.push(
    ...table(
      [byDay ? l10n.t('Day') : l10n.t('Hour'), l10n.t('Tuning events'), l10n.t('File events'), minutes === 1 ? l10n.t('Active minutes') : l10n.t('Active buckets')],
      rows.map((r) => [escapeMd(r.label), String(r.total), String(r.fileEvents), String(r.minutes)]),
    ),
  );
  return out;
}

function suggestionsSection(set: TuneSet): string[] {
  const out: string[] = [];
  if (set.suggestions.length === 0) out.push(l10n.t('None: nothing that is not excluded yet reaches the threshold ({0} events or {1} of the file events not excluded yet, whichever is more), apart from what is withheld for safety.', SUGGESTION_MIN_EVENTS, percent(SUGGESTION_MIN_SHARE)));
  else {
    out.push(
      l10n.t('Each exclusion removes files from scanning: add one only for activity you know to be legitimate, the narrowest that relieves the machine, and review it later.'),
      '',
    );
    out.push(
      ...table(
        ['#', l10n.t('Exclusion'), l10n.t('Kind'), l10n.t('File events'), l10n.t('Share of not excluded')],
        set.suggestions.map((s, i) => [
          String(i + 1),
          codeSpan(s.value),
          escapeMd(s.kind === 'process' ? l10n.t('process, mask {0} (file scan)', s.mask ?? 0) : l10n.t('path')),
          countText(s.events, s.error),
          percent(s.share),
        ]),
      ),
      '',
    );
    set.suggestions.forEach((s, i) => {
      const lines: string[] = [];
      if (s.example) lines.push(l10n.t('seen as {0}', codeSpan(s.example)));
      if (s.narrower) lines.push(l10n.t('covers the narrower suggestion {0}', wordList(s.narrower.map(codeSpan))));
      for (const c of s.cautions) lines.push(escapeMd(cautionText(c)));
      // A suggestion with nothing to add needs no note.
      if (lines.length > 0) out.push(`- ${i + 1} (${codeSpan(s.value)}): ${lines.join(' ')}`);
    });
  }
  if (set.withheld.length > 0) {
    out.push('', `**${escapeMd(tuneSectionLabel('withheld'))}**`, '');
    out.push(
      ...table(
        [l10n.t('Kind'), l10n.t('Value'), l10n.t('File events not excluded'), l10n.t('Why not')],
        set.withheld.map((w) => [escapeMd(w.kind === 'process' ? l10n.t('process') : l10n.t('folder')), codeSpan(w.value), String(w.events), escapeMd(withheldReasonText(w.reason))]),
      ),
    );
  }
  return out;
}

function exclusionsSection(result: TuneResult, set: TuneSet): string[] {
  const p = result.policy;
  if (p.status === 'missing') return [l10n.t('No policy.xml was found: the exclusions cannot be matched. The connector\'s own "is excluded" lines still count as excluded.')];
  if (p.status === 'unreadable')
    return [l10n.t('{0} could not be read (connectors from 8.1.3 on keep it unreadable): the exclusions cannot be matched. The connector\'s own "is excluded" lines still count as excluded.', codeSpan(p.file ?? 'policy.xml'))];
  const out: string[] = [l10n.t('From {0}: {1} exclusions.', codeSpan(p.file ?? 'policy.xml'), p.exclusions.length)];
  if (p.others?.length) out.push('', l10n.t('Other readable policies, not used: {0}.', wordList(p.others.map(codeSpan))));
  if (p.exclusions.length === 0) return out;
  out.push('');
  out.push(
    ...table(
      ['#', l10n.t('Exclusion'), l10n.t('Kind'), l10n.t('Matched file events'), l10n.t('What it does here')],
      p.exclusions.map((x, i) => {
        const u = set.exclusionUsage?.[i];
        const kind = x.kind === 'process' && x.mask !== undefined ? `${shapeText(x.shape)}, ${l10n.t('mask {0} = {1}', x.mask, maskText(x.mask, x.maskMeaning ?? [], x.unknownBits))}` : shapeText(x.shape);
        return [String(i + 1), codeSpan(x.value), escapeMd(kind), String(u?.events ?? 0), escapeMd(exclusionUsageText(x, u))];
      }),
    ),
  );
  const never = p.exclusions.filter((x, i) => isMatchableShape(x.shape) && (set.exclusionUsage?.[i]?.events ?? 0) === 0).length;
  if (never > 0) out.push('', l10n.t('{0} exclusions matched nothing in these logs: they cost a check on every file event and save nothing here (they may matter at other times or on other machines).', never));
  const wild = p.exclusions.filter((x) => x.wildcardLeading);
  if (wild.length > 0) {
    out.push(
      '',
      l10n.t(
        '{0} exclusions start with a wildcard ({1}): every path is checked against them, a known performance risk. Cisco\'s tuning tool advises converting them to the multi-drive exclusion type (Cisco bug CSCvm37634), or anchoring them with a folder.',
        wild.length,
        wild.map((x) => codeSpan(x.value)).join(', '),
      ),
    );
  }
  const t = set.totals;
  if ((t.exclusionHitsUnmatched ?? 0) > 0) {
    out.push('', l10n.t('The connector logged {0} of its {1} "is excluded" lines for paths no exclusion of this policy matches (an older or newer policy, an exclusion the connector adds itself, or matching rules that differ from the ones assumed below). Their folders:', t.exclusionHitsUnmatched!, t.exclusionHits), '');
    out.push(...table([l10n.t('Folder'), l10n.t('Lines')], (set.unmatchedExclusionHits ?? []).map((h) => [codeSpan(h.value), countText(h.count, h.error)])));
  }
  out.push(
    '',
    escapeMd(
      l10n.t(
        'Matching assumed (not documented by Cisco): paths compare without letter case; a value ending in \\ covers the folder and everything below, otherwise the file or a folder of that name; * matches any characters, \\ included; CSIDL_ names and %VARIABLES% stand for their folders on C:, per-user ones for every user; a value without a folder is an extension; only process exclusions with mask 0 or 1 stop file scans; child processes cannot be told from the log.',
      ),
    ),
  );
  return out;
}

function logsSection(set: TuneSet): string[] {
  const partial = set.logs.filter((f) => f.partial !== undefined);
  const notes = partial.map((f) => `- ${l10n.t('{0} was read partially ({1}): its events up to there are counted, and are not in the timeline.', codeSpan(f.file), escapeMd(coreWords(f.partialText, f.partial!)))}`);
  return [
    ...table(
    [l10n.t('Log'), l10n.t('First'), l10n.t('Last'), l10n.t('Debug'), l10n.t('File events')],
    set.logs.map((f) => [
      codeSpan(f.file),
      escapeMd(f.firstIso?.replace('T', ' ') ?? f.first ?? ''),
      escapeMd(f.lastIso?.replace('T', ' ') ?? f.last ?? ''),
      f.debug ? l10n.t('yes') : l10n.t('no'),
      f.partial !== undefined ? l10n.t('{0} (read partially)', f.fileEvents) : String(f.fileEvents),
    ]),
    ),
    ...(notes.length > 0 ? ['', ...notes] : []),
  ];
}

function totalsText(set: TuneSet): string {
  const t = set.totals;
  return l10n.t(
    '{0} file events: {1} already excluded ({2} by the policy, {3} as the connector logged). Also {4} engine lines (scans, SPERO, ETHOS), {5} cloud look-ups, {6} cache hits, {7} inner-file scans, {8} "is excluded" lines.',
    t.fileEvents,
    t.excluded,
    t.excludedByPolicy,
    t.excludedByLog,
    t.engine,
    t.cloud,
    t.cache,
    t.innerScans,
    t.exclusionHits,
  ) + ((t.unparsed ?? 0) > 0 ? ' ' + l10n.t('{0} of the file events could not be attributed to a file or process (lines the report could not split): they are in the totals and the timeline, in no list.', t.unparsed!) : '');
}

function setTitle(set: TuneSet): string {
  const where = set.folder ? codeSpan(set.folder) : escapeMd(l10n.t('(bundle root)'));
  return set.version ? l10n.t('Connector {0}: {1}', escapeMd(set.version), where) : where;
}

/** The whole report, Markdown. */
export function tuneMarkdown(result: TuneResult): string {
  const out: string[] = [`# ${escapeMd(l10n.t('Performance tuning'))}: ${codeSpan(result.root)}`, ''];
  if (result.window) {
    const w = result.window;
    out.push(l10n.t('Time window: from {0} to {1}.', w.from ? codeSpan(w.from) : escapeMd(l10n.t('the start')), w.to ? codeSpan(w.to) : escapeMd(l10n.t('the end'))));
    if (w.yearIgnored) out.push('', l10n.t('The year given with the window is not used: the log writes none, and the window is placed as Open Log Slice places it.'));
    out.push('');
  }
  out.push(escapeMd(tuneStatusText(result.status)), '');
  if (result.collect && result.collect.length > 0) {
    for (const a of result.collect) out.push(`- ${escapeMd(collectTitle(a))}`, '', ...codeBlock(a.command, '  '), '');
  }
  const withPolicy = result.policy.status === 'read' && result.policy.exclusions.length > 0;
  const several = result.sets.length > 1;
  if (several) out.push(l10n.t('{0} log folders (connector versions are never mixed); the newest first.', result.sets.length), '');
  for (const set of result.sets) {
    const h = several ? '###' : '##';
    if (several) out.push(`## ${setTitle(set)}`, '');
    else if (set.version || set.folder) out.push(setTitle(set), '');
    if (several || (set.status !== 'ok' && set.status !== result.status)) out.push(escapeMd(tuneStatusText(set.status)), '');
    const ownCollect = set.collect && set.collect.length > 0 && result.status !== 'not-debug';
    if (ownCollect) for (const a of set.collect!) out.push(`- ${escapeMd(collectTitle(a))}`, '', ...codeBlock(a.command, '  '), '');
    out.push(`${h} ${escapeMd(tuneSectionLabel('logs'))}`, '', ...logsSection(set), '');
    if (set.overlapping) out.push(l10n.t('Two of these logs cover the same time (a copy?): their events may be counted twice.'), '');
    if (set.status !== 'ok') continue;
    out.push(escapeMd(totalsText(set)), '');
    if (set.approximate) {
      out.push(
        l10n.t(
          'More distinct values than the report keeps (files {0}, folders {1}): counts marked "at least" are upper bounds with their lower bound; every value above 1/{0} of the events is listed.',
          result.bounds.files,
          result.bounds.folders,
        ),
        '',
      );
    }
    out.push(`${h} ${escapeMd(tuneSectionLabel('suggestions'))}`, '', ...suggestionsSection(set), '');
    for (const kind of ['processes', 'folders', 'files', 'extensions'] as const) out.push(`${h} ${escapeMd(tuneSectionLabel(kind))}`, '', ...topTable(set, kind, withPolicy), '');
    out.push(`${h} ${escapeMd(tuneSectionLabel('timeline'))}`, '', ...timelineSection(set), '');
    out.push(`${h} ${escapeMd(tuneSectionLabel('exclusions'))}`, '', ...exclusionsSection(result, set), '');
  }
  if (result.unreadable.length > 0) {
    out.push(`## ${escapeMd(l10n.t('Not read'))}`, '');
    for (const u of result.unreadable) out.push(`- ${codeSpan(u.file)}: ${escapeMd(unreadableReason(u))}`);
    out.push('');
  }
  return koreanParticles(out.join('\n').replace(/\n{3,}/g, '\n\n').trimEnd() + '\n');
}

/** The Performance tree's view of a result: sections of items, in the display language. */
export function tuneView(result: TuneResult): TuneView {
  const sets = result.sets.map((set) => {
    const sections: TuneView['sets'][number]['sections'] = [];
    if (set.status !== 'ok') {
      // The set's own status (another set may be in debug): what it lacks, and how to collect it.
      const items: TuneItemView[] = [{ label: tuneStatusText(set.status), tooltip: tuneStatusText(set.status) }];
      for (const a of set.collect ?? []) items.push({ label: collectTitle(a), description: a.command, copy: a.command });
      sections.push({ id: 'status', label: l10n.t('Status'), items });
    }
    if (set.status === 'ok') {
      sections.push({
        id: 'suggestions',
        label: tuneSectionLabel('suggestions'),
        items: set.suggestions.map((s) => ({ label: tuneSuggestionLabel(s), description: tuneSuggestionDescription(s), tooltip: s.cautions.map(cautionText).join('\n') })),
      });
      for (const kind of ['processes', 'folders', 'files', 'extensions'] as const) {
        sections.push({ id: kind, label: tuneSectionLabel(kind), items: set[kind].map((item) => ({ label: tuneItemLabel(item, kind), description: tuneItemDescription(item, kind) })) });
      }
      if (set.withheld.length > 0) {
        sections.push({ id: 'withheld', label: tuneSectionLabel('withheld'), items: set.withheld.map((w) => ({ label: w.value, description: tuneWithheldDescription(w) })) });
      }
      sections.push({
        id: 'timeline',
        label: tuneSectionLabel('timeline'),
        items: set.timeline.peaks.map((b) => ({ label: b.iso?.replace('T', ' ') ?? b.start, description: l10n.t('{0} events ({1} file events)', b.total, b.fileEvents) })),
      });
    }
    if (result.policy.status === 'read' && result.policy.exclusions.length > 0) {
      const file = result.policy.file;
      sections.push({
        id: 'exclusions',
        label: tuneSectionLabel('exclusions'),
        items: result.policy.exclusions.map((x, i) => {
          const item: TuneItemView = { label: x.value, description: exclusionUsageText(x, set.exclusionUsage?.find((u) => u.index === i), set.exclusionUsage === undefined) };
          if (file) {
            item.file = file;
            item.line = x.line + 1;
          }
          return item;
        }),
      });
    }
    const span = set.firstIso && set.lastIso ? `${set.firstIso.replace('T', ' ')} → ${set.lastIso.replace('T', ' ')}` : `${set.first ?? ''} → ${set.last ?? ''}`;
    return {
      label: set.version ? l10n.t('Connector {0}', set.version) : set.folder || l10n.t('Connector logs'),
      description: `${l10n.t('{0} file events', set.totals.fileEvents)} · ${span}`,
      sections,
    };
  });
  return {
    subject: result.root,
    // Items' `file` is relative to it (for a single log, the folder holding it and its policy).
    base: result.base,
    status: result.status,
    statusText: tuneStatusText(result.status),
    sets,
    collect: (result.collect ?? []).map((a) => ({ label: collectTitle(a), description: a.command, copy: a.command })),
    markdown: tuneMarkdown(result),
  };
}
