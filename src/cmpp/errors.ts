/** What went wrong while framing or decoding a CMPP packet. */
export type CmppErrorCode =
  | 'FRAME_TOO_SHORT'
  | 'FRAME_TOO_LONG'
  | 'TRUNCATED'
  | 'TRAILING_BYTES'
  | 'UNKNOWN_COMMAND'
  | 'BAD_FIELD'
  | 'BAD_VERSION';

/** The only error the codec throws: every decoding failure is one of these, never a RangeError. */
export class CmppProtocolError extends Error {
  override readonly name = 'CmppProtocolError';
  constructor(
    readonly code: CmppErrorCode,
    message: string,
    readonly field?: string,
    readonly offset?: number,
  ) {
    super(message);
  }
}
