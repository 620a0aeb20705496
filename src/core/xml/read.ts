/**
 * XML read without trusting the file: `saxes` (a non-validating streaming parser, ISC) gives the
 * structure and the positions; this builds a bounded tree of positioned elements.
 * - Nothing is expanded or fetched: a DOCTYPE is reported and ignored, so entities it declares
 *   (billion laughs, `SYSTEM "file:///…"` or `"http://…"`) stay as the text `&name;`.
 * - Bounded: characters read, elements kept, depth, text kept per element, problems listed.
 * - Broken input still yields what was readable, with a problem at the failing position.
 */
import { SaxesParser, type SaxesTagNS } from 'saxes';
import type { Finding, Position, Range } from '../types';
import type { XmlDocument, XmlElement, XmlProblem, XmlProblemId } from './types';
import type { CoreTemplate } from '../text';

/**
 * A reading problem's `detail` worded by this reader: the English in `detail`, the template (a
 * sentence of `CORE_TEXTS` without placeholders) in `detailTemplate` for renderers. The parser's
 * own messages are its words: `detail` only.
 */
function ownDetail(template: CoreTemplate & ('a bare & (write &amp;)' | 'too many errors: the reading stopped here')): { detail: string; detailTemplate: string } {
  return { detail: template, detailTemplate: template };
}

export interface ReadXmlOptions {
  /** Characters read at most (the rest is reported, not read). */
  maxChars?: number;
  /** Elements kept at most. */
  maxElements?: number;
  /** Elements deeper than this are not kept; far deeper stops the reading. */
  maxDepth?: number;
  /** Characters of text kept per element. */
  maxText?: number;
}

export const XML_LIMITS = {
  maxChars: 16 * 1024 * 1024,
  maxElements: 200_000,
  maxDepth: 256,
  maxText: 64 * 1024,
  /** Problems listed one by one; the rest are counted in the last one of each kind. */
  maxProblems: 100,
  /** Parser errors before the reading stops (garbage costs microseconds per error). */
  maxErrors: 1000,
  /** Reading stops when the nesting goes this far past `maxDepth` (the parser's own stack is bounded too). */
  depthMargin: 1024,
  /** Characters handed to the parser at a time (bounds checked between them). */
  chunk: 64 * 1024,
};

/** Stands in for a bare `&` (a private-use character: one UTF-16 unit, like `&`). */
const AMP_PLACEHOLDER = '\uE000';
const ENTITY_REF = /^&(?:[A-Za-z_:][\w.:-]{0,63}|#[0-9]{1,10}|#x[0-9A-Fa-f]{1,8});/;

/** Replaces each `&` that starts no entity or character reference (within 66 characters). */
function maskBareAmpersands(text: string, report: (at: number) => void): string {
  let out: string[] | undefined;
  let from = 0;
  for (let i = text.indexOf('&'); i >= 0; i = text.indexOf('&', i + 1)) {
    if (ENTITY_REF.test(text.slice(i, i + 66))) continue;
    report(i);
    (out ??= []).push(text.slice(from, i), AMP_PLACEHOLDER);
    from = i + 1;
  }
  if (!out) return text;
  out.push(text.slice(from));
  return out.join('');
}

/** Thrown from a handler to stop the parser mid-chunk. */
const STOP = new Error('stop reading');

/** Line starts of a text, for turning offsets into positions (binary search). */
class LineIndex {
  private readonly starts: number[] = [0];

  /** Line breaks as LSP counts them: CRLF, LF, and a lone CR. */
  constructor(text: string) {
    const hasCr = text.includes('\r');
    if (!hasCr) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 13) {
        if (text.charCodeAt(i + 1) === 10) i++;
        this.starts.push(i + 1);
      } else if (c === 10) this.starts.push(i + 1);
    }
  }

  position(offset: number): Position {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo, character: offset - this.starts[lo]! };
  }

  range(from: number, to: number): Range {
    return { start: this.position(from), end: this.position(Math.max(from, to)) };
  }
}

