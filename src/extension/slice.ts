/**
 * Logs VS Code will not hand to extensions (over 50 MB; colour already stops at 20 MB): the
 * language server reads them from disk, and this offers a filtered slice of them — errors only, one
 * component, a time window, some text, with N entries of context — as a small read-only virtual
 * document (`bundle-lens-slice:`) that has colour, hover and diagnostics, each line mapped back to
 * its place in the original file.
 */
import { promises as fs } from 'node:fs';
import * as vscode from 'vscode';
import { isConnectorLogName, sniff } from '../core/bundle/inputs';
import { parseLogTime } from '../core/log/year';
import type { LanguageClient } from 'vscode-languageclient/node';
import {
  SLICE_SCHEME,
  LogSliceRequestMethod,
  LogSummaryRequestMethod,
  type LogSliceParams,
  type LogSliceResult,
  type LogSummary,
  type LogSummaryParams,
  type SliceFilter,
} from '../shared/protocol';

const LOG_LANGUAGE_ID = 'secure-endpoint-log';
/** VS Code does not synchronise documents above this with extensions (and so with the language server). */
const SYNC_LIMIT_BYTES = 50 * 1024 * 1024;
/** Slices kept for their documents and line maps (older ones are gone: open them again). */
const MAX_SLICES = 50;
/** Characters of slice text kept for reopening closed slices (a slice holds at most 16 MiB). */
const MAX_KEPT_CHARS = 64 * 1024 * 1024;
const MAX_SUMMARIES = 20;
const DEFAULT_CONTEXT = 3;
const MAX_CONTEXT = 50;

/** What `bundleLens.openLogSlice` returns (for tests and other extensions). */
export interface OpenSliceResult {
  uri: vscode.Uri;
  matched: number;
  truncated: boolean;
  /** For each line of the slice, its zero-based line in the original (-1 for a separator). */
  lines: number[];
}

/** What `bundleLens.goToOriginalLine` returns. */
export interface OriginalLine {
  uri: vscode.Uri;
  line: number;
}

interface Slice {
  origin: vscode.Uri;
  /** The slice's text until the text budget drops it (VS Code keeps its own copy while the document is open). */
  text: string | undefined;
  lines: Int32Array;
}

const FILTER_KEYS = new Set(['errorsOnly', 'component', 'text', 'from', 'to', 'context', 'maxLines']);

/** Read-only documents for slices: VS Code never makes them dirty or asks to save them. */
class SliceProvider implements vscode.TextDocumentContentProvider {
  private readonly slices = new Map<string, Slice>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  private chars = 0;
  readonly onDidChange = this.changed.event;

  set(uri: vscode.Uri, slice: Slice): void {
    const key = uri.toString();
    this.forget(key);
    this.slices.set(key, slice);
    this.chars += slice.text?.length ?? 0;
    while (this.slices.size > MAX_SLICES) this.forget(this.slices.keys().next().value!);
    // Older slices' texts go first when the budget is spent; their line maps stay.
    for (const [k, s] of this.slices) {
      if (this.chars <= MAX_KEPT_CHARS || k === key) break;
      this.chars -= s.text?.length ?? 0;
      s.text = undefined;
    }
    this.changed.fire(uri);
  }

  private forget(key: string): void {
    const old = this.slices.get(key);
    if (old) this.chars -= old.text?.length ?? 0;
    this.slices.delete(key);
  }

  get(uri: vscode.Uri): Slice | undefined {
    return this.slices.get(uri.toString());
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.slices.get(uri.toString())?.text ?? vscode.l10n.t('This slice is no longer available. Run "Open Log Slice…" on the log again.');
  }

  dispose(): void {
    this.changed.dispose();
  }
}

function baseName(uri: vscode.Uri): string {
  return uri.path.split('/').pop() || uri.path;
}

function isFilter(v: unknown): v is SliceFilter {
  // Menus pass their own objects after the URI (selected resources, editor group context): only an
  // object made of filter fields, at least one, is a filter. To slice everything, pass `{ context: 0 }`.
  if (typeof v !== 'object' || v === null || Array.isArray(v) || v instanceof vscode.Uri) return false;
  const keys = Object.keys(v);
  return keys.length > 0 && keys.every((k) => FILTER_KEYS.has(k));
}

function isUri(v: unknown): v is vscode.Uri {
  return v instanceof vscode.Uri;
}

function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function isCancellation(e: unknown): boolean {
  return e instanceof vscode.CancellationError || (typeof e === 'object' && e !== null && (e as { code?: number }).code === -32800);
}

