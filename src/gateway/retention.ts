import type { Logger } from 'pino';
import type { Store } from '../store/types.js';

const DAY_MS = 24 * 3600_000;
/** How often old records are looked for. */
const SWEEP_EVERY_MS = 10 * 60_000;
/** Records deleted per store call: each call is one short transaction (or Redis script). */
const CHUNK = 1000;

/**
 * Retention: every few minutes deletes the records older than `days` that are done with (see Store.purge),
 * a chunk at a time with a turn of the event loop between chunks, so traffic goes on meanwhile.
 * `days` 0 keeps everything.
 */
export class RetentionSweeper {
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly days: number,
    private readonly log: Logger,
  ) {}

  start(): void {
    if (this.days === 0) return;
    const tick = () => {
      this.sweep().catch((err) => this.log.error({ err }, 'retention sweep failed'));
    };
    this.timer = setInterval(tick, SWEEP_EVERY_MS);
    this.timer.unref();
    setImmediate(tick);
  }

  /** Deletes everything older than the retention; resolves with how many records went. */
  sweep(now = Date.now()): Promise<number> {
    if (this.days === 0) return Promise.resolve(0);
    this.running ??= this.purgeAll(now - this.days * DAY_MS).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async purgeAll(before: number): Promise<number> {
    let total = 0;
    for (;;) {
      if (this.stopped) break;
      const deleted = await this.store.purge(before, CHUNK);
      total += deleted;
      if (deleted === 0) break;
      await new Promise((resolve) => setImmediate(resolve));
    }
    if (total > 0)
      this.log.info({ deleted: total, before: new Date(before).toISOString() }, 'old records deleted');
    return total;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }
}
