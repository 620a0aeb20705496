/**
 * The "Diagnose" report: what the bundle holds (inventory), the timelines of its logs, every
 * finding with its evidence and the commands to run, what is missing for the case, and what could
 * not be read. Shared by the language server (shown in VS Code) and the CLI. Everything that comes
 * from the bundle (file names, values, commands built from it) goes through `codeSpan`, `escapeMd`
 * or a fenced block.
 */
import * as l10n from '@vscode/l10n';
import type { PathAnalysis } from '../core/bundle/inputs';
import type { Inventory } from '../core/bundle/inventory';
import { MAX_FOLDER_DEPTH, MAX_FOLDER_ENTRIES } from '../core/bundle/source';
import type { LogSet } from '../core/log/stitch';
import type { Finding } from '../core/types';
import { diagnoseIsolation } from '../core/diagnose/isolation';
import { diagnoseTetra } from '../core/diagnose/tetra';
import type { Diagnosis } from '../core/diagnose/types';
import type { Evidence } from '../core/types';
import type { DiagnoseResult, DiagnosisView, EvidenceView, FindingView, InventoryView } from './protocol';
export { codeBlock, codeSpan } from './render';
import { diagnosisActionTitle, diagnosisMarkdown, settleText, stepMessage, stepTitle, verdictSummary, verdictTitle } from './render-diagnosis';
import { actionTitle, codeBlock, codeSpan, escapeMd, findingMessage, findingTitle, missingItemText, outputName, platformName, koreanParticles, severityLabel, unreadableReason, wordList } from './render';

export function findingView(f: Finding, file: string): FindingView {
  const view: FindingView = {
    id: f.id,
    severity: f.severity,
    message: findingMessage(f),
    file,
    line: f.range.start.line + 1,
    count: Number(f.args['count'] ?? f.evidence.length),
  };
  if (f.kind) view.kind = f.kind;
  return view;
}

/** The view Diagnose shows: with a title, every piece of evidence (1-based lines) and the commands with their titles. */
export function findingDetailView(f: Finding, file: string): FindingView {
  const view = findingView(f, file);
  view.title = findingTitle(f);
  const evidence: EvidenceView[] = f.evidence.map((e) => ({ file: e.file || file, line: e.range.start.line + 1, text: e.text }));
  // A finding about a whole file (debug logging off) still names it.
  if (evidence.length === 0 && file) evidence.push({ file, line: view.line, text: '' });
  view.evidence = evidence;
  view.actions = (f.actions ?? []).map((a) => ({ id: a.id, title: actionTitle(a.id, a.command), command: a.command }));
  return view;
}

const SEVERITY_ORDER: Readonly<Record<Finding['severity'], number>> = { error: 0, warning: 1, information: 2, hint: 3 };

function findingKey(f: Finding): string {
  return `${f.id}|${f.kind ?? ''}|${f.range.start.line}|${f.range.start.character}`;
}

/**
 * The file a finding belongs to: its first evidence's, else the file the analysis found it in
 * (a log's `log.debug-disabled` has no evidence), else the file its arguments name.
 */
function fileResolver(analysis: PathAnalysis): (f: Finding) => string {
  const known = new Map<string, string>();
  for (const s of analysis.logSets) for (const f of s.findings) if (!known.has(findingKey(f))) known.set(findingKey(f), s.files[0]?.file ?? '');
  for (const r of analysis.files) {
    for (const f of r.xml?.findings ?? []) if (!known.has(findingKey(f))) known.set(findingKey(f), r.file);
    for (const f of r.analysis?.findings ?? []) if (!known.has(findingKey(f))) known.set(findingKey(f), r.file);
  }
  return (f) => f.evidence[0]?.file || known.get(findingKey(f)) || (typeof f.args['file'] === 'string' ? f.args['file'] : '');
}

const evidenceView = (e: Evidence): EvidenceView => ({ file: e.file, line: e.range.start.line + 1, text: e.text });

/** A diagnosis in words, as the client and the CLI's JSON show it (1-based lines). */
export function diagnosisView(d: Diagnosis<string>): DiagnosisView {
  return {
    playbook: d.playbook,
    verdict: d.verdict,
    title: verdictTitle(d),
    summary: verdictSummary(d),
    evidence: d.evidence.map(evidenceView),
    steps: d.steps.map((s) => {
      const step: DiagnosisView['steps'][number] = { id: s.id, status: s.status, title: stepTitle(s.id), message: stepMessage(s), evidence: s.evidence.map(evidenceView) };
      if (s.settle) step.settle = { text: settleText(s.settle), how: s.settle.how };
      return step;
    }),
    actions: d.actions.map((a) => {
      const action: DiagnosisView['actions'][number] = { id: a.id, title: diagnosisActionTitle(a) };
      if (a.command !== undefined) action.command = a.command;
      return action;
    }),
  };
}