export function registerSlices(client: LanguageClient, ready: Promise<void>, output: vscode.LogOutputChannel): vscode.Disposable[] {
  const provider = new SliceProvider();
  const summaries = new Map<string, { mtime: number; size: number; summary: Promise<LogSummary> }>();
  /** Large logs already announced (once per file and session). */
  const announced = new Set<string>();
  let counter = 0;

  /** The log's summary; read once per file version, shared by concurrent callers. */
  async function summaryOf(uri: vscode.Uri, token?: vscode.CancellationToken): Promise<LogSummary> {
    const key = uri.toString();
    // A file that cannot be stat'ed is not cached: the server says clearly what is wrong with it.
    const stat = await Promise.resolve(vscode.workspace.fs.stat(uri)).catch(() => undefined);
    const cached = summaries.get(key);
    if (stat && cached && cached.mtime === stat.mtime && cached.size === stat.size) return cached.summary;
    await ready;
    const params: LogSummaryParams = { uri: key };
    // Not tied to one caller's cancellation: another caller may be waiting for the same summary.
    const summary = client.sendRequest<LogSummary>(LogSummaryRequestMethod, params);
    summaries.delete(key);
    if (stat) summaries.set(key, { mtime: stat.mtime, size: stat.size, summary });
    while (summaries.size > MAX_SUMMARIES) summaries.delete(summaries.keys().next().value!);
    summary.catch(() => {
      if (summaries.get(key)?.summary === summary) summaries.delete(key);
    });
    if (!token) return summary;
    return new Promise<LogSummary>((resolve, reject) => {
      const sub = token.onCancellationRequested(() => reject(new vscode.CancellationError()));
      summary.then(resolve, reject).finally(() => sub.dispose());
    });
  }

  /** The log to slice: the argument, else the active tab (even a log VS Code did not synchronise), else a file picker. */
  async function targetOf(arg: unknown): Promise<vscode.Uri | undefined> {
    let uri: vscode.Uri | undefined = isUri(arg) ? arg : undefined;
    if (!uri) {
      const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
      if (input instanceof vscode.TabInputText) uri = input.uri;
      else uri = vscode.window.activeTextEditor?.document.uri;
    }
    // From a slice, slice its original again.
    if (uri?.scheme === SLICE_SCHEME) uri = provider.get(uri)?.origin;
    if (uri && uri.scheme !== 'file') uri = undefined;
    if (!uri) {
      const picked = await vscode.window.showOpenDialog({
        canSelectFiles: true,
        canSelectFolders: false,
        canSelectMany: false,
        openLabel: vscode.l10n.t('Slice'),
        title: vscode.l10n.t('Open a connector log (sfc.exe.log) to slice'),
      });
      uri = picked?.[0];
    }
    return uri;
  }

  /** The pickers: what to keep, then how much context. Undefined when the user gives up. */
  async function pickFilter(summary: LogSummary): Promise<SliceFilter | undefined> {
    type Choice = vscode.QuickPickItem & { id: 'errors' | 'component' | 'time' | 'text' };
    const errorEntries = Object.entries(summary.levels)
      .filter(([level]) => level !== 'INFO' && level !== 'DEBUG')
      .reduce((n, [, c]) => n + c, 0);
    const choices: Choice[] = [
      { id: 'errors', label: `$(error) ${vscode.l10n.t('Errors and warnings only')}`, description: vscode.l10n.t('{0} entries with a level marker, and failures', errorEntries) },
      { id: 'component', label: `$(symbol-class) ${vscode.l10n.t('One component…')}`, description: vscode.l10n.t('{0} components', summary.components.length) },
      { id: 'time', label: `$(history) ${vscode.l10n.t('Time window…')}`, description: summary.first && summary.last ? `${summary.first} – ${summary.last}` : '' },
      { id: 'text', label: `$(search) ${vscode.l10n.t('Text contains…')}` },
    ];
    const mb = (summary.bytes / (1024 * 1024)).toFixed(1);
    const choice = await vscode.window.showQuickPick(choices, {
      title: vscode.l10n.t('Slice {0} ({1} MB, {2} entries)', baseName(vscode.Uri.parse(summary.uri)), mb, summary.entries),
      placeHolder: vscode.l10n.t('Which entries to keep'),
    });
    if (!choice) return undefined;
    const filter: SliceFilter = {};
    switch (choice.id) {
      case 'errors':
        filter.errorsOnly = true;
        break;
      case 'component': {
        if (summary.components.length === 0) {
          void vscode.window.showInformationMessage(vscode.l10n.t('No components were found in this log.'));
          return undefined;
        }
        const picked = await vscode.window.showQuickPick(
          summary.components.map((c) => ({ label: c.name, description: vscode.l10n.t('{0} entries', c.count) })),
          { title: vscode.l10n.t('One component'), placeHolder: vscode.l10n.t('Component (the name before the last ::)'), matchOnDescription: false },
        );
        if (!picked) return undefined;
        filter.component = picked.label;
        break;
      }
      case 'time': {
        const validateInput = (v: string) => (v.trim() === '' || parseLogTime(v) ? undefined : vscode.l10n.t('Write the time as the log does: Mon DD HH:MM:SS (for example Aug 04 07:30:23).'));
        const from = await vscode.window.showInputBox({ title: vscode.l10n.t('Time window: from'), prompt: vscode.l10n.t('First time to keep (empty: from the start)'), value: summary.first ?? '', validateInput });
        if (from === undefined) return undefined;
        const to = await vscode.window.showInputBox({ title: vscode.l10n.t('Time window: to'), prompt: vscode.l10n.t('Last time to keep (empty: to the end)'), value: summary.last ?? '', validateInput });
        if (to === undefined) return undefined;
        if (from.trim()) filter.from = from.trim();
        if (to.trim()) filter.to = to.trim();
        break;
      }
      case 'text': {
        const text = await vscode.window.showInputBox({ title: vscode.l10n.t('Text contains'), prompt: vscode.l10n.t('Keep entries containing this text (not case-sensitive)') });
        if (!text) return undefined;
        filter.text = text;
        break;
      }
    }
    const context = await vscode.window.showInputBox({
      title: vscode.l10n.t('Context'),
      prompt: vscode.l10n.t('Entries to keep before and after each match (0–{0})', MAX_CONTEXT),
      value: String(DEFAULT_CONTEXT),
      validateInput: (v) => (/^\d{1,2}$/.test(v.trim()) && Number(v) <= MAX_CONTEXT ? undefined : vscode.l10n.t('A whole number from 0 to {0}.', MAX_CONTEXT)),
    });
    if (context === undefined) return undefined;
    filter.context = Number(context.trim());
    return filter;
  }

  async function openLogSlice(arg?: unknown, second?: unknown): Promise<OpenSliceResult | undefined> {
    const given = isFilter(second) ? second : isFilter(arg) ? arg : undefined;
    const target = await targetOf(arg);
    if (!target) return undefined;
    const name = baseName(target);
    let filter: SliceFilter | undefined = given;
    try {
      const summary = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Reading {0}…', name), cancellable: true },
        (_progress, token) => summaryOf(target, token),
      );
      filter ??= await pickFilter(summary);
      if (!filter) return undefined;
      const f = filter;
      const sliceUri = vscode.Uri.from({ scheme: SLICE_SCHEME, path: `/${++counter}/${name}`, query: JSON.stringify(f) });
      const params: LogSliceParams = { uri: target.toString(), sliceUri: sliceUri.toString(), filter: f };
      const result = await vscode.window.withProgress(
        { location: vscode.ProgressLocation.Notification, title: vscode.l10n.t('Slicing {0}…', name), cancellable: true },
        (_progress, token) => client.sendRequest<LogSliceResult>(LogSliceRequestMethod, params, token),
      );
      provider.set(sliceUri, { origin: target, text: result.text, lines: Int32Array.from(result.lines) });
      const doc = await vscode.workspace.openTextDocument(sliceUri);
      if (doc.languageId !== LOG_LANGUAGE_ID) await vscode.languages.setTextDocumentLanguage(doc, LOG_LANGUAGE_ID);
      await vscode.window.showTextDocument(doc, { preview: false });
      if (result.matched === 0) {
        void vscode.window.showInformationMessage(vscode.l10n.t('No entry of {0} matched the filter ({1} lines read).', name, result.scannedLines));
      } else if (result.truncated) {
        const shown = result.lines.filter((l) => l >= 0).length;
        void vscode.window.showWarningMessage(
          vscode.l10n.t('The slice of {0} is cut short at {1} lines: {2} entries matched. Narrow the filter to see the rest.', name, shown, result.matched),
        );
      } else {
        vscode.window.setStatusBarMessage(vscode.l10n.t('Slice of {0}: {1} entries matched.', name, result.matched), 5000);
      }
      return { uri: sliceUri, matched: result.matched, truncated: result.truncated, lines: result.lines };
    } catch (e) {
      if (isCancellation(e)) return undefined;
      void vscode.window.showErrorMessage(vscode.l10n.t('Open Log Slice: {0}', errorText(e)));
      if (given) throw e;
      return undefined;
    }
  }

  /** Opens the original log at the line the cursor is on in a slice. */
  async function goToOriginalLine(arg?: unknown): Promise<OriginalLine | undefined> {
    const editor = vscode.window.activeTextEditor;
    const uri = isUri(arg) ? arg : editor?.document.uri;
    const slice = uri && uri.scheme === SLICE_SCHEME ? provider.get(uri) : undefined;
    if (!uri || !slice) {
      void vscode.window.showInformationMessage(vscode.l10n.t('Place the cursor in a log slice first (Open Log Slice…).'));
      return undefined;
    }
    const cursor = editor && editor.document.uri.toString() === uri.toString() ? editor.selection.active : new vscode.Position(0, 0);
    // Lines are copied verbatim, so the column carries over; on a separator, the next line (or the one before, at the end).
    let line = slice.lines[cursor.line] ?? -1;
    const character = line >= 0 ? cursor.character : 0;
    for (let i = cursor.line + 1; line < 0 && i < slice.lines.length; i++) line = slice.lines[i]!;
    for (let i = cursor.line - 1; line < 0 && i >= 0; i--) line = slice.lines[i]!;
    if (line < 0) return undefined;
    // `vscode.open` opens the file in the workbench even when it is too large to synchronise with extensions.
    const selection = new vscode.Range(line, character, line, character);
    await vscode.commands.executeCommand('vscode.open', slice.origin, { selection, preview: false } satisfies vscode.TextDocumentShowOptions);
    return { uri: slice.origin, line };
  }

  async function copyText(text: unknown): Promise<void> {
    if (typeof text !== 'string') return;
    await vscode.env.clipboard.writeText(text);
    vscode.window.setStatusBarMessage(`$(check) ${vscode.l10n.t('Copied to the clipboard.')}`, 3000);
  }

  /** True for a connector log by name or, failing that, by its first line on disk. */
  async function looksLikeConnectorLog(uri: vscode.Uri): Promise<boolean> {
    if (isConnectorLogName(baseName(uri))) return true;
    let handle;
    try {
      handle = await fs.open(uri.fsPath, 'r');
      const head = Buffer.alloc(256);
      const { bytesRead } = await handle.read(head, 0, head.length, 0);
      return sniff(head.subarray(0, bytesRead)) === 'connector-log';
    } catch {
      return false;
    } finally {
      await handle?.close();
    }
  }

  /**
   * When the active tab shows a connector log VS Code did not synchronise (over 50 MB), the server
   * reads it from disk (its findings then appear in Problems) and this says so, once per file.
   */
  async function announceLargeLog(): Promise<void> {
    const input = vscode.window.tabGroups.activeTabGroup.activeTab?.input;
    if (!(input instanceof vscode.TabInputText) || input.uri.scheme !== 'file') return;
    const uri = input.uri;
    const key = uri.toString();
    if (announced.has(key)) return;
    announced.add(key);
    try {
      const stat = await vscode.workspace.fs.stat(uri);
      const synced = vscode.workspace.textDocuments.some((d) => d.uri.toString() === key);
      if (stat.size <= SYNC_LIMIT_BYTES || synced || !(await looksLikeConnectorLog(uri))) {
        // A file can grow past the limit later: only large logs stay announced.
        if (stat.size <= SYNC_LIMIT_BYTES) announced.delete(key);
        return;
      }
      const summary = await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: vscode.l10n.t('Reading {0}…', baseName(uri)) }, () => summaryOf(uri));
      const mb = Math.round(stat.size / (1024 * 1024));
      const open = vscode.l10n.t('Open Slice…');
      const choice = await vscode.window.showInformationMessage(
        vscode.l10n.t('{0} is too large for VS Code to pass to extensions ({1} MB). Bundle Lens read it from disk: {2} findings.', baseName(uri), mb, summary.findings.length),
        open,
      );
      if (choice === open) await vscode.commands.executeCommand('bundleLens.openLogSlice', uri);
    } catch (e) {
      announced.delete(key);
      if (!isCancellation(e)) output.warn(`large log ${key}: ${errorText(e)}`);
    }
  }

  void announceLargeLog();
  return [
    provider,
    vscode.workspace.registerTextDocumentContentProvider(SLICE_SCHEME, provider),
    vscode.commands.registerCommand('bundleLens.openLogSlice', openLogSlice),
    vscode.commands.registerCommand('bundleLens.goToOriginalLine', goToOriginalLine),
    vscode.commands.registerCommand('bundleLens.copyText', copyText),
    vscode.window.tabGroups.onDidChangeTabs(() => void announceLargeLog()),
    vscode.window.tabGroups.onDidChangeTabGroups(() => void announceLargeLog()),
  ];
}
