/**
 * Words for the diagnoses of `core/diagnose` (BRIEF §4.1 TETRA, §4.2 isolation): the verdict's
 * title and summary, each step's title and message, what would settle a step without evidence,
 * the next steps' titles, and a Markdown section for the report. Every sentence goes through
 * `@vscode/l10n` with `{0}` placeholders so translations only add bundle files.
 *
 * Bundle text (file names, evidence lines, values in messages) never becomes Markdown or HTML:
 * messages are escaped (`escapeMd`), evidence lines sit in code spans longer than any backtick run
 * inside them, commands in fences longer than any inside them, and links only carry URIs the
 * caller made, percent-encoded.
 */
import { decimal } from './locale';
import * as l10n from '@vscode/l10n';
import type { Diagnosis, DiagnosisAction, DiagnosisStep, StepStatus } from '../core/diagnose/types';
import type { Evidence } from '../core/types';
import { codeBlock, codeSpan, escapeMd, platformName, tidySpacing, wordList } from './render';

type Args = Record<string, string | number>;

function str(v: string | number | undefined): string {
  // Fractions (hours, days) with the language's decimal mark; whole numbers (statuses, versions,
  // counts) exactly as they are.
  return v === undefined ? '' : typeof v === 'number' && !Number.isInteger(v) ? decimal(v) : String(v);
}

function num(v: string | number | undefined): number | undefined {
  if (v === undefined || v === '') return undefined;
  const n = Number(v);
  return Number.isFinite(n) ? n : undefined;
}

// ---------------------------------------------------------------------------------------------
// Shared words

function sourceName(source: string | number | undefined): string {
  switch (source) {
    case 'posture':
      return l10n.t('AmpCLI posture');
    case 'client':
      return l10n.t('the client\'s status');
    case 'console':
      return l10n.t('the console');
    case 'log':
      return l10n.t('the connector log');
    case 'local.xml':
      return 'local.xml';
    case 'registry':
      return l10n.t('the registry');
    case 'curl':
      return 'curl';
    case 'policy':
      return l10n.t('policy');
    default:
      return str(source);
  }
}

function regionName(region: string | number | undefined): string {
  switch (region) {
    case 'nam':
      return l10n.t('North America');
    case 'eu':
      return l10n.t('Europe');
    case 'apjc':
      return l10n.t('Asia Pacific, Japan and China');
    default:
      return str(region);
  }
}

function dnsErrorText(error: string | number | undefined): string {
  switch (error) {
    case 'name-error':
      return l10n.t('the name does not exist');
    case 'timeout':
      return l10n.t('the lookup timed out');
    case 'server-failure':
      return l10n.t('DNS server failure');
    case 'no-such-host':
      return l10n.t('no such host is known');
    case 'refused':
      return l10n.t('the query was refused');
    case 'no-address':
      return l10n.t('no A or AAAA record in the answer');
    default:
      return l10n.t('lookup failed');
  }
}

const ACCEPTED_SUITES = 'TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256';

// ---------------------------------------------------------------------------------------------
// Verdicts

/** The verdict as a short title. */
export function verdictTitle(d: Diagnosis<string>): string {
  if (d.playbook === 'isolation') {
    switch (d.verdict) {
      case 'not-isolated':
        return l10n.t('The endpoint is not isolated');
      case 'isolated':
        return l10n.t('The endpoint is isolated');
      case 'isolated-unlock-failing':
        return l10n.t('Isolated, and unlocking fails');
      case 'unlock-locked-out':
        return l10n.t('Isolated, and unlocking is locked for 30 minutes');
      case 'unsupported':
        return l10n.t('This connector cannot isolate the endpoint');
      default:
        return l10n.t('Nothing in the bundle decides it');
    }
  }
  const status = str(d.args['status']);
  switch (d.verdict) {
    case 'healthy':
      return l10n.t('TETRA definitions are up to date');
    case 'not-connected':
      return l10n.t('The connector is not connected to the cloud');
    case 'dns':
      return l10n.t('The update server\'s name does not resolve');
    case 'tls-revocation':
      return l10n.t('Certificate revocation cannot be checked (0x80092013)');
    case 'tls-cipher-mismatch':
      return l10n.t('No cipher suite in common with the TETRA server');
    case 'proxy-connect':
      return l10n.t('The connector cannot reach its proxy ({0})', status || '-2103');
    case 'proxy-auth':
      return l10n.t('The proxy rejects the connector\'s credentials ({0})', status || '-2100');
    case 'proxy-download':
      return l10n.t('The download through the proxy fails ({0})', status || '-2109');
    case 'network-timeout':
      return l10n.t('TETRA updates fail with -3000 (network timeout)');
    default:
      return l10n.t('No root cause in this bundle yet');
  }
}

/** A healthy verdict's note: failures the logs hold before the connector's last successful result. */
function earlierFailuresText(a: Args): string {
  const count = num(a['earlierFailures']);
  if (num(a['recovered']) !== 1 || count === undefined) return '';
  if (count === 1) {
    return ' ' + (a['earlierStatus'] !== undefined ? l10n.t('The logs show one failed update attempt earlier (status {0}); the connector\'s last result is a success, so it is history.', a['earlierStatus']) : l10n.t('The logs show one failed update attempt earlier; the connector\'s last result is a success, so it is history.'));
  }
  return (
    ' ' +
    (a['earlierStatus'] !== undefined
      ? l10n.t('The logs show {0} failed update attempts earlier (the last with status {1}); the connector\'s last result is a success, so they are history.', count, a['earlierStatus'])
      : l10n.t('The logs show {0} failed update attempts earlier; the connector\'s last result is a success, so they are history.', count))
  );
}

function recoveredText(a: Args): string {
  return num(a['recovered']) === 1 ? ' ' + l10n.t('A later update in the log succeeded: the failure is intermittent.') : '';
}

/** Where a TETRA status was read, for the proxy verdicts. */
function statusPlace(a: Args): string {
  switch (a['source']) {
    case 'log':
      return l10n.t('in the connector log');
    case 'local.xml':
      return l10n.t('in local.xml\'s lasterror');
    case 'curl':
      return l10n.t('in curl\'s test through the proxy');
    default:
      return '';
  }
}

function statusWithValue(a: Args): string {
  const status = num(a['status']);
  const value = num(a['value']);
  if (status === undefined) return '';
  return value !== undefined && value !== status ? l10n.t('status {0}, stored as {1}', status, value) : l10n.t('status {0}', status);
}

function proxyName(a: Args): string {
  return a['proxy'] !== undefined ? str(a['proxy']) : l10n.t('in the policy');
}

/** One or two sentences: what is wrong and why, with the decisive value. */
export function verdictSummary(d: Diagnosis<string>): string {
  return tidySpacing((d.playbook === 'isolation' ? isolationSummary(d) : tetraSummary(d)).replace(/[\r\n]+/g, ' '));
}

