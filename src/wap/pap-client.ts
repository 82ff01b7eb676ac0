import { randomUUID } from 'node:crypto';
import { buildMultipart } from './multipart.js';
import { formatPapAddress, type PapAddress, parsePapAddress } from './pap-address.js';
import { buildPap } from './pap-build.js';
import { parsePap } from './pap-parse.js';
import type {
  CancelResponse,
  PapMessage,
  PushMessage,
  PushResponse,
  StatusQueryResponse,
} from './pap-types.js';

/** A push for PapClient.push: recipients, content, and any push-message attribute. */
export interface PushRequest
  extends Partial<Omit<PushMessage, 'type' | 'pushId' | 'addresses' | 'productName'>> {
  /** Phone numbers (sent as TYPE=PLMN) or complete `WAPPUSH=…` addresses. */
  to: string | readonly string[];
  /** The content entity, e.g. `text/vnd.wap.si` with the SI document; headers such as X-Wap-Application-Id. */
  content: { contentType: string; body: Buffer | string; headers?: Record<string, string> };
  /** Default: a random UUID. */
  pushId?: string;
}

/** The PPG did not answer with the PAP message expected (a badmessage-response, an HTTP error, no PAP). */
export class PapResponseError extends Error {
  override readonly name = 'PapResponseError';
  constructor(
    message: string,
    readonly status: number,
    readonly response?: PapMessage,
  ) {
    super(message);
  }
}

function address(to: string): PapAddress {
  return /^wappush=/i.test(to.trim())
    ? parsePapAddress(to)
    : parsePapAddress(formatPapAddress({ value: to.trim() }));
}

/** The seed's "paplib": a PAP 2.0 Push Initiator for any PPG (facts §8, Transport). */
export class PapClient {
  private readonly fetch: typeof fetch;

  constructor(
    private readonly opts: { ppg: string; apiKey?: string; fetch?: typeof fetch; productName?: string },
  ) {
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  /** Submits a push-message with its content entity as multipart/related. */
  async push(request: PushRequest): Promise<PushResponse> {
    const { to, content, pushId, ...attributes } = request;
    const control: PushMessage = {
      ...attributes,
      type: 'push-message',
      pushId: pushId ?? randomUUID(),
      addresses: (typeof to === 'string' ? [to] : to).map(address),
      ...this.envelope(),
    };
    const lowerHeaders = Object.fromEntries(
      Object.entries(content.headers ?? {}).map(([k, v]) => [k.toLowerCase(), v]),
    );
    const multipart = buildMultipart([
      { headers: { 'content-type': 'application/xml' }, body: Buffer.from(buildPap(control)) },
      {
        headers: { ...lowerHeaders, 'content-type': content.contentType },
        body: typeof content.body === 'string' ? Buffer.from(content.body) : content.body,
      },
    ]);
    return this.send(multipart.body, multipart.contentType, 'push-response');
  }

  /** statusquery-message for a push, at one address or all. */
  async status(pushId: string, to?: string): Promise<StatusQueryResponse> {
    const message: PapMessage = {
      type: 'statusquery-message',
      pushId,
      ...this.addresses(to),
      ...this.envelope(),
    };
    return this.send(Buffer.from(buildPap(message)), 'application/xml', 'statusquery-response');
  }

  /** cancel-message for a push, at one address or all. */
  async cancel(pushId: string, to?: string): Promise<CancelResponse> {
    const message: PapMessage = { type: 'cancel-message', pushId, ...this.addresses(to), ...this.envelope() };
    return this.send(Buffer.from(buildPap(message)), 'application/xml', 'cancel-response');
  }

  private addresses(to: string | undefined) {
    return to === undefined ? {} : { addresses: [address(to)] };
  }

  private envelope() {
    return this.opts.productName === undefined ? {} : { productName: this.opts.productName };
  }

  private async send<T extends PapMessage['type']>(
    body: Buffer,
    contentType: string,
    expected: T,
  ): Promise<Extract<PapMessage, { type: T }>> {
    const headers: Record<string, string> = { 'content-type': contentType, accept: 'application/xml' };
    if (this.opts.apiKey) headers.authorization = `Bearer ${this.opts.apiKey}`;
    const res = await this.fetch(this.opts.ppg, { method: 'POST', headers, body: new Uint8Array(body) });
    const text = await res.text();
    let reply: PapMessage;
    try {
      reply = parsePap(text);
    } catch {
      throw new PapResponseError(`PPG answered HTTP ${res.status} without a PAP document`, res.status);
    }
    if (reply.type === expected) return reply as Extract<PapMessage, { type: T }>;
    const detail = 'code' in reply ? ` ${reply.code}${reply.desc ? ` ${reply.desc}` : ''}` : '';
    throw new PapResponseError(`PPG answered ${reply.type}${detail}`, res.status, reply);
  }
}