export interface ReportOptions {
  /** Which diagnosis the report leads with: one playbook (the commands) or both (the CLI). Default `tetra`. */
  playbook?: 'tetra' | 'isolation' | 'all';
  /** A link target for a piece of evidence (the client's URI of the file at the line), when the report can link. */
  evidenceLink?: (e: Evidence) => string | undefined;
}

/** Every finding of an analysis with its evidence and commands, errors first (the report's and the Findings tree's list). */
export function findingViews(analysis: PathAnalysis): FindingView[] {
  let findings: FindingView[];
  if (analysis.bundleFindings) {
    // Every finding of the bundle, related across files (core made the one list); errors first.
    const fileOf = fileResolver(analysis);
    findings = analysis.bundleFindings.map((f) => findingDetailView(f, fileOf(f)));
    findings = findings.map((f, i) => ({ f, i })).sort((a, b) => SEVERITY_ORDER[a.f.severity] - SEVERITY_ORDER[b.f.severity] || a.i - b.i).map((x) => x.f);
  } else {
    // Findings per timeline: the same failure across rotated files is one finding (core merged them).
    findings = analysis.logSets.flatMap((set) => set.findings.map((x) => findingDetailView(x, x.evidence[0]?.file || (set.files[0]?.file ?? ''))));
    // local.xml / policy.xml, and what the bundle as a whole lacks (a readable policy from 8.1.3 on).
    for (const f of analysis.files) for (const x of f.xml?.findings ?? []) findings.push(findingDetailView(x, f.file));
    for (const x of analysis.findings) if (x.id === 'policy.unreadable') findings.push(findingDetailView(x, String(x.args['file'] ?? '')));
  }
  return findings;
}

export function diagnoseResult(subject: string, analysis: PathAnalysis, options: ReportOptions = {}): DiagnoseResult {
  const files: DiagnoseResult['files'] = analysis.files.map((f) => {
    const row: DiagnoseResult['files'][number] = {
      file: f.file,
      kind: f.kind === 'connector-log' ? 'connector-log' : 'other',
      lines: f.analysis?.lines ?? 0,
    };
    // With the year where it could be inferred (`2028-12-31 22:10:05`), else as the log writes it.
    const first = f.analysis?.firstIso?.replace('T', ' ') ?? f.analysis?.firstTimestamp;
    const last = f.analysis?.lastIso?.replace('T', ' ') ?? f.analysis?.lastTimestamp;
    if (first) row.first = first;
    if (last) row.last = last;
    return row;
  });
  const findings = findingViews(analysis);
  // In the display language: the client and the CLI show these words as they are.
  const unreadable = analysis.unreadable.map((u) => ({ file: u.file, reason: unreadableReason(u) }));
  const inventory = analysis.inventory ? inventoryView(analysis.inventory) : undefined;
  const tetra = diagnoseTetra(analysis);
  const isolation = diagnoseIsolation(analysis);
  const playbook = options.playbook ?? 'tetra';
  const link = options.evidenceLink ? { evidenceLink: options.evidenceLink } : {};
  const lead: string[] = [];
  if (playbook !== 'isolation') lead.push(diagnosisMarkdown(tetra, link), '');
  if (playbook !== 'tetra') lead.push(diagnosisMarkdown(isolation, link), '');
  const title =
    playbook === 'tetra' ? l10n.t('Bundle Lens — TETRA diagnosis') : playbook === 'isolation' ? l10n.t('Bundle Lens — isolation diagnosis') : l10n.t('Bundle Lens — bundle diagnosis');
  const markdown = koreanParticles(reportMarkdown(title, subject, lead, files, findings, unreadable, analysis.incomplete, timelinesMarkdown(analysis.logSets), inventory));
  const result: DiagnoseResult = { subject, files, findings, unreadable, markdown, tetra: diagnosisView(tetra), isolation: diagnosisView(isolation) };
  if (inventory) result.inventory = inventory;
  return result;
}

