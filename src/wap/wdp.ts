import { CmppTextError, IEI_PORTS_16, MsgFmt, splitMessage } from '../cmpp/index.js';
import { WapTooLargeError, WapTransformError } from './errors.js';

/** WDP ports for connectionless push: to 2948 (push client) from 9200 (WSP server) (facts §10). */
export const WAP_PUSH_PORTS = { dst: 2948, src: 9200 } as const;

/** One SMS of a push. As CMPP: Msg_Content = udh ‖ ud, TP_udhi 1, Msg_Fmt 4, Pk_total/Pk_number. */
export interface WapSegment {
  udh: Buffer;
  ud: Buffer;
  pkTotal: number;
  pkNumber: number;
}

const { dst, src } = WAP_PUSH_PORTS;
const PORTS_IE = Buffer.of(IEI_PORTS_16, 4, dst >> 8, dst & 0xff, src >> 8, src & 0xff);

/**
 * Splits a WSP PDU into SMS with the 16-bit port IE, plus the 8-bit concatenation IE after it when the PDU
 * needs more than one SMS: `06 05 04 0B 84 23 F0` alone carries 133 bytes, `0B 05 04 0B 84 23 F0 00 03 RR TT NN`
 * carries 128 per segment (Kannel's layout, facts §10). Throws WapTooLargeError past 255 SMS.
 */
export function wapPushSegments(wsp: Buffer, reference: number): WapSegment[] {
  try {
    const { pkTotal, segments } = splitMessage({
      binary: wsp,
      fmt: MsgFmt.BINARY,
      reference,
      udhPrefix: PORTS_IE,
    });
    return segments.map(({ content, pkNumber }) => {
      const udhEnd = 1 + content[0];
      return { udh: content.subarray(0, udhEnd), ud: content.subarray(udhEnd), pkTotal, pkNumber };
    });
  } catch (err) {
    if (!(err instanceof CmppTextError)) throw err;
    if (err.code === 'TOO_LONG')
      throw new WapTooLargeError(
        `push too large for SMS: WSP Push PDU of ${wsp.length} bytes, ${err.message}`,
      );
    throw new WapTransformError(`cannot split the push: ${err.message}`);
  }
}
