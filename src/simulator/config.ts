import { type CmppVersion, parseVersion } from '../cmpp/index.js';
import { DEFAULT_TIMERS } from '../session/index.js';
import { ConfigReader, checkNumber, SimulatorConfigError } from './config-reader.js';
import { type FaultSettings, NO_FAULTS, parseFaults } from './fault-settings.js';
import { type MoRequest, parseMoRequest } from './mo-request.js';
import { nationalNumber } from './msisdn.js';
import { checkStat, parseStatMix, type StatMix } from './stat-mix.js';

export interface AccountSettings {
  /** SP_Id, the CONNECT's Source_Addr (at most 6 characters). */
  id: string;
  secret: string;
  versions: readonly CmppVersion[];
  maxConnections?: number;
  /** Admitted SUBMITs per second over all links of the account; beyond it Result 8. */
  flowLimit?: number;
  /** SP service code: every SUBMIT's Src_Id must start with it (else Result 10), MO goes to it. */
  serviceCode?: string;
}

export interface ReportSettings {
  enabled: boolean;
  /** Delay from SUBMIT to report, uniformly in [min, max]. */
  delayMs: readonly [number, number];
  stats: StatMix;
  /** Stat for a destination whatever the mix says, keyed by national number. */
  overrides: ReadonlyMap<string, string>;
}

export interface ScriptedMo extends MoRequest {
  /** Milliseconds after the account's first login (default 0). */
  at: number;
}

export interface SimulatorConfig {
  host: string;
  port: number;
  httpHost: string;
  /** null: no HTTP control API. */
  httpPort: number | null;
  /** The ISMG code in every Msg_Id (22 bits, SPEC3 §8.4.3.2). */
  gatewayCode: number;
  /** W (SPEC3 §7.1) both ways: more unanswered SP requests on a link get Result 8; DELIVERs wait for room. */
  window: number;
  responseTimeoutMs: number;
  maxTries: number;
  heartbeatIntervalMs: number;
  loginTimeoutMs: number;
  /** SUBMITs kept for GET /submits. */
  recentSubmits: number;
  accounts: ReadonlyMap<string, AccountSettings>;
  reports: ReportSettings;
  faults: FaultSettings;
  moScript: readonly ScriptedMo[];
}

/** The config as written in YAML or passed by a program: every key optional. */
export interface SimulatorConfigInput {
  host?: string;
  port?: number;
  httpHost?: string;
  httpPort?: number | null;
  gatewayCode?: number;
  window?: number;
  responseTimeoutMs?: number;
  maxTries?: number;
  heartbeatIntervalMs?: number;
  loginTimeoutMs?: number;
  recentSubmits?: number;
  accounts?: Record<
    string,
    {
      secret: string;
      versions?: readonly (string | number)[] | string | number;
      maxConnections?: number;
      flowLimit?: number;
      serviceCode?: string;
    }
  >;
  reports?: {
    enabled?: boolean;
    delayMs?: number | readonly [number, number];
    stats?: string | Record<string, number>;
    overrides?: Record<string, string>;
  };
  faults?: Partial<FaultSettings>;
  mo?: { script?: readonly (MoRequest & { at?: number })[] };
}

/** Used when no account is configured at all. */
export const DEMO_ACCOUNT: AccountSettings = {
  id: '900001',
  secret: '888888',
  versions: ['2.0', '3.0'],
  serviceCode: '1065900001',
};

const PORT = { min: 0, max: 65535, integer: true };
const POSITIVE = { min: 1, integer: true };

function parseVersions(value: unknown, key: string): CmppVersion[] {
  if (value === undefined) return ['2.0', '3.0'];
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) throw new SimulatorConfigError(key, 'must name at least one version');
  return list.map((v) => {
    if (typeof v !== 'string' && typeof v !== 'number') {
      throw new SimulatorConfigError(key, `must be 2.0 and/or 3.0, got ${JSON.stringify(v)}`);
    }
    try {
      return parseVersion(String(v));
    } catch {
      throw new SimulatorConfigError(key, `must be 2.0 and/or 3.0, got ${JSON.stringify(v)}`);
    }
  });
}

