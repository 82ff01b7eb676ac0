import { hasUdhi, MsgFmt, type Pdu, type PduJson, pduToJson } from '../cmpp/index.js';
import { type ReceivedPush, readPushSms } from '../wap/index.js';
import { nationalNumber } from './msisdn.js';
import { PushArrivals } from './push-arrivals.js';
import { recordMsgIds, type SubmitRecord } from './submit-record.js';

export interface SubmitFilter {
  account?: string;
  /** A recipient, in any of its forms (86/+86 prefix or not). */
  dest?: string;
  limit?: number;
}

export interface SubmitJson {
  id: number;
  at: string;
  account: string;
  link: number;
  result: number;
  /** One per recipient. */
  msgIds: string[];
  retransmissions: number;
  text?: string;
  /**
   * A WAP push (binary, port 2948) this SUBMIT carries whole, or completes as the last of its segments to
   * arrive: its content type and decoded SI/SL.
   */
  wapPush?: ReceivedPush;
  pdu: PduJson;
}

/** A multi-SMS push was joined on arrival; a single-SMS one is decoded only when the log is read. */
function wapPushOf(record: SubmitRecord): ReceivedPush | undefined {
  if (record.wapPush) return record.wapPush;
  const f = record.pdu.fields;
  return f.Msg_Fmt === MsgFmt.BINARY && hasUdhi(f.TP_udhi) ? readPushSms(f.Msg_Content) : undefined;
}

function submitToJson(record: SubmitRecord): SubmitJson {
  const pdu = pduToJson(record.pdu as unknown as Pdu);
  return {
    id: record.id,
    at: new Date(record.at).toISOString(),
    account: record.account,
    link: record.link,
    result: record.result,
    msgIds: recordMsgIds(record).map(String),
    retransmissions: record.retransmissions,
    text: pdu.text,
    wapPush: wapPushOf(record),
    pdu,
  };
}

/** The most recent SUBMITs in a ring buffer, turned into JSON only when asked for. */
export class SubmitLog {
  private readonly ring: SubmitRecord[] = [];
  private readonly pushes = new PushArrivals();
  private next = 0;

  constructor(private readonly capacity: number) {}

  add(record: SubmitRecord): void {
    if (this.capacity === 0) return;
    const push = this.pushes.completedBy(record);
    if (push) record.wapPush = push;
    this.ring[this.next] = record;
    this.next = (this.next + 1) % this.capacity;
  }

  /** Newest first. */
  query({ account, dest, limit = 100 }: SubmitFilter = {}): SubmitJson[] {
    const wanted = dest === undefined ? undefined : nationalNumber(dest);
    const out: SubmitJson[] = [];
    for (let i = 1; i <= this.ring.length && out.length < limit; i++) {
      const record = this.ring[(this.next - i + this.capacity) % this.capacity];
      if (account !== undefined && record.account !== account) continue;
      const json = submitToJson(record);
      const dests = json.pdu.fields.Dest_terminal_Id as readonly string[];
      if (wanted === undefined || dests.some((d) => nationalNumber(d) === wanted)) out.push(json);
    }
    return out;
  }
}
