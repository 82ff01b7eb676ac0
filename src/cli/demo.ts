import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import type { AccountConfig, GatewayConfig } from '../gateway/config.js';
import type { SimulatorConfigInput } from '../simulator/index.js';

/** The account of the embedded simulator, as the README's walk-through uses it. */
export const DEMO = { spId: '900001', secret: '888888', serviceCode: '1065900001' } as const;

/** The embedded simulator, running in its own thread. */
export interface EmbeddedSimulator {
  cmppAddress: { port: number };
  httpUrl: string;
  stop(): Promise<void>;
}

/**
 * A worker running `demo-worker`: from dist, the `.js` file; from source, the `.ts` file behind tsx,
 * registered inside the worker (Node 20 does not apply `--import` hooks to a worker's entry module).
 */
function demoWorker(workerData: unknown): Worker {
  if (!import.meta.url.endsWith('.ts'))
    return new Worker(new URL('./demo-worker.js', import.meta.url), { workerData });
  const entry = JSON.stringify(new URL('./demo-worker.ts', import.meta.url).href);
  const boot = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${entry}); });`;
  return new Worker(boot, { eval: true, workerData });
}

/** Runs the simulator in a worker thread. */
async function startInWorker(config: SimulatorConfigInput, level: string): Promise<EmbeddedSimulator> {
  const worker = demoWorker({ config, level });
  const exited = once(worker, 'exit').then(([code]) => {
    throw new Error(`the embedded simulator's thread exited (${code}) before listening`);
  });
  exited.catch(() => undefined); // read by the race below only; a later exit (stop) is no error
  const [ready] = (await Promise.race([once(worker, 'message'), exited])) as [
    { cmppPort: number; httpUrl: string },
  ];
  return {
    cmppAddress: { port: ready.cmppPort },
    httpUrl: ready.httpUrl,
    async stop() {
      worker.postMessage('stop');
      await once(worker, 'exit');
    },
  };
}

/**
 * `npm start` with nothing configured: an ISMG simulator on loopback (reports after 1–3 s by default), and the
 * gateway account that talks to it.
 */
export async function startDemoSimulator(
  settings: NonNullable<GatewayConfig['demo']>,
  logger: Logger,
): Promise<{ simulator: EmbeddedSimulator; account: AccountConfig }> {
  const simulator = await startInWorker(
    {
      host: '127.0.0.1',
      port: 0,
      httpPort: 0,
      accounts: { [DEMO.spId]: { secret: DEMO.secret, serviceCode: DEMO.serviceCode } },
      reports: { enabled: true, delayMs: settings.reportDelayMs },
    },
    logger.level,
  );
  const account: AccountConfig = {
    name: 'demo',
    spId: DEMO.spId,
    secret: DEMO.secret,
    version: '3.0',
    host: '127.0.0.1',
    port: simulator.cmppAddress.port,
    serviceCode: DEMO.serviceCode,
    serviceId: 'DEMO',
    feeUserType: 2,
    feeType: '01',
    feeCode: '000000',
    links: settings.links,
    window: 16,
    rateLimit: 0,
    report: true,
    responseTimeoutMs: 60_000,
    maxTries: 3,
    heartbeatIntervalMs: 180_000,
    lenient: false,
  };
  return { simulator, account };
}

export function newDemoKey(): string {
  return `demo-${randomBytes(12).toString('hex')}`;
}
