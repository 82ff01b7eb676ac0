import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  authenticatorIsmg,
  authenticatorSource,
  CmppProtocolError,
  connectTimestamp,
  formatSmppAbsolute,
  formatSmppRelative,
  parseSmppTime,
} from '../../src/cmpp/index.js';

const md5 = (...parts: (string | Buffer)[]) => {
  const h = createHash('md5');
  for (const p of parts) h.update(typeof p === 'string' ? Buffer.from(p, 'latin1') : p);
  return h.digest('hex');
};
const NUL9 = Buffer.alloc(9);
const errorCode = (code: string) => expect.objectContaining({ name: 'CmppProtocolError', code });

describe('connectTimestamp', () => {
  it('is MMDDHHMMSS of the local time', () => {
    expect(connectTimestamp(new Date(2026, 9, 21, 8, 5, 10))).toBe(1021080510);
    expect(connectTimestamp(new Date(2026, 11, 31, 23, 59, 59))).toBe(1231235959);
  });

  it('has fewer than 10 digits before October', () => {
    expect(connectTimestamp(new Date(2026, 2, 21, 14, 30, 5))).toBe(321143005);
    expect(connectTimestamp(new Date(2026, 0, 1, 0, 0, 0))).toBe(101000000);
  });

  it('ignores milliseconds', () => {
    expect(connectTimestamp(new Date(2026, 9, 21, 8, 5, 10, 999))).toBe(1021080510);
  });
});

describe('authenticatorSource', () => {
  it('is MD5(Source_Addr ‖ 9 × 00 ‖ secret ‖ timestamp)', () => {
    expect(authenticatorSource('900001', '888888', 1021080510).toString('hex')).toBe(
      md5('900001', NUL9, '888888', '1021080510'),
    );
    // The shared vector connect-v2-ts1021080510.
    expect(authenticatorSource('900001', '888888', 1021080510).toString('hex')).toBe(
      '90d00c1d517abd0b4f65f6bcf8535d16',
    );
  });

  it('hashes a timestamp of fewer than 10 digits zero-padded', () => {
    const hash = authenticatorSource('900001', '888888', 321143005).toString('hex');
    expect(hash).toBe(md5('900001', NUL9, '888888', '0321143005'));
    expect(hash).not.toBe(md5('900001', NUL9, '888888', '321143005'));
    expect(authenticatorSource('900001', 'secret', 0).toString('hex')).toBe(
      md5('900001', NUL9, 'secret', '0000000000'),
    );
  });

  it('pads an SP id shorter than 6 with 0x00', () => {
    const hash = authenticatorSource('9001', '888888', 1021080510).toString('hex');
    expect(hash).toBe(md5(Buffer.from('393030310000', 'hex'), NUL9, '888888', '1021080510'));
    expect(hash).not.toBe(md5('9001', NUL9, '888888', '1021080510'));
  });

  it('keeps the last 6 characters of a longer SP id', () => {
    expect(authenticatorSource('12900001', '888888', 1021080510).toString('hex')).toBe(
      md5('900001', NUL9, '888888', '1021080510'),
    );
  });

  it('is 16 bytes and depends on the secret', () => {
    const a = authenticatorSource('900001', 'a', 1);
    expect(a.length).toBe(16);
    expect(a.equals(authenticatorSource('900001', 'b', 1))).toBe(false);
  });
});

describe('authenticatorIsmg', () => {
  const authSource = Buffer.from('90d00c1d517abd0b4f65f6bcf8535d16', 'hex');

  it('hashes a 1-byte Status in 2.0', () => {
    expect(authenticatorIsmg(0, authSource, '888888', '2.0').toString('hex')).toBe(
      md5(Buffer.of(0), authSource, '888888'),
    );
    expect(authenticatorIsmg(3, authSource, '888888', '2.0').toString('hex')).toBe(
      md5(Buffer.of(3), authSource, '888888'),
    );
  });

  it('hashes a 4-byte Status in 3.0', () => {
    expect(authenticatorIsmg(0, authSource, '888888', '3.0').toString('hex')).toBe(
      md5(Buffer.of(0, 0, 0, 0), authSource, '888888'),
    );
    expect(authenticatorIsmg(0x01020304, authSource, '888888', '3.0').toString('hex')).toBe(
      md5(Buffer.of(1, 2, 3, 4), authSource, '888888'),
    );
  });

  it('differs between the versions for the same login', () => {
    const v2 = authenticatorIsmg(0, authSource, '888888', '2.0');
    const v3 = authenticatorIsmg(0, authSource, '888888', '3.0');
    expect(v2.equals(v3)).toBe(false);
  });
});

