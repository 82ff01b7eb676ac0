import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  DEMO_ACCOUNT,
  parseSimulatorConfig,
  readSimulatorConfigFile,
  Simulator,
  SimulatorConfigError,
} from '../../src/simulator/index.js';

const YAML = `
port: 17890
httpPort: ~
gatewayCode: 79101
accounts:
  '900001':
    secret: '888888'
    versions: [2.0, '3.0']
    maxConnections: 2
    flowLimit: 100
    serviceCode: '1065900001'
  '900002':
    secret: s3cret
    versions: 2
reports:
  delayMs: [50, 500]
  stats: DELIVRD:0.95,UNDELIV:0.03,EXPIRED:0.02
  overrides:
    '+8613800000009': UNDELIV
faults:
  dropResponses: 0.1
mo:
  script:
    - { at: 1000, from: '13800138000', to: '1065900001', text: hello }
`;

function errorOf(input: unknown): string {
  try {
    parseSimulatorConfig(input);
  } catch (err) {
    expect(err).toBeInstanceOf(SimulatorConfigError);
    return (err as Error).message;
  }
  throw new Error('config unexpectedly valid');
}

describe('simulator config', () => {
  it('reads a YAML file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-config-'));
    const file = join(dir, 'simulator.yaml');
    writeFileSync(file, YAML);
    const config = parseSimulatorConfig(await readSimulatorConfigFile(file));
    expect(config).toMatchObject({
      port: 17890,
      httpPort: null,
      gatewayCode: 79101,
      host: '127.0.0.1',
      window: 16,
    });
    expect(config.accounts.get('900001')).toEqual({
      id: '900001',
      secret: '888888',
      versions: ['2.0', '3.0'],
      maxConnections: 2,
      flowLimit: 100,
      serviceCode: '1065900001',
    });
    expect(config.accounts.get('900002')?.versions).toEqual(['2.0']);
    expect(config.reports.delayMs).toEqual([50, 500]);
    expect(config.reports.stats.map((s) => s.stat)).toEqual(['DELIVRD', 'UNDELIV', 'EXPIRED']);
    expect(config.reports.overrides).toEqual(new Map([['13800000009', 'UNDELIV']]));
    expect(config.faults).toMatchObject({ dropResponses: 0.1, rejectFraction: 0, ignoreActiveTest: false });
    expect(config.moScript).toEqual([{ at: 1000, from: '13800138000', to: '1065900001', text: 'hello' }]);
  });

  it('defaults to the demo account, ports 7890/7891 and DELIVRD reports', () => {
    const config = parseSimulatorConfig({});
    expect([...config.accounts.values()]).toEqual([DEMO_ACCOUNT]);
    expect(config).toMatchObject({ port: 7890, httpPort: 7891, responseTimeoutMs: 60_000, maxTries: 3 });
    expect(config.reports).toMatchObject({ enabled: true, stats: [{ stat: 'DELIVRD', weight: 1 }] });
  });

  it.each([
    [{ prot: 1 }, 'prot: unknown key'],
    [{ port: 70000 }, 'port: must be between 0 and 65535, got 70000'],
    [{ accounts: {} }, 'accounts: needs at least one account'],
    [
      { accounts: { '900001': { secret: 888888 } } },
      'accounts.900001.secret: must be a string, got number 888888 (quote it)',
    ],
    [{ accounts: { '900001': {} } }, 'accounts.900001.secret: is required'],
    [{ accounts: { '9000011': { secret: 'x' } } }, 'accounts.9000011: an SP id is 1–6 letters or digits'],
    [
      { accounts: { a: { secret: 'x', versions: ['4.0'] } } },
      'accounts.a.versions: must be 2.0 and/or 3.0, got "4.0"',
    ],
    [
      { accounts: { a: { secret: 'x', maxConnections: 0 } } },
      'accounts.a.maxConnections: must be at least 1, got 0',
    ],
    [
      { accounts: { a: { secret: 'x', serviceCode: '10659x' } } },
      'accounts.a.serviceCode: must be 1–21 digits',
    ],
    [{ reports: { delayMs: [5, 1] } }, 'reports.delayMs: min 5 is above max 1'],
    [{ reports: { delayMs: [1, -1] } }, 'reports.delayMs[1]: must be at least 0, got -1'],
    [{ reports: { stats: 'DELIVRD' } }, 'reports.stats: "DELIVRD" is not STAT:weight'],
    [{ reports: { stats: 'DELIVERED:1' } }, 'reports.stats: a Stat is 1–7 of A–Z'],
    [{ reports: { stats: { DELIVRD: 0 } } }, 'reports.stats: needs at least one positive weight'],
    [
      { reports: { overrides: { '13800000000': 'delivered' } } },
      'reports.overrides.13800000000: a Stat is 1–7',
    ],
    [{ faults: { dropResponses: 1.5 } }, 'faults.dropResponses: must be between 0 and 1, got 1.5'],
    [{ faults: { ignoreActiveTest: 'yes' } }, 'faults.ignoreActiveTest: must be true or false, got "yes"'],
    [{ mo: { script: [{ from: '13800138000', to: '1065900001' }] } }, 'mo.script[0].text: is required'],
    [
      { mo: { script: [{ from: '1', to: '2', text: 'x', account: 'nobody' }] } },
      'mo.script[0].account: no account "nobody"',
    ],
  ])('rejects %j naming the key', (input, message) => {
    expect(errorOf(input)).toContain(message);
  });

  it('checks scripted MO when the simulator is built', () => {
    const mo = { from: '13800138000', to: '1065900001', text: '中文', encoding: 'ascii' as const };
    expect(() => new Simulator({ mo: { script: [mo] } })).toThrow(/^mo\.script\[0\]: text: /);
    expect(() => new Simulator({ mo: { script: [{ ...mo, to: '10658', encoding: undefined }] } })).toThrow(
      'mo.script[0]: "10658" starts with no account\'s service code',
    );
  });

  it('names the file for YAML it cannot parse', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sim-config-'));
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'accounts: [unclosed');
    await expect(readSimulatorConfigFile(file)).rejects.toThrow(`${file}: not valid YAML`);
  });
});
