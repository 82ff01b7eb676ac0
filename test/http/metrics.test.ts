import { afterEach, describe, expect, it } from 'vitest';
import { API_KEY, chinese, Harness, waitFor } from '../gateway/harness.js';

/* GET /metrics after real traffic through the simulator: every counter moves by exactly what was sent. */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

type Samples = Map<string, number>;

/** Prometheus text → `name{label="v",…}` → value (labels as exposed, in the exposition's order). */
function parse(text: string): Samples {
  const out: Samples = new Map();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const at = line.lastIndexOf(' ');
    out.set(line.slice(0, at), Number(line.slice(at + 1)));
  }
  return out;
}

/** The sum of every sample of `name` whose labels include all of `labels`. */
function sum(samples: Samples, name: string, labels: Record<string, string> = {}): number {
  let total = 0;
  for (const [key, value] of samples) {
    const brace = key.indexOf('{');
    if ((brace < 0 ? key : key.slice(0, brace)) !== name) continue;
    if (Object.entries(labels).every(([k, v]) => key.includes(`${k}="${v}"`))) total += value;
  }
  return total;
}

async function scrape(h: Harness, key: string | null = API_KEY): Promise<Samples> {
  const res = await h.api<string>('GET', '/metrics', undefined, { key });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return parse(res.body);
}

const UNDELIVERED = '13800000009';

describe('GET /metrics', () => {
  it('counts accepted, submitted, reports by Stat, failures, MO, webhooks and PDUs by command exactly', async () => {
    h = await Harness.start({
      simulator: { reports: { overrides: { [UNDELIVERED]: 'UNDELIV' } } },
      // No retransmission on a busy machine: every SUBMIT is on the wire once.
      account: { responseTimeoutMs: 10_000 },
    });
    await h.linkUp();
    const before = await scrape(h);
    const delta = (after: Samples, name: string, labels?: Record<string, string>) =>
      sum(after, name, labels) - sum(before, name, labels);

    // 3 messages, 4 segments: two short ones (one to a number whose report is UNDELIV) and a 2-part one.
    let moHooks = 0;
    h.webhook!.respond = (hook) => (hook.body?.type === 'mo' && ++moHooks === 1 ? 500 : 200);
    const sent = await h.api('POST', '/api/v1/messages/batch', {
      messages: [
        { to: '13800000001', text: 'one' },
        { to: UNDELIVERED, text: 'two' },
        { to: '13800000003', text: chinese(100) },
      ],
    });
    expect(sent.status).toBe(202);
    const ids: string[] = sent.body.results.map((r: { id: string }[]) => r[0].id);
    for (const id of ids) await h.waitStatus(id, ['delivered', 'undeliverable']);
    for (const text of ['TD', '你好']) {
      const mo = await h.sim('POST', '/mo', { from: '13900000001', to: `${'1065900001'}88`, text });
      expect(mo.status).toBe(200);
    }
    const receiver = h.webhook!;
    // 3 report webhooks and 2 MO webhooks delivered, the first MO one after a failed try.
    await waitFor(() => receiver.ok().length === 5, 10_000, 'every webhook delivered');

    const after = await waitFor(async () => {
      const s = await scrape(h!);
      // A receiver can have answered before the sender stored the outcome: wait for the backlog too.
      return delta(s, 'cmppgw_webhook_attempts_total') === 6 && sum(s, 'cmppgw_webhook_backlog') === 0
        ? s
        : undefined;
    });
    const main = { account: 'main' };
    expect(delta(after, 'cmppgw_messages_accepted_total', main)).toBe(3);
    expect(delta(after, 'cmppgw_segments_submitted_total', main)).toBe(4);
    expect(delta(after, 'cmppgw_segments_rejected_total')).toBe(0);
    expect(delta(after, 'cmppgw_reports_total', { account: 'main', stat: 'DELIVRD' })).toBe(3);
    expect(delta(after, 'cmppgw_reports_total', { account: 'main', stat: 'UNDELIV' })).toBe(1);
    expect(delta(after, 'cmppgw_messages_failed_total', { status: 'undeliverable' })).toBe(1);
    expect(delta(after, 'cmppgw_messages_failed_total')).toBe(1);
    expect(delta(after, 'cmppgw_mo_total', main)).toBe(2);
    expect(delta(after, 'cmppgw_webhook_attempts_total', { type: 'report' })).toBe(3);
    expect(delta(after, 'cmppgw_webhook_attempts_total', { type: 'mo' })).toBe(3);
    expect(delta(after, 'cmppgw_webhook_failures_total', { type: 'mo' })).toBe(1);
    expect(delta(after, 'cmppgw_webhook_failures_total')).toBe(1);

    const pdus = (direction: string, command: string) =>
      delta(after, 'cmppgw_pdus_total', { account: 'main', link: '0', direction, command });
    expect(pdus('out', 'CMPP_SUBMIT')).toBe(4);
    expect(pdus('in', 'CMPP_SUBMIT_RESP')).toBe(4);
    // 4 reports + 2 MO, each answered.
    expect(pdus('in', 'CMPP_DELIVER')).toBe(6);
    expect(pdus('out', 'CMPP_DELIVER_RESP')).toBe(6);

    expect(delta(after, 'cmppgw_submit_response_seconds_count', main)).toBe(4);
    expect(delta(after, 'cmppgw_report_delay_seconds_count', main)).toBe(4);
    expect(
      delta(after, 'cmppgw_http_request_duration_seconds_count', {
        method: 'POST',
        route: '/api/v1/messages/batch',
        status_code: '202',
      }),
    ).toBe(1);
    expect(sum(after, 'cmppgw_links_up', main)).toBe(1);
    expect(sum(after, 'cmppgw_window_in_use', main)).toBe(0);
    expect(sum(after, 'cmppgw_queue_depth')).toBe(0);
    expect(sum(after, 'cmppgw_webhook_backlog')).toBe(0);
    // Never a phone number in a label.
    for (const key of after.keys()) expect(key).not.toMatch(/1[3-9]\d{9}/);
  });

  it('needs the API key unless http.metricsAuth is open; each gateway has its own registry; pushes count as accepted', async () => {
    h = await Harness.start();
    expect((await h.api('GET', '/metrics', undefined, { key: null })).status).toBe(401);
    expect((await h.api('GET', '/metrics', undefined, { key: 'wrong' })).status).toBe(401);
    const other = await Harness.start({ http: { metricsAuth: 'open' } });
    try {
      await other.linkUp();
      await other.api('POST', '/api/v1/messages', { to: '13800000001', text: 'x' });
      const push = await other.api('POST', '/api/v1/wap-push', {
        to: ['13800000002', '13800000003'],
        type: 'si',
        href: 'http://wap.example.com/',
      });
      expect(push.status).toBe(202);
      const open = await scrape(other, null);
      // One text message and a WAP push to two addresses.
      expect(sum(open, 'cmppgw_messages_accepted_total')).toBe(3);
      expect(sum(await scrape(h), 'cmppgw_messages_accepted_total')).toBe(0);
    } finally {
      await other.close();
    }
  });
});
