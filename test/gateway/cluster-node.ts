import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/* A gateway node as a real process (`cmppgw start --config …`), for the multi-node test and benchmark. */

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

/**
 * The first capture of each pattern in what a child prints on stdout, once all have matched. Its stdout
 * keeps being read afterwards (a closed pipe would kill it with EPIPE on its next line).
 */
export function readUntil(child: ChildProcess, patterns: RegExp[]): Promise<string[]> {
  return new Promise((resolve, reject) => {
    let text = '';
    let done = false;
    child.stdout?.on('data', (chunk: Buffer) => {
      if (done) return;
      text += chunk.toString();
      const found = patterns.map((p) => p.exec(text)?.[1]);
      if (found.every((f) => f !== undefined)) {
        done = true;
        resolve(found as string[]);
      }
    });
    child.once('exit', (code, signal) => {
      if (!done)
        reject(new Error(`child exited (${code ?? signal}) before printing ${patterns.join(', ')}: ${text}`));
    });
  });
}

export interface NodeSettings {
  dir: string;
  nodeId: string;
  store: string;
  ismgPort: number;
  spId: string;
  secret: string;
  serviceCode: string;
  apiKey: string;
  /** The account's cluster-wide link limit. */
  links: number;
  window?: number;
  nodeTtlMs?: number;
  claimIdleMs?: number;
}

export class GatewayNode {
  private constructor(
    readonly nodeId: string,
    readonly child: ChildProcess,
    readonly url: string,
    private readonly apiKey: string,
  ) {}

  static async start(s: NodeSettings): Promise<GatewayNode> {
    const config = join(s.dir, `${s.nodeId}.yaml`);
    writeFileSync(
      config,
      [
        'accounts:',
        '  - name: main',
        `    spId: "${s.spId}"`,
        `    secret: ${s.secret}`,
        `    ismg: 127.0.0.1:${s.ismgPort}`,
        `    serviceCode: "${s.serviceCode}"`,
        `    links: ${s.links}`,
        `    window: ${s.window ?? 16}`,
        '    responseTimeoutMs: 2000',
        '    heartbeatIntervalMs: 0',
        `http: { host: 127.0.0.1, port: 0, apiKeys: [${s.apiKey}], bodyLimit: 67108864 }`,
        `store: ${s.store}`,
        `cluster: { nodeId: ${s.nodeId}, nodeTtlMs: ${s.nodeTtlMs ?? 2000}, claimIdleMs: ${s.claimIdleMs ?? 1000} }`,
      ].join('\n'),
    );
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', CLI, 'start', '--config', config, '--log-level', 'warn'],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    const [url] = await readUntil(child, [/listening on (\S+)/]);
    return new GatewayNode(s.nodeId, child, url, s.apiKey);
  }

  async api<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.apiKey}`,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T };
  }

  async storeStats(): Promise<{ messagesByStatus: Record<string, number>; queuedSegments: number }> {
    return (
      await this.api<{ store: { messagesByStatus: Record<string, number>; queuedSegments: number } }>(
        'GET',
        '/api/v1/stats',
      )
    ).body.store;
  }

  /** Killed at once, as a crash would (SIGKILL); resolves once the process is gone. */
  async kill(signal: NodeJS.Signals = 'SIGKILL'): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = once(this.child, 'exit');
    this.child.kill(signal);
    await exited;
  }
}
