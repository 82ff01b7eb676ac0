/**
 * PPG acceptance rate: `cmppgw start` (embedded simulator, SQLite on disk) in its own process, driven by
 * autocannon with PAP push-messages (multipart/related, an SI, a unique push-id each) over 16
 * connections. Prints accepted pushes/s, p50/p99 and how fast the pushes reach the simulator.
 * Target (issue #6): ≥ 6,000 pushes/s on 2 cores (Kannel's PPG: ~3,100/s).
 */
import autocannon from 'autocannon';
import { simulatorSubmits, startGateway } from './gateway-process.js';
import { cpuMeter } from './proc-cpu.js';

const seconds = Number(process.env.BENCH_SECONDS ?? 10);
const connections = Number(process.env.BENCH_CONNECTIONS ?? 16);
const key = 'bench-key';
const boundary = 'bench-boundary-7d1';

const si = `<?xml version="1.0"?>
<!DOCTYPE si PUBLIC "-//WAPFORUM//DTD SI 1.0//EN" "http://www.wapforum.org/DTD/si.dtd">
<si><indication href="http://www.example.com/wap/news" si-id="1@example.com" action="signal-high">You have 4 new emails</indication></si>`;

function request(pushId: string, n: number): string {
  const control = `<?xml version="1.0"?>
<!DOCTYPE pap PUBLIC "-//WAPFORUM//DTD PAP 2.0//EN" "http://www.wapforum.org/DTD/pap_2.0.dtd">
<pap><push-message push-id="${pushId}"><address address-value="WAPPUSH=+86139${String(n % 1e8).padStart(8, '0')}/TYPE=PLMN@ppg.example.com"/></push-message></pap>`;
  return [
    `--${boundary}`,
    'Content-Type: application/xml',
    '',
    control,
    `--${boundary}`,
    'Content-Type: text/vnd.wap.si',
    '',
    si,
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

const gw = await startGateway(
  [
    'http: { host: 127.0.0.1, port: 0, apiKeys: [bench-key] }',
    'store: sqlite:DIR/bench.db',
    'demo: { links: 4, reportDelayMs: [100, 1000] }',
  ].join('\n'),
);
try {
  let n = 0;
  const run = `${process.pid}-${Date.now()}`;
  const before = await simulatorSubmits(gw.simulator);
  const cpu = cpuMeter({ gateway: gw.child.pid as number, autocannon: process.pid });
  const result = await autocannon({
    url: `${gw.url}/pap`,
    method: 'POST',
    connections,
    duration: seconds,
    headers: {
      'content-type': `multipart/related; boundary=${boundary}; type="application/xml"`,
      authorization: `Bearer ${key}`,
    },
    requests: [
      { setupRequest: (req) => ({ ...req, body: request(`bench-${run}-${++n}@pi.example.com`, n) }) },
    ],
  });
  const submitted = (await simulatorSubmits(gw.simulator)) - before;
  const fmt = (x: number) => Math.round(x).toLocaleString('en-US');
  console.log(
    `PAP push-message + SI, ${connections} connections, ${seconds} s: accepted ${fmt(result['2xx'] / seconds)} pushes/s  ` +
      `p50 ${result.latency.p50} ms  p99 ${result.latency.p99} ms  non-2xx ${result.non2xx}  ` +
      `SMS at the simulator during the run ${fmt(submitted / seconds)}/s`,
  );
  console.log(`CPU: ${cpu()}`);
} finally {
  await gw.stop();
}
