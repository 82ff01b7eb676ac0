import type { GatewayConfig } from '../gateway/config.js';
import { StoreConfigError } from '../store/errors.js';
import { openStore } from '../store/open.js';
import type { Store } from '../store/types.js';
import { CliError } from './io.js';

/** The configured store; a bad URL or an unreachable Redis is a one-line CLI error. */
export async function openStoreOf(config: GatewayConfig): Promise<Store> {
  try {
    return await openStore(config.store, {
      prefix: config.storePrefix,
      nodeId: config.cluster?.nodeId,
      nodeTtlMs: config.cluster?.nodeTtlMs,
      claimIdleMs: config.cluster?.claimIdleMs,
      reportWaitMs: config.reportWaitMs,
    });
  } catch (err) {
    if (err instanceof StoreConfigError || /^store: /.test((err as Error).message))
      throw new CliError((err as Error).message);
    throw err;
  }
}
