import type { CodeEntry } from '../types';

/**
 * Secure Endpoint connector and console codes.
 * Sources: BRIEF §3.1–3.3; seeds 000/002 (lasterror table), 001 (-3000 in sfc.exe.log),
 * 004 (isolation error 3240624137); event type ids from Cisco's public support scripts.
 */
export const SECURE_ENDPOINT_CODES: readonly CodeEntry[] = [
  {
    family: 'se.tetra',
    value: -2103,
    summary: 'TETRA update: could not connect to the proxy.',
    meaning: 'The connector tried to download TETRA definitions through the configured proxy and could not open a connection to it.',
    next: 'Check that the proxy in the policy (proxy server and port) is reachable from the endpoint.',
    kind: 'tetra.proxy-connect',
    source: 'seeds 000/002 lasterror table; BRIEF §3.1',
  },
  {
    family: 'se.tetra',
    value: -2100,
    summary: 'TETRA update: could not authenticate to the proxy.',
    meaning: 'The proxy refused the connector\u2019s credentials.',
    next: 'Check the proxy user name and password in the policy, and the proxy\u2019s authentication type.',
    kind: 'tetra.proxy-auth',
    source: 'seeds 000/002 lasterror table; BRIEF §3.1',
  },
  {
    family: 'se.tetra',
    value: -2109,
    summary: 'TETRA update: connected to the proxy, but the download failed.',
    meaning: 'The proxy accepted the connection, then the definition download through it failed.',
    next: 'Read the proxy\u2019s logs for the download from the TETRA update server; make sure the traffic is not decrypted or blocked.',
    kind: 'tetra.proxy-download',
    source: 'seeds 000/002 lasterror table; BRIEF §3.1',
  },
  {
    family: 'se.tetra',
    value: -3000,
    symbol: 'Unknown_Error',
    summary: 'TETRA update: unknown error.',
    meaning: 'The console shows \u201cFailed to update due to network timeout\u201d. A known cause is a TLS handshake failure: the endpoint offers none of the cipher suites the TETRA server accepts.',
    next: 'Compare the endpoint\u2019s Get-TlsCipherSuite list with the four suites the TETRA server accepts; check the Group Policy \u201cSSL Cipher Suite Order\u201d.',
    kind: 'tetra.unknown-error',
    source: 'seed 001; BRIEF §3.1 and §4.1 step 8',
  },
  {
    family: 'se.isolation',
    value: 3240624137,
    summary: 'Endpoint Isolation: invalid unlock code (Isolation Stop Failed).',
    meaning: 'An unlock code entered with sfc.exe -n was wrong. Five wrong codes lock unlocking for 30 minutes.',
    next: 'Copy the unlock code again from the console (computer details or Audit Log); after 5 failures wait 30 minutes.',
    kind: 'isolation.invalid-unlock-code',
    source: 'seed 004; BRIEF §3.2',
  },
  ...eventTypes([
    [553648130, 'Policy Update', 'The connector received and applied a new policy.', 'Compare the policy serial number in policy.xml with the console\u2019s.'],
    [2164260866, 'Policy Update Failure', 'The connector could not fetch or apply a policy update.', 'Check the endpoint\u2019s connection to the cloud (proxy, firewall, TLS inspection); collect a support bundle.'],
    [553648135, 'Product Update Started', 'A connector upgrade began.', 'Nothing to do; watch for Completed or Failed.'],
    [553648136, 'Product Update Completed', 'A connector upgrade finished.', 'After an upgrade a bundle can hold several version folders: read the newest log.'],
    [553648137, 'Product Update Failed', 'A connector upgrade failed.', 'Check the updater server and window in the policy and the endpoint\u2019s access to it; collect a support bundle.'],
    [2164260931, 'Critical Fault Raised', 'The connector raised a critical fault.', 'Read the fault in the console\u2019s computer details (or ampcli status, Faults); treat it before anything else.'],
    [1090519107, 'Major Fault Raised', 'The connector raised a major fault.', 'Read the fault in the console\u2019s computer details; faults clear themselves when their cause goes away.'],
    [553648195, 'Minor Fault Raised', 'The connector raised a minor fault.', 'Read the fault in the console\u2019s computer details.'],
    [553648196, 'Fault Cleared', 'A fault raised earlier has cleared.', 'Nothing to do if the fault does not come back.'],
    [553648202, 'Isolation Start Success', 'Endpoint Isolation started: all traffic but the connector\u2019s cloud link is blocked.', 'Stop it from the console (Management > Computers > Stop Isolation) when the incident is handled.'],
    [2164260939, 'Isolation Start Failure', 'Endpoint Isolation could not start.', 'Isolation needs a 64-bit Windows connector 7.0.5+ or a Mac connector 1.21.0+; check the version and the policy\u2019s isolation setting.'],
    [553648204, 'Isolation Stop Success', 'Endpoint Isolation stopped.', 'Verify the client and the console both show Not Isolated.'],
    [2164260941, 'Isolation Stop Failure', 'Endpoint Isolation could not be stopped.', 'If the endpoint is offline, use the unlock code: sfc.exe -n <code> in the version folder; see error 3240624137 for a wrong code.'],
    [553648206, 'Isolation Update Success', 'Endpoint Isolation settings were updated.', 'Nothing to do.'],
    [2164260943, 'Isolation Update Failure', 'Endpoint Isolation settings could not be updated.', 'Check the policy\u2019s isolation settings and the endpoint\u2019s connection.'],
    [553648215, 'Endpoint Isolation Unlock Limit Reached', 'Five wrong unlock codes were entered: unlocking is locked for 30 minutes.', 'Wait 30 minutes, then enter the code shown in the console (computer details or Audit Log) once.', 'isolation.unlock-limit-reached'],
    [553648143, 'Threat Quarantined', 'A detected file was quarantined.', 'Review the detection in the console\u2019s events and device trajectory.'],
    [2164260880, 'Quarantine Failure', 'A detected file could not be quarantined.', 'The file may be in use or protected: review the event and clean the endpoint by hand if needed.'],
    [2165309453, 'Scan Failed', 'A scan did not complete.', 'Read the event\u2019s details; retry the scan, and check for exclusions or files that are locked.'],
    [2164260914, 'IOC Definition Update Failure', 'The connector could not update its IOC definitions.', 'Check the endpoint\u2019s connection to the update servers, as for TETRA definitions.'],
  ]),
];

function eventTypes(rows: ReadonlyArray<readonly [number, string, string, string, string?]>): CodeEntry[] {
  return rows.map(([value, name, meaning, next, kind]) => {
    const e: CodeEntry = {
      family: 'se.event' as const,
      value,
      symbol: name,
      summary: `Event type: ${name}.`,
      meaning,
      next,
      source: 'Cisco public support scripts (event type ids); BRIEF §3.3; seed 004 (isolation)',
    };
    if (kind) e.kind = kind;
    return e;
  });
}
