import { describe, expect, it } from 'vitest';
import { decodeWspPush, PapClient, type ProgressNote, type PushRequest } from '../../src/wap/index.js';
import { API_KEY, type Harness, harnessPerTest, type Json, waitFor } from './harness.js';

/*
 * PAP progress notes end to end: a Push Initiator (the PapClient) asks for them with
 * progress-notes-requested="true" and reads the push-response's progress-note elements (stage, note, time).
 */

const start = harnessPerTest();

const si = (text: string) =>
  `<?xml version="1.0"?><si><indication href="http://www.example.com/news" action="signal-high">${text}</indication></si>`;

/** A PI on the harness's PPG that also keeps the raw XML of each answer. */
function initiator(h: Harness) {
  const answers: string[] = [];
  const client = new PapClient({
    ppg: `${h.url}/pap`,
    apiKey: API_KEY,
    fetch: async (url, init) => {
      const res = await fetch(url, init);
      answers.push(await res.clone().text());
      return res;
    },
  });
  const push = (to: string | string[], request: Partial<PushRequest> = {}) =>
    client.push({ to, content: { contentType: 'text/vnd.wap.si', body: si('hello') }, ...request });
  return { client, answers, push };
}

/** Times are PAP timestamps, whole seconds (facts §8): the second a stage finished. */
const second = (t: number) => Math.floor(t / 1000) * 1000;

function expectTimesInOrder(notes: ProgressNote[], from: number, to: Date | undefined) {
  const times = notes.map((n) => n.time?.getTime());
  for (const t of times) expect(t).toEqual(expect.any(Number));
  expect([...(times as number[])].sort((a, b) => a - b)).toEqual(times);
  expect((times as number[])[0]).toBeGreaterThanOrEqual(second(from));
  expect((times as number[]).at(-1)).toBeLessThanOrEqual(to?.getTime() ?? 0);
}

describe('PAP progress notes', () => {
  it('requested: parsed → validated → compiled → stored, each with its time, before the result; sizes are what was sent', async () => {
    const h = await start();
    const pi = initiator(h);
    const from = Date.now();
    const response = await pi.push('13900000301', { pushId: 'progress-1', progressNotesRequested: true });
    expect(response.result.code).toBe(1001);
    const notes = response.progressNotes ?? [];
    expect(notes.map((n) => n.stage)).toEqual(['parsed', 'validated', 'compiled', 'stored']);
    expectTimesInOrder(notes, from, response.replyTime);
    const [parsed, validated, compiled, stored] = notes.map((n) => n.note);
    expect(parsed).toMatch(
      /^push-message to 1 address with a content entity of \d+ bytes \(text\/vnd\.wap\.si\)$/,
    );
    expect(validated).toContain('1 address reachable over SMS');
    expect(stored).toBe('1 message stored durably on account main, queued for sending');

    // The compiled note's sizes are those of the SMS the ISMG got.
    const [sms] = await waitFor(async () => {
      const list = await h.submits('13900000301');
      return list.length === 1 ? list : undefined;
    });
    const content = Buffer.from(sms.pdu.fields.Msg_Content as string, 'hex');
    const wsp = content.subarray(content[0] + 1);
    expect(compiled).toBe(
      `text/vnd.wap.si compiled to application/vnd.wap.sic (${decodeWspPush(wsp).body.length} bytes); ` +
        `WSP Push PDU of ${wsp.length} bytes in 1 SMS per address`,
    );

    // On the wire: one progress-note element per stage, all before the response-result.
    const xml = pi.answers[0];
    expect(xml.match(/<progress-note /g)).toHaveLength(4);
    expect(xml.lastIndexOf('<progress-note ')).toBeLessThan(xml.indexOf('<response-result'));
    expect(xml).toMatch(
      /<progress-note stage="parsed" note="[^"]+" time="\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ"\/>/,
    );
  });

  it('a long push replacing a held one: the replaced stage names what it cancelled, compiled says 3 SMS', async () => {
    const h = await start();
    const pi = initiator(h);
    const later = new Date(Date.now() + 3600_000);
    const held = await pi.push(['13900000311', '13900000312'], {
      pushId: 'progress-held',
      deliverAfterTimestamp: later,
      progressNotesRequested: true,
    });
    const heldUntil = new Date(second(later.getTime())).toISOString();
    expect(held.progressNotes?.at(-1)?.note).toBe(
      `2 messages stored durably on account main, held until ${heldUntil}`,
    );
    const from = Date.now();
    const response = await pi.push(['13900000311', '13900000312'], {
      pushId: 'progress-new',
      replacePushId: 'progress-held',
      progressNotesRequested: true,
      content: { contentType: 'text/vnd.wap.si', body: si('Breaking news: '.padEnd(300, 'x')) },
    });
    expect(response.result.code).toBe(1001);
    const notes = response.progressNotes ?? [];
    expect(notes.map((n) => n.stage)).toEqual(['parsed', 'validated', 'compiled', 'replaced', 'stored']);
    expectTimesInOrder(notes, from, response.replyTime);
    expect(notes[2].note).toMatch(/ in 3 SMS per address$/);
    expect(notes[3].note).toBe(
      'push progress-held: 2 addresses cancelled before sending, 0 already sent or final',
    );
    await waitFor(async () => (await h.submits('13900000312')).length === 3, 5000, 'the 3 SMS');
  });

  it('not requested (absent, or "false"): no progress-note at all', async () => {
    const h = await start();
    const pi = initiator(h);
    const absent = await pi.push('13900000321', { pushId: 'quiet-1' });
    const no = await pi.push('13900000322', { pushId: 'quiet-2', progressNotesRequested: false });
    for (const response of [absent, no]) {
      expect(response.result.code).toBe(1001);
      expect(response.progressNotes).toBeUndefined();
    }
    expect(pi.answers).toHaveLength(2);
    for (const xml of pi.answers) expect(xml).not.toContain('progress-note');
  });

  it('a refused push lists the stages it passed before the refusal', async () => {
    const h = await start();
    const pi = initiator(h);
    const badContent = await pi.push('13900000331', {
      pushId: 'refused-1',
      progressNotesRequested: true,
      content: { contentType: 'text/vnd.wap.si', body: '<si><indication' },
    });
    expect(badContent.result.code).toBe(3006);
    expect(badContent.progressNotes?.map((n) => n.stage)).toEqual(['parsed', 'validated']);

    await pi.push('13900000332', { pushId: 'taken' });
    const duplicate = await pi.push('13900000333', { pushId: 'taken', progressNotesRequested: true });
    expect(duplicate.result.code).toBe(2007);
    expect(duplicate.progressNotes?.map((n) => n.stage)).toEqual(['parsed', 'validated', 'compiled']);
    expect((await h.api('GET', '/api/v1/pushes/taken')).body.addresses.map((a: Json) => a.address)).toEqual([
      'WAPPUSH=13900000332/TYPE=PLMN',
    ]);
  });
});
