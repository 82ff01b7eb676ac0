import { freshView } from '../store/fresh-view.js';
import type { MessageView, NewMessage, NewPush, PushAddressView, Store } from '../store/types.js';
import {
  type CancelMessage,
  type CancelResponse,
  type CcqMessage,
  type CcqResponse,
  type MessageState,
  type MultipartPart,
  PAP_CODES,
  type PapMessage,
  PapParseError,
  type PushMessage,
  type PushResponse,
  parsePapAddress,
  readPapRequest,
  type StatusQueryMessage,
  type StatusQueryResponse,
} from '../wap/index.js';
import type { AccountConfig } from './config.js';
import { composePush, pushRecipient } from './ppg-compose.js';
import { PapFailure } from './ppg-errors.js';
import { jsonPush, jsonRefusal, type WapPushRequest } from './ppg-json.js';
import { count, PushProgress } from './ppg-progress.js';
import { papState } from './ppg-states.js';

/** What the PPG needs of the gateway. */
export interface PushGateway {
  readonly store: Store;
  accountConfig(name?: string): AccountConfig;
  nextReference(account: string): number;
  /** Stores the push and its messages and wakes the account's dispatcher; false when the push-id exists. */
  storePush(push: NewPush, messages: NewMessage[]): Promise<boolean>;
}

export interface PpgOptions {
  /** The account pushes go out on (default: the first). */
  account?: string;
  /** sender-name in responses and notifications. */
  senderName: string;
  /** A submitted push with no report after this long is `timeout`. */
  reportWaitMs: number;
}

/** A PAP answer: the HTTP status and the PAP document. */
export interface PapReply {
  status: number;
  control: PapMessage;
}

/** The HTTP status of a push-response or badmessage-response with this PAP code. */
function httpStatus(code: number): number {
  if (code === 1001) return 202;
  if (code < 2000) return 200;
  if (code === 2001) return 403;
  if (code === 3000) return 500;
  if (code >= 4000) return 503;
  return 400;
}

const result = (code: number, desc = PAP_CODES[code]) => ({ code, desc });

/** The number an address string reaches, or undefined when it reaches none. */
function numberOf(address: string): string | undefined {
  try {
    return pushRecipient(parsePapAddress(address));
  } catch {
    return undefined;
  }
}

/** The parsed stage's note: what the request holds. */
function describeRequest(control: PushMessage, content: MultipartPart | undefined): string {
  const to = count(control.addresses.length, 'address', 'addresses');
  if (!content) return `push-message to ${to}, without a content entity`;
  const type = content.headers['content-type'] ?? 'no Content-Type';
  return `push-message to ${to} with a content entity of ${content.body.length} bytes (${type})`;
}

/** The stored stage's note: what was committed, and when it goes out. */
function describeStored(push: NewPush, now: number): string {
  const when =
    push.deliverAfter !== null && push.deliverAfter > now
      ? `held until ${new Date(push.deliverAfter).toISOString()}`
      : 'queued for sending';
  const expiry = push.deliverBefore === null ? '' : `, expires ${new Date(push.deliverBefore).toISOString()}`;
  const stored = `${count(push.addresses.length, 'message')} stored durably on account ${push.account}`;
  return `${stored}, ${when}${expiry}`;
}

/**
 * The Push Proxy Gateway: PAP 2.0 operations (protocol-facts §8) over the normal message pipeline. Every
 * address of a push is one durable message; its PAP state is derived from that message's SMS state.
 */
export class Ppg {
  private tid = 0;

  constructor(
    private readonly gateway: PushGateway,
    private readonly options: PpgOptions,
  ) {}

