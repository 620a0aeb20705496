/**
 * What the settings of `local.xml` and `policy.xml` mean, as data (like the code tables): one
 * entry per element the models read, plus the sections that hold them (for hover on section
 * names). English text, each entry with its source; the renderer translates it. `settingAt`
 * finds the entry for an element and decodes its value into structured form.
 */
import { CONNECTOR_VERSION_PATHS, parseDefVersion, parseInteger, parseStatus, tetraVersionFromStatsJson } from './local';
import { decodeProcessMask, parseBoolean, parseExclusion, USER_TETRA_UPDATE_PATHS } from './policy';
import type { DecodedSetting, SettingEntry, SettingInfo, XmlElement } from './types';

/** Agent log level that turns debug logging on (0x7FFFFFFFFF, BRIEF §2.2 and §2.4). */
export const DEBUG_LOG_LEVEL = 549755813887;

const B23 = 'BRIEF §2.3';
const B24 = 'BRIEF §2.4 (paths from the public tools)';
const UNCONFIRMED = 'unconfirmed';

const VERSION_ENTRIES: SettingEntry[] = CONNECTOR_VERSION_PATHS.map((path) => ({
  id: `local${path.replace(/^\/config/, '').replace(/\//g, '.')}`,
  file: 'local.xml',
  path,
  summary: 'Connector version, if this element records it.',
  meaning: 'Not a confirmed location of the connector version: read only when the value has the shape of a version (8.1.7.21417).',
  next: 'Confirm against the version folder name in the bundle (C:\\Program Files\\Cisco\\AMP\\<version>) or the console\u2019s Connector Version.',
  decode: 'text',
  source: UNCONFIRMED,
}));

const USER_UPDATE_ENTRIES: SettingEntry[] = USER_TETRA_UPDATE_PATHS.map((path) => ({
  id: `policy.${path.replace(/\//g, '.')}`,
  file: 'policy.xml',
  path,
  summary: 'Possibly the policy option \u201cAllow user to update TETRA definitions\u201d.',
  meaning: 'When on, the client\u2019s \u201cUpdate Now\u201d button can trigger a TETRA update (Advanced Settings > Client User Interface). The element name is not confirmed.',
  next: 'To force an update without it, run sfc.exe -forceupdate (connector 7.2.7 and later) in the version folder.',
  decode: 'boolean',
  source: `${UNCONFIRMED} (BRIEF §2.4: under ui/; option from seeds 000/002, BRIEF §4.1 step 3)`,
}));

