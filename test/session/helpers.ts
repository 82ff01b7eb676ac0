import net from 'node:net';
import {
  authenticatorIsmg,
  authenticatorSource,
  type CmppVersion,
  type CommandName,
  connectTimestamp,
  Deframer,
  decodePdu,
  encodePdu,
  type Fields,
  type Pdu,
  type SubmitFields,
  VERSION_BYTE,
  versionFromByte,
} from '../../src/cmpp/index.js';
import {
  CmppClient,
  type CmppClientOptions,
  CmppServer,
  type CmppServerOptions,
} from '../../src/session/index.js';

/* Loopback harness for the session tests: real sockets on 127.0.0.1, everything closed in cleanup(). */

export const ACCOUNT = '900001';
export const SECRET = 'secret-1';

export function submitFields(i = 0, dest = '13800138000'): SubmitFields {
  return {
    Pk_total: 1,
    Pk_number: 1,
    Registered_Delivery: 0,
    TP_udhi: 0,
    Msg_Fmt: 0,
    Service_Id: 'TEST',
    Src_Id: '10658888',
    Msg_src: ACCOUNT,
    Dest_terminal_Id: [dest],
    Msg_Content: Buffer.from(`message ${i}`, 'latin1'),
  };
}

/** Polls `predicate` every 5 ms until it is true; throws after `timeoutMs`. */
export async function waitFor(predicate: () => boolean, timeoutMs = 3000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await delay(5);
  }
}

export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Resolves with the settled state of a promise without letting it reject unhandled. */
export function settle<T>(p: Promise<T>): Promise<{ ok: true; value: T } | { ok: false; error: Error }> {
  return p.then(
    (value) => ({ ok: true as const, value }),
    (error: Error) => ({ ok: false as const, error }),
  );
}

/** A CONNECT frame as an SP would send it. */
export function connectFrame(
  version: CmppVersion,
  account: string,
  secret: string,
  sequenceId = 1,
  versionByte = VERSION_BYTE[version],
): Buffer {
  const timestamp = connectTimestamp();
  return encodePdu(version, 'CMPP_CONNECT', sequenceId, {
    Source_Addr: account,
    AuthenticatorSource: authenticatorSource(account, secret, timestamp),
    Version: versionByte,
    Timestamp: timestamp,
  });
}

/** One accepted connection of a RawServer. */
export class RawConn {
  version: CmppVersion = '3.0';
  readonly received: Pdu[] = [];
  readonly frames: Buffer[] = [];

  constructor(readonly socket: net.Socket) {}

  send(command: CommandName, sequenceId: number, fields: Fields = {}): void {
    if (!this.socket.destroyed) this.socket.write(encodePdu(this.version, command, sequenceId, fields));
  }

  /** Answers a request with its _RESP and the same Sequence_Id. */
  respond(request: Pdu, fields: Fields = {}): void {
    this.send(`${request.command}_RESP` as CommandName, request.sequenceId, fields);
  }
}

export interface RawServerOptions {
  secret?: string;
  /** Answers CONNECT; default: Status 0 with the correct AuthenticatorISMG in the requested version. */
  onConnect?(pdu: Pdu, conn: RawConn): void;
  /** Every other request or response. ACTIVE_TEST and TERMINATE are answered first unless turned off. */
  onPdu?(pdu: Pdu, conn: RawConn): void;
  answerActiveTest?: boolean;
}

/** A hand-written ISMG: net.Server + Deframer + encodePdu, to script misbehaviour the real server never shows. */
export class RawServer {
  readonly conns: RawConn[] = [];
  readonly server: net.Server;

  constructor(readonly options: RawServerOptions = {}) {
    this.server = net.createServer((socket) => this.accept(socket));
  }

  /** Every PDU received on every connection, in order. */
  get received(): Pdu[] {
    return this.conns.flatMap((c) => c.received);
  }

  ofCommand(command: CommandName): Pdu[] {
    return this.received.filter((p) => p.command === command);
  }

