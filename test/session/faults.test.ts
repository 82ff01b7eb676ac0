import { afterEach, describe, expect, it } from 'vitest';
import { authenticatorIsmg, encodePdu, type Fields, type Pdu } from '../../src/cmpp/index.js';
import { CmppLinkClosedError, type ServerSession } from '../../src/session/index.js';
import { ACCOUNT, connectFrame, delay, Harness, SECRET, settle, submitFields, waitFor } from './helpers.js';

const h = new Harness();
afterEach(() => h.cleanup());

describe('the server drops the connection mid-window', () => {
  it('in-flight submits fail retriably, the client reconnects by itself and goes on', async () => {
    const held: Pdu[] = [];
    let answering = false;
    const sessions: ServerSession[] = [];
    const { server, port } = await h.server({
      handlers: {
        submit: (_s, pdu) => {
          if (answering) return { Msg_Id: 4242n, Result: 0 };
          held.push(pdu);
          return new Promise<Fields>(() => {});
        },
      },
    });
    server.on('session', (s: ServerSession) => sessions.push(s));
    const client = h.client(port, { reconnect: true, reconnectBaseMs: 20, reconnectCapMs: 50 });
    await client.connect();
    const downs: string[] = [];
    client.on('down', (r: string) => downs.push(r));

    const inFlight = Array.from({ length: 8 }, (_, i) => settle(client.submit(submitFields(i))));
    await waitFor(() => held.length === 8, 2000, '8 submits at the server');
    const up = new Promise<string>((resolve) => client.once('up', resolve));
    answering = true;
    sessions[0].link.socket.destroy();

    const outcomes = await Promise.all(inFlight);
    for (const o of outcomes) {
      expect(o.ok).toBe(false);
      if (o.ok) continue;
      expect(o.error).toBeInstanceOf(CmppLinkClosedError);
      expect((o.error as CmppLinkClosedError).retriable).toBe(true);
    }
    expect(await up).toBe('3.0');
    expect(downs).toHaveLength(1);
    expect(client.state).toBe('up');
    expect(client.counters.reconnects).toBeGreaterThanOrEqual(1);
    expect(client.inFlight).toBe(0);
    expect(await client.submit(submitFields(99))).toEqual({ msgId: 4242n, result: 0 });
    await waitFor(() => sessions.length === 2);
    expect(sessions[1].link.isOpen).toBe(true);
  });

  it('a submit issued while the link is down waits for the reconnection', async () => {
    const sessions: ServerSession[] = [];
    const { server, port } = await h.server({ handlers: { submit: () => ({ Msg_Id: 1n, Result: 0 }) } });
    server.on('session', (s: ServerSession) => sessions.push(s));
    const client = h.client(port, { reconnect: true, reconnectBaseMs: 60, reconnectCapMs: 100 });
    await client.connect();
    const down = new Promise((resolve) => client.once('down', resolve));
    sessions[0].close('test');
    await down;
    expect(client.state).not.toBe('up');
    const r = await client.submit(submitFields());
    expect(r.result).toBe(0);
    expect(sessions).toHaveLength(2);
  });

  it('keeps trying with backoff while the server is away', async () => {
    // A port that refuses: listen, note the port, close.
    const { raw, port } = await h.rawServer();
    const client = h.client(port, { reconnect: true, reconnectBaseMs: 20, reconnectCapMs: 40 });
    await client.connect();
    const states: string[] = [];
    client.on('state', (s: string) => states.push(s));
    await raw.close();
    await waitFor(() => states.filter((s) => s === 'connecting').length >= 2, 3000, 'reconnect attempts');
    expect(states[0]).toBe('down');
    expect(client.state === 'connecting' || client.state === 'down').toBe(true);
    await client.close();
    expect(client.state).toBe('closed');
    const n = states.length;
    await delay(100);
    // After close() no more attempts.
    expect(states.slice(n).filter((s) => s === 'connecting')).toEqual([]);
  });
});

