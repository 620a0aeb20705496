import type { CodeEntry } from '../types';

/**
 * TLS alert descriptions (RFC 5246 §7.2, RFC 8446 §6) with the Schannel code each becomes on
 * Windows where the BRIEF (§3.4) gives it, and curl exit codes (curl's libcurl-errors list).
 * Numbers and names are facts; the words are ours. Read only when the context says so, or by the
 * CLI's exhaustive decode (they are small numbers).
 */
interface Row {
  value: number;
  symbol: string;
  summary: string;
  meaning?: string;
  next?: string;
}

const HANDSHAKE_NEXT =
  'Capture the failing handshake: compare the Client Hello\u2019s cipher suites with the four the TETRA server accepts (TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384, TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256, TLS_DHE_RSA_WITH_AES_128_GCM_SHA256, TLS_AES_128_GCM_SHA256); fix the Group Policy \u201cSSL Cipher Suite Order\u201d if none is offered.';

const ALERTS: Row[] = [
  { value: 0, symbol: 'close_notify', summary: 'The peer is closing the connection normally.' },
  {
    value: 10,
    symbol: 'unexpected_message',
    summary: 'A message arrived that was not expected at that point of the handshake. Schannel reports it as SEC_E_ILLEGAL_MESSAGE.',
    meaning: 'Often something between the endpoint and the server (a proxy or TLS inspection device) altered the handshake.',
    next: 'Capture on both sides of the proxy; make sure Secure Endpoint traffic is not inspected or rewritten.',
  },
  { value: 20, symbol: 'bad_record_mac', summary: 'A record failed its integrity check.' },
  { value: 21, symbol: 'decryption_failed_RESERVED', summary: 'A record could not be decrypted (reserved; TLS 1.0 only).' },
  { value: 22, symbol: 'record_overflow', summary: 'A record was longer than allowed.' },
  { value: 30, symbol: 'decompression_failure_RESERVED', summary: 'Decompression failed (reserved).' },
  {
    value: 40,
    symbol: 'handshake_failure',
    summary: 'The peer could not agree on security parameters. Schannel reports it as SEC_E_ILLEGAL_MESSAGE.',
    meaning: 'For TETRA updates: the endpoint offered none of the cipher suites the TETRA server accepts; the console shows -3000 \u201cnetwork timeout\u201d.',
    next: HANDSHAKE_NEXT,
  },
  { value: 41, symbol: 'no_certificate_RESERVED', summary: 'No certificate was sent (reserved; SSL 3.0 only).' },
  { value: 42, symbol: 'bad_certificate', summary: 'A certificate was corrupt or its signature did not verify.' },
  { value: 43, symbol: 'unsupported_certificate', summary: 'A certificate was of an unsupported type.' },
  { value: 44, symbol: 'certificate_revoked', summary: 'A certificate was revoked by its issuer.' },
  {
    value: 45,
    symbol: 'certificate_expired',
    summary: 'A certificate has expired or is not yet valid. Schannel reports it as SEC_E_CERT_EXPIRED.',
    meaning: 'Check the endpoint\u2019s clock first: a wrong date makes valid certificates look expired.',
    next: 'Compare the endpoint\u2019s date and time with the certificate\u2019s validity; fix the time source.',
  },
  { value: 46, symbol: 'certificate_unknown', summary: 'A certificate could not be accepted for another reason.' },
  {
    value: 47,
    symbol: 'illegal_parameter',
    summary: 'A field of the handshake was out of range or inconsistent.',
    meaning: 'Schannel logs it in the System event log as event 36887 \u201cfatal alert was received: 47\u201d.',
    next: 'Capture the handshake and look at the message right before the alert.',
  },
  {
    value: 48,
    symbol: 'unknown_ca',
    summary: 'The certificate chain ends in an authority the peer does not know. Schannel reports it as SEC_E_UNTRUSTED_ROOT.',
    meaning: 'Typical of a proxy that inspects TLS and re-signs traffic with its own authority; Cisco requires its traffic not to be decrypted.',
    next: 'Exclude the Secure Endpoint hosts from TLS inspection on the proxy or firewall.',
  },
  { value: 49, symbol: 'access_denied', summary: 'The certificate was valid, but access was refused.' },
  {
    value: 50,
    symbol: 'decode_error',
    summary: 'A message could not be decoded. Schannel reports it as SEC_E_ILLEGAL_MESSAGE.',
    meaning: 'A handshake message was truncated or malformed, often by a device in the path.',
    next: 'Capture on both sides of the proxy or firewall and compare the handshake.',
  },
  { value: 51, symbol: 'decrypt_error', summary: 'A handshake cryptographic operation failed (signature or Finished check).' },
  { value: 60, symbol: 'export_restriction_RESERVED', summary: 'Export restriction (reserved).' },
  {
    value: 70,
    symbol: 'protocol_version',
    summary: 'The peer does not support the offered TLS version. Schannel reports it as SEC_E_UNSUPPORTED_FUNCTION.',
    meaning: 'The endpoint offers only TLS versions the server refuses (for example TLS 1.2 disabled on the endpoint).',
    next: 'Check the endpoint\u2019s SCHANNEL protocol settings (TLS 1.2 enabled for clients).',
  },
  {
    value: 71,
    symbol: 'insufficient_security',
    summary: 'The server requires stronger ciphers than the client offered. Schannel reports it as SEC_E_ALGORITHM_MISMATCH.',
    meaning: 'The endpoint\u2019s cipher suite list lacks every suite the server accepts.',
    next: HANDSHAKE_NEXT,
  },
  { value: 80, symbol: 'internal_error', summary: 'The peer failed for a reason of its own.' },
  { value: 86, symbol: 'inappropriate_fallback', summary: 'A version fallback was refused (RFC 7507).' },
  { value: 90, symbol: 'user_canceled', summary: 'The handshake was cancelled.' },
  { value: 100, symbol: 'no_renegotiation_RESERVED', summary: 'Renegotiation was refused.' },
  { value: 109, symbol: 'missing_extension', summary: 'A required extension was missing (TLS 1.3).' },
  { value: 110, symbol: 'unsupported_extension', summary: 'An extension was sent that the peer does not support.' },
  { value: 111, symbol: 'certificate_unobtainable_RESERVED', summary: 'A certificate could not be fetched (reserved).' },
  { value: 112, symbol: 'unrecognized_name', summary: 'The server does not know the name sent in SNI.' },
  { value: 113, symbol: 'bad_certificate_status_response', summary: 'The OCSP status response was invalid.' },
  { value: 114, symbol: 'bad_certificate_hash_value_RESERVED', summary: 'A certificate hash did not match (reserved).' },
  { value: 115, symbol: 'unknown_psk_identity', summary: 'The pre-shared key identity is unknown.' },
  { value: 116, symbol: 'certificate_required', summary: 'The server requires a client certificate (TLS 1.3).' },
  { value: 120, symbol: 'no_application_protocol', summary: 'No application protocol (ALPN) in common.' },
];

