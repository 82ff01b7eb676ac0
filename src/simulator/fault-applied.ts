import type { Logger } from 'pino';
import type { FaultKind, SimulatorStats } from './stats.js';

/** Counts a fault in the account's stats and logs it: one info line per fault applied. */
export function faultApplied(
  stats: SimulatorStats,
  log: Logger,
  account: string,
  fault: FaultKind,
  detail: object = {},
): void {
  stats.fault(account, fault);
  log.info({ account, fault, ...detail }, 'fault applied');
}
