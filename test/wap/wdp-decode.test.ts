import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compileSi,
  encodeWspPush,
  PushReassembler,
  readPushSms,
  type WapSegment,
  wapPushSegments,
} from '../../src/wap/index.js';

const { vectors } = JSON.parse(readFileSync('/work/shared/vectors/wap-push.json', 'utf8')) as {
  vectors: { name: string; content_type: string; udh_hex: string; ud_hex: string }[];
};

describe('readPushSms: a binary SMS read as a WAP push', () => {
  it.each(vectors.filter((v) => v.udh_hex.length === 14))('$name: content type and document', (v) => {
    const push = readPushSms(Buffer.from(v.udh_hex + v.ud_hex, 'hex'));
    expect(push?.contentType).toBe(`${v.content_type.replace('text/vnd.wap.', 'application/vnd.wap.')}c`);
    expect(push?.document?.kind).toBe(v.content_type.endsWith('si') ? 'si' : 'sl');
  });

  it('not a push: another port, no UDH, one segment of several, broken WSP', () => {
    const [v] = vectors;
    const ud = Buffer.from(v.ud_hex, 'hex');
    expect(readPushSms(Buffer.concat([Buffer.from('060504c3500000', 'hex'), ud]))).toBeUndefined();
    expect(readPushSms(Buffer.from('0003', 'hex'))).toBeUndefined();
    expect(readPushSms(Buffer.concat([Buffer.from('0b05040b8423f00003010201', 'hex'), ud]))).toBeUndefined();
    expect(readPushSms(Buffer.from('0605040b8423f0000601', 'hex'))).toBeUndefined();
  });
});

describe('PushReassembler: the SMS of a long push joined as a handset does', () => {
  const text = (tag: string) => `${tag} `.padEnd(300, 'x');
  const siXml = (tag: string) =>
    `<si><indication href="http://www.example.com/${tag}" action="signal-high">${text(tag)}</indication></si>`;
  /** A push's SMS as Msg_Content (UDH ‖ UD), in order. */
  function smsOf(tag: string, reference: number): Buffer[] {
    const wsp = encodeWspPush({
      tid: 1,
      contentType: 'application/vnd.wap.sic',
      body: compileSi(siXml(tag)),
    });
    return wapPushSegments(wsp, reference).map((s: WapSegment) => Buffer.concat([s.udh, s.ud]));
  }

  it('in any order: only the segment that completes the push returns it, decoded; repeats are ignored', () => {
    const sms = smsOf('a', 7);
    expect(sms).toHaveLength(3);
    const r = new PushReassembler();
    expect(r.add('13800138000', sms[2], 0)).toBeUndefined();
    expect(r.add('13800138000', sms[0], 1)).toBeUndefined();
    expect(r.add('13800138000', sms[0], 2)).toBeUndefined();
    expect(r.pending).toBe(1);
    const push = r.add('13800138000', sms[1], 3);
    expect(push).toMatchObject({ contentType: 'application/vnd.wap.sic', document: { kind: 'si' } });
    expect(push?.document?.xml).toBe(siXml('a'));
    expect(r.pending).toBe(0);
  });

  it('segments of different pushes stay apart: another recipient, another reference, another source port', () => {
    const a = smsOf('a', 7);
    const b = smsOf('b', 8);
    // The same push with source port 9201 instead of 9200 (UDH bytes 5–6): another sender application.
    const otherPort = a.map((s) => Buffer.concat([s.subarray(0, 5), Buffer.of(0x23, 0xf1), s.subarray(7)]));
    const r = new PushReassembler();
    for (const [key, sms] of [
      ['13800138000', a.slice(0, 2)],
      ['13800138001', a.slice(2)],
      ['13800138000', b.slice(2)],
      ['13800138000', otherPort.slice(2)],
    ] as const)
      for (const s of sms) expect(r.add(key, s, 0)).toBeUndefined();
    expect(r.pending).toBe(4);
    expect(r.add('13800138000', a[2], 0)?.document?.xml).toBe(siXml('a'));
    expect(r.add('13800138000', b[0], 0)).toBeUndefined();
    expect(r.add('13800138000', b[1], 0)?.document?.xml).toBe(siXml('b'));
    expect(r.pending).toBe(2);
  });

  it('bounded: an incomplete push is dropped after timeoutMs, and the oldest beyond maxPending', () => {
    const r = new PushReassembler({ timeoutMs: 1000, maxPending: 2 });
    const [first, second, third] = smsOf('a', 1);
    r.add('13800138000', first, 0);
    // 1000 ms after its first segment the push is gone: the other two start a new one and complete nothing.
    expect(r.add('13800138000', second, 1000)).toBeUndefined();
    expect(r.add('13800138000', third, 1000)).toBeUndefined();
    expect(r.pending).toBe(1);
    // Two newer pushes fill the cap and evict it: its first segment again completes nothing.
    for (const ref of [2, 3]) r.add('13800138000', smsOf('a', ref)[0], 1001);
    expect(r.pending).toBe(2);
    expect(r.add('13800138000', first, 1002)).toBeUndefined();
    expect(r.pending).toBe(2);
  });

  it('not a segment of a push: a single-SMS push, another port, no UDH, a push that does not decode', () => {
    const r = new PushReassembler();
    const [v] = vectors;
    expect(r.add('k', Buffer.from(v.udh_hex + v.ud_hex, 'hex'), 0)).toBeUndefined();
    expect(r.add('k', Buffer.from('0b0504c35000000003010201ff', 'hex'), 0)).toBeUndefined();
    expect(r.add('k', Buffer.from('0003', 'hex'), 0)).toBeUndefined();
    expect(r.pending).toBe(0);
    expect(r.add('k', Buffer.from('0b05040b8423f00003090201ff', 'hex'), 0)).toBeUndefined();
    expect(r.add('k', Buffer.from('0b05040b8423f00003090202ff', 'hex'), 0)).toBeUndefined();
    expect(r.pending).toBe(0);
  });
});
