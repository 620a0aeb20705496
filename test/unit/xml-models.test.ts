import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseDefVersion, readLocalXml, tetraVersionFromStatsJson, tetraVersionOf } from '../../src/core/xml/local';
import { decodeProcessMask, isWildcardLeading, parseBoolean, readPolicyXml, USER_TETRA_UPDATE_PATHS, XMLDSIG_NS } from '../../src/core/xml/policy';
import { findElement, readXml } from '../../src/core/xml/read';
import { analyzeXmlText, policyUnreadableFinding, versionAtLeast, xmlFindings } from '../../src/core/xml/rules';
import { DEBUG_LOG_LEVEL, hostOf, processMaskSetting, SETTINGS, settingAt } from '../../src/core/xml/settings';
import type { Finding } from '../../src/core/types';
import type { LocalXmlModel, PolicyXmlModel, XmlDocument, XmlElement } from '../../src/core/xml/types';
import { fixture } from '../support/paths';

const text = (name: string) => readFileSync(fixture('xml', name), 'utf8');
const PASSWORD = 'Pr0xy-S3cret-Example!';

function local(name: string): { doc: XmlDocument; model: LocalXmlModel } {
  const doc = readXml(text(name));
  return { doc, model: readLocalXml(doc) };
}
function policy(source: string): { doc: XmlDocument; model: PolicyXmlModel } {
  const doc = readXml(source);
  return { doc, model: readPolicyXml(doc) };
}
const ids = (fs: Finding[]) => fs.map((f) => f.id);
const find = (fs: Finding[], id: string) => fs.find((f) => f.id === id);

/** JSON without the cycles (`parent`); `children` too when asked (element trees are the document's, not the model's). */
function json(value: unknown, dropChildren = false): string {
  return JSON.stringify(value, (k, v) => (k === 'parent' || (dropChildren && k === 'children') ? undefined : v));
}

/** A policy body under a bare `config` root. */
const bare = (body: string) => `<config>${body}</config>`;
const signed = (body: string) => `<Signature xmlns="${XMLDSIG_NS}"><SignedInfo/><Object><config>${body}</config></Object></Signature>`;

describe('local.xml model', () => {
  it('reads identity, lasterror, last success and the TETRA version from stats/definitions JSON', () => {
    const { model } = local('local-stats.xml');
    assert.equal(model.kind, 'local.xml');
    assert.equal(model.connectorGuid?.value, '0f3a6c1e-9b2d-4e57-8a41-2c7d5e9f1b60');
    assert.equal(model.businessGuid?.value, '7d9e2b4a-1c3f-4a6e-b8d0-5f2a9c7e3b11');
    assert.equal(model.tetraVersionFromStats?.value, 90600); // the tetra entry, not spero's 12345
    assert.equal(model.tetraVersionFromStats?.element.local, 'definitions');
    assert.equal(model.tetraVersionFromDefversions, undefined);
    assert.equal(tetraVersionOf(model)?.value, 90600);
    assert.equal(model.tetraLastError?.value, 4294965193);
    assert.equal(model.lastSuccessTime?.value, 1684342609);
    assert.deepEqual(
      model.installSwitches.map((s) => [s.name, s.value]),
      [
        ['skiptetra', '0'],
        ['overridepolicy', '0'],
      ],
    );
    assert.equal(model.connectorVersion, undefined);
  });

  it('reads the older defversions layout and a version element of version shape', () => {
    const { model } = local('local-defversions.xml');
    assert.equal(model.tetraVersionFromDefversions?.value, 88412);
    assert.equal(model.tetraVersionFromStats, undefined);
    assert.equal(tetraVersionOf(model)?.value, 88412);
    assert.equal(model.tetraLastError?.value, 0);
    assert.equal(model.connectorVersion?.value, '7.4.5.20701');
  });

  it('takes lasterror signed or unsigned, as written', () => {
    const m = readLocalXml(readXml('<config><agent><engine><tetra><lasterror> -2103 </lasterror></tetra></engine></agent></config>'));
    assert.equal(m.tetraLastError?.value, -2103);
    assert.equal(readLocalXml(readXml('<config><tetra><lasterror>abc</lasterror></tetra></config>')).tetraLastError, undefined);
    assert.equal(readLocalXml(readXml('<config><tetra><lasterror>99999999999</lasterror></tetra></config>')).tetraLastError, undefined);
  });

  it('picks the TETRA entry of the JSON and never guesses among several engines', () => {
    assert.equal(tetraVersionFromStatsJson('{"engineDefinitions":[{"defVersion":"3:90604"}]}'), 90604);
    assert.equal(tetraVersionFromStatsJson('{"engineDefinitions":[{"defVersion":"1:5","engine":"spero"},{"defVersion":"2:7","engine":"clamav"}]}'), undefined);
    assert.equal(tetraVersionFromStatsJson('{"engineDefinitions":[{"defVersion":"1:5","name":"ClamAV"},{"defVersion":"3:90600","name":"TETRA 64 bit"}]}'), 90600);
    // Cut JSON: the pairs found in the text.
    assert.equal(tetraVersionFromStatsJson('{"engineDefinitions":[{"defVersion":"3:90600","engine":"tetra"},{"defVersion":"1:1'), 90600);
    assert.equal(tetraVersionFromStatsJson('not json'), undefined);
    assert.equal(tetraVersionFromStatsJson('{"engineDefinitions":"x"}'), undefined);
    assert.equal(tetraVersionFromStatsJson(`{"engineDefinitions":[${'{"defVersion":"3:1"},'.repeat(5000)}]}`), undefined); // over the bound
    assert.equal(parseDefVersion('"3:88412"'), 88412);
    assert.equal(parseDefVersion('3:88412'), 88412);
    assert.equal(parseDefVersion('88412'), undefined);
  });
});