function tetraSummary(d: Diagnosis<string>): string {
  const a = d.args;
  const where = wordList([statusWithValue(a), statusPlace(a)].filter((x) => x));
  switch (d.verdict) {
    case 'healthy':
      return (
        (a['current'] !== undefined && a['newest'] !== undefined
          ? l10n.t('The endpoint has TETRA definitions {0} and the newest the console lists is {1}; no step of the playbook fails.', a['current'], a['newest'])
          : a['current'] !== undefined || a['version'] !== undefined
            ? l10n.t('The endpoint\'s TETRA definitions ({0}) are current and no step of the playbook fails.', str(a['current'] ?? a['version']))
            : l10n.t('The endpoint\'s TETRA definitions are current and no step of the playbook fails.')) + earlierFailuresText(a)
      );
    case 'not-connected': {
      const why =
        a['lastSeen'] !== undefined
          ? l10n.t('the console last saw it at {0}, {1} hours before the newest time in the bundle', a['lastSeen'], str(a['hoursSince']))
          : a['source'] === 'client'
            ? l10n.t('the client\'s status says {0}', str(a['status']))
            : l10n.t('AmpCLI posture says connected: false');
      return l10n.t('The connector is not talking to the cloud ({0}). Fix general connectivity first (the ConnectivityTool of the support tool shows what fails): no TETRA update can work until it is connected.', why);
    }
    case 'dns':
      return l10n.t('{0} does not resolve on the endpoint ({1}). Nothing that needs the name can work, so fix DNS first: TLS and proxy errors may only follow from it.', str(a['name']), dnsErrorText(a['error']));
    case 'proxy-connect':
      return l10n.t('The connector cannot open a connection to its proxy ({0}). Check that the proxy {1} is reachable from the endpoint (address, port, firewall).', where, proxyName(a)) + recoveredText(a);
    case 'proxy-auth':
      return l10n.t('The proxy rejects the connector\'s credentials ({0}). Check the proxy user name, password and authentication type in the policy.', where) + recoveredText(a);
    case 'proxy-download':
      return l10n.t('The connector reaches its proxy, but the definition download through it fails ({0}). The proxy\'s logs say why: the download blocked, or the TLS to Cisco decrypted.', where) + recoveredText(a);
    case 'tls-revocation':
      return (
        l10n.t('TLS to {0} fails with {1} (CRYPT_E_REVOCATION_OFFLINE): the endpoint cannot reach the CRL/OCSP servers that check the server\'s certificate. Allow commercial.ocsp.identrust.com and validation.identrust.com through the firewall and proxy.', str(a['host']), str(a['code'])) +
        (num(a['crlCheck']) === 1 ? ' ' + l10n.t('The policy turns CRL checking on.') : '')
      );
    case 'tls-cipher-mismatch': {
      const how =
        a['source'] === 'get-tlsciphersuite'
          ? l10n.t('Get-TlsCipherSuite lists {0} suites, none of them one the server accepts', str(a['offered']))
          : a['source'] === 'client-hello'
            ? l10n.t('the Client Hello offers {0} suites, none of them one the server accepts', str(a['offered']))
            : a['source'] === 'schannel-event'
              ? l10n.t('Schannel event {0} reports fatal alert {1}; the event names no server, so confirm with Get-TlsCipherSuite', str(a['eventId']), str(a['alert']))
              : l10n.t('the server ends the handshake with alert {0}', str(a['alert']));
      return l10n.t('The endpoint offers none of the four cipher suites the TETRA server accepts ({0}), so the server ends the handshake with Handshake Failure. Set the Group Policy "SSL Cipher Suite Order" to Not Configured (or add the suites), reboot and retry the update.', how);
    }
    case 'network-timeout':
      return l10n.t(
        'TETRA updates fail with status -3000 (Unknown_Error; the console says "network timeout"), seen in {0}, and nothing in the bundle explains it yet. Its known cause is a cipher-suite mismatch: list the endpoint\'s suites and capture an update attempt.',
        sourceName(a['source']),
      );
    default: {
      const failing = d.steps.find((s) => s.id === a['failingStep']);
      if (failing) return l10n.t('No documented root cause matches yet. "{0}" fails: {1} The steps without evidence say what to collect next.', stepTitle(failing.id), stepMessage(failing));
      if (a['status'] !== undefined) return l10n.t('The connector reports status {0}, which has no documented meaning. Collect what the steps below name to find where the update fails.', a['status']);
      if (a['suspect'] === 'schannel') {
        return l10n.t('Schannel event {0} reports fatal alert {1}, the way a cipher-suite mismatch shows, but the event names no server and no -3000 from the connector ties it to the TETRA update. List the endpoint\'s cipher suites (Get-TlsCipherSuite) to decide, and collect what the other steps name.', str(a['eventId']), str(a['alert']));
      }
      return l10n.t('Nothing in the bundle decides the TETRA playbook. Collect what each step below names (DNS, curl -v, local.xml, the cipher suites, a debug log).');
    }
  }
}

function isolationSummary(d: Diagnosis<string>): string {
  const a = d.args;
  switch (d.verdict) {
    case 'not-isolated':
      return (
        (a['time'] !== undefined ? l10n.t('The endpoint is not isolated ({0} says so, at {1}).', sourceName(a['source']), a['time']) : l10n.t('The endpoint is not isolated ({0} says so).', sourceName(a['source']))) +
        (a['conflict'] === 'registry'
          ? ' ' + l10n.t('A registry export without a date still holds unlock_code: it was most likely taken while the endpoint was isolated. If it was taken later, the endpoint itself is still isolated: query the key again to confirm.')
          : a['conflict'] !== undefined
            ? ' ' + l10n.t('{0} says otherwise; confirm on the endpoint.', sourceName(a['conflict']))
            : '')
      );
    case 'isolated':
      return a['platform'] === 'macos'
        ? l10n.t('The endpoint is isolated ({0} says so). Stop Isolation in the console; if that fails, delete endpoint_isolation.xml and reload the connector daemon.', sourceName(a['source']))
        : a['platform'] === 'other'
          ? l10n.t('The endpoint is isolated ({0} says so). Stop Isolation in the console.', sourceName(a['source']))
          : l10n.t('The endpoint is isolated ({0} says so). Stop Isolation in the console; if the endpoint is offline, use the unlock code from the console or the Audit Log with sfc.exe -n in the version folder.', sourceName(a['source']));
    case 'isolated-unlock-failing': {
      const emergency = emergencyText(a);
      switch (a['reason']) {
        case 'access-denied':
          return l10n.t('Deleting unlock_code from the registry was denied: the connector service was still running. Stop it (Safe Boot if it cannot be stopped) and delete the value again.');
        case 'stop-failed':
          return l10n.t('The endpoint is isolated and stopping isolation failed (Isolation Stop Failure). Copy the unlock code again from the console; if it still fails, {0}.', emergency);
        case 'lock-expired':
          return l10n.t('{0} wrong unlock codes locked unlocking (Unlock Limit Reached) at {1}; that {2}-minute lock has expired by {3}, but the endpoint is still isolated. Copy the code again from the console and retry; if it still fails, {4}.', str(a['attempts'] ?? 5), str(a['since']), str(a['waitMinutes'] ?? 30), str(a['newest']), emergency);
        default:
          return l10n.t('The endpoint is isolated and its unlock code is rejected ({0} Invalid unlock code). Copy the code again from the console or the Audit Log; if it still fails, {1}.', str(a['code'] ?? 3240624137), emergency);
      }
    }
    case 'unlock-locked-out':
      return l10n.t('{0} wrong unlock codes locked unlocking (Unlock Limit Reached){1}: wait {2} minutes, copy the code again from the console and retry, or {3}.', str(a['attempts'] ?? 5), a['since'] !== undefined ? ' ' + l10n.t('at {0}', a['since']) : '', str(a['waitMinutes'] ?? 30), emergencyText(a));
    case 'unsupported':
      return a['architecture'] !== undefined
        ? l10n.t('Endpoint Isolation needs 64-bit Windows; this system is {0}.', a['architecture'])
        : l10n.t('{0} connector {1} cannot isolate the endpoint: Endpoint Isolation needs {2} or later. Upgrade the connector.', platformName(str(a['platform'])), str(a['version']), str(a['minimum']));
    default: {
      const state = d.steps.find((s) => s.id === 'isolation.state');
      if (state?.reason === 'conflict') {
        return l10n.t('The bundle disagrees with itself: {0} says the endpoint is isolated, but the client and the console show Not Isolated. Read the state on the endpoint again (the registry key, or the client\'s status) before any recovery.', sourceName(state.args['source']));
      }
      return l10n.t('Nothing in the bundle says whether the endpoint is isolated: add the registry query of Immunet Protect and the computer\'s isolation status from the console.');
    }
  }
}

