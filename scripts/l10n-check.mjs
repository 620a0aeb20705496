// Checks translations against the English bundle: every key present, nothing extra, and each
// translation keeping what must not change: the {n} placeholders (same multiset), every `code
// span` verbatim (commands, paths, names), the line structure (same number of line breaks) and
// Markdown table cells (same number of |), and the leading/trailing spaces.
//   node scripts/l10n-check.mjs                 every l10n/bundle.l10n.<lang>.json and package.nls.<lang>.json
//   node scripts/l10n-check.mjs EN.json TR.json one pair (a chunk under translation)
//   --json                                      problems as JSON on stdout
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
export const LANGUAGES = ['ko', 'ja', 'it'];

const placeholders = (s) => (s.match(/\{\d+\}/g) ?? []).sort();
const codeSpans = (s) => s.match(/`[^`\n]+`/g) ?? [];
const count = (s, ch) => s.split(ch).length - 1;
const edges = (s) => [s.match(/^\s*/)[0], s.match(/\s*$/)[0]];
const text = (v) => (typeof v === 'string' ? v : v?.message);

/** Problems of one translation file against its English original: [{ file, key, problem }]. */
export function compare(en, tr, file) {
  const problems = [];
  const say = (key, problem) => problems.push({ file, key, problem });
  for (const key of Object.keys(en)) {
    const source = text(en[key]);
    const t = text(tr[key]);
    if (typeof t !== 'string') {
      say(key, 'missing');
      continue;
    }
    if (!t.trim() && source.trim()) say(key, 'empty');
    if (placeholders(source).join() !== placeholders(t).join()) say(key, `placeholders ${placeholders(source).join(' ') || 'none'} became ${placeholders(t).join(' ') || 'none'}`);
    for (const span of codeSpans(source)) if (!t.includes(span)) say(key, `code span ${span} not kept verbatim`);
    if (count(source, '\n') !== count(t, '\n')) say(key, `line breaks ${count(source, '\n')} became ${count(t, '\n')}`);
    if (count(source, '|') !== count(t, '|')) say(key, `| ${count(source, '|')} became ${count(t, '|')}`);
    const [a, b] = edges(source);
    const [c, d] = edges(t);
    if (a !== c || b !== d) say(key, 'leading or trailing spaces changed');
  }
  for (const key of Object.keys(tr)) if (!(key in en)) say(key, 'not in the English bundle (stale)');
  return problems;
}

export function checkAll() {
  const problems = [];
  const pairs = [
    ['l10n/bundle.l10n.json', (l) => `l10n/bundle.l10n.${l}.json`],
    ['package.nls.json', (l) => `package.nls.${l}.json`],
  ];
  for (const [enFile, trFile] of pairs) {
    const en = JSON.parse(readFileSync(join(root, enFile), 'utf8'));
    for (const lang of LANGUAGES) {
      const file = trFile(lang);
      if (!existsSync(join(root, file))) {
        problems.push({ file, key: '', problem: 'file missing' });
        continue;
      }
      problems.push(...compare(en, JSON.parse(readFileSync(join(root, file), 'utf8')), file));
    }
  }
  // No translation file for a language nobody maintains.
  for (const name of readdirSync(join(root, 'l10n'))) {
    const m = /^bundle\.l10n\.([^.]+)\.json$/.exec(name);
    if (m && !LANGUAGES.includes(m[1])) problems.push({ file: `l10n/${name}`, key: '', problem: 'language not in LANGUAGES' });
  }
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const args = process.argv.slice(2).filter((a) => a !== '--json');
  const problems =
    args.length === 2 ? compare(JSON.parse(readFileSync(args[0], 'utf8')), JSON.parse(readFileSync(args[1], 'utf8')), args[1]) : checkAll();
  if (process.argv.includes('--json')) console.log(JSON.stringify(problems));
  else {
    for (const p of problems) console.log(`${p.file}: ${JSON.stringify(p.key).slice(0, 100)}: ${p.problem}`);
    console.log(problems.length ? `${problems.length} problems` : 'translations complete');
  }
  process.exit(problems.length ? 1 : 0);
}
