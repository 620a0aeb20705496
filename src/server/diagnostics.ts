/**
 * Findings → LSP diagnostics. Shared by open documents (pull/push) and by logs read from disk
 * (`bundleLens/logSummary`), so a finding reads the same wherever it is shown.
 */
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver/node';
import type { Finding } from '../core/types';
import { findingMessage } from '../shared/render';
import { originOf } from './large-log';

export const SEVERITY: Record<Finding['severity'], DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/** Related information per diagnostic is bounded (the count is in the message). */
export const MAX_RELATED = 20;

/**
 * One diagnostic per finding. Its other occurrences become related information; in a slice of a
 * large log they point at the original file's lines, so every claim links to its place.
 */
export function toDiagnostic(uri: string, f: Finding): Diagnostic {
  const d: Diagnostic = {
    range: f.range,
    severity: SEVERITY[f.severity],
    code: f.id,
    source: 'Bundle Lens',
    message: findingMessage(f),
    data: { kind: f.kind, args: f.args, actions: f.actions ?? [] },
  };
  const others = f.evidence.slice(1, 1 + MAX_RELATED);
  if (others.length > 0) {
    d.relatedInformation = others.map((e) => {
      const origin = originOf(uri, e.range.start.line);
      const location = origin
        ? { uri: origin.uri, range: { start: { line: origin.line, character: e.range.start.character }, end: { line: origin.line, character: e.range.end.character } } }
        : { uri, range: e.range };
      return { location, message: e.text };
    });
  }
  return d;
}
