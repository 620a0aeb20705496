import type { CodeEntry } from '../types';

/**
 * TLS alert descriptions (RFC 5246 §7.2, RFC 8446 §6) with the Schannel code each usually becomes
 * on Windows (BRIEF §3.4), and curl exit codes (curl's libcurl-errors documentation; BRIEF §3.4).
 * Only read when the text around a number says it is one of these (they are small numbers).
 */
export const PROTOCOL_CODES: readonly CodeEntry[] = [
  ...alerts([
    [10, 'unexpected_message', 'SEC_E_ILLEGAL_MESSAGE'],
    [40, 'handshake_failure', 'SEC_E_ILLEGAL_MESSAGE'],
    [45, 'certificate_expired', 'SEC_E_CERT_EXPIRED'],
    [47, 'illegal_parameter', undefined],
    [48, 'unknown_ca', 'SEC_E_UNTRUSTED_ROOT'],
    [50, 'decode_error', 'SEC_E_ILLEGAL_MESSAGE'],
    [70, 'protocol_version', 'SEC_E_UNSUPPORTED_FUNCTION'],
    [71, 'insufficient_security', 'SEC_E_ALGORITHM_MISMATCH'],
  ]),
  ...curl([
    [5, 'CURLE_COULDNT_RESOLVE_PROXY', 'curl could not resolve the proxy\u2019s name.'],
    [6, 'CURLE_COULDNT_RESOLVE_HOST', 'curl could not resolve the host name.'],
    [7, 'CURLE_COULDNT_CONNECT', 'curl could not connect to the host or proxy.'],
    [28, 'CURLE_OPERATION_TIMEDOUT', 'The operation timed out.'],
    [35, 'CURLE_SSL_CONNECT_ERROR', 'The TLS handshake failed (on Windows the Schannel code in the message says why).'],
    [56, 'CURLE_RECV_ERROR', 'Receiving data failed.'],
    [60, 'CURLE_PEER_FAILED_VERIFICATION', 'The server certificate could not be verified.'],
  ]),
];

function alerts(rows: ReadonlyArray<readonly [number, string, string | undefined]>): CodeEntry[] {
  return rows.map(([value, symbol, schannel]) => ({
    family: 'tls.alert' as const,
    value,
    symbol,
    summary: schannel ? `TLS alert ${symbol}; Schannel reports it as ${schannel}.` : `TLS alert ${symbol}.`,
    source: 'RFC 5246 §7.2 / RFC 8446 §6; Schannel mapping BRIEF §3.4',
  }));
}

function curl(rows: ReadonlyArray<readonly [number, string, string]>): CodeEntry[] {
  return rows.map(([value, symbol, summary]) => ({
    family: 'curl' as const,
    value,
    symbol,
    summary,
    source: 'curl exit codes (libcurl-errors); BRIEF §3.4',
  }));
}
