/**
 * `local.xml` and `policy.xml` in the server: one bounded reading per document version (core's
 * `readXml` is synchronous and bounded), its problems and rule findings as diagnostics, a hover
 * for every known setting, and an outline of the sections.
 * The proxy password never leaves this module: hovers and outline say only whether it is set.
 */
import { SymbolKind, type DocumentSymbol, type Hover, type Position, type Range } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { elementAt, xmlProblemFinding } from '../core/xml/read';
import { analyzeXmlText } from '../core/xml/rules';
import { settingAt, settingEntryAt } from '../core/xml/settings';
import type { LocalXmlModel, PolicyXmlModel, XmlDocument, XmlElement } from '../core/xml/types';
import type { Finding } from '../core/types';
import { detailText, exclusionDetail, itemsText, pathHoverMarkdown, policyDetail, proxyDetail, secretText, sectionName, settingHoverMarkdown, signatureName } from '../shared/render-xml';
import { baseName } from './documents';

export type XmlRole = 'local.xml' | 'policy.xml';

export interface XmlAnalysis {
  role: XmlRole;
  doc: XmlDocument;
  model: LocalXmlModel | PolicyXmlModel;
  /** The reading's problems, then the rules' findings. */
  findings: Finding[];
}

/**
 * Reads the document and runs the rules. The role is core's: by name (`local.xml`, `local.old`,
 * `policy.xml`), else by the root element read in full (a bare `config` may be either file).
 * Undefined when the document is neither file after all.
 */
export function analyzeXmlDocument(doc: TextDocument): XmlAnalysis | undefined {
  const file = baseName(doc.uri);
  const r = analyzeXmlText(doc.getText(), file, { file });
  if (r.role === 'other' || !r.model) return undefined;
  // Core's rules leave the reading's problems in the document: they are shown here, once.
  const problems = r.findings.some((f) => f.id.startsWith('xml.')) ? [] : r.doc.problems.map((p) => xmlProblemFinding(p, file));
  return { role: r.role, doc: r.doc, model: r.model, findings: [...problems, ...r.findings] };
}

/** One analysis per document version (readXml is synchronous and bounded). */
export class XmlAnalysisCache {
  private readonly entries = new Map<string, { version: number; analysis: XmlAnalysis | undefined }>();

  get(doc: TextDocument): XmlAnalysis | undefined {
    const entry = this.entries.get(doc.uri);
    if (entry && entry.version === doc.version) return entry.analysis;
    const analysis = analyzeXmlDocument(doc);
    this.entries.set(doc.uri, { version: doc.version, analysis });
    return analysis;
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }
}

// --- Hover --------------------------------------------------------------------------------------

function before(a: Position, b: Position): boolean {
  return a.line < b.line || (a.line === b.line && a.character < b.character);
}

function inside(r: Range, p: Position): boolean {
  return !before(p, r.start) && !before(r.end, p);
}

/** The name in the end tag `</name>`, when the element has one written plainly. */
function endTagNameRange(doc: TextDocument, el: XmlElement): Range | undefined {
  if (!el.closed) return undefined;
  const end = doc.offsetAt(el.range.end);
  const written = `</${el.name}>`;
  const from = end - written.length;
  if (from < 0 || doc.getText({ start: doc.positionAt(from), end: el.range.end }) !== written) return undefined;
  return { start: doc.positionAt(from + 2), end: doc.positionAt(end - 1) };
}

/**
 * Elements whose value is never shown: the proxy password (a setting marked secret), and any
 * element whose name says it holds a secret (a password, an unlock code), known or not.
 */
export function isSecretElement(role: XmlRole, el: XmlElement): boolean {
  if (/password|passwd|^pass$|secret|unlock|token|credential/i.test(el.local)) return true;
  return settingEntryAt(role, el)?.secret === true;
}

/** The characters of a secret, for "set (N characters)". */
function secretLength(el: XmlElement): number {
  return el.text.trim().length;
}

/** The code decoding of a number at a position (the hover users had before settings): markdown and range. */
export type NumberHover = (p: Position) => Hover | null;

function markdownOf(h: Hover): string {
  const c = h.contents;
  return typeof c === 'object' && 'value' in c && !Array.isArray(c) ? c.value : '';
}

/**
 * Hover in local.xml / policy.xml. On an element's name (start or end tag) or its text: the
 * setting's summary, decoded value, meaning, next step, path and source; where the value is a code
 * (lasterror), also its code decoding — first when the cursor is on the number itself, so the
 * number hover reads as it always did. Elements no setting describes: their path only (and the
 * number's decoding on a number). Attributes and comments: the number's decoding on a number, else nothing.
 */
