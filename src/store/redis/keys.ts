/*
 * Key names. Every key of one store starts with `{prefix}:`: the braces are a Redis Cluster hash tag, so
 * all keys of a store live in one slot and every script may touch any of them (one shard holds a gateway's
 * data; a gateway makes a handful of Redis calls per message, far below what one shard serves).
 */

/** `{prefix}:`, the hash-tagged start of every key. */
export function keyPrefix(prefix: string): string {
  return `{${prefix}}:`;
}

/** Separator inside composite hash fields and members (never in an account name, number or id). */
export const SEP = '\n';

export class Keys {
  constructor(readonly p: string) {}

  /** HASH: a message and its segments (`<i>.st`, `<i>.mid`, …), see message-record.ts. */
  message(id: string): string {
    return `${this.p}m:${id}`;
  }
  /** HASH: account SEP clientRef SEP to → message id (idempotent retries). */
  get refs(): string {
    return `${this.p}refs`;
  }
  /** STRING id counter: the order of messages, MO and pushes in their lists (cursor = this seq). */
  get seq(): string {
    return `${this.p}seq`;
  }
  /** ZSET seq → message id, all accounts / one account. */
  get messages(): string {
    return `${this.p}ls:m`;
  }
  messagesOf(account: string): string {
    return `${this.p}ls:m:${account}`;
  }
  /** ZSET due time → `messageId|index`: queued segments of one priority not yet in its stream. */
  due(account: string, priority: string | number): string {
    return `${this.p}due:${account}:${priority}`;
  }
  /** STREAM (consumer group `gw`) of due segments of one account and priority. */
  stream(account: string, priority: string | number): string {
    return `${this.p}q:${account}:${priority}`;
  }
  /** ZSET of the priorities an account's messages had (each has a due ZSET and a stream). */
  priorities(account: string): string {
    return `${this.p}qp:${account}`;
  }
  /** SET of accounts that ever had a message. */
  get accounts(): string {
    return `${this.p}accounts`;
  }
  /** ZSET validUntil → message id, while the message may still have unsent segments. */
  get expiring(): string {
    return `${this.p}exp`;
  }
  /** STRING `messageId|index` with a TTL of the report wait: the Msg_Id index. */
  msgId(msgId: string): string {
    return `${this.p}mid:${msgId}`;
  }
  /** HASH Msg_Id → JSON report: reports that arrived before their SUBMIT_RESP. */
  get orphans(): string {
    return `${this.p}orph`;
  }
  /** HASH counters: `st:<status>` messages, `qs` queued segments, `mo`, `push`, `whdone` (delivered webhooks). */
  get stats(): string {
    return `${this.p}stats`;
  }

  /** STRING JSON of an MO. */
  mo(id: string): string {
    return `${this.p}mo:${id}`;
  }
  /** HASH account SEP ISMG Msg_Id → MO id. */
  get moIds(): string {
    return `${this.p}moids`;
  }
  get moList(): string {
    return `${this.p}ls:mo`;
  }
  moListOf(account: string): string {
    return `${this.p}ls:mo:${account}`;
  }
  /** HASH seq → JSON part, and `total`: the stored parts of one long MO. */
  parts(account: string, groupKey: string): string {
    return `${this.p}parts:${account}${SEP}${groupKey}`;
  }
  /** SET of account SEP groupKey with stored parts. */
  get partGroups(): string {
    return `${this.p}partgroups`;
  }
  /** STRING with a TTL: a part already consumed into an MO (a redelivery of it is ignored). */
  consumedPart(account: string, ismgMsgId: string): string {
    return `${this.p}mocons:${account}${SEP}${ismgMsgId}`;
  }

  /** HASH: a push record. */
  push(pushId: string): string {
    return `${this.p}push:${pushId}`;
  }
  get pushList(): string {
    return `${this.p}ls:push`;
  }
  pushListOf(account: string): string {
    return `${this.p}ls:push:${account}`;
  }

  /** HASH event key → webhook id. */
  get webhookKeys(): string {
    return `${this.p}whkeys`;
  }
  get webhookSeq(): string {
    return `${this.p}wh:seq`;
  }
  webhook(id: number | string): string {
    return `${this.p}wh:${Number(id)}`;
  }
  /** ZSET next attempt time → zero-padded webhook id: the pending outbox. */
  get webhooksDue(): string {
    return `${this.p}whdue`;
  }
  /** ZSET creation time → zero-padded webhook id: delivered and dead webhooks, for retention. */
  get webhooksDone(): string {
    return `${this.p}whend`;
  }

  /** HASH `kind`, `at`: where retention goes on (see lua-purge.ts). */
  get purge(): string {
    return `${this.p}purge`;
  }

  /** ZSET node id → time its heartbeat lapses (Redis clock). */
  get nodes(): string {
    return `${this.p}nodes`;
  }
  /** STRING node id with a TTL: one link slot of an account. */
  lease(account: string, slot: number): string {
    return `${this.p}lease:${account}:${slot}`;
  }
}

/** Webhook ids as ZSET members: padded so that ties in time keep id order. */
export const webhookMember = (id: number | string) => String(id).padStart(15, '0');

export const GROUP = 'gw';
