import { COMMAND_IDS, type CommandName } from './commands.js';
import { CmppProtocolError } from './errors.js';
import { codecFor, type Fields, type FieldValue } from './schema/compile-codec.js';
import { otherVersion, type PduSchema, schemaFor } from './schema/compiled.js';
import type { FieldSpec } from './schema/field.js';
import type { CmppVersion } from './version.js';
import { allocZeroed } from './zeroed-slab.js';

export type { Fields, FieldValue };

/** A decoded packet. `version` is the layout the body was read with (see decodePdu). */
export interface Pdu<F extends object = Fields> {
  command: CommandName;
  commandId: number;
  sequenceId: number;
  version: CmppVersion;
  fields: F;
}

export const HEADER_LENGTH = 12;

/** Reads fields laid out by `specs` from buf[start, end); throws CmppProtocolError unless they fit exactly. */
export function decodeFields(specs: readonly FieldSpec[], buf: Buffer, start: number, end: number): Fields {
  return codecFor(specs).decode(buf, start, end);
}

/** Writes `fields` laid out by `specs` into a zero-filled buf; count fields are computed, missing ones are 0. */
export function encodeFields(
  specs: readonly FieldSpec[],
  fields: Fields,
  buf: Buffer,
  start: number,
): number {
  return codecFor(specs).encode(fields, buf, start);
}

/** Reads the 12-byte header. */
export function decodeHeader(frame: Buffer): { totalLength: number; commandId: number; sequenceId: number } {
  if (frame.length < HEADER_LENGTH) {
    throw new CmppProtocolError(
      'FRAME_TOO_SHORT',
      `packet of ${frame.length} bytes is shorter than the header`,
    );
  }
  return {
    totalLength: frame.readUInt32BE(0),
    commandId: frame.readUInt32BE(4),
    sequenceId: frame.readUInt32BE(8),
  };
}

/**
 * Decodes one whole packet (header included) with the layouts of `version`. A body that does not fit
 * them but fits the other version's exactly is read with those (real ISMGs mix them, facts §7: a
 * 3.0-shaped CONNECT_RESP on a 2.0 link, a 4-byte Success_Id on 2.0); the result says which was used.
 */
export function decodePdu(frame: Buffer, version: CmppVersion): Pdu {
  if (frame.length < HEADER_LENGTH) {
    throw new CmppProtocolError(
      'FRAME_TOO_SHORT',
      `packet of ${frame.length} bytes is shorter than the header`,
    );
  }
  const totalLength = frame.readUInt32BE(0);
  const commandId = frame.readUInt32BE(4);
  const sequenceId = frame.readUInt32BE(8);
  if (totalLength !== frame.length) {
    throw new CmppProtocolError(
      'BAD_FIELD',
      `Total_Length ${totalLength} does not match the ${frame.length} bytes of the packet`,
      'Total_Length',
      0,
    );
  }
  const schema = schemaFor(version, commandId);
  if (!schema) {
    throw new CmppProtocolError(
      'UNKNOWN_COMMAND',
      `unknown Command_Id 0x${commandId.toString(16).padStart(8, '0')}`,
      'Command_Id',
      4,
    );
  }
  try {
    return decodeWith(schema, frame, sequenceId);
  } catch (err) {
    const alternative = schemaFor(otherVersion(version), commandId) as PduSchema;
    try {
      return decodeWith(alternative, frame, sequenceId);
    } catch {
      throw err;
    }
  }
}

function decodeWith(schema: PduSchema, frame: Buffer, sequenceId: number): Pdu {
  return {
    command: schema.command,
    commandId: schema.commandId,
    sequenceId,
    version: schema.version,
    fields: schema.codec.decode(frame, HEADER_LENGTH, frame.length),
  };
}

/** Encodes a whole packet. Throws CmppProtocolError (BAD_FIELD) for a value that does not fit its field. */
export function encodePdu(
  version: CmppVersion,
  command: CommandName,
  sequenceId: number,
  fields: Fields = {},
): Buffer {
  const commandId = COMMAND_IDS[command];
  const schema = commandId === undefined ? undefined : schemaFor(version, commandId);
  if (!schema) throw new CmppProtocolError('UNKNOWN_COMMAND', `unknown command ${command}`);
  const codec = schema.codec;
  const total = HEADER_LENGTH + (schema.fixedLength ?? codec.length(fields));
  const buf = allocZeroed(total);
  buf.writeUInt32BE(total, 0);
  buf.writeUInt32BE(commandId, 4);
  buf.writeUInt32BE(sequenceId >>> 0, 8);
  codec.encode(fields, buf, HEADER_LENGTH);
  return buf;
}

/** Encodes a decoded packet back to its bytes (encode(decode(x)) === x for every valid packet). */
export function encodeDecoded(pdu: Pdu<object>): Buffer {
  return encodePdu(pdu.version, pdu.command, pdu.sequenceId, pdu.fields as Fields);
}
