/**
 * The store alone, step by step, as the gateway drives it for single-segment messages that ask for a
 * report: insert (64 a call), claim (128 a call), SUBMIT_RESPs and reports (32 a call), 4 calls in flight.
 * Prints, per message and step, this process's wall and CPU time and, on Redis, Redis's own time and
 * the Redis commands its scripts ran (from INFO commandstats, so run it on a Redis nothing else uses).
 *
 *   npm run bench:store                 SQLite (a temporary file) and Redis (REDIS_URL)
 *   npm run bench:store -- --store redis
 *   BENCH_MESSAGES=25600 npm run bench:store
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Redis } from 'ioredis';
import { newId } from '../src/store/ids.js';
import { RedisStore } from '../src/store/redis/redis-store.js';
import { SqliteStore } from '../src/store/sqlite/sqlite-store.js';
import type { FinalHook, NewMessage, SegmentJob, Store } from '../src/store/types.js';
import { deleteKeys, REDIS_URL, testPrefix } from '../test/store/redis-keys.js';

const { values: args } = parseArgs({ options: { store: { type: 'string' } } });
const N = Number(process.env.BENCH_MESSAGES ?? 12_800);
const ACCOUNT = 'bench';
const TEXT = '您的验证码是 123456，五分钟内有效。';
const CONTENT = Buffer.from(TEXT, 'utf16le').swap16();
/** As the gateway passes it for an account without a webhook URL: nothing to queue for final messages. */
const QUIET: FinalHook = Object.assign(() => undefined, { callbacksOnly: true });

/** Redis's time in scripts (µs) and the commands they ran, so far. */
async function redisWork(redis: Redis): Promise<{ usec: number; calls: number }> {
  const info = await redis.info('commandstats');
  let usec = 0;
  let calls = 0;
  for (const m of info.matchAll(/cmdstat_([\w|]+):calls=(\d+),usec=(\d+)/g)) {
    if (m[1] === 'evalsha' || m[1] === 'eval') usec += Number(m[3]);
    else if (m[1] !== 'info') calls += Number(m[2]);
  }
  return { usec, calls };
}

/** Runs `call` for each chunk of `items`, `inFlight` at a time. */
async function chunked<T>(items: T[], size: number, call: (chunk: T[]) => Promise<unknown>): Promise<void> {
  const running: Promise<unknown>[] = [];
  for (let i = 0; i < items.length; i += size) {
    running.push(call(items.slice(i, i + size)));
    if (running.length >= 4) await running.shift();
  }
  await Promise.all(running);
}

async function run(name: string, store: Store, redis?: Redis): Promise<void> {
  const per = (n: number) => (n / N).toFixed(1).padStart(6);
  const step = async (label: string, work: () => Promise<unknown>) => {
    const before = redis && (await redisWork(redis));
    const cpu = process.cpuUsage();
    const t0 = performance.now();
    await work();
    const wall = (performance.now() - t0) * 1000;
    const used = process.cpuUsage(cpu);
    let line = `${name.padEnd(6)} ${label.padEnd(11)} wall ${per(wall)} µs/msg  CPU ${per(used.user + used.system)} µs/msg`;
    if (redis && before) {
      const after = await redisWork(redis);
      line += `  Redis ${per(after.usec - before.usec)} µs/msg, ${per(after.calls - before.calls)} commands/msg`;
    }
    console.log(line);
  };
  const now = Date.now();
  const messages: NewMessage[] = Array.from({ length: N }, (_, k) => ({
    id: newId(now),
    account: ACCOUNT,
    to: `1380013${String(k % 10_000).padStart(4, '0')}`,
    srcId: '1065900001',
    text: TEXT,
    encoding: 'ucs2',
    msgFmt: 8,
    report: true,
    priority: 0,
    segments: [{ content: CONTENT, tpUdhi: 0 }],
    createdAt: now,
  }));
  await step('insert', () => chunked(messages, 64, (chunk) => store.insertMessages(chunk)));
  const jobs: SegmentJob[] = [];
  await step('claim', async () => {
    for (let got = -1; got !== 0; ) {
      const claimed = await store.claimSegments(ACCOUNT, 128, Date.now());
      jobs.push(...claimed);
      got = claimed.length;
    }
  });
  if (jobs.length !== N) throw new Error(`claimed ${jobs.length} of ${N}`);
  const msgIds = jobs.map((_, k) => String(10n ** 18n + BigInt(k)));
  await step('SUBMIT_RESP', () =>
    chunked(
      jobs.map((j, k) => ({
        messageId: j.messageId,
        index: j.index,
        msgId: msgIds[k],
        result: 0,
        at: Date.now(),
      })),
      32,
      (outcomes) => store.recordSubmits(outcomes, QUIET),
    ),
  );
  await step('report', () =>
    chunked(
      msgIds.map((msgId) => ({
        msgId,
        stat: 'DELIVRD',
        submitTime: '2611220000',
        doneTime: '2611220001',
        dest: '13800138000',
        receivedAt: Date.now(),
      })),
      32,
      (reports) => store.recordReports(reports, QUIET),
    ),
  );
  const delivered = (await store.stats()).messagesByStatus.delivered ?? 0;
  if (delivered !== N) throw new Error(`${delivered} of ${N} delivered`);
}

console.log(`${N} messages, one segment each, with reports`);
if (args.store !== 'redis') {
  const dir = mkdtempSync(join(tmpdir(), 'cmppgw-bench-store-'));
  const store = new SqliteStore(join(dir, 'bench.db'));
  try {
    await run('sqlite', store);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
if (args.store !== 'sqlite') {
  const prefix = testPrefix().replace('cmppgw-test', 'cmppgw-bench');
  const store = await RedisStore.open(REDIS_URL, { prefix, nodeId: 'bench-store' });
  const redis = new Redis(REDIS_URL);
  try {
    await run('redis', store, redis);
  } finally {
    await store.close();
    redis.disconnect();
    await deleteKeys(prefix);
  }
}
