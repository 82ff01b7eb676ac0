/** A bad store setting, naming the configuration key (`store`, `storePrefix`, …). */
export class StoreConfigError extends Error {
  override readonly name = 'StoreConfigError';
  constructor(
    readonly key: string,
    message: string,
  ) {
    super(`${key}: ${message}`);
  }
}
