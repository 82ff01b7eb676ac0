import { describe, expect, it } from 'vitest';
import {
  decodeWspPush,
  encodeWspPush,
  WapDecodeError,
  WapTooLargeError,
  WapTransformError,
  wapPushSegments,
} from '../../src/wap/index.js';

const hex = (b: Buffer) => b.toString('hex').toUpperCase();

describe('WSP push PDU encodings (facts §9)', () => {
  it('Content-Length of 128+ bytes is a Long-integer; HeadersLen past 127 is a multi-octet uintvar', () => {
    const body = Buffer.alloc(300, 1);
    expect(hex(encodeWspPush({ tid: 9, contentType: 'application/vnd.wap.sic', body }).subarray(0, 9))).toBe(
      '090607AE8D02012CC3',
    );
    const headers = { 'X-Wap-Initiator-URI': `http://${'a'.repeat(150)}` };
    const pdu = encodeWspPush({ tid: 0, contentType: 'application/vnd.wap.slc', headers, body });
    expect(hex(pdu.subarray(2, 4))).toBe('8126');
    expect(decodeWspPush(pdu).headers).toEqual(headers);
  });

  it('content type forms: well-known short, text, and the general form with a charset parameter', () => {
    const body = Buffer.of(0);
    const ct = (contentType: string) => hex(encodeWspPush({ tid: 0, contentType, body }).subarray(3, -5));
    expect(ct('Application/Vnd.Wap.Mms-Message')).toBe('BE');
    expect(ct('text/x-vcard')).toBe(hex(Buffer.from('text/x-vcard\0')));
    expect(ct('application/vnd.wap.sic; charset="UTF-8"')).toBe('03AE81EA');
  });

  it('X-Wap-Application-Id: wml.ua is left out, known names become codes (AF 84 for mms.ua)', () => {
    const body = Buffer.alloc(0);
    const appId = (applicationId: string | number) =>
      hex(
        encodeWspPush({ tid: 0, contentType: 'application/vnd.wap.sic', applicationId, body }).subarray(
          3,
          -4,
        ),
      );
    expect(appId('x-wap-application:wml.ua')).toBe('AE');
    expect(appId('x-wap-application:mms.ua')).toBe('AEAF84');
    expect(appId(4)).toBe('AEAF84');
  });

  it.each([
    ['not a push', '0040'],
    ['headers beyond the PDU', '000609AE'],
    ['truncated uintvar', '000680'],
    ['Content-Length mismatch', '000603AE8D85'],
    ['unknown well-known content type', '000601FF'],
  ])('decodeWspPush throws WapDecodeError: %s', (_, pdu) => {
    expect(() => decodeWspPush(Buffer.from(pdu, 'hex'))).toThrow(WapDecodeError);
  });

  it('refuses a TID outside a byte, and a push longer than 255 SMS', () => {
    expect(() => encodeWspPush({ tid: 256, contentType: 'text/plain', body: Buffer.alloc(0) })).toThrow(
      WapTransformError,
    );
    expect(wapPushSegments(Buffer.alloc(128 * 255), 0)).toHaveLength(255);
    expect(() => wapPushSegments(Buffer.alloc(128 * 255 + 1), 0)).toThrow(
      new WapTooLargeError(
        'push too large for SMS: WSP Push PDU of 32641 bytes, message needs more than 255 segments',
      ),
    );
  });

  it.each([
    ['a header name that is not a token', { 'X Bad': 'v' }, 'the header name "X Bad": not a token'],
    ['a header value holding a NUL', { 'X-App': 'a\u0000b' }, '"a\\u0000b": it holds a NUL'],
    ['an initiator URI holding a NUL', { 'X-Wap-Initiator-URI': 'http://a\u0000' }, 'it holds a NUL'],
  ])('refuses %s: a Text-string or Token-text cannot carry it', (_, headers, message) => {
    const push = { tid: 0, contentType: 'text/plain', headers, body: Buffer.alloc(0) };
    expect(() => encodeWspPush(push)).toThrow(WapTransformError);
    expect(() => encodeWspPush(push)).toThrow(message);
  });
});
