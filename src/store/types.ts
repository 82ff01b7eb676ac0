import type { TextEncoding } from '../cmpp/index.js';
import type { MessageStatus } from './status.js';

/*
 * The Store contract: everything the gateway must not lose. Two backends implement it (SQLite embedded,
 * Redis for several nodes). Times are epoch milliseconds; Msg_Ids are decimal strings (they exceed 2^53).
 */

export type { MessageStatus, TextEncoding };

/** One segment (one CMPP SUBMIT) of a message, as the dispatcher sends it. */
export interface NewSegment {
  /** The whole Msg_Content: UDH (when tpUdhi is 1) and payload. */
  content: Uint8Array;
  tpUdhi: number;
}

/** A message to one recipient, as accepted from the API. */
export interface NewMessage {
  id: string;
  account: string;
  clientRef?: string;
  to: string;
  /** Src_Id: the account's service code plus the caller's extension. */
  srcId: string;
  text?: string;
  binaryHex?: string;
  encoding: TextEncoding;
  msgFmt: number;
  report: boolean;
  callbackUrl?: string;
  validUntil?: number;
  sendAt?: number;
  priority: number;
  segments: NewSegment[];
  createdAt: number;
  /** The WAP push (PAP push-id) this message carries, if any. */
  pushId?: string;
}

export interface SegmentView {
  index: number;
  msgId: string | null;
  status: MessageStatus;
  result: number | null;
  stat: string | null;
  submittedAt: number | null;
  reportedAt: number | null;
}

export interface MessageView {
  id: string;
  account: string;
  clientRef: string | null;
  to: string;
  srcId: string;
  text: string | null;
  binaryHex: string | null;
  encoding: TextEncoding;
  report: boolean;
  callbackUrl: string | null;
  validUntil: number | null;
  sendAt: number | null;
  priority: number;
  status: MessageStatus;
  error: string | null;
  createdAt: number;
  updatedAt: number;
  pushId: string | null;
  segments: SegmentView[];
}

/** A segment claimed for sending: everything a SUBMIT needs. */
export interface SegmentJob {
  messageId: string;
  index: number;
  account: string;
  to: string;
  srcId: string;
  msgFmt: number;
  tpUdhi: number;
  pkTotal: number;
  pkNumber: number;
  content: Buffer;
  report: boolean;
  priority: number;
  validUntil: number | null;
  attempts: number;
}

export interface SubmitOutcome {
  messageId: string;
  index: number;
  /** Result 0: the ISMG's Msg_Id. */
  msgId?: string;
  result: number;
  at: number;
  /** Result ≠ 0 is final: `rejected` with this detail. */
  error?: string;
}

/** A status report as received (DELIVER with Registered_Delivery = 1). */
export interface IncomingReport {
  msgId: string;
  stat: string;
  submitTime: string;
  doneTime: string;
  dest: string;
  receivedAt: number;
}

/** A message whose status just became final, so its webhook can be queued. */
export interface FinalMessage {
  id: string;
  account: string;
  status: MessageStatus;
  callbackUrl: string | null;
}

/** A webhook to queue in the same transaction as the change that caused it. */
export interface WebhookEvent {
  /** Unique per event: queuing the same key twice is a no-op (no duplicate deliveries). */
  eventKey: string;
  url: string;
  body: string;
  /** Default `application/json`; PAP result notifications are `application/xml`. */
  contentType?: string;
}

/**
 * Called inside the transaction for every message that became final: the webhook to queue, if any.
 * `view` reads the whole message (with its segments); a hook that queues nothing need not call it.
 * `callbacksOnly`: the hook queues nothing for a message without a callbackUrl, so a store may finish
 * such messages without calling it (the Redis store then needs no round trip to Node for them).
 */
export type FinalHook = ((message: FinalMessage, view: () => MessageView) => WebhookEvent | undefined) & {
  readonly callbacksOnly?: boolean;
};

