import type { CmppVersion } from '../cmpp/index.js';
import { chooseFormat, encodeText, MsgFmt, type SubmitFields } from '../cmpp/index.js';
import { CmppClient, CmppSessionError } from '../session/index.js';
import { CliError } from './io.js';

export interface BenchSubmitOptions {
  host: string;
  port: number;
  account: string;
  secret: string;
  version: CmppVersion;
  window: number;
  count: number;
  text: string;
  /** Ask for status reports (Registered_Delivery 1); they are answered, not counted. */
  report?: boolean;
}

export interface BenchSubmitReport {
  count: number;
  window: number;
  elapsedMs: number;
  rate: number;
  p50Ms: number;
  p99Ms: number;
  errors: Record<string, number>;
}

/** 70 Chinese characters: 140 bytes of UCS2, the payload of the gocmpp figures the targets compare with. */
export const DEFAULT_BENCH_TEXT =
  '中国移动互联网短信网关接口协议规定超过七十个汉字的长短信需要拆分为多条短消息发送每条消息携带用户数据头以便手机把它们重新组装成完整的一条信息'.slice(
    0,
    70,
  );

function percentile(sorted: Float64Array, p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

/**
 * Connects as an SP and keeps `window` SUBMITs in flight until `count` are answered. Works against any
 * CMPP server: DELIVERs and ACTIVE_TESTs are answered while it runs, and a wrong AuthenticatorISMG is
 * tolerated (a load tool is not the place to audit the peer's login).
 */
export async function benchSubmit(o: BenchSubmitOptions): Promise<BenchSubmitReport> {
  const client = new CmppClient({
    host: o.host,
    port: o.port,
    account: o.account,
    secret: o.secret,
    version: o.version,
    window: o.window,
    lenient: true,
    reconnect: false,
  });
  await client.connect();
  const fmt = chooseFormat(o.text);
  const content = encodeText(o.text, fmt);
  if (content.length > (fmt === MsgFmt.ASCII ? 159 : 140)) {
    throw new CliError(`--text is ${content.length} bytes: a benchmark message must fit one SMS`);
  }
  const submit: SubmitFields = {
    Pk_total: 1,
    Pk_number: 1,
    Registered_Delivery: o.report ? 1 : 0,
    TP_udhi: 0,
    Msg_Fmt: fmt,
    Msg_src: o.account,
    FeeType: '01',
    Src_Id: o.account,
    Dest_terminal_Id: ['13800138000'],
    Msg_Content: content,
  };
  const latencies = new Float64Array(o.count);
  const errors: Record<string, number> = {};
  let issued = 0;
  let answered = 0;
  const started = performance.now();
  const worker = async () => {
    while (issued < o.count) {
      issued++;
      const t0 = performance.now();
      try {
        const { result } = await client.submit(submit);
        if (result !== 0) errors[result] = (errors[result] ?? 0) + 1;
      } catch (err) {
        const name = err instanceof CmppSessionError ? err.name : 'error';
        errors[name] = (errors[name] ?? 0) + 1;
        if (err instanceof CmppSessionError && !client.inFlight && client.state !== 'up') break;
      }
      latencies[answered++] = performance.now() - t0;
    }
  };
  await Promise.all(Array.from({ length: o.window }, worker));
  const elapsedMs = performance.now() - started;
  await client.close();
  const sorted = latencies.subarray(0, answered).sort();
  return {
    count: answered,
    window: o.window,
    elapsedMs: Math.round(elapsedMs),
    rate: Math.round((answered * 1000) / elapsedMs),
    p50Ms: Number(percentile(sorted, 50).toFixed(3)),
    p99Ms: Number(percentile(sorted, 99).toFixed(3)),
    errors,
  };
}
