import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MsgIdGenerator, packMsgId, unpackMsgId } from '../../src/cmpp/index.js';

/* Msg_Id layout (SPEC3 §8.4.3.2): month 4 | day 5 | hour 5 | minute 6 | second 6 | gateway 22 | sequence 16. */

const parts = fc.record({
  month: fc.integer({ min: 0, max: 15 }),
  day: fc.integer({ min: 0, max: 31 }),
  hour: fc.integer({ min: 0, max: 31 }),
  minute: fc.integer({ min: 0, max: 63 }),
  second: fc.integer({ min: 0, max: 63 }),
  gateway_code: fc.integer({ min: 0, max: 2 ** 22 - 1 }),
  sequence: fc.integer({ min: 0, max: 65535 }),
});

describe('Msg_Id pack/unpack', () => {
  it('round-trips every combination of parts, including the gateway code that straddles bit 32', () => {
    fc.assert(
      fc.property(parts, (p) => {
        expect(unpackMsgId(packMsgId(p))).toEqual(p);
      }),
      { numRuns: 5000 },
    );
  });

  it('round-trips every 64-bit id', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), (id) => {
        expect(packMsgId(unpackMsgId(id))).toBe(id);
      }),
      { numRuns: 5000 },
    );
  });

  it('refuses a part that does not fit its bits', () => {
    expect(() =>
      packMsgId({ month: 16, day: 1, hour: 0, minute: 0, second: 0, gateway_code: 0, sequence: 0 }),
    ).toThrow(/month 16 does not fit 4 bits/);
  });

  it('the generator hands out consecutive ids for a multi-recipient SUBMIT and wraps the sequence', () => {
    const at = new Date(2026, 10, 21, 14, 5, 9);
    const ids = new MsgIdGenerator(1001, 65534);
    const first = ids.next(3, at);
    expect(unpackMsgId(first)).toMatchObject({
      month: 11,
      day: 21,
      hour: 14,
      minute: 5,
      second: 9,
      gateway_code: 1001,
      sequence: 65534,
    });
    expect(unpackMsgId(ids.next(1, at)).sequence).toBe(1);
  });
});
