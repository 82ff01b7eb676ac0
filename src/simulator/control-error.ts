/** A control request (MO, malformed frame) that cannot be carried out, with the HTTP status that says why. */
export class ControlError extends Error {
  override readonly name = 'ControlError';
  constructor(
    readonly status: 400 | 404 | 503,
    message: string,
  ) {
    super(message);
  }
}
