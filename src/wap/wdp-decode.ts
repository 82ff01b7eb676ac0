import { CmppTextError, parseUdh } from '../cmpp/index.js';
import { WapTransformError } from './errors.js';
import { decodeWbxml, type WbxmlDocument } from './wbxml-decode.js';
import { WAP_PUSH_PORTS } from './wdp.js';
import { decodeWspPush } from './wsp-decode.js';

/** What a single-SMS WAP push carries: its WSP content type and, for SI/SL, the decoded document. */
export interface ReceivedPush {
  contentType: string;
  applicationId?: string | number;
  document?: WbxmlDocument;
}

const COMPILED = new Set(['application/vnd.wap.sic', 'application/vnd.wap.slc']);

/**
 * Reads a binary SMS (Msg_Content with its UDH) as a WAP push when its port IE says 2948 and it is not
 * one segment of a longer push; undefined for anything else or anything that does not decode.
 */
export function readPushSms(content: Uint8Array): ReceivedPush | undefined {
  try {
    const udh = parseUdh(content);
    if (udh.ports?.dst !== WAP_PUSH_PORTS.dst) return undefined;
    if (udh.concat && udh.concat.total > 1) return undefined;
    const wsp = decodeWspPush(udh.payload);
    const push: ReceivedPush = { contentType: wsp.contentType };
    if (wsp.applicationId !== undefined) push.applicationId = wsp.applicationId;
    if (COMPILED.has(wsp.contentType)) push.document = decodeWbxml(wsp.body);
    return push;
  } catch (err) {
    if (err instanceof CmppTextError || err instanceof WapTransformError) return undefined;
    throw err;
  }
}
