import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { encodePdu, type Fields, type Pdu } from '../../src/cmpp/index.js';
import { CmppSessionError, type ServerSession } from '../../src/session/index.js';
import { ACCOUNT, connectFrame, delay, Harness, SECRET, settle, submitFields, waitFor } from './helpers.js';

const h = new Harness();
afterEach(() => h.cleanup());

/** A submit handler that holds every answer until release() is called. */
function heldHandler() {
  const held: { pdu: Pdu; answer(f: Fields): void }[] = [];
  let released = false;
  let next = 1n;
  return {
    held,
    get count() {
      return held.length;
    },
    submit(_s: ServerSession, pdu: Pdu): Fields | Promise<Fields> {
      const fields = { Msg_Id: next++, Result: 0 };
      if (released) return fields;
      return new Promise<Fields>((resolve) => held.push({ pdu, answer: () => resolve(fields) }));
    },
    release() {
      released = true;
      for (const x of held.splice(0)) x.answer({});
    },
  };
}

describe('submit and the window', () => {
  it('10,000 submits with window 16 are all answered with the server Msg_Id, never over the window', async () => {
    let nextId = 1_000_000n;
    const issued = new Map<string, bigint>();
    const sessions: ServerSession[] = [];
    const { server, port } = await h.server({
      window: 16,
      handlers: {
        async submit(_s, pdu) {
          const id = nextId++;
          issued.set(Buffer.from(pdu.fields.Msg_Content as Uint8Array).toString('latin1'), id);
          await nextTurn(); // answer later, so the window actually fills
          return { Msg_Id: id, Result: 0 };
        },
      },
    });
    server.on('session', (s: ServerSession) => sessions.push(s));
    const client = h.client(port, { window: 16 });
    await client.connect();

    const N = 10_000;
    const results = await Promise.all(Array.from({ length: N }, (_, i) => client.submit(submitFields(i))));
    expect(results).toHaveLength(N);
    for (let i = 0; i < N; i++) {
      expect(results[i].result).toBe(0);
      expect(results[i].msgId).toBe(issued.get(`message ${i}`));
    }
    expect(new Set(results.map((r) => r.msgId)).size).toBe(N);
    expect(client.counters.submits).toBe(N);
    expect(client.counters.submitResults).toEqual({ 0: N });
    expect(client.inFlight).toBe(0);
    const [session] = sessions;
    expect(session.counters.submits).toBe(N);
    expect(session.maxObservedInFlight).toBeLessThanOrEqual(16);
    expect(session.maxObservedInFlight).toBeGreaterThan(1);
    expect(session.windowViolations).toBe(0);
  }, 20_000);

  it('backpressure: 16 SUBMITs reach the server, the 17th waits until answers are released', async () => {
    const handler = heldHandler();
    const { port } = await h.server({ handlers: { submit: (s, p) => handler.submit(s, p) } });
    const client = h.client(port, { window: 16 });
    await client.connect();

    const done: number[] = [];
    const all = Array.from({ length: 20 }, (_, i) =>
      client.submit(submitFields(i)).then((r) => {
        done.push(i);
        return r;
      }),
    );
    await waitFor(() => handler.count === 16, 2000, '16 held submits');
    await delay(100);
    expect(handler.count).toBe(16);
    expect(client.inFlight).toBe(16);
    expect(client.counters.submits).toBe(16);
    expect(done).toEqual([]);
    // The first 16 are the first 16 submitted, in order.
    expect(
      handler.held.map((x) => Buffer.from(x.pdu.fields.Msg_Content as Uint8Array).toString('latin1')),
    ).toEqual(Array.from({ length: 16 }, (_, i) => `message ${i}`));

    handler.release();
    const results = await Promise.all(all);
    expect(results.map((r) => r.result)).toEqual(Array(20).fill(0));
    expect(client.counters.submits).toBe(20);
    expect(client.inFlight).toBe(0);
  });

  it('a smaller window (4) holds back the 5th', async () => {
    const handler = heldHandler();
    const { port } = await h.server({ handlers: { submit: (s, p) => handler.submit(s, p) } });
    const client = h.client(port, { window: 4 });
    await client.connect();
    const all = Array.from({ length: 6 }, (_, i) => client.submit(submitFields(i)));
    await waitFor(() => handler.count === 4);
    await delay(60);
    expect(handler.count).toBe(4);
    handler.release();
    await Promise.all(all);
  });

  it('query() and cancel() share the window and reach their handlers', async () => {
    const { port } = await h.server({
      handlers: {
        query: (_s, pdu) => ({ Time: pdu.fields.Time, Query_Type: 0, Query_Code: '', MT_TLMsg: 7 }),
        cancel: (_s, pdu) => ({ Success_Id: pdu.fields.Msg_Id === 5n ? 0 : 1 }),
      },
    });
    const client = h.client(port);
    await client.connect();
    const q = await client.query({ Time: '20240101', Query_Type: 0, Query_Code: '' });
    expect(q.command).toBe('CMPP_QUERY_RESP');
    expect(q.fields.MT_TLMsg).toBe(7);
    expect(await client.cancel(5n)).toBe(0);
    expect(await client.cancel(6n)).toBe(1);
  });

  it('the server answers a SUBMIT over the window with Result 8 and counts the violation', async () => {
    const handler = heldHandler();
    const sessions: ServerSession[] = [];
    const { server, port } = await h.server({
      window: 4,
      handlers: { submit: (s, p) => handler.submit(s, p) },
    });
    server.on('session', (s: ServerSession) => sessions.push(s));
    const raw = await h.rawClient(port);
    raw.write(connectFrame('3.0', ACCOUNT, SECRET, 1));
    expect((await raw.next()).fields.Status).toBe(0);
    // A misbehaving SP: 6 SUBMITs without waiting.
    raw.write(
      Buffer.concat(
        Array.from({ length: 6 }, (_, i) =>
          encodePdu('3.0', 'CMPP_SUBMIT', 100 + i, submitFields(i) as unknown as Fields),
        ),
      ),
    );
    await waitFor(() => raw.received.length === 3, 2000, 'two Result 8');
    const over = raw.received.slice(1);
    expect(over.map((p) => [p.command, p.sequenceId, p.fields.Result])).toEqual([
      ['CMPP_SUBMIT_RESP', 104, 8],
      ['CMPP_SUBMIT_RESP', 105, 8],
    ]);
    expect(handler.count).toBe(4);
    expect(sessions[0].windowViolations).toBe(2);
    expect(sessions[0].maxObservedInFlight).toBe(5);
    handler.release();
    await waitFor(() => raw.received.length === 7);
    expect(raw.received.slice(3).map((p) => p.sequenceId)).toEqual([100, 101, 102, 103]);
  });

  it('the window count stays right after QUERYs over the window (later SUBMIT violations still counted)', async () => {
    const held: (() => void)[] = [];
    const sessions: ServerSession[] = [];
    const { server, port } = await h.server({
      window: 2,
      handlers: {
        query: (_s, pdu) =>
          new Promise<Fields>((resolve) =>
            held.push(() => resolve({ Time: pdu.fields.Time, Query_Type: 0 })),
          ),
        submit: () => new Promise<Fields>(() => {}),
      },
    });
    server.on('session', (s: ServerSession) => sessions.push(s));
    const raw = await h.rawClient(port);
    raw.write(connectFrame('3.0', ACCOUNT, SECRET, 1));
    await raw.next();
    const query = { Time: '20240101', Query_Type: 0, Query_Code: '' };
    // 3 QUERYs with window 2: the 3rd is over the window.
    raw.write(Buffer.concat([1, 2, 3].map((s) => encodePdu('3.0', 'CMPP_QUERY', s, query))));
    await waitFor(() => sessions[0]?.windowViolations === 1);
    await delay(20);
    for (const answer of held.splice(0)) answer();
    await waitFor(() => raw.received.filter((p) => p.command === 'CMPP_QUERY_RESP').length >= 2);
    await delay(20);
    // Nothing is in flight now. 3 SUBMITs that are never answered: the 3rd must be over the window.
    raw.write(
      Buffer.concat(
        [10, 11, 12].map((s) => encodePdu('3.0', 'CMPP_SUBMIT', s, submitFields(s) as unknown as Fields)),
      ),
    );
    await waitFor(() => raw.received.some((p) => p.command === 'CMPP_SUBMIT_RESP'), 1000, 'Result 8');
    const resp = raw.received.find((p) => p.command === 'CMPP_SUBMIT_RESP') as Pdu;
    expect([resp.sequenceId, resp.fields.Result]).toEqual([12, 8]);
    expect(sessions[0].windowViolations).toBe(2);
  });
});

