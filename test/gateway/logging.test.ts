import { Writable } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/gateway/logging.js';
import { maskNumber, maskUrl } from '../../src/gateway/mask.js';
import { Harness, type Json, waitFor } from './harness.js';

/* Structured logs: link state lines, failed messages with masked numbers, PDU tracing switched at runtime. */

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

/** A logger at `info` whose JSON lines are kept in `lines`. */
function capture(): { logger: ReturnType<typeof createLogger>; lines: Json[] } {
  const lines: Json[] = [];
  const sink = new Writable({
    write(chunk, _enc, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { logger: createLogger('info', sink), lines };
}

describe('masking', () => {
  it('keeps the first three and last four digits of a mobile number, and no credentials of a URL', () => {
    expect(maskNumber('13800138000')).toBe('138****8000');
    expect(maskNumber('8613800138000')).toBe('861****8000');
    expect(maskNumber('10086')).toBe('1****0086');
    expect(maskUrl('https://u:p@hooks.example.com/sms?token=abc')).toBe('https://hooks.example.com/sms?***');
    expect(maskUrl('https://hooks.example.com/sms')).toBe('https://hooks.example.com/sms');
  });

  it('masks numbers, secrets and URLs wherever the logger meets them', () => {
    const { logger, lines } = capture();
    logger.info(
      { to: '13800138000', mo: { from: '13912345678' }, secret: 's3', url: 'http://h/x?key=1' },
      'x',
    );
    expect(lines[0]).toMatchObject({
      to: '138****8000',
      mo: { from: '139****5678' },
      secret: '***',
      url: 'http://h/x?***',
    });
  });
});

describe('gateway logs', () => {
  it('one line per link state change, one per failed message (number masked), PDU traces per account on demand', async () => {
    const { logger, lines } = capture();
    h = await Harness.start({
      logger,
      simulator: { reports: { overrides: { '13800000009': 'UNDELIV' } } },
    });
    await h.linkUp();
    expect(lines.filter((l) => l.msg === 'link state').map((l) => l.state)).toEqual(['connecting', 'up']);
    expect(lines.find((l) => l.msg === 'link state')).toMatchObject({ account: 'main', link: 0, level: 30 });

    const sent = await h.api('POST', '/api/v1/messages', { to: '13800000009', text: 'lost' });
    await h.waitStatus(sent.body.id, 'undeliverable');
    const failed = await waitFor(() => lines.find((l) => l.msg === 'message failed'));
    expect(failed).toMatchObject({
      level: 40,
      account: 'main',
      message: sent.body.id,
      to: '138****0009',
      status: 'undeliverable',
    });
    expect(lines.some((l) => l.msg === 'pdu')).toBe(false);

    // debug: decoded PDUs, numbers in full (tracing is asking to see them)
    const bad = await h.api('PUT', '/api/v1/admin/trace', { account: 'main', level: 'loud' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe('level');
    const unknown = await h.api('PUT', '/api/v1/admin/trace', { account: 'nope', level: 'debug' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('account');
    expect(
      (await h.api('PUT', '/api/v1/admin/trace', { account: 'main', level: 'debug' }, { key: null })).status,
    ).toBe(401);
    const on = await h.api('PUT', '/api/v1/admin/trace', { account: 'main', level: 'debug' });
    expect(on.body).toEqual({ account: 'main', level: 'debug' });
    expect((await h.api('GET', '/api/v1/admin/trace')).body).toEqual({
      items: [{ account: 'main', level: 'debug' }],
    });
    const traced = await h.api('POST', '/api/v1/messages', { to: '13800000001', text: 'traced' });
    await h.waitStatus(traced.body.id, 'delivered');
    const submit = await waitFor(() =>
      lines.find((l) => l.msg === 'pdu' && l.pdu.command === 'CMPP_SUBMIT' && l.pdu.text === 'traced'),
    );
    expect(submit).toMatchObject({ level: 20, account: 'main', link: 0, direction: 'out' });
    expect(submit.pdu.fields.Dest_terminal_Id).toEqual(['13800000001']);
    expect(submit.hex).toBeUndefined();
    const report = await waitFor(() =>
      lines.find((l) => l.msg === 'pdu' && l.pdu.command === 'CMPP_DELIVER' && l.pdu.fields.Report),
    );
    expect(report.direction).toBe('in');

    // trace: also the bytes
    await h.api('PUT', '/api/v1/admin/trace', { account: 'main', level: 'trace' });
    const hexed = await h.api('POST', '/api/v1/messages', { to: '13800000002', text: 'hexed' });
    await h.waitStatus(hexed.body.id, 'delivered');
    const withHex = lines.find((l) => l.msg === 'pdu' && l.pdu.text === 'hexed');
    expect(withHex).toMatchObject({ level: 10, direction: 'out' });
    expect(withHex.hex).toMatch(/^[0-9a-f]+$/);
    expect(Buffer.from(withHex.hex, 'hex').readUInt32BE(4)).toBe(4);

    // off again: no more PDU lines
    await h.api('PUT', '/api/v1/admin/trace', { account: 'main', level: 'off' });
    const count = lines.filter((l) => l.msg === 'pdu').length;
    const quiet = await h.api('POST', '/api/v1/messages', { to: '13800000003', text: 'quiet' });
    await h.waitStatus(quiet.body.id, 'delivered');
    expect(lines.filter((l) => l.msg === 'pdu')).toHaveLength(count);

    await h.stopSimulator();
    const down = await waitFor(() => lines.find((l) => l.msg === 'link state' && l.state === 'down'));
    expect(down.reason).toEqual(expect.any(String));
  });
});
