/**
 * The "Diagnose" report for what the analysis knows so far: the files read, and every finding
 * with its evidence. Shared by the language server (shown in VS Code) and the CLI.
 */
import * as l10n from '@vscode/l10n';
import type { PathAnalysis } from '../core/bundle/inputs';
import type { LogSet } from '../core/log/stitch';
import type { Finding } from '../core/types';
import type { DiagnoseResult, FindingView } from './protocol';
import { escapeMd, findingMessage, severityLabel } from './render';

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

export function diagnoseResult(subject: string, analysis: PathAnalysis): DiagnoseResult {
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
  // Findings per timeline: the same failure across rotated files is one finding (core merged them).
  const findings = analysis.logSets.flatMap((set) => set.findings.map((x) => findingView(x, x.evidence[0]?.file || (set.files[0]?.file ?? ''))));
  // local.xml / policy.xml, and what the bundle as a whole lacks (a readable policy from 8.1.3 on).
  for (const f of analysis.files) for (const x of f.xml?.findings ?? []) findings.push(findingView(x, f.file));
  for (const x of analysis.findings) if (x.id === 'policy.unreadable') findings.push(findingView(x, String(x.args['file'] ?? '')));
  const unreadable = analysis.unreadable;
  const markdown = reportMarkdown(subject, files, findings, unreadable, analysis.incomplete, timelinesMarkdown(analysis.logSets));
  return { subject, files, findings, unreadable, markdown };
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

/**
 * Bundle text (file names, paths) as a Markdown code span that nothing in it can break: a fence
 * longer than any run of backticks inside, and `|` escaped so table rows stay whole.
 */
export function codeSpan(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length));
  const fence = '`'.repeat(longest + 1);
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${text.replace(/\|/g, '\\|').replace(/[\r\n]+/g, ' ')}${pad}${fence}`;
}

function reportMarkdown(
  subject: string,
  files: DiagnoseResult['files'],
  findings: FindingView[],
  unreadable: DiagnoseResult['unreadable'],
  incomplete: string | undefined,
  timelines: string[],
): string {
  const out: string[] = [`# ${l10n.t('Bundle Lens — TETRA diagnosis')}`, '', `${l10n.t('Analysed:')} ${codeSpan(subject)}`, ''];
  const logs = files.filter((f) => f.kind === 'connector-log');
  out.push(`## ${l10n.t('Connector logs')}`, '');
  if (logs.length === 0) {
    out.push(l10n.t('No connector log (sfc.exe.log) was found. Collect a support bundle with ipsupporttool.exe, or open the log itself.'), '');
  } else {
    out.push(`| ${l10n.t('File')} | ${l10n.t('Lines')} | ${l10n.t('From')} | ${l10n.t('To')} |`, '|---|---:|---|---|');
    for (const f of logs) out.push(`| ${codeSpan(f.file)} | ${f.lines} | ${f.first ?? '—'} | ${f.last ?? '—'} |`);
    out.push('');
  }
  out.push(...timelines);
  out.push(`## ${l10n.t('Findings')}`, '');
  if (findings.length === 0) {
    out.push(logs.length > 0 ? l10n.t('No TETRA update failure was found in the logs read.') : l10n.t('Nothing to report yet.'), '');
  } else {
    for (const f of findings) {
      const where = f.file ? ` (${codeSpan(f.file)}, ${l10n.t('line {0}', f.line)})` : '';
      out.push(`- **${severityLabel(f.severity)}** \`${f.id}\`${f.kind ? ` (\`${f.kind}\`)` : ''} — ${escapeMd(f.message)}${where}`);
    }
    out.push('');
  }
  if (unreadable.length > 0) {
    out.push(`## ${l10n.t('Not read')}`, '', l10n.t('These parts of the bundle could not be read; findings may be missing:'), '');
    for (const u of unreadable.slice(0, 50)) out.push(`- ${codeSpan(u.file)} (${escapeMd(u.reason)})`);
    if (unreadable.length > 50) out.push(`- ${l10n.t('… and {0} more', unreadable.length - 50)}`);
    out.push('');
  }
  if (incomplete) out.push(`> ${l10n.t('The folder was not read to the end ({0} limit reached).', incomplete)}`, '');
  out.push(`*${l10n.t('This report lists what the connector logs, local.xml and policy.xml show. The DNS, TLS and cipher-suite steps need the bundle\'s command outputs.')}*`);
  return out.join('\n');
}