describe('policy.xml model', () => {
  it('reads the xmldsig envelope and every field', () => {
    const { doc, model } = policy(text('policy.xml'));
    assert.equal(doc.root?.uri, XMLDSIG_NS);
    assert.equal(model.signed, true);
    assert.equal(model.config?.path, '/Signature/Object/config');
    assert.equal(model.policyUuid?.value, '2e6f0a9c-3b7d-4c18-a5e4-9d1b6f2c8a37');
    assert.equal(model.policyName?.value, 'Protect');
    assert.equal(model.policySerial?.value, 412);
    assert.equal(model.policyUpdated?.value, 1684300000);
    assert.equal(model.tetraEnabled?.value, true);
    assert.equal(model.tetraUpdaterEnabled?.value, true);
    assert.equal(model.tetraUpdateServer?.value, 'tetra-defs.amp.cisco.com');
    assert.equal(model.tetraUpdateInterval?.value, 3600);
    assert.equal(model.productUpdateServer?.value, 'update.amp.cisco.com');
    assert.equal(model.productUpdateInterval?.value, 3600);
    assert.equal(model.proxy.type?.value, 1);
    assert.equal(model.proxy.server?.value, 'proxy.example.test');
    assert.equal(model.proxy.port?.value, 8080);
    assert.equal(model.proxy.authType?.value, 1);
    assert.equal(model.proxy.username?.value, 'svc-amp');
    assert.equal(model.proxy.passwordSet?.value, true);
    assert.deepEqual(model.tls, { verifyHost: model.tls.verifyHost, verifyPeer: model.tls.verifyPeer, crlCheck: model.tls.crlCheck });
    assert.equal(model.tls.verifyHost?.value, true);
    assert.equal(model.tls.verifyPeer?.value, true);
    assert.equal(model.tls.crlCheck?.value, true);
    assert.equal(model.isolation.enabled?.value, true);
    assert.equal(model.isolation.allowProxy?.value, true);
    assert.equal(model.agentLogLevel?.value, 0);
    assert.equal(model.uiLogLevel?.value, 0);
    assert.equal(model.heartbeatInterval?.value, 900);
    assert.deepEqual(
      model.engines.map((e) => [e.engine, e.value]),
      [
        ['spero', true],
        ['ethos', false],
        ['clamav', false],
        ['exprev', true],
        ['nfm', true],
      ],
    );
    assert.equal(model.nfmMode?.value, 1);
    assert.equal(model.userTetraUpdateAllowed, undefined);
    assert.deepEqual(
      model.exclusions.map((x) => [x.kind, x.value, x.mask, x.maskMeaning, x.wildcardLeading]),
      [
        ['path', 'C:\\Program Files\\Example App\\', undefined, undefined, false],
        ['path', '*\\AppData\\Local\\Temp\\*.tmp', undefined, undefined, true],
        ['path', 'log', undefined, undefined, false],
        ['process', 'C:\\Program Files\\Example Backup\\backup.exe', 12, ['spp', 'child-processes'], false],
        ['process', 'C:\\Program Files\\Example DB\\dbserver.exe', 48, ['map', 'child-processes'], false],
        ['process', 'C:\\Tools\\indexer.exe', 0, ['file-scan'], false],
      ],
    );
  });

  it('reads an unsigned bare config export with signed false', () => {
    const { model } = policy(text('policy-custom.xml'));
    assert.equal(model.signed, false);
    assert.equal(model.config?.path, '/config');
    assert.equal(model.agentLogLevel?.value, DEBUG_LOG_LEVEL);
    assert.equal(model.tetraEnabled?.value, true);
    assert.equal(model.tetraUpdaterEnabled?.value, false);
    assert.equal(model.tetraUpdateServer?.value, 'https://av-mirror.corp.example.test:8443/tetra');
    assert.equal(model.tls.verifyPeer?.value, false); // "no"
    assert.equal(model.tls.crlCheck?.value, false);
    assert.equal(model.userTetraUpdateAllowed?.value, false);
    assert.equal(model.userTetraUpdateAllowed?.element.local, 'allow_tetra_update');
    assert.equal(model.exclusions[0]?.value, '.*\\.bak'); // trailing empty field skipped
    assert.equal(model.exclusions[0]?.wildcardLeading, true);
  });

  it('a Signature root outside the xmldsig namespace is not signed', () => {
    assert.equal(policy('<Signature><Object><config><agent><log><level>1</level></log></agent></config></Object></Signature>').model.signed, false);
    assert.equal(policy('<Signature><Object><config><agent><log><level>1</level></log></agent></config></Object></Signature>').model.agentLogLevel?.value, 1);
    assert.equal(policy(`<Signature xmlns="${XMLDSIG_NS}"><SignedInfo/></Signature>`).model.config, undefined);
  });

  it('booleans: 1/0/true/false/yes/no in any case, else undefined', () => {
    for (const t of ['1', 'true', 'TRUE', 'Yes', ' yes ']) assert.equal(parseBoolean(t), true, t);
    for (const t of ['0', 'false', 'False', 'NO']) assert.equal(parseBoolean(t), false, t);
    for (const t of ['', '2', 'on', 'enabled']) assert.equal(parseBoolean(t), undefined, t);
    assert.equal(policy(bare('<agent><scansettings><tetra><enable>maybe</enable></tetra></scansettings></agent>')).model.tetraEnabled, undefined);
  });

  it('decodes process exclusion masks 0/1/4/12/16/48 as the BRIEF lists them', () => {
    assert.deepEqual(decodeProcessMask(0), { meaning: ['file-scan'] });
    assert.deepEqual(decodeProcessMask(1), { meaning: ['file-scan', 'child-processes'] });
    assert.deepEqual(decodeProcessMask(4), { meaning: ['spp'] });
    assert.deepEqual(decodeProcessMask(12), { meaning: ['spp', 'child-processes'] });
    assert.deepEqual(decodeProcessMask(16), { meaning: ['map'] });
    assert.deepEqual(decodeProcessMask(48), { meaning: ['map', 'child-processes'] });
    // Any other combination has no documented meaning: none is asserted (review: 5 is not "SPP + children").
    for (const m of [5, 8, 17, 20]) assert.deepEqual(decodeProcessMask(m), { meaning: [] }, String(m));
    assert.deepEqual(decodeProcessMask(2), { meaning: [], unknownBits: 2 });
    assert.deepEqual(decodeProcessMask(64 + 4), { meaning: [], unknownBits: 64 });
    assert.deepEqual(processMaskSetting(12), { kind: 'process-mask', mask: 12, meaning: ['spp', 'child-processes'] });
    assert.deepEqual(processMaskSetting(130), { kind: 'process-mask', mask: 130, meaning: [], unknownBits: 130 });
  });

  it('leading wildcards: * or .* at the very start only', () => {
    for (const v of ['*\\Temp', '*.tmp', '.*\\.bak', ' *x', '"*.log"']) assert.equal(isWildcardLeading(v), true, v);
    for (const v of ['C:\\*\\cache', 'CSIDL_WINDOWS\\*.log', 'C:\\Temp\\', 'log', '']) assert.equal(isWildcardLeading(v), false, v);
  });

  it('never keeps the proxy password: model, findings and hover', () => {
    const source = text('policy.xml');
    assert.ok(source.includes(PASSWORD)); // the fixture has one
    const { doc, model } = policy(source);
    assert.equal(model.proxy.passwordSet?.value, true);
    assert.equal(model.proxy.passwordSet?.element.text, '');
    assert.ok(!json(model, true).includes(PASSWORD), 'model');
    assert.ok(!json(model, true).includes('S3cret'), 'model (part)');
    const findings = xmlFindings(doc, model, { file: 'policy.xml', revocationFailuresSeen: true });
    assert.ok(!json(findings).includes('S3cret'), 'findings');
    const analyzed = analyzeXmlText(source, 'policy.xml');
    assert.ok(!json(analyzed.model, true).includes('S3cret'));
    assert.ok(!json(analyzed.findings).includes('S3cret'));
    const el = findElement(doc, '/Signature/Object/config/proxy/password')!;
    const info = settingAt('policy.xml', el);
    assert.equal(info?.id, 'policy.proxy.password');
    assert.deepEqual(info?.decoded, { kind: 'secret', length: PASSWORD.length });
    assert.ok(!JSON.stringify(info?.decoded).includes('S3cret'));
    assert.ok(SETTINGS.find((s) => s.id === 'policy.proxy.password')?.secret);
    // Empty password: present, not set.
    assert.equal(policy(bare('<proxy><password></password></proxy>')).model.proxy.passwordSet?.value, false);
    assert.equal(policy(bare('<proxy/>')).model.proxy.passwordSet, undefined);
  });
});