describe('formatSmppAbsolute', () => {
  const date = new Date('2026-11-22T04:00:00Z');

  it('writes UTC+8 as +32 quarter hours by default', () => {
    expect(formatSmppAbsolute(date)).toBe('261122120000032+');
    expect(formatSmppAbsolute(date, 32)).toBe('261122120000032+');
  });

  it('writes UTC itself', () => {
    expect(formatSmppAbsolute(date, 0)).toBe('261122040000000+');
  });

  it('writes a negative offset with "-"', () => {
    // UTC-5 = -20 quarter hours: 23:00 the day before.
    expect(formatSmppAbsolute(date, -20)).toBe('261121230000020-');
    // UTC-3:30 = -14 quarter hours.
    expect(formatSmppAbsolute(date, -14)).toBe('261122003000014-');
  });

  it('writes tenths of a second', () => {
    expect(formatSmppAbsolute(new Date('2026-11-22T04:00:05.789Z'), 32)).toBe('261122120005732+');
  });

  it('crosses a year boundary in the target offset', () => {
    expect(formatSmppAbsolute(new Date('2026-12-31T20:30:00Z'), 32)).toBe('270101043000032+');
  });

  it('is always 16 characters', () => {
    expect(formatSmppAbsolute(new Date('2000-01-01T00:00:00Z'), 48)).toHaveLength(16);
  });
});

describe('formatSmppRelative', () => {
  it.each([
    [0, '000000000000000R'],
    [59, '000000000059000R'],
    [3723, '000000010203000R'],
    [86_400, '000001000000000R'],
    [2 * 86_400 + 3 * 3600 + 4 * 60 + 5, '000002030405000R'],
    [100 * 86_400 - 1, '000099235959000R'],
  ])('%i s → %s', (seconds, text) => {
    expect(formatSmppRelative(seconds)).toBe(text);
  });

  it.each([-1, 1.5, 100 * 86_400, Number.NaN])('rejects %s', (seconds) => {
    expect(() => formatSmppRelative(seconds)).toThrow(errorCode('BAD_FIELD'));
  });
});

describe('parseSmppTime', () => {
  const now = new Date('2026-11-22T04:00:00Z');

  it('gives null for an empty field', () => {
    expect(parseSmppTime('', now)).toBeNull();
  });

  it('parses an absolute time with a positive offset', () => {
    expect(parseSmppTime('261122120000032+', now)?.toISOString()).toBe('2026-11-22T04:00:00.000Z');
  });

  it('parses an absolute time with a negative offset', () => {
    expect(parseSmppTime('261121230000020-', now)?.toISOString()).toBe('2026-11-22T04:00:00.000Z');
  });

  it('parses tenths of a second', () => {
    expect(parseSmppTime('261122120005732+', now)?.toISOString()).toBe('2026-11-22T04:00:05.700Z');
  });

  it('parses the relative form against now: 000001000000000R = now + 1 day', () => {
    expect(parseSmppTime('000001000000000R', now)?.getTime()).toBe(now.getTime() + 86_400_000);
  });

  it('parses relative hours, minutes and seconds', () => {
    expect(parseSmppTime('000000010203000R', now)?.getTime()).toBe(now.getTime() + 3_723_000);
  });

  it('round-trips formatSmppAbsolute for several offsets', () => {
    const d = new Date('2027-03-04T05:06:07.800Z');
    for (const q of [-48, -20, 0, 1, 32, 48]) {
      expect(parseSmppTime(formatSmppAbsolute(d, q), now)?.toISOString()).toBe(d.toISOString());
    }
  });

  it('round-trips formatSmppRelative', () => {
    expect(parseSmppTime(formatSmppRelative(200_000), now)?.getTime()).toBe(now.getTime() + 200_000_000);
  });

  it.each([
    'abc',
    '261122120000032', // no p
    '261122120000032*', // bad p
    '261122120000032+0', // 17 characters
    '2611221200 0032+', // space inside
    ' 261122120000032+',
  ])('rejects %j with a CmppProtocolError', (text) => {
    expect(() => parseSmppTime(text, now)).toThrow(CmppProtocolError);
    expect(() => parseSmppTime(text, now)).toThrow(errorCode('BAD_FIELD'));
  });

  it.each([
    '261322120000032+', // month 13
    '260022120000032+', // month 00
    '261132120000032+', // day 32
    '261122240000032+', // hour 24
    '261122126000032+', // minute 60
    '261122120060032+', // second 60
    '261122120000049+', // nn above 48 (SMPP 3.4 §7.1.1: 00-48)
  ])('rejects the out-of-range absolute time %j', (text) => {
    expect(() => parseSmppTime(text, now)).toThrow(errorCode('BAD_FIELD'));
  });
});
