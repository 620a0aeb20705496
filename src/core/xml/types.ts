/**
 * Positioned XML, read without trusting the file (see `read.ts`), and the models of the
 * connector's `local.xml` (BRIEF §2.3) and `policy.xml` (BRIEF §2.4) built on it.
 * Plain data: core returns structure and ids, the server and CLI turn them into words.
 */
import type { Finding, Range } from '../types';

export interface XmlAttribute {
  /** As written (`xmlns:ds`, `id`). */
  name: string;
  /** Local name (`ds` for `xmlns:ds`, `id`). */
  local: string;
  value: string;
  /** The whole `name="value"`. */
  range: Range;
}

export interface XmlElement {
  /** As written (`ds:Signature`, `config`). */
  name: string;
  /** Local name, without prefix (`Signature`). */
  local: string;
  /** Namespace URI ('' for none): `policy.xml` is all in `http://www.w3.org/2000/09/xmldsig#`. */
  uri: string;
  /** `/Signature/Object/config/agent/log/level`: local names from the root, for matching paths. */
  path: string;
  depth: number;
  attributes: XmlAttribute[];
  children: XmlElement[];
  parent: XmlElement | undefined;
  /**
   * The element's own text (its text and CDATA children, not its descendants'), entity references
   * left as written when they are not one of the five predefined ones. Bounded: see `truncated`.
   */
  text: string;
  /** True when the text was longer than the kept bound. */
  textTruncated: boolean;
  /** Where the trimmed text sits (one range from its first to its last non-blank character). */
  textRange: Range | undefined;
  /** From `<` of the start tag to `>` of the end tag (or of the self-closing tag). */
  range: Range;
  /** The name in the start tag. */
  nameRange: Range;
  /** False when the file ended (or broke) before the element's end tag. */
  closed: boolean;
}

export type XmlProblemId =
  /** Not well-formed at this position (saxes' message in `args.detail`). */
  | 'xml.malformed'
  /** The file ends before the root element closes. */
  | 'xml.truncated'
  /** A DOCTYPE was present: it is ignored (nothing declared in it is expanded or fetched). */
  | 'xml.doctype-ignored'
  /** An entity reference that is not one of the five predefined ones: kept as written, never expanded. */
  | 'xml.entity-not-expanded'
  /** Elements nested deeper than the bound were skipped. */
  | 'xml.too-deep'
  /** More elements than the bound: the rest were not kept. */
  | 'xml.too-many-elements'
  /** The file is larger than the bound: only its start was read. */
  | 'xml.too-large'
  /** Not XML at all (binary, or no element). */
  | 'xml.not-xml';

export interface XmlProblem {
  id: XmlProblemId;
  severity: 'error' | 'warning' | 'information';
  range: Range;
  /** `detail` (parser message, English), `count` (repeated problems), `limit`, `name`. */
  args: Record<string, string | number>;
}

export interface XmlDocument {
  root: XmlElement | undefined;
  problems: XmlProblem[];
  /** Elements kept. */
  elements: number;
  /** Characters read (the bound may have stopped it early). */
  chars: number;
}

/** A value of a model, with the element it came from (for hover, diagnostics and outline). */
export interface Located<T> {
  value: T;
  element: XmlElement;
}

/** `local.xml` (BRIEF §2.3). Every field is optional: real files vary by version and platform. */
export interface LocalXmlModel {
  kind: 'local.xml';
  /** `/config/agent/uuid`. */
  connectorGuid?: Located<string>;
  /** `/config/janus/business/uuid`. */
  businessGuid?: Located<string>;
  /** Connector version, where the file records one (element unconfirmed: kept in data). */
  connectorVersion?: Located<string>;
  /** TETRA definition version from `/config/agent/engine/stats/definitions` (JSON `defVersion` "<x>:<N>", N). */
  tetraVersionFromStats?: Located<number>;
  /** TETRA definition version from `/config/agent/engine/tetra/defversions` ("<x>:<N>", N). */
  tetraVersionFromDefversions?: Located<number>;
  /** `//tetra/lasterror`: the last TETRA update error (0 = none), as the file writes it (unsigned). */
  tetraLastError?: Located<number>;
  /** `//lastsuccesstime` (epoch seconds as written; unit confirmed by shape only). */
  lastSuccessTime?: Located<number>;
  /** `/config/install/switches/*`: name → value. */
  installSwitches: Array<Located<string> & { name: string }>;
}

/**
 * What an exclusion excludes, by its type code (`exclusions/info/item` field 1, table
 * `EXCLUSION_TYPE_CODES` in `xml/policy.ts`, public tool, unconfirmed) or, for
 * `exclusions/process/item`, by which field holds the value: `process` (a path or file name) or
 * `sha256` (a SHA-256 in field 2 and no path).
 */
export type PolicyExclusionType = 'threat' | 'path' | 'extension' | 'file-name' | 'process' | 'wildcard' | 'sha256';

/** One decoded exclusion of `policy.xml` (BRIEF §2.4). */
export interface PolicyExclusion {
  /** Which list the item is in: `path` for `exclusions/info`, `process` for `exclusions/process`. */
  kind: 'path' | 'process' | 'other';
  /**
   * What it excludes. Undefined when the item does not say (no type field, or a code outside the
   * table: then `typeCode` keeps the code).
   */
  type?: PolicyExclusionType;
  /** `exclusions/info/item`: the type code as written (field 1), when it is a number. */
  typeCode?: number;
  /** The item as written (pipe-separated). */
  raw: string;
  /**
   * The excluded value, never empty: for info items field 4 on (else the last non-empty field);
   * for processes the path (field -3); for a SHA-256 process exclusion `SHA-256 <first 12 hex>…`
   * (the hash in full in `sha256`); for an item with no value, the item as written (`valueMissing`).
   */
  value: string;
  /** SHA-256 process exclusions: the hash (lower case). */
  sha256?: string;
  /** The item holds no value: `value` is the item as written, and nothing is matched. */
  valueMissing?: boolean;
  /** Process exclusions: the mask (field -2) and what its bits mean. */
  mask?: number;
  maskMeaning?: Array<'file-scan' | 'child-processes' | 'spp' | 'map'>;
  /** Bits of the mask the BRIEF gives no meaning for (2, 64 and up): shown as they are, never guessed. */
  unknownBits?: number;
  /** A leading `*` / `.*` wildcard: a known performance risk. */
  wildcardLeading: boolean;
  element: XmlElement;
}

