import { afterEach, describe, expect, it } from 'vitest';
import {
  authenticatorIsmg,
  type CmppVersion,
  decodePdu,
  encodePdu,
  type Fields,
} from '../../src/cmpp/index.js';
import { CmppLoginError, type CmppServer, type ServerSession } from '../../src/session/index.js';
import { ACCOUNT, connectFrame, Harness, SECRET, settle, submitFields, waitFor } from './helpers.js';

const h = new Harness();
afterEach(() => h.cleanup());

/** The error a failed connect() rejects with. */
async function loginError(p: Promise<void>): Promise<CmppLoginError> {
  const outcome = await settle(p);
  if (outcome.ok) throw new Error('login unexpectedly succeeded');
  expect(outcome.error).toBeInstanceOf(CmppLoginError);
  return outcome.error as CmppLoginError;
}

describe('login success', () => {
  it.each(['2.0', '3.0'] as CmppVersion[])('logs in with %s and speaks it', async (version) => {
    const seen: ServerSession[] = [];
    const { server, port } = await h.server({
      handlers: { submit: () => ({ Msg_Id: 42n, Result: 0 }) },
    });
    server.on('session', (s: ServerSession) => seen.push(s));
    const client = h.client(port, { version });
    const up: string[] = [];
    client.on('up', (v: string) => up.push(v));
    await client.connect();
    expect(client.state).toBe('up');
    expect(client.version).toBe(version);
    expect(up).toEqual([version]);
    expect(seen).toHaveLength(1);
    expect(seen[0].version).toBe(version);
    expect(seen[0].account).toBe(ACCOUNT);
    expect(server.sessionsOf(ACCOUNT)).toHaveLength(1);
    // The link works in that version.
    const r = await client.submit(submitFields());
    expect(r).toEqual({ msgId: 42n, result: 0 });
  });

  it.each([
    ['2.0', 30, 1],
    ['3.0', 33, 4],
  ] as [CmppVersion, number, number][])(
    'a %s CONNECT gets a CONNECT_RESP in the %s layout (%i bytes) with the right AuthenticatorISMG',
    async (version, totalLength, statusWidth) => {
      const { port } = await h.server();
      const raw = await h.rawClient(port, version);
      const connect = connectFrame(version, ACCOUNT, SECRET, 7);
      raw.write(connect);
      const resp = await raw.next();
      expect(raw.frames[0].length).toBe(totalLength);
      expect(raw.frames[0].readUInt32BE(0)).toBe(totalLength);
      expect(resp.command).toBe('CMPP_CONNECT_RESP');
      expect(resp.version).toBe(version);
      expect(resp.sequenceId).toBe(7);
      expect(resp.fields.Status).toBe(0);
      expect(resp.fields.Version).toBe(version === '2.0' ? 0x20 : 0x30);
      const authSource = decodePdu(connect, version).fields.AuthenticatorSource as Buffer;
      expect(
        Buffer.from(resp.fields.AuthenticatorISMG as Uint8Array).equals(
          authenticatorIsmg(0, authSource, SECRET, version),
        ),
      ).toBe(true);
      // Status 0 in its version's width, then the 16 authenticator bytes, then Version.
      const body = raw.frames[0].subarray(12);
      expect(body.subarray(0, statusWidth).equals(Buffer.alloc(statusWidth))).toBe(true);
      expect(
        body
          .subarray(statusWidth, statusWidth + 16)
          .equals(authenticatorIsmg(0, authSource, SECRET, version)),
      ).toBe(true);
      expect(body[statusWidth + 16]).toBe(version === '2.0' ? 0x20 : 0x30);
      expect(raw.isClosed).toBe(false);
    },
  );
});

