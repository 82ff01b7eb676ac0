import type { PapAddress } from './pap-address.js';

/** Message states of statusquery-result and resultnotification-message (facts §8). */
export type MessageState =
  | 'pending'
  | 'delivered'
  | 'undeliverable'
  | 'expired'
  | 'cancelled'
  | 'timeout'
  | 'unknown'
  | 'aborted';

/** Every message may carry the `<pap product-name>` of its sender. */
interface PapEnvelope {
  productName?: string;
}

/** `<quality-of-service>`; absent attributes take the DTD defaults noted. */
export interface QualityOfService {
  /** Default medium. */
  priority?: 'high' | 'medium' | 'low';
  /** Default notspecified. */
  deliveryMethod?: 'confirmed' | 'preferconfirmed' | 'unconfirmed' | 'notspecified';
  network?: string;
  /** Default false. */
  networkRequired?: boolean;
  bearer?: string;
  /** Default false. */
  bearerRequired?: boolean;
}

/** `<response-result code desc>`. */
export interface ResponseResult {
  code: number;
  desc?: string;
}

/** `<progress-note stage note time>`. */
export interface ProgressNote {
  stage: string;
  note?: string;
  time?: Date;
}

/** PI → PPG: submit a push. */
export interface PushMessage extends PapEnvelope {
  type: 'push-message';
  pushId: string;
  replacePushId?: string;
  /** Default all. */
  replaceMethod?: 'pending-only' | 'all';
  deliverBeforeTimestamp?: Date;
  deliverAfterTimestamp?: Date;
  sourceReference?: string;
  /** URL the PPG posts the resultnotification-message to. */
  ppgNotifyRequestedTo?: string;
  /** Default false. */
  progressNotesRequested?: boolean;
  /** One or more. */
  addresses: PapAddress[];
  qualityOfService?: QualityOfService;
}

/** PPG → PI: the answer to a push-message. */
export interface PushResponse extends PapEnvelope {
  type: 'push-response';
  pushId: string;
  senderAddress?: string;
  senderName?: string;
  replyTime?: Date;
  progressNotes?: ProgressNote[];
  result: ResponseResult;
}

/** PI → PPG: cancel a push, for all its addresses or the ones listed. */
export interface CancelMessage extends PapEnvelope {
  type: 'cancel-message';
  pushId: string;
  addresses?: PapAddress[];
}

/** One outcome of a cancel, for the addresses listed (all when none). */
export interface CancelResult {
  code: number;
  desc?: string;
  addresses?: PapAddress[];
}

export interface CancelResponse extends PapEnvelope {
  type: 'cancel-response';
  pushId: string;
  /** One or more. */
  results: CancelResult[];
}

/** PI → PPG: the state of a push, for all its addresses or the ones listed. */
export interface StatusQueryMessage extends PapEnvelope {
  type: 'statusquery-message';
  pushId: string;
  addresses?: PapAddress[];
}

/** The state of a push at the addresses listed (all when none). */
export interface StatusQueryResult {
  messageState: MessageState;
  code: number;
  desc?: string;
  eventTime?: Date;
  addresses?: PapAddress[];
}

export interface StatusQueryResponse extends PapEnvelope {
  type: 'statusquery-response';
  pushId: string;
  /** One or more. */
  results: StatusQueryResult[];
}

/** PPG → PI (at ppg-notify-requested-to): the final outcome of a push at one address. */
export interface ResultNotificationMessage extends PapEnvelope {
  type: 'resultnotification-message';
  pushId: string;
  senderAddress?: string;
  senderName?: string;
  receivedTime?: Date;
  eventTime?: Date;
  messageState: MessageState;
  code: number;
  desc?: string;
  /** Exactly one in PAP 2.0. */
  addresses: PapAddress[];
  qualityOfService?: QualityOfService;
}

/** PI → PPG: the acknowledgement of a resultnotification-message (1000 or 2000). */
export interface ResultNotificationResponse extends PapEnvelope {
  type: 'resultnotification-response';
  pushId: string;
  code: number;
  desc?: string;
  addresses?: PapAddress[];
}

/** PI → PPG: client capabilities query. */
export interface CcqMessage extends PapEnvelope {
  type: 'ccq-message';
  queryId: string;
  appId?: string;
  /** Exactly one. */
  addresses: PapAddress[];
}

export interface CcqResponse extends PapEnvelope {
  type: 'ccq-response';
  queryId: string;
  code: number;
  desc?: string;
}

/** PPG → PI: a request it could not read. */
export interface BadMessageResponse extends PapEnvelope {
  type: 'badmessage-response';
  code: number;
  desc?: string;
  badMessageFragment?: string;
}

export type PapMessage =
  | PushMessage
  | CancelMessage
  | StatusQueryMessage
  | ResultNotificationMessage
  | CcqMessage
  | PushResponse
  | CancelResponse
  | StatusQueryResponse
  | ResultNotificationResponse
  | CcqResponse
  | BadMessageResponse;

export type PapMessageType = PapMessage['type'];
