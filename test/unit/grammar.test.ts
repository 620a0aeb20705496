// Tests for the TextMate grammar of sfc.exe.log (syntaxes/secure-endpoint-log.tmLanguage.json) and
// for language-configuration.json. The grammar is run with the same engine VS Code uses
// (vscode-textmate + the oniguruma WASM build), and scopes of single tokens are asserted.
//
// test/fixtures/grammar/connector-sample.log: the first 21 lines are the debug excerpt of seed 001
// verbatim (wrapped lines included); the rest are the line shapes of BRIEF §2.2 with made-up values.
// test/fixtures/grammar/unix-sample.log: the shapes of BRIEF §2.6 (ampcli status text, the Linux syslog
// line verbatim, macOS/Linux syslog lines with a pid, lines that start with an ISO 8601 timestamp) with
// made-up values.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { before, describe, it } from 'node:test';
import * as oniguruma from 'vscode-oniguruma';
import * as vsctm from 'vscode-textmate';

/** Compiled to out/test/unit/; the repository root is three levels up. */
const ROOT = path.resolve(__dirname, '../../..');
const GRAMMAR_PATH = path.join(ROOT, 'syntaxes', 'secure-endpoint-log.tmLanguage.json');
const LANGUAGE_CONFIGURATION_PATH = path.join(ROOT, 'language-configuration.json');
const SAMPLE_PATH = path.join(ROOT, 'test', 'fixtures', 'grammar', 'connector-sample.log');
const UNIX_SAMPLE_PATH = path.join(ROOT, 'test', 'fixtures', 'grammar', 'unix-sample.log');
const SCOPE_NAME = 'source.secure-endpoint-log';
const SUFFIX = '.secure-endpoint-log';

interface Tok {
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** Scopes without the root scope and without the `.secure-endpoint-log` suffix. */
  readonly scopes: readonly string[];
}

interface Line {
  readonly text: string;
  readonly tokens: readonly Tok[];
}

let grammar: vsctm.IGrammar;

async function loadGrammar(): Promise<vsctm.IGrammar> {
  const wasm = readFileSync(path.join(ROOT, 'node_modules', 'vscode-oniguruma', 'release', 'onig.wasm'));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (sources: string[]) => new oniguruma.OnigScanner(sources),
      createOnigString: (s: string) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName: string) =>
      scopeName === SCOPE_NAME ? vsctm.parseRawGrammar(readFileSync(GRAMMAR_PATH, 'utf8'), GRAMMAR_PATH) : null,
  });
  const g = await registry.loadGrammar(SCOPE_NAME);
  assert.ok(g, 'grammar loads');
  return g;
}

function strip(scope: string): string {
  return scope.endsWith(SUFFIX) ? scope.slice(0, -SUFFIX.length) : scope;
}

/** Tokenizes `text` line by line, carrying the rule stack over like the editor does. */
function tokenize(text: string): Line[] {
  let state = vsctm.INITIAL;
  const lines: Line[] = [];
  for (const lineText of text.split(/\r?\n/)) {
    const r = grammar.tokenizeLine(lineText, state);
    state = r.ruleStack;
    const tokens = r.tokens.map((t) => ({
      text: lineText.slice(t.startIndex, t.endIndex),
      start: t.startIndex,
      end: t.endIndex,
      scopes: t.scopes.slice(1).map(strip),
    }));
    lines.push({ text: lineText, tokens });
  }
  return lines;
}

function hasScope(tok: Tok, scope: string): boolean {
  return tok.scopes.includes(scope);
}

/** The line (of a tokenized text) that contains `needle`; lines are searched top-down. */
function lineWith(lines: readonly Line[], needle: string, nth = 0): { line: Line; index: number } {
  let seen = 0;
  for (const line of lines) {
    let from = 0;
    for (;;) {
      const index = line.text.indexOf(needle, from);
      if (index < 0) break;
      if (seen++ === nth) return { line, index };
      from = index + 1;
    }
  }
  throw new Error(`no occurrence #${nth} of ${JSON.stringify(needle)} in:\n${lines.map((l) => l.text).join('\n')}`);
}

/** The token that contains the first character (or the character at `offset`) of the nth occurrence of `needle`. */
function tokenAt(lines: readonly Line[], needle: string, nth = 0, offset = 0): Tok {
  const { line, index } = lineWith(lines, needle, nth);
  const at = index + offset;
  const tok = line.tokens.find((t) => t.start <= at && at < t.end);
  assert.ok(tok, `token at ${JSON.stringify(needle)}${offset ? ` + ${offset}` : ''}`);
  return tok;
}

/** The token that holds the last character of the nth occurrence of `needle` (a separator that ends it). */
function lastTokenOf(lines: readonly Line[], needle: string, nth = 0): Tok {
  return tokenAt(lines, needle, nth, needle.length - 1);
}

/** Scopes of the token at `needle` (or at character `offset` of it), suffix stripped. */
function scopesAt(lines: readonly Line[], needle: string, nth = 0, offset = 0): readonly string[] {
  return tokenAt(lines, needle, nth, offset).scopes;
}

/**
 * The text of the contiguous run of tokens carrying `scope` that contains the first character of
 * `needle`: checks that a construct is scoped as a whole and where it starts and ends.
 */
function spanOf(lines: readonly Line[], needle: string, scope: string, nth = 0): string {
  const { line, index } = lineWith(lines, needle, nth);
  const i = line.tokens.findIndex((t) => t.start <= index && index < t.end);
  const tokens = line.tokens;
  if (i < 0 || !hasScope(tokens[i]!, scope)) {
    const tok = tokens[i];
    assert.fail(`${JSON.stringify(needle)} is not in ${scope}: token ${JSON.stringify(tok?.text)} has [${tok?.scopes.join(', ')}]`);
  }
  let a = i;
  let b = i;
  while (a > 0 && hasScope(tokens[a - 1]!, scope)) a--;
  while (b < tokens.length - 1 && hasScope(tokens[b + 1]!, scope)) b++;
  return line.text.slice(tokens[a]!.start, tokens[b]!.end);
}

function assertScope(lines: readonly Line[], needle: string, scope: string, nth = 0, offset = 0): void {
  const scopes = scopesAt(lines, needle, nth, offset);
  const at = offset ? ` (+${offset})` : '';
  assert.ok(scopes.includes(scope), `${JSON.stringify(needle)}${at} should have ${scope}, has [${scopes.join(', ')}]`);
}

function assertNoScope(lines: readonly Line[], needle: string, scope: string, nth = 0): void {
  const scopes = scopesAt(lines, needle, nth);
  assert.ok(!scopes.some((s) => s === scope || s.startsWith(scope + '.')), `${JSON.stringify(needle)} should not have ${scope}, has [${scopes.join(', ')}]`);
}

/** No token of the text carries `scope` (or a more specific scope under it). */
function assertNowhere(lines: readonly Line[], scope: string): void {
  for (const line of lines) {
    for (const t of line.tokens) {
      assert.ok(!t.scopes.some((s) => s === scope || s.startsWith(scope + '.')), `${JSON.stringify(t.text)} in ${JSON.stringify(line.text)} has ${scope}`);
    }
  }
}

const H = '(978223515, +0 ms) Aug 04 07:30:23 [11944]: ';

before(async () => {
  grammar = await loadGrammar();
});

describe('grammar file', () => {
  it('is JSON with the contributed scope name, and every scope it assigns ends in .secure-endpoint-log', () => {
    const raw = JSON.parse(readFileSync(GRAMMAR_PATH, 'utf8')) as Record<string, unknown>;
    assert.equal(raw['scopeName'], SCOPE_NAME);
    const names: string[] = [];
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) v.forEach(walk);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if ((k === 'name' || k === 'contentName') && typeof x === 'string') names.push(x);
          else walk(x);
        }
      }
    };
    walk(raw['repository']);
    walk(raw['patterns']);
    assert.ok(names.length > 40);
    for (const n of names) {
      for (const scope of n.split(' ')) assert.ok(scope.endsWith(SUFFIX), `scope ${scope}`);
    }
  });

  it('every repository rule is used', () => {
    const text = readFileSync(GRAMMAR_PATH, 'utf8');
    const raw = JSON.parse(text) as { repository: Record<string, unknown> };
    for (const key of Object.keys(raw.repository)) assert.ok(text.includes(`"#${key}"`), `#${key} is included somewhere`);
  });
});

