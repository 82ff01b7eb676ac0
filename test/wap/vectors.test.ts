import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  compilePushContent,
  decodeWbxml,
  decodeWspPush,
  encodeWspPush,
  wapPushSegments,
} from '../../src/wap/index.js';

interface Vector {
  name: string;
  content_type: string;
  document: string;
  wbxml_hex?: string;
  udh_hex: string;
  ud_hex: string;
}

const VECTORS: Vector[] = JSON.parse(readFileSync('/work/shared/vectors/wap-push.json', 'utf8')).vectors;
const vector = (name: string): Vector => {
  const v = VECTORS.find((x) => x.name === name);
  if (!v) throw new Error(`no vector ${name}`);
  return v;
};
const hex = (s: string) => Buffer.from(s, 'hex');

/** The compile path the PPG takes: compile the content, wrap it in WSP with the vector's TID, segment it. */
function send(v: Vector, applicationId?: string) {
  const ud = hex(v.ud_hex);
  const content = compilePushContent(v.content_type, Buffer.from(v.document));
  const wsp = encodeWspPush({
    tid: ud[0],
    contentType: content.contentType,
    applicationId,
    body: content.body,
  });
  return { content, wsp, segments: wapPushSegments(wsp, 0) };
}

describe('Kannel-captured vectors (vectors/wap-push.json)', () => {
  for (const name of ['si-basic', 'si-minimal']) {
    it(`${name}: UDH and UD byte for byte`, () => {
      const v = vector(name);
      const { segments } = send(v);
      expect(segments).toHaveLength(1);
      expect(segments[0].udh.toString('hex')).toBe(v.udh_hex.toLowerCase());
      expect(segments[0].ud.toString('hex')).toBe(v.ud_hex.toLowerCase());
      expect(segments[0]).toMatchObject({ pkTotal: 1, pkNumber: 1 });
    });
  }

  it('si-with-app-id: X-Wap-Application-Id push.sia as AF 81, byte for byte', () => {
    const v = vector('si-with-app-id');
    const { segments } = send(v, 'x-wap-application:push.sia');
    expect(segments[0].udh.toString('hex')).toBe(v.udh_hex.toLowerCase());
    expect(segments[0].ud.toString('hex')).toBe(v.ud_hex.toLowerCase());
  });

  it('sl-https-www: longest-first href token (0C) where Kannel wrote 0B "www."; decodes identically', () => {
    const v = vector('sl-https-www');
    const { wsp, segments } = send(v);
    expect(segments[0].udh.toString('hex')).toBe(v.udh_hex.toLowerCase());
    const ours = decodeWspPush(wsp);
    const kannel = decodeWspPush(hex(v.ud_hex));
    expect(ours).toEqual({ ...kannel, body: ours.body });
    expect(decodeWbxml(ours.body)).toEqual(decodeWbxml(kannel.body));
    expect(decodeWbxml(ours.body).xml).toBe(
      '<sl href="https://www.example.org/app.jad" action="execute-high"/>',
    );
    expect(ours.body.toString('hex')).toBe('02066a00850c036578616d706c650088036170702e6a6164000601');
  });

  it('si-worked-example: the WBXML; the PDU is Kannel-style, i.e. with Content-Length (8D 9E) added', () => {
    const v = vector('si-worked-example');
    const { content, wsp, segments } = send(v);
    expect(content.body.toString('hex')).toBe(v.wbxml_hex?.toLowerCase());
    const ud = hex(v.ud_hex);
    const withLength = Buffer.concat([ud.subarray(0, 2), Buffer.of(0x05, 0xae, 0x8d, 0x9e), ud.subarray(4)]);
    expect(wsp.toString('hex')).toBe(withLength.toString('hex'));
    expect(segments[0].udh.toString('hex')).toBe(v.udh_hex.toLowerCase());
    expect(decodeWspPush(ud)).toEqual(decodeWspPush(wsp));
  });

  it('every vector decodes back to its document', () => {
    for (const v of VECTORS) {
      const push = decodeWspPush(hex(v.ud_hex));
      const doc = decodeWbxml(push.body);
      expect(doc.kind).toBe(v.content_type.endsWith('si') ? 'si' : 'sl');
      expect(compilePushContent(v.content_type, Buffer.from(v.document)).body).toEqual(
        compilePushContent(v.content_type, Buffer.from(doc.xml)).body,
      );
    }
  });
});
