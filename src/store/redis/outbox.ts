import type { WebhookJob, WebhookState } from '../types.js';
import type { RedisContext } from './context.js';
import { webhookMember } from './keys.js';

const JSON_TYPE = 'application/json';

/** The webhook outbox: one HASH per webhook, the pending ones in a ZSET by next attempt time. */
export class RedisOutbox {
  constructor(private readonly ctx: RedisContext) {}

  async enqueue(eventKey: string, url: string, body: string, now: number, contentType = JSON_TYPE) {
    return (await this.ctx.run('enqueueWebhook', eventKey, url, body, contentType, now)) === 1;
  }

  /** Leased atomically: concurrent claims (from any node) never share a job. */
  async claim(now: number, limit: number, leaseMs: number): Promise<WebhookJob[]> {
    const raw = (await this.ctx.run('claimWebhooks', now, limit, leaseMs)) as (string | number)[];
    const jobs: WebhookJob[] = [];
    for (let i = 0; i < raw.length; i += 6) {
      jobs.push({
        id: Number(raw[i]),
        url: String(raw[i + 1]),
        body: String(raw[i + 2]),
        contentType: String(raw[i + 3]),
        attempts: Number(raw[i + 4]),
        createdAt: Number(raw[i + 5]),
      });
    }
    return jobs;
  }

  async delivered(id: number, at: number): Promise<void> {
    await this.ctx.run('webhookDone', id, 'delivered', at, '');
  }

  async failed(id: number, nextAttemptAt: number | null, error: string): Promise<void> {
    if (nextAttemptAt === null) await this.ctx.run('webhookDone', id, 'dead', 0, error);
    else await this.ctx.run('webhookDone', id, 'retry', nextAttemptAt, error);
  }

  async state(eventKey: string): Promise<WebhookState | undefined> {
    const { redis, keys } = this.ctx;
    const id = await redis.hget(keys.webhookKeys, eventKey);
    if (id === null) return undefined;
    const [h, due] = await Promise.all([
      redis.hgetall(keys.webhook(id)),
      redis.zscore(keys.webhooksDue, webhookMember(id)),
    ]);
    const status = (h.st as WebhookState['status'] | undefined) ?? 'pending';
    return {
      eventKey,
      url: h.url,
      status,
      attempts: Number(h.att),
      createdAt: Number(h.ca),
      nextAttemptAt: status === 'pending' && due !== null ? Number(due) : null,
      deliveredAt: h.da === undefined ? null : Number(h.da),
      lastError: h.err ?? null,
    };
  }
}
