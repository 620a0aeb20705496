import * as l10n from '@vscode/l10n';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { after, describe, it } from 'node:test';
import { main, type CliIo } from '../../src/cli/cli';
import { decimal, LANGUAGES, languageOf, localeFromEnv, useLanguage } from '../../src/shared/locale';
import { koreanParticles, tidySpacing, wordList } from '../../src/shared/render';
import { stepMessage } from '../../src/shared/render-diagnosis';
import { DIST, ROOT } from '../support/paths';

const english: Record<string, string> = JSON.parse(readFileSync(path.join(ROOT, 'l10n', 'bundle.l10n.json'), 'utf8'));
const bundles = Object.fromEntries(
  LANGUAGES.map((lang) => [lang, JSON.parse(readFileSync(path.join(ROOT, 'l10n', `bundle.l10n.${lang}.json`), 'utf8')) as Record<string, string>]),
);

describe('translations', () => {
  it('have every key of the English bundle and of package.nls.json, with the same placeholders, code spans and lines', () => {
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'l10n-check.mjs'), '--json'], { encoding: 'utf8' });
    const problems: Array<{ file: string; key: string; problem: string }> = JSON.parse(r.stdout);
    assert.deepEqual(
      problems.map((p) => `${p.file}: ${p.key.slice(0, 80)}: ${p.problem}`),
      [],
    );
    assert.equal(r.status, 0);
  });

  it('have keys exactly as the source writes them (no \\u escape in an l10n.t string, which the exporter misreads)', () => {
    const offenders: string[] = [];
    const walk = (dir: string): string[] =>
      readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? walk(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
    for (const file of walk(path.join(ROOT, 'src'))) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/l10n\.t\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g)) {
        if (/\\u/.test(m[2]!)) offenders.push(`${path.relative(ROOT, file)}: ${m[2]!.slice(0, 60)}`);
      }
    }
    assert.deepEqual(offenders, []);
    // The mangled form it produced (\u2019 read as U+0201) is gone from the bundle.
    assert.deepEqual(Object.keys(english).filter((k) => /[\u0100-\u024f]/.test(k)), []);
  });

  it('translate every sentence (only names, commands and numbers may stay English)', () => {
    for (const lang of LANGUAGES) {
      const same = Object.keys(english).filter((k) => bundles[lang]![k] === k && /[a-z]{3,} [a-z]{3,} [a-z]{3,}/.test(prose(k)));
      assert.deepEqual(same, [], `${lang}: left in English`);
    }
  });

  // The words of the source documents: seeds 000/001 (Korean), 004 (Japanese), 002 (Italian).
  const TERMS: Record<string, { definitions: RegExp; isolation: RegExp }> = {
    ko: { definitions: /정의/, isolation: /분리/ },
    ja: { definitions: /定義/, isolation: /隔離/ },
    it: { definitions: /definizion/i, isolation: /isola/i },
  };
  for (const lang of LANGUAGES) {
    it(`use the seeds' words in ${lang}: definitions and isolation`, () => {
      const t = bundles[lang]!;
      const missing: string[] = [];
      for (const key of Object.keys(english)) {
        const words = prose(key);
        // Lower case only: capitalised, these are the console's and client's labels (Endpoint
        // Isolation, Not Isolated, Definitions Up To Date), which stay as the screen shows them.
        if (/\bdefinitions?\b/.test(words) && !TERMS[lang]!.definitions.test(t[key]!)) missing.push(`definitions: ${key}`);
        if (/\bisolat(ion|ed|e|ing)\b/.test(words) && !TERMS[lang]!.isolation.test(t[key]!)) missing.push(`isolation: ${key}`);
      }
      assert.deepEqual(missing, []);
    });
  }
});