describe('login failures', () => {
  it('unknown account → Status 2', async () => {
    const failed: [string, number][] = [];
    const { server, port } = await h.server();
    server.on('loginFailed', (spId: string, status: number) => failed.push([spId, status]));
    const client = h.client(port, { account: '912345' });
    const err = await loginError(client.connect());
    expect(err.status).toBe(2);
    expect(err.retriable).toBe(false);
    expect(client.state).toBe('down');
    expect(failed).toEqual([['912345', 2]]);
    expect(server.sessions.size).toBe(0);
  });

  it('wrong secret → Status 3', async () => {
    const { server, port } = await h.server();
    const client = h.client(port, { secret: 'not-the-secret' });
    const events: CmppLoginError[] = [];
    client.on('loginFailed', (e: CmppLoginError) => events.push(e));
    const err = await loginError(client.connect());
    expect(err.status).toBe(3);
    expect(events).toEqual([err]);
    expect(server.sessions.size).toBe(0);
  });

  it('a version the account may not use → Status 4', async () => {
    const { port } = await h.server({
      accounts: (spId) => (spId === ACCOUNT ? { secret: SECRET, versions: ['2.0'] } : undefined),
    });
    const err = await loginError(h.client(port, { version: '3.0' }).connect());
    expect(err.status).toBe(4);
    // The same account logs in with 2.0.
    const ok = h.client(port, { version: '2.0' });
    await ok.connect();
    expect(ok.version).toBe('2.0');
  });

  it('too many connections (maxConnections 1) → Status 5, retriable; a slot freed is usable again', async () => {
    const { server, port } = await h.server({
      accounts: (spId) => (spId === ACCOUNT ? { secret: SECRET, maxConnections: 1 } : undefined),
    });
    const first = h.client(port);
    await first.connect();
    const err = await loginError(h.client(port).connect());
    expect(err.status).toBe(5);
    expect(err.retriable).toBe(true);
    expect(server.sessionsOf(ACCOUNT)).toHaveLength(1);

    const gone = new Promise((resolve) => server.once('sessionClosed', resolve));
    await first.close();
    await gone;
    const third = h.client(port);
    await third.connect();
    expect(third.state).toBe('up');
  });

  async function rawRefusal(server: CmppServer, port: number, frame: Buffer, version: CmppVersion = '3.0') {
    const raw = await h.rawClient(port, version);
    raw.write(frame);
    const resp = await raw.next();
    // The server closes the socket itself (the raw client never does).
    await raw.closed;
    expect(server.sessions.size).toBe(0);
    return resp;
  }

  it.each([
    ['unknown account', '912345', SECRET, 2],
    ['wrong secret', ACCOUNT, 'bad', 3],
  ])(
    '%s: Status %#, AuthenticatorISMG empty, then the server closes the socket',
    async (_n, acct, secret) => {
      const { server, port } = await h.server();
      const resp = await rawRefusal(server, port, connectFrame('3.0', acct, secret));
      expect(resp.command).toBe('CMPP_CONNECT_RESP');
      expect(resp.fields.Status).toBe(acct === ACCOUNT ? 3 : 2);
      expect(Buffer.from(resp.fields.AuthenticatorISMG as Uint8Array).equals(Buffer.alloc(16))).toBe(true);
    },
  );

  it('the server closes the socket after Status 4 and Status 5 too', async () => {
    const { server, port } = await h.server({
      accounts: (spId) =>
        spId === ACCOUNT ? { secret: SECRET, versions: ['2.0'], maxConnections: 1 } : undefined,
    });
    const r4 = await rawRefusal(server, port, connectFrame('3.0', ACCOUNT, SECRET));
    expect(r4.fields.Status).toBe(4);

    const first = h.client(port, { version: '2.0' });
    await first.connect();
    const raw = await h.rawClient(port, '2.0');
    raw.write(connectFrame('2.0', ACCOUNT, SECRET));
    const r5 = await raw.next();
    expect(r5.fields.Status).toBe(5);
    expect(raw.frames[0].length).toBe(30);
    await raw.closed;
    expect(server.sessionsOf(ACCOUNT)).toHaveLength(1);
  });

  it('a request before CONNECT closes the socket', async () => {
    const { server, port } = await h.server();
    const raw = await h.rawClient(port);
    // ACTIVE_TEST before login is answered by the link itself.
    raw.write(encodePdu('3.0', 'CMPP_ACTIVE_TEST', 1));
    const resp = await raw.next();
    expect(resp.command).toBe('CMPP_ACTIVE_TEST_RESP');
    expect(resp.sequenceId).toBe(1);
    raw.write(encodePdu('3.0', 'CMPP_SUBMIT', 2, submitFields() as unknown as Fields));
    await raw.closed;
    expect(server.sessions.size).toBe(0);
  });
});

