/** A request the gateway refuses: the HTTP layer answers `status` with { error: { code, message, field } }. */
export class GatewayError extends Error {
  override readonly name = 'GatewayError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export const invalid = (field: string, message: string) =>
  new GatewayError(400, 'invalid_field', message, field);