describe('local.xml rules', () => {
  const lasterror = (v: string) => analyzeXmlText(`<config><agent><engine><tetra><lasterror>${v}</lasterror></tetra></engine></agent></config>`, 'local.xml').findings;

  it('lasterror classified by the catalogue, with status signed and value as written', () => {
    const { doc, model } = local('local-stats.xml');
    const fs = xmlFindings(doc, model, { file: 'Cisco/AMP/local.xml' });
    assert.deepEqual(ids(fs), ['tetra.proxy-connect']);
    const f = fs[0]!;
    assert.equal(f.severity, 'error');
    assert.equal(f.kind, 'tetra.proxy-connect');
    assert.deepEqual(f.args, { status: -2103, value: 4294965193 });
    assert.deepEqual(f.range, model.tetraLastError?.element.textRange);
    assert.deepEqual(f.evidence, [{ file: 'Cisco/AMP/local.xml', range: f.range, text: '<lasterror>4294965193</lasterror>' }]);
    assert.equal(f.actions?.[0]?.id, 'read-lasterror');
    assert.match(f.actions![0]!.command, /Select-Xml .*'\/\/tetra\/lasterror'/);
    assert.ok(f.actions?.some((a) => a.command === 'curl.exe -v https://tetra-defs.amp.cisco.com'));
  });

  it('every TETRA status kind, and tetra.update-failed for an undocumented value', () => {
    assert.deepEqual(ids(lasterror('4294965196')), ['tetra.proxy-auth']);
    assert.deepEqual(ids(lasterror('4294965187')), ['tetra.proxy-download']);
    assert.deepEqual(ids(lasterror('4294964296')), ['tetra.unknown-error']);
    assert.ok(lasterror('4294964296')[0]!.actions?.some((a) => a.command === 'Get-TlsCipherSuite | ft name'));
    assert.deepEqual(ids(lasterror('-2100')), ['tetra.proxy-auth']);
    assert.deepEqual(lasterror('-2100')[0]!.args, { status: -2100, value: -2100 });
    const other = lasterror('4294965000');
    assert.deepEqual(ids(other), ['tetra.update-failed']);
    assert.equal(other[0]!.kind, undefined);
    assert.deepEqual(other[0]!.args, { status: -2296, value: 4294965000 });
    assert.deepEqual(ids(lasterror('0')), []);
    assert.deepEqual(ids(lasterror('')), []);
  });

  it('the update server of the context goes into the commands', () => {
    const { doc, model } = local('local-stats.xml');
    const f = xmlFindings(doc, model, { file: 'local.xml', tetraUpdateServer: 'tetra-defs.eu.amp.cisco.com' })[0]!;
    assert.ok(f.actions?.some((a) => a.command === 'curl.exe -v https://tetra-defs.eu.amp.cisco.com'));
  });

  it('tetra.install-skipped when the skiptetra switch is set', () => {
    const { doc, model } = local('local-defversions.xml');
    const fs = xmlFindings(doc, model, { file: 'local.xml' });
    assert.deepEqual(ids(fs), ['tetra.install-skipped']);
    assert.deepEqual(fs[0]!.args, { switch: 'skiptetra', value: '1' });
    assert.equal(fs[0]!.severity, 'information');
    assert.ok(!ids(xmlFindings(...Object.values(local('local-stats.xml')) as [XmlDocument, LocalXmlModel], { file: 'local.xml' })).includes('tetra.install-skipped'));
  });
});