describe('bad peers against the server', () => {
  async function serverWithWitness(opts = {}) {
    const { server, port } = await h.server({
      handlers: { submit: () => ({ Msg_Id: 9n, Result: 0 }) },
      ...opts,
    });
    return { server, port };
  }

  /** After the bad peer is gone, a normal client still logs in and submits. */
  async function stillServes(port: number) {
    const client = h.client(port);
    await client.connect();
    expect(await client.submit(submitFields())).toEqual({ msgId: 9n, result: 0 });
    await client.close();
  }

  it('garbage bytes close that socket', async () => {
    const { server, port } = await serverWithWitness();
    const raw = await h.rawClient(port);
    raw.write(Buffer.from('GET / HTTP/1.1\r\nHost: x\r\n\r\n', 'latin1'));
    await raw.closed;
    expect(raw.received).toEqual([]);
    expect(server.sessions.size).toBe(0);
    await stillServes(port);
  });

  it('a well-framed packet with an unknown Command_Id closes that socket', async () => {
    const { port } = await serverWithWitness();
    const raw = await h.rawClient(port);
    raw.write(Buffer.from('0000000c1234567800000001', 'hex'));
    await raw.closed;
    await stillServes(port);
  });

  it('a logged-in link that sends garbage is closed; other sessions are unaffected', async () => {
    const { server, port } = await serverWithWitness();
    const good = h.client(port);
    await good.connect();
    const raw = await h.rawClient(port);
    raw.write(connectFrame('3.0', ACCOUNT, SECRET));
    expect((await raw.next()).fields.Status).toBe(0);
    await waitFor(() => server.sessions.size === 2);
    const closed = new Promise<string>((resolve) =>
      server.once('sessionClosed', (_s, r: string) => resolve(r)),
    );
    raw.write(Buffer.from('00000010ffffffff00000002deadbeef', 'hex'));
    expect(await closed).toMatch(/^protocol error/);
    await raw.closed;
    expect(server.sessions.size).toBe(1);
    expect(good.state).toBe('up');
    expect((await good.submit(submitFields())).result).toBe(0);
  });

  it('a truncated frame followed by close', async () => {
    const { server, port } = await serverWithWitness();
    const raw = await h.rawClient(port);
    raw.write(connectFrame('3.0', ACCOUNT, SECRET).subarray(0, 20));
    await delay(20);
    raw.socket.end();
    await raw.closed;
    expect(raw.received).toEqual([]);
    expect(server.sessions.size).toBe(0);
    await stillServes(port);
  });

  it('a truncated frame and silence: the login timer closes it', async () => {
    const { port } = await serverWithWitness({ loginTimeoutMs: 100 });
    const raw = await h.rawClient(port);
    raw.write(connectFrame('3.0', ACCOUNT, SECRET).subarray(0, 30));
    await raw.closed;
    expect(raw.received).toEqual([]);
    await stillServes(port);
  });

  it('a 4 GB Total_Length header (0xFFFFFFF0) closes that socket at once', async () => {
    const { port } = await serverWithWitness();
    const raw = await h.rawClient(port);
    const header = Buffer.alloc(12);
    header.writeUInt32BE(0xfffffff0, 0);
    header.writeUInt32BE(0x00000004, 4);
    header.writeUInt32BE(1, 8);
    const t0 = Date.now();
    raw.write(header);
    await raw.closed;
    expect(Date.now() - t0).toBeLessThan(1000);
    const mem = process.memoryUsage().arrayBuffers;
    expect(mem).toBeLessThan(1024 ** 3);
    await stillServes(port);
  });

  it('a Total_Length below the header size closes that socket', async () => {
    const { port } = await serverWithWitness();
    const raw = await h.rawClient(port);
    raw.write(Buffer.from('00000004', 'hex'));
    await raw.closed;
    await stillServes(port);
  });

  it('connecting and sending nothing: closed after loginTimeoutMs', async () => {
    const { server, port } = await serverWithWitness({ loginTimeoutMs: 150 });
    const raw = await h.rawClient(port);
    const t0 = Date.now();
    await raw.closed;
    const elapsed = Date.now() - t0;
    expect(elapsed).toBeGreaterThanOrEqual(120);
    expect(elapsed).toBeLessThan(2000);
    expect(server.sessions.size).toBe(0);
    await stillServes(port);
  });

  it('a second CONNECT on a logged-in link closes it', async () => {
    const { server, port } = await serverWithWitness();
    const raw = await h.rawClient(port);
    raw.write(connectFrame('3.0', ACCOUNT, SECRET, 1));
    expect((await raw.next()).fields.Status).toBe(0);
    raw.write(connectFrame('3.0', ACCOUNT, SECRET, 2));
    await raw.closed;
    expect(server.sessions.size).toBe(0);
    await stillServes(port);
  });

  it('a version byte the server does not know is refused', async () => {
    const { port } = await serverWithWitness();
    const raw = await h.rawClient(port);
    raw.write(connectFrame('3.0', ACCOUNT, SECRET, 1, 0x40));
    const resp = await raw.next();
    expect(resp.fields.Status).toBe(4);
    await raw.closed;
  });
});

