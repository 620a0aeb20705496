import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { BUNDLE_ACTIONS, ISOLATION_ACTIONS } from '../../src/core/bundle/rules';
import { ACTIONS_BY_KIND } from '../../src/core/log/rules';
import { ROOT } from '../support/paths';
import { bundleSnippets, bundleValuesOf, fillSnippet, snippetPreview } from '../../src/shared/bundle-snippets';

/** The snippet files contributed in package.json (issue 10, part 1). */
const FILES = ['powershell', 'bat', 'shellscript', 'markdown'] as const;
type File = (typeof FILES)[number];

interface Snippet {
  prefix: string;
  body: string[];
  description: string;
}

const raw: Record<File, string> = Object.fromEntries(FILES.map((f) => [f, readFileSync(path.join(ROOT, 'snippets', `${f}.json`), 'utf8')])) as Record<File, string>;

/** VS Code's snippet variables (https://code.visualstudio.com/docs/editor/userdefinedsnippets#_variables). */
const VARIABLES = new Set([
  'TM_SELECTED_TEXT', 'TM_CURRENT_LINE', 'TM_CURRENT_WORD', 'TM_LINE_INDEX', 'TM_LINE_NUMBER', 'TM_FILENAME', 'TM_FILENAME_BASE', 'TM_DIRECTORY', 'TM_FILEPATH',
  'RELATIVE_FILEPATH', 'CLIPBOARD', 'WORKSPACE_NAME', 'WORKSPACE_FOLDER', 'CURSOR_INDEX', 'CURSOR_NUMBER',
  'CURRENT_YEAR', 'CURRENT_YEAR_SHORT', 'CURRENT_MONTH', 'CURRENT_MONTH_NAME', 'CURRENT_MONTH_NAME_SHORT', 'CURRENT_DATE', 'CURRENT_DAY_NAME', 'CURRENT_DAY_NAME_SHORT',
  'CURRENT_HOUR', 'CURRENT_MINUTE', 'CURRENT_SECOND', 'CURRENT_SECONDS_UNIX', 'CURRENT_TIMEZONE_OFFSET',
  'RANDOM', 'RANDOM_HEX', 'UUID', 'BLOCK_COMMENT_START', 'BLOCK_COMMENT_END', 'LINE_COMMENT',
]);

/**
 * Expands VS Code snippet text the way the editor inserts it before the user types anything:
 * escapes resolved, placeholders → their default, choices → their first option, mirrors → the
 * tab stop's value, variables → `<NAME>`. Throws on what the editor would not read as intended:
 * an unclosed `${`, an unknown `${…}` form, or a `$name` that is no VS Code variable (an unescaped
 * PowerShell `$env:` would silently become an empty variable).
 */
export function expandSnippet(text: string): string {
  const stops = new Map<string, string>();
  let i = 0;
  const fail = (why: string): never => {
    throw new Error(`${why} at ${i}: ${JSON.stringify(text)}`);
  };
  const variable = (name: string): string => {
    if (!VARIABLES.has(name)) fail(`unknown variable $${name} (escape a literal $ as \\$)`);
    return `<${name}>`;
  };
  // Reads until `stop` (a closing char of the enclosing construct) or the end.
  const read = (stop: string | undefined, escapable: string): string => {
    let out = '';
    while (i < text.length) {
      const c = text[i]!;
      if (stop !== undefined && c === stop) return out;
      if (c === '\\' && i + 1 < text.length && escapable.includes(text[i + 1]!)) {
        out += text[i + 1];
        i += 2;
        continue;
      }
      if (c === '$') {
        const m = /^\$(?:(\d+)|([_a-zA-Z][_a-zA-Z0-9]*))/.exec(text.slice(i));
        if (m) {
          i += m[0].length;
          out += m[1] !== undefined ? (stops.get(m[1]) ?? '') : variable(m[2]!);
          continue;
        }
        if (text[i + 1] === '{') {
          i += 2;
          out += braced();
          continue;
        }
      }
      out += c;
      i++;
    }
    if (stop !== undefined) fail(`unclosed \${ (expected ${stop})`);
    return out;
  };
  const braced = (): string => {
    const m = /^(?:(\d+)|([_a-zA-Z][_a-zA-Z0-9]*))/.exec(text.slice(i));
    if (!m) return fail('invalid ${');
    i += m[0].length;
    const next = text[i];
    if (next === '}') {
      i++;
      return m[1] !== undefined ? (stops.get(m[1]) ?? '') : variable(m[2]!);
    }
    if (next === ':') {
      i++;
      if (m[2] !== undefined) variable(m[2]);
      const value = read('}', '$}\\');
      i++;
      if (m[1] !== undefined && !stops.has(m[1])) stops.set(m[1], value);
      return m[1] !== undefined ? (stops.get(m[1]) ?? value) : value;
    }
    if (next === '|' && m[1] !== undefined) {
      i++;
      const options: string[] = [];
      let cur = '';
      while (true) {
        if (i >= text.length) fail('unclosed choice');
        const c = text[i]!;
        if (c === '\\' && ',|\\$}'.includes(text[i + 1] ?? '')) {
          cur += text[i + 1];
          i += 2;
        } else if (c === ',') {
          options.push(cur);
          cur = '';
          i++;
        } else if (c === '|' && text[i + 1] === '}') {
          options.push(cur);
          i += 2;
          break;
        } else {
          cur += c;
          i++;
        }
      }
      if (options.length < 2 || options.some((o) => o === '')) fail('choice needs two or more non-empty options');
      if (!stops.has(m[1])) stops.set(m[1], options[0]!);
      return stops.get(m[1])!;
    }
    return fail('invalid ${…} form');
  };
  return read(undefined, '$}\\');
}

