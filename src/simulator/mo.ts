import {
  CmppTextError,
  chooseFormat,
  type DeliverFields,
  type SplitResult,
  splitMessage,
} from '../cmpp/index.js';
import type { AccountSettings } from './config.js';
import { ControlError } from './control-error.js';
import type { MoRequest } from './mo-request.js';

/**
 * The account named in the MO; else the one whose service code is the longest prefix of `to`; else the
 * only account without a service code.
 */
export function moAccount(mo: MoRequest, accounts: ReadonlyMap<string, AccountSettings>): AccountSettings {
  const all = [...accounts.values()];
  const serves = (a: AccountSettings) => a.serviceCode === undefined || mo.to.startsWith(a.serviceCode);
  if (mo.account !== undefined) {
    const account = accounts.get(mo.account);
    if (!account) throw new ControlError(404, `no account "${mo.account}"`);
    if (!serves(account)) {
      throw new ControlError(
        400,
        `to "${mo.to}" does not start with the service code ${account.serviceCode} of ${account.id}`,
      );
    }
    return account;
  }
  const byCode = all
    .filter((a) => a.serviceCode !== undefined && serves(a))
    .sort((a, b) => (b.serviceCode as string).length - (a.serviceCode as string).length);
  const uncoded = all.filter((a) => a.serviceCode === undefined);
  const account = byCode[0] ?? (uncoded.length === 1 ? uncoded[0] : undefined);
  if (!account) {
    throw new ControlError(400, `"${mo.to}" starts with no account's service code: name the account`);
  }
  return account;
}

/**
 * The DELIVERs (Registered_Delivery 0) carrying an MO, one per SMS. A text that needs several gets
 * TP_udhi 1 and the concatenation UDH `05 00 03 ref total n` in every part (facts §6, long messages).
 */
export function moParts(mo: MoRequest, reference: number, nextMsgId: () => bigint): DeliverFields[] {
  const fmt = chooseFormat(mo.text, mo.encoding);
  let split: SplitResult;
  try {
    split = splitMessage({ text: mo.text, fmt, reference });
  } catch (err) {
    if (err instanceof CmppTextError) throw new ControlError(400, `text: ${err.message}`);
    throw err;
  }
  return split.segments.map(
    (segment): DeliverFields => ({
      Msg_Id: nextMsgId(),
      Dest_Id: mo.to,
      Service_Id: '',
      TP_pid: 0,
      TP_udhi: segment.tpUdhi,
      Msg_Fmt: fmt,
      Src_terminal_Id: mo.from,
      Src_terminal_type: 0,
      Registered_Delivery: 0,
      Msg_Content: segment.content,
    }),
  );
}
