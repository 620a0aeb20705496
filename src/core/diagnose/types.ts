/**
 * The shapes of a diagnosis (issue 8): the expert's decision trees of BRIEF §4.1 (TETRA) and §4.2
 * (isolation) walked over one bundle's analysis, and the case facts the trees in VS Code show
 * (endpoint, codes, timeline). Core fills ids and arguments only; `src/shared/render-diagnosis.ts`
 * turns them into (localised) words.
 */
import type { Evidence } from '../types';

export type StepStatus = 'pass' | 'fail' | 'unknown';

/** One step of a decision tree. */
export interface DiagnosisStep {
  /** Stable, `tetra.<step>` / `isolation.<step>` (the renderer's key, with `status`). */
  id: string;
  status: StepStatus;
  /**
   * A refinement the message depends on, e.g. `tetra.connected` fail because the console's Last
   * Seen is old (`stale`) or posture says `connected: false` (`disconnected`).
   */
  reason?: string;
  /** Fill the message template (versions, hosts, counts, dates; secrets never in full). */
  args: Record<string, string | number>;
  /** The lines that decided the step (file relative to the bundle root, 0-based range), bounded. */
  evidence: Evidence[];
  /** What would settle (or confirm) the step when the bundle lacks it: a file or a command output. */
  settle?: { id: string; how: string; args: Record<string, string | number> };
}

/** A next step: a command to run (values from the bundle filled in) or a setting to change. */
export interface DiagnosisAction {
  /** Stable id (the renderer's key for its title and description). */
  id: string;
  /** The exact text to run or copy, when the action is a command. */
  command?: string;
  args: Record<string, string | number>;
}

export type TetraVerdict =
  | 'healthy'
  | 'not-connected'
  | 'dns'
  | 'tls-revocation'
  | 'tls-cipher-mismatch'
  | 'proxy-connect'
  | 'proxy-auth'
  | 'proxy-download'
  | 'network-timeout'
  | 'unknown';

export type IsolationVerdict = 'not-isolated' | 'isolated' | 'isolated-unlock-failing' | 'unlock-locked-out' | 'unsupported' | 'unknown';

export interface Diagnosis<V extends string> {
  playbook: 'tetra' | 'isolation';
  verdict: V;
  /** Fill the verdict's sentence (the decisive value: status, host, version…). */
  args: Record<string, string | number>;
  /** The lines that decided the verdict (a subset of the steps' evidence). */
  evidence: Evidence[];
  /** Every step of the tree, in the playbook's order; none is skipped (no evidence = `unknown`). */
  steps: DiagnosisStep[];
  /** What to do next, most useful first, with the bundle's values filled in. */
  actions: DiagnosisAction[];
}

export type TetraDiagnosis = Diagnosis<TetraVerdict>;
export type IsolationDiagnosis = Diagnosis<IsolationVerdict>;

// --- Case facts for the trees --------------------------------------------------------------------

/** Where a fact was read: file relative to the bundle root, 0-based line. */
export interface FactPlace {
  file: string;
  line: number;
}

export type EndpointFactId =
  | 'hostname'
  | 'os'
  | 'platform'
  | 'connector-version'
  | 'connector-guid'
  | 'policy-name'
  | 'policy-serial'
  | 'tetra-version'
  | 'tetra-age'
  | 'update-server'
  | 'proxy'
  | 'isolation';

/** One line of the Endpoint tree: a value with every place it was read (first = the one used). */
export interface EndpointFact {
  id: EndpointFactId;
  /** As shown (a version, a host…); never a secret. */
  value: string;
  /** Fill the renderer's description when it depends on more than the value (age in days, source kind). */
  args: Record<string, string | number>;
  places: FactPlace[];
}

/** A code seen in the bundle, where its context says it is a code, with where. */
export interface SeenCode {
  /** The number as most often written (`4294965193`, `0x80092013`, `-2103`). */
  text: string;
  /** Its 32 bits, unsigned (the key: `-2103` and `4294965193` are one code). */
  u32: number;
  /** The context hint the decoder should use (`tetra-status`, `certificate`, `event-type`, …). */
  hint: string;
  /** Total occurrences (exact where the source counts exactly, e.g. log failure groups). */
  count: number;
  /** Occurrences, bounded (first ones kept), with their line text. */
  occurrences: Evidence[];
}

export type TimelineEventKind =
  | 'tetra.updated'
  | 'tetra.failed'
  | 'tetra.attempt'
  | 'isolation.started'
  | 'isolation.stopped'
  | 'isolation.failed'
  | 'isolation.unlock-limit'
  | 'policy.updated'
  | 'policy.failed';

/** One event of the Timeline tree, in time order across every log. */
export interface TimelineEvent {
  kind: TimelineEventKind;
  /** Year-resolved ISO time when known, else the time as written. */
  time: string;
  /** True when `time` is an ISO time (sortable across files). */
  iso: boolean;
  /** Status, version, event type … for the renderer. */
  args: Record<string, string | number>;
  place: FactPlace;
  text: string;
}

/** Everything the trees show for one bundle. */
export interface CaseView {
  endpoint: EndpointFact[];
  codes: SeenCode[];
  timeline: TimelineEvent[];
  /** The timeline was cut at its bound (`timelineTotal` is the full count). */
  timelineTotal: number;
}