describe('header', () => {
  it('scopes the tick/delta prefix as a comment with numeric tick and delta', () => {
    const l = tokenize(`${H}PipeWrite: waiting on pipe event handle`);
    assert.equal(spanOf(l, '(978', 'comment.other.prefix'), '(978223515, +0 ms)');
    assert.deepEqual(scopesAt(l, '978223515'), ['meta.entry', 'comment.other.prefix', 'constant.numeric.integer.tick']);
    assert.equal(tokenAt(l, '978223515').text, '978223515');
    assert.equal(tokenAt(l, '+0').text, '+0');
    assertScope(l, '+0', 'constant.numeric.integer.delta');
    assertScope(l, 'ms)', 'keyword.other.unit.ms');
    assertScope(l, '(978', 'punctuation.definition.prefix.begin');
    assertScope(l, ') Aug', 'punctuation.definition.prefix.end');
  });

  it('scopes month, day and time, and the thread id', () => {
    const l = tokenize(`${H}PipeWrite: waiting on pipe event handle`);
    assert.equal(spanOf(l, 'Aug', 'meta.timestamp'), 'Aug 04 07:30:23');
    assertScope(l, 'Aug', 'constant.numeric.date.month');
    assertScope(l, '04 ', 'constant.numeric.date.day');
    assert.equal(tokenAt(l, '07:30:23').text, '07:30:23');
    assertScope(l, '07:30:23', 'constant.numeric.time');
    assertScope(l, '[11944]', 'punctuation.definition.thread.begin');
    assert.equal(tokenAt(l, '11944').text, '11944');
    assertScope(l, '11944', 'variable.other.thread-id');
    assertScope(l, ']:', 'punctuation.definition.thread.end');
    assertScope(l, ': Pipe', 'punctuation.separator.header');
  });

  it('accepts a space-padded day and a non-zero delta', () => {
    const l = tokenize('(1042318, +2000 ms) Aug  4 07:31:03 [5520]: disp 37');
    assert.equal(tokenAt(l, '+2000').text, '+2000');
    assertScope(l, '+2000', 'constant.numeric.integer.delta');
    assertScope(l, '4 07', 'constant.numeric.date.day');
    assertScope(l, '5520', 'variable.other.thread-id');
    assertScope(l, '37', 'constant.numeric.integer.decimal');
  });

  it('does not treat a message that starts with "(" as a header', () => {
    const l = tokenize(`${H}Event::HandleCreation: START\n(\\\\?\\C:\\x.exe), 57`);
    assertNoScope(l, '(\\\\?', 'comment.other.prefix');
    assertScope(l, '57', 'meta.entry');
    assertScope(l, '57', 'constant.numeric.integer.decimal');
  });
});

describe('level markers', () => {
  it('ERROR: is a bold "deleted" keyword and the whole message, wrapped lines included, is markup.deleted', () => {
    const l = tokenize(`${H}ERROR: TetraUpdateInterface::update Update\nfailed with error -3000\n${H}PipeSend: sending message`);
    assert.equal(spanOf(l, 'ERROR', 'keyword.other.level.error'), 'ERROR:');
    for (const s of ['keyword.other.level.error', 'markup.deleted.level.error', 'markup.bold.level.error']) assertScope(l, 'ERROR', s);
    assertScope(l, ': Tetra', 'punctuation.separator.level');
    assertNoScope(l, 'ERROR', 'invalid');
    assert.equal(spanOf(l, 'TetraUpdateInterface', 'markup.deleted.message.error'), 'TetraUpdateInterface::update Update');
    assertScope(l, 'update', 'entity.name.function');
    assert.equal(spanOf(l, 'failed', 'markup.deleted.message.error'), 'failed with error -3000');
    assertScope(l, '-3000', 'constant.numeric.integer.decimal');
    // the next entry is back to normal
    assertNoScope(l, 'PipeSend', 'meta.message.error');
    assertNoScope(l, 'sending', 'markup.deleted');
    assertScope(l, 'PipeSend', 'entity.name.function');
  });

  it('WARNING:, INFO: and DEBUG: markers', () => {
    const l = tokenize(`${H}WARNING: Curl::Perform retry\n${H}INFO: Config::Load done\n${H}DEBUG: Registry::Read x\n${H}ERR Something::Else`);
    assert.equal(spanOf(l, 'WARNING', 'keyword.other.level.warning'), 'WARNING:');
    assertScope(l, 'WARNING', 'markup.changed.level.warning');
    assertScope(l, 'retry', 'meta.message.warning');
    assertNoScope(l, 'retry', 'markup');
    assertScope(l, 'Perform', 'entity.name.function');
    assert.equal(spanOf(l, 'INFO', 'keyword.other.level.info'), 'INFO:');
    assertScope(l, 'INFO', 'markup.inserted.level.info');
    assertScope(l, 'Load', 'entity.name.function');
    assert.equal(spanOf(l, 'DEBUG', 'keyword.other.level.debug'), 'DEBUG:');
    assertScope(l, 'Read', 'entity.name.function');
    assert.equal(spanOf(l, 'ERR ', 'keyword.other.level.error'), 'ERR');
    assertScope(l, 'Else', 'entity.name.function');
  });

  it('a level word that is not a marker is left alone', () => {
    const l = tokenize(`${H}ERRORS: 3\n${H}Update failed with ERROR: x`);
    assertNowhere(l, 'keyword.other.level');
    assertNowhere(l, 'markup.deleted');
  });
});

