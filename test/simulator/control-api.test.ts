import { Writable } from 'node:stream';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import type { SubmitFields } from '../../src/cmpp/index.js';
import type { SessionJson, StatsJson, SubmitJson } from '../../src/simulator/index.js';
import { compileSi, encodeWspPush, wapPushSegments } from '../../src/wap/index.js';
import { waitFor } from '../session/helpers.js';
import { ACCOUNT, Harness, http, SECRET, SERVICE_CODE, submitFields } from './helpers.js';

const h = new Harness();
afterEach(() => h.cleanup());

describe('control API introspection', () => {
  it('GET /submits lists recent SUBMITs newest first, decoded, filtered by account and recipient', async () => {
    const sim = await h.simulator({
      accounts: {
        [ACCOUNT]: { secret: SECRET, serviceCode: SERVICE_CODE },
        '900002': { secret: SECRET },
      },
    });
    const mine = (await h.connected(sim)).client;
    const other = (await h.connected(sim, { account: '900002', version: '2.0' })).client;
    const text = Buffer.from('你好', 'utf16le').swap16();
    const a = await mine.submit(
      submitFields({ Msg_Fmt: 8, Msg_Content: text, Dest_terminal_Id: ['13800000001'] }),
    );
    const b = await mine.submit(submitFields({ Dest_terminal_Id: ['13800000002', '13800000003'] }));
    await other.submit(
      submitFields({ Msg_src: '900002', Src_Id: '1234', Dest_terminal_Id: ['13800000001'] }),
    );

    const all = await http<SubmitJson[]>(sim, 'GET', '/submits');
    expect(all.body.map((s) => s.account)).toEqual(['900002', ACCOUNT, ACCOUNT]);
    const { body: byDest } = await http<SubmitJson[]>(
      sim,
      'GET',
      `/submits?account=${ACCOUNT}&dest=8613800000001`,
    );
    expect(byDest).toHaveLength(1);
    expect(byDest[0]).toMatchObject({
      result: 0,
      msgIds: [String(a.msgId)],
      text: '你好',
      retransmissions: 0,
    });
    expect(byDest[0].pdu).toMatchObject({
      command: 'CMPP_SUBMIT',
      version: '3.0',
      fields: { Msg_Fmt: 8, Dest_terminal_Id: ['13800000001'], Msg_src: ACCOUNT },
    });
    const { body: latest } = await http<SubmitJson[]>(sim, 'GET', `/submits?account=${ACCOUNT}&limit=1`);
    expect(latest).toHaveLength(1);
    expect(latest[0].msgIds).toHaveLength(2);
    expect(latest[0].msgIds[0]).toBe(String(b.msgId));
    expect((await http(sim, 'GET', '/submits?limit=0')).status).toBe(400);
  });

  it('GET /submits shows a multi-SMS WAP push, joined in any order, on the segment that completes it', async () => {
    const sim = await h.simulator();
    const { client } = await h.connected(sim);
    const si = `<si><indication href="http://www.example.com/a">${'news '.repeat(60).trim()}</indication></si>`;
    const wsp = encodeWspPush({ tid: 1, contentType: 'application/vnd.wap.sic', body: compileSi(si) });
    const segments = wapPushSegments(wsp, 42);
    expect(segments).toHaveLength(3);
    const send = (i: number, overrides: Partial<SubmitFields> = {}) =>
      client.submit(
        submitFields({
          Msg_Fmt: 4,
          TP_udhi: 1,
          Pk_total: 3,
          Pk_number: i + 1,
          Msg_Content: Buffer.concat([segments[i].udh, segments[i].ud]),
          ...overrides,
        }),
      );
    // A rejected SUBMIT never reaches the handset: had it counted, segment 1 would complete the push.
    expect((await send(1, { Msg_src: 'nobody' })).result).toBe(11);
    await send(2);
    await send(1, { Dest_terminal_Id: ['13800000009'] }); // the same bytes to another handset
    await send(0);
    expect((await http<SubmitJson[]>(sim, 'GET', '/submits')).body.map((s) => s.wapPush)).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    await send(1);
    const [completing, ...earlier] = (await http<SubmitJson[]>(sim, 'GET', '/submits')).body;
    expect(completing.wapPush).toMatchObject({
      contentType: 'application/vnd.wap.sic',
      document: { kind: 'si' },
    });
    expect(completing.wapPush?.document?.xml).toBe(si);
    expect(earlier.map((s) => s.wapPush)).toEqual([undefined, undefined, undefined, undefined]);
  });

  it('keeps only the configured number of recent SUBMITs', async () => {
    const sim = await h.simulator({ recentSubmits: 2 });
    const { client } = await h.connected(sim);
    for (const n of [1, 2, 3]) await client.submit(submitFields({ Msg_Content: Buffer.from(`m${n}`) }));
    expect((await http<SubmitJson[]>(sim, 'GET', '/submits')).body.map((s) => s.text)).toEqual(['m3', 'm2']);
  });

  it('GET /stats and GET /sessions describe accounts and links', async () => {
    const sim = await h.simulator();
    const { client } = await h.connected(sim, { version: '2.0' });
    await client.submit(submitFields({ Dest_terminal_Id: ['13800000001', '13800000002'] }));
    await client.submit(submitFields({ Msg_src: 'nobody' }));
    await waitFor(() => sim.stats.of(ACCOUNT).reports.acked === 2);

    const { body: sessions } = await http<SessionJson[]>(sim, 'GET', '/sessions');
    expect(sessions).toEqual([
      expect.objectContaining({ id: 1, account: ACCOUNT, version: '2.0', submits: 2, delivers: 2 }),
    ]);
    expect(sessions[0].remoteAddress).toMatch(/^127\.0\.0\.1:\d+$/);
    const { body: stats } = await http<StatsJson>(sim, 'GET', '/stats');
    expect(stats.accounts[ACCOUNT]).toEqual({
      sessionsUp: 1,
      maxLinks: 1,
      logins: 1,
      loginsRefused: {},
      submits: 2,
      retransmissions: 0,
      recipients: 3,
      results: { 0: 1, 11: 1 },
      reports: { scheduled: 2, sent: 2, acked: 2 },
      mo: { sent: 0, acked: 0 },
      faults: {},
    });
  });

  it('PUT /faults names a bad key and changes nothing', async () => {
    const sim = await h.simulator();
    expect(await http(sim, 'PUT', '/faults', { dropResponses: 0.5, rejectResult: 0 })).toEqual({
      status: 400,
      body: { error: 'faults.rejectResult: must be between 1 and 255, got 0' },
    });
    expect(await http(sim, 'PUT', '/faults', { dropResponse: 0.5 })).toEqual({
      status: 400,
      body: { error: 'faults.dropResponse: unknown key' },
    });
    expect(sim.faults.settings.dropResponses).toBe(0);
  });
});