  /** Answers one PAP request body (multipart/related, or a bare PAP document). */
  async handle(body: Buffer, contentType: string | undefined): Promise<PapReply> {
    let request: ReturnType<typeof readPapRequest>;
    try {
      request = readPapRequest(body, contentType ?? '');
    } catch (err) {
      if (!(err instanceof PapParseError)) throw err;
      return this.bad(err.code, err.message, body);
    }
    const control = request.control;
    switch (control.type) {
      case 'push-message': {
        const progress = control.progressNotesRequested ? new PushProgress() : undefined;
        progress?.note('parsed', describeRequest(control, request.content));
        const response = await this.push(control, request.content, progress);
        return { status: httpStatus(response.result.code), control: response };
      }
      case 'statusquery-message':
        return { status: 200, control: await this.status(control) };
      case 'cancel-message':
        return { status: 200, control: await this.cancel(control) };
      case 'ccq-message':
        return { status: 200, control: this.ccq(control) };
      default:
        return this.bad(2000, `a PPG does not accept ${control.type}`, body);
    }
  }

  private bad(code: number, desc: string, body: Buffer): PapReply {
    return {
      status: httpStatus(code),
      control: {
        type: 'badmessage-response',
        code,
        desc,
        badMessageFragment: body.subarray(0, 256).toString('utf8'),
      },
    };
  }

  /**
   * push-message: 1001 once every address is durably queued, or the code of what is wrong (nothing stored).
   * With progress-notes-requested, the answer lists the stages passed before it, a refusal included.
   */
  async push(
    control: PushMessage,
    content: MultipartPart | undefined,
    progress?: PushProgress,
  ): Promise<PushResponse> {
    const respond = (code: number, desc?: string): PushResponse => ({
      type: 'push-response',
      pushId: control.pushId,
      senderName: this.options.senderName,
      replyTime: new Date(),
      ...(progress && { progressNotes: progress.notes }),
      result: result(code, desc),
    });
    try {
      await this.accept(control, content, progress);
      return respond(1001);
    } catch (err) {
      if (err instanceof PapFailure) return respond(err.code, err.message);
      throw err;
    }
  }

  /** Stores the push and its messages (returned), or throws the PapFailure that refuses it. */
  private async accept(
    control: PushMessage,
    content: MultipartPart | undefined,
    progress?: PushProgress,
  ): Promise<NewMessage[]> {
    if (!content)
      throw new PapFailure(2000, 'a push-message needs a content entity after the control entity');
    const duplicate = () => new PapFailure(2007, `push-id ${control.pushId} was used before`);
    // A replacement cancels the replaced push: make sure first that this push will be stored.
    if (control.replacePushId && (await this.gateway.store.getPush(control.pushId))) throw duplicate();
    const account = this.gateway.accountConfig(this.options.account);
    const now = Date.now();
    const composed = composePush({
      control,
      content,
      account,
      tid: this.tid++ & 0xff,
      reference: this.gateway.nextReference(account.name),
      now,
      progress,
    });
    if (control.replacePushId) await this.replace(control, composed, now, progress);
    if (!(await this.gateway.storePush(composed.push, composed.messages))) throw duplicate();
    progress?.note('stored', describeStored(composed.push, now));
    return composed.messages;
  }

  /**
   * replace-push-id: what the replaced push has not sent yet is cancelled. With replace-method
   * pending-only the new push goes only where the old one was still pending (or never went).
   */
  private async replace(
    control: PushMessage,
    composed: { push: NewPush; messages: NewMessage[] },
    now: number,
    progress: PushProgress | undefined,
  ): Promise<void> {
    const old = await this.gateway.store.getPush(control.replacePushId as string);
    if (!old) {
      progress?.note('replaced', `no push ${control.replacePushId} to replace; nothing cancelled`);
      return;
    }
    const sent = new Set<string>();
    let cancelled = 0;
    for (const a of old.addresses) {
      const outcome = await this.gateway.store.cancelMessage(a.messageId, now);
      if (outcome === 'cancelled') cancelled++;
      const to = numberOf(a.address);
      if (outcome === 'too_late' && to) sent.add(to);
    }
    const done =
      `push ${old.pushId}: ${count(cancelled, 'address', 'addresses')} cancelled before sending, ` +
      `${old.addresses.length - cancelled} already sent or final`;
    if ((control.replaceMethod ?? 'all') === 'all') {
      progress?.note('replaced', done);
      return;
    }
    const keep = composed.messages.map((m) => !sent.has(m.to));
    const kept = keep.filter(Boolean).length;
    progress?.note('replaced', `${done}; pending-only: this push goes to ${kept} of ${keep.length}`);
    if (kept === 0)
      throw new PapFailure(3003, `every address of push ${old.pushId} was already sent; nothing to replace`);
    composed.messages = composed.messages.filter((_, i) => keep[i]);
    composed.push.addresses = composed.push.addresses.filter((_, i) => keep[i]);
  }