/** The emergency recovery of the platform (BRIEF §4.2), as the end of a sentence. */
function emergencyText(a: Args): string {
  switch (a['platform']) {
    case 'macos':
      return l10n.t('delete endpoint_isolation.xml and reload the connector daemon');
    case 'other':
      return l10n.t('ask Cisco TAC for the platform\'s recovery');
    default:
      return l10n.t('recover through the registry (or jobs.db) with the connector service stopped');
  }
}

// ---------------------------------------------------------------------------------------------
// Steps

export function stepTitle(stepId: string): string {
  switch (stepId) {
    case 'tetra.connected':
      return l10n.t('Connected to the cloud');
    case 'tetra.definitions':
      return l10n.t('Definition version and age');
    case 'tetra.force-update':
      return l10n.t('Forcing an update');
    case 'tetra.update-server':
      return l10n.t('Update server');
    case 'tetra.dns':
      return l10n.t('DNS');
    case 'tetra.tls':
      return l10n.t('TLS and certificate revocation');
    case 'tetra.proxy':
      return l10n.t('Proxy');
    case 'tetra.cipher-suites':
      return l10n.t('Cipher suites');
    case 'tetra.collect':
      return l10n.t('What to collect next');
    case 'isolation.state':
      return l10n.t('Isolation state');
    case 'isolation.supported':
      return l10n.t('Connector supports isolation');
    case 'isolation.unlock-attempts':
      return l10n.t('Unlock attempts');
    case 'isolation.recovery':
      return l10n.t('Recovery path');
    case 'isolation.verify':
      return l10n.t('Verified not isolated');
    default:
      return stepId;
  }
}

export function stepStatusText(status: StepStatus): string {
  switch (status) {
    case 'pass':
      return l10n.t('OK');
    case 'fail':
      return l10n.t('Failed');
    case 'unknown':
      return l10n.t('No evidence');
  }
}

const STATUS_MARK: Readonly<Record<StepStatus, string>> = { pass: '✅', fail: '❌', unknown: '❔' };

/** What a step found, in words (by its id, status and reason). */
export function stepMessage(step: DiagnosisStep): string {
  const msg = step.id.startsWith('isolation.') ? isolationStepMessage(step) : tetraStepMessage(step);
  return tidySpacing(msg.replace(/[\r\n]+/g, ' '));
}

