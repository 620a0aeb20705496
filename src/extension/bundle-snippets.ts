/**
 * Completions that offer the field snippets with the open bundle's values filled in (version
 * folder, update server, proxy; host, platform and policy in the case note), beside the static
 * snippets VS Code already offers from `snippets/`. Only while the trees show a bundle.
 */
import * as vscode from 'vscode';
import { bundleSnippets, bundleValuesOf, snippetPreview, valuesSummary, type SnippetDefinition } from '../shared/bundle-snippets';
import type { CaseModel } from './views';

interface Contributed {
  language: string;
  path: string;
}

export function registerBundleSnippets(context: vscode.ExtensionContext, model: CaseModel): void {
  const contributed: Contributed[] = (context.extension.packageJSON?.contributes?.snippets ?? []) as Contributed[];
  const files = new Map<string, Promise<Record<string, SnippetDefinition>>>();
  const fileOf = (language: string): Promise<Record<string, SnippetDefinition>> | undefined => {
    const c = contributed.find((s) => s.language === language);
    if (!c) return undefined;
    let f = files.get(language);
    if (!f) {
      f = Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.joinPath(context.extensionUri, c.path))).then(
        (bytes) => JSON.parse(new TextDecoder().decode(bytes)) as Record<string, SnippetDefinition>,
        () => ({}),
      );
      files.set(language, f);
    }
    return f;
  };

  const provider: vscode.CompletionItemProvider = {
    async provideCompletionItems(document, position) {
      const bundle = model.bundle;
      const file = fileOf(document.languageId);
      if (!bundle || !file) return [];
      const values = bundleValuesOf(bundle.view);
      const summary = valuesSummary(values);
      const prefixStart = /[\w-]*$/.exec(document.lineAt(position.line).text.slice(0, position.character));
      const range = new vscode.Range(position.translate(0, -(prefixStart?.[0].length ?? 0)), position);
      return bundleSnippets(await file, values).map((s) => {
        const item = new vscode.CompletionItem({ label: s.prefix, description: vscode.l10n.t('this bundle: {0}', summary || bundle.view.subject) }, vscode.CompletionItemKind.Snippet);
        item.insertText = new vscode.SnippetString(s.body);
        item.range = range;
        item.filterText = s.prefix;
        // Before the static snippet of the same prefix.
        item.sortText = ` ${s.prefix}`;
        item.detail = s.description ? `${s.description} ${vscode.l10n.t('(with this bundle’s values)')}` : vscode.l10n.t('(with this bundle’s values)');
        item.documentation = new vscode.MarkdownString().appendCodeblock(snippetPreview(s.body), document.languageId === 'markdown' ? 'markdown' : document.languageId);
        return item;
      });
    },
  };
  context.subscriptions.push(
    vscode.languages.registerCompletionItemProvider(
      contributed.map((c) => ({ language: c.language })),
      provider,
      '-',
    ),
  );
}
