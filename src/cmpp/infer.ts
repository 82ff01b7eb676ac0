import { decodeFields, decodeHeader, HEADER_LENGTH } from './codec.js';
import { COMMAND_IDS } from './commands.js';
import { schemaFor } from './schema/compiled.js';
import { type CmppVersion, VERSIONS, versionFromByte } from './version.js';

/**
 * Guesses the version of a lone packet: a CONNECT says it in its Version byte; otherwise the version
 * whose layout the body fits exactly. When both fit (the layout is the same in both), 3.0.
 */
export function inferVersion(frame: Buffer): CmppVersion {
  const { commandId } = decodeHeader(frame);
  if (commandId === COMMAND_IDS.CMPP_CONNECT && frame.length >= HEADER_LENGTH + 23) {
    return versionFromByte(frame[HEADER_LENGTH + 22]);
  }
  const fits = VERSIONS.filter((version) => {
    const schema = schemaFor(version, commandId);
    if (!schema) return false;
    try {
      decodeFields(schema.fields, frame, HEADER_LENGTH, frame.length);
      return true;
    } catch {
      return false;
    }
  });
  return fits.length === 1 ? fits[0] : '3.0';
}
