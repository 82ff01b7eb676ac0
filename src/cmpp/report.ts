import { decodeFields, encodeFields, type Fields } from './codec.js';
import { CmppProtocolError } from './errors.js';
import { REPORT_LAYOUTS } from './schema/compiled.js';
import type { CmppVersion } from './version.js';

/** A status report (DELIVER Msg_Content with Registered_Delivery = 1), SPEC3 §8.4.5.1. */
export interface StatusReport {
  Msg_Id: bigint;
  Stat: string;
  Submit_time: string;
  Done_time: string;
  Dest_terminal_Id: string;
  SMSC_sequence: number;
}

/** Decodes a report body of either layout, whatever the link's version (facts §7: peers send both). */
export function decodeReport(content: Uint8Array): StatusReport {
  const layout = REPORT_LAYOUTS.get(content.length);
  if (!layout) {
    throw new CmppProtocolError(
      'BAD_FIELD',
      `a status report is 60 (2.0) or 71 (3.0) bytes, not ${content.length}`,
      'Msg_Content',
    );
  }
  const buf = Buffer.from(content.buffer, content.byteOffset, content.length);
  return decodeFields(layout.fields, buf, 0, buf.length) as unknown as StatusReport;
}

/** Encodes a report body in the layout of `version`. */
export function encodeReport(report: StatusReport, version: CmppVersion): Buffer {
  for (const [length, layout] of REPORT_LAYOUTS) {
    if (layout.version !== version) continue;
    const buf = Buffer.alloc(length);
    encodeFields(layout.fields, report as unknown as Fields, buf, 0);
    return buf;
  }
  throw new CmppProtocolError('BAD_VERSION', `no report layout for ${version}`);
}
