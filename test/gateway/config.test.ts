import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../src/gateway/config-load.js';

/* The configuration: errors name the key; `cmppgw start` with a bad one exits 2 with one line. */

const dir = mkdtempSync(join(tmpdir(), 'cmppgw-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function file(text: string): string {
  const path = join(dir, `config-${++files}.yaml`);
  writeFileSync(path, text);
  return path;
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

const ACCOUNT = `accounts:
  - name: main
    spId: "900001"
    secret: s3cret
    ismg: 127.0.0.1:7890
    serviceCode: "1065900001"
`;

describe('loadConfig', () => {
  it('reads a file: accounts, http, store, webhooks, with defaults and env overrides for secrets', () => {
    const path = file(`${ACCOUNT}    version: 2
    window: 8
http:
  port: 9090
  apiKeys: [k1, k2]
store: sqlite:/tmp/x.db
webhooks:
  url: http://127.0.0.1:1/hooks
  secret: from-file
`);
    const config = loadConfig(
      { config: path },
      { CMPPGW_ACCOUNT_MAIN_SECRET: 'from-env', CMPPGW_WEBHOOK_SECRET: 'hook-env' },
    );
    expect(config.accounts).toHaveLength(1);
    expect(config.accounts[0]).toMatchObject({
      name: 'main',
      spId: '900001',
      secret: 'from-env',
      host: '127.0.0.1',
      port: 7890,
      version: '2.0',
      window: 8,
      links: 1,
      responseTimeoutMs: 60_000,
      maxTries: 3,
      webhookUrl: 'http://127.0.0.1:1/hooks',
    });
    expect(config.http).toMatchObject({ host: '127.0.0.1', port: 9090, apiKeys: ['k1', 'k2'] });
    expect(config.store).toBe('sqlite:/tmp/x.db');
    expect(config.webhooks.secret).toBe('hook-env');
  });

  it('with nothing configured there is no account (the demo mode) and the defaults', () => {
    const config = loadConfig({}, {});
    expect(config.accounts).toEqual([]);
    expect(config.http.port).toBe(8080);
    expect(config.store).toBe('sqlite:./data/cmppgw.db');
    expect(config.http.metricsAuth).toBe('open');
  });

  it('/metrics is open by default only on a loopback address; http.metricsAuth decides otherwise', () => {
    expect(loadConfig({ httpHost: '0.0.0.0' }, {}).http.metricsAuth).toBe('apiKey');
    expect(loadConfig({ httpHost: '::1' }, {}).http.metricsAuth).toBe('open');
    const open = loadConfig({ config: file('http:\n  host: 0.0.0.0\n  metricsAuth: open\n') }, {});
    expect(open.http.metricsAuth).toBe('open');
  });

  it('names accounts[0].serviceCode when it is missing', () => {
    const path = file(`accounts:
  - spId: "900001"
    secret: s
    ismg: 127.0.0.1:7890
`);
    const err = configError(() => loadConfig({ config: path }, {}));
    expect(err.key).toBe('accounts[0].serviceCode');
    expect(err.message).toMatch(/^accounts\[0\]\.serviceCode: /);
  });

  it('names the key of other bad values', () => {
    const cases: [string, string][] = [
      [`${ACCOUNT}http:\n  port: abc\n`, 'http.port'],
      [`${ACCOUNT}http:\n  port: 70000\n`, 'http.port'],
      [
        `accounts:\n  - spId: "900001"\n    serviceCode: "1"\n    ismg: localhost\n    secret: s\n`,
        'accounts[0].ismg',
      ],
      [`accounts:\n  - spId: abc\n    serviceCode: "1"\n    secret: s\n    host: h\n`, 'accounts[0].spId'],
      [`accounts:\n  - spId: "900001"\n    serviceCode: "1"\n    host: h\n`, 'accounts[0].secret'],
      [`${ACCOUNT}    version: 4\n`, 'accounts[0].version'],
      [`${ACCOUNT}    window: 0\n`, 'accounts[0].window'],
      [
        `${ACCOUNT}  - name: main\n    spId: "900002"\n    secret: s\n    host: h\n    serviceCode: "2"\n`,
        'accounts[1].name',
      ],
      ['accounts: 12\n', 'accounts'],
      ['http: [1, 2]\n', 'http'],
      ['http:\n  metricsAuth: none\n', 'http.metricsAuth'],
      [
        `${ACCOUNT}    moRoutes: [{ extension: "8a", webhookUrl: "http://x" }]\n`,
        'accounts[0].moRoutes[0].extension',
      ],
      [`${ACCOUNT}    moRoutes: [{ extension: "88" }]\n`, 'accounts[0].moRoutes[0].webhookUrl'],
      [`${ACCOUNT}    moRoutes: 5\n`, 'accounts[0].moRoutes'],
      ['pap:\n  trustedNetworks: [10.0.0.0/33]\n', 'pap.trustedNetworks[0]'],
      ['pap:\n  trustedNetworks: [localhost]\n', 'pap.trustedNetworks[0]'],
      ['pap:\n  path: pap\n', 'pap.path'],
      [`${ACCOUNT}pap:\n  account: nope\n`, 'pap.account'],
      ['retentionDays: -1\n', 'retentionDays'],
      ['retentionDays: 1.5\n', 'retentionDays'],
    ];
    for (const [yaml, key] of cases) {
      const err = configError(() => loadConfig({ config: file(yaml) }, {}));
      expect(err.key, yaml).toBe(key);
    }
    expect(configError(() => loadConfig({ httpPort: 'abc' }, {})).key).toBe('http.port');
    expect(configError(() => loadConfig({ account: 'nocolon' }, {})).key).toBe('--account');
    expect(configError(() => loadConfig({ papTrusted: ['1.2.3'] }, {})).key).toBe('pap.trustedNetworks[0]');
  });

  it('PAP defaults, trusted networks from the file or --pap-trusted, MO routes', () => {
    expect(loadConfig({}, {}).pap).toEqual({ path: '/pap', trustedNetworks: [], senderName: 'cmppgw' });
    const yaml = `${ACCOUNT}    moRoutes: [{ extension: "88", webhookUrl: "http://x/88" }]\npap:\n  trustedNetworks: [10.0.0.0/8, "::1"]\n  account: main\n`;
    const c = loadConfig({ config: file(yaml) }, {});
    expect(c.pap).toMatchObject({ trustedNetworks: ['10.0.0.0/8', '::1/128'], account: 'main' });
    expect(c.accounts[0].moRoutes).toEqual([{ extension: '88', webhookUrl: 'http://x/88' }]);
    expect(loadConfig({ config: file(yaml), papTrusted: ['127.0.0.1'] }, {}).pap.trustedNetworks).toEqual([
      '127.0.0.1/32',
    ]);
  });

  it('a Redis store: URL, prefix and cluster settings; a bad store URL or prefix names its key', () => {
    const path = file(`${ACCOUNT}store: rediss://:pw@redis.internal:6380/2
storePrefix: sms-prod
cluster:
  nodeId: gw-a
  nodeTtlMs: 6000
`);
    const config = loadConfig({ config: path }, {});
    expect(config.store).toBe('rediss://:pw@redis.internal:6380/2');
    expect(config.storePrefix).toBe('sms-prod');
    expect(config.cluster).toEqual({ nodeId: 'gw-a', nodeTtlMs: 6000, claimIdleMs: 6000 });
    const bad: [string, string, RegExp][] = [
      ['store: mysql://x\n', 'store', /unsupported store "mysql:\/\/x"/],
      ['store: redis://\n', 'store', /not a URL|names no host/],
      ['store: redis://h:6379/x\n', 'store', /database "x"/],
      ['store: redis://h:6379/0?db=1\n', 'store', /unknown option "\?db="/],
      ['store: redis://h:6379/0?prefix=a{b}\n', 'store', /key prefix/],
      ['storePrefix: "a b"\n', 'storePrefix', /must be 1–64/],
      ['cluster:\n  nodeTtlMs: 10\n', 'cluster.nodeTtlMs', /from 500/],
    ];
    for (const [yaml, key, message] of bad) {
      const err = configError(() => loadConfig({ config: file(yaml) }, {}));
      expect(err.key, yaml).toBe(key);
      expect(err.message, yaml).toMatch(message);
    }
  });

  it('a file that is not YAML, or cannot be read, is named as such', () => {
    const bad = configError(() => loadConfig({ config: file('accounts: [\n  - spId: "1\n') }, {}));
    expect(bad.key).toBe('config');
    expect(bad.message).toMatch(/not valid YAML/);
    const notMapping = configError(() => loadConfig({ config: file('- just\n- a list\n') }, {}));
    expect(notMapping.key).toBe('config');
    const missing = configError(() => loadConfig({ config: join(dir, 'missing.yaml') }, {}));
    expect(missing.key).toBe('--config');
  });
});

/** Runs the CLI from the repository root; resolves with its exit code and output. */
function cli(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('CMPPGW_')));
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...args], {
      cwd: join(import.meta.dirname, '..', '..'),
      env,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('cmppgw start with a bad configuration', () => {
  it('exits 2 with one line naming the key', async () => {
    const bad = file(`accounts:\n  - spId: "900001"\n    secret: s\n    ismg: 127.0.0.1:7890\n`);
    const run = await cli(['start', '--config', bad]);
    expect(run.code).toBe(2);
    const lines = run.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(/^error: accounts\[0\]\.serviceCode: /);
    expect(run.stdout.trim()).toBe('');
  });

  it('exits 2 for a file that is not YAML', async () => {
    const run = await cli(['start', '--config', file('http: {port: [\n')]);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/^error: config: /);
  });
});
