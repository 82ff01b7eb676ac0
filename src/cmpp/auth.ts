import { createHash } from 'node:crypto';
import { COMMAND_IDS } from './commands.js';
import { CmppProtocolError } from './errors.js';
import { schemaFor } from './schema/compiled.js';
import type { CmppVersion } from './version.js';

/** The CONNECT Timestamp for a moment: MMDDHHMMSS as a decimal number, local time (SPEC3 §8.4.1.1). */
export function connectTimestamp(date: Date = new Date()): number {
  return (
    (date.getMonth() + 1) * 1e8 +
    date.getDate() * 1e6 +
    date.getHours() * 1e4 +
    date.getMinutes() * 100 +
    date.getSeconds()
  );
}

/** The timestamp as hashed: always 10 digits, zero-padded (%010d; facts §4). */
export function timestampString(timestamp: number): string {
  return String(timestamp).padStart(10, '0');
}

/**
 * Source_Addr as it is sent and hashed: 6 bytes; a shorter SP id is 0x00-padded and a longer one keeps
 * its last 6 characters (facts §7, as gocmpp does).
 */
export function sourceAddrBytes(sourceAddr: string): Buffer {
  const out = Buffer.alloc(6);
  out.write(sourceAddr.length > 6 ? sourceAddr.slice(-6) : sourceAddr, 'latin1');
  return out;
}

/** AuthenticatorSource = MD5(Source_Addr ‖ 9 × 0x00 ‖ secret ‖ timestamp), SPEC3 §8.4.1.1. */
export function authenticatorSource(sourceAddr: string, secret: string, timestamp: number): Buffer {
  return createHash('md5')
    .update(sourceAddrBytes(sourceAddr))
    .update(Buffer.alloc(9))
    .update(secret, 'latin1')
    .update(timestampString(timestamp), 'latin1')
    .digest();
}

const STATUS_WIDTH: Readonly<Record<CmppVersion, number>> = {
  '2.0': statusWidth('2.0'),
  '3.0': statusWidth('3.0'),
};

/** The Status width comes from the CONNECT_RESP table: 1 byte in 2.0, 4 in 3.0. */
function statusWidth(version: CmppVersion): number {
  const schema = schemaFor(version, COMMAND_IDS.CMPP_CONNECT_RESP);
  const status = schema?.fields.find((f) => f.name === 'Status');
  if (!status) throw new CmppProtocolError('BAD_FIELD', 'CONNECT_RESP table has no Status');
  return status.size;
}

/** AuthenticatorISMG = MD5(Status ‖ AuthenticatorSource ‖ secret), Status as wide as the version's field (SPEC3 §8.4.1.2). */
export function authenticatorIsmg(
  status: number,
  authSource: Uint8Array,
  secret: string,
  version: CmppVersion,
): Buffer {
  const statusBytes = Buffer.alloc(STATUS_WIDTH[version]);
  statusBytes.writeUIntBE(status, 0, statusBytes.length);
  return createHash('md5').update(statusBytes).update(authSource).update(secret, 'latin1').digest();
}