export const SETTINGS: readonly SettingEntry[] = [
  // ---- local.xml (BRIEF §2.3) ----
  { id: 'local.config', file: 'local.xml', path: '/config', summary: 'Connector state (local.xml): identity, engine state and install switches.', meaning: 'Written by the connector itself; it is not the policy.', decode: 'text', source: B23 },
  { id: 'local.agent', file: 'local.xml', path: '/config/agent', summary: 'Connector identity and engine state.', decode: 'text', source: B23 },
  {
    id: 'local.agent.uuid',
    file: 'local.xml',
    path: '/config/agent/uuid',
    summary: 'Connector GUID: this endpoint\u2019s identity in the console.',
    next: 'Search the console (Management > Computers) for this GUID to see the endpoint\u2019s details and events.',
    decode: 'text',
    source: B23,
  },
  { id: 'local.janus.business', file: 'local.xml', path: '/config/janus/business', summary: 'The organisation (business) the connector belongs to.', decode: 'text', source: B23 },
  {
    id: 'local.janus.business.uuid',
    file: 'local.xml',
    path: '/config/janus/business/uuid',
    summary: 'Organisation (business) GUID.',
    meaning: 'Identifies the customer\u2019s Secure Endpoint organisation; not the endpoint.',
    decode: 'text',
    source: B23,
  },
  ...VERSION_ENTRIES,
  { id: 'local.agent.engine', file: 'local.xml', path: '/config/agent/engine', summary: 'Engine state kept by the connector.', decode: 'text', source: B23 },
  { id: 'local.agent.engine.tetra', file: 'local.xml', path: '/config/agent/engine/tetra', summary: 'TETRA engine state (older connectors keep the definition version here).', decode: 'text', source: B23 },
  {
    id: 'local.agent.engine.stats.definitions',
    file: 'local.xml',
    path: '/config/agent/engine/stats/definitions',
    summary: 'Engine definition versions (JSON), on newer connectors.',
    meaning: 'The TETRA entry\u2019s defVersion is "<x>:<N>"; N is the TETRA definition version the endpoint has.',
    next: 'Compare N with the console\u2019s AV Definition Summary: Cisco releases about four TETRA updates a day.',
    decode: 'tetra-version',
    source: B23,
  },
  {
    id: 'local.agent.engine.tetra.defversions',
    file: 'local.xml',
    path: '/config/agent/engine/tetra/defversions',
    summary: 'TETRA definition version, on older connectors ("<x>:<N>").',
    meaning: 'N is the TETRA definition version the endpoint has.',
    next: 'Compare N with the console\u2019s AV Definition Summary: Cisco releases about four TETRA updates a day.',
    decode: 'tetra-version',
    source: B23,
  },
  {
    id: 'local.tetra.lasterror',
    file: 'local.xml',
    path: '//tetra/lasterror',
    summary: 'Result of the last TETRA definition update (0: no error).',
    meaning: 'Written as an unsigned 32-bit status: 4294965193 is -2103 (could not connect to the proxy), 4294965196 is -2100 (proxy authentication), 4294965187 is -2109 (download through the proxy failed), 4294964296 is -3000 (unknown error, often a TLS handshake failure).',
    next: 'Read it on the endpoint with (Select-Xml -Path local.xml -XPath \'//tetra/lasterror\').Node.InnerText in the AMP folder; check the proxy settings in the policy.',
    decode: 'code',
    source: 'BRIEF §2.3, §3.1; seeds 000/002',
  },
  {
    id: 'local.lastsuccesstime',
    file: 'local.xml',
    path: '//lastsuccesstime',
    summary: 'Time of the last successful update (epoch seconds).',
    meaning: 'The unit is read from the value\u2019s shape; an old time with a non-zero lasterror means updates have been failing since then.',
    decode: 'epoch',
    source: `${B23}; unit by shape (unconfirmed)`,
  },
  { id: 'local.install', file: 'local.xml', path: '/config/install', summary: 'How the connector was installed.', decode: 'text', source: B23 },
  { id: 'local.install.switches', file: 'local.xml', path: '/config/install/switches', summary: 'Switches the installer was run with.', decode: 'text', source: B23 },
  {
    id: 'local.install.switches.skiptetra',
    file: 'local.xml',
    path: '/config/install/switches/skiptetra',
    summary: 'Installer switch skiptetra: install without the TETRA engine.',
    meaning: 'When set, the endpoint has no TETRA engine, so it gets no TETRA definitions whatever the policy says.',
    next: 'If TETRA is expected, reinstall without the skiptetra switch.',
    decode: 'text',
    source: `${B23} (switch name; value format unconfirmed)`,
  },
  {
    id: 'local.install.switches.overridepolicy',
    file: 'local.xml',
    path: '/config/install/switches/overridepolicy',
    summary: 'Installer switch overridepolicy.',
    meaning: 'Installed with a policy given at install time instead of the one downloaded with the installer.',
    decode: 'text',
    source: `${B23} (switch name; meaning unconfirmed)`,
  },
  { id: 'local.install.switches.other', file: 'local.xml', path: '/config/install/switches/*', summary: 'An installer switch the connector was installed with.', decode: 'text', source: B23 },

  // ---- policy.xml (BRIEF §2.4), paths under Signature/Object/config ----
  {
    id: 'policy.signature',
    file: 'policy.xml',
    path: '/Signature',
    summary: 'XML signature around the policy (xmldsig).',
    meaning: 'The policy sits under Signature/Object/config; the connector checks the signature, so an edited policy.xml is not used.',
    next: 'Change settings in the console policy, not in this file.',
    decode: 'text',
    source: 'BRIEF §2.4',
  },
  { id: 'policy.signature.value', file: 'policy.xml', path: '/Signature/SignatureValue', summary: 'The policy\u2019s signature value.', decode: 'text', source: 'BRIEF §2.4' },
  { id: 'policy.signature.signedinfo', file: 'policy.xml', path: '/Signature/SignedInfo', summary: 'What the signature covers and how it was made.', decode: 'text', source: 'BRIEF §2.4' },
  { id: 'policy.config', file: 'policy.xml', path: '/Signature/Object/config', summary: 'The policy pushed to the connector.', decode: 'text', source: 'BRIEF §2.4' },
  { id: 'policy.janus.policy', file: 'policy.xml', path: 'janus/policy', summary: 'Which policy this is: GUID, name, serial number, last change.', next: 'Find the policy by name in the console (Management > Policies) to read or change it.', decode: 'text', source: B24 },
  { id: 'policy.janus.policy.uuid', file: 'policy.xml', path: 'janus/policy/uuid', summary: 'Policy GUID.', decode: 'text', source: B24 },
  { id: 'policy.janus.policy.name', file: 'policy.xml', path: 'janus/policy/name', summary: 'Policy name, as in the console.', decode: 'text', source: B24 },
  {
    id: 'policy.janus.policy.serial_number',
    file: 'policy.xml',
    path: 'janus/policy/serial_number',
    summary: 'Policy serial number: grows with each change of the policy.',
    next: 'Compare with the serial the console shows for the policy: a lower number here means the endpoint has not received the latest policy.',
    decode: 'text',
    source: B24,
  },
  { id: 'policy.janus.policy.updated', file: 'policy.xml', path: 'janus/policy/updated', summary: 'When the policy was last changed (epoch seconds).', decode: 'epoch', source: `${B24}; unit by shape (unconfirmed)` },

  { id: 'policy.agent.scansettings.tetra', file: 'policy.xml', path: 'agent/scansettings/tetra', summary: 'TETRA: the Windows antivirus engine and its definition updates.', decode: 'text', source: B24 },
  {
    id: 'policy.agent.scansettings.tetra.enable',
    file: 'policy.xml',
    path: 'agent/scansettings/tetra/enable',
    summary: 'TETRA engine on or off.',
    meaning: 'Off: the endpoint does not use TETRA, and TETRA definition failures do not matter.',
    decode: 'boolean',
    source: B24,
  },
  { id: 'policy.agent.scansettings.tetra.updater', file: 'policy.xml', path: 'agent/scansettings/tetra/updater', summary: 'TETRA definition updates: on/off, server, interval.', decode: 'text', source: B24 },
  {
    id: 'policy.agent.scansettings.tetra.updater.enable',
    file: 'policy.xml',
    path: 'agent/scansettings/tetra/updater/enable',
    summary: 'Automatic TETRA definition updates on or off.',
    meaning: 'Off: the definitions stay at the version the endpoint has, and the console reports them out of date.',
    next: 'Turn on TETRA definition updates in the policy, then let the connector pick up the policy.',
    decode: 'boolean',
    source: B24,
  },
  {
    id: 'policy.agent.scansettings.tetra.updater.server',
    file: 'policy.xml',
    path: 'agent/scansettings/tetra/updater/server',
    summary: 'TETRA definition update server.',
    meaning: 'tetra-defs.amp.cisco.com in the public NAM cloud (tetra-defs.eu.amp.cisco.com, tetra-defs.apjc.amp.cisco.com in other regions); any other host is a local update server.',
    next: 'From the endpoint: Resolve-DnsName -Name <server> must return A records, curl.exe -v https://<server> must end in HTTP/1.1 200 OK.',
    decode: 'host',
    source: 'BRIEF §2.4, §4.1 steps 4-6',
  },
  {
    id: 'policy.agent.scansettings.tetra.updater.interval',
    file: 'policy.xml',
    path: 'agent/scansettings/tetra/updater/interval',
    summary: 'How often the connector checks for TETRA definitions.',
    meaning: 'Debug logging and packet captures should cover at least one such interval.',
    decode: 'interval',
    source: `${B24}; BRIEF §4.1 step 9; unit unconfirmed`,
  },
  { id: 'policy.updater', file: 'policy.xml', path: 'updater', summary: 'Connector (product) updates: server, interval and window.', decode: 'text', source: B24 },
  { id: 'policy.updater.server', file: 'policy.xml', path: 'updater/server', summary: 'Connector (product) update server.', decode: 'host', source: B24 },
  { id: 'policy.updater.interval', file: 'policy.xml', path: 'updater/interval', summary: 'How often the connector checks for a new connector version.', decode: 'interval', source: `${B24}; unit unconfirmed` },
  { id: 'policy.updater.window_start', file: 'policy.xml', path: 'updater/window_start', summary: 'Start of the connector update window.', decode: 'text', source: `${B24}; format unconfirmed` },
  { id: 'policy.updater.window_end', file: 'policy.xml', path: 'updater/window_end', summary: 'End of the connector update window.', decode: 'text', source: `${B24}; format unconfirmed` },
  { id: 'policy.updater.block_reboot', file: 'policy.xml', path: 'updater/block_reboot', summary: 'Whether a connector update may not reboot the endpoint.', decode: 'boolean', source: B24 },

  {
    id: 'policy.proxy',
    file: 'policy.xml',
    path: 'proxy',
    summary: 'Proxy the connector uses for the cloud and for updates.',
    meaning: 'A TETRA lasterror of -2103, -2100 or -2109 points here: proxy unreachable, authentication refused, download through the proxy failed.',
    next: 'Check that the proxy is reachable from the endpoint and does not decrypt the connector\u2019s traffic.',
    decode: 'text',
    source: 'BRIEF §2.4, §3.1',
  },
  { id: 'policy.proxy.type', file: 'policy.xml', path: 'proxy/type', summary: 'Proxy type (numeric; the meaning of each value is not confirmed).', decode: 'text', source: `${B24}; values unconfirmed` },
  { id: 'policy.proxy.server', file: 'policy.xml', path: 'proxy/server', summary: 'Proxy host name or address.', next: 'Check that the endpoint can reach it (Test-NetConnection <host> -Port <port>).', decode: 'host', source: B24 },
  { id: 'policy.proxy.port', file: 'policy.xml', path: 'proxy/port', summary: 'Proxy port.', decode: 'text', source: B24 },
  { id: 'policy.proxy.authtype', file: 'policy.xml', path: 'proxy/authtype', summary: 'Proxy authentication type (numeric; the meaning of each value is not confirmed).', meaning: 'A TETRA lasterror of -2100 (4294965196) means the proxy refused the credentials.', decode: 'text', source: `${B24}; values unconfirmed` },
  { id: 'policy.proxy.username', file: 'policy.xml', path: 'proxy/username', summary: 'Proxy user name.', decode: 'text', source: B24 },
  {
    id: 'policy.proxy.password',
    file: 'policy.xml',
    path: 'proxy/password',
    summary: 'Proxy password (never shown).',
    meaning: 'A TETRA lasterror of -2100 (4294965196) means the proxy refused the credentials.',
    next: 'Check the credentials in the console policy; do not copy this value into a case.',
    decode: 'secret',
    secret: true,
    source: 'BRIEF §2.4',
  },
  { id: 'policy.proxy.pacloc', file: 'policy.xml', path: 'proxy/pacloc', summary: 'Proxy auto-config (PAC) file location.', meaning: 'WinHTTP errors 12166, 12178 and 12180 are proxy auto-config problems.', decode: 'text', source: 'BRIEF §2.4, §3.4' },
  { id: 'policy.proxy.nolocalresolvehost', file: 'policy.xml', path: 'proxy/nolocalresolvehost', summary: 'Let the proxy resolve host names instead of the endpoint.', decode: 'boolean', source: `${B24}; meaning from the name (unconfirmed)` },

  { id: 'policy.conn.ssl', file: 'policy.xml', path: 'conn/ssl', summary: 'How the connector checks the servers\u2019 TLS certificates.', decode: 'text', source: B24 },
  {
    id: 'policy.conn.ssl.verifyhost',
    file: 'policy.xml',
    path: 'conn/ssl/verifyhost',
    summary: 'Check that the server certificate names the host.',
    meaning: 'Off: the connector accepts a certificate for another name, as a TLS-inspecting proxy might present.',
    decode: 'boolean',
    source: `${B24}; BRIEF §3.4`,
  },
  {
    id: 'policy.conn.ssl.verifypeer',
    file: 'policy.xml',
    path: 'conn/ssl/verifypeer',
    summary: 'Check the server certificate\u2019s chain of trust.',
    meaning: 'Off: the connector accepts an untrusted certificate, such as one from a TLS-inspecting proxy; Cisco says its traffic must not be decrypted.',
    decode: 'boolean',
    source: `${B24}; BRIEF §3.4`,
  },
  {
    id: 'policy.conn.ssl.crlc',
    file: 'policy.xml',
    path: 'conn/ssl/crlc',
    summary: 'Certificate revocation (CRL) checking.',
    meaning: 'On: the endpoint must reach the CRL/OCSP servers (such as commercial.ocsp.identrust.com, validation.identrust.com); when it cannot, TLS fails with 0x80092013 (CRYPT_E_REVOCATION_OFFLINE).',
    next: 'If 0x80092013 appears, allow the CRL/OCSP hosts through the firewall and proxy, then retry curl.exe -v https://<update server>.',
    decode: 'boolean',
    source: 'BRIEF §2.4, §3.4, §4.1 step 6',
  },

  { id: 'policy.agent.endpointisolation', file: 'policy.xml', path: 'agent/endpointisolation', summary: 'Endpoint Isolation settings.', meaning: 'Isolation blocks all traffic except the connector\u2019s cloud link (Windows connector 7.0.5+).', decode: 'text', source: 'BRIEF §2.4, §4.2' },
  { id: 'policy.agent.endpointisolation.enable', file: 'policy.xml', path: 'agent/endpointisolation/enable', summary: 'Endpoint Isolation allowed by the policy.', decode: 'boolean', source: B24 },
  { id: 'policy.agent.endpointisolation.allowproxy', file: 'policy.xml', path: 'agent/endpointisolation/allowproxy', summary: 'Let an isolated endpoint use the proxy.', meaning: 'Off with a proxy in the policy: an isolated endpoint may lose its cloud link.', decode: 'boolean', source: B24 },

  { id: 'policy.agent.log', file: 'policy.xml', path: 'agent/log', summary: 'Connector logging.', decode: 'text', source: B24 },
  {
    id: 'policy.agent.log.level',
    file: 'policy.xml',
    path: 'agent/log/level',
    summary: 'Connector log level (549755813887 = debug).',
    meaning: 'Most useful sfc.exe.log lines, TETRA update details included, appear only with debug logging.',
    next: 'Run sfc.exe -l start in the version folder for one update interval (it switches off at the next policy update; sfc.exe -l stop ends it).',
    decode: 'log-level',
    source: 'BRIEF §2.2, §2.4',
  },
  { id: 'policy.agent.log.showcmdline', file: 'policy.xml', path: 'agent/log/showcmdline', summary: 'Log process command lines.', decode: 'boolean', source: B24 },
  { id: 'policy.ui.log.level', file: 'policy.xml', path: 'ui/log/level', summary: 'Client user interface log level (549755813887 = debug).', decode: 'log-level', source: B24 },
  { id: 'policy.ui', file: 'policy.xml', path: 'ui', summary: 'Client user interface settings.', meaning: 'The option \u201cAllow user to update TETRA definitions\u201d is here (element name unconfirmed).', decode: 'text', source: 'BRIEF §2.4' },
  ...USER_UPDATE_ENTRIES,

  { id: 'policy.agent.scansettings', file: 'policy.xml', path: 'agent/scansettings', summary: 'Scanning engines.', decode: 'text', source: B24 },
  { id: 'policy.agent.scansettings.spero.enable', file: 'policy.xml', path: 'agent/scansettings/spero/enable', summary: 'SPERO (machine-learning cloud lookups) on or off.', decode: 'boolean', source: B24 },
  { id: 'policy.agent.scansettings.ethos.enable', file: 'policy.xml', path: 'agent/scansettings/ethos/enable', summary: 'ETHOS (fuzzy fingerprinting) on or off.', decode: 'boolean', source: B24 },
  { id: 'policy.agent.scansettings.clamav.enable', file: 'policy.xml', path: 'agent/scansettings/clamav/enable', summary: 'ClamAV engine on or off.', decode: 'boolean', source: B24 },
  { id: 'policy.agent.exprev.enable', file: 'policy.xml', path: 'agent/exprev/enable', summary: 'Exploit Prevention on or off.', decode: 'boolean', source: B24 },
  { id: 'policy.agent.nfm', file: 'policy.xml', path: 'agent/nfm', summary: 'Network File Monitoring: network flows and their processes.', decode: 'text', source: B24 },
  { id: 'policy.agent.nfm.enable', file: 'policy.xml', path: 'agent/nfm/enable', summary: 'Network File Monitoring on or off.', decode: 'boolean', source: B24 },
  { id: 'policy.agent.nfm.settings.mode', file: 'policy.xml', path: 'agent/nfm/settings/mode', summary: 'Network File Monitoring mode: 0 audit, 1 passive, 2 active.', decode: 'nfm-mode', source: B24 },
  {
    id: 'policy.agent.hb.interval',
    file: 'policy.xml',
    path: 'agent/hb/interval',
    summary: 'Heartbeat interval: how often the connector checks in with the cloud.',
    meaning: 'The console\u2019s "Last Seen" should not be much older than this.',
    decode: 'interval',
    source: `${B24}; BRIEF §4.1 step 1; unit unconfirmed`,
  },

  { id: 'policy.exclusions', file: 'policy.xml', path: 'exclusions', summary: 'Exclusions: what the connector does not scan or monitor.', meaning: 'A wildcard at the start of an exclusion is a known performance risk.', decode: 'text', source: 'BRIEF §2.4, §4.3' },
  { id: 'policy.exclusions.info', file: 'policy.xml', path: 'exclusions/info', summary: 'Path, file and threat exclusions (pipe-separated; the last field is the value).', decode: 'text', source: B24 },
  { id: 'policy.exclusions.process', file: 'policy.xml', path: 'exclusions/process', summary: 'Process exclusions (pipe-separated: process path, then a mask of the engines it applies to).', decode: 'text', source: B24 },
  {
    id: 'policy.exclusions.info.item',
    file: 'policy.xml',
    path: 'exclusions/info/item',
    summary: 'An exclusion (pipe-separated; the last field is the excluded value).',
    meaning: 'A value that starts with a wildcard (* or .*) must be tried against every path: a known performance risk.',
    next: 'Anchor wildcard exclusions with a folder prefix (C:\\Folder\\*) where possible.',
    decode: 'exclusion',
    source: 'BRIEF §2.4, §4.3',
  },
  {
    id: 'policy.exclusions.process.item',
    file: 'policy.xml',
    path: 'exclusions/process/item',
    summary: 'A process exclusion (third-last field: the process path; second-last: the mask).',
    meaning: 'Mask: 0 file scan, 1 file scan + child processes, 4 System Process Protection, 12 SPP + child processes, 16 Malicious Activity Protection, 48 MAP + child processes.',
    decode: 'exclusion',
    source: 'BRIEF §2.4',
  },
];

