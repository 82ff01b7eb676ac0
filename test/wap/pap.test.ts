import { describe, expect, it } from 'vitest';
import {
  buildPap,
  formatPapAddress,
  PAP_CODES,
  type PapAddress,
  type PapMessage,
  PapParseError,
  parsePap,
  parsePapAddress,
} from '../../src/wap/index.js';

const addr = (value: string): PapAddress => parsePapAddress(formatPapAddress({ value }));
const t = (s: string) => new Date(s);

const MESSAGES: PapMessage[] = [
  {
    type: 'push-message',
    productName: 'PI 1.0',
    pushId: 'p1@pi.example.com',
    replacePushId: 'p0',
    replaceMethod: 'pending-only',
    deliverBeforeTimestamp: t('2024-01-16T10:30:00Z'),
    deliverAfterTimestamp: t('2024-01-15T10:30:00Z'),
    sourceReference: '新闻 & "快讯"',
    ppgNotifyRequestedTo: 'http://pi.example.com/notify?a=1&b=2',
    progressNotesRequested: true,
    addresses: [addr('+8613800138000'), parsePapAddress('WAPPUSH=13900139000/TYPE=PLMN@ppg.example.com')],
    qualityOfService: {
      priority: 'high',
      deliveryMethod: 'unconfirmed',
      network: 'GSM',
      networkRequired: true,
      bearer: 'SMS',
      bearerRequired: false,
    },
  },
  { type: 'push-message', pushId: 'min', addresses: [addr('13800138000')] },
  {
    type: 'push-response',
    pushId: 'p1',
    senderAddress: 'http://ppg.example.com/pap',
    senderName: 'cmppgw',
    replyTime: t('2024-01-15T10:30:01Z'),
    progressNotes: [{ stage: 'accepted', note: 'queued', time: t('2024-01-15T10:30:01Z') }],
    result: { code: 1001, desc: PAP_CODES[1001] },
  },
  { type: 'push-response', pushId: 'p2', result: { code: 2002 } },
  { type: 'cancel-message', pushId: 'p1' },
  { type: 'cancel-message', pushId: 'p1', addresses: [addr('+8613800138000')] },
  {
    type: 'cancel-response',
    pushId: 'p1',
    results: [
      { code: 1000, desc: 'OK', addresses: [addr('+8613800138000')] },
      { code: 2008, desc: PAP_CODES[2008], addresses: [addr('+8613900139000')] },
    ],
  },
  { type: 'statusquery-message', pushId: 'p1', addresses: [addr('+8613800138000')] },
  {
    type: 'statusquery-response',
    pushId: 'p1',
    results: [
      {
        messageState: 'delivered',
        code: 1000,
        desc: 'OK',
        eventTime: t('2024-01-15T10:31:00Z'),
        addresses: [addr('+8613800138000')],
      },
      { messageState: 'pending', code: 1001 },
    ],
  },
  {
    type: 'resultnotification-message',
    pushId: 'p1',
    senderAddress: 'http://ppg.example.com/pap',
    senderName: 'cmppgw',
    receivedTime: t('2024-01-15T10:30:00Z'),
    eventTime: t('2024-01-15T10:31:00Z'),
    messageState: 'undeliverable',
    code: 4000,
    desc: PAP_CODES[4000],
    addresses: [addr('+8613800138000')],
    qualityOfService: { deliveryMethod: 'confirmed' },
  },
  { type: 'resultnotification-response', pushId: 'p1', code: 1000, addresses: [addr('+8613800138000')] },
  {
    type: 'ccq-message',
    queryId: 'q1',
    appId: 'x-wap-application:push.sia',
    addresses: [addr('+8613800138000')],
  },
  { type: 'ccq-response', queryId: 'q1', code: 3001, desc: PAP_CODES[3001] },
  { type: 'badmessage-response', code: 2000, desc: 'Bad Request', badMessageFragment: '<pap><push-message' },
];