describe('Result 8 (flow control)', () => {
  it('is backed off and sent again until Result 0', async () => {
    const seen: Pdu[] = [];
    const { port } = await h.server({
      handlers: {
        submit: (_s, pdu) => {
          seen.push(pdu);
          return { Msg_Id: BigInt(seen.length), Result: seen.length <= 2 ? 8 : 0 };
        },
      },
    });
    const client = h.client(port, { flowControlBaseMs: 20, flowControlCapMs: 50 });
    await client.connect();
    const t0 = Date.now();
    const r = await client.submit(submitFields());
    const elapsed = Date.now() - t0;
    expect(r).toEqual({ msgId: 3n, result: 0 });
    expect(seen).toHaveLength(3);
    // Backoff waits at least half its ceiling: 10 ms then 20 ms.
    expect(elapsed).toBeGreaterThanOrEqual(25);
    // Each try is a new SUBMIT with its own Sequence_Id (not a retransmission).
    expect(new Set(seen.map((p) => p.sequenceId)).size).toBe(3);
    expect(client.counters.submitResults).toEqual({ 8: 2, 0: 1 });
    expect(client.counters.submits).toBe(3);
    expect(client.counters.retransmits).toBe(0);
  });

  it('gives up with Result 8 after flowControlMaxTries', async () => {
    let count = 0;
    const { port } = await h.server({
      handlers: { submit: () => ({ Msg_Id: BigInt(++count), Result: 8 }) },
    });
    const client = h.client(port, { flowControlBaseMs: 5, flowControlCapMs: 10, flowControlMaxTries: 3 });
    await client.connect();
    const r = await client.submit(submitFields());
    expect(r.result).toBe(8);
    expect(count).toBe(3);
    expect(client.counters.submitResults).toEqual({ 8: 3 });
  });

  it('other non-zero Results are returned at once', async () => {
    let count = 0;
    const { port } = await h.server({
      handlers: { submit: () => ({ Msg_Id: BigInt(++count), Result: 13 }) },
    });
    const client = h.client(port);
    await client.connect();
    expect(await client.submit(submitFields())).toEqual({ msgId: 1n, result: 13 });
    expect(count).toBe(1);
  });

  it('a server without a submit handler answers Result 2', async () => {
    const { port } = await h.server({ handlers: {} });
    const client = h.client(port);
    await client.connect();
    expect((await client.submit(submitFields())).result).toBe(2);
  });
});