/** Where the policy's `config` is, canonically (a bare `config` root maps here too). */
export const POLICY_CONFIG_PATH = '/Signature/Object/config';

/**
 * The element's path relative to the policy's `config` (`agent/log/level`, from
 * `Signature/Object/config` or a bare `config` root); `config` itself is `POLICY_CONFIG_PATH`;
 * elements outside it keep their absolute path (`/Signature/SignatureValue`).
 */
export function policyRelativePath(element: XmlElement): string {
  const m = /^\/(?:Signature\/Object\/)?config(?:\/(.*))?$/.exec(element.path);
  if (!m) return element.path;
  return m[1] === undefined ? POLICY_CONFIG_PATH : m[1];
}

/** How specifically an entry's path matches: 3 exact, 2 with `*`, 1 anywhere (`//`), 0 not at all. */
function matchScore(entryPath: string, file: 'local.xml' | 'policy.xml', element: XmlElement): number {
  const target = file === 'policy.xml' ? policyRelativePath(element) : element.path;
  if (file === 'policy.xml' && !entryPath.startsWith('/') && target.startsWith('/')) return 0;
  if (entryPath.startsWith('//')) return target.endsWith(entryPath.slice(1)) ? 1 : 0;
  const want = entryPath.split('/');
  const have = target.split('/');
  if (want.length !== have.length) return 0;
  let wild = false;
  for (let i = 0; i < want.length; i++) {
    if (want[i] === '*') wild = true;
    else if (want[i] !== have[i]) return 0;
  }
  return wild ? 2 : 3;
}