describe('Component::Function', () => {
  it('TetraUpdateInterface::update', () => {
    const l = tokenize(`${H}TetraUpdateInterface::update updateDir:`);
    assert.equal(spanOf(l, 'TetraUpdateInterface', 'meta.component'), 'TetraUpdateInterface::update');
    assertScope(l, 'TetraUpdateInterface', 'entity.name.type.class');
    assertScope(l, '::', 'punctuation.separator.namespace');
    assert.equal(tokenAt(l, 'update ').text, 'update');
    assertScope(l, 'update ', 'entity.name.function');
    assertScope(l, 'updateDir', 'support.type.property-name');
    assertNoScope(l, 'updateDir', 'entity.name.function');
  });

  it('imn::CEventManager::PublishEvent: with a namespace', () => {
    const l = tokenize(`${H}imn::CEventManager::PublishEvent: publishing type=553648143`);
    assertScope(l, 'imn', 'entity.name.namespace');
    assertScope(l, 'CEventManager', 'entity.name.type.class');
    assertScope(l, 'PublishEvent', 'entity.name.function');
    assertScope(l, ': publishing', 'punctuation.separator.component');
    assertScope(l, 'type', 'support.type.property-name');
    assertScope(l, '=', 'punctuation.separator.key-value');
    assertScope(l, '553648143', 'constant.numeric.integer.decimal');
  });

  it('a templated class, on one line and wrapped over two', () => {
    const one = tokenize(`${H}FASharedPtr<class TetraUpdateInterface>::ReleaseInstance count: 1`);
    assert.equal(spanOf(one, 'FASharedPtr', 'meta.component'), 'FASharedPtr<class TetraUpdateInterface>::ReleaseInstance');
    assertScope(one, 'FASharedPtr', 'entity.name.type.class');
    assertScope(one, '<', 'punctuation.definition.template.begin');
    assertScope(one, 'class', 'storage.type.class');
    assertScope(one, 'TetraUpdateInterface', 'entity.name.type.class');
    assertScope(one, '>', 'punctuation.definition.template.end');
    assertScope(one, 'ReleaseInstance', 'entity.name.function');
    assertScope(one, 'count', 'support.type.property-name');

    const two = tokenize(`${H}FASharedPtr<class\nTetraUpdateInterface>::ReleaseInstance count: 17`);
    assertScope(two, 'FASharedPtr', 'entity.name.type.class');
    assertScope(two, 'class', 'storage.type.class');
    assertScope(two, 'TetraUpdateInterface', 'entity.name.type.class');
    assertScope(two, '>', 'punctuation.definition.template.end');
    assertScope(two, 'ReleaseInstance', 'entity.name.function');
    assertScope(two, '17', 'constant.numeric.integer.decimal');
  });

  it('AVStat::CopyInternal with a spaced colon, and the numbers after " - "', () => {
    const l = tokenize(`${H}AVStat::CopyInternal : engine - 2, defs - 0,\nfirst failure - never, last err code - 4294964296, last upd success - never`);
    assertScope(l, 'AVStat', 'entity.name.type.class');
    assertScope(l, 'CopyInternal', 'entity.name.function');
    assertScope(l, ': engine', 'punctuation.separator.component');
    assert.equal(tokenAt(l, '2,').text, '2');
    assertScope(l, '2,', 'constant.numeric.integer.decimal');
    assertNoScope(l, '- 2', 'constant.numeric');
    assert.equal(tokenAt(l, '4294964296').text, '4294964296');
    assertScope(l, '4294964296', 'constant.numeric.integer.decimal');
  });

  it('bare functions: with a colon, PascalCase without one, and an index', () => {
    const l = tokenize(
      [
        `${H}PerformTetraUpdate: bUpdated = FALSE, state:`,
        `${H}TetraUpdaterInit defInit: 0, bUpdate: 0`,
        `${H}GetSperoHash SPERO fingerprint: status: 1`,
        `${H}TetraEngineInterface::ScanFile[123] lock acquired`,
        `${H}Event::HandleCreation: START \\\\?\\C:\\a.exe`,
      ].join('\n'),
    );
    assertScope(l, 'PerformTetraUpdate', 'entity.name.function');
    assertScope(l, ': bUpdated', 'punctuation.separator.component');
    assertScope(l, 'bUpdated', 'support.type.property-name');
    assertScope(l, 'FALSE', 'constant.language.boolean');
    assertScope(l, 'state', 'support.type.property-name');
    assertScope(l, 'TetraUpdaterInit', 'entity.name.function');
    assertScope(l, 'defInit', 'support.type.property-name');
    assertScope(l, 'GetSperoHash', 'entity.name.function');
    assertNoScope(l, 'SPERO', 'entity.name.function');
    assertScope(l, 'ScanFile', 'entity.name.function');
    assertScope(l, '123', 'constant.numeric.integer.decimal');
    assertScope(l, '[123', 'punctuation.definition.index.begin');
    assertScope(l, 'HandleCreation', 'entity.name.function');
    assertScope(l, 'Event', 'entity.name.type.class');
  });

  it('plain words at the start of a message are not functions', () => {
    const l = tokenize(`${H}calculating ETHOS hash\n${H}disp 3\n${H}Update failed\n${H}EVENT_INNER_FILE_SCAN start`);
    assertNowhere(l, 'entity.name.function');
    assertScope(l, 'EVENT_INNER_FILE_SCAN', 'variable.other.constant');
  });
});

describe('numbers', () => {
  it('decimal, negative, unsigned 32-bit, float', () => {
    const l = tokenize(`${H}TetraUpdateInterface::update updateDir: x, 20, -3000, -3000, 0, 4294965193, 1.5`);
    assert.equal(tokenAt(l, '-3000').text, '-3000');
    assertScope(l, '-3000', 'constant.numeric.integer.decimal');
    assertScope(l, '-3000', 'constant.numeric.integer.decimal', 1);
    assertScope(l, '20', 'constant.numeric.integer.decimal');
    assertScope(l, '4294965193', 'constant.numeric.integer.decimal');
    assert.equal(tokenAt(l, '1.5').text, '1.5');
    assertScope(l, '1.5', 'constant.numeric.float.decimal');
  });

  it('hex in both cases', () => {
    const l = tokenize(`${H}Curl::Perform failed 0x80092013 mask 0X7fff HRESULT 0x800B0109.`);
    for (const h of ['0x80092013', '0X7fff', '0x800B0109']) {
      assert.equal(tokenAt(l, h).text, h);
      assertScope(l, h, 'constant.numeric.integer.hexadecimal');
    }
  });

  it('digits glued to words are not numbers; a "-" glued to a word is not a sign', () => {
    const l = tokenize(`${H}System32 TLSv1 sha256 tetra-3000 SACK_PERM=1`);
    assertNoScope(l, 'System32', 'constant.numeric');
    assertNoScope(l, 'TLSv1', 'constant.numeric');
    assertNoScope(l, 'sha256', 'constant.numeric');
    assert.equal(tokenAt(l, '3000').text, '3000');
    assertNoScope(l, '-3000', 'constant.numeric');
    assertScope(l, 'PERM=1', 'variable.other.constant');
  });

  it('a dotted version is a version, not a host or an IP', () => {
    const l = tokenize(`${H}Connector version 8.1.7.21417 in C:\\Program Files\\Cisco\\AMP\\8.1.7.21417\\sfc.exe.log v7.2.7`);
    assert.equal(tokenAt(l, '8.1.7.21417').text, '8.1.7.21417');
    assertScope(l, '8.1.7.21417', 'constant.numeric.version');
    assertNoScope(l, '8.1.7.21417', 'string.unquoted.hostname');
    assertNoScope(l, '8.1.7.21417', 'constant.numeric.ip-address');
    assertScope(l, 'v7.2.7', 'constant.numeric.version');
  });
});

