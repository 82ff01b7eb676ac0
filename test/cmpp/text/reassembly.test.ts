import { describe, expect, it } from 'vitest';
import {
  type AddResult,
  buildUdh,
  decodeText,
  MsgFmt,
  Reassembler,
  type Segment,
  splitMessage,
} from '../../../src/cmpp/text/index.js';
import { hex, payloadOf, textError } from './helpers.js';

const TEXT = '长短信重组测试：'.repeat(20); // 160 chars → 3 UCS2 segments
const split3 = () => splitMessage({ text: TEXT, fmt: MsgFmt.UCS2, reference: 0x5a });

const part = (s: Segment, at = 0, key = 'src>dst', tpUdhi: number = s.tpUdhi) => ({
  key,
  content: s.content,
  tpUdhi,
  fmt: MsgFmt.UCS2,
  receivedAt: at,
});

function permutations<T>(xs: T[]): T[][] {
  if (xs.length <= 1) return [xs];
  return xs.flatMap((x, i) => permutations([...xs.slice(0, i), ...xs.slice(i + 1)]).map((p) => [x, ...p]));
}

const completeText = (r: AddResult) => {
  if (!r.complete) throw new Error('expected a complete message');
  return decodeText(r.content, r.fmt);
};

describe('Reassembler', () => {
  it('reassembles a 3-part message in every order', () => {
    const { segments } = split3();
    expect(segments).toHaveLength(3);
    for (const order of permutations(segments)) {
      const r = new Reassembler();
      const results = order.map((s) => r.add(part(s)));
      expect(results.slice(0, 2)).toEqual([{ complete: false }, { complete: false }]);
      expect(results[2]).toMatchObject({ complete: true, parts: 3, fmt: MsgFmt.UCS2 });
      expect(completeText(results[2])).toBe(TEXT);
      expect(r.pendingCount).toBe(0);
    }
  });

  it('returns a part without UDH as is', () => {
    const r = new Reassembler();
    const content = Buffer.from('0500030102014e2d', 'hex');
    const res = r.add({ key: 'k', content, tpUdhi: 0, fmt: MsgFmt.BINARY, receivedAt: 0 });
    expect(res).toEqual({ complete: true, parts: 1, content, fmt: MsgFmt.BINARY });
  });

  it('strips a UDH without a concatenation IE', () => {
    const content = Buffer.concat([
      buildUdh([{ iei: 0x05, data: Uint8Array.of(0x0b, 0x84, 0x23, 0xf0) }]),
      Buffer.from('abc'),
    ]);
    const res = new Reassembler().add({ key: 'k', content, tpUdhi: 1, fmt: MsgFmt.BINARY, receivedAt: 0 });
    expect(res).toMatchObject({ complete: true, parts: 1, content: Buffer.from('abc') });
  });

  it('accepts TP_udhi 0x40 (facts §7)', () => {
    const r = new Reassembler();
    const [a, b, c] = split3().segments;
    r.add(part(c, 0, 'k', 0x40));
    r.add(part(a, 0, 'k', 0x40));
    expect(completeText(r.add(part(b, 0, 'k', 0x40)))).toBe(TEXT);
  });

  it('ignores duplicate parts', () => {
    const r = new Reassembler();
    const [a, b, c] = split3().segments;
    expect(r.add(part(a)).complete).toBe(false);
    expect(r.add(part(a)).complete).toBe(false);
    expect(r.add(part(c)).complete).toBe(false);
    expect(r.add(part(c)).complete).toBe(false);
    expect(completeText(r.add(part(b)))).toBe(TEXT);
  });

  it('handles a 16-bit reference and a concatenation IE after other IEs', () => {
    const binary = Uint8Array.from({ length: 300 }, (_, i) => (i * 13) & 0xff);
    const { segments } = splitMessage({
      binary,
      fmt: MsgFmt.BINARY,
      reference: 0xbeef,
      ref16: true,
      udhPrefix: Uint8Array.of(0x05, 0x04, 0x0b, 0x84, 0x23, 0xf0),
    });
    expect(segments).toHaveLength(3);
    const r = new Reassembler();
    const results = [...segments].reverse().map((s) => r.add({ ...part(s), fmt: MsgFmt.BINARY }));
    const last = results[2];
    expect(last).toMatchObject({ complete: true, parts: 3, fmt: MsgFmt.BINARY });
    if (last.complete) expect(hex(last.content)).toBe(hex(binary));
  });

  it('keeps messages apart by key, reference and total', () => {
    const r = new Reassembler();
    const one = splitMessage({ text: 'A'.repeat(200), fmt: MsgFmt.ASCII, reference: 7 }).segments;
    const two = splitMessage({ text: 'B'.repeat(200), fmt: MsgFmt.ASCII, reference: 7 }).segments;
    const three = splitMessage({ text: 'C'.repeat(400), fmt: MsgFmt.ASCII, reference: 7 }).segments;
    const add = (s: Segment, key: string) => r.add({ ...part(s, 0, key), fmt: MsgFmt.ASCII });
    expect(add(one[0], 'alice').complete).toBe(false);
    expect(add(two[1], 'bob').complete).toBe(false);
    expect(add(three[0], 'alice').complete).toBe(false);
    expect(r.pendingCount).toBe(3);
    expect(completeText(add(one[1], 'alice'))).toBe('A'.repeat(200));
    expect(completeText(add(two[0], 'bob'))).toBe('B'.repeat(200));
    expect(r.pendingCount).toBe(1);
  });

  it('throws BAD_UDH on a malformed UDH', () => {
    const r = new Reassembler();
    const content = Buffer.from('0800030102', 'hex');
    expect(() => r.add({ key: 'k', content, tpUdhi: 1, fmt: 8, receivedAt: 0 })).toThrow(
      textError('BAD_UDH'),
    );
  });
});

