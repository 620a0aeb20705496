import * as path from 'node:path';

/** Tests run from out/test/<suite>/; the repository root is three levels up. */
export const ROOT = path.resolve(__dirname, '../../..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');
export const DIST = path.join(ROOT, 'dist');

export function fixture(...parts: string[]): string {
  return path.join(FIXTURES, ...parts);
}
