import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { decodeWbxml, decodeWspPush } from '../../src/wap/index.js';
import { API_KEY, Harness, type Json, sleep, waitFor } from './harness.js';

/*
 * The PPG end to end: PAP documents over HTTP as a Push Initiator writes them, the gateway's pipeline,
 * the simulator as the ISMG (it sees the binary SMS), and a PI endpoint for result notifications.
 */

const PAP_DOCTYPE =
  '<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.0//EN" "http://www.wapforum.org/DTD/pap_2.0.dtd">';
const BOUNDARY = 'asdlfkjiurwgasf';

function pushMessage(pushId: string, addresses: string[], attributes = ''): string {
  return `<?xml version="1.0"?>
${PAP_DOCTYPE}
<pap>
  <push-message push-id="${pushId}"${attributes}>
${addresses.map((a) => `    <address address-value="${a}"/>`).join('\n')}
    <quality-of-service priority="high" delivery-method="unconfirmed" network="GSM" bearer="SMS"/>
  </push-message>
</pap>`;
}

const si = (text: string, href = 'http://www.example.com/wap/news') => `<?xml version="1.0"?>
<!DOCTYPE si PUBLIC "-//WAPFORUM//DTD SI 1.0//EN" "http://www.wapforum.org/DTD/si.dtd">
<si>
  <indication href="${href}" si-id="1@example.com" action="signal-high">${text}</indication>
</si>`;

/** A multipart/related PAP request: the control entity, then the content entity. */
function multipart(
  control: string,
  content: string,
  contentType = 'text/vnd.wap.si',
  headers: string[] = [],
): string {
  return [
    `--${BOUNDARY}`,
    'Content-Type: application/xml',
    '',
    control,
    `--${BOUNDARY}`,
    `Content-Type: ${contentType}`,
    ...headers,
    '',
    content,
    `--${BOUNDARY}--`,
    '',
  ].join('\r\n');
}

const MULTIPART = `multipart/related; boundary=${BOUNDARY}; type="application/xml"`;

interface PapAnswer {
  status: number;
  xml: string;
  code?: number;
}

/** The first response-result / badmessage code of a PAP document. */
function codeOf(xml: string): number | undefined {
  const m = /\bcode="(\d{4})"/.exec(xml);
  return m ? Number(m[1]) : undefined;
}

async function pap(h: Harness, body: string, contentType = MULTIPART, auth?: string): Promise<PapAnswer> {
  const res = await fetch(`${h.url}/pap`, {
    method: 'POST',
    headers: {
      'content-type': contentType,
      ...(auth === '' ? {} : { authorization: auth ?? `Bearer ${API_KEY}` }),
    },
    body,
  });
  const xml = await res.text();
  return { status: res.status, xml, code: codeOf(xml) };
}

const address = (n: string) => `WAPPUSH=+86${n}/TYPE=PLMN@ppg.example.com`;

/** Binary SMS the simulator received for a number, oldest first, with their UDH and payload split. */
async function pushSms(h: Harness, to: string) {
  const submits = (await h.submits(to)).reverse();
  return submits.map((s: Json) => {
    const content = Buffer.from(s.pdu.fields.Msg_Content, 'hex');
    const udhLength = content[0] + 1;
    return {
      fields: s.pdu.fields,
      udh: content.subarray(0, udhLength),
      ud: content.subarray(udhLength),
    };
  });
}

