import { CmppProtocolError } from './errors.js';

/** The two layout families. 2.0 covers Version bytes 0x20 and 0x21 (CMPP 2.1 uses the 2.0 layouts). */
export type CmppVersion = '2.0' | '3.0';

export const VERSIONS: readonly CmppVersion[] = ['2.0', '3.0'];

/** The Version byte a client sends at login: high nibble major, low nibble minor (SPEC3 §8.4.1.1). */
export const VERSION_BYTE: Readonly<Record<CmppVersion, number>> = { '2.0': 0x20, '3.0': 0x30 };

/** The layout family a Version byte asks for: 0x2x → 2.0, 0x3x → 3.0. */
export function versionFromByte(byte: number): CmppVersion {
  const major = byte >> 4;
  if (major === 2) return '2.0';
  if (major === 3) return '3.0';
  throw new CmppProtocolError(
    'BAD_VERSION',
    `unsupported CMPP version byte 0x${byte.toString(16)}`,
    'Version',
  );
}

export function parseVersion(text: string): CmppVersion {
  if (text === '2' || text === '2.0' || text === '2.1') return '2.0';
  if (text === '3' || text === '3.0') return '3.0';
  throw new CmppProtocolError('BAD_VERSION', `unknown CMPP version "${text}" (use 2 or 3)`, 'version');
}
