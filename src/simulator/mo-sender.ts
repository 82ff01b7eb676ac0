import type { Logger } from 'pino';
import type { DeliverFields, MsgIdGenerator, Pdu } from '../cmpp/index.js';
import type { AccountSettings, ScriptedMo } from './config.js';
import { SimulatorConfigError } from './config-reader.js';
import { ControlError } from './control-error.js';
import type { DeliverOutbox } from './deliver-outbox.js';
import { moAccount, moParts } from './mo.js';
import type { MoRequest } from './mo-request.js';
import { logDeliver } from './pdu-log.js';
import type { SimulatorStats } from './stats.js';
import type { TimerSet } from './timer-set.js';

export interface MoOutcome {
  /** SMS the text took. */
  delivered: number;
  /** DELIVER_RESP Result of each, in order. */
  results: number[];
}

export interface MoSenderDeps {
  accounts: ReadonlyMap<string, AccountSettings>;
  script: readonly ScriptedMo[];
  outbox: (account: string) => DeliverOutbox;
  ids: MsgIdGenerator;
  timers: TimerSet;
  stats: SimulatorStats;
  log: Logger;
}

/** MO messages: sent on request (POST /mo) on a link that is up, or scripted after an account's first login. */
export class MoSender {
  private reference = 0;
  private readonly scriptByAccount = new Map<string, ScriptedMo[]>();

  constructor(private readonly deps: MoSenderDeps) {
    deps.script.forEach((mo, i) => {
      // Fail at start, not when the script runs: the account must be found and the text encodable.
      try {
        const account = moAccount(mo, deps.accounts).id;
        moParts(mo, 0, () => 0n);
        this.scriptByAccount.set(account, [...(this.scriptByAccount.get(account) ?? []), mo]);
      } catch (err) {
        if (err instanceof ControlError) throw new SimulatorConfigError(`mo.script[${i}]`, err.message);
        throw err;
      }
    });
  }

  /** Sends at once on one link of the account; resolves when the SP has answered every part. */
  async send(mo: MoRequest): Promise<MoOutcome> {
    const account = moAccount(mo, this.deps.accounts).id;
    const parts = this.parts(mo);
    const link = this.deps.outbox(account).nextLink();
    if (!link) throw new ControlError(503, `no link of account ${account} is logged in`);
    const stats = this.deps.stats.of(account).mo;
    let responses: Pdu[];
    try {
      responses = await Promise.all(
        parts.map((part) => {
          stats.sent++;
          return link.deliver(part);
        }),
      );
    } catch (err) {
      throw new ControlError(
        503,
        `the link of ${account} failed while delivering: ${(err as Error).message}`,
      );
    }
    stats.acked += responses.length;
    for (const [i, response] of responses.entries()) logDeliver(this.deps.log, link, parts[i], response);
    const results = responses.map((r) => r.fields.Result as number);
    this.logSent(account, mo, results);
    return { delivered: parts.length, results };
  }

  /** Runs the account's script the first time one of its links logs in. */
  loggedIn(account: string): void {
    const script = this.scriptByAccount.get(account);
    if (!script) return;
    this.scriptByAccount.delete(account);
    for (const mo of script) this.deps.timers.after(mo.at, () => this.queue(account, mo));
  }

  /** Through the outbox: waits for a link and survives a dropped one. */
  private queue(account: string, mo: MoRequest): void {
    const parts = this.parts(mo);
    const stats = this.deps.stats.of(account).mo;
    const results: number[] = [];
    let answered = 0;
    for (const [i, part] of parts.entries()) {
      this.deps.outbox(account).send({
        kind: 'mo',
        fields: () => part,
        acknowledged: (response, link) => {
          stats.acked++;
          logDeliver(this.deps.log, link, part, response);
          results[i] = response.fields.Result as number;
          if (++answered === parts.length) this.logSent(account, mo, results);
        },
      });
    }
  }

  private parts(mo: MoRequest): DeliverFields[] {
    this.reference = (this.reference + 1) & 0xff;
    return moParts(mo, this.reference, () => this.deps.ids.next());
  }

  private logSent(account: string, mo: MoRequest, results: number[]): void {
    this.deps.log.info({ account, from: mo.from, to: mo.to, segments: results.length, results }, 'MO sent');
  }
}
