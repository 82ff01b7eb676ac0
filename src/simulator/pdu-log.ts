import type { Logger } from 'pino';
import {
  type CmppVersion,
  type CommandName,
  type DeliverFields,
  decodePdu,
  encodePdu,
  type Fields,
  type Pdu,
  pduToJson,
} from '../cmpp/index.js';
import type { ServerSession } from '../session/index.js';

/**
 * Debug: one line per PDU the simulator handles (SUBMIT and DELIVER with their responses), decoded;
 * trace: the same line with the packet's bytes. The bytes are re-encoded from the fields, which gives the
 * packet as it was on the wire (encode(decode(x)) = x). Costs nothing below debug.
 */
export function logPdu(
  log: Logger,
  direction: 'in' | 'out',
  account: string,
  version: CmppVersion,
  command: CommandName,
  sequenceId: number,
  fields: Fields | object,
): void {
  if (!log.isLevelEnabled('debug')) return;
  const frame = encodePdu(version, command, sequenceId, fields as Fields);
  const pdu = pduToJson(decodePdu(frame, version), frame.length);
  if (log.isLevelEnabled('trace')) {
    log.trace({ account, direction, pdu, hex: frame.toString('hex') }, command);
  } else {
    log.debug({ account, direction, pdu }, command);
  }
}

/** A DELIVER and its DELIVER_RESP, logged once the response is in (only then is the Sequence_Id known). */
export function logDeliver(log: Logger, link: ServerSession, fields: DeliverFields, response: Pdu): void {
  logPdu(log, 'out', link.account, link.version, 'CMPP_DELIVER', response.sequenceId, fields);
  logPdu(log, 'in', link.account, response.version, response.command, response.sequenceId, response.fields);
}
