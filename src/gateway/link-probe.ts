import type { Logger } from 'pino';
import {
  type CmppVersion,
  COMMAND_IDS,
  commandName,
  decodePdu,
  decodeReport,
  type Pdu,
  pduToJson,
} from '../cmpp/index.js';
import type { PduTap } from '../session/index.js';
import type { CountCell, GatewayMetrics } from './metrics.js';
import type { ReportClock } from './report-clock.js';

export type TraceLevel = 'off' | 'debug' | 'trace';

export interface ProbeContext {
  account: string;
  link: number;
  metrics: GatewayMetrics;
  /** The account's report clock, shared by its links (a report may come on another link). */
  reports: ReportClock;
  /** The account's PDU tracing: its level, and the logger (at that level) to write to. */
  trace: () => { level: TraceLevel; log: Logger };
  /** The version spoken on the link, to decode frames we write. */
  version: () => CmppVersion;
}

const SUBMIT = COMMAND_IDS.CMPP_SUBMIT;
const SUBMIT_RESP = COMMAND_IDS.CMPP_SUBMIT_RESP;
const DELIVER = COMMAND_IDS.CMPP_DELIVER;
const CONNECT = COMMAND_IDS.CMPP_CONNECT;
const ACTIVE_TEST = COMMAND_IDS.CMPP_ACTIVE_TEST;
/** Registered_Delivery's offset in a SUBMIT: header 12, Msg_Id 8, Pk_total 1, Pk_number 1 (both versions). */
const SUBMIT_REGISTERED_DELIVERY = 22;

/**
 * Watches one link's packets: counts them by command, times SUBMIT → SUBMIT_RESP and SUBMIT → report,
 * notes the last heartbeat, and writes the PDU trace when the account's tracing is on.
 */
export class LinkProbe {
  lastHeartbeatAt: number | null = null;
  /** SUBMITs written and not yet answered, by Sequence_Id (a retransmission keeps the first time). */
  private readonly unanswered = new Map<number, { frame: Buffer; at: number }>();
  private readonly counters = { in: new Map<number, CountCell>(), out: new Map<number, CountCell>() };

  constructor(private readonly c: ProbeContext) {}

  readonly tap: PduTap = (direction, frame, pdu) => {
    const now = Date.now();
    const commandId = frame.readUInt32BE(4);
    this.count(direction, commandId);
    if ((commandId & 0x7fffffff) === ACTIVE_TEST) this.lastHeartbeatAt = now;
    if (direction === 'out') {
      if (commandId === SUBMIT) this.submitWritten(frame, now);
      else if (commandId === CONNECT) this.unanswered.clear();
    } else if (pdu && commandId === SUBMIT_RESP) this.submitAnswered(pdu, now);
    else if (pdu && commandId === DELIVER && pdu.fields.Registered_Delivery === 1)
      this.reportReceived(pdu, now);
    const trace = this.c.trace();
    if (trace.level !== 'off') this.trace(trace, direction, frame, pdu);
  };

  private count(direction: 'in' | 'out', commandId: number): void {
    const byId = this.counters[direction];
    let cell = byId.get(commandId);
    if (!cell) {
      const command = commandName(commandId) ?? `0x${commandId.toString(16).padStart(8, '0')}`;
      cell = this.c.metrics.pduCell(this.c.account, this.c.link, direction, command);
      byId.set(commandId, cell);
    }
    cell.n++;
  }

  private submitWritten(frame: Buffer, at: number): void {
    const sequenceId = frame.readUInt32BE(8);
    if (this.unanswered.get(sequenceId)?.frame !== frame) this.unanswered.set(sequenceId, { frame, at });
  }

  private submitAnswered(pdu: Pdu, now: number): void {
    const sent = this.unanswered.get(pdu.sequenceId);
    if (!sent) return;
    this.unanswered.delete(pdu.sequenceId);
    this.c.metrics.submitLatency.observe(
      { account: this.c.account, link: String(this.c.link) },
      (now - sent.at) / 1000,
    );
    if (pdu.fields.Result === 0 && sent.frame[SUBMIT_REGISTERED_DELIVERY] === 1)
      this.c.reports.start(String(pdu.fields.Msg_Id), sent.at);
  }

  private reportReceived(pdu: Pdu, now: number): void {
    let msgId: string;
    try {
      msgId = decodeReport(pdu.fields.Msg_Content as Uint8Array).Msg_Id.toString();
    } catch {
      return; // a malformed report: Inbound refuses it
    }
    const sentAt = this.c.reports.stop(msgId);
    if (sentAt !== undefined)
      this.c.metrics.reportDelay.observe({ account: this.c.account }, (now - sentAt) / 1000);
  }

  private trace(
    trace: { level: TraceLevel; log: Logger },
    direction: 'in' | 'out',
    frame: Buffer,
    pdu: Pdu | undefined,
  ): void {
    let decoded: ReturnType<typeof pduToJson> | string;
    try {
      decoded = pduToJson(pdu ?? decodePdu(frame, this.c.version()));
    } catch (err) {
      decoded = `undecodable: ${(err as Error).message}`;
    }
    const line = { link: this.c.link, direction, pdu: decoded };
    if (trace.level === 'trace') trace.log.trace({ ...line, hex: frame.toString('hex') }, 'pdu');
    else trace.log.debug(line, 'pdu');
  }
}
