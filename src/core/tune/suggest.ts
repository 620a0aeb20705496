/**
 * Candidate exclusions for the heaviest activity that is not excluded yet (issue 9, part 3), each
 * with its event count and the cautions that apply; never a system folder nor a script host
 * (`data.ts`: PROTECTED_FOLDERS, PROTECTED_PROCESSES), which are listed as withheld instead.
 *
 * Folders are chosen as hierarchical heavy hitters over the folder tree (every folder of a path
 * counted, in CSIDL form so every user's profile adds up): from the deepest folders up, a folder
 * is a candidate when the events below it that no deeper candidate (or withheld folder) already
 * accounts for reach the threshold. So `…\Cache\Cache_Data` is suggested rather than `…\Chrome`,
 * and a parent is suggested too only when it has substantial activity of its own beyond them.
 */
import { SUGGESTION_MIN_EVENTS, SUGGESTION_MIN_SHARE } from './data';
import type { ExclusionMatcher } from './exclusions';
import { protectedFolderReason, protectedProcessReason, toCsidlForm } from './paths';
import type { HeavyEntry, SpaceSaving } from './topk';
import type { Suggestion, SuggestionCaution, TuneTotals, Withheld } from './types';

export interface SuggestInput {
  processes: SpaceSaving;
  /** Folder tree of the events not excluded yet (CSIDL form, see TuneCollector). */
  tree: SpaceSaving;
  totals: TuneTotals;
  top: number;
  windowed: boolean;
  matcher?: ExclusionMatcher | undefined;
}

const PER_USER_CSIDL = ['csidl_profile', 'csidl_local_appdata', 'csidl_appdata', 'csidl_desktopdirectory'];

function under(key: string, roots: readonly string[]): boolean {
  return roots.some((r) => key === r || key.startsWith(r + '\\'));
}

function hasSegment(key: string, names: readonly string[]): boolean {
  return key.split('\\').some((s) => names.includes(s));
}

/** A process path users can write to (a profile, a temp folder, ProgramData). */
function userWritable(lowerPath: string): boolean {
  return lowerPath.startsWith('c:\\users\\') || lowerPath.startsWith('c:\\programdata\\') || hasSegment(lowerPath, ['temp', 'tmp', 'appdata', 'downloads']);
}

/** A tree entry's folder as suggested: its literal folder (first seen) in CSIDL form. */
function folderForm(e: HeavyEntry): string {
  return toCsidlForm(e.display.toLowerCase(), e.display).display;
}

