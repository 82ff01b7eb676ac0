import type { CmppVersion } from '../cmpp/index.js';

/** One SP account at one ISMG: its links and the defaults of its SUBMITs. */
export interface AccountConfig {
  /** Name used in the API (`account` field) and in metrics. */
  name: string;
  /** SP_Id: Source_Addr at login and Msg_src in SUBMITs. */
  spId: string;
  secret: string;
  version: CmppVersion;
  host: string;
  port: number;
  /** The SP service code: Src_Id of every SUBMIT, followed by the caller's extension. */
  serviceCode: string;
  serviceId: string;
  feeUserType: number;
  feeType: string;
  feeCode: string;
  /** CMPP connections to hold open. */
  links: number;
  window: number;
  /** SUBMITs per second per link; 0: unlimited. */
  rateLimit: number;
  /** Ask for status reports unless the request says otherwise. */
  report: boolean;
  /** Where reports and MO of this account go when a message has no callbackUrl. */
  webhookUrl?: string;
  /** MO to service code + extension go to that route's webhook (longest extension wins). */
  moRoutes?: { extension: string; webhookUrl: string }[];
  responseTimeoutMs: number;
  maxTries: number;
  heartbeatIntervalMs: number;
  /** Accept a wrong AuthenticatorISMG from this ISMG. */
  lenient: boolean;
}

export interface GatewayConfig {
  accounts: AccountConfig[];
  http: {
    host: string;
    port: number;
    apiKeys: string[];
    /** Requests per second per API key; 0: unlimited. */
    rateLimit: number;
    bodyLimit: number;
    /** GET /metrics: `open` to whoever reaches the port, or `apiKey`. Default: open on loopback only. */
    metricsAuth?: 'open' | 'apiKey';
  };
  /** `sqlite:PATH` (default `sqlite:./data/cmppgw.db`), or `redis://[:password@]host:port/db` / `rediss://`. */
  store: string;
  /** Key prefix in a Redis store (default `cmppgw`; a `?prefix=` in the URL wins). */
  storePrefix?: string;
  /** Several nodes on one Redis store. */
  cluster?: {
    /** This node's name, unique among the running nodes (default host-pid-random). */
    nodeId?: string;
    /** A node silent this long is dead: its link leases lapse and its queue entries are taken over. */
    nodeTtlMs: number;
    /** A dead node's pending queue entries are taken over once idle this long. */
    claimIdleMs: number;
  };
  webhooks: {
    secret: string;
    /** Give up on an event this old. */
    maxAgeMs: number;
    timeoutMs: number;
    /** How often an idle outbox looks for due webhooks (default 500 ms). */
    pollMs?: number;
  };
  /** The WAP Push Proxy Gateway (PAP 2.0). */
  pap: {
    /** Where PIs POST PAP documents (default /pap). */
    path: string;
    /** CIDR blocks whose PIs need no API key, like Kannel's trusted-pi. */
    trustedNetworks: string[];
    /** The account pushes go out on (default: the first). */
    account?: string;
    /** sender-name in PAP responses and notifications. */
    senderName: string;
  };
  /** How long to wait for reports before a submitted message's report is considered lost. */
  reportWaitMs: number;
  /** Records done with are deleted this many days after they were created; 0 keeps everything. */
  retentionDays: number;
  /** The embedded simulator, used by `cmppgw start` when no account is configured. */
  demo?: {
    links: number;
    /** Reports come this long after the SUBMIT, uniformly in [min, max]. */
    reportDelayMs: [number, number];
  };
}
