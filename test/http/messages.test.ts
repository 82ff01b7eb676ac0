import { describe, expect, it } from 'vitest';
import { chinese, harnessPerTest, SERVICE_CODE, sleep, waitFor } from '../gateway/harness.js';

/* Sending through POST /api/v1/messages, end to end: HTTP → SQLite → CMPP → simulator → report. */

const harness = harnessPerTest();

describe('POST /api/v1/messages', () => {
  it('stores a single message before answering 202, then it is delivered with its Msg_Id and DELIVRD', async () => {
    const h = await harness();
    const res = await h.api('POST', '/api/v1/messages', { to: '13800138000', text: 'hello cmppgw' });
    // Read right after the answer, on another connection: the message was committed before the 202.
    const stored = await h.storedMessage(res.body.id);
    expect(res.status).toBe(202);
    expect(res.body).toEqual({ id: expect.any(String), status: 'queued', segments: 1, to: '13800138000' });
    expect(stored).toMatchObject({ to: '13800138000' });
    expect(stored?.segments).toHaveLength(1);

    const m = await h.waitStatus(res.body.id, 'delivered');
    const [submit] = await h.submits('13800138000');
    expect(m.segments).toHaveLength(1);
    expect(m.segments[0]).toMatchObject({ index: 0, status: 'delivered', stat: 'DELIVRD', result: 0 });
    expect(m.segments[0].msgId).toBe(submit.msgIds[0]);
    expect(m.segments[0].submittedAt).toEqual(expect.any(String));
    expect(m.segments[0].reportedAt).toEqual(expect.any(String));
    expect(submit.pdu.fields.Src_Id).toBe(SERVICE_CODE);
    expect(submit.pdu.fields.Registered_Delivery).toBe(1);
    expect(submit.text).toBe('hello cmppgw');
  });

  it('sends to three recipients, one message each, and a number repeated in `to` once', async () => {
    const h = await harness();
    const to = ['13800000001', '13800000002', '13800000003'];
    const res = await h.api('POST', '/api/v1/messages', { to: [...to, to[1]], text: '多个号码' });
    expect(res.status).toBe(202);
    expect(res.body).toHaveLength(3);
    expect(res.body.map((a: { to: string }) => a.to)).toEqual(to);
    expect(new Set(res.body.map((a: { id: string }) => a.id)).size).toBe(3);
    for (const a of res.body) {
      expect(a).toMatchObject({ status: 'queued', segments: 1 });
      await h.waitStatus(a.id, 'delivered');
    }
    expect(h.count('messages')).toBe(3);
    await sleep(100);
    const submits = await h.submits();
    expect(submits).toHaveLength(3);
    expect(submits.flatMap((s) => s.pdu.fields.Dest_terminal_Id).sort()).toEqual(to);
  });

  it('splits long Chinese text into 3 segments, keeps every report, and is delivered only after the last', async () => {
    // Scripted delays: the three reports come 0, ~500 and ~1000 ms after their SUBMITs.
    const delays = [0, 0.5, 0.999];
    let draw = 0;
    const h = await harness({
      simulator: { reports: { delayMs: [0, 1000], overrides: { '13800000010': 'DELIVRD' } } },
      random: () => delays[draw++ % delays.length],
    });
    const text = chinese(150);
    const res = await h.api('POST', '/api/v1/messages', { to: '13800000010', text });
    expect(res.status).toBe(202);
    expect(res.body).toMatchObject({ segments: 3, status: 'queued' });

    // Some reports are in, not all: the message must not be delivered yet.
    const partial = await waitFor(
      async () => {
        const m = await h.message(res.body.id);
        return m.segments.some((s) => s.stat === 'DELIVRD') ? m : undefined;
      },
      3000,
      'a first report',
    );
    expect(partial.segments.filter((s) => s.stat === null).length).toBeGreaterThan(0);
    expect(['submitting', 'submitted']).toContain(partial.status);

    const m = await h.waitStatus(res.body.id, 'delivered', 5000);
    const submits = (await h.submits('13800000010')).reverse();
    expect(submits).toHaveLength(3);
    expect(submits.map((s) => s.pdu.fields.Pk_total)).toEqual([3, 3, 3]);
    expect(submits.map((s) => s.pdu.fields.Pk_number).sort()).toEqual([1, 2, 3]);
    expect(submits.every((s) => s.pdu.fields.TP_udhi === 1 && s.pdu.fields.Msg_Fmt === 8)).toBe(true);
    // The simulator decodes each part; the parts in order are the text.
    const byNumber = [...submits].sort(
      (a, b) => Number(a.pdu.fields.Pk_number) - Number(b.pdu.fields.Pk_number),
    );
    expect(byNumber.map((s) => s.text).join('')).toBe(text);
    expect(m.segments.map((s) => [s.status, s.stat])).toEqual([
      ['delivered', 'DELIVRD'],
      ['delivered', 'DELIVRD'],
      ['delivered', 'DELIVRD'],
    ]);
    expect(new Set(m.segments.map((s) => s.msgId))).toEqual(new Set(submits.map((s) => s.msgIds[0])));
    // It became delivered when the last report came in.
    const lastReport = Math.max(...m.segments.map((s) => Date.parse(String(s.reportedAt))));
    expect(Date.parse(String(m.updatedAt))).toBe(lastReport);
    expect(lastReport - Math.min(...m.segments.map((s) => Date.parse(String(s.reportedAt))))).toBeGreaterThan(
      500,
    );
  });

  it('a long message to a number the ISMG reports UNDELIV for becomes undeliverable; the other recipient delivered', async () => {
    const h = await harness({ simulator: { reports: { overrides: { '13800000020': 'UNDELIV' } } } });
    const res = await h.api('POST', '/api/v1/messages', {
      to: ['13800000020', '13800000021'],
      text: chinese(150),
    });
    expect(res.status).toBe(202);
    const [bad, good] = res.body;
    const m = await h.waitStatus(bad.id, ['undeliverable', 'delivered']);
    expect(m.status).toBe('undeliverable');
    expect(m.segments.map((s) => s.stat)).toEqual(['UNDELIV', 'UNDELIV', 'UNDELIV']);
    expect((await h.waitStatus(good.id, ['delivered', 'undeliverable'])).status).toBe('delivered');
  });

  it('sends GB18030 text as Msg_Fmt 15, hex binary as Msg_Fmt 4 and ASCII as Msg_Fmt 0', async () => {
    const h = await harness();
    const cases = [
      { to: '13800000031', body: { text: '国标编码', encoding: 'gb18030' }, fmt: 15, encoding: 'gb18030' },
      { to: '13800000032', body: { binary: '0b0504158100000003deadbeef' }, fmt: 4, encoding: 'binary' },
      { to: '13800000033', body: { text: 'plain ascii', encoding: 'ascii' }, fmt: 0, encoding: 'ascii' },
      { to: '13800000034', body: { text: 'auto ascii' }, fmt: 0, encoding: 'ascii' },
    ];
    const ids: string[] = [];
    for (const c of cases) {
      const res = await h.api('POST', '/api/v1/messages', { to: c.to, ...c.body });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      ids.push(res.body.id);
    }
    for (const [i, c] of cases.entries()) {
      const m = await h.waitStatus(ids[i], 'delivered');
      expect(m.encoding).toBe(c.encoding);
      const [submit] = await h.submits(c.to);
      expect(submit.pdu.fields.Msg_Fmt).toBe(c.fmt);
      if ('binary' in c.body) {
        expect(submit.pdu.fields.Msg_Content).toBe(c.body.binary);
        expect(m.binary).toBe(c.body.binary);
      } else {
        expect(submit.text).toBe(c.body.text);
        expect(m.text).toBe(c.body.text);
      }
    }
  });

  it('an idempotent retry with the same clientRef returns the same id and is submitted once', async () => {
    const h = await harness();
    const body = { to: '13800000040', text: 'pay 10 yuan', clientRef: 'order-42' };
    const first = await h.api('POST', '/api/v1/messages', body);
    const second = await h.api('POST', '/api/v1/messages', body);
    expect(first.status).toBe(202);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    await h.waitStatus(first.body.id, 'delivered');
    const third = await h.api('POST', '/api/v1/messages', body);
    expect(third.body).toMatchObject({ id: first.body.id, status: 'delivered' });
    await sleep(150);
    expect(await h.submits('13800000040')).toHaveLength(1);
    expect(h.count('messages')).toBe(1);
    const list = await h.api('GET', '/api/v1/messages?clientRef=order-42');
    expect(list.body.items.map((m: { id: string }) => m.id)).toEqual([first.body.id]);
  });

  it('lists messages by status and recipient with cursor pagination', async () => {
    const h = await harness();
    const res = await h.api('POST', '/api/v1/messages', {
      to: ['13800000051', '13800000052', '13800000053'],
      text: 'page me',
    });
    for (const a of res.body) await h.waitStatus(a.id, 'delivered');
    const page1 = await h.api('GET', '/api/v1/messages?status=delivered&limit=2');
    expect(page1.status).toBe(200);
    expect(page1.body.items).toHaveLength(2);
    expect(page1.body.next).toEqual(expect.any(String));
    const page2 = await h.api('GET', `/api/v1/messages?status=delivered&limit=2&cursor=${page1.body.next}`);
    expect(page2.body.items).toHaveLength(1);
    expect(page2.body.next).toBeNull();
    const all = [...page1.body.items, ...page2.body.items].map((m: { id: string }) => m.id).sort();
    expect(all).toEqual(res.body.map((a: { id: string }) => a.id).sort());
    const one = await h.api('GET', '/api/v1/messages?to=13800000052');
    expect(one.body.items.map((m: { to: string }) => m.to)).toEqual(['13800000052']);
    const stats = await h.api('GET', '/api/v1/stats');
    expect(stats.status).toBe(200);
    expect(stats.body.store.messagesByStatus).toEqual({ delivered: 3 });
    expect(stats.body.links[0]).toMatchObject({ account: 'main', state: 'up' });
  });
});
