import { readFileSync } from 'node:fs';
import { isIP } from 'node:net';
import { parse as parseYaml } from 'yaml';
import { type CmppVersion, parseVersion } from '../cmpp/index.js';
import { StoreConfigError } from '../store/errors.js';
import { checkStoreUrl } from '../store/open.js';
import type { AccountConfig, GatewayConfig } from './config.js';

/** A configuration problem, naming the key: the CLI prints it and exits with 2. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`);
  }
}

/** Quick-start flags of `cmppgw start`; they override the config file. */
export interface StartFlags {
  config?: string;
  ismg?: string;
  account?: string;
  version?: string;
  serviceCode?: string;
  httpHost?: string;
  httpPort?: string;
  store?: string;
  apiKey?: string[];
  papTrusted?: string[];
}

type Raw = Record<string, unknown>;

function obj(key: string, v: unknown): Raw {
  if (v === undefined || v === null) return {};
  if (typeof v !== 'object' || Array.isArray(v)) throw new ConfigError(key, 'must be a mapping');
  return v as Raw;
}

function str(key: string, v: unknown, fallback?: string): string {
  if (v === undefined || v === null) {
    if (fallback === undefined) throw new ConfigError(key, 'is required');
    return fallback;
  }
  if (typeof v !== 'string' && typeof v !== 'number') throw new ConfigError(key, 'must be a string');
  return String(v);
}

function int(key: string, v: unknown, fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER): number {
  if (v === undefined || v === null) return fallback;
  const n = typeof v === 'string' ? Number(v) : v;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) {
    throw new ConfigError(key, `must be an integer from ${min} to ${max}, got ${JSON.stringify(v)}`);
  }
  return n;
}

function bool(key: string, v: unknown, fallback: boolean): boolean {
  if (v === undefined || v === null) return fallback;
  if (typeof v !== 'boolean') throw new ConfigError(key, 'must be true or false');
  return v;
}

/** An IPv4 or IPv6 CIDR block (`127.0.0.0/8`, `::1/128`); a bare address is a /32 or /128. */
function cidr(key: string, v: unknown): string {
  const text = str(key, v);
  const [address, bits, extra] = text.split('/');
  const family = isIP(address);
  const max = family === 6 ? 128 : 32;
  const prefix = bits === undefined ? max : Number(bits);
  if (family === 0 || extra !== undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > max)
    throw new ConfigError(key, `must be an IP network like 10.0.0.0/8, got "${text}"`);
  return `${address}/${prefix}`;
}

function pap(raw: Raw, flags: StartFlags): GatewayConfig['pap'] {
  const trusted = flags.papTrusted ?? raw.trustedNetworks ?? [];
  if (!Array.isArray(trusted)) throw new ConfigError('pap.trustedNetworks', 'must be a list');
  const path = str('pap.path', raw.path, '/pap');
  if (!path.startsWith('/')) throw new ConfigError('pap.path', `must start with /, got "${path}"`);
  return {
    path,
    trustedNetworks: trusted.map((t, i) => cidr(`pap.trustedNetworks[${i}]`, t)),
    account: raw.account === undefined ? undefined : str('pap.account', raw.account),
    senderName: str('pap.senderName', raw.senderName, 'cmppgw'),
  };
}

function hostPort(key: string, v: string): { host: string; port: number } {
  const m = /^(.+):(\d{1,5})$/.exec(v);
  if (!m) throw new ConfigError(key, `must be HOST:PORT, got "${v}"`);
  return { host: m[1], port: int(key, Number(m[2]), 0, 1, 65535) };
}

function version(key: string, v: unknown): CmppVersion {
  try {
    return parseVersion(str(key, v, '3'));
  } catch {
    throw new ConfigError(key, `must be 2 or 3, got ${JSON.stringify(v)}`);
  }
}

function prefix(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  const p = str('storePrefix', v);
  if (!/^[A-Za-z0-9:_.-]{1,64}$/.test(p))
    throw new ConfigError('storePrefix', `"${p}" must be 1–64 of A–Z a–z 0–9 : _ . -`);
  return p;
}
const isLoopback = (host: string) => /^(127\.|::1$|localhost$)/.test(host);

/** CMPPGW_ACCOUNT_<NAME>_SECRET: secrets stay out of config files. */
const secretVar = (name: string) => `CMPPGW_ACCOUNT_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}_SECRET`;