describe('policy.xml rules', () => {
  const run = (source: string, context = {}) => xmlFindings(readXml(source), readPolicyXml(readXml(source)), { file: 'policy.xml', ...context });

  it('the signed fixture: debug off, CRL checking, one wildcard-leading exclusion', () => {
    const fs = run(text('policy.xml'));
    assert.deepEqual(ids(fs), ['log.debug-disabled', 'policy.crl-check', 'exclusions.wildcard-leading']);
    const debug = find(fs, 'log.debug-disabled')!;
    assert.equal(debug.severity, 'information');
    assert.deepEqual(debug.args, { level: 0 });
    assert.deepEqual(debug.actions, [{ id: 'debug-start', command: 'sfc.exe -l start' }]);
    assert.equal(debug.evidence[0]?.text, '<level>0</level>');
    const crl = find(fs, 'policy.crl-check')!;
    assert.equal(crl.severity, 'information');
    assert.deepEqual(crl.args, {});
    assert.deepEqual(crl.actions, [{ id: 'curl-update-server', command: 'curl.exe -v https://tetra-defs.amp.cisco.com' }]);
    const wild = find(fs, 'exclusions.wildcard-leading')!;
    assert.equal(wild.severity, 'warning');
    assert.deepEqual(wild.args, { value: '*\\AppData\\Local\\Temp\\*.tmp', kind: 'path' });
  });

  it('policy.crl-check is a warning when revocation failures were seen', () => {
    const crl = find(run(text('policy.xml'), { revocationFailuresSeen: true }), 'policy.crl-check')!;
    assert.equal(crl.severity, 'warning');
    assert.deepEqual(crl.args, { revocationFailuresSeen: 1 });
    assert.equal(find(run(bare('<conn><ssl><crlc>0</crlc></ssl></conn>'), { revocationFailuresSeen: true }), 'policy.crl-check'), undefined);
  });

  it('sfc.exe commands run from the version folder when it is known', () => {
    const debug = find(run(text('policy.xml'), { connectorVersion: '8.1.7.21417' }), 'log.debug-disabled')!;
    assert.equal(debug.actions?.[0]?.command, "& 'C:\\Program Files\\Cisco\\AMP\\8.1.7.21417\\sfc.exe' -l start");
  });

  it('the unsigned custom fixture: updater off, custom server, TLS checks off, user update off', () => {
    const fs = run(text('policy-custom.xml'));
    assert.deepEqual(ids(fs), ['tetra.updater-disabled', 'tetra.update-server-custom', 'policy.tls-verify-disabled', 'policy.user-update-disabled', 'exclusions.wildcard-leading']);
    assert.equal(find(fs, 'tetra.updater-disabled')!.severity, 'warning');
    assert.deepEqual(find(fs, 'tetra.updater-disabled')!.args, {});
    assert.deepEqual(find(fs, 'tetra.updater-disabled')!.actions, [{ id: 'force-update', command: 'sfc.exe -forceupdate' }]);
    const custom = find(fs, 'tetra.update-server-custom')!;
    assert.equal(custom.severity, 'information');
    assert.deepEqual(custom.args, { server: 'av-mirror.corp.example.test' });
    assert.deepEqual(
      custom.actions?.map((a) => a.command),
      ['Resolve-DnsName -Name av-mirror.corp.example.test', 'curl.exe -v https://av-mirror.corp.example.test:8443/tetra'],
    );
    const tls = find(fs, 'policy.tls-verify-disabled')!;
    assert.equal(tls.severity, 'warning');
    assert.deepEqual(tls.args, { verifyhost: 0, verifypeer: 0 });
    const user = find(fs, 'policy.user-update-disabled')!;
    assert.deepEqual(user.args, { element: 'allow_tetra_update' });
    assert.deepEqual(user.actions, [{ id: 'force-update', command: 'sfc.exe -forceupdate' }]);
    assert.deepEqual(find(fs, 'exclusions.wildcard-leading')!.args, { value: '.*\\.bak', kind: 'path' });
    assert.equal(find(fs, 'log.debug-disabled'), undefined); // 549755813887 is debug
  });

  it('tetra.disabled replaces the updater finding when TETRA itself is off', () => {
    const fs = run(bare('<agent><scansettings><tetra><enable>0</enable><updater><enable>0</enable></updater></tetra></scansettings></agent>'));
    assert.deepEqual(ids(fs), ['tetra.disabled']);
    assert.equal(fs[0]!.severity, 'information');
    assert.deepEqual(ids(run(bare('<agent><scansettings><tetra><enable>1</enable><updater><enable>1</enable></updater></tetra></scansettings></agent>'))), []);
  });

  it('Cisco update servers in any region are not custom', () => {
    for (const s of ['tetra-defs.amp.cisco.com', 'tetra-defs.eu.amp.cisco.com', 'https://tetra-defs.apjc.amp.cisco.com/', 'TETRA-DEFS.AMP.CISCO.COM']) {
      assert.deepEqual(ids(run(signed(`<agent><scansettings><tetra><updater><server>${s}</server></updater></tetra></scansettings></agent>`))), [], s);
    }
    assert.deepEqual(ids(run(signed('<agent><scansettings><tetra><updater><server>cisco.com.evil.test</server></updater></tetra></scansettings></agent>'))), ['tetra.update-server-custom']);
  });

  it('policy.tls-verify-disabled for either check off; -1 for an absent one', () => {
    const fs = run(bare('<conn><ssl><verifypeer>0</verifypeer></ssl></conn>'));
    assert.deepEqual(ids(fs), ['policy.tls-verify-disabled']);
    assert.deepEqual(fs[0]!.args, { verifyhost: -1, verifypeer: 0 });
    assert.deepEqual(ids(run(bare('<conn><ssl><verifyhost>1</verifyhost><verifypeer>1</verifypeer></ssl></conn>'))), []);
  });

  it('policy.user-update-disabled only when the (unconfirmed) element is found and off', () => {
    for (const path of USER_TETRA_UPDATE_PATHS) {
      const xml = path
        .split('/')
        .reduceRight((inner, name) => `<${name}>${inner}</${name}>`, '0');
      assert.deepEqual(ids(run(bare(xml))), ['policy.user-update-disabled'], path);
    }
    assert.deepEqual(ids(run(bare('<ui><allow_tetra_update>1</allow_tetra_update></ui>'))), []);
    assert.deepEqual(ids(run(bare('<ui><log><level>0</level></log></ui>'))), []);
  });

  it('exclusions.wildcard-leading per exclusion, process ones too; none for anchored wildcards', () => {
    const fs = run(bare('<exclusions><info><item>1|6|0|0|*.log</item><item>1|6|0|0|C:\\*\\x</item></info><process><item>1|0||*\\svc.exe|0|</item></process></exclusions>'));
    assert.deepEqual(
      fs.map((f) => [f.id, f.args['value'], f.args['kind']]),
      [
        ['exclusions.wildcard-leading', '*.log', 'path'],
        ['exclusions.wildcard-leading', '*\\svc.exe', 'process'],
      ],
    );
  });

  it('log.debug-disabled is not raised when there is no log level element', () => {
    assert.deepEqual(ids(run(bare('<agent><log><showcmdline>1</showcmdline></log></agent>'))), []);
  });
});

