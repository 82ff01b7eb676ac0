import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newId } from '../../src/store/ids.js';
import type {
  FinalHook,
  FinalMessage,
  IncomingReport,
  MessageStatus,
  MessageView,
  MoPart,
  NewMessage,
  NewMo,
  NewPush,
  NewSegment,
  SegmentJob,
  Store,
  SubmitOutcome,
} from '../../src/store/types.js';

/*
 * The Store contract, backend-independent. `open()` must return a store that is EMPTY (a fresh file, a
 * flushed Redis database or a fresh key prefix): every test opens its own store and closes it afterwards.
 * All times are explicit and fixed (T0), except where the contract itself reads the clock.
 */

/** 2025-10-09 12:26:40 UTC. */
export const T0 = 1_760_012_800_000;
const MINUTE = 60_000;

const ACCT_A = 'acct-901234';
const ACCT_B = 'acct-905678';
const HOOK = 'https://hooks.example.com/cmppgw/events';

let nextRef = 1;
let msgIdCounter = 12878564852733378560n; // > 2^53: must survive as an exact decimal string

/** A fresh ISMG Msg_Id (64-bit, decimal). */
export function nextMsgId(): string {
  return String(msgIdCounter++);
}

/** Big-endian UCS-2, as CMPP Msg_Fmt 8 carries it. */
function ucs2(text: string): Buffer {
  return Buffer.from(text, 'utf16le').swap16();
}

/** Realistic segment contents: one plain UCS-2 segment, or N segments with an 8-bit-reference concat UDH. */
export function segmentsFor(count: number): NewSegment[] {
  if (count === 1) return [{ content: ucs2('【云通】您的验证码是 482913，5 分钟内有效。'), tpUdhi: 0 }];
  const ref = nextRef++ & 0xff;
  return Array.from({ length: count }, (_, i) => ({
    content: Buffer.concat([
      Buffer.from([0x05, 0x00, 0x03, ref, count, i + 1]),
      ucs2(`【云通】第 ${i + 1}/${count} 段：尊敬的客户，您本月账单已出，请及时缴费。`),
    ]),
    tpUdhi: 1,
  }));
}

export interface MessageSpec {
  account?: string;
  to?: string;
  clientRef?: string;
  segments?: number;
  priority?: number;
  report?: boolean;
  sendAt?: number;
  validUntil?: number;
  createdAt?: number;
  callbackUrl?: string | null;
  binary?: boolean;
}

export function newMessage(spec: MessageSpec = {}): NewMessage {
  const createdAt = spec.createdAt ?? T0;
  const m: NewMessage = {
    id: newId(createdAt),
    account: spec.account ?? ACCT_A,
    to: spec.to ?? '13800138000',
    srcId: '106571234501',
    encoding: 'ucs2',
    msgFmt: 8,
    report: spec.report ?? true,
    priority: spec.priority ?? 1,
    segments: segmentsFor(spec.segments ?? 1),
    createdAt,
  };
  if (spec.binary) {
    m.encoding = 'binary';
    m.msgFmt = 4;
    m.binaryHex = '0605040b8423f0';
    m.segments = [{ content: Buffer.from('0605040b8423f0', 'hex'), tpUdhi: 1 }];
  } else {
    m.text = '【云通】您的验证码是 482913，5 分钟内有效。';
  }
  if (spec.clientRef !== undefined) m.clientRef = spec.clientRef;
  if (spec.callbackUrl !== null) m.callbackUrl = spec.callbackUrl ?? HOOK;
  if (spec.sendAt !== undefined) m.sendAt = spec.sendAt;
  if (spec.validUntil !== undefined) m.validUntil = spec.validUntil;
  return m;
}

export function reportFor(
  msgId: string,
  stat: string,
  receivedAt: number,
  dest = '13800138000',
): IncomingReport {
  return { msgId, stat, submitTime: '2510091226', doneTime: '2510091227', dest, receivedAt };
}

export function mo(spec: Partial<NewMo> = {}): NewMo {
  const receivedAt = spec.receivedAt ?? T0;
  return {
    id: newId(receivedAt),
    account: ACCT_A,
    ismgMsgId: nextMsgId(),
    from: '13900139000',
    to: '106571234501',
    text: 'TD',
    binaryHex: null,
    msgFmt: 15,
    parts: 1,
    linkId: null,
    receivedAt,
    ...spec,
  };
}

function nonZero(counts: Record<string, number>): Record<string, number> {
  return Object.fromEntries(Object.entries(counts).filter(([, n]) => n !== 0));
}

const final = (m: MessageView, status: MessageStatus): FinalMessage => ({
  id: m.id,
  account: m.account,
  status,
  callbackUrl: m.callbackUrl,
});

/** Stores a SUBMIT_RESP with Result 0 and a new Msg_Id for each job; returns the Msg_Ids and what became final. */
export async function acceptAll(
  store: Store,
  jobs: { messageId: string; index: number }[],
  at: number,
): Promise<{ msgIds: string[]; finals: FinalMessage[] }> {
  const msgIds = jobs.map(() => nextMsgId());
  const finals = await store.recordSubmits(
    jobs.map((j, i) => ({ messageId: j.messageId, index: j.index, msgId: msgIds[i], result: 0, at })),
  );
  return { msgIds, finals };
}

