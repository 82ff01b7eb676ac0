export type FaultKind =
  | 'delayed'
  | 'dropped'
  | 'rejected'
  | 'disconnected'
  | 'activeTestIgnored'
  | 'malformed';

/** Counters of one account since start (GET /stats). */
export interface AccountStats {
  sessionsUp: number;
  /** Most links logged in at once. */
  maxLinks: number;
  logins: number;
  /** Refused logins by CONNECT_RESP Status. */
  loginsRefused: Record<string, number>;
  /** SUBMITs received, retransmissions not included. */
  submits: number;
  retransmissions: number;
  recipients: number;
  /** SUBMIT_RESP Results by code. */
  results: Record<string, number>;
  reports: { scheduled: number; sent: number; acked: number };
  mo: { sent: number; acked: number };
  faults: Partial<Record<FaultKind, number>>;
}

export interface StatsJson {
  startedAt: string;
  /** Logins with an SP id that is not configured. */
  unknownAccountLogins: number;
  accounts: Record<string, AccountStats>;
}

function increment(counts: Record<string, number>, key: string | number): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

export class SimulatorStats {
  readonly startedAt = new Date();
  unknownAccountLogins = 0;
  private readonly accounts = new Map<string, AccountStats>();

  constructor(accountIds: Iterable<string>) {
    for (const id of accountIds) {
      this.accounts.set(id, {
        sessionsUp: 0,
        maxLinks: 0,
        logins: 0,
        loginsRefused: {},
        submits: 0,
        retransmissions: 0,
        recipients: 0,
        results: {},
        reports: { scheduled: 0, sent: 0, acked: 0 },
        mo: { sent: 0, acked: 0 },
        faults: {},
      });
    }
  }

  /** The counters of a configured account. */
  of(account: string): AccountStats {
    return this.accounts.get(account) as AccountStats;
  }

  loggedIn(account: string, linksUp: number): void {
    const s = this.of(account);
    s.logins++;
    s.sessionsUp = linksUp;
    s.maxLinks = Math.max(s.maxLinks, linksUp);
  }

  linkClosed(account: string, linksUp: number): void {
    this.of(account).sessionsUp = linksUp;
  }

  loginRefused(spId: string, status: number): void {
    const s = this.accounts.get(spId);
    if (s) increment(s.loginsRefused, status);
    else this.unknownAccountLogins++;
  }

  result(account: string, result: number): void {
    increment(this.of(account).results, result);
  }

  fault(account: string, kind: FaultKind): void {
    increment(this.of(account).faults, kind);
  }

  toJson(): StatsJson {
    return {
      startedAt: this.startedAt.toISOString(),
      unknownAccountLogins: this.unknownAccountLogins,
      accounts: Object.fromEntries(this.accounts),
    };
  }
}
