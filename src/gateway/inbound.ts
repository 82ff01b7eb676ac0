import type { Logger } from 'pino';
import {
  type DeliverFields,
  decodeReport,
  decodeText,
  hasUdhi,
  MsgFmt,
  type Pdu,
  parseUdh,
} from '../cmpp/index.js';
import { newId } from '../store/ids.js';
import type { FinalHook, IncomingReport, MoPart, NewMo, Store, WebhookEvent } from '../store/types.js';
import type { AccountConfig } from './config.js';
import { TurnBatch } from './turn-batch.js';

export type MoWebhook = (mo: NewMo) => WebhookEvent | undefined;

/** Text of an MO payload, or null when it is binary (kept as hex). */
function moText(payload: Buffer, fmt: number): string | null {
  if (fmt === MsgFmt.BINARY) return null;
  try {
    return decodeText(payload, fmt);
  } catch {
    return null;
  }
}

/**
 * DELIVERs of one account: status reports are matched to segments, MO is stored (long MO part by part,
 * reassembled once complete). Every path stores durably before it returns the DELIVER_RESP Result, so the
 * ISMG delivers again anything we could not keep.
 */
export class Inbound {
  /** Reports received in the same turn are stored together. */
  private readonly reports: TurnBatch<IncomingReport>;

  constructor(
    private readonly account: AccountConfig,
    private readonly store: Store,
    onFinal: FinalHook,
    private readonly moWebhook: MoWebhook,
    private readonly log: Logger,
  ) {
    this.reports = new TurnBatch((reports) => store.recordReports(reports, onFinal).then(() => undefined));
  }

  async onDeliver(pdu: Pdu<DeliverFields>): Promise<number> {
    const f = pdu.fields;
    const receivedAt = Date.now();
    if (f.Registered_Delivery === 1) {
      const r = decodeReport(f.Msg_Content);
      await this.reports.add([
        {
          msgId: r.Msg_Id.toString(),
          stat: r.Stat,
          submitTime: r.Submit_time,
          doneTime: r.Done_time,
          dest: r.Dest_terminal_Id,
          receivedAt,
        },
      ]);
      return 0;
    }
    const udh = hasUdhi(f.TP_udhi) ? parseUdh(f.Msg_Content) : undefined;
    const payload = Buffer.from(udh ? udh.payload : f.Msg_Content);
    const base = {
      ismgMsgId: f.Msg_Id.toString(),
      msgFmt: f.Msg_Fmt,
      linkId: f.LinkID || null,
      receivedAt,
    };
    if (!udh?.concat || udh.concat.total <= 1) {
      await this.storeMo({ ...base, from: f.Src_terminal_Id, to: f.Dest_Id, payload, parts: 1 });
      return 0;
    }
    const { ref, total, seq } = udh.concat;
    const part: MoPart = {
      ...base,
      account: this.account.name,
      // sender>recipient#ref/total: completeParts reads sender and recipient back from it.
      groupKey: `${f.Src_terminal_Id}>${f.Dest_Id}#${ref}/${total}`,
      total,
      seq,
      payload,
    };
    const parts = await this.store.addMoPart(part);
    if (parts) await this.completeParts(parts);
    return 0;
  }

  /** Finishes a group whose parts are all stored (also used at start-up after a crash). */
  async completeParts(parts: MoPart[]): Promise<void> {
    const last = parts[parts.length - 1];
    const [from, rest] = last.groupKey.split('>');
    const to = rest.slice(0, rest.lastIndexOf('#'));
    await this.storeMo(
      {
        ismgMsgId: last.ismgMsgId,
        msgFmt: last.msgFmt,
        linkId: last.linkId,
        receivedAt: last.receivedAt,
        from,
        to,
        payload: Buffer.concat(parts.map((p) => p.payload)),
        parts: parts.length,
      },
      { account: last.account, groupKey: last.groupKey },
    );
  }

  private async storeMo(
    m: {
      ismgMsgId: string;
      msgFmt: number;
      linkId: string | null;
      receivedAt: number;
      from: string;
      to: string;
      payload: Buffer;
      parts: number;
    },
    completes?: { account: string; groupKey: string },
  ): Promise<void> {
    const text = moText(m.payload, m.msgFmt);
    const mo: NewMo = {
      id: newId(m.receivedAt),
      account: this.account.name,
      ismgMsgId: m.ismgMsgId,
      from: m.from,
      to: m.to,
      text,
      binaryHex: text === null ? m.payload.toString('hex') : null,
      msgFmt: m.msgFmt,
      parts: m.parts,
      linkId: m.linkId,
      receivedAt: m.receivedAt,
    };
    const stored = await this.store.insertMo(mo, this.moWebhook(mo), completes);
    if (stored) this.log.info({ account: this.account.name, mo: mo.id, parts: m.parts }, 'MO stored');
  }
}
