import { formatSmppAbsolute, type SubmitFields } from '../cmpp/index.js';
import type { SegmentJob } from '../store/types.js';
import type { AccountConfig } from './config.js';

/**
 * The CMPP_SUBMIT of stored segments that differ only in their recipient (one, or a group send): account
 * defaults plus the segment (SPEC3 §8.4.3.1).
 */
export function submitFieldsFor(group: readonly SegmentJob[], account: AccountConfig): SubmitFields {
  const job = group[0];
  return {
    Pk_total: job.pkTotal,
    Pk_number: job.pkNumber,
    Registered_Delivery: job.report ? 1 : 0,
    Msg_level: Math.min(9, job.priority),
    Service_Id: account.serviceId,
    Fee_UserType: account.feeUserType,
    TP_udhi: job.tpUdhi,
    Msg_Fmt: job.msgFmt,
    Msg_src: account.spId,
    FeeType: account.feeType,
    FeeCode: account.feeCode,
    // The ISMG drops the message itself once validUntil passes, even if it is queued there.
    ValId_Time: job.validUntil === null ? '' : formatSmppAbsolute(new Date(job.validUntil)),
    Src_Id: job.srcId,
    Dest_terminal_Id: group.map((g) => g.to),
    Msg_Content: job.content,
  };
}
