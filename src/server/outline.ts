/**
 * Outline and folding for a connector log: each clock hour is a block, holding its TETRA update
 * attempts; long silences (the connector stopped, the machine slept) are their own symbols.
 * Core found the structure; this turns it into LSP shapes with localised names.
 */
import * as l10n from '@vscode/l10n';
import { FoldingRangeKind, SymbolKind, type DocumentSymbol, type FoldingRange, type Range } from 'vscode-languageserver/node';
import type { LogAnalysis, TimeGap, UpdateAttempt } from '../core/log/analyze';
import { shownTime } from '../core/log/rules';

/** Length of a line (without its break): ranges end at the end of their last line. */
export type LineLength = (line: number) => number;
let lengthOf: LineLength = () => 0;

function lineRange(start: number, end: number): Range {
  return { start: { line: start, character: 0 }, end: { line: end, character: lengthOf(end) } };
}

export function durationText(seconds: number): string {
  const d = Math.floor(seconds / 86400);
  const h = Math.floor((seconds % 86400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  if (d > 0) return l10n.t('{0} d {1} h', d, h);
  if (h > 0) return l10n.t('{0} h {1} min', h, m);
  return l10n.t('{0} min', m);
}

function attemptName(a: UpdateAttempt, baseYear: number | undefined): string {
  const when = a.mark ? shownTime(a.mark, baseYear) : a.timestamp;
  if (a.updated) return a.version ? l10n.t('TETRA update {0}: updated to version {1}', when, a.version) : l10n.t('TETRA update {0}: updated', when);
  if (a.status !== undefined && a.status !== 0) return l10n.t('TETRA update {0}: failed, status {1}', when, a.status);
  return l10n.t('TETRA update {0}: no new definitions', when);
}

function gapSymbol(g: TimeGap): DocumentSymbol {
  const range = { start: { line: g.previousLine, character: 0 }, end: { line: g.line, character: 0 } };
  return {
    name: l10n.t('No entries for {0}', durationText(g.seconds)),
    detail: `${g.from} → ${g.to}`,
    kind: SymbolKind.Null,
    range,
    selectionRange: { start: range.end, end: range.end },
  };
}

export function outlineSymbols(a: LogAnalysis, lineLength: LineLength): DocumentSymbol[] {
  lengthOf = lineLength;
  const year = a.year?.baseYear;
  const out: DocumentSymbol[] = [];
  let next = 0; // attempts are in line order, like blocks
  for (const b of a.blocks) {
    const children: DocumentSymbol[] = [];
    while (next < a.attempts.length && a.attempts[next]!.startLine <= b.endLine) {
      const at = a.attempts[next++]!;
      if (at.startLine < b.startLine) continue;
      const range = lineRange(at.startLine, at.endLine);
      children.push({
        name: attemptName(at, year),
        kind: SymbolKind.Event,
        range,
        selectionRange: at.mark?.range ?? lineRange(at.startLine, at.startLine),
      });
    }
    const hour = b.timestamp.slice(0, -3); // `Aug 04 07:30`
    const range = lineRange(b.startLine, b.endLine);
    out.push({
      name: b.entries === 1 ? l10n.t('{0} — 1 entry', hour.replace(/:\d\d$/, ':00')) : l10n.t('{0} — {1} entries', hour.replace(/:\d\d$/, ':00'), b.entries),
      kind: SymbolKind.Namespace,
      range,
      selectionRange: lineRange(b.startLine, b.startLine),
      children,
    });
  }
  for (const g of a.gaps) out.push(gapSymbol(g));
  return out.sort((x, y) => x.range.start.line - y.range.start.line || y.range.end.line - x.range.end.line);
}

export function foldingRanges(a: LogAnalysis): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const b of a.blocks) if (b.endLine > b.startLine) out.push({ startLine: b.startLine, endLine: b.endLine, kind: FoldingRangeKind.Region });
  for (const at of a.attempts) if (at.endLine > at.startLine) out.push({ startLine: at.startLine, endLine: at.endLine, kind: FoldingRangeKind.Region });
  return out.sort((x, y) => x.startLine - y.startLine || y.endLine - x.endLine);
}