/** One part of a long MO, stored before its DELIVER is acknowledged. */
export interface MoPart {
  account: string;
  /** Groups the parts of one message: sender, recipient, reference and total. */
  groupKey: string;
  total: number;
  seq: number;
  ismgMsgId: string;
  /** Msg_Content without the UDH. */
  payload: Buffer;
  msgFmt: number;
  linkId: string | null;
  receivedAt: number;
}

export interface NewMo {
  id: string;
  account: string;
  /** The ISMG's Msg_Id of the (last) DELIVER, so a redelivered MO is stored once. */
  ismgMsgId: string;
  from: string;
  to: string;
  text: string | null;
  binaryHex: string | null;
  msgFmt: number;
  parts: number;
  linkId: string | null;
  receivedAt: number;
}

export type MoView = Omit<NewMo, 'ismgMsgId'> & { ismgMsgId: string };

export interface WebhookJob {
  id: number;
  url: string;
  body: string;
  contentType: string;
  attempts: number;
  createdAt: number;
}

/** One event's webhook as the outbox holds it. */
export interface WebhookState {
  eventKey: string;
  url: string;
  /** `dead`: given up after webhooks.maxAgeMs. */
  status: 'pending' | 'delivered' | 'dead';
  /** POSTs started so far. */
  attempts: number;
  createdAt: number;
  /** When the next POST is due (pending only). */
  nextAttemptAt: number | null;
  deliveredAt: number | null;
  lastError: string | null;
}

export interface Page<T> {
  items: T[];
  /** Pass back as `cursor` for the next page; null at the end. */
  next: string | null;
}

export interface MessageFilter {
  account?: string;
  status?: MessageStatus;
  to?: string;
  clientRef?: string;
  since?: number;
  cursor?: string;
  limit: number;
}

/** A WAP push (PAP push-message): one message per address, each sent through the normal pipeline. */
export interface NewPush {
  /** The PI's push-id: unique, a second push with the same id is refused. */
  pushId: string;
  account: string;
  /** The content type as sent over the air (e.g. application/vnd.wap.sic). */
  contentType: string;
  /** ppg-notify-requested-to: where result notifications go; null when none was asked for. */
  notifyTo: string | null;
  /** source-reference: the PI's name for the content's source (facts §8); absent when it gave none. */
  sourceReference?: string;
  deliverBefore: number | null;
  deliverAfter: number | null;
  createdAt: number;
  /** Each address as the PI wrote it, and the message that carries the push to it. */
  addresses: { address: string; messageId: string }[];
}

export interface PushAddressView {
  address: string;
  messageId: string;
  status: MessageStatus;
  updatedAt: number;
}

export type PushView = Omit<NewPush, 'addresses'> & { addresses: PushAddressView[] };

export interface StoreStats {
  messagesByStatus: Record<string, number>;
  pushes: number;
  queuedSegments: number;
  webhooksPending: number;
  mo: number;
  orphanReports: number;
}

/**
 * Cluster-wide link slots: an account's `links` is a limit over all nodes, as `limit` numbered slots each
 * held by at most one node at a time. A lease lapses `ttlMs` after its last renewal (a dead node's links
 * are then free for the others).
 */
export interface LinkLeases {
  readonly ttlMs: number;
  /**
   * Renews the slots this node holds and returns those still its own; with `grow`, also takes free slots
   * when the node holds fewer than its share (the limit over the live nodes, rounded up): up to the share
   * rounded down at once (a lone node gets every slot in one call), else one.
   * `giveBack`: this node should give one slot back, for another node holding fewer than its share
   * (never while a slot is free).
   */
  sync(
    account: string,
    limit: number,
    held: readonly number[],
    grow: boolean,
  ): Promise<{ held: number[]; giveBack: boolean }>;
  /** Gives slots back at once; `leaving`: this node stops leasing the account (a graceful stop). */
  release(account: string, slots: readonly number[], leaving: boolean): Promise<void>;
}