/** The inventory as plain data for the client and the CLI: 1-based lines, missing items in words. */
export function inventoryView(inv: Inventory): InventoryView {
  const line = (l: number | undefined) => (l === undefined ? undefined : l + 1);
  const place = <T extends { file: string; line?: number }>(p: T): { file: string; line?: number } => {
    const out: { file: string; line?: number } = { file: p.file };
    const l = line(p.line);
    if (l !== undefined) out.line = l;
    return out;
  };
  const hint = inv.platformHints[0];
  const view: InventoryView = {
    ...(inv.platform ? { platform: inv.platform } : {}),
    ...(hint && hint.platform === inv.platform ? { platformFrom: { ...place(hint), via: hint.via } } : {}),
    connectorVersions: inv.connectorVersions.map((v) => ({ version: v.version, sources: v.sources.map((s) => ({ ...place(s), via: s.via })) })),
    logs: inv.logs.map((l) => {
      const item: InventoryView['logs'][number] = { file: l.file, debug: l.debug, entries: l.entries, attempts: l.attempts, failures: l.failures, updates: l.updates };
      if (l.version) item.version = l.version;
      const first = l.firstIso ?? l.first;
      const last = l.lastIso ?? l.last;
      if (first) item.first = first;
      if (last) item.last = last;
      return item;
    }),
    localXml: [...inv.localXml],
    policyXml: { files: [...inv.policyXml.files], readable: inv.policyXml.readable },
    registryExports: [...inv.registryExports],
    ...(inv.installDir ? { installDir: inv.installDir } : {}),
    outputs: inv.outputs.map((o) => ({ id: o.id, name: outputName(o.id), file: o.file, line: o.line + 1 })),
    tetraUpdateServer: { host: inv.tetraUpdateServer.host, via: inv.tetraUpdateServer.via },
    tetraVersions: inv.tetraVersions.map((t) => ({ version: t.version, via: t.via, file: t.file, line: t.line + 1 })),
    missing: inv.missing.map((m) => ({ id: m.id, text: missingItemText(m), how: m.how, where: m.args['where'] === 'console' ? 'console' : 'endpoint', args: { ...m.args } })),
  };
  if (inv.tetraUpdateServer.via !== 'default') Object.assign(view.tetraUpdateServer, place(inv.tetraUpdateServer));
  if (inv.availableTetraVersion) {
    const a = inv.availableTetraVersion;
    view.availableTetraVersion = { version: a.version, file: a.file, line: a.line + 1 };
    if (a.time) view.availableTetraVersion.time = a.time;
  }
  return view;
}

/** One table per timeline (version folder), files oldest first, with the year where it is known. */
function timelinesMarkdown(sets: readonly LogSet[]): string[] {
  if (sets.length < 1 || sets.every((s) => s.files.length < 2) && sets.length < 2) return [];
  const out: string[] = [`## ${l10n.t('Timelines')}`, ''];
  if (sets.length > 1) out.push(l10n.t('The bundle holds logs of {0} connector folders; each is its own timeline, newest version first.', sets.length), '');
  for (const s of sets) {
    const title = s.version ? l10n.t('Connector {0}', s.version) : s.folder ? codeSpan(s.folder) : l10n.t('Logs');
    out.push(`### ${title}`, '', `| ${l10n.t('File')} | ${l10n.t('From')} | ${l10n.t('To')} |`, '|---|---|---|');
    for (const f of s.files) {
      const overlap = f.overlapsPrevious ? ` ⚠ ${l10n.t('overlaps the previous file')}` : '';
      out.push(`| ${codeSpan(f.file)} | ${f.firstIso ?? f.first ?? '—'} | ${f.lastIso ?? f.last ?? '—'}${overlap} |`);
    }
    out.push('');
  }
  return out;
}

/** `file` line N, or `file` alone. */
function placeText(p: { file: string; line?: number }): string {
  return p.line !== undefined ? `${codeSpan(p.file)} ${l10n.t('line {0}', p.line)}` : codeSpan(p.file);
}

function platformViaText(via: string): string {
  switch (via) {
    case 'os-info':
      return l10n.t('OS information');
    case 'console':
      return l10n.t('console');
    case 'registry':
      return l10n.t('registry');
    case 'connector-log':
      return l10n.t('a Windows connector log');
    case 'path':
      return l10n.t('the bundle\'s paths');
    default:
      return via;
  }
}

