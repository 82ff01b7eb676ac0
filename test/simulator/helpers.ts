import type { DeliverFields, Pdu, SubmitFields } from '../../src/cmpp/index.js';
import { CmppClient, type CmppClientOptions } from '../../src/session/index.js';
import { Simulator, type SimulatorConfigInput, type SimulatorOptions } from '../../src/simulator/index.js';
import { openTcpHandles, waitFor } from '../session/helpers.js';

/* Simulators and SP clients on 127.0.0.1 (port 0), with short timers; Harness.cleanup() closes them all. */

export const ACCOUNT = '900001';
export const SECRET = 'sim-secret';
export const SERVICE_CODE = '1065900001';

/** A SUBMIT this account's simulator accepts (Result 0). */
export function submitFields(overrides: Partial<SubmitFields> = {}): SubmitFields {
  return {
    Pk_total: 1,
    Pk_number: 1,
    Registered_Delivery: 1,
    TP_udhi: 0,
    Msg_Fmt: 0,
    Service_Id: 'TEST',
    Msg_src: ACCOUNT,
    FeeType: '01',
    FeeCode: '000000',
    Src_Id: `${SERVICE_CODE}01`,
    Dest_terminal_Id: ['13800138000'],
    Msg_Content: Buffer.from('hello', 'latin1'),
    ...overrides,
  };
}

/** A client with the DELIVERs it received. */
export interface TestClient {
  client: CmppClient;
  delivers: Pdu<DeliverFields>[];
}

export interface HttpAnswer<T = unknown> {
  status: number;
  body: T;
}

export class Harness {
  private readonly simulators: Simulator[] = [];
  private readonly clients: CmppClient[] = [];

  async simulator(config: SimulatorConfigInput = {}, options: SimulatorOptions = {}): Promise<Simulator> {
    const simulator = new Simulator(
      {
        port: 0,
        httpPort: 0,
        responseTimeoutMs: 300,
        heartbeatIntervalMs: 0,
        accounts: { [ACCOUNT]: { secret: SECRET, serviceCode: SERVICE_CODE } },
        ...config,
        reports: { delayMs: 0, ...config.reports },
      },
      options,
    );
    this.simulators.push(simulator);
    await simulator.start();
    return simulator;
  }

  client(simulator: Simulator, options: Partial<CmppClientOptions> = {}): TestClient {
    const delivers: Pdu<DeliverFields>[] = [];
    const client = new CmppClient({
      host: '127.0.0.1',
      port: simulator.cmppAddress.port,
      account: ACCOUNT,
      secret: SECRET,
      responseTimeoutMs: 1000,
      connectTimeoutMs: 2000,
      reconnect: false,
      onDeliver: (pdu) => {
        delivers.push(pdu);
        return 0;
      },
      ...options,
    });
    this.clients.push(client);
    return { client, delivers };
  }

  /** A logged-in client. */
  async connected(simulator: Simulator, options: Partial<CmppClientOptions> = {}): Promise<TestClient> {
    const c = this.client(simulator, options);
    await c.client.connect();
    return c;
  }

  async cleanup(): Promise<void> {
    await Promise.all(this.clients.splice(0).map((c) => c.close().catch(() => {})));
    await Promise.all(this.simulators.splice(0).map((s) => s.stop()));
    await waitFor(() => openTcpHandles().length === 0, 2000, `TCP handles to close: ${openTcpHandles()}`);
  }
}

/** Calls the control API with a JSON body (if any) and parses the JSON answer. */
export async function http<T = unknown>(
  simulator: Simulator,
  method: string,
  path: string,
  body?: unknown,
): Promise<HttpAnswer<T>> {
  const response = await fetch(`${simulator.httpUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}