function moRoutes(key: string, v: unknown): AccountConfig['moRoutes'] {
  if (v === undefined || v === null) return undefined;
  if (!Array.isArray(v)) throw new ConfigError(key, 'must be a list of { extension, webhookUrl }');
  return v.map((r, i) => {
    const route = obj(`${key}[${i}]`, r);
    const extension = str(`${key}[${i}].extension`, route.extension);
    if (!/^\d{1,20}$/.test(extension))
      throw new ConfigError(
        `${key}[${i}].extension`,
        `must be digits after the service code, got "${extension}"`,
      );
    return { extension, webhookUrl: str(`${key}[${i}].webhookUrl`, route.webhookUrl) };
  });
}

function account(key: string, raw: Raw, env: NodeJS.ProcessEnv): AccountConfig {
  const spId = str(`${key}.spId`, raw.spId);
  if (!/^\d{1,6}$/.test(spId)) throw new ConfigError(`${key}.spId`, 'must be the 6-digit SP id');
  const name = str(`${key}.name`, raw.name, spId);
  const ismg = raw.ismg === undefined ? undefined : hostPort(`${key}.ismg`, str(`${key}.ismg`, raw.ismg));
  const serviceCode = str(`${key}.serviceCode`, raw.serviceCode);
  if (!/^\d{1,21}$/.test(serviceCode)) throw new ConfigError(`${key}.serviceCode`, 'must be up to 21 digits');
  const secret = env[secretVar(name)] ?? str(`${key}.secret`, raw.secret);
  return {
    name,
    spId,
    secret,
    version: version(`${key}.version`, raw.version),
    host: ismg?.host ?? str(`${key}.host`, raw.host),
    port: ismg?.port ?? int(`${key}.port`, raw.port, 7890, 1, 65535),
    serviceCode,
    serviceId: str(`${key}.serviceId`, raw.serviceId, ''),
    feeUserType: int(`${key}.feeUserType`, raw.feeUserType, 2, 0, 3),
    feeType: str(`${key}.feeType`, raw.feeType, '01'),
    feeCode: str(`${key}.feeCode`, raw.feeCode, '000000'),
    links: int(`${key}.links`, raw.links, 1, 1, 64),
    window: int(`${key}.window`, raw.window, 16, 1, 1024),
    rateLimit: int(`${key}.rateLimit`, raw.rateLimit, 0),
    report: bool(`${key}.report`, raw.report, true),
    webhookUrl: raw.webhookUrl === undefined ? undefined : str(`${key}.webhookUrl`, raw.webhookUrl),
    moRoutes: moRoutes(`${key}.moRoutes`, raw.moRoutes),
    responseTimeoutMs: int(`${key}.responseTimeoutMs`, raw.responseTimeoutMs, 60_000, 1),
    maxTries: int(`${key}.maxTries`, raw.maxTries, 3, 1, 10),
    heartbeatIntervalMs: int(`${key}.heartbeatIntervalMs`, raw.heartbeatIntervalMs, 180_000),
    lenient: bool(`${key}.lenient`, raw.lenient, false),
  };
}

function readFile(path: string): Raw {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError('--config', `cannot read ${path}: ${(err as Error).message}`);
  }
  try {
    return obj('config', parseYaml(text));
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    // The yaml library appends a multi-line excerpt of the file: keep the one line that says where.
    const reason = (err as Error).message.split('\n')[0].replace(/:$/, '');
    throw new ConfigError('config', `${path} is not valid YAML: ${reason}`);
  }
}

/**
 * The configuration from a YAML file, quick-start flags and environment variables (secrets). With no
 * account anywhere, `accounts` is empty: the caller runs the embedded simulator and a demo account.
 */
