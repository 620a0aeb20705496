import * as l10n from '@vscode/l10n';
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection } from 'vscode-languageserver/node';
import { ArchiveError } from '../core/bundle/archive';
import { InputError } from '../core/bundle/inputs';
import { CancelledError } from '../core/types';
import { coreWords } from '../shared/render';

/**
 * Runs a request whose answer has no sensible empty form (a report, a log summary): customer data
 * can never crash the server, and a failure is a clear error for the client, logged with its
 * stack, never an empty answer that looks like "nothing found". Cancellation is reported as such.
 */
export async function runOrFail<T>(
  connection: Connection,
  name: string,
  token: CancellationToken,
  work: () => Promise<T>,
  message: (detail: string) => string = (detail) => l10n.t('Bundle Lens could not finish this ({0}). The output channel has the details.', detail),
): Promise<T> {
  if (token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
  try {
    return await work();
  } catch (e) {
    if (e instanceof CancelledError || token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
    if (e instanceof ResponseError) throw e;
    connection.console.error(`${name} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    throw new ResponseError(LSPErrorCodes.RequestFailed, message(errorDetail(e)));
  }
}

/** An error's words for the user: core's sentence in the display language when it has one. */
export function errorDetail(e: unknown): string {
  if (e instanceof ArchiveError) return l10n.t('{0}: {1}', e.code, coreWords(e.text, e.detail));
  if (e instanceof InputError) return coreWords(e.text, e.detail);
  return e instanceof Error ? e.message : String(e);
}
