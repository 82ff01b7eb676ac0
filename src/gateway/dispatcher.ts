import type { Logger } from 'pino';
import { type CmppClient, CmppSessionError, submitResultText } from '../session/index.js';
import type { FinalHook, SegmentJob, Store } from '../store/types.js';
import type { AccountConfig } from './config.js';
import { submitFieldsFor } from './submit-fields.js';

const IDLE_POLL_MS = 100;
const MAX_CLAIM = 512;

/**
 * Moves one account's queued segments onto its links. It claims only as many segments as the links can
 * put on the wire at once (free window slots), so a crash leaves at most the in-flight window in the
 * `submitting` state, which start-up puts back in the queue (at-least-once toward the ISMG).
 */
export class Dispatcher {
  private pumping = false;
  private again = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private claimed = 0;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly account: AccountConfig,
    private readonly links: readonly CmppClient[],
    private readonly store: Store,
    private readonly onFinal: FinalHook,
    private readonly log: Logger,
  ) {
    for (const link of links) link.on('up', () => this.wake());
  }

  /** Something may be sendable now (new messages, a freed window slot, a link up). */
  wake(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    clearTimeout(this.timer);
    this.timer = undefined;
    this.pumping = true;
    this.pump()
      .catch((err) => this.log.error({ err, account: this.account.name }, 'dispatcher failed; retrying'))
      .finally(() => {
        this.pumping = false;
        if (this.again) {
          this.again = false;
          this.wake();
        } else if (!this.stopped && !this.timer) {
          this.timer = setTimeout(() => this.wake(), IDLE_POLL_MS);
        }
      });
  }

  /** Stops claiming; resolves when the SUBMITs on the wire are answered (or failed and requeued). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private freeSlots(): number {
    let free = 0;
    for (const link of this.links) if (link.state === 'up') free += this.account.window - link.inFlight;
    return free - this.claimed;
  }

  private async pump(): Promise<void> {
    for (;;) {
      const free = this.freeSlots();
      if (free <= 0 || this.stopped) return;
      this.claimed += free;
      let jobs: SegmentJob[];
      try {
        jobs = await this.store.claimSegments(this.account.name, Math.min(free, MAX_CLAIM), Date.now());
      } finally {
        this.claimed -= free;
      }
      for (const job of jobs) this.send(job);
      if (jobs.length < Math.min(free, MAX_CLAIM)) return;
    }
  }

  /** The up link with the most free window. */
  private pickLink(): CmppClient | undefined {
    let best: CmppClient | undefined;
    for (const link of this.links) {
      if (link.state === 'up' && (!best || link.inFlight < best.inFlight)) best = link;
    }
    return best;
  }

  private send(job: SegmentJob): void {
    const link = this.pickLink();
    const key = { messageId: job.messageId, index: job.index };
    if (!link) {
      this.track(this.store.requeueSegments([key]));
      return;
    }
    const done = link.submit(submitFieldsFor(job, this.account)).then(
      async ({ msgId, result }) => {
        const at = Date.now();
        if (result === 8) {
          // Still flow-controlled after every back-off: not the message's fault, send it again later.
          await this.store.requeueSegments([key]);
          return;
        }
        const error = result === 0 ? undefined : `SUBMIT_RESP Result ${result}: ${submitResultText(result)}`;
        if (error)
          this.log.warn({ account: this.account.name, messageId: job.messageId, result }, 'segment rejected');
        await this.store.recordSubmits(
          [{ ...key, msgId: msgId.toString(), result, at, error }],
          this.onFinal,
        );
      },
      async (err: Error) => {
        if (!(err instanceof CmppSessionError)) throw err;
        this.log.info(
          { account: this.account.name, messageId: job.messageId, reason: err.message },
          'segment requeued',
        );
        await this.store.requeueSegments([key]);
      },
    );
    this.track(done.finally(() => this.wake()));
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((err) =>
      this.log.error({ err, account: this.account.name }, 'recording a submit failed'),
    );
    this.inFlight.add(tracked);
    tracked.finally(() => this.inFlight.delete(tracked));
  }
}