export function loadConfig(flags: StartFlags, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const raw = flags.config ? readFile(flags.config) : {};
  const http = obj('http', raw.http);
  const demo = obj('demo', raw.demo);
  const delay = demo.reportDelayMs ?? [1000, 3000];
  if (!Array.isArray(delay) || delay.length !== 2)
    throw new ConfigError('demo.reportDelayMs', 'must be [min, max]');
  const webhooks = obj('webhooks', raw.webhooks);
  const rawAccounts = raw.accounts ?? [];
  if (!Array.isArray(rawAccounts)) throw new ConfigError('accounts', 'must be a list');
  const accountsRaw = rawAccounts.map((a, i) => obj(`accounts[${i}]`, a));
  if (flags.account || flags.ismg || flags.serviceCode || flags.version) {
    const first = accountsRaw[0] ?? {};
    if (flags.account) {
      const colon = flags.account.indexOf(':');
      if (colon <= 0) throw new ConfigError('--account', 'must be SPID:SECRET');
      first.spId = flags.account.slice(0, colon);
      first.secret = flags.account.slice(colon + 1);
    }
    if (flags.ismg) first.ismg = flags.ismg;
    if (flags.serviceCode) first.serviceCode = flags.serviceCode;
    if (flags.version) first.version = flags.version;
    accountsRaw[0] = first;
  }
  const accounts = accountsRaw.map((a, i) => account(`accounts[${i}]`, a, env));
  const names = new Set<string>();
  for (const [i, a] of accounts.entries()) {
    if (names.has(a.name)) throw new ConfigError(`accounts[${i}].name`, `"${a.name}" is used twice`);
    names.add(a.name);
  }
  const keys =
    env.CMPPGW_API_KEYS?.split(',')
      .map((k) => k.trim())
      .filter(Boolean) ??
    flags.apiKey ??
    (Array.isArray(http.apiKeys) ? http.apiKeys.map((k, i) => str(`http.apiKeys[${i}]`, k)) : []);
  const store = env.CMPPGW_STORE ?? flags.store ?? str('store', raw.store, 'sqlite:./data/cmppgw.db');
  try {
    checkStoreUrl(store);
  } catch (err) {
    if (err instanceof StoreConfigError) throw new ConfigError('store', err.message.replace(/^store: /, ''));
    throw err;
  }
  const cluster = obj('cluster', raw.cluster);
  const nodeTtlMs = int('cluster.nodeTtlMs', cluster.nodeTtlMs, 10_000, 500);
  const httpHost = flags.httpHost ?? str('http.host', http.host, '127.0.0.1');
  const metricsAuth = str('http.metricsAuth', http.metricsAuth, isLoopback(httpHost) ? 'open' : 'apiKey');
  if (metricsAuth !== 'open' && metricsAuth !== 'apiKey')
    throw new ConfigError('http.metricsAuth', `must be open or apiKey, got "${metricsAuth}"`);
  const papConfig = pap(obj('pap', raw.pap), flags);
  if (papConfig.account !== undefined && accounts.length > 0 && !names.has(papConfig.account))
    throw new ConfigError('pap.account', `names no configured account: "${papConfig.account}"`);
  const defaultWebhook = webhooks.url === undefined ? undefined : str('webhooks.url', webhooks.url);
  for (const a of accounts) a.webhookUrl ??= defaultWebhook;
  return {
    accounts,
    http: {
      host: httpHost,
      port: int('http.port', flags.httpPort ?? http.port, 8080, 0, 65535),
      apiKeys: keys,
      rateLimit: int('http.rateLimit', http.rateLimit, 0),
      bodyLimit: int('http.bodyLimit', http.bodyLimit, 1024 * 1024, 1024),
      metricsAuth,
    },
    store,
    storePrefix: prefix(env.CMPPGW_STORE_PREFIX ?? raw.storePrefix),
    cluster: {
      nodeId:
        env.CMPPGW_NODE_ID ??
        (cluster.nodeId === undefined ? undefined : str('cluster.nodeId', cluster.nodeId)),
      nodeTtlMs,
      claimIdleMs: int('cluster.claimIdleMs', cluster.claimIdleMs, nodeTtlMs, 0),
    },
    webhooks: {
      secret: env.CMPPGW_WEBHOOK_SECRET ?? str('webhooks.secret', webhooks.secret, ''),
      maxAgeMs: int('webhooks.maxAgeMs', webhooks.maxAgeMs, 24 * 3600_000, 1),
      timeoutMs: int('webhooks.timeoutMs', webhooks.timeoutMs, 10_000, 1),
    },
    pap: papConfig,
    reportWaitMs: int('reportWaitMs', raw.reportWaitMs, 48 * 3600_000, 1),
    retentionDays: int('retentionDays', raw.retentionDays, 0, 0),
    demo: {
      links: int('demo.links', demo.links, 1, 1, 64),
      reportDelayMs: [int('demo.reportDelayMs[0]', delay[0], 0), int('demo.reportDelayMs[1]', delay[1], 0)],
    },
  };
}