/** The knowledge entry of an element, the most specific match first. */
export function settingEntryAt(file: 'local.xml' | 'policy.xml', element: XmlElement): SettingEntry | undefined {
  let best: SettingEntry | undefined;
  let bestScore = 0;
  for (const e of SETTINGS) {
    if (e.file !== file) continue;
    const s = matchScore(e.path, file, element);
    if (s > bestScore) {
      best = e;
      bestScore = s;
    }
  }
  return best;
}

/**
 * Epoch seconds → ISO. Values of 10^11 and more are read as milliseconds (in seconds they would be
 * after the year 5000); 0 and negatives decode to nothing (0 is "never", not 1970).
 */
export function decodeEpoch(n: number): DecodedSetting | undefined {
  if (!Number.isSafeInteger(n) || n <= 0) return undefined;
  const seconds = n >= 1e11 ? Math.floor(n / 1000) : n;
  const d = new Date(seconds * 1000);
  return Number.isNaN(d.getTime()) ? undefined : { kind: 'epoch', seconds, iso: d.toISOString().replace('.000Z', 'Z') };
}

/** Host of a server setting: a bare name, `host:port` or a URL (user info never kept). */
export function hostOf(text: string): string | undefined {
  let t = text.trim().toLowerCase();
  if (!t) return undefined;
  t = t.replace(/^[a-z][a-z0-9+.-]*:\/\//, '');
  t = t.split(/[/?#]/)[0]!;
  const at = t.lastIndexOf('@');
  if (at >= 0) t = t.slice(at + 1);
  if (t.startsWith('[')) {
    const close = t.indexOf(']');
    return close > 0 ? t.slice(0, close + 1) : undefined;
  }
  t = t.replace(/:\d*$/, '').replace(/\.$/, '');
  return /^[a-z0-9_.-]{1,253}$/.test(t) ? t : undefined;
}

/** A Cisco host (`*.cisco.com`, which covers `*.amp.cisco.com`). */
export function isCiscoHost(host: string): boolean {
  return host === 'cisco.com' || host.endsWith('.cisco.com');
}

export const NFM_MODES: Readonly<Record<number, 'audit' | 'passive' | 'active'>> = { 0: 'audit', 1: 'passive', 2: 'active' };

/** Decodes an element's value by an entry's kind; undefined when the value does not have that shape. */
export function decodeSetting(entry: SettingEntry, element: XmlElement): DecodedSetting | undefined {
  const raw = element.text;
  const t = raw.trim();
  if (entry.decode === 'secret') return { kind: 'secret', length: t.length };
  if (element.children.length > 0 && !t) return undefined; // a section
  switch (entry.decode) {
    case 'boolean': {
      const value = parseBoolean(t);
      return value === undefined ? undefined : { kind: 'boolean', value };
    }
    case 'log-level': {
      const value = parseInteger(t);
      return value === undefined ? undefined : { kind: 'log-level', value, debug: value === DEBUG_LOG_LEVEL };
    }
    case 'interval': {
      const seconds = parseInteger(t);
      // No source gives the unit of these intervals: seconds is the reading, not a fact.
      return seconds === undefined || seconds < 0 ? undefined : { kind: 'interval', seconds, unitConfirmed: false };
    }
    case 'epoch': {
      const n = parseInteger(t);
      return n === undefined ? undefined : decodeEpoch(n);
    }
    case 'code': {
      const value = parseStatus(t);
      return value === undefined ? undefined : { kind: 'code', value };
    }
    case 'host': {
      const host = hostOf(t);
      return host === undefined ? undefined : { kind: 'host', host, cisco: isCiscoHost(host) };
    }
    case 'nfm-mode': {
      const value = parseInteger(t);
      if (value === undefined) return undefined;
      const mode = NFM_MODES[value];
      return mode ? { kind: 'nfm-mode', value, mode } : { kind: 'nfm-mode', value };
    }
    case 'tetra-version': {
      const version = element.local === 'definitions' ? tetraVersionFromStatsJson(t) : parseDefVersion(t);
      return version === undefined ? undefined : { kind: 'tetra-version', version };
    }
    case 'exclusion':
      return t ? { kind: 'exclusion', exclusion: parseExclusion(element) } : undefined;
    case 'process-mask': {
      const mask = parseInteger(t);
      return mask === undefined || mask < 0 ? undefined : processMaskSetting(mask);
    }
    case 'text':
      return t ? { kind: 'text', value: t } : undefined;
    default:
      return undefined;
  }
}

/** A process exclusion mask as a decoded setting. */
export function processMaskSetting(mask: number): DecodedSetting {
  const d = decodeProcessMask(mask);
  return d.unknownBits !== undefined ? { kind: 'process-mask', mask, meaning: d.meaning, unknownBits: d.unknownBits } : { kind: 'process-mask', mask, meaning: d.meaning };
}

/** What an element of `local.xml` or `policy.xml` is, with its value decoded (for hover). */
export function settingAt(file: 'local.xml' | 'policy.xml', element: XmlElement): SettingInfo | undefined {
  const entry = settingEntryAt(file, element);
  if (!entry) return undefined;
  const info: SettingInfo = { id: entry.id, element, source: entry.source };
  const decoded = decodeSetting(entry, element);
  if (decoded) info.decoded = decoded;
  return info;
}
