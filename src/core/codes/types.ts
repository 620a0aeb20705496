/** The code families Bundle Lens knows. Display names live with the renderers, keyed by these ids. */
export type FamilyId =
  | 'se.tetra' // Secure Endpoint TETRA update status / lasterror
  | 'se.isolation' // Secure Endpoint console error codes for Endpoint Isolation
  | 'se.event' // Secure Endpoint event type ids (console and PublishEvent)
  | 'win.hresult' // Windows HRESULT
  | 'win.win32' // Win32 error (ERROR_*), also unwrapped from HRESULT_FROM_WIN32
  | 'win.ntstatus' // NTSTATUS, also unwrapped from HRESULT_FROM_NT
  | 'win.inet' // WinHTTP / WinINet 12xxx
  | 'tls.alert' // TLS alert description (RFC 5246 / 8446)
  | 'curl' // curl exit codes
  | 'ipv4.le'; // a little-endian IPv4 address (NFMMemCache rip:)

/** One fact about one value of one family. English text is ours; names and numbers are facts. */
export interface CodeEntry {
  family: FamilyId;
  /** The value as the family writes it: signed for TETRA statuses, unsigned otherwise. */
  value: number;
  /** The name the vendor's headers or documents use, when there is one. */
  symbol?: string;
  /** One line: what the code is. */
  summary: string;
  /** What it usually means in a Secure Endpoint case. */
  meaning?: string;
  /** What to do next. */
  next?: string;
  /** A stable classification id used by rules and playbooks (e.g. `tetra.proxy-connect`). */
  kind?: string;
  /** Where the fact comes from (seed, BRIEF section, header file). */
  source: string;
}

/** What the text around a number says it is. Ordered by how specific the evidence is. */
export type ContextHint =
  | 'tetra-status'
  | 'isolation-error'
  | 'event-type'
  | 'certificate'
  | 'tls-alert'
  | 'curl-exit'
  | 'ipv4-le'
  | 'win32-error';

export interface HResultFields {
  severity: 0 | 1;
  reserved: 0 | 1;
  customer: 0 | 1;
  ntstatus: 0 | 1;
  x: 0 | 1;
  facility: number;
  code: number;
}

export interface Readings {
  /** The 32 bits as unsigned decimal. */
  unsigned: number;
  /** The 32 bits as signed (two's complement) decimal. */
  signed: number;
  /** `0x` and 8 upper-case hex digits. */
  hex: string;
  hresult: HResultFields;
}

/**
 * How a reading was reached: `context` — the words around the number name this family;
 * `exact` — the value is in this family's table; `structural` — only the bits say it could be
 * one (its meaning is not known).
 */
export type Confidence = 'context' | 'exact' | 'structural';

export interface CodeMatch {
  family: FamilyId;
  /** The value in this family's terms (e.g. the Win32 code inside an HRESULT). */
  value: number;
  /** Our knowledge of the value: summary, meaning, next step, source. */
  entry?: CodeEntry;
  /** Every name the vendor's headers give the value in this family, best first. */
  names: string[];
  confidence: Confidence;
  /** Set when the reading comes from unwrapping an HRESULT. */
  via?: 'hresult-from-win32' | 'hresult-from-nt';
  /** For `ipv4.le`: the dotted quad. */
  text?: string;
}

export interface Decoded {
  /** The text as written. */
  input: string;
  /** The exact value written (may exceed 32 bits). */
  value: bigint;
  /** Present when the value fits in 32 bits (signed or unsigned). */
  readings?: Readings;
  /** Known and structural meanings, best first. */
  matches: CodeMatch[];
  hint?: ContextHint;
  /** The value has the shape of a failure HRESULT (severity set, R and X clear): its fields mean something. */
  hresultShaped: boolean;
  /** The facility's names, when the value is HRESULT-shaped. */
  facilityNames: string[];
}
