/** SI/SL content that cannot be compiled (the PPG answers PAP 3006, Transformation Failure). */
export class WapTransformError extends Error {
  override readonly name: string = 'WapTransformError';
}

/** A push whose WSP PDU does not fit the most SMS one concatenated message can have (255). */
export class WapTooLargeError extends WapTransformError {
  override readonly name: string = 'WapTooLargeError';
}

/** A WBXML, WSP or WDP byte string that cannot be decoded. */
export class WapDecodeError extends WapTransformError {
  override readonly name: string = 'WapDecodeError';
}

/** A malformed PAP document or multipart body; `code` is the PAP response code to answer with (facts §8). */
export class PapParseError extends Error {
  override readonly name = 'PapParseError';
  constructor(
    message: string,
    readonly code: number = 2000,
    readonly field?: string,
  ) {
    super(message);
  }
}