function sourceViaText(via: string): string {
  switch (via) {
    case 'version-folder':
      return l10n.t('version folder');
    case 'console':
      return l10n.t('console');
    case 'posture':
      return 'AmpCLI posture';
    case 'ampcli':
      return 'ampcli status';
    case 'local.xml':
      return 'local.xml';
    case 'registry':
      return l10n.t('registry');
    default:
      return via;
  }
}

function inventoryMarkdown(inv: InventoryView, files: DiagnoseResult['files']): string[] {
  const out: string[] = [`## ${l10n.t('Inventory')}`, ''];
  const none = l10n.t('not in the bundle');
  const from = inv.platformFrom ? ` (${platformViaText(inv.platformFrom.via)}, ${placeText(inv.platformFrom)})` : '';
  out.push(`- **${l10n.t('Platform:')}** ${inv.platform ? `${platformName(inv.platform)}${from}` : l10n.t('unknown')}`);
  const versions = inv.connectorVersions.map((v) => {
    const where = v.sources.slice(0, 3).map((s) => `${sourceViaText(s.via)}, ${placeText(s)}`);
    return `${escapeMd(v.version)} (${where.join('; ')}${v.sources.length > 3 ? '; …' : ''})`;
  });
  out.push(`- **${l10n.t('Connector versions:')}** ${versions.length > 0 ? wordList(versions) : l10n.t('unknown')}`);
  if (inv.tetraVersions.length > 0 || inv.availableTetraVersion) {
    const seen = inv.tetraVersions.slice(0, 5).map((t) => `${t.version} (${sourceViaText(t.via)}, ${placeText(t)})`);
    const available = inv.availableTetraVersion
      ? l10n.t('newest available {0}', `${inv.availableTetraVersion.version}${inv.availableTetraVersion.time ? ` (${escapeMd(inv.availableTetraVersion.time)})` : ''}`)
      : '';
    out.push(`- **${l10n.t('TETRA definitions:')}** ${[wordList(seen), available].filter((x) => x).join('; ')}`);
  }
  const server = inv.tetraUpdateServer;
  const serverFrom = server.via === 'default' ? l10n.t('Cisco\'s default: no policy or console names another') : server.file ? `${server.via === 'policy' ? 'policy.xml' : l10n.t('console')}, ${placeText({ file: server.file, ...(server.line !== undefined ? { line: server.line } : {}) })}` : server.via;
  out.push(`- **${l10n.t('TETRA update server:')}** ${codeSpan(server.host)} (${serverFrom})`);
  out.push(`- **local.xml:** ${inv.localXml.length > 0 ? wordList(inv.localXml.map(codeSpan)) : none}`);
  const policy = inv.policyXml.files.length === 0 ? none : `${wordList(inv.policyXml.files.map(codeSpan))} (${inv.policyXml.readable ? l10n.t('read') : l10n.t('unreadable')})`;
  out.push(`- **policy.xml:** ${policy}`);
  out.push(`- **${l10n.t('Registry export (Immunet Protect):')}** ${inv.registryExports.length > 0 ? wordList(inv.registryExports.map(codeSpan)) : none}`);
  out.push('');
  out.push(`### ${l10n.t('Connector logs')}`, '');
  if (inv.logs.length === 0) out.push(l10n.t('No connector log (sfc.exe.log) was found.'), '');
  else {
    out.push(
      `| ${l10n.t('File')} | ${l10n.t('Version')} | ${l10n.t('Lines')} | ${l10n.t('From')} | ${l10n.t('To')} | ${l10n.t('Debug')} | ${l10n.t('TETRA updates (failed / succeeded)')} |`,
      '|---|---|---:|---|---|---|---|',
    );
    for (const l of inv.logs) {
      const lines = files.find((f) => f.file === l.file)?.lines;
      const time = (t: string | undefined) => (t ? escapeMd(t.replace('T', ' ')) : '—');
      out.push(
        `| ${codeSpan(l.file)} | ${l.version ? escapeMd(l.version) : '—'} | ${lines ?? '—'} | ${time(l.first)} | ${time(l.last)} | ${l.debug ? l10n.t('yes') : l10n.t('no')} | ${l.attempts} (${l.failures} / ${l.updates}) |`,
      );
    }
    out.push('');
  }
  out.push(`### ${l10n.t('Command outputs recognised')}`, '');
  if (inv.outputs.length === 0) out.push(l10n.t('None: no console text or command output was recognised in the bundle\'s text files.'), '');
  else {
    for (const o of inv.outputs.slice(0, 100)) out.push(`- ${escapeMd(o.name)} — ${placeText(o)}`);
    if (inv.outputs.length > 100) out.push(`- ${l10n.t('… and {0} more', inv.outputs.length - 100)}`);
    out.push('');
  }
  return out;
}

