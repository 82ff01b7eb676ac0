import { afterEach, describe, expect, it } from 'vitest';
import type { Pdu } from '../../src/cmpp/index.js';
import { CmppLinkClosedError, CmppTimeoutError, type ServerSession } from '../../src/session/index.js';
import { ACCOUNT, connectFrame, delay, Harness, SECRET, settle, submitFields, waitFor } from './helpers.js';

const h = new Harness();
afterEach(() => h.cleanup());

async function loggedIn(serverOpts = {}, clientOpts = {}) {
  const sessions: ServerSession[] = [];
  const { server, port } = await h.server(serverOpts);
  server.on('session', (s: ServerSession) => sessions.push(s));
  const client = h.client(port, clientOpts);
  await client.connect();
  await waitFor(() => sessions.length === 1);
  return { server, client, session: sessions[0] };
}

describe('ACTIVE_TEST', () => {
  it('the client tests an idle link every C and the server answers', async () => {
    const { client, session } = await loggedIn({}, { heartbeatIntervalMs: 100 });
    await waitFor(() => session.link.counters.heartbeatsAnswered >= 2, 2000, 'two answered heartbeats');
    expect(client.counters.heartbeatsSent).toBeGreaterThanOrEqual(2);
    expect(client.state).toBe('up');
  });

  it('the client sends ACTIVE_TEST to a hand-written ISMG, only when idle', async () => {
    const { raw, port } = await h.rawServer();
    const client = h.client(port, { heartbeatIntervalMs: 100 });
    await client.connect();
    const t0 = Date.now();
    await waitFor(() => raw.ofCommand('CMPP_ACTIVE_TEST').length >= 1, 2000, 'ACTIVE_TEST');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(60);
    const tests = raw.ofCommand('CMPP_ACTIVE_TEST');
    expect(tests[0].fields).toEqual({});
    await waitFor(() => raw.ofCommand('CMPP_ACTIVE_TEST').length >= 2, 2000, 'second ACTIVE_TEST');
    // Each ACTIVE_TEST is a new request.
    const [a, b] = raw.ofCommand('CMPP_ACTIVE_TEST');
    expect(a.sequenceId).not.toBe(b.sequenceId);
    expect(client.state).toBe('up');
  });

  it('the server tests an idle link every C and the client answers', async () => {
    const { client, session } = await loggedIn({ heartbeatIntervalMs: 100 }, {});
    await waitFor(() => client.counters.heartbeatsAnswered >= 2, 2000, 'two answered heartbeats');
    expect(session.link.counters.heartbeatsSent).toBeGreaterThanOrEqual(2);
    expect(client.counters.heartbeatsSent).toBe(0);
    expect(session.link.isOpen).toBe(true);
  });

  it('N unanswered ACTIVE_TESTs bring the link down', async () => {
    const { raw, port } = await h.rawServer({ answerActiveTest: false });
    const client = h.client(port, { heartbeatIntervalMs: 100, responseTimeoutMs: 60, maxTries: 3 });
    await client.connect();
    const down = new Promise<string>((resolve) => client.once('down', resolve));
    expect(await down).toBe('no answer to 3 ACTIVE_TESTs');
    const tests = raw.ofCommand('CMPP_ACTIVE_TEST');
    expect(tests).toHaveLength(3);
    // Retransmissions of the same ACTIVE_TEST keep its Sequence_Id.
    expect(new Set(tests.map((p) => p.sequenceId)).size).toBe(1);
    expect(client.state).toBe('down');
  });
});