/** A Push Initiator's notification endpoint: records each notification, answers resultnotification-response. */
class PiEndpoint {
  readonly received: string[] = [];
  answer: (n: number) => { status: number; body: string } = () => ({
    status: 200,
    body: `<?xml version="1.0"?>${PAP_DOCTYPE}<pap><resultnotification-response push-id="x" code="1000"/></pap>`,
  });
  private readonly server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (c) => (raw += c));
    req.on('end', () => {
      this.received.push(raw);
      const a = this.answer(this.received.length);
      res.writeHead(a.status, { 'content-type': 'application/xml' });
      res.end(a.body);
    });
  });
  async start(): Promise<this> {
    await new Promise<void>((r) => this.server.listen(0, '127.0.0.1', r));
    return this;
  }
  get url() {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/notify`;
  }
  async close() {
    this.server.closeAllConnections();
    await new Promise<void>((r) => this.server.close(() => r()));
  }
}

describe('PPG: PAP 2.0 over the gateway', () => {
  let h: Harness;
  let pi: PiEndpoint | undefined;

  afterEach(async () => {
    await pi?.close();
    pi = undefined;
    await h?.close();
  });

  async function start(options: Parameters<typeof Harness.start>[0] = {}) {
    h = await Harness.start(options);
    await h.linkUp();
  }

  async function status(pushId: string): Promise<PapAnswer> {
    return pap(
      h,
      `<?xml version="1.0"?>${PAP_DOCTYPE}<pap><statusquery-message push-id="${pushId}"/></pap>`,
      'application/xml',
    );
  }

  const stateIn = (xml: string) => /message-state="([a-z-]+)"/.exec(xml)?.[1];

  it('a push-message with an SI → 1001; the ISMG gets a binary SMS to port 2948 whose WBXML is the SI; status follows the report', async () => {
    await start();
    const answer = await pap(
      h,
      multipart(pushMessage('p1@pi.example.com', [address('13900000001')]), si('You have 4 new emails')),
    );
    expect(answer.status).toBe(202);
    expect(answer.xml).toContain('<push-response');
    expect(answer.xml).toContain('push-id="p1@pi.example.com"');
    expect(answer.code).toBe(1001);

    const [sms] = await waitFor(async () => {
      const list = await pushSms(h, '13900000001');
      return list.length === 1 ? list : undefined;
    });
    expect(sms.fields).toMatchObject({ Msg_Fmt: 4, TP_udhi: 1, Pk_total: 1, Pk_number: 1 });
    expect(sms.udh.toString('hex')).toBe('0605040b8423f0');
    const wsp = decodeWspPush(sms.ud);
    expect(wsp.contentType).toBe('application/vnd.wap.sic');
    const doc = decodeWbxml(wsp.body);
    expect(doc.kind).toBe('si');
    expect(doc.xml).toContain('href="http://www.example.com/wap/news"');
    expect(doc.xml).toContain('You have 4 new emails');
    expect(doc.xml).toContain('action="signal-high"');
    // The simulator shows what arrived, decoded.
    const [logged] = await h.submits('13900000001');
    expect(logged.wapPush).toMatchObject({
      contentType: 'application/vnd.wap.sic',
      document: { kind: 'si' },
    });
    expect(logged.wapPush?.document?.xml).toContain('You have 4 new emails');

    await waitFor(
      async () => stateIn((await status('p1@pi.example.com')).xml) === 'delivered',
      5000,
      'delivered',
    );
    const json = await h.api('GET', '/api/v1/pushes/p1@pi.example.com');
    expect(json.body).toMatchObject({
      pushId: 'p1@pi.example.com',
      contentType: 'application/vnd.wap.sic',
      addresses: [{ address: address('13900000001'), state: 'delivered', status: 'delivered' }],
    });
  });

  it('a push too long for one SMS arrives as 3 concatenated segments with the port and concatenation IEs', async () => {
    await start();
    const text = 'Breaking news: '.padEnd(300, 'x');
    const answer = await pap(h, multipart(pushMessage('p-long', [address('13900000002')]), si(text)));
    expect(answer.code).toBe(1001);
    const segments = await waitFor(async () => {
      const list = await pushSms(h, '13900000002');
      return list.length === 3 ? list : undefined;
    });
    const ref = segments[0].udh[9];
    segments.forEach((s, i) => {
      expect(s.fields).toMatchObject({ Msg_Fmt: 4, TP_udhi: 1, Pk_total: 3, Pk_number: i + 1 });
      expect(s.udh.toString('hex')).toBe(`0b05040b8423f00003${ref.toString(16).padStart(2, '0')}030${i + 1}`);
      expect(s.udh.length + s.ud.length).toBeLessThanOrEqual(140);
    });
    const wsp = decodeWspPush(Buffer.concat(segments.map((s) => s.ud)));
    expect(decodeWbxml(wsp.body).xml).toContain(text);
    // The simulator joined the three SMS as the handset would: the SI shows on the segment that completed it.
    const [last, ...earlier] = await h.submits('13900000002');
    expect(earlier.map((s: Json) => s.wapPush)).toEqual([undefined, undefined]);
    expect(last.wapPush).toMatchObject({ contentType: 'application/vnd.wap.sic', document: { kind: 'si' } });
    expect(last.wapPush?.document?.xml).toBe(
      `<si><indication href="http://www.example.com/wap/news" si-id="1@example.com" action="signal-high">${text}</indication></si>`,
    );
  });

  it('source-reference is kept with the push and shown by GET /api/v1/pushes; null when the PI gave none', async () => {
    await start();
    const named = await pap(
      h,
      multipart(
        pushMessage('p-source', [address('13900000141')], ' source-reference="news-desk &amp; co"'),
        si('sourced'),
      ),
    );
    expect(named.code).toBe(1001);
    expect((await pap(h, multipart(pushMessage('p-nosource', [address('13900000142')]), si('x')))).code).toBe(
      1001,
    );
    expect((await h.api('GET', '/api/v1/pushes/p-source')).body.sourceReference).toBe('news-desk & co');
    const list = (await h.api('GET', '/api/v1/pushes')).body.items;
    expect(list.map((p: Json) => [p.pushId, p.sourceReference])).toEqual([
      ['p-nosource', null],
      ['p-source', 'news-desk & co'],
    ]);
  });

  it("the content entity's WSP-encodable headers go into the Push PDU", async () => {
    await start();
    const answer = await pap(
      h,
      multipart(pushMessage('p-headers', [address('13900000111')]), si('with headers'), 'text/vnd.wap.si', [
        'X-Wap-Application-Id: x-wap-application:push.sia',
        'X-Wap-Initiator-URI: http://pi.example.com/',
      ]),
    );
    expect(answer.code).toBe(1001);
    const [sms] = await waitFor(async () => {
      const list = await pushSms(h, '13900000111');
      return list.length === 1 ? list : undefined;
    });
    const wsp = decodeWspPush(sms.ud);
    expect(wsp.applicationId).toBe(1); // push.sia, well-known code 0x01
    expect(wsp.headers).toMatchObject({ 'X-Wap-Initiator-URI': 'http://pi.example.com/' });
  });

  it('several addresses: one SMS each; a status query for one address answers for that address', async () => {
    await start();
    const numbers = ['13900000011', '13900000012', '13900000013'];
    const answer = await pap(h, multipart(pushMessage('p-multi', numbers.map(address)), si('hello all')));
    expect(answer.code).toBe(1001);
    for (const n of numbers) await waitFor(async () => (await pushSms(h, n)).length === 1);
    const one = await pap(
      h,
      `<?xml version="1.0"?>${PAP_DOCTYPE}<pap><statusquery-message push-id="p-multi"><address address-value="${address(numbers[1])}"/></statusquery-message></pap>`,
      'application/xml',
    );
    expect(one.status).toBe(200);
    expect(one.xml.match(/<statusquery-result/g)).toHaveLength(1);
    expect(one.xml).toContain(numbers[1]);
  });

  it('cancel before sending (deliver-after in the future): cancelled, nothing reaches the ISMG; cancel again → 2008 not possible is not reported for cancelled ones', async () => {
    await start();
    const later = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const answer = await pap(
      h,
      multipart(
        pushMessage('p-held', [address('13900000021')], ` deliver-after-timestamp="${later}"`),
        si('later'),
      ),
    );
    expect(answer.code).toBe(1001);
    expect(stateIn((await status('p-held')).xml)).toBe('pending');
    const cancel = await pap(
      h,
      `<?xml version="1.0"?>${PAP_DOCTYPE}<pap><cancel-message push-id="p-held"/></pap>`,
      'application/xml',
    );
    expect(cancel.status).toBe(200);
    expect(cancel.xml).toContain('<cancel-response');
    expect(cancel.code).toBe(1000);
    expect(stateIn((await status('p-held')).xml)).toBe('cancelled');
    await sleep(100);
    expect(await h.submits('13900000021')).toHaveLength(0);
  });

  it('cancel after the push was sent → 2008; unknown push-id → 2004', async () => {
    await start();
    await pap(h, multipart(pushMessage('p-sent', [address('13900000031')]), si('now')));
    await waitFor(async () => (await pushSms(h, '13900000031')).length === 1);
    const cancel = await pap(
      h,
      `<?xml version="1.0"?>${PAP_DOCTYPE}<pap><cancel-message push-id="p-sent"/></pap>`,
      'application/xml',
    );
    expect(cancel.code).toBe(2008);
    const unknown = await pap(
      h,
      `<?xml version="1.0"?>${PAP_DOCTYPE}<pap><cancel-message push-id="nope"/></pap>`,
      'application/xml',
    );
    expect(unknown.code).toBe(2004);
    expect(codeOf((await status('nope')).xml)).toBe(2004);
  });

  it('the result notification reaches the PI; it is retried until the PI answers with a resultnotification-response', async () => {
    pi = await new PiEndpoint().start();
    pi.answer = (n) =>
      n === 1
        ? { status: 200, body: 'thanks' }
        : {
            status: 200,
            body: `<?xml version="1.0"?>${PAP_DOCTYPE}<pap><resultnotification-response push-id="p-notify" code="1000"/></pap>`,
          };
    await start();
    const answer = await pap(
      h,
      multipart(
        pushMessage('p-notify', [address('13900000041')], ` ppg-notify-requested-to="${pi.url}"`),
        si('notify me'),
      ),
    );
    expect(answer.code).toBe(1001);
    const endpoint = pi;
    await waitFor(() => endpoint.received.length >= 2, 10_000, 'the notification to be retried');
    const note = endpoint.received[1];
    expect(note).toContain('<resultnotification-message');
    expect(note).toContain('push-id="p-notify"');
    expect(note).toContain('message-state="delivered"');
    expect(note).toContain('+8613900000041');
    expect(codeOf(note)).toBe(1000);
    await sleep(300);
    expect(endpoint.received).toHaveLength(2);
    // The notification replaces the JSON report: the account webhook hears nothing about this message.
    expect(h.webhook?.received ?? []).toHaveLength(0);
  });

  it('deliver-before passes while the push cannot be sent: expired, and the PI is told so', async () => {
    pi = await new PiEndpoint().start();
    await start();
    await h.stopSimulator();
    await waitFor(() => !h.gateway?.ready(), 5000, 'the link to go down');
    const before = new Date(Date.now() + 2000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    const answer = await pap(
      h,
      multipart(
        pushMessage(
          'p-expire',
          [address('13900000121')],
          ` deliver-before-timestamp="${before}" ppg-notify-requested-to="${pi.url}"`,
        ),
        si('too late'),
      ),
    );
    expect(answer.code).toBe(1001);
    const endpoint = pi;
    await waitFor(() => endpoint.received.length === 1, 8000, 'the expiry notification');
    expect(endpoint.received[0]).toContain('message-state="expired"');
    expect(codeOf(endpoint.received[0])).toBe(3003);
    expect(stateIn((await status('p-expire')).xml)).toBe('expired');
  });

  it('replace-push-id (all): the replaced push is cancelled where still pending, the new one goes out', async () => {
    await start();
    const later = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await pap(
      h,
      multipart(
        pushMessage('p-old', [address('13900000051')], ` deliver-after-timestamp="${later}"`),
        si('old'),
      ),
    );
    const answer = await pap(
      h,
      multipart(
        pushMessage('p-new', [address('13900000051')], ' replace-push-id="p-old" replace-method="all"'),
        si('new'),
      ),
    );
    expect(answer.code).toBe(1001);
    expect(stateIn((await status('p-old')).xml)).toBe('cancelled');
    const [sms] = await waitFor(async () => {
      const list = await pushSms(h, '13900000051');
      return list.length === 1 ? list : undefined;
    });
    expect(decodeWbxml(decodeWspPush(sms.ud).body).xml).toContain('new');
  });

  it('replace-method pending-only after the old push was sent → 3003, nothing stored', async () => {
    await start();
    await pap(h, multipart(pushMessage('p-first', [address('13900000061')]), si('first')));
    await waitFor(async () => (await pushSms(h, '13900000061')).length === 1);
    await waitFor(
      async () => (await h.api('GET', '/api/v1/pushes/p-first')).body.addresses[0].status !== 'queued',
    );
    const answer = await pap(
      h,
      multipart(
        pushMessage(
          'p-second',
          [address('13900000061')],
          ' replace-push-id="p-first" replace-method="pending-only"',
        ),
        si('second'),
      ),
    );
    expect(answer.code).toBe(3003);
    expect((await h.api('GET', '/api/v1/pushes/p-second')).status).toBe(404);
  });

  it('ccq-message → an honest 3008 (no capability database)', async () => {
    await start();
    const answer = await pap(
      h,
      `<?xml version="1.0"?>${PAP_DOCTYPE}<pap><ccq-message query-id="q1"><address address-value="${address('13900000071')}"/></ccq-message></pap>`,
      'application/xml',
    );
    expect(answer.status).toBe(200);
    expect(answer.xml).toContain('<ccq-response');
    expect(answer.code).toBe(3008);
  });

  describe('every malformed request gets its PAP code and changes nothing', () => {
    const cases: [string, () => { body: string; type?: string }, number][] = [
      ['bad XML', () => ({ body: multipart('<pap><push-message push-id="x"', si('x')) }), 2000],
      [
        'missing push-id',
        () => ({
          body: multipart(pushMessage('', [address('13900000081')]).replace(' push-id=""', ''), si('x')),
        }),
        2000,
      ],
      [
        'bad address',
        () => ({ body: multipart(pushMessage('p-bad-addr', ['WAPPUSH=hello/TYPE=PLMN']), si('x')) }),
        2002,
      ],
      [
        'a non-PLMN address',
        () => ({ body: multipart(pushMessage('p-ipv4', ['WAPPUSH=10.0.0.1/TYPE=IPv4']), si('x')) }),
        2002,
      ],
      ['wrong request content type', () => ({ body: 'hello', type: 'text/plain' }), 2000],
      [
        'broken multipart (no closing delimiter)',
        () => ({
          body: multipart(pushMessage('p-broken', [address('13900000082')]), si('x')).replace(
            `--${BOUNDARY}--`,
            '',
          ),
        }),
        2000,
      ],
      [
        'multipart without boundary',
        () => ({
          body: multipart(pushMessage('p-nob', [address('13900000083')]), si('x')),
          type: 'multipart/related; type="application/xml"',
        }),
        2000,
      ],
      [
        'push-message without content',
        () => ({ body: pushMessage('p-nocontent', [address('13900000084')]), type: 'application/xml' }),
        2000,
      ],
      [
        'content that does not compile',
        () => ({ body: multipart(pushMessage('p-bad-si', [address('13900000085')]), '<si><indication') }),
        3006,
      ],
      [
        'a required bearer that is not SMS',
        () => ({
          body: multipart(
            pushMessage('p-bearer', [address('13900000086')]).replace(
              'bearer="SMS"',
              'bearer="GPRS" bearer-required="true"',
            ),
            si('x'),
          ),
        }),
        3010,
      ],
      [
        'deliver-before in the past',
        () => ({
          body: multipart(
            pushMessage(
              'p-past',
              [address('13900000087')],
              ' deliver-before-timestamp="2020-01-01T00:00:00Z"',
            ),
            si('x'),
          ),
        }),
        2000,
      ],
    ];

    it.each(cases)('%s', async (_name, request, code) => {
      await start();
      const { body, type } = request();
      const answer = await pap(h, body, type ?? MULTIPART);
      expect(answer.code, answer.xml).toBe(code);
      expect(answer.status).toBe(code === 2001 ? 403 : 400);
      expect((await h.gateway!.stats()).store).toMatchObject({ pushes: 0, queuedSegments: 0 });
    });
  });

  it('a duplicate push-id → 2007, the first push untouched', async () => {
    await start();
    expect((await pap(h, multipart(pushMessage('p-dup', [address('13900000091')]), si('one')))).code).toBe(
      1001,
    );
    const again = await pap(h, multipart(pushMessage('p-dup', [address('13900000092')]), si('two')));
    expect(again.code).toBe(2007);
    const push = (await h.api('GET', '/api/v1/pushes/p-dup')).body;
    expect(push.addresses.map((a: Json) => a.address)).toEqual([address('13900000091')]);
    // A replacement under a reused push-id is refused before it cancels anything.
    const later = new Date(Date.now() + 3600_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
    await pap(
      h,
      multipart(
        pushMessage('p-held2', [address('13900000093')], ` deliver-after-timestamp="${later}"`),
        si('x'),
      ),
    );
    const replace = await pap(
      h,
      multipart(pushMessage('p-dup', [address('13900000093')], ' replace-push-id="p-held2"'), si('y')),
    );
    expect(replace.code).toBe(2007);
    expect(stateIn((await status('p-held2')).xml)).toBe('pending');
  });

  it('Push Initiators: Bearer or Basic (key as password) or a trusted network; otherwise 401 with PAP 2001', async () => {
    await start();
    const body = (id: string) => multipart(pushMessage(id, [address('13900000101')]), si('auth'));
    const none = await pap(h, body('a0'), MULTIPART, '');
    expect(none.status).toBe(401);
    expect(none.code).toBe(2001);
    const wrong = await pap(h, body('a1'), MULTIPART, 'Bearer nope');
    expect(wrong.status).toBe(401);
    const basic = await pap(
      h,
      body('a2'),
      MULTIPART,
      `Basic ${Buffer.from(`pi:${API_KEY}`).toString('base64')}`,
    );
    expect(basic.code).toBe(1001);
    await h.close();
    h = await Harness.start({ pap: { trustedNetworks: ['127.0.0.0/8'] } });
    await h.linkUp();
    expect((await pap(h, body('a3'), MULTIPART, '')).code).toBe(1001);
  });
});

describe('POST /api/v1/wap-push (JSON shortcut)', () => {
  let h: Harness;
  afterEach(async () => {
    await h?.close();
  });

  it('an SI to two numbers: 202 with the push id and its messages; the SMS decodes to the SI; listed under /pushes', async () => {
    h = await Harness.start();
    await h.linkUp();
    const res = await h.api('POST', '/api/v1/wap-push', {
      to: ['13900000201', '+8613900000202'],
      type: 'si',
      href: 'https://www.example.org/offer?id=7&x=<1>',
      text: '限时优惠 & more',
      action: 'signal-medium',
      created: '2026-11-21T08:00:00Z',
    });
    expect(res.status).toBe(202);
    expect(res.body.pushId).toEqual(expect.any(String));
    expect(res.body.messages).toHaveLength(2);
    expect(res.body.messages.map((m: Json) => m.to)).toEqual(['13900000201', '13900000202']);
    const [sms] = await waitFor(async () => {
      const list = await pushSms(h, '13900000202');
      return list.length === 1 ? list : undefined;
    });
    const doc = decodeWbxml(decodeWspPush(sms.ud).body);
    expect(doc.kind).toBe('si');
    expect(doc.xml).toContain('限时优惠 &amp; more');
    expect(doc.xml).toContain('created="2026-11-21T08:00:00Z"');
    const list = await h.api('GET', '/api/v1/pushes');
    expect(list.body.items.map((p: Json) => p.pushId)).toEqual([res.body.pushId]);
    const message = await h.message(res.body.messages[0].id);
    expect(message.pushId).toBe(res.body.pushId);
  });

  it('an SL: compiled as application/vnd.wap.slc', async () => {
    h = await Harness.start();
    await h.linkUp();
    const res = await h.api('POST', '/api/v1/wap-push', {
      to: '13900000211',
      type: 'sl',
      href: 'http://www.example.com/app.jad',
      action: 'execute-high',
    });
    expect(res.status).toBe(202);
    const [sms] = await waitFor(async () => {
      const list = await pushSms(h, '13900000211');
      return list.length === 1 ? list : undefined;
    });
    const wsp = decodeWspPush(sms.ud);
    expect(wsp.contentType).toBe('application/vnd.wap.slc');
    expect(decodeWbxml(wsp.body)).toMatchObject({ kind: 'sl' });
  });

  it.each([
    [{ to: '123', type: 'si', href: 'http://a.com/' }, 'to'],
    [{ to: '13900000221', type: 'mms', href: 'http://a.com/' }, 'type'],
    [{ to: '13900000221', type: 'si' }, 'href'],
    [{ to: '13900000221', type: 'sl', href: 'http://a.com/', action: 'signal-high' }, 'action'],
    [{ to: '13900000221', type: 'sl', href: 'http://a.com/', text: 'x' }, 'text'],
    [
      { to: '13900000221', type: 'si', href: 'http://a.com/', deliverBefore: '2020-01-01T00:00:00Z' },
      'deliverBefore',
    ],
    [{ to: '13900000221', type: 'sl', href: 'http://a.com/', sourceReference: '' }, 'sourceReference'],
  ])('%j → 400 naming %s, nothing stored', async (body, field) => {
    h = await Harness.start();
    const res = await h.api('POST', '/api/v1/wap-push', body);
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe(field);
    expect((await h.gateway!.stats()).store.pushes).toBe(0);
  });

  it('sourceReference is kept with the push as PAP source-reference; GET /api/v1/pushes shows it', async () => {
    h = await Harness.start();
    const body = { to: '13900000241', type: 'sl', href: 'http://a.com/', sourceReference: 'crm-campaign-7' };
    const res = await h.api('POST', '/api/v1/wap-push', body);
    expect(res.status).toBe(202);
    const push = (await h.api('GET', `/api/v1/pushes/${res.body.pushId}`)).body;
    expect(push.sourceReference).toBe('crm-campaign-7');
    const without = await h.api('POST', '/api/v1/wap-push', { ...body, sourceReference: undefined });
    expect((await h.api('GET', `/api/v1/pushes/${without.body.pushId}`)).body.sourceReference).toBeNull();
  });

  it('a reused pushId → 409', async () => {
    h = await Harness.start();
    const body = { to: '13900000231', type: 'si', href: 'http://a.com/', pushId: 'mine-1' };
    expect((await h.api('POST', '/api/v1/wap-push', body)).status).toBe(202);
    const again = await h.api('POST', '/api/v1/wap-push', body);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatchObject({ code: 'pap_2007', field: 'pushId' });
  });
});
