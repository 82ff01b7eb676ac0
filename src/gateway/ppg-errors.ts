/** A PAP request the PPG refuses: answered with this PAP response code (protocol-facts §8) and message. */
export class PapFailure extends Error {
  override readonly name = 'PapFailure';
  constructor(
    readonly code: number,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}