/** `policy.xml` (BRIEF §2.4), under `Signature/Object/config`. */
export interface PolicyXmlModel {
  kind: 'policy.xml';
  /** The xmldsig envelope was found (root `Signature` in `http://www.w3.org/2000/09/xmldsig#`). */
  signed: boolean;
  /** The `config` element the paths below are relative to. */
  config?: XmlElement;
  policyUuid?: Located<string>;
  policyName?: Located<string>;
  policySerial?: Located<number>;
  /** `janus/policy/updated` (epoch seconds as written). */
  policyUpdated?: Located<number>;
  tetraEnabled?: Located<boolean>;
  tetraUpdaterEnabled?: Located<boolean>;
  tetraUpdateServer?: Located<string>;
  tetraUpdateInterval?: Located<number>;
  productUpdateServer?: Located<string>;
  productUpdateInterval?: Located<number>;
  proxy: {
    type?: Located<number>;
    server?: Located<string>;
    port?: Located<number>;
    authType?: Located<number>;
    username?: Located<string>;
    /** Present or not; the value is never kept in the model. */
    passwordSet?: Located<boolean>;
    pacUrl?: Located<string>;
  };
  tls: { verifyHost?: Located<boolean>; verifyPeer?: Located<boolean>; crlCheck?: Located<boolean> };
  isolation: { enabled?: Located<boolean>; allowProxy?: Located<boolean> };
  /** `agent/log/level` (debug = 549755813887). */
  agentLogLevel?: Located<number>;
  uiLogLevel?: Located<number>;
  heartbeatInterval?: Located<number>;
  engines: Array<Located<boolean> & { engine: 'spero' | 'ethos' | 'clamav' | 'exprev' | 'nfm' }>;
  nfmMode?: Located<number>;
  /** "Allow user to update TETRA definitions" (element unconfirmed: looked up from data, BRIEF §2.4). */
  userTetraUpdateAllowed?: Located<boolean>;
  exclusions: PolicyExclusion[];
}

/**
 * What a setting is, for hover: the knowledge entry's id (the renderer's key), the decoded value
 * in structured form, and where it stands.
 */
export interface SettingInfo {
  /** Stable id of the setting (`policy.agent.log.level`, `local.tetra.lasterror`). */
  id: string;
  element: XmlElement;
  /** The decoded value, structured (`{ kind: 'log-level', debug: true }`, `{ kind: 'seconds', seconds: 3600 }`). */
  decoded?: DecodedSetting;
  /** Where the knowledge comes from (BRIEF section, seed, "unconfirmed"). */
  source: string;
}

export type DecodedSetting =
  | { kind: 'boolean'; value: boolean }
  | { kind: 'log-level'; value: number; debug: boolean }
  | { kind: 'interval'; seconds: number; unitConfirmed: boolean }
  | { kind: 'epoch'; seconds: number; iso: string }
  | { kind: 'process-mask'; mask: number; meaning: Array<'file-scan' | 'child-processes' | 'spp' | 'map'>; unknownBits?: number }
  | { kind: 'exclusion'; exclusion: PolicyExclusion }
  | { kind: 'tetra-version'; version: number }
  | { kind: 'code'; value: number }
  | { kind: 'host'; host: string; cisco: boolean }
  | { kind: 'secret'; length: number }
  | { kind: 'nfm-mode'; value: number; mode?: 'audit' | 'passive' | 'active' }
  | { kind: 'text'; value: string };

/** Cross-file context the rules may use when it is known (bundle analysis fills more of it). */
export interface XmlRuleContext {
  /** The file's path (relative to the bundle root), used in evidence. */
  file: string;
  /** A revocation failure (0x80092013) was seen elsewhere in the case. */
  revocationFailuresSeen?: boolean;
  /** The connector version of the bundle, when known (`8.1.7.21417`). */
  connectorVersion?: string;
  /** The policy's TETRA update server, when known from another file (for the commands to copy). */
  tetraUpdateServer?: string;
}

/** The findings of one XML file, from its model and its reading problems. */
export type XmlFindings = Finding[];

/**
 * Knowledge about one setting, as data (like the code tables): what the hover says and how the
 * value decodes. English text; the renderer looks it up in the l10n bundle by its text.
 */
export interface SettingEntry {
  /** Stable id (`policy.agent.log.level`). */
  id: string;
  file: 'local.xml' | 'policy.xml';
  /**
   * Where it stands: for `local.xml` a path from the root (`/config/agent/uuid`) or anywhere
   * (`//tetra/lasterror`); for `policy.xml` a path under `Signature/Object/config` (`agent/log/level`).
   */
  path: string;
  /** One line: what the setting is. */
  summary: string;
  /** What it means in a Secure Endpoint case. */
  meaning?: string;
  /** What to check or change. */
  next?: string;
  /** How its value decodes. */
  decode: DecodedSetting['kind'];
  /** Never shown in full (proxy password, unlock code). */
  secret?: boolean;
  /** BRIEF section, seed, public tool, or "unconfirmed". */
  source: string;
}
