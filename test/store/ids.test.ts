import { describe, expect, it } from 'vitest';
import { newId } from '../../src/store/ids.js';

describe('newId', () => {
  it('26 lowercase Crockford-style base32 characters', () => {
    for (let i = 0; i < 100; i++) expect(newId()).toMatch(/^[0-9abcdefghjkmnpqrstvwxyz]{26}$/);
  });

  it('the first 10 characters encode the time: ids sort by creation time', () => {
    const t = 1_760_012_800_000;
    expect(newId(t).slice(0, 10)).toBe(newId(t).slice(0, 10));
    const ids = [t - 86_400_000, t - 1, t, t + 1, t + 1_000, t + 31_536_000_000].map((ms) => newId(ms));
    expect([...ids].sort()).toEqual(ids);
    expect(newId(0).slice(0, 10)).toBe('0000000000');
  });

  it('unique within one millisecond', () => {
    const ids = new Set(Array.from({ length: 10_000 }, () => newId(1_760_012_800_000)));
    expect(ids.size).toBe(10_000);
  });
});

describe('newId time digits', () => {
  it('are the milliseconds in base32, most significant first', () => {
    expect(newId(1).slice(0, 10)).toBe('0000000001');
    expect(newId(32).slice(0, 10)).toBe('0000000010');
    expect(newId(2 ** 50 - 1).slice(0, 10)).toBe('zzzzzzzzzz');
    // JavaScript's own base32 digits (0-9a-v), mapped onto the alphabet without i, l, o and u.
    const js = '0123456789abcdefghijklmnopqrstuv';
    const ours = '0123456789abcdefghjkmnpqrstvwxyz';
    const t = 1_760_012_800_000;
    const expected = [...t.toString(32).padStart(10, '0')].map((c) => ours[js.indexOf(c)]).join('');
    expect(newId(t).slice(0, 10)).toBe(expected);
  });

  it('the random part uses every digit', () => {
    const seen = new Set(Array.from({ length: 2_000 }, () => newId(0).slice(10)).join(''));
    expect(seen.size).toBe(32);
  });
});