export function xmlHover(doc: TextDocument, a: XmlAnalysis, p: Position, numberHover: NumberHover): Hover | null {
  const el = elementAt(a.doc, p);
  if (!el) return numberHover(p);
  const secret = isSecretElement(a.role, el);
  const endName = endTagNameRange(doc, el);
  const onName = inside(el.nameRange, p) ? el.nameRange : endName && inside(endName, p) ? endName : undefined;
  const onText = el.textRange && inside(el.textRange, p) ? el.textRange : undefined;
  const range = onName ?? onText;
  // Attributes, comments, blanks between children: a number there keeps its decoding (never in a secret).
  if (!range) return secret ? null : numberHover(p);
  const info = settingAt(a.role, el);
  const entry = info ? settingEntryAt(a.role, el) : undefined;
  if (secret) {
    const md = info ? settingHoverMarkdown({ ...info, decoded: { kind: 'secret', length: secretLength(el) } }, { ...entry!, secret: true }) : `${pathHoverMarkdown(el)} — ${secretText(secretLength(el))}`;
    return { contents: { kind: 'markdown', value: md }, range };
  }
  if (!info) {
    const n = onText ? numberHover(p) : null;
    if (n) return { ...n, contents: { kind: 'markdown', value: `${markdownOf(n)}\n\n---\n\n${pathHoverMarkdown(el)}` } };
    return { contents: { kind: 'markdown', value: pathHoverMarkdown(el) }, range };
  }
  const setting = settingHoverMarkdown(info, entry);
  // 0 is "no error": no code to decode.
  if (entry?.decode === 'code' && el.textRange && !(info.decoded?.kind === 'code' && info.decoded.value === 0)) {
    // The value's code decoding: on the number the cursor is on, else on the value's first number.
    const n = onText ? numberHover(p) : numberHover(el.textRange.start);
    if (n && onText) return { ...n, contents: { kind: 'markdown', value: `${markdownOf(n)}\n\n---\n\n${setting}` } };
    if (n) return { contents: { kind: 'markdown', value: `${setting}\n\n---\n\n${markdownOf(n)}` }, range };
  }
  return { contents: { kind: 'markdown', value: setting }, range };
}

// --- Outline ----------------------------------------------------------------------------------

/** Symbols at most (a hostile file has 200,000 elements), and levels below the sections. */
const MAX_SYMBOLS = 2000;
const MAX_LEVELS = 12;

function relativePath(base: XmlElement, el: XmlElement): string {
  return el.path.startsWith(base.path + '/') ? el.path.slice(base.path.length + 1) : el.local;
}

function sectionDetail(a: XmlAnalysis, rel: string, el: XmlElement): string | undefined {
  if (a.model.kind === 'policy.xml') {
    const m = a.model;
    if (rel === 'proxy') return proxyDetail(m.proxy.server?.value, m.proxy.port?.value, m.proxy.username !== undefined || m.proxy.passwordSet?.value === true);
    if (rel === 'janus/policy') return policyDetail(m.policyName?.value, m.policySerial?.value) || undefined;
  }
  if (rel === 'exclusions/info' || rel === 'exclusions/process') return itemsText(el.children.filter((c) => c.local === 'item').length);
  return undefined;
}

/**
 * The outline: the sections of `config` (agent, janus/policy, proxy, conn/ssl, exclusions, …) with
 * readable names, their values as details (a secret as "set (N characters)"), bounded.
 * policy.xml: the sections of `Signature/Object/config`, and one symbol for the signature.
 */
export function xmlSymbols(a: XmlAnalysis): DocumentSymbol[] {
  const root = a.doc.root;
  if (!root) return [];
  let budget = MAX_SYMBOLS;
  const base = a.model.kind === 'policy.xml' && a.model.config ? a.model.config : root;

  const symbol = (el: XmlElement, level: number): DocumentSymbol => {
    budget--;
    const rel = relativePath(base, el);
    const isSection = el.children.length > 0;
    const out: DocumentSymbol = {
      name: el.local || el.name || '?',
      kind: isSection ? SymbolKind.Namespace : SymbolKind.Property,
      range: el.range,
      selectionRange: el.nameRange,
    };
    if (isSection) {
      out.name = sectionName(rel, el.local) || out.name;
      const detail = sectionDetail(a, rel, el);
      if (detail) out.detail = detail;
      if (level < MAX_LEVELS) {
        const children: DocumentSymbol[] = [];
        for (const c of el.children) {
          if (budget <= 0) break;
          children.push(symbol(c, level + 1));
        }
        out.children = children;
      }
      return out;
    }
    if (isSecretElement(a.role, el)) {
      out.detail = secretText(secretLength(el));
      return out;
    }
    const info = settingAt(a.role, el);
    if (info?.decoded?.kind === 'exclusion') {
      const e = info.decoded.exclusion;
      out.name = detailText({ kind: 'text', value: e.value }, e.value) || out.name;
      out.kind = SymbolKind.Field;
      const how = exclusionDetail(e);
      if (how) out.detail = how;
      return out;
    }
    const detail = detailText(info?.decoded, el.text);
    if (detail) out.detail = detail;
    return out;
  };

  const top: DocumentSymbol[] = [];
  for (const c of base.children) {
    if (budget <= 0) break;
    top.push(symbol(c, 1));
  }
  if (base !== root) {
    // The xmldsig parts before the policy (SignedInfo, SignatureValue, KeyInfo): one symbol.
    const parts = root.children.filter((c) => c.local !== 'Object' && before(c.range.end, base.range.start));
    const first = parts[0];
    const last = parts[parts.length - 1];
    if (first && last) top.unshift({ name: signatureName(), kind: SymbolKind.Key, range: { start: first.range.start, end: last.range.end }, selectionRange: first.nameRange });
  }
  return top;
}
