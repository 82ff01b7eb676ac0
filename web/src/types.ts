/* The JSON the dashboard reads from the gateway's API; what the server declares in Node-free files comes from there. */

import type { LinkView } from '../../src/gateway/link-view.js';
import type { FlowPoint } from '../../src/gateway/throughput.js';

export { MESSAGE_STATUSES } from '../../src/store/status.js';
export type { FlowPoint, LinkView };

export interface StoreStats {
  messagesByStatus: Record<string, number>;
  queuedSegments: number;
  webhooksPending: number;
  mo: number;
  orphanReports: number;
}

export interface Tick {
  at: number;
  links: LinkView[];
  store: StoreStats;
  reportsByStat: Record<string, number>;
  point: FlowPoint;
}

export interface Snapshot extends Omit<Tick, 'point'> {
  throughput: FlowPoint[];
}

export interface Segment {
  index: number;
  msgId: string | null;
  status: string;
  result: number | null;
  stat: string | null;
  submittedAt: string | null;
  reportedAt: string | null;
}

export interface Message {
  id: string;
  account: string;
  clientRef: string | null;
  to: string;
  from: string;
  text: string | null;
  binary: string | null;
  encoding: string;
  report: boolean;
  status: string;
  error: string | null;
  createdAt: string;
  updatedAt: string;
  segments: Segment[];
}

export interface Mo {
  id: string;
  account: string;
  from: string;
  to: string;
  text: string | null;
  binary: string | null;
  parts: number;
  receivedAt: string;
}

export interface Webhook {
  url: string;
  status: 'pending' | 'delivered' | 'dead';
  attempts: number;
  createdAt: string;
  nextAttemptAt: string | null;
  deliveredAt: string | null;
  lastError: string | null;
}

export interface Page<T> {
  items: T[];
  next: string | null;
}

export interface PushAddress {
  address: string;
  messageId: string;
  /** The PAP state of the push to this address. */
  state: string;
  /** The state of the message that carries it. */
  status: string;
  updatedAt: string;
}

export interface Push {
  pushId: string;
  account: string;
  contentType: string;
  notifyTo: string | null;
  /** The PAP source-reference: the PI's name for the content's source. */
  sourceReference: string | null;
  deliverBefore: string | null;
  deliverAfter: string | null;
  createdAt: string;
  addresses: PushAddress[];
}

export interface PushAccepted {
  pushId: string;
  messages: { id: string }[];
}
