import { CmppTextError, type ParsedUdh, parseUdh } from '../cmpp/index.js';
import { WapTransformError } from './errors.js';
import { decodeWbxml, type WbxmlDocument } from './wbxml-decode.js';
import { WAP_PUSH_PORTS } from './wdp.js';
import { decodeWspPush } from './wsp-decode.js';

/** What a WAP push carries: its WSP content type and, for SI/SL, the decoded document. */
export interface ReceivedPush {
  contentType: string;
  applicationId?: string | number;
  document?: WbxmlDocument;
}

const COMPILED = new Set(['application/vnd.wap.sic', 'application/vnd.wap.slc']);

const decodeErrors = (err: unknown) => err instanceof CmppTextError || err instanceof WapTransformError;

/** The UDH of a binary SMS whose port IE says 2948 (facts §10), or undefined for any other SMS. */
export function pushUdh(content: Uint8Array): ParsedUdh | undefined {
  try {
    const udh = parseUdh(content);
    return udh.ports?.dst === WAP_PUSH_PORTS.dst ? udh : undefined;
  } catch (err) {
    if (decodeErrors(err)) return undefined;
    throw err;
  }
}

/** A whole WSP Push PDU (one SMS's payload, or all segments joined) read; undefined when it does not decode. */
export function readPushPdu(wsp: Buffer): ReceivedPush | undefined {
  try {
    const pdu = decodeWspPush(wsp);
    const push: ReceivedPush = { contentType: pdu.contentType };
    if (pdu.applicationId !== undefined) push.applicationId = pdu.applicationId;
    if (COMPILED.has(pdu.contentType)) push.document = decodeWbxml(pdu.body);
    return push;
  } catch (err) {
    if (decodeErrors(err)) return undefined;
    throw err;
  }
}

/**
 * Reads a binary SMS (Msg_Content with its UDH) as a WAP push when its port IE says 2948 and it is not
 * one segment of a longer push (PushReassembler joins those); undefined for anything else or anything
 * that does not decode.
 */
export function readPushSms(content: Uint8Array): ReceivedPush | undefined {
  const udh = pushUdh(content);
  if (!udh || (udh.concat && udh.concat.total > 1)) return undefined;
  return readPushPdu(udh.payload);
}