function parseAccount(id: string, r: ConfigReader): AccountSettings {
  if (!/^[0-9A-Za-z]{1,6}$/.test(id)) {
    throw new SimulatorConfigError(r.path, 'an SP id is 1–6 letters or digits (Source_Addr is 6 bytes)');
  }
  const account: AccountSettings = {
    id,
    secret: r.string('secret') ?? r.fail('secret', 'is required'),
    versions: parseVersions(r.raw('versions'), r.keyPath('versions')),
    maxConnections: r.number('maxConnections', POSITIVE),
    flowLimit: r.number('flowLimit', POSITIVE),
    serviceCode: r.string('serviceCode'),
  };
  if (account.serviceCode !== undefined && !/^\d{1,21}$/.test(account.serviceCode)) {
    r.fail('serviceCode', 'must be 1–21 digits');
  }
  r.done();
  return account;
}

function parseAccounts(r: ConfigReader): Map<string, AccountSettings> {
  if (!r.has('accounts')) return new Map([[DEMO_ACCOUNT.id, DEMO_ACCOUNT]]);
  const accounts = r.object('accounts');
  const ids = accounts.keys();
  if (ids.length === 0) {
    r.fail('accounts', 'needs at least one account (or leave it out for the demo account)');
  }
  return new Map(ids.map((id) => [id, parseAccount(id, accounts.object(id))]));
}

function parseDelay(r: ConfigReader): [number, number] {
  const key = r.keyPath('delayMs');
  const value = r.raw('delayMs') ?? [100, 1000];
  const range = Array.isArray(value) ? value : [value, value];
  if (range.length !== 2) throw new SimulatorConfigError(key, 'must be milliseconds or [min, max]');
  const [min, max] = range.map((v, i) => checkNumber(v, { min: 0, integer: true }, `${key}[${i}]`));
  if (min > max) throw new SimulatorConfigError(key, `min ${min} is above max ${max}`);
  return [min, max];
}

function parseReports(r: ConfigReader): ReportSettings {
  const overrides = r.object('overrides');
  const reports: ReportSettings = {
    enabled: r.boolean('enabled', true),
    delayMs: parseDelay(r),
    stats: parseStatMix(r.raw('stats') ?? 'DELIVRD:1', r.keyPath('stats')),
    overrides: new Map(
      overrides
        .keys()
        .map((dest) => [nationalNumber(dest), checkStat(overrides.raw(dest), overrides.keyPath(dest))]),
    ),
  };
  r.done();
  return reports;
}

function parseMoScript(r: ConfigReader, accounts: ReadonlyMap<string, AccountSettings>): ScriptedMo[] {
  const script = r.list('script').map((entry, i) => {
    const path = `${r.keyPath('script')}[${i}]`;
    const item = ConfigReader.of(entry, path);
    const at = item.number('at', { min: 0, integer: true }, 0);
    const mo = parseMoRequest(item);
    if (mo.account !== undefined && !accounts.has(mo.account)) {
      item.fail('account', `no account "${mo.account}"`);
    }
    return { ...mo, at };
  });
  r.done();
  return script;
}

/** Checks a config (parsed YAML or an object) and fills in defaults. Throws SimulatorConfigError naming the key. */
export function parseSimulatorConfig(input: unknown = {}): SimulatorConfig {
  const r = ConfigReader.of(input, '');
  const accounts = parseAccounts(r);
  const config: SimulatorConfig = {
    host: r.string('host', '127.0.0.1'),
    port: r.number('port', PORT, 7890),
    httpHost: r.string('httpHost', '127.0.0.1'),
    httpPort: r.isNull('httpPort') ? null : r.number('httpPort', PORT, 7891),
    gatewayCode: r.number('gatewayCode', { min: 0, max: 0x3fffff, integer: true }, 1001),
    window: r.number('window', POSITIVE, 16),
    responseTimeoutMs: r.number('responseTimeoutMs', POSITIVE, DEFAULT_TIMERS.responseTimeoutMs),
    maxTries: r.number('maxTries', POSITIVE, DEFAULT_TIMERS.maxTries),
    heartbeatIntervalMs: r.number(
      'heartbeatIntervalMs',
      { min: 0, integer: true },
      DEFAULT_TIMERS.heartbeatIntervalMs,
    ),
    loginTimeoutMs: r.number('loginTimeoutMs', POSITIVE, 10_000),
    recentSubmits: r.number('recentSubmits', { min: 0, integer: true }, 1000),
    accounts,
    reports: parseReports(r.object('reports')),
    faults: parseFaults(r.raw('faults'), NO_FAULTS),
    moScript: parseMoScript(r.object('mo'), accounts),
  };
  r.done();
  return config;
}