export function describeStoreContract(
  name: string,
  open: () => Promise<Store>,
  cleanup?: () => Promise<void>,
): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store;

    beforeEach(async () => {
      store = await open();
    });
    afterEach(async () => {
      await store.close();
    });
    if (cleanup) afterAll(cleanup);

    // ---------- helpers ----------

    async function insert(spec: MessageSpec = {}): Promise<MessageView> {
      const [r] = await store.insertMessages([newMessage(spec)]);
      expect(r.created).toBe(true);
      return r.message;
    }

    async function get(id: string): Promise<MessageView> {
      const m = await store.getMessage(id);
      expect(m, `message ${id}`).toBeDefined();
      return m!;
    }

    const segStatuses = async (id: string) => (await get(id)).segments.map((s) => s.status);

    /** Answers every job with Result 0 and a fresh Msg_Id; returns the Msg_Ids in job order. */
    const submitOk = (jobs: SegmentJob[], at: number) => acceptAll(store, jobs, at);

    /** Claims, submits and returns the Msg_Ids of every segment of the account's due messages. */
    async function sendAll(account: string, at: number): Promise<string[]> {
      const jobs = await store.claimSegments(account, 1000, at);
      const { msgIds } = await submitOk(jobs, at);
      return msgIds;
    }

    async function listAll(filter: Omit<Parameters<Store['listMessages']>[0], 'limit' | 'cursor'> = {}) {
      const items: MessageView[] = [];
      let cursor: string | undefined;
      for (let pages = 0; pages < 1000; pages++) {
        const page = await store.listMessages({ ...filter, limit: 50, cursor });
        items.push(...page.items);
        if (page.next === null) return items;
        cursor = page.next;
      }
      throw new Error('pagination never ended');
    }

    // ---------- insertMessages / getMessage ----------

    describe('insertMessages and getMessage', () => {
      it('stores every field and N queued segments; getMessage returns the same view', async () => {
        const input = newMessage({
          clientRef: 'order-20251009-0001',
          segments: 3,
          priority: 3,
          sendAt: T0 + MINUTE,
          validUntil: T0 + 60 * MINUTE,
        });
        const [r] = await store.insertMessages([input]);
        expect(r.created).toBe(true);
        const expected: MessageView = {
          id: input.id,
          account: ACCT_A,
          clientRef: 'order-20251009-0001',
          to: '13800138000',
          srcId: '106571234501',
          text: input.text!,
          binaryHex: null,
          encoding: 'ucs2',
          report: true,
          callbackUrl: HOOK,
          validUntil: T0 + 60 * MINUTE,
          sendAt: T0 + MINUTE,
          priority: 3,
          status: 'queued',
          error: null,
          createdAt: T0,
          updatedAt: T0,
          pushId: null,
          segments: [0, 1, 2].map((index) => ({
            index,
            msgId: null,
            status: 'queued' as const,
            result: null,
            stat: null,
            submittedAt: null,
            reportedAt: null,
          })),
        };
        expect(r.message).toEqual(expected);
        expect(await store.getMessage(input.id)).toEqual(expected);
      });

      it('optional fields absent → null; binary messages keep binaryHex and no text', async () => {
        const input = newMessage({ binary: true, report: false, callbackUrl: null });
        await store.insertMessages([input]);
        const m = await get(input.id);
        expect(m).toMatchObject({
          clientRef: null,
          text: null,
          binaryHex: '0605040b8423f0',
          encoding: 'binary',
          report: false,
          callbackUrl: null,
          validUntil: null,
          sendAt: null,
        });
        expect(m.segments).toHaveLength(1);
      });

      it('getMessage of an unknown id → undefined', async () => {
        expect(await store.getMessage(newId(T0))).toBeUndefined();
      });

      it('a batch returns one result per message, in order', async () => {
        const inputs = [1, 2, 4].map((n, i) => newMessage({ segments: n, to: `1380013800${i}` }));
        const results = await store.insertMessages(inputs);
        expect(results.map((r) => [r.message.id, r.created, r.message.segments.length])).toEqual([
          [inputs[0].id, true, 1],
          [inputs[1].id, true, 2],
          [inputs[2].id, true, 4],
        ]);
        expect((await store.stats()).queuedSegments).toBe(7);
      });

      it('same (account, clientRef, to) again → created false, the ORIGINAL message, no second row', async () => {
        const first = newMessage({ clientRef: 'retry-77', segments: 2 });
        await store.insertMessages([first]);
        const again = newMessage({ clientRef: 'retry-77', segments: 2, createdAt: T0 + 5_000 });
        const [r] = await store.insertMessages([again]);
        expect(r.created).toBe(false);
        expect(r.message.id).toBe(first.id);
        expect(r.message.createdAt).toBe(T0);
        expect(r.message.segments).toHaveLength(2);
        expect(await store.getMessage(again.id)).toBeUndefined();
        expect((await store.listMessages({ account: ACCT_A, limit: 100 })).items.map((m) => m.id)).toEqual([
          first.id,
        ]);
        expect((await store.stats()).queuedSegments).toBe(2);
      });

      it('the original is returned even after it moved on (retry after submit)', async () => {
        const first = await insert({ clientRef: 'retry-78' });
        await sendAll(ACCT_A, T0);
        const [r] = await store.insertMessages([
          newMessage({ clientRef: 'retry-78', createdAt: T0 + MINUTE }),
        ]);
        expect(r.created).toBe(false);
        expect(r.message.id).toBe(first.id);
        expect(r.message.status).toBe('submitted');
        expect(await store.claimSegments(ACCT_A, 10, T0 + MINUTE)).toEqual([]);
      });

      it('a duplicate inside one batch is stored once', async () => {
        const a = newMessage({ clientRef: 'batch-1' });
        const b = newMessage({ clientRef: 'batch-1' });
        const results = await store.insertMessages([a, b]);
        expect(results.map((r) => [r.message.id, r.created])).toEqual([
          [a.id, true],
          [a.id, false],
        ]);
        expect(await listAll()).toHaveLength(1);
      });

      it('same clientRef with another recipient or another account → a new message', async () => {
        const a = await insert({ clientRef: 'campaign-9', to: '13800138000' });
        const b = await insert({ clientRef: 'campaign-9', to: '13900139000' });
        const c = await insert({ clientRef: 'campaign-9', to: '13800138000', account: ACCT_B });
        expect(new Set([a.id, b.id, c.id]).size).toBe(3);
        expect(await listAll()).toHaveLength(3);
      });

      it('without clientRef nothing is deduplicated', async () => {
        await insert();
        await insert();
        expect(await listAll()).toHaveLength(2);
      });

      it('200 concurrent single inserts all land', async () => {
        const inputs = Array.from({ length: 200 }, (_, i) =>
          newMessage({ to: `138${String(i).padStart(8, '0')}`, clientRef: `bulk-${i}` }),
        );
        const results = await Promise.all(inputs.map((m) => store.insertMessages([m])));
        expect(results.every(([r]) => r.created)).toBe(true);
        expect(results.map(([r]) => r.message.id)).toEqual(inputs.map((m) => m.id));
        const all = await listAll();
        expect(all).toHaveLength(200);
        expect(new Set(all.map((m) => m.id))).toEqual(new Set(inputs.map((m) => m.id)));
        const stats = await store.stats();
        expect(nonZero(stats.messagesByStatus)).toEqual({ queued: 200 });
        expect(stats.queuedSegments).toBe(200);
      });

      it('concurrent retries of one clientRef create exactly one message', async () => {
        const inputs = Array.from({ length: 10 }, () => newMessage({ clientRef: 'storm-1', segments: 2 }));
        const results = await Promise.all(inputs.map((m) => store.insertMessages([m])));
        expect(results.filter(([r]) => r.created)).toHaveLength(1);
        const winner = results.find(([r]) => r.created)![0].message.id;
        expect(results.every(([r]) => r.message.id === winner)).toBe(true);
        expect(await listAll()).toHaveLength(1);
        expect((await store.stats()).queuedSegments).toBe(2);
      });
    });

    // ---------- claimSegments ----------

    describe('claimSegments', () => {
      it('a job carries everything a SUBMIT needs', async () => {
        const input = newMessage({ segments: 3, priority: 2, validUntil: T0 + 30 * MINUTE, clientRef: 'x' });
        await store.insertMessages([input]);
        const jobs = await store.claimSegments(ACCT_A, 10, T0);
        expect(jobs).toHaveLength(3);
        const byIndex = [...jobs].sort((a, b) => a.index - b.index);
        byIndex.forEach((job, i) => {
          expect(job).toMatchObject({
            messageId: input.id,
            index: i,
            account: ACCT_A,
            to: '13800138000',
            srcId: '106571234501',
            msgFmt: 8,
            tpUdhi: 1,
            pkTotal: 3,
            pkNumber: i + 1,
            report: true,
            priority: 2,
            validUntil: T0 + 30 * MINUTE,
            attempts: 1,
          });
          expect(Buffer.isBuffer(job.content)).toBe(true);
          expect(Buffer.compare(job.content, Buffer.from(input.segments[i].content))).toBe(0);
        });
      });

      it('single-segment, no report, no validUntil', async () => {
        const input = newMessage({ report: false });
        await store.insertMessages([input]);
        const [job] = await store.claimSegments(ACCT_A, 10, T0);
        expect(job).toMatchObject({ pkTotal: 1, pkNumber: 1, tpUdhi: 0, report: false, validUntil: null });
        expect(Buffer.compare(job.content, Buffer.from(input.segments[0].content))).toBe(0);
      });

      it("takes only the account's segments", async () => {
        const a = await insert({ account: ACCT_A, segments: 2 });
        const b = await insert({ account: ACCT_B, priority: 9 });
        const jobsA = await store.claimSegments(ACCT_A, 10, T0);
        expect(jobsA.map((j) => j.messageId)).toEqual([a.id, a.id]);
        expect(jobsA.every((j) => j.account === ACCT_A)).toBe(true);
        expect(await segStatuses(b.id)).toEqual(['queued']);
        const jobsB = await store.claimSegments(ACCT_B, 10, T0);
        expect(jobsB.map((j) => [j.messageId, j.account])).toEqual([[b.id, ACCT_B]]);
      });

      it('a message scheduled with sendAt is not claimed before it is due', async () => {
        const later = await insert({ sendAt: T0 + 10 * MINUTE });
        expect(await store.claimSegments(ACCT_A, 10, T0)).toEqual([]);
        expect(await store.claimSegments(ACCT_A, 10, T0 + 10 * MINUTE - 1)).toEqual([]);
        expect((await get(later.id)).status).toBe('queued');
        const jobs = await store.claimSegments(ACCT_A, 10, T0 + 10 * MINUTE);
        expect(jobs.map((j) => j.messageId)).toEqual([later.id]);
      });

      it('higher priority first, then in the order they became due', async () => {
        const low = await insert({ priority: 0, createdAt: T0 - 3_000 });
        const mid = await insert({ priority: 5, createdAt: T0 - 2_500 });
        const highOld = await insert({ priority: 9, createdAt: T0 - 2_000 });
        const highNew = await insert({ priority: 9, createdAt: T0 - 1_000 });
        // The oldest, but due only at its sendAt: after mid.
        const scheduled = await insert({ priority: 5, createdAt: T0 - 5_000, sendAt: T0 - 500 });
        const jobs = await store.claimSegments(ACCT_A, 10, T0);
        expect(jobs.map((j) => j.messageId)).toEqual([highOld.id, highNew.id, mid.id, scheduled.id, low.id]);
      });

      it('messages of one segment and of several share one order', async () => {
        const oldSingle = await insert({ priority: 5, createdAt: T0 - 3_000 });
        const long = await insert({ priority: 5, segments: 2, createdAt: T0 - 2_000 });
        const urgent = await insert({ priority: 9, createdAt: T0 - 1_000 });
        const newSingle = await insert({ priority: 5, createdAt: T0 - 500 });
        const keys = (jobs: SegmentJob[]) => jobs.map((j) => [j.messageId, j.index]);
        expect(keys(await store.claimSegments(ACCT_A, 3, T0))).toEqual([
          [urgent.id, 0],
          [oldSingle.id, 0],
          [long.id, 0],
        ]);
        expect(keys(await store.claimSegments(ACCT_A, 10, T0))).toEqual([
          [long.id, 1],
          [newSingle.id, 0],
        ]);
      });

      it('the limit is honoured and nothing is claimed twice', async () => {
        const m1 = await insert({ segments: 3, createdAt: T0 - 2_000 });
        const m2 = await insert({ segments: 2, createdAt: T0 - 1_000 });
        const first = await store.claimSegments(ACCT_A, 2, T0);
        const second = await store.claimSegments(ACCT_A, 2, T0);
        const third = await store.claimSegments(ACCT_A, 2, T0);
        const fourth = await store.claimSegments(ACCT_A, 2, T0);
        expect([first.length, second.length, third.length, fourth.length]).toEqual([2, 2, 1, 0]);
        const keys = [...first, ...second, ...third].map((j) => `${j.messageId}/${j.index}`);
        expect(new Set(keys).size).toBe(5);
        expect(keys.slice(0, 3).every((k) => k.startsWith(m1.id))).toBe(true);
        expect(keys.slice(3).every((k) => k.startsWith(m2.id))).toBe(true);
      });

      it('concurrent claims never hand out the same segment twice', async () => {
        for (let i = 0; i < 10; i++) await insert({ segments: 3, to: `1380013800${i}` });
        const batches = await Promise.all(
          Array.from({ length: 8 }, () => store.claimSegments(ACCT_A, 5, T0)),
        );
        const keys = batches.flat().map((j) => `${j.messageId}/${j.index}`);
        expect(keys).toHaveLength(30);
        expect(new Set(keys).size).toBe(30);
      });

      it('claimed segments become submitting, and so does the message', async () => {
        const m = await insert({ segments: 3 });
        await store.claimSegments(ACCT_A, 1, T0);
        const view = await get(m.id);
        expect(view.status).toBe('submitting');
        expect(view.segments.map((s) => s.status).sort()).toEqual(['queued', 'queued', 'submitting']);
        expect((await store.stats()).queuedSegments).toBe(2);
      });

      it('a message past validUntil is not claimed', async () => {
        await insert({ validUntil: T0 - 1 });
        await insert({ validUntil: T0 });
        const ok = await insert({ validUntil: T0 + 1 });
        const jobs = await store.claimSegments(ACCT_A, 10, T0);
        expect(jobs.map((j) => j.messageId)).toEqual([ok.id]);
      });

      it('no due segments → empty list', async () => {
        expect(await store.claimSegments(ACCT_A, 10, T0)).toEqual([]);
      });
    });

    // ---------- requeueSegments / recoverInFlight ----------

    describe('requeueSegments and recoverInFlight', () => {
      it('requeueSegments puts only the given segments back; they are claimed again with attempts + 1', async () => {
        const m = await insert({ segments: 3 });
        const jobs = await store.claimSegments(ACCT_A, 10, T0);
        const back = jobs
          .filter((j) => j.index !== 1)
          .map((j) => ({ messageId: j.messageId, index: j.index }));
        await store.requeueSegments(back);
        expect(await segStatuses(m.id)).toEqual(['queued', 'submitting', 'queued']);
        expect((await get(m.id)).status).toBe('submitting');
        const again = await store.claimSegments(ACCT_A, 10, T0 + 1_000);
        expect(again.map((j) => [j.index, j.attempts]).sort()).toEqual([
          [0, 2],
          [2, 2],
        ]);
      });

      it('requeueing every segment makes the message queued again', async () => {
        const m = await insert({ segments: 2 });
        const jobs = await store.claimSegments(ACCT_A, 10, T0);
        await store.requeueSegments(jobs.map((j) => ({ messageId: j.messageId, index: j.index })));
        const view = await get(m.id);
        expect(view.status).toBe('queued');
        expect(view.segments.map((s) => s.status)).toEqual(['queued', 'queued']);
        expect((await store.stats()).queuedSegments).toBe(2);
      });

      it('requeueSegments leaves answered segments alone', async () => {
        const m = await insert();
        const jobs = await store.claimSegments(ACCT_A, 10, T0);
        await submitOk(jobs, T0 + 100);
        await store.requeueSegments([{ messageId: m.id, index: 0 }]);
        expect(await segStatuses(m.id)).toEqual(['submitted']);
        expect(await store.claimSegments(ACCT_A, 10, T0 + 1_000)).toEqual([]);
      });

      it('recoverInFlight(account) re-queues that account only and returns the segment count', async () => {
        const a1 = await insert({ account: ACCT_A, segments: 3 });
        const a2 = await insert({ account: ACCT_A });
        const b1 = await insert({ account: ACCT_B, segments: 2 });
        await store.claimSegments(ACCT_A, 10, T0);
        await store.claimSegments(ACCT_B, 10, T0);
        expect(await store.recoverInFlight(ACCT_A)).toBe(4);
        expect(await segStatuses(a1.id)).toEqual(['queued', 'queued', 'queued']);
        expect((await get(a1.id)).status).toBe('queued');
        expect((await get(a2.id)).status).toBe('queued');
        expect(await segStatuses(b1.id)).toEqual(['submitting', 'submitting']);
        expect(await store.recoverInFlight(ACCT_A)).toBe(0);
      });

      it('recoverInFlight() re-queues every account; answered segments stay', async () => {
        const a = await insert({ account: ACCT_A, segments: 3 });
        const b = await insert({ account: ACCT_B, segments: 2 });
        const jobsA = await store.claimSegments(ACCT_A, 10, T0);
        await store.claimSegments(ACCT_B, 10, T0);
        await submitOk(
          jobsA.filter((j) => j.index === 0),
          T0 + 50,
        );
        expect(await store.recoverInFlight()).toBe(4);
        expect(await segStatuses(a.id)).toEqual(['submitted', 'queued', 'queued']);
        expect((await get(a.id)).status).toBe('submitting');
        expect(await segStatuses(b.id)).toEqual(['queued', 'queued']);
        expect((await get(b.id)).status).toBe('queued');
        expect(await store.recoverInFlight()).toBe(0);
        const again = await store.claimSegments(ACCT_A, 10, T0 + 1_000);
        expect(again.map((j) => j.index).sort()).toEqual([1, 2]);
      });
    });

    // ---------- recordSubmits ----------

    describe('recordSubmits', () => {
      it('Result 0 → submitted with the Msg_Id; a message waiting for reports is not final yet', async () => {
        const m = await insert({ segments: 2 });
        const jobs = await store.claimSegments(ACCT_A, 10, T0);
        const { msgIds, finals } = await submitOk(jobs, T0 + 120);
        expect(finals).toEqual([]);
        const view = await get(m.id);
        expect(view.status).toBe('submitted');
        const byIndex = new Map(jobs.map((j, i) => [j.index, msgIds[i]]));
        for (const s of view.segments) {
          expect(s).toEqual({
            index: s.index,
            msgId: byIndex.get(s.index),
            status: 'submitted',
            result: 0,
            stat: null,
            submittedAt: T0 + 120,
            reportedAt: null,
          });
        }
        expect(view.segments[0].msgId).toMatch(/^\d{20}$/);
      });

      it('with reports: submitting until every segment is answered; counted once; nothing left to recover', async () => {
        const m = await insert({ segments: 2 });
        const jobs = [...(await store.claimSegments(ACCT_A, 10, T0))].sort((a, b) => a.index - b.index);
        const ok = (index: number, at: number): SubmitOutcome => ({
          messageId: m.id,
          index,
          msgId: nextMsgId(),
          result: 0,
          at,
        });
        expect(jobs).toHaveLength(2);
        expect(await store.recordSubmits([ok(0, T0 + 10)])).toEqual([]);
        expect(await get(m.id)).toMatchObject({ status: 'submitting' });
        expect((await store.stats()).messagesByStatus).toMatchObject({ submitting: 1 });
        expect(await store.recordSubmits([ok(1, T0 + 20)])).toEqual([]);
        expect(await get(m.id)).toMatchObject({ status: 'submitted', updatedAt: T0 + 20 });
        const stats = await store.stats();
        expect(stats.messagesByStatus).toMatchObject({ submitted: 1 });
        expect(stats.messagesByStatus.submitting ?? 0).toBe(0);
        expect(stats.queuedSegments).toBe(0);
        expect(await store.recoverInFlight(ACCT_A)).toBe(0);
      });

      it('without report: final `submitted` once the last segment is answered, returned exactly once', async () => {
        const m = await insert({ segments: 2, report: false });
        const jobs = await store.claimSegments(ACCT_A, 10, T0);
        const first = await store.recordSubmits([
          { messageId: jobs[0].messageId, index: jobs[0].index, msgId: nextMsgId(), result: 0, at: T0 + 10 },
        ]);
        expect(first).toEqual([]);
        expect((await get(m.id)).status).toBe('submitting');
        const lastOutcome: SubmitOutcome = {
          messageId: jobs[1].messageId,
          index: jobs[1].index,
          msgId: nextMsgId(),
          result: 0,
          at: T0 + 20,
        };
        expect(await store.recordSubmits([lastOutcome])).toEqual([final(m, 'submitted')]);
        expect((await get(m.id)).status).toBe('submitted');
        // The same SUBMIT_RESP stored twice, and a stray report: no second final event.
        expect(await store.recordSubmits([lastOutcome])).toEqual([]);
        expect(await store.recordReports([reportFor(lastOutcome.msgId!, 'DELIVRD', T0 + 30)])).toEqual([]);
      });

      it('Result ≠ 0 → rejected with the error detail and the Result code; final', async () => {
        const m = await insert();
        const [job] = await store.claimSegments(ACCT_A, 10, T0);
        const finals = await store.recordSubmits([
          {
            messageId: job.messageId,
            index: job.index,
            result: 9,
            at: T0 + 40,
            error: 'Result 9: bad Src_Id',
          },
        ]);
        expect(finals).toEqual([final(m, 'rejected')]);
        const view = await get(m.id);
        expect(view.status).toBe('rejected');
        expect(view.error).toContain('bad Src_Id');
        expect(view.segments[0]).toMatchObject({ status: 'rejected', result: 9, msgId: null });
        expect(await store.claimSegments(ACCT_A, 10, T0 + 1_000)).toEqual([]);
      });

      it('one rejected segment of three: the message ends rejected once the others are final', async () => {
        const m = await insert({ segments: 3 });
        const jobs = [...(await store.claimSegments(ACCT_A, 10, T0))].sort((a, b) => a.index - b.index);
        const ids = [nextMsgId(), nextMsgId()];
        const finals = await store.recordSubmits([
          { messageId: m.id, index: 0, msgId: ids[0], result: 0, at: T0 + 1 },
          { messageId: m.id, index: 1, result: 13, at: T0 + 1, error: 'Result 13: blacklisted' },
          { messageId: m.id, index: 2, msgId: ids[1], result: 0, at: T0 + 1 },
        ]);
        expect(jobs).toHaveLength(3);
        expect(finals).toEqual([]);
        expect(await store.recordReports([reportFor(ids[0], 'DELIVRD', T0 + 5)])).toEqual([]);
        expect(await store.recordReports([reportFor(ids[1], 'DELIVRD', T0 + 6)])).toEqual([
          final(m, 'rejected'),
        ]);
        expect((await get(m.id)).status).toBe('rejected');
      });

      it('Msg_Ids above 2^53 are kept exactly', async () => {
        const m = await insert();
        const [job] = await store.claimSegments(ACCT_A, 10, T0);
        const big = '18446744073709551615';
        await store.recordSubmits([{ messageId: job.messageId, index: 0, msgId: big, result: 0, at: T0 }]);
        expect((await get(m.id)).segments[0].msgId).toBe(big);
        expect(await store.recordReports([reportFor(big, 'DELIVRD', T0 + 1)])).toEqual([
          final(m, 'delivered'),
        ]);
      });
    });

    // ---------- recordReports ----------

    describe('recordReports', () => {
      it('3 segments: delivered only after the third DELIVRD, FinalMessage exactly once', async () => {
        const m = await insert({ segments: 3 });
        const ids = await sendAll(ACCT_A, T0);
        expect(await store.recordReports([reportFor(ids[0], 'DELIVRD', T0 + 1_000)])).toEqual([]);
        expect((await get(m.id)).status).toBe('submitted');
        expect(await store.recordReports([reportFor(ids[1], 'DELIVRD', T0 + 2_000)])).toEqual([]);
        expect((await get(m.id)).status).toBe('submitted');
        expect(await store.recordReports([reportFor(ids[2], 'DELIVRD', T0 + 3_000)])).toEqual([
          final(m, 'delivered'),
        ]);
        const view = await get(m.id);
        expect(view.status).toBe('delivered');
        expect(view.segments.map((s) => [s.status, s.stat])).toEqual([
          ['delivered', 'DELIVRD'],
          ['delivered', 'DELIVRD'],
          ['delivered', 'DELIVRD'],
        ]);
        expect(view.segments.map((s) => s.reportedAt).sort()).toEqual([T0 + 1_000, T0 + 2_000, T0 + 3_000]);
        // Duplicates (the ISMG resends when our DELIVER_RESP was lost): no second event.
        expect(await store.recordReports([reportFor(ids[2], 'DELIVRD', T0 + 4_000)])).toEqual([]);
        expect(await store.recordReports(ids.map((id) => reportFor(id, 'DELIVRD', T0 + 5_000)))).toEqual([]);
        expect((await get(m.id)).status).toBe('delivered');
      });

      it('all reports in one batch → one FinalMessage', async () => {
        const m = await insert({ segments: 3 });
        const ids = await sendAll(ACCT_A, T0);
        const reports = ids.map((id) => reportFor(id, 'DELIVRD', T0 + 1_000));
        expect(await store.recordReports([...reports, reports[0]])).toEqual([final(m, 'delivered')]);
      });

      it('one UNDELIV among three → undeliverable', async () => {
        const m = await insert({ segments: 3 });
        const ids = await sendAll(ACCT_A, T0);
        expect(await store.recordReports([reportFor(ids[0], 'DELIVRD', T0 + 1)])).toEqual([]);
        expect(await store.recordReports([reportFor(ids[1], 'UNDELIV', T0 + 2)])).toEqual([]);
        expect(await store.recordReports([reportFor(ids[2], 'DELIVRD', T0 + 3)])).toEqual([
          final(m, 'undeliverable'),
        ]);
        const view = await get(m.id);
        expect(view.status).toBe('undeliverable');
        expect(view.segments.find((s) => s.msgId === ids[1])).toMatchObject({
          status: 'undeliverable',
          stat: 'UNDELIV',
        });
      });

      it('EXPIRED → expired; other error stats (MA:0054, REJECTD) → undeliverable', async () => {
        const a = await insert({ to: '13800000001' });
        const b = await insert({ to: '13800000002' });
        const c = await insert({ to: '13800000003' });
        const jobs = await store.claimSegments(ACCT_A, 10, T0);
        const { msgIds } = await submitOk(jobs, T0);
        const idOf = (id: string) => msgIds[jobs.findIndex((j) => j.messageId === id)];
        const finals = await store.recordReports([
          reportFor(idOf(a.id), 'EXPIRED', T0 + 1),
          reportFor(idOf(b.id), 'MA:0054', T0 + 1),
          reportFor(idOf(c.id), 'REJECTD', T0 + 1),
        ]);
        expect(finals).toHaveLength(3);
        expect(finals).toEqual(
          expect.arrayContaining([final(a, 'expired'), final(b, 'undeliverable'), final(c, 'undeliverable')]),
        );
        expect((await get(a.id)).segments[0].stat).toBe('EXPIRED');
        expect((await get(b.id)).segments[0].stat).toBe('MA:0054');
      });

      it('ACCEPTD is intermediate: ignored', async () => {
        const m = await insert();
        const [id] = await sendAll(ACCT_A, T0);
        expect(await store.recordReports([reportFor(id, 'ACCEPTD', T0 + 1)])).toEqual([]);
        const view = await get(m.id);
        expect(view.status).toBe('submitted');
        expect(view.segments[0]).toMatchObject({ status: 'submitted', stat: null, reportedAt: null });
        expect(await store.recordReports([reportFor(id, 'DELIVRD', T0 + 2)])).toEqual([
          final(m, 'delivered'),
        ]);
      });

      it('reports for two messages in one batch → two FinalMessages', async () => {
        const a = await insert({ to: '13800000001' });
        const b = await insert({ to: '13800000002', account: ACCT_B });
        const [idA] = await sendAll(ACCT_A, T0);
        const [idB] = await sendAll(ACCT_B, T0);
        const finals = await store.recordReports([
          reportFor(idA, 'DELIVRD', T0 + 1),
          reportFor(idB, 'UNDELIV', T0 + 1),
        ]);
        expect(finals).toHaveLength(2);
        expect(finals).toEqual(expect.arrayContaining([final(a, 'delivered'), final(b, 'undeliverable')]));
      });

      it('a report before its SUBMIT_RESP is kept and matched when the resp lands', async () => {
        const m = await insert();
        const [job] = await store.claimSegments(ACCT_A, 10, T0);
        const msgId = nextMsgId();
        expect(await store.recordReports([reportFor(msgId, 'DELIVRD', T0 + 10)])).toEqual([]);
        expect((await store.stats()).orphanReports).toBe(1);
        expect((await get(m.id)).status).toBe('submitting');
        const finals = await store.recordSubmits([
          { messageId: job.messageId, index: job.index, msgId, result: 0, at: T0 + 20 },
        ]);
        expect(finals).toEqual([final(m, 'delivered')]);
        const view = await get(m.id);
        expect(view.status).toBe('delivered');
        expect(view.segments[0]).toMatchObject({
          msgId,
          status: 'delivered',
          stat: 'DELIVRD',
          submittedAt: T0 + 20,
        });
        expect((await store.stats()).orphanReports).toBe(0);
        // The report is consumed: repeating it changes nothing.
        expect(await store.recordReports([reportFor(msgId, 'DELIVRD', T0 + 30)])).toEqual([]);
        expect((await store.stats()).orphanReports).toBe(0);
      });

      it('early report for the last segment of a multi-part message completes it on the resp', async () => {
        const m = await insert({ segments: 3 });
        const jobs = [...(await store.claimSegments(ACCT_A, 10, T0))].sort((a, b) => a.index - b.index);
        const ids = [nextMsgId(), nextMsgId(), nextMsgId()];
        await store.recordSubmits(
          [0, 1].map((i) => ({
            messageId: m.id,
            index: jobs[i].index,
            msgId: ids[i],
            result: 0,
            at: T0 + 1,
          })),
        );
        expect(await store.recordReports([reportFor(ids[0], 'DELIVRD', T0 + 2)])).toEqual([]);
        expect(await store.recordReports([reportFor(ids[1], 'DELIVRD', T0 + 2)])).toEqual([]);
        expect(await store.recordReports([reportFor(ids[2], 'UNDELIV', T0 + 3)])).toEqual([]);
        expect((await store.stats()).orphanReports).toBe(1);
        expect(
          await store.recordSubmits([{ messageId: m.id, index: 2, msgId: ids[2], result: 0, at: T0 + 4 }]),
        ).toEqual([final(m, 'undeliverable')]);
        expect((await store.stats()).orphanReports).toBe(0);
      });

      it('a report whose Msg_Id never matches stays visible in stats', async () => {
        await insert();
        const stray = '9223372036854775809';
        expect(await store.recordReports([reportFor(stray, 'DELIVRD', T0)])).toEqual([]);
        await sendAll(ACCT_A, T0 + 1);
        expect((await store.stats()).orphanReports).toBe(1);
        await store.recordReports([reportFor(stray, 'DELIVRD', T0 + 2)]); // resent: still one
        expect((await store.stats()).orphanReports).toBe(1);
        await store.recordReports([reportFor('9223372036854775810', 'UNDELIV', T0 + 3)]);
        expect((await store.stats()).orphanReports).toBe(2);
      });

      it('a final segment never changes: a later report with another Stat is ignored', async () => {
        const m = await insert();
        const [id] = await sendAll(ACCT_A, T0);
        expect(await store.recordReports([reportFor(id, 'DELIVRD', T0 + 1)])).toEqual([
          final(m, 'delivered'),
        ]);
        expect(await store.recordReports([reportFor(id, 'UNDELIV', T0 + 2)])).toEqual([]);
        const view = await get(m.id);
        expect(view.status).toBe('delivered');
        expect(view.segments[0]).toMatchObject({ status: 'delivered', stat: 'DELIVRD', reportedAt: T0 + 1 });
      });

      it('a repeated SUBMIT_RESP after the report does not reopen a final message', async () => {
        const m = await insert();
        const [job] = await store.claimSegments(ACCT_A, 10, T0);
        const outcome: SubmitOutcome = {
          messageId: m.id,
          index: job.index,
          msgId: nextMsgId(),
          result: 0,
          at: T0 + 1,
        };
        await store.recordSubmits([outcome]);
        expect(await store.recordReports([reportFor(outcome.msgId!, 'DELIVRD', T0 + 2)])).toEqual([
          final(m, 'delivered'),
        ]);
        expect(await store.recordSubmits([{ ...outcome, at: T0 + 3 }])).toEqual([]);
        expect(
          await store.recordSubmits([
            { ...outcome, msgId: undefined, result: 8, at: T0 + 4, error: 'Result 8' },
          ]),
        ).toEqual([]);
        const view = await get(m.id);
        expect(view.status).toBe('delivered');
        expect(view.error).toBeNull();
        expect(view.segments[0]).toMatchObject({
          status: 'delivered',
          stat: 'DELIVRD',
          result: 0,
          submittedAt: T0 + 1,
        });
      });

      it('an empty batch is a no-op', async () => {
        expect(await store.recordReports([])).toEqual([]);
        expect(await store.recordSubmits([])).toEqual([]);
      });
    });

    // ---------- onFinal: the webhook queued in the same transaction ----------

    describe('onFinal hook (webhook in the same transaction)', () => {
      /** A hook that records the views it saw and queues one event per final status. */
      function recordingHook(): { hook: FinalHook; seen: MessageView[] } {
        const seen: MessageView[] = [];
        const hook: FinalHook = (_final, view) => {
          const m = view();
          seen.push(m);
          if (!m.callbackUrl) return undefined;
          return {
            eventKey: `message:${m.id}:${m.status}`,
            url: m.callbackUrl,
            body: JSON.stringify({ id: m.id, status: m.status }),
          };
        };
        return { hook, seen };
      }

      it('recordReports: called once with the final view; the webhook is queued with it', async () => {
        const m = await insert({ segments: 2 });
        const ids = await sendAll(ACCT_A, T0);
        const { hook, seen } = recordingHook();
        expect(await store.recordReports([reportFor(ids[0], 'DELIVRD', T0 + 1)], hook)).toEqual([]);
        expect(seen).toEqual([]);
        expect((await store.stats()).webhooksPending).toBe(0);
        const finals = await store.recordReports([reportFor(ids[1], 'DELIVRD', T0 + 2)], hook);
        expect(finals).toEqual([final(m, 'delivered')]);
        expect(seen).toHaveLength(1);
        expect(seen[0]).toMatchObject({ id: m.id, status: 'delivered' });
        expect(seen[0].segments.map((s) => s.status)).toEqual(['delivered', 'delivered']);
        const jobs = await store.claimWebhooks(T0 + 2, 10, 30_000);
        expect(jobs).toEqual([
          {
            id: jobs[0].id,
            url: HOOK,
            body: JSON.stringify({ id: m.id, status: 'delivered' }),
            contentType: 'application/json',
            attempts: 1,
            createdAt: T0 + 2,
          },
        ]);
        // A duplicate report: no second call, no second webhook.
        await store.recordReports([reportFor(ids[1], 'DELIVRD', T0 + 3)], hook);
        expect(seen).toHaveLength(1);
        expect(await store.enqueueWebhook(`message:${m.id}:delivered`, HOOK, '{}', T0 + 4)).toBe(false);
      });

      it('recordSubmits (rejected, or no report) and expireDue queue their webhooks too', async () => {
        const rejected = await insert({ to: '13800000001' });
        const noReport = await insert({ to: '13800000002', report: false });
        const expiring = await insert({ to: '13800000003', validUntil: T0 + 10, sendAt: T0 + 100 });
        const silent = await insert({ to: '13800000004', report: false, callbackUrl: null });
        const jobs = await store.claimSegments(ACCT_A, 10, T0);
        const { hook, seen } = recordingHook();
        const job = (id: string) => jobs.find((j) => j.messageId === id)!;
        const finals = await store.recordSubmits(
          [
            { messageId: rejected.id, index: 0, result: 10, at: T0 + 1, error: 'Result 10: bad Src_Id' },
            {
              messageId: noReport.id,
              index: job(noReport.id).index,
              msgId: nextMsgId(),
              result: 0,
              at: T0 + 1,
            },
            { messageId: silent.id, index: job(silent.id).index, msgId: nextMsgId(), result: 0, at: T0 + 1 },
          ],
          hook,
        );
        expect(finals).toHaveLength(3);
        expect(seen.map((v) => [v.id, v.status]).sort()).toEqual(
          [
            [rejected.id, 'rejected'],
            [noReport.id, 'submitted'],
            [silent.id, 'submitted'],
          ].sort(),
        );
        expect(await store.expireDue(T0 + 10, hook)).toEqual([final(expiring, 'expired')]);
        expect(seen.at(-1)).toMatchObject({ id: expiring.id, status: 'expired' });
        const bodies = (await store.claimWebhooks(T0 + 10, 10, 30_000)).map((w) => JSON.parse(w.body));
        expect(bodies).toHaveLength(3); // the message without a callbackUrl queued nothing
        expect(bodies).toEqual(
          expect.arrayContaining([
            { id: rejected.id, status: 'rejected' },
            { id: noReport.id, status: 'submitted' },
            { id: expiring.id, status: 'expired' },
          ]),
        );
      });

      it('two reports of one message in one call: final once, its webhook queued with it', async () => {
        const m = await insert({ segments: 2 });
        const ids = await sendAll(ACCT_A, T0);
        const { hook, seen } = recordingHook();
        const reports = ids.map((id, k) => reportFor(id, 'DELIVRD', T0 + 1 + k));
        expect(await store.recordReports(reports, hook)).toEqual([final(m, 'delivered')]);
        expect(seen.map((v) => v.id)).toEqual([m.id]);
        const bodies = (await store.claimWebhooks(T0 + 2, 10, 30_000)).map((w) => JSON.parse(w.body));
        expect(bodies).toEqual([{ id: m.id, status: 'delivered' }]);
      });

      it('a callbacksOnly hook queues the webhooks of messages with a callbackUrl; the rest end all the same', async () => {
        const withUrl = await insert({ to: '13800000001' });
        const without = await insert({ to: '13800000002', callbackUrl: null });
        const noReport = await insert({ to: '13800000003', report: false, callbackUrl: null });
        const jobs = await store.claimSegments(ACCT_A, 10, T0);
        const { hook, seen } = recordingHook();
        const quiet: FinalHook = Object.assign<FinalHook, Pick<FinalHook, 'callbacksOnly'>>(
          (f, view) => hook(f, view),
          { callbacksOnly: true },
        );
        const msgIds = new Map(jobs.map((j) => [j.messageId, nextMsgId()]));
        const outcomes = jobs.map((j) => ({
          messageId: j.messageId,
          index: j.index,
          msgId: msgIds.get(j.messageId),
          result: 0,
          at: T0 + 1,
        }));
        expect(await store.recordSubmits(outcomes, quiet)).toEqual([final(noReport, 'submitted')]);
        const reports = [withUrl, without].map((m) => reportFor(msgIds.get(m.id)!, 'DELIVRD', T0 + 2));
        const byId = (a: FinalMessage, b: FinalMessage) => a.id.localeCompare(b.id);
        expect((await store.recordReports(reports, quiet)).sort(byId)).toEqual(
          [final(withUrl, 'delivered'), final(without, 'delivered')].sort(byId),
        );
        // A store may skip the hook for the messages without a callbackUrl, never for the others.
        expect(seen.map((v) => v.id)).toContain(withUrl.id);
        const bodies = (await store.claimWebhooks(T0 + 2, 10, 30_000)).map((w) => JSON.parse(w.body));
        expect(bodies).toEqual([{ id: withUrl.id, status: 'delivered' }]);
        expect(nonZero((await store.stats()).messagesByStatus)).toEqual({ delivered: 2, submitted: 1 });
        expect((await get(without.id)).segments[0]).toMatchObject({ status: 'delivered', stat: 'DELIVRD' });
      });

      it('a hook that throws rolls the whole change back (the report is not acknowledged)', async () => {
        const m = await insert();
        const [id] = await sendAll(ACCT_A, T0);
        await expect(
          store.recordReports([reportFor(id, 'DELIVRD', T0 + 1)], () => {
            throw new Error('body serialisation failed');
          }),
        ).rejects.toThrow('body serialisation failed');
        const view = await get(m.id);
        expect(view.status).toBe('submitted');
        expect(view.segments[0]).toMatchObject({ status: 'submitted', stat: null });
        // The ISMG resends the report: it is applied and the message becomes final now.
        expect(await store.recordReports([reportFor(id, 'DELIVRD', T0 + 2)])).toEqual([
          final(m, 'delivered'),
        ]);
      });
    });

    // ---------- expireDue ----------

    describe('expireDue', () => {
      it('a queued message past validUntil → expired, returned once', async () => {
        const m = await insert({ segments: 2, validUntil: T0 + MINUTE });
        expect(await store.expireDue(T0 + MINUTE - 1)).toEqual([]);
        expect((await get(m.id)).status).toBe('queued');
        expect(await store.expireDue(T0 + MINUTE)).toEqual([final(m, 'expired')]);
        const view = await get(m.id);
        expect(view.status).toBe('expired');
        expect(view.error).not.toBeNull();
        expect(view.segments.map((s) => s.status)).toEqual(['expired', 'expired']);
        expect(await store.expireDue(T0 + 2 * MINUTE)).toEqual([]);
        expect(await store.claimSegments(ACCT_A, 10, T0)).toEqual([]);
        expect((await store.stats()).queuedSegments).toBe(0);
      });

      it('messages without validUntil never expire', async () => {
        const m = await insert();
        expect(await store.expireDue(T0 + 365 * 24 * 60 * MINUTE)).toEqual([]);
        expect((await get(m.id)).status).toBe('queued');
      });

      it('already-submitted segments are not expired; the message ends expired once the rest is final', async () => {
        const m = await insert({ segments: 2, validUntil: T0 + MINUTE });
        const jobs = await store.claimSegments(ACCT_A, 1, T0);
        const { msgIds } = await submitOk(jobs, T0 + 1);
        expect(await store.expireDue(T0 + MINUTE)).toEqual([]);
        const view = await get(m.id);
        const sent = view.segments.find((s) => s.index === jobs[0].index)!;
        const other = view.segments.find((s) => s.index !== jobs[0].index)!;
        expect(sent.status).toBe('submitted');
        expect(other.status).toBe('expired');
        expect(await store.recordReports([reportFor(msgIds[0], 'DELIVRD', T0 + MINUTE + 5)])).toEqual([
          final(m, 'expired'),
        ]);
      });

      it('segments in flight are not expired: a late resp and report still deliver the message', async () => {
        const m = await insert({ validUntil: T0 + MINUTE });
        const jobs = await store.claimSegments(ACCT_A, 10, T0 + MINUTE - 10);
        expect(await store.expireDue(T0 + MINUTE)).toEqual([]);
        expect(await store.expireDue(T0 + MINUTE + 1)).toEqual([]);
        expect(await segStatuses(m.id)).toEqual(['submitting']);
        const { msgIds } = await submitOk(jobs, T0 + MINUTE + 2);
        expect(await store.recordReports([reportFor(msgIds[0], 'DELIVRD', T0 + MINUTE + 3)])).toEqual([
          final(m, 'delivered'),
        ]);
        const view = await get(m.id);
        expect(view.status).toBe('delivered');
        expect(view.error).toBeNull();
      });

      it('scheduled messages expire too, and several in one sweep', async () => {
        const a = await insert({ sendAt: T0 + 10 * MINUTE, validUntil: T0 + 5 * MINUTE });
        const b = await insert({ validUntil: T0 + 5 * MINUTE, account: ACCT_B });
        const c = await insert({ validUntil: T0 + 50 * MINUTE });
        const finals = await store.expireDue(T0 + 5 * MINUTE);
        expect(finals).toHaveLength(2);
        expect(finals).toEqual(expect.arrayContaining([final(a, 'expired'), final(b, 'expired')]));
        expect((await get(c.id)).status).toBe('queued');
      });
    });

    // ---------- cancelMessage ----------

    describe('cancelMessage', () => {
      it('queued → cancelled; never claimed afterwards', async () => {
        const m = await insert({ segments: 2 });
        expect(await store.cancelMessage(m.id, T0 + 5)).toBe('cancelled');
        const view = await get(m.id);
        expect(view.status).toBe('cancelled');
        expect(view.segments.map((s) => s.status)).toEqual(['cancelled', 'cancelled']);
        expect(await store.claimSegments(ACCT_A, 10, T0 + MINUTE)).toEqual([]);
        expect(await store.recoverInFlight()).toBe(0);
        expect(await store.expireDue(T0 + 10 * MINUTE)).toEqual([]);
        const stats = await store.stats();
        expect(stats.queuedSegments).toBe(0);
        expect(nonZero(stats.messagesByStatus)).toEqual({ cancelled: 1 });
      });

      it('cancelling twice is harmless', async () => {
        const m = await insert();
        expect(await store.cancelMessage(m.id, T0)).toBe('cancelled');
        expect(await store.cancelMessage(m.id, T0 + 1)).toBe('cancelled');
        expect((await get(m.id)).status).toBe('cancelled');
      });

      it('after a claim → too_late, and the message is untouched', async () => {
        const m = await insert({ segments: 3 });
        await store.claimSegments(ACCT_A, 1, T0);
        expect(await store.cancelMessage(m.id, T0 + 1)).toBe('too_late');
        const view = await get(m.id);
        expect(view.status).toBe('submitting');
        expect(view.segments.map((s) => s.status).sort()).toEqual(['queued', 'queued', 'submitting']);
        expect(await store.claimSegments(ACCT_A, 10, T0 + 2)).toHaveLength(2);
      });

      it('after submission or a final state → too_late', async () => {
        const m = await insert();
        await sendAll(ACCT_A, T0);
        expect(await store.cancelMessage(m.id, T0 + 1)).toBe('too_late');
        const e = await insert({ validUntil: T0 + 10 });
        await store.expireDue(T0 + 10);
        expect(await store.cancelMessage(e.id, T0 + 20)).toBe('too_late');
        expect((await get(e.id)).status).toBe('expired');
      });

      it('claimed then re-queued (nothing sent) → still cancellable', async () => {
        const m = await insert();
        const jobs = await store.claimSegments(ACCT_A, 10, T0);
        await store.requeueSegments(jobs.map((j) => ({ messageId: j.messageId, index: j.index })));
        expect(await store.cancelMessage(m.id, T0 + 1)).toBe('cancelled');
        expect(await store.claimSegments(ACCT_A, 10, T0 + 2)).toEqual([]);
      });

      it('unknown id → not_found', async () => {
        expect(await store.cancelMessage(newId(T0), T0)).toBe('not_found');
      });
    });

    // ---------- listMessages ----------

    describe('listMessages', () => {
      /** 12 messages over 2 accounts, 3 recipients, created 1 s apart; returned newest first by insertion. */
      async function seed(): Promise<MessageView[]> {
        const out: MessageView[] = [];
        for (let i = 0; i < 12; i++) {
          out.push(
            await insert({
              account: i % 3 === 0 ? ACCT_B : ACCT_A,
              to: `1380013800${i % 3}`,
              clientRef: `ref-${i}`,
              createdAt: T0 + i * 1_000,
            }),
          );
        }
        return out;
      }

      it('newest first', async () => {
        const all = await seed();
        const page = await store.listMessages({ limit: 100 });
        expect(page.items.map((m) => m.id)).toEqual(all.map((m) => m.id).reverse());
        expect(page.next).toBeNull();
        expect(page.items[0].segments).toHaveLength(1);
      });

      it('filters: account, to, clientRef, since, status, and combinations', async () => {
        const all = await seed();
        const ids = (ms: MessageView[]) => ms.map((m) => m.id);
        const newestFirst = (pred: (m: MessageView, i: number) => boolean) =>
          all
            .filter(pred)
            .map((m) => m.id)
            .reverse();

        expect(ids(await listAll({ account: ACCT_B }))).toEqual(newestFirst((m) => m.account === ACCT_B));
        expect(ids(await listAll({ to: '13800138001' }))).toEqual(newestFirst((m) => m.to === '13800138001'));
        expect(ids(await listAll({ clientRef: 'ref-7' }))).toEqual([all[7].id]);
        expect(ids(await listAll({ since: T0 + 9_000 }))).toEqual(newestFirst((_, i) => i >= 9));
        expect(ids(await listAll({ account: ACCT_A, to: '13800138002', since: T0 + 5_000 }))).toEqual(
          newestFirst((m, i) => m.account === ACCT_A && m.to === '13800138002' && i >= 5),
        );

        // Move some messages on: B's are sent; one of A's is cancelled.
        await sendAll(ACCT_B, T0 + 20_000);
        await store.cancelMessage(all[1].id, T0 + 20_000);
        expect(ids(await listAll({ status: 'submitted' }))).toEqual(newestFirst((m) => m.account === ACCT_B));
        expect(ids(await listAll({ status: 'cancelled' }))).toEqual([all[1].id]);
        expect(ids(await listAll({ status: 'queued', account: ACCT_A }))).toEqual(
          newestFirst((m, i) => m.account === ACCT_A && i !== 1),
        );
        expect(ids(await listAll({ status: 'delivered' }))).toEqual([]);
        expect((await listAll({ clientRef: 'nope' })).length).toBe(0);
      });

      it('cursor pagination walks every item exactly once; next is null at the end', async () => {
        const all = await seed();
        for (const limit of [1, 4, 5, 12, 13]) {
          const seen: string[] = [];
          let cursor: string | undefined;
          let pages = 0;
          for (;;) {
            const page = await store.listMessages({ limit, cursor });
            pages++;
            expect(page.items.length).toBeLessThanOrEqual(limit);
            seen.push(...page.items.map((m) => m.id));
            if (page.next === null) break;
            expect(page.items.length).toBe(limit);
            cursor = page.next;
            expect(pages).toBeLessThan(20);
          }
          expect(seen, `limit ${limit}`).toEqual(all.map((m) => m.id).reverse());
          expect(pages, `limit ${limit}`).toBe(Math.max(1, Math.ceil(12 / limit)));
        }
      });

      it('pagination with a filter, while new messages arrive', async () => {
        const all = await seed();
        const first = await store.listMessages({ account: ACCT_A, limit: 3 });
        await insert({ account: ACCT_A, createdAt: T0 + 60_000 }); // newer than the walk: not in it
        expect(await listAll({ account: ACCT_A })).toHaveLength(9);
        const seen = [...first.items];
        let cursor = first.next;
        while (cursor !== null) {
          const page = await store.listMessages({ account: ACCT_A, limit: 3, cursor });
          seen.push(...page.items);
          cursor = page.next;
        }
        expect(seen.map((m) => m.id)).toEqual(newestIds(all, (m) => m.account === ACCT_A));
      });

      it('an empty store → no items, next null', async () => {
        expect(await store.listMessages({ limit: 10 })).toEqual({ items: [], next: null });
      });
    });

    // ---------- MO ----------

    describe('MO', () => {
      it('insertMo is idempotent per (account, ISMG Msg_Id)', async () => {
        const first = mo({ ismgMsgId: '12878564852733378999' });
        expect(await store.insertMo(first)).toBe(true);
        expect(await store.insertMo({ ...first, id: newId(T0 + 1), receivedAt: T0 + 1 })).toBe(false);
        expect(await store.insertMo(mo({ ismgMsgId: '12878564852733378999', account: ACCT_B }))).toBe(true);
        expect((await store.stats()).mo).toBe(2);
        const page = await store.listMo({ account: ACCT_A, limit: 10 });
        expect(page.items).toEqual([first]);
        expect(page.next).toBeNull();
      });

      it('fields round-trip, including binary and linked MO', async () => {
        const binary = mo({
          text: null,
          binaryHex: '0b05040b8423f00003a10201',
          msgFmt: 4,
          parts: 2,
          linkId: '20251009122640000001',
          receivedAt: T0 + 1,
        });
        expect(await store.insertMo(binary)).toBe(true);
        expect((await store.listMo({ limit: 10 })).items).toEqual([binary]);
      });

      it('listMo: newest first, filters, cursor pagination', async () => {
        const all: NewMo[] = [];
        for (let i = 0; i < 9; i++) {
          const m = mo({ account: i % 2 ? ACCT_B : ACCT_A, receivedAt: T0 + i * 1_000, text: `回复 ${i}` });
          all.push(m);
          expect(await store.insertMo(m)).toBe(true);
        }
        const walk = async (filter: { account?: string; since?: number }, limit: number) => {
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let n = 0; n < 50; n++) {
            const page = await store.listMo({ ...filter, limit, cursor });
            expect(page.items.length).toBeLessThanOrEqual(limit);
            seen.push(...page.items.map((x) => x.id));
            if (page.next === null) return seen;
            cursor = page.next;
          }
          throw new Error('pagination never ended');
        };
        const expectIds = (pred: (m: NewMo, i: number) => boolean) =>
          all
            .filter(pred)
            .map((m) => m.id)
            .reverse();
        expect(await walk({}, 2)).toEqual(expectIds(() => true));
        expect(await walk({}, 9)).toEqual(expectIds(() => true));
        expect(await walk({ account: ACCT_B }, 3)).toEqual(expectIds((m) => m.account === ACCT_B));
        expect(await walk({ since: T0 + 6_000 }, 1)).toEqual(expectIds((_, i) => i >= 6));
        expect(await walk({ account: ACCT_A, since: T0 + 3_000 }, 2)).toEqual(
          expectIds((m, i) => m.account === ACCT_A && i >= 3),
        );
        expect((await store.stats()).mo).toBe(9);
      });
    });

    describe('MO with webhook, long MO parts', () => {
      const part = (seq: number, total: number, extra: Partial<MoPart> = {}): MoPart => ({
        account: ACCT_A,
        groupKey: `13900139000|106571234501|0x5a|${total}`,
        total,
        seq,
        ismgMsgId: nextMsgId(),
        payload: ucs2(`第${seq}部分。`),
        msgFmt: 8,
        linkId: null,
        receivedAt: T0 + seq,
        ...extra,
      });

      it('insertMo queues its webhook with it, once', async () => {
        const m = mo({ receivedAt: T0 + 7 });
        const hook = { eventKey: `mo:${m.id}`, url: HOOK, body: JSON.stringify({ type: 'mo', id: m.id }) };
        expect(await store.insertMo(m, hook)).toBe(true);
        // Redelivered (our DELIVER_RESP was lost): neither the MO nor its webhook is stored again.
        expect(
          await store.insertMo({ ...m, id: newId(T0 + 9) }, { ...hook, eventKey: `mo:${newId(T0 + 9)}` }),
        ).toBe(false);
        const s = await store.stats();
        expect([s.mo, s.webhooksPending]).toEqual([1, 1]);
        const [job] = await store.claimWebhooks(T0 + 7, 10, 30_000);
        expect(job).toMatchObject({ url: HOOK, body: hook.body, attempts: 1 });
      });

      it('addMoPart returns null until every part is stored, then all parts by seq', async () => {
        const p2 = part(2, 3);
        const p1 = part(1, 3);
        const p3 = part(3, 3);
        expect(await store.addMoPart(p2)).toBeNull();
        expect(await store.addMoPart(p1)).toBeNull();
        expect(await store.addMoPart({ ...p2, receivedAt: T0 + 50 })).toBeNull(); // redelivered: counted once
        const all = await store.addMoPart(p3);
        expect(all).not.toBeNull();
        expect(all!.map((p) => p.seq)).toEqual([1, 2, 3]);
        expect(all![0]).toEqual({ ...p1, payload: expect.anything() });
        expect(all!.map((p) => Buffer.from(p.payload).toString('hex'))).toEqual(
          [p1, p2, p3].map((p) => p.payload.toString('hex')),
        );
        // Another sender's group with the same shape is independent.
        expect(await store.addMoPart(part(1, 2, { groupKey: '13700137000|106571234501|0x5a|2' }))).toBeNull();
      });

      it('a part redelivered after its MO was stored does not leak into the next message of that group', async () => {
        const groupKey = '13900139000>106571234501#0/2'; // phones that always use ref 0 reuse this key
        const p1 = part(1, 2, { groupKey });
        const p2 = part(2, 2, { groupKey });
        await store.addMoPart(p1);
        expect(await store.addMoPart(p2)).toHaveLength(2);
        const first = mo({ ismgMsgId: p2.ismgMsgId, parts: 2 });
        expect(await store.insertMo(first, undefined, { account: ACCT_A, groupKey })).toBe(true);
        // Our DELIVER_RESP for part 2 was lost: the ISMG delivers it again.
        await store.addMoPart({ ...p2, receivedAt: T0 + 60_000 });
        expect(await store.completeMoGroups()).toEqual([]);
        // The same sender's next long MO, same reference and total.
        const q1 = part(1, 2, { groupKey, payload: ucs2('新消息一'), receivedAt: T0 + 120_000 });
        const q2 = part(2, 2, { groupKey, payload: ucs2('新消息二'), receivedAt: T0 + 120_001 });
        expect(await store.addMoPart(q1)).toBeNull();
        const whole = await store.addMoPart(q2);
        expect(whole?.map((p) => p.ismgMsgId)).toEqual([q1.ismgMsgId, q2.ismgMsgId]);
        expect(whole?.map((p) => Buffer.from(p.payload).toString('hex'))).toEqual([
          q1.payload.toString('hex'),
          q2.payload.toString('hex'),
        ]);
      });

      it('completeMoGroups finds complete groups whose MO was never stored; insertMo(completes) clears them', async () => {
        const groupKey = '13900139000|106571234501|0x11|2';
        const p1 = part(1, 2, { groupKey });
        const p2 = part(2, 2, { groupKey });
        await store.addMoPart(p1);
        expect(await store.completeMoGroups()).toEqual([]);
        await store.addMoPart(p2);
        await store.addMoPart(part(1, 4)); // incomplete: not returned
        const groups = await store.completeMoGroups();
        expect(groups).toHaveLength(1);
        expect(groups[0].map((p) => [p.groupKey, p.seq, p.ismgMsgId])).toEqual([
          [groupKey, 1, p1.ismgMsgId],
          [groupKey, 2, p2.ismgMsgId],
        ]);
        const whole = mo({ ismgMsgId: p2.ismgMsgId, parts: 2, text: '第1部分。第2部分。', msgFmt: 8 });
        expect(await store.insertMo(whole, undefined, { account: ACCT_A, groupKey })).toBe(true);
        expect(await store.completeMoGroups()).toEqual([]);
        expect((await store.listMo({ limit: 10 })).items).toEqual([whole]);
      });
    });

    // ---------- webhooks ----------

    describe('webhook outbox', () => {
      const LEASE = 30_000;
      const body = (id: string, status: string) => JSON.stringify({ type: 'message.status', id, status });

      it('enqueueWebhook once per event key', async () => {
        expect(await store.enqueueWebhook('msg:1:delivered', HOOK, body('1', 'delivered'), T0)).toBe(true);
        expect(await store.enqueueWebhook('msg:1:delivered', HOOK, body('1', 'delivered'), T0 + 5)).toBe(
          false,
        );
        expect(await store.enqueueWebhook('msg:2:delivered', HOOK, body('2', 'delivered'), T0)).toBe(true);
        expect((await store.stats()).webhooksPending).toBe(2);
        expect(await store.claimWebhooks(T0 + 10, 10, LEASE)).toHaveLength(2);
      });

      it('claim returns due jobs and leases them; after the lease they come back with attempts + 1', async () => {
        await store.enqueueWebhook('mo:abc', HOOK, body('abc', 'received'), T0);
        expect(await store.claimWebhooks(T0 - 1, 10, LEASE)).toEqual([]);
        const [job] = await store.claimWebhooks(T0, 10, LEASE);
        expect(job).toMatchObject({
          url: HOOK,
          body: body('abc', 'received'),
          contentType: 'application/json',
          attempts: 1,
          createdAt: T0,
        });
        expect(typeof job.id).toBe('number');
        expect(await store.claimWebhooks(T0 + 1, 10, LEASE)).toEqual([]);
        expect(await store.claimWebhooks(T0 + LEASE - 1, 10, LEASE)).toEqual([]);
        const again = await store.claimWebhooks(T0 + LEASE, 10, LEASE);
        expect(again).toEqual([{ ...job, attempts: 2 }]);
        expect((await store.stats()).webhooksPending).toBe(1);
      });

      it('the limit is honoured and concurrent claims never share a job', async () => {
        for (let i = 0; i < 5; i++)
          await store.enqueueWebhook(`evt-${i}`, HOOK, body(String(i), 'delivered'), T0 + i);
        const batches = await Promise.all([
          store.claimWebhooks(T0 + 100, 2, LEASE),
          store.claimWebhooks(T0 + 100, 2, LEASE),
          store.claimWebhooks(T0 + 100, 2, LEASE),
        ]);
        expect(batches.map((b) => b.length).sort()).toEqual([1, 2, 2]);
        const ids = batches.flat().map((j) => j.id);
        expect(new Set(ids).size).toBe(5);
        expect(await store.claimWebhooks(T0 + 100, 10, LEASE)).toEqual([]);
      });

      it('webhookDelivered → never claimed again', async () => {
        await store.enqueueWebhook('evt-d', HOOK, body('d', 'delivered'), T0);
        await store.enqueueWebhook('evt-e', HOOK, body('e', 'delivered'), T0);
        const jobs = await store.claimWebhooks(T0, 10, LEASE);
        const d = jobs.find((j) => j.body === body('d', 'delivered'))!;
        await store.webhookDelivered(d.id, T0 + 200);
        expect((await store.stats()).webhooksPending).toBe(1);
        const later = await store.claimWebhooks(T0 + 10 * LEASE, 10, LEASE);
        expect(later.map((j) => j.id)).toEqual(jobs.filter((j) => j.id !== d.id).map((j) => j.id));
        expect(await store.enqueueWebhook('evt-d', HOOK, body('d', 'delivered'), T0 + 300)).toBe(false);
      });

      it('webhookFailed with a next attempt → claimed again only from then on', async () => {
        await store.enqueueWebhook('evt-f', HOOK, body('f', 'undeliverable'), T0);
        const [job] = await store.claimWebhooks(T0, 10, LEASE);
        await store.webhookFailed(job.id, T0 + 2 * LEASE, 'HTTP 503');
        expect(await store.claimWebhooks(T0 + LEASE, 10, LEASE)).toEqual([]);
        expect(await store.claimWebhooks(T0 + 2 * LEASE - 1, 10, LEASE)).toEqual([]);
        const [again] = await store.claimWebhooks(T0 + 2 * LEASE, 10, LEASE);
        expect(again).toMatchObject({ id: job.id, attempts: 2 });
        // An earlier retry time than the lease also works (failure answered quickly).
        await store.webhookFailed(again.id, T0 + 2 * LEASE + 1_000, 'connect ECONNREFUSED');
        expect((await store.claimWebhooks(T0 + 2 * LEASE + 1_000, 10, LEASE))[0]).toMatchObject({
          id: job.id,
          attempts: 3,
        });
      });

      it('webhookFailed with null → dead: never claimed, no longer pending', async () => {
        await store.enqueueWebhook('evt-x', HOOK, body('x', 'expired'), T0);
        await store.enqueueWebhook('evt-y', HOOK, body('y', 'expired'), T0);
        expect((await store.stats()).webhooksPending).toBe(2);
        const jobs = await store.claimWebhooks(T0, 10, LEASE);
        const x = jobs.find((j) => j.body === body('x', 'expired'))!;
        await store.webhookFailed(x.id, null, 'HTTP 410 after 12 attempts');
        expect((await store.stats()).webhooksPending).toBe(1);
        const later = await store.claimWebhooks(T0 + 100 * LEASE, 10, LEASE);
        expect(later.map((j) => j.id)).not.toContain(x.id);
        expect(later).toHaveLength(1);
      });
    });

    describe('webhookState', () => {
      it('unknown → undefined; pending with its next attempt; then delivered, or dead with the last error', async () => {
        if (!store.webhookState) throw new Error('both backends show webhook states');
        expect(await store.webhookState('report:none')).toBeUndefined();
        await store.enqueueWebhook('report:a', HOOK, '{}', T0);
        await store.enqueueWebhook('report:b', HOOK, '{}', T0);
        expect(await store.webhookState('report:a')).toEqual({
          eventKey: 'report:a',
          url: HOOK,
          status: 'pending',
          attempts: 0,
          createdAt: T0,
          nextAttemptAt: T0,
          deliveredAt: null,
          lastError: null,
        });
        const jobs = await store.claimWebhooks(T0, 10, 30_000);
        const [a, b] = jobs;
        await store.webhookFailed(a.id, T0 + 5_000, 'HTTP 503');
        expect(await store.webhookState('report:a')).toMatchObject({
          status: 'pending',
          attempts: 1,
          nextAttemptAt: T0 + 5_000,
          lastError: 'HTTP 503',
        });
        await store.webhookDelivered(a.id, T0 + 6_000);
        expect(await store.webhookState('report:a')).toMatchObject({
          status: 'delivered',
          nextAttemptAt: null,
          deliveredAt: T0 + 6_000,
        });
        await store.webhookFailed(b.id, null, 'HTTP 410');
        expect(await store.webhookState('report:b')).toMatchObject({
          status: 'dead',
          attempts: 1,
          nextAttemptAt: null,
          lastError: 'HTTP 410',
        });
      });
    });

    describe('webhook content type', () => {
      it('a PAP notification keeps its content type, queued directly or by the onFinal hook', async () => {
        const xml = '<?xml version="1.0"?><pap/>';
        await store.enqueueWebhook('pap:1', HOOK, xml, T0, 'application/xml');
        await insert({ report: false });
        const [job] = await store.claimSegments(ACCT_A, 1, T0);
        await store.recordSubmits(
          [{ messageId: job.messageId, index: 0, msgId: nextMsgId(), result: 0, at: T0 }],
          (f) => ({ eventKey: `pap:${f.id}`, url: HOOK, body: xml, contentType: 'application/xml' }),
        );
        const jobs = await store.claimWebhooks(T0 + 1, 10, 1000);
        expect(jobs.map((j) => [j.body, j.contentType])).toEqual([
          [xml, 'application/xml'],
          [xml, 'application/xml'],
        ]);
      });
    });

    describe('push records', () => {
      const SIC = 'application/vnd.wap.sic';

      function pushOf(pushId: string, tos: string[], spec: Partial<NewPush> = {}) {
        const messages = tos.map((to) => ({
          ...newMessage({ to, binary: true, callbackUrl: null }),
          pushId,
        }));
        const push: NewPush = {
          pushId,
          account: ACCT_A,
          contentType: SIC,
          notifyTo: 'http://pi.example.com/notify',
          deliverBefore: T0 + 60 * MINUTE,
          deliverAfter: null,
          createdAt: T0,
          addresses: messages.map((m) => ({
            address: `WAPPUSH=+86${m.to}/TYPE=PLMN@ppg.example.com`,
            messageId: m.id,
          })),
          ...spec,
        };
        return { push, messages };
      }

      it('insertPush stores the record and its messages; getPush shows each address with its status', async () => {
        const { push, messages } = pushOf('push-0001@pi.example.com', ['13800000001', '13800000002']);
        expect(await store.insertPush(push, messages)).toBe(true);
        const view = await store.getPush(push.pushId);
        expect(view).toEqual({
          ...push,
          addresses: push.addresses.map((a) => ({ ...a, status: 'queued', updatedAt: T0 })),
        });
        const m = await get(messages[0].id);
        expect(m.pushId).toBe(push.pushId);
        expect(m.segments).toHaveLength(1);
        expect((await store.stats()).pushes).toBe(1);
        expect((await store.stats()).queuedSegments).toBe(2);
      });

      it('addresses follow their messages through sending, reports and cancellation', async () => {
        const { push, messages } = pushOf('push-0002@pi.example.com', [
          '13800000001',
          '13800000002',
          '13800000003',
        ]);
        await store.insertPush(push, messages);
        const [job] = await store.claimSegments(ACCT_A, 1, T0 + 1);
        const msgId = nextMsgId();
        await store.recordSubmits([{ messageId: job.messageId, index: 0, msgId, result: 0, at: T0 + 2 }]);
        await store.recordReports([reportFor(msgId, 'DELIVRD', T0 + 3)]);
        const cancelled = messages.find((m) => m.id !== job.messageId)!;
        expect(await store.cancelMessage(cancelled.id, T0 + 4)).toBe('cancelled');
        const view = (await store.getPush(push.pushId))!;
        const statusOf = (id: string) => view.addresses.find((a) => a.messageId === id);
        expect(statusOf(job.messageId)).toMatchObject({ status: 'delivered', updatedAt: T0 + 3 });
        expect(statusOf(cancelled.id)).toMatchObject({ status: 'cancelled', updatedAt: T0 + 4 });
        expect(view.addresses.map((a) => a.messageId)).toEqual(messages.map((m) => m.id));
      });

      it('a second push with the same push-id stores nothing', async () => {
        const first = pushOf('push-dup', ['13800000001']);
        expect(await store.insertPush(first.push, first.messages)).toBe(true);
        const again = pushOf('push-dup', ['13800000009']);
        expect(await store.insertPush(again.push, again.messages)).toBe(false);
        expect(await store.getMessage(again.messages[0].id)).toBeUndefined();
        expect((await store.getPush('push-dup'))!.addresses.map((a) => a.messageId)).toEqual([
          first.messages[0].id,
        ]);
        expect((await store.stats()).queuedSegments).toBe(1);
      });

      it("the PI's source-reference is kept with the push record, and absent when it gave none", async () => {
        const named = pushOf('push-src', ['13800000001'], {
          sourceReference: '新闻 desk <news@pi.example.com>',
        });
        const anonymous = pushOf('push-anon', ['13800000002']);
        await store.insertPush(named.push, named.messages);
        await store.insertPush(anonymous.push, anonymous.messages);
        expect((await store.getPush('push-src'))?.sourceReference).toBe('新闻 desk <news@pi.example.com>');
        expect(await store.getPush('push-anon')).not.toHaveProperty('sourceReference');
        const { items } = await store.listPushes({ limit: 10 });
        expect(items.map((p) => [p.pushId, p.sourceReference])).toEqual([
          ['push-anon', undefined],
          ['push-src', '新闻 desk <news@pi.example.com>'],
        ]);
      });

      it('getPush of an unknown id → undefined', async () => {
        expect(await store.getPush('nope')).toBeUndefined();
      });

      it('listPushes: newest first, account filter, cursor pagination', async () => {
        const ids: string[] = [];
        for (let i = 0; i < 7; i++) {
          const { push, messages } = pushOf(`p-${i}`, [`1380000000${i}`], {
            account: i % 2 ? ACCT_B : ACCT_A,
            createdAt: T0 + i,
          });
          await store.insertPush(
            push,
            messages.map((m) => ({ ...m, account: push.account })),
          );
          ids.push(push.pushId);
        }
        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await store.listPushes({ limit: 3, cursor });
          seen.push(...page.items.map((p) => p.pushId));
          cursor = page.next ?? undefined;
        } while (cursor);
        expect(seen).toEqual([...ids].reverse());
        const b = await store.listPushes({ account: ACCT_B, limit: 10 });
        expect(b.items.map((p) => p.pushId)).toEqual(['p-5', 'p-3', 'p-1']);
        expect(b.items[0].addresses).toHaveLength(1);
        expect(b.next).toBeNull();
      });
    });

    // ---------- retention ----------

    describe('purge (retention)', () => {
      // Records are created in time order, as in a running gateway: `before` is an hour after T0.
      const HOUR = 60 * MINUTE;
      const BEFORE = T0 + HOUR;
      const NEW = BEFORE + 1;

      async function cancelled(spec: MessageSpec): Promise<MessageView> {
        const m = await insert(spec);
        expect(await store.cancelMessage(m.id, m.createdAt)).toBe('cancelled');
        return m;
      }

      it('final messages created before `before` go; newer ones and old queued or submitting ones stay', async () => {
        const scheduled = await insert({ createdAt: T0, sendAt: T0 + 24 * HOUR, to: '13800000001' });
        const delivered = await insert({ createdAt: T0 + 1, segments: 2, to: '13800000002' });
        const inFlight = await insert({ createdAt: T0 + 2, to: '13800000003' });
        const awaiting = await insert({ createdAt: T0 + 3, to: '13800000004' });
        const old = await cancelled({ createdAt: T0 + 4, to: '13800000005' });
        const recent = await cancelled({ createdAt: NEW, to: '13800000006' });
        const jobs = await store.claimSegments(ACCT_A, 10, T0 + 10);
        expect(jobs).toHaveLength(4);
        const { msgIds } = await submitOk(
          jobs.filter((j) => j.messageId !== inFlight.id),
          T0 + 11,
        );
        await store.recordReports(msgIds.slice(0, 2).map((id) => reportFor(id, 'DELIVRD', T0 + 12)));
        expect((await get(delivered.id)).status).toBe('delivered');
        expect((await get(awaiting.id)).status).toBe('submitted');

        expect(await store.purge(BEFORE, 100)).toBe(3); // a message with its segments counts once
        for (const m of [delivered, awaiting, old]) expect(await store.getMessage(m.id)).toBeUndefined();
        const kept = [recent.id, inFlight.id, scheduled.id];
        expect((await listAll()).map((m) => m.id)).toEqual(kept);
        expect((await listAll({ account: ACCT_A })).map((m) => m.id)).toEqual(kept);
        const s = await store.stats();
        expect(nonZero(s.messagesByStatus)).toEqual({ queued: 1, submitting: 1, cancelled: 1 });
        expect(s.queuedSegments).toBe(1);
        expect(await store.purge(BEFORE, 100)).toBe(0);
        expect((await get(scheduled.id)).status).toBe('queued');
      });

      it("a purged message's clientRef can be used again", async () => {
        const old = await cancelled({ clientRef: 'order-7731', createdAt: T0 });
        const [retry] = await store.insertMessages([
          newMessage({ clientRef: 'order-7731', createdAt: T0 + 1 }),
        ]);
        expect([retry.created, retry.message.id]).toEqual([false, old.id]);
        expect(await store.purge(BEFORE, 10)).toBe(1);
        const again = await insert({ clientRef: 'order-7731', createdAt: NEW });
        expect(again.id).not.toBe(old.id);
        expect((await listAll({ clientRef: 'order-7731' })).map((m) => m.id)).toEqual([again.id]);
      });

      it('the limit is honoured: repeated calls finish the job, the last deleting fewer than the limit', async () => {
        for (let i = 0; i < 5; i++) await cancelled({ createdAt: T0 + i, to: `1380000000${i}` });
        await store.insertMo(mo({ receivedAt: T0 + 10 }));
        await store.insertMo(mo({ receivedAt: T0 + 11 }));
        const recent = await cancelled({ createdAt: NEW });
        expect(await store.purge(BEFORE, 3)).toBe(3);
        expect(await store.purge(BEFORE, 3)).toBe(3);
        expect(await store.purge(BEFORE, 3)).toBe(1);
        expect(await store.purge(BEFORE, 3)).toBe(0);
        expect((await listAll()).map((m) => m.id)).toEqual([recent.id]);
        expect((await store.stats()).mo).toBe(0);
      });

      it('MO, push records, delivered and dead webhooks and orphan reports from before `before` go; the rest stay', async () => {
        const oldMo = mo({ receivedAt: T0 });
        const newMo = mo({ receivedAt: NEW });
        await store.insertMo(oldMo);
        await store.insertMo(newMo);

        const push = (pushId: string, createdAt: number) => {
          const m = { ...newMessage({ binary: true, callbackUrl: null, createdAt }), pushId };
          const record: NewPush = {
            pushId,
            account: ACCT_A,
            contentType: 'application/vnd.wap.sic',
            notifyTo: null,
            deliverBefore: null,
            deliverAfter: null,
            createdAt,
            addresses: [{ address: `WAPPUSH=+86${m.to}/TYPE=PLMN@ppg.example.com`, messageId: m.id }],
          };
          return { record, m };
        };
        const oldPush = push('push-old', T0 + 1);
        const newPush = push('push-new', NEW);
        for (const { record, m } of [oldPush, newPush]) {
          expect(await store.insertPush(record, [m])).toBe(true);
          expect(await store.cancelMessage(m.id, record.createdAt)).toBe('cancelled');
        }

        for (const key of ['w-delivered', 'w-dead', 'w-pending'])
          await store.enqueueWebhook(key, HOOK, key, T0 + 2);
        await store.enqueueWebhook('w-recent', HOOK, 'w-recent', NEW);
        const jobs = new Map((await store.claimWebhooks(NEW, 10, 30_000)).map((j) => [j.body, j.id]));
        await store.webhookDelivered(jobs.get('w-delivered')!, NEW);
        await store.webhookFailed(jobs.get('w-dead')!, null, 'HTTP 410');
        await store.webhookFailed(jobs.get('w-pending')!, NEW + HOUR, 'HTTP 503');
        await store.webhookDelivered(jobs.get('w-recent')!, NEW);

        const [oldOrphan, newOrphan] = [nextMsgId(), nextMsgId()];
        await store.recordReports([
          reportFor(oldOrphan, 'DELIVRD', T0 + 3),
          reportFor(newOrphan, 'DELIVRD', NEW),
        ]);
        expect((await store.stats()).orphanReports).toBe(2);

        // MO, push record and its message, two webhooks, an orphan.
        expect(await store.purge(BEFORE, 100)).toBe(6);
        expect((await store.listMo({ limit: 10 })).items).toEqual([newMo]);
        expect(await store.getPush('push-old')).toBeUndefined();
        expect(await store.getMessage(oldPush.m.id)).toBeUndefined();
        expect((await store.listPushes({ limit: 10 })).items.map((p) => p.pushId)).toEqual(['push-new']);
        const state = (key: string) => store.webhookState!(key);
        expect(await state('w-delivered')).toBeUndefined();
        expect(await state('w-dead')).toBeUndefined();
        expect(await state('w-pending')).toMatchObject({ status: 'pending', nextAttemptAt: NEW + HOUR });
        expect(await state('w-recent')).toMatchObject({ status: 'delivered' });
        const s = await store.stats();
        expect([s.mo, s.pushes, s.webhooksPending, s.orphanReports]).toEqual([1, 1, 1, 1]);
        expect(nonZero(s.messagesByStatus)).toEqual({ cancelled: 1 });

        // The orphan kept still completes its message when the SUBMIT_RESP comes.
        const m = await insert({ createdAt: NEW + 1 });
        expect((await store.claimSegments(ACCT_A, 10, NEW + 1)).map((j) => j.messageId)).toEqual([m.id]);
        await store.recordSubmits([{ messageId: m.id, index: 0, msgId: newOrphan, result: 0, at: NEW + 2 }]);
        expect((await get(m.id)).status).toBe('delivered');
        expect((await store.stats()).orphanReports).toBe(0);
      });

      it('unassembled long-MO parts received before `before` go, a part at a time: their group can no longer complete', async () => {
        const part = (groupKey: string, seq: number, receivedAt: number): MoPart => ({
          account: ACCT_A,
          groupKey,
          total: 3,
          seq,
          ismgMsgId: nextMsgId(),
          payload: ucs2(`第${seq}部分。`),
          msgFmt: 8,
          linkId: null,
          receivedAt,
        });
        const stale = '13900139000|106571234501|0x21|3';
        const fresh = '13900139000|106571234501|0x22|3';
        expect(await store.addMoPart(part(stale, 1, T0))).toBeNull();
        expect(await store.addMoPart(part(stale, 2, T0 + 1))).toBeNull();
        expect(await store.addMoPart(part(fresh, 1, NEW))).toBeNull();
        expect(await store.addMoPart(part(fresh, 2, NEW))).toBeNull();
        expect([
          await store.purge(BEFORE, 1),
          await store.purge(BEFORE, 1),
          await store.purge(BEFORE, 1),
        ]).toEqual([1, 1, 0]);
        expect(await store.addMoPart(part(stale, 3, NEW + 1))).toBeNull();
        expect((await store.addMoPart(part(fresh, 3, NEW + 1)))?.map((p) => p.seq)).toEqual([1, 2, 3]);
      });

      it("a report for a purged message's Msg_Id is kept as an orphan", async () => {
        const m = await insert({ createdAt: T0 });
        const [msgId] = await sendAll(ACCT_A, T0 + 1);
        expect((await get(m.id)).status).toBe('submitted');
        expect(await store.purge(BEFORE, 10)).toBe(1);
        expect(await store.recordReports([reportFor(msgId, 'DELIVRD', NEW)])).toEqual([]);
        expect(await store.getMessage(m.id)).toBeUndefined();
        const s = await store.stats();
        expect(s.orphanReports).toBe(1);
        expect(nonZero(s.messagesByStatus)).toEqual({});
      });
    });

    // ---------- stats ----------

    describe('stats', () => {
      it('an empty store', async () => {
        const s = await store.stats();
        expect(nonZero(s.messagesByStatus)).toEqual({});
        expect([s.queuedSegments, s.webhooksPending, s.mo, s.orphanReports, s.pushes]).toEqual([
          0, 0, 0, 0, 0,
        ]);
      });

      it('figures after a scenario', async () => {
        await insert({ account: ACCT_B, segments: 2 }); // stays queued
        const cancelled = await insert({ account: ACCT_B });
        await store.cancelMessage(cancelled.id, T0);
        const delivered = await insert({
          account: ACCT_A,
          segments: 3,
          to: '13800000001',
          createdAt: T0 - 2,
        });
        await insert({ account: ACCT_A, to: '13800000002', createdAt: T0 - 1 }); // submitted, awaiting its report
        const jobs = await store.claimSegments(ACCT_A, 10, T0);
        const { msgIds } = await submitOk(jobs, T0);
        const finals = await store.recordReports(
          msgIds
            .filter((_, i) => jobs[i].messageId === delivered.id)
            .map((id) => reportFor(id, 'DELIVRD', T0 + 1)),
        );
        expect(finals).toEqual([final(delivered, 'delivered')]);
        await store.recordReports([reportFor('12878564852733300000', 'DELIVRD', T0 + 2)]); // orphan
        await insert({ account: ACCT_A, segments: 2, to: '13800000003' });
        await store.claimSegments(ACCT_A, 1, T0 + 3); // one segment in flight
        await store.insertMo(mo());
        await store.insertMo(mo({ account: ACCT_B }));
        await store.enqueueWebhook('w1', HOOK, '{}', T0);
        await store.enqueueWebhook('w2', HOOK, '{}', T0);
        await store.enqueueWebhook('w3', HOOK, '{}', T0);
        const [w] = await store.claimWebhooks(T0, 1, 1_000);
        await store.webhookDelivered(w.id, T0 + 5);

        const s = await store.stats();
        expect(nonZero(s.messagesByStatus)).toEqual({
          queued: 1,
          cancelled: 1,
          delivered: 1,
          submitted: 1,
          submitting: 1,
        });
        expect(s.queuedSegments).toBe(3);
        expect(s.webhooksPending).toBe(2);
        expect(s.mo).toBe(2);
        expect(s.orphanReports).toBe(1);
      });
    });
  });
}

function newestIds(all: MessageView[], pred: (m: MessageView) => boolean): string[] {
  return all
    .filter(pred)
    .map((m) => m.id)
    .reverse();
}
