import type { Command } from 'commander';
import { ConfigError, loadConfig, type StartFlags } from '../gateway/config-load.js';
import { Gateway } from '../gateway/gateway.js';
import { createLogger } from '../gateway/logging.js';
import { buildApp } from '../http/app.js';
import { newDemoKey, startDemoSimulator } from './demo.js';
import { CliError, type CliIo } from './io.js';
import { openStoreOf } from './open-store.js';

/** `cmppgw start`: the gateway; with no ISMG configured, also an embedded simulator and a demo account. */
export function registerStartCommand(program: Command, io: CliIo): void {
  program
    .command('start')
    .description('run the gateway (with no ISMG configured: plus an embedded simulator, for trying it out)')
    .option('--config <file>', 'YAML configuration file')
    .option('--ismg <host:port>', 'the ISMG to connect to')
    .option('--account <spid:secret>', 'SP id and shared secret')
    .option('--version <v>', 'CMPP version 2 or 3')
    .option('--service-code <code>', 'SP service code (Src_Id)')
    .option('--http-host <host>', 'HTTP address to listen on')
    .option('--http-port <port>', 'HTTP port')
    .option('--store <url>', 'sqlite:PATH or redis://[:password@]host:port/db')
    .option('--api-key <key...>', 'API keys accepted by the HTTP API')
    .option('--pap-trusted <cidr...>', 'networks whose Push Initiators need no API key (e.g. 127.0.0.0/8)')
    .option('--log-level <level>', 'fatal|error|warn|info|debug|trace', process.env.LOG_LEVEL ?? 'info')
    .action(async (flags: StartFlags & { logLevel: string }) => {
      let config: ReturnType<typeof loadConfig>;
      try {
        config = loadConfig(flags);
      } catch (err) {
        if (err instanceof ConfigError) throw new CliError(err.message);
        throw err;
      }
      const logger = createLogger(flags.logLevel);
      const demo =
        config.accounts.length === 0
          ? await startDemoSimulator(config.demo ?? { links: 1, reportDelayMs: [1000, 3000] }, logger)
          : undefined;
      if (demo) config.accounts.push(demo.account);
      if (config.http.apiKeys.length === 0) {
        if (!demo)
          throw new CliError('http.apiKeys: at least one API key is required (--api-key or CMPPGW_API_KEYS)');
        config.http.apiKeys.push(newDemoKey());
      }
      const gateway = new Gateway(config, await openStoreOf(config, logger), logger);
      await gateway.start();
      const app = await buildApp(gateway, { ...config.http, pap: config.pap, logger });
      const url = await app.listen({ host: config.http.host, port: config.http.port });
      io.out(
        `cmppgw listening on ${url} (dashboard: ${url}/, API docs: ${url}/docs, metrics: ${url}/metrics)`,
      );
      if (demo) {
        const key = config.http.apiKeys[0];
        io.out(
          `embedded ISMG simulator on 127.0.0.1:${demo.simulator.cmppAddress.port}, control API ${demo.simulator.httpUrl}`,
        );
        io.out(`API key: ${key}`);
        io.out('try:');
        io.out(
          `  curl -s -H 'Authorization: Bearer ${key}' -H 'content-type: application/json' ` +
            `-d '{"to":"13800138000","text":"你好，cmppgw"}' ${url}/api/v1/messages`,
        );
        io.out(`  curl -s -H 'Authorization: Bearer ${key}' ${url}/api/v1/messages/<id>`);
      }
      let stopping = false;
      const stop = async (signal: string) => {
        if (stopping) return;
        stopping = true;
        logger.info({ signal }, 'shutting down');
        await app.close();
        await gateway.close();
        await demo?.simulator.stop();
      };
      process.once('SIGINT', () => void stop('SIGINT'));
      process.once('SIGTERM', () => void stop('SIGTERM'));
    });
}
