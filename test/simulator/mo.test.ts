import { afterEach, describe, expect, it } from 'vitest';
import { decodeText, MsgFmt, Reassembler } from '../../src/cmpp/index.js';
import type { MoOutcome } from '../../src/simulator/index.js';
import { waitFor } from '../session/helpers.js';
import { ACCOUNT, Harness, http, SECRET, SERVICE_CODE } from './helpers.js';

const h = new Harness();
afterEach(() => h.cleanup());

const LONG_TEXT = '移动互联网短信网关的上行消息也可能很长，'.repeat(8);

describe('MO over the control API', () => {
  it('a short MO arrives as one DELIVER and POST /mo answers with its DELIVER_RESP Result', async () => {
    const sim = await h.simulator();
    const { delivers } = await h.connected(sim, { version: '2.0' });
    const answer = await http<MoOutcome>(sim, 'POST', '/mo', {
      from: '13800138000',
      to: `${SERVICE_CODE}123`,
      text: 'TD',
    });
    expect(answer).toEqual({ status: 200, body: { delivered: 1, results: [0] } });
    expect(delivers).toHaveLength(1);
    expect(delivers[0].fields).toMatchObject({
      Registered_Delivery: 0,
      Src_terminal_Id: '13800138000',
      Dest_Id: `${SERVICE_CODE}123`,
      TP_udhi: 0,
      Msg_Fmt: MsgFmt.ASCII,
    });
    expect(decodeText(delivers[0].fields.Msg_Content, MsgFmt.ASCII)).toBe('TD');
    expect(sim.stats.of(ACCOUNT).mo).toEqual({ sent: 1, acked: 1 });
  });

  it.each(['ucs2', 'gb18030'] as const)('a long %s MO arrives in parts that reassemble', async (encoding) => {
    const sim = await h.simulator();
    let failNext = true;
    const { delivers } = await h.connected(sim, {
      // The SP refuses the first part with Result 9; the answer lists every part's Result.
      onDeliver: (pdu) => {
        delivers.push(pdu);
        const result = failNext ? 9 : 0;
        failNext = false;
        return result;
      },
    });
    const answer = await http<MoOutcome>(sim, 'POST', '/mo', {
      account: ACCOUNT,
      from: '+8613800138000',
      to: SERVICE_CODE,
      text: LONG_TEXT,
      encoding,
    });
    expect(answer.status).toBe(200);
    expect(answer.body.delivered).toBeGreaterThan(1);
    expect(answer.body.results).toEqual([9, ...Array(answer.body.delivered - 1).fill(0)]);
    const reassembler = new Reassembler();
    const results = [...delivers].reverse().map((d) =>
      reassembler.add({
        key: d.fields.Src_terminal_Id,
        content: d.fields.Msg_Content,
        tpUdhi: d.fields.TP_udhi,
        fmt: d.fields.Msg_Fmt,
        receivedAt: Date.now(),
      }),
    );
    const last = results.at(-1);
    expect(delivers.every((d) => d.fields.TP_udhi === 1 && d.fields.Registered_Delivery === 0)).toBe(true);
    expect(last?.complete && decodeText(last.content, last.fmt)).toBe(LONG_TEXT);
  });

  it('finds the account from the service code in "to"', async () => {
    const sim = await h.simulator({
      accounts: {
        [ACCOUNT]: { secret: SECRET, serviceCode: SERVICE_CODE },
        '900002': { secret: SECRET, serviceCode: '10659' },
      },
    });
    const other = await h.connected(sim, { account: '900002' });
    const mine = await h.connected(sim);
    expect((await http(sim, 'POST', '/mo', { from: '13800138000', to: '106590', text: 'a' })).status).toBe(
      200,
    );
    expect(
      (await http(sim, 'POST', '/mo', { from: '13800138000', to: `${SERVICE_CODE}9`, text: 'b' })).status,
    ).toBe(200);
    expect(other.delivers.map((d) => d.fields.Dest_Id)).toEqual(['106590']);
    expect(mine.delivers.map((d) => d.fields.Dest_Id)).toEqual([`${SERVICE_CODE}9`]);
  });

  it('answers 503 without a link, 404 for an unknown account and 400 naming a bad field', async () => {
    const sim = await h.simulator();
    const mo = { from: '13800138000', to: SERVICE_CODE, text: 'hi' };
    expect(await http(sim, 'POST', '/mo', mo)).toEqual({
      status: 503,
      body: { error: `no link of account ${ACCOUNT} is logged in` },
    });
    expect((await http(sim, 'POST', '/mo', { ...mo, account: '912345' })).status).toBe(404);
    expect(await http(sim, 'POST', '/mo', { ...mo, from: 'alice' })).toEqual({
      status: 400,
      body: { error: 'body.from: must be a phone number, got "alice"' },
    });
    expect((await http(sim, 'POST', '/mo', { ...mo, to: '10658' })).status).toBe(400);
    expect((await http(sim, 'POST', '/mo', { ...mo, text: '中文', encoding: 'ascii' })).status).toBe(400);
  });

  it('sends the scripted MO after the first login', async () => {
    const sim = await h.simulator({
      mo: {
        script: [
          { at: 0, from: '13800000001', to: SERVICE_CODE, text: 'first' },
          { at: 50, from: '13800000002', to: `${SERVICE_CODE}7`, text: LONG_TEXT },
        ],
      },
    });
    const { delivers } = await h.connected(sim);
    await waitFor(() => sim.stats.of(ACCOUNT).mo.acked === delivers.length && delivers.length > 2);
    expect(decodeText(delivers[0].fields.Msg_Content, delivers[0].fields.Msg_Fmt)).toBe('first');
    expect(delivers.slice(1).every((d) => d.fields.Src_terminal_Id === '13800000002')).toBe(true);
  });
});
