/**
 * A bundle on disk as one analysis: its findings published as diagnostics on each of its files,
 * so the Problems panel shows the whole bundle, including files nobody opened (issue 7, part 4).
 * An archive is read in place; with `publishAs` (the client's mounted archive,
 * `bundle-lens-archive://<id>/`) its findings land on the files as the editor shows them.
 */
import * as l10n from '@vscode/l10n';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { LSPErrorCodes, ResponseError, type CancellationToken, type Connection, type Diagnostic, type TextDocuments } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { BundleAnalysisCache } from '../core/bundle/cache';
import { InputError, type PathAnalysis } from '../core/bundle/inputs';
import { CancelledError, type Finding } from '../core/types';
import { AnalyzeBundleRequestMethod, type AnalyzeBundleParams, type AnalyzeBundleResult } from '../shared/protocol';
import { inputErrorMessage } from '../shared/render';
import { errorDetail } from './run';
import { toDiagnostic } from './diagnostics';

/** Bundle analyses, shared by the Problems panel's analysis and Diagnose (reused while the bundle is unchanged). */
export const bundleAnalyses = new BundleAnalysisCache();

/** Diagnostics published per file URI by bundle analyses, kept to re-publish when a file closes. */
const published = new Map<string, Diagnostic[]>();
/** The files each analysed bundle published to (a new analysis of the same bundle replaces them). */
const byBundle = new Map<string, Set<string>>();

/** A path segment percent-encoded as VS Code's `Uri.toString()` writes it (so URIs compare equal as strings). */
function encodeSegment(segment: string): string {
  return encodeURIComponent(segment).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** Groups a bundle's findings by the file their first evidence names (relative to the root), keyed by the URI to publish on. */
function byFile(root: string, findings: readonly Finding[], publishAs?: string): Map<string, Finding[]> {
  const out = new Map<string, Finding[]>();
  for (const f of findings) {
    const rel = f.evidence[0]?.file || (typeof f.args['file'] === 'string' ? f.args['file'] : '');
    if (!rel) continue;
    const uri = publishAs !== undefined ? publishAs + rel.split('/').map(encodeSegment).join('/') : pathToFileURL(path.join(root, ...rel.split('/'))).toString();
    const list = out.get(uri);
    if (list) list.push(f);
    else out.set(uri, [f]);
  }
  return out;
}

/** The latest request per bundle URI (an older one finishing later must not replace its diagnostics). */
const latest = new Map<string, number>();

function resultOf(uri: string, analysis: PathAnalysis, filesWithFindings: number, cached: boolean): AnalyzeBundleResult {
  const counts = { error: 0, warning: 0, information: 0 };
  for (const f of analysis.bundleFindings ?? analysis.findings) if (f.severity !== 'hint') counts[f.severity]++;
  return { uri, files: analysis.files.length, filesWithFindings, findings: counts, unreadable: analysis.unreadable.length, cached };
}

export function registerBundles(connection: Connection, documents: TextDocuments<TextDocument>, isEnabled: (uri: string) => Promise<boolean>): void {
  connection.onRequest(AnalyzeBundleRequestMethod, async (params: AnalyzeBundleParams, token: CancellationToken): Promise<AnalyzeBundleResult> => {
    let root: string;
    try {
      root = fileURLToPath(params.uri);
    } catch {
      throw new ResponseError(1, l10n.t('Only bundles on disk can be analysed (file: URIs).'));
    }
    let publishAs: string | undefined;
    if (params.publishAs !== undefined) {
      // A base URI with a scheme (`bundle-lens-archive://<id>/`); the files' paths are appended to it.
      if (typeof params.publishAs !== 'string' || !/^[a-z][a-z0-9+.-]*:/i.test(params.publishAs)) {
        throw new ResponseError(1, l10n.t('publishAs must be a URI (for example bundle-lens-archive://id/).'));
      }
      publishAs = params.publishAs.endsWith('/') ? params.publishAs : `${params.publishAs}/`;
    }
    const seq = (latest.get(params.uri) ?? 0) + 1;
    latest.set(params.uri, seq);
    let analysis;
    let cached: boolean;
    try {
      ({ analysis, cached } = await bundleAnalyses.get(root, token, { fresh: params.fresh === true }));
    } catch (e) {
      if (e instanceof InputError) throw new ResponseError(1, inputErrorMessage(e, root));
      if (e instanceof CancelledError || token.isCancellationRequested) throw new ResponseError(LSPErrorCodes.RequestCancelled, 'cancelled');
      // Anything else is a failure of ours: logged with its stack, answered in words.
      connection.console.error(`${AnalyzeBundleRequestMethod} failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      throw new ResponseError(LSPErrorCodes.RequestFailed, l10n.t('Bundle Lens could not finish this ({0}). The output channel has the details.', errorDetail(e)));
    }
    // A newer request for this bundle started while this one ran: its diagnostics will be the ones shown.
    if (latest.get(params.uri) !== seq) return resultOf(params.uri, analysis, 0, cached);
    const base = analysis.kind === 'folder' ? root : path.dirname(root);
    const findings = analysis.bundleFindings ?? analysis.findings;
    // An archive's files have no place on disk: without a mounted URI to publish on, its findings
    // are counted and reported, never pinned to paths that do not exist.
    const inArchive = analysis.kind === 'zip' || analysis.kind === '7z';
    const files = inArchive && publishAs === undefined ? new Map<string, Finding[]>() : byFile(base, findings, publishAs);
    // Replace what an earlier analysis of this bundle published.
    for (const uri of byBundle.get(params.uri) ?? []) {
      if (!files.has(uri)) {
        published.delete(uri);
        void connection.sendDiagnostics({ uri, diagnostics: [] });
      }
    }
    byBundle.set(params.uri, new Set(files.keys()));
    for (const [uri, list] of files) {
      const diagnostics = list.map((f) => toDiagnostic(uri, f));
      published.set(uri, diagnostics);
      // An open document shows its own analysis; the bundle's view of it returns when it closes.
      if (!documents.get(uri) && (await isEnabled(uri))) void connection.sendDiagnostics({ uri, diagnostics });
    }
    return resultOf(params.uri, analysis, files.size, cached);
  });

  documents.onDidOpen((e) => {
    if (published.has(e.document.uri)) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics: [] });
  });
  documents.onDidClose((e) => {
    const diagnostics = published.get(e.document.uri);
    if (diagnostics) void connection.sendDiagnostics({ uri: e.document.uri, diagnostics });
  });
}
