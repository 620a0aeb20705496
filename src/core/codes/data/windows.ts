import type { CodeEntry } from '../types';

/**
 * Windows codes that show up in Secure Endpoint cases (BRIEF §3.4). Names and numbers are facts
 * from the public-domain MinGW-w64 headers (winerror.h, winhttp.h, wininet.h); the descriptions are ours.
 * The complete generated catalogue replaces this hand-picked table in the code-knowledge work.
 */
export const WINDOWS_CODES: readonly CodeEntry[] = [
  {
    family: 'win.hresult',
    value: 0x80092013,
    symbol: 'CRYPT_E_REVOCATION_OFFLINE',
    summary: 'The revocation function could not check revocation because the revocation server was offline.',
    meaning: 'The endpoint cannot reach the CRL or OCSP servers of the update server\u2019s certificate (for example commercial.ocsp.identrust.com, validation.identrust.com).',
    next: 'Allow the CRL/OCSP hosts through the firewall and proxy, then run curl.exe -v https://<update server> again.',
    kind: 'tls.revocation-offline',
    source: 'winerror.h (MinGW-w64); seed 002; BRIEF §3.4',
  },
  {
    family: 'win.hresult',
    value: 0x80092012,
    symbol: 'CRYPT_E_NO_REVOCATION_CHECK',
    summary: 'The revocation function could not check revocation for the certificate.',
    meaning: 'Revocation could not be checked at all (no CRL or OCSP answer for the certificate).',
    next: 'Allow the CRL/OCSP hosts of the certificate chain through the firewall and proxy, then retry curl.exe -v.',
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  {
    family: 'win.hresult',
    value: 0x80092010,
    symbol: 'CRYPT_E_REVOKED',
    summary: 'The certificate has been revoked by its issuer.',
    meaning: 'The certificate presented is revoked: with TLS inspection, it is the proxy\u2019s certificate, not Cisco\u2019s.',
    next: 'Check which certificate the endpoint receives (curl.exe -v); exclude Secure Endpoint hosts from TLS inspection.',
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  {
    family: 'win.hresult',
    value: 0x800b0109,
    symbol: 'CERT_E_UNTRUSTEDROOT',
    summary: 'The certificate chain ends in a root the endpoint does not trust.',
    meaning: 'Often a proxy that inspects TLS and re-signs traffic; Cisco requires its traffic not to be decrypted.',
    next: 'Exclude the Secure Endpoint hosts from TLS inspection on the proxy.',
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  {
    family: 'win.hresult',
    value: 0x800b0112,
    symbol: 'CERT_E_UNTRUSTEDCA',
    summary: 'A certificate in the chain was issued by an authority the endpoint does not trust.',
    meaning: 'Usually a proxy that inspects TLS, or an endpoint whose root certificates are out of date.',
    next: 'Exclude Secure Endpoint hosts from TLS inspection; update the endpoint\u2019s root certificates.',
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  {
    family: 'win.hresult',
    value: 0x80090325,
    symbol: 'SEC_E_UNTRUSTED_ROOT',
    summary: 'The certificate chain was issued by an authority that is not trusted.',
    meaning: 'Typical of TLS inspection by a proxy; Cisco requires its traffic not to be decrypted.',
    next: 'Exclude the Secure Endpoint hosts from TLS inspection on the proxy.',
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  {
    family: 'win.hresult',
    value: 0x80090326,
    symbol: 'SEC_E_ILLEGAL_MESSAGE',
    summary: 'The message received was unexpected or badly formatted (a TLS handshake_failure alert becomes this).',
    meaning: 'For TETRA updates: the server ended the handshake with handshake_failure because no cipher suite was in common.',
    next: 'Compare the endpoint\u2019s Get-TlsCipherSuite list with the four suites the TETRA server accepts; check the Group Policy \u201cSSL Cipher Suite Order\u201d.',
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  {
    family: 'win.hresult',
    value: 0x80090302,
    symbol: 'SEC_E_UNSUPPORTED_FUNCTION',
    summary: 'The function requested is not supported (a TLS protocol_version alert becomes this).',
    meaning: 'The endpoint and the server share no TLS version.',
    next: 'Make sure TLS 1.2 is enabled for clients in the endpoint\u2019s SCHANNEL settings.',
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  {
    family: 'win.hresult',
    value: 0x80090331,
    symbol: 'SEC_E_ALGORITHM_MISMATCH',
    summary: 'Client and server cannot communicate because they have no algorithm in common.',
    meaning: 'No cipher suite in common: for TETRA updates see the four suites the server accepts.',
    next: 'Compare the endpoint\u2019s Get-TlsCipherSuite list with the four suites the TETRA server accepts; check the Group Policy \u201cSSL Cipher Suite Order\u201d.',
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  {
    family: 'win.hresult',
    value: 0x80090328,
    symbol: 'SEC_E_CERT_EXPIRED',
    summary: 'The received certificate has expired.',
    meaning: 'Check the endpoint\u2019s clock first: a wrong date makes valid certificates look expired.',
    next: 'Fix the endpoint\u2019s time source, then retry.',
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  ...inet([
    [12002, 'ERROR_WINHTTP_TIMEOUT', 'The request timed out.', 'No answer from the server in time: traffic dropped by a firewall or a proxy that does not forward it.', 'Check the firewall and proxy path to the server on TCP 443.'],
    [12007, 'ERROR_WINHTTP_NAME_NOT_RESOLVED', 'The server name could not be resolved.', 'DNS does not resolve the server from the endpoint.', 'Run Resolve-DnsName -Name <server>: it must return A records.'],
    [12029, 'ERROR_WINHTTP_CANNOT_CONNECT', 'The connection to the server could not be made.', 'The name resolved but TCP 443 (or the proxy) could not be reached.', 'Allow the endpoint to reach the server on TCP 443, or configure the proxy in the policy.'],
    [12057, 'ERROR_WINHTTP_SECURE_CERT_REV_FAILED', 'The certificate revocation check failed (revocation server unreachable or no answer).', 'The CRL/OCSP servers of the certificate cannot be reached: the WinHTTP twin of 0x80092013.', 'Allow the CRL/OCSP hosts (for example commercial.ocsp.identrust.com, validation.identrust.com) through firewall and proxy.'],
    [12157, 'ERROR_WINHTTP_SECURE_CHANNEL_ERROR', 'The secure channel (TLS) could not be set up.', 'The TLS handshake failed: often no cipher suite or TLS version in common.', 'Capture the handshake; compare the endpoint\u2019s cipher suites with those the server accepts.'],
    [12166, 'ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT', 'The proxy auto-config (PAC) script has an error.', 'The PAC file the endpoint uses cannot be run.', 'Check the PAC file (policy proxy pacloc) for script errors.'],
    [12175, 'ERROR_WINHTTP_SECURE_FAILURE', 'The server\u2019s TLS certificate failed validation.', 'Often TLS inspection: the certificate received is not Cisco\u2019s.', 'Exclude Secure Endpoint hosts from TLS inspection; check revocation reachability.'],
    [12178, 'ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR', 'The proxy auto-config service failed.', 'Windows could not run proxy auto-configuration.', 'Configure the proxy explicitly in the policy, or fix the PAC/WPAD service.'],
    [12180, 'ERROR_WINHTTP_AUTODETECTION_FAILED', 'Proxy auto-detection (WPAD) failed.', 'No proxy configuration was found by WPAD.', 'Configure the proxy explicitly in the policy, or publish a WPAD/PAC file.'],
  ]),
];

function inet(rows: ReadonlyArray<readonly [number, string, string, string, string]>): CodeEntry[] {
  return rows.map(([value, symbol, summary, meaning, next]) => ({
    family: 'win.inet' as const,
    value,
    symbol,
    summary,
    meaning,
    next,
    source: 'winhttp.h (MinGW-w64); BRIEF §3.4',
  }));
}
