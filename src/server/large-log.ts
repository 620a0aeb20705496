/**
 * Logs VS Code will not hand to the server (over 50 MB): read from disk by URI, summarised, and
 * sliced into small virtual documents. (Being built: see issue 5, part 5.)
 */
import type { Connection, TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';

/** For a line of a slice document, its place in the original log; undefined for other documents. */
export function originOf(_uri: string, _line: number): { uri: string; line: number } | undefined {
  return undefined;
}

export function registerLargeLogs(_connection: Connection, _documents: TextDocuments<TextDocument>): void {}
