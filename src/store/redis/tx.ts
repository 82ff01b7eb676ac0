import type { WebhookEvent } from '../types.js';

const JSON_TYPE = 'application/json';

/**
 * One atomic change, computed in Node and applied by the `apply` script (scripts.ts): first every check
 * (a hash field or key still has the value it was read with: optimistic concurrency), then every write.
 * When a check fails nothing is written and the caller reads again and recomputes.
 */
export class Tx {
  readonly checks: string[] = [];
  readonly ops: (string | Buffer)[] = [];

  /** The field still holds `value` (null: absent) when the change is applied. */
  expectField(key: string, field: string, value: string | null): void {
    this.checks.push('F', key, field, value ?? '');
  }

  /** The string key still holds `value` (null: absent). */
  expectKey(key: string, value: string | null): void {
    this.checks.push('K', key, '', value ?? '');
  }

  hset(key: string, field: string, value: string | number): void {
    this.ops.push('H', key, field, String(value));
  }

  hdel(key: string, field: string): void {
    this.ops.push('D', key, field);
  }

  hincr(key: string, field: string, by: number): void {
    if (by !== 0) this.ops.push('I', key, field, String(by));
  }

  /** SET with a TTL in ms (0: none). */
  set(key: string, value: string, ttlMs: number): void {
    this.ops.push('S', key, value, String(ttlMs));
  }

  zadd(key: string, score: number, member: string): void {
    this.ops.push('Z', key, String(score), member);
  }

  zrem(key: string, member: string): void {
    this.ops.push('R', key, member);
  }

  /** XACK and XDEL of a stream entry. */
  ack(stream: string, entryId: string): void {
    this.ops.push('A', stream, entryId);
  }

  webhook(event: WebhookEvent, now: number): void {
    this.ops.push('W', event.eventKey, event.url, event.body, event.contentType ?? JSON_TYPE, String(now));
  }

  get empty(): boolean {
    return this.ops.length === 0;
  }

  args(): (string | Buffer)[] {
    return [String(this.checks.length / 4), ...this.checks, ...this.ops];
  }
}
