/**
 * A minimal LSP client for protocol tests: starts the real `dist/server.js --stdio` as a child
 * process and speaks JSON-RPC to it. Waits are on messages (notifications, responses), never sleeps.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CancellationTokenSource,
  createMessageConnection,
  StreamMessageReader,
  StreamMessageWriter,
  type MessageConnection,
} from 'vscode-jsonrpc/node';
import { DIST } from './paths';

export interface PublishedDiagnostics {
  uri: string;
  version?: number;
  diagnostics: Array<{ code?: string; message: string; range: { start: { line: number; character: number } }; relatedInformation?: unknown[] }>;
}

export class LspClient {
  readonly published: PublishedDiagnostics[] = [];
  private readonly listeners = new Set<() => void>();
  stderr = '';
  /** What the client answers to workspace/configuration for the `bundleLens` section. */
  settings: unknown = null;
  initializeResult: any;
  private readyNotified = false;

  private constructor(
    readonly proc: ChildProcessWithoutNullStreams,
    readonly conn: MessageConnection,
  ) {}

  static async start(options: { pullDiagnostics: boolean; configuration?: boolean; initializationOptions?: unknown; locale?: string }): Promise<LspClient> {
    const proc = spawn(process.execPath, [path.join(DIST, 'server.js'), '--stdio'], { stdio: 'pipe' });
    const conn = createMessageConnection(new StreamMessageReader(proc.stdout), new StreamMessageWriter(proc.stdin));
    const client = new LspClient(proc, conn);
    proc.stderr.on('data', (d: Buffer) => (client.stderr += d.toString()));
    conn.onNotification('textDocument/publishDiagnostics', (p: PublishedDiagnostics) => {
      client.published.push(p);
      client.changed();
    });
    conn.onNotification('bundleLens/ready', () => {
      client.readyNotified = true;
      client.changed();
    });
    conn.onNotification('window/logMessage', () => undefined);
    conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => client.settings));
    conn.listen();
    const textDocument: Record<string, unknown> = {
      synchronization: { dynamicRegistration: false },
      hover: { contentFormat: ['markdown', 'plaintext'] },
      publishDiagnostics: { relatedInformation: true, versionSupport: true },
    };
    if (options.pullDiagnostics) textDocument['diagnostic'] = { dynamicRegistration: false, relatedDocumentSupport: false };
    client.initializeResult = await conn.sendRequest('initialize', {
      processId: process.pid,
      rootUri: null,
      capabilities: { textDocument, workspace: { configuration: options.configuration === true } },
      initializationOptions: options.initializationOptions ?? {},
      ...(options.locale !== undefined ? { locale: options.locale } : {}),
    });
    await conn.sendNotification('initialized', {});
    await client.until(() => client.readyNotified, 'the bundleLens/ready notification');
    return client;
  }

  private changed(): void {
    for (const l of this.listeners) l();
  }

  /** Resolves when `predicate` holds, re-checked on every message from the server; rejects after `ms`. */
  until(predicate: () => boolean, what: string, ms = 10_000): Promise<void> {
    if (predicate()) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.listeners.delete(check);
        reject(new Error(`timed out waiting for ${what}; server stderr: ${this.stderr}`));
      }, ms);
      const check = () => {
        if (!predicate()) return;
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve();
      };
      this.listeners.add(check);
    });
  }

  open(uri: string, languageId: string, text: string, version = 1): Promise<void> {
    return this.conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
  }

  hover(uri: string, line: number, character: number): Promise<any> {
    return this.conn.sendRequest('textDocument/hover', { textDocument: { uri }, position: { line, character } });
  }

  pullDiagnostics(uri: string, previousResultId?: string, token?: CancellationTokenSource): Promise<any> {
    const params = { textDocument: { uri }, previousResultId };
    return token ? this.conn.sendRequest('textDocument/diagnostic', params, token.token) : this.conn.sendRequest('textDocument/diagnostic', params);
  }

  async stop(): Promise<void> {
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    try {
      await this.conn.sendRequest('shutdown');
      await this.conn.sendNotification('exit');
    } catch {
      this.proc.kill();
    }
    await exited;
    this.conn.dispose();
  }
}

export function fileUri(p: string): string {
  return pathToFileURL(p).toString();
}

export { CancellationTokenSource };
