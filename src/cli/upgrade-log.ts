import type { Logger } from 'pino';
import type { UpgradeEvent } from '../store/sqlite/migrations.js';

/**
 * Logs a database upgrade at start-up: that it began (a start that upgrades a large database is busy
 * for seconds before it listens), every tenth of a long migration, and how long it took.
 */
export function upgradeLog(logger: Logger): (event: UpgradeEvent) => void {
  let migration = 0;
  let tenths = 0;
  return (event) => {
    if (event.step === 'start') {
      logger.info(
        { from: event.from, to: event.to },
        'upgrading the database schema (stopping now is safe: the next start carries on)',
      );
    } else if (event.step === 'progress') {
      if (event.migration !== migration) [migration, tenths] = [event.migration, 0];
      const reached = Math.floor((10 * event.done) / Math.max(1, event.total));
      if (reached <= tenths) return;
      tenths = reached;
      logger.info({ migration, percent: reached * 10 }, 'upgrading the database schema');
    } else {
      logger.info({ from: event.from, to: event.to, ms: event.ms }, 'database schema upgraded');
    }
  };
}
