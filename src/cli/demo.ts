import { randomBytes } from 'node:crypto';
import type { Logger } from 'pino';
import type { AccountConfig, GatewayConfig } from '../gateway/config.js';
import { Simulator } from '../simulator/index.js';

/** The account of the embedded simulator, as the README's walk-through uses it. */
export const DEMO = { spId: '900001', secret: '888888', serviceCode: '1065900001' } as const;

/**
 * `npm start` with nothing configured: an ISMG simulator on loopback (reports after 1–3 s by default), and the
 * gateway account that talks to it.
 */
export async function startDemoSimulator(
  settings: NonNullable<GatewayConfig['demo']>,
  logger: Logger,
): Promise<{ simulator: Simulator; account: AccountConfig }> {
  const simulator = new Simulator(
    {
      host: '127.0.0.1',
      port: 0,
      httpPort: 0,
      accounts: { [DEMO.spId]: { secret: DEMO.secret, serviceCode: DEMO.serviceCode } },
      reports: { enabled: true, delayMs: settings.reportDelayMs },
    },
    { logger: logger.child({ component: 'simulator' }) },
  );
  await simulator.start();
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
