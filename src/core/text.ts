/**
 * The sentences core may hand to a user (why a part of a bundle was not read, why an archive or an
 * entry is refused, why an XML file is not well-formed…), as templates with `{n}` placeholders.
 *
 * Core never words anything for the display language (it depends on neither vscode nor
 * @vscode/l10n): where it explains something in a sentence it builds a `CoreText` (a template of
 * `CORE_TEXTS` and its arguments) and keeps the English (`englishText`) in its plain field
 * (`detail`, `reason`…) for JSON, logs and tests. Renderers put the words in the display language
 * with `l10n.t(template, ...args)` (`coreWords` in src/shared/render.ts; `vscode.l10n.t` in the
 * extension host), the template being the key of the l10n bundles: `knowledgeTexts()`
 * (src/shared/l10n-knowledge.ts) adds every template to the English bundle.
 *
 * Arguments are names, paths, numbers, codes (`corrupt`, `ENOENT`), sizes in unit symbols (B, KiB,
 * MiB, GiB), a third-party library's own message, or another `CoreText` (translated too).
 */

export const CORE_TEXTS = [
  // Two parts joined: a code (`corrupt`, `unsafe-name`) or a name, and what it means.
  '{0}: {1}',

  // Why a part of a bundle was not read (src/core/bundle/inputs.ts, source.ts, src/core/tune).
  'nested {0} archive: deeper than {1} levels, not analysed',
  'nested {0} archive not read: the bundle also has a folder named {1}',
  'nested {0} archive not read: {1}',
  "the archive is damaged and this entry's size is unknown",
  'the entry is encrypted (no password is asked for)',
  'not read to its end',

  // Entry names refused (src/core/bundle/archive.ts).
  'the name contains a NUL character',
  'the name is {0} characters long (over {1})',
  'the name is empty',
  'a network (UNC) path, outside the archive',
  'an absolute path, outside the archive',
  'a Windows drive path, outside the archive',
  "a '..' segment climbs out of the archive",
  'the name has no path',

  // Entries refused or unreadable.
  'a symbolic link (links are never followed)',
  'a device or special file',
  'declares {0} (the limit for one entry is {1})',
  'expands {0}:1 ({1} from {2}; the limit is {3}:1): a possible zip bomb',
  'expands {0}:1 (the archive as a whole; the limit is {1}:1): a possible zip bomb',
  'its {0} files declare {1} from an archive of {2} ({3}:1 as a whole; the limit is {4}:1): a possible zip bomb, none of its files is extracted',
  'a second entry named {0}; the first one is kept',
  'compression method {0} is not supported (only stored and deflate)',
  'the archive is encrypted (no password is asked for)',
  '{0} is over the {1} a 7z entry may be extracted into memory',
  '{0} is over the {1} a damaged zip entry may be extracted into memory',

  // Whole archives refused.
  '{0} has {1} entries (the limit is {2})',
  '{0} declares {1} of content in total (the limit is {2})',
  '{0} is not a file',
  '{0} is neither a zip nor a 7z archive (it starts with {1})',
  '{0} is neither a zip nor a 7z archive (it starts with nothing)',
  '{0} is {1}; a 7z archive is read in memory, up to {2}',
  '{0} is {1}; a damaged zip is read in memory, up to {2}',
  '{0} is {1}; the zip is damaged ({2}) and would have to be read in memory, up to {3}',
  '{0} is {1} (the limit for an archive in memory is {2})',
  '{0}: no entry could be listed ({1})',
  '{0}: no entry could be listed (the archive is damaged or truncated)',
  // Why an archive was listed only in part (`Archive.damaged`).
  'listing stopped after {0} of {1} entries: {2}',
  "the zip's central directory is unreadable ({0}); entries were read from their local headers",

  // Reads refused or failing.
  '{0} is closed',
  '{0} has no entry {1}',
  '{0} is a directory',
  '{0} was closed while {1} was read',
  '{0} was closed while {1} was opened',
  '{0} produces more than the {1} bytes its header declares: damaged, or crafted to hide its size',
  '{0} produces more than {1}',
  '{0} expands over {1}:1 ({2} from {3} so far): a possible zip bomb',
  '{0} ends after {1} of the {2} bytes its header declares: the archive is damaged',
  '{0} is {1}, over the {2} read into memory at once (stream it instead)',
  '{0} would be archive level {1} (the limit is {2} levels)',
  'the nested archive {0} is {1} (the limit is {2})',
  '{0} inflates past the size its header declares ({1}): damaged, or crafted to hide its size',
  '{0} ends before the size its header declares ({1})',
  '{0} cannot be read: {1}',
  '{0} fails its CRC-32 check: the archive is damaged',
  '{0} could not be found again in {1}',
  '{0} is encrypted (no password is asked for)',
  '{0} cannot be extracted: {1}',

  // The 7z reader (a worker): what it was doing, and how it failed.
  'listing',
  'the encryption check',
  'the extraction of {0}',
  'the extraction of every entry',
  '{0}: {1} took more than {2} and was stopped',
  '{0} was closed during {1}',
  '{0}: the 7z reader stopped (exit {1}) during {2}',
  '{0}: the 7z reader failed during {1}: {2}',

  // XML not well-formed (src/core/xml/read.ts; the parser's own messages stay its words).
  'a bare & (write &amp;)',
  'too many errors: the reading stopped here',
] as const;

export type CoreTemplate = (typeof CORE_TEXTS)[number];

/** An argument: a name, path, number or code as is, or another sentence of core. */
export type CoreArg = string | number | CoreText;

/** A sentence of core: a template of `CORE_TEXTS` and its arguments (plain data: it survives JSON). */
export interface CoreText {
  template: CoreTemplate;
  args: CoreArg[];
}

const TEMPLATES: ReadonlySet<string> = new Set<string>(CORE_TEXTS);

export function coreText(template: CoreTemplate, ...args: CoreArg[]): CoreText {
  return { template, args };
}

/** True for a template of `CORE_TEXTS` (a value read back from JSON or from a finding's arguments). */
export function isCoreTemplate(value: unknown): value is CoreTemplate {
  return typeof value === 'string' && TEMPLATES.has(value);
}

/** True for a `CoreText` (its template known, its arguments plain or CoreTexts). */
export function isCoreText(value: unknown): value is CoreText {
  if (typeof value !== 'object' || value === null) return false;
  const t = value as Partial<CoreText>;
  return isCoreTemplate(t.template) && Array.isArray(t.args) && t.args.every((a) => typeof a === 'string' || typeof a === 'number' || isCoreText(a));
}

/**
 * The sentence in English: the placeholders filled (as `l10n.t` fills them, a placeholder without
 * an argument left as written).
 */
export function englishText(t: CoreText): string {
  return fillTemplate(t.template, t.args.map((a) => (typeof a === 'object' ? englishText(a) : a)));
}

/** `{n}` replaced by the n-th value. */
export function fillTemplate(template: string, values: ReadonlyArray<string | number>): string {
  return template.replace(/\{(\d+)\}/g, (match, i: string) => {
    const v = values[Number(i)];
    return v === undefined ? match : String(v);
  });
}

/**
 * Why a part of a bundle could not be read: the English `reason` (JSON, logs) and, when core
 * worded it, the sentence for renderers (`reasonText`).
 */
export interface Unreadable {
  file: string;
  reason: string;
  reasonText?: CoreText;
}

/** An `Unreadable` entry for a sentence of core. */
export function unreadablePart(file: string, t: CoreText): Unreadable {
  return { file, reason: englishText(t), reasonText: t };
}
