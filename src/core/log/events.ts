/**
 * The log lines the rules key on, as data: a pattern per event with the seed or public tool it
 * comes from. Groups are named; `value` is the group holding the code a diagnostic points at.
 * Every pattern carries the `d` flag so the value's position is known exactly.
 */
export interface EventPattern {
  event: LogEventKind;
  re: RegExp;
  /** The named group whose position a finding points at. */
  value: string;
  source: string;
}

export type LogEventKind = 'tetra.result' | 'tetra.error' | 'tetra.avstat';

export const EVENT_PATTERNS: readonly EventPattern[] = [
  {
    event: 'tetra.result',
    re: /PerformTetraUpdate: bUpdated = (?<updated>TRUE|FALSE), state: (?<state>-?\d+), status: (?<status>-?\d+)/d,
    value: 'status',
    source: 'seed 001; BRIEF §2.2',
  },
  {
    event: 'tetra.error',
    re: /TetraUpdateInterface::update Update failed with error (?<status>-?\d+)/d,
    value: 'status',
    source: 'seed 001; BRIEF §2.2',
  },
  {
    event: 'tetra.avstat',
    re: /AVStat::CopyInternal : engine - (?<engine>\d+), defs - (?<defs>\d+), first failure - (?<firstFailure>[^,]{1,80}), last err code - (?<status>-?\d+), last upd success - (?<lastSuccess>[^,]{1,80})$/d,
    value: 'status',
    source: 'seed 001; BRIEF §2.2',
  },
];

/** Cheap pre-filter: only messages containing one of these run the patterns. */
export const EVENT_KEYWORDS = ['PerformTetraUpdate', 'Update failed with error', 'AVStat::CopyInternal'];
