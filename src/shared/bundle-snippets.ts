/**
 * The field snippets (`snippets/*.json`) with the open bundle's values filled in: the connector
 * version (its version folder), the TETRA update server, the policy's proxy, and for the case note
 * the host name, platform and policy. The extension offers them as completions beside the static
 * snippets while a bundle is open.
 *
 * The values come from customer data and end up in commands an engineer runs, so each must have
 * the shape of what it is (a version, a host name, host:port); anything else is dropped and the
 * placeholder stays as it is. Values are escaped for snippet syntax.
 */
import type { BundleView } from './protocol';

export interface BundleValues {
  /** The connector version, which is also its version folder's name (8.1.7.21417). */
  version?: string;
  /** The TETRA definitions version on the endpoint (a daily number such as 90600). */
  definitions?: string;
  /** The TETRA update server the bundle names (only when not Cisco's default). */
  updateServer?: string;
  /** The policy's proxy as host:port, never with credentials. */
  proxy?: string;
  hostname?: string;
  platform?: 'Windows' | 'macOS' | 'Linux';
  /** `name (serial)` of the policy, for the case note. */
  policy?: string;
}

export interface SnippetDefinition {
  prefix: string | string[];
  body: string | string[];
  description?: string;
}

const VERSION = /^\d{1,4}(\.\d{1,6}){1,3}$/;
const HOST = /^(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}[A-Za-z0-9])?)*$/;
const HOST_PORT = /^(?:\[[0-9A-Fa-f:.]{2,45}\]|[A-Za-z0-9.-]{1,253})(?::\d{1,5})?$/;
const PLATFORMS: Record<string, BundleValues['platform']> = { windows: 'Windows', mac: 'macOS', macos: 'macOS', linux: 'Linux' };

/** The values of a bundle's Endpoint facts that have a safe shape. */
export function bundleValuesOf(view: Pick<BundleView, 'endpoint'>): BundleValues {
  const fact = (id: string): string | undefined => view.endpoint.find((f) => f.id === id)?.value?.trim();
  const values: BundleValues = {};
  const version = fact('connector-version');
  if (version && VERSION.test(version)) values.version = version;
  const definitions = fact('tetra-version');
  if (definitions && /^\d{1,9}$/.test(definitions)) values.definitions = definitions;
  const server = fact('update-server');
  if (server && HOST.test(server)) values.updateServer = server.toLowerCase();
  const proxy = fact('proxy');
  if (proxy && HOST_PORT.test(proxy)) values.proxy = proxy;
  const hostname = fact('hostname');
  if (hostname && HOST.test(hostname)) values.hostname = hostname;
  const platform = PLATFORMS[(fact('platform') ?? '').toLowerCase()];
  if (platform) values.platform = platform;
  const name = plain(fact('policy-name'));
  const serial = plain(fact('policy-serial'));
  if (name) values.policy = serial ? `${name} (${serial})` : name;
  return values;
}

/** Free text for a Markdown note: no control characters, no line breaks, at most 120 characters. */
function plain(text: string | undefined): string | undefined {
  const t = text
    // Control characters, line and paragraph separators, and bidi controls (which could make the
    // note read differently from what it holds).
    ?.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
  return t ? [...t].slice(0, 120).join('') : undefined;
}

/** Escapes text for a snippet placeholder's default (`$`, `}` and `\`). */
function escapeDefault(text: string): string {
  return text.replace(/[\\$}]/g, (c) => `\\${c}`);
}

/** Escapes text for a snippet choice: inside a choice only `,`, `|` and `\` are escapable. */
function escapeChoice(text: string): string {
  return text.replace(/[\\,|]/g, (c) => `\\${c}`);
}

/**
 * The snippet body with the bundle's values as the defaults of the placeholders they answer;
 * `undefined` when the bundle answers none of them (the static snippet says it all).
 */
export function fillSnippet(body: string, values: BundleValues): string | undefined {
  let filled = 0;
  const text = body
    .replace(/\$\{(\d+):([^}$\\]*)\}/g, (whole, n: string, placeholder: string) => {
      const value = defaultFor(placeholder, values);
      if (value === undefined) return whole;
      filled++;
      return `\${${n}:${escapeDefault(value)}}`;
    })
    .replace(/\$\{(\d+)\|([^|}]*)\|\}/g, (whole, n: string, list: string) => {
      const choices = list.split(',');
      const first = choices.some((c) => /^tetra-defs\./.test(c)) ? values.updateServer : choices.includes('Windows') ? values.platform : undefined;
      if (first === undefined) return whole;
      filled++;
      const rest = choices.filter((c) => c.toLowerCase() !== first.toLowerCase());
      return `\${${n}|${[escapeChoice(first), ...rest].join(',')}|}`;
    });
  return filled > 0 ? text : undefined;
}

function defaultFor(placeholder: string, values: BundleValues): string | undefined {
  // `version` is the connector's (its version folder); the case note's definitions lines name theirs.
  if (placeholder === 'version' || VERSION.test(placeholder)) return values.version;
  if (placeholder === 'definitions version') return values.definitions;
  if (placeholder === 'hostname') return values.hostname;
  if (placeholder === 'name (serial)') return values.policy;
  const proxy = /^(.*)http:\/\/proxy\.example\.com:8080(.*)$/.exec(placeholder);
  if (proxy && values.proxy) return `${proxy[1]}http://${values.proxy}${proxy[2]}`;
  return undefined;
}

/** The bundle's values in one line, for the completion's label: `8.1.7.21417 · tetra-defs.eu…`. */
export function valuesSummary(values: BundleValues): string {
  return [values.version, values.updateServer, values.proxy].filter((v) => v !== undefined).join(' · ');
}

/** Every snippet of a file that the bundle's values change, with its filled body. */
export function bundleSnippets(file: Record<string, SnippetDefinition>, values: BundleValues): Array<{ name: string; prefix: string; body: string; description?: string }> {
  const out: Array<{ name: string; prefix: string; body: string; description?: string }> = [];
  for (const [name, s] of Object.entries(file)) {
    const body = Array.isArray(s.body) ? s.body.join('\n') : s.body;
    const filled = fillSnippet(body, values);
    if (filled === undefined) continue;
    const prefix = Array.isArray(s.prefix) ? s.prefix[0] : s.prefix;
    if (!prefix) continue;
    out.push({ name, prefix, body: filled, ...(s.description ? { description: s.description } : {}) });
  }
  return out;
}

/**
 * A snippet body as it reads once inserted with its defaults (choices: the first), for the
 * completion's preview (variables as `<NAME>`). One pass, left to right, so text that came out of a default is never
 * read as syntax again (a policy named `cost $5 plan` previews as it is inserted).
 */
export function snippetPreview(body: string): string {
  return body.replace(/\\(.)|\$\{\d+:((?:\\.|[^}\\])*)\}|\$\{\d+\|((?:\\.|[^,|\\])*)(?:,(?:\\.|[^|\\])*)*\|\}|\$\d+|\$\{([A-Z_]+)\}|\$([A-Z_]+)/g, (_w, escaped?: string, d?: string, choice?: string, v1?: string, v2?: string) => {
    if (escaped !== undefined) return escaped;
    // A variable (the date, the file name) is filled by the editor: named in the preview.
    if (v1 ?? v2) return `<${v1 ?? v2}>`;
    const text = d ?? choice;
    return text === undefined ? '' : text.replace(/\\(.)/g, '$1');
  });
}
