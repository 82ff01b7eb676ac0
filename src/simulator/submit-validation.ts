import {
  CmppTextError,
  type CmppVersion,
  hasUdhi,
  MsgFmt,
  parseUdh,
  type SubmitFields,
} from '../cmpp/index.js';
import type { AccountSettings } from './config.js';
import { isMsisdn } from './msisdn.js';
import { RESULT } from './submit-results.js';

const MSG_FMTS: ReadonlySet<number> = new Set(Object.values(MsgFmt));

/** FeeType values a SUBMIT may carry: 3.0 keeps only 01–03 (facts §2 SUBMIT #14, rev #27). */
const FEE_TYPES: Readonly<Record<CmppVersion, ReadonlySet<string>>> = {
  '2.0': new Set(['01', '02', '03', '04', '05']),
  '3.0': new Set(['01', '02', '03']),
};

/** Registered_Delivery 2 (SMC bill record) exists in 2.0 only (3.0 rev #17). */
const REGISTERED_DELIVERY: Readonly<Record<CmppVersion, ReadonlySet<number>>> = {
  '2.0': new Set([0, 1, 2]),
  '3.0': new Set([0, 1]),
};

function structureOk(s: SubmitFields, version: CmppVersion): boolean {
  return (
    MSG_FMTS.has(s.Msg_Fmt) &&
    REGISTERED_DELIVERY[version].has(s.Registered_Delivery) &&
    s.Pk_total >= 1 &&
    s.Pk_number >= 1 &&
    s.Pk_number <= s.Pk_total
  );
}

/** Msg_Length: < 160 for Msg_Fmt 0, ≤ 140 otherwise (facts §6); a UDH longer than the content or half a UCS2 character is a length error. */
function lengthResult(s: SubmitFields): number {
  const content = s.Msg_Content;
  if (content.length > (s.Msg_Fmt === MsgFmt.ASCII ? 159 : 140)) return RESULT.TOO_LONG;
  let payload = content.length;
  if (hasUdhi(s.TP_udhi)) {
    try {
      payload = parseUdh(content).payload.length;
    } catch (err) {
      if (err instanceof CmppTextError) return RESULT.LENGTH;
      throw err;
    }
  }
  return s.Msg_Fmt === MsgFmt.UCS2 && payload % 2 !== 0 ? RESULT.LENGTH : RESULT.OK;
}

/** Fewer than 100 recipients (facts §6), each an MSISDN unless 3.0 marks them pseudo-numbers (Dest_terminal_type 1). */
function destinationsOk(s: SubmitFields): boolean {
  const dests = s.Dest_terminal_Id;
  if (dests.length < 1 || dests.length > 99) return false;
  const pseudo = s.Dest_terminal_type === 1;
  return dests.every((d) => (pseudo ? d.length > 0 : isMsisdn(d)));
}

/** FeeCode is the fee in fen, up to 6 digits; empty means free. */
function feeOk(s: SubmitFields, version: CmppVersion): boolean {
  return FEE_TYPES[version].has(s.FeeType ?? '') && /^\d{0,6}$/.test(s.FeeCode ?? '');
}

/** The Result an ISMG gives a SUBMIT it could decode (SPEC3 §8.4.3.2); 0 when it is accepted. */
export function submitResult(s: SubmitFields, version: CmppVersion, account: AccountSettings): number {
  if (!structureOk(s, version)) return RESULT.STRUCTURE;
  const length = lengthResult(s);
  if (length !== RESULT.OK) return length;
  if (!destinationsOk(s)) return RESULT.DEST_TERMINAL_ID;
  if (account.serviceCode !== undefined && !s.Src_Id.startsWith(account.serviceCode)) return RESULT.SRC_ID;
  if (s.Msg_src !== account.id) return RESULT.MSG_SRC;
  if (!feeOk(s, version)) return RESULT.FEE_CODE;
  if (s.Fee_UserType === 3 && !s.Fee_terminal_Id) return RESULT.FEE_TERMINAL_ID;
  return RESULT.OK;
}
