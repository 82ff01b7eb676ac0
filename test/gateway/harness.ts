import { createHmac } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { FastifyInstance } from 'fastify';
import { type Logger, pino } from 'pino';
import { afterEach } from 'vitest';
import type { AccountConfig, GatewayConfig } from '../../src/gateway/config.js';
import { Gateway } from '../../src/gateway/gateway.js';
import { buildApp } from '../../src/http/app.js';
import type { messageJson } from '../../src/http/views.js';
import { Simulator, type SimulatorConfigInput, type SubmitJson } from '../../src/simulator/index.js';
import { SqliteStore } from '../../src/store/sqlite/sqlite-store.js';
import type { MessageView } from '../../src/store/types.js';
import { RedisBackend, TEST_BACKEND } from './store-backend.js';

/*
 * End-to-end harness: the real ISMG simulator on loopback, a Gateway over SQLite in a temp dir (or over
 * Redis with a fresh key prefix when CMPPGW_TEST_STORE=redis, see store-backend.ts), its
 * Fastify app on 127.0.0.1:0 and webhook receivers as plain node:http servers, all with short timers.
 * Harness.close() (call it in afterEach) closes every server, socket and gateway and removes the dir.
 */

export const SP_ID = '900001';
export const SECRET = 'e2e-secret';
export const SERVICE_CODE = '1065900001';
export const API_KEY = 'e2e-key';
export const WEBHOOK_SECRET = 'whsec-e2e';

export const silent = pino({ level: 'silent' });

/** A parsed JSON answer or webhook body: its shape is what the assertions reading it check. */
// biome-ignore lint/suspicious/noExplicitAny: JSON bodies are checked by the assertions that read them
export type Json = any;

/** A message as GET /api/v1/messages/:id shows it. */
export type MessageJson = ReturnType<typeof messageJson>;

export interface Answer<T = Json> {
  status: number;
  body: T;
  headers: Headers;
}