/** A key's own words: code spans, quoted console and log text, and placeholders removed. */
function prose(key: string): string {
  return key
    .replace(/`[^`]*`/g, ' ')
    .replace(/“[^”]*”|"[^"]*"/g, ' ')
    .replace(/\{\d+\}/g, ' ');
}

describe('choosing the language', () => {
  after(() => useLanguage('en'));

  it('reads locales as VS Code, LSP clients and POSIX write them', () => {
    for (const [locale, lang] of [
      ['ja', 'ja'],
      ['ja-JP', 'ja'],
      ['ko_KR.UTF-8', 'ko'],
      ['it_IT@euro', 'it'],
      ['IT', 'it'],
      ['en-US', 'en'],
      ['C', 'en'],
      ['C.UTF-8', 'en'],
      ['POSIX', 'en'],
      ['pt-BR', 'en'],
      ['', 'en'],
      ['jap', 'en'],
      ['../../etc/passwd', 'en'],
    ] as const) {
      assert.equal(languageOf(locale), lang, locale);
    }
    assert.equal(languageOf(undefined), 'en');
    assert.equal(localeFromEnv({ LANG: 'ko_KR.UTF-8', LC_MESSAGES: 'it_IT.UTF-8' }), 'it_IT.UTF-8');
    assert.equal(localeFromEnv({ LANG: 'ko_KR.UTF-8', LC_ALL: 'ja_JP.UTF-8' }), 'ja_JP.UTF-8');
    assert.equal(localeFromEnv({ LANG: 'ko_KR.UTF-8', LC_ALL: '' }), 'ko_KR.UTF-8');
    assert.equal(localeFromEnv({}), undefined);
  });

  it('switches l10n.t to a language and back to English', () => {
    for (const lang of LANGUAGES) {
      assert.equal(useLanguage(lang), lang);
      assert.equal(l10n.t('Findings'), bundles[lang]!['Findings']);
      assert.equal(l10n.t('line {0}', 7), bundles[lang]!['line {0}']!.replace('{0}', '7'));
    }
    assert.equal(useLanguage('en'), 'en');
    assert.equal(l10n.t('Findings'), 'Findings');
  });

  it('writes lists with the language\u2019s punctuation, in one pass however long', () => {
    useLanguage('ja');
    assert.equal(wordList(['a', 'b', 'c']), `a${bundles['ja']!['{0}, {1}']!.replace('{0}', '').replace('{1}', '')}b${bundles['ja']!['{0}, {1}']!.replace('{0}', '').replace('{1}', '')}c`);
    assert.equal(wordList(['a', 'b']), 'a、b');
    useLanguage('en');
    assert.equal(wordList([]), '');
    assert.equal(wordList(['only']), 'only');
    assert.equal(wordList(['a', 'b', 'c']), 'a, b, c');
    const many = Array.from({ length: 50_000 }, (_, i) => `d${i}/local.xml`);
    assert.equal(wordList(many), many.join(', '));
  });

  it('joins Japanese sentences without the space English puts after a full stop, and leaves other text alone', () => {
    assert.equal(tidySpacing('確認してください。 ログ内の更新は成功しています。 以上'), '確認してください。ログ内の更新は成功しています。以上');
    assert.equal(tidySpacing('更新間隔 （ポリシー）'), '更新間隔（ポリシー）');
    for (const text of ['Check the proxy. A later update succeeded.', '확인하십시오. 로그상 이후의', 'Verificare il proxy. (log letti: 1)', 'a  b\n c']) assert.equal(tidySpacing(text), text);
  });

  it('says one attempt or one event in the singular, in English and in translation', () => {
    const step = (id: string, reason: string, args: Record<string, string | number>) => stepMessage({ id, status: 'unknown', reason, args, evidence: [] });
    useLanguage('en');
    assert.equal(step('tetra.proxy', 'no-proxy-status', { attempts: 1 }), 'The connector log shows one update attempt and no proxy status.');
    assert.equal(step('tetra.proxy', 'no-proxy-status', { attempts: 3 }), 'The connector log shows 3 update attempts and no proxy status.');
    assert.match(step('tetra.connected', 'no-evidence', { logs: 1, attempts: 1 }), /^The connector log shows one update attempt, which failed,/);
    assert.equal(step('isolation.unlock-attempts', 'stop-failed', { type: 1090519081, count: 1, last: 'Mar 05 08:30:00' }), 'The connector published Isolation Stop Failure (event 1090519081) once, at Mar 05 08:30:00.');
    useLanguage('it');
    assert.equal(step('tetra.proxy', 'no-proxy-status', { attempts: 1 }), bundles['it']!['The connector log shows one update attempt and no proxy status.']);
    useLanguage('en');
  });

  it('chooses the Korean particle from the last sound of the value before it, and leaves the rest', () => {
    const cases: Array<[string, string]> = [
      ['상태 -2103이(가) 기록되었습니다', '상태 -2103이 기록되었습니다'], // 삼: final consonant
      ['상태 -2109이(가) 기록되었습니다', '상태 -2109가 기록되었습니다'], // 구: none
      ['4294965196을(를) 저장', '4294965196을 저장'], // 육
      ['버전 8.1.7.21417(으)로 업데이트', '버전 8.1.7.21417로 업데이트'], // 칠: ㄹ takes 로
      ['상태 -3000(으)로 실패', '상태 -3000으로 실패'], // 천: a trailing zero
      ['코드 5은(는) 없음', '코드 5는 없음'], // 오
      ['"정책"이(가) 있음', '"정책"이 있음'], // the word inside the quotes: 책
      ['서버(으)로 보냄', '서버로 보냄'],
      ['파일과(와) 폴더', '파일과 폴더'],
      ['proxy.example.com이(가) 응답', 'proxy.example.com이(가) 응답'], // Latin: both forms stay
      ['(0x80092013 CRYPT_E_REVOCATION_OFFLINE)(으)로', '(0x80092013 CRYPT_E_REVOCATION_OFFLINE)(으)로'],
    ];
    for (const [text, want] of cases) assert.equal(koreanParticles(text), want, text);
    for (const text of ['Status -2103 (the proxy)', 'ステータス -2103（保存値）', 'Stato -2103 (proxy)']) assert.equal(koreanParticles(text), text);
  });

  it('writes fractions with the language\u2019s decimal mark, whole numbers as they are', () => {
    useLanguage('it');
    assert.equal(decimal(222.75), '222,8');
    assert.equal(decimal(4.5), '4,5');
    assert.equal(decimal(12345.5), '12345,5', 'no grouping: counts and hours stay one token');
    useLanguage('ja');
    assert.equal(decimal(4.5), '4.5');
    useLanguage('en');
    assert.equal(decimal(4.25, 2), '4.25');
    assert.equal(decimal(Number.NaN), 'NaN');
  });
});

describe('the CLI in each language', () => {
  after(() => useLanguage('en'));

  async function run(argv: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; out: string; err: string }> {
    let out = '';
    let err = '';
    const io: CliIo = { out: (s) => void (out += s), err: (s) => void (err += s), ...(env ? { env } : {}) };
    const code = await main(argv, io);
    return { code, out, err };
  }

  const summary = 'TETRA update: could not connect to the proxy.';

  for (const lang of LANGUAGES) {
    it(`decodes in ${lang} with --lang ${lang}`, async () => {
      const r = await run(['decode', '-2103', '--lang', lang]);
      assert.equal(r.code, 0, r.err);
      assert.ok(r.out.includes(bundles[lang]![summary]!), r.out);
      assert.ok(!r.out.includes(summary), r.out);
      assert.match(r.out, /4294965193/);
    });
  }

  it('takes the language from LC_ALL, LC_MESSAGES or LANG; --lang wins; English by default', async () => {
    assert.ok((await run(['decode', '-2103'], { LANG: 'ja_JP.UTF-8' })).out.includes(bundles['ja']![summary]!));
    assert.ok((await run(['decode', '-2103'], { LANG: 'ja_JP.UTF-8', LC_ALL: 'ko_KR.UTF-8' })).out.includes(bundles['ko']![summary]!));
    assert.ok((await run(['decode', '-2103', '--lang=en'], { LANG: 'ja_JP.UTF-8' })).out.includes(summary));
    assert.ok((await run(['decode', '-2103'], { LANG: 'fr_FR.UTF-8' })).out.includes(summary));
    assert.ok((await run(['decode', '-2103'])).out.includes(summary), 'no env: English');
  });

  it('keeps JSON keys and ids, and translates only the words', async () => {
    const en = JSON.parse((await run(['decode', '-2103', '--json'])).out);
    const ja = JSON.parse((await run(['decode', '-2103', '--json', '--lang', 'ja'])).out);
    assert.deepEqual(Object.keys(ja), Object.keys(en));
    assert.equal(ja.hex, en.hex);
    assert.equal(ja.readings[0].family, en.readings[0].family);
    assert.notEqual(ja.summary, en.summary);
  });

  it('refuses an unknown --lang, and says its usage in the chosen language', async () => {
    const bad = await run(['decode', '-2103', '--lang', 'xx']);
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--lang/);
    const usage = await run(['help', '--lang', 'it']);
    assert.ok(usage.err.includes(bundles['it']!['Usage:']!), usage.err.slice(0, 200));
  });

  it('takes English in any locale form for --lang (en-US, en_GB.UTF-8, C, POSIX)', async () => {
    for (const lang of ['en-US', 'en_GB.UTF-8', 'C', 'POSIX']) {
      const r = await run(['decode', '-2103', '--lang', lang]);
      assert.equal(r.code, 0, `${lang}: ${r.err}`);
      assert.ok(r.out.includes(summary), lang);
    }
  });

  it('wraps its usage at spaces in Korean and between characters in Japanese, never before closing punctuation', async () => {
    const ko = (await run(['help', '--lang', 'ko'])).err;
    const paragraph = bundles['ko']!['Exit codes: 0 done; 1 diagnose found error-level findings; 2 bad usage or unreadable input.']!;
    const wrapped = ko.split('\n').filter((l) => !l.startsWith(' ') && l.trim() !== '');
    // Korean words are never cut: the wrapped lines joined with spaces give the paragraph back.
    const at = wrapped.findIndex((l) => paragraph.startsWith(l));
    assert.ok(at >= 0, ko);
    let text = '';
    for (let i = at; i < wrapped.length && text.length < paragraph.length; i++) text = text ? `${text} ${wrapped[i]}` : wrapped[i]!;
    assert.equal(text, paragraph);
    const ja = (await run(['help', '--lang', 'ja'])).err.split('\n');
    for (const line of ja) {
      assert.doesNotMatch(line.trimStart(), /^[、。，．）」』ー)\].,]/, line);
      assert.doesNotMatch(line, /[（「『(]$/, line);
      const columns = [...line].reduce((n, c) => n + (/[\u2e80-\ua4cf\uac00-\ud7a3\uff00-\uff60]/.test(c) ? 2 : 1), 0);
      // Descriptions (indented by 6) fit; the command synopses are long in every language.
      if (line.startsWith('      ')) assert.ok(columns <= 6 + 96, `${columns}: ${line}`);
    }
  });

  it('speaks the language from the shipped dist/cli.js too', () => {
    const r = spawnSync(process.execPath, [path.join(DIST, 'cli.js'), 'diagnose', path.join(ROOT, 'test', 'fixtures', 'proxy-bundle'), '--lang', 'ko'], {
      encoding: 'utf8',
      env: { PATH: process.env['PATH'] ?? '' },
    });
    assert.equal(r.status, 1, r.stderr);
    assert.ok(r.stdout.startsWith(`# ${bundles['ko']!['Bundle Lens — bundle diagnosis']}\n`), r.stdout.slice(0, 200));
  });
});