describe('bad peers against the client', () => {
  it('garbage after a correct login: the link goes down with a protocol error', async () => {
    const { raw, port } = await h.rawServer();
    const client = h.client(port);
    await client.connect();
    const down = new Promise<string>((resolve) => client.once('down', resolve));
    raw.conns[0].socket.write(Buffer.from('this is not CMPP at all', 'latin1'));
    expect(await down).toMatch(/^protocol error: /);
    expect(client.state).toBe('down');
    await waitFor(() => raw.conns[0].socket.destroyed || raw.conns[0].socket.readableEnded, 2000, 'closed');
  });

  it('a frame that does not decode after login: down with a protocol error; in-flight fail retriably', async () => {
    const { raw, port } = await h.rawServer();
    const client = h.client(port);
    await client.connect();
    const pending = settle(client.submit(submitFields()));
    await waitFor(() => raw.ofCommand('CMPP_SUBMIT').length === 1);
    const down = new Promise<string>((resolve) => client.once('down', resolve));
    // A SUBMIT_RESP whose body is 3 bytes: neither the 2.0 nor the 3.0 layout.
    const bad = Buffer.from('0000000f80000004000000ff010203', 'hex');
    raw.conns[0].socket.write(bad);
    expect(await down).toMatch(/^protocol error: /);
    const o = await pending;
    expect(o.ok).toBe(false);
    if (!o.ok) expect(o.error).toBeInstanceOf(CmppLinkClosedError);
  });

  /** A hand-written ISMG whose correct CONNECT_RESP shares its TCP chunk with `after`. */
  async function connectRespThen(after: Buffer) {
    return h.rawServer({
      onConnect: (pdu, conn) => {
        conn.socket.write(
          Buffer.concat([
            encodePdu(conn.version, 'CMPP_CONNECT_RESP', pdu.sequenceId, {
              Status: 0,
              AuthenticatorISMG: authenticatorIsmg(
                0,
                pdu.fields.AuthenticatorSource as Buffer,
                SECRET,
                conn.version,
              ),
              Version: 0x30,
            }),
            after,
          ]),
        );
      },
    });
  }

  it.each([
    ['garbage', Buffer.from('ffffffffffff', 'hex')],
    ['a TERMINATE', encodePdu('3.0', 'CMPP_TERMINATE', 77)],
  ])('a link that dies in the chunk of its CONNECT_RESP (%s) is not reported up', async (_name, after) => {
    const { raw, port } = await connectRespThen(after);
    const client = h.client(port);
    const states: string[] = [];
    client.on('state', (s: string) => states.push(s));
    const o = await settle(client.connect());
    // connect() fails: the client must never report 'up' on a link that is already closed.
    expect(o.ok).toBe(false);
    if (!o.ok) expect(o.error).toBeInstanceOf(CmppLinkClosedError);
    expect(client.state).toBe('down');
    expect(states).not.toContain('up');
    await waitFor(() => raw.conns[0].socket.destroyed || raw.conns[0].socket.readableEnded);
  });

  it('the same with reconnect: the client comes back up on a fresh link', async () => {
    let conns = 0;
    const { raw, port } = await h.rawServer({
      onConnect: (pdu, conn) => {
        conns++;
        conn.socket.write(
          Buffer.concat([
            encodePdu(conn.version, 'CMPP_CONNECT_RESP', pdu.sequenceId, {
              Status: 0,
              AuthenticatorISMG: authenticatorIsmg(
                0,
                pdu.fields.AuthenticatorSource as Buffer,
                SECRET,
                conn.version,
              ),
              Version: 0x30,
            }),
            conns === 1 ? encodePdu('3.0', 'CMPP_TERMINATE', 77) : Buffer.alloc(0),
          ]),
        );
      },
      onPdu: (pdu, conn) => {
        if (pdu.command === 'CMPP_SUBMIT') conn.respond(pdu, { Msg_Id: 3n, Result: 0 });
      },
    });
    const client = h.client(port, { reconnect: true, reconnectBaseMs: 20, reconnectCapMs: 40 });
    client.start();
    const r = await Promise.race([
      client.submit(submitFields()),
      delay(2000).then(() => {
        throw new Error('submit hung: the client thinks a dead link is up');
      }),
    ]);
    expect(r).toEqual({ msgId: 3n, result: 0 });
    expect(raw.conns.length).toBeGreaterThanOrEqual(2);
  });

  it('a server that accepts and never answers CONNECT: connect() fails after connectTimeoutMs', async () => {
    const { port } = await h.rawServer({ onConnect: () => {} });
    const client = h.client(port, { connectTimeoutMs: 150 });
    const t0 = Date.now();
    const o = await settle(client.connect());
    expect(o.ok).toBe(false);
    if (!o.ok) expect(o.error.name).toBe('CmppTimeoutError');
    expect(Date.now() - t0).toBeGreaterThanOrEqual(130);
    expect(client.state).toBe('down');
  });

  it('a refused TCP connection: connect() fails with a retriable CmppLinkClosedError', async () => {
    const { raw, port } = await h.rawServer();
    await raw.close();
    const client = h.client(port);
    const o = await settle(client.connect());
    expect(o.ok).toBe(false);
    if (!o.ok) {
      expect(o.error).toBeInstanceOf(CmppLinkClosedError);
      expect((o.error as CmppLinkClosedError).retriable).toBe(true);
    }
  });
});
