import { createHmac } from 'node:crypto';
import type { Logger } from 'pino';
import type { Store, WebhookJob } from '../store/types.js';
import { notificationAcknowledged, PAP_CONTENT_TYPE } from './ppg-notify.js';

export interface WebhookOptions {
  secret: string;
  maxAgeMs: number;
  timeoutMs: number;
  /** How often to look for due webhooks when idle. */
  pollMs?: number;
}

const BATCH = 64;
const FIRST_RETRY_MS = 1000;
const MAX_RETRY_MS = 10 * 60_000;

/** `X-Cmppgw-Signature`: hex HMAC-SHA256 of the exact body bytes with the configured secret. */
export function signBody(secret: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/** Retry after 1 s, 2 s, 4 s, … capped at 10 min. */
export function retryDelay(attempts: number): number {
  return Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1));
}

/**
 * Delivers the durable webhook outbox: POSTs each event until the receiver answers 2xx, backing off
 * between tries, and gives up (marks it dead, logged) once the event is older than maxAgeMs.
 */
export class WebhookSender {
  private timer?: NodeJS.Timeout;
  private running = false;
  /** The drain in progress: stop() waits for it, so nothing claimed is left unrecorded at close. */
  private draining: Promise<void> = Promise.resolve();
  private stopped = false;
  private readonly active = new Set<Promise<void>>();

  constructor(
    private readonly store: Store,
    private readonly options: WebhookOptions,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.stopped = false;
    this.wake();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await Promise.allSettled([...this.active]);
    await this.draining;
  }

  /** New events may be due. */
  wake(): void {
    if (this.stopped || this.running) return;
    clearTimeout(this.timer);
    this.running = true;
    this.draining = this.drain()
      .catch((err) => this.log.error({ err }, 'webhook outbox failed'))
      .finally(() => {
        this.running = false;
        if (!this.stopped) this.timer = setTimeout(() => this.wake(), this.options.pollMs ?? 500);
      });
  }

  private async drain(): Promise<void> {
    // Checked before every claim: a batch claimed after stop() would be POSTed with the store closing.
    while (!this.stopped) {
      const lease = this.options.timeoutMs * 2;
      const jobs = await this.store.claimWebhooks(Date.now(), BATCH, lease);
      if (jobs.length === 0) return;
      const batch = Promise.all(jobs.map((job) => this.deliver(job))).then(() => undefined);
      this.active.add(batch);
      await batch.finally(() => this.active.delete(batch));
    }
  }

  private async deliver(job: WebhookJob): Promise<void> {
    let error: string;
    try {
      const res = await fetch(job.url, {
        method: 'POST',
        headers: {
          'content-type': job.contentType,
          'x-cmppgw-signature': signBody(this.options.secret, job.body),
          'x-cmppgw-attempt': String(job.attempts),
        },
        body: job.body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
      });
      const answer = await res.text().catch(() => '');
      if (res.ok && (job.contentType !== PAP_CONTENT_TYPE || notificationAcknowledged(answer))) {
        await this.store.webhookDelivered(job.id, Date.now());
        return;
      }
      error = res.ok ? 'the PI did not answer with a resultnotification-response' : `HTTP ${res.status}`;
    } catch (err) {
      error = (err as Error).message;
    }
    const now = Date.now();
    const next = now + retryDelay(job.attempts);
    const giveUp = next - job.createdAt > this.options.maxAgeMs;
    this.log.warn({ url: job.url, attempt: job.attempts, error, giveUp }, 'webhook delivery failed');
    await this.store.webhookFailed(job.id, giveUp ? null : next, error);
  }
}