function missingMarkdown(inv: InventoryView): string[] {
  const out: string[] = [`## ${l10n.t('Missing for this case')}`, ''];
  if (inv.missing.length === 0) return [...out, l10n.t('Nothing: the bundle holds what this case needs.'), ''];
  for (const m of inv.missing) {
    out.push(`- ${escapeMd(m.text)}`, '');
    if (m.where === 'console') out.push(`  ${l10n.t('In the console:')} ${codeSpan(m.how)}`, '');
    else out.push(...codeBlock(m.how, '  '), '');
  }
  return out;
}

/** Why the walk of a folder stopped before its end (the bound it reached). */
export function incompleteText(incomplete: NonNullable<PathAnalysis['incomplete']>): string {
  return incomplete === 'depth'
    ? l10n.t('The folder was not read to the end: folders nested more than {0} levels deep were skipped.', MAX_FOLDER_DEPTH)
    : l10n.t('The folder was not read to the end: only its first {0} files and folders were read.', MAX_FOLDER_ENTRIES);
}

function reportMarkdown(
  title: string,
  subject: string,
  lead: string[],
  files: DiagnoseResult['files'],
  findings: FindingView[],
  unreadable: DiagnoseResult['unreadable'],
  incomplete: PathAnalysis['incomplete'],
  timelines: string[],
  inventory: InventoryView | undefined,
): string {
  const out: string[] = [`# ${title}`, '', `${l10n.t('Analysed:')} ${codeSpan(subject)}`, '', ...lead];
  const logs = files.filter((f) => f.kind === 'connector-log');
  if (inventory) out.push(...inventoryMarkdown(inventory, files));
  else {
    out.push(`## ${l10n.t('Connector logs')}`, '');
    if (logs.length === 0) {
      out.push(l10n.t('No connector log (sfc.exe.log) was found. Collect a support bundle with ipsupporttool.exe, or open the log itself.'), '');
    } else {
      out.push(`| ${l10n.t('File')} | ${l10n.t('Lines')} | ${l10n.t('From')} | ${l10n.t('To')} |`, '|---|---:|---|---|');
      for (const f of logs) out.push(`| ${codeSpan(f.file)} | ${f.lines} | ${f.first ?? '—'} | ${f.last ?? '—'} |`);
      out.push('');
    }
  }
  out.push(...timelines);
  out.push(`## ${l10n.t('Findings')}`, '');
  if (findings.length === 0) {
    const nothing = inventory ? l10n.t('Nothing wrong was found in what the bundle holds.') : logs.length > 0 ? l10n.t('No TETRA update failure was found in the logs read.') : l10n.t('Nothing to report yet.');
    out.push(nothing, '');
  } else {
    for (const f of findings) {
      const where = f.file ? ` (${codeSpan(f.file)}, ${l10n.t('line {0}', f.line)})` : '';
      out.push(`- **${severityLabel(f.severity)}** \`${f.id}\`${f.kind && f.kind !== f.id ? ` (\`${f.kind}\`)` : ''} — ${escapeMd(f.message)}${where}`);
      const commands = (f.actions ?? []).map((a) => a.command);
      if (commands.length > 0) out.push('', ...codeBlock(commands.join('\n'), '  '), '');
    }
    if (out[out.length - 1] !== '') out.push('');
  }
  if (inventory) out.push(...missingMarkdown(inventory));
  if (unreadable.length > 0) {
    out.push(`## ${l10n.t('Not read')}`, '', l10n.t('These parts of the bundle could not be read; findings may be missing:'), '');
    for (const u of unreadable.slice(0, 50)) out.push(`- ${codeSpan(u.file)} (${escapeMd(u.reason)})`);
    if (unreadable.length > 50) out.push(`- ${l10n.t('… and {0} more', unreadable.length - 50)}`);
    out.push('');
  }
  if (incomplete) out.push(`> ${incompleteText(incomplete)}`, '');
  out.push(
    inventory
      ? `*${l10n.t('This report lists what the connector logs, local.xml, policy.xml and the command outputs recognised in the bundle show.')}*`
      : `*${l10n.t('This report lists what the connector logs, local.xml and policy.xml show. The DNS, TLS and cipher-suite steps need the bundle\'s command outputs.')}*`,
  );
  return out.join('\n');
}