describe('policy.unreadable', () => {
  it('information from connector 8.1.3 on; nothing for older or unknown versions', () => {
    const f = policyUnreadableFinding('Cisco/AMP/policy.xml', '8.1.7.21417', 'missing')!;
    assert.equal(f.id, 'policy.unreadable');
    assert.equal(f.severity, 'information');
    assert.deepEqual(f.args, { reason: 'missing', connectorVersion: '8.1.7.21417', since: '8.1.3', file: 'Cisco/AMP/policy.xml' });
    assert.equal(policyUnreadableFinding('policy.xml', '8.1.3', 'unreadable')?.args['reason'], 'unreadable');
    assert.ok(policyUnreadableFinding('policy.xml', '8.2', 'missing'));
    assert.equal(policyUnreadableFinding('policy.xml', '8.1.2.21000', 'missing'), undefined);
    assert.equal(policyUnreadableFinding('policy.xml', '7.4.5.20701', 'unreadable'), undefined);
    assert.equal(policyUnreadableFinding('policy.xml', undefined, 'missing'), undefined);
    assert.equal(policyUnreadableFinding('policy.xml', 'unknown', 'missing'), undefined);
    assert.equal(versionAtLeast('10.0.0', '8.1.3'), true);
    assert.equal(versionAtLeast('8.1.3.0', '8.1.3'), true);
  });
});