export interface Store {
  /** Present when several nodes share the store: their link slots. Absent: this node may open every link. */
  readonly leases?: LinkLeases;
  /**
   * Stores messages durably. A message whose (account, clientRef, to) already exists is not stored again;
   * the existing one is returned in its place (idempotent retries).
   */
  insertMessages(messages: NewMessage[]): Promise<{ message: MessageView; created: boolean }[]>;
  getMessage(id: string): Promise<MessageView | undefined>;
  listMessages(filter: MessageFilter): Promise<Page<MessageView>>;
  /** Cancels a message none of whose segments has been sent. */
  cancelMessage(id: string, at: number): Promise<'cancelled' | 'not_found' | 'too_late'>;

  /**
   * Takes up to `limit` due segments of an account and marks them submitting: higher priority first, then
   * first come, first served (a message sent now is due when stored, a scheduled one at its sendAt, a
   * re-queued segment keeps its turn).
   */
  claimSegments(account: string, limit: number, now: number): Promise<SegmentJob[]>;
  /** Puts claimed segments back in the queue (the link failed before an answer). */
  requeueSegments(keys: { messageId: string; index: number }[]): Promise<void>;
  /** Segments left `submitting` by a crash go back to the queue; returns how many. */
  recoverInFlight(account?: string): Promise<number>;
  /** Persists SUBMIT_RESPs; reports that arrived before them are matched now. Returns messages now final. */
  recordSubmits(outcomes: SubmitOutcome[], onFinal?: FinalHook): Promise<FinalMessage[]>;
  /** Messages past validUntil with segments not yet sent become `expired`. */
  expireDue(now: number, onFinal?: FinalHook): Promise<FinalMessage[]>;

  /** Matches reports by Msg_Id; unmatched ones are kept (a resp may still come). Returns messages now final. */
  recordReports(reports: IncomingReport[], onFinal?: FinalHook): Promise<FinalMessage[]>;

  /**
   * Stores an MO once per (account, ISMG Msg_Id), with its webhook in the same transaction; false when it
   * was already stored. `completes` names a group of stored parts that this MO replaces (deleted with it).
   */
  insertMo(
    mo: NewMo,
    webhook?: WebhookEvent,
    completes?: { account: string; groupKey: string },
  ): Promise<boolean>;
  /** Stores one part of a long MO; returns all parts (by seq) once every part of its group is stored. */
  addMoPart(part: MoPart): Promise<MoPart[] | null>;
  /** Part groups whose every part is stored but whose MO is not (a crash in between): finish them at start. */
  completeMoGroups(): Promise<MoPart[][]>;
  listMo(filter: { account?: string; since?: number; cursor?: string; limit: number }): Promise<Page<MoView>>;

  /**
   * Stores a push record and its messages (`pushId` set on each) in one commit; false, storing nothing,
   * when a push with that push-id exists.
   */
  insertPush(push: NewPush, messages: NewMessage[]): Promise<boolean>;
  getPush(pushId: string): Promise<PushView | undefined>;
  /** Newest first. */
  listPushes(filter: { account?: string; cursor?: string; limit: number }): Promise<Page<PushView>>;

  /** Queues a webhook once per event key; false when that event was queued before. */
  enqueueWebhook(
    eventKey: string,
    url: string,
    body: string,
    now: number,
    contentType?: string,
  ): Promise<boolean>;
  claimWebhooks(now: number, limit: number, leaseMs: number): Promise<WebhookJob[]>;
  webhookDelivered(id: number, at: number): Promise<void>;
  webhookFailed(id: number, nextAttemptAt: number | null, error: string): Promise<void>;
  /** Read-only, for the dashboard: the webhook queued for an event (`report:<id>`, `mo:<id>`), if any. */
  webhookState?(eventKey: string): Promise<WebhookState | undefined>;

  /**
   * Retention: deletes up to `limit` records created (or received) before `before` that are done with, and
   * returns how many it deleted; a call looks at a bounded number of records, so call again until it
   * returns 0 (nothing older left, or for now only records that must stay). Done with: messages
   * not `queued` or `submitting` (with their segments, Msg_Id index entries and idempotency keys), MO and
   * unassembled MO parts, push records, delivered or dead webhooks, orphan reports. Counts in `stats`
   * follow.
   */
  purge(before: number, limit: number): Promise<number>;

  stats(): Promise<StoreStats>;
  close(): Promise<void>;
}
