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
    [553648130, 'Policy Update'],
    [2164260866, 'Policy Update Failure'],
    [553648135, 'Product Update Started'],
    [553648136, 'Product Update Completed'],
    [553648137, 'Product Update Failed'],
    [2164260931, 'Critical Fault Raised'],
    [1090519107, 'Major Fault Raised'],
    [553648195, 'Minor Fault Raised'],
    [553648196, 'Fault Cleared'],
    [553648202, 'Isolation Start Success'],
    [2164260939, 'Isolation Start Failure'],
    [553648204, 'Isolation Stop Success'],
    [2164260941, 'Isolation Stop Failure'],
    [553648206, 'Isolation Update Success'],
    [2164260943, 'Isolation Update Failure'],
    [553648215, 'Endpoint Isolation Unlock Limit Reached'],
    [553648143, 'Threat Quarantined'],
    [2164260880, 'Quarantine Failure'],
    [2165309453, 'Scan Failed'],
    [2164260914, 'IOC Definition Update Failure'],
  ]),
];

function eventTypes(rows: ReadonlyArray<readonly [number, string]>): CodeEntry[] {
  return rows.map(([value, name]) => ({
    family: 'se.event' as const,
    value,
    symbol: name,
    summary: `Event type: ${name}.`,
    source: 'Cisco public support scripts (event type ids); BRIEF §3.3',
  }));
}
