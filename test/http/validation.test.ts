import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { API_KEY, chinese, Harness } from '../gateway/harness.js';

/*
 * Every bad request is answered with its documented 4xx and { error: { code, message, field } }, and
 * stores nothing. One gateway for the file: after each case the DB must still hold no message.
 */

let h: Harness;
beforeAll(async () => {
  h = await Harness.start({ http: { bodyLimit: 256 * 1024 } });
});
afterAll(async () => {
  await h?.close();
});
afterEach(() => {
  expect(h.count('messages')).toBe(0);
  expect(h.count('segments')).toBe(0);
});

const inMs = (ms: number) => new Date(Date.now() + ms).toISOString();

async function nothingListed(): Promise<void> {
  const list = await h.api('GET', '/api/v1/messages');
  expect(list.status).toBe(200);
  expect(list.body.items).toEqual([]);
}

describe('POST /api/v1/messages refuses bad input', () => {
  const cases: [string, unknown, string][] = [
    ['missing to', { text: 'hi' }, 'to'],
    ['a number too short', { to: '12345', text: 'hi' }, 'to'],
    ['a number with letters', { to: 'abc', text: 'hi' }, 'to'],
    ['one bad number among good ones', { to: ['13800000001', '2800000000'], text: 'hi' }, 'to'],
    ['an empty recipient list', { to: [], text: 'hi' }, 'to'],
    ['empty text', { to: '13800000001', text: '' }, 'text'],
    ['neither text nor binary', { to: '13800000001' }, 'text'],
    ['both text and binary', { to: '13800000001', text: 'hi', binary: 'abcd' }, 'text'],
    ['binary that is not hex', { to: '13800000001', binary: 'xyz' }, 'binary'],
    ['ASCII text too long for 255 segments', { to: '13800000001', text: 'a'.repeat(40_000) }, 'text'],
    ['Chinese text too long for 255 segments', { to: '13800000001', text: chinese(18_000) }, 'text'],
    ['Chinese text sent as ascii', { to: '13800000001', text: '你好', encoding: 'ascii' }, 'text'],
    ['an unknown encoding', { to: '13800000001', text: 'hi', encoding: 'latin9' }, 'encoding'],
    ['an unknown account', { to: '13800000001', text: 'hi', account: 'nope' }, 'account'],
    ['validUntil in the past', { to: '13800000001', text: 'hi', validUntil: inMs(-60_000) }, 'validUntil'],
    ['validUntil not a time', { to: '13800000001', text: 'hi', validUntil: 'tomorrow' }, 'validUntil'],
    [
      'sendAt after validUntil',
      { to: '13800000001', text: 'hi', sendAt: inMs(9e5), validUntil: inMs(6e5) },
      'sendAt',
    ],
    ['an extension with letters', { to: '13800000001', text: 'hi', from: '12a' }, 'from'],
    ['an unknown property', { to: '13800000001', text: 'hi', colour: 'red' }, 'colour'],
    ['priority out of range', { to: '13800000001', text: 'hi', priority: 12 }, 'priority'],
  ];

  it.each(cases)('%s → 400 naming the field', async (_name, body, field) => {
    const res = await h.api('POST', '/api/v1/messages', body);
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_field', field, message: expect.any(String) });
    await nothingListed();
  });

  it('a body that is not JSON → 400 bad_json', async () => {
    const res = await h.api('POST', '/api/v1/messages', undefined, { raw: '{"to": "13800000001", "text": ' });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'bad_json', field: 'body' });
    const empty = await h.api('POST', '/api/v1/messages', undefined, { raw: '' });
    expect(empty.status).toBe(400);
    expect(empty.body.error).toMatchObject({ code: 'bad_json', field: 'body' });
    await nothingListed();
  });

  it('a wrong key → 401 and a missing key → 401 (Bearer and X-API-Key are both accepted)', async () => {
    const body = { to: '13800000001', text: 'hi' };
    const wrong = await h.api('POST', '/api/v1/messages', body, { key: 'not-the-key' });
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'unauthorized', field: 'authorization' });
    const missing = await h.api('POST', '/api/v1/messages', body, { key: null });
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('unauthorized');
    const xApiKey = await h.api('GET', '/api/v1/messages', undefined, {
      key: null,
      headers: { 'x-api-key': API_KEY },
    });
    expect(xApiKey.status).toBe(200);
    expect((await h.api('GET', '/api/v1/messages', undefined, { key: null })).status).toBe(401);
    expect((await h.api('GET', '/api/v1/mo', undefined, { key: 'wrong' })).status).toBe(401);
    await nothingListed();
  });

  it('a body over http.bodyLimit → 413', async () => {
    const res = await h.api('POST', '/api/v1/messages', { to: '13800000001', text: 'a'.repeat(300 * 1024) });
    expect(res.status).toBe(413);
    expect(res.body.error).toMatchObject({ code: 'body_too_large' });
    await nothingListed();
  });
});

describe('POST /api/v1/messages/batch', () => {
  it('one invalid message → 400 naming messages[i].field, and none of the batch is stored', async () => {
    const good = { to: '13800000001', text: 'ok' };
    const res = await h.api('POST', '/api/v1/messages/batch', {
      messages: [good, good, { to: '12345', text: 'bad number' }, good],
    });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'invalid_field', field: 'messages[2].to' });

    const schema = await h.api('POST', '/api/v1/messages/batch', {
      messages: [good, { text: 'no recipient' }],
    });
    expect(schema.status).toBe(400);
    expect(schema.body.error).toMatchObject({ code: 'invalid_field', field: 'messages[1].to' });

    const empty = await h.api('POST', '/api/v1/messages/batch', { messages: [good, { ...good, text: '' }] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe('messages[1].text');

    const none = await h.api('POST', '/api/v1/messages/batch', { messages: [] });
    expect(none.status).toBe(400);
    expect(none.body.error.field).toBe('messages');
    await nothingListed();
  });
});

describe('GET routes refuse bad queries', () => {
  it('an unknown status or a bad since → 400', async () => {
    const status = await h.api('GET', '/api/v1/messages?status=lost');
    expect(status.status).toBe(400);
    expect(status.body.error.field).toBe('status');
    const since = await h.api('GET', '/api/v1/messages?since=yesterday');
    expect(since.status).toBe(400);
    expect(since.body.error.field).toBe('since');
  });
});