function tetraStepMessage(s: DiagnosisStep): string {
  const a = s.args;
  const key = `${s.id}:${s.reason ?? ''}`;
  switch (key) {
    // Step 1
    case 'tetra.connected:posture':
      return l10n.t('AmpCLI posture says the connector is connected to the cloud.') + staleConsoleText(a);
    case 'tetra.connected:client':
      return l10n.t('The client\'s status says {0}.', str(a['status'])) + staleConsoleText(a);
    case 'tetra.connected:console':
      return a['lastUpdated'] !== undefined
        ? l10n.t('The console last saw the endpoint at {0}; its definitions were last updated at {1}.', str(a['lastSeen']), str(a['lastUpdated']))
        : l10n.t('The console last saw the endpoint at {0}.', str(a['lastSeen']));
    case 'tetra.connected:console-lagging':
      return l10n.t('The console still sees the endpoint ({0}), but its definitions were last updated {1} hours earlier ({2}): the connector talks to the cloud, so this is an update problem, not general connectivity.', str(a['lastSeen']), str(a['gapHours']), str(a['lastUpdated']));
    case 'tetra.connected:log-updated':
      return l10n.t('The connector log shows a successful TETRA update (version {0}) at {1}: the endpoint reached the update server.', str(a['version']), str(a['time'])) + staleConsoleText(a);
    case 'tetra.connected:disconnected':
      return a['source'] === 'client'
        ? l10n.t('The client\'s status says {0}: the connector is not talking to the cloud.', str(a['status']))
        : l10n.t('AmpCLI posture says connected: false: the connector is not talking to the cloud.');
    case 'tetra.connected:not-seen':
      return l10n.t('The console last saw the endpoint at {0}, {1} hours before {2} (the newest time in the bundle): it has not checked in for more than {3} hours.', str(a['lastSeen']), str(a['hoursSince']), str(a['reference']), str(a['thresholdHours']));
    case 'tetra.connected:no-evidence':
      return (num(a['logs']) ?? 0) > 0
        ? (num(a['attempts']) ?? 0) > 1
          ? l10n.t('The connector log shows {0} update attempts and none succeeded, and no Last Seen or AmpCLI posture in the bundle says whether the connector talks to the cloud.', str(a['attempts']))
          : num(a['attempts']) === 1
          ? l10n.t('The connector log shows one update attempt, which failed, and no Last Seen or AmpCLI posture in the bundle says whether the connector talks to the cloud.')
          : l10n.t('The connector log holds no TETRA update attempt, and no Last Seen or AmpCLI posture in the bundle says whether the connector talks to the cloud.')
        : l10n.t('No Last Seen, AmpCLI posture or connector log in the bundle says whether the connector talks to the cloud.');
    // Step 2
    case 'tetra.definitions:missing':
      return l10n.t('The engine has no TETRA definitions (defs - 0, last successful update "never"; last error {0} at {1}): until an update succeeds there is no TETRA protection.', str(a['status']), str(a['time']));
    case 'tetra.definitions:behind':
      return l10n.t('The endpoint has version {0}, the console lists {1}: {2} versions behind, about {3} days at {4} releases a day.', str(a['current']), str(a['newest']), str(a['versionsBehind']), str(a['daysBehind']), str(a['perDay']));
    case 'tetra.definitions:console-gap':
      return l10n.t('The console saw the endpoint at {0}, but its definitions were last updated at {1}, {2} hours earlier.', str(a['lastSeen']), str(a['lastUpdated']), str(a['gapHours']));
    case 'tetra.definitions:console-failed': {
      const when = str(a['lastUpdated']) || l10n.t('unknown');
      const head =
        a['message'] === 'unreachable'
          ? l10n.t('The console reports the last update failed: "unable to reach the TETRA update server" (definitions last updated {0}).', when)
          : a['message'] === 'network-timeout'
            ? l10n.t('The console reports the last update failed "due to network timeout", how it shows status -3000 (definitions last updated {0}).', when)
            : l10n.t('The console reports the last definition update failed (definitions last updated {0}).', when);
      const versions =
        a['current'] !== undefined && a['newest'] !== undefined
          ? ' ' + l10n.t('The endpoint has version {0}; the console lists {1}.', a['current'], a['newest'])
          : a['current'] !== undefined
            ? ' ' + l10n.t('The endpoint has version {0}.', a['current'])
            : '';
      return head + versions;
    }
    case 'tetra.definitions:last-attempt-failed':
      return l10n.t('The last update attempt in the connector log failed with status {0} at {1}.', str(a['status']), str(a['time']));
    case 'tetra.definitions:current':
      return num(a['versionsBehind']) === 0
        ? l10n.t('Version {0} is the newest the console lists.', str(a['current']))
        : l10n.t('Version {0} is {1} behind the newest the console lists ({2}): within a day at about four releases a day.', str(a['current']), str(a['versionsBehind']), str(a['newest']));
    case 'tetra.definitions:console-up-to-date':
      return a['current'] !== undefined ? l10n.t('The console says Definitions Up To Date (version {0}).', a['current']) : l10n.t('The console says Definitions Up To Date.');
    case 'tetra.definitions:log-updated':
      return l10n.t('The last update attempt in the connector log succeeded (version {0}, at {1}).', str(a['version']), str(a['time']));
    case 'tetra.definitions:no-comparison':
      return l10n.t('The endpoint has version {0}, but the bundle has no AV Definition Summary to compare it with.', str(a['current']));
    case 'tetra.definitions:no-evidence':
      return l10n.t('The bundle does not say which TETRA definitions the endpoint has.');
    // Step 3
    case 'tetra.force-update:forceupdate':
      return l10n.t('Connector {0} accepts sfc.exe -forceupdate (from {1}): an update can be forced on the endpoint.', str(a['version']), str(a['since']));
    case 'tetra.force-update:forceupdate-only':
      return l10n.t('The policy does not let the user update TETRA definitions (Update Now does nothing), but connector {0} accepts sfc.exe -forceupdate (from {1}).', str(a['version']), str(a['since']));
    case 'tetra.force-update:no-way':
      return l10n.t('The policy does not let the user update TETRA definitions and connector {0} is older than {1} (no sfc.exe -forceupdate): an update cannot be forced. Turn on "Allow user to update TETRA definitions" (Advanced Settings > Client User Interface).', str(a['version']), str(a['since']));
    case 'tetra.force-update:older-connector':
      return l10n.t('Connector {0} is older than {1}: no sfc.exe -forceupdate, only the client\'s Update Now, if the policy allows users to update TETRA definitions.', str(a['version']), str(a['since']));
    case 'tetra.force-update:no-version':
      return l10n.t('The connector version is not in the bundle: sfc.exe -forceupdate needs {0} or later.', str(a['since']));
    case 'tetra.force-update:not-windows':
      return a['platform'] !== undefined
        ? l10n.t('sfc.exe -forceupdate is a switch of the Windows connector; this endpoint runs {0}.', platformName(str(a['platform'])))
        : l10n.t('sfc.exe -forceupdate is a switch of the Windows connector; connector {0} is a macOS or Linux one.', str(a['version']) || '1.x');
    // Step 4
    case 'tetra.update-server:cisco': {
      const region = regionName(a['region']) || l10n.t('Cisco');
      return a['via'] === 'policy'
        ? l10n.t('The policy names {0}, Cisco\'s TETRA update server ({1} cloud).', str(a['host']), region)
        : l10n.t('The console names {0}, Cisco\'s TETRA update server ({1} cloud).', str(a['host']), region);
    }
    case 'tetra.update-server:custom':
      return a['via'] === 'policy'
        ? l10n.t('The policy names {0}, not a Cisco server: a local update server, which must be reachable and up to date itself.', str(a['host']))
        : l10n.t('The console names {0}, not a Cisco server: a local update server, which must be reachable and up to date itself.', str(a['host']));
    case 'tetra.update-server:updater-disabled':
      return l10n.t('The policy turns TETRA definition updates off: the definitions stay where they are whatever the network does.');
    case 'tetra.update-server:default':
      return l10n.t('No policy or console text names the update server; the checks use Cisco\'s default, {0}.', str(a['host']));
    // Step 5
    case 'tetra.dns:resolved':
      return l10n.t('{0} resolves ({1} address records).', str(a['name']), str(a['addresses'])) + ignoredLookupText(a);
    case 'tetra.dns:curl-connected':
      return l10n.t('curl connected to {0} directly, so the name resolves.', str(a['name'])) + ignoredLookupText(a);
    case 'tetra.dns:failed':
      return (
        (num(a['updateServer']) === 0
          ? l10n.t('{0} does not resolve ({1}); it is not the update server, but a name on the way to it (a proxy or a revocation server).', str(a['name']), dnsErrorText(a['error']))
          : l10n.t('{0} does not resolve ({1}).', str(a['name']), dnsErrorText(a['error']))) + ignoredLookupText(a)
      );
    case 'tetra.dns:via-proxy':
      return a['proxy'] !== undefined
        ? l10n.t('{0} does not resolve on the endpoint ({1}), but the connector goes through the proxy {2}, which resolves it: test the server through the proxy.', str(a['name']), dnsErrorText(a['error']), a['proxy'])
        : l10n.t('{0} does not resolve on the endpoint ({1}), but the connector reports proxy statuses: it goes through a proxy, which resolves the server.', str(a['name']), dnsErrorText(a['error']));
    case 'tetra.dns:no-evidence':
      return l10n.t('No DNS lookup of {0} in the bundle.', str(a['name'])) + ignoredLookupText(a);
    // Step 6
    case 'tetra.tls:http-ok':
      return l10n.t('curl -v to {0} ends in HTTP/1.1 200 OK: TLS works from the endpoint.', str(a['host']));
    case 'tetra.tls:http-status':
      return l10n.t('curl -v to {0} completed TLS and got HTTP status {1}.', str(a['host']), str(a['status']));
    case 'tetra.tls:revocation':
      return (
        (a['source'] === 'log'
          ? l10n.t('The connector log reports {0}: the revocation servers (CRL/OCSP) of the update server\'s certificate cannot be reached.', str(a['code']))
          : l10n.t('TLS to {0} fails with {1}: the revocation servers (CRL/OCSP) cannot be reached.', str(a['host']), str(a['code']))) +
        (num(a['crlCheck']) === 1 ? ' ' + l10n.t('The policy turns CRL checking on.') : '')
      );
    case 'tetra.tls:handshake':
      return l10n.t('The TLS handshake with {0} ends with fatal alert {1} ({2}).', str(a['host']) || l10n.t('the server'), str(a['alert']), str(a['alertName']));
    case 'tetra.tls:untrusted-root':
      return l10n.t('TLS to {0} fails with {1}: the certificate chain is not trusted, typical of a proxy that decrypts TLS (Cisco\'s traffic must not be decrypted).', str(a['host']), str(a['code']));
    case 'tetra.tls:tls-error':
      return l10n.t('TLS to {0} fails ({1}, curl exit {2}).', str(a['host']), str(a['code']) || l10n.t('no code'), str(a['exit']));
    case 'tetra.tls:not-reached':
      return l10n.t('curl did not reach {0} (exit {1}), so TLS was not tested.', str(a['host']), str(a['exit']) || '—');
    case 'tetra.tls:other-host':
      return l10n.t('The bundle\'s curl -v went to {0}, not to the update server {1}: it says nothing about TLS to {1}.', str(a['otherHost']), str(a['host']));
    case 'tetra.tls:no-evidence':
      return l10n.t('No curl -v to {0} in the bundle.', str(a['host']));
    // Step 7
    case 'tetra.proxy:connect':
    case 'tetra.proxy:auth':
    case 'tetra.proxy:download':
      return proxyStepMessage(s);
    case 'tetra.proxy:no-error':
      return l10n.t('local.xml\'s lasterror is 0: the last update had no error.');
    case 'tetra.proxy:other-status':
      return l10n.t('The last status is {0}, not a proxy status (-2103, -2100, -2109).', str(a['status'])) + (a['proxy'] !== undefined ? ' ' + l10n.t('Proxy: {0}.', a['proxy']) : '');
    case 'tetra.proxy:recovered': {
      const count = num(a['count']);
      const head =
        count !== undefined && count > 1
          ? l10n.t('Status {0} (a proxy status) was seen in {1} earlier attempts, the last at {2},', str(a['status']), count, str(a['last']) || '—')
          : a['last'] !== undefined
            ? l10n.t('Status {0} (a proxy status) was seen earlier, at {1},', str(a['status']), a['last'])
            : l10n.t('Status {0} (a proxy status) was seen earlier,', str(a['status']));
      const tail = a['source'] === 'local.xml' ? l10n.t('but local.xml\'s lasterror is 0 now: the failure is history.') : l10n.t('but the connector log\'s last update succeeded: the failure is history.');
      return `${head} ${tail}`;
    }
    case 'tetra.proxy:no-proxy-status':
      return num(a['attempts']) === 1
        ? l10n.t('The connector log shows one update attempt and no proxy status.')
        : l10n.t('The connector log shows {0} update attempts and no proxy status.', str(a['attempts']));
    case 'tetra.proxy:curl-via-proxy':
      return l10n.t('curl reached the update server through the proxy (200 Connection established).');
    case 'tetra.proxy:no-evidence':
      return l10n.t('No lasterror from local.xml and no update status from the connector log in the bundle.');
    // Step 8
    case 'tetra.cipher-suites:suites-missing': {
      const head =
        a['source'] === 'client-hello'
          ? l10n.t('The Client Hello offers {0} suites, none of the four the TETRA server accepts ({1}).', str(a['offered']), ACCEPTED_SUITES)
          : l10n.t('None of the {0} suites Get-TlsCipherSuite lists is one of the four the TETRA server accepts ({1}).', str(a['offered']), ACCEPTED_SUITES);
      const alert = a['alert'] !== undefined ? ' ' + (num(a['afterClientHello']) === 1 ? l10n.t('The server answers the Client Hello with a fatal Handshake Failure alert.') : l10n.t('A fatal TLS alert {0} was seen too.', a['alert'])) : '';
      return head + alert;
    }
    case 'tetra.cipher-suites:handshake-alert':
      return a['source'] === 'schannel-event'
        ? l10n.t('Schannel event {0} reports fatal alert {1} ({2}); the event does not name the server, so compare the endpoint\'s cipher suites with the four the TETRA server accepts.', str(a['eventId']), str(a['alert']), str(a['alertName']))
        : l10n.t('A fatal TLS alert {0} ({1}) ends the handshake{2}: the endpoint offers no suite the server accepts.', str(a['alert']), str(a['alertName']), num(a['afterClientHello']) === 1 ? ' ' + l10n.t('right after the Client Hello') : '');
    case 'tetra.cipher-suites:schannel-only':
      return num(a['contradicted']) === 1
        ? l10n.t('Schannel event {0} reports fatal alert {1} ({2}), but it names no server and TLS or the update to the TETRA server works: some other connection failed. Not a cipher-suite mismatch with the update server.', str(a['eventId']), str(a['alert']), str(a['alertName']))
        : l10n.t('Schannel event {0} reports fatal alert {1} ({2}), but it names no server and no current -3000 ties it to the TETRA update: list the endpoint\'s cipher suites to decide.', str(a['eventId']), str(a['alert']), str(a['alertName']));
    case 'tetra.cipher-suites:accepted-present':
      return l10n.t('The endpoint\'s suites include {0}, which the TETRA server accepts.', str(a['suite']));
    case 'tetra.cipher-suites:accepted-offered':
      return l10n.t('The Client Hello offers {0}, which the TETRA server accepts.', str(a['suite']));
    case 'tetra.cipher-suites:no-evidence':
      return num(a['relevant']) === 1
        ? l10n.t('Status -3000 ("network timeout") is most often a cipher-suite mismatch, and the bundle has no list of the endpoint\'s suites.')
        : l10n.t('No list of the endpoint\'s cipher suites (or Client Hello) in the bundle.');
    // Step 9
    case 'tetra.collect:not-needed':
      return l10n.t('Nothing more to collect: the definitions are current.');
    case 'tetra.collect:complete':
      return l10n.t('The bundle has a debug log and a packet capture, what TAC asks for.');
    case 'tetra.collect:incomplete': {
      const missing: string[] = [];
      if (num(a['log']) !== 1) missing.push(l10n.t('a support bundle with the connector log'));
      if (num(a['debug']) !== 1) missing.push(l10n.t('a debug log over one full update interval'));
      if (num(a['capture']) !== 1) missing.push(l10n.t('a packet capture over one full update interval'));
      const interval = num(a['interval']);
      const tail = interval !== undefined && interval > 0 ? ' ' + l10n.t('(the policy\'s update interval is {0} minutes)', Math.round(interval / 60)) : '';
      return l10n.t('Still to collect before a TAC case: {0}.', wordList(missing)) + tail;
    }
    default:
      return `${s.id} (${s.reason ?? s.status})`;
  }
}

