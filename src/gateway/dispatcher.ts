import type { Logger } from 'pino';
import { type CmppClient, CmppSessionError, submitResultText } from '../session/index.js';
import type { FinalHook, SegmentJob, Store } from '../store/types.js';
import type { AccountConfig } from './config.js';
import { submitFieldsFor } from './submit-fields.js';

const IDLE_POLL_MS = 100;
/** Claimed segments kept ready, in windows' worth: enough to refill every freed slot without a store trip. */
const PREFETCH_WINDOWS = 4;

/**
 * Moves one account's queued segments onto its links. It keeps a few windows' worth of claimed segments
 * ready in memory, so a window slot freed by a SUBMIT_RESP is refilled at once rather than after a store
 * round trip. A crash leaves those claimed segments `submitting`; start-up queues them again. Only the ones
 * actually on the wire (at most the links' windows) can then reach the ISMG twice (at-least-once).
 */
export class Dispatcher {
  private ready: SegmentJob[] = [];
  private claiming = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
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
    while (this.ready.length > 0) {
      const link = this.pickLink();
      if (!link) break;
      this.send(this.ready.shift() as SegmentJob, link);
    }
    if (this.ready.length < this.windows() && !this.claiming) this.claim();
  }

  /** Stops claiming, gives back what was claimed but not sent, and waits for the SUBMITs on the wire. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    const unsent = this.ready.splice(0).map((job) => ({ messageId: job.messageId, index: job.index }));
    if (unsent.length > 0) this.track(this.store.requeueSegments(unsent));
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  /** Window slots of the links that are up. */
  private windows(): number {
    let slots = 0;
    for (const link of this.links) if (link.state === 'up') slots += this.account.window;
    return slots;
  }

  private claim(): void {
    const want = this.windows() * PREFETCH_WINDOWS - this.ready.length;
    if (want <= 0) return;
    this.claiming = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    this.store
      .claimSegments(this.account.name, want, Date.now())
      .then(
        (jobs) => {
          if (this.stopped) {
            if (jobs.length > 0)
              this.track(
                this.store.requeueSegments(jobs.map((j) => ({ messageId: j.messageId, index: j.index }))),
              );
            return;
          }
          this.ready.push(...jobs);
          // Nothing due: look again later (new messages wake the dispatcher at once).
          if (jobs.length === 0) this.timer = setTimeout(() => this.wake(), IDLE_POLL_MS);
        },
        (err) => {
          this.log.error({ err, account: this.account.name }, 'claiming segments failed; retrying');
          this.timer = setTimeout(() => this.wake(), IDLE_POLL_MS);
        },
      )
      .finally(() => {
        this.claiming = false;
        if (this.ready.length > 0) this.wake();
      });
  }

  /** The up link with the most free window, if any has room. */
  private pickLink(): CmppClient | undefined {
    let best: CmppClient | undefined;
    for (const link of this.links) {
      if (
        link.state === 'up' &&
        link.inFlight < this.account.window &&
        (!best || link.inFlight < best.inFlight)
      ) {
        best = link;
      }
    }
    return best;
  }

  private send(job: SegmentJob, link: CmppClient): void {
    const key = { messageId: job.messageId, index: job.index };
    // The window slot is free the moment the response arrives: refill it then, while the outcome is
    // being made durable (waiting for the disk sync first would cap each slot at one SUBMIT per sync).
    const done = link.submit(submitFieldsFor(job, this.account)).then(
      async ({ msgId, result }) => {
        this.wake();
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
        this.wake();
        if (!(err instanceof CmppSessionError)) throw err;
        this.log.info(
          { account: this.account.name, messageId: job.messageId, reason: err.message },
          'segment requeued',
        );
        await this.store.requeueSegments([key]);
      },
    );
    this.track(done);
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((err) =>
      this.log.error({ err, account: this.account.name }, 'recording a submit failed'),
    );
    this.inFlight.add(tracked);
    tracked.finally(() => this.inFlight.delete(tracked));
  }
}
