import { PROTOCOL_CODES } from './data/protocols';
import { SECURE_ENDPOINT_CODES } from './data/secure-endpoint';
import { WINDOWS_CODES } from './data/windows';
import type { CodeEntry, FamilyId } from './types';

/** Every table, indexed by family and by the value's unsigned 32-bit form. */
const byFamily = new Map<FamilyId, Map<number, CodeEntry>>();
for (const entry of [...SECURE_ENDPOINT_CODES, ...WINDOWS_CODES, ...PROTOCOL_CODES]) {
  let table = byFamily.get(entry.family);
  if (!table) byFamily.set(entry.family, (table = new Map()));
  table.set(entry.value >>> 0, entry);
}

export function lookup(family: FamilyId, u32: number): CodeEntry | undefined {
  return byFamily.get(family)?.get(u32 >>> 0);
}

/** All entries of a family (for tests, documentation and the CLI's listing). */
export function entries(family: FamilyId): CodeEntry[] {
  return [...(byFamily.get(family)?.values() ?? [])];
}