export function suggest(input: SuggestInput): { suggestions: Suggestion[]; withheld: Withheld[] } {
  const { processes, tree, totals, top, windowed, matcher } = input;
  const open = totals.fileEvents - totals.excluded;
  const threshold = Math.max(SUGGESTION_MIN_EVENTS, SUGGESTION_MIN_SHARE * open);
  const common = (e: HeavyEntry): SuggestionCaution[] => [...(e.error > 0 ? (['count-approximate'] as const) : []), ...(windowed ? (['window-only'] as const) : [])];

  // Processes: the most events not excluded yet.
  const processSuggestions: Suggestion[] = [];
  const withheld: Withheld[] = [];
  // Per-user processes (`C:\Users\jdoe\AppData\Local\…\Teams.exe`) fold into their CSIDL form,
  // so every user's copy adds up, as folders do.
  const folded = new Map<string, HeavyEntry & { example?: string }>();
  for (const e of processes.entries()) {
    let key = e.key;
    let display = e.display;
    let example: string | undefined;
    if (key.startsWith('c:\\users\\')) {
      const f = toCsidlForm(key, display);
      if (f.lower !== key) {
        key = f.lower;
        display = f.display;
        example = e.display;
      }
    }
    const had = folded.get(key);
    if (had) {
      had.count += e.count;
      had.error += e.error;
      had.excluded += e.excluded;
      had.work += e.work;
    } else {
      const entry: HeavyEntry & { example?: string } = { ...e, key, display };
      if (example !== undefined) entry.example = example;
      folded.set(key, entry);
    }
  }
  const byOpen = [...folded.values()].sort((a, b) => b.count - b.excluded - (a.count - a.excluded) || (a.key < b.key ? -1 : 1));
  for (const e of byOpen) {
    const rest = e.count - e.excluded;
    if (rest < threshold || (processSuggestions.length >= top && withheld.length >= top)) break;
    if (matcher?.matchProcess(e.key).fileScan || (e.example !== undefined && matcher?.matchProcess(e.example.toLowerCase()).fileScan)) continue;
    const reason = protectedProcessReason(e.key);
    if (reason) {
      if (withheld.length < top) withheld.push({ kind: 'process', value: e.display, events: rest, reason });
      continue;
    }
    if (processSuggestions.length >= top) continue;
    const cautions: SuggestionCaution[] = ['process-writes-unscanned'];
    if (userWritable(e.key)) cautions.push('user-writable-path');
    if (e.key.startsWith('c:\\windows\\')) cautions.push('system-area');
    if (e.example !== undefined) cautions.push('user-writable-path', 'csidl-every-user');
    const ps: Suggestion = { kind: 'process', value: e.display, events: rest, error: e.error, share: open > 0 ? rest / open : 0, mask: 0, cautions: [...new Set([...cautions, ...common(e)])] };
    if (e.example !== undefined) ps.example = e.example;
    processSuggestions.push(ps);
  }

  // Folders: hierarchical heavy hitters, deepest first.
  const depth = (k: string) => {
    let n = 0;
    for (let i = k.indexOf('\\'); i >= 0; i = k.indexOf('\\', i + 1)) n++;
    return n;
  };
  const candidates = [...tree.entries()].filter((e) => e.count >= threshold).sort((a, b) => depth(b.key) - depth(a.key) || b.count - a.count || (a.key < b.key ? -1 : 1));
  /** Reported folders (suggested or withheld) not inside another reported one. */
  let accounted: Array<{ entry: HeavyEntry; suggested: boolean }> = [];
  const folderSuggestions: Array<{ s: Suggestion; entry: HeavyEntry }> = [];
  const withheldFolders: Withheld[] = [];
  for (const e of candidates) {
    const prefix = e.key + '\\';
    let covered = 0;
    const inside: Array<{ entry: HeavyEntry; suggested: boolean }> = [];
    for (const a of accounted) {
      if (a.entry.key.startsWith(prefix)) {
        covered += a.entry.count;
        inside.push(a);
      }
    }
    const rest = e.count - covered;
    if (rest < threshold) continue;
    accounted = accounted.filter((a) => !inside.includes(a));
    const reason = protectedFolderReason(e.key);
    if (reason) {
      withheldFolders.push({ kind: 'folder', value: folderForm(e) + '\\', events: rest, reason });
      accounted.push({ entry: e, suggested: false });
      continue;
    }
    accounted.push({ entry: e, suggested: true });
    const cautions: SuggestionCaution[] = [];
    if (under(e.key, PER_USER_CSIDL) || e.key.startsWith('c:\\users\\')) cautions.push('user-profile-folder');
    if (under(e.key, ['csidl_windows', 'csidl_system'])) cautions.push('system-area');
    if (hasSegment(e.key, ['temp', 'tmp', 'inetcache'])) cautions.push('temp-area');
    if (under(e.key, PER_USER_CSIDL)) cautions.push('csidl-every-user');
    const shown = folderForm(e);
    const s: Suggestion = { kind: 'folder', value: shown + '\\', events: e.count, error: e.error, share: open > 0 ? e.count / open : 0, cautions: [...cautions, ...common(e)] };
    if (shown !== e.display) s.example = e.display + '\\';
    const narrower = inside.filter((a) => a.suggested).map((a) => folderForm(a.entry) + '\\');
    if (narrower.length > 0) s.narrower = narrower;
    folderSuggestions.push({ s, entry: e });
  }
  const byEvents = <T extends { events: number; value: string }>(a: T, b: T) => b.events - a.events || (a.value < b.value ? -1 : 1);
  // `top` suggestions in all (processes and folders together), the heaviest.
  const suggestions = [...processSuggestions, ...folderSuggestions.map((f) => f.s)].sort(byEvents).slice(0, top);
  return { suggestions, withheld: [...withheld, ...withheldFolders.sort(byEvents).slice(0, top)].sort(byEvents) };
}
