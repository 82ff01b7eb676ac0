/**
 * Codec throughput on one core: 3.0 SUBMIT (70 UCS2 characters, one recipient) and a 3.0 DELIVER report.
 * Targets (issue #2): ≥ 1,000,000 SUBMIT encodes/s and ≥ 2,000,000 SUBMIT decodes/s.
 */
import { decodePdu, decodeReport, encodePdu, encodeReport, type Fields } from '../src/cmpp/index.js';

const text =
  '中国移动互联网短信网关接口协议规定超过七十个汉字的长短信需要拆分为多条短消息发送每条消息携带用户数据头以便手机把它们重新组装成完整'.slice(
    0,
    70,
  );
const content = Buffer.from(text, 'utf16le').swap16();

const submit: Fields = {
  Pk_total: 1,
  Pk_number: 1,
  Registered_Delivery: 1,
  Service_Id: 'TESTSVC',
  Msg_Fmt: 8,
  Msg_src: '900001',
  FeeType: '01',
  FeeCode: '000000',
  Src_Id: '1065900001',
  Dest_terminal_Id: ['13800138000'],
  Msg_Content: content,
};

const reportBody = encodeReport(
  {
    Msg_Id: 12878564852733378560n,
    Stat: 'DELIVRD',
    Submit_time: '2611211405',
    Done_time: '2611211406',
    Dest_terminal_Id: '13800138000',
    SMSC_sequence: 12345,
  },
  '3.0',
);
const deliver: Fields = {
  Msg_Id: 13454609989707038728n,
  Dest_Id: '1065900001',
  Service_Id: 'TESTSVC',
  Src_terminal_Id: '13800138000',
  Registered_Delivery: 1,
  Msg_Content: reportBody,
};

/**
 * Rate per CPU-second of this process (user + system), the "on one core" figure: unlike wall time it does
 * not count time spent waiting for a core that other processes hold. Wall-clock rate printed beside it.
 */
function rate(label: string, iterations: number, fn: (i: number) => unknown): number {
  for (let i = 0; i < iterations / 10; i++) fn(i); // warm up
  const cpu = process.cpuUsage();
  const wall = process.hrtime.bigint();
  let sink = 0;
  for (let i = 0; i < iterations; i++) if (fn(i)) sink++;
  const used = process.cpuUsage(cpu);
  const cpuSeconds = (used.user + used.system) / 1e6;
  const wallSeconds = Number(process.hrtime.bigint() - wall) / 1e9;
  const perCpuSecond = Math.round(iterations / cpuSeconds);
  const fmt = (n: number) => n.toLocaleString('en-US').padStart(12);
  console.log(
    `${label.padEnd(32)} ${fmt(perCpuSecond)} /s per core  ${fmt(Math.round(iterations / wallSeconds))} /s wall  (${sink === iterations ? 'ok' : 'FAIL'})`,
  );
  return perCpuSecond;
}

const N = Number(process.env.BENCH_N ?? 2_000_000);
const submitFrame = encodePdu('3.0', 'CMPP_SUBMIT', 1, submit);
const deliverFrame = encodePdu('3.0', 'CMPP_DELIVER', 1, deliver);
console.log(
  `3.0 SUBMIT ${submitFrame.length} bytes, 3.0 DELIVER report ${deliverFrame.length} bytes, ${N.toLocaleString('en-US')} iterations`,
);
rate('SUBMIT encode', N, (i) => encodePdu('3.0', 'CMPP_SUBMIT', i, submit));
rate('SUBMIT decode', N, () => decodePdu(submitFrame, '3.0'));
rate('DELIVER report encode', N, (i) => encodePdu('3.0', 'CMPP_DELIVER', i, deliver));
rate('DELIVER report decode (+ body)', N, () =>
  decodeReport(decodePdu(deliverFrame, '3.0').fields.Msg_Content as Buffer),
);
