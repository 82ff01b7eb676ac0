import { describe, expect, it } from 'vitest';
import {
  CmppProtocolError,
  DEFAULT_MAX_FRAME,
  Deframer,
  decodePdu,
  encodePdu,
} from '../../src/cmpp/index.js';

const PACKETS: readonly Buffer[] = [
  encodePdu('3.0', 'CMPP_ACTIVE_TEST', 1),
  encodePdu('3.0', 'CMPP_ACTIVE_TEST_RESP', 1),
  encodePdu('3.0', 'CMPP_SUBMIT', 2, {
    Pk_total: 1,
    Pk_number: 1,
    Src_Id: '1065900001',
    Dest_terminal_Id: ['13800138000', '13900139000'],
    Msg_Fmt: 8,
    Msg_Content: Buffer.from('4f60597d', 'hex'),
  }),
  encodePdu('3.0', 'CMPP_SUBMIT_RESP', 2, { Msg_Id: 12878564852733378560n, Result: 0 }),
  encodePdu('3.0', 'CMPP_TERMINATE', 3),
];
const STREAM = Buffer.concat(PACKETS);

function collect(deframer: Deframer, chunks: readonly Buffer[]): Buffer[] {
  const frames: Buffer[] = [];
  for (const chunk of chunks) deframer.push(chunk, (f) => frames.push(Buffer.from(f)));
  return frames;
}

const hexes = (frames: readonly Buffer[]) => frames.map((f) => f.toString('hex'));
const errorCode = (code: string) => expect.objectContaining({ name: 'CmppProtocolError', code });

