/** Replaced at build time with package.json's version (scripts/build.mjs `define`). */
declare const BUNDLE_LENS_VERSION: string;

export const VERSION: string = BUNDLE_LENS_VERSION;
