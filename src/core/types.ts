/**
 * Types shared by every part of the analysis library. Core returns structured results — ids,
 * arguments and ranges — never sentences: the server, the extension and the CLI turn them into
 * words so that every user-visible string can be localised.
 */

/** Cooperative cancellation, structurally compatible with the LSP `CancellationToken`. */
export interface Cancellation {
  readonly isCancellationRequested: boolean;
}

export const NEVER_CANCELLED: Cancellation = Object.freeze({ isCancellationRequested: false });

/** Thrown by core when its caller cancelled; hosts map it to their own cancellation signal. */
export class CancelledError extends Error {
  constructor() {
    super('cancelled');
    this.name = 'CancelledError';
  }
}

export function throwIfCancelled(token: Cancellation): void {
  if (token.isCancellationRequested) throw new CancelledError();
}

/** Zero-based line and UTF-16 character offset, as in LSP. */
export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

export type Severity = 'error' | 'warning' | 'information' | 'hint';

/** A place in a file that supports a finding. `file` is relative to the bundle root (or the file's own name). */
export interface Evidence {
  file: string;
  range: Range;
  /** The text of the line(s), bounded, for showing without opening the file. */
  text: string;
}

/**
 * A finding of a rule. `id` is stable (documented, used in diagnostics' `code` and in tests);
 * `args` fill the message template the renderer looks up by `id`.
 */
export interface Finding {
  id: string;
  severity: Severity;
  /** A refinement of `id`, e.g. the class of a TETRA status (`tetra.proxy-connect`). */
  kind?: string;
  args: Record<string, string | number>;
  /** Where the finding is shown (the first occurrence). */
  range: Range;
  /** Every occurrence, first to last (bounded). */
  evidence: Evidence[];
  /** Checks or fixes to copy and run (quick fixes). */
  actions?: FindingAction[];
}

/** Something the engineer can run or copy to check or fix what a finding says. */
export interface FindingAction {
  /** Stable id; the renderer gives it a title. */
  id: string;
  /** The command text, ready to copy (PowerShell unless said otherwise). */
  command: string;
}