describe('TERMINATE', () => {
  it('client.close() sends TERMINATE; the server sees the session close', async () => {
    const { server, client, session } = await loggedIn();
    const reasons: string[] = [];
    session.on('close', (r: string) => reasons.push(r));
    const closed = new Promise<[ServerSession, string]>((resolve) =>
      server.once('sessionClosed', (s: ServerSession, r: string) => resolve([s, r])),
    );
    await client.close();
    expect(client.state).toBe('closed');
    const [s, reason] = await closed;
    expect(s).toBe(session);
    expect(reason).toBe('peer terminated');
    expect(reasons).toEqual(['peer terminated']);
    expect(server.sessions.size).toBe(0);
    await expect(client.submit(submitFields())).rejects.toMatchObject({ name: 'CmppClosedError' });
  });

  it('session.terminate(): the client goes down and in-flight requests fail retriably', async () => {
    const held: Pdu[] = [];
    const { client, session } = await loggedIn(
      {
        handlers: {
          submit: (_s: ServerSession, p: Pdu) => {
            held.push(p);
            return new Promise(() => {});
          },
        },
      },
      { reconnect: false },
    );
    const downs: string[] = [];
    client.on('down', (r: string) => downs.push(r));
    const inFlight = [0, 1, 2].map((i) => settle(client.submit(submitFields(i))));
    await waitFor(() => held.length === 3);
    await session.terminate();
    expect(session.link.isOpen).toBe(false);
    for (const o of await Promise.all(inFlight)) {
      expect(o.ok).toBe(false);
      if (o.ok) continue;
      expect(o.error).toBeInstanceOf(CmppLinkClosedError);
      expect((o.error as CmppLinkClosedError).retriable).toBe(true);
    }
    await waitFor(() => downs.length === 1);
    expect(downs).toEqual(['peer terminated']);
    expect(client.state).toBe('down');
    await delay(100);
    expect(client.state).toBe('down');
    expect(client.counters.reconnects).toBe(0);
  });

  it('the hand-written ISMG sees TERMINATE and the client waits for TERMINATE_RESP', async () => {
    const { raw, port } = await h.rawServer();
    const client = h.client(port);
    await client.connect();
    await client.close();
    expect(raw.ofCommand('CMPP_TERMINATE')).toHaveLength(1);
    expect(client.state).toBe('closed');
  });

  it('close() against a peer that never answers TERMINATE gives up after T', async () => {
    const { raw, port } = await h.rawServer();
    const client = h.client(port, { responseTimeoutMs: 100 });
    await client.connect();
    // From now on the ISMG reads nothing and answers nothing.
    const seen: Buffer[] = [];
    raw.conns[0].socket.removeAllListeners('data');
    raw.conns[0].socket.on('data', (b: Buffer) => seen.push(b));
    const t0 = Date.now();
    await client.close();
    const elapsed = Date.now() - t0;
    expect(Buffer.concat(seen).readUInt32BE(4)).toBe(0x00000002); // CMPP_TERMINATE
    expect(elapsed).toBeGreaterThanOrEqual(80);
    expect(elapsed).toBeLessThan(2000);
  });
});