describe('settingAt', () => {
  const localDoc = readXml(text('local-stats.xml'));
  const olderDoc = readXml(text('local-defversions.xml'));
  const policyDoc = readXml(text('policy.xml'));
  const customDoc = readXml(text('policy-custom.xml'));
  const at = (doc: XmlDocument, path: string): XmlElement => {
    const el = findElement(doc, path);
    assert.ok(el, path);
    return el;
  };
  const P = '/Signature/Object/config/';

  it('decodes every kind', () => {
    const cases: Array<['local.xml' | 'policy.xml', XmlDocument, string, string, unknown]> = [
      ['local.xml', localDoc, '/config/agent/uuid', 'local.agent.uuid', { kind: 'text', value: '0f3a6c1e-9b2d-4e57-8a41-2c7d5e9f1b60' }],
      ['local.xml', localDoc, '//tetra/lasterror', 'local.tetra.lasterror', { kind: 'code', value: 4294965193 }],
      ['local.xml', localDoc, '//lastsuccesstime', 'local.lastsuccesstime', { kind: 'epoch', seconds: 1684342609, iso: '2023-05-17T16:56:49Z' }],
      ['local.xml', localDoc, '/config/agent/engine/stats/definitions', 'local.agent.engine.stats.definitions', { kind: 'tetra-version', version: 90600 }],
      ['local.xml', olderDoc, '/config/agent/engine/tetra/defversions', 'local.agent.engine.tetra.defversions', { kind: 'tetra-version', version: 88412 }],
      ['local.xml', olderDoc, '/config/agent/version', 'local.agent.version', { kind: 'text', value: '7.4.5.20701' }],
      ['local.xml', localDoc, '/config/install/switches/skiptetra', 'local.install.switches.skiptetra', { kind: 'text', value: '0' }],
      ['policy.xml', policyDoc, `${P}agent/scansettings/tetra/enable`, 'policy.agent.scansettings.tetra.enable', { kind: 'boolean', value: true }],
      ['policy.xml', policyDoc, `${P}agent/log/level`, 'policy.agent.log.level', { kind: 'log-level', value: 0, debug: false }],
      ['policy.xml', customDoc, '/config/agent/log/level', 'policy.agent.log.level', { kind: 'log-level', value: 549755813887, debug: true }],
      ['policy.xml', policyDoc, `${P}agent/hb/interval`, 'policy.agent.hb.interval', { kind: 'interval', seconds: 900, unitConfirmed: false }],
      ['policy.xml', policyDoc, `${P}agent/scansettings/tetra/updater/interval`, 'policy.agent.scansettings.tetra.updater.interval', { kind: 'interval', seconds: 3600, unitConfirmed: false }],
      ['policy.xml', policyDoc, `${P}janus/policy/updated`, 'policy.janus.policy.updated', { kind: 'epoch', seconds: 1684300000, iso: '2023-05-17T05:06:40Z' }],
      ['policy.xml', policyDoc, `${P}agent/scansettings/tetra/updater/server`, 'policy.agent.scansettings.tetra.updater.server', { kind: 'host', host: 'tetra-defs.amp.cisco.com', cisco: true }],
      ['policy.xml', customDoc, '/config/agent/scansettings/tetra/updater/server', 'policy.agent.scansettings.tetra.updater.server', { kind: 'host', host: 'av-mirror.corp.example.test', cisco: false }],
      ['policy.xml', policyDoc, `${P}proxy/server`, 'policy.proxy.server', { kind: 'host', host: 'proxy.example.test', cisco: false }],
      ['policy.xml', policyDoc, `${P}proxy/password`, 'policy.proxy.password', { kind: 'secret', length: PASSWORD.length }],
      ['policy.xml', policyDoc, `${P}agent/nfm/settings/mode`, 'policy.agent.nfm.settings.mode', { kind: 'nfm-mode', value: 1, mode: 'passive' }],
      ['policy.xml', policyDoc, `${P}janus/policy/name`, 'policy.janus.policy.name', { kind: 'text', value: 'Protect' }],
      ['policy.xml', customDoc, '/config/ui/allow_tetra_update', 'policy.ui.allow_tetra_update', { kind: 'boolean', value: false }],
    ];
    for (const [file, doc, path, id, decoded] of cases) {
      const info = settingAt(file, at(doc, path));
      assert.equal(info?.id, id, path);
      assert.deepEqual(info?.decoded, decoded, path);
      assert.ok(info?.source, path);
    }
  });

  it('decodes exclusion items with their masks', () => {
    const items = policyDoc.root && [...(findElement(policyDoc, `${P}exclusions/process`)?.children ?? [])];
    const info = settingAt('policy.xml', items![0]!);
    assert.equal(info?.id, 'policy.exclusions.process.item');
    assert.equal(info?.decoded?.kind, 'exclusion');
    if (info?.decoded?.kind === 'exclusion') {
      assert.equal(info.decoded.exclusion.kind, 'process');
      assert.equal(info.decoded.exclusion.value, 'C:\\Program Files\\Example Backup\\backup.exe');
      assert.equal(info.decoded.exclusion.mask, 12);
      assert.deepEqual(info.decoded.exclusion.maskMeaning, ['spp', 'child-processes']);
    }
    const path = settingAt('policy.xml', findElement(policyDoc, `${P}exclusions/info/item`)!);
    assert.equal(path?.id, 'policy.exclusions.info.item');
    assert.equal(path?.decoded?.kind === 'exclusion' && path.decoded.exclusion.value, 'C:\\Program Files\\Example App\\');
  });

  it('sections, the envelope, NFM modes, odd values and unknown elements', () => {
    assert.equal(settingAt('policy.xml', at(policyDoc, `${P}proxy`))?.id, 'policy.proxy');
    assert.equal(settingAt('policy.xml', at(policyDoc, `${P}proxy`))?.decoded, undefined);
    assert.equal(settingAt('policy.xml', at(policyDoc, `${P}exclusions`))?.id, 'policy.exclusions');
    assert.equal(settingAt('policy.xml', at(policyDoc, `${P}janus/policy`))?.id, 'policy.janus.policy');
    assert.equal(settingAt('policy.xml', at(policyDoc, '/Signature'))?.id, 'policy.signature');
    assert.equal(settingAt('policy.xml', at(policyDoc, '/Signature/SignatureValue'))?.id, 'policy.signature.value');
    assert.equal(settingAt('policy.xml', at(policyDoc, '/Signature/Object/config'))?.id, 'policy.config');
    assert.equal(settingAt('policy.xml', at(customDoc, '/config'))?.id, 'policy.config');
    assert.equal(settingAt('local.xml', at(localDoc, '/config/install/switches/overridepolicy'))?.id, 'local.install.switches.overridepolicy');
    const odd = readXml(bare('<agent><nfm><settings><mode>2</mode></settings></nfm><log><level>x</level></log></agent><ui><log><level>549755813887</level></log></ui><install><switches><foo>1</foo></switches></install><janus><policy><updated>0</updated></policy></janus>'));
    assert.deepEqual(settingAt('policy.xml', at(odd, '/config/agent/nfm/settings/mode'))?.decoded, { kind: 'nfm-mode', value: 2, mode: 'active' });
    assert.equal(settingAt('policy.xml', at(odd, '/config/agent/log/level'))?.decoded, undefined);
    assert.deepEqual(settingAt('policy.xml', at(odd, '/config/ui/log/level'))?.decoded, { kind: 'log-level', value: DEBUG_LOG_LEVEL, debug: true });
    assert.equal(settingAt('policy.xml', at(odd, '/config/janus/policy/updated'))?.decoded, undefined); // 0: never, not 1970
    assert.equal(settingAt('local.xml', at(readXml('<config><install><switches><foo>1</foo></switches></install></config>'), '/config/install/switches/foo'))?.id, 'local.install.switches.other');
    const mode0 = readXml(bare('<agent><nfm><settings><mode>0</mode></settings></nfm></agent>'));
    assert.deepEqual(settingAt('policy.xml', at(mode0, '/config/agent/nfm/settings/mode'))?.decoded, { kind: 'nfm-mode', value: 0, mode: 'audit' });
    const mode7 = readXml(bare('<agent><nfm><settings><mode>7</mode></settings></nfm></agent>'));
    assert.deepEqual(settingAt('policy.xml', at(mode7, '/config/agent/nfm/settings/mode'))?.decoded, { kind: 'nfm-mode', value: 7 });
    assert.equal(settingAt('policy.xml', at(policyDoc, '/Signature/SignedInfo/Reference')), undefined);
    assert.equal(settingAt('local.xml', at(policyDoc, `${P}agent/log/level`)), undefined);
    // Milliseconds read as such.
    const ms = readXml('<config><tetra><lastsuccesstime>1684342609000</lastsuccesstime></tetra></config>');
    assert.deepEqual(settingAt('local.xml', at(ms, '//lastsuccesstime'))?.decoded, { kind: 'epoch', seconds: 1684342609, iso: '2023-05-17T16:56:49Z' });
  });

  it('host names from URLs, host:port and user info', () => {
    assert.equal(hostOf('https://user:pw@Proxy.Example.test:8080/x'), 'proxy.example.test');
    assert.equal(hostOf('proxy.example.test:3128'), 'proxy.example.test');
    assert.equal(hostOf('tetra-defs.amp.cisco.com.'), 'tetra-defs.amp.cisco.com');
    assert.equal(hostOf('  '), undefined);
    assert.equal(hostOf('not a host'), undefined);
  });

  it('the knowledge table: unique ids, sources, a secret proxy password, unconfirmed entries marked', () => {
    const seen = new Set<string>();
    for (const s of SETTINGS) {
      assert.ok(!seen.has(s.id), s.id);
      seen.add(s.id);
      assert.ok(s.summary && s.source, s.id);
    }
    assert.ok(SETTINGS.filter((s) => s.id.startsWith('policy.ui.') && s.id !== 'policy.ui.log.level').every((s) => s.source.startsWith('unconfirmed')));
    assert.ok(SETTINGS.filter((s) => s.path === '/config/agent/version' || s.path === '/config/version').every((s) => s.source === 'unconfirmed'));
  });
});

