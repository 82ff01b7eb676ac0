import { parentPort, workerData } from 'node:worker_threads';
import { pino } from 'pino';
import { Simulator, type SimulatorConfigInput } from '../simulator/index.js';

/*
 * The embedded simulator's thread: it stands for a remote ISMG, so it gets a core of its own instead of
 * sharing the gateway's event loop. Posts its addresses once listening; stops on 'stop'.
 */

const { config, level } = workerData as { config: SimulatorConfigInput; level: string };
const port = parentPort as NonNullable<typeof parentPort>;
const simulator = new Simulator(config, { logger: pino({ level }).child({ component: 'simulator' }) });
await simulator.start();
port.postMessage({ cmppPort: simulator.cmppAddress.port, httpUrl: simulator.httpUrl });
port.once('message', async () => {
  await simulator.stop();
  port.postMessage('stopped');
  port.close();
});