describe('paths', () => {
  it('\\\\?\\ paths, one per process and file, in an Event::HandleCreation line', () => {
    const l = tokenize(
      `${H}Event::HandleCreation: START \\\\?\\C:\\Users\\jdoe\\Downloads\\setup (1).exe(\\\\?\\C:\\Users\\jdoe\\Downloads\\setup (1).exe), \\\\?\\C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe`,
    );
    const p = 'string.unquoted.path.windows';
    assert.equal(spanOf(l, '\\\\?\\C:\\Users', p), '\\\\?\\C:\\Users\\jdoe\\Downloads\\setup (1).exe');
    assert.equal(spanOf(l, '\\\\?\\C:\\Users', p, 1), '\\\\?\\C:\\Users\\jdoe\\Downloads\\setup (1).exe');
    assert.equal(spanOf(l, '\\\\?\\C:\\Program', p), '\\\\?\\C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe');
    assert.equal(tokenAt(l, '\\\\?\\C:\\Users').text, '\\\\?\\');
    assertScope(l, '\\\\?\\C:\\Users', 'punctuation.definition.path.prefix');
    assertNoScope(l, '(\\\\?', p);
    assertNoScope(l, '), ', p);
  });

  it('\\\\?\\C:\\Windows\\System32\\svchost.exe followed by a comma or words', () => {
    const l = tokenize(
      `${H}ExclusionCheck: \\\\?\\C:\\Windows\\System32\\svchost.exe is excluded\n${H}Exclusion::IsExcluded: result: 1 from cache for \\\\?\\C:\\Windows\\System32\\svchost.exe,`,
    );
    const p = 'string.unquoted.path.windows';
    assert.equal(spanOf(l, '\\\\?\\', p), '\\\\?\\C:\\Windows\\System32\\svchost.exe');
    assert.equal(spanOf(l, '\\\\?\\', p, 1), '\\\\?\\C:\\Windows\\System32\\svchost.exe');
    assertNoScope(l, 'is excluded', p);
    assertScope(l, 'ExclusionCheck', 'entity.name.function');
    assertNowhere(l, 'string.unquoted.hostname');
  });

  it('a plain path with spaces on a continuation line ends at the comma', () => {
    const l = tokenize(`${H}TetraUpdateInterface::update updateDir:\nC:\\Program Files\\Cisco\\AMP\\tetra, 20, -3000, -3000, 0, 0, 0`);
    assert.equal(spanOf(l, 'C:\\', 'string.unquoted.path.windows'), 'C:\\Program Files\\Cisco\\AMP\\tetra');
    assertScope(l, 'C:\\', 'meta.entry');
    assertScope(l, '20', 'constant.numeric.integer.decimal');
    assertScope(l, '-3000', 'constant.numeric.integer.decimal');
    assertNoScope(l, ', 20', 'string.unquoted.path.windows');
  });

  it('a sentence full stop, UNC, device, registry and POSIX paths', () => {
    const l = tokenize(
      [
        `${H}open C:\\Windows\\Temp\\x.tmp. Next`,
        `${H}share \\\\fileserver\\amp$\\logs\\a.txt pipe \\\\.\\pipe\\ampcli device \\Device\\HarddiskVolume3\\Windows\\x.dll`,
        `${H}reg HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect\\unlock_code mac /opt/cisco/amp/bin/ampdaemon and/or 1/2`,
      ].join('\n'),
    );
    assert.equal(spanOf(l, 'C:\\Windows', 'string.unquoted.path.windows'), 'C:\\Windows\\Temp\\x.tmp');
    assert.equal(spanOf(l, '\\\\fileserver', 'string.unquoted.path.windows'), '\\\\fileserver\\amp$\\logs\\a.txt');
    assert.equal(spanOf(l, '\\\\.\\pipe', 'string.unquoted.path.windows'), '\\\\.\\pipe\\ampcli');
    assert.equal(spanOf(l, '\\Device', 'string.unquoted.path.windows'), '\\Device\\HarddiskVolume3\\Windows\\x.dll');
    assert.equal(spanOf(l, 'HKEY_', 'string.unquoted.path.windows'), 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect\\unlock_code');
    assert.equal(spanOf(l, '/opt', 'string.unquoted.path.posix'), '/opt/cisco/amp/bin/ampdaemon');
    assertNoScope(l, 'and/or', 'string.unquoted.path');
    assertNoScope(l, '/2', 'string.unquoted.path');
  });

  it('other \\\\?\\ forms and a bare drive', () => {
    const l = tokenize(`${H}open \\\\?\\UNC\\fs01\\share\\a.dll and \\??\\C:\\Windows\\x.sys on \\\\?\\Volume{0a1b2c3d-0000-0000-0000-100000000000}\\x.txt root C:\\ end`);
    const p = 'string.unquoted.path.windows';
    assert.equal(spanOf(l, '\\\\?\\UNC', p), '\\\\?\\UNC\\fs01\\share\\a.dll');
    assert.equal(spanOf(l, '\\??', p), '\\??\\C:\\Windows\\x.sys');
    assert.equal(spanOf(l, '\\\\?\\Volume', p), '\\\\?\\Volume{0a1b2c3d-0000-0000-0000-100000000000}\\x.txt');
    assert.equal(spanOf(l, 'C:\\ end', p), 'C:\\');
  });
});

describe('network and identifiers', () => {
  it('URLs, with trailing punctuation left out', () => {
    const l = tokenize(`${H}Curl::Perform GET https://tetra-defs.amp.cisco.com/tetra/defs.dat?x=1, then (http://10.0.0.1:3128/).`);
    assert.equal(spanOf(l, 'https', 'markup.underline.link'), 'https://tetra-defs.amp.cisco.com/tetra/defs.dat?x=1');
    assert.equal(spanOf(l, 'http:', 'markup.underline.link'), 'http://10.0.0.1:3128/');
    assertNowhere(l, 'string.unquoted.hostname');
    assertNowhere(l, 'string.unquoted.path');
  });

  it('host names with an optional port', () => {
    const l = tokenize(
      `${H}WARNING: revocation host commercial.ocsp.identrust.com:80 unreachable, also validation.identrust.com.\n` +
        `http.host == "tetra-defs.amp.cisco.com:443" bypass *.amp.cisco.com tetra-defs.eu.amp.cisco.com`,
    );
    const h = 'string.unquoted.hostname';
    assert.equal(spanOf(l, 'commercial', h), 'commercial.ocsp.identrust.com');
    assertScope(l, ':80', 'punctuation.separator.port');
    assert.equal(tokenAt(l, '80 ').text, '80');
    assertScope(l, '80 ', 'constant.numeric.integer.port');
    assert.equal(spanOf(l, 'validation', h), 'validation.identrust.com');
    assert.equal(spanOf(l, 'tetra-defs.amp', h), 'tetra-defs.amp.cisco.com');
    assertScope(l, 'tetra-defs.amp', 'string.quoted.double');
    assertScope(l, '443', 'constant.numeric.integer.port');
    assert.equal(spanOf(l, '*.amp', h), '*.amp.cisco.com');
    assert.equal(spanOf(l, 'tetra-defs.eu', h), 'tetra-defs.eu.amp.cisco.com');
    assertNoScope(l, 'http.host', h);
  });

  it('host-name rule does not fire on Component::Function, versions, file names or members', () => {
    const l = tokenize(
      [
        `${H}TetraUpdateInterface::update Update failed with error -3000`,
        `${H}AVStat::CopyInternal : engine - 2`,
        `${H}Connector 8.1.7.21417 file sfc.exe.log svchost.exe policy.xml jobs.db config.Info TLSv1.2`,
      ].join('\n'),
    );
    assertNowhere(l, 'string.unquoted.hostname');
    assertScope(l, 'TetraUpdateInterface', 'entity.name.type.class');
  });

  it('IPv4 with port or prefix length; not inside longer dotted numbers', () => {
    const l = tokenize(`${H}proxy 10.20.30.40:8080 net 192.168.0.0/24 peer 8.8.8.8, not 1.2.3.4.5 nor 10.1.2.300`);
    const ip = 'constant.numeric.ip-address.ipv4';
    assert.equal(tokenAt(l, '10.20.30.40').text, '10.20.30.40');
    assertScope(l, '10.20.30.40', ip);
    assertScope(l, '8080', 'constant.numeric.integer.port');
    assert.equal(tokenAt(l, '192.168.0.0').text, '192.168.0.0');
    assertScope(l, '192.168.0.0', ip);
    assertScope(l, '/24', 'punctuation.separator.prefix-length');
    assertScope(l, '24', 'constant.numeric.integer.prefix-length');
    assertScope(l, '8.8.8.8', ip);
    assertNoScope(l, '1.2.3.4.5', ip);
    assertScope(l, '1.2.3.4.5', 'constant.numeric.version');
    assertNoScope(l, '10.1.2.300', ip);
  });

  it('GUIDs with and without braces', () => {
    const l = tokenize(`${H}INFO: Config::Load policy uuid {6B29FC40-CA47-1067-B31D-00DD010662DA} id 3f2504e0-4f89-11d3-9a0c-0305e82c3301.`);
    assert.equal(spanOf(l, '{6B29', 'constant.language.guid'), '{6B29FC40-CA47-1067-B31D-00DD010662DA}');
    assert.equal(spanOf(l, '3f2504e0', 'constant.language.guid'), '3f2504e0-4f89-11d3-9a0c-0305e82c3301');
    assertNoScope(l, '1067', 'constant.numeric.integer');
  });

  it('strings: double quotes with paths inside; apostrophes are not quotes', () => {
    const l = tokenize(`${H}Config::Load from "C:\\Program Files\\Cisco\\AMP\\policy.xml" can't open 'jobs.db' now`);
    assert.equal(spanOf(l, '"C:', 'string.quoted.double'), '"C:\\Program Files\\Cisco\\AMP\\policy.xml"');
    assert.equal(spanOf(l, 'C:\\', 'string.unquoted.path.windows'), 'C:\\Program Files\\Cisco\\AMP\\policy.xml');
    assertNoScope(l, "t open", 'string.quoted.single');
    assert.equal(spanOf(l, "'jobs", 'string.quoted.single'), "'jobs.db'");
  });

  it('dates and times inside messages', () => {
    const l = tokenize(`${H}AVStat::CopyInternal : first failure - Thu Aug 4 06:35:16 2022, at 2022-08-04T07:30:23Z and 17:54:13.501078`);
    assert.equal(spanOf(l, 'Thu', 'meta.timestamp'), 'Thu Aug 4 06:35:16 2022');
    assertScope(l, 'Thu', 'constant.numeric.date.weekday');
    assertScope(l, '2022,', 'constant.numeric.date.year');
    assertScope(l, '06:35:16', 'constant.numeric.time');
    assert.equal(spanOf(l, '2022-08-04', 'meta.timestamp'), '2022-08-04T07:30:23Z');
    assert.equal(tokenAt(l, '17:54').text, '17:54:13.501078');
    assertScope(l, '17:54', 'constant.numeric.time');
  });

  it('NFMMemCache rip: and symbolic constants', () => {
    const l = tokenize(`${H}NFMMemCache::Get: rip: 16885952 (CRYPT_E_REVOCATION_OFFLINE) TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384`);
    assertScope(l, 'NFMMemCache', 'entity.name.type.class');
    assertScope(l, 'Get', 'entity.name.function');
    assertScope(l, 'rip', 'support.type.property-name');
    assertScope(l, '16885952', 'constant.numeric.integer.decimal');
    assertScope(l, 'CRYPT_E', 'variable.other.constant');
    assertScope(l, 'TLS_ECDHE', 'variable.other.constant');
  });
});

describe('key/value pairs', () => {
  const KEY = 'support.type.property-name';
  const SEP = 'punctuation.separator.key-value';

  it('"key = value" and "key: value" (PerformTetraUpdate, wrapped), values keep their own scopes', () => {
    const l = tokenize(`${H}PerformTetraUpdate: bUpdated = FALSE, state:\n20, status: -3000`);
    assert.equal(spanOf(l, 'bUpdated', KEY), 'bUpdated');
    assert.equal(tokenAt(l, '= FALSE').text, '=');
    assertScope(l, '= FALSE', SEP);
    assertScope(l, 'FALSE', 'constant.language.boolean');
    assertNoScope(l, 'FALSE', KEY);
    assert.equal(spanOf(l, 'state', KEY), 'state');
    assert.equal(lastTokenOf(l, 'state:').text, ':');
    assertScope(l, 'state:', SEP, 0, 5);
    assertScope(l, '20,', 'constant.numeric.integer.decimal');
    assert.equal(spanOf(l, 'status', KEY), 'status');
    assertScope(l, 'status:', SEP, 0, 6);
    assert.equal(tokenAt(l, '-3000').text, '-3000');
    assertScope(l, '-3000', 'constant.numeric.integer.decimal');
    assertScope(l, 'PerformTetraUpdate', 'entity.name.function');
    assertNoScope(l, 'PerformTetraUpdate', KEY);
  });

  it('"key - value" with multi-word keys, "never" as a constant, and a value wrapped onto the next line (AVStat)', () => {
    const l = tokenize(
      `${H}AVStat::CopyInternal : engine - 2, defs - 0,\n` +
        `first failure - Thu Aug 4 06:35:16 2022, last err code - 4294964296, last upd success -\n` +
        `never\n` +
        `${H}AVStat::CopyInternal : engine - 2, defs - 0,\nfirst failure - never, last err code - 4294964296, last upd success - never`,
    );
    assert.equal(spanOf(l, 'engine', KEY), 'engine');
    assert.equal(tokenAt(l, '- 2').text, '-');
    assertScope(l, '- 2', SEP);
    assertScope(l, '2,', 'constant.numeric.integer.decimal');
    assert.equal(spanOf(l, 'defs', KEY), 'defs');
    assertScope(l, '- 0', SEP);
    assert.equal(spanOf(l, 'first failure', KEY), 'first failure');
    assertScope(l, 'first failure -', SEP, 0, 14);
    assert.equal(spanOf(l, 'Thu Aug', 'meta.timestamp'), 'Thu Aug 4 06:35:16 2022');
    assertNoScope(l, 'Thu Aug', KEY);
    assert.equal(spanOf(l, 'last err code', KEY), 'last err code');
    assertScope(l, 'last err code -', SEP, 0, 14);
    assertScope(l, '4294964296', 'constant.numeric.integer.decimal');
    assert.equal(spanOf(l, 'last upd success', KEY), 'last upd success');
    assertScope(l, 'last upd success -', SEP, 0, 17);
    // the value alone on the wrapped line
    const wrapped = lineWith(l, 'never').line;
    assert.equal(wrapped.text, 'never');
    assert.deepEqual(wrapped.tokens[0]?.scopes, ['meta.entry', 'constant.language.never']);
    // on one line
    assert.equal(tokenAt(l, 'never,').text, 'never');
    assertScope(l, 'never,', 'constant.language.never');
    assertScope(l, 'never', 'constant.language.never', 2);
    assertNoScope(l, 'never', KEY, 2);
  });

  it('sig count: 0, version: 0 - a two-word key', () => {
    const l = tokenize(`${H}PerformTetraUpdate: sig count: 0, version: 0`);
    assert.equal(spanOf(l, 'sig count', KEY), 'sig count');
    assertScope(l, 'count: 0', SEP, 0, 5);
    assertScope(l, '0,', 'constant.numeric.integer.decimal');
    assert.equal(spanOf(l, 'version', KEY), 'version');
    assertScope(l, 'version: 0', 'constant.numeric.integer.decimal', 0, 9);
  });

  it('Exclusion::IsExcluded: result: 1 for <path>, and NFMMemCache::Get: rip: <n>, publishing type=<id>', () => {
    const l = tokenize(
      [
        `${H}Exclusion::IsExcluded: result: 1 for \\\\?\\C:\\Windows\\System32\\svchost.exe,`,
        `${H}Exclusion::IsExcluded: result: 1 from cache for \\\\?\\C:\\Program Files\\Cisco\\AMP\\sfc.exe,`,
        `${H}NFMMemCache::Get: rip: 16777343`,
        `${H}imn::CEventManager::PublishEvent: publishing type=553648143`,
      ].join('\n'),
    );
    assertScope(l, 'IsExcluded', 'entity.name.function');
    assertScope(l, ': result', 'punctuation.separator.component');
    assert.equal(spanOf(l, 'result', KEY), 'result');
    assertScope(l, 'result:', SEP, 0, 6);
    assertScope(l, '1 for', 'constant.numeric.integer.decimal');
    assertNoScope(l, 'for \\\\', KEY);
    assert.equal(spanOf(l, '\\\\?\\C:\\Windows', 'string.unquoted.path.windows'), '\\\\?\\C:\\Windows\\System32\\svchost.exe');
    assert.equal(spanOf(l, 'result', KEY, 1), 'result');
    assertNoScope(l, 'from cache', KEY);
    assert.equal(spanOf(l, '\\\\?\\C:\\Program', 'string.unquoted.path.windows'), '\\\\?\\C:\\Program Files\\Cisco\\AMP\\sfc.exe');
    assert.equal(spanOf(l, 'rip', KEY), 'rip');
    assertScope(l, 'rip:', SEP, 0, 3);
    assert.equal(tokenAt(l, '16777343').text, '16777343');
    assertScope(l, '16777343', 'constant.numeric.integer.decimal');
    assert.equal(spanOf(l, 'type=', KEY), 'type');
    assertNoScope(l, 'publishing', KEY);
    assertScope(l, 'type=', SEP, 0, 4);
    assertScope(l, '553648143', 'constant.numeric.integer.decimal');
  });

  it('prose is not a key: only the last word before a colon, no " - " inside sentences, "never" in prose stays plain', () => {
    const l = tokenize(
      [
        `${H}PipeSend: sending message to user interface:`,
        `26, id: 0`,
        `${H}ERROR: TetraUpdateInterface::update Update failed with error -3000`,
        `${H}Update failed with ERROR: x`,
        `${H}Event::HandleCreation: this should never happen, see tetra-none`,
        `${H}AVStat::CopyInternal : defs - none, proxy: None, type: N/A`,
        `None of the definitions`,
      ].join('\n'),
    );
    assert.equal(spanOf(l, 'interface', KEY), 'interface');
    assertNoScope(l, 'sending', KEY);
    assertNoScope(l, 'user', KEY);
    assert.equal(spanOf(l, 'id', KEY), 'id');
    assertNoScope(l, 'Update failed', KEY);
    assertNoScope(l, 'Update failed', KEY, 1);
    assertNoScope(l, '-3000', SEP);
    assert.equal(tokenAt(l, '-3000').text, '-3000');
    assert.equal(spanOf(l, 'ERROR: x', KEY), 'ERROR');
    assertNoScope(l, 'with ERROR', KEY);
    assertNoScope(l, 'never happen', 'constant.language');
    assertNoScope(l, 'none', 'constant.language');
    assertScope(l, 'none,', 'constant.language.none');
    assertScope(l, 'None', 'constant.language.none');
    assert.equal(tokenAt(l, 'N/A').text, 'N/A');
    assertScope(l, 'N/A', 'constant.language.none');
    assertNoScope(l, 'None of', 'constant.language');
  });
});

describe('syslog lines (macOS/Linux connectors)', () => {
  it('the BRIEF line: timestamp, host, process without a pid, message', () => {
    const l = tokenize('Mar 3 14:47:35 vmc ampinsthelper: Set minimum reported log level to error');
    assert.equal(spanOf(l, 'Mar', 'meta.timestamp'), 'Mar 3 14:47:35');
    assertScope(l, 'Mar', 'constant.numeric.date.month');
    assertScope(l, '3 14', 'constant.numeric.date.day');
    assert.equal(tokenAt(l, '14:47:35').text, '14:47:35');
    assertScope(l, '14:47:35', 'constant.numeric.time');
    assert.equal(spanOf(l, 'vmc', 'string.unquoted.hostname.syslog'), 'vmc');
    assert.equal(spanOf(l, 'ampinsthelper', 'entity.name.type.process'), 'ampinsthelper');
    assertScope(l, ': Set', 'punctuation.separator.header');
    assert.equal(spanOf(l, 'Set', 'meta.entry.syslog'), l[0]!.text);
    assertNoScope(l, 'Set', 'entity.name.function');
    assertNoScope(l, 'Set', 'support.type.property-name');
    assertNoScope(l, 'error', 'keyword.other.level');
    assert.ok(l[0]!.tokens.every((t) => !t.scopes.includes('meta.entry')), 'not a Windows entry');
    assertNowhere(l, 'meta.message.error');
  });

  it('a space-padded day, a pid, level markers and Component::Function; ERROR stays on its own line', () => {
    const l = tokenize(
      [
        'Mar  3 14:47:35 vmc ampdaemon[1234]: ERROR: TetraUpdater::Update failed: status: -3000',
        'Mar  3 14:47:36 vmc ampdaemon[1234]: WARNING: Curl::Perform https://tetra-defs.amp.cisco.com/ failed',
        'Mar  3 14:47:37 vmc ampdaemon[1234]: PerformTetraUpdate: sig count: 0',
      ].join('\n'),
    );
    assert.equal(spanOf(l, 'Mar', 'meta.timestamp'), 'Mar  3 14:47:35');
    assertScope(l, '3 14', 'constant.numeric.date.day');
    assertScope(l, 'ampdaemon', 'entity.name.type.process');
    assertScope(l, '[1234]', 'punctuation.definition.pid.begin');
    assert.equal(tokenAt(l, '1234').text, '1234');
    assertScope(l, '1234', 'variable.other.pid');
    assertScope(l, ']:', 'punctuation.definition.pid.end');
    assertScope(l, ']:', 'punctuation.separator.header', 0, 1);
    assert.equal(spanOf(l, 'ERROR', 'keyword.other.level.error'), 'ERROR:');
    assertScope(l, 'TetraUpdater', 'markup.deleted.message.error');
    assertScope(l, 'Update failed', 'entity.name.function');
    assertScope(l, 'status', 'support.type.property-name');
    assertScope(l, '-3000', 'constant.numeric.integer.decimal');
    assert.equal(spanOf(l, 'WARNING', 'keyword.other.level.warning'), 'WARNING:');
    assertNoScope(l, 'WARNING', 'meta.message.error');
    assertNoScope(l, 'Curl', 'markup.deleted');
    assertScope(l, 'https', 'markup.underline.link');
    assertNoScope(l, 'PerformTetraUpdate', 'meta.message');
    assertScope(l, 'PerformTetraUpdate', 'entity.name.function');
    assert.equal(spanOf(l, 'sig count', 'support.type.property-name'), 'sig count');
    for (const line of l) assert.equal(line.tokens[0]?.scopes[0], 'meta.entry.syslog', line.text);
  });

  it('a macOS launchd line with a sender in parentheses', () => {
    const l = tokenize('Mar 13 09:05:01 Johns-MacBook com.apple.xpc.launchd[1] (com.cisco.amp.daemon[2345]): Service exited with abnormal code: 1');
    assert.equal(spanOf(l, 'Mar', 'meta.timestamp'), 'Mar 13 09:05:01');
    assert.equal(spanOf(l, 'Johns', 'string.unquoted.hostname.syslog'), 'Johns-MacBook');
    assert.equal(spanOf(l, 'com.apple', 'entity.name.type.process'), 'com.apple.xpc.launchd');
    assertScope(l, '1]', 'variable.other.pid');
    assertScope(l, '(com.cisco', 'punctuation.definition.sender.begin');
    assert.equal(spanOf(l, 'com.cisco', 'entity.name.type.process.sender'), 'com.cisco.amp.daemon[2345]');
    assertScope(l, '): Service', 'punctuation.definition.sender.end');
    assertScope(l, '): Service', 'punctuation.separator.header', 0, 1);
    assertNoScope(l, 'com.cisco', 'string.unquoted.hostname');
    assert.equal(spanOf(l, 'code', 'support.type.property-name'), 'code');
  });

  it('a month-day-time inside a Windows entry or a wrapped line is not a syslog header', () => {
    const l = tokenize(`${H}ERROR: AVStat::CopyInternal : engine - 2, defs - 0,\nAug 4 06:35:16 2022, last err code - 4294964296\nAug 04 07:30:23 [11944]: not a header either`);
    assertNowhere(l, 'meta.entry.syslog');
    assertScope(l, 'Aug 4', 'markup.deleted.message.error');
    assertScope(l, 'Aug 04', 'markup.deleted.message.error', 1);
    assertScope(l, 'last err code', 'support.type.property-name');
  });
});

describe('lines that start with an ISO 8601 timestamp', () => {
  it('date and time with a space, a thread id and a level marker', () => {
    const l = tokenize('2024-03-03 14:47:35 [42]: ERROR: Policy::Apply failed with error -3000\n2024-03-03 14:47:36 [42]: Policy::Apply retry');
    assert.equal(spanOf(l, '2024-03-03', 'meta.timestamp'), '2024-03-03 14:47:35');
    assertScope(l, '2024-03-03', 'constant.numeric.date');
    assert.equal(tokenAt(l, '2024-03-03').text, '2024-03-03');
    assert.equal(tokenAt(l, '14:47:35').text, '14:47:35');
    assertScope(l, '14:47:35', 'constant.numeric.time');
    assertScope(l, '[42]', 'punctuation.definition.thread.begin');
    assertScope(l, '42]', 'variable.other.thread-id');
    assertScope(l, ': ERROR', 'punctuation.separator.header');
    assert.equal(spanOf(l, 'ERROR', 'keyword.other.level.error'), 'ERROR:');
    assertScope(l, 'Apply', 'entity.name.function');
    assertScope(l, 'Apply failed', 'markup.deleted.message.error');
    assertNoScope(l, 'Policy::Apply retry', 'meta.message.error');
    assertNoScope(l, 'retry', 'markup.deleted');
    for (const line of l) assert.equal(line.tokens[0]?.scopes[0], 'meta.entry.iso', line.text);
  });

  it('RFC 3339 with T, fraction and zone, then host, process and pid', () => {
    const l = tokenize(
      '2024-03-03T14:47:35.123Z vmc ampdaemon[99]: INFO: Config::Load done\n2024-03-03T14:47:35.123456+01:00 vmc ampdaemon[99]: NFMMemCache::Get: rip: 16777343',
    );
    assert.equal(spanOf(l, '2024-03-03T', 'meta.timestamp'), '2024-03-03T14:47:35.123Z');
    assertScope(l, 'T14', 'punctuation.separator.date-time');
    assert.equal(tokenAt(l, '14:47:35.123').text, '14:47:35.123');
    assertScope(l, 'Z vmc', 'constant.numeric.time.zone');
    assert.equal(spanOf(l, 'vmc', 'string.unquoted.hostname.syslog'), 'vmc');
    assertScope(l, 'ampdaemon', 'entity.name.type.process');
    assertScope(l, '99', 'variable.other.pid');
    assertScope(l, ']: INFO', 'punctuation.separator.header', 0, 1);
    assert.equal(spanOf(l, 'INFO', 'keyword.other.level.info'), 'INFO:');
    assertScope(l, 'Load', 'entity.name.function');
    assert.equal(spanOf(l, '2024-03-03T', 'meta.timestamp', 1), '2024-03-03T14:47:35.123456+01:00');
    assert.equal(tokenAt(l, '+01:00').text, '+01:00');
    assertScope(l, '+01:00', 'constant.numeric.time.zone');
    assertScope(l, 'ampdaemon', 'entity.name.type.process', 1);
    assertScope(l, 'Get', 'entity.name.function');
    assert.equal(spanOf(l, 'rip', 'support.type.property-name'), 'rip');
  });

  it('without a pid, the words after the timestamp are message, not host and process', () => {
    const l = tokenize('2024-03-03T14:47:35Z Update failed: x');
    assertNowhere(l, 'string.unquoted.hostname.syslog');
    assertNowhere(l, 'entity.name.type.process');
    assertScope(l, 'Update', 'meta.entry.iso');
    assert.equal(spanOf(l, '2024', 'meta.timestamp'), '2024-03-03T14:47:35Z');
  });

  it('an ISO date in the middle of a line is only a timestamp', () => {
    const l = tokenize(`${H}Config::Load at 2024-03-03 14:47:35 done`);
    assertNowhere(l, 'meta.entry.iso');
    assert.equal(spanOf(l, '2024', 'meta.timestamp'), '2024-03-03 14:47:35');
  });
});

describe('entries end at a header of any kind', () => {
  it('a wrapped Windows ERROR entry ends at a syslog line and at an ISO line; a syslog ERROR ends at a Windows header', () => {
    const l = tokenize(
      [
        `${H}ERROR: TetraUpdateInterface::update Update`,
        'failed with error -3000',
        'Mar  3 14:47:35 vmc ampdaemon[1234]: plain syslog message',
        'Mar  3 14:47:35 vmc ampdaemon[1234]: ERROR: Tetra::Update failed',
        `${H}PipeSend: sending message`,
        `${H}ERROR: Curl::Perform failed`,
        '2024-03-03 14:47:35 plain iso message',
      ].join('\n'),
    );
    assertScope(l, 'failed with', 'markup.deleted.message.error');
    assertNoScope(l, 'plain syslog', 'meta.message.error');
    assert.ok(!scopesAt(l, 'plain syslog').includes('meta.entry'), 'plain syslog is not in the Windows entry');
    assertScope(l, 'plain syslog', 'meta.entry.syslog');
    assertScope(l, 'Tetra::', 'markup.deleted.message.error');
    assertNoScope(l, 'PipeSend', 'meta.message.error');
    assertNoScope(l, 'PipeSend', 'meta.entry.syslog');
    assertScope(l, 'PipeSend', 'meta.entry');
    assertScope(l, 'Curl', 'markup.deleted.message.error');
    assertNoScope(l, 'plain iso', 'meta.message.error');
    assert.ok(!scopesAt(l, 'plain iso').includes('meta.entry'), 'plain iso is not in the Windows entry');
    assertScope(l, 'plain iso', 'meta.entry.iso');
  });
});

describe('ampcli status / policy text', () => {
  const KEY = 'support.type.property-name';
  const FIELD = 'meta.field.cli';

  it('every field of BRIEF §2.6 is a key at the start of a line', () => {
    const l = tokenize(
      [
        'Status: Connected',
        'Mode: Protect',
        'Policy: Linux Protect (#1234)',
        'Faults: None',
        'Proxy: N/A',
        'Definition Version: TETRA 64 bit (daily version: 90604)',
        'Definitions Last Updated: 2024-03-03 14:16:49 UTC',
        'Last Scan:        2024-03-03 02:13:00 PM',
      ].join('\n'),
    );
    for (const key of ['Status', 'Mode', 'Policy', 'Faults', 'Proxy', 'Definition Version', 'Definitions Last Updated', 'Last Scan']) {
      assert.equal(spanOf(l, `${key}:`, KEY), key);
      assertScope(l, `${key}:`, FIELD);
      assert.equal(tokenAt(l, `${key}:`, 0, key.length).text, ':');
      assertScope(l, `${key}:`, 'punctuation.separator.key-value', 0, key.length);
    }
    assertNoScope(l, 'Connected', KEY);
    assertNoScope(l, 'Connected', FIELD);
    assertNoScope(l, 'Protect', KEY);
    assertScope(l, '1234', 'constant.numeric.integer.decimal');
    assertScope(l, 'None', 'constant.language.none');
    assertScope(l, 'N/A', 'constant.language.none');
    assert.equal(spanOf(l, 'version: 90604', KEY), 'version');
    assertScope(l, '90604', 'constant.numeric.integer.decimal');
    assertNoScope(l, 'TETRA', KEY);
    assert.equal(spanOf(l, '2024-03-03 14:16', 'meta.timestamp'), '2024-03-03 14:16:49');
    assert.equal(spanOf(l, '2024-03-03 02:13', 'meta.timestamp'), '2024-03-03 02:13:00');
    assertNowhere(l, 'meta.entry');
  });

  it('only at the start of a line', () => {
    const l = tokenize(`see Status: Connected\n${H}Config::Load Policy: x`);
    assertNowhere(l, FIELD);
    assertScope(l, 'Status', KEY);
  });
});

describe('text outside entries', () => {
  it('lines before the first header still get values', () => {
    const l = tokenize(`curl: (35) schannel: failed: Unknown error (0x80092013) for https://tetra-defs.amp.cisco.com/\n10.0.0.1 C:\\x\\y.txt`);
    assertScope(l, '0x80092013', 'constant.numeric.integer.hexadecimal');
    assertScope(l, 'https', 'markup.underline.link');
    assertScope(l, '10.0.0.1', 'constant.numeric.ip-address.ipv4');
    assertScope(l, 'C:\\', 'string.unquoted.path.windows');
    assertNowhere(l, 'meta.entry');
    assertNowhere(l, 'comment');
  });
});

describe('sample files (seed 001 excerpt and BRIEF line shapes)', () => {
  it('tokenizes every line completely, each header starts an entry, and the ERROR scope never leaks', () => {
    const text = readFileSync(SAMPLE_PATH, 'utf8');
    const errors: unknown[] = [];
    const original = console.error;
    console.error = (...args: unknown[]) => {
      errors.push(args);
    };
    let lines: Line[];
    try {
      lines = tokenize(text);
    } finally {
      console.error = original;
    }
    assert.deepEqual(errors, [], 'vscode-textmate reported no endless loop');
    let headers = 0;
    let inError = false;
    for (const line of lines) {
      if (line.text === '') continue;
      const last = line.tokens[line.tokens.length - 1];
      assert.ok((last?.end ?? 0) >= line.text.length, `tokens cover ${JSON.stringify(line.text)}`);
      const isHeader = /^\(\d+, \+\d+ ms\) /.test(line.text);
      if (isHeader) {
        headers++;
        assert.deepEqual(line.tokens[0]?.scopes, ['meta.entry', 'comment.other.prefix', 'punctuation.definition.prefix.begin'], line.text);
        inError = /\]: ERROR: /.test(line.text);
      }
      const errorScoped = line.tokens.some((t) => t.scopes.includes('meta.message.error'));
      assert.equal(errorScoped, inError, `error scope on ${JSON.stringify(line.text)}`);
      assert.ok(line.tokens.every((t) => t.scopes.includes('meta.entry')), `in an entry: ${JSON.stringify(line.text)}`);
    }
    assert.equal(headers, 31);
    // wrapped ERROR message in the sample: the URL and numbers on the continuation line
    assertScope(lines, 'https://tetra-defs.amp.cisco.com/tetra/defs.dat,', 'markup.underline.link');
    assertScope(lines, 'https://tetra-defs.amp.cisco.com/tetra/defs.dat,', 'markup.deleted.message.error');
    assertScope(lines, '(-2103)', 'markup.deleted.message.error');
    assertScope(lines, '-2103', 'constant.numeric.integer.decimal');
    assertScope(lines, '0x80072EE2', 'constant.numeric.integer.hexadecimal');
    // key/value pairs of the seed excerpt and of the BRIEF shapes
    const key = 'support.type.property-name';
    assert.equal(spanOf(lines, 'bUpdated', key), 'bUpdated');
    assert.equal(spanOf(lines, 'sig count', key), 'sig count');
    assert.equal(spanOf(lines, 'first failure', key), 'first failure');
    assert.equal(spanOf(lines, 'last err code', key), 'last err code');
    assert.equal(spanOf(lines, 'last upd success', key), 'last upd success');
    assertScope(lines, 'never', 'constant.language.never');
    assert.equal(lineWith(lines, 'never', 2).line.text, 'never');
    assertScope(lines, 'never', 'constant.language.never', 2);
    assert.equal(spanOf(lines, 'result: 1 for', key), 'result');
    assert.equal(spanOf(lines, 'rip: 16777343', key), 'rip');
    assertScope(lines, '16777343', 'constant.numeric.integer.decimal');
  });

  it('unix-sample.log: ampcli fields outside entries, syslog and ISO lines as entries, no ERROR leak', () => {
    const lines = tokenize(readFileSync(UNIX_SAMPLE_PATH, 'utf8'));
    const counts = { cli: 0, syslog: 0, iso: 0 };
    let inError = false;
    for (const line of lines) {
      if (line.text === '') continue;
      const last = line.tokens[line.tokens.length - 1];
      assert.ok((last?.end ?? 0) >= line.text.length, `tokens cover ${JSON.stringify(line.text)}`);
      const first = line.tokens[0]!.scopes;
      if (/^[A-Z][\w ]*: /.test(line.text)) {
        counts.cli++;
        assert.deepEqual(first, ['meta.field.cli', 'support.type.property-name'], line.text);
        assertNowhere([line], 'meta.entry');
        continue;
      }
      if (/^[A-Z][a-z]{2} +\d{1,2} \d\d:\d\d:\d\d /.test(line.text)) {
        counts.syslog++;
        assert.deepEqual(first, ['meta.entry.syslog', 'meta.timestamp', 'constant.numeric.date.month'], line.text);
      } else {
        assert.match(line.text, /^\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d/);
        counts.iso++;
        assert.deepEqual(first, ['meta.entry.iso', 'meta.timestamp', 'constant.numeric.date'], line.text);
      }
      inError = /^\S+(?: \S+){2,3}: ERROR: |\]: ERROR: /.test(line.text);
      const errorScoped = line.tokens.some((t) => t.scopes.includes('meta.message.error'));
      assert.equal(errorScoped, inError, `error scope on ${JSON.stringify(line.text)}`);
      assert.ok(line.tokens.every((t) => !t.scopes.includes('meta.entry')), `not a Windows entry: ${JSON.stringify(line.text)}`);
    }
    assert.deepEqual(counts, { cli: 9, syslog: 8, iso: 4 });
    assert.equal(spanOf(lines, 'vmc ampinsthelper', 'string.unquoted.hostname.syslog'), 'vmc');
    assertScope(lines, 'ampinsthelper', 'entity.name.type.process');
    assertScope(lines, '1234]', 'variable.other.pid');
    assert.equal(spanOf(lines, '/opt/', 'string.unquoted.path.posix'), '/opt/cisco/amp/bin/ampdaemon');
    assert.equal(spanOf(lines, 'sig count', 'support.type.property-name'), 'sig count');
    assertScope(lines, 'never', 'constant.language.never');
    assertScope(lines, '3f2504e0', 'constant.language.guid');
  });

  it('tokenizes a large log quickly', () => {
    const text = (readFileSync(SAMPLE_PATH, 'utf8') + readFileSync(UNIX_SAMPLE_PATH, 'utf8')).repeat(500); // ~30,000 lines
    const t0 = Date.now();
    const lines = tokenize(text);
    const ms = Date.now() - t0;
    assert.ok(lines.length > 30000);
    assert.ok(ms < 20000, `took ${ms} ms`);
  });
});

