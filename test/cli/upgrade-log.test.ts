import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { upgradeLog } from '../../src/cli/upgrade-log.js';
import { createLogger } from '../../src/gateway/logging.js';

function logged() {
  const lines: Record<string, unknown>[] = [];
  const sink = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { lines, logger: createLogger('info', sink) };
}

describe('upgradeLog', () => {
  it('logs the start, each tenth of a long migration once, and the end', async () => {
    const { lines, logger } = logged();
    const tell = upgradeLog(logger);
    tell({ step: 'start', from: 4, to: 7 });
    // 1,000,000 message rows moved 10,000 at a time: 100 progress events, 10 lines.
    for (let done = 10_000; done <= 1_000_000; done += 10_000)
      tell({ step: 'progress', migration: 6, done, total: 1_000_000 });
    tell({ step: 'done', from: 4, to: 7, ms: 13_000 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => l.msg)).toEqual([
      'upgrading the database schema (stopping now is safe: the next start carries on)',
      ...Array(10).fill('upgrading the database schema'),
      'database schema upgraded',
    ]);
    expect(lines[0]).toMatchObject({ from: 4, to: 7 });
    expect(lines.slice(1, 11).map((l) => l.percent)).toEqual([10, 20, 30, 40, 50, 60, 70, 80, 90, 100]);
    expect(lines[11]).toMatchObject({ from: 4, to: 7, ms: 13_000 });
  });

  it('a small migration gets one progress line; the next migration counts from zero', async () => {
    const { lines, logger } = logged();
    const tell = upgradeLog(logger);
    tell({ step: 'progress', migration: 6, done: 4, total: 4 });
    tell({ step: 'progress', migration: 8, done: 1, total: 2 });
    await new Promise((resolve) => setImmediate(resolve));
    expect(lines.map((l) => [l.migration, l.percent])).toEqual([
      [6, 100],
      [8, 50],
    ]);
  });
});