describe('analyzeXmlText', () => {
  it('role by file name', () => {
    assert.equal(analyzeXmlText(text('local-stats.xml'), 'C:\\Program Files\\Cisco\\AMP\\local.xml').role, 'local.xml');
    assert.equal(analyzeXmlText(text('local-stats.xml'), 'bundle/local.old').role, 'local.xml');
    assert.equal(analyzeXmlText(text('policy-custom.xml'), 'bundle/Policy.xml').role, 'policy.xml');
  });

  it('role by content otherwise', () => {
    const l = analyzeXmlText(text('local-stats.xml'), 'copy-of-state.xml');
    assert.equal(l.role, 'local.xml');
    assert.equal(l.model?.kind, 'local.xml');
    assert.deepEqual(ids(l.findings), ['tetra.proxy-connect']);
    assert.equal(l.findings[0]!.evidence[0]!.file, 'copy-of-state.xml');
    assert.equal(analyzeXmlText(text('policy.xml'), 'exported.xml').role, 'policy.xml');
    assert.equal(analyzeXmlText(text('policy-custom.xml'), 'exported.xml').role, 'policy.xml'); // bare config with janus/policy
    assert.equal(analyzeXmlText('<config><agent><uuid>x</uuid></agent></config>', 'a.xml').role, 'local.xml');
    assert.equal(analyzeXmlText('<config><janus><business><uuid>x</uuid></business></janus></config>', 'a.xml').role, 'local.xml');
    const other = analyzeXmlText('<project><name>x</name></project>', 'pom.xml');
    assert.equal(other.role, 'other');
    assert.equal(other.model, undefined);
    assert.deepEqual(other.findings, []);
    assert.equal(analyzeXmlText(`<Signature xmlns="${XMLDSIG_NS}"><SignedInfo/></Signature>`, 'sig.xml').role, 'other');
  });

  it('context fills the rules', () => {
    const r = analyzeXmlText(text('policy.xml'), 'Cisco/AMP/policy.xml', { revocationFailuresSeen: true, connectorVersion: '8.1.7.21417' });
    assert.equal(find(r.findings, 'policy.crl-check')?.severity, 'warning');
    assert.equal(find(r.findings, 'policy.crl-check')?.evidence[0]?.file, 'Cisco/AMP/policy.xml');
    assert.match(find(r.findings, 'log.debug-disabled')!.actions![0]!.command, /8\.1\.7\.21417\\sfc\.exe' -l start$/);
  });
});

describe('broken input', () => {
  it('truncated files give partial models and never throw', () => {
    for (const name of ['local-stats.xml', 'local-defversions.xml', 'policy.xml', 'policy-custom.xml']) {
      const full = text(name);
      for (let cut = 0; cut <= full.length; cut += 37) {
        const r = analyzeXmlText(full.slice(0, cut), name.startsWith('local') ? 'local.xml' : 'policy.xml');
        assert.ok(r.role === 'local.xml' || r.role === 'policy.xml', name);
        assert.ok(Array.isArray(r.findings));
        if (r.model?.kind === 'policy.xml') assert.ok(!json(r.model, true).includes('S3cret'));
      }
    }
    const half = text('policy.xml').slice(0, text('policy.xml').indexOf('<proxy>'));
    const r = analyzeXmlText(half, 'policy.xml');
    assert.ok(r.doc.problems.some((p) => p.id === 'xml.truncated'));
    const m = r.model as PolicyXmlModel;
    assert.equal(m.signed, true);
    assert.equal(m.tetraUpdateServer?.value, 'tetra-defs.amp.cisco.com');
    assert.equal(m.proxy.server, undefined);
    assert.deepEqual(ids(r.findings), ['log.debug-disabled']);
    const l = analyzeXmlText(text('local-stats.xml').slice(0, text('local-stats.xml').indexOf('<janus>')), 'local.xml');
    assert.equal((l.model as LocalXmlModel).tetraLastError?.value, 4294965193);
    assert.equal((l.model as LocalXmlModel).businessGuid, undefined);
  });

  it('garbage gives empty models', () => {
    for (const garbage of ['', 'not xml at all', '\u0000\u0001\u0002PK\u0003\u0004', '<<<>>>', '<config><agent><uuid>', '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><config><agent><uuid>&e;</uuid></agent></config>']) {
      const l = analyzeXmlText(garbage, 'local.xml');
      assert.equal(l.role, 'local.xml');
      assert.ok(l.model);
      assert.deepEqual((l.model as LocalXmlModel).installSwitches, []);
      const p = analyzeXmlText(garbage, 'policy.xml');
      assert.equal((p.model as PolicyXmlModel).signed, false);
      assert.deepEqual(p.findings, []);
      if (!garbage.includes('<config')) assert.equal(analyzeXmlText(garbage, 'notes.txt').role, 'other');
    }
  });
});
