import type { Logger } from 'pino';
import {
  type CmppVersion,
  type DeliverFields,
  encodeReport,
  type Pdu,
  recipientMsgId,
  type StatusReport,
  type SubmitFields,
} from '../cmpp/index.js';
import type { ServerSession } from '../session/index.js';
import { reportTime } from './cmpp-time.js';
import type { ReportSettings } from './config.js';
import type { DeliverOutbox, OutgoingDeliver } from './deliver-outbox.js';
import { nationalNumber } from './msisdn.js';
import { logDeliver } from './pdu-log.js';
import { pickStat } from './stat-mix.js';
import type { SimulatorStats } from './stats.js';
import type { SubmitRecord } from './submit-record.js';
import type { TimerSet } from './timer-set.js';

/** What the reports of one SUBMIT need from it. */
interface ReportOrigin {
  account: string;
  /** Epoch milliseconds. */
  submittedAt: number;
  /** The DELIVER's Dest_Id is the SUBMIT's Src_Id. */
  srcId: string;
  serviceId: string;
}

export interface ReportDeps {
  settings: ReportSettings;
  random: () => number;
  timers: TimerSet;
  outbox: (account: string) => DeliverOutbox;
  stats: SimulatorStats;
  log: Logger;
}

/**
 * Status reports for accepted SUBMITs with Registered_Delivery = 1: one per recipient, after the configured
 * delay, with a Stat from the destination's override or the mix. Each carries the Msg_Id returned for that
 * recipient and goes to any link of the account (SPEC3 §8.4.5.1).
 */
export class ReportScheduler {
  private smscSequence = 0;

  constructor(private readonly deps: ReportDeps) {}

  schedule(record: SubmitRecord, submit: SubmitFields): void {
    const { settings, timers, stats, outbox } = this.deps;
    const first = record.msgId;
    if (!settings.enabled || submit.Registered_Delivery !== 1 || first === undefined) return;
    // Only what a report needs is kept until it is sent, not the decoded SUBMIT.
    const origin: ReportOrigin = {
      account: record.account,
      submittedAt: record.at,
      srcId: submit.Src_Id,
      serviceId: submit.Service_Id ?? '',
    };
    submit.Dest_terminal_Id.forEach((dest, i) => {
      stats.of(record.account).reports.scheduled++;
      const msgId = recipientMsgId(first, i);
      timers.batch(this.delay(), () => outbox(record.account).send(this.report(origin, msgId, dest)));
    });
  }

  private delay(): number {
    const [min, max] = this.deps.settings.delayMs;
    return min === max ? min : min + Math.floor(this.deps.random() * (max - min + 1));
  }

  private nextSmscSequence(): number {
    this.smscSequence = (this.smscSequence + 1) >>> 0;
    return this.smscSequence;
  }

  private stat(dest: string): string {
    const { overrides, stats } = this.deps.settings;
    return overrides.get(nationalNumber(dest)) ?? pickStat(stats, this.deps.random());
  }

  /** Built when the handset's outcome is known (Done_time). */
  private report(origin: ReportOrigin, msgId: bigint, dest: string): ReportDeliver {
    return new ReportDeliver(origin, this.deps, {
      Msg_Id: msgId,
      Stat: this.stat(dest),
      Submit_time: reportTime(origin.submittedAt),
      Done_time: reportTime(Date.now()),
      Dest_terminal_Id: dest,
      SMSC_sequence: this.nextSmscSequence(),
    });
  }
}

/** One status report on its way: encoded for the version of the link that carries it. */
class ReportDeliver implements OutgoingDeliver {
  readonly kind = 'report';

  constructor(
    private readonly origin: ReportOrigin,
    private readonly deps: ReportDeps,
    private readonly report: StatusReport,
  ) {}

  fields(version: CmppVersion): DeliverFields {
    return {
      // The DELIVER reuses the reported Msg_Id: one of this ISMG's ids, used by no other DELIVER.
      Msg_Id: this.report.Msg_Id,
      Dest_Id: this.origin.srcId,
      Service_Id: this.origin.serviceId,
      TP_pid: 0,
      TP_udhi: 0,
      Msg_Fmt: 0,
      Src_terminal_Id: this.report.Dest_terminal_Id,
      Src_terminal_type: 0,
      Registered_Delivery: 1,
      Msg_Content: encodeReport(this.report, version),
    };
  }

  acknowledged(response: Pdu, link: ServerSession, sent: DeliverFields): void {
    const { stats, log } = this.deps;
    stats.of(this.origin.account).reports.acked++;
    logDeliver(log, link, sent, response);
    const { Msg_Id, Dest_terminal_Id, Stat } = this.report;
    log.info(
      {
        account: this.origin.account,
        msgId: String(Msg_Id),
        dest: Dest_terminal_Id,
        stat: Stat,
        result: response.fields.Result,
      },
      'report sent',
    );
  }
}