describe('Reassembler.sweep', () => {
  it('gives up a partial message after the default 120 s, not before', () => {
    const r = new Reassembler();
    const [a, , c] = split3().segments;
    r.add(part(c, 1_000));
    r.add(part(a, 5_000));
    expect(r.sweep(120_999)).toEqual([]);
    const [gone, ...rest] = r.sweep(121_000);
    expect(rest).toEqual([]);
    expect(gone).toMatchObject({ key: 'src>dst', ref: 0x5a, total: 3, received: [1, 3], fmt: MsgFmt.UCS2 });
    expect(hex(gone.content)).toBe(hex(Buffer.concat([payloadOf(a), payloadOf(c)])));
    expect(r.pendingCount).toBe(0);
    expect(r.sweep(1e9)).toEqual([]);
  });

  it('honours a custom timeout and leaves younger messages alone', () => {
    const r = new Reassembler({ timeoutMs: 10 });
    const old = split3().segments[0];
    const young = splitMessage({ text: TEXT, fmt: MsgFmt.UCS2, reference: 0x5b }).segments[1];
    r.add(part(old, 0));
    r.add(part(young, 5));
    expect(r.sweep(10).map((m) => m.ref)).toEqual([0x5a]);
    expect(r.pendingCount).toBe(1);
    expect(r.sweep(15).map((m) => [m.ref, m.received])).toEqual([[0x5b, [2]]]);
  });

  it('evicts the oldest partial message beyond maxPending and returns it on the next sweep', () => {
    const r = new Reassembler({ maxPending: 2 });
    for (const ref of [1, 2, 3]) {
      const s = splitMessage({ text: TEXT, fmt: MsgFmt.UCS2, reference: ref }).segments[0];
      r.add(part(s, ref));
    }
    expect(r.pendingCount).toBe(2);
    expect(r.sweep(4).map((m) => m.ref)).toEqual([1]);
    expect(r.pendingCount).toBe(2);
  });
});
