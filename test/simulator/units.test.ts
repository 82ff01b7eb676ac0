import { describe, expect, it } from 'vitest';
import { type DeliverFields, packMsgId, recipientMsgId, unpackMsgId } from '../../src/cmpp/index.js';
import type { ServerSession } from '../../src/session/index.js';
import { DeliverOutbox, type OutgoingDeliver } from '../../src/simulator/deliver-outbox.js';
import { PerSecondLimit } from '../../src/simulator/flow-limit.js';
import { clockSeededMsgIds } from '../../src/simulator/msg-ids.js';
import { parseStatMix, pickStat } from '../../src/simulator/stat-mix.js';
import { SubmitHistory } from '../../src/simulator/submit-history.js';
import type { SubmitRecord } from '../../src/simulator/submit-record.js';

/* The simulator's pure building blocks. */

describe('simulator Msg_Ids', () => {
  it('start the sequence at the millisecond clock, so runs started apart do not repeat ids', () => {
    const now = new Date(2026, 4, 17, 9, 30, 12, 345);
    const first = unpackMsgId(clockSeededMsgIds(79101, now.getTime()).next(1, now));
    expect(first).toEqual({
      month: 5,
      day: 17,
      hour: 9,
      minute: 30,
      second: 12,
      gateway_code: 79101,
      sequence: now.getTime() & 0xffff,
    });
    const later = unpackMsgId(clockSeededMsgIds(79101, now.getTime() + 40).next(1, now));
    expect(later.sequence).toBe((first.sequence + 40) & 0xffff);
  });

  it('number the recipients of a group send from the first id, wrapping the sequence alone', () => {
    const parts = { month: 12, day: 31, hour: 23, minute: 59, second: 59, gateway_code: 0x3fffff };
    const first = packMsgId({ ...parts, sequence: 0xfffe });
    expect([0, 1, 2, 3].map((i) => unpackMsgId(recipientMsgId(first, i)))).toEqual(
      [0xfffe, 0xffff, 0, 1].map((sequence) => ({ ...parts, sequence })),
    );
  });
});

describe('Stat mix', () => {
  it('reads the string and the object form alike', () => {
    const fromString = parseStatMix('DELIVRD:0.95, UNDELIV:0.03,MB:0001:0.02', 'stats');
    expect(fromString).toEqual([
      { stat: 'DELIVRD', weight: 0.95 },
      { stat: 'UNDELIV', weight: 0.03 },
      { stat: 'MB:0001', weight: 0.02 },
    ]);
    expect(parseStatMix({ DELIVRD: 0.95, UNDELIV: 0.03, 'MB:0001': 0.02 }, 'stats')).toEqual(fromString);
  });

  it('picks by share of the total weight, skipping zero weights', () => {
    const mix = parseStatMix('DELIVRD:3,EXPIRED:0,UNDELIV:1', 'stats');
    expect([0, 0.74, 0.75, 0.999999].map((r) => pickStat(mix, r))).toEqual([
      'DELIVRD',
      'DELIVRD',
      'UNDELIV',
      'UNDELIV',
    ]);
  });

  it('comes close to the configured shares over many draws', () => {
    const mix = parseStatMix('DELIVRD:0.95,UNDELIV:0.03,EXPIRED:0.02', 'stats');
    const counts: Record<string, number> = {};
    for (let i = 0; i < 10_000; i++) {
      const stat = pickStat(mix, (i + 0.5) / 10_000);
      counts[stat] = (counts[stat] ?? 0) + 1;
    }
    expect(counts).toEqual({ DELIVRD: 9500, UNDELIV: 300, EXPIRED: 200 });
  });
});

describe('per-second flow limit', () => {
  it('admits `limit` per calendar second and starts again with the next second', () => {
    const limit = new PerSecondLimit(2);
    expect([1000, 1500, 1999, 2000, 2001, 2002].map((ms) => limit.admit(ms))).toEqual([
      true,
      true,
      false,
      true,
      true,
      false,
    ]);
  });
});

describe('the SUBMIT history of a link', () => {
  const record = (sequenceId: number) => ({ pdu: { sequenceId } }) as SubmitRecord;

  it('finds recent ones, and held ones however many came after', () => {
    const history = new SubmitHistory(4, 2);
    const dropped = record(1);
    history.remember(dropped);
    history.hold(dropped);
    for (let seq = 2; seq <= 10; seq++) history.remember(record(seq));
    expect(history.find(1)).toBe(dropped);
    expect(history.find(9)?.pdu.sequenceId).toBe(9);
    expect(history.find(5)).toBeUndefined();
    history.release(dropped);
    expect(history.find(1)).toBeUndefined();
  });

  it('gives up the oldest held one beyond its capacity', () => {
    const history = new SubmitHistory(4, 2);
    for (const seq of [100, 200, 300]) history.hold(record(seq));
    expect([100, 200, 300].map((seq) => history.find(seq)?.pdu.sequenceId)).toEqual([undefined, 200, 300]);
  });
});

describe('DELIVER outbox', () => {
  /** A link whose DELIVERs stay unanswered until the test answers them. */
  function fakeLink() {
    const pending: { fields: DeliverFields; answer(ok: boolean): void }[] = [];
    const link = {
      version: '3.0',
      link: {
        get inFlight() {
          return pending.length;
        },
      },
      deliver: (fields: DeliverFields) =>
        new Promise((resolve, reject) => {
          const entry = {
            fields,
            answer: (ok: boolean) => {
              pending.splice(pending.indexOf(entry), 1);
              if (ok) resolve({ fields: { Result: 0 } });
              else reject(new Error('link closed'));
            },
          };
          pending.push(entry);
        }),
    } as unknown as ServerSession;
    return { link, pending };
  }

  const item = (n: number, acked: number[]): OutgoingDeliver => ({
    kind: 'report',
    fields: () => ({ Msg_Id: BigInt(n) }) as DeliverFields,
    acknowledged: () => acked.push(n),
  });

  it('keeps each link within the window, in order, waits while none is up and resends a failed one', async () => {
    const links: ServerSession[] = [];
    const outbox = new DeliverOutbox(
      () => links,
      2,
      () => {},
    );
    const acked: number[] = [];
    for (let n = 1; n <= 3000; n++) outbox.send(item(n, acked));
    expect(outbox.queued).toBe(3000);
    const { link, pending } = fakeLink();
    links.push(link);
    outbox.flush();
    expect(pending.map((p) => p.fields.Msg_Id)).toEqual([1n, 2n]);
    pending[0].answer(false);
    while (pending.length > 0) {
      pending[0].answer(true);
      await new Promise((resolve) => setImmediate(resolve));
      expect(pending.length).toBeLessThanOrEqual(2);
    }
    expect(outbox.queued).toBe(0);
    expect(acked).toHaveLength(3000);
    expect(acked.slice(0, 3)).toEqual([2, 3, 4]);
    expect(acked.at(-1)).toBe(1);
  });
});
