import type { Logger } from 'pino';
import type { GatewayConfig } from '../gateway/config.js';
import { StoreConfigError } from '../store/errors.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { CliError } from './io.js';
import { upgradeLog } from './upgrade-log.js';

/** The configured store; a bad URL or an unreachable Redis is a one-line CLI error. An upgrade is logged. */
export async function openStoreOf(config: GatewayConfig, logger: Logger): Promise<Store> {
  try {
    return await openStore(config.store, {
      prefix: config.storePrefix,
      nodeId: config.cluster?.nodeId,
      nodeTtlMs: config.cluster?.nodeTtlMs,
      claimIdleMs: config.cluster?.claimIdleMs,
      reportWaitMs: config.reportWaitMs,
      onUpgrade: upgradeLog(logger),
    });
  } catch (err) {
    if (err instanceof StoreConfigError || /^store: /.test((err as Error).message))
      throw new CliError((err as Error).message);
    throw err;
  }
}