  /** The addresses of a push a query names (all when it names none), and the ones it names that are not there. */
  private select(
    addresses: PushAddressView[],
    asked: { raw: string }[] | undefined,
  ): { found: PushAddressView[]; missing: string[] } {
    if (!asked || asked.length === 0) return { found: addresses, missing: [] };
    const found: PushAddressView[] = [];
    const missing: string[] = [];
    for (const a of asked) {
      const to = numberOf(a.raw);
      const hit = addresses.find((p) => p.address === a.raw || (to && numberOf(p.address) === to));
      if (hit) found.push(hit);
      else missing.push(a.raw);
    }
    return { found, missing };
  }

  async status(q: StatusQueryMessage): Promise<StatusQueryResponse> {
    const push = await this.gateway.store.getPush(q.pushId);
    if (!push) {
      return {
        type: 'statusquery-response',
        pushId: q.pushId,
        results: [{ messageState: 'unknown', ...result(2004), addresses: [] }],
      };
    }
    const { found, missing } = this.select(push.addresses, q.addresses);
    return {
      type: 'statusquery-response',
      pushId: q.pushId,
      results: [
        ...found.map((a) => ({
          messageState: this.stateOf(a),
          ...result(1000),
          eventTime: new Date(a.updatedAt),
          addresses: [parsePapAddress(a.address)],
        })),
        ...missing.map((raw) => ({
          messageState: 'unknown' as const,
          ...result(2003),
          addresses: [parsePapAddress(raw)],
        })),
      ],
    };
  }

  async cancel(q: CancelMessage): Promise<CancelResponse> {
    const push = await this.gateway.store.getPush(q.pushId);
    if (!push)
      return { type: 'cancel-response', pushId: q.pushId, results: [{ ...result(2004), addresses: [] }] };
    const { found, missing } = this.select(push.addresses, q.addresses);
    const byCode = new Map<number, string[]>();
    const add = (code: number, address: string) => byCode.set(code, [...(byCode.get(code) ?? []), address]);
    const now = Date.now();
    for (const a of found) {
      const outcome = await this.gateway.store.cancelMessage(a.messageId, now);
      add(outcome === 'cancelled' ? 1000 : 2008, a.address);
    }
    for (const raw of missing) add(2003, raw);
    return {
      type: 'cancel-response',
      pushId: q.pushId,
      results: [...byCode].map(([code, addresses]) => ({
        ...result(code),
        addresses: addresses.map((a) => parsePapAddress(a)),
      })),
    };
  }

  /** No capability database: the honest answer is "capabilities not available". */
  ccq(q: CcqMessage): CcqResponse {
    return {
      type: 'ccq-response',
      queryId: q.queryId,
      ...result(3008, 'Capabilities Not Available: this PPG keeps no device capability database'),
    };
  }

  /** The PAP state of a push's address now. */
  stateOf(a: Pick<PushAddressView, 'status' | 'updatedAt'>): MessageState {
    return papState(a, Date.now(), this.options.reportWaitMs);
  }

  /** `POST /api/v1/wap-push`: the push's id and its messages, or a GatewayError naming the field. */
  async pushJson(req: WapPushRequest): Promise<{ pushId: string; messages: MessageView[] }> {
    const { control, content } = jsonPush(req, Date.now());
    try {
      const messages = await this.accept(control, content);
      return { pushId: control.pushId, messages: messages.map(freshView) };
    } catch (err) {
      if (err instanceof PapFailure) throw jsonRefusal(err, req);
      throw err;
    }
  }
}