describe('response timeout and retransmission', () => {
  it('resends after T with the same Sequence_Id; the answer to the second copy resolves the submit', async () => {
    const { raw, port } = await h.rawServer({
      onPdu: (pdu, conn) => {
        if (pdu.command !== 'CMPP_SUBMIT') return;
        if (raw.ofCommand('CMPP_SUBMIT').length >= 2) conn.respond(pdu, { Msg_Id: 777n, Result: 0 });
      },
    });
    const client = h.client(port, { responseTimeoutMs: 100, maxTries: 3 });
    await client.connect();
    const t0 = Date.now();
    const r = await client.submit(submitFields());
    expect(Date.now() - t0).toBeGreaterThanOrEqual(90);
    expect(r).toEqual({ msgId: 777n, result: 0 });
    expect(client.counters.retransmits).toBe(1);
    expect(client.counters.submits).toBe(1);
    const copies = raw.ofCommand('CMPP_SUBMIT');
    expect(copies).toHaveLength(2);
    expect(copies[0].sequenceId).toBe(copies[1].sequenceId);
    // Byte for byte the same packet.
    const frames = raw.conns[0].frames.filter((_, i) => raw.conns[0].received[i].command === 'CMPP_SUBMIT');
    expect(frames[0].equals(frames[1])).toBe(true);
  });

  it('fails with CmppTimeoutError after maxTries sends, all with the same Sequence_Id', async () => {
    const { raw, port } = await h.rawServer();
    const client = h.client(port, { responseTimeoutMs: 100, maxTries: 3 });
    await client.connect();
    const t0 = Date.now();
    const outcome = await settle(client.submit(submitFields()));
    const elapsed = Date.now() - t0;
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBeInstanceOf(CmppTimeoutError);
    expect((outcome.error as CmppTimeoutError).retriable).toBe(true);
    expect(outcome.error.message).toMatch(/CMPP_SUBMIT: no response after 3 tries of 100 ms/);
    expect(elapsed).toBeGreaterThanOrEqual(280);
    const copies = raw.ofCommand('CMPP_SUBMIT');
    expect(copies).toHaveLength(3);
    expect(new Set(copies.map((p) => p.sequenceId)).size).toBe(1);
    expect(client.counters.retransmits).toBe(2);
    // Nothing more is sent for it, the link stays up and the window slot is free.
    await delay(150);
    expect(raw.ofCommand('CMPP_SUBMIT')).toHaveLength(3);
    expect(client.state).toBe('up');
    expect(client.inFlight).toBe(0);
  });

  it('a late answer after the final timeout is ignored', async () => {
    const { raw, port } = await h.rawServer();
    const client = h.client(port, { responseTimeoutMs: 50, maxTries: 1 });
    await client.connect();
    const outcome = await settle(client.submit(submitFields()));
    expect(outcome.ok).toBe(false);
    const [sub] = raw.ofCommand('CMPP_SUBMIT');
    raw.conns[0].respond(sub, { Msg_Id: 1n, Result: 0 });
    await delay(50);
    expect(client.state).toBe('up');
  });

  it('a response with the wrong Command_Id does not resolve the request', async () => {
    const { raw, port } = await h.rawServer({
      onPdu: (pdu, conn) => {
        if (pdu.command !== 'CMPP_SUBMIT') return;
        // First copy: answered with a QUERY_RESP of the same Sequence_Id; second copy: properly.
        if (raw.ofCommand('CMPP_SUBMIT').length === 1) conn.send('CMPP_CANCEL_RESP', pdu.sequenceId, {});
        else conn.respond(pdu, { Msg_Id: 5n, Result: 0 });
      },
    });
    const client = h.client(port, { responseTimeoutMs: 80, maxTries: 3 });
    await client.connect();
    expect(await client.submit(submitFields())).toEqual({ msgId: 5n, result: 0 });
    expect(raw.ofCommand('CMPP_SUBMIT')).toHaveLength(2);
  });
});

describe('the server side of the timers', () => {
  it('the server closes a session whose SP never answers ACTIVE_TEST', async () => {
    const { server, port } = await h.server({ heartbeatIntervalMs: 100, responseTimeoutMs: 50, maxTries: 2 });
    const raw = await h.rawClient(port);
    raw.write(connectFrame('3.0', ACCOUNT, SECRET));
    expect((await raw.next()).fields.Status).toBe(0);
    const closed = new Promise<string>((resolve) =>
      server.once('sessionClosed', (_s, r: string) => resolve(r)),
    );
    expect(await closed).toBe('no answer to 2 ACTIVE_TESTs');
    await raw.closed;
    const tests = raw.received.filter((p) => p.command === 'CMPP_ACTIVE_TEST');
    expect(tests).toHaveLength(2);
    expect(tests[0].sequenceId).toBe(tests[1].sequenceId);
  });

  it('server.close(true) terminates every session; the clients go down', async () => {
    const { server, client } = await loggedIn();
    const down = new Promise<string>((resolve) => client.once('down', resolve));
    await server.close(true);
    expect(await down).toBe('peer terminated');
    expect(server.sessions.size).toBe(0);
  });

  it('server.close() without grace drops every session; the clients go down', async () => {
    const { server, client } = await loggedIn();
    const down = new Promise<string>((resolve) => client.once('down', resolve));
    await server.close();
    expect(await down).toBe('connection closed by peer');
  });
});
