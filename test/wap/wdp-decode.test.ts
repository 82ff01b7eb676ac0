import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readPushSms } from '../../src/wap/index.js';

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
