import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../src/gateway/errors.js';
import {
  buildMultipart,
  buildPap,
  type MultipartPart,
  type PushMessage,
  type PushResponse,
  parsePap,
  parsePapAddress,
} from '../../src/wap/index.js';
import { API_KEY, type Harness, harnessPerTest } from './harness.js';

/*
 * Content the PPG cannot turn into SMS, end to end: a push that would need more than 255 SMS, or a content
 * header WSP cannot encode, is a PAP 3006 (HTTP 400) that stores nothing; never an HTTP 500.
 */

const start = harnessPerTest();

const TO = '13900000401';
const si = (text: string) =>
  `<?xml version="1.0"?><si><indication href="http://www.example.com/news">${text}</indication></si>`;
const siPart = (text: string, headers: Record<string, string> = {}): MultipartPart => ({
  headers: { ...headers, 'content-type': 'text/vnd.wap.si' },
  body: Buffer.from(si(text)),
});
/** 33,000 bytes of content: past 255 SMS × 128 bytes = 32,640, compiled or passed through. */
const HUGE = 'x'.repeat(33_000);

/** POSTs a push-message to TO with `content` as a PI would; the HTTP status and the push-response. */
async function push(
  h: Harness,
  pushId: string,
  content: MultipartPart,
  attributes: Partial<PushMessage> = {},
): Promise<{ status: number; response: PushResponse }> {
  const control: PushMessage = {
    type: 'push-message',
    pushId,
    addresses: [parsePapAddress(`WAPPUSH=+86${TO}/TYPE=PLMN`)],
    ...attributes,
  };
  const { body, contentType } = buildMultipart([
    { headers: { 'content-type': 'application/xml' }, body: Buffer.from(buildPap(control)) },
    content,
  ]);
  const res = await fetch(`${h.url}/pap`, {
    method: 'POST',
    headers: { 'content-type': contentType, authorization: `Bearer ${API_KEY}` },
    body: new Uint8Array(body),
  });
  const response = parsePap(await res.text());
  if (response.type !== 'push-response') throw new Error(`expected a push-response, got ${response.type}`);
  return { status: res.status, response };
}

/** Nothing of a refused push is stored, and the PPG still accepts the next one. */
async function expectNothingStoredAndStillServing(h: Harness): Promise<void> {
  expect(await h.count('messages')).toBe(0);
  expect((await h.gateway?.stats())?.store).toMatchObject({ pushes: 0, queuedSegments: 0 });
  const next = await push(h, 'after-refusal', siPart('still here'));
  expect(next.response.result.code).toBe(1001);
  expect(await h.count('messages')).toBe(1);
}

describe('PPG: content that cannot become SMS is PAP 3006, nothing stored', () => {
  it.each([
    ['an SI whose text compiles past 255 SMS', siPart(HUGE)],
    [
      'a passed-through entity past 255 SMS',
      { headers: { 'content-type': 'text/plain' }, body: Buffer.from(HUGE) },
    ],
  ])('%s → 400 with 3006 "too large for SMS", the stages passed noted', async (_name, content) => {
    const h = await start();
    const { status, response } = await push(h, 'too-large', content, { progressNotesRequested: true });
    expect(status).toBe(400);
    expect(response.result.code).toBe(3006);
    expect(response.result.desc).toMatch(
      /^push too large for SMS: WSP Push PDU of 330\d\d bytes, message needs more than 255 segments$/,
    );
    expect(response.progressNotes?.map((n) => n.stage)).toEqual(['parsed', 'validated']);
    await expectNothingStoredAndStillServing(h);
  });

  it.each([
    ['a header name that is not a token', { 'x bad name': 'v' }, /header name "x bad name": not a token/],
    [
      'a header value holding a NUL',
      { 'x-app': 'a\u0000b' },
      /WSP cannot encode "a\\u0000b": it holds a NUL/,
    ],
  ])('%s → 400 with 3006 naming what WSP cannot encode', async (_name, headers, desc) => {
    const h = await start();
    const { status, response } = await push(h, 'bad-header', siPart('hello', headers));
    expect(status).toBe(400);
    expect(response.result.code).toBe(3006);
    expect(response.result.desc).toMatch(desc);
    await expectNothingStoredAndStillServing(h);
  });

  it('a replacement too large for SMS cancels nothing of the push it would replace', async () => {
    const h = await start();
    const later = new Date(Date.now() + 3600_000);
    const held = await push(h, 'held', siPart('held'), { deliverAfterTimestamp: later });
    expect(held.response.result.code).toBe(1001);
    const replacement = await push(h, 'replacement', siPart(HUGE), { replacePushId: 'held' });
    expect(replacement.response.result.code).toBe(3006);
    const pushes = (await h.api('GET', '/api/v1/pushes')).body.items;
    expect(pushes.map((p: { pushId: string }) => p.pushId)).toEqual(['held']);
    expect(pushes[0].addresses[0].status).toBe('queued');
  });

  it('the JSON shortcut: a push too large for SMS is a 400 pap_3006 naming the field that grew it', async () => {
    const h = await start();
    const ppg = h.gateway?.ppg;
    // The route's schema caps text and href well below 255 SMS: Ppg.pushJson is the API under it.
    const si = ppg?.pushJson({ to: TO, type: 'si', href: 'http://a.example/', text: HUGE });
    await expect(si).rejects.toBeInstanceOf(GatewayError);
    await expect(si).rejects.toMatchObject({
      status: 400,
      code: 'pap_3006',
      field: 'text',
      message: expect.stringMatching(/^push too large for SMS: /),
    });
    const sl = ppg?.pushJson({ to: TO, type: 'sl', href: `http://a.example/${HUGE}` });
    await expect(sl).rejects.toMatchObject({ status: 400, code: 'pap_3006', field: 'href' });
    expect(await h.count('messages')).toBe(0);
    expect((await h.api('POST', '/api/v1/wap-push', { to: TO, type: 'si', href: 'http://a/' })).status).toBe(
      202,
    );
  });
});
