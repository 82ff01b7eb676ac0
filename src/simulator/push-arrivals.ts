import { hasUdhi, MsgFmt } from '../cmpp/index.js';
import { PushReassembler, type ReceivedPush } from '../wap/index.js';
import { nationalNumber } from './msisdn.js';
import type { SubmitRecord } from './submit-record.js';
import { RESULT } from './submit-results.js';

/**
 * The WAP pushes that needed several SMS, joined from the accepted SUBMITs as the handsets they go to
 * would join them: per recipient and originator (Src_Id), source port and concatenation reference.
 * A rejected SUBMIT never reaches the handset, so it adds nothing (its retry will).
 */
export class PushArrivals {
  private readonly segments = new PushReassembler();

  /** The push this SUBMIT completes (for the first recipient it completes one for), decoded. */
  completedBy(record: SubmitRecord): ReceivedPush | undefined {
    const f = record.pdu.fields;
    if (record.result !== RESULT.OK || f.Msg_Fmt !== MsgFmt.BINARY || !hasUdhi(f.TP_udhi)) return undefined;
    let completed: ReceivedPush | undefined;
    for (const dest of f.Dest_terminal_Id) {
      const push = this.segments.add(`${nationalNumber(dest)} ${f.Src_Id}`, f.Msg_Content, record.at);
      completed ??= push;
    }
    return completed;
  }
}