const PROXY_NEXT = 'Check the proxy in the policy and in the command (host and port), and that the endpoint can reach it.';

const CURL: Row[] = [
  { value: 1, symbol: 'CURLE_UNSUPPORTED_PROTOCOL', summary: 'The URL\u2019s protocol is not supported by this curl.' },
  { value: 2, symbol: 'CURLE_FAILED_INIT', summary: 'curl failed to initialise.' },
  { value: 3, symbol: 'CURLE_URL_MALFORMAT', summary: 'The URL is malformed.' },
  { value: 4, symbol: 'CURLE_NOT_BUILT_IN', summary: 'A requested feature is not built into this curl.' },
  {
    value: 5,
    symbol: 'CURLE_COULDNT_RESOLVE_PROXY',
    summary: 'curl could not resolve the proxy\u2019s name.',
    meaning: 'The proxy host name does not resolve from the endpoint.',
    next: PROXY_NEXT,
  },
  {
    value: 6,
    symbol: 'CURLE_COULDNT_RESOLVE_HOST',
    summary: 'curl could not resolve the host name.',
    meaning: 'DNS does not resolve the update server from the endpoint.',
    next: 'Run Resolve-DnsName -Name <update server>: it must return A records; check the DNS servers and any split-DNS rules.',
  },
  {
    value: 7,
    symbol: 'CURLE_COULDNT_CONNECT',
    summary: 'curl could not connect to the host or proxy.',
    meaning: 'The name resolved, but TCP 443 (or the proxy port) could not be reached: a firewall, a missing route or a required proxy.',
    next: 'Allow the endpoint to reach the update server on TCP 443, or configure the proxy.',
  },
  { value: 8, symbol: 'CURLE_WEIRD_SERVER_REPLY', summary: 'The server\u2019s reply could not be parsed.' },
  { value: 9, symbol: 'CURLE_REMOTE_ACCESS_DENIED', summary: 'Access to the resource was denied.' },
  { value: 16, symbol: 'CURLE_HTTP2', summary: 'A problem in the HTTP/2 framing layer.' },
  { value: 18, symbol: 'CURLE_PARTIAL_FILE', summary: 'The transfer ended before all the data arrived.' },
  { value: 22, symbol: 'CURLE_HTTP_RETURNED_ERROR', summary: 'The server answered with an HTTP error (with --fail).' },
  { value: 23, symbol: 'CURLE_WRITE_ERROR', summary: 'Writing the received data failed.' },
  { value: 25, symbol: 'CURLE_UPLOAD_FAILED', summary: 'The upload failed.' },
  { value: 26, symbol: 'CURLE_READ_ERROR', summary: 'Reading a local file failed.' },
  { value: 27, symbol: 'CURLE_OUT_OF_MEMORY', summary: 'curl ran out of memory.' },
  {
    value: 28,
    symbol: 'CURLE_OPERATION_TIMEDOUT',
    summary: 'The operation timed out.',
    meaning: 'No answer in time: traffic silently dropped by a firewall, or a proxy that does not forward it.',
    next: 'Check the firewall and proxy path to the update server; capture the attempt.',
  },
  { value: 33, symbol: 'CURLE_RANGE_ERROR', summary: 'The server does not support the requested range.' },
  {
    value: 35,
    symbol: 'CURLE_SSL_CONNECT_ERROR',
    summary: 'The TLS handshake failed (on Windows the Schannel code in the message says why).',
    meaning: 'With 0x80092013 in the message: the revocation servers cannot be reached. With a handshake alert: no cipher suite in common.',
    next: 'Decode the code in the same line (hover it); for 0x80092013 allow the CRL/OCSP hosts (commercial.ocsp.identrust.com, validation.identrust.com).',
  },
  { value: 47, symbol: 'CURLE_TOO_MANY_REDIRECTS', summary: 'Too many redirects.' },
  { value: 52, symbol: 'CURLE_GOT_NOTHING', summary: 'The server closed the connection without a reply.' },
  { value: 53, symbol: 'CURLE_SSL_ENGINE_NOTFOUND', summary: 'The TLS crypto engine was not found.' },
  { value: 55, symbol: 'CURLE_SEND_ERROR', summary: 'Sending data failed.' },
  {
    value: 56,
    symbol: 'CURLE_RECV_ERROR',
    summary: 'Receiving data failed.',
    meaning: 'The connection was cut during the transfer, often by a proxy or inspection device.',
    next: 'Read the proxy\u2019s logs for the connection; capture the attempt.',
  },
  { value: 58, symbol: 'CURLE_SSL_CERTPROBLEM', summary: 'A problem with the local client certificate.' },
  { value: 59, symbol: 'CURLE_SSL_CIPHER', summary: 'The specified cipher could not be used.' },
  {
    value: 60,
    symbol: 'CURLE_PEER_FAILED_VERIFICATION',
    summary: 'The server certificate could not be verified.',
    meaning: 'Usually TLS inspection: the certificate presented is the proxy\u2019s, signed by an authority the endpoint does not trust.',
    next: 'Exclude the Secure Endpoint hosts from TLS inspection.',
  },
  { value: 61, symbol: 'CURLE_BAD_CONTENT_ENCODING', summary: 'The content encoding is not recognised.' },
  { value: 67, symbol: 'CURLE_LOGIN_DENIED', summary: 'The login was denied.' },
  { value: 77, symbol: 'CURLE_SSL_CACERT_BADFILE', summary: 'The CA certificate file could not be read.' },
  { value: 78, symbol: 'CURLE_REMOTE_FILE_NOT_FOUND', summary: 'The remote file was not found.' },
  { value: 80, symbol: 'CURLE_SSL_SHUTDOWN_FAILED', summary: 'Closing the TLS connection failed.' },
  { value: 82, symbol: 'CURLE_SSL_CRL_BADFILE', summary: 'The CRL file could not be read.' },
  { value: 83, symbol: 'CURLE_SSL_ISSUER_ERROR', summary: 'The issuer check failed.' },
  { value: 90, symbol: 'CURLE_SSL_PINNEDPUBKEYNOTMATCH', summary: 'The pinned public key did not match.' },
  { value: 91, symbol: 'CURLE_SSL_INVALIDCERTSTATUS', summary: 'The certificate status (OCSP stapling) was invalid.' },
  { value: 92, symbol: 'CURLE_HTTP2_STREAM', summary: 'A problem in an HTTP/2 stream.' },
  { value: 95, symbol: 'CURLE_HTTP3', summary: 'A problem in the HTTP/3 layer.' },
  { value: 97, symbol: 'CURLE_PROXY', summary: 'The proxy handshake failed.', next: PROXY_NEXT },
];

function rows(family: 'tls.alert' | 'curl', list: Row[], source: string): CodeEntry[] {
  return list.map((r) => {
    const e: CodeEntry = { family, value: r.value, symbol: r.symbol, summary: r.summary, source };
    if (r.meaning) e.meaning = r.meaning;
    if (r.next) e.next = r.next;
    return e;
  });
}

export const PROTOCOL_CODES: readonly CodeEntry[] = [
  ...rows('tls.alert', ALERTS, 'RFC 5246 §7.2 / RFC 8446 §6; Schannel mapping BRIEF §3.4'),
  ...rows('curl', CURL, 'curl exit codes (libcurl-errors); BRIEF §3.4'),
];
