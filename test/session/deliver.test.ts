import { afterEach, describe, expect, it } from 'vitest';
import {
  type CmppVersion,
  type DeliverFields,
  decodeReport,
  encodeReport,
  type Pdu,
  type StatusReport,
} from '../../src/cmpp/index.js';
import {
  type CmppClientOptions,
  CmppLinkClosedError,
  type CmppServerOptions,
  CmppTimeoutError,
  type ServerSession,
} from '../../src/session/index.js';
import { delay, Harness, settle, waitFor } from './helpers.js';

const h = new Harness();
afterEach(() => h.cleanup());

async function pair(clientOpts: Partial<CmppClientOptions>, serverOpts: Partial<CmppServerOptions> = {}) {
  const sessions: ServerSession[] = [];
  const { server, port } = await h.server(serverOpts);
  server.on('session', (s: ServerSession) => sessions.push(s));
  const client = h.client(port, clientOpts);
  await client.connect();
  await waitFor(() => sessions.length === 1);
  return { client, session: sessions[0] };
}

function mo(msgId: bigint, text: string): DeliverFields {
  return {
    Msg_Id: msgId,
    Dest_Id: '10658888',
    Service_Id: 'TEST',
    TP_pid: 0,
    TP_udhi: 0,
    Msg_Fmt: 0,
    Src_terminal_Id: '13800138000',
    Src_terminal_type: 0,
    Registered_Delivery: 0,
    Msg_Content: Buffer.from(text, 'latin1'),
  };
}

describe('DELIVER', () => {
  it('DELIVER_RESP is sent only after onDeliver resolves', async () => {
    let handlerDone = false;
    let handlerDoneAt = 0;
    const { client, session } = await pair(
      {
        onDeliver: async () => {
          await delay(200);
          handlerDone = true;
          handlerDoneAt = Date.now();
          return 0;
        },
      },
      { responseTimeoutMs: 2000 },
    );
    const t0 = Date.now();
    const resp = await session.deliver(mo(123456789n, 'hello'));
    const arrived = Date.now();
    expect(handlerDone).toBe(true);
    expect(arrived).toBeGreaterThanOrEqual(handlerDoneAt);
    expect(arrived - t0).toBeGreaterThanOrEqual(190);
    expect(resp.command).toBe('CMPP_DELIVER_RESP');
    expect(resp.fields.Result).toBe(0);
    expect(resp.fields.Msg_Id).toBe(123456789n);
    expect(client.counters.delivers).toBe(1);
    expect(session.counters.delivers).toBe(1);
    expect(session.link.counters.retransmits).toBe(0);
  });

  it('the Result onDeliver returns is the DELIVER_RESP Result (sync and async)', async () => {
    const { session } = await pair({
      onDeliver: (pdu) => {
        const text = Buffer.from(pdu.fields.Msg_Content).toString('latin1');
        return text === 'sync' ? 9 : Promise.resolve(1);
      },
    });
    const a = await session.deliver(mo(1n, 'sync'));
    const b = await session.deliver(mo(2n, 'async'));
    expect([a.fields.Msg_Id, a.fields.Result]).toEqual([1n, 9]);
    expect([b.fields.Msg_Id, b.fields.Result]).toEqual([2n, 1]);
  });

  it('without onDeliver the client answers Result 0 at once', async () => {
    const { session } = await pair({});
    const resp = await session.deliver(mo(5n, 'x'));
    expect([resp.fields.Msg_Id, resp.fields.Result]).toEqual([5n, 0]);
  });

  it('a rejecting onDeliver sends no DELIVER_RESP: the ISMG retries and then times out', async () => {
    const calls: Pdu<DeliverFields>[] = [];
    const errors: Error[] = [];
    const { client, session } = await pair(
      {
        onDeliver: async (pdu) => {
          calls.push(pdu);
          throw new Error('store failed');
        },
      },
      { responseTimeoutMs: 100, maxTries: 2 },
    );
    client.on('handlerError', (err: Error) => errors.push(err));
    const t0 = Date.now();
    const o = await settle(session.deliver(mo(77n, 'lost')));
    expect(o.ok).toBe(false);
    if (!o.ok) {
      expect(o.error).toBeInstanceOf(CmppTimeoutError);
      expect(o.error.message).toMatch(/CMPP_DELIVER/);
    }
    expect(Date.now() - t0).toBeGreaterThanOrEqual(180);
    // The retransmission reached the handler again, with the same Sequence_Id.
    expect(calls).toHaveLength(2);
    expect(calls[0].sequenceId).toBe(calls[1].sequenceId);
    expect(errors.map((e) => e.message)).toEqual(['store failed', 'store failed']);
    expect(client.state).toBe('up');
  });

  it('the deliver window: with deliverWindow 2 the 3rd DELIVER waits for a DELIVER_RESP', async () => {
    const release: (() => void)[] = [];
    const { client, session } = await pair(
      { onDeliver: () => new Promise<number>((resolve) => release.push(() => resolve(0))) },
      { deliverWindow: 2 },
    );
    const all = [1n, 2n, 3n].map((id) => session.deliver(mo(id, `m${id}`)));
    await waitFor(() => release.length === 2);
    await delay(50);
    expect(release).toHaveLength(2);
    expect(client.counters.delivers).toBe(2);
    release.shift()?.();
    await waitFor(() => release.length === 2);
    for (const r of release.splice(0)) r();
    const resps = await Promise.all(all);
    expect(resps.map((r) => r.fields.Msg_Id)).toEqual([1n, 2n, 3n]);
  });

  it('deliver() on a link that goes down fails with CmppLinkClosedError', async () => {
    const { client, session } = await pair({ onDeliver: () => new Promise<number>(() => {}) });
    const pending = settle(session.deliver(mo(1n, 'x')));
    await waitFor(() => client.counters.delivers === 1);
    await client.close();
    const o = await pending;
    expect(o.ok).toBe(false);
    if (!o.ok) expect(o.error).toBeInstanceOf(CmppLinkClosedError);
  });
});

