import { type Pdu, recipientMsgId, type SubmitFields } from '../cmpp/index.js';
import type { ReceivedPush } from '../wap/index.js';

/** One SUBMIT the simulator received (retransmissions are counted on it, not recorded again). */
export interface SubmitRecord {
  /** Running number in this run. */
  id: number;
  /** Epoch milliseconds. */
  at: number;
  account: string;
  /** GET /sessions id of the link it came on. */
  link: number;
  /**
   * As decoded: Msg_Content is a view of the socket read it arrived in. The records kept are the last ones
   * in arrival order, so they pin about as many bytes as they hold; one kept out of order gets its own copy
   * (ownContent).
   */
  pdu: Pdu<SubmitFields>;
  recipients: number;
  result: number;
  /** The Msg_Id of the first recipient; undefined when rejected. */
  msgId?: bigint;
  retransmissions: number;
  /** The multi-SMS WAP push this SUBMIT completed, decoded when it arrived (PushArrivals). */
  wapPush?: ReceivedPush;
}

/** One Msg_Id per recipient, in Dest_terminal_Id order (SPEC3 Appendix 1); none when rejected. */
export function recordMsgIds(record: SubmitRecord): bigint[] {
  const first = record.msgId;
  if (first === undefined) return [];
  const ids: bigint[] = [first];
  for (let i = 1; i < record.recipients; i++) ids.push(recipientMsgId(first, i));
  return ids;
}

/** Copies Msg_Content out of the socket read it is a view of, so that keeping the record keeps no more. */
export function ownContent(record: SubmitRecord): SubmitRecord {
  const fields = record.pdu.fields;
  fields.Msg_Content = Buffer.from(fields.Msg_Content);
  return record;
}

/** The answer to the SUBMIT, and to every retransmission of it. */
export function submitResponse(record: SubmitRecord): { Msg_Id: bigint; Result: number } {
  return { Msg_Id: record.msgId ?? 0n, Result: record.result };
}

/** A retransmission repeats the SUBMIT byte for byte: same recipients, same content. */
export function sameMessage(a: SubmitFields, b: SubmitFields): boolean {
  return (
    Buffer.compare(a.Msg_Content, b.Msg_Content) === 0 &&
    a.Dest_terminal_Id.length === b.Dest_terminal_Id.length &&
    a.Dest_terminal_Id.every((dest, i) => dest === b.Dest_terminal_Id[i])
  );
}
