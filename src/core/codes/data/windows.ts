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
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  {
    family: 'win.hresult',
    value: 0x80092010,
    symbol: 'CRYPT_E_REVOKED',
    summary: 'The certificate has been revoked by its issuer.',
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
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  {
    family: 'win.hresult',
    value: 0x80090302,
    symbol: 'SEC_E_UNSUPPORTED_FUNCTION',
    summary: 'The function requested is not supported (a TLS protocol_version alert becomes this).',
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  {
    family: 'win.hresult',
    value: 0x80090331,
    symbol: 'SEC_E_ALGORITHM_MISMATCH',
    summary: 'Client and server cannot communicate because they have no algorithm in common.',
    meaning: 'No cipher suite in common: for TETRA updates see the four suites the server accepts.',
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  {
    family: 'win.hresult',
    value: 0x80090328,
    symbol: 'SEC_E_CERT_EXPIRED',
    summary: 'The received certificate has expired.',
    source: 'winerror.h (MinGW-w64); BRIEF §3.4',
  },
  ...inet([
    [12002, 'ERROR_WINHTTP_TIMEOUT', 'The request timed out.'],
    [12007, 'ERROR_WINHTTP_NAME_NOT_RESOLVED', 'The server name could not be resolved.'],
    [12029, 'ERROR_WINHTTP_CANNOT_CONNECT', 'The connection to the server could not be made.'],
    [12057, 'ERROR_WINHTTP_SECURE_CERT_REV_FAILED', 'The certificate revocation check failed (revocation server unreachable or no answer).'],
    [12157, 'ERROR_WINHTTP_SECURE_CHANNEL_ERROR', 'The secure channel (TLS) could not be set up.'],
    [12166, 'ERROR_WINHTTP_BAD_AUTO_PROXY_SCRIPT', 'The proxy auto-config (PAC) script has an error.'],
    [12175, 'ERROR_WINHTTP_SECURE_FAILURE', 'The server\u2019s TLS certificate failed validation.'],
    [12178, 'ERROR_WINHTTP_AUTO_PROXY_SERVICE_ERROR', 'The proxy auto-config service failed.'],
    [12180, 'ERROR_WINHTTP_AUTODETECTION_FAILED', 'Proxy auto-detection (WPAD) failed.'],
  ]),
];

function inet(rows: ReadonlyArray<readonly [number, string, string]>): CodeEntry[] {
  return rows.map(([value, symbol, summary]) => ({
    family: 'win.inet' as const,
    value,
    symbol,
    summary,
    source: 'winhttp.h (MinGW-w64); BRIEF §3.4',
  }));
}