describe('status reports and MO messages', () => {
  it.each(['2.0', '3.0'] as CmppVersion[])(
    '%s: a report and an MO arrive with their fields',
    async (version) => {
      const received: Pdu<DeliverFields>[] = [];
      const { session } = await pair({
        version,
        onDeliver: (pdu) => {
          received.push(pdu);
          return 0;
        },
      });
      const report: StatusReport = {
        Msg_Id: 0x1234_5678_9abc_def0n,
        Stat: 'DELIVRD',
        Submit_time: '2401011200',
        Done_time: '2401011201',
        Dest_terminal_Id: '13900139000',
        SMSC_sequence: 4242,
      };
      const content = encodeReport(report, version);
      expect(content.length).toBe(version === '2.0' ? 60 : 71);
      const reportResp = await session.deliver({
        ...mo(1001n, ''),
        Src_terminal_Id: '13900139000',
        Registered_Delivery: 1,
        Msg_Content: content,
      });
      const moResp = await session.deliver({
        ...mo(1002n, 'TD'),
        Msg_Fmt: 15,
        LinkID: 'link-1',
        Reserve: 'r',
      });
      expect([reportResp.fields.Msg_Id, reportResp.fields.Result]).toEqual([1001n, 0]);
      expect([moResp.fields.Msg_Id, moResp.fields.Result]).toEqual([1002n, 0]);

      expect(received).toHaveLength(2);
      const [r, m] = received;
      expect(r.command).toBe('CMPP_DELIVER');
      expect(r.version).toBe(version);
      expect(r.fields.Registered_Delivery).toBe(1);
      expect(r.fields.Msg_Id).toBe(1001n);
      expect(r.fields.Src_terminal_Id).toBe('13900139000');
      expect(r.fields.Msg_Length).toBe(content.length);
      expect(decodeReport(r.fields.Msg_Content)).toEqual(report);

      expect(m.fields.Registered_Delivery).toBe(0);
      expect(m.fields.Msg_Id).toBe(1002n);
      expect(m.fields.Dest_Id).toBe('10658888');
      expect(m.fields.Service_Id).toBe('TEST');
      expect(m.fields.Src_terminal_Id).toBe('13800138000');
      expect(m.fields.Msg_Fmt).toBe(15);
      expect(Buffer.from(m.fields.Msg_Content).toString('latin1')).toBe('TD');
      if (version === '3.0') {
        expect(m.fields.LinkID).toBe('link-1');
        expect(m.fields.Reserve).toBeUndefined();
      } else {
        expect(m.fields.Reserve).toBe('r');
        expect(m.fields.LinkID).toBeUndefined();
      }
    },
  );
});
