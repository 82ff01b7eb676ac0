import { afterEach, describe, expect, it } from 'vitest';
import { type CmppVersion, decodeReport, unpackMsgId } from '../../src/cmpp/index.js';
import { delay, waitFor } from '../session/helpers.js';
import { Harness, SERVICE_CODE, submitFields } from './helpers.js';

const h = new Harness();
afterEach(() => h.cleanup());

describe('status reports', () => {
  it.each([
    ['2.0', 60],
    ['3.0', 71],
  ] as [CmppVersion, number][])(
    'in %s: a %i-byte report carrying the Msg_Id of the SUBMIT_RESP',
    async (version, length) => {
      const sim = await h.simulator();
      const { client, delivers } = await h.connected(sim, { version });
      const { msgId, result } = await client.submit(submitFields({ Service_Id: 'NEWS' }));
      expect(result).toBe(0);
      await waitFor(() => delivers.length === 1);
      const deliver = delivers[0];
      expect(deliver.version).toBe(version);
      expect(deliver.fields).toMatchObject({
        Registered_Delivery: 1,
        Src_terminal_Id: '13800138000',
        Dest_Id: `${SERVICE_CODE}01`,
        Service_Id: 'NEWS',
        Msg_Length: length,
      });
      expect(deliver.fields.Msg_Content).toHaveLength(length);
      const report = decodeReport(deliver.fields.Msg_Content);
      expect(report.Msg_Id).toBe(msgId);
      expect(report.Stat).toBe('DELIVRD');
      expect(report.Dest_terminal_Id).toBe('13800138000');
      expect(report.Submit_time).toMatch(/^\d{10}$/);
      expect(report.Done_time).toMatch(/^\d{10}$/);
      expect(report.Done_time >= report.Submit_time).toBe(true);
      await waitFor(() => sim.stats.of('900001').reports.acked === 1);
    },
  );

  it('a SUBMIT to three recipients gets consecutive Msg_Ids and one report each', async () => {
    const sim = await h.simulator();
    const { client, delivers } = await h.connected(sim);
    const dests = ['13800000001', '8613800000002', '+8613800000003'];
    const { msgId } = await client.submit(submitFields({ Dest_terminal_Id: dests }));
    await waitFor(() => delivers.length === 3);
    const reports = delivers.map((d) => decodeReport(d.fields.Msg_Content));
    const byDest = new Map(reports.map((r) => [r.Dest_terminal_Id, r.Msg_Id]));
    const first = unpackMsgId(msgId);
    dests.forEach((dest, i) => {
      const id = byDest.get(dest) as bigint;
      expect(unpackMsgId(id)).toEqual({ ...first, sequence: (first.sequence + i) & 0xffff });
    });
    expect(sim.submits()[0].msgIds).toEqual(dests.map((d) => String(byDest.get(d))));
  });

  it('each segment of a long message gets its own report', async () => {
    const sim = await h.simulator();
    const { client, delivers } = await h.connected(sim);
    const parts = [1, 2, 3];
    const ids = await Promise.all(
      parts.map((n) =>
        client.submit(submitFields({ Pk_total: 3, Pk_number: n, Msg_Content: Buffer.from(`part ${n}`) })),
      ),
    );
    await waitFor(() => delivers.length === 3);
    const reported = delivers.map((d) => decodeReport(d.fields.Msg_Content).Msg_Id);
    expect(reported.sort()).toEqual(ids.map((r) => r.msgId).sort());
  });

  it('draws Stat from the mix and obeys per-destination overrides', async () => {
    const draws = [0.1, 0.95, 0.5, 0.7];
    const sim = await h.simulator(
      {
        reports: { stats: 'DELIVRD:0.6,UNDELIV:0.3,MB:0001:0.1', overrides: { '+8613900000009': 'EXPIRED' } },
      },
      { random: () => draws.shift() ?? 0 },
    );
    const { client, delivers } = await h.connected(sim);
    await client.submit(submitFields({ Dest_terminal_Id: ['13800000001', '13800000002', '13900000009'] }));
    await client.submit(submitFields({ Dest_terminal_Id: ['13800000003', '13800000004'] }));
    await waitFor(() => delivers.length === 5);
    const stats = Object.fromEntries(
      delivers.map((d) => decodeReport(d.fields.Msg_Content)).map((r) => [r.Dest_terminal_Id, r.Stat]),
    );
    // Draws in recipient order: 0.1 → DELIVRD, 0.95 → MB:0001, the override, 0.5 → DELIVRD, 0.7 → UNDELIV.
    expect(stats).toEqual({
      '13800000001': 'DELIVRD',
      '13800000002': 'MB:0001',
      '13900000009': 'EXPIRED',
      '13800000003': 'DELIVRD',
      '13800000004': 'UNDELIV',
    });
  });

  it('waits the configured delay', async () => {
    const sim = await h.simulator({ reports: { delayMs: [150, 200] } });
    const { client, delivers } = await h.connected(sim);
    const sent = Date.now();
    await client.submit(submitFields());
    await waitFor(() => delivers.length === 1);
    expect(Date.now() - sent).toBeGreaterThanOrEqual(145);
  });

  it('sends no report without Registered_Delivery 1, nor for a rejected SUBMIT', async () => {
    const sim = await h.simulator();
    const { client, delivers } = await h.connected(sim, { version: '2.0' });
    expect((await client.submit(submitFields({ Registered_Delivery: 0 }))).result).toBe(0);
    expect((await client.submit(submitFields({ Registered_Delivery: 2 }))).result).toBe(0);
    expect((await client.submit(submitFields({ Msg_src: '900002' }))).result).toBe(11);
    await client.submit(submitFields({ Msg_Content: Buffer.from('marker') }));
    await waitFor(() => delivers.length === 1);
    expect(sim.stats.of('900001').reports.scheduled).toBe(1);
  });

  it('keeps reports while no link of the account is up and delivers them on the next login', async () => {
    const sim = await h.simulator({ reports: { delayMs: 100 } });
    const first = await h.connected(sim);
    const { msgId } = await first.client.submit(submitFields());
    await first.client.close();
    const second = h.client(sim);
    await delay(200);
    expect(sim.stats.of('900001').reports.sent).toBe(0);
    await second.client.connect();
    await waitFor(() => second.delivers.length === 1);
    expect(decodeReport(second.delivers[0].fields.Msg_Content).Msg_Id).toBe(msgId);
    expect(first.delivers).toHaveLength(0);
  });

  it('sends a report again when its DELIVER_RESP does not come', async () => {
    const sim = await h.simulator({ responseTimeoutMs: 100, maxTries: 1 });
    let calls = 0;
    const { client, delivers } = await h.connected(sim, {
      // Says nothing the first time: no DELIVER_RESP for that DELIVER.
      onDeliver: (pdu) => {
        delivers.push(pdu);
        return ++calls === 1 ? new Promise<number>(() => {}) : 0;
      },
    });
    const { msgId } = await client.submit(submitFields());
    await waitFor(() => sim.stats.of('900001').reports.acked === 1);
    expect(delivers.length).toBe(2);
    expect(delivers.map((d) => decodeReport(d.fields.Msg_Content).Msg_Id)).toEqual([msgId, msgId]);
    expect(sim.stats.of('900001').reports).toEqual({ scheduled: 1, sent: 2, acked: 1 });
  });
});
