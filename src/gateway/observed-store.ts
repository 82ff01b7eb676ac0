import type {
  FinalMessage,
  IncomingReport,
  MessageView,
  NewMessage,
  NewMo,
  Store,
  SubmitOutcome,
  WebhookJob,
} from '../store/types.js';

/** What the gateway's telemetry learns from the store's writes (called after each write succeeded). */
export interface StoreObserver {
  accepted(stored: { message: MessageView; created: boolean }[]): void;
  /** The messages of a stored WAP push (queued, one per address). */
  pushed(messages: NewMessage[]): void;
  submitted(account: string, outcomes: SubmitOutcome[]): void;
  reported(account: string, reports: IncomingReport[]): void;
  final(finals: FinalMessage[]): void;
  cancelled(id: string): void;
  mo(mo: NewMo): void;
  webhooksClaimed(jobs: WebhookJob[]): void;
  webhookDone(id: number, error?: string): void;
}

/**
 * The store as one account's dispatcher and inbound (or, without `account`, the rest of the gateway)
 * use it, telling `observer` about every write that succeeded. Reads and the methods not named here go
 * straight to the store, so backends may grow methods without this file knowing.
 */
export function observeStore(store: Store, observer: StoreObserver, account = ''): Store {
  const observed: Partial<Store> = {
    async insertMessages(messages) {
      const stored = await store.insertMessages(messages);
      observer.accepted(stored);
      return stored;
    },
    async insertPush(push, messages) {
      const stored = await store.insertPush(push, messages);
      if (stored) observer.pushed(messages);
      return stored;
    },
    async recordSubmits(outcomes, onFinal) {
      const finals = await store.recordSubmits(outcomes, onFinal);
      observer.submitted(account, outcomes);
      observer.final(finals);
      return finals;
    },
    async recordReports(reports, onFinal) {
      const finals = await store.recordReports(reports, onFinal);
      observer.reported(account, reports);
      observer.final(finals);
      return finals;
    },
    async expireDue(now, onFinal) {
      const finals = await store.expireDue(now, onFinal);
      observer.final(finals);
      return finals;
    },
    async cancelMessage(id, at) {
      const outcome = await store.cancelMessage(id, at);
      if (outcome === 'cancelled') observer.cancelled(id);
      return outcome;
    },
    async insertMo(mo, webhook, completes) {
      const stored = await store.insertMo(mo, webhook, completes);
      if (stored) observer.mo(mo);
      return stored;
    },
    async claimWebhooks(now, limit, leaseMs) {
      const jobs = await store.claimWebhooks(now, limit, leaseMs);
      observer.webhooksClaimed(jobs);
      return jobs;
    },
    async webhookDelivered(id, at) {
      await store.webhookDelivered(id, at);
      observer.webhookDone(id);
    },
    async webhookFailed(id, nextAttemptAt, error) {
      await store.webhookFailed(id, nextAttemptAt, error);
      observer.webhookDone(id, error);
    },
  };
  const bound = new Map<PropertyKey, unknown>();
  return new Proxy(store, {
    get(target, prop) {
      if (prop in observed) return observed[prop as keyof Store];
      const value = Reflect.get(target, prop);
      if (typeof value !== 'function') return value;
      if (!bound.has(prop)) bound.set(prop, value.bind(target));
      return bound.get(prop);
    },
  });
}