describe('PAP documents (facts §8)', () => {
  it.each(MESSAGES.map((m) => [m.type, m] as const))('parse(build(%s)) round-trips', (_, message) => {
    const xml = buildPap(message);
    expect(xml.startsWith('<?xml version="1.0"?>\n<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.0//EN"')).toBe(
      true,
    );
    expect(parsePap(xml)).toEqual(message);
  });

  it('every state round-trips in a statusquery-result', () => {
    for (const messageState of [
      'pending',
      'delivered',
      'undeliverable',
      'expired',
      'cancelled',
      'timeout',
      'unknown',
      'aborted',
    ] as const) {
      const m: PapMessage = {
        type: 'statusquery-response',
        pushId: 'x',
        results: [{ messageState, code: 1000 }],
      };
      expect(parsePap(buildPap(m))).toEqual(m);
    }
  });

  it('has a description for every code of the table', () => {
    const codes = [1000, 1001, ...range(2000, 2008), ...range(3000, 3011), ...range(4000, 4004), 5000, 5001];
    expect(Object.keys(PAP_CODES).map(Number)).toEqual(codes);
    for (const c of codes) expect(PAP_CODES[c]).toMatch(/\w/);
  });

  it('reads a real-world PAP 2.0 request: internal-subset DOCTYPE, lower-case keywords, %-escapes, two addresses', () => {
    const xml = `<?xml version="1.0"?>
<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.0//EN"
          "http://www.wapforum.org/DTD/pap_2.0.dtd"
          [<?wap-pap-ver supported-versions="2.0,1.*"?>]>
<pap>
  <push-message push-id="9fjeo39jf084@pi.com" deliver-before-timestamp="2024-02-01T06:45:00Z"
                ppg-notify-requested-to="http://pi.example.com/notify">
    <address address-value="wappush=%2B8613800138000/type=plmn@ppg.operator.com"/>
    <address address-value="WAPPUSH=john%40example.com/TYPE=USER"/>
    <quality-of-service delivery-method="unconfirmed"/>
  </push-message>
</pap>`;
    const m = parsePap(xml);
    expect(m).toMatchObject({
      type: 'push-message',
      pushId: '9fjeo39jf084@pi.com',
      deliverBeforeTimestamp: t('2024-02-01T06:45:00Z'),
      qualityOfService: { deliveryMethod: 'unconfirmed' },
      addresses: [
        { value: '+8613800138000', type: 'PLMN', ppg: 'ppg.operator.com' },
        { value: 'john@example.com', type: 'USER' },
      ],
    });
  });

  it('reads Kannel-style PAP 1.0 replies and documents without DOCTYPE', () => {
    const v1 = `<?xml version="1.0"?>
<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 1.0//EN" "http://www.wapforum.org/DTD/pap_1.0.dtd">
<pap product-name="Kannel 1.4.5"><push-response push-id="p1" sender-address="localhost:8080/wappush">
<response-result code="1001" desc="Accepted for processing"></response-result></push-response></pap>`;
    expect(parsePap(v1)).toEqual({
      type: 'push-response',
      productName: 'Kannel 1.4.5',
      pushId: 'p1',
      senderAddress: 'localhost:8080/wappush',
      result: { code: 1001, desc: 'Accepted for processing' },
    });
    expect(parsePap('<pap><cancel-message push-id="x"/></pap>')).toEqual({
      type: 'cancel-message',
      pushId: 'x',
    });
  });

  it.each([
    ['bad XML', '<pap><push-message push-id="x"></pap>', 2000, undefined],
    ['unknown root', '<pop><push-message push-id="x"/></pop>', 2000, 'pap'],
    ['unknown message', '<pap><push-mess push-id="x"/></pap>', 2000, 'push-mess'],
    ['two messages', '<pap><cancel-message push-id="x"/><cancel-message push-id="y"/></pap>', 2000, 'pap'],
    [
      'missing push-id',
      '<pap><push-message><address address-value="WAPPUSH=1380013800/TYPE=PLMN"/></push-message></pap>',
      2000,
      'push-id',
    ],
    ['no address', '<pap><push-message push-id="x"/></pap>', 2002, 'address'],
    [
      'bad address',
      '<pap><push-message push-id="x"><address address-value="+8613800138000"/></push-message></pap>',
      2002,
      'address-value',
    ],
    [
      'missing address-value',
      '<pap><push-message push-id="x"><address/></push-message></pap>',
      2002,
      'address-value',
    ],
    [
      'bad timestamp',
      '<pap><push-message push-id="x" deliver-before-timestamp="tomorrow"><address address-value="WAPPUSH=13800138000/TYPE=PLMN"/></push-message></pap>',
      2000,
      'deliver-before-timestamp',
    ],
    [
      'bad boolean',
      '<pap><push-message push-id="x" progress-notes-requested="yes"><address address-value="WAPPUSH=13800138000/TYPE=PLMN"/></push-message></pap>',
      2000,
      'progress-notes-requested',
    ],
    [
      'bad priority',
      '<pap><push-message push-id="x"><address address-value="WAPPUSH=13800138000/TYPE=PLMN"/><quality-of-service priority="urgent"/></push-message></pap>',
      2000,
      'priority',
    ],
    [
      'bad code',
      '<pap><push-response push-id="x"><response-result code="ok"/></push-response></pap>',
      2000,
      'code',
    ],
    ['no response-result', '<pap><push-response push-id="x"/></pap>', 2000, 'response-result'],
    [
      'bad state',
      '<pap><statusquery-response push-id="x"><statusquery-result message-state="lost" code="1000"/></statusquery-response></pap>',
      2000,
      'message-state',
    ],
    [
      'other DTD',
      '<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 3.0//EN" "x"><pap><cancel-message push-id="x"/></pap>',
      3002,
      'DOCTYPE',
    ],
  ])('%s → PapParseError', (_, xml, code, field) => {
    const err = catchError(() => parsePap(xml));
    expect(err).toBeInstanceOf(PapParseError);
    expect(err).toMatchObject({ code, field });
  });
});