describe('rate limit', () => {
  it('rateLimit 50/s: 60 submits take at least ~200 ms', async () => {
    let n = 0n;
    const { port } = await h.server({ handlers: { submit: () => ({ Msg_Id: ++n, Result: 0 }) } });
    const client = h.client(port, { rateLimit: 50 });
    await client.connect();
    const t0 = Date.now();
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => client.submit(submitFields(i))));
    const elapsed = Date.now() - t0;
    expect(results.every((r) => r.result === 0)).toBe(true);
    // 50 tokens of burst, then 10 more at 20 ms each.
    expect(elapsed).toBeGreaterThanOrEqual(180);
  });

  it('close() while waiting for a token rejects the waiting submit', async () => {
    const { port } = await h.server({ handlers: { submit: () => ({ Msg_Id: 1n, Result: 0 }) } });
    const client = h.client(port, { rateLimit: 2 });
    await client.connect();
    const outcomes = Array.from({ length: 4 }, (_, i) => settle(client.submit(submitFields(i))));
    await delay(50);
    await client.close();
    const settled = await Promise.all(outcomes);
    expect(settled.filter((o) => o.ok)).toHaveLength(2);
    expect(settled.filter((o) => !o.ok)).toHaveLength(2);
  });
});

describe('stop(): a link handed over to another node', () => {
  it('lets the SUBMITs on the wire be answered, fails the waiting ones retriably, TERMINATEs, and can start again', async () => {
    const handler = heldHandler();
    const { server, port } = await h.server({ handlers: { submit: (s, p) => handler.submit(s, p) } });
    const client = h.client(port, { window: 4 });
    await client.connect();
    const outcomes = Array.from({ length: 6 }, (_, i) => settle(client.submit(submitFields(i))));
    await waitFor(() => handler.count === 4, 2000, '4 SUBMITs on the wire');

    const stopped = client.stop(2000);
    expect(client.state).toBe('idle');
    await delay(50);
    // Still draining: the link is open until the 4 on the wire are answered.
    expect(server.sessions.size).toBe(1);
    handler.release();
    await stopped;
    const settled = await Promise.all(outcomes);
    expect(settled.slice(0, 4).map((o) => o.ok && o.value.result)).toEqual([0, 0, 0, 0]);
    for (const o of settled.slice(4)) {
      expect(o.ok).toBe(false);
      expect(!o.ok && o.error).toBeInstanceOf(CmppSessionError);
      expect(!o.ok && (o.error as CmppSessionError).retriable).toBe(true);
    }
    await waitFor(() => server.sessions.size === 0, 2000, 'the session to end');
    expect(client.counters.submits).toBe(4);

    client.start();
    await waitFor(() => client.state === 'up', 2000, 'the link up again');
    expect((await client.submit(submitFields(7))).result).toBe(0);
  });

  it('gives up draining after drainMs: the SUBMITs still unanswered fail retriably', async () => {
    const handler = heldHandler();
    const { port } = await h.server({ handlers: { submit: (s, p) => handler.submit(s, p) } });
    const client = h.client(port, { window: 4 });
    await client.connect();
    const outcome = settle(client.submit(submitFields(1)));
    await waitFor(() => handler.count === 1, 2000, 'a SUBMIT on the wire');
    const started = Date.now();
    await client.stop(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    const settled = await outcome;
    expect(!settled.ok && (settled.error as CmppSessionError).retriable).toBe(true);
    expect(client.state).toBe('idle');
  });

  it('a stop() without drain during a drain (the lease was lost meanwhile) ends it at once', async () => {
    const handler = heldHandler();
    const { server, port } = await h.server({ handlers: { submit: (s, p) => handler.submit(s, p) } });
    const client = h.client(port, { window: 4 });
    await client.connect();
    const outcome = settle(client.submit(submitFields(1)));
    await waitFor(() => handler.count === 1, 2000, 'a SUBMIT on the wire');
    const draining = client.stop(10_000);
    await delay(50);
    const started = Date.now();
    await client.stop();
    await draining;
    expect(Date.now() - started).toBeLessThan(2000);
    expect((await outcome).ok).toBe(false);
    await waitFor(() => server.sessions.size === 0, 2000, 'the session to end');
  });
});