  async listen(): Promise<number> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return (this.server.address() as net.AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const c of this.conns) c.socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: net.Socket): void {
    const conn = new RawConn(socket);
    this.conns.push(conn);
    const deframer = new Deframer();
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      deframer.push(chunk, (frame) => {
        const pdu = decodePdu(frame, conn.version);
        conn.received.push(pdu);
        conn.frames.push(Buffer.from(frame));
        this.onPdu(pdu, conn);
      });
    });
  }

  private onPdu(pdu: Pdu, conn: RawConn): void {
    const { secret = SECRET, onConnect, onPdu, answerActiveTest = true } = this.options;
    if (pdu.command === 'CMPP_CONNECT') {
      conn.version = versionFromByte(pdu.fields.Version as number);
      if (onConnect) {
        onConnect(pdu, conn);
        return;
      }
      conn.respond(pdu, {
        Status: 0,
        AuthenticatorISMG: authenticatorIsmg(
          0,
          pdu.fields.AuthenticatorSource as Buffer,
          secret,
          conn.version,
        ),
        Version: pdu.fields.Version as number,
      });
      return;
    }
    if (pdu.command === 'CMPP_TERMINATE') {
      conn.respond(pdu);
      conn.socket.end();
    } else if (pdu.command === 'CMPP_ACTIVE_TEST' && answerActiveTest) {
      conn.respond(pdu, { Reserved: 0 });
    }
    onPdu?.(pdu, conn);
  }
}

/** A raw SP socket against a CmppServer: collects decoded PDUs, knows when the server closed it. */
export class RawClient {
  readonly received: Pdu[] = [];
  readonly frames: Buffer[] = [];
  readonly closed: Promise<void>;
  isClosed = false;
  private readonly deframer = new Deframer();

  constructor(
    readonly socket: net.Socket,
    public version: CmppVersion = '3.0',
  ) {
    socket.on('error', () => {});
    socket.on('data', (chunk: Buffer) => {
      this.deframer.push(chunk, (frame) => {
        this.frames.push(Buffer.from(frame));
        this.received.push(decodePdu(frame, this.version));
      });
    });
    this.closed = new Promise((resolve) =>
      socket.once('close', () => {
        this.isClosed = true;
        resolve();
      }),
    );
  }

  static connect(port: number, version: CmppVersion = '3.0'): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = net.connect({ host: '127.0.0.1', port }, () => {
        socket.off('error', reject);
        resolve(new RawClient(socket, version));
      });
      socket.once('error', reject);
    });
  }

  write(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  async next(timeoutMs = 2000): Promise<Pdu> {
    const count = this.received.length;
    await waitFor(() => this.received.length > count || this.isClosed, timeoutMs, 'a PDU');
    if (this.received.length === count) throw new Error('closed before a PDU arrived');
    return this.received[count];
  }
}

/** Owns every client, server and socket a test creates and closes them all in cleanup(). */
export class Harness {
  private readonly clients: CmppClient[] = [];
  private readonly servers: CmppServer[] = [];
  private readonly rawServers: RawServer[] = [];
  private readonly rawClients: RawClient[] = [];

  async server(options: Partial<CmppServerOptions> = {}): Promise<{ server: CmppServer; port: number }> {
    const server = new CmppServer({
      accounts: (spId) => (spId === ACCOUNT ? { secret: SECRET } : undefined),
      responseTimeoutMs: 2000,
      ...options,
    });
    this.servers.push(server);
    const { port } = await server.listen(0, '127.0.0.1');
    return { server, port };
  }

  client(port: number, options: Partial<CmppClientOptions> = {}): CmppClient {
    const client = new CmppClient({
      host: '127.0.0.1',
      port,
      account: ACCOUNT,
      secret: SECRET,
      responseTimeoutMs: 2000,
      connectTimeoutMs: 2000,
      reconnect: false,
      ...options,
    });
    this.clients.push(client);
    return client;
  }

  async rawServer(options: RawServerOptions = {}): Promise<{ raw: RawServer; port: number }> {
    const raw = new RawServer(options);
    this.rawServers.push(raw);
    return { raw, port: await raw.listen() };
  }

  async rawClient(port: number, version: CmppVersion = '3.0'): Promise<RawClient> {
    const raw = await RawClient.connect(port, version);
    this.rawClients.push(raw);
    return raw;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close().catch(() => {})));
    for (const r of this.rawClients.splice(0)) r.socket.destroy();
    await Promise.all(this.servers.splice(0).map((s) => s.close()));
    await Promise.all(this.rawServers.splice(0).map((s) => s.close()));
    // Nothing may leak from one test into the next (or keep the worker alive at the end).
    await waitFor(() => openTcpHandles().length === 0, 2000, `TCP handles to close: ${openTcpHandles()}`);
  }
}

/** TCP handles still open in this process (sockets and servers). */
export function openTcpHandles(): string[] {
  return process.getActiveResourcesInfo().filter((r) => r.startsWith('TCP'));
}