/** The console's Last Seen was older than the newest time in the bundle, and a newer sign of life overrides it. */
function staleConsoleText(a: Args): string {
  return a['staleLastSeen'] !== undefined ? ' ' + l10n.t('The console\'s Last Seen ({0}) is older than that, so it does not mean the connector is offline.', a['staleLastSeen']) : '';
}

/** A failed lookup of a name not on the way to the update server (not the server, the proxy or a CRL/OCSP host). */
function ignoredLookupText(a: Args): string {
  if (a['ignored'] === undefined) return '';
  return ' ' + l10n.t('The failed lookup of {0} does not bear on the update: it is not the update server, the proxy or a revocation server.', a['ignored']);
}

function proxyStepMessage(s: DiagnosisStep): string {
  const a = s.args;
  const what = s.reason === 'auth' ? l10n.t('could not authenticate to the proxy') : s.reason === 'download' ? l10n.t('connected to the proxy, but the download failed') : l10n.t('could not connect to the proxy');
  let head: string;
  switch (a['source']) {
    case 'log': {
      const count = num(a['count']) ?? 1;
      head =
        count > 1
          ? l10n.t('The connector log shows status {0} ({1}) in {2} attempts, from {3} to {4}.', str(a['status']), what, count, str(a['first']), str(a['last']))
          : l10n.t('The connector log shows status {0} ({1}) at {2}.', str(a['status']), what, str(a['first']));
      break;
    }
    case 'curl':
      head = s.reason === 'auth' ? l10n.t('curl\'s CONNECT through the proxy was answered {0} (proxy authentication required).', str(a['status']) || '407') : l10n.t('curl could not resolve or reach the proxy (exit {0}).', str(a['exit']));
      break;
    default:
      head = l10n.t('local.xml\'s lasterror is {0} (status {1}): {2}.', str(a['value']), str(a['status']), what);
  }
  const proxy = a['proxy'] !== undefined ? ' ' + l10n.t('Proxy: {0}.', a['proxy']) : '';
  return head + proxy + recoveredText(a);
}