describe('language-configuration.json', () => {
  interface LanguageConfiguration {
    brackets: [string, string][];
    autoClosingPairs: unknown[];
    wordPattern: string;
    comments?: unknown;
  }
  const config = (): LanguageConfiguration => JSON.parse(readFileSync(LANGUAGE_CONFIGURATION_PATH, 'utf8')) as LanguageConfiguration;

  /** What VS Code's getWordAtText does in essence: the match of the word pattern that contains the column. */
  function wordAt(text: string, column: number): string | undefined {
    const re = new RegExp(config().wordPattern, 'g');
    for (let m = re.exec(text); m; m = re.exec(text)) {
      if (m.index <= column && column <= m.index + m[0].length) return m[0];
      if (m[0].length === 0) re.lastIndex++;
    }
    return undefined;
  }

  it('has brackets, no comment syntax and no auto-closing', () => {
    const c = config();
    assert.deepEqual(c.brackets, [['(', ')'], ['[', ']'], ['{', '}']]);
    assert.deepEqual(c.autoClosingPairs, []);
    assert.equal(c.comments, undefined);
  });

  it('word pattern keeps codes, hex, GUIDs, versions, hosts, \\\\?\\ paths, ISO dates and times whole', () => {
    const cases: [string, string][] = [
      ['failed with error -3000', '-3000'],
      ['lasterror 4294965193,', '4294965193'],
      ['(0x80092013)', '0x80092013'],
      ['mask 0X7fff.', '0X7fff'],
      ['uuid {6B29FC40-CA47-1067-B31D-00DD010662DA}', '{6B29FC40-CA47-1067-B31D-00DD010662DA}'],
      ['version 8.1.7.21417 ok', '8.1.7.21417'],
      ['host tetra-defs.amp.cisco.com:443', 'tetra-defs.amp.cisco.com'],
      ['for \\\\?\\C:\\Windows\\System32\\svchost.exe, next', '\\\\?\\C:\\Windows\\System32\\svchost.exe'],
      ['dir C:\\Windows\\Temp\\x.tmp)', 'C:\\Windows\\Temp\\x.tmp'],
      ['TetraUpdateInterface::update Update', 'update'],
      ['engine - 2,', '2'],
      ['last err code - 4294964296,', '4294964296'],
      ['2024-03-03 14:47:35 [42]:', '2024-03-03'],
      ['2024-03-03 14:47:35 [42]:', '14:47:35'],
      ['at 2024-03-03T14:47:35.123Z vmc', '2024-03-03T14:47:35.123Z'],
      ['at 2024-03-03T14:47:35.123456+01:00 vmc', '2024-03-03T14:47:35.123456+01:00'],
      ['Mar  3 14:47:35 vmc ampdaemon[1234]: x', '14:47:35'],
      ['Mar  3 14:47:35 vmc ampdaemon[1234]: x', '1234'],
      ['Mar  3 14:47:35 vmc ampdaemon[1234]: x', 'ampdaemon'],
      ['proxy 10.20.30.40:8080', '10.20.30.40'],
    ];
    for (const [text, word] of cases) {
      const column = text.indexOf(word) + Math.floor(word.length / 2);
      assert.equal(wordAt(text, column), word, text);
    }
  });
});
