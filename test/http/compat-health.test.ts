import { describe, expect, it } from 'vitest';
import { API_KEY, harnessPerTest, SERVICE_CODE, waitFor } from '../gateway/harness.js';

/* The cmpp-gateway compatible /submit and /send, health and readiness, and the OpenAPI document. */

const harness = harnessPerTest();

describe('compat /submit and /send', () => {
  it('GET /submit?src=&dest=&cont= answers result 0 with the id; the SUBMIT has Src_Id = service code + src', async () => {
    const h = await harness();
    const q = new URLSearchParams({ src: '88', dest: '13800000501', cont: '兼容接口', key: API_KEY });
    const res = await h.api('GET', `/submit?${q}`, undefined, { key: null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ result: 0, error: '', id: expect.any(String) });
    const m = await h.waitStatus(res.body.id, 'delivered');
    expect(m).toMatchObject({ to: '13800000501', text: '兼容接口', from: `${SERVICE_CODE}88` });
    const [submit] = await h.submits('13800000501');
    expect(submit.pdu.fields.Src_Id).toBe(`${SERVICE_CODE}88`);
    expect(submit.text).toBe('兼容接口');
  });

  it('POST /send takes the same parameters as a JSON body', async () => {
    const h = await harness();
    const res = await h.api('POST', '/send', { src: '7', dest: '13800000502', cont: 'via send' });
    expect(res.status).toBe(200);
    expect(res.body.result).toBe(0);
    await h.waitStatus(res.body.id, 'delivered');
    expect((await h.submits('13800000502'))[0].pdu.fields.Src_Id).toBe(`${SERVICE_CODE}7`);
  });

  it('a missing dest, a bad dest or missing cont answers a non-zero result and stores nothing', async () => {
    const h = await harness();
    for (const q of ['src=88&cont=hi', 'src=88&dest=12345&cont=hi', 'dest=13800000503']) {
      const res = await h.api('GET', `/submit?${q}&key=${API_KEY}`, undefined, { key: null });
      expect(res.status).toBe(200);
      expect(res.body.result).not.toBe(0);
      expect(res.body.error).toEqual(expect.any(String));
      expect(res.body.error).not.toBe('');
    }
    expect(h.count('messages')).toBe(0);
  });

  it('a wrong ?key= is refused with 401', async () => {
    const h = await harness();
    const res = await h.api('GET', '/submit?dest=13800000504&cont=hi&key=wrong', undefined, { key: null });
    expect(res.status).toBe(401);
    expect(h.count('messages')).toBe(0);
  });
});

describe('health', () => {
  it('/readyz is 200 while the link is up and 503 once the ISMG is gone; /healthz stays 200', async () => {
    const h = await harness();
    const up = await h.api('GET', '/readyz', undefined, { key: null });
    expect(up.status).toBe(200);
    expect(up.body.ready).toBe(true);
    expect(up.body.links[0]).toMatchObject({ account: 'main', state: 'up', version: '3.0' });
    await h.stopSimulator();
    const down = await waitFor(
      async () => {
        const r = await h.api('GET', '/readyz', undefined, { key: null });
        return r.status === 503 ? r : undefined;
      },
      3000,
      '/readyz to answer 503',
    );
    expect(down.body.ready).toBe(false);
    expect(down.body.links[0].state).not.toBe('up');
    const live = await h.api('GET', '/healthz', undefined, { key: null });
    expect(live.status).toBe(200);
    expect(live.body).toEqual({ ok: true });
  });

  it('/docs/json is an OpenAPI document listing /api/v1/messages', async () => {
    const h = await harness();
    const res = await h.api('GET', '/docs/json', undefined, { key: null });
    expect(res.status).toBe(200);
    expect(res.body.openapi).toMatch(/^3\./);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining(['/api/v1/messages', '/api/v1/messages/batch', '/api/v1/messages/{id}']),
    );
    expect(res.body.paths['/api/v1/messages'].post).toBeDefined();
    expect(res.body.paths['/api/v1/messages'].get).toBeDefined();
    const ui = await fetch(`${h.url}/docs`, { redirect: 'follow' });
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/swagger/i);
  });
});
