import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AddResult,
  chooseFormat,
  decodeText,
  MsgFmt,
  Reassembler,
  splitMessage,
} from '../../../src/cmpp/text/index.js';
import { payloadOf } from './helpers.js';

const SPLIT_RUNS = { numRuns: 300 };
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

describe('splitMessage properties', () => {
  it.each(['grapheme', 'binary'] as const)('UCS2 round-trips %s strings within 140 bytes', (unit) => {
    fc.assert(
      fc.property(fc.string({ unit, maxLength: 400, size: 'large' }), fc.boolean(), (text, ref16) => {
        const r = splitMessage({ text, fmt: MsgFmt.UCS2, reference: 3, ref16 });
        expect(r.segments.every((s) => s.content.length <= 140)).toBe(true);
        const payloads = r.segments.map(payloadOf);
        expect(decodeText(Buffer.concat(payloads), MsgFmt.UCS2)).toBe(text);
        // No segment ends inside a surrogate pair, so each decodes on its own to whole chars.
        const parts = payloads.map((p) => decodeText(p, MsgFmt.UCS2));
        expect(parts.filter((p) => LONE_SURROGATE.test(p))).toEqual([]);
        expect(parts.join('')).toBe(text);
      }),
      SPLIT_RUNS,
    );
  });

  it('GB18030 round-trips and never cuts a char', () => {
    fc.assert(
      fc.property(
        // U+E5E5 is refused in GB18030 (no round trip; see msg-fmt.test.ts).
        fc.string({ unit: 'binary', maxLength: 300, size: 'large' }).map((t) => t.replaceAll('\ue5e5', '')),
        fc.boolean(),
        (text, ref16) => {
          const r = splitMessage({ text, fmt: MsgFmt.GB18030, reference: 3, ref16 });
          expect(r.segments.every((s) => s.content.length <= 140)).toBe(true);
          const parts = r.segments.map((s) => decodeText(payloadOf(s), MsgFmt.GB18030));
          expect(parts.join('')).toBe(text);
        },
      ),
      SPLIT_RUNS,
    );
  });

  it('ASCII stays within 159 bytes and round-trips', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary-ascii', maxLength: 1000, size: 'large' }), (text) => {
        const r = splitMessage({ text, fmt: MsgFmt.ASCII, reference: 3 });
        expect(r.segments.every((s) => s.content.length <= 159)).toBe(true);
        expect(r.segments.map((s) => decodeText(payloadOf(s), MsgFmt.ASCII)).join('')).toBe(text);
      }),
      SPLIT_RUNS,
    );
  });
});

describe('Reassembler property', () => {
  it('reassembles shuffled, duplicated parts to the original text', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 500, size: 'large' }),
        fc.boolean(),
        fc.gen(),
        (text, ref16, g) => {
          const fmt = g(fc.constantFrom, chooseFormat(text), MsgFmt.UCS2, MsgFmt.GB18030);
          const reference = g(fc.nat, ref16 ? 0xffff : 0xff);
          const { pkTotal, segments } = splitMessage({ text, fmt, reference, ref16 });
          const order = [...segments];
          for (let i = order.length - 1; i > 0; i--) {
            const j = g(fc.nat, i);
            [order[i], order[j]] = [order[j], order[i]];
          }
          for (let d = g(fc.nat, 3); d > 0; d--) {
            order.splice(g(fc.nat, order.length), 0, order[g(fc.nat, order.length - 1)]);
          }

          const r = new Reassembler();
          const results = order.map((s) =>
            r.add({ key: 'k', content: s.content, tpUdhi: s.tpUdhi, fmt, receivedAt: 0 }),
          );
          const done = results.filter((x): x is Extract<AddResult, { complete: true }> => x.complete);
          expect(done.length).toBeGreaterThan(0);
          for (const m of done) {
            expect(m.parts).toBe(pkTotal);
            expect(decodeText(m.content, m.fmt)).toBe(text);
          }
          // The first completion comes with the last distinct part.
          const firstDone = results.findIndex((x) => x.complete);
          expect(new Set(order.slice(0, firstDone + 1)).size).toBe(pkTotal);
          expect(new Set(order.slice(0, firstDone)).size).toBe(pkTotal - 1);
        },
      ),
      { numRuns: 200 },
    );
  });
});