describe('logs', () => {
  function memoryLogger(level: string) {
    const lines: Record<string, unknown>[] = [];
    const stream = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    return { lines, logger: pino({ level }, stream) };
  }

  it('writes one info line per event', async () => {
    const { lines, logger } = memoryLogger('info');
    const sim = await h.simulator({}, { logger });
    await h
      .client(sim, { secret: 'wrong' })
      .client.connect()
      .catch(() => {});
    const { client } = await h.connected(sim);
    await client.submit(submitFields());
    await waitFor(() => lines.some((l) => l.msg === 'report sent'));
    await http(sim, 'POST', '/mo', { from: '13800138000', to: SERVICE_CODE, text: 'hi' });
    sim.setFaults({ disconnectProbability: 1 });
    await client.submit(submitFields({ Registered_Delivery: 0 }));
    await waitFor(() => lines.some((l) => l.msg === 'session closed'));
    expect(lines.map((l) => l.msg)).toEqual([
      'login refused',
      'login ok',
      'report sent',
      'MO sent',
      'faults changed',
      'fault applied',
      'session closed',
    ]);
    expect(lines.find((l) => l.msg === 'login refused')).toMatchObject({ account: ACCOUNT, status: 3 });
    expect(lines.find((l) => l.msg === 'fault applied')).toMatchObject({
      account: ACCOUNT,
      fault: 'disconnected',
    });
  });

  it('adds the decoded PDUs at debug and their bytes at trace', async () => {
    for (const level of ['debug', 'trace']) {
      const { lines, logger } = memoryLogger(level);
      const sim = await h.simulator({}, { logger });
      const { client } = await h.connected(sim);
      await client.submit(submitFields());
      await waitFor(() => lines.some((l) => l.msg === 'CMPP_DELIVER_RESP'));
      const submit = lines.find((l) => l.msg === 'CMPP_SUBMIT') as { pdu: { fields: object }; hex?: string };
      expect(submit.pdu.fields).toMatchObject({ Msg_src: ACCOUNT, Dest_terminal_Id: ['13800138000'] });
      expect(lines.map((l) => l.msg)).toEqual(
        expect.arrayContaining(['CMPP_SUBMIT_RESP', 'CMPP_DELIVER', 'CMPP_DELIVER_RESP']),
      );
      expect(submit.hex === undefined).toBe(level === 'debug');
      if (submit.hex) expect(submit.hex.slice(8, 16)).toBe('00000004');
    }
  });
});