describe('AuthenticatorISMG check', () => {
  async function zeroAuthServer() {
    return h.rawServer({
      onConnect: (pdu, conn) =>
        conn.respond(pdu, { Status: 0, AuthenticatorISMG: Buffer.alloc(16), Version: pdu.fields.Version }),
    });
  }

  it('a strict client rejects a CONNECT_RESP with a wrong AuthenticatorISMG', async () => {
    const { raw, port } = await zeroAuthServer();
    const client = h.client(port);
    const err = await loginError(client.connect());
    expect(err.status).toBe(0);
    expect(err.message).toMatch(/AuthenticatorISMG/);
    expect(client.state).toBe('down');
    // The client hangs up on that ISMG.
    await waitFor(() => raw.conns.length === 1 && raw.conns[0].socket.destroyed, 2000, 'socket closed');
  });

  it('a lenient client logs in anyway and works', async () => {
    const { raw, port } = await h.rawServer({
      onConnect: (pdu, conn) =>
        conn.respond(pdu, { Status: 0, AuthenticatorISMG: Buffer.alloc(16), Version: pdu.fields.Version }),
      onPdu: (pdu, conn) => {
        if (pdu.command === 'CMPP_SUBMIT') conn.respond(pdu, { Msg_Id: 99n, Result: 0 });
      },
    });
    const client = h.client(port, { lenient: true });
    await client.connect();
    expect(client.state).toBe('up');
    expect(client.version).toBe('3.0');
    expect(await client.submit(submitFields())).toEqual({ msgId: 99n, result: 0 });
    expect(raw.ofCommand('CMPP_SUBMIT')).toHaveLength(1);
  });

  it('a strict client accepts the correct AuthenticatorISMG of a hand-written ISMG (2.0)', async () => {
    const { port } = await h.rawServer();
    const client = h.client(port, { version: '2.0' });
    await client.connect();
    expect(client.version).toBe('2.0');
  });
});

describe('version negotiation on the client', () => {
  it('a 3.0 client and an ISMG that answers 2.0 (2.0 layout, Version 0x20) speak 2.0', async () => {
    const { raw, port } = await h.rawServer({
      onConnect: (pdu, conn) => {
        conn.version = '2.0';
        conn.respond(pdu, {
          Status: 0,
          AuthenticatorISMG: authenticatorIsmg(0, pdu.fields.AuthenticatorSource as Buffer, SECRET, '2.0'),
          Version: 0x20,
        });
      },
      onPdu: (pdu, conn) => {
        if (pdu.command === 'CMPP_SUBMIT') conn.respond(pdu, { Msg_Id: 12n, Result: 0 });
      },
    });
    const client = h.client(port, { version: '3.0' });
    await client.connect();
    expect(client.version).toBe('2.0');
    expect(await client.submit(submitFields())).toEqual({ msgId: 12n, result: 0 });
    const [submit] = raw.ofCommand('CMPP_SUBMIT');
    expect(submit.version).toBe('2.0');
    // 2.0 SUBMIT: 126 + 21×1 + Msg_Length body bytes.
    const frame = raw.conns[0].frames[raw.conns[0].received.indexOf(submit)];
    expect(frame.length).toBe(12 + 126 + 21 + 'message 0'.length);
  });

  it('a 2.0 client and an ISMG that answers in the 3.0 layout with Version 0x30 stay on 2.0', async () => {
    const { port } = await h.rawServer({
      onConnect: (pdu, conn) => {
        conn.version = '3.0';
        conn.respond(pdu, {
          Status: 0,
          AuthenticatorISMG: authenticatorIsmg(0, pdu.fields.AuthenticatorSource as Buffer, SECRET, '3.0'),
          Version: 0x30,
        });
      },
    });
    const client = h.client(port, { version: '2.0' });
    await client.connect();
    expect(client.version).toBe('2.0');
  });

  it('close() during connect(): connect() rejects, the client never comes up, nothing is left open', async () => {
    const { server, port } = await h.server();
    const client = h.client(port);
    const states: string[] = [];
    client.on('state', (s: string) => states.push(s));
    const connecting = settle(client.connect());
    await client.close();
    const o = await connecting;
    expect(o.ok).toBe(false);
    expect(client.state).toBe('closed');
    expect(states).not.toContain('up');
    await waitFor(() => server.sessions.size === 0);
  });
});