describe('PAP client addresses (facts §8)', () => {
  it('parses keywords in any case, the optional @ppg and %-escapes', () => {
    expect(parsePapAddress('WAPPUSH=+8613800138000/TYPE=PLMN@ppg.example.com')).toEqual({
      value: '+8613800138000',
      type: 'PLMN',
      ppg: 'ppg.example.com',
      raw: 'WAPPUSH=+8613800138000/TYPE=PLMN@ppg.example.com',
    });
    expect(parsePapAddress('wappush=%2b8613800138000/type=plmn')).toMatchObject({
      value: '+8613800138000',
      type: 'PLMN',
    });
    expect(parsePapAddress('WAPPUSH=a%2Fb%40c/TYPE=USER@ppg')).toMatchObject({
      value: 'a/b@c',
      type: 'USER',
      ppg: 'ppg',
    });
  });

  it('formats with %-escapes that parse back', () => {
    expect(formatPapAddress({ value: '+8613800138000' })).toBe('WAPPUSH=+8613800138000/TYPE=PLMN');
    const s = formatPapAddress({ value: 'a/b@c 张', type: 'USER', ppg: 'ppg.example.com' });
    expect(s).toBe('WAPPUSH=a%2Fb%40c%20%E5%BC%A0/TYPE=USER@ppg.example.com');
    expect(parsePapAddress(s).value).toBe('a/b@c 张');
  });

  it.each([
    '+8613800138000',
    'WAPPUSH=/TYPE=PLMN',
    'WAPPUSH=abc/TYPE=PLMN',
    'WAPPUSH=13800138000',
    'WAPPUSH=%E0%A4%A/TYPE=USER',
    'WAPPUSH=13800138000/TYPE=PLMN@',
  ])('rejects %s with 2002', (s) => {
    expect(catchError(() => parsePapAddress(s))).toMatchObject({ code: 2002, field: 'address-value' });
  });
});

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

function catchError(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
}
