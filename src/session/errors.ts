/** Why a session operation failed. `retriable` says whether sending again later may succeed. */
export class CmppSessionError extends Error {
  override readonly name: string = 'CmppSessionError';
  constructor(
    message: string,
    readonly retriable: boolean,
  ) {
    super(message);
  }
}

/** The link went down while the request was in flight; the gateway resubmits it. */
export class CmppLinkClosedError extends CmppSessionError {
  override readonly name = 'CmppLinkClosedError';
  constructor(reason: string) {
    super(`link closed: ${reason}`, true);
  }
}

/** No response after every try (SPEC3 §7.1: T seconds, N tries). */
export class CmppTimeoutError extends CmppSessionError {
  override readonly name = 'CmppTimeoutError';
  constructor(command: string, tries: number, timeoutMs: number) {
    super(`${command}: no response after ${tries} tries of ${timeoutMs} ms`, true);
  }
}

/** The client was closed by its owner; nothing more will be sent. */
export class CmppClosedError extends CmppSessionError {
  override readonly name = 'CmppClosedError';
  constructor() {
    super('client is closed', false);
  }
}

/** CONNECT_RESP Status meanings, SPEC3 §8.4.1.2. */
export const CONNECT_STATUS: Readonly<Record<number, string>> = {
  0: 'OK',
  1: 'message structure error',
  2: 'illegal source address',
  3: 'authentication error',
  4: 'version too high',
};

export function connectStatusText(status: number): string {
  return CONNECT_STATUS[status] ?? 'other error';
}

/** The ISMG refused the login, or its answer could not be trusted. */
export class CmppLoginError extends CmppSessionError {
  override readonly name = 'CmppLoginError';
  constructor(
    readonly status: number,
    detail?: string,
  ) {
    super(detail ?? `login refused: Status ${status} (${connectStatusText(status)})`, status >= 5);
  }
}

/** SUBMIT_RESP Result meanings, SPEC3 §8.4.3.2 (9–13 added in 2.1). */
export const SUBMIT_RESULT: Readonly<Record<number, string>> = {
  0: 'OK',
  1: 'message structure error',
  2: 'command word error',
  3: 'duplicate message sequence',
  4: 'message length error',
  5: 'fee code error',
  6: 'exceeds maximum message length',
  7: 'service code error',
  8: 'flow-control error',
  9: 'this gateway does not serve the billed number',
  10: 'Src_Id error',
  11: 'Msg_src error',
  12: 'Fee_terminal_Id error',
  13: 'Dest_terminal_Id error',
};

export function submitResultText(result: number): string {
  return SUBMIT_RESULT[result] ?? 'other error';
}
