/**
 * The "Diagnose" report for what the analysis knows so far: the files read, and every finding
 * with its evidence. Shared by the language server (shown in VS Code) and the CLI.
 */
import * as l10n from '@vscode/l10n';
import type { PathAnalysis } from '../core/bundle/inputs';
import type { Finding } from '../core/types';
import type { DiagnoseResult, FindingView } from './protocol';
import { findingMessage, severityLabel } from './render';

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
    if (f.analysis?.firstTimestamp) row.first = f.analysis.firstTimestamp;
    if (f.analysis?.lastTimestamp) row.last = f.analysis.lastTimestamp;
    return row;
  });
  const findings = analysis.files.flatMap((f) => (f.analysis?.findings ?? []).map((x) => findingView(x, f.file)));
  return { subject, files, findings, markdown: reportMarkdown(subject, files, findings, analysis.incomplete) };
}

function reportMarkdown(subject: string, files: DiagnoseResult['files'], findings: FindingView[], incomplete?: string): string {
  const out: string[] = [`# ${l10n.t('Bundle Lens — TETRA diagnosis')}`, '', `${l10n.t('Analysed:')} \`${subject}\``, ''];
  const logs = files.filter((f) => f.kind === 'connector-log');
  out.push(`## ${l10n.t('Connector logs')}`, '');
  if (logs.length === 0) {
    out.push(l10n.t('No connector log (sfc.exe.log) was found. Collect a support bundle with ipsupporttool.exe, or open the log itself.'), '');
  } else {
    out.push(`| ${l10n.t('File')} | ${l10n.t('Lines')} | ${l10n.t('From')} | ${l10n.t('To')} |`, '|---|---:|---|---|');
    for (const f of logs) out.push(`| \`${f.file}\` | ${f.lines} | ${f.first ?? '—'} | ${f.last ?? '—'} |`);
    out.push('');
  }
  out.push(`## ${l10n.t('Findings')}`, '');
  if (findings.length === 0) {
    out.push(logs.length > 0 ? l10n.t('No TETRA update failure was found in the logs read.') : l10n.t('Nothing to report yet.'), '');
  } else {
    for (const f of findings) {
      out.push(`- **${severityLabel(f.severity)}** \`${f.id}\`${f.kind ? ` (\`${f.kind}\`)` : ''} — ${f.message} (\`${f.file}\`, ${l10n.t('line {0}', f.line)})`);
    }
    out.push('');
  }
  if (incomplete) out.push(`> ${l10n.t('The folder was not read to the end ({0} limit reached).', incomplete)}`, '');
  out.push(`*${l10n.t('This report lists what the connector logs show. The DNS, TLS, proxy and cipher-suite steps need the bundle\'s other files and command outputs.')}*`);
  return out.join('\n');
}
