import type { Logger } from 'pino';
import { recipientMsgId } from '../cmpp/index.js';
import { type CmppClient, CmppSessionError, submitResultText } from '../session/index.js';
import type { FinalHook, SegmentJob, Store, SubmitOutcome } from '../store/types.js';
import type { AccountConfig } from './config.js';
import { submitFieldsFor } from './submit-fields.js';
import { TurnBatch } from './turn-batch.js';

const IDLE_POLL_MS = 100;
/** DestUsr_tl: fewer than 100 recipients per SUBMIT (SPEC3 §8.4.3.1). */
const MAX_RECIPIENTS = 99;
/** Claimed segments kept ready, in windows' worth: enough to refill every freed slot without a store trip. */
const PREFETCH_WINDOWS = 4;
/**
 * The most segments one claim takes. On Redis a claim is one script, and Redis runs nothing else while it
 * runs (~20 µs a segment): smaller claims keep the API's inserts from waiting milliseconds behind them.
 */
const CLAIM_CHUNK = 128;

/**
 * Moves one account's queued segments onto its links. It keeps a few windows' worth of claimed segments
 * ready in memory, so a freed window slot is refilled without a store round trip. A crash leaves those
 * claimed segments `submitting`; start-up (or, with several nodes, a surviving node) queues them again.
 * Only SUBMITs sent whose outcome is not yet stored can then reach the ISMG twice (at-least-once): a link
 * takes a new SUBMIT only while it has fewer than a window of those, so a crash repeats at most a window
 * per link.
 */
export class Dispatcher {
  private ready: SegmentJob[] = [];
  private claiming = false;
  private timer?: NodeJS.Timeout;
  private stopped = false;
  private readonly inFlight = new Set<Promise<void>>();
  /** Per link: SUBMITs sent whose outcome is not stored yet (the duplicates a crash could cause). */
  private readonly unrecorded = new Map<CmppClient, number>();
  /** SUBMIT_RESPs answered in the same turn are stored together. */
  private readonly outcomes: TurnBatch<SubmitOutcome>;

  constructor(
    private readonly account: AccountConfig,
    private readonly links: readonly CmppClient[],
    private readonly store: Store,
    onFinal: FinalHook,
    private readonly log: Logger,
  ) {
    for (const link of links) link.on('up', () => this.wake());
    this.outcomes = new TurnBatch((outcomes) => store.recordSubmits(outcomes, onFinal).then(() => undefined));
  }

  /** Something may be sendable now (new messages, a freed window slot, a link up). */
  wake(): void {
    if (this.stopped) return;
    while (this.ready.length > 0) {
      const link = this.pickLink();
      if (!link) break;
      this.send(this.takeGroup(), link);
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
    // No link up: claim nothing (with several nodes, another node may be the one that can send).
    if (this.windows() === 0) return;
    // Enough for every freed slot, plus one full group send.
    const want = Math.min(
      CLAIM_CHUNK,
      this.windows() * PREFETCH_WINDOWS + MAX_RECIPIENTS - this.ready.length,
    );
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

  /**
   * The next SUBMIT's segments: one, or without reports up to 99 ready segments with the same content and
   * settings for different recipients, sent as one group SUBMIT (with reports each recipient gets its
   * own SUBMIT, as the seeds advise, so that every report maps to one message).
   */
  private takeGroup(): SegmentJob[] {
    const first = this.ready.shift() as SegmentJob;
    const group = [first];
    if (first.report) return group;
    for (let i = 0; i < this.ready.length && group.length < MAX_RECIPIENTS; ) {
      if (sameSubmit(first, this.ready[i])) group.push(...this.ready.splice(i, 1));
      else i++;
    }
    return group;
  }

  /** The up link with the most room, if any has some: below a window on the wire and unrecorded. */
  private pickLink(): CmppClient | undefined {
    let best: CmppClient | undefined;
    let bestBusy = Number.POSITIVE_INFINITY;
    for (const link of this.links) {
      const busy = Math.max(link.inFlight, this.unrecorded.get(link) ?? 0);
      if (link.state === 'up' && busy < this.account.window && busy < bestBusy) {
        best = link;
        bestBusy = busy;
      }
    }
    return best;
  }

  private send(group: SegmentJob[], link: CmppClient): void {
    const keys = group.map((job) => ({ messageId: job.messageId, index: job.index }));
    this.unrecorded.set(link, (this.unrecorded.get(link) ?? 0) + 1);
    const done = link.submit(submitFieldsFor(group, this.account)).then(
      async ({ msgId, result }) => {
        const at = Date.now();
        if (result === 8) {
          // Still flow-controlled after every back-off: not the message's fault, send it again later.
          await this.store.requeueSegments(keys);
          return;
        }
        const error = result === 0 ? undefined : `SUBMIT_RESP Result ${result}: ${submitResultText(result)}`;
        if (error)
          this.log.warn({ account: this.account.name, messages: keys.length, result }, 'SUBMIT rejected');
        const outcomes = keys.map((key, k) => ({
          ...key,
          msgId: recipientMsgId(msgId, k).toString(),
          result,
          at,
          error,
        }));
        await this.outcomes.add(outcomes);
      },
      async (err: Error) => {
        if (!(err instanceof CmppSessionError)) throw err;
        this.log.info(
          { account: this.account.name, messages: keys.length, reason: err.message },
          'SUBMIT requeued',
        );
        await this.store.requeueSegments(keys);
      },
    );
    // The slot is free once the outcome is stored (or the store failed: then it is logged).
    this.track(
      done.finally(() => {
        this.unrecorded.set(link, (this.unrecorded.get(link) ?? 1) - 1);
        this.wake();
      }),
    );
  }

  private track(p: Promise<void>): void {
    const tracked = p.catch((err) =>
      this.log.error({ err, account: this.account.name }, 'recording a submit failed'),
    );
    this.inFlight.add(tracked);
    tracked.finally(() => this.inFlight.delete(tracked));
  }
}

/** Whether two segments can share one SUBMIT: everything but the recipient is the same. */
function sameSubmit(a: SegmentJob, b: SegmentJob): boolean {
  return (
    !b.report &&
    a.srcId === b.srcId &&
    a.msgFmt === b.msgFmt &&
    a.tpUdhi === b.tpUdhi &&
    a.pkTotal === b.pkTotal &&
    a.pkNumber === b.pkNumber &&
    a.priority === b.priority &&
    a.validUntil === b.validUntil &&
    a.content.equals(b.content)
  );
}
