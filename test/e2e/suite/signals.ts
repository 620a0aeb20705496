/**
 * What the end-to-end suites wait on and read, in one place: diagnostics that match (signalled by
 * `onDidChangeDiagnostics`, never a fixed sleep), hover text, positions, diagnostic codes.
 */
import assert from 'node:assert/strict';
import * as vscode from 'vscode';

/** Resolves with the URI's diagnostics once `accept` holds, re-checked on each change event. */
export function diagnosticsWhen(uri: vscode.Uri, accept: (d: readonly vscode.Diagnostic[]) => boolean, ms = 30_000): Promise<readonly vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const d = vscode.languages.getDiagnostics(uri);
      if (!accept(d)) return false;
      sub.dispose();
      clearTimeout(timer);
      resolve(d);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`diagnostics for ${uri.toString()} never matched; last: ${JSON.stringify(vscode.languages.getDiagnostics(uri))}`));
    }, ms);
    check();
  });
}

export function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((h) => h.contents)
    .map((c) => (typeof c === 'string' ? c : c.value))
    .join('\n');
}

export function positionOf(doc: vscode.TextDocument, needle: string, offset = 1): vscode.Position {
  const i = doc.getText().indexOf(needle);
  assert.ok(i >= 0, `${needle} not in ${doc.uri.toString()}`);
  return doc.positionAt(i + offset);
}

/** A diagnostic's code as a string (VS Code may wrap it with a link target). */
export function codeOf(d: vscode.Diagnostic): string | undefined {
  const c = d.code;
  if (c === undefined) return undefined;
  return typeof c === 'object' ? String(c.value) : String(c);
}

/** The extension, activated, once its language server is ready. */
export async function bundleLens(): Promise<import('../../../src/extension/extension').BundleLensApi> {
  const ext = vscode.extensions.getExtension<import('../../../src/extension/extension').BundleLensApi>('bundle-lens.bundle-lens');
  assert.ok(ext, 'extension bundle-lens.bundle-lens is not loaded');
  const api = await ext.activate();
  await api.ready;
  return api;
}