function isBlank(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Reads XML text (an open document, or a file's decoded text). Never throws on content. */
export function readXml(source: string, options: ReadXmlOptions = {}): XmlDocument {
  const maxChars = options.maxChars ?? XML_LIMITS.maxChars;
  const maxElements = options.maxElements ?? XML_LIMITS.maxElements;
  const maxDepth = options.maxDepth ?? XML_LIMITS.maxDepth;
  const maxText = options.maxText ?? XML_LIMITS.maxText;
  const rawText = source.length > maxChars ? source.slice(0, maxChars) : source;
  const lines = new LineIndex(rawText);
  const doc: XmlDocument = { root: undefined, problems: [], elements: 0, chars: rawText.length };
  const counts = new Map<XmlProblemId, number>();

  const problem = (id: XmlProblemId, severity: XmlProblem['severity'], range: Range, args: XmlProblem['args'] = {}): void => {
    const n = (counts.get(id) ?? 0) + 1;
    counts.set(id, n);
    if (n <= XML_LIMITS.maxProblems) doc.problems.push({ id, severity, range, args });
    else {
      // Keep the count on the last listed problem of this kind.
      for (let i = doc.problems.length - 1; i >= 0; i--) {
        if (doc.problems[i]!.id === id) {
          doc.problems[i]!.args['count'] = n;
          break;
        }
      }
    }
  };

  if (source.length > maxChars) {
    const end = lines.position(rawText.length);
    problem('xml.too-large', 'warning', { start: end, end }, { limit: maxChars, chars: source.length });
  }

  // A bare `&` (R&D) would make the parser read everything up to the next `;` as an entity name,
  // markup and values included. Each one is reported and replaced by a placeholder of the same
  // length (positions stay right), turned back into `&` in the text.
  const text = maskBareAmpersands(rawText, (at) => problem('xml.malformed', 'error', lines.range(at, at + 1), ownDetail('a bare & (write &amp;)')));
  const parser = new SaxesParser({ xmlns: true, position: true });
  const stack: Array<XmlElement | undefined> = []; // undefined: a skipped element (too deep, too many)
  let depth = 0;
  let stop = false;
  let lastMarkupEnd = 0;
  let tagStart = 0;
  let skippedDeep = 0;
  let skippedMany = 0;
  let closing = false;
  let errors = 0;
  let lastErrorAt = -1;
  let runEnd = -2;

  /** Adds the raw text from the last markup to the next `<` to the current element. */
  const takeText = (upTo: number): void => {
    const from = lastMarkupEnd;
    lastMarkupEnd = upTo;
    const el = stack[stack.length - 1];
    if (!el || upTo <= from) return;
    let a = from;
    let b = upTo;
    while (a < b && isBlank(text.charCodeAt(a))) a++;
    while (b > a && isBlank(text.charCodeAt(b - 1))) b--;
    if (a === b) return;
    const start = lines.position(a);
    const end = lines.position(b);
    el.textRange = el.textRange ? { start: el.textRange.start, end } : { start, end };
  };

  parser.on('opentagstart', (tag) => {
    // The tag's `<`: saxes reports the start once it has read the name (and maybe one more character).
    tagStart = text.lastIndexOf('<', parser.position - 1);
    if (tagStart < lastMarkupEnd) tagStart = lastMarkupEnd;
    takeText(tagStart);
    void tag;
  });

  parser.on('opentag', (tag: SaxesTagNS) => {
    depth++;
    const parent = stack[stack.length - 1];
    const end = parser.position;
    lastMarkupEnd = end;
    const tooDeep = depth > maxDepth;
    const tooMany = doc.elements >= maxElements;
    const parentSkipped = stack.length > 0 && parent === undefined;
    if (tooDeep || tooMany || parentSkipped) {
      if (tooDeep) skippedDeep++;
      else if (tooMany) skippedMany++;
      stack.push(undefined);
      if (depth > maxDepth + XML_LIMITS.depthMargin) {
        // Stop at once, not at the end of the chunk: the parser's namespace look-ups grow with depth.
        stop = true;
        throw STOP;
      }
      return;
    }
    const nameStart = tagStart + 1;
    const el: XmlElement = {
      name: tag.name,
      local: tag.local,
      uri: tag.uri,
      path: `${parent ? parent.path : ''}/${tag.local}`,
      depth,
      attributes: [],
      children: [],
      parent,
      text: '',
      textTruncated: false,
      textRange: undefined,
      range: lines.range(tagStart, end),
      nameRange: lines.range(nameStart, nameStart + tag.name.length),
      closed: tag.isSelfClosing,
    };
    // Attribute ranges: found in the start tag's text (values were normalised by the parser).
    const tagText = text.slice(tagStart, end);
    let searchFrom = 1 + tag.name.length;
    for (const attr of Object.values(tag.attributes)) {
      // A `<` cannot stand in an attribute value: an unclosed quote swallowed the markup after it
      // (and the values there, a password among them). Keep the attribute, not what it swallowed.
      if (attr.value.includes('<')) attr.value = '';
      const at = tagText.indexOf(attr.name, searchFrom);
      const from = at < 0 ? tagStart : tagStart + at;
      const quote = at < 0 ? -1 : tagText.slice(at).search(/["']/);
      const close = quote < 0 ? -1 : tagText.indexOf(tagText[at + quote]!, at + quote + 1);
      const to = close < 0 ? from + attr.name.length : tagStart + close + 1;
      if (close > 0) searchFrom = close + 1;
      el.attributes.push({ name: attr.name, local: attr.local, value: attr.value, range: lines.range(from, to) });
    }
    doc.elements++;
    if (parent) parent.children.push(el);
    else if (!doc.root) doc.root = el;
    stack.push(el);
  });

  const appendText = (raw: string): void => {
    const el = stack[stack.length - 1];
    if (!el) return;
    const value = raw.includes(AMP_PLACEHOLDER) ? raw.replaceAll(AMP_PLACEHOLDER, '&') : raw;
    if (el.text.length >= maxText) {
      el.textTruncated = true;
      return;
    }
    const room = maxText - el.text.length;
    el.text += value.length > room ? value.slice(0, room) : value;
    if (value.length > room) el.textTruncated = true;
  };

  parser.on('text', (value) => {
    // At the end of a cut file, saxes hands over whatever it had buffered. Plain text cut short is
    // kept; an unfinished comment, attribute value or tag (a `<` after the last markup) is not
    // character data, and may hold later elements' values: dropped.
    if (closing && text.indexOf('<', lastMarkupEnd) >= 0) return;
    appendText(value);
    // The raw text ends at the next `<` (saxes reports the text once it has read that `<`).
    const next = text.indexOf('<', lastMarkupEnd);
    takeText(next < 0 ? text.length : next);
  });

  parser.on('cdata', (value) => {
    appendText(value);
    const el = stack[stack.length - 1];
    const start = text.lastIndexOf('<![CDATA[', parser.position - 1);
    if (el && start >= 0) {
      const r = lines.range(start + 9, Math.max(start + 9, parser.position - 3));
      el.textRange = el.textRange ? { start: el.textRange.start, end: r.end } : r;
    }
    lastMarkupEnd = parser.position;
  });

  parser.on('closetag', (tag) => {
    const el = stack.pop();
    depth--;
    if (el) {
      el.range = { start: el.range.start, end: lines.position(parser.position) };
      el.closed = true;
    }
    lastMarkupEnd = parser.position;
    void tag;
  });

  parser.on('doctype', () => {
    const start = text.lastIndexOf('<!DOCTYPE', parser.position);
    problem('xml.doctype-ignored', 'information', lines.range(start < 0 ? 0 : start, parser.position));
    lastMarkupEnd = parser.position;
  });

  parser.on('comment', () => {
    // saxes reports a comment before it reads its final `>`.
    lastMarkupEnd = text.charCodeAt(parser.position) === 62 ? parser.position + 1 : parser.position;
  });
  parser.on('processinginstruction', () => {
    lastMarkupEnd = parser.position;
  });

  parser.on('error', (err) => {
    const at = Math.min(parser.position, text.length);
    // One problem per position, and a bound on errors: a file of NULs or control characters
    // would otherwise cost one problem (and microseconds) per character.
    if (at === lastErrorAt) return;
    lastErrorAt = at;
    if (++errors > XML_LIMITS.maxErrors) {
      if (!stop) {
        stop = true;
        problem('xml.malformed', 'error', lines.range(Math.max(0, at - 1), at), { ...ownDetail('too many errors: the reading stopped here'), limit: XML_LIMITS.maxErrors });
      }
      throw STOP;
    }
    const detail = err.message.replace(/^\d+:\d+: /, '');
    if (/undefined entity/i.test(detail)) {
      const amp = text.lastIndexOf('&', Math.max(0, at - 1));
      const from = amp >= 0 && at - amp <= 256 ? amp : Math.max(0, at - 1);
      problem('xml.entity-not-expanded', 'warning', lines.range(from, at), { name: text.slice(from + 1, at).replace(/;$/, '') });
      return;
    }
    if (/unclosed tag|unexpected end/i.test(detail)) return; // reported once as xml.truncated below
    if (/root element/i.test(detail)) return; // reported once as xml.not-xml below
    // A run of the same error on consecutive characters (NULs, control characters) is one problem.
    const last = doc.problems[doc.problems.length - 1];
    if (last && last.id === 'xml.malformed' && last.args['detail'] === detail && runEnd === at - 1) {
      last.range = { start: last.range.start, end: lines.position(at) };
      last.args['characters'] = Number(last.args['characters'] ?? 1) + 1;
      runEnd = at;
      return;
    }
    runEnd = at;
    problem('xml.malformed', 'error', lines.range(Math.max(0, at - 1), at), { detail });
  });

  try {
    for (let i = 0; i < text.length && !stop; i += XML_LIMITS.chunk) parser.write(text.slice(i, i + XML_LIMITS.chunk));
    if (!stop) {
      closing = true;
      parser.close();
    }
  } catch (e) {
    // STOP: reading stopped on purpose (too deep); the problem is added below. Anything else:
    // saxes throws only when no error handler takes an error. Either way what was read is kept.
    if (e !== STOP) {
      const at = lines.position(Math.min(parser.position, text.length));
      problem('xml.malformed', 'error', { start: at, end: at }, { detail: e instanceof Error ? e.message : String(e) });
    }
  }

  const end = lines.position(text.length);
  if (stop) problem('xml.too-deep', 'warning', { start: end, end }, { limit: maxDepth, skipped: skippedDeep });
  else if (skippedDeep > 0) problem('xml.too-deep', 'warning', doc.root?.nameRange ?? { start: end, end }, { limit: maxDepth, skipped: skippedDeep });
  if (skippedMany > 0) problem('xml.too-many-elements', 'warning', { start: end, end }, { limit: maxElements, skipped: skippedMany });
  const unclosed = stack.filter((e): e is XmlElement => e !== undefined);
  for (const el of unclosed) el.range = { start: el.range.start, end };
  if (!stop && doc.root && (unclosed.length > 0 || !doc.root.closed)) {
    problem('xml.truncated', 'error', { start: end, end }, { name: unclosed[unclosed.length - 1]?.name ?? doc.root.name });
  }
  if (!doc.root && text.trim().length > 0) problem('xml.not-xml', 'error', lines.range(0, Math.min(text.length, 1)));
  return doc;
}

/** The deepest element whose range holds the position. */
export function elementAt(doc: XmlDocument, p: Position): XmlElement | undefined {
  const inside = (r: Range) =>
    (p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character)) && (p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character));
  let el = doc.root && inside(doc.root.range) ? doc.root : undefined;
  for (;;) {
    const child = el?.children.find((c) => inside(c.range));
    if (!child) return el;
    el = child;
  }
}

/**
 * Elements by path of local names: `/config/agent/uuid` from the root, `//tetra/lasterror`
 * anywhere, `config/agent` relative to `from`. Namespaces are ignored (policy.xml's are xmldsig).
 */
export function findElements(doc: XmlDocument | XmlElement | undefined, path: string): XmlElement[] {
  const start = doc === undefined ? undefined : 'problems' in doc ? doc.root : doc;
  if (!start) return [];
  const anywhere = path.startsWith('//');
  const absolute = !anywhere && path.startsWith('/');
  const parts = path.replace(/^\/+/, '').split('/').filter(Boolean);
  if (parts.length === 0) return [];
  const out: XmlElement[] = [];
  const walk = (el: XmlElement, i: number): void => {
    if (parts[i] !== '*' && el.local !== parts[i]) return;
    if (i === parts.length - 1) out.push(el);
    else for (const c of el.children) walk(c, i + 1);
  };
  if (absolute && 'problems' in (doc as object)) walk(start, 0);
  else if (anywhere) {
    const all: XmlElement[] = [start];
    for (let k = 0; k < all.length; k++) {
      walk(all[k]!, 0);
      all.push(...all[k]!.children);
    }
  } else for (const c of start.children) walk(c, 0);
  return out;
}

/** The first element at a path, or undefined. */
export function findElement(doc: XmlDocument | XmlElement | undefined, path: string): XmlElement | undefined {
  return findElements(doc, path)[0];
}

/** A reading problem as a finding (for reports and diagnostics), with the file as evidence. */
export function xmlProblemFinding(p: XmlProblem, file: string): Finding {
  return { id: p.id, severity: p.severity, args: { ...p.args }, range: p.range, evidence: [{ file, range: p.range, text: '' }] };
}