describe('Deframer', () => {
  it('returns every packet of one coalesced chunk, in order', () => {
    const d = new Deframer();
    expect(hexes(collect(d, [STREAM]))).toEqual(hexes(PACKETS));
    expect(d.buffered).toBe(0);
  });

  it('handles the stream split at every byte boundary', () => {
    for (let cut = 0; cut <= STREAM.length; cut++) {
      const d = new Deframer();
      const frames = collect(d, [STREAM.subarray(0, cut), STREAM.subarray(cut)]);
      expect(hexes(frames), `cut at ${cut}`).toEqual(hexes(PACKETS));
      expect(d.buffered).toBe(0);
    }
  });

  it('handles every two-cut split of one packet', () => {
    const packet = PACKETS[2];
    for (let a = 0; a <= packet.length; a++) {
      for (let b = a; b <= packet.length; b++) {
        const frames = collect(new Deframer(), [
          packet.subarray(0, a),
          packet.subarray(a, b),
          packet.subarray(b),
        ]);
        expect(frames.length).toBe(1);
        expect(frames[0].equals(packet)).toBe(true);
      }
    }
  });

  it('handles one byte at a time, with the right buffered count', () => {
    const d = new Deframer();
    const frames: Buffer[] = [];
    let sinceFrame = 0;
    for (const byte of STREAM) {
      const before = frames.length;
      d.push(Buffer.of(byte), (f) => frames.push(Buffer.from(f)));
      sinceFrame = frames.length > before ? 0 : sinceFrame + 1;
      expect(d.buffered).toBe(sinceFrame);
    }
    expect(hexes(frames)).toEqual(hexes(PACKETS));
    expect(d.buffered).toBe(0);
  });

  it('gives frames that decode', () => {
    const frames = collect(new Deframer(), [STREAM]);
    expect(frames.map((f) => decodePdu(f, '3.0').command)).toEqual([
      'CMPP_ACTIVE_TEST',
      'CMPP_ACTIVE_TEST_RESP',
      'CMPP_SUBMIT',
      'CMPP_SUBMIT_RESP',
      'CMPP_TERMINATE',
    ]);
  });

  it('accepts an empty chunk', () => {
    const d = new Deframer();
    expect(collect(d, [Buffer.alloc(0)])).toEqual([]);
    expect(d.buffered).toBe(0);
  });

  it('counts a partial packet as buffered', () => {
    const d = new Deframer();
    const frames = collect(d, [Buffer.concat([PACKETS[0], PACKETS[2].subarray(0, 30)])]);
    expect(frames.length).toBe(1);
    expect(d.buffered).toBe(30);
    expect(collect(d, [PACKETS[2].subarray(30)]).length).toBe(1);
    expect(d.buffered).toBe(0);
  });

  it('keeps fewer than 4 bytes (no Total_Length yet) buffered', () => {
    const d = new Deframer();
    expect(collect(d, [Buffer.from('0000', 'hex')])).toEqual([]);
    expect(d.buffered).toBe(2);
  });

  it.each([0, 1, 4, 11])('rejects Total_Length %i with FRAME_TOO_SHORT', (total) => {
    const head = Buffer.alloc(12);
    head.writeUInt32BE(total, 0);
    expect(() => new Deframer().push(head, () => {})).toThrow(errorCode('FRAME_TOO_SHORT'));
  });

  it('rejects a short Total_Length found after a good packet', () => {
    const frames: Buffer[] = [];
    const bad = Buffer.concat([PACKETS[0], Buffer.from('00000005', 'hex')]);
    expect(() => new Deframer().push(bad, (f) => frames.push(f))).toThrow(errorCode('FRAME_TOO_SHORT'));
    expect(frames.length).toBe(1);
  });

  it('accepts the minimum Total_Length of 12', () => {
    expect(collect(new Deframer(), [PACKETS[0]]).length).toBe(1);
    expect(PACKETS[0].length).toBe(12);
  });

  it('rejects a 4 GB Total_Length as soon as the 4 length bytes arrive', () => {
    const d = new Deframer();
    let thrown: unknown;
    try {
      d.push(Buffer.from('fffffff0', 'hex'), () => {});
    } catch (err) {
      thrown = err;
    }
    expect(thrown).toBeInstanceOf(CmppProtocolError);
    expect(thrown).toEqual(errorCode('FRAME_TOO_LONG'));
  });

  it('rejects a too-long Total_Length whose bytes arrive one at a time', () => {
    const d = new Deframer();
    d.push(Buffer.of(0xff), () => {});
    d.push(Buffer.of(0xff), () => {});
    d.push(Buffer.of(0xff), () => {});
    expect(() => d.push(Buffer.of(0xf0), () => {})).toThrow(errorCode('FRAME_TOO_LONG'));
  });

  it('uses a default maximum of DEFAULT_MAX_FRAME', () => {
    const ok = Buffer.alloc(DEFAULT_MAX_FRAME);
    ok.writeUInt32BE(DEFAULT_MAX_FRAME, 0);
    expect(collect(new Deframer(), [ok]).length).toBe(1);
    const head = Buffer.alloc(4);
    head.writeUInt32BE(DEFAULT_MAX_FRAME + 1, 0);
    expect(() => new Deframer().push(head, () => {})).toThrow(errorCode('FRAME_TOO_LONG'));
    // A 3.0 SUBMIT to 99 recipients with 255 content bytes fits the default.
    expect(DEFAULT_MAX_FRAME).toBeGreaterThanOrEqual(12 + 151 + 32 * 99 + 255);
  });

  it('honours a configured maximum', () => {
    const d = new Deframer(100);
    const at = Buffer.alloc(100);
    at.writeUInt32BE(100, 0);
    expect(collect(d, [at]).length).toBe(1);
    const over = Buffer.alloc(4);
    over.writeUInt32BE(101, 0);
    expect(() => new Deframer(100).push(over, () => {})).toThrow(errorCode('FRAME_TOO_LONG'));
    // A packet that is fine by default is too long for a small maximum.
    expect(() => new Deframer(40).push(PACKETS[2], () => {})).toThrow(errorCode('FRAME_TOO_LONG'));
  });

  it('reports the offset of a bad Total_Length within the chunk', () => {
    const bad = Buffer.concat([PACKETS[0], Buffer.from('00000003', 'hex')]);
    expect(() => new Deframer().push(bad, () => {})).toThrow(
      expect.objectContaining({ field: 'Total_Length', offset: 12 }),
    );
  });
});
