import type { PapMessageType } from './pap-types.js';

/** How an attribute's text maps to its field: text, a date, true/false, a PAP code, or one of a list. */
export type AttrKind = 'text' | 'date' | 'bool' | 'code' | readonly string[];

export interface AttrSpec {
  name: string;
  kind: AttrKind;
  required?: boolean;
}

export interface ChildSpec {
  element: string;
  key: string;
  shape: Shape | 'address';
  many: boolean;
  min: number;
}

/** An element's attributes (field = camelCase of the name) and child elements, in DTD order. */
export interface Shape {
  attrs: AttrSpec[];
  children: ChildSpec[];
}

export const MESSAGE_STATES = [
  'pending',
  'delivered',
  'undeliverable',
  'expired',
  'cancelled',
  'timeout',
  'unknown',
  'aborted',
] as const;

const text = (name: string, required = false): AttrSpec => ({ name, kind: 'text', required });
const date = (name: string): AttrSpec => ({ name, kind: 'date' });
const bool = (name: string): AttrSpec => ({ name, kind: 'bool' });
const code: AttrSpec = { name: 'code', kind: 'code', required: true };
const desc = text('desc');
const pushId = text('push-id', true);
const state: AttrSpec = { name: 'message-state', kind: MESSAGE_STATES, required: true };

const addresses = (min: number): ChildSpec => ({
  element: 'address',
  key: 'addresses',
  shape: 'address',
  many: true,
  min,
});
const shape = (attrs: AttrSpec[], children: ChildSpec[] = []): Shape => ({ attrs, children });
const many = (element: string, key: string, of: Shape, min: number): ChildSpec => ({
  element,
  key,
  shape: of,
  many: true,
  min,
});
const one = (element: string, key: string, of: Shape, min: number): ChildSpec => ({
  element,
  key,
  shape: of,
  many: false,
  min,
});

const qos = one(
  'quality-of-service',
  'qualityOfService',
  shape([
    { name: 'priority', kind: ['high', 'medium', 'low'] },
    { name: 'delivery-method', kind: ['confirmed', 'preferconfirmed', 'unconfirmed', 'notspecified'] },
    text('network'),
    bool('network-required'),
    text('bearer'),
    bool('bearer-required'),
  ]),
  0,
);

/** The eleven PAP 2.0 messages (facts §8 element table; WAP-247 DTD). */
export const MESSAGES: Record<PapMessageType, Shape> = {
  'push-message': shape(
    [
      pushId,
      text('replace-push-id'),
      { name: 'replace-method', kind: ['pending-only', 'all'] },
      date('deliver-before-timestamp'),
      date('deliver-after-timestamp'),
      text('source-reference'),
      text('ppg-notify-requested-to'),
      bool('progress-notes-requested'),
    ],
    [addresses(1), qos],
  ),
  'push-response': shape(
    [pushId, text('sender-address'), text('sender-name'), date('reply-time')],
    [
      many('progress-note', 'progressNotes', shape([text('stage', true), text('note'), date('time')]), 0),
      one('response-result', 'result', shape([code, desc]), 1),
    ],
  ),
  'cancel-message': shape([pushId], [addresses(0)]),
  'cancel-response': shape(
    [pushId],
    [many('cancel-result', 'results', shape([code, desc], [addresses(0)]), 1)],
  ),
  'statusquery-message': shape([pushId], [addresses(0)]),
  'statusquery-response': shape(
    [pushId],
    [
      many(
        'statusquery-result',
        'results',
        shape([state, code, desc, date('event-time')], [addresses(0)]),
        1,
      ),
    ],
  ),
  'resultnotification-message': shape(
    [
      pushId,
      text('sender-address'),
      text('sender-name'),
      date('received-time'),
      date('event-time'),
      state,
      code,
      desc,
    ],
    [addresses(1), qos],
  ),
  'resultnotification-response': shape([pushId, code, desc], [addresses(0)]),
  'ccq-message': shape([text('query-id', true), text('app-id')], [addresses(1)]),
  'ccq-response': shape([text('query-id', true), code, desc]),
  'badmessage-response': shape([code, desc, text('bad-message-fragment')]),
};

/** The schema's attribute names are few: each is converted once. */
const FIELD_NAMES = new Map<string, string>();

/** `deliver-before-timestamp` → `deliverBeforeTimestamp`. */
export function fieldName(attribute: string): string {
  let name = FIELD_NAMES.get(attribute);
  if (name === undefined) {
    name = attribute.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
    FIELD_NAMES.set(attribute, name);
  }
  return name;
}