/** Polls `fn` until it returns something truthy (and returns that); throws after `timeoutMs`. */
export async function waitFor<T>(
  fn: () => T | Promise<T>,
  timeoutMs = 5000,
  what = 'condition',
  everyMs = 10,
): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await fn();
      if (value) return value as NonNullable<T>;
      last = value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last: ${String(last)})`);
    }
    await sleep(everyMs);
  }
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Chinese text of `n` characters (UCS2: 70 fit one SMS, 67 per segment of a long one). */
export function chinese(n: number): string {
  const base = '中华人民共和国短信网关测试一二三四五六七八九十';
  let out = '';
  for (let i = 0; i < n; i++) out += base[i % base.length];
  return out;
}

/** A distinct valid mobile number per `i`. */
export const mobile = (i: number) => `139${String(i).padStart(8, '0')}`;

export interface ReceivedHook {
  path: string;
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: Json;
  /** The status the receiver answered. */
  answered: number;
}

/** A webhook receiver: records every POST; `respond` decides each status (default 200). */
export class WebhookReceiver {
  readonly received: ReceivedHook[] = [];
  respond: (hook: ReceivedHook, n: number) => number = () => 200;
  /** How long to hold the answer to the n-th POST (default 0). */
  holdMs: (hook: ReceivedHook, n: number) => number = () => 0;
  private readonly server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: unknown;
      try {
        body = JSON.parse(raw);
      } catch {
        body = undefined;
      }
      const hook: ReceivedHook = { path: req.url ?? '', headers: req.headers, raw, body, answered: 0 };
      const n = this.received.length + 1;
      hook.answered = this.respond(hook, n);
      this.received.push(hook);
      const answer = () => {
        res.writeHead(hook.answered, { 'content-type': 'application/json' });
        res.end('{}');
      };
      const hold = this.holdMs(hook, n);
      if (hold > 0) setTimeout(answer, hold);
      else answer();
    });
  });

  async start(): Promise<this> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return this;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** Hooks answered 2xx of a type ('report' | 'mo'). */
  ok(type?: string): ReceivedHook[] {
    return this.received.filter((h) => h.answered < 300 && (type === undefined || h.body?.type === type));
  }

  of(type: string): ReceivedHook[] {
    return this.received.filter((h) => h.body?.type === type);
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Whether X-Cmppgw-Signature is sha256=HMAC(secret, body). */
export function validSignature(hook: ReceivedHook, secret = WEBHOOK_SECRET): boolean {
  const expected = `sha256=${createHmac('sha256', secret).update(hook.raw).digest('hex')}`;
  return hook.headers['x-cmppgw-signature'] === expected;
}

export interface HarnessOptions {
  /** Laid over the simulator defaults (reports after 20–50 ms, short timers). */
  simulator?: SimulatorConfigInput;
  /** Scripted randomness for the simulator (report delays, Stat mix). */
  random?: () => number;
  /** Laid over the gateway account defaults. */
  account?: Partial<AccountConfig>;
  http?: Partial<GatewayConfig['http']>;
  pap?: Partial<GatewayConfig['pap']>;
  /** Top-level settings (retentionDays, reportWaitMs). */
  gateway?: Partial<Pick<GatewayConfig, 'retentionDays' | 'reportWaitMs'>>;
  /** Give the account a webhook receiver (default true). */
  webhook?: boolean;
  /** The gateway's logger (default: silent). */
  logger?: Logger;
  /** Do not start the simulator / gateway at once. */
  startGateway?: boolean;
}

export class Harness {
  readonly dir = mkdtempSync(join(tmpdir(), 'cmppgw-e2e-'));
  readonly dbPath = join(this.dir, 'gw.db');
  /** Set when the harness runs on Redis. */
  readonly redis = TEST_BACKEND === 'redis' ? new RedisBackend() : undefined;
  simulator!: Simulator;
  gateway?: Gateway;
  app?: FastifyInstance;
  /** Base URL of the gateway's HTTP API. */
  url = '';
  webhook?: WebhookReceiver;
  private readonly receivers: WebhookReceiver[] = [];
  private simulatorStopped = false;
  /** The simulator's CMPP port, kept for restartSimulator. */
  private cmppPort = 0;

  private constructor(private readonly options: HarnessOptions) {}

  static async start(options: HarnessOptions = {}): Promise<Harness> {
    const h = new Harness(options);
    try {
      h.simulator = h.newSimulator(0);
      await h.simulator.start();
      h.cmppPort = h.simulator.cmppAddress.port;
      if (options.webhook !== false) h.webhook = await h.receiver();
      if (options.startGateway !== false) await h.startGateway();
    } catch (err) {
      await h.close();
      throw err;
    }
    return h;
  }

  private newSimulator(port: number): Simulator {
    const o = this.options;
    return new Simulator(
      {
        host: '127.0.0.1',
        port,
        httpPort: 0,
        responseTimeoutMs: 1000,
        heartbeatIntervalMs: 0,
        ...o.simulator,
        accounts: o.simulator?.accounts ?? { [SP_ID]: { secret: SECRET, serviceCode: SERVICE_CODE } },
        reports: { enabled: true, delayMs: [20, 50], ...o.simulator?.reports },
      },
      { logger: silent, random: o.random },
    );
  }

  /** Starts a new simulator on the port of the stopped one (the gateway's links reconnect to it). */
  async restartSimulator(): Promise<void> {
    await this.stopSimulator();
    this.simulator = this.newSimulator(this.cmppPort);
    await this.simulator.start();
    this.simulatorStopped = false;
  }

  /** A new webhook receiver, closed with the harness. */
  async receiver(): Promise<WebhookReceiver> {
    const r = await new WebhookReceiver().start();
    this.receivers.push(r);
    return r;
  }

  config(): GatewayConfig {
    const account: AccountConfig = {
      name: 'main',
      spId: SP_ID,
      secret: SECRET,
      version: '3.0',
      host: '127.0.0.1',
      port: this.simulator.cmppAddress.port,
      serviceCode: SERVICE_CODE,
      serviceId: 'TEST',
      feeUserType: 2,
      feeType: '01',
      feeCode: '000000',
      links: 1,
      window: 16,
      rateLimit: 0,
      report: true,
      webhookUrl: this.webhook?.url,
      responseTimeoutMs: 300,
      maxTries: 3,
      heartbeatIntervalMs: 0,
      lenient: false,
      ...this.options.account,
    };
    // pollMs is a WebhookSender option the config type does not name: short polls keep retries quick.
    const webhooks = { secret: WEBHOOK_SECRET, maxAgeMs: 60_000, timeoutMs: 1000, pollMs: 50 };
    return {
      accounts: [account],
      http: {
        host: '127.0.0.1',
        port: 0,
        apiKeys: [API_KEY],
        rateLimit: 0,
        bodyLimit: 1024 * 1024,
        ...this.options.http,
      },
      store: this.redis ? this.redis.url() : `sqlite:${this.dbPath}`,
      webhooks,
      pap: { path: '/pap', trustedNetworks: [], senderName: 'cmppgw-test', ...this.options.pap },
      reportWaitMs: 60_000,
      retentionDays: 0,
      ...this.options.gateway,
    };
  }

  /** A Gateway (and its app on a new port) over the harness's DB file. */
  async startGateway(): Promise<void> {
    const config = this.config();
    const logger = this.options.logger ?? silent;
    // One node id for every gateway of the harness: a restart is the same node coming back.
    const store = this.redis
      ? await this.redis.open('harness', config.reportWaitMs)
      : new SqliteStore(this.dbPath);
    const gateway = new Gateway(config, store, logger);
    this.gateway = gateway;
    await gateway.start();
    this.app = await buildApp(gateway, { ...config.http, pap: config.pap, logger });
    this.url = await this.app.listen({ host: '127.0.0.1', port: 0 });
  }

  async stopGateway(graceMs = 0): Promise<void> {
    const app = this.app;
    const gateway = this.gateway;
    this.app = undefined;
    this.gateway = undefined;
    await app?.close();
    await gateway?.close(graceMs);
  }

  /** Closes the gateway (in-flight SUBMITs get `graceMs`) and starts a new one on the same DB file. */
  async restart(graceMs = 0): Promise<void> {
    await this.stopGateway(graceMs);
    await this.startGateway();
  }

  async stopSimulator(): Promise<void> {
    if (this.simulatorStopped) return;
    this.simulatorStopped = true;
    await this.simulator.stop();
  }

  /** Waits until the gateway's link is logged in. */
  async linkUp(timeoutMs = 5000): Promise<void> {
    await waitFor(() => this.gateway?.ready(), timeoutMs, 'the link to come up');
  }

  /** Calls the gateway's HTTP API (with the API key unless `key` is null). */
  async api<T = Json>(
    method: string,
    path: string,
    body?: unknown,
    o: { key?: string | null; raw?: string; headers?: Record<string, string> } = {},
  ): Promise<Answer<T>> {
    const headers: Record<string, string> = { ...o.headers };
    const key = o.key === undefined ? API_KEY : o.key;
    if (key !== null) headers.authorization = `Bearer ${key}`;
    let payload: string | undefined = o.raw;
    if (body !== undefined) payload = JSON.stringify(body);
    if (payload !== undefined) headers['content-type'] ??= 'application/json';
    const res = await fetch(`${this.url}${path}`, { method, headers, body: payload });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON: keep the text
    }
    return { status: res.status, body: parsed as T, headers: res.headers };
  }

  /** Calls the simulator's control API. */
  async sim<T = Json>(method: string, path: string, body?: unknown): Promise<Answer<T>> {
    const res = await fetch(`${this.simulator.httpUrl}${path}`, {
      method,
      headers: body === undefined ? {} : { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as T, headers: res.headers };
  }

  /** SUBMITs the simulator received (newest first), optionally to one recipient. */
  async submits(dest?: string): Promise<SubmitJson[]> {
    const q = new URLSearchParams({ limit: '10000', ...(dest ? { dest } : {}) });
    const res = await this.sim<SubmitJson[]>('GET', `/submits?${q}`);
    return res.body;
  }

  async message(id: string): Promise<MessageJson> {
    const res = await this.api<MessageJson>('GET', `/api/v1/messages/${id}`);
    if (res.status !== 200) throw new Error(`GET message ${id}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }

  /** Waits until a message has one of `statuses` and returns it. */
  async waitStatus(id: string, statuses: string | string[], timeoutMs = 5000): Promise<MessageJson> {
    const wanted = typeof statuses === 'string' ? [statuses] : statuses;
    let last: MessageJson | undefined;
    try {
      return await waitFor(
        async () => {
          last = await this.message(id);
          return wanted.includes(last.status) ? last : undefined;
        },
        timeoutMs,
        `message ${id} to be ${wanted.join('|')}`,
        20,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; last seen: ${JSON.stringify(last)}`);
    }
  }

  /** A message as a second store connection sees it (another SQLite connection, another Redis client). */
  async storedMessage(id: string): Promise<MessageView | undefined> {
    const store = this.redis
      ? await this.redis.open('harness-reader', this.config().reportWaitMs)
      : new SqliteStore(this.dbPath);
    try {
      return await store.getMessage(id);
    } finally {
      await store.close();
    }
  }

  /** Runs `fn` on a separate, read-only connection to the gateway's DB file. */
  read<T>(fn: (db: Database.Database) => T): T {
    if (this.redis) throw new Error('Harness.read reads the SQLite file: this test needs the SQLite backend');
    const db = new Database(this.dbPath, { readonly: true, fileMustExist: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  }

  count(table: string, where = '1 = 1', ...args: unknown[]): number {
    if (this.redis) return this.redis.count(table, where);
    return this.read(
      (db) =>
        (db.prepare(`SELECT count(*) AS n FROM ${table} WHERE ${where}`).get(...args) as { n: number }).n,
    );
  }

  async close(): Promise<void> {
    const errors: unknown[] = [];
    const attempt = async (fn: () => Promise<unknown> | undefined) => {
      try {
        await fn();
      } catch (err) {
        errors.push(err);
      }
    };
    await attempt(() => this.stopGateway(0));
    await attempt(() => this.simulator && this.stopSimulator());
    for (const r of this.receivers.splice(0)) await attempt(() => r.close());
    rmSync(this.dir, { recursive: true, force: true });
    await attempt(() => this.redis?.cleanup());
    if (errors.length > 0) throw errors[0];
  }
}

/**
 * For a test file whose tests each start their own gateway: returns `harness(options)`, which starts one
 * with its link up; it is closed after the test.
 */
export function harnessPerTest(): (options?: HarnessOptions) => Promise<Harness> {
  let current: Harness | undefined;
  afterEach(async () => {
    await current?.close();
    current = undefined;
  });
  return async (options = {}) => {
    current = await Harness.start(options);
    await current.linkUp();
    return current;
  };
}