function isolationStepMessage(s: DiagnosisStep): string {
  const a = s.args;
  const key = `${s.id}:${s.reason ?? ''}`;
  const conflict =
    a['conflict'] === undefined
      ? ''
      : ' ' +
        (a['conflict'] === 'registry' && a['time'] !== undefined && s.reason === 'not-isolated'
          ? l10n.t('An undated registry export still holds unlock_code; the dated status is the newer word (query the key again to confirm).')
          : capitalise(l10n.t('{0} says otherwise ({1}).', sourceName(a['conflict']), a['conflictState'] === 'not-isolated' ? l10n.t('not isolated') : l10n.t('isolated'))));
  switch (key) {
    case 'isolation.state:isolated':
      return isolatedBy(a) + conflict;
    case 'isolation.state:pending':
      return l10n.t('{0} shows isolation in progress (Isolating or Stopping).', sourceName(a['source'])) + conflict;
    case 'isolation.state:not-isolated':
      return notIsolatedBy(a) + conflict;
    case 'isolation.state:conflict':
      return l10n.t('{0} says the endpoint is isolated, but every client and console view in the bundle shows Not Isolated, and nothing dates {0}: the state is undecided.', sourceName(a['source']));
    case 'isolation.state:no-evidence':
      return l10n.t('Nothing in the bundle says whether the endpoint is isolated (registry unlock_code, the client\'s or the console\'s status, the log\'s isolation events).');
    case 'isolation.supported:supported':
      return l10n.t('{0} connector {1} supports Endpoint Isolation (from {2}).', platformName(str(a['platform'])), str(a['version']), str(a['minimum']));
    case 'isolation.supported:version':
      return l10n.t('{0} connector {1} is older than {2}: it cannot isolate the endpoint.', platformName(str(a['platform'])), str(a['version']), str(a['minimum']));
    case 'isolation.supported:32-bit':
      return l10n.t('Endpoint Isolation needs 64-bit Windows; this system is {0}.', str(a['architecture']));
    case 'isolation.supported:no-version':
      return l10n.t('The connector version is not in the bundle (isolation needs Windows connector 7.0.5 or Mac connector 1.21.0 or later).');
    case 'isolation.supported:platform':
      return l10n.t('Connector {0} on a platform the isolation requirements do not list (Windows connector 7.0.5+, Mac connector 1.21.0+).', str(a['version']));
    case 'isolation.unlock-attempts:locked-out':
      return l10n.t('Unlock Limit Reached (event {0}): {1} wrong unlock codes lock unlocking for {2} minutes{3}.', str(a['type'] ?? 553648215), str(a['attempts']), str(a['waitMinutes']), a['since'] !== undefined ? ', ' + l10n.t('the last at {0}', a['since']) : '');
    case 'isolation.unlock-attempts:lock-expired':
      return l10n.t('Unlock Limit Reached (event {0}) at {1}: {2} wrong unlock codes locked unlocking for {3} minutes, and that lock has expired ({4} is {5} minutes later). Unlocking still failed; the code can be tried again.', str(a['type'] ?? 553648215), str(a['since']), str(a['attempts']), str(a['waitMinutes']), str(a['newest']), str(a['minutesSince']));
    case 'isolation.unlock-attempts:invalid-code':
      return l10n.t('The console reports Invalid unlock code (error {0}, {1}): the code entered with sfc.exe -n was wrong. After {2} wrong codes unlocking locks for {3} minutes.', str(a['code']), str(a['hex']), str(a['attempts']), str(a['waitMinutes']));
    case 'isolation.unlock-attempts:stop-failed':
      return (num(a['count']) ?? 1) === 1
        ? l10n.t('The connector published Isolation Stop Failure (event {0}) once, at {1}.', str(a['type']), str(a['last']))
        : l10n.t('The connector published Isolation Stop Failure (event {0}) {1} times, the last at {2}.', str(a['type']), str(a['count']), str(a['last']));
    case 'isolation.unlock-attempts:no-failures':
      return l10n.t('The console\'s isolation history holds no failed unlock.');
    case 'isolation.unlock-attempts:no-evidence':
      return l10n.t('No isolation history from the console or the Audit Log in the bundle.');
    case 'isolation.recovery:access-denied':
      return l10n.t('reg delete of unlock_code answered "Access is denied": the connector service was still running. Stop it (boot in Safe Boot if it cannot be stopped) and run it again.');
    case 'isolation.recovery:registry-deleted':
      return l10n.t('The unlock_code value was deleted from the registry ("The operation completed successfully"): start the connector service and verify.');
    case 'isolation.recovery:not-needed':
      return l10n.t('The endpoint is not isolated: nothing to recover.');
    case 'isolation.recovery:console':
      return l10n.t('The normal path: Stop Isolation in the console (Management > Computers).');
    case 'isolation.recovery:console-then-unlock-code':
      return a['version'] !== undefined
        ? l10n.t('Stop Isolation in the console first; if the endpoint is offline, enter the unlock code (console or Audit Log) with sfc.exe -n in an elevated prompt in the version folder {0}.', a['version'])
        : l10n.t('Stop Isolation in the console first; if the endpoint is offline, enter the unlock code (console or Audit Log) with sfc.exe -n in an elevated prompt in the version folder.');
    case 'isolation.recovery:registry':
      return l10n.t('The unlock code fails, so use the emergency path: stop the connector service, delete the unlock_code value from the registry, start the service; without a command line, delete jobs.db in the install folder ({0}) and reboot.', str(a['installDir']) || 'C:\\Program Files\\Cisco\\AMP');
    case 'isolation.recovery:macos-state-file':
      return l10n.t('On macOS: Stop Isolation in the console; if that fails, delete endpoint_isolation.xml and reload the connector daemon (launchctl unload, then load).');
    case 'isolation.verify:client':
      return l10n.t('The client shows Isolation: Not Isolated.');
    case 'isolation.verify:console':
      return l10n.t('The console shows Not Isolated.');
    case 'isolation.verify:client-and-console':
      return l10n.t('Both the client and the console show Not Isolated.');
    case 'isolation.verify:still-isolated': {
      const sources = String(a['sources'] ?? '').split(',');
      return sources.includes('client') && sources.includes('console')
        ? l10n.t('The client and the console still show the endpoint isolated.')
        : sources.includes('client')
          ? l10n.t('The client still shows the endpoint isolated.')
          : l10n.t('The console still shows the endpoint isolated.');
    }
    case 'isolation.verify:unconfirmed':
      return l10n.t('The registry says the isolation state is gone, but neither the client nor the console confirms Not Isolated yet.');
    case 'isolation.verify:no-evidence':
      return l10n.t('Neither the client\'s nor the console\'s isolation status is in the bundle.');
    default:
      return `${s.id} (${s.reason ?? s.status})`;
  }
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function isolatedBy(a: Args): string {
  switch (a['source']) {
    case 'registry':
      return l10n.t('The registry holds an unlock_code value under Immunet Protect: the endpoint is isolated.');
    case 'client':
      return l10n.t('The client\'s status says Isolation: Isolated.');
    case 'posture':
      return l10n.t('AmpCLI posture says the endpoint is isolated.');
    case 'console':
      return a['time'] !== undefined ? l10n.t('The console shows the endpoint Isolated since {0}.', a['time']) : l10n.t('The console shows the endpoint Isolated.');
    default:
      return l10n.t('The connector log\'s last isolation event is Isolation Start ({0}), with no stop after it.', str(a['time']));
  }
}

function notIsolatedBy(a: Args): string {
  switch (a['source']) {
    case 'registry':
      return a['form'] === 'deleted'
        ? l10n.t('The unlock_code value was deleted from the registry: the isolation state is gone.')
        : a['form'] === 'absent'
          ? l10n.t('reg query finds no unlock_code value: the endpoint is not isolated.')
          : l10n.t('The registry export of Immunet Protect has no unlock_code value: the endpoint is not isolated.');
    case 'client':
      return l10n.t('The client\'s status says Isolation: Not Isolated.');
    case 'posture':
      return l10n.t('AmpCLI posture says the endpoint is not isolated.');
    case 'console':
      return a['time'] !== undefined ? l10n.t('The console shows Not Isolated since {0}.', a['time']) : l10n.t('The console shows Not Isolated.');
    default:
      return l10n.t('The connector log\'s last isolation event is Isolation Stop ({0}).', str(a['time']));
  }
}

// ---------------------------------------------------------------------------------------------
// Settle and actions

/** What would settle (or confirm) a step: the file or command output to add. The command itself is `settle.how`. */
export function settleText(settle: NonNullable<DiagnosisStep['settle']>): string {
  return tidySpacing(settleTextWords(settle));
}

function settleTextWords(settle: NonNullable<DiagnosisStep['settle']>): string {
  const a = settle.args;
  const server = str(a['server']) || 'tetra-defs.amp.cisco.com';
  const inConsole = a['where'] === 'console';
  switch (settle.id) {
    case 'console.computer-details':
      return l10n.t('The computer\'s details in the console: Last Seen, Definitions Last Updated, Update Server.');
    case 'console.av-definitions':
      return l10n.t('The console\'s AV Definition Summary, to compare the endpoint\'s version with the newest available.');
    case 'console.isolation':
      return l10n.t('The computer\'s isolation status and events in the console, and the Audit Log.');
    case 'ampcli.posture':
      // macOS and Linux have ampcli status instead of AmpCLI.exe posture.
      return /ampcli status/.test(settle.how) ? l10n.t('ampcli status from the endpoint: connected, and the definition versions.') : l10n.t('AmpCLI posture from the endpoint: connected, and the definition versions.');
    case 'ampcli.status':
      return l10n.t('The client\'s status on the endpoint (Status, Isolation).');
    case 'policy':
      return inConsole ? l10n.t('The policy in the console: update server, proxy, CRL check, "Allow user to update TETRA definitions".') : l10n.t('policy.xml from the endpoint: update server, proxy, CRL check, update interval.');
    case 'dns.resolve':
      return l10n.t('A DNS lookup of {0} from the endpoint: it must return A records.', server);
    case 'curl.verbose':
      return l10n.t('curl -v to {0} from the endpoint: HTTP/1.1 200 OK, or the TLS error.', server);
    case 'curl.proxy':
      return l10n.t('curl -v to {0} through the connector\'s proxy: HTTP/1.1 200 OK, or where it fails (the proxy, its authentication, TLS).', server);
    case 'local.xml':
      return l10n.t('local.xml\'s lasterror: the status of the last TETRA update (proxy statuses -2103, -2100, -2109; -3000).');
    case 'tls.cipher-suites':
      return l10n.t('The endpoint\'s enabled cipher suites, to compare with the four the TETRA server accepts.');
    case 'connector-log':
      return l10n.t('A support bundle with the connector log (sfc.exe.log).');
    case 'debug-log':
      return l10n.t('A connector log in debug over one full update interval, in a new support bundle.');
    case 'packet-capture':
      return l10n.t('A packet capture of one full update interval on the endpoint (and a working one to compare), filtered with this display filter.');
    case 'connector-version':
      return l10n.t('The connector version (the version folders of the install folder).');
    case 'registry.immunet':
      return l10n.t('The registry key HKEY_LOCAL_MACHINE\\SOFTWARE\\Immunet Protect: an unlock_code value means isolated; InstallDir is the install folder.');
    case 'isolation-state':
      return l10n.t('Whether endpoint_isolation.xml exists: on macOS it does while the endpoint is isolated.');
    default:
      return l10n.t('Add: {0}', settle.id);
  }
}

/** The title of a next step. */
export function diagnosisActionTitle(action: DiagnosisAction): string {
  return tidySpacing(diagnosisActionTitleWords(action));
}

function diagnosisActionTitleWords(action: DiagnosisAction): string {
  const a = action.args;
  switch (action.id) {
    case 'console-last-seen':
      return l10n.t('Check Last Seen in the console (Management > Computers)');
    case 'posture':
      return l10n.t('Check the connection from the endpoint (AmpCLI posture)');
    case 'ampcli-status':
      return l10n.t('Check the connection from the endpoint (ampcli status)');
    case 'support-bundle':
      return l10n.t('Collect a support bundle (it includes the ConnectivityTool)');
    case 'resolve-name':
      return l10n.t('Resolve {0} on the endpoint', str(a['name']) || l10n.t('the name'));
    case 'resolve-update-server':
      return l10n.t('Resolve the update server on the endpoint');
    case 'show-dns-servers':
      return l10n.t('List the endpoint\'s DNS servers');
    case 'curl-update-server':
      return l10n.t('Test TLS to the update server');
    case 'curl-via-proxy':
      return l10n.t('Test the update server through the proxy {0}', str(a['proxy']));
    case 'check-proxy-reachable':
      return a['proxy'] !== undefined ? l10n.t('Check that the proxy {0} is reachable from the endpoint', a['proxy']) : l10n.t('Check that the policy\'s proxy (server and port) is reachable from the endpoint');
    case 'check-proxy-credentials':
      return l10n.t('Check the proxy user name, password and authentication type in the policy');
    case 'check-proxy-logs':
      return l10n.t('Read the proxy\'s logs for the download from {0}', str(a['server']));
    case 'no-tls-inspection':
      return l10n.t('Exempt the Cisco hosts from TLS inspection on the proxy');
    case 'read-lasterror':
      return l10n.t('Read the last TETRA error from local.xml');
    case 'force-update':
      return l10n.t('After the fix, force an update (connector 7.2.7 and later)');
    case 'allow-revocation-hosts':
      return l10n.t('Allow the CRL/OCSP servers ({0}) through the firewall and proxy', str(a['hosts']));
    case 'curl-ocsp':
      return l10n.t('Test the OCSP server from the endpoint');
    case 'curl-crl':
      return l10n.t('Test the CRL server from the endpoint');
    case 'list-cipher-suites':
      return l10n.t('List the endpoint\'s cipher suites');
    case 'open-group-policy':
      return l10n.t('Open the Group Policy editor');
    case 'cipher-suite-order-policy':
      return l10n.t('Set "SSL Cipher Suite Order" to Not Configured or Disabled, or add {0}', str(a['suites']) || ACCEPTED_SUITES);
    case 'read-cipher-suite-policy':
      return l10n.t('Check whether Group Policy sets the cipher suite order');
    case 'reboot-retry':
      return l10n.t('Reboot the endpoint, then retry the update');
    case 'debug-start':
      return l10n.t('Turn debug logging on for one full update interval');
    case 'packet-capture':
      return l10n.t('Capture one update interval (Wireshark display filter)');
    case 'enable-updater':
      return l10n.t('Turn TETRA definition updates on in the policy');
    case 'console-stop-isolation':
      return l10n.t('Stop Isolation in the console (Management > Computers)');
    case 'unlock':
      return l10n.t('Offline: unlock with the code from the console or the Audit Log (elevated prompt)');
    case 'unlock-after-wait':
      return l10n.t('After the wait, unlock again with the code from the console');
    case 'recopy-unlock-code':
      return l10n.t('Copy the unlock code again from the console or Account > Audit Log');
    case 'wait-unlock':
      return a['since'] !== undefined ? l10n.t('Wait {0} minutes after {1} before the next unlock attempt', str(a['minutes']), a['since']) : l10n.t('Wait {0} minutes before the next unlock attempt', str(a['minutes']));
    case 'stop-service':
      return l10n.t('Stop the connector service (from the client or Windows Services)');
    case 'delete-unlock-code':
      return l10n.t('Delete the unlock code from the registry (service stopped)');
    case 'start-service':
      return l10n.t('Start the connector service');
    case 'delete-jobs-db':
      return l10n.t('Without a command line: with the service stopped, delete {0} and reboot', str(a['path']));
    case 'safe-boot':
      return l10n.t('The service cannot be stopped: boot in Safe Boot (System Configuration > Boot)');
    case 'delete-isolation-state':
      return l10n.t('macOS: delete the isolation state file');
    case 'daemon-unload':
      return l10n.t('macOS: stop the connector daemon');
    case 'daemon-load':
      return l10n.t('macOS: start the connector daemon');
    case 'verify-not-isolated':
      return l10n.t('Verify: the client shows Isolation: Not Isolated and the console Not Isolated');
    case 'upgrade-connector':
      return a['architecture'] !== undefined ? l10n.t('Isolate only 64-bit Windows endpoints') : l10n.t('Upgrade the connector to {0} or later', str(a['minimum']));
    case 'query-registry':
      return l10n.t('Read the registry key Immunet Protect (an unlock_code value means isolated)');
    case 'list-isolation-state':
      return l10n.t('macOS: check whether the isolation state file exists');
    case 'console-isolation-status':
      return l10n.t('Check the computer\'s isolation status in the console');
    default:
      return action.command !== undefined ? l10n.t('Run: {0}', action.command) : action.id;
  }
}

// ---------------------------------------------------------------------------------------------
// Markdown

/** A link target the caller made, safe in `[…](…)`: no script schemes, no characters that end the destination. */
function safeLink(uri: string | undefined): string | undefined {
  if (!uri || /^\s*(?:javascript|data|vbscript):/i.test(uri)) return undefined;
  return uri.replace(/[\s()<>[\]`"\\]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0'));
}

/** Evidence about a whole file (an empty range at its start: a version folder in its path, a whole output) names no line. */
function wholeFile(e: Evidence): boolean {
  const r = e.range;
  return r.start.line === 0 && r.start.character === 0 && r.end.line === 0 && r.end.character === 0;
}

function evidenceLine(e: Evidence, options: DiagnosisMarkdownOptions, indent: string): string {
  const line = wholeFile(e) ? '' : `:${e.range.start.line + 1}`;
  const link = safeLink(options.evidenceLink?.(e));
  const where = link ? `[${escapeMd(e.file)}${line}](${link})` : `${codeSpan(e.file)}${line}`;
  return `${indent}- ${where}${e.text ? ` ${codeSpan(e.text.replace(/\t+/g, '  '))}` : ''}`;
}

export interface DiagnosisMarkdownOptions {
  /** A link target for a piece of evidence (a URI of the file at the line), when the view can link. */
  evidenceLink?: (e: Evidence) => string | undefined;
}

function playbookTitle(d: Diagnosis<string>): string {
  return d.playbook === 'isolation' ? l10n.t('Endpoint Isolation') : l10n.t('TETRA definitions');
}

/** The diagnosis as a Markdown section: verdict, summary, every step with its evidence, then the next steps. */
export function diagnosisMarkdown(d: Diagnosis<string>, options: DiagnosisMarkdownOptions = {}): string {
  const out: string[] = [`## ${escapeMd(playbookTitle(d))}: ${escapeMd(verdictTitle(d))}`, '', escapeMd(verdictSummary(d)), ''];
  out.push(`### ${l10n.t('Steps')}`, '');
  d.steps.forEach((s, i) => {
    out.push(`${i + 1}. ${STATUS_MARK[s.status]} **${escapeMd(stepTitle(s.id))}** (${escapeMd(stepStatusText(s.status))}): ${escapeMd(stepMessage(s))}`);
    for (const e of s.evidence) out.push(evidenceLine(e, options, '   '));
    if (s.settle) {
      const where = s.settle.args['where'] === 'console' ? l10n.t('In the console:') : l10n.t('On the endpoint:');
      out.push(`   - ${l10n.t('What would settle it:')} ${escapeMd(settleText(s.settle))}`);
      if (s.settle.args['where'] === 'console') out.push(`     ${where} ${codeSpan(s.settle.how)}`);
      else out.push('', ...codeBlock(s.settle.how, '     '));
    }
  });
  out.push('');
  if (d.actions.length > 0) {
    out.push(`### ${l10n.t('Next steps')}`, '');
    d.actions.forEach((a, i) => {
      out.push(`${i + 1}. ${escapeMd(diagnosisActionTitle(a))}`);
      if (a.command !== undefined) out.push('', ...codeBlock(a.command, '   '), '');
    });
    if (out[out.length - 1] !== '') out.push('');
  }
  return out.join('\n');
}