const all: { file: File; name: string; snippet: Snippet; text: string; expanded: string }[] = [];

describe('snippets', () => {
  it('are valid JSON objects of VS Code snippets with prefix, body and description', () => {
    for (const f of FILES) {
      const parsed: Record<string, Snippet> = JSON.parse(raw[f]);
      assert.equal(typeof parsed, 'object', f);
      assert.ok(Object.keys(parsed).length > 0, f);
      for (const [name, s] of Object.entries(parsed)) {
        assert.equal(typeof s.prefix, 'string', `${f}: ${name}`);
        assert.ok(Array.isArray(s.body) && s.body.length > 0 && s.body.every((l) => typeof l === 'string'), `${f}: ${name} body`);
        assert.equal(typeof s.description, 'string', `${f}: ${name}`);
        assert.ok(s.description.length > 10, `${f}: ${name} description`);
        const text = s.body.join('\n');
        all.push({ file: f, name, snippet: s, text, expanded: expandSnippet(text) });
      }
    }
  });

  it('have unique se- prefixes across all files, and descriptions naming the playbook step', () => {
    const seen = new Map<string, string>();
    for (const { file, name, snippet } of all) {
      assert.match(snippet.prefix, /^se-[a-z0-9-]+$/, `${file}: ${name}`);
      assert.ok(!seen.has(snippet.prefix), `${snippet.prefix} in ${file} and ${seen.get(snippet.prefix)}`);
      seen.set(snippet.prefix, file);
      assert.match(snippet.description, /§4\.[12]\b/, `${file}: ${name}`);
    }
  });

  it('parse as VS Code snippet syntax (balanced ${…}, no stray $name, no \\ escaping a tab stop)', () => {
    for (const { file, name, text } of all) {
      assert.doesNotThrow(() => expandSnippet(text), `${file}: ${name}`);
      // A literal PowerShell variable must be escaped: `\$env:`, `\$_`.
      assert.doesNotMatch(text, /(?<!\\)\$(?:env:|_\W)/, `${file}: ${name}`);
      // Windows paths next to a tab stop need `\\` so the `$` is not escaped by the path's `\`.
      assert.doesNotMatch(text.replace(/\\\\/g, ''), /\\\$\{?\d/, `${file}: ${name}: \\ before a tab stop escapes it`);
    }
  });

  it('expand as expected (escapes, choices, mirrors)', () => {
    assert.equal(expandSnippet("& 'C:\\\\AMP\\\\${1:version}\\\\sfc.exe' -n ${2:<code>}"), "& 'C:\\AMP\\version\\sfc.exe' -n <code>");
    assert.equal(expandSnippet('sc stop ${9|A,B|} & sc start ${9}'), 'sc stop A & sc start A');
    assert.equal(expandSnippet('"\\$env:X" ${1:a\\}b}'), '"$env:X" a}b');
    assert.equal(expandSnippet('C:\\AMP\\${1:v}'), 'C:\\AMP${1:v}', 'a single \\ before a tab stop escapes its $');
    assert.throws(() => expandSnippet('$env:USERPROFILE'));
    assert.throws(() => expandSnippet('${1:open'));
    assert.throws(() => expandSnippet('${1|only|}'));
  });

  const expandedOf = (file: File): string => all.filter((s) => s.file === file).map((s) => s.expanded).join('\n');
  const bodyOf = (prefix: string): string => {
    const s = all.find((x) => x.snippet.prefix === prefix);
    assert.ok(s, `no snippet ${prefix}`);
    return s.expanded;
  };
  const inOrder = (text: string, parts: readonly string[], what: string): void => {
    let at = -1;
    for (const p of parts) {
      const next = text.indexOf(p, at + 1);
      assert.ok(next > at, `${what}: "${p}" missing or out of order`);
      at = next;
    }
  };

  it('hold every command of the playbooks (BRIEF §4.1, §4.2), as the product words them', () => {
    const ps = expandedOf('powershell');
    const bat = expandedOf('bat');
    const sh = expandedOf('shellscript');
    const product = (table: Readonly<Record<string, readonly { id: string; command: string }[]>>, id: string): string => {
      const a = Object.values(table).flat().find((x) => x.id === id);
      assert.ok(a, id);
      return a.command;
    };

    // The product's own command texts (src/core/log/rules.ts, src/core/bundle/rules.ts).
    assert.ok(ps.includes(product(ACTIONS_BY_KIND, 'read-lasterror')), 'Select-Xml lasterror');
    assert.ok(ps.includes(product(ACTIONS_BY_KIND, 'resolve-update-server')), 'Resolve-DnsName');
    assert.ok(ps.includes(product(ACTIONS_BY_KIND, 'curl-update-server')), 'curl.exe -v');
    assert.ok(ps.includes(product(ACTIONS_BY_KIND, 'list-cipher-suites')), 'Get-TlsCipherSuite');
    for (const id of ['cipher-suite-order-policy', 'read-cipher-suite-policy', 'show-dns-servers', 'curl-ocsp', 'curl-crl']) assert.ok(ps.includes(product(BUNDLE_ACTIONS, id)), id);
    assert.ok(ps.includes(product(ISOLATION_ACTIONS, 'delete-unlock-code')) && bat.includes(product(ISOLATION_ACTIONS, 'delete-unlock-code')), 'reg delete');
    for (const a of ISOLATION_ACTIONS.macos) assert.ok(sh.includes(a.command), a.id);
    assert.ok(bat.includes(product(ACTIONS_BY_KIND, 'unlock')), 'sfc.exe -n <unlock code>');
    assert.ok(bat.includes(product(ACTIONS_BY_KIND, 'debug-start')), 'sfc.exe -l start');

    // PowerShell: regional servers, proxy, version-folder forms.
    for (const region of ['tetra-defs.amp.cisco.com', 'tetra-defs.eu.amp.cisco.com', 'tetra-defs.apjc.amp.cisco.com']) {
      assert.ok(all.find((s) => s.snippet.prefix === 'se-dns')!.text.includes(region), `se-dns: ${region}`);
      assert.ok(all.find((s) => s.snippet.prefix === 'se-curl')!.text.includes(region), `se-curl: ${region}`);
    }
    assert.equal(bodyOf('se-dns'), 'Resolve-DnsName -Name tetra-defs.amp.cisco.com');
    assert.match(ps, /curl\.exe -v -x \S+ https:\/\/tetra-defs\.amp\.cisco\.com/);
    const sfc = String.raw`& 'C:\Program Files\Cisco\AMP\version\sfc.exe'`;
    for (const args of ['-forceupdate', '-l start', '-l stop', '-n <unlock code>']) assert.ok(ps.includes(`${sfc} ${args}`), `PowerShell sfc.exe ${args}`);
    assert.ok(ps.includes(String.raw`& 'C:\Program Files\Cisco\AMP\version\ipsupporttool.exe' -o "$env:USERPROFILE\Desktop"`), 'ipsupporttool.exe -o');
    assert.ok(ps.includes('Computer Configuration > Administrative Templates > Network > SSL Configuration Settings'), 'GPO path');
    assert.ok(ps.includes('SSL Cipher Suite Order'), 'GPO name');
    for (const suite of ['TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384', 'TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_DHE_RSA_WITH_AES_128_GCM_SHA256', 'TLS_AES_128_GCM_SHA256']) {
      assert.ok(bodyOf('se-gpo-cipher-order').includes(suite), `GPO snippet: ${suite}`);
      assert.ok(bodyOf('se-ciphers-accepted').includes(suite), `accepted suites: ${suite}`);
    }
    inOrder(bodyOf('se-unlock-reg'), ['Stop-Service', 'reg delete "HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect" /v "unlock_code" /f', 'Start-Service'], 'se-unlock-reg');
    inOrder(bodyOf('se-jobsdb'), ['Stop-Service', String.raw`C:\Program Files\Cisco\AMP\jobs.db`, 'Restart-Computer'], 'se-jobsdb');

    // cmd: the elevated prompt in the version folder.
    for (const p of ['se-cmd-forceupdate', 'se-cmd-debug-start', 'se-cmd-debug-stop', 'se-cmd-unlock']) assert.ok(bodyOf(p).startsWith(String.raw`cd /d "C:\Program Files\Cisco\AMP\version"`), p);
    for (const c of ['sfc.exe -forceupdate', 'sfc.exe -l start', 'sfc.exe -l stop', 'sfc.exe -n <unlock code>']) assert.ok(bat.includes(c), c);
    inOrder(bodyOf('se-cmd-unlock-reg'), ['sc stop CiscoAMP', 'reg delete "HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect" /v "unlock_code" /f', 'sc start CiscoAMP'], 'se-cmd-unlock-reg');
    inOrder(bodyOf('se-cmd-jobsdb'), ['sc stop', String.raw`del "C:\Program Files\Cisco\AMP\jobs.db"`, 'shutdown /r'], 'se-cmd-jobsdb');
    assert.ok(bat.includes(String.raw`"C:\Program Files\Cisco\AMP\version\ipsupporttool.exe" -o`), 'cmd ipsupporttool.exe -o');

    // macOS / Linux.
    inOrder(bodyOf('se-mac-isolation'), ['sudo rm "/Library/Application Support/Cisco/Secure Endpoint/endpoint_isolation.xml"', 'launchctl unload /Library/LaunchDaemons/com.cisco.amp.daemon.plist', 'launchctl load /Library/LaunchDaemons/com.cisco.amp.daemon.plist'], 'se-mac-isolation');
    for (const c of [
      'sudo "/Library/Application Support/Cisco/AMP for Endpoints Connector/SupportTool" -o',
      'sudo /opt/cisco/amp/bin/ampsupport -o',
      '/opt/cisco/amp/ampcli status',
      '/opt/cisco/amp/bin/ampcli status',
    ])
      assert.ok(sh.includes(c), c);
  });

  it('have a Markdown case note and a TAC escalation checklist', () => {
    const note = bodyOf('se-case-note');
    inOrder(note, ['## Symptom', '## Endpoint', 'Connector version', 'TETRA definitions', '## Evidence', '## Verdict', '## Actions taken', '## Next steps'], 'se-case-note');
    assert.match(note, /`sfc\.exe\.log:line`/, 'evidence as file:line');
    const tac = bodyOf('se-tac-escalation');
    for (const c of ['one full update interval', 'Support bundle', 'Packet capture', 'working and a failing endpoint']) assert.ok(tac.includes(c), c);
    assert.ok(all.filter((s) => s.file === 'markdown').every((s) => s.snippet.prefix.startsWith('se-')));
  });

  it('hold no secrets: placeholders only for codes, users and proxies', () => {
    for (const f of FILES) {
      const text = raw[f];
      assert.doesNotMatch(text, /-----BEGIN [A-Z ]*PRIVATE KEY-----/, f);
      assert.doesNotMatch(text, /\bAKIA[0-9A-Z]{16}\b|\bgh[pousr]_[A-Za-z0-9]{20,}|\bxox[abp]-|Bearer [A-Za-z0-9._-]{10,}/, f);
      assert.doesNotMatch(text, /password\s*[=:]\s*\S|passwd|-U (?!\$\{)\S+:\S+|https?:\/\/[^/\s:@"]+:[^/\s@"]+@/i, `${f}: credentials`);
      assert.doesNotMatch(text, /sfc\.exe'? -n \d/, `${f}: a real unlock code`);
      assert.doesNotMatch(text, /\b(?!127\.)(?:\d{1,3}\.){3}\d{1,3}\b(?![\d.]*\\)/, `${f}: an IP address`);
    }
  });
});

describe('snippets with the open bundle\u2019s values', () => {
  const parsed = Object.fromEntries(FILES.map((f) => [f, JSON.parse(raw[f]) as Record<string, Snippet>])) as Record<File, Record<string, Snippet>>;
  const endpoint = (facts: Record<string, string>) => ({ endpoint: Object.entries(facts).map(([id, value]) => ({ id, value, label: id, places: [] })) });
  const values = bundleValuesOf(
    endpoint({
      'connector-version': '8.4.0.30201',
      'update-server': 'tetra-defs.eu.amp.cisco.com',
      proxy: 'proxy.corp.example:3128',
      hostname: 'WKS-0042',
      platform: 'windows',
      'policy-name': 'Protect | Servers',
      'policy-serial': '117',
      'tetra-version': '95123',
    }),
  );

  it('fill the version folder, the update server and the proxy into the commands, as valid snippets', () => {
    const filled = Object.fromEntries(bundleSnippets(parsed.powershell, values).map((s) => [s.prefix, expandSnippet(s.body)]));
    assert.equal(filled['se-forceupdate'], "& 'C:\\Program Files\\Cisco\\AMP\\8.4.0.30201\\sfc.exe' -forceupdate");
    assert.equal(filled['se-debug-start'], "& 'C:\\Program Files\\Cisco\\AMP\\8.4.0.30201\\sfc.exe' -l start");
    assert.match(filled['se-unlock']!, /8\.4\.0\.30201\\sfc\.exe' -n <unlock code>$/);
    assert.equal(filled['se-dns'], 'Resolve-DnsName -Name tetra-defs.eu.amp.cisco.com');
    assert.equal(filled['se-curl-proxy'], 'curl.exe -v -x http://proxy.corp.example:3128 https://tetra-defs.eu.amp.cisco.com');
    // What no bundle value answers stays the static snippet's: not offered again.
    assert.equal(filled['se-ciphers'], undefined);
    for (const f of FILES) for (const s of bundleSnippets(parsed[f], values)) expandSnippet(s.body);
  });

  it('keep Cisco\u2019s other servers as choices after the bundle\u2019s', () => {
    const dns = bundleSnippets(parsed.powershell, values).find((s) => s.prefix === 'se-dns')!;
    assert.match(dns.body, /\$\{1\|tetra-defs\.eu\.amp\.cisco\.com,tetra-defs\.amp\.cisco\.com,tetra-defs\.apjc\.amp\.cisco\.com\|\}/);
  });

  it('fill the case note with host, platform, version and policy', () => {
    const note = bundleSnippets(parsed.markdown, values).map((s) => expandSnippet(s.body)).join('\n');
    assert.match(note, /WKS-0042/);
    assert.match(note, /Windows/);
    assert.match(note, /8\.4\.0\.30201/);
    assert.match(note, /Protect \| Servers \(117\)/);
    // Each version where it belongs: the connector's on its line, the definitions' on theirs.
    assert.match(note, /^- Connector version: 8\.4\.0\.30201$/m);
    assert.match(note, /^- TETRA definitions: 95123 \(available: available version\)$/m);
  });

  it('drop values that do not have the shape of what they claim to be', () => {
    const hostile = bundleValuesOf(
      endpoint({
        'connector-version': '8.1.7; Remove-Item C:\\ -Recurse',
        'update-server': 'tetra-defs.amp.cisco.com & calc.exe',
        proxy: 'user:pa$$@proxy:8080',
        hostname: '$(whoami)',
        platform: 'amiga',
        'policy-name': 'line one\nline two ${2:x}\u202e',
        'tetra-version': '90600; calc',
      }),
    );
    assert.deepEqual(Object.keys(hostile), ['policy']);
    assert.equal(hostile.policy, 'line one line two ${2:x}');
    const note = bundleSnippets(parsed.markdown, hostile);
    // Escaped for snippet syntax: the policy's text is inserted as it reads, never as a tab stop.
    for (const s of note) assert.ok(expandSnippet(s.body).includes('line one line two ${2:x}'), s.body);
    assert.deepEqual(bundleSnippets(parsed.powershell, hostile), []);
    assert.equal(fillSnippet("& '${1:version}\\sfc.exe'", {}), undefined);
    // The completion's preview reads as the insertion does, for every filled snippet.
    const dollars = bundleValuesOf(endpoint({ 'policy-name': 'cost $5 plan', 'policy-serial': '9' }));
    for (const snippet of bundleSnippets(parsed.markdown, dollars)) assert.equal(snippetPreview(snippet.body), expandSnippet(snippet.body));
    for (const f of FILES) for (const snippet of bundleSnippets(parsed[f], values)) assert.equal(snippetPreview(snippet.body), expandSnippet(snippet.body), snippet.prefix);
  });
});
