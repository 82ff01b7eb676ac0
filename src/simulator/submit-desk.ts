import type { Logger } from 'pino';
import type { CmppVersion, Fields, MsgIdGenerator, Pdu, SubmitFields } from '../cmpp/index.js';
import type { ServerSession } from '../session/index.js';
import type { AccountSettings } from './config.js';
import { faultApplied } from './fault-applied.js';
import type { FaultInjector } from './fault-injector.js';
import { PerSecondLimit } from './flow-limit.js';
import { logPdu } from './pdu-log.js';
import type { ReportScheduler } from './reports.js';
import type { FaultKind, SimulatorStats } from './stats.js';
import type { SubmitHistory } from './submit-history.js';
import type { SubmitLog } from './submit-log.js';
import { ownContent, type SubmitRecord, sameMessage, submitResponse } from './submit-record.js';
import { RESULT } from './submit-results.js';
import { submitResult } from './submit-validation.js';
import type { TimerSet } from './timer-set.js';

/** What the simulator keeps about one logged-in link. */
export interface LinkState {
  id: number;
  since: Date;
  /** New SUBMITs on this link (for the disconnect-after-N fault). */
  submits: number;
  history: SubmitHistory;
}

export interface SubmitDeskDeps {
  accounts: ReadonlyMap<string, AccountSettings>;
  linkState: (session: ServerSession) => LinkState;
  faults: FaultInjector;
  ids: MsgIdGenerator;
  reports: ReportScheduler;
  submitLog: SubmitLog;
  timers: TimerSet;
  stats: SimulatorStats;
  log: Logger;
}

/**
 * Answers SUBMITs as an ISMG does: a retransmission (same Sequence_Id on the same link) gets the answer of
 * the original and creates nothing; a new SUBMIT passes the account's flow limit, the spec's checks and the
 * reject fault, gets one Msg_Id per recipient, is recorded and has its reports scheduled; then the
 * response faults (drop, delay, disconnect) apply.
 */
export class SubmitDesk {
  private readonly flowLimits = new Map<string, PerSecondLimit>();
  private nextRecordId = 1;

  constructor(private readonly deps: SubmitDeskDeps) {
    for (const account of deps.accounts.values()) {
      if (account.flowLimit !== undefined) {
        this.flowLimits.set(account.id, new PerSecondLimit(account.flowLimit));
      }
    }
  }

  /** The CmppServer submit handler. */
  readonly handle = (session: ServerSession, request: Pdu): Fields | undefined | Promise<Fields> => {
    const pdu = request as unknown as Pdu<SubmitFields>;
    const link = this.deps.linkState(session);
    logPdu(this.deps.log, 'in', session.account, pdu.version, pdu.command, pdu.sequenceId, pdu.fields);
    const earlier = link.history.find(pdu.sequenceId);
    if (earlier && sameMessage(earlier.pdu.fields, pdu.fields)) {
      return this.retransmission(session, link, earlier);
    }
    // The same Sequence_Id for another message while the first is still recent: SPEC3 Result 3.
    const result = earlier
      ? RESULT.DUPLICATE_SEQUENCE
      : this.decide(pdu.fields, session.version, session.account);
    const record = this.record(session, link, pdu, result);
    if (!earlier) link.history.remember(record);
    const response = this.respond(session, link, record);
    link.submits++;
    if (this.deps.faults.disconnect(link.submits)) this.disconnectAfter(session, response);
    return response;
  };

  private retransmission(
    session: ServerSession,
    link: LinkState,
    record: SubmitRecord,
  ): Fields | undefined | Promise<Fields> {
    record.retransmissions++;
    this.deps.stats.of(session.account).retransmissions++;
    const msgId = String(submitResponse(record).Msg_Id);
    this.deps.log.info(
      { account: session.account, sequenceId: record.pdu.sequenceId, msgId },
      'retransmitted SUBMIT answered again',
    );
    return this.respond(session, link, record);
  }

  private decide(fields: SubmitFields, version: CmppVersion, account: string): number {
    if (this.flowLimits.get(account)?.admit() === false) return RESULT.FLOW_CONTROL;
    const result = submitResult(fields, version, this.deps.accounts.get(account) as AccountSettings);
    if (result !== RESULT.OK) return result;
    const rejection = this.deps.faults.rejection();
    if (rejection === undefined) return RESULT.OK;
    this.fault(account, 'rejected', { result: rejection });
    return rejection;
  }

  private record(
    session: ServerSession,
    link: LinkState,
    pdu: Pdu<SubmitFields>,
    result: number,
  ): SubmitRecord {
    const { ids, stats, submitLog, reports } = this.deps;
    const recipients = pdu.fields.Dest_terminal_Id.length;
    const record: SubmitRecord = {
      id: this.nextRecordId++,
      at: Date.now(),
      account: session.account,
      link: link.id,
      pdu,
      recipients,
      result,
      msgId: result === RESULT.OK ? ids.next(recipients) : undefined,
      retransmissions: 0,
    };
    const accountStats = stats.of(session.account);
    accountStats.submits++;
    accountStats.recipients += recipients;
    stats.result(session.account, result);
    submitLog.add(record);
    reports.schedule(record, pdu.fields);
    return record;
  }

  /** The answer, unless a fault drops or delays it; a SUBMIT without an answer sent is held for its retransmission. */
  private respond(
    session: ServerSession,
    link: LinkState,
    record: SubmitRecord,
  ): Fields | undefined | Promise<Fields> {
    const { faults, timers, log } = this.deps;
    const { sequenceId } = record.pdu;
    if (faults.dropResponse()) {
      this.fault(session.account, 'dropped', { sequenceId });
      link.history.hold(ownContent(record));
      // No response: CmppServer hands undefined to Link, which then sends nothing.
      return undefined;
    }
    const response = submitResponse(record);
    logPdu(log, 'out', session.account, session.version, 'CMPP_SUBMIT_RESP', sequenceId, response);
    const delay = faults.settings.responseDelayMs;
    if (delay === 0) {
      link.history.release(record);
      return response;
    }
    this.fault(session.account, 'delayed', { sequenceId, delayMs: delay });
    link.history.hold(ownContent(record));
    return timers.later(delay, response).then((fields) => {
      link.history.release(record);
      return fields;
    });
  }

  /** Closes the link once the response has left: Link writes it on the next tick, end() flushes it. */
  private disconnectAfter(session: ServerSession, response: Fields | undefined | Promise<Fields>): void {
    this.fault(session.account, 'disconnected', { link: this.deps.linkState(session).id });
    Promise.resolve(response).then(() =>
      setImmediate(() => session.link.socket.end(() => session.close('fault: disconnect'))),
    );
  }

  private fault(account: string, kind: FaultKind, detail: object): void {
    faultApplied(this.deps.stats, this.deps.log, account, kind, detail);
  }
}
