import { afterEach, describe, expect, it } from 'vitest';
import { type CmppVersion, encodePdu, type Fields, type SubmitFields } from '../../src/cmpp/index.js';
import { connectFrame, delay, RawClient } from '../session/helpers.js';
import { ACCOUNT, Harness, SECRET, SERVICE_CODE, submitFields } from './helpers.js';

const h = new Harness();
afterEach(() => h.cleanup());

const dests = (n: number) => Array.from({ length: n }, (_, i) => `138${String(i).padStart(8, '0')}`);

const CASES: [string, CmppVersion, Partial<SubmitFields>, number][] = [
  ['a valid SUBMIT', '3.0', {}, 0],
  ['Pk_total 0', '3.0', { Pk_total: 0, Pk_number: 0 }, 1],
  ['Pk_number above Pk_total', '3.0', { Pk_total: 2, Pk_number: 3 }, 1],
  ['Msg_Fmt 7', '3.0', { Msg_Fmt: 7 }, 1],
  ['Registered_Delivery 2 in 3.0', '3.0', { Registered_Delivery: 2 }, 1],
  ['Registered_Delivery 2 in 2.0', '2.0', { Registered_Delivery: 2 }, 0],
  ['ASCII of 159 bytes', '3.0', { Msg_Content: Buffer.alloc(159, 0x41) }, 0],
  ['ASCII of 160 bytes', '3.0', { Msg_Content: Buffer.alloc(160, 0x41) }, 6],
  ['UCS2 of 140 bytes', '3.0', { Msg_Fmt: 8, Msg_Content: Buffer.alloc(140, 0x41) }, 0],
  ['UCS2 of 141 bytes', '3.0', { Msg_Fmt: 8, Msg_Content: Buffer.alloc(141, 0x41) }, 6],
  ['UCS2 of an odd length', '3.0', { Msg_Fmt: 8, Msg_Content: Buffer.alloc(9, 0x41) }, 4],
  ['a UDH longer than the content', '3.0', { TP_udhi: 1, Msg_Content: Buffer.from([5, 0, 3, 1]) }, 4],
  ['no recipient', '3.0', { Dest_terminal_Id: [] }, 13],
  ['99 recipients', '3.0', { Dest_terminal_Id: dests(99), Registered_Delivery: 0 }, 0],
  ['100 recipients', '3.0', { Dest_terminal_Id: dests(100) }, 13],
  ['a recipient that is no MSISDN', '3.0', { Dest_terminal_Id: ['13800138000', '1380013800'] }, 13],
  [
    'a pseudo-number recipient (3.0 Dest_terminal_type 1)',
    '3.0',
    { Dest_terminal_Id: ['ab12'], Dest_terminal_type: 1 },
    0,
  ],
  ['Src_Id without the service code', '3.0', { Src_Id: '10658888' }, 10],
  ['Msg_src of another SP', '3.0', { Msg_src: '900002' }, 11],
  ['FeeType 04 in 3.0', '3.0', { FeeType: '04' }, 5],
  ['FeeType 04 in 2.0', '2.0', { FeeType: '04' }, 0],
  ['FeeType missing', '2.0', { FeeType: '' }, 5],
  ['FeeCode not digits', '3.0', { FeeCode: '1.00' }, 5],
  ['Fee_UserType 3 without Fee_terminal_Id', '3.0', { Fee_UserType: 3 }, 12],
  ['Fee_UserType 3 with Fee_terminal_Id', '3.0', { Fee_UserType: 3, Fee_terminal_Id: '13900000000' }, 0],
];

describe('SUBMIT checks (SPEC3 §8.4.3.2 Result codes)', () => {
  it('answers each SUBMIT with the Result an ISMG gives', async () => {
    const sim = await h.simulator({ reports: { enabled: false } });
    const clients = {
      '2.0': (await h.connected(sim, { version: '2.0' })).client,
      '3.0': (await h.connected(sim, { version: '3.0' })).client,
    };
    const answers = await Promise.all(
      CASES.map(async ([name, version, fields]) => {
        const { msgId, result } = await clients[version].submit(submitFields(fields));
        return [name, result, result === 0 ? msgId > 0n : msgId === 0n];
      }),
    );
    expect(answers).toEqual(CASES.map(([name, , , result]) => [name, result, true]));
    expect(sim.stats.of(ACCOUNT).results).toMatchObject({ 0: 8, 1: 4, 13: 3 });
  });

  it('answers Result 8 beyond the account’s SUBMITs per second, over all its links', async () => {
    const sim = await h.simulator({
      accounts: { [ACCOUNT]: { secret: SECRET, serviceCode: SERVICE_CODE, flowLimit: 5 } },
    });
    const links = [
      (await h.connected(sim, { flowControlMaxTries: 1 })).client,
      (await h.connected(sim, { flowControlMaxTries: 1 })).client,
    ];
    // All 8 in one calendar second: start in its first half (the limit itself is unit-tested in units.test.ts).
    if (Date.now() % 1000 > 500) await delay(1000 - (Date.now() % 1000));
    const results = await Promise.all(
      Array.from({ length: 8 }, async (_, i) => (await links[i % 2].submit(submitFields())).result),
    );
    expect(results.filter((r) => r === 0)).toHaveLength(5);
    expect(results.filter((r) => r === 8)).toHaveLength(3);
  });

  it('answers a resent Sequence_Id with the first answer, and Result 3 when it carries another message', async () => {
    // No reports: a report DELIVER must not come between a SUBMIT and the answer read next.
    const sim = await h.simulator({ reports: { enabled: false } });
    const raw = await RawClient.connect(sim.cmppAddress.port);
    try {
      raw.write(connectFrame('3.0', ACCOUNT, SECRET));
      expect((await raw.next()).fields.Status).toBe(0);
      const submit = (text: string) =>
        encodePdu(
          '3.0',
          'CMPP_SUBMIT',
          7,
          submitFields({ Msg_Content: Buffer.from(text) }) as unknown as Fields,
        );
      const answer = async (frame: Buffer) => {
        raw.write(frame);
        const resp = await raw.next();
        return [resp.sequenceId, resp.fields.Result, resp.fields.Msg_Id];
      };
      const [, result, msgId] = await answer(submit('first'));
      expect(result).toBe(0);
      expect(await answer(submit('first'))).toEqual([7, 0, msgId]);
      expect(await answer(submit('other'))).toEqual([7, 3, 0n]);
      expect(sim.stats.of(ACCOUNT)).toMatchObject({
        submits: 2,
        retransmissions: 1,
        results: { 0: 1, 3: 1 },
      });
    } finally {
      raw.socket.destroy();
    }
  });
});
